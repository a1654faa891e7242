"""The compiled loops (numba) of :mod:`geo.spatial.segments`, which describes the measure and
drives them; tested through its functions.

Compiled once into the project's cache outside the source tree
(:func:`geo.settings.numba_cache_dir`; a ``NUMBA_CACHE_DIR`` set by hand still wins), so an
install's first analysis loads them instead of compiling. In their own module because importing
numba and setting up its dispatchers takes a good part of a second, which a process that only
reads saved analyses (the app's pages) never pays: :mod:`geo.spatial.segments` imports this
module on the first measure.
"""

from __future__ import annotations

import math
from typing import Any

import numba
import numpy as np
from numba import njit

from geo.settings import numba_cache_dir

# Set before the loops below are compiled: numba reads the cache directory when a loop is
# defined. An install may be read-only, and a cache beside the code is lost when the code moves.
_NUMBA_CONFIG: Any = numba.config  # set at run time; numba's config has no type stubs
if not _NUMBA_CONFIG.CACHE_DIR:
    _NUMBA_CONFIG.CACHE_DIR = str(numba_cache_dir())

# --- compiled loops -------------------------------------------------------------------------------
# Arguments: xy, vertex_start, part_start, bounds_m (LineArrays), the pairs a and b, then
# tol (metres), cos_min (cosine of max_angle_deg), step (metres), min_total (metres).


@njit(cache=True, nogil=True)
def extents(xy, vstart, pstart, bounds, a, b, tol, cos_min, step, min_total):
    out = np.zeros(len(a))
    rows = np.empty((0, 5))
    for k in range(len(a)):
        out[k], _ = _along(
            xy, vstart, pstart, bounds, a[k], b[k], tol, cos_min, step, min_total, k, rows
        )
    return out


@njit(cache=True, nogil=True)
def pieces(xy, vstart, pstart, bounds, a, b, tol, cos_min, step, min_total):
    """Rows (pair, first vertex, t, last vertex, t) of every counted piece of every pair."""
    none = np.empty((0, 5))
    counts = np.zeros(len(a), dtype=np.int64)
    for k in range(len(a)):
        _, counts[k] = _along(
            xy, vstart, pstart, bounds, a[k], b[k], tol, cos_min, step, min_total, k, none
        )
    rows = np.empty((counts.sum(), 5))
    first = 0
    for k in range(len(a)):
        if counts[k]:
            _along(
                xy,
                vstart,
                pstart,
                bounds,
                a[k],
                b[k],
                tol,
                cos_min,
                step,
                min_total,
                k,
                rows[first : first + counts[k]],
            )
            first += counts[k]
    return rows


@njit(cache=True, nogil=True)
def _along(xy, vstart, pstart, bounds, ia, ib, tol, cos_min, step, min_total, k, rows):
    """Extent of line ``ia`` along line ``ib`` and the number of counted pieces.

    Counted pieces are written to ``rows`` (as ``(k, first vertex, t, last vertex, t)``) when it
    has room for them.
    """
    if not _boxes_meet(bounds[ia], bounds[ib], tol):
        return 0.0, 0
    # Most pairs stop here (neighbours, crossings): too little of A comes near B's bounding
    # box, or near B itself.
    reach = _reach(bounds, ib, tol)
    if _length_in_box(xy, vstart, pstart, ia, reach) < min_total:
        return 0.0, 0
    n_b = vstart[pstart[ib + 1]] - vstart[pstart[ib]]
    near_b = np.empty(n_b, dtype=np.int64)
    n_near = _segments_in_box(xy, vstart, pstart, ib, _reach(bounds, ia, tol), near_b)
    near_b = near_b[:n_near]
    starts, ends = np.empty(max(n_near, 1)), np.empty(max(n_near, 1))
    if _near_length(xy, vstart, pstart, ia, ib, near_b, tol, reach, starts, ends) < min_total:
        return 0.0, 0
    total_m, extent_m, count = 0.0, 0.0, 0
    pieces = np.empty((8, 5))
    for part_b in range(pstart[ib], pstart[ib + 1]):
        b0, b1 = vstart[part_b], vstart[part_b + 1]
        if b1 - b0 < 2:
            continue
        ref = _resample(xy, b0, b1, step)
        # A ring (its ends within the tolerance: closed, or a loop left a few metres open;
        # longer than a few tolerances, not a short stub): measured round the ring
        gap_m = math.hypot(xy[b1 - 1, 0] - xy[b0, 0], xy[b1 - 1, 1] - xy[b0, 1])
        ref_m = _length(ref)
        ring_m = ref_m + gap_m if gap_m <= tol and ref_m > 4.0 * tol else 0.0
        segs = near_b[(near_b >= b0) & (near_b < b1 - 1)]
        pieces, n = _runs(
            xy, vstart, pstart, ia, xy, segs, -1, -1, tol, reach, starts, ends, pieces
        )
        for i in range(n):
            total_m, extent_m, count = _close_piece(
                xy, ref, ring_m, int(pieces[i, 0]), pieces[i, 1], int(pieces[i, 2]),
                pieces[i, 3], pieces[i, 4], cos_min, total_m, extent_m, count, k, rows,
            )  # fmt: skip
    if total_m < min_total:
        return 0.0, 0
    return extent_m, count


@njit(cache=True, nogil=True)
def _near_length(xy, vstart, pstart, ia, ib, near_b, tol, reach, starts, ends):
    """Length of line ``ia`` within ``tol`` of each part of line ``ib``, summed over the parts.

    ``near_b``: the segments of ``ib`` (by first vertex) that may come near ``ia``; ``reach``:
    the bounding box of ``ib`` grown by ``tol``.
    """
    total_m = 0.0
    for part_b in range(pstart[ib], pstart[ib + 1]):
        b0, b1 = vstart[part_b], vstart[part_b + 1]
        segs = near_b[(near_b >= b0) & (near_b < b1 - 1)]
        for part_a in range(pstart[ia], pstart[ia + 1]):
            for va in range(vstart[part_a], vstart[part_a + 1] - 1):
                px, py = xy[va, 0], xy[va, 1]
                dx, dy = xy[va + 1, 0] - px, xy[va + 1, 1] - py
                seg_m = math.sqrt(dx * dx + dy * dy)
                if seg_m > 0.0:
                    n = _intervals(xy, segs, -1, -1, px, py, dx, dy, tol, reach, starts, ends)
                    total_m += _merged_fraction(starts, ends, n) * seg_m
    return total_m


@njit(cache=True, nogil=True)
def _length_in_box(xy, vstart, pstart, line, box):
    """Length of ``line`` inside ``box`` (xmin, ymin, xmax, ymax): clipped segment by segment."""
    total_m = 0.0
    for part in range(pstart[line], pstart[line + 1]):
        for v in range(vstart[part], vstart[part + 1] - 1):
            px, py = xy[v, 0], xy[v, 1]
            dx, dy = xy[v + 1, 0] - px, xy[v + 1, 1] - py
            lo, hi = 0.0, 1.0
            for p0, d, low, high in ((px, dx, box[0], box[2]), (py, dy, box[1], box[3])):
                if d == 0.0:
                    if p0 < low or p0 > high:
                        hi = -1.0
                else:
                    t0, t1 = (low - p0) / d, (high - p0) / d
                    lo, hi = max(lo, min(t0, t1)), min(hi, max(t0, t1))
            if lo < hi:
                total_m += (hi - lo) * math.sqrt(dx * dx + dy * dy)
    return total_m


@njit(cache=True, nogil=True)
def _segments_in_box(xy, vstart, pstart, line, box, out):
    """Segments of ``line`` (by first vertex) whose bounding boxes meet ``box``; how many."""
    n = 0
    for part in range(pstart[line], pstart[line + 1]):
        for v in range(vstart[part], vstart[part + 1] - 1):
            x0, x1 = min(xy[v, 0], xy[v + 1, 0]), max(xy[v, 0], xy[v + 1, 0])
            y0, y1 = min(xy[v, 1], xy[v + 1, 1]), max(xy[v, 1], xy[v + 1, 1])
            if x0 <= box[2] and x1 >= box[0] and y0 <= box[3] and y1 >= box[1]:
                out[n] = v
                n += 1
    return n


@njit(cache=True, nogil=True)
def _reach(bounds, line, tol):
    """The bounding box of ``line`` grown by ``tol`` on every side."""
    return (
        bounds[line, 0] - tol,
        bounds[line, 1] - tol,
        bounds[line, 2] + tol,
        bounds[line, 3] + tol,
    )


@njit(cache=True, nogil=True)
def _merged_fraction(starts, ends, n):
    """Length of the union of the first ``n`` intervals (sorted by start)."""
    covered, j = 0.0, 0
    while j < n:
        lo, hi = starts[j], ends[j]
        j += 1
        while j < n and starts[j] <= hi:
            hi = max(hi, ends[j])
            j += 1
        covered += hi - lo
    return covered


#: A piece is measured in this many stretches when it curls back or runs along a ring.
RING_STRETCHES = 8


@njit(cache=True, nogil=True)
def _close_piece(xy, ref, ring_m, first_v, first_t, last_v, last_t, piece_m, cos_min, total_m,
                 extent_m, count, k, rows):  # fmt: skip
    """Count a finished piece: its length in the total; its extent when it runs along.

    A piece is judged by its chord. A piece that curls back on itself (a ring road digitised
    twice: its chord is nothing) or runs along a ring (``ring_m`` > 0: the ring's length) is
    judged in :data:`RING_STRETCHES` stretches or more, each short enough to have a chord and
    to be measured round the ring without going the long way.
    """
    sx, sy = _point_on(xy, first_v, first_t)
    ex, ey = _point_on(xy, last_v, last_t)
    stretches = 1
    if ring_m > 0.0 or math.hypot(ex - sx, ey - sy) < 0.5 * piece_m:
        reach_m = min(piece_m, ring_m) if ring_m > 0.0 else piece_m
        stretches = max(RING_STRETCHES, math.ceil(RING_STRETCHES * piece_m / reach_m))
    total_m += piece_m
    v0, t0 = first_v, first_t
    s0, qx0, qy0 = _locate(ref, sx, sy)
    for i in range(stretches):
        if i == stretches - 1:
            v1, t1 = last_v, last_t
        else:
            v1, t1 = _advance(xy, v0, t0, last_v, last_t, piece_m / stretches)
        px, py = _point_on(xy, v1, t1)
        s1, qx1, qy1 = _locate(ref, px, py)
        ax, ay, bx, by = px - sx, py - sy, qx1 - qx0, qy1 - qy0
        norm = math.sqrt(ax * ax + ay * ay) * math.sqrt(bx * bx + by * by)
        if norm > 0.0 and abs(ax * bx + ay * by) >= cos_min * norm:
            shift = abs(s1 - s0)
            if ring_m > 0.0:  # round the ring the short way: each stretch is short
                shift = min(shift, ring_m - shift)
            if stretches > 1 and shift > 2.0 * piece_m / stretches:
                # across the gap of a loop left open (its ends a few metres apart): the
                # stretch runs along both ends, not round the whole loop
                shift = piece_m / stretches
            if count < len(rows):
                rows[count, 0], rows[count, 1], rows[count, 2] = k, v0, t0
                rows[count, 3], rows[count, 4] = v1, t1
            extent_m += shift
            count += 1
        v0, t0, sx, sy, s0, qx0, qy0 = v1, t1, px, py, s1, qx1, qy1
    return total_m, extent_m, count


@njit(cache=True, nogil=True)
def _advance(xy, v, t, last_v, last_t, distance_m):
    """The place (vertex, t) ``distance_m`` further along the line from (v, t), at most
    (last_v, last_t)."""
    while v < last_v or (v == last_v and t < last_t):
        end_t = last_t if v == last_v else 1.0
        seg_m = math.hypot(xy[v + 1, 0] - xy[v, 0], xy[v + 1, 1] - xy[v, 1])
        left_m = (end_t - t) * seg_m
        if left_m >= distance_m and seg_m > 0.0:
            return v, t + distance_m / seg_m
        distance_m -= left_m
        if v == last_v:
            break
        v, t = v + 1, 0.0
    return last_v, last_t


@njit(cache=True, nogil=True)
def _runs(lxy, lvs, lps, il, bxy, segs, flat_start, flat_end, tol, reach, starts, ends, pieces):
    """The pieces of line ``il`` within ``tol`` of B's segments ``segs``: maximal runs.

    Returns ``(pieces, n)``: rows (first vertex, t, last vertex, t, length in metres) of the
    ``n`` pieces, in order along the line (``pieces`` grows when it must). A piece runs on
    through a vertex, and through a repeated one; it ends between parts of the line.
    ``flat_start``/``flat_end``: the segment of ``segs`` whose start/end is cut square (-1:
    none); ``reach``: B's bounding box grown by ``tol``.
    """
    n_pieces = 0
    for part in range(lps[il], lps[il + 1]):
        is_open, first_v, first_t, last_v, last_t, piece_m = False, 0, 0.0, 0, 0.0, 0.0
        for va in range(lvs[part], lvs[part + 1] - 1):
            px, py = lxy[va, 0], lxy[va, 1]
            dx, dy = lxy[va + 1, 0] - px, lxy[va + 1, 1] - py
            seg_m = math.sqrt(dx * dx + dy * dy)
            if seg_m == 0.0:  # a repeated vertex: an open piece runs on through it
                if is_open and last_t == 1.0 and last_v == va - 1:
                    last_v = va
                continue
            n = _intervals(
                bxy, segs, flat_start, flat_end, px, py, dx, dy, tol, reach, starts, ends
            )
            j = 0
            while j < n:  # merged runs of the sorted intervals, in order along the line
                lo, hi = starts[j], ends[j]
                j += 1
                while j < n and starts[j] <= hi:
                    hi = max(hi, ends[j])
                    j += 1
                if is_open and lo == 0.0 and last_t == 1.0 and last_v == va - 1:
                    last_v, last_t = va, hi
                    piece_m += (hi - lo) * seg_m
                    continue
                if is_open:
                    pieces, n_pieces = _append_piece(
                        pieces, n_pieces, first_v, first_t, last_v, last_t, piece_m
                    )
                is_open, first_v, first_t, last_v, last_t = True, va, lo, va, hi
                piece_m = (hi - lo) * seg_m
        if is_open:
            pieces, n_pieces = _append_piece(
                pieces, n_pieces, first_v, first_t, last_v, last_t, piece_m
            )
    return pieces, n_pieces


@njit(cache=True, nogil=True)
def _append_piece(pieces, n, first_v, first_t, last_v, last_t, piece_m):
    if n == len(pieces):
        bigger = np.empty((2 * len(pieces), 5))
        bigger[:n] = pieces[:n]
        pieces = bigger
    pieces[n, 0], pieces[n, 1], pieces[n, 2] = first_v, first_t, last_v
    pieces[n, 3], pieces[n, 4] = last_t, piece_m
    return pieces, n + 1


@njit(cache=True, nogil=True)
def _intervals(bxy, segs, flat_start, flat_end, px, py, dx, dy, tol, reach, starts, ends):
    """Sorted intervals of t in [0, 1] where p + t d is within ``tol`` of B's segments ``segs``
    (by first vertex); how many were written to ``starts``/``ends``.

    ``reach`` is B's bounding box grown by ``tol``; ``flat_start``/``flat_end`` as in
    :func:`_runs`.
    """
    sx0, sx1 = min(px, px + dx), max(px, px + dx)
    sy0, sy1 = min(py, py + dy), max(py, py + dy)
    if sx0 > reach[2] or sx1 < reach[0] or sy0 > reach[3] or sy1 < reach[1]:
        return 0  # far from all of B: most segments of a neighbour or a crossing road
    n = 0
    for vb in segs:
        qx, qy = bxy[vb, 0], bxy[vb, 1]
        ex, ey = bxy[vb + 1, 0] - qx, bxy[vb + 1, 1] - qy
        if (
            min(qx, qx + ex) - tol > sx1
            or max(qx, qx + ex) + tol < sx0
            or min(qy, qy + ey) - tol > sy1
            or max(qy, qy + ey) + tol < sy0
        ):
            continue
        lo, hi = _capsule_interval(
            px, py, dx, dy, qx, qy, ex, ey, tol, vb != flat_start, vb != flat_end
        )
        lo, hi = max(lo, 0.0), min(hi, 1.0)
        if lo < hi:
            j = n
            while j > 0 and starts[j - 1] > lo:
                starts[j], ends[j] = starts[j - 1], ends[j - 1]
                j -= 1
            starts[j], ends[j] = lo, hi
            n += 1
    return n


@njit(cache=True, nogil=True)
def _capsule_interval(px, py, dx, dy, qx, qy, ex, ey, r, start_disc, end_disc):
    """Parameters t where p + t d lies within ``r`` of segment q -> q + e: (lo, hi), empty if lo > hi.

    The capsule (all points within ``r`` of the segment) is the union of a rectangle and two
    discs and is convex, so the line meets it in one interval: the hull of the three pieces.
    Without ``start_disc``/``end_disc`` that end is cut square (a flat end: still convex).
    """
    lo, hi = np.inf, -np.inf
    d2 = dx * dx + dy * dy
    for end in range(2):  # the discs around both ends of the segment
        if not (end_disc if end else start_disc):
            continue
        fx, fy = px - (qx + end * ex), py - (qy + end * ey)
        half_b = dx * fx + dy * fy
        disc = half_b * half_b - d2 * (fx * fx + fy * fy - r * r)
        if disc >= 0.0:
            root = math.sqrt(disc)
            lo = min(lo, (-half_b - root) / d2)
            hi = max(hi, (-half_b + root) / d2)
    e_m = math.sqrt(ex * ex + ey * ey)
    if e_m == 0.0:
        return lo, hi
    # The rectangle: 0 <= u <= |e| along the segment and -r <= v <= r across it, with u and v
    # linear in t (u0 + t u1, v0 + t v1).
    ux, uy = ex / e_m, ey / e_m
    fx, fy = px - qx, py - qy
    u0, u1 = fx * ux + fy * uy, dx * ux + dy * uy
    v0, v1 = fy * ux - fx * uy, dy * ux - dx * uy
    t_lo, t_hi = -np.inf, np.inf
    if u1 == 0.0:
        if u0 < 0.0 or u0 > e_m:
            return lo, hi
    else:
        t0, t1 = -u0 / u1, (e_m - u0) / u1
        t_lo, t_hi = max(t_lo, min(t0, t1)), min(t_hi, max(t0, t1))
    if v1 == 0.0:
        if abs(v0) > r:
            return lo, hi
    else:
        t0, t1 = (-r - v0) / v1, (r - v0) / v1
        t_lo, t_hi = max(t_lo, min(t0, t1)), min(t_hi, max(t0, t1))
    if t_lo <= t_hi:
        lo, hi = min(lo, t_lo), max(hi, t_hi)
    return lo, hi


@njit(cache=True, nogil=True)
def _resample(xy, v0, v1, step):
    """The part of vertices ``v0`` to ``v1 - 1`` resampled at equal spacing of about ``step``.

    Both ends kept; a part shorter than the step becomes its chord.
    """
    along = np.zeros(v1 - v0)
    for v in range(v0 + 1, v1):
        along[v - v0] = along[v - v0 - 1] + math.hypot(xy[v, 0] - xy[v - 1, 0],
                                                       xy[v, 1] - xy[v - 1, 1])  # fmt: skip
    length = along[-1]
    n = max(math.ceil(length / step), 1) + 1
    out = np.empty((n, 2))
    j = 0
    for i in range(n):
        target = length * i / (n - 1)
        while j < v1 - v0 - 2 and along[j + 1] <= target:
            j += 1
        span = along[j + 1] - along[j]
        t = min(max((target - along[j]) / span, 0.0), 1.0) if span > 0.0 else 0.0
        out[i, 0] = xy[v0 + j, 0] + t * (xy[v0 + j + 1, 0] - xy[v0 + j, 0])
        out[i, 1] = xy[v0 + j, 1] + t * (xy[v0 + j + 1, 1] - xy[v0 + j, 1])
    return out


@njit(cache=True, nogil=True)
def _locate(ref, px, py):
    """Distance along ``ref`` of its point nearest to (px, py), and that point."""
    best_d2, best_s, best_x, best_y = np.inf, 0.0, ref[0, 0], ref[0, 1]
    walked = 0.0
    for i in range(len(ref) - 1):
        ex, ey = ref[i + 1, 0] - ref[i, 0], ref[i + 1, 1] - ref[i, 1]
        e2 = ex * ex + ey * ey
        t = 0.0
        if e2 > 0.0:
            t = min(max(((px - ref[i, 0]) * ex + (py - ref[i, 1]) * ey) / e2, 0.0), 1.0)
        qx, qy = ref[i, 0] + t * ex, ref[i, 1] + t * ey
        d2 = (px - qx) ** 2 + (py - qy) ** 2
        seg_m = math.sqrt(e2)
        if d2 < best_d2:
            best_d2, best_s, best_x, best_y = d2, walked + t * seg_m, qx, qy
        walked += seg_m
    return best_s, best_x, best_y


@njit(cache=True, nogil=True)
def resampled_lengths(xy, vstart, pstart, lines, step):
    out = np.zeros(len(lines))
    for k in range(len(lines)):
        for part in range(pstart[lines[k]], pstart[lines[k] + 1]):
            if vstart[part + 1] - vstart[part] < 2:
                continue
            ref = _resample(xy, vstart[part], vstart[part + 1], step)
            for i in range(len(ref) - 1):
                out[k] += math.hypot(ref[i + 1, 0] - ref[i, 0], ref[i + 1, 1] - ref[i, 1])
    return out


@njit(cache=True, nogil=True)
def line_lengths(xy, vstart, pstart):
    # GEOS sums sqrt(dx * dx + dy * dy) segment by segment, then the parts: the same order and
    # formula give the same result as shapely.length (math.hypot would differ in the last bit)
    out = np.zeros(len(pstart) - 1)
    for k in range(len(pstart) - 1):
        total = 0.0
        for part in range(pstart[k], pstart[k + 1]):
            part_m = 0.0
            for i in range(vstart[part] + 1, vstart[part + 1]):
                dx, dy = xy[i, 0] - xy[i - 1, 0], xy[i, 1] - xy[i - 1, 1]
                part_m += math.sqrt(dx * dx + dy * dy)
            total += part_m
        out[k] = total
    return out


# --- network chunks (geo.analyse.gaps) ------------------------------------------------------------------


@njit(cache=True, nogil=True)
def chunk_stretches(
    cxy, cvs, cps, cbounds, lxy, lvs, lps, lbounds, c, p, tol, cos_min, crossing, reach
):
    """Rows (pair, start, end) of the chunk stretches each pair's line covers (two passes)."""
    none = np.empty((0, 3))
    counts = np.zeros(len(c), dtype=np.int64)
    for k in range(len(c)):
        counts[k] = _cover(
            cxy, cvs, cps, cbounds, lxy, lvs, lps, lbounds, c[k], p[k], tol, cos_min,
            crossing, reach, k, none,
        )  # fmt: skip
    rows = np.empty((counts.sum(), 3))
    first = 0
    for k in range(len(c)):
        if counts[k]:
            _cover(
                cxy, cvs, cps, cbounds, lxy, lvs, lps, lbounds, c[k], p[k], tol, cos_min,
                crossing, reach, k, rows[first : first + counts[k]],
            )  # fmt: skip
            first += counts[k]
    return rows


@njit(cache=True, nogil=True)
def _cover(cxy, cvs, cps, cbounds, lxy, lvs, lps, lbounds, ic, il, tol, cos_min, crossing,
           reach, k, rows):  # fmt: skip
    """How many pieces of line ``il`` cover chunk ``ic``; written to ``rows`` if it has room."""
    if not _boxes_meet(lbounds[il], cbounds[ic], tol):
        return 0
    count = 0
    pieces = np.empty((8, 5))
    box = (
        cbounds[ic, 0] - tol,
        cbounds[ic, 1] - tol,
        cbounds[ic, 2] + tol,
        cbounds[ic, 3] + tol,
    )
    for part_c in range(cps[ic], cps[ic + 1]):
        b0, b1 = cvs[part_c], cvs[part_c + 1]
        if b1 - b0 < 2:
            continue
        chunk = cxy[b0:b1]
        starts, ends = np.empty(b1 - b0), np.empty(b1 - b0)
        segs = np.arange(b0, b1 - 1)
        # the chunk's ends are cut square: consecutive chunks meet end to end
        pieces, n = _runs(lxy, lvs, lps, il, cxy, segs, b0, b1 - 2, tol, box, starts, ends, pieces)
        for i in range(n):
            count += _cover_piece(
                lxy, chunk, int(pieces[i, 0]), pieces[i, 1], int(pieces[i, 2]), pieces[i, 3],
                pieces[i, 4], cos_min, crossing, reach, k, rows, count,
            )  # fmt: skip
    return count


@njit(cache=True, nogil=True)
def _cover_piece(lxy, chunk, first_v, first_t, last_v, last_t, piece_m, cos_min, crossing,
                 reach, k, rows, count):  # fmt: skip
    """1 if the piece covers part of the chunk (and is written to ``rows[count]``), else 0."""
    sx, sy = _point_on(lxy, first_v, first_t)
    ex, ey = _point_on(lxy, last_v, last_t)
    s0, _, _ = _locate(chunk, sx, sy)
    s1, _, _ = _locate(chunk, ex, ey)
    if piece_m < crossing:  # short: a crossing unless it runs along the chunk
        mx, my = _walk(lxy, first_v, first_t, last_v, piece_m / 2.0)
        at, _, _ = _locate(chunk, mx, my)
        chunk_m = _length(chunk)
        ax, ay = _point_at(chunk, min(at + reach, chunk_m))
        bx, by = _point_at(chunk, max(at - reach, 0.0))
        cx, cy, dx, dy = ex - sx, ey - sy, ax - bx, ay - by
        norm = math.sqrt(cx * cx + cy * cy) * math.sqrt(dx * dx + dy * dy)
        if norm > 0.0 and abs(cx * dx + cy * dy) < cos_min * norm:
            return 0
    if count < len(rows):
        rows[count, 0], rows[count, 1], rows[count, 2] = k, min(s0, s1), max(s0, s1)
    return 1


@njit(cache=True, nogil=True)
def _boxes_meet(a, b, tol):
    """Whether boxes ``a`` and ``b`` (xmin, ymin, xmax, ymax) come within ``tol``; NaN
    (an empty line) never does."""
    return a[0] <= b[2] + tol and b[0] - tol <= a[2] and a[1] <= b[3] + tol and b[1] - tol <= a[3]


@njit(cache=True, nogil=True)
def _point_on(xy, v, t):
    return xy[v, 0] + t * (xy[v + 1, 0] - xy[v, 0]), xy[v, 1] + t * (xy[v + 1, 1] - xy[v, 1])


@njit(cache=True, nogil=True)
def _walk(xy, first_v, first_t, last_v, distance_m):
    """The point ``distance_m`` along the line from (first_v, first_t), up to segment last_v."""
    x, y = _point_on(xy, first_v, first_t)
    for v in range(first_v, last_v + 1):
        nx, ny = xy[v + 1, 0], xy[v + 1, 1]
        step = math.hypot(nx - x, ny - y)
        if step >= distance_m or v == last_v:
            t = min(distance_m / step, 1.0) if step > 0.0 else 0.0
            return x + t * (nx - x), y + t * (ny - y)
        distance_m -= step
        x, y = nx, ny
    return x, y


@njit(cache=True, nogil=True)
def _length(line):
    total = 0.0
    for i in range(len(line) - 1):
        total += math.hypot(line[i + 1, 0] - line[i, 0], line[i + 1, 1] - line[i, 1])
    return total


@njit(cache=True, nogil=True)
def _point_at(line, distance_m):
    """The point ``distance_m`` along ``line`` (its end beyond its length)."""
    for i in range(len(line) - 1):
        step = math.hypot(line[i + 1, 0] - line[i, 0], line[i + 1, 1] - line[i, 1])
        if step >= distance_m and step > 0.0:
            t = distance_m / step
            return (
                line[i, 0] + t * (line[i + 1, 0] - line[i, 0]),
                line[i, 1] + t * (line[i + 1, 1] - line[i, 1]),
            )
        distance_m -= step
    return line[-1, 0], line[-1, 1]
