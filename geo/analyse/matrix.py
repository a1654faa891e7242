"""The rakor synchronisation matrix: per ruas (and per Daerah Irigasi) the work of each level of
government, stretch by stretch and year by year, for a coordination meeting to decide on.

Road works are located on the network as chainage intervals (:attr:`Analysis.locations
<geo.analyse.run.Analysis.locations>`). Each ruas's chainage is cut at every located work's
start and end; the stretches some work covers are the rows, in chainage order. Ends closer
than ``tolerance_m`` (the overlap tolerance) are one cut: two agencies locating the same
junction a few metres apart do not make a sliver row. Irrigation works are one row per
Daerah Irigasi they lie in (:func:`geo.spatial.geometry.area_of_works`).

Per row and level (pusat, provinsi, kabupaten) the works are listed per budget year (a work
of 2024-2025 appears in both years) with their work type, pagu (of the whole package),
status and id (:attr:`Matrix.works`). A row is a **conflict** when works of two levels lie on
it in an intersecting year; for a road, when their located intervals share at least
``min_overlap_m`` of the ruas too, as the overlap rule asks. The overlap findings of those
pairs (``TT-...``, :func:`geo.analyse.overlap.find_overlaps`) are named on the row.

Each row has a stable id, ``MX-<ruas>-<from_m>-<to_m>`` (ruas code, else its name; whole
metres) or ``MX-DI-<di_id>``: the same cut of the same ruas gets the same id on every run, so
a meeting's decision and note (a decisions frame: ``subject_id``, ``decision``, ``note``,
``who``, ``decided_at``) come back on the row. Chainage in metres from the ruas start, money
in rupiah. No streamlit, matplotlib or presentation code here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analyse.run import Analysis, ProjectFilter, project_keys, select_units
from geo.settings import DEFAULT_SETTINGS, Settings
from geo.spatial.geometry import area_of_works
from geo.spatial.network import RoadNetwork, normal_statuses

__all__ = [
    "build_matrix",
    "DECISION_COLUMNS",
    "Matrix",
    "MATRIX_LEVELS",
    "ROW_COLUMNS",
    "row_id",
    "WORK_COLUMNS",
]

#: Levels of government the matrix has a column for, highest first.
MATRIX_LEVELS: Final[tuple[str, ...]] = ("pusat", "provinsi", "kabupaten")
#: Columns of :attr:`Matrix.rows`.
ROW_COLUMNS: Final[tuple[str, ...]] = (
    "row_id",
    "unit_id",
    "unit_name",
    "reference_kind",
    "reference_id",
    "reference_name",
    "reference_status",
    "reference_length_m",
    "from_m",
    "to_m",
    "length_m",
    *MATRIX_LEVELS,
    "conflict",
    "conflict_years",
    "finding_ids",
    "decision",
    "note",
    "who",
    "decided_at",
)
#: Columns of :attr:`Matrix.works`: one row per matrix row, work and budget year.
WORK_COLUMNS: Final[tuple[str, ...]] = (
    "row_id",
    "level",
    "year",
    "agency",
    "project_id",
    "name",
    "work_type",
    "budget_idr",
    "status",
    "funding_source",
    "year_start",
    "year_end",
    "from_m",
    "to_m",
)
#: Columns of a decisions frame (the store's ``load_decisions``).
DECISION_COLUMNS: Final[tuple[str, ...]] = ("subject_id", "decision", "note", "who", "decided_at")


@dataclasses.dataclass(frozen=True)
class Matrix:
    """The synchronisation matrix of a selection (:func:`build_matrix`).

    Attributes
    ----------
    rows
        :data:`ROW_COLUMNS`, one row per stretch of a ruas (``reference_kind`` ``road``,
        ``reference_id`` the ruas code, ``from_m``/``to_m`` its chainage) or per Daerah Irigasi
        (``irrigation_area``, no chainage), sorted by unit, kind, ruas and chainage. The level
        columns count the works of that level on the row; ``conflict_years`` and
        ``finding_ids`` are ``;``-separated.
    works
        :data:`WORK_COLUMNS`: the works of each row by level and budget year; ``from_m`` and
        ``to_m`` are the work's own located interval on the ruas in whole metres (NaN for
        irrigation).
    years
        The budget years the works fall in, ascending.
    notes
        What was left out and why (works shorter than the cut tolerance, works on no ruas).
    """

    rows: pd.DataFrame
    works: pd.DataFrame
    years: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()

    def works_of(self, row: str) -> pd.DataFrame:
        """The works of the row with id ``row``, by level order, year and project id."""
        return self.works[self.works["row_id"] == row]

    def level_cells(self, line: Callable[[Mapping[str, object]], str]) -> pd.DataFrame:
        """Per row (index ``row_id``, in row order) and level (one column each of
        :data:`MATRIX_LEVELS`): its works as text, one ``line(work)`` per work in the order of
        their first year, joined by newlines; empty where the level has no work.

        ``line`` gets the work's first row of :attr:`works` as a mapping (its years are
        ``year_start``-``year_end``); the presentation layer writes it in the reader's
        language.
        """
        cells = pd.DataFrame("", index=pd.Index(self.rows["row_id"]), columns=MATRIX_LEVELS)
        firsts = self.works.drop_duplicates(["row_id", "level", "agency", "project_id"])
        for work in firsts.to_dict("records"):
            row, level = work["row_id"], work["level"]
            text = line(work)
            before = cells.at[row, level]
            cells.at[row, level] = f"{before}\n{text}" if before else text
        return cells


def row_id(reference: str, from_m: float | None = None, to_m: float | None = None) -> str:
    """The stable id of a matrix row: a stretch of a ruas, or a Daerah Irigasi (no chainage).

    >>> row_id("015", 0, 2500.4), row_id("DI-7")
    ('MX-015-0-2500', 'MX-DI-DI-7')
    """
    if from_m is None or to_m is None:
        return f"MX-DI-{reference}"
    return f"MX-{reference}-{round(float(from_m))}-{round(float(to_m))}"


def build_matrix(
    analysis: Analysis,
    *,
    network: RoadNetwork | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    filters: ProjectFilter | None = None,
    decisions: pd.DataFrame | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> Matrix:
    """The synchronisation matrix of the analysed projects.

    Parameters
    ----------
    analysis
        :func:`geo.analyse.run.analyse` of the projects (with a road network, so that road works
        have ``locations``): its projects, locations, overlap findings and administrative
        units (``units``, EPSG:4326) are read.
    network
        The road network the works were located on: each ruas's status and length. Without it
        the status is empty and the length the farthest located chainage.
    irrigation_areas
        Daerah Irigasi (``di_id``, optional ``name`` and ``authority``; any set CRS): one row per
        D.I. holding irrigation works. None: no irrigation rows.
    filters
        Budget years, asset types and funding sources select the works shown; ``levels`` keeps
        the rows where a chosen level works (the other levels' works on them stay shown: they
        are what the meeting compares); ``units`` keeps the rows lying in those units
        (:func:`geo.analyse.run.select_units`; a road stretch lies where its middle is).
    decisions
        :data:`DECISION_COLUMNS` (``subject_id`` a row id), e.g. the store's decisions of kind
        ``matrix``; the latest per row fills ``decision``, ``note``, ``who`` and ``decided_at``.
    settings
        ``tolerance_m`` (ends this close are one cut) and ``min_overlap_m`` (shared chainage of a
        road conflict).

    Returns
    -------
    Matrix

    Raises
    ------
    GeoInputError
        A ``units`` filter without units or naming no unit.
    """
    filters = filters or ProjectFilter()
    works = _works(analysis.projects, filters)
    notes: list[str] = []
    parts = [
        _road_rows(works, analysis.locations, network, settings, notes),
        _irrigation_rows(works, irrigation_areas),
    ]
    rows = pd.concat([p[0] for p in parts], ignore_index=True)
    on_rows = pd.concat([p[1] for p in parts], ignore_index=True)
    rows = _with_units(rows, analysis.units, network, works)
    if filters.units:
        chosen = select_units(analysis.units, filters.units)
        assert chosen is not None  # select_units raises without units
        rows = rows[rows["unit_id"].isin(set(chosen["unit_id"].astype(str)))]
    listed = _by_year(on_rows, works, filters)
    if filters.levels:
        wanted = listed.loc[listed["level"].isin(filters.levels), "row_id"]
        rows = rows[rows["row_id"].isin(set(wanted))]
    listed = listed[listed["row_id"].isin(set(rows["row_id"]))]
    rows = _conflicts(rows, listed, on_rows, analysis.overlaps, settings)
    rows = _with_decisions(rows, decisions)
    rows = rows.assign(_kind=(rows["reference_kind"] != "road").astype(int)).sort_values(
        ["unit_name", "_kind", "reference_id", "reference_name", "from_m"], kind="stable"
    )
    position = {row: k for k, row in enumerate(rows["row_id"])}
    order = {level: k for k, level in enumerate(MATRIX_LEVELS)}
    listed = listed.assign(
        _row=listed["row_id"].map(position), _level=listed["level"].map(order)
    ).sort_values(["_row", "_level", "year", "agency", "project_id"], kind="stable")
    years = tuple(int(y) for y in sorted(listed["year"].dropna().unique()))
    return Matrix(
        rows=rows[list(ROW_COLUMNS)].reset_index(drop=True),
        works=listed[list(WORK_COLUMNS)].reset_index(drop=True),
        years=years,
        notes=tuple(notes),
    )


# --- the works ---------------------------------------------------------------------------------


def _works(projects: gpd.GeoDataFrame, filters: ProjectFilter) -> gpd.GeoDataFrame:
    """The projects of the matrix levels the filter's years, assets and funding keep, with a
    ``key`` (:func:`geo.analyse.run.project_keys`)."""
    by_works = dataclasses.replace(filters, levels=(), units=())
    keep = by_works.mask(projects) & projects["level"].isin(MATRIX_LEVELS).to_numpy()
    works = projects.loc[keep].reset_index(drop=True)
    return works.assign(key=project_keys(works).to_numpy())


def _by_year(on_rows: pd.DataFrame, works: pd.DataFrame, filters: ProjectFilter) -> pd.DataFrame:
    """:data:`WORK_COLUMNS` from (row_id, key, from_m, to_m): one row per budget year."""
    info = works.drop(columns=works.geometry.name).drop_duplicates("key").set_index("key")
    first, last = filters.years or (-(10**6), 10**6)
    frames = []
    for row, key, lo, hi in on_rows[["row_id", "key", "from_m", "to_m"]].itertuples(index=False):
        work = info.loc[key]
        start, end = _year_range(work["year_start"], work["year_end"])
        years = range(max(start, first), min(end, last) + 1) if start is not None else [None]
        for year in years:
            frames.append((row, key, year, lo, hi))
    listed = pd.DataFrame(frames, columns=["row_id", "key", "year", "from_m", "to_m"])
    listed["year"] = listed["year"].astype("Int64")
    listed[["from_m", "to_m"]] = listed[["from_m", "to_m"]].astype(float).round()
    attributes = [c for c in WORK_COLUMNS if c not in ("row_id", "year", "from_m", "to_m")]
    for column in attributes:
        values = info[column] if column in info.columns else pd.Series(None, index=info.index)
        listed[column] = values.reindex(listed["key"].to_numpy()).to_numpy()
    return listed


def _year_range(start: object, end: object) -> tuple[int | None, int]:
    """(first, last) budget year of a work; (None, 0) when it has none."""
    first = pd.to_numeric(pd.Series([start]), errors="coerce").iat[0]
    last = pd.to_numeric(pd.Series([end]), errors="coerce").iat[0]
    if pd.isna(first):
        return (None, 0) if pd.isna(last) else (int(last), int(last))
    return int(first), int(first if pd.isna(last) else last)


# --- road rows ---------------------------------------------------------------------------------


def _road_rows(
    works: gpd.GeoDataFrame,
    locations: pd.DataFrame | None,
    network: RoadNetwork | None,
    settings: Settings,
    notes: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of the ruas stretches and the (row_id, key, from_m, to_m) of the works on them."""
    empty = (_no_rows(), _no_on_rows())
    if locations is None or not len(locations) or not len(works):
        return empty
    located = locations.assign(key=project_keys(locations).to_numpy())
    located = located[located["key"].isin(set(works["key"]))]
    located = located[(located["ruas_id"] != "") | (located["ruas_name"] != "")]
    located = located[located["to_m"] > located["from_m"]]
    if located.empty:
        return empty
    located = located.assign(
        ruas=np.where(located["ruas_id"] != "", located["ruas_id"], located["ruas_name"])
    )
    about = _ruas_about(network)
    rows, on_rows, short = [], [], []
    for ruas, intervals in located.groupby("ruas", sort=True):
        lo = intervals["from_m"].to_numpy(dtype=float)
        hi = intervals["to_m"].to_numpy(dtype=float)
        cuts = _cuts(np.concatenate([lo, hi]), settings.tolerance_m)
        lo_at = cuts[_nearest(cuts, lo)]
        hi_at = cuts[_nearest(cuts, hi)]
        short += intervals.loc[lo_at >= hi_at, "project_id"].astype(str).tolist()
        ruas_id, ruas_name = intervals["ruas_id"].iat[0], intervals["ruas_name"].iat[0]
        status, length_m, ruas_index = about.get((ruas_id, ruas_name), ("", float(hi.max()), -1))
        for start, end in zip(cuts[:-1], cuts[1:], strict=True):
            covering = (lo_at <= start) & (hi_at >= end)
            if not covering.any():
                continue
            row = row_id(str(ruas), start, end)
            on = intervals[covering]
            rows.append(
                (row, "road", ruas_id, ruas_name, status, length_m, start, end, end - start)
                + (ruas_index, on["key"].iat[0], None)
            )
            on_rows += [
                (row, key, a, b)
                for key, a, b in zip(on["key"], on["from_m"], on["to_m"], strict=True)
            ]
    if short:
        notes.append(
            f"{len(short)} road work interval(s) shorter than {settings.tolerance_m:g} m on a "
            f"ruas are not rows of the matrix: {', '.join(sorted(set(short))[:10])}"
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "row_id",
            "reference_kind",
            "reference_id",
            "reference_name",
            "reference_status",
            "reference_length_m",
            "from_m",
            "to_m",
            "length_m",
            "_ruas",
            "_first_work",
            "_shape",
        ],
    )
    return frame, pd.DataFrame(on_rows, columns=["row_id", "key", "from_m", "to_m"])


def _cuts(ends_m: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Chainage cuts (whole metres, ascending): ``ends_m`` grouped where each is within
    ``tolerance_m`` of the one before, each group at its rounded mean.

    >>> _cuts(np.array([0.0, 2000.4, 1995.0, 5000.0]), 20.0).tolist()
    [0.0, 1998.0, 5000.0]
    """
    ends = np.sort(ends_m)
    group = np.concatenate([[0], np.cumsum(np.diff(ends) > tolerance_m)])
    means = pd.Series(ends).groupby(group).mean().to_numpy()
    return np.unique(np.round(means))


def _nearest(cuts: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Index of the cut nearest each value."""
    right = np.clip(np.searchsorted(cuts, values), 1, max(len(cuts) - 1, 1))
    left = right - 1
    closer_left = np.abs(values - cuts[left]) <= np.abs(cuts[right] - values)
    return np.where(closer_left, left, right) if len(cuts) > 1 else np.zeros(len(values), int)


def _ruas_about(network: RoadNetwork | None) -> dict[tuple[str, str], tuple[str, float, int]]:
    """Per ruas (code, name as located): its status, length in metres and index in
    ``network.ruas``."""
    if network is None:
        return {}
    index = network.ruas
    statuses = normal_statuses(pd.Series(index.status, dtype=object))
    statuses = np.where(statuses == "unknown", "", statuses)
    return {
        (str(code), str(name)): (str(status), float(length), g)
        for g, (code, name, status, length) in enumerate(
            zip(index.road_id, index.name, statuses, index.length_m, strict=True)
        )
    }


# --- irrigation rows ---------------------------------------------------------------------------


def _irrigation_rows(
    works: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per Daerah Irigasi holding irrigation works, and the works in it."""
    if areas is None or not len(areas) or not len(works):
        return _no_rows(), _no_on_rows()
    irrigation = works[works["asset_type"] == "irrigation"]
    held = area_of_works(np.asarray(irrigation.geometry.values, dtype=object), areas)
    areas = areas.reset_index(drop=True)
    names = areas["name"] if "name" in areas.columns else areas["di_id"]
    authority = areas["authority"] if "authority" in areas.columns else pd.Series("", areas.index)
    ids = [row_id(str(d)) for d in areas["di_id"]]
    shapes = np.asarray(areas.to_crs(4326).geometry.values, dtype=object)
    rows = [
        (ids[d], "irrigation_area", str(areas["di_id"].iat[d]), str(names.iat[d] or ""))
        + (str(authority.iat[d] or ""), np.nan, np.nan, np.nan, np.nan, -1, "", shapes[d])
        for d in np.unique(held[held >= 0])
    ]
    frame = pd.DataFrame(rows, columns=_no_rows().columns)
    on_rows = pd.DataFrame(
        {
            "row_id": [ids[d] for d in held[held >= 0]],
            "key": irrigation["key"].to_numpy()[held >= 0],
            "from_m": np.nan,
            "to_m": np.nan,
        }
    )
    return frame, on_rows


def _no_rows() -> pd.DataFrame:
    columns = ["row_id", "reference_kind", "reference_id", "reference_name", "reference_status"]
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    for column in ("reference_length_m", "from_m", "to_m", "length_m"):
        frame[column] = pd.Series(dtype=float)
    frame["_ruas"] = pd.Series(dtype=np.int64)
    frame["_first_work"] = pd.Series(dtype=object)
    frame["_shape"] = pd.Series(dtype=object)
    return frame


def _no_on_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row_id": pd.Series(dtype=object),
            "key": pd.Series(dtype=object),
            "from_m": pd.Series(dtype=float),
            "to_m": pd.Series(dtype=float),
        }
    )


# --- units, conflicts, decisions ---------------------------------------------------------------


def _with_units(
    rows: pd.DataFrame,
    units: gpd.GeoDataFrame | None,
    network: RoadNetwork | None,
    works: gpd.GeoDataFrame,
) -> pd.DataFrame:
    """``unit_id`` and ``unit_name`` of each row: the unit holding its middle (the smallest
    where units nest), empty outside every unit or without units.

    A road stretch is cut from its ruas (without a network: the first work on it stands in);
    a Daerah Irigasi by a point inside it.
    """
    rows = rows.assign(unit_id="", unit_name="")
    if units is None or not len(units) or not len(rows):
        return rows
    shapes = rows["_shape"].to_numpy(dtype=object).copy()
    ruas = rows["_ruas"].to_numpy(dtype=np.int64)
    cut = np.flatnonzero(pd.isna(shapes) & (ruas >= 0))
    if network is not None and len(cut):
        length = rows["reference_length_m"].to_numpy(dtype=float)[cut]
        lo = np.minimum(rows["from_m"].to_numpy(dtype=float)[cut], length)
        hi = np.minimum(rows["to_m"].to_numpy(dtype=float)[cut], length)
        fits = hi > lo
        shapes[cut[fits]] = network.cut(ruas[cut[fits]], lo[fits], hi[fits])
    missing = pd.isna(shapes)
    if missing.any():
        by_key = works.drop_duplicates("key").set_index("key").geometry
        stand_in = by_key.reindex(rows["_first_work"].to_numpy()[missing]).to_numpy()
        shapes[missing] = stand_in
    points = _row_points(shapes)
    units = units.to_crs(4326).reset_index(drop=True)
    present = np.flatnonzero(~pd.isna(points))
    hit_row, hit_unit = units.sindex.query(points[present], predicate="within")
    size = shapely.area(np.asarray(units.geometry.values, dtype=object))[hit_unit]
    order = np.lexsort((size, hit_row))
    hit_row, hit_unit = hit_row[order], hit_unit[order]
    first = np.unique(hit_row, return_index=True)[1]
    where = present[hit_row[first]]
    unit_ids = rows["unit_id"].to_numpy(dtype=object).copy()
    unit_names = rows["unit_name"].to_numpy(dtype=object).copy()
    unit_ids[where] = units["unit_id"].astype(str).to_numpy(dtype=object)[hit_unit[first]]
    names = units["unit_name"] if "unit_name" in units.columns else units["unit_id"]
    unit_names[where] = names.astype(str).to_numpy(dtype=object)[hit_unit[first]]
    return rows.assign(unit_id=unit_ids, unit_name=unit_names)


def _conflicts(
    rows: pd.DataFrame,
    listed: pd.DataFrame,
    on_rows: pd.DataFrame,
    overlaps: pd.DataFrame,
    settings: Settings,
) -> pd.DataFrame:
    """Per row: works per level, conflict flag, conflict years and the findings of the pairs."""
    rows = rows.copy()
    for level in MATRIX_LEVELS:
        counts = listed[listed["level"] == level].groupby("row_id")["key"].nunique()
        rows[level] = rows["row_id"].map(counts).fillna(0).astype(int).to_numpy()
    found = _finding_lookup(overlaps)
    flags, years_text, ids_text = [], [], []
    by_row = dict(tuple(listed.groupby("row_id", sort=False)))
    for row in rows["row_id"]:
        years: set[int] = set()
        ids: set[str] = set()
        here = by_row.get(row)
        if here is not None:
            for key_a, key_b, shared in _cross_level_pairs(here, settings):
                years |= shared
                ids |= found.get(frozenset((key_a, key_b)), set())
        flags.append(bool(years))
        years_text.append(";".join(str(y) for y in sorted(years)))
        ids_text.append(";".join(sorted(ids)))
    rows["conflict"] = flags
    rows["conflict_years"] = years_text
    rows["finding_ids"] = ids_text
    return rows


def _cross_level_pairs(
    here: pd.DataFrame, settings: Settings
) -> Iterable[tuple[str, str, set[int]]]:
    """Pairs of works of different levels on one row sharing budget years (and, on a ruas, at
    least ``min_overlap_m`` of chainage): their keys and shared years."""
    per_work = here.groupby("key", sort=True).agg(
        level=("level", "first"),
        years=("year", lambda y: {int(v) for v in y.dropna()}),
        lo=("from_m", "min"),
        hi=("to_m", "max"),
    )
    keys = per_work.index.tolist()
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            first, second = per_work.loc[a], per_work.loc[b]
            if first["level"] == second["level"]:
                continue
            shared = first["years"] & second["years"]
            if not shared:
                continue
            if not pd.isna(first["lo"]):
                common_m = min(first["hi"], second["hi"]) - max(first["lo"], second["lo"])
                if common_m < settings.min_overlap_m:
                    continue
            yield a, b, shared


def _finding_lookup(overlaps: pd.DataFrame) -> dict[frozenset[str], set[str]]:
    """Overlap finding ids by the pair of project keys they are about."""
    if overlaps is None or not len(overlaps):
        return {}
    a = (overlaps["agency_a"].astype(str) + "\x1f" + overlaps["project_a"].astype(str)).tolist()
    b = (overlaps["agency_b"].astype(str) + "\x1f" + overlaps["project_b"].astype(str)).tolist()
    lookup: dict[frozenset[str], set[str]] = {}
    for key_a, key_b, finding in zip(a, b, overlaps["finding_id"].astype(str), strict=True):
        lookup.setdefault(frozenset((key_a, key_b)), set()).add(finding)
    return lookup


def _with_decisions(rows: pd.DataFrame, decisions: pd.DataFrame | None) -> pd.DataFrame:
    """``decision``, ``note``, ``who``, ``decided_at`` of each row: the latest decision on it."""
    rows = rows.assign(decision="", note="", who="", decided_at="")
    if decisions is None or not len(decisions):
        return rows
    latest = decisions.copy()
    latest["_at"] = latest["decided_at"].astype(str) if "decided_at" in latest else ""
    latest = latest.sort_values("_at", kind="stable").drop_duplicates("subject_id", keep="last")
    latest = latest.set_index(latest["subject_id"].astype(str))
    for column in ("decision", "note", "who", "decided_at"):
        if column in latest.columns:
            values = latest[column].reindex(rows["row_id"].to_numpy())
            rows[column] = values.where(values.notna(), "").astype(str).to_numpy()
    return rows


def _row_points(shapes: np.ndarray) -> np.ndarray:
    """A point inside each shape (its middle for a line), EPSG:4326."""
    points = np.full(len(shapes), None, dtype=object)
    present = ~shapely.is_missing(shapes)
    lines = present & np.isin(shapely.get_type_id(shapes), (1, 5))
    points[lines] = shapely.line_interpolate_point(shapes[lines], 0.5, normalized=True)
    others = present & ~lines
    points[others] = shapely.point_on_surface(shapes[others])
    return points
