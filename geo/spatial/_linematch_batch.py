"""Line matching for many lines at once: the array work of :mod:`geo.spatial.linematch`.

Private to :mod:`geo.spatial.linematch`, which describes the matching; read that module first.
What the matcher did one line at a time is done here for every line of a batch at once, with
the same numbers (up to rounding, well under a micrometre):

- each line is measured in the UTM zone of its centre, as before; lines and the edges near them
  are reprojected once per zone (:func:`near_edges`), not once per line, and the edges near
  each line are found by box, then by their segments (compiled);
- lines are matched in chunks of :data:`CHUNK_LINES`, two at a time (the compiled loops release
  the interpreter): every line of a chunk is sampled at once (:func:`samples`), every sample
  gets its candidate edges by the same rules (within ``max_offset_m``, within
  ``max_angle_deg`` of the line's heading, the nearest few, ties to the lower edge number;
  :func:`candidates`), and every transition its cost (:func:`costs`): read off the chain for a
  line settled on one, from the local graph for the others;
- one compiled Viterbi pass chooses every line's path, and the pieces along it follow
  (:func:`match_all`).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import shapely

from geo._parallel import map_in_threads
from geo.spatial.crs import MIN_M_PER_DEG, to_degrees, to_metric, utm_epsg_array

_LINE_TYPES = (1, 5)


@dataclasses.dataclass(frozen=True)
class _Vertices:
    """LineStrings (metres) as vertex arrays, for the compiled loops."""

    xy: np.ndarray
    start: np.ndarray  # per line: its first vertex
    along: np.ndarray  # per vertex: metres from its line's start


def _vertices(lines: np.ndarray) -> _Vertices:
    xy, owner = shapely.get_coordinates(lines, return_index=True)
    start = np.searchsorted(owner, np.arange(len(lines) + 1))
    d = np.diff(xy, axis=0)
    seg = np.sqrt(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1])
    seg[owner[1:] != owner[:-1]] = 0.0
    along = np.concatenate([[0.0], np.cumsum(seg)])[: len(xy)]
    along -= along[start[:-1]][owner]
    return _Vertices(xy, start, along)


@dataclasses.dataclass(frozen=True)
class Near:
    """The edges near each line, and every (zone, edge) reprojected once.

    ``start`` indexes ``edge`` (sorted global edge numbers per line) and ``row`` (the same
    edge's row in the zoned tables ``zoned_m``/``zoned_length``, in the line's zone).
    """

    zone: np.ndarray  # per line, EPSG (0: the line matches nothing)
    lines_m: np.ndarray  # per line, in its zone (None: matches nothing)
    start: np.ndarray
    edge: np.ndarray
    row: np.ndarray
    zoned_zone: np.ndarray
    zoned_edge: np.ndarray
    zoned_m: np.ndarray
    zoned_length: np.ndarray
    vertices: _Vertices
    bounds: np.ndarray  # per zoned row: xmin, ymin, xmax, ymax (metres)


def near_edges(
    lines_deg: np.ndarray,
    edges_deg: np.ndarray,
    tree: shapely.STRtree,
    line_decks: np.ndarray,
    edge_decks: np.ndarray,
    max_offset_m: float,
    own_m: np.ndarray | None = None,
    own_zone: np.ndarray | None = None,
) -> Near:
    """Every line's near edges on its deck, and lines and edges in metres, once per zone
    (``own_m``: the edges already in metres in their own zone ``own_zone``, reused)."""
    n = len(lines_deg)
    kinds = shapely.get_type_id(lines_deg)
    usable = np.isin(kinds, _LINE_TYPES) & ~shapely.is_empty(lines_deg)
    zone = np.zeros(n, dtype=np.int64)
    centre = shapely.get_coordinates(shapely.centroid(lines_deg[usable])).reshape(-1, 2)
    zone[usable] = utm_epsg_array(centre[:, 0], centre[:, 1])
    reach_deg = max_offset_m / MIN_M_PER_DEG * 1.5
    li, ei = _within(lines_deg, np.flatnonzero(usable), edges_deg, tree, reach_deg)
    keep = edge_decks[ei] == line_decks[li]
    li, ei = li[keep], ei[keep]
    order = np.lexsort((ei, li))
    li, ei = li[order], ei[order]
    lines_m = np.full(n, None, dtype=object)
    for z in np.unique(zone[usable]):
        members = np.flatnonzero(zone == z)
        lines_m[members] = to_metric(lines_deg[members], int(z))
    n_edges = len(edges_deg)
    key = zone[li] * np.int64(n_edges) + ei
    unique, row = np.unique(key, return_inverse=True)
    zoned_zone, zoned_edge = unique // n_edges, unique % n_edges
    zoned_m = np.full(len(unique), None, dtype=object)
    project = np.ones(len(unique), dtype=bool)
    if own_m is not None and own_zone is not None:
        # An edge measured in its own zone already: the same transform, the same numbers.
        project = own_zone[zoned_edge] != zoned_zone
        zoned_m[~project] = own_m[zoned_edge[~project]]
    for z in np.unique(zoned_zone[project]):
        members = np.flatnonzero(project & (zoned_zone == z))
        zoned_m[members] = to_metric(edges_deg[zoned_edge[members]], int(z))
    start = np.searchsorted(li, np.arange(n + 1))
    zone[start[1:] == start[:-1]] = 0  # nothing near: nothing to match (as linematch did)
    return Near(
        zone=zone,
        lines_m=lines_m,
        start=start,
        edge=ei,
        row=row.astype(np.int64),
        zoned_zone=zoned_zone,
        zoned_edge=zoned_edge,
        zoned_m=zoned_m,
        zoned_length=shapely.length(zoned_m),
        vertices=_vertices(zoned_m),
        bounds=shapely.bounds(zoned_m).reshape(-1, 4),
    )


def _within(
    lines_deg: np.ndarray,
    which: np.ndarray,
    edges_deg: np.ndarray,
    tree: shapely.STRtree,
    reach_deg: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (line, edge) within ``reach_deg`` of each other (degrees), as the tree's
    ``dwithin`` query: boxes first, then the segments, compiled."""
    from geo.spatial import _linematch_loops as loops

    box = shapely.bounds(lines_deg[which])
    box[:, :2] -= reach_deg
    box[:, 2:] += reach_deg
    li, ei = tree.query(shapely.box(box[:, 0], box[:, 1], box[:, 2], box[:, 3]))
    parts, owner = shapely.get_parts(lines_deg[which], return_index=True)
    first_part = np.searchsorted(owner, np.arange(len(which) + 1))
    # Every part of the line against the edge: a pair is near when one of them is.
    n_parts = np.diff(first_part)[li]
    pair = np.repeat(np.arange(len(li)), n_parts)
    part = np.arange(int(n_parts.sum())) - np.repeat(np.cumsum(n_parts) - n_parts, n_parts)
    part += first_part[li][pair]
    used, edge = np.unique(ei, return_inverse=True)
    pxy, pof = shapely.get_coordinates(parts, return_index=True)
    exy, eof = shapely.get_coordinates(edges_deg[used], return_index=True)
    near = loops.within(
        part,
        edge[pair],
        pxy,
        np.searchsorted(pof, np.arange(len(parts) + 1)),
        exy,
        np.searchsorted(eof, np.arange(len(used) + 1)),
        reach_deg,
    )
    hit = np.zeros(len(li), dtype=bool)
    hit[pair[near]] = True
    return which[li[hit]], ei[hit]


@dataclasses.dataclass(frozen=True)
class Samples:
    """Points every ``step_m`` along each part of each line (ends included).

    ``start`` indexes the samples per line (of the lines asked for, in order); ``along`` is the
    distance along the line, ``heading`` the unit direction there, ``part`` a number per part.
    """

    start: np.ndarray
    point: np.ndarray
    along: np.ndarray
    heading: np.ndarray
    part: np.ndarray
    line: np.ndarray  # per sample, the line's number


def samples(lines_m: np.ndarray, line_ids: np.ndarray, step_m: float, heading_m: float) -> Samples:
    """Sample the lines (metres) as linematch._samples does, all at once."""
    from geo.spatial import _linematch_loops as loops

    parts, owner = shapely.get_parts(lines_m, return_index=True)
    part_no = np.arange(len(parts))
    keep = shapely.length(parts) > 0
    parts, owner, part_no = parts[keep], owner[keep], part_no[keep]
    vertices = _vertices(parts)
    length = vertices.along[np.maximum(vertices.start[1:] - 1, 0)]
    n_steps = np.maximum(np.ceil(length / step_m).astype(np.int64), 1)
    count = n_steps + 1
    first = np.concatenate([[0], np.cumsum(count)])
    of = np.repeat(np.arange(len(parts)), count)
    xy, heading, pos = loops.sample_points(
        vertices.xy, vertices.start, vertices.along, length, n_steps, first, heading_m / 2.0
    )
    # Distance along the line: the lengths of the line's earlier parts, summed in order.
    offset = np.zeros(len(parts))
    for k in np.flatnonzero(owner[1:] == owner[:-1]) + 1:  # few lines have several parts
        offset[k] = offset[k - 1] + length[k - 1]
    return Samples(
        start=np.searchsorted(owner[of], np.arange(len(lines_m) + 1)),
        point=xy,
        along=offset[of] + pos,
        heading=heading,
        part=part_no[of],
        line=line_ids[owner[of]],
    )


@dataclasses.dataclass(frozen=True)
class Candidates:
    """Every sample's candidate edges, sorted by sample, offset, then edge number.

    ``start`` indexes them per sample; ``row`` is the edge's zoned row (`Near`).
    """

    start: np.ndarray
    edge: np.ndarray
    row: np.ndarray
    pos_m: np.ndarray
    offset_m: np.ndarray


def candidates(
    near: Near,
    taken: Samples,
    near_start: np.ndarray,
    near_edge: np.ndarray,
    near_row: np.ndarray,
    *,
    max_offset_m: float,
    max_angle_deg: float,
    keep: int,
) -> Candidates:
    """Candidates as linematch._candidates finds them, for every sample at once."""
    from geo.spatial import _linematch_loops as loops

    v = near.vertices
    start, edge, row, pos, offset = loops.candidates(
        taken.start, taken.point, taken.heading, near_start, near_edge, near_row, v.xy,
        v.start, v.along, near.bounds, near.zoned_length, max_offset_m,
        np.cos(np.radians(max_angle_deg)), keep,
    )  # fmt: skip
    return Candidates(start=start, edge=edge, row=row, pos_m=pos, offset_m=offset)


@dataclasses.dataclass(frozen=True)
class Matched:
    """Every line's match, as flat arrays.

    Pieces (``piece_line``, ``piece_edge``, ``from_m``, ``to_m`` along the edge, and their ends
    in degrees) in line order and, per line, in the order the line follows them; per line the
    match quality and whether it was settled on a chain (``fast``) or by the local graph.
    """

    piece_line: np.ndarray
    piece_edge: np.ndarray
    from_m: np.ndarray
    to_m: np.ndarray
    lon_from: np.ndarray
    lat_from: np.ndarray
    lon_to: np.ndarray
    lat_to: np.ndarray
    offset_mean_m: np.ndarray
    offset_max_m: np.ndarray
    matched_share: np.ndarray
    fast: np.ndarray


#: Lines sampled and matched together: bounds the memory of the samples and candidates.
CHUNK_LINES = 4096


def match_all(
    lines_deg: np.ndarray,
    edges_deg: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    *,
    line_decks: np.ndarray | None,
    edge_decks: np.ndarray | None,
    settings,
    fast: bool = True,
    tree: shapely.STRtree | None = None,
    edges_m: np.ndarray | None = None,
    edge_zone: np.ndarray | None = None,
) -> Matched:
    """Match every line (EPSG:4326) to the edges it follows; see linematch.match_lines.

    A line whose edges near it form a forest, with its candidate edges on one chain per tree,
    is settled on those chains (compiled, no graph search): the way between two candidates
    there is along the chain. Every other line gets the local graph and its shortest distances,
    as one line at a time. Both take the same Viterbi path through the same costs. ``fast``
    False sends every line through the local graph (to compare the two). ``tree`` (of the
    edges in degrees) and ``edges_m`` (in metres in their zones ``edge_zone``), when the
    network has them, are reused.
    """
    n = len(lines_deg)
    u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
    line_decks = np.zeros(n, np.int8) if line_decks is None else np.asarray(line_decks)
    edge_decks = np.zeros(len(edges_deg), np.int8) if edge_decks is None else edge_decks
    tree = shapely.STRtree(edges_deg) if tree is None else tree
    near = near_edges(
        lines_deg,
        edges_deg,
        tree,
        line_decks,
        edge_decks,
        settings.max_offset_m,
        own_m=edges_m,
        own_zone=edge_zone,
    )
    out: dict[str, list[np.ndarray]] = {
        k: [] for k in ("line", "edge", "lo", "hi", "start", "stop")
    }
    mean = np.full(n, np.nan)
    largest = np.full(n, np.nan)
    share = np.zeros(n)
    settled = np.zeros(n, dtype=bool)
    lines = np.flatnonzero(near.zone != 0)
    chunks = [lines[k : k + CHUNK_LINES] for k in range(0, len(lines), CHUNK_LINES)]
    results = map_in_threads(lambda ids: _match_chunk(ids, near, u, v, settings, fast=fast), chunks)
    for ids, (pieces, quality) in zip(chunks, results, strict=True):
        for key, values in pieces.items():
            out[key].append(values)
        mean[ids], largest[ids], share[ids], settled[ids] = quality
    return _with_ends(out, mean, largest, share, settled)


@dataclasses.dataclass(frozen=True)
class Costs:
    """A chunk's samples and candidates, which lines sit on chains (``fast``), their chains,
    and every transition's cost (``moves``, indexed per line by ``move_start``)."""

    taken: Samples
    cand: Candidates
    near_start: np.ndarray
    near_edge: np.ndarray
    near_row: np.ndarray
    fast: np.ndarray
    chain: tuple
    c_len: np.ndarray
    moves: np.ndarray
    move_start: np.ndarray
    graphs: dict


def costs(ids: np.ndarray, near: Near, u, v, settings, *, fast: bool) -> Costs:
    """Samples, candidates and transition costs of lines ``ids`` (on chains where ``fast``)."""
    from geo.spatial import _linematch_loops as loops

    taken = samples(near.lines_m[ids], ids, settings.step_m, settings.heading_m)
    # Near edges of these lines, as local arrays.
    lo, hi = near.start[ids], near.start[ids + 1]
    count = hi - lo
    near_start = np.concatenate([[0], np.cumsum(count)])
    take = np.repeat(lo - near_start[:-1], count) + np.arange(int(near_start[-1]))
    near_edge, near_row = near.edge[take], near.row[take]
    cand = candidates(
        near,
        taken,
        near_start,
        near_edge,
        near_row,
        max_offset_m=settings.max_offset_m,
        max_angle_deg=settings.max_angle_deg,
        keep=settings.candidates,
    )
    cand_line_start = cand.start[taken.start]
    c_len = near.zoned_length[cand.row]
    is_fast, c_chain, c_k, c_fwd, chain_first, chain_edge, chain_length = loops.chains(
        near_start, near_edge, cand_line_start, cand.edge, u, v, near.zoned_length[near_row]
    )
    if not fast:
        is_fast[:] = False
    per_sample = np.diff(cand.start)
    pairs = np.zeros(len(per_sample), dtype=np.int64)
    pairs[1:] = per_sample[1:] * per_sample[:-1]
    pairs[taken.start[:-1][np.diff(taken.start) > 0]] = 0  # a line's first sample
    move_start = np.concatenate([[0], np.cumsum(pairs)])[taken.start]
    moves = np.empty(int(pairs.sum()))
    loops.chain_moves(
        np.flatnonzero(is_fast), taken.start, cand.start, taken.along, taken.part, cand.edge,
        c_chain, c_k, c_fwd, c_len, cand.pos_m, chain_first, chain_length, move_start, moves,
        settings.beta_m,
    )  # fmt: skip
    graphs = {}
    for j in np.flatnonzero(~is_fast):
        graphs[j] = _hmm_moves(j, taken, cand, near_start, near_edge, near_row, near, u, v)
        s0, s1 = move_start[j], move_start[j + 1]
        moves[s0:s1] = graphs[j][1] / settings.beta_m
    chain = (c_chain, c_k, c_fwd, chain_first, chain_edge, chain_length)
    return Costs(
        taken,
        cand,
        near_start,
        near_edge,
        near_row,
        is_fast,
        chain,
        c_len,
        moves,
        move_start,
        graphs,
    )


def _match_chunk(ids: np.ndarray, near: Near, u, v, settings, *, fast: bool):
    """Match lines ``ids``: their pieces (line, edge, zoned row, from, to) and quality."""
    from geo.spatial import _linematch_loops as loops

    sigma = settings.max_offset_m / 2.0
    null_cost = 0.5 * (settings.max_offset_m / sigma) ** 2 + 0.5
    k = costs(ids, near, u, v, settings, fast=fast)
    taken, cand, near_start, near_edge, near_row = (
        k.taken,
        k.cand,
        k.near_start,
        k.near_edge,
        k.near_row,
    )
    moves, move_start, graphs, is_fast, c_len = k.moves, k.move_start, k.graphs, k.fast, k.c_len
    c_chain, c_k, c_fwd, chain_first, chain_edge, chain_length = k.chain
    chosen = loops.viterbi(
        taken.start,
        cand.start,
        0.5 * (cand.offset_m / sigma) ** 2,
        moves,
        move_start,
        null_cost,
        settings.gap_cost,
    )
    p_line, p_edge, p_lo, p_hi, matched_fast = loops.chain_pieces(
        np.flatnonzero(is_fast), taken.start, taken.part, taken.along, chosen, cand.edge,
        c_chain, c_k, c_fwd, c_len, cand.pos_m, chain_first, chain_edge, chain_length,
        settings.step_m,
    )  # fmt: skip
    matched_m = np.zeros(len(ids))
    matched_m[np.flatnonzero(is_fast)] = matched_fast
    pieces = [(p_line, p_edge, p_lo, p_hi)]
    for j, (graph, _) in graphs.items():
        *found, matched_m[j] = _hmm_pieces(
            j, taken, cand, chosen, graph, near_start, near_edge, settings.step_m
        )
        pieces.append(tuple(found))
    p_line = np.concatenate([p[0] for p in pieces])
    order = np.argsort(p_line, kind="stable")  # per line, in the order followed
    p_line, p_edge = p_line[order], np.concatenate([p[1] for p in pieces])[order]
    found = {
        "line": ids[p_line],
        "edge": p_edge,
        "lo": np.concatenate([p[2] for p in pieces])[order],
        "hi": np.concatenate([p[3] for p in pieces])[order],
    }
    row = near_row[_position(near_edge, near_start, p_line, p_edge)]
    found["start"] = _ends(near, row, found["lo"]).ravel()
    found["stop"] = _ends(near, row, found["hi"]).ravel()
    # Quality: offsets of the chosen candidates, matched share of the line's length.
    ok = chosen >= 0
    by_line = np.repeat(np.arange(len(ids)), np.diff(taken.start))
    offsets = cand.offset_m[chosen[ok]]
    hit = by_line[ok]
    n_ok = np.bincount(hit, minlength=len(ids))
    has = n_ok > 0
    sums = np.bincount(hit, weights=offsets, minlength=len(ids))
    top = np.full(len(ids), -np.inf)
    np.maximum.at(top, hit, offsets)
    ends = taken.start[1:] - 1
    total = np.where(np.diff(taken.start) > 0, taken.along[np.maximum(ends, 0)], 0.0)
    mean = np.where(has, sums / np.maximum(n_ok, 1), np.nan)
    share = np.where(total > 0, matched_m / np.where(total > 0, total, 1.0), has.astype(float))
    return found, (mean, np.where(has, top, np.nan), share, is_fast)


def _position(near_edge, near_start, line, edge) -> np.ndarray:
    """Where each (line, edge) sits in the near edges (sorted by line, then edge)."""
    width = np.int64(
        max(int(near_edge.max()) + 1 if len(near_edge) else 1, int(edge.max(initial=0)) + 1)
    )
    owner = np.repeat(np.arange(len(near_start) - 1), np.diff(near_start))
    return np.searchsorted(owner * width + near_edge, line * width + edge)


def _hmm_moves(j, taken, cand, near_start, near_edge, near_row, near, u, v):
    """Line j's local graph and |network - along| metres of its transitions (linematch)."""
    from geo.spatial._linematch_hmm import _local_graph, _network_m

    edges = near_edge[near_start[j] : near_start[j + 1]]
    graph = _local_graph(edges, near.zoned_m[near_row[near_start[j] : near_start[j + 1]]], u, v)
    s0, s1 = taken.start[j], taken.start[j + 1]
    starts = cand.start[s0 : s1 + 1]
    counts = np.diff(starts)
    c0 = starts[0]
    local = np.searchsorted(edges, cand.edge[c0 : starts[-1]])
    pairs = counts[:-1] * counts[1:]
    first = np.concatenate([[0], np.cumsum(pairs)])
    step_of = np.repeat(np.arange(1, len(counts)), pairs)
    within = np.arange(int(first[-1])) - first[step_of - 1]
    pm = starts[step_of - 1] + within // counts[step_of]
    cm = starts[step_of] + within % counts[step_of]
    net = _network_m(graph, local[pm - c0], cand.pos_m[pm], local[cm - c0], cand.pos_m[cm])
    along, part = taken.along[s0:s1], taken.part[s0:s1]
    step_m = along[1:] - along[:-1]
    metres = np.abs(net - step_m[step_of - 1])
    metres[part[step_of] != part[step_of - 1]] = 0.0
    return graph, metres


def _hmm_pieces(j, taken, cand, chosen, graph, near_start, near_edge, bridge_m):
    from geo.spatial._linematch_hmm import _assemble

    edges = near_edge[near_start[j] : near_start[j + 1]]
    s0, s1 = taken.start[j], taken.start[j + 1]
    c0, c1 = cand.start[s0], cand.start[s1]
    states = chosen[s0:s1]
    states = np.where(states >= 0, states - c0, -1)
    local = np.searchsorted(edges, cand.edge[c0:c1])
    found, matched_m = _assemble(
        states, local, cand.pos_m[c0:c1], taken.along[s0:s1], taken.part[s0:s1], graph, bridge_m
    )
    e = np.array([p[0] for p in found], dtype=np.int64)
    return (
        np.full(len(found), j, dtype=np.int64),
        edges[e],
        np.array([p[1] for p in found], dtype=float),
        np.array([p[2] for p in found], dtype=float),
        matched_m,
    )


def _ends(near: Near, row: np.ndarray, at_m: np.ndarray) -> np.ndarray:
    """Points ``at_m`` along zoned edges ``row``, in degrees (lon, lat)."""
    xy = np.full((len(row), 2), np.nan)
    for z in np.unique(near.zoned_zone[row]):
        members = np.flatnonzero(near.zoned_zone[row] == z)
        points = shapely.line_interpolate_point(near.zoned_m[row[members]], at_m[members])
        xy[members] = shapely.get_coordinates(to_degrees(points, int(z))).reshape(-1, 2)
    return xy


def _with_ends(out, mean, largest, share, settled) -> Matched:
    """The flat result of every chunk."""
    cat = {k: np.concatenate(x) if x else np.zeros(0) for k, x in out.items()}
    start = cat["start"].reshape(-1, 2)
    stop = cat["stop"].reshape(-1, 2)
    return Matched(
        piece_line=cat["line"].astype(np.int64),
        piece_edge=cat["edge"].astype(np.int64),
        from_m=cat["lo"].astype(float),
        to_m=cat["hi"].astype(float),
        lon_from=start[:, 0],
        lat_from=start[:, 1],
        lon_to=stop[:, 0],
        lat_to=stop[:, 1],
        offset_mean_m=mean,
        offset_max_m=largest,
        matched_share=share,
        fast=settled,
    )
