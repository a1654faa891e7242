"""Nothing lost under load: 20 clients x 10 uploads, a reader during writes, a killed writer."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyogrio
import pytest

from geo.store import open_store
from tests.load_worker import ROADS_PER_UPLOAD

WORKER = Path(__file__).resolve().parent / "load_worker.py"
CLIENTS, UPLOADS_EACH = 20, 10


def run_worker(*args: str) -> list[str]:
    return [sys.executable, str(WORKER), *args]


def worker(*args: str, **options) -> subprocess.Popen:
    return subprocess.Popen(
        run_worker(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **options,
    )


def assert_consistent(store_path: Path, projects: int) -> None:
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM projects").fetchone() == (projects,)
        assert conn.execute("SELECT COUNT(*) FROM rtree_projects_geom").fetchone() == (projects,)
    assert pyogrio.read_info(store_path, layer="projects")["features"] == projects


@pytest.mark.slow
def test_twenty_clients_uploading_at_once_lose_and_duplicate_nothing(store_path):
    open_store(store_path)
    reader = worker("read", str(store_path), "25")
    clients = [worker("upload", str(store_path), str(c), str(UPLOADS_EACH)) for c in range(CLIENTS)]
    for client in clients:
        _, err = client.communicate(timeout=900)
        assert client.returncode == 0, err
    seen, err = reader.communicate(timeout=300)
    assert reader.returncode == 0, err
    # The reader saw whole imports only, in many snapshots.
    assert seen.splitlines()[:-1] == []
    assert int(seen.split()[-1]) > 10

    store = open_store(store_path)
    projects = store.load_projects()
    assert len(projects) == CLIENTS * UPLOADS_EACH * ROADS_PER_UPLOAD
    assert not projects.duplicated(["agency", "project_id"]).any()
    assert projects.groupby("agency").size().eq(UPLOADS_EACH * ROADS_PER_UPLOAD).all()
    uploads = store.list_uploads()
    assert len(uploads) == CLIENTS * UPLOADS_EACH and uploads["stored"].eq(ROADS_PER_UPLOAD).all()
    assert len(store.audit_log()) == CLIENTS * UPLOADS_EACH
    assert_consistent(store_path, CLIENTS * UPLOADS_EACH * ROADS_PER_UPLOAD)


@pytest.mark.slow
def test_a_writer_killed_mid_import_leaves_nothing_of_it(store_path):
    first = subprocess.run(run_worker("upload", str(store_path), "1", "1"), capture_output=True)
    assert first.returncode == 0, first.stderr
    writer = worker("big", str(store_path), "60000")
    assert writer.stdout.readline().strip() == "writing"
    time.sleep(1.0)  # inside the import transaction (it takes several seconds)
    assert writer.poll() is None, "the import finished before it could be killed"
    writer.send_signal(signal.SIGKILL)
    writer.communicate(timeout=60)
    assert_consistent(store_path, ROADS_PER_UPLOAD)
    assert len(open_store(store_path).list_uploads()) == 1
    # The killed writer's lock went with it: the next import goes through.
    after = subprocess.run(run_worker("upload", str(store_path), "2", "1"), capture_output=True)
    assert after.returncode == 0, after.stderr
    assert_consistent(store_path, 2 * ROADS_PER_UPLOAD)
