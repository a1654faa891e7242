"""Match a drawn road line to the edges of a road network it follows (subline matching).

An agency's line is rarely on the reference network: another basemap puts it 20-40 m off, its
vertices are sparser or noisier, and it may cover only part of a ruas or run past the network's
end. This module finds, for each drawn line, the stretches of network edges it follows, as map
matching does for GPS traces (Newson & Krumm 2009, a hidden Markov model solved by Viterbi):

- the line is sampled every ``step_m``; each sample's *candidates* are the edges within
  ``max_offset_m`` running in its direction (within ``max_angle_deg``, either way) and on its
  deck (:mod:`geo.spatial.deck`: a line on an elevated road never matches the road beneath);
- a candidate costs ``(offset / sigma)^2 / 2`` with ``sigma = max_offset_m / 2`` (a systematic
  shift up to ``max_offset_m`` is tolerated), and moving from one sample's candidate to the
  next one's costs ``|network distance - distance along the line| / beta_m``, so the path
  follows the network's topology: it does not jump to a parallel road that is not connected
  within reach (a service road, the other carriageway of a divided road);
- a sample may also be *unmatched* (no edge within reach, or the line leaves the network), at a
  fixed cost; unmatched parts are reported, never forced onto a road.

The result per line is the list of edge pieces it follows (edge, from, to in metres along the
edge) and its match quality (mean and largest offset, matched share). Turning edge pieces into
ruas and chainage is the network model's job.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra

from geo.spatial.crs import MIN_M_PER_DEG, to_degrees, to_metric, utm_epsg_array
from geo.spatial.deck import deck_of
from geo.spatial.network import RoadNetwork

__all__ = [
    "LOCATED_COLUMNS",
    "LineMatch",
    "MatchSettings",
    "locate_on_network",
    "match_lines",
    "merge_intervals",
]


@dataclasses.dataclass(frozen=True)
class MatchSettings:
    """How lines are matched to the network.

    Parameters
    ----------
    max_offset_m
        Farthest a sample may lie from the edge it is matched to (metres): the systematic shift
        of another basemap plus digitising noise.
    step_m
        Sampling interval along each line (metres).
    max_angle_deg
        Largest angle between the line and an edge it follows (either direction).
    beta_m
        Metres of disagreement between the network distance and the distance along the line
        that cost as much as one unit of offset cost.
    gap_cost
        Cost of starting or ending an unmatched stretch (in the same units).
    candidates
        Nearest candidate edges kept per sample.
    """

    max_offset_m: float = 40.0
    step_m: float = 20.0
    max_angle_deg: float = 45.0
    beta_m: float = 10.0
    gap_cost: float = 3.0
    candidates: int = 6


_PIECE_COLUMNS = ("edge", "from_m", "to_m", "lon_from", "lat_from", "lon_to", "lat_to")


@dataclasses.dataclass(frozen=True)
class LineMatch:
    """Where one drawn line lies on the network.

    Attributes
    ----------
    pieces
        ``edge``, ``from_m``, ``to_m`` (metres along the edge, from its first vertex), in the
        order the line follows them, and the ends of each piece in degrees (``lon_from``,
        ``lat_from``, ``lon_to``, ``lat_to``).
    offset_mean_m, offset_max_m
        Distance from the matched samples to their edges (NaN when nothing matched).
    matched_share
        Share (0-1) of the line's length that follows the network.
    """

    pieces: pd.DataFrame
    offset_mean_m: float
    offset_max_m: float
    matched_share: float


def match_lines(
    lines_deg: np.ndarray,
    edges_deg: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    *,
    line_decks: np.ndarray | None = None,
    edge_decks: np.ndarray | None = None,
    settings: MatchSettings | None = None,
) -> list[LineMatch]:
    """Match each line (EPSG:4326) to the network edges it follows.

    Parameters
    ----------
    lines_deg
        LineStrings or MultiLineStrings in EPSG:4326 (other geometries match nothing).
    edges_deg
        The network's edges, LineStrings in EPSG:4326, split at every junction.
    u, v
        Node number at each edge's first and last vertex (edges sharing a node connect).
    line_decks, edge_decks
        Deck of each line and edge (:func:`geo.spatial.deck.deck_of`), or None: all at ground.
    settings
        :class:`MatchSettings`; the defaults when None.

    Returns
    -------
    list of LineMatch
        One per line, in order.
    """
    settings = settings or MatchSettings()
    edges_deg = np.asarray(edges_deg, dtype=object)
    u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
    line_decks = np.zeros(len(lines_deg), np.int8) if line_decks is None else line_decks
    edge_decks = np.zeros(len(edges_deg), np.int8) if edge_decks is None else edge_decks
    tree = shapely.STRtree(edges_deg)
    reach_deg = settings.max_offset_m / MIN_M_PER_DEG * 1.5
    out = []
    for line, deck in zip(lines_deg, line_decks, strict=True):
        near = np.sort(tree.query(line, predicate="dwithin", distance=reach_deg))
        near = near[edge_decks[near] == deck] if len(near) else near
        out.append(_match_one(line, near, edges_deg, u, v, settings))
    return out


def _nothing() -> LineMatch:
    empty = {c: pd.Series(dtype=float) for c in _PIECE_COLUMNS[1:]}
    return LineMatch(
        pd.DataFrame({"edge": pd.Series(dtype=np.int64), **empty}),
        float("nan"),
        float("nan"),
        0.0,
    )


def _match_one(line, near, edges_deg, u, v, settings: MatchSettings) -> LineMatch:
    if line is None or shapely.is_empty(line) or shapely.get_type_id(line) not in (1, 5):
        return _nothing()
    centre = shapely.centroid(line)
    zone = int(utm_epsg_array(np.array([centre.x]), np.array([centre.y]))[0])
    line_m = to_metric(np.array([line], dtype=object), zone)[0]
    if not len(near):
        return _nothing()
    edges_m = to_metric(edges_deg[near], zone)
    samples, along, heading, part_of = _samples(line_m, settings.step_m)
    cand = _candidates(samples, heading, edges_m, settings)
    graph = _local_graph(near, edges_m, u, v)
    states = _viterbi(cand, along, part_of, graph, settings)
    return _assemble(states, cand, along, part_of, near, graph, edges_m, zone)


def _samples(line_m, step_m: float):
    """Points every ``step_m`` along each part (ends included), their distance along the line,
    the unit heading there, and their part number."""
    points, along, heading, part_of = [], [], [], []
    start = 0.0
    for k, part in enumerate(shapely.get_parts(line_m)):
        length = part.length
        if length <= 0:
            continue
        pos = np.linspace(0.0, length, max(int(np.ceil(length / step_m)), 1) + 1)
        ahead = shapely.line_interpolate_point(part, np.minimum(pos + 1.0, length))
        behind = shapely.line_interpolate_point(part, np.maximum(pos - 1.0, 0.0))
        d = shapely.get_coordinates(ahead) - shapely.get_coordinates(behind)
        d /= np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-12)[:, None]
        points.append(shapely.line_interpolate_point(part, pos))
        along.append(start + pos)
        heading.append(d)
        part_of.append(np.full(len(pos), k))
        start += length
    return (
        np.concatenate(points),
        np.concatenate(along),
        np.concatenate(heading),
        np.concatenate(part_of),
    )


@dataclasses.dataclass(frozen=True)
class _Candidates:
    sample: np.ndarray  # per candidate: the sample it belongs to
    edge: np.ndarray  # local edge index
    pos_m: np.ndarray  # position along the edge
    offset_m: np.ndarray
    point: np.ndarray  # the matched point on the edge (metres)


def _candidates(samples, heading, edges_m, settings: MatchSettings) -> _Candidates:
    dist = shapely.distance(samples[:, None], edges_m[None, :])
    si, ei = np.nonzero(dist <= settings.max_offset_m)
    pos = shapely.line_locate_point(edges_m[ei], samples[si])
    length = shapely.length(edges_m[ei])
    ahead = shapely.line_interpolate_point(edges_m[ei], np.minimum(pos + 1.0, length))
    behind = shapely.line_interpolate_point(edges_m[ei], np.maximum(pos - 1.0, 0.0))
    d = shapely.get_coordinates(ahead) - shapely.get_coordinates(behind)
    d /= np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-12)[:, None]
    cos = np.abs(np.einsum("ij,ij->i", d, heading[si]))
    ok = cos >= np.cos(np.radians(settings.max_angle_deg))
    si, ei, pos = si[ok], ei[ok], pos[ok]
    off = dist[si, ei]
    # The nearest few per sample.
    order = np.lexsort((off, si))
    si, ei, pos, off = si[order], ei[order], pos[order], off[order]
    rank = np.arange(len(si)) - np.searchsorted(si, si, side="left")
    keep = rank < settings.candidates
    si, ei, pos, off = si[keep], ei[keep], pos[keep], off[keep]
    return _Candidates(si, ei, pos, off, shapely.line_interpolate_point(edges_m[ei], pos))


@dataclasses.dataclass(frozen=True)
class _LocalGraph:
    length_m: np.ndarray  # per local edge
    a: np.ndarray  # local node at the first vertex
    b: np.ndarray  # local node at the last vertex
    dist: np.ndarray  # node x node shortest distance (inf: not connected)
    pred: np.ndarray  # predecessor matrix of dist


def _local_graph(near, edges_m, u, v) -> _LocalGraph:
    nodes, inverse = np.unique(np.concatenate([u[near], v[near]]), return_inverse=True)
    a, b = inverse[: len(near)], inverse[len(near) :]
    length = shapely.length(edges_m)
    k = len(nodes)
    # Shortest edge between two nodes (parallel edges: keep the shorter).
    weight = np.full((k, k), np.inf)
    np.minimum.at(weight, (a, b), length)
    np.minimum.at(weight, (b, a), length)
    weight[weight == np.inf] = 0.0
    graph = csr_array(weight)
    dist, pred = dijkstra(graph, directed=False, return_predecessors=True)
    return _LocalGraph(length, a, b, dist, pred)


def _network_m(graph: _LocalGraph, e1, p1, e2, p2) -> np.ndarray:
    """Shortest network distance from (e1, p1) to (e2, p2), arrays of pairs (metres)."""
    same = e1 == e2
    via = np.full(len(e1), np.inf)
    l1, l2 = graph.length_m[e1], graph.length_m[e2]
    for n1, c1 in ((graph.a[e1], p1), (graph.b[e1], l1 - p1)):
        for n2, c2 in ((graph.a[e2], p2), (graph.b[e2], l2 - p2)):
            via = np.minimum(via, c1 + graph.dist[n1, n2] + c2)
    return np.where(same, np.minimum(np.abs(p2 - p1), via), via)


def _viterbi(cand: _Candidates, along, part_of, graph: _LocalGraph, settings) -> np.ndarray:
    """Per sample: the chosen candidate (index into ``cand``) or -1 (unmatched)."""
    n = len(along)
    sigma = settings.max_offset_m / 2.0
    null_cost = 0.5 * (settings.max_offset_m / sigma) ** 2 + 0.5
    starts = np.searchsorted(cand.sample, np.arange(n + 1))
    count = np.diff(starts)
    emit_all = 0.5 * (cand.offset_m / sigma) ** 2
    # Every transition between the candidates of consecutive samples, costed in one pass.
    pairs = count[:-1] * count[1:]
    first = np.concatenate([[0], np.cumsum(pairs)])
    step_of = np.repeat(np.arange(1, n), pairs)
    within = np.arange(int(first[-1])) - first[step_of - 1]
    pm = starts[step_of - 1] + within // count[step_of]
    cm = starts[step_of] + within % count[step_of]
    net = _network_m(graph, cand.edge[pm], cand.pos_m[pm], cand.edge[cm], cand.pos_m[cm])
    step_m = along[1:] - along[:-1]
    moves = np.abs(net - step_m[step_of - 1]) / settings.beta_m
    # A new part of a multi-part line: no continuity is implied.
    moves[part_of[step_of] != part_of[step_of - 1]] = 0.0
    # States per sample: its candidates, then the unmatched state last.
    cost = np.append(emit_all[starts[0] : starts[1]], null_cost)
    back: list[np.ndarray] = [np.full(len(cost), -1)]
    for i in range(1, n):
        k_prev, k_now = int(count[i - 1]), int(count[i])
        trans = np.full((k_prev + 1, k_now + 1), settings.gap_cost)
        trans[-1, -1] = 0.0  # unmatched to unmatched
        trans[:-1, :-1] = moves[first[i - 1] : first[i]].reshape(k_prev, k_now)
        total = cost[:, None] + trans
        best = np.argmin(total, axis=0)
        cost = total[best, np.arange(k_now + 1)] + np.append(
            emit_all[starts[i] : starts[i + 1]], null_cost
        )
        back.append(best)
    chosen = np.empty(n, dtype=np.int64)
    k = int(np.argmin(cost))
    for i in range(n - 1, -1, -1):
        chosen[i] = starts[i] + k if k < count[i] else -1
        k = int(back[i][k])
    return chosen


def _assemble(
    states, cand: _Candidates, along, part_of, near, graph, edges_m, zone: int
) -> LineMatch:
    """Edge pieces along the chosen path, in order, and the match quality."""
    pieces: list[tuple[int, float, float]] = []

    def add(edge: int, lo: float, hi: float) -> None:
        if pieces and pieces[-1][0] == edge:
            e, a, b = pieces[-1]
            pieces[-1] = (e, min(a, lo), max(b, hi))
        elif hi - lo > 1e-6:
            pieces.append((edge, lo, hi))

    matched_m = 0.0
    for i, c in enumerate(states):
        if c < 0:
            continue
        e, p = int(cand.edge[c]), float(cand.pos_m[c])
        prev = states[i - 1] if i else -1
        if prev < 0 or part_of[i] != part_of[i - 1]:
            add(e, p, p)
            continue
        matched_m += along[i] - along[i - 1]
        e0, p0 = int(cand.edge[prev]), float(cand.pos_m[prev])
        if e0 == e:
            add(e, min(p0, p), max(p0, p))
        else:
            _walk(graph, e0, p0, e, p, add)
    total = along[-1] if len(along) else 0.0
    ok = states >= 0
    offsets = cand.offset_m[states[ok]]
    local = np.array([p[0] for p in pieces], dtype=np.int64)
    columns: dict[str, np.ndarray] = {
        "edge": near[local],
        "from_m": np.array([p[1] for p in pieces], dtype=float),
        "to_m": np.array([p[2] for p in pieces], dtype=float),
    }
    for end in ("from", "to"):
        points = shapely.line_interpolate_point(edges_m[local], columns[f"{end}_m"])
        lon_lat = shapely.get_coordinates(to_degrees(points, zone)).reshape(-1, 2)
        columns[f"lon_{end}"], columns[f"lat_{end}"] = lon_lat[:, 0], lon_lat[:, 1]
    frame = pd.DataFrame(columns)  # one construction: per-column edits cost more than matching
    return LineMatch(
        frame,
        float(offsets.mean()) if len(offsets) else float("nan"),
        float(offsets.max()) if len(offsets) else float("nan"),
        float(matched_m / total) if total > 0 else float(ok.any()),
    )


def _walk(graph: _LocalGraph, e0, p0, e1, p1, add) -> None:
    """Add the pieces of the shortest way from (e0, p0) to (e1, p1): the rest of e0, the edges
    between, the start of e1."""
    best = None
    l0, l1 = float(graph.length_m[e0]), float(graph.length_m[e1])
    # Leaving e0 by its first node covers [0, p0]; by its last node [p0, l0]; likewise e1.
    for n0, c0, piece0 in ((graph.a[e0], p0, (0.0, p0)), (graph.b[e0], l0 - p0, (p0, l0))):
        for n1, c1, piece1 in ((graph.a[e1], p1, (0.0, p1)), (graph.b[e1], l1 - p1, (p1, l1))):
            d = c0 + graph.dist[n0, n1] + c1
            if best is None or d < best[0]:
                best = (d, n0, n1, piece0, piece1)
    if best is None or not np.isfinite(best[0]):
        add(e1, p1, p1)
        return
    _, n0, n1, first, last = best
    add(e0, *first)
    path = [n1]
    while path[-1] != n0 and graph.pred[n0, path[-1]] >= 0:
        path.append(int(graph.pred[n0, path[-1]]))
    path.reverse()
    for x, y in zip(path[:-1], path[1:], strict=True):
        between = np.flatnonzero(
            ((graph.a == x) & (graph.b == y)) | ((graph.a == y) & (graph.b == x))
        )
        if len(between):
            e = int(between[np.argmin(graph.length_m[between])])
            add(e, 0.0, float(graph.length_m[e]))
    add(e1, *last)


#: Columns of :func:`locate_on_network`'s table.
LOCATED_COLUMNS: tuple[str, ...] = (
    "line",
    "ruas",
    "ruas_id",
    "ruas_name",
    "from_m",
    "to_m",
    "offset_mean_m",
    "offset_max_m",
    "matched_share",
    "method",
)


def locate_on_network(
    network: RoadNetwork,
    lines_deg: np.ndarray,
    *,
    decks: np.ndarray | None = None,
    settings: MatchSettings | None = None,
) -> pd.DataFrame:
    """Where each drawn line lies on the network: intervals of ruas chainage.

    Parameters
    ----------
    network
        The reference road network; its ruas give the chainage (from each ruas's start, in
        metres). Road features without a code or name, or a ruas that is not one line, are
        counted along each edge instead (``ruas`` ``"edge:N"``).
    lines_deg
        LineStrings or MultiLineStrings in EPSG:4326.
    decks
        Deck of each line (:func:`geo.spatial.deck.deck_of`), or None: all at ground level.
        The network's decks come from its ``name`` and ``deck``/``layer`` columns.
    settings
        :class:`MatchSettings`; the defaults when None.

    Returns
    -------
    pandas.DataFrame
        :data:`LOCATED_COLUMNS`: one row per interval (``line`` is the position in
        ``lines_deg``; ``ruas`` a key, ``"ruas:G"`` or ``"edge:N"``; ``from_m <= to_m``), and
        one row with no ruas and ``matched_share`` 0 for a line that matched nothing;
        ``method`` is ``"line"``.
    """
    graph = network.graph
    roads = network.roads
    geoms = np.asarray(roads.geometry.array, dtype=object)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    edge_row = owner[shapely.length(parts) > 0][graph.part]
    names = roads["name"] if "name" in roads.columns else pd.Series([""] * len(roads))
    stated = next((roads[c] for c in ("deck", "layer") if c in roads.columns), None)
    edge_decks = deck_of(
        names.reset_index(drop=True), None if stated is None else stated.reset_index(drop=True)
    )[edge_row]
    matches = match_lines(
        np.asarray(lines_deg, dtype=object),
        graph.edges_deg,
        graph.u,
        graph.v,
        line_decks=decks,
        edge_decks=edge_decks,
        settings=settings,
    )
    ruas = network.ruas
    rows = []
    for k, m in enumerate(matches):
        quality = (m.offset_mean_m, m.offset_max_m, m.matched_share, "line")
        if m.pieces.empty:
            rows.append((k, "", "", "", np.nan, np.nan, *quality))
            continue
        group = ruas.of_row[edge_row[m.pieces["edge"].to_numpy()]] if len(ruas.of_row) else None
        for j, piece in enumerate(m.pieces.itertuples(index=False)):
            g = int(group[j]) if group is not None else -1
            if g >= 0 and ruas.line_m[g] is not None:
                lo, hi = _chainage(ruas, g, piece)
                key, rid, name = f"ruas:{g}", ruas.road_id[g], ruas.name[g]
            else:
                lo, hi = piece.from_m, piece.to_m
                key, rid, name = f"edge:{piece.edge}", "", ""
            rows.append((k, key, rid, name, min(lo, hi), max(lo, hi), *quality))
    frame = pd.DataFrame(rows, columns=list(LOCATED_COLUMNS))
    located = frame[frame["ruas"] != ""]
    merged = merge_intervals(
        located.rename(columns={"line": "work"})[["work", "ruas", "from_m", "to_m"]]
    ).rename(columns={"work": "line"})
    keep = located.drop_duplicates(["line", "ruas"]).drop(columns=["from_m", "to_m"])
    merged = merged.merge(keep, on=["line", "ruas"], how="left")
    out = pd.concat([merged, frame[frame["ruas"] == ""]], ignore_index=True)
    return out.sort_values(["line", "from_m"], kind="stable").reset_index(drop=True)[
        list(LOCATED_COLUMNS)
    ]


def _chainage(ruas, g: int, piece) -> tuple[float, float]:
    """Chainage (metres from the ruas start) of a piece's two ends on ruas ``g``."""
    ends = shapely.points([[piece.lon_from, piece.lat_from], [piece.lon_to, piece.lat_to]])
    on_line = to_metric(ends, int(ruas.zone[g]))
    lo, hi = shapely.line_locate_point(ruas.line_m[g], on_line)
    return float(lo), float(hi)


def merge_intervals(intervals: pd.DataFrame) -> pd.DataFrame:
    """Each work's intervals on each ruas as disjoint, sorted intervals (touching ones joined).

    Parameters
    ----------
    intervals
        ``work`` (any key), ``ruas`` (any key), ``from_m``, ``to_m`` (chainage in metres,
        either order).

    Returns
    -------
    pandas.DataFrame
        The same columns, ``from_m <= to_m``, sorted by work, ruas and chainage.
    """
    lo = np.minimum(intervals["from_m"], intervals["to_m"]).to_numpy(dtype=float)
    hi = np.maximum(intervals["from_m"], intervals["to_m"]).to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "work": intervals["work"].to_numpy(),
            "ruas": intervals["ruas"].to_numpy(),
            "lo": lo,
            "hi": hi,
        }
    ).sort_values(["work", "ruas", "lo"], kind="stable")
    key = (frame["work"].astype(str) + "\x1f" + frame["ruas"].astype(str)).to_numpy()
    # A new run starts where the key changes or the interval begins after every earlier end.
    reach = frame.groupby(key, sort=False)["hi"].cummax()
    before = reach.groupby(key, sort=False).shift()
    new = before.isna() | (frame["lo"] > before)
    run = new.cumsum().to_numpy()
    merged = frame.groupby(run, sort=False).agg(
        work=("work", "first"), ruas=("ruas", "first"), from_m=("lo", "min"), to_m=("hi", "max")
    )
    return merged.reset_index(drop=True)
