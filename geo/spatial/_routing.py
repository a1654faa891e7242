"""Routing on the road network: the graph, snapping points to it, shortest routes along it.

Private to :mod:`geo.spatial.network`, which holds the one road-network model; read that
module first. The graph has a node at both ends of every road line, where roads cross or
touch, and where a road ends within ``join_m`` of another (digitised T-junctions that stop
just short); its edges are the stretches of road between nodes, each measured in metres in its
own WGS 84 / UTM zone. Shortest routes are found with ``scipy.sparse.csgraph.dijkstra`` on the
part of the graph that can hold a route no longer than the search limit, for many works at a
time.
"""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components, dijkstra

from geo.spatial.crs import MIN_M_PER_DEG as _MIN_M_PER_DEG
from geo.spatial.crs import to_degrees, to_metric, transformer, utm_epsg_for_geometries

#: Records routed per Dijkstra call: each call returns a (records x nodes) distance table.
ROUTE_CHUNK = 128
#: Largest (records x nodes) table per Dijkstra call (12 bytes a cell); chunks are halved.
MAX_TABLE_CELLS = 8_000_000
#: Split positions closer than this along a line (degrees, about 0.1 mm) are the same node.
_SAME_POSITION_DEG = 1e-9
#: Pieces of a route shorter than this (metres) are dropped when the route is assembled.
_NO_LENGTH_M = 1e-6
#: Edges of routes already tried weigh this many times their length in the next search.
TRIED_EDGE_WEIGHT = 10.0

_WGS84 = 4326


@dataclasses.dataclass(frozen=True)
class Graph:
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


def build_graph(lines: np.ndarray, join_m: float) -> Graph:
    """Split road lines (EPSG:4326) at every junction into edges between numbered nodes."""
    parts = shapely.get_parts(lines)
    parts = parts[shapely.length(parts) > 0]
    if not len(parts):
        nothing = np.empty(0, dtype=object)
        whole = np.empty(0, dtype=np.int64)
        return Graph(
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
    edges_deg = substrings(parts, pos[:-1][same], pos[1:][same], which=edge_part)

    # Nodes: edge ends, those within join_m of each other being one node.
    tips = np.concatenate([shapely.get_point(edges_deg, 0), shapely.get_point(edges_deg, -1)])
    tip_tree = shapely.STRtree(tips)
    i, j = tip_tree.query(tips, predicate="dwithin", distance=max(join_deg, _SAME_POSITION_DEG))
    links = csr_array((np.ones(len(i)), (i, j)), shape=(len(tips), len(tips)))
    _, node = connected_components(links, directed=False)
    n_edges = len(edges_deg)

    zone = utm_epsg_for_geometries(gpd.GeoSeries(edges_deg, crs=_WGS84))
    edges_m = project(edges_deg, zone)
    return Graph(
        edges_deg=edges_deg,
        edges_m=edges_m,
        zone=zone,
        length_m=shapely.length(edges_m),
        u=node[:n_edges].astype(np.int64),
        v=node[n_edges:].astype(np.int64),
        part=edge_part,
        tree=shapely.STRtree(edges_deg),
    )


def snap(
    graph: Graph, lon: np.ndarray, lat: np.ndarray, given: np.ndarray, snap_m: float
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
    x, y = project_xy(lon[wanted[p]], lat[wanted[p]], graph.zone[e])
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


def nearest_m(graph: Graph, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Distance (metres) from each point (degrees) to the nearest road, for a report line."""
    out = np.full(len(lon), np.inf)
    if not len(graph.edges_deg):
        return out
    p, e = graph.tree.query_nearest(shapely.points(lon, lat), all_matches=False)
    x, y = project_xy(lon[p], lat[p], graph.zone[e])
    out[p] = shapely.distance(shapely.points(x, y), graph.edges_m[e])
    return out


def points_on(graph: Graph, edge: np.ndarray, along_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of the positions ``along_m`` on edges (NaN where edge is -1)."""
    lon = np.full(len(edge), np.nan)
    lat = np.full(len(edge), np.nan)
    on = np.flatnonzero(edge >= 0)
    if len(on):
        xy = shapely.get_coordinates(
            shapely.line_interpolate_point(graph.edges_m[edge[on]], along_m[on])
        )
        lon[on], lat[on] = project_xy(xy[:, 0], xy[:, 1], graph.zone[edge[on]], inverse=True)
    return lon, lat


def chord_m(
    graph: Graph,
    lon_a: np.ndarray,
    lat_a: np.ndarray,
    lon_b: np.ndarray,
    lat_b: np.ndarray,
    edge: np.ndarray,
) -> np.ndarray:
    """Straight distance (metres) between point pairs, in the zone of ``edge``."""
    zone = graph.zone[edge]
    xa, ya = project_xy(lon_a, lat_a, zone)
    xb, yb = project_xy(lon_b, lat_b, zone)
    return np.hypot(xb - xa, yb - ya)


def routes(
    graph: Graph,
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
            found = route_chunk(
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
    return assemble(graph, n, work, step, edge, from_m, to_m), length_m


def _along_line(
    graph: Graph,
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


def route_chunk(
    graph: Graph,
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
    ``(edge, low_m, high_m)`` of routes already found, which weigh :data:`TRIED_EDGE_WEIGHT`
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
        head = route_chunk(graph, *(x[:half] for x in inputs), tried)  # type: ignore[call-arg, arg-type]  # six arrays
        tail = route_chunk(graph, *(x[half:] for x in inputs), tried)  # type: ignore[call-arg, arg-type]
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
            weight[on] += (TRIED_EDGE_WEIGHT - 1.0) * shared
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


def assemble(
    graph: Graph,
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
    pieces[cut] = project(
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


def _cut_edges(graph: Graph, edge: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Parts ``low``..``high`` (metres) of edges, in metres in each edge's zone."""
    used, which = np.unique(edge, return_inverse=True)
    return substrings(graph.edges_m[used], low, high, which=which)


def substrings(
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


def project_xy(
    x: np.ndarray, y: np.ndarray, zones: np.ndarray, *, inverse: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates from EPSG:4326 into each one's UTM zone (metres), or back with inverse."""
    out_x, out_y = np.full(len(x), np.nan), np.full(len(x), np.nan)
    for zone in np.unique(zones):
        members = zones == zone
        source, target = (int(zone), _WGS84) if inverse else (_WGS84, int(zone))
        out_x[members], out_y[members] = transformer(source, target).transform(
            x[members], y[members]
        )
    return out_x, out_y


def project(geoms: np.ndarray, zones: np.ndarray, *, inverse: bool = False) -> np.ndarray:
    """Geometries from EPSG:4326 into each one's UTM zone (metres), or back with inverse."""
    out = np.full(len(geoms), None, dtype=object)
    move = to_degrees if inverse else to_metric
    for zone in np.unique(zones):
        members = np.flatnonzero(zones == zone)
        out[members] = move(geoms[members], int(zone))
    return out


def alternative_routes(
    graph: Graph,
    start: tuple[int, float],
    end: tuple[int, float],
    limit_m: float,
    bounds_deg: np.ndarray,
    *,
    count: int,
) -> list[tuple[float, shapely.Geometry | None]]:
    """The shortest route between two positions on edges again, then up to ``count`` others.

    Each search weighs the stretches of the routes found before :data:`TRIED_EDGE_WEIGHT`
    times their length; routes up to ``limit_m`` long are searched (the weighted search goes
    up to :data:`TRIED_EDGE_WEIGHT` x ``limit_m``). Returns ``(length_m, line)`` per route
    found, in order.
    """
    ends = (
        np.array([start[0]]),
        np.array([start[1]]),
        np.array([end[0]]),
        np.array([end[1]]),
    )
    limit = TRIED_EDGE_WEIGHT * np.array([limit_m])
    found_routes: list[tuple[float, shapely.Geometry | None]] = []
    stretches: tuple[np.ndarray, ...] = (np.empty(0, dtype=np.int64), np.empty(0), np.empty(0))
    for _ in range(count + 1):
        found = route_chunk(graph, *ends, limit, bounds_deg, stretches)  # type: ignore[arg-type]  # three arrays
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
        line = assemble(graph, 1, np.zeros(len(edge), dtype=np.int64), step, edge, from_m, to_m)
        found_routes.append((route_m, line[0]))
    return found_routes
