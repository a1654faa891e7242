"""How far one line runs along another: the road overlap measure, compiled over segments.

For a pair of lines A and B (metres), "A along B" is measured part of B by part (DESIGN
section 5, :mod:`geo.analyse.overlap`):

1. the pieces of A within ``tolerance_m`` of the part: maximal runs of A inside the round
   buffer, found segment against segment (the buffer of a segment is a capsule, and a line
   meets a capsule in one interval);
2. if all pieces, over all parts of B, are shorter in sum than ``min_total_m`` the pair cannot
   reach the overlap threshold and measures 0 (crossings at steep angles, lines meeting end to
   end);
3. each piece's ends are located on the part resampled every ``step_m`` (GPS zigzag does not
   lengthen it); a piece counts when its chord and the chord between those locations are
   within ``max_angle_deg`` (a crossing is not a shared stretch), with the distance between
   the locations as its extent along B. A piece that curls back on itself (a ring road
   digitised twice: its chord is nothing) or runs along a ring (a part of B whose ends meet)
   is judged in shorter stretches, and along a ring the way round the ring is the short one.

The sum of counted extents is "A along B". Doing this per pair in a compiled loop (numba) costs
a few microseconds, against tens for GEOS buffers and overlays: national layers have hundreds of
thousands of candidate pairs, most of them neighbours and crossings.

Lines are given as flat arrays (:func:`line_arrays`). Every line of one call must be in the
same metric CRS as the lines it is paired with. The loops themselves are in
:mod:`geo.spatial._loops`, imported with numba on the first measure.
"""

from __future__ import annotations

import math
from types import ModuleType
from typing import NamedTuple

import numpy as np
import shapely

from geo._parallel import WORKERS, map_in_threads
from geo.spatial.crs import transformer

__all__ = [
    "AlongSettings",
    "compile_loops",
    "extent_along_m",
    "line_arrays",
    "line_lengths_m",
    "LineArrays",
    "metric_line_arrays",
    "PAIRS_PER_TASK",
    "resampled_length_m",
    "shared_pieces",
    "stretches_along",
    "TRANSFORM_BATCH",
]

#: Pairs handed to one thread at a time.
PAIRS_PER_TASK = 5_000
#: Vertices brought into metres by one thread at a time.
TRANSFORM_BATCH = 500_000


class LineArrays(NamedTuple):
    """Lines as flat arrays: what the compiled loops read."""

    #: ``(n_vertices, 2)`` coordinates, metres.
    xy: np.ndarray
    #: Index into ``xy`` of each part's first vertex, plus an end marker.
    vertex_start: np.ndarray
    #: Index into the parts of each line's first part, plus an end marker.
    part_start: np.ndarray
    #: ``(n_lines, 4)`` bounding boxes (xmin, ymin, xmax, ymax), metres; NaN when empty.
    bounds_m: np.ndarray


class AlongSettings(NamedTuple):
    """The thresholds of the measure (from :class:`geo.settings.Settings`)."""

    tolerance_m: float
    max_angle_deg: float
    step_m: float
    min_total_m: float


def line_arrays(lines: np.ndarray) -> LineArrays:
    """Flat arrays of LineStrings or MultiLineStrings in a metric CRS (empty ones: no parts)."""
    parts, owner = shapely.get_parts(lines, return_index=True)
    xy, vertex_part = shapely.get_coordinates(parts, return_index=True)
    return LineArrays(
        np.asfortranarray(xy, dtype=np.float64),  # the layout metric_line_arrays makes
        np.searchsorted(vertex_part, np.arange(len(parts) + 1)).astype(np.int64),
        np.searchsorted(owner, np.arange(len(lines) + 1)).astype(np.int64),
        np.ascontiguousarray(shapely.bounds(lines), dtype=np.float64),
    )


def metric_line_arrays(
    geoms: np.ndarray, line: np.ndarray, epsg: np.ndarray
) -> tuple[LineArrays, np.ndarray]:
    """Lines from EPSG:4326 into UTM zones (metres), as flat arrays, each wanted once.

    Parameters
    ----------
    geoms
        LineStrings or MultiLineStrings in EPSG:4326.
    line, epsg
        What is wanted: line ``line[i]`` of ``geoms`` in the CRS ``epsg[i]`` (a UTM zone);
        repeats allowed.

    Returns
    -------
    arrays
        One line per distinct (line, zone), metres.
    at
        Per request: the position of its line in ``arrays``.
    """
    n = len(geoms)
    # One key per (zone, line): sorted, each zone's lines are contiguous.
    requested = np.asarray(epsg, dtype=np.int64) * n + np.asarray(line, dtype=np.int64)
    keys, at = np.unique(requested, return_inverse=True)
    xy, vertex_start, part_start = _flat_coordinates(geoms[keys % n])
    x, y = xy[:, 0], xy[:, 1]  # contiguous views: transformed in place
    first_vertex = vertex_start[part_start]
    zone = keys // n
    # at most TRANSFORM_BATCH vertices a batch, and a batch per core even for a few lines
    size = max(1, min(TRANSFORM_BATCH, -(-len(x) // WORKERS)))
    batches = []
    for code in np.unique(zone):
        members = np.flatnonzero(zone == code)
        lo, hi = first_vertex[members[0]], first_vertex[members[-1] + 1]
        batches += [(int(code), v, min(v + size, hi)) for v in range(lo, hi, size)]

    def project(batch: tuple[int, int, int]) -> None:
        code, lo, hi = batch
        transformer(4326, code).transform(x[lo:hi], y[lo:hi], inplace=True)

    map_in_threads(project, batches)  # pyproj runs without the GIL
    starts = first_vertex[:-1]
    bounds_m = (
        np.column_stack(
            [
                np.minimum.reduceat(x, starts),
                np.minimum.reduceat(y, starts),
                np.maximum.reduceat(x, starts),
                np.maximum.reduceat(y, starts),
            ]
        )
        if len(keys)
        else np.empty((0, 4))
    )
    return LineArrays(xy, vertex_start, part_start, bounds_m), at


def _flat_coordinates(lines: np.ndarray):
    """x and y of every vertex, where each part's vertices start, where each line's parts start.

    LineStrings are read as they are: splitting them into parts would copy each one.
    """
    n_parts = shapely.get_num_geometries(lines)
    multi = np.flatnonzero(shapely.get_type_id(lines) == 5)
    vertices = shapely.get_num_coordinates(lines)  # LineStrings: their one part
    part_start = np.concatenate([[0], np.cumsum(n_parts)]).astype(np.int64)
    vertex_count = np.repeat(vertices, n_parts)  # right for LineStrings, fixed for the others
    if len(multi):
        parts = shapely.get_parts(lines[multi])
        first, count = part_start[multi], n_parts[multi]
        slots = (
            np.repeat(first, count)
            + np.arange(count.sum())
            - np.repeat(np.cumsum(count) - count, count)
        )
        vertex_count[slots] = shapely.get_num_coordinates(parts)
    vertex_start = np.concatenate([[0], np.cumsum(vertex_count)]).astype(np.int64)
    # Column-major, filled in batches: x and y are contiguous for pyproj to work in place, and
    # no second full copy of a national layer's coordinates is ever made.
    xy = np.empty((int(vertex_start[-1]), 2), order="F")
    first_vertex = vertex_start[part_start]
    for lo in range(0, len(lines), 100_000):
        hi = min(lo + 100_000, len(lines))
        xy[first_vertex[lo] : first_vertex[hi]] = shapely.get_coordinates(lines[lo:hi])
    return xy, vertex_start, part_start


def extent_along_m(
    arrays: LineArrays, a: np.ndarray, b: np.ndarray, settings: AlongSettings
) -> np.ndarray:
    """Per pair: the extent (metres) along line ``b`` of line ``a``'s pieces running along it.

    Parameters
    ----------
    arrays
        :func:`line_arrays` of the lines, one metric CRS.
    a, b
        Positions of each pair's lines in ``arrays``.
    settings
        Tolerance, angle, resampling step and the least total piece length, metres/degrees.

    Returns
    -------
    numpy.ndarray
        "A along B" per pair, metres (module docstring).

    Examples
    --------
    >>> from shapely import LineString
    >>> arrays = line_arrays(np.array([LineString([(0, 0), (300, 0)]),
    ...                                LineString([(100, 8), (500, 8)]),
    ...                                LineString([(150, -100), (150, 100)])]))
    >>> rule = AlongSettings(tolerance_m=20, max_angle_deg=20, step_m=25, min_total_m=50)
    >>> extent_along_m(arrays, np.array([0, 1, 2]), np.array([1, 0, 0]), rule).round(1)
    array([200., 200.,   0.])
    """
    return _per_task(_loops().extents, arrays, a, b, settings)


def shared_pieces(
    arrays: LineArrays, a: np.ndarray, b: np.ndarray, settings: AlongSettings
) -> np.ndarray:
    """Per pair: the pieces of line ``a`` counted along line ``b``, as a MultiLineString.

    Same arguments as :func:`extent_along_m`; None where no piece counts. Coordinates in the
    CRS of ``arrays`` (metres). Meant for the few pairs that are findings.
    """
    a, b = np.asarray(a), np.asarray(b)
    tasks = _tasks(len(a))
    found = map_in_threads(
        lambda task: _loops().pieces(*_kernel_args(arrays, a[task], b[task], settings)), tasks
    )
    pieces = np.concatenate(
        [np.empty((0, 5))]
        + [rows + [task.start, 0, 0, 0, 0] for task, rows in zip(tasks, found, strict=True)]
    )
    out = np.full(len(a), None, dtype=object)
    if not len(pieces):
        return out
    pair = pieces[:, 0].astype(np.int64)
    first, last = pieces[:, 1].astype(np.int64), pieces[:, 3].astype(np.int64)
    xy = arrays.xy
    start = xy[first] + pieces[:, 2:3] * (xy[first + 1] - xy[first])
    end = xy[last] + pieces[:, 4:5] * (xy[last + 1] - xy[last])
    # A piece's coordinates: its start, the vertices of A it passes, its end.
    n = last - first + 2
    piece = np.repeat(np.arange(len(pieces)), n)
    rank = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    coords = xy[first[piece] + np.minimum(rank, n[piece] - 2)]
    coords[rank == 0] = start
    coords[rank == n[piece] - 1] = end
    lines = shapely.linestrings(coords, indices=piece)
    shapely.multilinestrings(lines, indices=pair, out=out)
    return out


def stretches_along(
    chunks: LineArrays,
    lines: LineArrays,
    c: np.ndarray,
    p: np.ndarray,
    *,
    tolerance_m: float,
    max_angle_deg: float,
    crossing_m: float,
    direction_reach_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where lines run along short network chunks: per pair (chunk, line), the stretches of
    the chunk the line's pieces cover.

    A piece is a run of the line within ``tolerance_m`` of the chunk, whose ends are cut square
    (consecutive chunks meet end to end, each piece counted once); it covers the chunk between
    the places its ends are nearest to. A piece shorter than ``crossing_m`` counts only if its
    chord runs within ``max_angle_deg`` of the chunk's direction over ``direction_reach_m`` on
    either side of the piece's middle: a road crossing the chunk covers nothing.

    Parameters
    ----------
    chunks, lines
        :func:`line_arrays` of both, in the same metric CRS for every pair.
    c, p
        Positions of each pair's chunk and line.

    Returns
    -------
    pair, start_m, end_m
        One row per counted piece: its pair, and the stretch of the chunk it covers (metres
        from the chunk's first vertex).
    """
    c, p = np.asarray(c, dtype=np.int64), np.asarray(p, dtype=np.int64)
    tasks = _tasks(len(c))
    args = (
        float(tolerance_m),
        math.cos(math.radians(max_angle_deg)),
        float(crossing_m),
        float(direction_reach_m),
    )
    found = map_in_threads(
        lambda task: _loops().chunk_stretches(*chunks, *lines, c[task], p[task], *args), tasks
    )
    rows = np.concatenate(
        [np.empty((0, 3))]
        + [got + [task.start, 0, 0] for task, got in zip(tasks, found, strict=True)]
    )
    return rows[:, 0].astype(np.int64), rows[:, 1], rows[:, 2]


def resampled_length_m(arrays: LineArrays, lines: np.ndarray, *, step_m: float) -> np.ndarray:
    """Length (metres) of ``lines`` (positions in ``arrays``) resampled every ``step_m``, part by
    part: what a GPS zigzag adds is left out."""
    lines = np.asarray(lines, dtype=np.int64)
    return _loops().resampled_lengths(
        arrays.xy, arrays.vertex_start, arrays.part_start, lines, float(step_m)
    )


def line_lengths_m(arrays: LineArrays) -> np.ndarray:
    """Length (metres) of every line of ``arrays``, summed as GEOS sums it (segment by segment,
    then part by part), without making the lines into geometries.

    Examples
    --------
    >>> from shapely import LineString, MultiLineString
    >>> arrays = line_arrays(np.array([LineString([(0, 0), (3, 4), (3, 10)]),
    ...                                MultiLineString([[(0, 0), (1, 0)], [(5, 5), (5, 7)]])]))
    >>> line_lengths_m(arrays).tolist()
    [11.0, 3.0]
    """
    return _loops().line_lengths(arrays.xy, arrays.vertex_start, arrays.part_start)


def compile_loops() -> None:
    """Compile the loops now (about 5 s the first time), into the cache
    (:func:`geo.settings.numba_cache_dir`) later processes load them from.

    Setup calls it, so that the first overlap check does not wait for the compiler.
    """
    arrays = line_arrays(np.array([shapely.LineString([(0, 0), (100, 0)])] * 2, dtype=object))
    rule = AlongSettings(tolerance_m=20.0, max_angle_deg=20.0, step_m=25.0, min_total_m=50.0)
    pair = np.array([0]), np.array([1])
    extent_along_m(arrays, *pair, rule)
    shared_pieces(arrays, *pair, rule)
    resampled_length_m(arrays, pair[0], step_m=rule.step_m)
    line_lengths_m(arrays)


# --- driving the compiled loops ----------------------------------------------------------------


def _tasks(n_pairs: int) -> list[slice]:
    """Slices of the pairs: several per core, at most :data:`PAIRS_PER_TASK` each."""
    size = max(1, min(PAIRS_PER_TASK, -(-n_pairs // (4 * WORKERS))))
    return [slice(lo, lo + size) for lo in range(0, n_pairs, size)]


def _kernel_args(arrays: LineArrays, a, b, settings: AlongSettings) -> tuple:
    return (
        *arrays,
        np.asarray(a, dtype=np.int64),
        np.asarray(b, dtype=np.int64),
        float(settings.tolerance_m),
        math.cos(math.radians(settings.max_angle_deg)),
        float(settings.step_m),
        float(settings.min_total_m),
    )


def _per_task(kernel, arrays: LineArrays, a, b, settings: AlongSettings) -> np.ndarray:
    a, b = np.asarray(a), np.asarray(b)
    results = map_in_threads(
        lambda task: kernel(*_kernel_args(arrays, a[task], b[task], settings)), _tasks(len(a))
    )
    return np.concatenate(results) if results else np.zeros(0)


def _loops() -> ModuleType:
    """The compiled loops (:mod:`geo.spatial._loops`), imported with numba on first use."""
    from geo.spatial import _loops

    return _loops
