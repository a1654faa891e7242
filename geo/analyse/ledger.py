"""The budget at stake, totalled: shared km and rupiah of overlap findings per kabupaten/kota,
per province, per pair of levels, per year and per kind of finding (issue 18, point 4).

Every total row lists the finding ids and the project records it sums, so a meeting can trace
a figure to its findings and the findings to the agencies' rows. The totals reconcile: in each
breakdown every finding is counted in exactly one row, so the rows of a breakdown add up to
the grand total. The rules that make this so:

- **kabupaten/kota**: a finding belongs to the administrative unit holding the largest part of
  its shared geometry (area for a shared irrigation area, else length, measured in metres in
  the UTM zone of each piece; a bridge point to the unit it lies in); equal parts go to the
  smaller ``unit_id``. A finding outside every unit is in the row with an empty key. A
  stretch crossing a boundary is never split nor counted twice.
- **province**: the province of that unit, read from the first two digits of its Kemendagri
  (or BPS) code, named by the layer's province unit of that code when it holds one.
- **level pair**: ``level_a-level_b`` (project a is the higher level, ``pusat-provinsi``).
- **year**: the later of both projects' first budget years: the first year both are funded
  (an overlap), or the year the stretch is funded again (repeat funding).
- **kind**: ``overlap`` (tumpang tindih) or ``repeat`` (pendanaan berulang). Cross-type
  findings (a bridge on a road) are informational and have no rupiah at stake: not totalled.

A finding's rupiah at stake is capped at the smaller of both projects' pagu
(:func:`geo.analyse.overlap.cap_at_stake_idr`): the money at stake in a pair can be no more
than either side spends. A finding without a pagu counts with zero rupiah.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analyse.overlap import cap_at_stake_idr
from geo.spatial.crs import area_m2, length_m

if TYPE_CHECKING:
    from geo.analyse.run import Analysis

__all__ = [
    "BREAKDOWNS",
    "budget_ledger",
    "LEDGER_COLUMNS",
    "LEDGER_KINDS",
    "ledger_of",
    "ledger_unit_level",
    "unit_of_findings",
]

#: The breakdowns of the ledger, in the order its rows are given; ``total`` is one row.
BREAKDOWNS: Final[tuple[str, ...]] = (
    "total",
    "kabupaten",
    "provinsi",
    "level_pair",
    "year",
    "kind",
)
#: Finding kinds whose rupiah is at stake (cross-type findings are informational).
LEDGER_KINDS: Final[tuple[str, ...]] = ("overlap", "repeat")
#: Columns of :func:`budget_ledger`.
LEDGER_COLUMNS: Final[tuple[str, ...]] = (
    "breakdown",
    "key",
    "label",
    "findings",
    "shared_km",
    "shared_ha",
    "at_stake_idr",
    "finding_ids",
    "project_records",
)
_PROVINCE_CODE = re.compile(r"^\s*(\d{2})")


def budget_ledger(findings: pd.DataFrame, *, units: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """Total the shared km and rupiah at stake of overlap findings, traceably and reconciled.

    Parameters
    ----------
    findings
        :func:`geo.analyse.overlap.find_overlaps` findings (``finding_id``, ``kind``,
        ``project_a``/``_b``, ``agency_a``/``_b``, ``level_a``/``_b``, ``years_a``/``_b``,
        ``overlap_m``, ``overlap_ha``, ``budget_a_idr``/``_b_idr``, ``budget_at_stake_idr``;
        ``geometry`` in EPSG:4326 for the breakdowns by unit). Only the kinds of
        :data:`LEDGER_KINDS` are totalled.
    units
        Administrative units (``unit_id``, ``unit_name``, optionally ``unit_level``; any set
        CRS) or None: then (or when ``findings`` have no geometry) there are no ``kabupaten``
        and ``provinsi`` rows. Of a layer holding
        several levels, the kabupaten/kota units are used.

    Returns
    -------
    pandas.DataFrame
        :data:`LEDGER_COLUMNS`, rows by :data:`BREAKDOWNS` (the ``total`` row first; within a
        breakdown the largest rupiah first, then by key; years in their order). ``key`` is the
        unit id, the province code, ``pusat-provinsi``, the year or the kind (empty for
        findings outside every unit or of a unit without a province code); ``label`` the unit's or province's name where
        known, else the key. ``findings`` counts them; ``shared_km`` (kilometres of shared
        road), ``shared_ha`` (hectares of shared irrigation area) and ``at_stake_idr``
        (rupiah, each finding capped at the smaller pagu) are sums; ``finding_ids`` and
        ``project_records`` (``project_id (agency)``) list what was summed, ``"; "``-separated.
        In every breakdown the rows add up to the ``total`` row.

    Examples
    --------
    >>> from shapely import LineString
    >>> found = gpd.GeoDataFrame({"finding_id": ["TT-1"], "kind": ["overlap"],
    ...     "project_a": ["A"], "project_b": ["B"], "agency_a": ["BPJN"], "agency_b": ["Dinas"],
    ...     "level_a": ["pusat"], "level_b": ["provinsi"], "years_a": ["2025"],
    ...     "years_b": ["2024-2025"], "overlap_m": [1500.0], "overlap_ha": [np.nan],
    ...     "budget_a_idr": [1e9], "budget_b_idr": [4e8], "budget_at_stake_idr": [6e8]},
    ...     geometry=[LineString([(103.60, -1.6), (103.61, -1.6)])], crs=4326)
    >>> budget_ledger(found)[["breakdown", "key", "shared_km", "at_stake_idr"]].values.tolist()
    [['total', '', 1.5, 400000000.0], ['level_pair', 'pusat-provinsi', 1.5, 400000000.0], \
['year', '2025', 1.5, 400000000.0], ['kind', 'overlap', 1.5, 400000000.0]]
    """
    rows = findings[findings["kind"].isin(LEDGER_KINDS)].reset_index(drop=True)
    at_stake = cap_at_stake_idr(
        rows["budget_at_stake_idr"].to_numpy(dtype=float),
        rows["budget_a_idr"].to_numpy(dtype=float),
        rows["budget_b_idr"].to_numpy(dtype=float),
    )
    shared_m = pd.to_numeric(rows["overlap_m"], errors="coerce").fillna(0.0).to_numpy(float)
    shared_ha = pd.to_numeric(rows["overlap_ha"], errors="coerce").fillna(0.0).to_numpy(float)
    finding_ids = rows["finding_id"].astype(str).to_numpy(dtype=object)
    per_finding = pd.DataFrame(
        {
            "finding_id": finding_ids,
            # Each finding's place among the ids sorted: every total lists its ids in order.
            "id_rank": np.argsort(np.argsort(finding_ids.astype(str), kind="stable")),
            "record_a": _records(rows, "a"),
            "record_b": _records(rows, "b"),
            "shared_km": shared_m / 1000.0,
            "shared_ha": shared_ha,
            "at_stake_idr": np.nan_to_num(at_stake, nan=0.0),
            "total": "",
            "level_pair": (
                rows["level_a"].astype(str) + "-" + rows["level_b"].astype(str)
            ).to_numpy(dtype=object),
            "year": _later_first_year(rows),
            "kind": rows["kind"].astype(str).to_numpy(dtype=object),
        }
    )
    labels: dict[str, dict[str, str]] = {}
    breakdowns = ["total"]
    kabupaten = _kabupaten_units(units)
    if kabupaten is not None and "geometry" in rows:  # findings read from a CSV have none
        geometry = gpd.GeoSeries(np.asarray(rows.geometry.values, dtype=object), crs=4326)
        held = unit_of_findings(geometry, kabupaten)
        unit_ids = kabupaten["unit_id"].astype(str).to_numpy(dtype=object)
        unit_names = _names(kabupaten)
        per_finding["kabupaten"] = np.where(held >= 0, unit_ids[np.maximum(held, 0)], "")
        per_finding["provinsi"] = [_province_code(key) for key in per_finding["kabupaten"]]
        labels["kabupaten"] = dict(zip(unit_ids, unit_names, strict=True))
        labels["provinsi"] = _province_names(units)
        breakdowns += ["kabupaten", "provinsi"]
    breakdowns += ["level_pair", "year", "kind"]
    parts = [_totals(per_finding, by, labels.get(by, {})) for by in breakdowns]
    ledger = pd.concat(parts, ignore_index=True)[list(LEDGER_COLUMNS)]
    _check_reconciled(ledger)
    return ledger


def ledger_of(analysis: Analysis) -> pd.DataFrame:
    """:func:`budget_ledger` of an :class:`geo.analyse.run.Analysis`: its overlap findings,
    per kabupaten/kota of its administrative units (every unit, not only the selected ones:
    a finding belongs to one unit whatever the filter)."""
    return budget_ledger(analysis.overlaps, units=analysis.units)


def unit_of_findings(geometry: gpd.GeoSeries, units: gpd.GeoDataFrame) -> np.ndarray:
    """The position in ``units`` of the unit holding the largest part of each geometry.

    Parameters
    ----------
    geometry
        Shared geometries of findings (lines, polygons, points), EPSG:4326.
    units
        Administrative units (polygons, ``unit_id``), EPSG:4326.

    Returns
    -------
    numpy.ndarray of int64
        Per geometry: the unit with the largest area of it (polygons), else the largest length
        (lines; metres in the UTM zone of each piece), else the first it touches (points);
        equal parts go to the smaller ``unit_id``. -1 outside every unit or for a missing
        geometry.

    Examples
    --------
    >>> from shapely import LineString, box
    >>> units = gpd.GeoDataFrame({"unit_id": ["15.01", "15.02"]},
    ...     geometry=[box(103.0, -2, 103.5, -1), box(103.5, -2, 104, -1)], crs=4326)
    >>> stretch = gpd.GeoSeries([LineString([(103.45, -1.5), (103.6, -1.5)])], crs=4326)
    >>> unit_of_findings(stretch, units).tolist()
    [1]
    """
    held = np.full(len(geometry), -1, dtype=np.int64)
    if not len(geometry) or units is None or not len(units):
        return held
    shapes = np.asarray(geometry.values, dtype=object)
    areas = np.asarray(units.geometry.values, dtype=object)
    present = np.flatnonzero(~shapely.is_missing(shapes))
    # The tree over the findings, the units as the query: each unit's polygon is prepared
    # once and tested against the simple findings (ten times faster at national size than
    # testing each finding against the unit polygons).
    unit, found = shapely.STRtree(shapes[present]).query(areas, predicate="intersects")
    if not len(found):
        return held
    found = present[found]
    candidates = np.bincount(found, minlength=len(shapes))
    # A finding meeting one unit only is held by it: no piece to measure.
    alone = candidates[found] == 1
    held[found[alone]] = unit[alone]
    found, unit = found[~alone], unit[~alone]
    if not len(found):
        return held
    pieces = gpd.GeoSeries(shapely.intersection(shapes[found], areas[unit]), crs=4326)
    area = np.nan_to_num(area_m2(pieces))
    length = np.nan_to_num(length_m(pieces))
    ids = units["unit_id"].astype(str).to_numpy(dtype=object)
    id_rank = np.argsort(np.argsort(ids, kind="stable"), kind="stable")
    # Per finding, the best piece last: largest area, then length, then smallest unit id.
    order = np.lexsort((-id_rank[unit], length, area, found))
    last = np.r_[found[order][1:] != found[order][:-1], True]
    held[found[order][last]] = unit[order][last]
    return held


def ledger_unit_level(units: gpd.GeoDataFrame | None) -> str | None:
    """The level of the units the ``kabupaten`` rows of :func:`budget_ledger` are about:
    ``kabupaten`` when the layer holds kabupaten/kota units, else the layer's own level
    (:func:`geo.read.reference.unit_level`: kecamatan, ...), None when unknown."""
    from geo.read.reference import unit_level

    chosen = _kabupaten_units(units)
    return unit_level(chosen) if chosen is not None else None


def _kabupaten_units(units: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    """The kabupaten/kota units of a layer (all its units when it has no levels)."""
    if units is None or not len(units):
        return None
    if "unit_level" in units:  # stored canonical (geo.read.reference)
        kabupaten = (units["unit_level"] == "kabupaten").to_numpy()
        if kabupaten.any():
            units = units[kabupaten]
    if units.crs is not None and not units.crs.equals(4326):
        units = units.to_crs(4326)
    return units.reset_index(drop=True)


def _names(units: pd.DataFrame) -> np.ndarray:
    ids = units["unit_id"].astype(str)
    if "unit_name" not in units:
        return ids.to_numpy(dtype=object)
    names = units["unit_name"].astype(object)
    return (
        names.where(names.notna() & (names.astype(str) != ""), ids)
        .astype(str)
        .to_numpy(dtype=object)
    )


def _province_code(unit_id: str) -> str:
    match = _PROVINCE_CODE.match(unit_id)
    return match.group(1) if match else ""


def _province_names(units: gpd.GeoDataFrame | None) -> dict[str, str]:
    """Province code -> name, from the layer's province units (codes of two digits)."""
    if units is None:
        return {}
    ids = units["unit_id"].astype(str).str.strip()
    whole = ids.str.fullmatch(r"\d{2}").to_numpy()
    names = _names(units)
    return dict(zip(ids.to_numpy(dtype=object)[whole], names[whole], strict=True))


def _records(rows: pd.DataFrame, side: str) -> np.ndarray:
    """Per finding: the record of its project ``side`` (``"a"`` or ``"b"``),
    ``project_id (agency)``."""
    ids = rows[f"project_{side}"].to_numpy(dtype=object)
    agencies = rows[f"agency_{side}"].to_numpy(dtype=object)
    records = np.empty(len(rows), dtype=object)
    records[:] = [f"{project} ({agency})" for project, agency in zip(ids, agencies, strict=True)]
    return records


def _first_year(years_text: pd.Series) -> np.ndarray:
    """The first year of ``2024`` or ``2024-2025``."""
    # Read once per distinct text: a national store has 100,000 findings and a few dozen.
    codes, texts = pd.factorize(years_text.astype(str), use_na_sentinel=False)
    first = pd.Series(texts, dtype=object).str.extract(r"(\d{4})")[0].astype(float).to_numpy()
    return first[codes]


def _later_first_year(rows: pd.DataFrame) -> np.ndarray:
    later = np.fmax(_first_year(rows["years_a"]), _first_year(rows["years_b"]))
    codes, years = pd.factorize(later, use_na_sentinel=False)
    words = np.array([str(int(y)) if not np.isnan(y) else "" for y in years], dtype=object)
    return words[codes]


def _totals(per_finding: pd.DataFrame, by: str, labels: dict[str, str]) -> pd.DataFrame:
    """One row per value of column ``by`` of ``per_finding``."""
    groups = per_finding.groupby(by, sort=True)
    finding_ids, project_records = _listed(per_finding, groups.ngroup().to_numpy(), groups.ngroups)
    out = pd.DataFrame(
        {
            "findings": groups.size(),
            "shared_km": groups["shared_km"].sum(),
            "shared_ha": groups["shared_ha"].sum(),
            "at_stake_idr": groups["at_stake_idr"].sum(),
        }
    )
    out["finding_ids"] = finding_ids
    out["project_records"] = project_records
    if out.empty and by == "total":  # no finding: the total is zero, not missing
        out = pd.DataFrame(
            {
                "findings": [0],
                "shared_km": [0.0],
                "shared_ha": [0.0],
                "at_stake_idr": [0.0],
                "finding_ids": [""],
                "project_records": [""],
            },
            index=pd.Index([""], name=by),
        )
    out = out.rename_axis("key").reset_index()
    out["key"] = out["key"].astype(str)
    out["label"] = [labels.get(key, key) for key in out["key"]]
    out["breakdown"] = by
    if by == "year":  # years in their order
        return out.sort_values("key", kind="stable")
    order = np.lexsort((out["key"].to_numpy(dtype=str), -out["at_stake_idr"].to_numpy(float)))
    return out.iloc[order]


def _listed(per_finding: pd.DataFrame, group: np.ndarray, count: int) -> tuple[list, list]:
    """Per group (``group``: each finding's group number, ``0 .. count - 1``): its finding ids
    sorted, and the distinct records of its projects sorted, each ``"; "``-separated."""
    ids = per_finding["finding_id"].to_numpy(dtype=object)
    # One sort of every finding by group, then id: each group's ids are a sorted slice.
    order = np.lexsort((per_finding["id_rank"].to_numpy(), group))
    ids, group = ids[order], group[order]
    record_a = per_finding["record_a"].to_numpy(dtype=object)[order]
    record_b = per_finding["record_b"].to_numpy(dtype=object)[order]
    bounds = np.searchsorted(group, np.arange(count + 1))
    spans = list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))
    finding_ids = ["; ".join(ids[a:b].tolist()) for a, b in spans]
    records = [
        "; ".join(sorted(set(record_a[a:b].tolist()) | set(record_b[a:b].tolist())))
        for a, b in spans
    ]
    return finding_ids, records


def _check_reconciled(ledger: pd.DataFrame) -> None:
    """Every breakdown adds up to the total (a bug, not bad input, when it does not)."""
    total = ledger[ledger["breakdown"] == "total"].iloc[0]
    for by, part in ledger[ledger["breakdown"] != "total"].groupby("breakdown"):
        for column in ("findings", "shared_km", "shared_ha", "at_stake_idr"):
            if not np.isclose(part[column].sum(), total[column], rtol=1e-9, atol=1e-6):
                raise AssertionError(f"ledger by {by}: {column} does not add up to the total")
