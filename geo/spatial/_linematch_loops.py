"""The compiled loops (numba) of the batched line matching (:mod:`geo.spatial._linematch_batch`).

Every loop here repeats, number for number, what the per-line matcher in
:mod:`geo.spatial.linematch` does with numpy (the same sums in the same order, the same first
minimum on ties), so a line gets the same answer whichever way it is matched. In their own
module, imported on the first match, for the reason given in :mod:`geo.spatial._loops`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from geo.spatial import _loops  # noqa: F401  (sets numba's cache directory first)

_NO_LENGTH_M = 1e-6  # a piece shorter than this is not added (as in linematch._assemble)


# --- which lines are unambiguous: a forest whose candidate edges form one chain per tree -------


@njit(cache=True, nogil=True)
def _root(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@njit(cache=True, nogil=True)
def chains(near_start, near_edge, cand_start, cand_edge, u, v, near_length):
    """Per line: is its local network a forest with its candidate edges on one chain per tree?

    ``near_edge[near_start[k]:near_start[k + 1]]`` are line k's local edges (sorted), with
    their lengths in the line's zone in ``near_length``; ``cand_edge[cand_start[k]:...]`` its
    candidates' edges. Returns ``fast`` per line and, per candidate, its chain (global number),
    the edge's place along the chain and whether the edge runs the chain's way; the chains'
    edges and lengths in order (``chain_first`` indexes them).
    """
    n_lines = len(near_start) - 1
    n_cand = len(cand_edge)
    fast = np.zeros(n_lines, dtype=np.bool_)
    c_chain = np.full(n_cand, -1, dtype=np.int64)
    c_k = np.zeros(n_cand, dtype=np.int64)
    c_fwd = np.zeros(n_cand, dtype=np.bool_)
    chain_first = np.zeros(n_cand + 1, dtype=np.int64)
    chain_edge = np.empty(n_cand, dtype=np.int64)
    chain_length = np.empty(n_cand)
    n_chains = 0
    n_chain_edges = 0
    for line in range(n_lines):
        a0, a1 = near_start[line], near_start[line + 1]
        b0, b1 = cand_start[line], cand_start[line + 1]
        if a1 == a0 or b1 == b0:
            fast[line] = a1 > a0  # nothing to choose between: every sample is unmatched
            continue
        nodes = np.unique(np.concatenate((u[near_edge[a0:a1]], v[near_edge[a0:a1]])))
        parent = np.arange(len(nodes))
        forest = True
        for j in range(a0, a1):
            if u[near_edge[j]] == v[near_edge[j]]:
                # An edge from a node back to it (a sliver left where a junction was split
                # twice) is never on a shortest way: the search ignores it, and so may we.
                continue
            x = _root(parent, np.searchsorted(nodes, u[near_edge[j]]))
            y = _root(parent, np.searchsorted(nodes, v[near_edge[j]]))
            if x == y:  # a cycle (or two edges between the same nodes)
                forest = False
                break
            parent[x] = y
        if not forest:
            continue
        edges = np.unique(cand_edge[b0:b1])
        eu = np.searchsorted(nodes, u[edges])
        ev = np.searchsorted(nodes, v[edges])
        if np.any(eu == ev):  # a candidate on such an edge: left to the local graph
            continue
        degree = np.zeros(len(nodes), dtype=np.int64)
        for j in range(len(edges)):
            degree[eu[j]] += 1
            degree[ev[j]] += 1
        if degree.max() > 2:
            continue
        # Candidate edges joined among themselves; each tree may hold one such chain only.
        cpar = np.arange(len(nodes))
        for j in range(len(edges)):
            cpar[_root(cpar, eu[j])] = _root(cpar, ev[j])
        seen_tree = np.full(len(nodes), -1, dtype=np.int64)
        ok = True
        for j in range(len(edges)):
            c, t = _root(cpar, eu[j]), _root(parent, eu[j])
            if seen_tree[t] == -1:
                seen_tree[t] = c
            elif seen_tree[t] != c:
                ok = False
                break
        if not ok:
            continue
        fast[line] = True
        # Walk each chain from an end: its edges in order, each edge's place and direction.
        edge_chain = np.full(len(edges), -1, dtype=np.int64)
        edge_k = np.zeros(len(edges), dtype=np.int64)
        edge_fwd = np.zeros(len(edges), dtype=np.bool_)
        for start in range(len(edges)):
            if edge_chain[start] >= 0:
                continue
            # An end node of this chain: degree 1 (a chain in a forest has two).
            c = _root(cpar, eu[start])
            end = -1
            for n in range(len(nodes)):
                if degree[n] == 1 and _root(cpar, n) == c:
                    end = n
                    break
            g = n_chains
            n_chains += 1
            chain_first[g] = n_chain_edges
            node, k = end, 0
            while True:
                nxt = -1
                for j in range(len(edges)):
                    if edge_chain[j] < 0 and (eu[j] == node or ev[j] == node):
                        nxt = j
                        break
                if nxt < 0:
                    break
                edge_chain[nxt], edge_k[nxt], edge_fwd[nxt] = g, k, eu[nxt] == node
                chain_edge[n_chain_edges] = edges[nxt]
                at = np.searchsorted(near_edge[a0:a1], edges[nxt])
                chain_length[n_chain_edges] = near_length[a0 + at]
                n_chain_edges += 1
                node = ev[nxt] if eu[nxt] == node else eu[nxt]
                k += 1
            chain_first[g + 1] = n_chain_edges
        for j in range(b0, b1):
            at = np.searchsorted(edges, cand_edge[j])
            c_chain[j], c_k[j], c_fwd[j] = edge_chain[at], edge_k[at], edge_fwd[at]
    return (
        fast,
        c_chain,
        c_k,
        c_fwd,
        chain_first[: n_chains + 1].copy(),
        chain_edge[:n_chain_edges].copy(),
        chain_length[:n_chain_edges].copy(),
    )


@njit(cache=True, nogil=True)
def _node_at(k, fwd, first_end):
    """Chain node (0..edges) of an edge's first (``first_end``) or last vertex."""
    return k if fwd == first_end else k + 1


@njit(cache=True, nogil=True)
def _chain_m(first, chain_length, i, j):
    """Network distance between chain nodes i and j, summed from i outwards (as Dijkstra)."""
    total = 0.0
    if i < j:
        for t in range(i, j):
            total += chain_length[first + t]
    else:
        for t in range(i - 1, j - 1, -1):
            total += chain_length[first + t]
    return total


@njit(cache=True, nogil=True)
def _best_way(c_chain, c_k, c_fwd, c_len, pos, chain_first, chain_length, c1, c2):
    """The shortest of the four ways out of candidate c1's edge and into c2's (linematch._walk,
    first on ties): its length (inf off one chain), chain nodes and which ends (0: first)."""
    best, b_n1, b_n2, b_end1, b_end2 = np.inf, -1, -1, 0, 0
    g = c_chain[c1]
    p1, p2, l1, l2 = pos[c1], pos[c2], c_len[c1], c_len[c2]
    for end1 in range(2):
        n1 = _node_at(c_k[c1], c_fwd[c1], end1 == 0)
        d1 = p1 if end1 == 0 else l1 - p1
        for end2 in range(2):
            n2 = _node_at(c_k[c2], c_fwd[c2], end2 == 0)
            d2 = p2 if end2 == 0 else l2 - p2
            if g < 0 or c_chain[c2] != g:
                d = np.inf
            else:
                d = d1 + _chain_m(chain_first[g], chain_length, n1, n2) + d2
            if b_n1 < 0 or d < best:
                best, b_n1, b_n2, b_end1, b_end2 = d, n1, n2, end1, end2
    return best, b_n1, b_n2, b_end1, b_end2


@njit(cache=True, nogil=True)
def _network_m(c_chain, c_k, c_fwd, c_len, pos, chain_first, chain_length, c1, c2, e1, e2):
    """Shortest network distance between two candidates on chains (linematch._network_m)."""
    via = _best_way(c_chain, c_k, c_fwd, c_len, pos, chain_first, chain_length, c1, c2)[0]
    if e1 == e2:
        return min(abs(pos[c2] - pos[c1]), via)
    return via


@njit(cache=True, nogil=True)
def chain_moves(
    lines, sample_start, cand_start_of_sample, along, part_of, c_edge, c_chain, c_k, c_fwd,
    c_len, pos, chain_first, chain_length, move_start, moves, beta_m,
):  # fmt: skip
    """Transition costs of the given lines' consecutive candidates, written into ``moves``."""
    for line in lines:
        at = move_start[line]
        for i in range(sample_start[line] + 1, sample_start[line + 1]):
            step = along[i] - along[i - 1]
            new_part = part_of[i] != part_of[i - 1]
            for pm in range(cand_start_of_sample[i - 1], cand_start_of_sample[i]):
                for cm in range(cand_start_of_sample[i], cand_start_of_sample[i + 1]):
                    if new_part:
                        moves[at] = 0.0
                    else:
                        net = _network_m(
                            c_chain, c_k, c_fwd, c_len, pos, chain_first, chain_length,
                            pm, cm, c_edge[pm], c_edge[cm],
                        )  # fmt: skip
                        moves[at] = abs(net - step) / beta_m
                    at += 1


@njit(cache=True, nogil=True)
def viterbi(sample_start, cand_start_of_sample, emit, moves, move_start, null_cost, gap_cost):
    """Per sample the chosen candidate (global index) or -1: linematch's Viterbi, per line."""
    n_samples = len(cand_start_of_sample) - 1
    chosen = np.full(n_samples, -1, dtype=np.int64)
    back = np.empty(len(emit) + n_samples, dtype=np.int64)  # per sample: its states
    state_start = np.empty(n_samples + 1, dtype=np.int64)
    state_start[0] = 0
    for i in range(n_samples):
        state_start[i + 1] = (
            state_start[i] + cand_start_of_sample[i + 1] - cand_start_of_sample[i] + 1
        )
    for line in range(len(sample_start) - 1):
        s0, s1 = sample_start[line], sample_start[line + 1]
        if s1 == s0:
            continue
        c0 = cand_start_of_sample[s0]
        k = cand_start_of_sample[s0 + 1] - c0
        cost = np.empty(k + 1)
        for j in range(k):
            cost[j] = emit[c0 + j]
        cost[k] = null_cost
        for j in range(k + 1):
            back[state_start[s0] + j] = -1
        at = move_start[line]
        for i in range(s0 + 1, s1):
            kp = k
            cp = cand_start_of_sample[i]
            k = cand_start_of_sample[i + 1] - cp
            new = np.empty(k + 1)
            for j in range(k + 1):
                best, best_total = 0, 0.0
                for r in range(kp + 1):
                    if r < kp and j < k:
                        trans = moves[at + r * k + j]
                    elif r == kp and j == k:
                        trans = 0.0
                    else:
                        trans = gap_cost
                    total = cost[r] + trans
                    if r == 0 or total < best_total:
                        best, best_total = r, total
                new[j] = best_total + (emit[cp + j] if j < k else null_cost)
                back[state_start[i] + j] = best
            at += kp * k
            cost = new
        state = 0
        for j in range(1, k + 1):
            if cost[j] < cost[state]:
                state = j
        for i in range(s1 - 1, s0 - 1, -1):
            count = cand_start_of_sample[i + 1] - cand_start_of_sample[i]
            chosen[i] = cand_start_of_sample[i] + state if state < count else -1
            state = back[state_start[i] + state]
    return chosen


# --- pieces along the chosen path, for lines on chains ------------------------------------------


@njit(cache=True, nogil=True)
def _add(out_e, out_lo, out_hi, n, first, edge, lo, hi):
    """linematch._assemble's ``add``: extend the last piece on the same edge, else append."""
    if n > first and out_e[n - 1] == edge:
        out_lo[n - 1] = min(out_lo[n - 1], lo)
        out_hi[n - 1] = max(out_hi[n - 1], hi)
        return n
    if hi - lo > _NO_LENGTH_M:
        out_e[n], out_lo[n], out_hi[n] = edge, lo, hi
        return n + 1
    return n


@njit(cache=True, nogil=True)
def chain_pieces(
    lines, sample_start, part_of, along, chosen, c_edge, c_chain, c_k, c_fwd, c_len, pos,
    chain_first, chain_edge, chain_length, bridge_m,
):  # fmt: skip
    """Edge pieces (line, edge, from, to) along the chosen path of each line, and matched metres.

    linematch._assemble and _walk, on chains: the way between two candidates on one chain is
    along it (an unmatched stretch bridged as _assemble does, within ``bridge_m``).
    """
    bound = 0
    for line in lines:
        for i in range(sample_start[line], sample_start[line + 1]):
            bound += 2
            if i > sample_start[line] and chosen[i] >= 0 and chosen[i - 1] >= 0:
                bound += abs(c_k[chosen[i]] - c_k[chosen[i - 1]])
    out_line = np.empty(bound, dtype=np.int64)
    out_e = np.empty(bound, dtype=np.int64)
    out_lo = np.empty(bound)
    out_hi = np.empty(bound)
    matched = np.zeros(len(lines))
    n = 0
    for li in range(len(lines)):
        line = lines[li]
        first = n
        last_part = -1  # the part of the last matched sample
        last = -1  # the last matched sample
        for i in range(sample_start[line], sample_start[line + 1]):
            c = chosen[i]
            if c < 0:
                continue
            e, p = c_edge[c], pos[c]
            prev = chosen[i - 1] if i > sample_start[line] else -1
            if last_part >= 0 and part_of[i] != last_part:
                # A new part starts a piece of its own (extended by its next samples), its
                # first samples matched or not: the gap between two parts is not covered,
                # even on one edge.
                last_part, last = part_of[i], i
                out_e[n], out_lo[n], out_hi[n] = e, p, p
                n += 1
                continue
            last_part = part_of[i]
            if prev < 0:
                # An unmatched stretch: bridged along the network when its way is about as
                # long as the line between the two matched samples.
                bridged = False
                if last >= 0:
                    c0 = chosen[last]
                    way = _network_m(
                        c_chain, c_k, c_fwd, c_len, pos, chain_first, chain_length, c0, c,
                        c_edge[c0], e,
                    )  # fmt: skip
                    bridged = abs(way - (along[i] - along[last])) <= bridge_m
                if not bridged:
                    n = _add(out_e, out_lo, out_hi, n, first, e, p, p)
                    last = i
                    continue
                prev = chosen[last]
            else:
                matched[li] += along[i] - along[i - 1]
            last = i
            e0, p0 = c_edge[prev], pos[prev]
            if e0 == e:
                n = _add(out_e, out_lo, out_hi, n, first, e, min(p0, p), max(p0, p))
                continue
            g = c_chain[c]
            l0, l1 = c_len[prev], c_len[c]
            best, b_n0, b_n1, b_end0, b_end1 = _best_way(
                c_chain, c_k, c_fwd, c_len, pos, chain_first, chain_length, prev, c
            )
            if not np.isfinite(best):
                n = _add(out_e, out_lo, out_hi, n, first, e, p, p)
                continue
            if b_end0 == 0:
                n = _add(out_e, out_lo, out_hi, n, first, e0, 0.0, p0)
            else:
                n = _add(out_e, out_lo, out_hi, n, first, e0, p0, l0)
            f = chain_first[g]
            if b_n0 < b_n1:
                for t in range(b_n0, b_n1):
                    n = _add(
                        out_e, out_lo, out_hi, n, first, chain_edge[f + t], 0.0, chain_length[f + t]
                    )
            else:
                for t in range(b_n0 - 1, b_n1 - 1, -1):
                    n = _add(
                        out_e, out_lo, out_hi, n, first, chain_edge[f + t], 0.0, chain_length[f + t]
                    )
            if b_end1 == 0:
                n = _add(out_e, out_lo, out_hi, n, first, e, 0.0, p)
            else:
                n = _add(out_e, out_lo, out_hi, n, first, e, p, l1)
        # Drop what stayed a point (a part whose other samples matched nothing).
        kept = first
        for k in range(first, n):
            if out_hi[k] - out_lo[k] > _NO_LENGTH_M:
                out_e[kept], out_lo[kept], out_hi[kept] = out_e[k], out_lo[k], out_hi[k]
                kept += 1
        n = kept
        out_line[first:n] = line
    return out_line[:n], out_e[:n], out_lo[:n], out_hi[:n], matched


# --- samples and candidates ---------------------------------------------------------------------


@njit(cache=True, nogil=True)
def _point_at(vxy, valong, v0, v1, d):
    """The point ``d`` metres along the line of vertices v0..v1 (clamped to its ends)."""
    j = v0 + np.searchsorted(valong[v0 : v1 + 1], d, side="right") - 1
    j = max(v0, min(j, v1 - 1))
    if v1 <= v0:
        return vxy[v0, 0], vxy[v0, 1]
    seg = valong[j + 1] - valong[j]
    frac = (d - valong[j]) / seg if seg > 0 else 0.0
    frac = min(max(frac, 0.0), 1.0)
    return (
        vxy[j, 0] + frac * (vxy[j + 1, 0] - vxy[j, 0]),
        vxy[j, 1] + frac * (vxy[j + 1, 1] - vxy[j, 1]),
    )


@njit(cache=True, nogil=True)
def _window(pos, length, half_m):
    """From and to where (metres along a line of ``length``) the heading at ``pos`` is
    measured: ``half_m`` either side, the whole ``2 * half_m`` next to an end (as
    linematch._heading_window)."""
    lo, hi = pos - half_m, pos + half_m
    if lo < 0.0:
        hi -= lo
    if hi > length:
        lo -= hi - length
    return max(lo, 0.0), min(hi, length)


@njit(cache=True, nogil=True)
def _heading(vxy, valong, v0, v1, pos, length, half_m):
    """Unit direction at ``pos``: from ``half_m`` behind to ``half_m`` ahead, the whole
    ``2 * half_m`` measured next to an end (as linematch)."""
    lo, hi = _window(pos, length, half_m)
    ax, ay = _point_at(vxy, valong, v0, v1, hi)
    bx, by = _point_at(vxy, valong, v0, v1, lo)
    dx, dy = ax - bx, ay - by
    norm = max(np.hypot(dx, dy), 1e-12)
    return dx / norm, dy / norm


@njit(cache=True, nogil=True)
def sample_points(vxy, vstart, valong, length, n_steps, first, half_m):
    """Points every ``length / n_steps`` along each part (np.linspace), and the heading there
    (from ``half_m`` behind to ``half_m`` ahead)."""
    total = first[-1]
    xy = np.empty((total, 2))
    heading = np.empty((total, 2))
    pos = np.empty(total)
    for k in range(len(length)):
        v0, v1 = vstart[k], vstart[k + 1] - 1
        step = length[k] / n_steps[k]
        for i in range(n_steps[k] + 1):
            at = first[k] + i
            p = length[k] if i == n_steps[k] else i * step
            pos[at] = p
            xy[at, 0], xy[at, 1] = _point_at(vxy, valong, v0, v1, p)
            heading[at, 0], heading[at, 1] = _heading(vxy, valong, v0, v1, p, length[k], half_m)
    return xy, heading, pos


@njit(cache=True, nogil=True)
def _to_segment(px, py, ax, ay, bx, by):
    """Distance from a point to a segment and the fraction (0-1) of its nearest point (GEOS)."""
    dx, dy = bx - ax, by - ay
    len2 = dx * dx + dy * dy
    if len2 == 0.0:
        return np.hypot(px - ax, py - ay), 0.0
    r = ((px - ax) * dx + (py - ay) * dy) / len2
    if r <= 0.0:
        return np.hypot(px - ax, py - ay), 0.0
    if r >= 1.0:
        return np.hypot(px - bx, py - by), 1.0
    s = ((ay - py) * dx - (ax - px) * dy) / len2
    return abs(s) * np.sqrt(len2), r


@njit(cache=True, nogil=True)
def candidates(
    sample_start, sxy, sheading, near_start, near_edge, near_row, vxy, vstart, valong,
    bounds, row_length, max_offset_m, cos_min, keep,
):  # fmt: skip
    """Per sample its nearest ``keep`` edges within ``max_offset_m`` running its way (as
    linematch._candidates), sorted by offset then edge number; ``start`` indexes them."""
    n_samples = len(sxy)
    out_edge = np.empty(n_samples * keep, dtype=np.int64)
    out_row = np.empty(n_samples * keep, dtype=np.int64)
    out_pos = np.empty(n_samples * keep)
    out_off = np.empty(n_samples * keep)
    start = np.zeros(n_samples + 1, dtype=np.int64)
    n = 0
    for line in range(len(sample_start) - 1):
        for i in range(sample_start[line], sample_start[line + 1]):
            px, py = sxy[i, 0], sxy[i, 1]
            got = 0
            for j in range(near_start[line], near_start[line + 1]):
                r = near_row[j]
                if (
                    px < bounds[r, 0] - max_offset_m
                    or px > bounds[r, 2] + max_offset_m
                    or py < bounds[r, 1] - max_offset_m
                    or py > bounds[r, 3] + max_offset_m
                ):
                    continue
                v0, v1 = vstart[r], vstart[r + 1] - 1
                best, best_pos = np.inf, 0.0
                for t in range(v0, v1):
                    d, f = _to_segment(px, py, vxy[t, 0], vxy[t, 1], vxy[t + 1, 0], vxy[t + 1, 1])
                    if d < best:
                        best = d
                        best_pos = valong[t] + f * (valong[t + 1] - valong[t])
                if best > max_offset_m:
                    continue
                hx, hy = _heading(vxy, valong, v0, v1, best_pos, row_length[r], 1.0)
                if abs(hx * sheading[i, 0] + hy * sheading[i, 1]) < cos_min:
                    continue
                # Insert by offset after equal ones (edges come in rising order), keep the first few.
                at = got
                while at > 0 and out_off[n + at - 1] > best:
                    at -= 1
                if at >= keep:
                    continue
                for m in range(min(got, keep - 1), at, -1):
                    out_edge[n + m] = out_edge[n + m - 1]
                    out_row[n + m] = out_row[n + m - 1]
                    out_pos[n + m] = out_pos[n + m - 1]
                    out_off[n + m] = out_off[n + m - 1]
                out_edge[n + at], out_row[n + at] = near_edge[j], r
                out_pos[n + at], out_off[n + at] = best_pos, best
                got = min(got + 1, keep)
            n += got
            start[i + 1] = n
    return start, out_edge[:n].copy(), out_row[:n].copy(), out_pos[:n].copy(), out_off[:n].copy()


# --- edges near a line --------------------------------------------------------------------------


@njit(cache=True, nogil=True)
def _side(ax, ay, bx, by, px, py):
    return (bx - ax) * (py - ay) - (by - ay) * (px - ax)


@njit(cache=True, nogil=True)
def _segments_m(ax, ay, bx, by, cx, cy, dx, dy):
    """Distance between segments ab and cd (0 where they cross or touch)."""
    d1, d2 = _side(ax, ay, bx, by, cx, cy), _side(ax, ay, bx, by, dx, dy)
    d3, d4 = _side(cx, cy, dx, dy, ax, ay), _side(cx, cy, dx, dy, bx, by)
    if ((d1 > 0 and d2 < 0) or (d1 < 0 and d2 > 0)) and (
        (d3 > 0 and d4 < 0) or (d3 < 0 and d4 > 0)
    ):
        return 0.0
    best = _to_segment(ax, ay, cx, cy, dx, dy)[0]
    best = min(best, _to_segment(bx, by, cx, cy, dx, dy)[0])
    best = min(best, _to_segment(cx, cy, ax, ay, bx, by)[0])
    return min(best, _to_segment(dx, dy, ax, ay, bx, by)[0])


@njit(cache=True, nogil=True)
def within(pair_a, pair_b, axy, astart, bxy, bstart, distance):
    """Per pair: is line ``pair_a`` within ``distance`` of line ``pair_b`` (vertex arrays)."""
    out = np.zeros(len(pair_a), dtype=np.bool_)
    for k in range(len(pair_a)):
        a0, a1 = astart[pair_a[k]], astart[pair_a[k] + 1] - 1
        b0, b1 = bstart[pair_b[k]], bstart[pair_b[k] + 1] - 1
        found = False
        x0, y0 = bxy[b0 : b1 + 1, 0].min() - distance, bxy[b0 : b1 + 1, 1].min() - distance
        x1, y1 = bxy[b0 : b1 + 1, 0].max() + distance, bxy[b0 : b1 + 1, 1].max() + distance
        for i in range(a0, max(a1, a0 + 1)):
            ia = min(i + 1, a1)
            # Segments of the line far from the edge's box cannot be within reach.
            if (
                max(axy[i, 0], axy[ia, 0]) < x0
                or min(axy[i, 0], axy[ia, 0]) > x1
                or max(axy[i, 1], axy[ia, 1]) < y0
                or min(axy[i, 1], axy[ia, 1]) > y1
            ):
                continue
            for j in range(b0, max(b1, b0 + 1)):
                jb = min(j + 1, b1)
                d = _segments_m(
                    axy[i, 0], axy[i, 1], axy[ia, 0], axy[ia, 1],
                    bxy[j, 0], bxy[j, 1], bxy[jb, 0], bxy[jb, 1],
                )  # fmt: skip
                if d <= distance:
                    found = True
                    break
            if found:
                break
        out[k] = found
    return out
