"""Turn a read table into canonical project records, one report outcome per row.

Input is a GeoDataFrame in EPSG:4326 whose geometries already passed :mod:`geo.spatial.geometry`
checks; output holds :data:`geo.schema.RECORD_COLUMNS` plus ``source_layer``, ``source_row``
and geometry. Values are parsed by :mod:`geo.read.values`; a value that does not parse rejects its
record with the reason, it is never dropped or guessed silently.
"""

from __future__ import annotations

import dataclasses
import functools

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.read import values as v
from geo.read.import_report import ImportReport
from geo.schema import (
    RECORD_COLUMNS,
    ColumnMapping,
    is_blank,
    is_missing,
    money_unit,
    normalise_name,
)
from geo.settings import Settings
from geo.spatial.deck import deck_from_tags

__all__ = ["ALLOWED_KINDS", "BRIDGE_LINE_MAX_M", "build_records", "Given"]

#: Geometry kinds each asset type may be stored as (DESIGN section 3).
ALLOWED_KINDS = {
    "road": ("line", "point"),
    "bridge": ("point",),
    "irrigation": ("polygon", "point"),  # a geotagged work: one point
}
_KIND_FOR_GEOMETRY_ONLY = {"line": "road", "point": "bridge", "polygon": "irrigation"}
#: Below this a bridge drawn as a line is taken as a point at its middle, in metres (degrees are
#: converted with 111 km per degree: a bound, not a measurement).
BRIDGE_LINE_MAX_M = 500.0
#: Text fields of a record whose length is capped (:attr:`Settings.max_text_chars`).
_TEXT_FIELDS = ("name", "agency", "funding_source", "work_type", "status")


@dataclasses.dataclass(frozen=True)
class Given:
    """Values the user gave for the whole file (``--level``, ``--agency``, ``--asset``)."""

    level: str | None = None
    agency: str | None = None
    asset_type: str | None = None

    def fields(self) -> list[str]:
        """Names of the canonical fields given."""
        return [f.name for f in dataclasses.fields(self) if getattr(self, f.name)]


def build_records(
    frame: gpd.GeoDataFrame,
    rows: np.ndarray,
    kinds: np.ndarray,
    mapping: ColumnMapping,
    *,
    given: Given,
    layer: str,
    report: ImportReport,
    repairs: dict[int, list[str]],
    id_prefix: str,
    max_text_chars: int = Settings.max_text_chars,
) -> gpd.GeoDataFrame:
    """Build canonical records from ``frame``; add one outcome per row to ``report``.

    Parameters
    ----------
    frame
        Source columns plus geometry, EPSG:4326, positional rows aligned with ``rows``.
    rows
        1-based source row numbers, for the report.
    kinds
        Geometry kind per row (``point``/``line``/``polygon``/``mixed``).
    mapping
        Canonical field -> source column.
    given
        File-wide values from the user; they win over columns.
    layer
        Layer name for the report.
    report
        Receives one outcome per row.
    repairs
        Position -> repair notes already made to that row's geometry.
    id_prefix
        Prefix of ids made from row numbers when the file has no id column.
    max_text_chars
        Longest text a field may hold, in characters; a longer value rejects its record
        (:attr:`geo.settings.Settings.max_text_chars`).

    Returns
    -------
    GeoDataFrame
        Stored records (EPSG:4326) with ``source_layer`` and ``source_row``.
    """
    cols = mapping.columns
    geoms = np.asarray(frame.geometry.values, dtype=object)
    records: list[dict] = []
    kept_geoms: list[shapely.Geometry] = []
    # Plain dicts: positional pandas row access costs ~80 us a row, a dict lookup nothing.
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name)).to_dict("records")
    for pos, row in enumerate(table):
        notes = list(repairs.get(pos, []))
        raw_id = row[cols["project_id"]] if "project_id" in cols else None
        pid = "" if is_blank(raw_id) else _text(raw_id)
        if "project_id" not in cols:
            pid = f"{id_prefix}{rows[pos]}"
        try:
            if not pid:
                raise ValueError(f"no project id in column {cols['project_id']!r}")
            if len(pid) > max_text_chars:
                length, pid = len(pid), _shortened(pid)  # the report names it, not all of it
                raise ValueError(_too_long("project_id", max_text_chars, length))
            record = _parse_values(row, cols, given, pid)
            for field in _TEXT_FIELDS:
                if isinstance(record[field], str) and len(record[field]) > max_text_chars:
                    raise ValueError(_too_long(field, max_text_chars, len(record[field])))
            asset = _asset_type(row, cols, given, record, kinds[pos], notes)
            geom = _fit_geometry(geoms[pos], kinds[pos], asset, notes)
        except ValueError as exc:
            report.reject(layer, rows[pos], str(exc), pid)
            continue
        record["asset_type"] = asset
        record["source_layer"] = layer
        record["source_row"] = int(rows[pos])
        records.append(record)
        kept_geoms.append(geom)
        report.add(
            layer, rows[pos], pid, "repaired" if _is_repair(notes) else "stored", "; ".join(notes)
        )
    columns = list(RECORD_COLUMNS) + ["source_layer", "source_row"]
    if "contract_value_idr" in cols:
        columns.append("contract_value_idr")  # kept beside the budget (see geo.schema)
    if "deck" in cols:
        columns.append("deck")  # the road's deck (see geo.spatial.deck)
    _note_missing(frame, cols, layer, report)
    out = pd.DataFrame.from_records(records, columns=columns)
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(kept_geoms, crs="EPSG:4326"))


def _note_missing(frame: pd.DataFrame, cols: dict[str, str], layer: str, report) -> None:
    """One report line per optional amount column with records that leave it empty or write
    a placeholder (``-``, ``n/a``): stored without that value, not rejected."""
    for field, label in (("budget_idr", "budget (pagu)"), ("contract_value_idr", "contract value")):
        if field not in cols or cols[field] not in frame.columns:
            continue
        missing = int(frame[cols[field]].map(is_missing).sum())
        if missing:
            report.note(
                f"{layer}: {missing} records with no {label} in column {cols[field]!r} (empty, "
                "'-' or 'n/a'): stored without one"
            )


def _too_long(field: str, max_chars: int, length: int) -> str:
    return (
        f"{field}: {length:,} characters, more than the {max_chars:,} allowed — shorten it in "
        "the file (or raise PETA_MAX_TEXT_CHARS)"
    )


def _shortened(text: str, keep: int = 40) -> str:
    return text[:keep] + "…"


def _is_repair(notes: list[str]) -> bool:
    return any(n.startswith(("repaired", "bridge drawn as a line")) for n in notes)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _optional_text(row: dict, cols: dict[str, str], field: str) -> str | None:
    if field not in cols or is_missing(row[cols[field]]):
        return None
    return _text(row[cols[field]])


def _optional_amount(row: dict, cols: dict[str, str], field: str, label: str) -> float:
    """An optional amount in rupiah: NaN when blank or a placeholder (``-``, ``n/a``); times
    the money unit the column's name gives (``Pagu (Rp 000)``: thousands of rupiah)."""
    raw = row[cols[field]] if field in cols else None
    if is_missing(raw):
        return np.nan
    amount = v.parse_amount(raw)
    if amount < 0:
        raise ValueError(f"negative {label} {raw!r}")
    return amount * _money_factor(cols[field])


@functools.lru_cache(maxsize=64)
def _money_factor(column: str) -> float:
    """What the money unit in ``column``'s name multiplies its amounts by (once per column,
    not per record)."""
    return money_unit(normalise_name(column))[1]


def _parse_values(row: dict, cols: dict[str, str], given: Given, pid: str) -> dict:
    record: dict[str, object] = {"project_id": pid}
    name = _optional_text(row, cols, "name")
    record["name"] = name if name is not None else pid

    agency = given.agency or _optional_text(row, cols, "agency")
    if not agency:
        raise ValueError(f"no agency in column {cols['agency']!r}; pass --agency")
    record["agency"] = agency
    record["funding_source"] = _optional_text(row, cols, "funding_source")

    if given.level:
        record["level"] = given.level
    elif "level" in cols:
        raw = row[cols["level"]]
        if is_blank(raw):
            raise ValueError(f"no level in column {cols['level']!r}; pass --level")
        record["level"] = v.parse_level(raw)
    else:
        record["level"] = v.infer_level(agency, record["funding_source"])

    start_raw = row[cols["year_start"]]
    if is_missing(start_raw):
        raise ValueError(f"no year in column {cols['year_start']!r}")
    if cols["year_start"] == cols.get("date"):
        start = end = v.year_of_date(start_raw)
    else:
        start, end = v.parse_years(start_raw)
    if cols.get("year_end") and cols["year_end"] != cols["year_start"]:
        end_raw = row[cols["year_end"]]
        end = end if is_missing(end_raw) else v.parse_year(end_raw)
        if end < start:
            raise ValueError(f"year_end {end} is before year_start {start}")
    record["year_start"], record["year_end"] = start, end

    record["budget_idr"] = _optional_amount(row, cols, "budget_idr", "budget")
    if "contract_value_idr" in cols:
        record["contract_value_idr"] = _optional_amount(
            row, cols, "contract_value_idr", "contract value"
        )
    for field in ("work_type", "status"):
        record[field] = _optional_text(row, cols, field)
    if "deck" in cols:
        record["deck"] = deck_from_tags(layer=row[cols["deck"]])
    return record


def _asset_type(
    row: dict, cols: dict[str, str], given: Given, record: dict, kind: str, notes: list[str]
) -> str:
    if given.asset_type:
        return given.asset_type
    if "asset_type" in cols and not is_blank(row[cols["asset_type"]]):
        return v.parse_asset_type(row[cols["asset_type"]])
    fits = {a for a, kinds in ALLOWED_KINDS.items() if kind in kinds}
    fits |= {"bridge"} if kind == "line" else set()  # a bridge drawn as a short line
    named = [a for a in v.asset_keywords(record["name"], record.get("work_type")) if a in fits]
    if named:
        notes.append(f"asset type {named[0]} from the name")
        return named[0]
    if kind in _KIND_FOR_GEOMETRY_ONLY:
        asset = _KIND_FOR_GEOMETRY_ONLY[kind]
        notes.append(f"asset type {asset} from the geometry ({kind})")
        return asset
    raise ValueError(
        "asset type unclear: pass --asset or map a column with --map asset_type=COLUMN"
    )


def _fit_geometry(geom: shapely.Geometry, kind: str, asset: str, notes: list[str]):
    if kind in ALLOWED_KINDS[asset]:
        if asset == "road" and kind == "point":
            notes.append("road work given as one point (geotagging rule for works under 500 m)")
        if asset == "irrigation" and kind == "point":
            notes.append(
                "irrigation work given as one point (geotagging rule): stored as a point, "
                "compared by the Daerah Irigasi it lies in once D.I. are loaded"
            )
        if kind == "point" and shapely.get_type_id(geom) == 4:  # MultiPoint
            if shapely.get_num_geometries(geom) != 1:
                raise ValueError(f"{asset} given as {shapely.get_num_geometries(geom)} points")
            geom = shapely.get_geometry(geom, 0)
        return geom
    if asset == "bridge" and kind == "line":
        length_m = shapely.length(geom) * 111_000.0
        if length_m <= BRIDGE_LINE_MAX_M:
            notes.append(f"bridge drawn as a line (~{length_m:.0f} m): stored as its midpoint")
            return shapely.line_interpolate_point(shapely.line_merge(geom), 0.5, normalized=True)
        raise ValueError(f"bridge drawn as a line of ~{length_m:.0f} m: expected a point")
    wanted = " or ".join(ALLOWED_KINDS[asset])
    raise ValueError(f"{asset} needs a {wanted} geometry, got a {kind or 'missing'} geometry")
