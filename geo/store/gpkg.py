"""The project store: one GeoPackage file (DESIGN section 6), opened in QGIS as it is.

Writes go through SQLite directly so that an import is one transaction — all of it lands or
none of it — and writers from several processes are serialised by a file lock plus
``BEGIN IMMEDIATE`` (GDAL's own appends lose rows under concurrency). GDAL's R-tree and
feature-count triggers stay in place: the SQL functions they call (``ST_MinX`` ...) are
registered on our connection, so QGIS sees a consistent index and count. Reads use pyogrio.

The public methods form the store interface a PostGIS backend will implement too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.auth import Actor, check_admin, check_review, check_write
from geo.errors import GeoInputError
from geo.finding_ids import FindingRef
from geo.read.import_report import ImportReport
from geo.read.projects import ReadResult
from geo.schema import EXTRA_COLUMNS, RECORD_COLUMNS
from geo.store._gpkg_sqlite import (
    AUDIT_SQL,
    DECISIONS_SQL,
    GPKG_FUNCTIONS,
    REVIEWS_TABLE_SQL,
    SAVED_ANALYSES_SQL,
    UPLOADS_SQL,
    drop_gpkg_table,
    ensure_extra_columns,
    ensure_options_column,
    gpkg_blobs,
    has_table,
    immediate_transaction,
    insert_audit,
    insert_decision,
    latest_decisions,
    per_row_triggers_set_aside,
    project_table_columns,
    rename_gpkg_table,
)
from geo.store.gpkg_compat import (
    GPKG_DATASET_OPTIONS,
    needs_legacy_triggers,
    use_legacy_rtree_triggers,
)
from geo.store.tables import (
    AUDIT,
    AUDIT_COLUMNS,
    DECISIONS,
    FINDINGS,
    META,
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
    data_fingerprint,
    decision_checks,
    deletion_row,
    empty_projects,
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

_SRS_ID = 4326
_BUSY_TIMEOUT_S = 300.0


class GeoPackageStore:
    """Projects, uploads and reference layers in one GeoPackage file.

    Parameters
    ----------
    path
        The ``.gpkg`` file; created with its tables on first use.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock_path = self.path.with_name(self.path.name + ".lock")
        self._ensure_created()
        self._ensure_current()

    def close(self) -> None:
        """Nothing to close: every call opens and closes its own connection."""

    def describe(self) -> str:
        """Where the store is, for messages: the file path."""
        return str(self.path)

    def version(self) -> tuple[int, ...]:
        """What changes with every write to the store, from any process (or QGIS).

        Returns
        -------
        tuple of int
            Modification time (ns) and size of the file and of its write-ahead log: the
            GeoPackage runs in WAL mode, so a new import may land in ``<store>-wal`` and leave
            the main file untouched until SQLite checkpoints it.
        """
        version: list[int] = []
        for path in (self.path, self.path.with_name(self.path.name + "-wal")):
            if path.exists():
                stat = path.stat()
                version += [stat.st_mtime_ns, stat.st_size]
        return tuple(version)

    # --- creation and locking ----------------------------------------------------------------

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        """Serialise writers across processes (GDAL and SQLite alike)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _ensure_created(self) -> None:
        if self._has_tables():
            return
        with self._write_lock():
            if self._has_tables():
                return
            pyogrio.write_dataframe(
                empty_projects(),
                self.path,
                layer=PROJECTS,
                driver="GPKG",
                geometry_type="Unknown",
                dataset_options=GPKG_DATASET_OPTIONS,
            )
            with self._connect() as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(UPLOADS_SQL)
                conn.execute(
                    f"CREATE UNIQUE INDEX IF NOT EXISTS projects_agency_id ON {PROJECTS}"
                    "(agency, project_id)"
                )
                conn.execute(f"CREATE INDEX IF NOT EXISTS projects_upload ON {PROJECTS}(upload_id)")

    def _ensure_current(self) -> None:
        """Bring a store made by an earlier version up to date: the GeoPackage 1.2 triggers
        (a store made as 1.4 before 1.2 was asked for, for GDAL 3.6) and the decisions table."""
        with self._connect() as conn:
            if not needs_legacy_triggers(conn) and has_table(conn, DECISIONS):
                return
        try:
            with self._transaction() as conn:
                if needs_legacy_triggers(conn):
                    use_legacy_rtree_triggers(conn)
                for statement in DECISIONS_SQL:
                    conn.execute(statement)
        except (sqlite3.OperationalError, OSError):
            # a store this process may only read stays as it is: readable, not yet mended
            return

    def _has_tables(self) -> bool:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return False
        try:
            with contextlib.closing(self._raw_connect()) as conn:
                names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError:
            raise GeoInputError(
                f"{self.path}: not a GeoPackage store; set PETA_STORE to a Peta Sinergi store "
                "or move this file away so a new store is made there"
            ) from None
        return {PROJECTS, UPLOADS} <= names

    def _raw_connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout={int(_BUSY_TIMEOUT_S * 1000)}")
        for fname, func in GPKG_FUNCTIONS.items():
            conn.create_function(fname, 1, func, deterministic=True)
        return conn

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = self._raw_connect()
        try:
            yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction under the cross-process lock; rolled back on any error."""
        with self._write_lock(), self._connect() as conn, immediate_transaction(conn):
            yield conn

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

        Parameters
        ----------
        result
            What :func:`geo.read.projects.read_projects` returned (records in EPSG:4326).
        replace
            Replace this agency's earlier uploads of a file with the same name (and an earlier
            import of the very same file) instead of refusing their project ids.
        now
            Upload time (UTC); defaults to the current time.
        actor
            Who imports (:mod:`geo.auth`): an editor only for their own agency; None is the
            machine's operator. Recorded in the audit trail.

        Returns
        -------
        ImportOutcome
            With the report updated for records the store refused.

        Raises
        ------
        geo.errors.NothingStored
            Every record was rejected (by the reader, or as ids already stored): nothing is
            written, and uploads it would replace stay.
        geo.errors.PermissionDenied
            The actor may not write these agencies' records (or replace those uploads).
        """
        report = result.report
        projects = result.projects
        refuse_empty_import(projects, report)
        agencies = sorted(set(projects["agency"]))
        agency_text = "; ".join(agencies)
        actor = check_write(actor, agencies, f"import {report.source_file}")
        stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        with self._transaction() as conn:
            conn.execute(AUDIT_SQL)
            ensure_options_column(conn)
            same_file = conn.execute(
                f"SELECT id, options_sha256 FROM {UPLOADS} WHERE sha256 = ? ORDER BY id",
                (result.sha256,),
            ).fetchall()
            same, other = same_file_uploads(same_file, result.options_sha256)
            if same is not None and not replace:
                return ImportOutcome(same, self._report_of(conn, same), True)
            replaced = self._replaced_uploads(conn, result, agencies) if replace else other
            for upload_id in replaced:
                owner = conn.execute(
                    f"SELECT agency FROM {UPLOADS} WHERE id = ?", (upload_id,)
                ).fetchone()[0]
                check_write(actor, owner.split("; "), f"replace upload {upload_id}")
                conn.execute(f"DELETE FROM {PROJECTS} WHERE upload_id = ?", (upload_id,))
                conn.execute(f"DELETE FROM {UPLOADS} WHERE id = ?", (upload_id,))
            projects = self._refuse_stored_ids(conn, projects, report)
            refuse_empty_import(projects, report)
            counts = report.counts
            cursor = conn.execute(
                f"INSERT INTO {UPLOADS} (file_name, sha256, options_sha256, agency, uploaded_at, "
                "features_read, stored, repaired, rejected, report) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    report.source_file,
                    result.sha256,
                    result.options_sha256,
                    agency_text,
                    stamp,
                    counts["read"],
                    counts["stored"],
                    counts["repaired"],
                    counts["rejected"],
                    report.to_json(),
                ),
            )
            assert cursor.lastrowid is not None  # an INSERT always sets it
            upload_id = int(cursor.lastrowid)
            self._insert_projects(conn, projects, upload_id, report.source_file)
            insert_audit(
                conn,
                audit_row(actor, "import", stamp, upload_id, report, result.sha256, replaced),
            )
        return ImportOutcome(upload_id, report, False, tuple(replaced), bool(other) and not replace)

    @staticmethod
    def _replaced_uploads(conn, result: ReadResult, agencies: list[str]) -> list[int]:
        rows = conn.execute(
            f"SELECT id, agency, sha256 FROM {UPLOADS} WHERE sha256 = ? OR file_name = ?",
            (result.sha256, result.report.source_file),
        ).fetchall()
        return replaced_uploads(rows, result, agencies)

    @staticmethod
    def _refuse_stored_ids(conn, projects: gpd.GeoDataFrame, report: ImportReport):
        if projects.empty:
            return projects
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS incoming (agency TEXT, project_id TEXT)")
        conn.execute("DELETE FROM incoming")
        conn.executemany(
            "INSERT INTO incoming VALUES (?, ?)",
            projects[["agency", "project_id"]].itertuples(index=False),
        )
        clashes = conn.execute(
            f"SELECT p.agency, p.project_id, p.upload_id, u.file_name FROM {PROJECTS} p "
            f"JOIN incoming i ON p.agency = i.agency AND p.project_id = i.project_id "
            f"JOIN {UPLOADS} u ON u.id = p.upload_id"
        ).fetchall()
        return refuse_stored_ids(projects, report, clashes)

    @staticmethod
    def _insert_projects(conn, projects: gpd.GeoDataFrame, upload_id: int, file_name: str):
        if projects.empty:
            return
        geoms = np.asarray(projects.geometry.values, dtype=object)
        blobs = gpkg_blobs(geoms)
        extras = [c for c in EXTRA_COLUMNS if c in projects.columns]
        ensure_extra_columns(conn, extras)
        columns = list(RECORD_COLUMNS) + ["upload_id", "source_file", "source_layer", "source_row"]
        columns += extras
        frame = projects.assign(upload_id=upload_id, source_file=file_name)[columns]
        frame = frame.astype(object).where(frame.notna(), None)
        rows = [
            (blob, *values)
            for blob, values in zip(blobs, frame.itertuples(index=False, name=None), strict=True)
        ]
        names = ", ".join(["geom", *columns])
        marks = ", ".join("?" * (len(columns) + 1))
        # GDAL's per-row triggers (R-tree entry, feature count) call back into Python five
        # times a row; inside this transaction they are set aside and their work done in bulk
        # (an error rolls the transaction back, triggers included).
        with per_row_triggers_set_aside(conn):
            conn.executemany(f"INSERT INTO {PROJECTS} ({names}) VALUES ({marks})", rows)
            # This upload's rows, in the order inserted (fids only grow).
            fids = np.array(
                conn.execute(
                    f"SELECT fid FROM {PROJECTS} WHERE upload_id = ? ORDER BY fid", (upload_id,)
                ).fetchall(),
                dtype=np.int64,
            ).reshape(-1)
            located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
            xmin, ymin, xmax, ymax = shapely.bounds(geoms[located]).T
            conn.executemany(
                f"INSERT OR REPLACE INTO rtree_{PROJECTS}_geom VALUES (?, ?, ?, ?, ?)",
                zip(fids[located].tolist(), xmin, xmax, ymin, ymax, strict=True),
            )
            conn.execute(
                "UPDATE gpkg_ogr_contents SET feature_count = feature_count + ? "
                "WHERE lower(table_name) = lower(?)",
                (len(rows), PROJECTS),
            )

    @staticmethod
    def _report_of(conn, upload_id: int) -> ImportReport:
        text = conn.execute(f"SELECT report FROM {UPLOADS} WHERE id = ?", (upload_id,)).fetchone()
        return ImportReport.from_json(text[0])

    def delete_upload(self, upload_id: int, *, actor: Actor | None = None) -> int:
        """Delete an upload and its records; return how many records went.

        An editor may delete only their own agency's uploads (:mod:`geo.auth`).
        """
        with self._transaction() as conn:
            conn.execute(AUDIT_SQL)
            row = conn.execute(
                f"SELECT agency, file_name, sha256 FROM {UPLOADS} WHERE id = ?", (upload_id,)
            ).fetchone()
            if row is None:
                raise GeoInputError(f"{self.path.name}: no upload {upload_id}")
            actor = check_write(actor, row[0].split("; "), f"delete upload {upload_id}")
            n = conn.execute(f"DELETE FROM {PROJECTS} WHERE upload_id = ?", (upload_id,)).rowcount
            conn.execute(f"DELETE FROM {UPLOADS} WHERE id = ?", (upload_id,))
            stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            insert_audit(conn, deletion_row(actor, stamp, upload_id, row[1], row[2], n))
        return n

    def audit_log(self) -> pd.DataFrame:
        """Every import, replace and delete: :data:`AUDIT_COLUMNS`, oldest first."""
        with self._connect() as conn:
            # A read never writes: the table comes with the first audited write.
            exists = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (AUDIT,)
            ).fetchone()
            if not exists:
                return pd.DataFrame({c: pd.Series(dtype=object) for c in AUDIT_COLUMNS})
            return pd.read_sql_query(
                f"SELECT {', '.join(AUDIT_COLUMNS)} FROM {AUDIT} ORDER BY id", conn
            )

    # --- reads ---------------------------------------------------------------------------------

    def load_projects(self, *, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
        """All stored project records: :data:`PROJECT_COLUMNS` (or only ``columns`` of them
        and the geometry: a national analysis reads half the bytes), EPSG:4326."""
        with self._connect() as conn:
            wanted = project_columns(columns, present=project_table_columns(conn))
        frame = pyogrio.read_dataframe(
            self.path,
            layer=PROJECTS,
            use_arrow=True,
            columns=[c for c in wanted if c != "geometry"],
        )
        frame = frame.rename_geometry("geometry") if frame.geometry.name != "geometry" else frame
        return with_columns(frame, wanted, self.describe())

    def load_projects_near(self, geoms: np.ndarray, distance_m: float) -> gpd.GeoDataFrame:
        """Stored projects whose bounding boxes come within ``distance_m`` of those of ``geoms``.

        Found through the GeoPackage's R-tree, so a new upload is checked against its
        neighbourhood without reading the whole store.

        Parameters
        ----------
        geoms
            Geometries in EPSG:4326.
        distance_m
            Reach around each bounding box, metres (searched in degrees, never too short).

        Returns
        -------
        geopandas.GeoDataFrame
            :data:`PROJECT_COLUMNS`, EPSG:4326; every candidate within reach, maybe a few more.
        """
        boxes = near_boxes(geoms, distance_m)
        with self._connect() as conn:
            conn.execute("CREATE TEMP TABLE near (minx REAL, maxx REAL, miny REAL, maxy REAL)")
            conn.executemany("INSERT INTO near VALUES (?, ?, ?, ?)", boxes.tolist())
            # CROSS JOIN keeps the boxes outside: one R-tree search per box, not a scan.
            fids = np.array(
                [
                    row[0]
                    for row in conn.execute(
                        f"SELECT DISTINCT r.id FROM near n CROSS JOIN rtree_{PROJECTS}_geom r "
                        "ON r.minx <= n.maxx AND r.maxx >= n.minx "
                        "AND r.miny <= n.maxy AND r.maxy >= n.miny"
                    )
                ],
                dtype=np.int64,
            )
            wanted = project_columns(present=project_table_columns(conn))
        if not len(fids):
            return empty_projects()
        frame = pyogrio.read_dataframe(
            self.path, layer=PROJECTS, fids=np.sort(fids), use_arrow=True
        )
        frame = frame.rename_geometry("geometry") if frame.geometry.name != "geometry" else frame
        return frame[wanted]

    def list_uploads(self) -> pd.DataFrame:
        """Uploads with file name, sha256, agency, time and counts (without the reports)."""
        with self._connect() as conn:
            return pd.read_sql_query(
                f"SELECT id, file_name, sha256, agency, uploaded_at, features_read, stored, "
                f"repaired, rejected FROM {UPLOADS} ORDER BY id",
                conn,
            )

    def upload_report(self, upload_id: int) -> ImportReport:
        """The whole import report saved with an upload (every note and record).

        Raises
        ------
        GeoInputError
            There is no such upload (the message lists the uploads there are).
        """
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT report FROM {UPLOADS} WHERE id = ?", (int(upload_id),)
            ).fetchone()
            if row is None:
                ids = [r[0] for r in conn.execute(f"SELECT id FROM {UPLOADS} ORDER BY id")]
                raise no_such_upload(self.describe(), upload_id, ids)
        return ImportReport.from_json(row[0])

    def table_counts(self) -> dict[str, int]:
        """Row count of every store table (for checks that a failed import changed nothing)."""
        with self._connect() as conn:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT table_name FROM gpkg_contents UNION SELECT ?", (UPLOADS,)
                )
            ]
            return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}

    # --- findings ------------------------------------------------------------------------------

    def replace_findings(self, findings: gpd.GeoDataFrame, *, actor: Actor | None = None) -> None:
        """Store the latest overlap findings (EPSG:4326), replacing the previous run's.

        The new table is written beside the old one and swapped in by one transaction:
        readers see the old findings or the new ones, and a writer killed half-way leaves
        the old ones. Administrators only (None: the machine's operator); audited.

        Raises
        ------
        geo.errors.PermissionDenied
            The actor is not an administrator.
        """
        actor = check_admin(actor, "save findings")
        self._swap_layer(
            FINDINGS,
            findings,
            layer_row(actor, "replace_findings", FINDINGS, len(findings)),
            geometry_type="Unknown",
        )

    def load_findings(self) -> gpd.GeoDataFrame | None:
        """The stored overlap findings, or None before the first run."""
        if FINDINGS not in {name for name, _ in pyogrio.list_layers(self.path)}:
            return None
        return pyogrio.read_dataframe(self.path, layer=FINDINGS)

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
        """Record a review decision on a finding; earlier decisions stay as history.

        Parameters
        ----------
        finding
            The finding: its stable id (``TT-...`` overlaps, ``KW-...`` authority) with the
            projects it was made from. The store checks that the id is theirs and that they
            are stored, and takes the parties (their agencies) from the stored records.
        decision
            One of :data:`REVIEW_DECISIONS`.
        note, who
            Free text: the meeting's note and the reviewer's name or agency.
        now
            Time of the decision (UTC); defaults to the current time.
        actor
            Who decides: an editor reviews only findings of their own agency
            (:func:`geo.auth.check_review`). Audited.

        Raises
        ------
        GeoInputError
            An unknown decision, or a finding that is not one of stored projects;
            PermissionDenied (a GeoInputError) when the actor may not review it.
        """
        stamp = review_checks(finding, decision, now=now)
        finding_id = finding.finding_id
        with self._transaction() as conn:
            stored = [
                conn.execute(
                    f"SELECT agency FROM {PROJECTS} WHERE agency = ? AND project_id = ?",
                    (str(agency), str(project_id)),
                ).fetchone()
                for agency, project_id in finding.projects
            ]
            agencies = finding_parties(finding, stored, self.describe())
            actor = check_review(actor, agencies, str(finding_id))
            conn.execute(AUDIT_SQL)
            insert_audit(conn, review_row(actor, stamp, finding_id, decision, note))
            # Created on first use, so stores made before reviews existed gain the table;
            # registered as an attribute table so QGIS lists it beside the layers.
            conn.execute(REVIEWS_TABLE_SQL)
            conn.execute(
                "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
                "description) VALUES (?, 'attributes', ?, 'Review decisions on findings')",
                (REVIEWS, REVIEWS),
            )
            conn.execute(
                f"INSERT INTO {REVIEWS} (finding_id, decision, note, who, decided_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (str(finding_id), decision, note, who, stamp),
            )

    def load_reviews(self) -> pd.DataFrame:
        """The latest decision per finding: finding_id, decision, note, who, decided_at."""
        columns = ["finding_id", "decision", "note", "who", "decided_at"]
        with self._connect() as conn:
            if not has_table(conn, REVIEWS):
                return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
            return pd.read_sql_query(
                f"SELECT {', '.join(columns)} FROM {REVIEWS} r WHERE id = "
                f"(SELECT MAX(id) FROM {REVIEWS} WHERE finding_id = r.finding_id) "
                "ORDER BY finding_id",
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
        """Record a decision on a proposal row or a matrix row; earlier ones stay as history.
        Editors and administrators; audited (:meth:`geo.store.protocol.Store.save_decision`)."""
        actor, stamp, audit = decision_checks(
            kind, subject_id, decision, note=note, now=now, actor=actor
        )
        with self._transaction() as conn:
            conn.execute(AUDIT_SQL)
            insert_audit(conn, audit)
            insert_decision(conn, kind, (subject_id, decision, note, who, stamp))

    def load_decisions(self, kind: str) -> pd.DataFrame:
        """The latest decision of ``kind`` per subject: subject_id, decision, note, who,
        decided_at (UTC), by subject id."""
        check_decision_kind(kind)
        with self._connect() as conn:
            return latest_decisions(conn, kind)

    # --- reference layers ----------------------------------------------------------------------

    def replace_reference(
        self, kind: str, layer: gpd.GeoDataFrame, *, actor: Actor | None = None
    ) -> None:
        """Store (replacing) a reference layer: ``roads``, ``irrigation_areas``, ``admin_units``.

        ``layer`` is reprojected to EPSG:4326. The new table is written beside the old one and
        swapped in by one transaction: readers see the old layer or the new one, and a writer
        killed half-way leaves the old one. Administrators only (None: the machine's
        operator); audited.

        Raises
        ------
        geo.errors.NothingStored
            ``layer`` is empty: the stored layer is kept.
        geo.errors.PermissionDenied
            The actor is not an administrator.
        """
        table = reference_table(kind)
        actor = check_admin(actor, f"replace the {kind} reference layer")
        refuse_empty_layer(kind, layer, self.describe())
        self._swap_layer(
            table, layer.to_crs(_SRS_ID), layer_row(actor, "replace_reference", kind, len(layer))
        )

    def _swap_layer(
        self, table: str, frame: gpd.GeoDataFrame, audit: dict, geometry_type: str | None = None
    ) -> None:
        """Replace ``table`` by ``frame`` in one transaction (see :func:`rename_gpkg_table`)."""
        staging = f"{table}__new"
        with self._write_lock():
            with self._connect() as conn, immediate_transaction(conn):
                drop_gpkg_table(conn, staging)  # left by a writer killed before its swap
            pyogrio.write_dataframe(
                frame,
                self.path,
                layer=staging,
                driver="GPKG",
                promote_to_multi=False,
                **({"geometry_type": geometry_type} if geometry_type else {}),
            )
            with self._connect() as conn, immediate_transaction(conn):
                drop_gpkg_table(conn, table)
                rename_gpkg_table(conn, staging, table)
                conn.execute(AUDIT_SQL)
                insert_audit(conn, audit)

    def audit_sign_in(self, name: str, action: str, *, client: str = "") -> None:
        """Audit a failed (``sign_in_failed``) or refused (``sign_in_locked``) sign-in."""
        with self._transaction() as conn:
            conn.execute(AUDIT_SQL)
            insert_audit(conn, sign_in_row(name, action, client))

    # --- saved analyses ----------------------------------------------------------------------

    def data_key(self) -> str:
        """What the analyses depend on, as a short hex key: the uploads (id, file hash,
        options, records stored), the projects table (count, last id, last change by GDAL or
        QGIS) and each reference layer (count, last change). Reviews, audit lines and saved
        analyses leave it unchanged; any import, delete, replace or edit changes it."""
        with self._connect() as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            parts: list[object] = [
                conn.execute(
                    f"SELECT id, sha256, options_sha256, stored FROM {UPLOADS} ORDER BY id"
                ).fetchall(),
                conn.execute(f"SELECT COUNT(*), MAX(fid) FROM {PROJECTS}").fetchone(),
            ]
            for table in (PROJECTS, *REFERENCE_TABLES.values()):
                if table in tables:
                    parts.append(
                        conn.execute(
                            "SELECT table_name, last_change FROM gpkg_contents "
                            "WHERE table_name = ?",
                            (table,),
                        ).fetchone()
                    )
                    parts.append(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone())
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
        """Keep an analysis of the stored data (:data:`ANALYSIS_KINDS`), replacing the one of
        that kind saved before, with the :meth:`data_key` and settings it was computed for.

        Results computed from the stored records, not anyone's decision: kept without a
        permission check, read back only for the same data and settings
        (:meth:`load_analysis`). Audited (who was using the store, ``actor``; None: the
        machine's operator). One transaction: a reader sees the old one or the new.
        """
        payload = analysis_payload(check_analysis_kind(kind), frame)
        with self._transaction() as conn:
            conn.execute(SAVED_ANALYSES_SQL)
            conn.execute(
                f"INSERT OR REPLACE INTO {SAVED_ANALYSES} VALUES (?, ?, ?, ?, ?)",
                (kind, data_key, settings_key, utc_stamp(), payload),
            )
            conn.execute(AUDIT_SQL)
            insert_audit(conn, analysis_row(actor, kind, len(frame)))

    def load_analysis(self, kind: str, *, data_key: str, settings_key: str) -> pd.DataFrame | None:
        """The analysis of ``kind`` saved for exactly this data and these settings, or None
        (none saved, or saved for other data or settings)."""
        check_analysis_kind(kind)
        with self._connect() as conn:
            if not has_table(conn, SAVED_ANALYSES):
                return None
            row = conn.execute(
                f"SELECT payload FROM {SAVED_ANALYSES} WHERE kind = ? AND data_key = ? "
                "AND settings_key = ?",
                (kind, data_key, settings_key),
            ).fetchone()
        return analysis_frame(row[0]) if row else None

    # --- demo marker -----------------------------------------------------------------------------

    def mark_demo(self) -> None:
        """Mark this store as the illustrative demo store (:func:`geo.demo.build_demo`)."""
        with self._transaction() as conn:
            conn.execute(f"CREATE TABLE IF NOT EXISTS {META} (key TEXT PRIMARY KEY, value TEXT)")
            conn.execute(f"INSERT OR REPLACE INTO {META} VALUES ('demo', 'true')")

    def is_demo(self) -> bool:
        """True for a store :meth:`mark_demo` marked: only there may the app run without
        accounts as an anonymous administrator."""
        with self._connect() as conn:
            if not has_table(conn, META):
                return False
            row = conn.execute(f"SELECT value FROM {META} WHERE key = 'demo'").fetchone()
        return bool(row and row[0] == "true")

    def load_reference(self, kind: str) -> gpd.GeoDataFrame | None:
        """A stored reference layer in EPSG:4326, or None when there is none."""
        table = reference_table(kind)
        if table not in {name for name, _ in pyogrio.list_layers(self.path)}:
            return None
        return pyogrio.read_dataframe(self.path, layer=table)


__all__ = ["GeoPackageStore"]
