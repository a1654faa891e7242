"""Location by reference: road works placed on the reference road network.

DESIGN section 4, "Location by reference". Road works are specified against the road network
in two ways, and both are turned into geometry here:

- start and end points (the geotagging rule): each point is snapped to the nearest road within
  ``snap_m`` and the two are joined by the shortest route *along* the network
  (`place_start_end`, `place_many`). A straight chord between two points on a winding road is
  not the road: it misses the bends by up to a hundred metres, and overlaps along them would be
  missed.
- a ruas (road section) code or name with a chainage range such as ``STA 5+000 s/d 9+000``
  (`parse_chainage`), cut from that ruas by linear referencing (`cut_by_chainage`,
  `cut_many`).

Inputs and results are in EPSG:4326. Every distance (snapping, route lengths, chainage) is in
metres, measured in the WGS 84 / UTM zone of the road edge or ruas it lies on (:mod:`geo.spatial.crs`):
a national network spanning nine zones is routed as one graph, each stretch measured in its
own zone. Nothing here raises for a record that cannot be placed: it gets ``None`` and a reason
for the import report, and the caller keeps what it had (a straight chord) with that warning.

The network graph has a node at both ends of every road line, where roads cross or touch, and
where a road ends within ``join_m`` of another (digitised T-junctions that stop just short);
its edges are the stretches of road between nodes. Shortest routes are found with
``scipy.sparse.csgraph.dijkstra`` on the part of the graph that can hold a route no longer
than the search limit, for many records at a time.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components, dijkstra

from geo.errors import CRSError
from geo.spatial.crs import MIN_M_PER_DEG as _MIN_M_PER_DEG
from geo.spatial.crs import to_degrees, to_metric, transformer, utm_epsg_for_geometries

__all__ = [
    "DECLARED_LENGTH_SHARE",
    "RoadNetwork",
    "cut_by_chainage",
    "declared_lengths_m",
    "cut_many",
    "parse_chainage",
    "parse_chainages",
    "place_many",
    "place_start_end",
]

#: Records routed per Dijkstra call: each call returns a (records x nodes) distance table.
ROUTE_CHUNK = 128
#: Largest (records x nodes) table per Dijkstra call (12 bytes a cell); chunks are halved.
MAX_TABLE_CELLS = 8_000_000
#: Split positions closer than this along a line (degrees, about 0.1 mm) are the same node.
_SAME_POSITION_DEG = 1e-9
#: Pieces of a route shorter than this (metres) are dropped when the route is assembled.
_NO_LENGTH_M = 1e-6
#: A chainage range may end this far (metres) past a ruas's digitised end and stop at the end:
#: "STA 0+000 s/d 30+000" on a ruas measured at 29,999.9997 m is the whole ruas.
_END_SLACK_M = 0.5

#: A placed length further than this share (0-1) from the length the record declares is
#: reported for that record (DESIGN section 4: placement sanity).
DECLARED_LENGTH_SHARE = 0.2
#: When the shortest route is not the declared length, this many other routes are tried.
ALTERNATIVE_ROUTES = 3
#: Edges of routes already tried weigh this many times their length in the next search.
_TRIED_EDGE_WEIGHT = 10.0

_WGS84 = 4326
_LINE_TYPES = (1, 5)  # LineString, MultiLineString


# --- the network --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Graph:
    """Road edges between nodes; ``edges_m[i]`` in metres in WGS 84 / UTM ``zone[i]``.

    Edges of one road line are consecutive and in its digitised order: ``part[i]`` is the line
    (a part of a road feature) edge ``i`` comes from.
    """

    edges_deg: np.ndarray
    edges_m: np.ndarray
    zone: np.ndarray
    length_m: np.ndarray
    u: np.ndarray
    v: np.ndarray
    part: np.ndarray
    tree: shapely.STRtree


@dataclasses.dataclass(frozen=True)
class _Ruas:
    """Road sections (ruas), each merged into one line in metres in its own UTM zone.

    ``line_m[g]`` is None where the features of ruas ``g`` do not join into one line;
    ``problem[g]`` then says so.
    """

    label: np.ndarray
    road_id: np.ndarray
    status: np.ndarray
    line_m: np.ndarray
    zone: np.ndarray
    length_m: np.ndarray
    problem: np.ndarray
    by_raw_id: dict[str, list[int]]
    by_id: dict[str, list[int]]
    by_name: dict[str, list[int]]
    has_keys: bool


class RoadNetwork:
    """The reference road network, ready for placing works on it.

    Build it once and pass it to every `place_many` / `cut_many` call: the routing graph and
    the ruas index are built on first use and kept.

    Parameters
    ----------
    roads
        Road features in any CRS, which must be set (reprojected to EPSG:4326): a LineString or
        MultiLineString per feature; optional columns ``road_id`` (kode ruas, e.g. ``"N-008"``
        or ``"015"``), ``name`` (nama ruas, e.g. ``"Jambi - Tempino"``) and ``status``
        (nasional, provinsi, ...). A ruas may be one feature or several consecutive ones, in
        chainage order; chainage runs from the ruas start in the digitised direction.
    join_m
        A road ending within this many metres of another road is joined to it (a digitised
        T-junction that stops short); also the distance within which line ends are one node.

    Attributes
    ----------
    roads
        The usable features (lines), EPSG:4326, with their original index labels.
    notes
        Report lines about features left out (no line geometry).

    Raises
    ------
    geo.errors.CRSError
        If ``roads`` has no CRS.
    """

    def __init__(self, roads: gpd.GeoDataFrame, *, join_m: float = 1.0) -> None:
        if not isinstance(roads, gpd.GeoDataFrame):
            raise TypeError(
                f"RoadNetwork: roads must be a GeoDataFrame of road lines, not {type(roads)!r}"
            )
        if roads.crs is None:
            raise CRSError(
                "road network: the roads have no CRS (crs is None), so their units are unknown; "
                "declare it with set_crs(), e.g. .set_crs(4326) for longitude/latitude degrees"
            )
        if join_m < 0:
            raise ValueError(f"RoadNetwork: join_m must be >= 0 metres, not {join_m!r}")
        roads_deg = roads if roads.crs.equals(_WGS84) else roads.to_crs(_WGS84)
        geoms = np.asarray(roads_deg.geometry.array, dtype=object)
        usable = np.isin(shapely.get_type_id(geoms), _LINE_TYPES) & ~shapely.is_empty(geoms)
        self.notes: list[str] = []
        if not usable.all():
            left_out = roads_deg.index[~usable]
            self.notes.append(
                f"road network: {len(left_out)} feature(s) without a line geometry were left "
                f"out (index {_first_few(left_out)})"
            )
        self.roads: gpd.GeoDataFrame = roads_deg.iloc[np.flatnonzero(usable)]
        self.join_m = float(join_m)

    def __len__(self) -> int:
        return len(self.roads)

    @functools.cached_property
    def graph(self) -> _Graph:
        """The routing graph (built on first use)."""
        return _build_graph(np.asarray(self.roads.geometry.array, dtype=object), self.join_m)

    @functools.cached_property
    def ruas(self) -> _Ruas:
        """The ruas index for chainage cuts (built on first use)."""
        return _build_ruas(self.roads)


def _as_network(roads: gpd.GeoDataFrame | RoadNetwork) -> RoadNetwork:
    return roads if isinstance(roads, RoadNetwork) else RoadNetwork(roads)


def _build_graph(lines: np.ndarray, join_m: float) -> _Graph:
    """Split road lines (EPSG:4326) at every junction into edges between numbered nodes."""
    parts = shapely.get_parts(lines)
    parts = parts[shapely.length(parts) > 0]
    if not len(parts):
        nothing = np.empty(0, dtype=object)
        whole = np.empty(0, dtype=np.int64)
        return _Graph(
            nothing, nothing, whole, np.empty(0), whole, whole, whole, shapely.STRtree(nothing)
        )
    join_deg = max(join_m, 0.0) / _MIN_M_PER_DEG
    tree = shapely.STRtree(parts)
    at_part = [np.arange(len(parts)), np.arange(len(parts))]
    at_pos = [np.zeros(len(parts)), shapely.length(parts)]

    # Where two roads cross or touch (overlapping stretches give every shared vertex).
    a, b = tree.query(parts, predicate="intersects")
    a, b = a[a < b], b[a < b]
    if len(a):
        xy, pair = shapely.get_coordinates(
            shapely.intersection(parts[a], parts[b]), return_index=True
        )
        meet = shapely.points(xy)
        for side in (a, b):
            at_part.append(side[pair])
            at_pos.append(shapely.line_locate_point(parts[side[pair]], meet))

    # Where a road ends within join_m of another one: digitised junctions often stop short.
    ends = np.concatenate([shapely.get_point(parts, 0), shapely.get_point(parts, -1)])
    end_owner = np.tile(np.arange(len(parts)), 2)
    if join_deg > 0:
        e, q = tree.query(ends, predicate="dwithin", distance=join_deg)
        e, q = e[end_owner[e] != q], q[end_owner[e] != q]
        at_part.append(q)
        at_pos.append(shapely.line_locate_point(parts[q], ends[e]))

    part = np.concatenate(at_part)
    pos = np.concatenate(at_pos)
    part_length = shapely.length(parts)[part]
    pos = np.clip(pos, 0.0, part_length)
    pos[pos < _SAME_POSITION_DEG] = 0.0
    pos[pos > part_length - _SAME_POSITION_DEG] = part_length[
        pos > part_length - _SAME_POSITION_DEG
    ]
    order = np.lexsort((pos, part))
    part, pos = part[order], pos[order]
    new = np.ones(len(part), dtype=bool)
    new[1:] = (part[1:] != part[:-1]) | (pos[1:] - pos[:-1] > _SAME_POSITION_DEG)
    part, pos = part[new], pos[new]
    same = part[1:] == part[:-1]
    edge_part = part[:-1][same]
    edges_deg = _substrings(parts, pos[:-1][same], pos[1:][same], which=edge_part)

    # Nodes: edge ends, those within join_m of each other being one node.
    tips = np.concatenate([shapely.get_point(edges_deg, 0), shapely.get_point(edges_deg, -1)])
    tip_tree = shapely.STRtree(tips)
    i, j = tip_tree.query(tips, predicate="dwithin", distance=max(join_deg, _SAME_POSITION_DEG))
    links = csr_array((np.ones(len(i)), (i, j)), shape=(len(tips), len(tips)))
    _, node = connected_components(links, directed=False)
    n_edges = len(edges_deg)

    zone = utm_epsg_for_geometries(gpd.GeoSeries(edges_deg, crs=_WGS84))
    edges_m = _project(edges_deg, zone)
    return _Graph(
        edges_deg=edges_deg,
        edges_m=edges_m,
        zone=zone,
        length_m=shapely.length(edges_m),
        u=node[:n_edges].astype(np.int64),
        v=node[n_edges:].astype(np.int64),
        part=edge_part,
        tree=shapely.STRtree(edges_deg),
    )


# --- placing start/end points -------------------------------------------------------------------


def place_start_end(
    starts: Sequence[shapely.Geometry | None] | np.ndarray,
    ends: Sequence[shapely.Geometry | None] | np.ndarray,
    roads: gpd.GeoDataFrame | RoadNetwork,
    *,
    snap_m: float = 100.0,
    max_detour: float = 3.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Place works given by start and end points along the road network.

    Each point is snapped to the nearest road within ``snap_m``; the two snapped positions are
    joined by the shortest route along the network, cut exactly at them. When both snap to the
    same road line the result is the stretch of that road between them (unless that stretch is
    longer than the search limit, e.g. the long way round a ring road).

    Parameters
    ----------
    starts, ends
        Shapely Points in EPSG:4326, one start and one end per work; an end may be None or
        empty (a work under 500 m geotagged with one point).
    roads
        The reference network: road lines in any CRS that is set, or a `RoadNetwork` built once
        for many calls.
    snap_m
        Largest distance (metres) from a point to the road it is snapped to.
    max_detour
        Routes longer than ``max_detour`` x the straight distance between the snapped points
        plus 2 x ``snap_m`` are not searched: such a route is not the work the points describe.

    Returns
    -------
    geometries : numpy.ndarray of object
        Per work, in EPSG:4326: the route (LineString), the snapped point where there is one
        point, the point as given when it is too far from any road, or None where the caller
        should keep its straight chord (a point too far from the roads, no route).
    reasons : numpy.ndarray of object
        Per work, ``""`` when placed, otherwise why not, for the import report, e.g.
        ``"start point 340 m from the nearest road (more than 100 m): kept as a straight
        line"``.

    See Also
    --------
    place_many : the same from coordinate arrays, with route lengths and snapping distances.
    """
    start_lon, start_lat = _point_xy(starts)
    end_lon, end_lat = _point_xy(ends)
    placed = place_many(
        start_lon, start_lat, end_lon, end_lat, roads, snap_m=snap_m, max_detour=max_detour
    )
    return (
        np.asarray(placed.geometry.array, dtype=object),
        placed["reason"].to_numpy(dtype=object),
    )


def place_many(
    start_lon: np.ndarray,
    start_lat: np.ndarray,
    end_lon: np.ndarray,
    end_lat: np.ndarray,
    roads: gpd.GeoDataFrame | RoadNetwork,
    *,
    snap_m: float = 100.0,
    max_detour: float = 3.0,
    declared_m: np.ndarray | None = None,
) -> gpd.GeoDataFrame:
    """Place many works given by start and end coordinates along the road network.

    Vectorised: snapping is one tree query for all points, and routes are searched for
    `ROUTE_CHUNK` works at a time on the part of the network around them. See
    `place_start_end` for the rules.

    Parameters
    ----------
    start_lon, start_lat, end_lon, end_lat
        Coordinates in degrees (EPSG:4326), one per work; NaN for a missing point (the end of a
        work geotagged with one point).
    roads
        Road lines in any CRS that is set, or a `RoadNetwork`.
    snap_m
        Largest distance (metres) from a point to the road it is snapped to.
    max_detour
        Search limit: routes longer than ``max_detour`` x the straight distance between the
        snapped points plus 2 x ``snap_m`` are not searched.
    declared_m
        The length each work declares (``Panjang (m)``, ``PJG_KM``, ...), metres, NaN where
        none; see `declared_lengths_m`. Where the shortest route is more than
        :data:`DECLARED_LENGTH_SHARE` away from it, up to :data:`ALTERNATIVE_ROUTES` other
        routes between the snapped points are tried (the search limit grows to the declared
        length) and the one closest to the declared length is taken when it is within that
        share.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per work, in input order, EPSG:4326: ``geometry`` (route, snapped point, point
        as given, or None; see `place_start_end`), ``reason`` (``""`` when placed),
        ``route_m`` (route length along the network in metres, 0 for a point, NaN when not
        placed), ``start_snap_m`` and ``end_snap_m`` (how far each point was moved to the road,
        metres; NaN when missing or not snapped), ``length_note`` (``""``, or for a placed
        route the report words on its length against the declared one).

    Examples
    --------
    >>> from shapely import LineString
    >>> roads = gpd.GeoDataFrame(
    ...     {"road_id": ["R1"]}, geometry=[LineString([(103.60, -1.60), (103.62, -1.60)])], crs=4326
    ... )
    >>> placed = place_many([103.601], [-1.6003], [103.611], [-1.5998], roads)
    >>> round(float(placed["route_m"].iloc[0]))
    1113
    """
    network = _as_network(roads)
    coords = [np.asarray(c, dtype=float).ravel() for c in (start_lon, start_lat, end_lon, end_lat)]
    n = len(coords[0])
    if any(len(c) != n for c in coords):
        raise ValueError(
            f"place_many: start_lon, start_lat, end_lon and end_lat must have one value per "
            f"work, got lengths {[len(c) for c in coords]}"
        )
    if snap_m < 0 or not max_detour >= 1:
        raise ValueError(
            f"place_many: snap_m must be >= 0 metres and max_detour >= 1, not {snap_m!r} and "
            f"{max_detour!r}"
        )
    graph = network.graph
    lon = np.concatenate([coords[0], coords[2]])
    lat = np.concatenate([coords[1], coords[3]])
    given = np.isfinite(lon) & np.isfinite(lat)
    snaps = _Snaps(graph, lon, lat, given, snap_m)
    placed = _Placed(
        geometry=np.full(n, None, dtype=object),
        reason=np.full(n, "", dtype=object),
        route_m=np.full(n, np.nan),
    )
    has_start, has_end = given[:n], given[n:]
    placed.reason[~has_start & ~has_end] = "no start or end point"
    single = np.flatnonzero(has_start ^ has_end)
    _place_points(placed, single, np.where(has_start[single], single, n + single), snaps)
    _place_pairs(placed, np.flatnonzero(has_start & has_end), snaps, coords, max_detour)
    length_note = np.full(n, "", dtype=object)
    if declared_m is not None:
        declared = np.asarray(declared_m, dtype=float).ravel()
        if len(declared) != n:
            raise ValueError(
                f"place_many: declared_m must have one value per work ({n}), not {len(declared)}"
            )
        _prefer_declared(placed, snaps, declared, length_note)
    return gpd.GeoDataFrame(
        {
            "reason": placed.reason,
            "length_note": length_note,
            "route_m": placed.route_m,
            "start_snap_m": np.where(snaps.snapped[:n], snaps.offset_m[:n], np.nan),
            "end_snap_m": np.where(snaps.snapped[n:], snaps.offset_m[n:], np.nan),
        },
        geometry=gpd.GeoSeries(placed.geometry, crs=_WGS84),
        crs=_WGS84,
    )


@dataclasses.dataclass
class _Placed:
    """The outcome per work, filled in by `_place_points` and `_place_pairs`."""

    geometry: np.ndarray
    reason: np.ndarray
    route_m: np.ndarray


class _Snaps:
    """Points (degrees) snapped to the nearest edge within ``snap_m``, with report figures."""

    def __init__(
        self, graph: _Graph, lon: np.ndarray, lat: np.ndarray, given: np.ndarray, snap_m: float
    ) -> None:
        self.graph, self.lon, self.lat, self.snap_m = graph, lon, lat, snap_m
        self.edge, self.along_m, self.offset_m = _snap(graph, lon, lat, given, snap_m)
        self.snapped = self.edge >= 0
        self.snapped_lon, self.snapped_lat = _points_on(graph, self.edge, self.along_m)
        self.far_m = np.full(len(lon), np.nan)
        far = given & ~self.snapped
        if far.any():
            self.far_m[far] = _nearest_m(graph, lon[far], lat[far])

    def too_far(self, points: dict[str, int]) -> str:
        """Report words for points (name -> index) that are not snapped."""
        if not len(self.graph.edges_deg):
            return "the road network has no roads"
        far = " and ".join(f"{name} {_distance_text(self.far_m[k])}" for name, k in points.items())
        return f"{far} from the nearest road (more than {self.snap_m:g} m)"


def _place_points(placed: _Placed, rows: np.ndarray, point: np.ndarray, snaps: _Snaps) -> None:
    """Works with one point: the snapped point, or the point where it is, with a reason."""
    near = snaps.snapped[point]
    placed.geometry[rows[near]] = shapely.points(
        snaps.snapped_lon[point[near]], snaps.snapped_lat[point[near]]
    )
    placed.geometry[rows[~near]] = shapely.points(snaps.lon[point[~near]], snaps.lat[point[~near]])
    placed.route_m[rows[near]] = 0.0
    placed.reason[rows[~near]] = [
        f"{snaps.too_far({'point': k})}: kept where it is" for k in point[~near]
    ]


def _place_pairs(
    placed: _Placed,
    rows: np.ndarray,
    snaps: _Snaps,
    coords: list[np.ndarray],
    max_detour: float,
) -> None:
    """Works with two points: the route between them, or None and why (keep the chord)."""
    n = len(placed.reason)
    start_ok, end_ok = snaps.snapped[rows], snaps.snapped[n + rows]
    unsnapped = rows[~(start_ok & end_ok)]
    placed.reason[unsnapped] = [
        snaps.too_far(
            {
                name: k
                for name, k, ok in (
                    ("start point", i, snaps.snapped[i]),
                    ("end point", n + i, snaps.snapped[n + i]),
                )
                if not ok
            }
        )
        + ": kept as a straight line"
        for i in unsnapped
    ]
    rows = rows[start_ok & end_ok]
    if not len(rows):
        return
    graph, snap_m = snaps.graph, snaps.snap_m
    s, e = rows, n + rows
    lon, lat = snaps.snapped_lon, snaps.snapped_lat
    chord_m = _chord_m(graph, lon[s], lat[s], lon[e], lat[e], snaps.edge[s])
    limit_m = max_detour * chord_m + 2.0 * snap_m
    lines, length_m = _routes(
        graph,
        snaps.edge[s],
        snaps.along_m[s],
        snaps.edge[e],
        snaps.along_m[e],
        limit_m,
        np.column_stack([lon[s], lat[s], lon[e], lat[e]]),
    )
    found = np.isfinite(length_m)
    placed.route_m[rows[found]] = length_m[found]
    is_point = found & shapely.is_missing(lines)
    placed.geometry[rows[found & ~is_point]] = lines[found & ~is_point]
    # Start = end as given is a point work; distinct points snapped onto one place are not.
    same_given = (coords[0][rows] == coords[2][rows]) & (coords[1][rows] == coords[3][rows])
    one = is_point & same_given
    placed.geometry[rows[one]] = shapely.points(lon[s[one]], lat[s[one]])
    collapsed = is_point & ~same_given
    given_apart_m = _chord_m(
        graph,
        coords[0][rows[collapsed]],
        coords[1][rows[collapsed]],
        coords[2][rows[collapsed]],
        coords[3][rows[collapsed]],
        snaps.edge[s[collapsed]],
    )
    placed.route_m[rows[collapsed]] = np.nan
    placed.reason[rows[collapsed]] = [
        f"start and end points ({_distance_text(d)} apart) snap to the same place on the road: "
        f"kept as a straight line"
        for d in given_apart_m
    ]
    placed.reason[rows[~found]] = [
        f"no route along the road network between the snapped start and end points within "
        f"{_distance_text(lim)} ({max_detour:g} x their {_distance_text(c)} straight distance "
        f"+ 2 x {snap_m:g} m): kept as a straight line"
        for lim, c in zip(limit_m[~found], chord_m[~found], strict=True)
    ]


def _prefer_declared(
    placed: _Placed, snaps: _Snaps, declared: np.ndarray, length_note: np.ndarray
) -> None:
    """Routes far from their declared length: try other routes, keep the one that matches,
    and say in ``length_note`` how the placed length compares."""
    n = len(placed.reason)
    graph = snaps.graph
    routed = np.flatnonzero(
        (placed.reason == "")
        & np.isfinite(declared)
        & (declared > 0)
        & (placed.route_m > 0)
        & np.isfinite(placed.route_m)
    )
    off = (
        np.abs(placed.route_m[routed] - declared[routed])
        > DECLARED_LENGTH_SHARE * (declared[routed])
    )
    for work in routed[off]:
        s, e = work, n + work
        ends = (snaps.edge[[s]], snaps.along_m[[s]], snaps.edge[[e]], snaps.along_m[[e]])
        bounds = np.array(
            [
                [
                    snaps.snapped_lon[s],
                    snaps.snapped_lat[s],
                    snaps.snapped_lon[e],
                    snaps.snapped_lat[e],
                ]
            ]
        )
        # the search may reach the declared length; tried stretches weigh more than they measure
        limit = _TRIED_EDGE_WEIGHT * np.array(
            [(1.0 + DECLARED_LENGTH_SHARE) * declared[work] + 2.0 * snaps.snap_m]
        )
        tried = [(float(placed.route_m[work]), placed.geometry[work])]
        stretches: tuple[np.ndarray, ...] = (np.empty(0, dtype=np.int64), np.empty(0), np.empty(0))
        for _ in range(ALTERNATIVE_ROUTES + 1):  # the shortest route again, then others
            found = _route_chunk(graph, *ends, limit, bounds, stretches)  # type: ignore[arg-type]  # three arrays
            if not np.isfinite(found[0][0]):
                break
            _, step, edge, from_m, to_m = found[1:]
            stretches = tuple(
                np.concatenate(pair)
                for pair in zip(
                    stretches,
                    (edge, np.minimum(from_m, to_m), np.maximum(from_m, to_m)),
                    strict=True,
                )
            )
            route_m = float(np.abs(to_m - from_m).sum())
            line = _assemble(
                graph, 1, np.zeros(len(edge), dtype=np.int64), step, edge, from_m, to_m
            )
            if line[0] is not None and all(abs(route_m - m) >= 1.0 for m, _ in tried):
                tried.append((route_m, line[0]))
        best_m, best_line = min(tried, key=lambda t: abs(t[0] - declared[work]))
        if abs(best_m - declared[work]) <= DECLARED_LENGTH_SHARE * declared[work]:
            length_note[work] = (
                f"the shortest route ({_distance_text(placed.route_m[work])}) is not the "
                f"declared {_distance_text(declared[work])}: placed along another route of "
                f"{_distance_text(best_m)}"
            )
            placed.route_m[work], placed.geometry[work] = best_m, best_line
    for work in routed:
        if length_note[work]:
            continue
        share = placed.route_m[work] / declared[work] - 1.0
        if abs(share) > DECLARED_LENGTH_SHARE:
            length_note[work] = (
                f"placed length {_distance_text(placed.route_m[work])} is {abs(share):.0%} "
                f"{'more' if share > 0 else 'less'} than the declared "
                f"{_distance_text(declared[work])}: check the start and end points"
            )


_LENGTH_WORDS = ("panjang", "pjg", "length", "volume", "vol")
_UNIT_IN_TEXT = re.compile(r"^\s*(?P<number>\d[\d.,]*)\s*(?P<unit>km|m)\b\.?\s*$", re.I)


def declared_lengths_m(frame: pd.DataFrame) -> tuple[np.ndarray, str | None]:
    """The length each record declares, in metres (NaN where none or unreadable).

    Read from the first column that names a length with its unit: ``Panjang (m)``,
    ``PJG_M``, ``PJG_KM``, ``Panjang (km)``, ``Volume (km)``; a ``Volume`` column with a
    ``Satuan`` (unit) column of ``km``/``m``; or a length column whose values carry the unit
    (``4,5 km``, ``450 m``). A length without a unit is not guessed.

    Returns
    -------
    metres, column
        Per row the declared length (metres, NaN where none), and the column read (None).

    Examples
    --------
    >>> metres, column = declared_lengths_m(pd.DataFrame({"PJG_KM": ["4,5", None]}))
    >>> metres.tolist(), column
    ([4500.0, nan], 'PJG_KM')
    """
    from geo.schema import normalise_name

    names = {normalise_name(c): c for c in frame.columns if c != "geometry"}
    candidates = [n for n in names if n.split("_")[0] in _LENGTH_WORDS]
    for norm in candidates:  # the unit in the column name
        unit = norm.rsplit("_", 1)[-1] if "_" in norm else ""
        if unit in ("m", "km"):
            factor = 1000.0 if unit == "km" else 1.0
            return _lengths(frame[names[norm]], np.full(len(frame), factor)), names[norm]
    unit_column = next((names[n] for n in ("satuan", "sat", "unit") if n in names), None)
    for norm in candidates:
        column = frame[names[norm]]
        if unit_column is not None and norm.split("_")[0] in ("volume", "vol"):
            units = frame[unit_column].astype(str).str.strip().str.lower().str.rstrip(".")
            factors = units.map({"km": 1000.0, "m": 1.0, "m1": 1.0, "m'": 1.0})
            return _lengths(column, factors.to_numpy(dtype=float)), names[norm]
        text = column.dropna().astype(str)
        if len(text) and text.str.match(_UNIT_IN_TEXT).all():
            return _lengths(column, None), names[norm]
    return np.full(len(frame), np.nan), None


def _lengths(column: pd.Series, factors: np.ndarray | None) -> np.ndarray:
    """Metres from a column of numbers (times ``factors``, per row) or of numbers with their
    unit (``factors`` None)."""
    out = np.full(len(column), np.nan)
    for pos, value in enumerate(column):
        factor = 1.0
        text = "" if value is None else str(value).strip()
        if factors is None:
            found = _UNIT_IN_TEXT.match(text)
            if not found:
                continue
            text, factor = found["number"], 1000.0 if found["unit"].lower() == "km" else 1.0
        else:
            factor = factors[pos]
        number = _plain_number(value if factors is not None else text)
        if number is not None and factor is not None and np.isfinite(factor):
            out[pos] = number * factor
    return out


def _plain_number(value: object) -> float | None:
    """A length as written in Indonesian or plain notation; None when blank or ambiguous."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) if np.isfinite(value) and value > 0 else None
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if "," in text and "." in text:  # 1.250,5: dots group thousands, the comma is decimal
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        return None  # 1.500: thousands or decimals? not guessed
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number > 0 else None


def _point_xy(points: Sequence[shapely.Geometry | None] | np.ndarray) -> tuple[np.ndarray, ...]:
    """Longitude and latitude of each point; NaN for None, empty or non-point geometries."""
    geoms = np.asarray(points, dtype=object).ravel()
    geoms = np.where(pd.isna(geoms), np.array(None), geoms)
    is_point = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    lon = np.full(len(geoms), np.nan)
    lat = np.full(len(geoms), np.nan)
    xy = shapely.get_coordinates(geoms[is_point])
    lon[is_point], lat[is_point] = xy[:, 0], xy[:, 1]
    return lon, lat


def _snap(
    graph: _Graph, lon: np.ndarray, lat: np.ndarray, given: np.ndarray, snap_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest edge within ``snap_m`` of each point (degrees).

    Returns the edge (-1 where none), the position along it and the distance to it, metres.
    """
    edge = np.full(len(lon), -1, dtype=np.int64)
    along_m = np.full(len(lon), np.nan)
    offset_m = np.full(len(lon), np.nan)
    wanted = np.flatnonzero(given)
    if not len(wanted) or not len(graph.edges_deg):
        return edge, along_m, offset_m
    # Candidates in degrees with a radius that is never too short, then measured in metres.
    p, e = graph.tree.query(
        shapely.points(lon[wanted], lat[wanted]),
        predicate="dwithin",
        distance=snap_m / _MIN_M_PER_DEG,
    )
    if not len(p):
        return edge, along_m, offset_m
    x, y = _project_xy(lon[wanted[p]], lat[wanted[p]], graph.zone[e])
    points_m = shapely.points(x, y)
    distance_m = shapely.distance(points_m, graph.edges_m[e])
    order = np.lexsort((distance_m, p))
    nearest = order[np.r_[True, p[order][1:] != p[order][:-1]]]
    nearest = nearest[distance_m[nearest] <= snap_m]
    hit = wanted[p[nearest]]
    edge[hit] = e[nearest]
    offset_m[hit] = distance_m[nearest]
    along_m[hit] = shapely.line_locate_point(graph.edges_m[e[nearest]], points_m[nearest])
    return edge, along_m, offset_m


def _nearest_m(graph: _Graph, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Distance (metres) from each point (degrees) to the nearest road, for a report line."""
    out = np.full(len(lon), np.inf)
    if not len(graph.edges_deg):
        return out
    p, e = graph.tree.query_nearest(shapely.points(lon, lat), all_matches=False)
    x, y = _project_xy(lon[p], lat[p], graph.zone[e])
    out[p] = shapely.distance(shapely.points(x, y), graph.edges_m[e])
    return out


def _points_on(
    graph: _Graph, edge: np.ndarray, along_m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of the positions ``along_m`` on edges (NaN where edge is -1)."""
    lon = np.full(len(edge), np.nan)
    lat = np.full(len(edge), np.nan)
    on = np.flatnonzero(edge >= 0)
    if len(on):
        xy = shapely.get_coordinates(
            shapely.line_interpolate_point(graph.edges_m[edge[on]], along_m[on])
        )
        lon[on], lat[on] = _project_xy(xy[:, 0], xy[:, 1], graph.zone[edge[on]], inverse=True)
    return lon, lat


def _chord_m(
    graph: _Graph,
    lon_a: np.ndarray,
    lat_a: np.ndarray,
    lon_b: np.ndarray,
    lat_b: np.ndarray,
    edge: np.ndarray,
) -> np.ndarray:
    """Straight distance (metres) between point pairs, in the zone of ``edge``."""
    zone = graph.zone[edge]
    xa, ya = _project_xy(lon_a, lat_a, zone)
    xb, yb = _project_xy(lon_b, lat_b, zone)
    return np.hypot(xb - xa, yb - ya)


def _routes(
    graph: _Graph,
    start_edge: np.ndarray,
    start_m: np.ndarray,
    end_edge: np.ndarray,
    end_m: np.ndarray,
    limit_m: np.ndarray,
    bounds_deg: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Routes between positions on edges (metres along them), at most ``limit_m`` long.

    Returns the routes (LineStrings in EPSG:4326; None for a route of no length) and their
    lengths in metres (inf where no route is within the limit).
    """
    n = len(start_edge)
    pieces: list[tuple[np.ndarray, ...]] = []
    length_m = np.full(n, np.inf)

    # On one road line, the stretch of that road: no shortcut over another road.
    same_line = np.flatnonzero(graph.part[start_edge] == graph.part[end_edge])
    if len(same_line):
        stretch = _along_line(
            graph, start_edge[same_line], start_m[same_line], end_edge[same_line], end_m[same_line]
        )
        along_m = np.bincount(stretch[0], np.abs(stretch[4] - stretch[3]), len(same_line))
        fits = along_m <= limit_m[same_line]
        length_m[same_line[fits]] = along_m[fits]
        kept = fits[stretch[0]]
        pieces.append((same_line[stretch[0][kept]], *(part[kept] for part in stretch[1:])))

    to_route = np.flatnonzero(~np.isfinite(length_m))
    if len(to_route):
        # Neighbouring works share the part of the network they are routed on.
        middle = shapely.points(
            (bounds_deg[to_route, 0] + bounds_deg[to_route, 2]) / 2,
            (bounds_deg[to_route, 1] + bounds_deg[to_route, 3]) / 2,
        )
        order = to_route[np.argsort(gpd.GeoSeries(middle).hilbert_distance().to_numpy())]
        for chunk in np.array_split(order, -(-len(order) // ROUTE_CHUNK)):
            found = _route_chunk(
                graph,
                start_edge[chunk],
                start_m[chunk],
                end_edge[chunk],
                end_m[chunk],
                limit_m[chunk],
                bounds_deg[chunk],
            )
            length_m[chunk] = found[0]
            row, *rest = found[1:]
            pieces.append((chunk[row], *rest))

    if not pieces:
        return np.full(n, None, dtype=object), length_m
    work, step, edge, from_m, to_m = (np.concatenate(p) for p in zip(*pieces, strict=True))
    return _assemble(graph, n, work, step, edge, from_m, to_m), length_m


def _along_line(
    graph: _Graph,
    start_edge: np.ndarray,
    start_m: np.ndarray,
    end_edge: np.ndarray,
    end_m: np.ndarray,
) -> tuple[np.ndarray, ...]:
    """Pieces ``(work, step, edge, from_m, to_m)`` along one road line between two positions.

    The edges of a line are consecutive, so the stretch is ``start_edge`` to ``end_edge``.
    """
    forward = (end_edge > start_edge) | ((end_edge == start_edge) & (end_m >= start_m))
    sign = np.where(forward, 1, -1)
    count = np.abs(end_edge - start_edge) + 1
    work = np.repeat(np.arange(len(start_edge)), count)
    step = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    edge = start_edge[work] + sign[work] * step
    length = graph.length_m[edge]
    fwd = forward[work]
    from_m = np.where(step == 0, start_m[work], np.where(fwd, 0.0, length))
    to_m = np.where(step == count[work] - 1, end_m[work], np.where(fwd, length, 0.0))
    return work, step, edge, from_m, to_m


def _route_chunk(
    graph: _Graph,
    start_edge: np.ndarray,
    start_m: np.ndarray,
    end_edge: np.ndarray,
    end_m: np.ndarray,
    limit_m: np.ndarray,
    bounds_deg: np.ndarray,
    tried: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, ...]:
    """Shortest routes for a few works on the part of the network that can hold them.

    Each work gets two nodes of its own: S (its start position, with arcs to both ends of its
    start edge) and T (its end position, with arcs from both ends of its end edge, and from S
    when both are on one edge). S has no incoming and T no outgoing arcs, so no route passes
    through another work's nodes. Returns the lengths (inf when over the limit) and the pieces
    ``(work, step, edge, from_m, to_m)`` of every route found. ``tried``: stretches
    ``(edge, low_m, high_m)`` of routes already found, which weigh :data:`_TRIED_EDGE_WEIGHT`
    times their length in the search (another route is found); the lengths returned are then
    the weighted ones.
    """
    works = len(start_edge)
    # A route of length D lies within D/2 of one of its ends: the edges around both suffice.
    margin_deg = limit_m / 2.0 / _MIN_M_PER_DEG
    boxes = shapely.box(
        np.minimum(bounds_deg[:, 0], bounds_deg[:, 2]) - margin_deg,
        np.minimum(bounds_deg[:, 1], bounds_deg[:, 3]) - margin_deg,
        np.maximum(bounds_deg[:, 0], bounds_deg[:, 2]) + margin_deg,
        np.maximum(bounds_deg[:, 1], bounds_deg[:, 3]) + margin_deg,
    )
    sub = np.unique(np.concatenate([graph.tree.query(boxes)[1], start_edge, end_edge]))
    nodes, local = np.unique(np.concatenate([graph.u[sub], graph.v[sub]]), return_inverse=True)
    if works > 1 and works * (len(nodes) + 2 * works) > MAX_TABLE_CELLS:
        # Long routes reach far: fewer works per call keep the distance table bounded.
        half = works // 2
        inputs = (start_edge, start_m, end_edge, end_m, limit_m, bounds_deg)
        head = _route_chunk(graph, *(x[:half] for x in inputs), tried)  # type: ignore[call-arg, arg-type]  # six arrays
        tail = _route_chunk(graph, *(x[half:] for x in inputs), tried)  # type: ignore[call-arg, arg-type]
        return (
            np.concatenate([head[0], tail[0]]),
            np.concatenate([head[1], tail[1] + half]),
            *(np.concatenate(pair) for pair in zip(head[2:], tail[2:], strict=True)),
        )
    u, v = local[: len(sub)], local[len(sub) :]
    s_edge, t_edge = np.searchsorted(sub, start_edge), np.searchsorted(sub, end_edge)
    s_node = len(nodes) + np.arange(works)
    t_node = len(nodes) + works + np.arange(works)
    size = len(nodes) + 2 * works
    length = graph.length_m[sub]
    s_length, t_length = graph.length_m[start_edge], graph.length_m[end_edge]
    one_edge = np.flatnonzero(start_edge == end_edge)
    zero, s_zero, t_zero = np.zeros(len(sub)), np.zeros(works), np.zeros(works)

    src = np.concatenate([u, v, s_node, s_node, u[t_edge], v[t_edge], s_node[one_edge]])
    dst = np.concatenate([v, u, u[s_edge], v[s_edge], t_node, t_node, t_node[one_edge]])
    edge = np.concatenate(
        [sub, sub, start_edge, start_edge, end_edge, end_edge, start_edge[one_edge]]
    )
    from_m = np.concatenate([zero, length, start_m, start_m, t_zero, t_length, start_m[one_edge]])
    to_m = np.concatenate([length, zero, s_zero, s_length, end_m, end_m, end_m[one_edge]])
    weight = np.abs(to_m - from_m)
    if tried is not None:  # each arc's stretch shared with a tried route weighs more
        low, high = np.minimum(from_m, to_m), np.maximum(from_m, to_m)
        for t_edge, t_low, t_high in zip(*tried, strict=True):
            on = edge == t_edge
            shared = np.clip(np.minimum(high[on], t_high) - np.maximum(low[on], t_low), 0.0, None)
            weight[on] += (_TRIED_EDGE_WEIGHT - 1.0) * shared
    # Keep the shortest arc between two nodes: a sparse matrix would add parallel ones up.
    order = np.lexsort((weight, dst, src))
    first = order[np.r_[True, (np.diff(src[order]) != 0) | (np.diff(dst[order]) != 0)]]
    src, dst, edge, from_m, to_m, weight = (
        a[first] for a in (src, dst, edge, from_m, to_m, weight)
    )
    key = src * size + dst  # sorted, as ``first`` is in (src, dst) order
    arcs = csr_array((weight, (src, dst)), shape=(size, size))
    distance, previous = dijkstra(
        arcs, directed=True, indices=s_node, return_predecessors=True, limit=float(limit_m.max())
    )
    length_m = distance[np.arange(works), t_node]
    length_m[length_m > limit_m] = np.inf

    # Walk every found route back from T to S at once, one arc per round.
    rows = np.flatnonzero(np.isfinite(length_m))
    here = t_node[rows]
    walked: list[tuple[np.ndarray, np.ndarray]] = []
    while len(rows):
        there = previous[rows, here].astype(np.int64)
        walked.append((rows, np.searchsorted(key, there * size + here)))
        going = there != s_node[rows]
        rows, here = rows[going], there[going]
    if not walked:
        empty = np.empty(0, dtype=np.int64)
        return length_m, empty, empty, empty, np.empty(0), np.empty(0)
    row = np.concatenate([w[0] for w in walked])
    arc = np.concatenate([w[1] for w in walked])
    back = np.concatenate([np.full(len(w[0]), k) for k, w in enumerate(walked)])
    return length_m, row, -back, edge[arc], from_m[arc], to_m[arc]


def _assemble(
    graph: _Graph,
    n: int,
    work: np.ndarray,
    step: np.ndarray,
    edge: np.ndarray,
    from_m: np.ndarray,
    to_m: np.ndarray,
) -> np.ndarray:
    """One LineString (EPSG:4326) per work from its pieces of edges, in step order.

    Pieces run from ``from_m`` to ``to_m`` along their edge (metres; reversed when from > to).
    Works whose pieces all have no length get None.
    """
    out = np.full(n, None, dtype=object)
    has_length = np.abs(to_m - from_m) > _NO_LENGTH_M
    work, step, edge, from_m, to_m = (a[has_length] for a in (work, step, edge, from_m, to_m))
    if not len(work):
        return out
    order = np.lexsort((step, work))
    work, edge, from_m, to_m = work[order], edge[order], from_m[order], to_m[order]
    low, high = np.minimum(from_m, to_m), np.maximum(from_m, to_m)
    # Whole edges are taken as digitised; only the partial ones at the route ends are cut.
    whole = (low <= _NO_LENGTH_M) & (high >= graph.length_m[edge] - _NO_LENGTH_M)
    pieces = graph.edges_deg[edge]
    cut = np.flatnonzero(~whole)
    pieces[cut] = _project(
        _cut_edges(graph, edge[cut], low[cut], high[cut]),
        graph.zone[edge[cut]],
        inverse=True,
    )
    backwards = from_m > to_m
    pieces[backwards] = shapely.reverse(pieces[backwards])
    xy, piece = shapely.get_coordinates(pieces, return_index=True)
    # Each piece starts where the previous one ended (or within join_m of it): drop the repeat.
    first_of_piece = np.r_[True, piece[1:] != piece[:-1]]
    first_of_work = np.r_[True, work[1:] != work[:-1]]
    keep = ~first_of_piece | first_of_work[piece]
    owner = work[piece][keep]
    placed, dense = np.unique(owner, return_inverse=True)
    out[placed] = shapely.linestrings(xy[keep], indices=dense)
    return out


def _cut_edges(graph: _Graph, edge: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Parts ``low``..``high`` (metres) of edges, in metres in each edge's zone."""
    used, which = np.unique(edge, return_inverse=True)
    return _substrings(graph.edges_m[used], low, high, which=which)


# --- chainage -----------------------------------------------------------------------------------

_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_POSITION = r"(?:(?P<{0}km>\d+)\s*\+\s*(?P<{0}m>\d{{3}}(?:[.,]\d+)?)|(?P<{0}n>\d+(?:[.,]\d+)?))"
_CHAINAGE = re.compile(
    r"^(?:(?P<pre1>sta|km)\.?\s*)?"
    + _POSITION.format("a")
    + r"\s*(?:(?P<unit1>km|m)\b\.?)?\s*"
    + r"(?:s\s*/\s*d\.?|s\s*\.\s*d\.?|sd|sampai(?:\s+dengan)?|hingga|to|-|~)\s*"
    + r"(?:(?P<pre2>sta|km)\.?\s*)?"
    + _POSITION.format("b")
    + r"\s*(?:(?P<unit2>km|m)\.?)?$"
)
_CHAINAGE_FORMS = "'STA 5+000 s/d 9+000', '5+250 - 9+100', 'km 5,2 - 9,75' or '5.2 - 9.75 km'"


def parse_chainage(text: str) -> tuple[float, float]:
    """Read a chainage range (STA) into metres from the ruas start.

    Accepted: ``km+m`` positions (``STA 5+000 s/d 9+000``, ``Sta. 5+000 - 9+000``,
    ``5+250 sd 9+100``, the metres always three digits, optionally with decimals) and numbers
    with a unit (``km 5 - 9``, ``KM 5,2 - 9,75``, ``5.2 - 9.75 km``, ``2500 - 4000 m``; comma
    or point as the decimal mark). Separators: ``s/d``, ``s.d.``, ``sd``, ``sampai (dengan)``,
    ``hingga``, ``to``, ``~`` and any dash. Case and spacing do not matter.

    A range written from the higher chainage down (``9+000 s/d 5+000``) is the same stretch of
    road: it is returned in ascending order.

    Parameters
    ----------
    text
        The chainage as written in the work's record.

    Returns
    -------
    (float, float)
        From and to, in metres along the ruas, from < to.

    Raises
    ------
    ValueError
        With the reason: not a range of one of the forms above, plain numbers without a unit
        (``5 - 9``: kilometres or metres?), conflicting units, or a range of no length.

    Examples
    --------
    >>> parse_chainage("STA 5+000 s/d 9+000")
    (5000.0, 9000.0)
    >>> parse_chainage("KM 5,2 - 9,75")
    (5200.0, 9750.0)
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"no chainage given ({text!r}); write it like {_CHAINAGE_FORMS}")
    cleaned = re.sub(r"\s+", " ", _DASHES.sub("-", text.strip().lower()))
    match = _CHAINAGE.match(cleaned)
    if not match and re.search(r"\d\s*\+\s*(?:\d{1,2}|\d{4,})(?![\d])", cleaned):
        raise ValueError(
            f"chainage {text!r}: the metres after '+' must be three digits (5+050, not 5+50)"
        )
    if not match:
        raise ValueError(
            f"chainage {text!r} is not a range this reader knows; write it like {_CHAINAGE_FORMS}"
        )
    parts = match.groupdict()
    units = {parts[k] for k in ("pre1", "pre2", "unit1", "unit2")} - {None, "sta"}
    if len(units) > 1:
        raise ValueError(f"chainage {text!r} mixes km and m; use one unit")
    unit = units.pop() if units else None
    values = []
    for side in ("a", "b"):
        if parts[f"{side}km"] is not None:
            values.append(
                1000.0 * float(parts[f"{side}km"]) + float(parts[f"{side}m"].replace(",", "."))
            )
            continue
        if unit is None:
            raise ValueError(
                f"chainage {text!r} has a number without a unit (kilometres or metres?); write "
                f"'km 5 - 9', '5 - 9 km' or 'STA 5+000 s/d 9+000'"
            )
        number = float(parts[f"{side}n"].replace(",", "."))
        values.append(number * 1000.0 if unit == "km" else number)
    low, high = sorted(values)
    if low == high:
        raise ValueError(f"chainage {text!r} has no length (from = to = {_sta(low)})")
    return low, high


def parse_chainages(texts: Sequence[str | None] | np.ndarray | pd.Series) -> pd.DataFrame:
    """Read many chainage ranges; see `parse_chainage`.

    Parameters
    ----------
    texts
        Chainage texts, one per record (None or NaN for none).

    Returns
    -------
    pandas.DataFrame
        One row per text, in order: ``from_m``, ``to_m`` (metres, NaN where unreadable) and
        ``reason`` (``""`` when read). Each distinct text is read once.
    """
    values = pd.Series(np.asarray(texts, dtype=object).ravel(), dtype=object)
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    read = np.full((len(distinct), 2), np.nan)
    why = np.full(len(distinct), "", dtype=object)
    for k, text in enumerate(distinct):
        try:
            read[k] = parse_chainage(text if isinstance(text, str) else "")
        except ValueError as err:
            why[k] = str(err)
    return pd.DataFrame({"from_m": read[codes, 0], "to_m": read[codes, 1], "reason": why[codes]})


def cut_by_chainage(
    roads: gpd.GeoDataFrame | RoadNetwork,
    ruas: str,
    from_m: float,
    to_m: float,
    *,
    status: str | None = None,
) -> tuple[shapely.Geometry | None, str]:
    """Cut the stretch ``from_m``..``to_m`` of one ruas out of the road network.

    Parameters
    ----------
    roads
        Road lines (any CRS that is set) with ``road_id`` and/or ``name`` columns, or a
        `RoadNetwork`.
    ruas
        The ruas: its ``road_id`` (kode ruas; ignoring case, then also spaces, dots and
        dashes) or its ``name`` (ignoring case, dash style, spacing and a leading
        "Jalan"/"Jl."/"Ruas").
    from_m, to_m
        Chainage in metres from the ruas start (in its digitised direction); in either order.
    status
        Only consider ruas of this ``status`` (e.g. ``"nasional"``), to tell apart ruas that
        share a code at different levels.

    Returns
    -------
    (shapely.LineString or None, str)
        The stretch in EPSG:4326, running in the ruas direction, and ``""``; or None and the
        reason (unknown or ambiguous ruas, features that do not join into one line, a range
        beyond the ruas end).

    See Also
    --------
    cut_many : the same for many records.

    Examples
    --------
    >>> from shapely import LineString
    >>> roads = gpd.GeoDataFrame(
    ...     {"road_id": ["N-008"], "name": ["Jambi - Tempino"]},
    ...     geometry=[LineString([(103.60, -1.60), (103.65, -1.60)])], crs=4326,
    ... )
    >>> from geo.spatial.crs import length_m
    >>> stretch, reason = cut_by_chainage(roads, "Jambi \u2013 Tempino", 1000, 3000)
    >>> reason, round(float(length_m(gpd.GeoSeries([stretch], crs=4326))[0]))
    ('', 2000)
    """
    cut = cut_many(roads, [ruas], [from_m], [to_m], status=None if status is None else [status])
    return cut.geometry.iloc[0], cut["reason"].iloc[0]


def cut_many(
    roads: gpd.GeoDataFrame | RoadNetwork,
    ruas: Sequence[str | None] | np.ndarray | pd.Series,
    from_m: Sequence[float] | np.ndarray,
    to_m: Sequence[float] | np.ndarray,
    *,
    status: Sequence[str | None] | np.ndarray | None = None,
) -> gpd.GeoDataFrame:
    """Cut chainage ranges out of ruas, for many records at once.

    Each distinct ruas is looked up once; the cuts are one vectorised linear-referencing pass.
    See `cut_by_chainage` for the matching rules.

    Parameters
    ----------
    roads
        Road lines (any CRS that is set) with ``road_id`` and/or ``name``, or a `RoadNetwork`.
    ruas
        Ruas code or name per record.
    from_m, to_m
        Chainage in metres per record (NaN where unknown); in either order.
    status
        Optional ruas status per record (None for any).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per record, in order, EPSG:4326: ``geometry`` (the stretch, or None),
        ``reason`` (``""`` when cut), ``road_id`` and ``ruas_name`` of the ruas found (``""``
        when none) and ``ruas_length_m`` (its length in metres, NaN when none).
    """
    network = _as_network(roads)
    index = network.ruas
    asked = pd.Series(np.asarray(ruas, dtype=object).ravel(), dtype=object)
    low = np.asarray(from_m, dtype=float).ravel()
    high = np.asarray(to_m, dtype=float).ravel()
    n = len(asked)
    if len(low) != n or len(high) != n:
        raise ValueError(
            f"cut_many: ruas, from_m and to_m must have one value per record, got lengths "
            f"{n}, {len(low)} and {len(high)}"
        )
    wanted_status = (
        pd.Series([None] * n, dtype=object)
        if status is None
        else pd.Series(np.asarray(status, dtype=object).ravel(), dtype=object)
    )
    low, high = np.minimum(low, high), np.maximum(low, high)

    asked_text = asked.where(asked.notna(), "").astype(str)
    status_text = wanted_status.where(wanted_status.notna(), "").astype(str)
    codes, distinct = pd.factorize(asked_text + "\x1f" + status_text)
    found = np.full(len(distinct), -1, dtype=np.int64)
    why = np.full(len(distinct), "", dtype=object)
    for k, key in enumerate(distinct):
        text, wanted = key.split("\x1f")
        found[k], why[k] = _find_ruas(index, text, wanted)
    group = found[codes]
    reason = why[codes].copy()

    matched = group >= 0
    problem = _of_ruas(index.problem, group, "")
    reason[matched] = problem[matched]
    ok = matched & (problem == "")
    bad_range = ok & ~((low >= 0) & np.isfinite(high) & (high > low))
    reason[bad_range] = [
        f"chainage {_range_text(a, b)} is not a range along the ruas (from must be >= 0 and "
        f"less than to)"
        for a, b in zip(low[bad_range], high[bad_range], strict=True)
    ]
    ok &= ~bad_range
    ruas_length = _of_ruas(index.length_m, group, np.nan)
    # A range may end a little past the digitised end (rounding): it stops at the end.
    high = np.where(
        ok & (high > ruas_length) & (high <= ruas_length + _END_SLACK_M), ruas_length, high
    )
    beyond = ok & (high > ruas_length)
    reason[beyond] = [
        f"chainage {_range_text(a, b)} goes beyond the end of ruas {index.label[g]}, which is "
        f"{_distance_text(length)} long (STA {_sta(length)})"
        for a, b, g, length in zip(
            low[beyond], high[beyond], group[beyond], ruas_length[beyond], strict=True
        )
    ]
    ok &= ~beyond

    geometry = np.full(n, None, dtype=object)
    rows = np.flatnonzero(ok)
    if len(rows):
        used, which = np.unique(group[rows], return_inverse=True)
        stretches = _substrings(index.line_m[used], low[rows], high[rows], which=which)
        geometry[rows] = _project(stretches, index.zone[group[rows]], inverse=True)
    return gpd.GeoDataFrame(
        {
            "reason": reason,
            "road_id": _of_ruas(index.road_id, group, ""),
            "ruas_name": _of_ruas(index.label, group, ""),
            "ruas_length_m": ruas_length,
        },
        geometry=gpd.GeoSeries(geometry, crs=_WGS84),
        crs=_WGS84,
    )


def _of_ruas(values: np.ndarray, group: np.ndarray, missing: object) -> np.ndarray:
    """Per record, the value of its ruas (``group``), or ``missing`` where it has none."""
    out = np.full(len(group), missing, dtype=values.dtype)
    matched = group >= 0
    out[matched] = values[group[matched]]
    return out


def _id_key(raw: pd.Series) -> pd.Series:
    """Ruas codes compared ignoring case, spaces, dots and dashes: 'n 008', 'N-008' -> 'N008'."""
    return raw.str.upper().str.replace(r"[\s._\-\u2010-\u2015\u2212]+", "", regex=True)


def _name_key(raw: pd.Series) -> pd.Series:
    """Ruas names compared ignoring case, dash style and spacing, and a leading Jalan/Ruas."""
    text = raw.str.lower().str.replace(_DASHES, "-", regex=True)
    text = text.str.replace(r"\s*-\s*", " - ", regex=True).str.replace(r"\s+", " ", regex=True)
    text = text.str.strip()
    return text.str.replace(r"^(?:(?:ruas|jalan|jln?\.?)\s+)+", "", regex=True).str.strip()


def _column_text(roads: gpd.GeoDataFrame, column: str) -> pd.Series:
    if column not in roads.columns:
        return pd.Series([""] * len(roads), index=roads.index, dtype=object)
    values = roads[column]
    return values.where(values.notna(), "").astype(str).str.strip()


def _build_ruas(roads: gpd.GeoDataFrame) -> _Ruas:
    """Group road features into ruas and merge each into one line in chainage order.

    A ruas is the features sharing a ``road_id`` (ignoring case) and ``status``; features
    without a road_id are grouped by name. The same code at another level is another road
    (national and provincial numbering overlap). Codes that differ only in spacing, dots or
    dashes stay separate ruas here: a lookup matching several of them is ambiguous, not merged.
    """
    raw_id = _column_text(roads, "road_id")
    name = _column_text(roads, "name")
    status = _column_text(roads, "status")
    id_key, name_key = _id_key(raw_id), _name_key(name)
    status_key = status.str.lower()
    by_id = np.where(id_key != "", "id\x1f" + raw_id.str.upper(), "name\x1f" + name_key)
    keyed = (id_key != "") | (name_key != "")
    group, _ = pd.factorize(pd.Series(by_id + "\x1f" + status_key))
    group = np.where(keyed, group, -1)
    rows = np.flatnonzero(keyed)
    if len(rows):
        group[rows] = pd.factorize(group[rows])[0]
    n_groups = int(group.max()) + 1 if len(rows) else 0
    has_keys = bool("road_id" in roads.columns or "name" in roads.columns)
    if not n_groups:
        none, no_zone = np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
        return _Ruas(none, none, none, none, no_zone, np.empty(0), none, {}, {}, {}, has_keys)

    geoms = np.asarray(roads.geometry.array, dtype=object)
    parts, owner = shapely.get_parts(geoms[rows], return_index=True)
    part_group = group[rows][owner]
    order = np.argsort(part_group, kind="stable")  # features keep their (chainage) order
    parts, part_group = parts[order], part_group[order]
    joined = shapely.multilinestrings(parts, indices=part_group)
    # In the digitised direction when every feature runs the same way. When some were digitised
    # backwards, an undirected merge joins them and the features' order says which way the
    # chainage runs: it starts in the first feature (in row order) and ends in the last.
    merged = shapely.line_merge(joined, directed=True)
    retry = np.flatnonzero(shapely.get_type_id(merged) != 1)
    if len(retry):
        merged[retry] = shapely.line_merge(joined[retry])
        retry = retry[shapely.get_type_id(merged[retry]) == 1]
        first_part = np.searchsorted(part_group, retry, side="left")
        last_part = np.searchsorted(part_group, retry, side="right") - 1
        middle = shapely.line_interpolate_point(parts, 0.5, normalized=True)
        flip = retry[
            shapely.line_locate_point(merged[retry], middle[first_part])
            > shapely.line_locate_point(merged[retry], middle[last_part])
        ]
        merged[flip] = shapely.reverse(merged[flip])
    one_line = shapely.get_type_id(merged) == 1

    first_row = np.full(n_groups, -1, dtype=np.int64)
    first_row[group[rows][::-1]] = rows[::-1]
    shown_id = raw_id.to_numpy(dtype=object)[first_row]
    shown_name = name.to_numpy(dtype=object)[first_row]
    shown_status = status.to_numpy(dtype=object)[first_row]
    label = np.array(
        [
            _ruas_label(i, nm, st)
            for i, nm, st in zip(shown_id, shown_name, shown_status, strict=True)
        ],
        dtype=object,
    )
    pieces = shapely.get_num_geometries(merged)
    problem = np.full(n_groups, "", dtype=object)
    problem[~one_line] = [
        f"ruas {label[g]} does not form one line: its features join into {pieces[g]} separate "
        f"pieces, so chainage cannot be measured along it; connect them end to end in the "
        f"road network"
        for g in np.flatnonzero(~one_line)
    ]
    lines_deg = np.where(one_line, merged, None)
    zone = utm_epsg_for_geometries(gpd.GeoSeries(lines_deg, crs=_WGS84))
    line_m = np.full(n_groups, None, dtype=object)
    line_m[one_line] = _project(lines_deg[one_line], zone[one_line])
    length = np.where(one_line, shapely.length(np.where(one_line, line_m, np.array(None))), np.nan)

    def lookup(keys: pd.Series) -> dict[str, list[int]]:
        pairs = pd.DataFrame({"key": keys.to_numpy()[rows], "group": group[rows]})
        pairs = pairs[pairs["key"] != ""].drop_duplicates()
        return {k: sorted(g.tolist()) for k, g in pairs.groupby("key", sort=False)["group"]}

    return _Ruas(
        label=label,
        road_id=shown_id,
        status=status_key.to_numpy(dtype=object)[first_row],
        line_m=line_m,
        zone=zone,
        length_m=length,
        problem=problem,
        by_raw_id=lookup(raw_id.str.upper()),
        by_id=lookup(id_key),
        by_name=lookup(name_key),
        has_keys=has_keys,
    )


def _ruas_label(road_id: str, name: str, status: str) -> str:
    detail = ", ".join(x for x in (name, status) if x)
    if road_id:
        return f"{road_id} ({detail})" if detail else road_id
    return f"'{name}' ({status})" if status else f"'{name}'"


def _find_ruas(index: _Ruas, text: str, status: str) -> tuple[int, str]:
    """The ruas a record names, or -1 and why not (never a guess between several)."""
    text = text.strip()
    if not index.has_keys:
        return -1, "the road network has no road_id or name column to find a ruas by"
    if not text:
        return -1, "no ruas (road_id or name) given"
    single = pd.Series([text], dtype=object)
    candidates = (
        index.by_raw_id.get(text.upper())
        or index.by_id.get(_id_key(single).iloc[0])
        or index.by_name.get(_name_key(single).iloc[0])
        or []
    )
    wanted = status.strip().lower()
    if wanted:
        candidates = [g for g in candidates if index.status[g] == wanted]
    if len(candidates) == 1:
        return candidates[0], ""
    of_status = f" with status {status!r}" if wanted else ""
    if candidates:
        listed = "; ".join(index.label[g] for g in candidates)
        return -1, (
            f"ruas {text!r}{of_status} matches {len(candidates)} different ruas: {listed}; "
            f"give the road_id (kode ruas) or the status to say which"
        )
    known = [*index.by_raw_id, *(index.label[g] for g in range(len(index.label)))]
    close = difflib.get_close_matches(text.upper(), [k.upper() for k in known], n=3, cutoff=0.6)
    hint = f"; closest: {', '.join(close)}" if close else ""
    return -1, (
        f"ruas {text!r}{of_status} is not in the road network ({len(index.label)} ruas, matched "
        f"by road_id or name){hint}"
    )


# --- geometry helpers ---------------------------------------------------------------------------


def _substrings(
    lines: np.ndarray, start: np.ndarray, end: np.ndarray, which: np.ndarray | None = None
) -> np.ndarray:
    """The part of a LineString between distances ``start`` and ``end`` along it, for many.

    Vectorised ``shapely.ops.substring`` for ``0 <= start <= end <= length`` (clipped to that),
    distances in the units of the coordinates (metres for lines in UTM). The part runs in the
    line's direction; vertices strictly between the two positions are kept and the ends are
    interpolated. Each line's coordinates are read once however many parts are cut from it.

    Parameters
    ----------
    lines
        LineStrings (no None).
    start, end
        One pair of distances per part.
    which
        Index into ``lines`` of the line each part is cut from; defaults to one part per line.
    """
    which = np.arange(len(lines)) if which is None else np.asarray(which)
    out = np.full(len(which), None, dtype=object)
    if not len(which):
        return out
    coords, owner = shapely.get_coordinates(lines, return_index=True)
    step = np.hypot(*np.diff(coords, axis=0).T)
    step[np.diff(owner) != 0] = 0.0
    along = np.concatenate([[0.0], np.cumsum(step)])
    first = np.searchsorted(owner, np.arange(len(lines)))
    last = np.append(first[1:], len(coords)) - 1
    # Strictly increasing from one line to the next: one search finds every position.
    measure = along + owner
    total = (along[last] - along[first])[which]
    start = np.clip(start, 0.0, total)
    end = np.clip(end, start, total)
    low, high = first[which], last[which]
    head_at = start + measure[low]
    tail_at = end + measure[low]

    def point_at(target: np.ndarray) -> np.ndarray:
        i = np.clip(
            np.searchsorted(measure, target, side="right") - 1, low, np.maximum(high - 1, low)
        )
        j = np.minimum(i + 1, high)
        span = measure[j] - measure[i]
        t = np.where(span > 0, (target - measure[i]) / np.where(span > 0, span, 1.0), 0.0)
        return coords[i] + np.clip(t, 0.0, 1.0)[:, None] * (coords[j] - coords[i])

    inner_first = np.searchsorted(measure, head_at, side="right")
    inner_count = np.maximum(np.searchsorted(measure, tail_at, side="left") - inner_first, 0)
    size = inner_count + 2
    begin = np.cumsum(size) - size
    ramp = np.arange(inner_count.sum()) - np.repeat(
        np.cumsum(inner_count) - inner_count, inner_count
    )
    xy = np.empty((int(size.sum()), 2))
    xy[begin] = point_at(head_at)
    xy[begin + size - 1] = point_at(tail_at)
    xy[np.repeat(begin + 1, inner_count) + ramp] = coords[
        np.repeat(inner_first, inner_count) + ramp
    ]
    out[:] = shapely.linestrings(xy, indices=np.repeat(np.arange(len(which)), size))
    return out


_transformer = transformer  # geo.spatial.crs: cached per thread


def _project_xy(
    x: np.ndarray, y: np.ndarray, zones: np.ndarray, *, inverse: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates from EPSG:4326 into each one's UTM zone (metres), or back with inverse."""
    out_x, out_y = np.full(len(x), np.nan), np.full(len(x), np.nan)
    for zone in np.unique(zones):
        members = zones == zone
        source, target = (int(zone), _WGS84) if inverse else (_WGS84, int(zone))
        out_x[members], out_y[members] = _transformer(source, target).transform(
            x[members], y[members]
        )
    return out_x, out_y


def _project(geoms: np.ndarray, zones: np.ndarray, *, inverse: bool = False) -> np.ndarray:
    """Geometries from EPSG:4326 into each one's UTM zone (metres), or back with inverse."""
    out = np.full(len(geoms), None, dtype=object)
    move = to_degrees if inverse else to_metric
    for zone in np.unique(zones):
        members = np.flatnonzero(zones == zone)
        out[members] = move(geoms[members], int(zone))
    return out


# --- report text --------------------------------------------------------------------------------


def _distance_text(metres: float) -> str:
    return "an unknown distance" if not np.isfinite(metres) else f"{metres:,.0f} m"


def _sta(metres: float) -> str:
    km, m = divmod(round(float(metres)), 1000)
    return f"{km}+{m:03d}"


def _range_text(low: float, high: float) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return "(missing)"
    return f"{_sta(low)} s/d {_sta(high)}"


def _first_few(labels: Sequence[object], shown: int = 5) -> str:
    items = [str(x) for x in list(labels)[:shown]]
    more = len(labels) - shown
    return ", ".join(items) + (f" and {more} more" if more > 0 else "")
