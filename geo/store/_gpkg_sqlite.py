"""SQLite and GeoPackage plumbing of the GeoPackage store (:mod:`geo.store.gpkg`): write
transactions, GDAL's triggers set aside during bulk inserts, layers dropped and renamed with
their R-tree and ``gpkg_*`` rows, the store's own tables, and GeoPackage geometry blobs with the
``ST_*`` functions GDAL's triggers call."""

from __future__ import annotations

import contextlib
import sqlite3
import struct
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd
import shapely

from geo.store.tables import (
    AUDIT,
    AUDIT_COLUMNS,
    DECISION_COLUMNS,
    DECISIONS,
    PROJECTS,
    REVIEWS,
    SAVED_ANALYSES,
    UPLOADS,
    empty_decisions,
    extra_column_sql_type,
)

#: Every geometry of the store is in EPSG:4326.
SRS_ID = 4326


@contextlib.contextmanager
def per_row_triggers_set_aside(conn: sqlite3.Connection) -> Iterator[None]:
    """Drop GDAL's insert triggers on the projects table, and restore them as they were.

    Only inside a write transaction: readers never see the table without them.
    """
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
        "AND (name = ? OR name = ?)",
        (PROJECTS, f"rtree_{PROJECTS}_geom_insert", f"trigger_insert_feature_count_{PROJECTS}"),
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        conn.execute(sql)


@contextlib.contextmanager
def immediate_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction on ``conn`` (under the caller's lock); rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


#: GeoPackage tables that name a layer in their ``table_name`` column.
_GPKG_LAYER_TABLES = (
    "gpkg_contents",
    "gpkg_geometry_columns",
    "gpkg_ogr_contents",
    "gpkg_extensions",
    "gpkg_data_columns",
    "gpkg_metadata_reference",
)


def _gpkg_tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def drop_gpkg_table(conn: sqlite3.Connection, table: str) -> None:
    """Drop a GeoPackage layer with its R-tree index and its rows in the gpkg_* tables (its
    triggers go with the table). Inside the caller's transaction."""
    tables = _gpkg_tables(conn)
    if "gpkg_geometry_columns" in tables:
        for (column,) in conn.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)",
            (table,),
        ).fetchall():
            conn.execute(f'DROP TABLE IF EXISTS "rtree_{table}_{column}"')
    conn.execute(f'DROP TABLE IF EXISTS "{table}"')
    for meta in _GPKG_LAYER_TABLES:
        if meta in tables:
            conn.execute(f"DELETE FROM {meta} WHERE lower(table_name) = lower(?)", (table,))


def rename_gpkg_table(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Rename a GeoPackage layer written by GDAL, R-tree, triggers and gpkg_* rows included.

    The triggers are recreated under the new names (GDAL names them after the table, and
    validators look for those names). Inside the caller's transaction, so a reader sees the
    layer under one name or the other, never without it.
    """
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (old,)
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    columns = [
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (old,)
        )
    ]
    conn.execute(f'ALTER TABLE "{old}" RENAME TO "{new}"')
    for column in columns:
        conn.execute(f'ALTER TABLE "rtree_{old}_{column}" RENAME TO "rtree_{new}_{column}"')
    tables = _gpkg_tables(conn)
    for meta in _GPKG_LAYER_TABLES:
        if meta in tables:
            conn.execute(f"UPDATE {meta} SET table_name = ? WHERE table_name = ?", (new, old))
    conn.execute(
        "UPDATE gpkg_contents SET identifier = ? WHERE table_name = ? AND identifier = ?",
        (new, new, old),
    )
    for _, sql in triggers:
        conn.execute(sql.replace(old, new))


def insert_audit(conn: sqlite3.Connection, row: dict) -> None:
    conn.execute(
        f"INSERT INTO {AUDIT} ({', '.join(AUDIT_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(AUDIT_COLUMNS))})",
        [row[c] for c in AUDIT_COLUMNS],
    )


def ensure_extra_columns(conn: sqlite3.Connection, extras: Sequence[str]) -> None:
    """Add the optional project columns ``extras`` (:data:`EXTRA_COLUMNS`) the table lacks."""
    if not extras:
        return
    have = {row[1] for row in conn.execute(f"PRAGMA table_info({PROJECTS})")}
    for column in extras:
        if column not in have:
            sql_type = extra_column_sql_type(column, real="REAL")
            conn.execute(f"ALTER TABLE {PROJECTS} ADD COLUMN {column} {sql_type}")


def project_table_columns(conn: sqlite3.Connection) -> list[str]:
    """The columns the projects table has (none when there is no table yet)."""
    return [row[1] for row in conn.execute(f"PRAGMA table_info({PROJECTS})")]


def ensure_options_column(conn: sqlite3.Connection) -> None:
    """Give an uploads table made before reader options were kept its column (inside the
    caller's write transaction)."""
    columns = {row[1] for row in conn.execute(f"PRAGMA table_info({UPLOADS})")}
    if "options_sha256" not in columns:
        conn.execute(f"ALTER TABLE {UPLOADS} ADD COLUMN options_sha256 TEXT")


UPLOADS_SQL = f"""
CREATE TABLE IF NOT EXISTS {UPLOADS} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    options_sha256 TEXT,
    agency TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    features_read INTEGER NOT NULL,
    stored INTEGER NOT NULL,
    repaired INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    report TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS uploads_sha256 ON {UPLOADS}(sha256);
INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description)
    VALUES ('{UPLOADS}', 'attributes', '{UPLOADS}', 'Imported files and their reports');
"""


AUDIT_SQL = f"""
CREATE TABLE IF NOT EXISTS {AUDIT} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, who TEXT NOT NULL, role TEXT NOT NULL, agency TEXT NOT NULL,
    action TEXT NOT NULL, upload_id INTEGER, file_name TEXT, sha256 TEXT, detail TEXT
)
"""

SAVED_ANALYSES_SQL = f"""
CREATE TABLE IF NOT EXISTS {SAVED_ANALYSES} (
    kind TEXT PRIMARY KEY,
    data_key TEXT NOT NULL,
    settings_key TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    payload BLOB NOT NULL
)
"""

REVIEWS_TABLE_SQL = f"""
CREATE TABLE IF NOT EXISTS {REVIEWS} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    finding_id TEXT NOT NULL,
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    who TEXT NOT NULL,
    decided_at TEXT NOT NULL
)
"""


#: The decisions table and its index, and its line in ``gpkg_contents`` (QGIS lists it beside
#: the layers): one statement each, run inside the caller's write transaction.
DECISIONS_SQL: tuple[str, ...] = (
    f"""CREATE TABLE IF NOT EXISTS {DECISIONS} (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL, subject_id TEXT NOT NULL, decision TEXT NOT NULL,
        note TEXT NOT NULL, who TEXT NOT NULL, decided_at TEXT NOT NULL
    )""",
    f"CREATE INDEX IF NOT EXISTS decisions_subject ON {DECISIONS}(kind, subject_id)",
    "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description) "
    f"VALUES ('{DECISIONS}', 'attributes', '{DECISIONS}', 'Decisions on proposals and matrix rows')",
)


def has_table(conn: sqlite3.Connection, table: str) -> bool:
    """Whether the store has ``table``."""
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return row is not None


def insert_decision(conn: sqlite3.Connection, kind: str, values: tuple[str, ...]) -> None:
    """Add a decision (``values``: :data:`DECISION_COLUMNS`) of ``kind``, inside the caller's
    write transaction; the table is made first if the store predates it."""
    for statement in DECISIONS_SQL:
        conn.execute(statement)
    conn.execute(
        f"INSERT INTO {DECISIONS} (kind, {', '.join(DECISION_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?)",
        (kind, *values),
    )


def latest_decisions(conn: sqlite3.Connection, kind: str) -> pd.DataFrame:
    """The latest decision of ``kind`` per subject (:data:`DECISION_COLUMNS`), by subject id."""
    if not has_table(conn, DECISIONS):
        return empty_decisions()
    return pd.read_sql_query(
        f"SELECT {', '.join(DECISION_COLUMNS)} FROM {DECISIONS} d WHERE kind = ? AND id = "
        f"(SELECT MAX(id) FROM {DECISIONS} WHERE kind = d.kind AND subject_id = d.subject_id) "
        "ORDER BY subject_id",
        conn,
        params=(kind,),
    )


# --- GeoPackage geometry blobs ---------------------------------------------------------------

_HEADER_WITH_ENVELOPE = struct.Struct("<2sBBi4d")  # magic, version, flags, srs_id, envelope
_FLAGS_LE_XY_ENVELOPE = 0b0000_0011  # little-endian, envelope [minx, maxx, miny, maxy]


def gpkg_blobs(geoms: np.ndarray) -> list[bytes]:
    """Encode shapely geometries as GeoPackage binary (header with XY envelope + WKB)."""
    wkb = shapely.to_wkb(geoms, byte_order=1, flavor="iso")
    bounds = shapely.bounds(geoms)
    return [
        _HEADER_WITH_ENVELOPE.pack(b"GP", 0, _FLAGS_LE_XY_ENVELOPE, SRS_ID, x0, x1, y0, y1) + w
        for w, (x0, y0, x1, y1) in zip(wkb, bounds, strict=True)
    ]


def blob_envelope(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) of a GeoPackage blob, or None when empty or missing."""
    if blob is None or len(blob) < 8:
        return None
    flags = blob[3]
    if flags & 0b1_0000:  # empty geometry flag
        return None
    indicator = (flags >> 1) & 0b111
    order = "<" if flags & 1 else ">"
    if indicator:
        return struct.unpack_from(order + "4d", blob, 8)
    size = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[indicator]
    geom = shapely.from_wkb(bytes(blob[8 + size :]))
    x0, y0, x1, y1 = shapely.bounds(geom)
    return (x0, x1, y0, y1)


def _st(index: int):
    def func(blob):
        env = blob_envelope(blob)
        return None if env is None else env[index]

    return func


GPKG_FUNCTIONS = {
    "ST_IsEmpty": lambda blob: 1 if blob_envelope(blob) is None else 0,
    "ST_MinX": _st(0),
    "ST_MaxX": _st(1),
    "ST_MinY": _st(2),
    "ST_MaxY": _st(3),
}
