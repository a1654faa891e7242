"""Overlap detection (tumpang tindih): the same road stretch, irrigation area or bridge twice.

DESIGN section 5. Pairs of projects of the same asset type whose year ranges intersect
(``overlap``), or whose years do not but the later work starts within the earlier one's design
life (``repeat``, pendanaan berulang: the same stretch funded again; both works of a type with
a design life, :meth:`geo.settings.Settings.design_life_years`, or within
``repeat_window_years`` whatever their types). Both are found by the same pair search:

- roads: shared length = min(length of A along B, length of B along A), where "A along B" is
  the part of A within ``tolerance_m`` of B that runs in B's direction (within
  ``max_angle_deg``), measured as its extent along B. Measuring along the other line makes the
  answer independent of digitising direction, vertex density and multi-part splits, and leaves
  out the ``tolerance_m`` a line overhangs where the other one ends; the direction test leaves
  out crossings (at 30 degrees a crossing road is within 20 m of the other for 80 m).
  Reported from ``min_overlap_m``. Roads on different decks (:mod:`geo.spatial.deck`: an
  elevated toll road and the arterial beneath it, an underpass) are never paired.
- irrigation: intersection area >= ``min_overlap_ha`` and >= ``min_overlap_share`` of the
  smaller polygon, so digitising slivers between neighbours are not overlaps.
- irrigation works given as points (the geotagging rule): with the Daerah Irigasi layer, two
  works of different levels in the same D.I. (a point inside it, an area by a point inside the
  area) in intersecting years, at least one of them a point; the finding's geometry is the D.I.
- bridges: two bridge points within ``bridge_distance_m``.
- cross-type (informational): a bridge project within ``tolerance_m`` of a road project.

Everything is measured in the UTM zone of the pair's first project (:mod:`geo.spatial.crs`). Road pairs
are measured segment against segment by the compiled loops of :mod:`geo.spatial.segments` (most
candidates, neighbours and crossings, are dismissed there in microseconds); areas and bridges
with shapely 2 array operations over all candidate pairs at once, in chunks so memory stays
bounded on national data.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo._parallel import WORKERS as _WORKERS
from geo._parallel import map_in_threads
from geo.analyse._findings import (
    FINDING_COLUMNS,
    cap_at_stake_idr,
    describe,
    design_lives,
    sort_findings,
)
from geo.analyse._findings import pair_kind as _pair_kind
from geo.analyse.locations import as_counted, locate_road_projects, road_decks
from geo.analyse.overlap_network import (
    NETWORK_COLUMNS,
    ON_NETWORK_SHARE,
    network_apart,
    network_road_pairs,
)
from geo.settings import DEFAULT_SETTINGS, Settings
from geo.spatial.crs import MIN_M_PER_DEG as _MIN_M_PER_DEG
from geo.spatial.crs import to_degrees, to_metric, utm_epsg_for_geometries
from geo.spatial.geometry import area_of_works, geometry_kind
from geo.spatial.linematch import locate_on_network, match_settings
from geo.spatial.network import RoadNetwork
from geo.spatial.segments import (
    AlongSettings,
    extent_along_m,
    metric_line_arrays,
    resampled_length_m,
    shared_pieces,
)

__all__ = [
    "cap_at_stake_idr",
    "CHUNK_PAIRS",
    "design_lives",
    "find_overlaps",
    "FINDING_COLUMNS",
    "locate_road_projects",
    "reach_of",
    "sort_findings",
]

#: Candidate pairs measured per chunk: bounds the memory of buffers and intersections.
CHUNK_PAIRS = 20_000

_REQUIRED = (
    "project_id",
    "name",
    "level",
    "agency",
    "asset_type",
    "year_start",
    "year_end",
    "budget_idr",
    "geometry",
)


def find_overlaps(
    projects: gpd.GeoDataFrame,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    involving: np.ndarray | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    network: RoadNetwork | None = None,
    located: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Find every pair of projects that plan work on the same road, area or bridge.

    Parameters
    ----------
    projects
        Canonical project records (:data:`geo.schema.RECORD_COLUMNS`) in EPSG:4326.
    settings
        Thresholds (``tolerance_m``, ``min_overlap_m``, ``bridge_distance_m``,
        ``min_overlap_ha``, ``min_overlap_share``, ``max_angle_deg``, ...); defaults to
        :data:`geo.settings.DEFAULT_SETTINGS`.
    involving
        Boolean per project: only pairs with at least one of these are measured (a new
        upload checked against what is stored). None: every pair.
    irrigation_areas
        Daerah Irigasi polygons (any CRS; :mod:`geo.read.reference` columns, ``di_id`` and ``name``
        used when present) or None: irrigation works given as points are then compared by the
        D.I. they lie in.
    network
        The reference road network, or None. With it, road projects are located on the network
        (:func:`geo.spatial.linematch.locate_on_network`) and two projects located there for
        at least :data:`geo.analyse.overlap_network.ON_NETWORK_SHARE` of their length overlap
        by the chainage they share on a ruas (:mod:`geo.analyse.overlap_network`); other road
        pairs are measured by geometry. Findings then carry ``method`` (``network`` or
        ``geometry``), ``ruas_id``, ``sta_from_m`` and ``sta_to_m``.

    located
        :func:`locate_road_projects` of these ``projects`` on ``network`` when already
        measured (the one analysis locates once for overlaps and locations), else None.
    Returns
    -------
    geopandas.GeoDataFrame
        One finding per pair, :data:`FINDING_COLUMNS`, EPSG:4326. ``overlap_m`` (roads, metres),
        ``overlap_ha`` (irrigation, hectares), ``distance_m`` (bridges, and irrigation works in
        one D.I.: the distance between the works, metres), ``share_a`` /
        ``share_b`` (0-1 of each project covered), ``budget_at_stake_idr`` (rupiah: the smaller
        project's budget times its covered share, at most either project's pagu:
        :func:`cap_at_stake_idr`), ``severity`` (``high`` when levels differ and
        the smaller project is at least ``severity_share`` covered, ``medium`` for other
        cross-level pairs, ``low`` for same-level or same-agency pairs, ``info`` for cross-type
        findings), ``relation`` (``cross_level``, ``same_level``, ``same_agency``) and ``kind``
        (``overlap``; ``repeat``: years apart, the later work starting within the earlier one's
        design life, ``design_life_years``, or ``repeat_window_years``; ``cross_type``).
        ``funding_a``/``_b`` and ``work_type_a``/``_b`` are the projects' sumber dana and
        work types (None when the records have none). The geometry is
        the shared part: A's stretch along B, the intersection polygon, the line joining two
        bridges, or the D.I. two irrigation works lie in. Project a is the one of the higher level of government.

    Raises
    ------
    ValueError
        ``projects`` is not in EPSG:4326 or lacks a required column.

    Examples
    --------
    >>> from shapely import LineString
    >>> roads = gpd.GeoDataFrame({
    ...     "project_id": ["A", "B"], "name": ["a", "b"], "level": ["pusat", "provinsi"],
    ...     "agency": ["BPJN", "Dinas"], "asset_type": ["road", "road"],
    ...     "year_start": [2025, 2025], "year_end": [2025, 2025], "budget_idr": [1e9, 4e8]},
    ...     geometry=[LineString([(103.60, -1.6), (103.62, -1.6)]),
    ...               LineString([(103.61, -1.6), (103.63, -1.6)])], crs=4326)
    >>> round(float(find_overlaps(roads)["overlap_m"].iloc[0]))
    1113
    """
    _check(projects)
    projects = projects.reset_index(drop=True)
    geoms = np.asarray(projects.geometry.values, dtype=object)
    # Records from geo.read.projects are valid already; data passed in directly may not be.
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    kinds = geometry_kind(geoms)
    asset = projects["asset_type"].to_numpy()
    years = projects[["year_start", "year_end"]].to_numpy(dtype=np.int64)
    roads = np.flatnonzero((asset == "road") & (kinds == "line"))
    areas = np.flatnonzero((asset == "irrigation") & (kinds == "polygon"))
    bridges = np.flatnonzero((asset == "bridge") & (kinds == "point"))
    zones = utm_epsg_for_geometries(projects.geometry)
    wanted = np.ones(len(projects), dtype=bool) if involving is None else np.asarray(involving)
    if wanted.shape != (len(projects),) or wanted.dtype != bool:
        raise ValueError(f"involving must be a boolean array of {len(projects)}, one per project")
    # Per pair: whether the year ranges intersect, and whether it involves a wanted project.
    pair_kind = functools.partial(_pair_kind, years, wanted, design_lives(projects, settings))
    decks = functools.partial(road_decks, projects)
    on_network = np.zeros(len(projects), dtype=bool)
    network_pairs = None
    apart = None
    if network is not None:
        all_decks = np.zeros(len(projects), dtype=np.int8)
        all_decks[roads] = decks(roads)
        if located is None:
            located = locate_road_projects(projects, network, settings=settings)
        located = located[np.isin(located["work"].to_numpy(dtype=np.int64), roads)]
        network_pairs, on_network = network_road_pairs(
            projects, roads, all_decks, pair_kind, network, settings, located=located
        )
        apart = network_apart(located, len(projects))
    parts = [
        _road_findings(geoms, roads, pair_kind, zones, settings, decks, on_network, apart),
        _area_findings(geoms, areas, pair_kind, zones, settings),
        _bridge_findings(geoms, bridges, pair_kind, zones, settings),
        _bridge_on_road_findings(geoms, bridges, roads, pair_kind, zones, settings),
    ]
    if irrigation_areas is not None:
        works = np.flatnonzero((asset == "irrigation") & np.isin(kinds, ["point", "polygon"]))
        levels = projects["level"].astype(str).to_numpy(dtype=object)
        parts.append(
            _same_area_findings(geoms, works, kinds, levels, pair_kind, zones, irrigation_areas)
        )
    if network_pairs is not None:
        parts.append(network_pairs)
    pairs = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else _empty_pairs()
    )
    if network is not None:
        for column in NETWORK_COLUMNS:
            if column not in pairs.columns:
                pairs[column] = np.nan
        for column, missing in (("method", "geometry"), ("ruas_id", "")):
            values = pairs[column].astype(object)
            pairs[column] = values.where(values.notna(), missing)
        _place_on_ruas(pairs, network, all_decks, settings)
    return describe(pairs, projects, settings)


def _place_on_ruas(
    pairs: pd.DataFrame, network: RoadNetwork, decks: np.ndarray, settings: Settings
) -> None:
    """Give road pairs found by geometry the ruas and STA of their shared stretch, where the
    network holds it: located there (at project a's deck) for at least
    :data:`geo.analyse.overlap_network.ON_NETWORK_SHARE` of its length, on one ruas."""
    if pairs.empty:
        return
    rows = np.flatnonzero(
        (pairs["asset_type"].to_numpy() == "road") & (pairs["method"].to_numpy() == "geometry")
    )
    if not len(rows):
        return
    located = locate_on_network(
        network,
        np.asarray(pairs["geometry"].to_numpy(), dtype=object)[rows],
        decks=decks[pairs["a"].to_numpy(dtype=np.int64)[rows]],
        settings=match_settings(settings.network_offset_m),
    )
    on_ruas = located[(located["ruas_id"] != "") & (located["matched_share"] >= ON_NETWORK_SHARE)]
    on_ruas = as_counted(on_ruas, network, from_end=settings.chainage_from_end)
    one_ruas = on_ruas.groupby("line")["ruas"].transform("nunique") == 1
    spans = (
        on_ruas[one_ruas]
        .groupby("line")
        .agg(ruas_id=("ruas_id", "first"), sta_from_m=("from_m", "min"), sta_to_m=("to_m", "max"))
    )
    at = rows[spans.index.to_numpy(dtype=np.int64)]
    for column in ("ruas_id", "sta_from_m", "sta_to_m"):
        pairs.loc[at, column] = spans[column].to_numpy()


def _check(projects: gpd.GeoDataFrame) -> None:
    problems = []
    if projects.crs is None or projects.crs.to_epsg() != 4326:
        problems.append(f"projects must be in EPSG:4326, not {projects.crs}; use to_crs(4326)")
    missing = [c for c in _REQUIRED if c not in projects.columns]
    if missing:
        problems.append(f"projects lack column(s) {', '.join(missing)}")
    if problems:
        raise ValueError("; ".join(problems))


# --- candidate pairs ---------------------------------------------------------------------------


def _candidates(
    geoms: np.ndarray,
    left: np.ndarray,
    right: np.ndarray | None,
    distance_m: float,
    *,
    boxes_only: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (into ``geoms``) of ``left`` x ``right`` features that may be within reach.

    Searched in degrees with a distance that is never too short; exact tests follow in metres.
    With ``boxes_only``, pairs whose bounding boxes come within the distance (no GEOS distance
    test: the caller measures every pair anyway). With ``right`` None, pairs within ``left``
    are returned once each (i < j).
    """
    same = right is None
    right = left if right is None else right
    if not len(left) or not len(right):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    tree = shapely.STRtree(geoms[right])
    reach_deg = distance_m / _MIN_M_PER_DEG
    if boxes_only:
        xmin, ymin, xmax, ymax = shapely.bounds(geoms[left]).T
        queries = shapely.box(
            xmin - reach_deg, ymin - reach_deg, xmax + reach_deg, ymax + reach_deg
        )
        options = {}
    elif distance_m > 0:
        queries, options = geoms[left], {"predicate": "dwithin", "distance": reach_deg}
    else:
        queries, options = geoms[left], {"predicate": "intersects"}
    # Queries split across threads: GEOS distance tests run without the GIL.
    slices = np.array_split(np.arange(len(left)), _WORKERS)
    found = map_in_threads(lambda part: tree.query(queries[part], **options), slices)
    q = np.concatenate([slices[k][hits[0]] for k, hits in enumerate(found)])
    t = np.concatenate([hits[1] for hits in found])
    a, b = left[q], right[t]
    if same:
        keep = a < b
        a, b = a[keep], b[keep]
    return a, b


def _pairs_by_zone(a: np.ndarray, zones: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """Positions of pairs grouped by the zone of their first project, in bounded chunks."""
    zone_of_pair = zones[a]
    for zone in np.unique(zone_of_pair):
        members = np.flatnonzero(zone_of_pair == zone)
        for start in range(0, len(members), CHUNK_PAIRS):
            yield int(zone), members[start : start + CHUNK_PAIRS]


def _metric_subset(geoms: np.ndarray, index: np.ndarray, epsg: int):
    """Unique features of ``index`` in metres, and the position of each index among them."""
    unique, inverse = np.unique(index, return_inverse=True)
    return to_metric(geoms[unique], epsg), inverse


# --- roads -------------------------------------------------------------------------------------


def _road_findings(
    geoms, roads, pair_kind, zones, settings: Settings, decks, on_network: np.ndarray, apart
) -> pd.DataFrame:
    # Bounding boxes only: the compiled measure below is cheaper than GEOS distance tests.
    a, b = _candidates(geoms, roads, None, settings.tolerance_m, boxes_only=True)
    kind = pair_kind(a, b, settings.repeat_window_years)
    a, b, kind = a[kind != ""], b[kind != ""], kind[kind != ""]
    # One above (or below) the other: different roads. Decks of the paired roads only.
    rows = np.unique(np.concatenate([a, b]))
    deck = np.zeros(len(geoms), dtype=np.int8)
    deck[rows] = decks(rows)
    # Pairs of two projects located on the road network are decided there, and two projects
    # it places on different roads are not paired by their geometry.
    same = (deck[a] == deck[b]) & ~(on_network[a] & on_network[b])
    if apart is not None and len(a):
        same &= ~apart(a, b)
    a, b, kind = a[same], b[same], kind[same]
    if not len(a):
        return _empty_pairs()
    arrays, at_a, at_b, own = _metric_lines(geoms, a, b, zones)
    rule = AlongSettings(
        tolerance_m=settings.tolerance_m,
        max_angle_deg=settings.max_angle_deg,
        step_m=settings.measure_step_m,
        min_total_m=settings.min_overlap_m,
    )
    along_b = extent_along_m(arrays, at_a, at_b, rule)  # A's length along B, metres
    # The overlap is the smaller of both directions: B along A only matters where A along B
    # reached the threshold (a few % of the candidates; the rest are crossings and neighbours).
    along_a = np.zeros(len(a))
    second = np.flatnonzero(along_b >= settings.min_overlap_m)
    along_a[second] = extent_along_m(arrays, at_b[second], at_a[second], rule)
    overlap_m = np.minimum(along_b, along_a)
    keep = np.flatnonzero(overlap_m >= settings.min_overlap_m)
    shared = shared_pieces(arrays, at_a[keep], at_b[keep], rule)
    for zone in np.unique(zones[a[keep]]):
        in_zone = zones[a[keep]] == zone
        shared[in_zone] = to_degrees(shared[in_zone], int(zone))
    own_a, own_b = own[a[keep]], own[b[keep]]
    measured, at = np.unique(np.concatenate([own_a, own_b]), return_inverse=True)
    length_m = resampled_length_m(arrays, measured, step_m=settings.measure_step_m)[at]
    frame = pd.DataFrame(
        {
            "a": a[keep],
            "b": b[keep],
            "kind": kind[keep],
            "asset_type": "road",
            "overlap_m": overlap_m[keep],
            "size_a": length_m[: len(keep)],
            "size_b": length_m[len(keep) :],
        }
    )
    frame["share_a"] = np.minimum(frame["overlap_m"] / frame["size_a"], 1.0)
    frame["share_b"] = np.minimum(frame["overlap_m"] / frame["size_b"], 1.0)
    frame["geometry"] = shared
    return frame


def _metric_lines(geoms: np.ndarray, a: np.ndarray, b: np.ndarray, zones: np.ndarray):
    """The pairs' lines in metres, as :class:`geo.spatial.segments.LineArrays`.

    A pair is measured in the UTM zone of its first line: every line in its own zone, and the
    second line of a pair across a zone boundary also in the first one's zone.

    Returns
    -------
    arrays
        The lines (one per line and zone), metres.
    at_a, at_b
        Per pair: where its lines are in ``arrays``, both in the zone of ``a``.
    own
        Per project (position in ``geoms``): where its line in its own zone is, -1 if none.
    """
    own_lines = np.unique(np.concatenate([a, b]))
    across = np.flatnonzero(zones[a] != zones[b])
    arrays, at = metric_line_arrays(
        geoms,
        np.concatenate([own_lines, a, b[across]]),
        np.concatenate([zones[own_lines], zones[a], zones[a[across]]]),
    )
    own = np.full(len(geoms), -1, dtype=np.int64)
    own[own_lines] = at[: len(own_lines)]
    at_a = at[len(own_lines) : len(own_lines) + len(a)]
    at_b = own[b]
    at_b[across] = at[len(own_lines) + len(a) :]
    return arrays, at_a, at_b, own


def _area_findings(geoms, areas, pair_kind, zones, settings: Settings) -> pd.DataFrame:
    a, b = _candidates(geoms, areas, None, 0.0)
    kind = pair_kind(a, b, settings.repeat_window_years)
    a, b, kind = a[kind != ""], b[kind != ""], kind[kind != ""]
    if not len(a):
        return _empty_pairs()
    inter_m2 = np.zeros(len(a))
    area_a, area_b = np.zeros(len(a)), np.zeros(len(a))
    shared = np.full(len(a), None, dtype=object)
    for zone, chunk in _pairs_by_zone(a, zones):
        metric_a, pos_a = _metric_subset(geoms, a[chunk], zone)
        metric_b, pos_b = _metric_subset(geoms, b[chunk], zone)
        common = shapely.intersection(metric_a[pos_a], metric_b[pos_b])
        inter_m2[chunk] = shapely.area(common)
        area_a[chunk] = shapely.area(metric_a)[pos_a]
        area_b[chunk] = shapely.area(metric_b)[pos_b]
        shared[chunk] = to_degrees(common, zone)
    smaller = np.minimum(area_a, area_b)
    keep = (inter_m2 >= settings.min_overlap_ha * 10_000.0) & (
        inter_m2 >= settings.min_overlap_share * smaller
    )
    return pd.DataFrame(
        {
            "a": a[keep],
            "b": b[keep],
            "kind": kind[keep],
            "asset_type": "irrigation",
            "overlap_ha": inter_m2[keep] / 10_000.0,
            "size_a": area_a[keep],
            "size_b": area_b[keep],
            "share_a": inter_m2[keep] / area_a[keep],
            "share_b": inter_m2[keep] / area_b[keep],
            "geometry": shared[keep],
        }
    )


def reach_of(projects: gpd.GeoDataFrame, irrigation_areas: gpd.GeoDataFrame | None) -> np.ndarray:
    """Geometries (EPSG:4326) a check of ``projects`` against others must look within: the
    projects themselves and the Daerah Irigasi their irrigation works lie in (works of another
    level anywhere in the same D.I. are findings)."""
    geoms = np.asarray(projects.geometry.values, dtype=object)
    if irrigation_areas is None or projects.empty:
        return geoms
    works = geoms[(projects["asset_type"] == "irrigation").to_numpy()]
    held = area_of_works(works, irrigation_areas)
    areas = np.asarray(irrigation_areas.to_crs(4326).geometry.values, dtype=object)
    return np.concatenate([geoms, areas[np.unique(held[held >= 0])]])


def _same_area_findings(geoms, works, kinds, levels, pair_kind, zones, irrigation_areas):
    """Irrigation works of different levels in the same Daerah Irigasi, at least one a point."""
    if not len(works):
        return _empty_pairs()
    di = area_of_works(geoms[works], irrigation_areas)
    works, di = works[di >= 0], di[di >= 0]
    order = np.argsort(di, kind="stable")
    works, di = works[order], di[order]
    starts = np.flatnonzero(np.r_[True, di[1:] != di[:-1]])
    ends = np.r_[starts[1:], len(di)]
    a_parts, b_parts = [], []
    for lo, hi in zip(starts, ends, strict=True):  # the works of one D.I.
        i, j = np.triu_indices(hi - lo, k=1)
        a_parts.append(works[lo:hi][i])
        b_parts.append(works[lo:hi][j])
    a = np.concatenate(a_parts) if a_parts else np.empty(0, dtype=np.int64)
    b = np.concatenate(b_parts) if b_parts else np.empty(0, dtype=np.int64)
    # Two areas are measured by their intersection (_area_findings); works of one level in one
    # D.I. are ordinary packages of that level.
    keep = ((kinds[a] == "point") | (kinds[b] == "point")) & (levels[a] != levels[b])
    a, b = a[keep], b[keep]
    kind = pair_kind(a, b, None)
    a, b, kind = a[kind != ""], b[kind != ""], kind[kind != ""]
    if not len(a):
        return _empty_pairs()
    distance, _ = _point_distances(geoms, a, b, zones)
    areas = np.asarray(irrigation_areas.to_crs(4326).geometry.values, dtype=object)
    held = area_of_works(geoms[a], irrigation_areas)
    return pd.DataFrame(
        {
            "a": a,
            "b": b,
            "kind": kind,
            "asset_type": "irrigation",
            "distance_m": distance,
            "share_a": 1.0,
            "share_b": 1.0,
            "size_a": np.nan,
            "size_b": np.nan,
            "geometry": areas[held],
        }
    )


# --- bridges -----------------------------------------------------------------------------------


def _point_distances(geoms, a, b, zones):
    """Per pair: distance in metres and the shortest line joining them (EPSG:4326)."""
    distance = np.full(len(a), np.inf)
    joins = np.full(len(a), None, dtype=object)
    for zone, chunk in _pairs_by_zone(a, zones):
        metric_a, pos_a = _metric_subset(geoms, a[chunk], zone)
        metric_b, pos_b = _metric_subset(geoms, b[chunk], zone)
        distance[chunk] = shapely.distance(metric_a[pos_a], metric_b[pos_b])
        joins[chunk] = shapely.shortest_line(geoms[a[chunk]], geoms[b[chunk]])
    return distance, joins


def _bridge_findings(geoms, bridges, pair_kind, zones, settings: Settings) -> pd.DataFrame:
    a, b = _candidates(geoms, bridges, None, settings.bridge_distance_m)
    kind = pair_kind(a, b, settings.repeat_window_years)
    a, b, kind = a[kind != ""], b[kind != ""], kind[kind != ""]
    if not len(a):
        return _empty_pairs()
    distance, joins = _point_distances(geoms, a, b, zones)
    keep = distance <= settings.bridge_distance_m
    return pd.DataFrame(
        {
            "a": a[keep],
            "b": b[keep],
            "kind": kind[keep],
            "asset_type": "bridge",
            "distance_m": distance[keep],
            "share_a": 1.0,
            "share_b": 1.0,
            "size_a": np.nan,
            "size_b": np.nan,
            "geometry": joins[keep],
        }
    )


def _bridge_on_road_findings(geoms, bridges, roads, pair_kind, zones, settings) -> pd.DataFrame:
    a, b = _candidates(geoms, roads, bridges, settings.tolerance_m)
    kind = pair_kind(a, b, None)
    a, b = a[kind != ""], b[kind != ""]
    if not len(a):
        return _empty_pairs()
    distance, joins = _point_distances(geoms, a, b, zones)
    keep = distance <= settings.tolerance_m
    return pd.DataFrame(
        {
            "a": a[keep],
            "b": b[keep],
            "kind": "cross_type",
            "asset_type": "bridge/road",
            "distance_m": distance[keep],
            "size_a": np.nan,
            "size_b": np.nan,
            "geometry": joins[keep],
        }
    )


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({"a": pd.Series(dtype=np.int64), "b": pd.Series(dtype=np.int64)})
