"""The systematic shift of a source's drawings: estimated against the network, removed before
line matching.

An agency that digitises on another basemap (an old satellite image, a scanned map) has its
whole file shifted by about the same vector, often 20-40 m. One work alone cannot tell that
shift from a work on the road beside it (a frontage road 15 m off, the other carriageway of a
divided road 22 m off), but the agency's works together can: they lie on roads running every
way, and only one vector puts most of them on the network. So the drawn road works are grouped
by their source (:func:`source_keys`: the agency, and the upload, file and layer when the records
carry them), and for a group of at least :data:`MIN_SOURCE_WORKS` works:

- the group's lines are sampled every :data:`SAMPLE_STEP_M` (at most :data:`SAMPLE_POINTS`
  points, evenly spread over the group) and measured, with the network edges within reach of
  each point, in the WGS 84 / UTM zone of the group's middle (the shift is one vector in it);
- a candidate shift is scored by the *residual*: the mean, over the sampled points moved by
  it, of their distance to the nearest network edge, capped at :data:`CAP_M` (a point off the
  network counts the cap, whatever road lies further away: a capped mean, robust to the works
  on roads the network lacks), plus :data:`TIE_BREAK_M_PER_M` per metre of shift, so that when
  the works leave a component of the shift open (a group all on east-west roads) the shortest
  vector wins. A median would not do: a shift mostly along the roads (a file moved 26 m east
  in a city of east-west streets) leaves most points on their road, and shows only on the
  cross streets and the north-south roads, which the median ignores;
- candidates on a grid :data:`COARSE_STEP_M` apart within ``max_shift_m`` (the setting
  ``network_offset_m``), then two finer grids around the best, a quarter and a sixteenth of
  the step apart, on :data:`COARSE_POINTS` of the points; the residual that decides on all of
  them (a compiled loop, :mod:`geo.spatial._shift_loops`; about 10 ms a source);
- the shift is *applied* only when it is clearly better than none: the residual drops by at
  least :data:`MIN_GAIN_M` (about one point in six moved from off the network onto it) to at
  most :data:`MAX_RESIDUAL_M`. A group already on the network has a residual of 2-3 m (its
  digitising noise), which no shift lowers by that much; its estimate stops after measuring
  the unshifted residual when that is below :data:`SEARCH_FROM_M`.

:func:`geo.spatial.linematch.locate_on_network` (``sources``) first matches every line as
drawn; only the sources whose lines lie off the network then (:func:`sources_off_network`: a
mean per-line distance of :data:`SEARCH_FROM_M` or more) are estimated, and only the lines of
a source whose shift is applied are matched again, shifted. A store whose agencies draw on the
network's basemap pays for one groupby. The records' own geometries are never changed.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import shapely

from geo._parallel import map_in_threads
from geo.spatial.crs import (
    MAX_M_PER_DEG,
    MIN_M_PER_DEG,
    to_degrees,
    to_metric,
    transformer,
    utm_epsg_array,
)
from geo.spatial.network import RoadNetwork

__all__ = [
    "CAP_M",
    "COARSE_POINTS",
    "COARSE_STEP_M",
    "MAX_RESIDUAL_M",
    "MIN_GAIN_M",
    "MIN_SOURCE_WORKS",
    "SAMPLE_POINTS",
    "SAMPLE_STEP_M",
    "SEARCH_FROM_M",
    "SHIFT_COLUMNS",
    "SOURCE_COLUMNS",
    "TIE_BREAK_M_PER_M",
    "estimate_shifts",
    "sources_off_network",
    "shift_lines",
    "source_keys",
]

#: A source (agency, upload, file, layer) needs at least this many drawn road works for its
#: shift to be estimated: fewer works leave too few roads of other directions to tell a
#: systematic shift from works on the road beside.
MIN_SOURCE_WORKS = 8
#: Lines are sampled every this many metres (their vertices too).
SAMPLE_STEP_M = 20.0
#: At most this many sampled points per source, evenly spread over its works.
SAMPLE_POINTS = 1_000
#: The coarse search scores every candidate shift on this many of the points.
COARSE_POINTS = 500
#: Candidate shifts of the coarse search lie this many metres apart; the two finer searches
#: around the best take a quarter and a sixteenth of it.
COARSE_STEP_M = 4.0
#: A sampled point's distance to the network counts at most this much (metres): a point off the
#: network is off it, whichever road lies further away. Below the 15-22 m between a road and
#: the road beside it, so a point on the wrong one of two parallel roads counts as off.
CAP_M = 10.0
#: A shift is applied only when it brings the residual (capped mean distance, metres) down to
#: this or less: 3-5 m of digitising noise give 2-4 m, a group half off the network 6 m.
MAX_RESIDUAL_M = 5.0
#: ... and lowers the residual by at least this many metres (with :data:`CAP_M` 10 m: at least
#: about one sampled point in six brought from off the network onto it).
MIN_GAIN_M = 1.5
#: Metres of residual one metre of shift costs, so that the shortest of equally good shifts wins.
TIE_BREAK_M_PER_M = 0.01
#: A source is searched for a shift only when its works lie at least this far off the network
#: (residual without shift, metres): below it, no shift could gain :data:`MIN_GAIN_M` and still
#: leave a residual a shift would explain.
SEARCH_FROM_M = 2 * MIN_GAIN_M

#: Record columns that name a source, the first (``agency``) required, the others used when the
#: records carry them (:data:`geo.schema.PROVENANCE_COLUMNS`).
SOURCE_COLUMNS: tuple[str, ...] = ("agency", "upload_id", "source_file", "source_layer")
#: Columns of :func:`estimate_shifts`'s table.
SHIFT_COLUMNS: tuple[str, ...] = (
    "source",
    "works",
    "dx_m",
    "dy_m",
    "shift_m",
    "residual_m",
    "unshifted_m",
    "applied",
)


def source_keys(records: pd.DataFrame) -> np.ndarray:
    """One key per record naming the file it was drawn in: its agency, with its upload, source
    file and layer when ``records`` has those columns.

    Parameters
    ----------
    records
        Project records (:data:`geo.schema.PROJECT_COLUMNS`; only :data:`SOURCE_COLUMNS` read).

    Returns
    -------
    numpy.ndarray of object
        A string per record; ``""`` for a record without an agency (never grouped).

    Examples
    --------
    >>> source_keys(pd.DataFrame({"agency": ["Dinas PUPR", None], "upload_id": [3, 3]})).tolist()
    ['Dinas PUPR\\x1f3', '']
    """
    present = [c for c in SOURCE_COLUMNS if c in records.columns]
    if "agency" not in present:
        return np.full(len(records), "", dtype=object)
    agency = records["agency"]
    keys = agency.where(agency.notna(), "").astype(str)
    for column in present[1:]:
        values = records[column]
        keys = keys + "\x1f" + values.where(values.notna(), "").astype(str)
    keys[(agency.isna() | (agency.astype(str).str.strip() == "")).to_numpy()] = ""
    return keys.to_numpy(dtype=object)


@dataclasses.dataclass(frozen=True)
class _Group:
    """A source's sampled points and the network segments near them, in metres."""

    zone: int
    px: np.ndarray
    py: np.ndarray
    start: np.ndarray
    seg: np.ndarray
    ends: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def estimate_shifts(
    network: RoadNetwork, lines_deg: np.ndarray, sources: np.ndarray, *, max_shift_m: float
) -> pd.DataFrame:
    """The systematic shift of each source's drawn lines against ``network``.

    Parameters
    ----------
    network
        The reference road network (its routing graph's edges are the roads).
    lines_deg
        Drawn road works, LineStrings or MultiLineStrings in EPSG:4326 (other geometries are
        left out).
    sources
        The source of each line (:func:`source_keys`); ``""`` or None: never grouped.
    max_shift_m
        Longest shift looked for, metres (:attr:`geo.settings.Settings.network_offset_m`).

    Returns
    -------
    pandas.DataFrame
        :data:`SHIFT_COLUMNS`, one row per source of at least :data:`MIN_SOURCE_WORKS` lines:
        ``works`` (its lines), ``dx_m``/``dy_m`` (the vector that moves its lines onto the
        network, metres east and north in the WGS 84 / UTM zone of its middle; 0 when no shift
        was searched), ``shift_m`` (its length), ``residual_m`` (the mean distance of its
        sampled points to the network after that shift, each capped at :data:`CAP_M`, metres),
        ``unshifted_m`` (the same without shift) and ``applied`` (the shift is clearly better
        than none: :data:`MIN_GAIN_M`, :data:`MAX_RESIDUAL_M`).
    """
    lines_deg = np.asarray(lines_deg, dtype=object)
    keys = np.array(["" if s is None else str(s) for s in np.asarray(sources, dtype=object)])
    usable = (
        np.isin(shapely.get_type_id(lines_deg), (1, 5))
        & ~shapely.is_empty(lines_deg)
        & (keys != "")
    )
    rows = []
    if usable.any() and network.n_edges and max_shift_m > 0:  # (the graph built here, once)
        which = np.flatnonzero(usable)
        names, group, counts = np.unique(keys[which], return_inverse=True, return_counts=True)
        order = np.argsort(group, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(counts)])
        big = np.flatnonzero(counts >= MIN_SOURCE_WORKS)

        def one(g: int) -> dict:
            members = which[order[bounds[g] : bounds[g + 1]]]
            found = _estimate(network, lines_deg[members], float(max_shift_m))
            return {"source": names[g], "works": len(members)} | found

        rows = map_in_threads(one, [int(g) for g in big])
    frame = pd.DataFrame(rows, columns=list(SHIFT_COLUMNS))
    return frame.astype({"works": np.int64, "applied": bool})


def sources_off_network(
    sources: np.ndarray, offset_mean_m: np.ndarray, matched_share: np.ndarray
) -> np.ndarray:
    """The sources whose lines, matched as drawn, lie off the network: worth a shift estimate.

    Parameters
    ----------
    sources
        The source of each line (:func:`source_keys`).
    offset_mean_m, matched_share
        Per line, as matched without shift (:func:`geo.spatial.linematch.locate_on_network`):
        the mean distance of its matched samples to their edges (metres; NaN: none matched)
        and the share of it matched.

    Returns
    -------
    numpy.ndarray of object
        The sources of at least :data:`MIN_SOURCE_WORKS` lines whose mean per-line distance
        (the unmatched share of a line counting :data:`CAP_M`, each line's distance capped at
        it, as the residual is) is at least :data:`SEARCH_FROM_M`, sorted.

    Examples
    --------
    >>> sources_off_network(np.array(["a"] * 8 + ["b"] * 8, dtype=object),
    ...     np.array([2.0] * 8 + [30.0] * 8), np.ones(16)).tolist()
    ['b']
    """
    keys = np.array(["" if s is None else str(s) for s in np.asarray(sources, dtype=object)])
    share = np.clip(np.nan_to_num(np.asarray(matched_share, float)), 0.0, 1.0)
    offset = np.minimum(np.nan_to_num(np.asarray(offset_mean_m, float), nan=CAP_M), CAP_M)
    off = share * offset + (1.0 - share) * CAP_M
    frame = pd.DataFrame({"source": keys, "off": off})[keys != ""]
    per = frame.groupby("source")["off"].agg(["mean", "size"])
    wanted = per[(per["size"] >= MIN_SOURCE_WORKS) & (per["mean"] >= SEARCH_FROM_M)]
    return np.array(sorted(wanted.index), dtype=object)


def shift_lines(
    lines_deg: np.ndarray, sources: np.ndarray, shifts: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """``lines_deg`` (EPSG:4326) with the applied shifts of their sources removed.

    Parameters
    ----------
    lines_deg
        The drawn lines, EPSG:4326.
    sources
        The source of each line, as given to :func:`estimate_shifts`.
    shifts
        :func:`estimate_shifts` of these lines.

    Returns
    -------
    lines : numpy.ndarray of object
        A new array: the lines of a source with an applied shift moved by it (in the UTM zone
        of their own middle), the others as they were (the same objects).
    shift_m : numpy.ndarray of float
        Per line, the length of the shift applied to it, metres (0: none).
    """
    lines = np.array(lines_deg, dtype=object, copy=True)
    shift_m = np.zeros(len(lines))
    keys = np.array(["" if s is None else str(s) for s in np.asarray(sources, dtype=object)])
    for row in shifts[shifts["applied"]].itertuples(index=False):
        members = np.flatnonzero(keys == row.source)
        members = members[np.isin(shapely.get_type_id(lines[members]), (1, 5))]
        if not len(members):
            continue
        zone = _zone_of(lines[members])
        vector = np.array([row.dx_m, row.dy_m])
        moved = shapely.transform(to_metric(lines[members], zone), lambda xy, v=vector: xy + v)
        lines[members] = to_degrees(moved, zone)
        shift_m[members] = float(row.shift_m)
    return lines, shift_m


def _estimate(network: RoadNetwork, lines_deg: np.ndarray, max_shift_m: float) -> dict:
    from geo.spatial import _shift_loops as loops

    group = _group(network, lines_deg, max_shift_m)
    every = np.arange(len(group.px))

    def residual(points: np.ndarray, shifts: np.ndarray) -> np.ndarray:
        return loops.capped_means(
            group.px[points],
            group.py[points],
            *_pairs_of(group, points),
            *group.ends,
            shifts,
            CAP_M,
        )

    unshifted = float(residual(every, np.zeros((1, 2)))[0]) if len(every) else float("nan")
    if not unshifted >= SEARCH_FROM_M:  # nothing to gain (or nothing sampled): no search
        return {"dx_m": 0.0, "dy_m": 0.0, "shift_m": 0.0, "residual_m": unshifted,
                "unshifted_m": unshifted, "applied": False}  # fmt: skip
    coarse = every[np.linspace(0, len(every) - 1, min(COARSE_POINTS, len(every))).astype(int)]
    best = np.zeros(2)
    step, radius = COARSE_STEP_M, max_shift_m
    for _ in range(3):
        shifts = _grid(best, radius, step, max_shift_m)
        scores = residual(coarse, shifts) + TIE_BREAK_M_PER_M * np.hypot(*shifts.T)
        best = shifts[int(np.argmin(scores))]
        step, radius = step / 4.0, step
    found = float(residual(every, best[None, :])[0])
    applied = found <= MAX_RESIDUAL_M and unshifted - found >= MIN_GAIN_M
    return {
        "dx_m": float(best[0]),
        "dy_m": float(best[1]),
        "shift_m": float(np.hypot(*best)),
        "residual_m": found,
        "unshifted_m": unshifted,
        "applied": bool(applied),
    }


def _grid(centre: np.ndarray, radius: float, step: float, max_shift_m: float) -> np.ndarray:
    """Shifts ``step`` apart within ``radius`` of ``centre`` (a square) and ``max_shift_m`` of
    no shift (a disc); the zero shift always among them."""
    n = int(np.floor(radius / step + 1e-9))
    offsets = np.arange(-n, n + 1) * step
    dx, dy = np.meshgrid(centre[0] + offsets, centre[1] + offsets)
    shifts = np.column_stack([dx.ravel(), dy.ravel()])
    shifts = shifts[np.hypot(shifts[:, 0], shifts[:, 1]) <= max_shift_m + 1e-9]
    return np.vstack([np.zeros((1, 2)), shifts])


def _zone_of(lines_deg: np.ndarray) -> int:
    """The UTM zone of the middle (median vertex) of ``lines_deg``."""
    xy = shapely.get_coordinates(lines_deg)
    return int(utm_epsg_array(np.array([np.median(xy[:, 0])]), np.array([np.median(xy[:, 1])]))[0])


def _group(network: RoadNetwork, lines_deg: np.ndarray, max_shift_m: float) -> _Group:
    """The sampled points of ``lines_deg`` and the edge segments within reach of each."""
    zone = _zone_of(lines_deg)
    # Sampled in degrees (a degree is at most MAX_M_PER_DEG metres, so no step is longer than
    # SAMPLE_STEP_M), and only the sampled points measured in metres.
    lon_lat = shapely.get_coordinates(shapely.segmentize(lines_deg, SAMPLE_STEP_M / MAX_M_PER_DEG))
    if len(lon_lat) > SAMPLE_POINTS:
        lon_lat = lon_lat[np.linspace(0, len(lon_lat) - 1, SAMPLE_POINTS).astype(int)]
    xy = _metres(lon_lat, zone)
    reach_m = max_shift_m + CAP_M
    graph = network.graph
    # The edges near each point, found by box in degrees (generously: a degree is at least
    # MIN_M_PER_DEG metres), then every segment of them measured in the group's zone.
    pad = reach_m / MIN_M_PER_DEG * 1.5
    pi, ei = graph.tree.query(shapely.box(*(lon_lat - pad).T, *(lon_lat + pad).T))
    used, edge_of_pair = np.unique(ei, return_inverse=True)
    # Edges are kept in metres in their own zone; those of another zone are measured in the
    # group's from their degrees (coordinates only: no geometry is made).
    exy, owner = shapely.get_coordinates(graph.edges_m[used], return_index=True)
    other = (graph.zone[used] != zone)[owner]
    if other.any():
        deg = shapely.get_coordinates(graph.edges_deg[used[np.unique(owner[other])]])
        exy[other] = _metres(deg, zone)
    first_vertex = np.searchsorted(owner, np.arange(len(used) + 1))
    # Segment k of edge e runs from vertex first_vertex[e] + k; an edge has n - 1 segments.
    n_segs = np.maximum(np.diff(first_vertex) - 1, 0)
    seg_first = np.concatenate([[0], np.cumsum(n_segs)])
    keep_vertex = np.ones(len(exy), dtype=bool)
    keep_vertex[first_vertex[1:] - 1] = False  # an edge's last vertex starts no segment
    a = exy[keep_vertex]
    b = exy[np.flatnonzero(keep_vertex) + 1]
    counts = n_segs[edge_of_pair]
    pair = np.repeat(np.arange(len(pi)), counts)
    seg = seg_first[edge_of_pair][pair] + (
        np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    )
    point = pi[pair]
    near = _segment_distance(xy[point], a[seg], b[seg]) <= reach_m
    point, seg = point[near], seg[near]
    order = np.lexsort((seg, point))
    point, seg = point[order], seg[order]
    start = np.searchsorted(point, np.arange(len(xy) + 1))

    def column(values: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(values, dtype=float)

    ends = (column(a[:, 0]), column(a[:, 1]), column(b[:, 0]), column(b[:, 1]))
    return _Group(zone, column(xy[:, 0]), column(xy[:, 1]), start, seg, ends)


def _metres(lon_lat: np.ndarray, zone: int) -> np.ndarray:
    """Coordinates (n, 2) from degrees into the UTM ``zone`` (metres)."""
    x, y = transformer(4326, zone).transform(lon_lat[:, 0], lon_lat[:, 1])
    return np.column_stack([x, y])


def _segment_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance from each point ``p`` to the segment ``a``-``b`` (rows of (n, 2) arrays)."""
    u = b - a
    length2 = np.einsum("ij,ij->i", u, u)
    t = np.einsum("ij,ij->i", p - a, u) / np.where(length2 > 0, length2, 1.0)
    t = np.clip(np.where(length2 > 0, t, 0.0), 0.0, 1.0)
    return np.hypot(*(a + t[:, None] * u - p).T)


def _pairs_of(group: _Group, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The CSR ``start``, ``seg`` of the segments near each of ``points`` (positions)."""
    counts = group.start[points + 1] - group.start[points]
    start = np.concatenate([[0], np.cumsum(counts)])
    first = np.repeat(group.start[points] - start[:-1], counts)
    return start, group.seg[np.arange(int(start[-1])) + first]
