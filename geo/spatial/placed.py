"""Where the reader placed a record on the road network, read back as ruas chainage.

The reader places road works given by start and end points (the route along the network),
by a ruas and STA range (the stretch cut from the ruas) or by one point (snapped to the nearest
road) while reading them (:mod:`geo.read.locate`), and keeps how in the record's ``placed_by``
(:data:`geo.schema.PLACED_BY`). Such a record's line lies *on* the network: its location is
read straight off the edges it lies on, not found by the line matcher
(:mod:`geo.spatial.linematch`), which allows a drawing to be tens of metres off and could
move it onto a neighbouring road.

A segment of the record covers the piece of an edge between its ends located along the edge,
where that piece (its ends and middle) lies within :data:`ON_ROAD_M` of the segment. A road
that merely crosses the record shares a point, not a piece, and adds nothing. Where two edges
draw the same road (two rows of a dated network), a stretch counts once, on the first edge. The pieces become ruas chainage exactly as matched
pieces do (:func:`geo.spatial.linematch.located_intervals`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.spatial._linematch_batch import Matched
from geo.spatial._routing import points_on, project
from geo.spatial.crs import MIN_M_PER_DEG, length_m
from geo.spatial.linematch import LOCATED_COLUMNS, edge_road_rows, located_intervals
from geo.spatial.network import RoadNetwork

__all__ = ["ON_ROAD_M", "locate_placed"]

#: A placed record lies on the roads it was cut from: within this many metres of them (the
#: round trip of its coordinates through degrees and the store moves them by far less). A
#: parallel road, an elevated road or the other carriageway lies metres away, never this close.
ON_ROAD_M = 0.5
#: Records read back at once: bounds the memory of their segments.
CHUNK_RECORDS = 5_000


def locate_placed(network: RoadNetwork, geoms_deg: np.ndarray, methods: np.ndarray) -> pd.DataFrame:
    """The ruas chainage of records the reader placed on ``network``.

    Parameters
    ----------
    network
        The reference road network the records were placed on.
    geoms_deg
        The placed records, EPSG:4326: LineStrings (routes, stretches cut by STA) and Points
        (single points snapped to a road).
    methods
        How each was placed (:data:`geo.schema.PLACED_BY`), reported as ``method``.

    Returns
    -------
    pandas.DataFrame
        :data:`geo.spatial.linematch.LOCATED_COLUMNS`, one row per interval (``line`` is the
        position in ``geoms_deg``; ``from_m <= to_m``, metres from the ruas start; a point
        has ``from_m == to_m``). Offsets are 0 (the record lies on the road), ``matched_share``
        the share of the record's length on the network (1 for a point on a road). A record
        found on no road (the network changed since it was placed) gets one row without a
        ruas and ``matched_share`` 0.
    """
    geoms_deg = np.asarray(geoms_deg, dtype=object)
    methods = np.asarray(methods, dtype=object)
    n = len(geoms_deg)
    pieces = [
        _pieces(network, geoms_deg, np.arange(lo, min(lo + CHUNK_RECORDS, n)))
        for lo in range(0, n, CHUNK_RECORDS)
    ]
    found = (
        pd.concat([p for p in pieces if len(p)], ignore_index=True)
        if any(len(p) for p in pieces)
        else pd.DataFrame({c: [] for c in ("work", "edge", "lo", "hi", "seg_m")})
    )
    work = found["work"].to_numpy(dtype=np.int64)
    edge = found["edge"].to_numpy(dtype=np.int64)
    lo, hi = found["lo"].to_numpy(dtype=float), found["hi"].to_numpy(dtype=float)
    on_m = np.bincount(work, found["seg_m"].to_numpy(dtype=float), minlength=n)
    record_m = np.nan_to_num(np.asarray(length_m(gpd.GeoSeries(geoms_deg, crs=4326)), float))
    share = np.where(
        record_m > 0, np.minimum(on_m / np.where(record_m > 0, record_m, 1.0), 1.0), 1.0
    )
    share[~np.isin(np.arange(n), work)] = 0.0
    lon_from, lat_from = points_on(network.graph, edge, lo)
    lon_to, lat_to = points_on(network.graph, edge, hi)
    matched = Matched(
        piece_line=work,
        piece_edge=edge,
        from_m=lo,
        to_m=hi,
        lon_from=lon_from,
        lat_from=lat_from,
        lon_to=lon_to,
        lat_to=lat_to,
        offset_mean_m=np.where(share > 0, 0.0, np.nan),
        offset_max_m=np.where(share > 0, 0.0, np.nan),
        matched_share=share,
        fast=np.ones(n, dtype=bool),
    )
    located = located_intervals(network, matched, n)
    located["method"] = methods[located["line"].to_numpy(dtype=np.int64)]
    return located[list(LOCATED_COLUMNS)]


def _pieces(network: RoadNetwork, geoms_deg: np.ndarray, records: np.ndarray) -> pd.DataFrame:
    """Per record and edge it lies on: the piece ``lo``..``hi`` (metres along the edge) and
    the length of the record on it (``seg_m``)."""
    geoms = geoms_deg[records]
    graph = network.graph
    usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    edge_row = edge_road_rows(network)
    of_row = network.ruas.of_row
    edge_ruas = of_row[edge_row] if len(of_row) else np.full(len(edge_row), -1)
    found = [
        _on_edges(graph, geoms, np.flatnonzero(usable), edge_ruas),
        _points_on_edges(graph, geoms),
    ]
    found = [f for f in found if len(f)]
    if not found:
        return pd.DataFrame()
    out = pd.concat(found, ignore_index=True)
    out["work"] = records[out["work"].to_numpy(dtype=np.int64)]
    return out


def _on_edges(graph, geoms: np.ndarray, usable: np.ndarray, edge_ruas: np.ndarray) -> pd.DataFrame:
    """The pieces of edges the line records lie on (see :func:`_pieces`).

    Each segment of a record is tried on every edge it comes within reach of: its ends located
    along the edge give the piece of the edge it may cover (a long straight segment spans
    several edges, split at junctions), and the piece counts where its ends and middle lie on
    the segment. A crossing road meets the segment at one point: its piece has no length, or
    leaves the segment.
    """
    lines = usable[np.isin(shapely.get_type_id(geoms[usable]), (1, 5))]
    if not len(lines):
        return pd.DataFrame()
    parts, part_record = shapely.get_parts(geoms[lines], return_index=True)
    xy, vertex_part = shapely.get_coordinates(parts, return_index=True)
    seg = np.flatnonzero(np.r_[False, vertex_part[1:] == vertex_part[:-1]])
    if not len(seg):
        return pd.DataFrame()
    record = lines[part_record[vertex_part[seg]]]
    segments = shapely.linestrings(np.stack([xy[seg - 1], xy[seg]], axis=1))
    at, edge = graph.tree.query(
        segments, predicate="dwithin", distance=2 * ON_ROAD_M / MIN_M_PER_DEG
    )
    if not len(at):
        return pd.DataFrame()
    segment_m = project(segments[at], graph.zone[edge])
    line = graph.edges_m[edge]
    ends = shapely.get_coordinates(segment_m).reshape(-1, 2, 2)
    a = shapely.line_locate_point(line, shapely.points(ends[:, 0]))
    b = shapely.line_locate_point(line, shapely.points(ends[:, 1]))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    on = hi - lo > 0
    for position in (lo, hi, (lo + hi) / 2):
        on &= shapely.distance(shapely.line_interpolate_point(line, position), segment_m) <= (
            ON_ROAD_M
        )
    at, edge, lo, hi, segment_m = at[on], edge[on], lo[on], hi[on], segment_m[on]
    # Where along the segment each piece lies.
    t_lo, t_hi = (
        shapely.line_locate_point(
            segment_m, shapely.line_interpolate_point(graph.edges_m[edge], position)
        )
        for position in (lo, hi)
    )
    pieces = pd.DataFrame(
        {
            "work": record[at],
            "seg": seg[at],
            "t_lo": np.minimum(t_lo, t_hi),
            "t_hi": np.maximum(t_lo, t_hi),
            "edge": edge,
            "lo": lo,
            "hi": hi,
            "seg_m": hi - lo,
        }
    )
    pieces = pieces[_first_on_each_stretch(pieces)]
    pieces = pieces[~_slivers(pieces, edge_ruas)]
    # The pieces of one record on one edge join into one piece of it.
    return (
        pieces.groupby(["work", "edge"], as_index=False)
        .agg(lo=("lo", "min"), hi=("hi", "max"), seg_m=("seg_m", "sum"))
        .astype({"work": np.int64, "edge": np.int64})
    )


#: A piece of another ruas shorter than this (metres), on a segment that goes on along the
#: record's own ruas, is where that road leaves at a small angle, not where the record goes.
SLIVER_M = 1.0


def _slivers(pieces: pd.DataFrame, edge_ruas: np.ndarray) -> np.ndarray:
    """Pieces shorter than :data:`SLIVER_M` on another ruas (or road) than the longest piece of
    the same segment."""
    if pieces.empty:
        return np.zeros(0, dtype=bool)
    ruas = edge_ruas[pieces["edge"].to_numpy(dtype=np.int64)]
    longest = pieces.assign(ruas=ruas).sort_values("seg_m", ascending=False, kind="stable")
    main = longest.drop_duplicates("seg").set_index("seg")["ruas"]
    main_ruas = main.reindex(pieces["seg"].to_numpy()).to_numpy()
    return ((pieces["seg_m"] < SLIVER_M).to_numpy()) & (ruas != main_ruas)


def _first_on_each_stretch(pieces: pd.DataFrame) -> np.ndarray:
    """Which pieces to keep: where pieces of one segment cover the same stretch of it (a road
    drawn twice, or another road leaving at a small angle for a few dm), the longest (then the
    first edge) counts. A piece is dropped when more than half of it lies under one kept."""
    keep = np.ones(len(pieces), dtype=bool)
    seg = pieces["seg"].to_numpy()
    shared = np.flatnonzero(pd.Series(seg).duplicated(keep=False).to_numpy())
    if not len(shared):
        return keep
    order = shared[
        np.lexsort(
            (pieces["edge"].to_numpy()[shared], -pieces["seg_m"].to_numpy()[shared], seg[shared])
        )
    ]
    t_lo, t_hi = pieces["t_lo"].to_numpy(), pieces["t_hi"].to_numpy()
    kept: list[int] = []
    for k, row in enumerate(order):
        if k and seg[order[k - 1]] != seg[row]:
            kept = []
        own = t_hi[row] - t_lo[row]
        under = max((min(t_hi[row], t_hi[j]) - max(t_lo[row], t_lo[j]) for j in kept), default=0.0)
        if own <= 0 or under > own / 2:
            keep[row] = False
        else:
            kept.append(row)
    return keep


def _points_on_edges(graph, geoms: np.ndarray) -> pd.DataFrame:
    """Point records on an edge: the piece of no length where each lies (first edge)."""
    points = np.flatnonzero((shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms))
    if not len(points):
        return pd.DataFrame()
    at, edge = graph.tree.query(
        geoms[points], predicate="dwithin", distance=2 * ON_ROAD_M / MIN_M_PER_DEG
    )
    if not len(at):
        return pd.DataFrame()
    where = project(geoms[points][at], graph.zone[edge])
    line = graph.edges_m[edge]
    on = shapely.distance(where, line) <= ON_ROAD_M
    at, edge, where, line = at[on], edge[on], where[on], line[on]
    chainage = shapely.line_locate_point(line, where)
    pieces = pd.DataFrame(
        {"work": points[at], "edge": edge, "lo": chainage, "hi": chainage, "seg_m": 0.0}
    )
    return pieces.sort_values(["work", "edge"], kind="stable").drop_duplicates("work")
