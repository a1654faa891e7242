"""A private PostgreSQL + PostGIS cluster on 127.0.0.1 for the server-mode tests.

Debian's ``postgresql-15-postgis-3`` (``scripts/test.sh`` installs it) provides the binaries;
the cluster lives in a temporary folder, listens on a free port of 127.0.0.1 only, trusts
local connections and is stopped when the tests end. As root (CI), the server runs as the
``postgres`` system user: PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
USER = "peta"


class PrivateCluster:
    """One PostgreSQL server of our own, for the duration of a test session."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(
                f"{PG_BIN}/initdb is missing: install PostGIS "
                "(apt-get install postgresql-15-postgis-3; scripts/test.sh does)"
            )
        # Its own folder under /tmp: pytest's folders are closed to the postgres user.
        self.folder = Path(tempfile.mkdtemp(prefix="peta-postgis-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._as = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            [*self._as, *command], capture_output=True, text=True, cwd=self.folder
        )
        if done.returncode:
            raise RuntimeError(f"{command[0]} failed: {done.stderr or done.stdout}")

    def start(self) -> PrivateCluster:
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "start",
        )
        return self

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database; its URL."""
        import sqlalchemy as sa

        name = f"peta_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
        engine.dispose()
        return self.url(name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
