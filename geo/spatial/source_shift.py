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
  points, evenly spread over the group), in the WGS 84 / UTM zone of the group's middle;
- a candidate shift is scored by the *residual*: the mean, over the sampled points moved by
  it, of their distance to the nearest network edge, capped at :data:`CAP_M` (a point off the
  network counts the cap, whatever road lies further away: a capped mean, robust to the works
  on roads the network lacks), plus :data:`TIE_BREAK_M_PER_M` per metre of shift, so that when
  the works leave a component of the shift open (a group all on east-west roads) the shortest
  vector wins. A median would not do: a shift mostly along the roads (a file moved 26 m east
  in a city of east-west streets) leaves most points on their road, and shows only on the
  cross streets and the north-south roads, which the median ignores;
- candidates on a grid :data:`COARSE_STEP_M` apart within ``max_shift_m`` (the setting
  ``network_offset_m``), on :data:`COARSE_POINTS` of the points, then two finer grids around
  the best on all of them;
- the shift is *applied* only when it is clearly better than none: the residual drops by at
  least :data:`MIN_GAIN_M` (about one point in six moved from off the network onto it) to at
  most :data:`MAX_RESIDUAL_M`. A group already on the network has a residual of 2-3 m (its
  digitising noise), which no shift lowers by that much; its estimate stops after measuring
  the unshifted residual when that is below :data:`MIN_GAIN_M` twice over.

The matcher then matches the shifted lines (:func:`geo.spatial.linematch.locate_on_network`,
``sources``); the records' own geometries are never changed.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import shapely

from geo.spatial.crs import MIN_M_PER_DEG, to_degrees, to_metric, utm_epsg_array
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
    "SHIFT_COLUMNS",
    "SOURCE_COLUMNS",
    "TIE_BREAK_M_PER_M",
    "estimate_shifts",
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
SAMPLE_POINTS = 4_000
#: The coarse search scores every candidate shift on this many of the points.
COARSE_POINTS = 1_000
#: Candidate shifts of the coarse search lie this many metres apart; the two finer searches
#: around the best take a quarter and a sixteenth of it.
COARSE_STEP_M = 4.0
#: A sampled point's distance to the network counts at most this much (metres): a point off the
#: network is off it, whichever road lies further away.
CAP_M = 10.0
#: A shift is applied only when it brings the residual (capped mean distance, metres) down to
#: this or less: 3-5 m of digitising noise give 2-4 m, a group half off the network 6 m.
MAX_RESIDUAL_M = 5.0
#: ... and lowers the residual by at least this many metres (with :data:`CAP_M` 10 m: at least
#: about one sampled point in six brought from off the network onto it).
MIN_GAIN_M = 1.5
#: Metres of residual one metre of shift costs, so that the shortest of equally good shifts wins.
TIE_BREAK_M_PER_M = 0.01

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
        was searched), ``shift_m`` (its length), ``residual_m`` (median distance of its points
        to the network after that shift, each capped at :data:`CAP_M`; the mean of the
        capped distances), ``unshifted_m`` (the same
        without shift) and ``applied`` (the shift is clearly better than none:
        :data:`MIN_GAIN_M`, :data:`MAX_RESIDUAL_M`).
    """
    lines_deg = np.asarray(lines_deg, dtype=object)
    keys = np.array(["" if s is None else str(s) for s in np.asarray(sources, dtype=object)])
    usable = (
        np.isin(shapely.get_type_id(lines_deg), (1, 5))
        & ~shapely.is_empty(lines_deg)
        & (keys != "")
    )
    rows = []
    if usable.any() and network.n_edges and max_shift_m > 0:
        which = np.flatnonzero(usable)
        names, group, counts = np.unique(keys[which], return_inverse=True, return_counts=True)
        for g in np.flatnonzero(counts >= MIN_SOURCE_WORKS):
            members = which[group == g]
            found = _estimate(network, lines_deg[members], float(max_shift_m))
            rows.append({"source": names[g], "works": len(members)} | found)
    frame = pd.DataFrame(rows, columns=list(SHIFT_COLUMNS))
    return frame.astype({"works": np.int64, "applied": bool})


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
    if not unshifted >= 2 * MIN_GAIN_M:  # nothing to gain (or nothing sampled): no search
        return {"dx_m": 0.0, "dy_m": 0.0, "shift_m": 0.0, "residual_m": unshifted,
                "unshifted_m": unshifted, "applied": False}  # fmt: skip
    coarse = every[np.linspace(0, len(every) - 1, min(COARSE_POINTS, len(every))).astype(int)]
    best = np.zeros(2)
    step, radius, points = COARSE_STEP_M, max_shift_m, coarse
    for _ in range(3):
        shifts = _grid(best, radius, step, max_shift_m)
        scores = residual(points, shifts) + TIE_BREAK_M_PER_M * np.hypot(*shifts.T)
        best = shifts[int(np.argmin(scores))]
        step, radius, points = step / 4.0, step, every
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
    lines_m = shapely.segmentize(to_metric(lines_deg, zone), SAMPLE_STEP_M)
    xy = shapely.get_coordinates(lines_m)
    if len(xy) > SAMPLE_POINTS:
        xy = xy[np.linspace(0, len(xy) - 1, SAMPLE_POINTS).astype(int)]
    reach_m = max_shift_m + CAP_M
    graph = network.graph
    box = shapely.bounds(lines_deg)
    pad = reach_m / MIN_M_PER_DEG * 1.5
    boxes = shapely.box(box[:, 0] - pad, box[:, 1] - pad, box[:, 2] + pad, box[:, 3] + pad)
    near = np.unique(graph.tree.query(boxes)[1])
    edges_m = np.array(graph.edges_m[near], dtype=object)
    other = graph.zone[near] != zone
    if other.any():
        edges_m[other] = to_metric(graph.edges_deg[near[other]], zone)
    exy, owner = shapely.get_coordinates(edges_m, return_index=True)
    same = owner[1:] == owner[:-1]
    a, b = exy[:-1][same], exy[1:][same]
    segments = np.empty(0, dtype=object)
    if len(a):
        ends_xy = np.stack([a, b], axis=1).reshape(-1, 2)
        segments = shapely.linestrings(ends_xy, indices=np.repeat(np.arange(len(a)), 2))
    pi, si = shapely.STRtree(segments).query(
        shapely.points(xy), predicate="dwithin", distance=reach_m
    )
    order = np.lexsort((si, pi))
    pi, si = pi[order], si[order]
    start = np.searchsorted(pi, np.arange(len(xy) + 1))

    def column(values: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(values, dtype=float)

    ends = (column(a[:, 0]), column(a[:, 1]), column(b[:, 0]), column(b[:, 1]))
    return _Group(zone, column(xy[:, 0]), column(xy[:, 1]), start, si, ends)


def _pairs_of(group: _Group, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The CSR ``start``, ``seg`` of the segments near each of ``points`` (positions)."""
    counts = group.start[points + 1] - group.start[points]
    start = np.concatenate([[0], np.cumsum(counts)])
    first = np.repeat(group.start[points] - start[:-1], counts)
    return start, group.seg[np.arange(int(start[-1])) + first]
