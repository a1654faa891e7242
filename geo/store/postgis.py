"""The project store in PostGIS: server mode, when ``DATABASE_URL`` is set (DESIGN section 6).

The same interface as :class:`geo.store.gpkg.GeoPackageStore` and the same rules (shared functions
in :mod:`geo.store.gpkg`): an import is one transaction, imports are serialised by a transaction
advisory lock (so the idempotence and id checks see every earlier import), re-importing a file
changes nothing, ``replace`` is explicit.

``DATABASE_URL`` is a SQLAlchemy URL with the psycopg 3 driver, e.g.
``postgresql+psycopg://peta:secret@127.0.0.1:5432/peta`` (``postgresql://`` is read the
same way). The database needs the PostGIS extension (the store creates it when it may).

Every writing transaction bumps a one-row counter (``store_version``) once — statement
triggers on the projects, uploads, reviews and decisions tables that count a transaction's first write
only, so writes from any process or client count, and an import of 100,000 records is one
bump, not one per record — and :meth:`PostGISStore.version` reads it in one query: the app's
caches refresh after any import, delete, review or decision. Imports copy their records in with COPY.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa

from geo.auth import Actor, check_admin, check_review, check_write
from geo.errors import GeoInputError, StoreUnavailable
from geo.finding_ids import FindingRef
from geo.read.import_report import ImportReport
from geo.read.projects import ReadResult
from geo.schema import EXTRA_COLUMNS, PROJECT_COLUMNS, RECORD_COLUMNS
from geo.store.tables import (
    AUDIT,
    AUDIT_COLUMNS,
    DECISION_COLUMNS,
    DECISIONS,
    FINDINGS,
    PROJECTS,
    REFERENCE_TABLES,
    REVIEWS,
    SAVED_ANALYSES,
    UPLOADS,
    ImportOutcome,
    analysis_frame,
    analysis_payload,
    analysis_row,
    audit_row,
    check_analysis_kind,
    check_decision_kind,
    column_dtype,
    data_fingerprint,
    decision_checks,
    deletion_row,
    empty_projects,
    extra_column_sql_type,
    finding_parties,
    layer_row,
    near_boxes,
    no_such_upload,
    project_columns,
    reference_table,
    refuse_empty_import,
    refuse_empty_layer,
    refuse_stored_ids,
    replaced_uploads,
    review_checks,
    review_row,
    same_file_uploads,
    sign_in_row,
    utc_stamp,
    with_columns,
)

__all__ = ["checked_url", "engine_for", "PostGISStore", "VERSION"]

_SRS_ID = 4326
#: Key of the advisory lock that serialises imports, replaces and deletes.
_WRITE_LOCK_KEY = 0x5E7A_0001
_SQL_TYPES = {"int64": "BIGINT", "float64": "DOUBLE PRECISION", "object": "TEXT"}
#: The one-row table counting writes, and the trigger function that counts them.
VERSION = "store_version"
_BUMP_FUNCTION = "peta_store_version_bump"
#: Body of the counting function: the first write of a transaction bumps the counter and marks
#: the transaction (a setting local to it, gone at commit or rollback), later ones see the mark.
#: Per transaction, not per statement: an executemany or a client writing row by row would
#: otherwise bump (and queue on) the counter's one row for every record.
_BUMP_BODY = (
    " BEGIN IF current_setting('peta.version_bumped', true) IS DISTINCT FROM 'yes' THEN "
    f"UPDATE {VERSION} SET writes = writes + 1 WHERE id = 1; "
    "PERFORM set_config('peta.version_bumped', 'yes', true); END IF; RETURN NULL; END "
)
#: The tables whose writes count (reference layers are counted explicitly:
#: they are dropped and recreated whole).
_COUNTED_TABLES = (PROJECTS, UPLOADS, REVIEWS, DECISIONS)
_URL_FORM = "postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE"


def checked_url(url: str) -> sa.URL:
    """``url`` parsed as a PostgreSQL URL, with the psycopg 3 driver.

    Raises
    ------
    geo.errors.StoreUnavailable
        ``url`` is not a URL or not PostgreSQL's; the message never repeats the URL (it may
        hold a password).
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreUnavailable(f"DATABASE_URL: not a database URL; set it to {_URL_FORM}") from None
    if parsed.get_backend_name() not in ("postgresql", "postgres"):
        raise StoreUnavailable(
            f"DATABASE_URL: {parsed.get_backend_name()} is not PostgreSQL; set it to {_URL_FORM}"
        )
    return parsed.set(drivername="postgresql+psycopg")


def engine_for(url: str) -> sa.Engine:
    """A SQLAlchemy engine on ``url`` with the psycopg 3 driver.

    A database that cannot be reached (down, wrong host or port, login refused) raises
    :class:`geo.errors.StoreUnavailable` naming the database without its password.
    """
    parsed = checked_url(url)
    engine = sa.create_engine(parsed, pool_pre_ping=True)
    sa.event.listen(engine, "handle_error", _unreachable)
    return engine


def _unreachable(context: sa.engine.ExceptionContext) -> None:
    """Turn a failure to connect, or a connection lost, into :class:`StoreUnavailable`."""
    if context.is_pre_ping:
        return  # the pool reconnects by itself
    if not isinstance(context.sqlalchemy_exception, sa.exc.OperationalError):
        return
    if context.connection is not None and not context.is_disconnect:
        return  # a failing statement on a live connection: not a reachability problem
    url = context.engine.url if context.engine is not None else None
    where = url.render_as_string(hide_password=True) if url is not None else "DATABASE_URL"
    lines = str(context.original_exception).strip().splitlines() or ["no reason given"]
    reason = lines[0]
    if url is not None and url.password:
        reason = reason.replace(str(url.password), "***")
    raise StoreUnavailable(
        f"{where}: the database cannot be reached ({reason}); check that the server runs and "
        "that DATABASE_URL names its host, port, database, user and password"
    ) from None


class PostGISStore:
    """Projects, uploads, findings and reference layers in a PostGIS database.

    Parameters
    ----------
    url
        SQLAlchemy URL of the database (see the module docstring).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = engine_for(url)
        self._ensure_created()

    def close(self) -> None:
        """Close the database connections (the store can be used again: they reopen)."""
        self.engine.dispose()

    def _ensure_created(self) -> None:
        columns = ",\n".join(
            f"{c} {_SQL_TYPES[column_dtype(c)]}" for c in PROJECT_COLUMNS if c != "geometry"
        )
        with self.engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK_KEY})
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
            conn.execute(
                sa.text(
                    f"""
                    CREATE TABLE IF NOT EXISTS {UPLOADS} (
                        id BIGSERIAL PRIMARY KEY,
                        file_name TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        agency TEXT NOT NULL,
                        uploaded_at TEXT NOT NULL,
                        features_read BIGINT NOT NULL,
                        stored BIGINT NOT NULL,
                        repaired BIGINT NOT NULL,
                        rejected BIGINT NOT NULL,
                        report TEXT NOT NULL
                    );
                    CREATE INDEX IF NOT EXISTS uploads_sha256 ON {UPLOADS}(sha256);
                    CREATE TABLE IF NOT EXISTS {PROJECTS} (
                        fid BIGSERIAL PRIMARY KEY,
                        geom geometry(Geometry, {_SRS_ID}),
                        {columns}
                    );
                    CREATE UNIQUE INDEX IF NOT EXISTS projects_agency_id
                        ON {PROJECTS}(agency, project_id);
                    CREATE INDEX IF NOT EXISTS projects_upload ON {PROJECTS}(upload_id);
                    CREATE INDEX IF NOT EXISTS projects_geom ON {PROJECTS} USING GIST (geom);
                    CREATE TABLE IF NOT EXISTS {REVIEWS} (
                        id BIGSERIAL PRIMARY KEY, finding_id TEXT NOT NULL,
                        decision TEXT NOT NULL, note TEXT NOT NULL, who TEXT NOT NULL,
                        decided_at TEXT NOT NULL
                    );
                    CREATE TABLE IF NOT EXISTS {DECISIONS} (
                        id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL,
                        subject_id TEXT NOT NULL, decision TEXT NOT NULL, note TEXT NOT NULL,
                        who TEXT NOT NULL, decided_at TEXT NOT NULL
                    );
                    CREATE INDEX IF NOT EXISTS decisions_subject ON {DECISIONS}(kind, subject_id);
                    CREATE TABLE IF NOT EXISTS {AUDIT} (
                        id BIGSERIAL PRIMARY KEY,
                        at TEXT NOT NULL, who TEXT NOT NULL, role TEXT NOT NULL,
                        agency TEXT NOT NULL, action TEXT NOT NULL, upload_id BIGINT,
                        file_name TEXT, sha256 TEXT, detail TEXT
                    );
                    CREATE TABLE IF NOT EXISTS {VERSION} (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        created_us BIGINT NOT NULL,
                        writes BIGINT NOT NULL
                    );
                    INSERT INTO {VERSION} VALUES
                        (1, CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT), 0)
                        ON CONFLICT (id) DO NOTHING;
                    """
                )
            )
            self._ensure_version_triggers(conn)
            # Databases made before reader options were kept gain the column (checked first:
            # an ALTER would lock the table on every start).
            has_options = conn.execute(
                sa.text(
                    "SELECT 1 FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND table_name = :t AND column_name = 'options_sha256'"
                ),
                {"t": UPLOADS},
            ).first()
            if not has_options:
                conn.execute(sa.text(f"ALTER TABLE {UPLOADS} ADD COLUMN options_sha256 TEXT"))

    @staticmethod
    def _ensure_version_triggers(conn) -> None:
        """The counting function and its trigger on each counted table, made when missing
        (stores made before the counter gain them; nothing is replaced on every start)."""
        body = conn.execute(
            sa.text(f"SELECT prosrc FROM pg_proc WHERE oid = to_regprocedure('{_BUMP_FUNCTION}()')")
        ).scalar_one_or_none()
        if body != _BUMP_BODY:  # missing, or counting statements as stores made before did
            conn.execute(
                sa.text(
                    f"CREATE OR REPLACE FUNCTION {_BUMP_FUNCTION}() RETURNS trigger "
                    f"LANGUAGE plpgsql AS $${_BUMP_BODY}$$"
                )
            )
        with_trigger = set(
            conn.execute(
                sa.text(
                    "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    "WHERE t.tgname = :name AND c.relnamespace = "
                    "CAST(current_schema() AS regnamespace)"
                ),
                {"name": _BUMP_FUNCTION},
            ).scalars()
        )
        for table in _COUNTED_TABLES:
            if table not in with_trigger:
                # Per statement, not per row: one bump for an import of a million records.
                conn.execute(
                    sa.text(
                        f"CREATE TRIGGER {_BUMP_FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR "
                        f"TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION "
                        f"{_BUMP_FUNCTION}()"
                    )
                )

    def version(self) -> tuple[int, ...]:
        """What changes with every write to the store, from any process: one cheap query.

        Returns
        -------
        tuple of int
            The store's creation time (microseconds since 1970, so a database made anew
            under the same URL differs) and its count of writing transactions.
        """
        with self.engine.connect() as conn:
            row = conn.execute(sa.text(f"SELECT created_us, writes FROM {VERSION}")).one()
        return (int(row[0]), int(row[1]))

    # --- imports -------------------------------------------------------------------------------

    def import_result(
        self,
        result: ReadResult,
        *,
        replace: bool = False,
        now: dt.datetime | None = None,
        actor: Actor | None = None,
    ) -> ImportOutcome:
        """Store a read file's records as one upload, in one transaction.

        Same contract as :meth:`geo.store.gpkg.GeoPackageStore.import_result`.
        """
        report = result.report
        projects = result.projects
        refuse_empty_import(projects, report)
        agencies = sorted(set(projects["agency"]))
        actor = check_write(actor, agencies, f"import {report.source_file}")
        stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        with self.engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK_KEY})
            same_file = conn.execute(
                sa.text(
                    f"SELECT id, options_sha256 FROM {UPLOADS} WHERE sha256 = :sha ORDER BY id"
                ),
                {"sha": result.sha256},
            ).fetchall()
            same, other = same_file_uploads(same_file, result.options_sha256)
            if same is not None and not replace:
                return ImportOutcome(same, self._report_of(conn, same), True)
            replaced = other
            if replace:
                rows = conn.execute(
                    sa.text(
                        f"SELECT id, agency, sha256 FROM {UPLOADS} "
                        "WHERE sha256 = :sha OR file_name = :name"
                    ),
                    {"sha": result.sha256, "name": report.source_file},
                ).fetchall()
                replaced = replaced_uploads(rows, result, agencies)
            for upload_id in replaced:
                owner: str = conn.execute(
                    sa.text(f"SELECT agency FROM {UPLOADS} WHERE id = :id"), {"id": upload_id}
                ).scalar_one()
                check_write(actor, owner.split("; "), f"replace upload {upload_id}")
                self._delete(conn, upload_id)
            if len(projects):
                clashes = conn.execute(
                    sa.text(
                        f"SELECT p.agency, p.project_id, p.upload_id, u.file_name "
                        f"FROM {PROJECTS} p JOIN {UPLOADS} u ON u.id = p.upload_id "
                        "JOIN unnest(CAST(:agencies AS TEXT[]), CAST(:ids AS TEXT[])) "
                        "AS i(agency, project_id) "
                        "ON p.agency = i.agency AND p.project_id = i.project_id"
                    ),
                    {
                        "agencies": projects["agency"].astype(str).tolist(),
                        "ids": projects["project_id"].astype(str).tolist(),
                    },
                ).fetchall()
                projects = refuse_stored_ids(projects, report, [tuple(c) for c in clashes])
            refuse_empty_import(projects, report)
            counts = report.counts
            upload_id = conn.execute(
                sa.text(
                    f"INSERT INTO {UPLOADS} (file_name, sha256, options_sha256, agency, "
                    "uploaded_at, features_read, stored, repaired, rejected, report) VALUES "
                    "(:file_name, :sha256, :options, :agency, :uploaded_at, :read, :stored, "
                    ":repaired, :rejected, :report) RETURNING id"
                ),
                {
                    "file_name": report.source_file,
                    "sha256": result.sha256,
                    "options": result.options_sha256,
                    "agency": "; ".join(agencies),
                    "uploaded_at": stamp,
                    **counts,
                    "report": report.to_json(),
                },
            ).scalar_one()
            self._insert_projects(conn, projects, upload_id, report.source_file)
            self._audit(
                conn,
                audit_row(actor, "import", stamp, upload_id, report, result.sha256, replaced),
            )
        return ImportOutcome(
            int(upload_id), report, False, tuple(replaced), bool(other) and not replace
        )

    @staticmethod
    def _audit(conn, row: dict) -> None:
        conn.execute(
            sa.text(
                f"INSERT INTO {AUDIT} ({', '.join(AUDIT_COLUMNS)}) "
                f"VALUES ({', '.join(':' + c for c in AUDIT_COLUMNS)})"
            ),
            row,
        )

    def audit_log(self) -> pd.DataFrame:
        """Every import, replace and delete: :data:`geo.store.tables.AUDIT_COLUMNS`, oldest first."""
        with self.engine.connect() as conn:
            return pd.read_sql_query(
                sa.text(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM {AUDIT} ORDER BY id"), conn
            )

    @staticmethod
    def _insert_projects(conn, projects: gpd.GeoDataFrame, upload_id: int, file_name: str):
        """Copy the records in with COPY, in the import's transaction (one statement: one
        trigger call; 100k records in seconds rather than minutes of single-row INSERTs)."""
        if projects.empty:
            return
        extras = [c for c in EXTRA_COLUMNS if c in projects.columns]
        for column in extras:  # optional columns, added the first time one arrives
            conn.execute(
                sa.text(
                    f"ALTER TABLE {PROJECTS} ADD COLUMN IF NOT EXISTS {column} "
                    f"{extra_column_sql_type(column, real='DOUBLE PRECISION')}"
                )
            )
        columns = list(RECORD_COLUMNS) + ["upload_id", "source_file", "source_layer", "source_row"]
        columns += extras
        frame = projects.assign(upload_id=upload_id, source_file=file_name)[columns]
        frame = frame.astype(object).where(frame.notna(), None)
        # Hex EWKB carrying its SRID: PostGIS reads it as the column's text input.
        geoms = shapely.set_srid(np.asarray(projects.geometry.array), _SRS_ID)
        hex_ewkb = shapely.to_wkb(geoms, hex=True, include_srid=True)
        names = ", ".join(["geom", *columns])
        driver = conn.connection.driver_connection  # psycopg 3, inside the same transaction
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {PROJECTS} ({names}) FROM STDIN") as copy,
        ):
            for geom, row in zip(hex_ewkb, frame.itertuples(index=False, name=None), strict=True):
                copy.write_row((geom, *row))

    @staticmethod
    def _report_of(conn, upload_id: int) -> ImportReport:
        text = conn.execute(
            sa.text(f"SELECT report FROM {UPLOADS} WHERE id = :id"), {"id": upload_id}
        ).scalar_one()
        return ImportReport.from_json(text)

    @staticmethod
    def _delete(conn, upload_id: int) -> tuple[int, int]:
        n = conn.execute(
            sa.text(f"DELETE FROM {PROJECTS} WHERE upload_id = :id"), {"id": upload_id}
        ).rowcount
        uploads = conn.execute(
            sa.text(f"DELETE FROM {UPLOADS} WHERE id = :id"), {"id": upload_id}
        ).rowcount
        return n, uploads

    def delete_upload(self, upload_id: int, *, actor: Actor | None = None) -> int:
        """Delete an upload and its records; return how many records went.

        An editor may delete only their own agency's uploads (:mod:`geo.auth`).
        """
        with self.engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK_KEY})
            row = conn.execute(
                sa.text(f"SELECT agency, file_name, sha256 FROM {UPLOADS} WHERE id = :id"),
                {"id": upload_id},
            ).fetchone()
            if row is None:
                raise GeoInputError(f"{self.describe()}: no upload {upload_id}")
            actor = check_write(actor, row[0].split("; "), f"delete upload {upload_id}")
            n, _ = self._delete(conn, upload_id)
            stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            self._audit(conn, deletion_row(actor, stamp, upload_id, row[1], row[2], n))
        return n

    # --- reads ---------------------------------------------------------------------------------

    def describe(self) -> str:
        """The database, without its password, for messages."""
        return sa.make_url(self.url).render_as_string(hide_password=True)

    def load_projects(self, *, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
        """All stored project records: :data:`PROJECT_COLUMNS` (or only ``columns`` of them
        and the geometry), EPSG:4326."""
        wanted = project_columns(columns, present=self._project_table_columns())
        selected = ", ".join([c for c in wanted if c != "geometry"] + ["geom"])
        return self._projects(f"SELECT {selected} FROM {PROJECTS} ORDER BY fid", {}, wanted)

    def _project_table_columns(self) -> set[str]:
        """The columns the projects table has."""
        with self.engine.connect() as conn:
            return set(
                conn.execute(
                    sa.text(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_schema = current_schema() AND table_name = :table"
                    ),
                    {"table": PROJECTS},
                ).scalars()
            )

    def load_projects_near(self, geoms: np.ndarray, distance_m: float) -> gpd.GeoDataFrame:
        """Stored projects whose bounding boxes come within ``distance_m`` of those of ``geoms``
        (the GiST index finds them); :data:`PROJECT_COLUMNS`, EPSG:4326."""
        boxes = near_boxes(geoms, distance_m)
        if not len(boxes):
            return empty_projects()
        wanted = project_columns(present=self._project_table_columns())
        return self._projects(
            f"SELECT DISTINCT p.* FROM {PROJECTS} p JOIN unnest(CAST(:x0 AS FLOAT8[]), "
            "CAST(:x1 AS FLOAT8[]), CAST(:y0 AS FLOAT8[]), CAST(:y1 AS FLOAT8[])) "
            f"AS b(x0, x1, y0, y1) ON p.geom && ST_MakeEnvelope(b.x0, b.y0, b.x1, b.y1, {_SRS_ID})",
            {k: boxes[:, i].tolist() for i, k in enumerate(("x0", "x1", "y0", "y1"))},
            wanted,
        )

    def _projects(
        self, query: str, params: dict, columns: list[str] | None = None
    ) -> gpd.GeoDataFrame:
        wanted = columns or list(PROJECT_COLUMNS)
        present = self._project_table_columns() | {"geometry"}
        with_columns(gpd.GeoDataFrame(columns=sorted(present)), wanted, self.describe())
        with self.engine.connect() as conn:
            frame = gpd.read_postgis(sa.text(query), conn, geom_col="geom", params=params)
        if frame.empty:
            return empty_projects().reindex(columns=wanted)
        frame = frame.rename_geometry("geometry").set_crs(_SRS_ID, allow_override=True)
        frame = with_columns(frame, wanted, self.describe())
        for column in wanted:
            if column != "geometry" and column_dtype(column) == "int64":
                frame[column] = frame[column].astype("int64")
        return frame

    def list_uploads(self) -> pd.DataFrame:
        """Uploads with file name, sha256, agency, time and counts (without the reports)."""
        with self.engine.connect() as conn:
            return pd.read_sql_query(
                sa.text(
                    f"SELECT id, file_name, sha256, agency, uploaded_at, features_read, stored, "
                    f"repaired, rejected FROM {UPLOADS} ORDER BY id"
                ),
                conn,
            )

    def upload_report(self, upload_id: int) -> ImportReport:
        """The whole import report saved with an upload; see the GeoPackage store's."""
        with self.engine.connect() as conn:
            text = conn.execute(
                sa.text(f"SELECT report FROM {UPLOADS} WHERE id = :id"), {"id": int(upload_id)}
            ).scalar_one_or_none()
            if text is None:
                found: list[int] = list(
                    conn.execute(sa.text(f"SELECT id FROM {UPLOADS} ORDER BY id")).scalars()
                )
                raise no_such_upload(self.describe(), upload_id, [int(i) for i in found])
        return ImportReport.from_json(text)

    def table_counts(self) -> dict[str, int]:
        """Row count of every store table."""
        with self.engine.connect() as conn:
            names = [
                name
                for name in (PROJECTS, UPLOADS, FINDINGS, *REFERENCE_TABLES.values())
                if sa.inspect(conn).has_table(name)
            ]
            return {
                name: conn.execute(sa.text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
                for name in names
            }

    # --- reviews -------------------------------------------------------------------------------

    def save_review(
        self,
        finding: FindingRef,
        decision: str,
        *,
        note: str = "",
        who: str = "",
        now: dt.datetime | None = None,
        actor: Actor | None = None,
    ) -> None:
        """Record a review decision on a finding; same contract as
        :meth:`geo.store.gpkg.GeoPackageStore.save_review`."""
        stamp = review_checks(finding, decision, now=now)
        finding_id = finding.finding_id
        with self.engine.begin() as conn:
            stored = [
                conn.execute(
                    sa.text(
                        f"SELECT agency FROM {PROJECTS} WHERE agency = :agency "
                        "AND project_id = :project_id LIMIT 1"
                    ),
                    {"agency": str(agency), "project_id": str(project_id)},
                ).fetchone()
                for agency, project_id in finding.projects
            ]
            agencies = finding_parties(finding, stored, self.describe())
            actor = check_review(actor, agencies, str(finding_id))
            self._audit(conn, review_row(actor, stamp, finding_id, decision, note))
            conn.execute(
                sa.text(
                    f"INSERT INTO {REVIEWS} (finding_id, decision, note, who, decided_at) "
                    "VALUES (:finding_id, :decision, :note, :who, :at)"
                ),
                {
                    "finding_id": str(finding_id),
                    "decision": decision,
                    "note": note,
                    "who": who,
                    "at": stamp,
                },
            )

    def load_reviews(self) -> pd.DataFrame:
        """The latest decision per finding: finding_id, decision, note, who, decided_at."""
        with self.engine.connect() as conn:
            return pd.read_sql_query(
                sa.text(
                    f"SELECT DISTINCT ON (finding_id) finding_id, decision, note, who, decided_at "
                    f"FROM {REVIEWS} ORDER BY finding_id, id DESC"
                ),
                conn,
            )

    # --- decisions -----------------------------------------------------------------------------

    def save_decision(
        self,
        kind: str,
        subject_id: str,
        decision: str,
        *,
        note: str = "",
        who: str = "",
        now: dt.datetime | None = None,
        actor: Actor | None = None,
    ) -> None:
        """Record a decision on a proposal row or a matrix row; same contract as
        :meth:`geo.store.gpkg.GeoPackageStore.save_decision`."""
        actor, stamp, audit = decision_checks(
            kind, subject_id, decision, note=note, now=now, actor=actor
        )
        columns = ("kind", *DECISION_COLUMNS)
        values = (kind, subject_id, decision, note, who, stamp)
        insert = f"INSERT INTO {DECISIONS} ({', '.join(columns)}) VALUES (:{', :'.join(columns)})"
        with self.engine.begin() as conn:
            self._audit(conn, audit)
            conn.execute(sa.text(insert), dict(zip(columns, values, strict=True)))

    def load_decisions(self, kind: str) -> pd.DataFrame:
        """The latest decision of ``kind`` per subject; same contract as
        :meth:`geo.store.gpkg.GeoPackageStore.load_decisions`."""
        latest = (
            f"SELECT DISTINCT ON (subject_id) {', '.join(DECISION_COLUMNS)} FROM {DECISIONS} "
            "WHERE kind = :kind ORDER BY subject_id, id DESC"
        )
        with self.engine.connect() as conn:
            return pd.read_sql_query(
                sa.text(latest), conn, params={"kind": check_decision_kind(kind)}
            )

    # --- findings and reference layers ---------------------------------------------------------

    def replace_findings(self, findings: gpd.GeoDataFrame, *, actor: Actor | None = None) -> None:
        """Store the latest overlap findings (EPSG:4326), replacing the previous run's; same
        contract as :meth:`geo.store.gpkg.GeoPackageStore.replace_findings`."""
        actor = check_admin(actor, "save findings")
        self._replace_layer(
            FINDINGS, findings, layer_row(actor, "replace_findings", FINDINGS, len(findings))
        )

    def load_findings(self) -> gpd.GeoDataFrame | None:
        """The stored overlap findings, or None before the first run."""
        return self._load_layer(FINDINGS)

    def replace_reference(
        self, kind: str, layer: gpd.GeoDataFrame, *, actor: Actor | None = None
    ) -> None:
        """Store (replacing) a reference layer in one transaction; same contract as
        :meth:`geo.store.gpkg.GeoPackageStore.replace_reference`."""
        table = reference_table(kind)
        actor = check_admin(actor, f"replace the {kind} reference layer")
        refuse_empty_layer(kind, layer, self.describe())
        self._replace_layer(
            table, layer.to_crs(_SRS_ID), layer_row(actor, "replace_reference", kind, len(layer))
        )

    # --- saved analyses ----------------------------------------------------------------------

    def data_key(self) -> str:
        """What the analyses depend on, as a short hex key: the uploads (id, file hash,
        options, records stored), the projects (count, last id) and each reference layer
        (its table, new at every replace, and count). Reviews and saved analyses leave it
        unchanged; same contract as :meth:`geo.store.GeoPackageStore.data_key`."""
        with self.engine.connect() as conn:
            parts: list[object] = [
                [
                    tuple(row)
                    for row in conn.execute(
                        sa.text(
                            f"SELECT id, sha256, options_sha256, stored FROM {UPLOADS} ORDER BY id"
                        )
                    )
                ],
                tuple(conn.execute(sa.text(f"SELECT COUNT(*), MAX(fid) FROM {PROJECTS}")).one()),
            ]
            for table in REFERENCE_TABLES.values():
                oid = conn.execute(
                    sa.text("SELECT CAST(to_regclass(:t) AS oid)"), {"t": table}
                ).scalar_one_or_none()
                count = None
                if oid is not None:
                    count = conn.execute(sa.text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()
                parts.append((table, oid, count))
        return data_fingerprint(parts)

    def save_analysis(
        self,
        kind: str,
        frame: pd.DataFrame,
        *,
        data_key: str,
        settings_key: str,
        actor: Actor | None = None,
    ) -> None:
        """Keep an analysis of the stored data, replacing the one of that kind saved before,
        audited; same contract as :meth:`geo.store.GeoPackageStore.save_analysis` (the write
        counter is left alone: the data did not change)."""
        payload = analysis_payload(check_analysis_kind(kind), frame)
        with self.engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"CREATE TABLE IF NOT EXISTS {SAVED_ANALYSES} (kind TEXT PRIMARY KEY, "
                    "data_key TEXT NOT NULL, settings_key TEXT NOT NULL, "
                    "saved_at TEXT NOT NULL, payload BYTEA NOT NULL)"
                )
            )
            conn.execute(
                sa.text(
                    f"INSERT INTO {SAVED_ANALYSES} VALUES (:kind, :data, :settings, :at, :payload) "
                    "ON CONFLICT (kind) DO UPDATE SET data_key = EXCLUDED.data_key, "
                    "settings_key = EXCLUDED.settings_key, saved_at = EXCLUDED.saved_at, "
                    "payload = EXCLUDED.payload"
                ),
                {
                    "kind": kind,
                    "data": data_key,
                    "settings": settings_key,
                    "at": utc_stamp(),
                    "payload": payload,
                },
            )
            self._audit(conn, analysis_row(actor, kind, len(frame)))

    def load_analysis(self, kind: str, *, data_key: str, settings_key: str) -> pd.DataFrame | None:
        """The analysis of ``kind`` saved for exactly this data and these settings, or None;
        same contract as :meth:`geo.store.GeoPackageStore.load_analysis`."""
        check_analysis_kind(kind)
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table(SAVED_ANALYSES):
                return None
            payload: bytes | None = conn.execute(
                sa.text(
                    f"SELECT payload FROM {SAVED_ANALYSES} WHERE kind = :kind "
                    "AND data_key = :data AND settings_key = :settings"
                ),
                {"kind": kind, "data": data_key, "settings": settings_key},
            ).scalar_one_or_none()
        return analysis_frame(payload) if payload is not None else None

    def audit_sign_in(self, name: str, action: str, *, client: str = "") -> None:
        """Audit a failed or refused sign-in; same contract as
        :meth:`geo.store.gpkg.GeoPackageStore.audit_sign_in`."""
        with self.engine.begin() as conn:
            self._audit(conn, sign_in_row(name, action, client))

    def is_demo(self) -> bool:
        """Always False: demo data is never written into a database."""
        return False

    def load_reference(self, kind: str) -> gpd.GeoDataFrame | None:
        """A stored reference layer in EPSG:4326, or None when there is none."""
        return self._load_layer(reference_table(kind))

    def _replace_layer(self, table: str, layer: gpd.GeoDataFrame, audit: dict) -> None:
        """Drop and recreate ``table`` in one transaction: readers see the old one until the
        commit."""
        with self.engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK_KEY})
            conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}"'))
            if layer.geometry.name != "geom":
                layer = layer.rename_geometry("geom")
            layer.to_postgis(table, conn, index=False)
            # The layer's table is new each time: counted here rather than by a trigger.
            conn.execute(sa.text(f"UPDATE {VERSION} SET writes = writes + 1 WHERE id = 1"))
            self._audit(conn, audit)

    def _load_layer(self, table: str) -> gpd.GeoDataFrame | None:
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table(table):
                return None
            frame = gpd.read_postgis(sa.text(f'SELECT * FROM "{table}"'), conn, geom_col="geom")
        return frame.rename_geometry("geometry")
