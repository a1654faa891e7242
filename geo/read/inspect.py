"""What a file holds before it is imported: layers, CRS, geometry types, columns, a mapping.

The upload wizard shows this first (DESIGN section 7) and pre-fills its column mapping from
:func:`suggest_mapping`; the import itself is :func:`geo.read.projects.read_projects` with the mapping the
user confirmed. Pure: no streamlit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from geo.read.projects import read_layers
from geo.schema import FIELD_SYNONYMS, money_unit, normalise_name
from geo.settings import DEFAULT_SETTINGS, Settings

__all__ = ["FileSummary", "inspect_file", "LayerSummary", "MAPPABLE_FIELDS", "suggest_mapping"]

#: Fields the wizard offers to map, in the order it shows them (``year`` covers both years).
MAPPABLE_FIELDS: tuple[str, ...] = (
    "project_id",
    "name",
    "level",
    "agency",
    "asset_type",
    "work_type",
    "year",
    "year_start",
    "year_end",
    "budget_idr",
    "contract_value_idr",
    "deck",
    "funding_source",
    "status",
    "date",
)


@dataclasses.dataclass(frozen=True)
class LayerSummary:
    """One layer of a file as read.

    Attributes
    ----------
    name
        Layer name (zip member / layer / sheet) as the import report names it.
    features
        Number of features (rows).
    crs
        The layer's CRS as ``EPSG:nnnn`` or its name; ``""`` when none is declared.
    crs_declared
        False when the file declares no CRS (the reader then checks the coordinates).
    geometry_types
        Geometry type -> count (``"none"`` for rows without geometry).
    columns
        Source column names (without the geometry).
    """

    name: str
    features: int
    crs: str
    crs_declared: bool
    geometry_types: dict[str, int]
    columns: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class FileSummary:
    """Every layer of a file and the reader's file-level notes (encoding, CRS, skipped parts)."""

    file_name: str
    layers: tuple[LayerSummary, ...]
    notes: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """Columns of all layers, each once, in order of appearance."""
        return tuple(dict.fromkeys(c for layer in self.layers for c in layer.columns))


def inspect_file(
    path: str | Path, *, display_name: str | None = None, settings: Settings = DEFAULT_SETTINGS
) -> FileSummary:
    """Read ``path`` as an upload is read and summarise it (nothing is stored).

    ``settings`` give the size caps (default :data:`geo.settings.DEFAULT_SETTINGS`).

    Raises
    ------
    geo.errors.GeoInputError
        The file is refused (unsafe, unreadable, unsupported, no layer with features).
    """
    layers, report = read_layers(Path(path), display_name=display_name, settings=settings)
    summaries = []
    for layer in layers:
        frame = layer.frame
        crs = frame.crs
        if crs is None:
            crs_text = ""
        else:
            epsg = crs.to_epsg()
            crs_text = f"EPSG:{epsg}" if epsg else crs.name
        kinds = frame.geometry.geom_type.fillna("none").value_counts()
        summaries.append(
            LayerSummary(
                name=layer.name,
                features=len(frame),
                crs=crs_text,
                crs_declared=layer.crs_declared,
                geometry_types={str(k): int(v) for k, v in kinds.items()},
                columns=tuple(str(c) for c in frame.columns if c != frame.geometry.name),
            )
        )
    return FileSummary(
        file_name=display_name or Path(path).name,
        layers=tuple(summaries),
        notes=tuple(report.notes),
    )


def suggest_mapping(columns: Iterable[str]) -> dict[str, str]:
    """Field -> column for every field exactly one column's name is a synonym of.

    Ambiguous fields (several candidate columns) are left out: the user chooses (DESIGN
    section 3: never guessed silently).

    >>> suggest_mapping(["KD_PAKET", "NM_PAKET", "TA", "Pagu (Rp)", "nama", "uraian"])
    {'project_id': 'KD_PAKET', 'year': 'TA', 'budget_idr': 'Pagu (Rp)'}
    >>> suggest_mapping(["Kode Paket", "Nilai Kontrak (Ribu Rupiah)"])["contract_value_idr"]
    'Nilai Kontrak (Ribu Rupiah)'

    """
    by_norm: dict[str, list[str]] = {}
    by_base: dict[str, list[str]] = {}  # the name without a money unit after it
    for column in columns:
        by_norm.setdefault(normalise_name(column), []).append(column)
        by_base.setdefault(money_unit(normalise_name(column))[0], []).append(column)
    mapping: dict[str, str] = {}
    for field in MAPPABLE_FIELDS:
        for lookup in (by_norm, by_base):
            found = list(
                dict.fromkeys(c for syn in FIELD_SYNONYMS[field] for c in lookup.get(syn, []))
            )
            if found:
                break
        if len(found) == 1:
            mapping[field] = found[0]
    return mapping
