"""Projects measured along the road network: status along a line, covered stretches.

Private to :mod:`geo.spatial.network`, which holds the one road-network model; read that
module first. Two views of the network's lines are built here, each on first use:

- `StatusPieces`: the roads simplified by 1 m and cut into pieces of at most
  ``_PIECE_VERTICES`` vertices (about 1-3 km of a digitised ruas), with an STRtree, for the
  status (and the dated decree) along a project's line (`StatusPieces.along`). The part of a
  road within ``tolerance_m`` of the project counts when it runs in the project's direction,
  for the stretch of the project it faces: a crossing road faces one point of the project and
  adds nothing.
- `NumberLine`: every single-part line of a road measured in the road's UTM zone and laid on
  one number line (metres), cut into chunks of at most ``CHUNK_SEGMENTS`` segments of at most
  ``SEGMENT_DEG``, for the stretches road projects cover (`NumberLine.covered`), the network
  cut by units and the covered length per status (`NumberLine.length_by_status`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo._parallel import WORKERS as _WORKERS
from geo._parallel import map_in_threads, pairs_by_zone, zone_blocks
from geo.spatial.crs import (
    MAX_M_PER_DEG,
    to_degrees,
    to_metric,
    transformer,
    utm_epsg_for_geometries,
)
from geo.spatial.crs import MIN_M_PER_DEG as _MIN_M_PER_DEG
from geo.spatial.segments import LineArrays, line_arrays, metric_line_arrays, stretches_along

#: Network roads are densified to vertices at most this far apart (degrees, ~280 m) and cut
#: into chunks of at most CHUNK_SEGMENTS segments (<= ~4.5 km): a long road's bounding box
#: would otherwise make every project in the kabupaten a candidate.
SEGMENT_DEG = 0.0025
CHUNK_SEGMENTS = 16
#: Coverage runs in square tiles of this many degrees, one at a time: only the road
#: projects near one tile's network are in metres at once (all of a national layer's would
#: take ~0.6 GB per million road projects). 6 degrees: UTM zones are 6 degrees wide from
#: 180 W, so each zone is cut into 6 x 6 degree squares (Indonesia: a few dozen tiles).
#: A tile's projects are those within the tolerance of its network wherever they lie, so
#: tiles change memory and time, not results.
TILE_DEG = 6.0
#: Road projects whose candidate boxes are made at once.
CANDIDATE_BLOCK = 100_000
#: Pairs of a project and a status piece measured at once: bounds the memory of
#: intersections on national data.
CHUNK_PAIRS = 20_000
#: Road parts are laid end to end on one number line with this gap between them (metres), so
#: an interval never runs from one part into the next.
_PART_GAP_M = 10.0
#: Stretches closer than this are one stretch (metres): chunk ends meet at float precision.
_MERGE_EPS_M = 1e-3
#: Network lines are cut into pieces of at most this many vertices (about 1-3 km of a digitised
#: ruas): the candidate search, buffers and intersections then touch only the stretch near a
#: project, not a whole 40 km ruas.
_PIECE_VERTICES = 64
#: Road statuses, highest level of government first (the order of per-status tables).
STATUS_ORDER: tuple[str, ...] = ("nasional", "provinsi", "kabupaten", "desa")
#: Lines are simplified by this much before they are buffered and intersected, in metres.
SIMPLIFY_M = 1.0
_WGS84 = 4326


# --- status along a line -------------------------------------------------------------------------


class StatusPieces:
    """The road network in EPSG:4326, simplified by 1 m and cut into short single-part pieces.

    ``geoms``, ``status`` (index into the statuses the network was given), ``valid_from``,
    ``valid_to`` and ``row`` (the layer row it came from) are per piece; ``row_geoms`` (as
    given), ``row_status``, ``road_id``, ``name`` and ``decree`` per layer row. Rows of no
    known status (index -1) have no pieces.
    """

    def __init__(self, roads: gpd.GeoDataFrame, status: np.ndarray) -> None:
        geoms = np.asarray(roads.geometry.values, dtype=object)
        # Part by part: a road's direction and position along it never jump between parts.
        parts, row = shapely.get_parts(geoms, return_index=True)
        # Digitised roads carry a vertex every few metres on straight stretches: simplified by
        # 1 m (as projects are, and as in geo.analyse.overlap) they have a fifth of the vertices.
        parts = shapely.simplify(parts, SIMPLIFY_M / MAX_M_PER_DEG, preserve_topology=False)
        usable = (shapely.get_type_id(parts) == 1) & (shapely.length(parts) > 0)
        usable &= status[row] >= 0
        self.geoms, self.row = _split_lines(parts[usable], row[usable], _PIECE_VERTICES)
        self.row_geoms = geoms
        self.row_status = np.asarray(status, dtype=np.int64)
        self.status = self.row_status[self.row]
        self.road_id = roads["road_id"].astype(str).to_numpy(dtype=object)
        decrees = roads["decree"] if "decree" in roads.columns else pd.Series(None, roads.index)
        self.decree = decrees.where(decrees.notna(), None).to_numpy(dtype=object)
        names = roads["name"] if "name" in roads.columns else pd.Series("", index=roads.index)
        self.name = names.fillna("").astype(str).to_numpy(dtype=object)
        bounds = {}
        for column in ("valid_from", "valid_to"):
            values = roads[column] if column in roads.columns else pd.Series(np.nan, roads.index)
            bounds[column] = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        self.valid_from = bounds["valid_from"][self.row]
        self.valid_to = bounds["valid_to"][self.row]
        self.tree = shapely.STRtree(self.geoms)

    def candidates(
        self, geoms: np.ndarray, index: np.ndarray, years: np.ndarray, distance_m: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """(project, road part) pairs within reach whose status is in force in the year.

        Searched in degrees with a distance that is never too short; exact tests follow in
        metres. A project without a year sees the rows still in force (no ``valid_to``).
        """
        if not len(index) or not len(self.geoms):
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        distance_deg = distance_m / _MIN_M_PER_DEG
        slices = np.array_split(index, _WORKERS)
        found = map_in_threads(
            lambda part: self.tree.query(geoms[part], predicate="dwithin", distance=distance_deg),
            slices,
        )
        project = np.concatenate([part[hits[0]] for part, hits in zip(slices, found, strict=True)])
        road = np.concatenate([hits[1] for hits in found])
        year = years[project]
        start, end = self.valid_from[road], self.valid_to[road]
        in_force = np.where(
            np.isnan(year),
            np.isnan(end),
            (np.isnan(start) | (start <= year)) & (np.isnan(end) | (year <= end)),
        )
        return project[in_force], road[in_force]

    def along(
        self,
        geoms: np.ndarray,
        lines: np.ndarray,
        years: np.ndarray,
        zones: np.ndarray,
        *,
        n_statuses: int,
        tolerance_m: float,
        max_angle_deg: float,
        measure: Callable[[np.ndarray], np.ndarray],
    ) -> StatusAlong | None:
        """The stretches of each line project (``geoms[lines]``) along roads, per status.

        Pairs are measured in the UTM zone of their project (``zones``), a bounded chunk at a
        time on every core; see `_along_intervals` for the rule. None when no project runs
        along any road.
        """
        project, road = self.candidates(geoms, lines, years, tolerance_m)
        length_m = np.zeros(len(geoms))
        pieces = map_in_threads(
            lambda item: _along_intervals(
                geoms,
                project[item[1]],
                road[item[1]],
                item[0],
                self,
                length_m,
                tolerance_m=tolerance_m,
                max_angle_deg=max_angle_deg,
                measure=measure,
            ),
            list(pairs_by_zone(project, zones, CHUNK_PAIRS)),
        )
        if not pieces or not sum(len(p[0]) for p in pieces):
            return None
        p, r, lo, hi = (np.concatenate(column) for column in zip(*pieces, strict=True))
        status = self.status[r]
        n = n_statuses
        # Stretches of one status are merged along the project: duplicated or dated rows of a
        # ruas, and roads of one status meeting end to end, are each counted once.
        along = union_length(p * n + status, lo, hi, len(geoms) * n).reshape(len(geoms), n)
        return StatusAlong(p, self.row[r], status, lo, hi, length_m, along)


class StatusAlong(NamedTuple):
    """Stretches of projects along roads (`StatusPieces.along`), metres along each project.

    ``project``, ``row`` (road layer row), ``status``, ``from_m`` and ``to_m`` per stretch;
    ``length_m`` per project (its measured length); ``along_m`` per project and status (the
    merged length along roads of that status).
    """

    project: np.ndarray
    row: np.ndarray
    status: np.ndarray
    from_m: np.ndarray
    to_m: np.ndarray
    length_m: np.ndarray
    along_m: np.ndarray


def _split_lines(
    lines: np.ndarray, owner: np.ndarray, max_vertices: int
) -> tuple[np.ndarray, np.ndarray]:
    """Single-part ``lines`` cut into consecutive pieces of at most ``max_vertices`` vertices.

    Pieces share their end vertices, so the network is unchanged; ``owner`` is carried over.
    """
    coords, line = shapely.get_coordinates(lines, return_index=True)
    if not len(coords):
        return lines[:0], owner[:0]
    first = np.searchsorted(line, np.arange(len(lines)))
    segments = np.bincount(line, minlength=len(lines)) - 1
    step = max_vertices - 1
    pieces_per_line = np.maximum(np.ceil(segments / step).astype(np.int64), 1)
    piece_line = np.repeat(np.arange(len(lines)), pieces_per_line)
    rank = np.arange(len(piece_line)) - np.repeat(
        np.cumsum(pieces_per_line) - pieces_per_line, pieces_per_line
    )
    start = first[piece_line] + rank * step
    stop = np.minimum(start + step, first[piece_line] + segments[piece_line])  # inclusive
    count = stop - start + 1
    vertex = np.repeat(start, count) + (
        np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    )
    pieces = shapely.linestrings(coords[vertex], indices=np.repeat(np.arange(len(count)), count))
    return pieces, owner[piece_line]


def _along_intervals(
    geoms: np.ndarray,
    project: np.ndarray,
    road: np.ndarray,
    zone: int,
    network: StatusPieces,
    length_m: np.ndarray,
    *,
    tolerance_m: float,
    max_angle_deg: float,
    measure: Callable[[np.ndarray], np.ndarray],
) -> tuple[np.ndarray, ...]:
    """Stretches of each project (metres from its start) that run along each road of a pair.

    The part of the road within ``tolerance_m`` of the project counts when it runs in the
    project's direction, for the stretch of the project it faces (the extent of its ends located
    along the project): a crossing road faces one point of the project and adds nothing, and a
    project overhanging the road's end gains nothing past the point facing that end. Fills
    ``length_m`` (the projects' lengths, metres) on the way.
    """
    unique_p, pos_p = np.unique(project, return_inverse=True)
    unique_r, pos_r = np.unique(road, return_inverse=True)
    # Simplified by 1 m as in geo.analyse.overlap: fewer vertices to buffer, at most 1 m off the line.
    lines = shapely.simplify(to_metric(geoms[unique_p], zone), SIMPLIFY_M, preserve_topology=False)
    refs = to_metric(network.geoms[unique_r], zone)
    # Positions and lengths are taken along the line as ``measure`` gives it (resampled, as in
    # geo.analyse.overlap: the zigzag of a noisy re-digitised line does not inflate them).
    measured = measure(lines)
    length_m[unique_p] = shapely.length(measured)
    # One buffer per project, not per pair. Bevel joins and 2 segments a quarter circle, as in
    # geo.analyse.overlap: the tolerance is kept along straight and gently bending stretches.
    buffers = shapely.buffer(lines, tolerance_m, quad_segs=2, join_style="bevel")
    pieces = shapely.intersection(refs[pos_r], buffers[pos_p])
    parts, pair = shapely.get_parts(pieces, return_index=True)
    usable = (shapely.get_type_id(parts) == 1) & (shapely.length(parts) > 0)
    parts, pair = parts[usable], pair[usable]
    line = np.tile(measured[pos_p[pair]], 2)
    ends = np.concatenate([shapely.get_point(parts, 0), shapely.get_point(parts, -1)])
    at = shapely.line_locate_point(line, ends)
    faced = shapely.get_coordinates(shapely.line_interpolate_point(line, at))
    half = len(parts)
    va = shapely.get_coordinates(ends[half:]) - shapely.get_coordinates(ends[:half])
    vb = faced[half:] - faced[:half]
    norm = np.hypot(*va.T) * np.hypot(*vb.T)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.abs(np.einsum("ij,ij->i", va, vb)) / norm
    aligned = (norm > 0) & (cos >= np.cos(np.radians(max_angle_deg)))
    lo, hi = np.minimum(at[:half], at[half:]), np.maximum(at[:half], at[half:])
    keep = aligned & (hi > lo)
    pair = pair[keep]
    return project[pair], road[pair], lo[keep], hi[keep]


def union_length(group: np.ndarray, lo: np.ndarray, hi: np.ndarray, n_groups: int):
    """Length of the union of the intervals ``[lo, hi]`` of each group (``0..n_groups-1``)."""
    order = np.lexsort((lo, group))
    group, lo, hi = group[order], lo[order], hi[order]
    reach = pd.Series(hi).groupby(group).cummax().to_numpy()
    first = np.r_[True, group[1:] != group[:-1]]
    before = np.where(first, -np.inf, np.r_[-np.inf, reach[:-1]])
    gained = np.clip(hi - np.maximum(lo, before), 0.0, None)
    return np.bincount(group, weights=gained, minlength=n_groups)


# --- coverage along the network ---------------------------------------------------------------


class Intervals:
    """Disjoint-per-unit intervals on the network's number line (metres), sorted by start."""

    def __init__(self, start: np.ndarray, end: np.ndarray, unit: np.ndarray | None = None):
        self.start, self.end = start, end
        self.unit = np.full(len(start), -1, dtype=np.int64) if unit is None else unit


def merge(start: np.ndarray, end: np.ndarray, key: np.ndarray | None = None):
    """Union of intervals per ``key``: ``(start, end, key)`` sorted by key, then start."""
    if key is None:
        key = np.zeros(len(start), dtype=np.int64)
    if not len(start):
        return start, end, key
    order = np.lexsort((start, key))
    start, end, key = start[order], end[order], key[order]
    reach = pd.Series(end).groupby(key).cummax().to_numpy()
    new = np.ones(len(start), dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (start[1:] > reach[:-1] + _MERGE_EPS_M)
    first = np.flatnonzero(new)
    return start[first], np.maximum.reduceat(end, first), key[first]


def covered_length(start: np.ndarray, end: np.ndarray, cs: np.ndarray, ce: np.ndarray):
    """Length of each interval [start, end] inside the disjoint sorted intervals [cs, ce]."""
    if not len(cs):
        return np.zeros(len(start))
    before = np.concatenate([[0.0], np.cumsum(ce - cs)])

    def cumulative(x: np.ndarray) -> np.ndarray:
        k = np.searchsorted(cs, x, side="right") - 1
        safe = np.maximum(k, 0)
        value = before[safe] + np.clip(x - cs[safe], 0.0, ce[safe] - cs[safe])
        return np.where(k >= 0, value, 0.0)

    return np.maximum(cumulative(end) - cumulative(start), 0.0)


def subtract(start: np.ndarray, end: np.ndarray, cs: np.ndarray, ce: np.ndarray):
    """Parts of each [start, end] outside the disjoint sorted intervals [cs, ce].

    Returns ``(source, start, end)``: the interval each part comes from, and the part.
    """
    first = np.searchsorted(ce, start, side="right")
    last = np.searchsorted(cs, end, side="left")
    inner = np.maximum(last - first, 0)
    count = inner + 1
    source = np.repeat(np.arange(len(start)), count)
    rank = np.arange(len(source)) - np.repeat(np.cumsum(count) - count, count)
    k = first[source] + rank
    if len(cs):
        prev_end = ce[np.clip(k - 1, 0, len(ce) - 1)]
        next_start = cs[np.clip(k, 0, len(cs) - 1)]
    else:
        prev_end = next_start = np.zeros(len(source))
    gap_start = np.where(rank == 0, start[source], prev_end)
    gap_end = np.where(rank == inner[source], end[source], next_start)
    gap_start = np.maximum(gap_start, start[source])
    gap_end = np.minimum(gap_end, end[source])
    keep = gap_end - gap_start > _MERGE_EPS_M
    return source[keep], gap_start[keep], gap_end[keep]


class NumberLine:
    """Network roads as parts on one number line (metres), cut into short chunks.

    Each single-part line of a road is measured in the road's UTM zone and placed on the line
    after the previous one (``_PART_GAP_M`` apart); a position on it is a place on the network.
    """

    def __init__(self, roads: gpd.GeoDataFrame, status: np.ndarray, condition: np.ndarray) -> None:
        self.status = status
        self.condition = condition
        geoms = roads.geometry.to_numpy()
        zones = utm_epsg_for_geometries(roads.geometry) if len(roads) else np.empty(0, np.int64)
        lines = np.isin(shapely.get_type_id(geoms), [1, 2, 5])  # linestring, ring, multi
        parts, road = shapely.get_parts(np.where(lines, geoms, None), return_index=True)
        parts = shapely.segmentize(parts, SEGMENT_DEG)
        coords_deg, vertex_part = shapely.get_coordinates(parts, return_index=True)
        part_zone = zones[road]
        coords_m = np.empty_like(coords_deg)
        vertex_zone = part_zone[vertex_part]
        blocks = zone_blocks(np.arange(len(coords_deg)), vertex_zone, size=1_000_000)
        for (_, rows), xy in zip(
            blocks,
            map_in_threads(lambda b: _transform_xy(coords_deg[b[1]], _WGS84, b[0]), blocks),
            strict=True,
        ):
            coords_m[rows] = xy
        # distance along each part at each vertex
        step = np.zeros(len(coords_m))
        if len(coords_m):
            step[1:] = np.hypot(*(coords_m[1:] - coords_m[:-1]).T)
            step[1:][vertex_part[1:] != vertex_part[:-1]] = 0.0
        counts = np.bincount(vertex_part, minlength=len(parts))
        first_vertex = np.cumsum(counts) - counts
        run = np.cumsum(step)
        along = run - run[first_vertex][vertex_part] if len(run) else run
        part_len = np.zeros(len(parts))
        has = counts > 0
        part_len[has] = along[first_vertex[has] + counts[has] - 1]
        # only parts with a length: a point-like part covers and lacks nothing
        keep_part = part_len > 0
        keep_vertex = keep_part[vertex_part]
        renumber = np.cumsum(keep_part) - 1
        self.part_road = road[keep_part]
        self.part_zone = part_zone[keep_part]
        self.part_len = part_len[keep_part]
        counts = counts[keep_part]
        vertex_part = renumber[vertex_part[keep_vertex]]
        coords_deg, coords_m, along = (
            coords_deg[keep_vertex],
            coords_m[keep_vertex],
            along[keep_vertex],
        )
        first_vertex = np.cumsum(counts) - counts
        self.part_x0 = np.cumsum(self.part_len + _PART_GAP_M) - (self.part_len + _PART_GAP_M)
        self.x = self.part_x0[vertex_part] + along  # every vertex on the number line
        self.coords_m = coords_m
        # position of each part along its road (previous parts of the road first)
        road_total = np.bincount(self.part_road, weights=self.part_len, minlength=len(roads))
        before = pd.Series(self.part_len).groupby(self.part_road).cumsum().to_numpy()
        self.part_chainage = before - self.part_len
        self.road_length_m = road_total

        # chunks of at most CHUNK_SEGMENTS segments; neighbours share their end vertex
        segments = counts - 1
        per_part = -(-segments // CHUNK_SEGMENTS)
        chunk_part = np.repeat(np.arange(len(counts)), per_part)
        rank = np.arange(len(chunk_part)) - np.repeat(np.cumsum(per_part) - per_part, per_part)
        start_v = first_vertex[chunk_part] + rank * CHUNK_SEGMENTS
        end_v = np.minimum(
            start_v + CHUNK_SEGMENTS, first_vertex[chunk_part] + segments[chunk_part]
        )
        size = end_v - start_v + 1
        vertex = np.repeat(start_v, size) + (
            np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size)
        )
        owner = np.repeat(np.arange(len(start_v)), size)
        self.chunk_deg = (
            shapely.linestrings(coords_deg[vertex], indices=owner)
            if len(owner)
            else np.empty(0, dtype=object)
        )
        self.chunk_m = (
            shapely.linestrings(coords_m[vertex], indices=owner)
            if len(owner)
            else np.empty(0, dtype=object)
        )
        self.chunk_zone = self.part_zone[chunk_part]
        self.chunk_lonlat = coords_deg[start_v]  # first vertex: places the chunk in a tile
        self.chunk_x0 = self.x[start_v]
        self.chunk_x1 = self.x[end_v]
        self._tree: shapely.STRtree | None = None
        self._chunk_arrays: LineArrays | None = None

    def part_of(self, x: np.ndarray) -> np.ndarray:
        """The part holding each position ``x``."""
        return np.searchsorted(self.part_x0, x, side="right") - 1

    def part_elements(self) -> Intervals:
        """One interval per part (no units)."""
        return Intervals(self.part_x0, self.part_x0 + self.part_len)

    def unit_elements(self, unit_geoms: np.ndarray, *, with_outside: bool = False) -> Intervals:
        """The network cut by units: per unit, merged intervals; -1 outside every unit."""
        start, end, unit = self._locate(unit_geoms)
        start, end, unit = merge(start, end, unit)
        if with_outside:
            union_s, union_e, _ = merge(start, end)
            parts = self.part_elements()
            _, out_s, out_e = subtract(parts.start, parts.end, union_s, union_e)
            start = np.concatenate([start, out_s])
            end = np.concatenate([end, out_e])
            unit = np.concatenate([unit, np.full(len(out_s), -1, dtype=np.int64)])
        order = np.argsort(start, kind="stable")
        return Intervals(start[order], end[order], unit[order])

    def _locate(self, unit_geoms: np.ndarray):
        """Intervals of the chunks inside each unit: ``(start, end, unit)``."""
        empty = np.empty(0)
        if not len(self.chunk_deg) or not len(unit_geoms):
            return empty, empty, np.empty(0, dtype=np.int64)
        unit, chunk = self.tree.query(unit_geoms, predicate="intersects")
        shapely.prepare(unit_geoms)
        whole = shapely.contains_properly(unit_geoms[unit], self.chunk_deg[chunk])
        cross = np.flatnonzero(~whole)

        def locate(block: tuple[int, np.ndarray]):
            zone, rows = block
            pieces = shapely.intersection(unit_geoms[unit[rows]], self.chunk_deg[chunk[rows]])
            parts, row = shapely.get_parts(pieces, return_index=True)
            line = shapely.get_type_id(parts) == 1
            parts, row = to_metric(parts[line], zone), row[line]
            lo, hi = self._positions(parts, chunk[rows][row])
            return lo, hi, unit[rows][row]

        found = map_in_threads(locate, zone_blocks(cross, self.chunk_zone[chunk[cross]]))
        start = np.concatenate([self.chunk_x0[chunk[whole]], *[f[0] for f in found]])
        end = np.concatenate([self.chunk_x1[chunk[whole]], *[f[1] for f in found]])
        unit = np.concatenate([unit[whole], *[f[2] for f in found]]).astype(np.int64)
        keep = end - start > 0
        return start[keep], end[keep], unit[keep]

    def _positions(self, pieces: np.ndarray, chunk: np.ndarray):
        """Number-line interval of each metric piece of a chunk (pieces lie on the chunk)."""
        lines = self.chunk_m[chunk]
        a = shapely.line_locate_point(lines, shapely.get_point(pieces, 0))
        b = shapely.line_locate_point(lines, shapely.get_point(pieces, -1))
        x0 = self.chunk_x0[chunk]
        return x0 + np.minimum(a, b), x0 + np.maximum(a, b)

    @property
    def tree(self) -> shapely.STRtree:
        """Search tree of the chunks (EPSG:4326), built once."""
        if self._tree is None:
            self._tree = shapely.STRtree(self.chunk_deg)
        return self._tree

    def covered(
        self,
        geoms: np.ndarray,
        roads: np.ndarray,
        *,
        tolerance_m: float,
        max_angle_deg: float,
        tile_deg: float = TILE_DEG,
    ) -> Intervals:
        """Merged intervals of the network along which a road project runs.

        ``geoms`` are projects in EPSG:4326 and ``roads`` the positions of the road projects
        (line geometries) among them.

        The part of a nearby road project within ``tolerance_m`` of a chunk (ends cut square:
        consecutive chunks meet end to end), if it runs along the chunk (within
        ``max_angle_deg``), covers its extent along the chunk
        (:func:`geo.spatial.segments.stretches_along`). Measured in the chunk's UTM zone.

        The work runs tile by tile (:meth:`_tiles`): only the road projects near one tile's
        chunks are in metres at a time. A project near chunks of several tiles is measured
        against each chunk once, in that chunk's tile, so the result does not depend on
        ``tile_deg``.
        """
        empty = Intervals(np.empty(0), np.empty(0))
        if not len(roads) or not len(self.chunk_deg):
            return empty
        hit, chunk = self._candidates(geoms[roads], tolerance_m)
        if not len(chunk):
            return empty
        # a road crossing the chunk at max_angle_deg lies within tolerance of it for this long
        crossing_m = 2.0 * tolerance_m / np.sin(np.radians(min(max(max_angle_deg, 1e-3), 90.0)))
        starts, ends = [], []
        for rows in self._tiles(chunk, tile_deg):
            tile_chunk = chunk[rows]
            lines, at = metric_line_arrays(geoms, roads[hit[rows]], self.chunk_zone[tile_chunk])
            pair, lo, hi = stretches_along(
                self.chunk_arrays,
                lines,
                tile_chunk,
                at,
                tolerance_m=tolerance_m,
                max_angle_deg=max_angle_deg,
                crossing_m=crossing_m if max_angle_deg < 90.0 else 0.0,
                direction_reach_m=max(tolerance_m, 5.0),
            )
            del lines, at  # the tile's metric copy goes before the next tile's is made
            x0 = self.chunk_x0[tile_chunk[pair]]
            starts.append(x0 + lo)
            ends.append(x0 + hi)
        start, end, _ = merge(_concat(starts), _concat(ends))
        return Intervals(start, end)

    def _candidates(self, lines_deg: np.ndarray, tolerance_m: float):
        """Pairs ``(line, chunk)`` whose bounding boxes meet, the line's grown by the tolerance.

        Cheap (the exact test follows), and made from blocks of lines so that the boxes of a
        national layer never exist all at once.
        """
        grow = np.array([-1.0, -1.0, 1.0, 1.0]) * (tolerance_m / _MIN_M_PER_DEG)
        hits, chunks = [], []
        for lo in range(0, len(lines_deg), CANDIDATE_BLOCK):
            bounds = shapely.bounds(lines_deg[lo : lo + CANDIDATE_BLOCK]) + grow
            hit, chunk = self.tree.query(shapely.box(*bounds.T))
            hits.append(hit + lo)
            chunks.append(chunk)
        return _concat(hits, np.int64), _concat(chunks, np.int64)

    def _tiles(self, chunk: np.ndarray, tile_deg: float) -> list[np.ndarray]:
        """Positions in ``chunk`` grouped by the tile of each chunk: its UTM zone and the
        ``tile_deg`` square (EPSG:4326) holding its first vertex; zone by zone, in row order."""
        if not np.isfinite(tile_deg):
            return [np.arange(len(chunk))]
        cell = np.floor(self.chunk_lonlat / tile_deg).astype(np.int64)
        key = np.column_stack([self.chunk_zone, cell[:, 1], cell[:, 0]])
        _, chunk_tile = np.unique(key, axis=0, return_inverse=True)
        tile = chunk_tile.ravel()[chunk]
        order = np.argsort(tile, kind="stable")
        return np.split(order, np.flatnonzero(np.diff(tile[order])) + 1)

    @property
    def chunk_arrays(self) -> LineArrays:
        """The metric chunks as flat arrays (:mod:`geo.spatial.segments`), built once."""
        if self._chunk_arrays is None:
            self._chunk_arrays = line_arrays(self.chunk_m)
        return self._chunk_arrays

    def substrings(self, part: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """The stretches [start, end] of the network as lines in EPSG:4326."""
        if not len(start):
            return np.empty(0, dtype=object)
        x, xy = self.x, self.coords_m
        first = np.searchsorted(x, start, side="right")  # first vertex after the start
        last = np.searchsorted(x, end, side="left") - 1  # last vertex before the end

        def point_at(position: np.ndarray, j: np.ndarray) -> np.ndarray:
            span = x[j + 1] - x[j]
            t = np.divide(position - x[j], span, out=np.zeros(len(j)), where=span > 0)
            return xy[j] + np.clip(t, 0.0, 1.0)[:, None] * (xy[j + 1] - xy[j])

        head, tail = point_at(start, first - 1), point_at(end, last)
        inner = np.maximum(last - first + 1, 0)
        size = inner + 2
        owner = np.repeat(np.arange(len(start)), size)
        rank = np.arange(len(owner)) - np.repeat(np.cumsum(size) - size, size)
        coords = xy[np.clip(first[owner] + rank - 1, 0, len(x) - 1)]
        coords[rank == 0] = head
        coords[rank == size[owner] - 1] = tail
        lines = shapely.linestrings(coords, indices=owner)
        zones = self.part_zone[part]
        out = np.empty(len(lines), dtype=object)
        for zone in np.unique(zones):
            rows = np.flatnonzero(zones == zone)
            out[rows] = to_degrees(lines[rows], int(zone))
        return out

    def length_by_status(
        self, elements: Intervals, covered: Intervals, n_units: int
    ) -> tuple[np.ndarray, np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]]:
        """Network length and covered length per unit (metres), in total and per status.

        ``elements`` are the network cut by units (`unit_elements`), ``covered`` the merged
        covered stretches (`covered`). Returns the network and covered metres per unit, and
        per status (the four statuses first, then any other found) the same two arrays.
        """
        inside = elements.unit >= 0
        start, end, unit = elements.start[inside], elements.end[inside], elements.unit[inside]
        length = end - start
        covered_m = covered_length(start, end, covered.start, covered.end)
        status = self.status[self.part_road[self.part_of(start)]]
        classes = list(STATUS_ORDER) + sorted(set(self.status) - set(STATUS_ORDER))
        per_status = {}
        for name in classes:
            mine = status == name
            per_status[name] = (
                np.bincount(unit[mine], weights=length[mine], minlength=n_units),
                np.bincount(unit[mine], weights=covered_m[mine], minlength=n_units),
            )
        return (
            np.bincount(unit, weights=length, minlength=n_units),
            np.bincount(unit, weights=covered_m, minlength=n_units),
            per_status,
        )


def _transform_xy(xy: np.ndarray, source: int, target: int) -> np.ndarray:
    return np.column_stack(transformer(source, target).transform(xy[:, 0], xy[:, 1]))


def _concat(parts: list[np.ndarray], dtype=float) -> np.ndarray:
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)
