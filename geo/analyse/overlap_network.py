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

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from geo.settings import Settings
from geo.spatial.crs import to_degrees
from geo.spatial.linematch import locate_on_network, match_settings, merge_intervals
from geo.spatial.network import RoadNetwork, chainage_as_counted
from geo.spatial.source_shift import source_keys

__all__ = [
    "counted",
    "NETWORK_COLUMNS",
    "ON_NETWORK_SHARE",
    "locate_roads",
    "network_apart",
    "network_road_pairs",
    "PARTLY_ON_NETWORK_SHARE",
    "shared_chainage",
    "stretches",
]


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


#: Share (0-1) of a road work's length that must be located on the network for its pairs to be
#: decided there; works located in part go through the geometric engine.
ON_NETWORK_SHARE = 0.9
#: Share (0-1) of a road work's length located on the network from which two works that share
#: no chainage there are different roads, whatever their geometry says (the two carriageways of
#: a divided road, a frontage road beside its arterial): the geometric engine does not pair them.
PARTLY_ON_NETWORK_SHARE = 0.5
#: Columns a finding gains when overlaps are found with a road network.
NETWORK_COLUMNS: tuple[str, ...] = ("method", "ruas_id", "sta_from_m", "sta_to_m")


def network_road_pairs(
    projects: gpd.GeoDataFrame,
    roads: np.ndarray,
    decks: np.ndarray,
    pair_kind: Callable[[np.ndarray, np.ndarray, int | None], np.ndarray],
    network: RoadNetwork,
    settings: Settings,
    located: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Road pairs decided on the network, and which projects were located well enough.

    Parameters
    ----------
    projects
        The canonical records (EPSG:4326), positions 0..n-1.
    roads
        Positions of the road projects with line geometries.
    decks
        Deck of every project (:func:`geo.spatial.deck.deck_of`).
    pair_kind
        Per pair: ``overlap``, ``repeat`` or ``""`` (not a pair), as the geometric engine uses.
    network
        The reference road network.
    settings
        ``network_offset_m``, ``min_overlap_m``, ``repeat_window_years``.
    located
        :func:`locate_roads` of these projects and roads, or None: located here.

    Returns
    -------
    (pandas.DataFrame, numpy.ndarray)
        The pairs in the geometric engine's form (``a``, ``b``, ``kind``, ``asset_type``,
        ``overlap_m``, ``size_a``, ``size_b``, ``share_a``, ``share_b``, ``geometry``) plus
        :data:`NETWORK_COLUMNS`; and a boolean per project: located on the network for at
        least :data:`ON_NETWORK_SHARE` of its length (its pairs with other such projects are
        decided here, not by geometry).
    """
    on = np.zeros(len(projects), dtype=bool)
    if not len(roads) or network.n_edges == 0:
        return _no_pairs(), on
    if located is None:
        located = locate_roads(projects, roads, decks, network, settings=settings)
    well = located.groupby("work")["matched_share"].first() >= ON_NETWORK_SHARE
    on[well.index[well.to_numpy()].to_numpy(dtype=np.int64)] = True
    intervals = located[on[located["work"].to_numpy()] & (located["ruas"] != "")]
    length = intervals.assign(m=intervals["to_m"] - intervals["from_m"]).groupby("work")["m"].sum()
    shared = shared_chainage(intervals, min_overlap_m=settings.min_overlap_m)
    a, b = shared["work_a"].to_numpy(np.int64), shared["work_b"].to_numpy(np.int64)
    kind = pair_kind(a, b, settings.repeat_window_years)
    keep = kind != ""
    shared, a, b, kind = shared[keep], a[keep], b[keep], kind[keep]
    if not len(shared):
        return _no_pairs(), on
    size_a = length.reindex(a).to_numpy()
    size_b = length.reindex(b).to_numpy()
    overlap = shared["overlap_m"].to_numpy()
    ruas_key = shared["ruas"].to_numpy()
    ruas_id = intervals.drop_duplicates("ruas").set_index("ruas")["ruas_id"]
    pairs = pd.DataFrame(
        {
            "a": a,
            "b": b,
            "kind": kind,
            "asset_type": "road",
            "overlap_m": overlap,
            "size_a": size_a,
            "size_b": size_b,
            "share_a": np.minimum(overlap / size_a, 1.0),
            "share_b": np.minimum(overlap / size_b, 1.0),
            "geometry": stretches(network, ruas_key, shared["sta_from_m"], shared["sta_to_m"]),
            "method": "network",
            "ruas_id": ruas_id.reindex(ruas_key).fillna("").to_numpy(dtype=object),
            **dict(
                zip(
                    ("sta_from_m", "sta_to_m"),
                    counted(
                        network,
                        ruas_key,
                        shared["sta_from_m"].to_numpy(dtype=float),
                        shared["sta_to_m"].to_numpy(dtype=float),
                        from_end=settings.chainage_from_end,
                    ),
                    strict=True,
                )
            ),
        }
    )
    return pairs, on


def network_apart(
    located: pd.DataFrame, n_projects: int
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Which pairs of projects the network puts on different roads.

    Parameters
    ----------
    located
        :func:`locate_roads` of the projects.
    n_projects
        How many projects there are (positions 0..n-1).

    Returns
    -------
    callable
        ``apart(a, b)``: per pair of positions, True when both projects are located on the
        network for at least :data:`PARTLY_ON_NETWORK_SHARE` of their length and their
        intervals share no chainage on any ruas or edge.
    """
    share = located.groupby("work")["matched_share"].first()
    partly = np.zeros(n_projects, dtype=bool)
    partly[share.index[share.to_numpy() >= PARTLY_ON_NETWORK_SHARE].to_numpy(dtype=np.int64)] = True
    intervals = located[partly[located["work"].to_numpy(dtype=np.int64)] & (located["ruas"] != "")]
    touching = shared_chainage(intervals, min_overlap_m=0.0)
    keys = np.unique(
        _pair_keys(
            touching["work_a"].to_numpy(np.int64), touching["work_b"].to_numpy(np.int64), n_projects
        )
    )

    def apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        return partly[a] & partly[b] & ~np.isin(_pair_keys(a, b, n_projects), keys)

    return apart


def _pair_keys(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """One number per unordered pair of positions below ``n``."""
    return np.minimum(a, b) * n + np.maximum(a, b)


def locate_roads(
    projects: gpd.GeoDataFrame,
    roads: np.ndarray,
    decks: np.ndarray,
    network: RoadNetwork,
    *,
    settings: Settings,
    shifts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Where the road projects at positions ``roads`` lie on ``network``
    (:func:`geo.spatial.linematch.locate_on_network`, up to ``settings.network_offset_m``
    away), with ``work``: each interval's project position in ``projects``.

    ``decks`` is the deck of every project (:func:`geo.spatial.deck.deck_of`). The works are
    grouped by their source (:func:`geo.spatial.source_shift.source_keys`: agency, upload, file,
    layer), and a source's systematic shift is removed before its works are matched
    (``shift_m``): as given in ``shifts`` for a source named there, else estimated from its
    works among these.
    """
    located = locate_on_network(
        network,
        np.asarray(projects.geometry.values, dtype=object)[roads],
        decks=decks[roads],
        settings=match_settings(settings.network_offset_m),
        sources=source_keys(projects)[roads],
        shifts=shifts,
    )
    located["work"] = roads[located["line"].to_numpy(dtype=np.int64)]
    return located


def stretches(network: RoadNetwork, keys: np.ndarray, lo: pd.Series, hi: pd.Series) -> np.ndarray:
    """Stretches of the network in EPSG:4326: ``lo``..``hi`` (metres) cut from their ruas
    (key ``ruas:G``) or from their edge (``edge:N``)."""
    out = np.full(len(keys), None, dtype=object)
    lo_m, hi_m = lo.to_numpy(dtype=float), hi.to_numpy(dtype=float)
    kind = np.array([k.split(":")[0] for k in keys])
    number = np.array([int(k.split(":")[1]) for k in keys], dtype=np.int64)
    on_ruas = np.flatnonzero(kind == "ruas")
    if len(on_ruas):
        g = number[on_ruas]
        length = network.ruas.length_m[g]
        out[on_ruas] = network.cut(
            g, np.clip(lo_m[on_ruas], 0, length), np.clip(hi_m[on_ruas], 0, length)
        )
    graph = network.graph
    for k in np.flatnonzero(kind == "edge"):
        e = number[k]
        piece = shapely.ops.substring(graph.edges_m[e], lo_m[k], hi_m[k])
        out[k] = to_degrees(np.array([piece], dtype=object), int(graph.zone[e]))[0]
    return out


def counted(
    network: RoadNetwork, keys: np.ndarray, lo: np.ndarray, hi: np.ndarray, *, from_end: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Chainage ``lo``..``hi`` (metres from the start of ruas ``keys``, ``ruas:G``) as the
    agencies count it (:func:`geo.spatial.network.chainage_as_counted`); along an edge of a
    road without a ruas (``edge:N``) as it is."""
    lo, hi = np.asarray(lo, dtype=float).copy(), np.asarray(hi, dtype=float).copy()
    if not from_end or not len(keys):
        return lo, hi
    text = np.asarray(keys, dtype=str)
    on_ruas = np.char.startswith(text, "ruas:")
    group = np.array([int(k[5:]) for k in text[on_ruas]], dtype=np.int64)
    lo[on_ruas], hi[on_ruas] = chainage_as_counted(
        lo[on_ruas], hi[on_ruas], network.ruas.length_m[group], from_end=True
    )
    return lo, hi


def _no_pairs() -> pd.DataFrame:
    return pd.DataFrame(
        columns=[
            "a",
            "b",
            "kind",
            "asset_type",
            "overlap_m",
            "size_a",
            "size_b",
            "share_a",
            "share_b",
            "geometry",
            *NETWORK_COLUMNS,
        ]
    )
