"""The compiled loop (numba) of :mod:`geo.spatial.source_shift`, which describes the estimate.

In its own module, imported on the first estimate, for the reason given in
:mod:`geo.spatial._loops`.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from geo.spatial import _loops  # noqa: F401  (sets numba's cache directory first)


@njit(cache=True, nogil=True)
def capped_means(px, py, start, seg, sx0, sy0, sx1, sy1, shifts, cap):
    """Per shift, the mean over the points of their distance to the nearest segment, capped.

    Point ``i`` moved by shift ``k`` (``px[i] + shifts[k, 0]``, ``py[i] + shifts[k, 1]``) is
    measured against its segments ``seg[start[i]:start[i + 1]]`` (ends ``sx0``, ``sy0``,
    ``sx1``, ``sy1``); a point with no segment nearer than ``cap`` counts ``cap``. Metres.
    """
    n = len(px)
    out = np.zeros(len(shifts))
    cap2 = cap * cap
    for k in range(len(shifts)):
        dx, dy = shifts[k, 0], shifts[k, 1]
        total = 0.0
        for i in range(n):
            x, y = px[i] + dx, py[i] + dy
            best = cap2
            for j in range(start[i], start[i + 1]):
                s = seg[j]
                ax, ay = sx0[s], sy0[s]
                ux, uy = sx1[s] - ax, sy1[s] - ay
                length2 = ux * ux + uy * uy
                t = 0.0
                if length2 > 0.0:
                    t = ((x - ax) * ux + (y - ay) * uy) / length2
                    t = min(max(t, 0.0), 1.0)
                ex, ey = ax + t * ux - x, ay + t * uy - y
                d2 = ex * ex + ey * ey
                if d2 < best:
                    best = d2
            total += np.sqrt(best)
        out[k] = total / max(n, 1)
    return out
