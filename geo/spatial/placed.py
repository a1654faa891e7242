"""Where the reader placed a record on the road network, read back as ruas chainage.

The reader places road works given by start and end points (the route along the network),
by a ruas and STA range (the stretch cut from the ruas) or by one point (snapped to the nearest
road) while reading them (:mod:`geo.read.locate`), and keeps how in the record's ``placed_by``
(:data:`geo.schema.PLACED_BY`). Such a record's line lies *on* the network: its location is
read straight off the roads it lies on, not found by the line matcher
(:mod:`geo.spatial.linematch`), which allows a drawing to be tens of metres off and could
move it onto a neighbouring road.

A stretch of the record lies on a ruas (or, for roads without a code or name, on an edge)
where a segment of the record has both ends and its middle within :data:`ON_ROAD_M` of it; its
chainage is where those ends lie along the ruas. A road that merely crosses the record shares a
point, not a segment, and adds nothing. Where two rows of the network draw the same road (a
dated network), a stretch counts once, on the first ruas.
"""

from __future__ import annotations

import weakref

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.spatial._routing import project
from geo.spatial.crs import MIN_M_PER_DEG, length_m
from geo.spatial.linematch import LOCATED_COLUMNS, merge_intervals, unlocated
from geo.spatial.network import RoadNetwork

__all__ = ["ON_ROAD_M", "locate_placed"]

#: A placed record lies on the roads it was cut from: within this many metres of them (the
#: round trip of its coordinates through degrees and the store moves them by far less). A
#: parallel road, an elevated road or the other carriageway lies metres away, never this close.
ON_ROAD_M = 0.5


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
    if not n:
        return unlocated(np.empty(0, dtype=np.int64), np.empty(0, dtype=object))[
            list(LOCATED_COLUMNS)
        ]
    targets = _targets_of(network)
    found = [_on_lines(targets, geoms_deg), _on_points(targets, geoms_deg)]
    found = [f for f in found if len(f)]
    pieces = (
        pd.concat(found, ignore_index=True)
        if found
        else pd.DataFrame({"work": [], "target": [], "from_m": [], "to_m": [], "seg_m": []})
    )
    pieces = pieces.astype({"work": np.int64, "target": np.int64})
    merged = merge_intervals(
        pd.DataFrame(
            {
                "work": pieces["work"].to_numpy(),
                "ruas": pieces["target"].to_numpy(),
                "from_m": pieces["from_m"].to_numpy(),
                "to_m": pieces["to_m"].to_numpy(),
            }
        )
    )
    work = merged["work"].to_numpy(dtype=np.int64)
    target = merged["ruas"].to_numpy(dtype=np.int64)
    on_m = np.bincount(pieces["work"], pieces["seg_m"], minlength=n)
    length_m = _lengths_m(geoms_deg)
    share = np.where(length_m > 0, np.minimum(on_m / np.where(length_m > 0, length_m, 1), 1), 1.0)
    share = np.where(np.isin(np.arange(n), work), share, 0.0)
    located = pd.DataFrame(
        {
            "line": work,
            "ruas": targets.key[target],
            "ruas_id": targets.ruas_id[target],
            "ruas_name": targets.ruas_name[target],
            "from_m": merged["from_m"].to_numpy(dtype=float),
            "to_m": merged["to_m"].to_numpy(dtype=float),
            "offset_mean_m": 0.0,
            "offset_max_m": 0.0,
            "matched_share": share[work],
            "method": methods[work],
        }
    )
    nothing = np.setdiff1d(np.arange(n), work)
    missing = unlocated(nothing, methods[nothing])
    out = pd.concat([located, missing], ignore_index=True)
    out = out.astype({"ruas": str, "ruas_id": str, "ruas_name": str, "line": np.int64})
    return out.sort_values(["line", "from_m"], kind="stable").reset_index(drop=True)[
        list(LOCATED_COLUMNS)
    ]


#: The targets of each network, built once per network (dropped with it).
_TARGETS: weakref.WeakKeyDictionary[RoadNetwork, _Targets] = weakref.WeakKeyDictionary()


def _targets_of(network: RoadNetwork) -> _Targets:
    targets = _TARGETS.get(network)
    if targets is None:
        targets = _TARGETS[network] = _Targets(network)
    return targets


class _Targets:
    """What a placed record can lie on: every ruas that is one line, and the edges of roads
    without one (``edge:N``), in metres in their UTM zone and in degrees, first ruas first."""

    def __init__(self, network: RoadNetwork) -> None:
        ruas, graph = network.ruas, network.graph
        one_line = np.array([line is not None for line in ruas.line_m], dtype=bool)
        groups = np.flatnonzero(one_line)
        geoms = np.asarray(network.roads.geometry.array, dtype=object)
        parts, owner = shapely.get_parts(geoms, return_index=True)
        edge_row = owner[shapely.length(parts) > 0][graph.part]
        group = ruas.of_row[edge_row] if len(ruas.of_row) else np.full(len(edge_row), -1)
        on_ruas = (group >= 0) & (one_line[np.maximum(group, 0)] if len(one_line) else False)
        edges = np.flatnonzero(~on_ruas)
        self.key = np.concatenate(
            [[f"ruas:{g}" for g in groups], [f"edge:{e}" for e in edges]]
        ).astype(object)
        self.ruas_id = np.concatenate(
            [ruas.road_id[groups].astype(str), np.full(len(edges), "")]
        ).astype(object)
        self.ruas_name = np.concatenate(
            [ruas.name[groups].astype(str), np.full(len(edges), "")]
        ).astype(object)
        self.line_m = np.concatenate([ruas.line_m[groups], graph.edges_m[edges]]).astype(object)
        self.zone = np.concatenate([ruas.zone[groups], graph.zone[edges]]).astype(np.int64)
        lines_deg = np.concatenate(
            [project(ruas.line_m[groups], ruas.zone[groups], inverse=True), graph.edges_deg[edges]]
        ).astype(object)
        self.tree = shapely.STRtree(lines_deg)

    def near(self, geoms_deg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (record, target) within reach (degrees at the smallest length of one)."""
        record, target = self.tree.query(
            geoms_deg, predicate="dwithin", distance=2 * ON_ROAD_M / MIN_M_PER_DEG
        )
        return record.astype(np.int64), target.astype(np.int64)


def _on_lines(targets: _Targets, geoms_deg: np.ndarray) -> pd.DataFrame:
    """Per (record, target, segment of the record on the target): the segment's chainage."""
    kinds = shapely.get_type_id(geoms_deg)
    lines = np.flatnonzero(np.isin(kinds, (1, 5)) & ~shapely.is_empty(geoms_deg))
    if not len(lines):
        return pd.DataFrame()
    record, target = targets.near(geoms_deg[lines])
    record = lines[record]
    if not len(record):
        return pd.DataFrame()
    # Each record's vertices in the zone of each target near it, segment by segment.
    parts, part_pair = shapely.get_parts(geoms_deg[record], return_index=True)
    parts_m = project(parts, targets.zone[target[part_pair]])
    xy, vertex_part = shapely.get_coordinates(parts_m, return_index=True)
    first = np.r_[True, vertex_part[1:] != vertex_part[:-1]]
    seg = np.flatnonzero(~first)  # segment from vertex seg-1 to seg, within one part
    pair = part_pair[vertex_part[seg]]
    # The k-th segment of a record is the same on every target near it: it counts once, on the
    # first target. Key: (part of the record, segment within the part).
    first_part_of_pair = np.searchsorted(part_pair, part_pair)
    part_no = np.arange(len(parts)) - first_part_of_pair
    first_vertex_of_part = np.searchsorted(vertex_part, vertex_part)
    seg_key = part_no[vertex_part[seg]] * (1 << 32) + (seg - first_vertex_of_part[seg])
    start = shapely.points(xy[seg - 1])
    end = shapely.points(xy[seg])
    middle = shapely.points((xy[seg - 1] + xy[seg]) / 2)
    line = targets.line_m[target[pair]]
    on = (
        (shapely.distance(start, line) <= ON_ROAD_M)
        & (shapely.distance(end, line) <= ON_ROAD_M)
        & (shapely.distance(middle, line) <= ON_ROAD_M)
    )
    seg_m = np.hypot(*(xy[seg] - xy[seg - 1]).T)
    on &= seg_m > 0
    pair, seg_key, start, end, line, seg_m = (
        a[on] for a in (pair, seg_key, start, end, line, seg_m)
    )
    a = shapely.line_locate_point(line, start)
    b = shapely.line_locate_point(line, end)
    pieces = pd.DataFrame(
        {
            "work": record[pair],
            "target": target[pair],
            "seg": seg_key,
            "from_m": np.minimum(a, b),
            "to_m": np.maximum(a, b),
            "seg_m": seg_m,
        }
    )
    pieces = pieces.sort_values(["work", "seg", "target"], kind="stable")
    pieces = pieces.drop_duplicates(["work", "seg"], keep="first")
    return pieces.drop(columns="seg")


def _on_points(targets: _Targets, geoms_deg: np.ndarray) -> pd.DataFrame:
    """Per point record on a road: the chainage of the point on the first target it is on."""
    points = np.flatnonzero((shapely.get_type_id(geoms_deg) == 0) & ~shapely.is_empty(geoms_deg))
    if not len(points):
        return pd.DataFrame()
    record, target = targets.near(geoms_deg[points])
    record = points[record]
    if not len(record):
        return pd.DataFrame()
    at = project(geoms_deg[record], targets.zone[target])
    line = targets.line_m[target]
    on = shapely.distance(at, line) <= ON_ROAD_M
    record, target, at, line = record[on], target[on], at[on], line[on]
    chainage = shapely.line_locate_point(line, at)
    pieces = pd.DataFrame(
        {"work": record, "target": target, "from_m": chainage, "to_m": chainage, "seg_m": 0.0}
    )
    return pieces.sort_values(["work", "target"], kind="stable").drop_duplicates("work")


def _lengths_m(geoms_deg: np.ndarray) -> np.ndarray:
    """Length (metres) of each line in its own UTM zone; 0 for points and missing ones."""
    lengths = length_m(gpd.GeoSeries(geoms_deg, crs=4326))
    return np.nan_to_num(np.asarray(lengths, dtype=float), nan=0.0)
