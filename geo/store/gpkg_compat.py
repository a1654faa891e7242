"""GeoPackages that older clients open: version 1.2 files with the R-tree triggers they expect.

GDAL 3.7 and later write GeoPackage 1.4 by default, whose R-tree index replaces the update
triggers ``update1`` and ``update3`` with ``update5``-``update7``. GDAL 3.6 (Debian 12, many
QGIS installs) knows only 1.2/1.3: its validator fails such a file ("Req 75:
rtree_<table>_geom_update1 trigger missing") and warns that 1.4 is only partially supported.
Files written as 1.2 get the older triggers from every GDAL, and both validators pass them.
"""

from __future__ import annotations

import sqlite3
from typing import Final

__all__ = [
    "GPKG_1_2_USER_VERSION",
    "GPKG_DATASET_OPTIONS",
    "GPKG_VERSION",
    "needs_legacy_triggers",
    "use_legacy_rtree_triggers",
]

#: GeoPackage version of the store and the exports (GDAL ``VERSION`` creation option).
GPKG_VERSION: Final[str] = "1.2"
#: ``PRAGMA user_version`` of a GeoPackage 1.2 file.
GPKG_1_2_USER_VERSION: Final[int] = 10200
#: GDAL dataset creation options for a new GeoPackage.
GPKG_DATASET_OPTIONS: Final[dict[str, str]] = {"VERSION": GPKG_VERSION}

_LEGACY_UPDATE1 = (
    'CREATE TRIGGER "{rtree}_update1" AFTER UPDATE OF "{geom}" ON "{table}" '
    'WHEN OLD."{pk}" = NEW."{pk}" AND (NEW."{geom}" NOTNULL AND NOT ST_IsEmpty(NEW."{geom}")) '
    'BEGIN INSERT OR REPLACE INTO "{rtree}" VALUES (NEW."{pk}", ST_MinX(NEW."{geom}"), '
    'ST_MaxX(NEW."{geom}"), ST_MinY(NEW."{geom}"), ST_MaxY(NEW."{geom}")); END'
)
_LEGACY_UPDATE3 = (
    'CREATE TRIGGER "{rtree}_update3" AFTER UPDATE ON "{table}" '
    'WHEN OLD."{pk}" != NEW."{pk}" AND (NEW."{geom}" NOTNULL AND NOT ST_IsEmpty(NEW."{geom}")) '
    'BEGIN DELETE FROM "{rtree}" WHERE id = OLD."{pk}"; INSERT OR REPLACE INTO "{rtree}" '
    'VALUES (NEW."{pk}", ST_MinX(NEW."{geom}"), ST_MaxX(NEW."{geom}"), ST_MinY(NEW."{geom}"), '
    'ST_MaxY(NEW."{geom}")); END'
)


def needs_legacy_triggers(conn: sqlite3.Connection) -> bool:
    """Whether the GeoPackage open on ``conn`` is newer than 1.2 (GDAL 3.6 would refuse it)."""
    return conn.execute("PRAGMA user_version").fetchone()[0] > GPKG_1_2_USER_VERSION


def use_legacy_rtree_triggers(conn: sqlite3.Connection) -> list[str]:
    """Turn a GeoPackage 1.4 file into a 1.2 one: the R-tree triggers of 1.2, version 1.2.

    Every spatial table's ``update5``-``update7`` triggers are replaced by the ``update1`` and
    ``update3`` triggers they superseded (same effect on the index; ``update2``/``update4``,
    insert and delete are the same in both versions). Run inside the caller's write
    transaction; GDAL then keeps writing 1.2 triggers for new tables in the file.

    Returns
    -------
    list of str
        The tables whose triggers were replaced.
    """
    changed = []
    indexed = conn.execute(
        "SELECT table_name, column_name FROM gpkg_extensions "
        "WHERE extension_name = 'gpkg_rtree_index'"
    ).fetchall()
    for table, geom in indexed:
        rtree = f"rtree_{table}_{geom}"
        triggers = {
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
            )
        }
        if f"{rtree}_update1" in triggers and f"{rtree}_update3" in triggers:
            continue
        pk = next(row[1] for row in conn.execute(f'PRAGMA table_info("{table}")') if row[5] == 1)
        for number in (5, 6, 7):
            conn.execute(f'DROP TRIGGER IF EXISTS "{rtree}_update{number}"')
        for sql in (_LEGACY_UPDATE1, _LEGACY_UPDATE3):
            conn.execute(sql.format(rtree=rtree, geom=geom, table=table, pk=pk))
        changed.append(table)
    conn.execute(f"PRAGMA user_version = {GPKG_1_2_USER_VERSION}")
    return changed
