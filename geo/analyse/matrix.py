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
from collections.abc import Callable, Mapping
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

    def with_decisions(self, decisions: pd.DataFrame | None) -> Matrix:
        """The matrix with each row's ``decision``, ``note``, ``who`` and ``decided_at`` from
        ``decisions`` (:data:`DECISION_COLUMNS`; the latest per row id), the rest as it was: a
        decision saved changes no cell but these, so a view keeps the matrix it built."""
        return dataclasses.replace(self, rows=_with_decisions(self.rows, decisions))

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
        lines: dict[str, dict[str, list[str]]] = {level: {} for level in MATRIX_LEVELS}
        firsts = self.works.drop_duplicates(["row_id", "level", "agency", "project_id"])
        for work in firsts.to_dict("records"):
            lines[str(work["level"])].setdefault(str(work["row_id"]), []).append(line(work))
        rows = self.rows["row_id"].astype(str).tolist()
        return pd.DataFrame(
            {
                level: ["\n".join(lines[level].get(row, ())) for row in rows]
                for level in MATRIX_LEVELS
            },
            index=pd.Index(self.rows["row_id"]),
            dtype=object,
        )


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
    notes: list[str] = []
    works = _works(analysis.projects, filters, notes)
    parts = [
        _road_rows(works, analysis.locations, network, settings, notes),
        _irrigation_rows(works, irrigation_areas),
    ]
    rows = pd.concat([p[0] for p in parts], ignore_index=True)
    on_rows = pd.concat([p[1] for p in parts], ignore_index=True)
    notes += _left_out(works, set(on_rows["key"]))
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
    rows = _conflicts(rows, listed, analysis.overlaps, settings)
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


def _works(
    projects: gpd.GeoDataFrame, filters: ProjectFilter, notes: list[str]
) -> gpd.GeoDataFrame:
    """The projects of the matrix levels the filter's years, assets and funding keep, with a
    ``key`` (:func:`geo.analyse.run.project_keys`); a note of those of another level."""
    by_works = dataclasses.replace(filters, levels=(), units=())
    kept = by_works.mask(projects)
    ours = projects["level"].isin(MATRIX_LEVELS).to_numpy()
    others = projects.loc[kept & ~ours, "level"].astype(str)
    for level, n in others.value_counts().sort_index().items():
        notes.append(
            f"{n} work(s) of level {level} are not in the matrix (its columns are "
            f"{', '.join(MATRIX_LEVELS)})"
        )
    works = projects.loc[kept & ours].reset_index(drop=True)
    return works.assign(key=project_keys(works).to_numpy())


#: Why works of an asset type have no row, by asset type.
_NO_ROW: Final[dict[str, str]] = {
    "road": "road work(s) lie on no ruas of the road network (not located on it, or no network)",
    "irrigation": "irrigation work(s) lie in no Daerah Irigasi (or there is no D.I. layer)",
    "bridge": "bridge work(s) are not in the matrix (it lists ruas and Daerah Irigasi)",
}


def _left_out(works: pd.DataFrame, placed: set[str]) -> list[str]:
    """A note per asset type whose works are on no row: how many, and the first ids."""
    notes = []
    missing = works[~works["key"].isin(placed)]
    for asset, why in _NO_ROW.items():
        ids = missing.loc[missing["asset_type"] == asset, "project_id"].astype(str)
        if len(ids):
            shown = ", ".join(sorted(set(ids))[:10])
            notes.append(f"{len(ids)} {why}: {shown}{', ...' if ids.nunique() > 10 else ''}")
    return notes


def _by_year(on_rows: pd.DataFrame, works: pd.DataFrame, filters: ProjectFilter) -> pd.DataFrame:
    """:data:`WORK_COLUMNS` (and ``key``) from (row_id, key, from_m, to_m): one row per budget
    year of each work within the filter's years; one row with no year for a work without."""
    info = works.drop(columns=works.geometry.name).drop_duplicates("key").set_index("key")
    at = info.index.get_indexer(on_rows["key"].to_numpy())
    start = pd.to_numeric(info["year_start"], errors="coerce").to_numpy(dtype=float)[at]
    end = pd.to_numeric(info["year_end"], errors="coerce").to_numpy(dtype=float)[at]
    start, end = np.where(np.isnan(start), end, start), np.where(np.isnan(end), start, end)
    first, last = filters.years or (-(10**6), 10**6)
    dated = ~np.isnan(start)
    lo = np.where(dated, np.maximum(np.nan_to_num(start), first), 0).astype(np.int64)
    hi = np.where(dated, np.minimum(np.nan_to_num(end), last), 0).astype(np.int64)
    count = np.where(dated, np.maximum(hi - lo + 1, 0), 1)
    pick = np.repeat(np.arange(len(on_rows)), count)
    step = np.arange(len(pick)) - np.repeat(np.cumsum(count) - count, count)
    year = pd.array(np.where(dated[pick], lo[pick] + step, 0), dtype="Int64")
    year[~dated[pick]] = pd.NA
    listed = pd.DataFrame(
        {
            "row_id": on_rows["row_id"].to_numpy(dtype=object)[pick],
            "key": on_rows["key"].to_numpy(dtype=object)[pick],
            "year": year,
            "from_m": np.round(on_rows["from_m"].to_numpy(dtype=float)[pick]),
            "to_m": np.round(on_rows["to_m"].to_numpy(dtype=float)[pick]),
        }
    )
    for column in WORK_COLUMNS:
        if column in listed.columns:
            continue
        values = info[column] if column in info.columns else pd.Series(None, index=info.index)
        listed[column] = values.to_numpy(dtype=object)[at[pick]]
    return listed


# --- road rows ---------------------------------------------------------------------------------


def _road_rows(
    works: gpd.GeoDataFrame,
    locations: pd.DataFrame | None,
    network: RoadNetwork | None,
    settings: Settings,
    notes: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of the ruas stretches and the (row_id, key, from_m, to_m) of the works on them.

    All ruas at once: every work end is a cut of its ruas (ends within ``tolerance_m`` one
    cut); a stretch between two consecutive cuts of a ruas is a row when a work covers it.
    """
    empty = (_no_rows(), _no_on_rows())
    if locations is None or not len(locations) or not len(works):
        return empty
    located = locations.assign(key=project_keys(locations).to_numpy())
    located = located[located["key"].isin(set(works["key"]))]
    located = located[(located["ruas_id"] != "") | (located["ruas_name"] != "")]
    located = located[located["to_m"] > located["from_m"]].reset_index(drop=True)
    if located.empty:
        return empty
    code = located["ruas_id"].to_numpy(dtype=object)
    name = located["ruas_name"].to_numpy(dtype=object)
    ruas = np.where(code != "", code, name).astype(str)
    ruas_ids, of_ruas = np.unique(ruas, return_inverse=True)
    lo = located["from_m"].to_numpy(dtype=float)
    hi = located["to_m"].to_numpy(dtype=float)
    cut_ruas, cut_m, lo_cut, hi_cut = _cuts(of_ruas, lo, hi, settings.tolerance_m)
    short = lo_cut >= hi_cut
    if short.any():
        shorts = sorted(set(located.loc[short, "project_id"].astype(str)))
        notes.append(
            f"{int(short.sum())} road work interval(s) shorter than {settings.tolerance_m:g} m "
            f"on a ruas are not rows of the matrix: {', '.join(shorts[:10])}"
        )
    # the stretch from cut g to cut g + 1 (of the same ruas) is stretch g
    count = np.maximum(hi_cut - lo_cut, 0)
    interval = np.repeat(np.arange(len(located)), count)
    offset = np.arange(len(interval)) - np.repeat(np.cumsum(count) - count, count)
    used, row_of = np.unique(lo_cut[interval] + offset, return_inverse=True)
    start_m, end_m = cut_m[used], cut_m[used + 1]
    which = cut_ruas[used]
    first = np.full(len(ruas_ids), -1, dtype=np.int64)
    first[of_ruas[::-1]] = np.arange(len(located))[::-1]
    about = _ruas_about(network)
    shown = [about.get((str(code[i]), str(name[i])), ("", np.nan, -1)) for i in first]
    status = np.array([s[0] for s in shown], dtype=object)
    length = np.array([s[1] for s in shown], dtype=float)
    farthest = np.zeros(len(ruas_ids))
    np.maximum.at(farthest, of_ruas, hi)
    length = np.where(np.isnan(length), farthest, length)
    index = np.array([s[2] for s in shown], dtype=np.int64)
    ids = np.array(
        [row_id(r, a, b) for r, a, b in zip(ruas_ids[which], start_m, end_m, strict=True)],
        dtype=object,
    )
    first_work = np.full(len(used), None, dtype=object)
    first_work[row_of[::-1]] = located["key"].to_numpy(dtype=object)[interval[::-1]]
    frame = pd.DataFrame(
        {
            "row_id": ids,
            "reference_kind": "road",
            "reference_id": code[first[which]],
            "reference_name": name[first[which]],
            "reference_status": status[which],
            "reference_length_m": length[which],
            "from_m": start_m,
            "to_m": end_m,
            "length_m": end_m - start_m,
            "_ruas": index[which],
            "_first_work": first_work,
            "_shape": None,
        }
    )
    on_rows = pd.DataFrame(
        {
            "row_id": ids[row_of],
            "key": located["key"].to_numpy(dtype=object)[interval],
            "from_m": lo[interval],
            "to_m": hi[interval],
        }
    )
    return frame, on_rows


def _cuts(
    ruas: np.ndarray, lo: np.ndarray, hi: np.ndarray, tolerance_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The cuts of every ruas from its intervals' ends: the ends of one ruas grouped where each
    is within ``tolerance_m`` of the one before, each group at its rounded mean (metres).

    Returns the ruas and chainage of each cut (sorted by ruas, then chainage) and, per
    interval, the index of the cut its start and its end fall on.

    >>> r, m, a, b = _cuts(np.array([0, 0]), np.array([0.0, 1995.0]),
    ...                    np.array([2000.4, 5000.0]), 20.0)
    >>> m.tolist(), a.tolist(), b.tolist()
    ([0.0, 1998.0, 5000.0], [0, 1], [1, 2])
    """
    n = len(lo)
    end_ruas = np.concatenate([ruas, ruas])
    ends = np.concatenate([lo, hi])
    order = np.lexsort((ends, end_ruas))
    sorted_ruas, sorted_m = end_ruas[order], ends[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (sorted_ruas[1:] != sorted_ruas[:-1]) | (np.diff(sorted_m) > tolerance_m)
    group = np.cumsum(new) - 1
    means = np.round(np.bincount(group, sorted_m) / np.bincount(group))
    group_ruas = sorted_ruas[new]
    # two groups rounding to the same metre are one cut
    same = np.ones(len(means), dtype=bool)
    same[1:] = (group_ruas[1:] != group_ruas[:-1]) | (means[1:] != means[:-1])
    cut = np.cumsum(same) - 1
    of_end = np.empty(len(order), dtype=np.int64)
    of_end[order] = cut[group]
    return group_ruas[same], means[same], of_end[:n], of_end[n:]


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
    overlaps: pd.DataFrame,
    settings: Settings,
) -> pd.DataFrame:
    """Per row: the works per level, the conflict flag, its years and the findings of the
    pairs: works of two levels on the row in the same budget year (on a ruas, their located
    intervals sharing at least ``min_overlap_m``)."""
    rows = rows.copy()
    for level in MATRIX_LEVELS:
        counts = listed[listed["level"] == level].groupby("row_id")["key"].nunique()
        rows[level] = rows["row_id"].map(counts).fillna(0).astype(int).to_numpy()
    columns = ["row_id", "year", "key", "level", "from_m", "to_m"]
    dated = listed.loc[listed["year"].notna(), columns]
    pairs = dated.merge(dated, on=["row_id", "year"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["level_a"] < pairs["level_b"]]  # different levels, each pair once
    common_m = np.minimum(pairs["to_m_a"], pairs["to_m_b"]) - np.maximum(
        pairs["from_m_a"], pairs["from_m_b"]
    )
    shares = common_m.isna().to_numpy() | (common_m >= settings.min_overlap_m).to_numpy()
    pairs = pairs[shares]
    years = {
        row: ";".join(str(y) for y in sorted(set(group)))
        for row, group in pairs.groupby("row_id")["year"]
    }
    found = _finding_lookup(overlaps)
    ids: dict[str, set[str]] = {}
    for row, a, b in pairs[["row_id", "key_a", "key_b"]].drop_duplicates().itertuples(index=False):
        ids.setdefault(row, set()).update(found.get(frozenset((a, b)), ()))
    rows["conflict"] = rows["row_id"].isin(set(pairs["row_id"])).to_numpy()
    rows["conflict_years"] = [years.get(row, "") for row in rows["row_id"]]
    rows["finding_ids"] = [";".join(sorted(ids.get(row, ()))) for row in rows["row_id"]]
    return rows


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
