"""Overlaps on the network: two road works located on the same ruas share the chainage where
their intervals intersect.

Once a road work is located on the reference network as intervals ``(ruas, from_m, to_m)``
(:func:`geo.spatial.linematch.match_lines` and the network's chainage), whether two works are
on the same road is no longer a question of geometry: an elevated road and the arterial below,
the two carriageways of a divided road, a service road beside a main road are different ruas
(or edges), and two agencies' drawings 30 m apart are the same ruas. The shared length of two
works is the length of the intersection of their chainage intervals on each ruas they share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.spatial.linematch import merge_intervals

__all__ = ["shared_chainage"]


def shared_chainage(intervals: pd.DataFrame, *, min_overlap_m: float = 0.0) -> pd.DataFrame:
    """Pairs of works whose intervals intersect on a ruas, with the chainage they share.

    Parameters
    ----------
    intervals
        ``work``, ``ruas``, ``from_m``, ``to_m`` as for :func:`geo.spatial.linematch.merge_intervals` (a work's own
        intervals may touch or overlap: they are merged first).
    min_overlap_m
        Pairs sharing less than this (metres, all ruas together) are left out.

    Returns
    -------
    pandas.DataFrame
        One row per pair (``work_a < work_b``): ``overlap_m`` (all shared chainage), and the
        longest shared stretch as ``ruas``, ``sta_from_m``, ``sta_to_m``.

    Examples
    --------
    >>> located = pd.DataFrame({"work": [1, 2, 3], "ruas": ["N-001"] * 3,
    ...                         "from_m": [0, 5000, 9500], "to_m": [8000, 9000, 12000]})
    >>> shared_chainage(located)[["work_a", "work_b", "overlap_m", "sta_from_m", "sta_to_m"]]
       work_a  work_b  overlap_m  sta_from_m  sta_to_m
    0       1       2     3000.0      5000.0    8000.0
    """
    merged = merge_intervals(intervals)
    merged = merged.assign(key=merged["ruas"].astype(str))
    merged = merged.sort_values(["key", "from_m"], kind="stable").reset_index(drop=True)
    ruas = merged["key"].to_numpy()
    lo, hi = merged["from_m"].to_numpy(), merged["to_m"].to_numpy()
    work = merged["work"].to_numpy()
    # Within a ruas (sorted by start), interval k meets every later one that starts before it
    # ends: a contiguous run after k.
    stop = np.empty(len(lo), dtype=np.int64)
    for first, last in _runs(ruas):
        stop[first:last] = first + np.searchsorted(lo[first:last], hi[first:last], side="left")
    count = np.maximum(stop - np.arange(len(lo)) - 1, 0)
    i = np.repeat(np.arange(len(lo)), count)
    j = i + 1 + (np.arange(len(i)) - np.repeat(np.cumsum(count) - count, count))
    keep = work[i] != work[j]
    i, j = i[keep], j[keep]
    s_lo, s_hi = np.maximum(lo[i], lo[j]), np.minimum(hi[i], hi[j])
    keep = s_hi > s_lo
    i, j, s_lo, s_hi = i[keep], j[keep], s_lo[keep], s_hi[keep]
    a, b = np.minimum(work[i], work[j]), np.maximum(work[i], work[j])
    pieces = pd.DataFrame(
        {
            "work_a": a,
            "work_b": b,
            "ruas": merged["ruas"].to_numpy()[i],
            "sta_from_m": s_lo,
            "sta_to_m": s_hi,
            "length_m": s_hi - s_lo,
        }
    )
    if pieces.empty:
        return pd.DataFrame(
            {
                "work_a": pd.Series(dtype=work.dtype),
                "work_b": pd.Series(dtype=work.dtype),
                "overlap_m": pd.Series(dtype=float),
                "ruas": pd.Series(dtype=object),
                "sta_from_m": pd.Series(dtype=float),
                "sta_to_m": pd.Series(dtype=float),
            }
        )
    longest = pieces.sort_values("length_m", ascending=False, kind="stable").drop_duplicates(
        ["work_a", "work_b"]
    )
    total = pieces.groupby(["work_a", "work_b"])["length_m"].sum().rename("overlap_m")
    out = longest.set_index(["work_a", "work_b"]).join(total).reset_index()
    out = out[out["overlap_m"] >= min_overlap_m]
    columns = ["work_a", "work_b", "overlap_m", "ruas", "sta_from_m", "sta_to_m"]
    return out.sort_values(["work_a", "work_b"]).reset_index(drop=True)[columns]


def _runs(keys: np.ndarray):
    """(first, last) positions of each run of equal sorted keys."""
    if not len(keys):
        return
    edges = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts = np.concatenate([[0], edges])
    ends = np.concatenate([edges, [len(keys)]])
    yield from zip(starts.tolist(), ends.tolist(), strict=True)
