"""The hidden Markov model of :mod:`geo.spatial.linematch`, one line at a time.

Private to :mod:`geo.spatial.linematch`, which describes the model; read that module first.
Here are its steps for one line: samples, candidate edges, the local graph of the edges near
the line and its shortest distances, the Viterbi path and the edge pieces along it. The batched
matcher (:mod:`geo.spatial._linematch_batch`) uses the local graph, the transition costs and
the pieces for the lines it cannot settle on a chain.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import shapely
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra


def _samples(line_m, step_m: float, heading_m: float):
    """Points every ``step_m`` along each part (ends included), their distance along the line,
    the unit heading there (over ``heading_m`` of the line: :func:`_heading_window`), and their
    part number."""
    points, along, heading, part_of = [], [], [], []
    start = 0.0
    for k, part in enumerate(shapely.get_parts(line_m)):
        length = part.length
        if length <= 0:
            continue
        pos = np.linspace(0.0, length, max(int(np.ceil(length / step_m)), 1) + 1)
        lo, hi = _heading_window(pos, length, heading_m / 2.0)
        ahead = shapely.line_interpolate_point(part, hi)
        behind = shapely.line_interpolate_point(part, lo)
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


def _heading_window(pos: np.ndarray, length: float, half_m: float):
    """From and to where (metres along a line of ``length``) the heading at each ``pos`` is
    measured: ``half_m`` either side, the whole ``2 * half_m`` next to an end (a line shorter
    than that: all of it)."""
    lo, hi = pos - half_m, pos + half_m
    hi = hi - np.minimum(lo, 0.0)
    lo = lo - np.maximum(hi - length, 0.0)
    return np.maximum(lo, 0.0), np.minimum(hi, length)


@dataclasses.dataclass(frozen=True)
class _Candidates:
    sample: np.ndarray  # per candidate: the sample it belongs to
    edge: np.ndarray  # local edge index
    pos_m: np.ndarray  # position along the edge
    offset_m: np.ndarray
    point: np.ndarray  # the matched point on the edge (metres)


def _candidates(samples, heading, edges_m, settings) -> _Candidates:
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
    states, cand_edge, cand_pos, along, part_of, graph: _LocalGraph, bridge_m: float
) -> tuple[list[tuple[int, float, float]], float]:
    """Edge pieces (local edge, from, to) along the chosen path, in order, and the metres of
    the line matched. A part of a multi-part line starts pieces of its own: the gap between
    two parts is not covered, even on one edge. A stretch of a part left unmatched between two
    matched samples whose way along the network is within ``bridge_m`` of the line's length
    between them (a sample or two that digitising noise turned off its road) is covered by that
    way, on one edge or across a junction; it is not counted as matched."""
    pieces: list[tuple[int, float, float]] = []

    def add(edge: int, lo: float, hi: float) -> None:
        if pieces and pieces[-1][0] == edge:
            e, a, b = pieces[-1]
            pieces[-1] = (e, min(a, lo), max(b, hi))
        elif hi - lo > 1e-6:
            pieces.append((edge, lo, hi))

    matched_m = 0.0
    last_part = -1  # the part of the last matched sample
    last = -1  # the last matched sample
    for i, c in enumerate(states):
        if c < 0:
            continue
        e, p = int(cand_edge[c]), float(cand_pos[c])
        prev = states[i - 1] if i else -1
        if last_part >= 0 and part_of[i] != last_part:
            # A new part (its first samples matched or not): extended by its next samples.
            last_part, last = int(part_of[i]), i
            pieces.append((e, p, p))
            continue
        last_part = int(part_of[i])
        if prev < 0:
            if last < 0 or not _bridged(
                graph, states[last], c, cand_edge, cand_pos, along[i] - along[last], bridge_m
            ):
                add(e, p, p)
                last = i
                continue
            prev = states[last]
        else:
            matched_m += along[i] - along[i - 1]
        last = i
        e0, p0 = int(cand_edge[prev]), float(cand_pos[prev])
        if e0 == e:
            add(e, min(p0, p), max(p0, p))
        else:
            _walk(graph, e0, p0, e, p, add)
    return [piece for piece in pieces if piece[2] - piece[1] > 1e-6], matched_m


def _bridged(
    graph: _LocalGraph, c0, c1, cand_edge, cand_pos, line_m: float, bridge_m: float
) -> bool:
    """Whether the way along the network from candidate ``c0`` to ``c1`` is within
    ``bridge_m`` of ``line_m``, the line's length between their samples."""
    way = _network_m(graph, cand_edge[[c0]], cand_pos[[c0]], cand_edge[[c1]], cand_pos[[c1]])[0]
    return bool(abs(way - line_m) <= bridge_m)


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
