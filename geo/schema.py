"""The canonical project record (DESIGN section 3), its vocabularies and column mapping."""

from __future__ import annotations

#: Columns of a canonical project record, in order (geometry in EPSG:4326 last).
RECORD_COLUMNS: tuple[str, ...] = (
    "project_id",
    "name",
    "level",
    "agency",
    "asset_type",
    "work_type",
    "year_start",
    "year_end",
    "budget_idr",
    "funding_source",
    "status",
)
#: Provenance columns: every stored record traces back to the row it came from.
PROVENANCE_COLUMNS: tuple[str, ...] = ("upload_id", "source_file", "source_layer", "source_row")
PROJECT_COLUMNS: tuple[str, ...] = RECORD_COLUMNS + PROVENANCE_COLUMNS + ("geometry",)

LEVELS: tuple[str, ...] = ("pusat", "provinsi", "kabupaten", "desa")
ASSET_TYPES: tuple[str, ...] = ("road", "bridge", "irrigation")
