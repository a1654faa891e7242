"""Match a drawn road line to the edges of a road network it follows (subline matching).

An agency's line is rarely on the reference network: another basemap puts it 20-40 m off, its
vertices are sparser or noisier, and it may cover only part of a ruas or run past the network's
end. This module finds, for each drawn line, the stretches of network edges it follows, as map
matching does for GPS traces (Newson & Krumm 2009, a hidden Markov model solved by Viterbi):

- the line is sampled every ``step_m``; each sample's *candidates* are the edges within
  ``max_offset_m`` running in its direction (within ``max_angle_deg``, either way; the
  direction of ``heading_m`` of the line around it, so that digitising noise does not turn it)
  and on its deck (:mod:`geo.spatial.deck`: a line on an elevated road never matches the road
  beneath);
- a candidate costs ``(offset / sigma)^2 / 2`` with ``sigma = max_offset_m / 2`` (a systematic
  shift up to ``max_offset_m`` is tolerated), and moving from one sample's candidate to the
  next one's costs ``|network distance - distance along the line| / beta_m``, so the path
  follows the network's topology: it does not jump to a parallel road that is not connected
  within reach (a service road, the other carriageway of a divided road);
- a sample may also be *unmatched* (no edge within reach, or the line leaves the network), at a
  fixed cost; unmatched parts are reported, never forced onto a road.

The result per line is the list of edge pieces it follows (edge, from, to in metres along the
edge) and its match quality (mean and largest offset, matched share). Turning edge pieces into
ruas and chainage is the network model's job.

One line alone cannot tell a drawing shifted onto the road beside it (a frontage road, the
other carriageway) from a work on that road; the works of one agency file, shifted together,
can. Given each line's source, :func:`locate_on_network` estimates the systematic shift of the
sources whose lines lie off the network and matches their lines again with it removed
(:mod:`geo.spatial.source_shift`).

Lines are matched all at once (:mod:`geo.spatial._linematch_batch`, loops compiled in
:mod:`geo.spatial._linematch_loops`): lines and the edges near them are reprojected once per
UTM zone, sampled and given their candidates in one pass. Most lines need no graph search: when
the edges near a line form a forest (no loop: no service road joined at both ends, no divided
road joined by its crossings) and its candidate edges lie on one chain per tree, the shortest
way between two candidates is along that chain, so the transition costs and the pieces are
read off the chain. Only the other lines build their local graph and its shortest distances
(:mod:`geo.spatial._linematch_hmm`). Both kinds take the same Viterbi path through the same
costs, so a line gets the same answer either way, and the same as matched on its own
(``tests/geo/spatial/test_linematch.py``); 100,000 works are located on a 500,000-edge network
in under a minute (``bench/bench_locate_scale.py``).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import shapely

from geo.spatial._linematch_batch import Matched, match_all
from geo.spatial._linematch_hmm import (
    _assemble,
    _candidates,
    _local_graph,
    _samples,
    _viterbi,
)
from geo.spatial.crs import MIN_M_PER_DEG, to_degrees, to_metric, utm_epsg_array
from geo.spatial.deck import deck_of
from geo.spatial.network import RoadNetwork
from geo.spatial.source_shift import (
    SHIFT_COLUMNS,
    estimate_shifts,
    shift_lines,
    sources_off_network,
)

__all__ = [
    "LOCATED_COLUMNS",
    "LineMatch",
    "DIGITISING_NOISE_M",
    "MatchSettings",
    "match_settings",
    "compile_loops",
    "locate_on_network",
    "located_intervals",
    "edge_road_rows",
    "match_lines",
    "merge_intervals",
    "unlocated",
]


@dataclasses.dataclass(frozen=True)
class MatchSettings:
    """How lines are matched to the network.

    Parameters
    ----------
    max_offset_m
        Farthest a sample may lie from the edge it is matched to (metres): the systematic shift
        of another basemap plus digitising noise.
    step_m
        Sampling interval along each line (metres).
    max_angle_deg
        Largest angle between the line and an edge it follows (either direction).
    beta_m
        Metres of disagreement between the network distance and the distance along the line
        that cost as much as one unit of offset cost.
    gap_cost
        Cost of starting or ending an unmatched stretch (in the same units).
    candidates
        Nearest candidate edges kept per sample.
    max_shift_m
        Longest systematic shift of a source's drawings looked for (metres) when lines are
        located with their sources (:func:`locate_on_network`, ``sources``;
        :mod:`geo.spatial.source_shift`).
    heading_m
        Length of drawn line (metres, centred on a sample; the first or last ``heading_m`` at
        its ends) over which a sample's heading is measured, for ``max_angle_deg``. Long enough
        that digitising noise (a vertex drawn a few metres off every 15-40 m) does not turn a
        sample across its road, which would leave it with no candidate on the road or only a
        crossing street (and carry the path along that street onto the road beside);
        short enough to follow a bend.
    """

    max_offset_m: float = 40.0
    step_m: float = 20.0
    max_angle_deg: float = 45.0
    beta_m: float = 10.0
    gap_cost: float = 3.0
    candidates: int = 6
    max_shift_m: float = 40.0
    heading_m: float = 20.0


#: Digitising noise (metres) allowed on top of a systematic offset: a drawing shifted by the
#: whole ``network_offset_m`` still has vertices a few metres further out.
DIGITISING_NOISE_M = 10.0


def match_settings(network_offset_m: float) -> MatchSettings:
    """:class:`MatchSettings` for drawings shifted up to ``network_offset_m`` (metres,
    :attr:`geo.settings.Settings.network_offset_m`) plus :data:`DIGITISING_NOISE_M`.

    >>> match_settings(40.0).max_offset_m
    50.0
    """
    return MatchSettings(
        max_offset_m=float(network_offset_m) + DIGITISING_NOISE_M,
        max_shift_m=float(network_offset_m),
    )


_PIECE_COLUMNS = ("edge", "from_m", "to_m", "lon_from", "lat_from", "lon_to", "lat_to")


@dataclasses.dataclass(frozen=True)
class LineMatch:
    """Where one drawn line lies on the network.

    Attributes
    ----------
    pieces
        ``edge``, ``from_m``, ``to_m`` (metres along the edge, from its first vertex), in the
        order the line follows them, and the ends of each piece in degrees (``lon_from``,
        ``lat_from``, ``lon_to``, ``lat_to``).
    offset_mean_m, offset_max_m
        Distance from the matched samples to their edges (NaN when nothing matched).
    matched_share
        Share (0-1) of the line's length that follows the network.
    """

    pieces: pd.DataFrame
    offset_mean_m: float
    offset_max_m: float
    matched_share: float


def match_lines(
    lines_deg: np.ndarray,
    edges_deg: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    *,
    line_decks: np.ndarray | None = None,
    edge_decks: np.ndarray | None = None,
    settings: MatchSettings | None = None,
) -> list[LineMatch]:
    """Match each line (EPSG:4326) to the network edges it follows.

    Parameters
    ----------
    lines_deg
        LineStrings or MultiLineStrings in EPSG:4326 (other geometries match nothing).
    edges_deg
        The network's edges, LineStrings in EPSG:4326, split at every junction.
    u, v
        Node number at each edge's first and last vertex (edges sharing a node connect).
    line_decks, edge_decks
        Deck of each line and edge (:func:`geo.spatial.deck.deck_of`), or None: all at ground.
    settings
        :class:`MatchSettings`; the defaults when None.

    Returns
    -------
    list of LineMatch
        One per line, in order.
    """
    matched = match_all(
        np.asarray(lines_deg, dtype=object),
        np.asarray(edges_deg, dtype=object),
        u,
        v,
        line_decks=line_decks,
        edge_decks=edge_decks,
        settings=settings or MatchSettings(),
    )
    return _as_list(matched, len(lines_deg))


def _as_list(matched: Matched, n_lines: int) -> list[LineMatch]:
    bounds = np.searchsorted(matched.piece_line, np.arange(n_lines + 1))
    out = []
    for k in range(n_lines):
        rows = slice(bounds[k], bounds[k + 1])
        frame = pd.DataFrame(
            {
                "edge": matched.piece_edge[rows],
                **{c: getattr(matched, c)[rows] for c in _PIECE_COLUMNS[1:]},
            }
        )
        out.append(
            LineMatch(
                frame,
                float(matched.offset_mean_m[k]),
                float(matched.offset_max_m[k]),
                float(matched.matched_share[k]),
            )
        )
    return out


def compile_loops() -> None:
    """Compile the matcher's loops now (some seconds the first time), into the cache
    (:func:`geo.settings.numba_cache_dir`) later processes load them from.

    Setup calls it, so that the first works located do not wait for the compiler (the
    estimate of a source's shift, :mod:`geo.spatial.source_shift`, included).
    """
    road = shapely.LineString([(103.600, -1.6), (103.605, -1.6), (103.610, -1.6)])
    work = shapely.LineString([(103.601, -1.6001), (103.609, -1.6001)])
    edges = np.array([road], dtype=object)
    from geo.spatial import _shift_loops

    zero, one = np.zeros(1), np.ones(1)
    _shift_loops.capped_means(
        zero, zero, np.array([0, 1]), np.zeros(1, dtype=np.int64), zero, zero, one, zero,
        np.zeros((1, 2)), 10.0,
    )  # fmt: skip
    for fast in (True, False):
        match_all(
            np.array([work], dtype=object),
            edges,
            np.array([0]),
            np.array([1]),
            line_decks=None,
            edge_decks=None,
            settings=MatchSettings(),
            fast=fast,
        )


def _match_lines_one_by_one(
    lines_deg, edges_deg, u, v, *, line_decks=None, edge_decks=None, settings=None
) -> list[LineMatch]:
    """`match_lines` one line at a time, as it was first written: the reference the batched
    matcher is checked against (tests) and measured against (``bench/bench_locate_scale.py``)."""
    settings = settings or MatchSettings()
    edges_deg = np.asarray(edges_deg, dtype=object)
    u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
    line_decks = np.zeros(len(lines_deg), np.int8) if line_decks is None else line_decks
    edge_decks = np.zeros(len(edges_deg), np.int8) if edge_decks is None else edge_decks
    tree = shapely.STRtree(edges_deg)
    reach_deg = settings.max_offset_m / MIN_M_PER_DEG * 1.5
    out = []
    for line, deck in zip(lines_deg, line_decks, strict=True):
        near = np.sort(tree.query(line, predicate="dwithin", distance=reach_deg))
        near = near[edge_decks[near] == deck] if len(near) else near
        out.append(_match_one(line, near, edges_deg, u, v, settings))
    return out


def _nothing() -> LineMatch:
    empty = {c: pd.Series(dtype=float) for c in _PIECE_COLUMNS[1:]}
    return LineMatch(
        pd.DataFrame({"edge": pd.Series(dtype=np.int64), **empty}),
        float("nan"),
        float("nan"),
        0.0,
    )


def _match_one(line, near, edges_deg, u, v, settings: MatchSettings) -> LineMatch:
    if line is None or shapely.is_empty(line) or shapely.get_type_id(line) not in (1, 5):
        return _nothing()
    centre = shapely.centroid(line)
    zone = int(utm_epsg_array(np.array([centre.x]), np.array([centre.y]))[0])
    line_m = to_metric(np.array([line], dtype=object), zone)[0]
    if not len(near):
        return _nothing()
    edges_m = to_metric(edges_deg[near], zone)
    samples, along, heading, part_of = _samples(line_m, settings.step_m, settings.heading_m)
    cand = _candidates(samples, heading, edges_m, settings)
    graph = _local_graph(near, edges_m, u, v)
    states = _viterbi(cand, along, part_of, graph, settings)
    pieces, matched_m = _assemble(
        states, cand.edge, cand.pos_m, along, part_of, graph, settings.step_m
    )
    local = np.array([p[0] for p in pieces], dtype=np.int64)
    columns: dict[str, np.ndarray] = {
        "edge": near[local],
        "from_m": np.array([p[1] for p in pieces], dtype=float),
        "to_m": np.array([p[2] for p in pieces], dtype=float),
    }
    for end in ("from", "to"):
        points = shapely.line_interpolate_point(edges_m[local], columns[f"{end}_m"])
        lon_lat = shapely.get_coordinates(to_degrees(points, zone)).reshape(-1, 2)
        columns[f"lon_{end}"], columns[f"lat_{end}"] = lon_lat[:, 0], lon_lat[:, 1]
    total = along[-1] if len(along) else 0.0
    ok = states >= 0
    offsets = cand.offset_m[states[ok]]
    return LineMatch(
        pd.DataFrame(columns),
        float(offsets.mean()) if len(offsets) else float("nan"),
        float(offsets.max()) if len(offsets) else float("nan"),
        float(matched_m / total) if total > 0 else float(ok.any()),
    )


#: Columns of :func:`locate_on_network`'s table.
LOCATED_COLUMNS: tuple[str, ...] = (
    "line",
    "ruas",
    "ruas_id",
    "ruas_name",
    "from_m",
    "to_m",
    "offset_mean_m",
    "offset_max_m",
    "matched_share",
    "method",
    "shift_m",
)


def locate_on_network(
    network: RoadNetwork,
    lines_deg: np.ndarray,
    *,
    decks: np.ndarray | None = None,
    settings: MatchSettings | None = None,
    sources: np.ndarray | None = None,
    shifts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Where each drawn line lies on the network: intervals of ruas chainage.

    Parameters
    ----------
    network
        The reference road network; its ruas give the chainage (from each ruas's start, in
        metres). Road features without a code or name, or a ruas that is not one line, are
        counted along each edge instead (``ruas`` ``"edge:N"``).
    lines_deg
        LineStrings or MultiLineStrings in EPSG:4326.
    decks
        Deck of each line (:func:`geo.spatial.deck.deck_of`), or None: all at ground level.
        The network's decks come from its ``name`` and ``deck``/``layer`` columns.
    settings
        :class:`MatchSettings`; the defaults when None.
    sources
        The source of each line (:func:`geo.spatial.source_shift.source_keys`: the agency and
        the file it drew in), or None. With it, the systematic shift of every source with
        enough lines is estimated (up to ``settings.max_shift_m``) and, where it is clearly
        better than none, removed from its lines before they are matched
        (:mod:`geo.spatial.source_shift`); the lines given are not changed.
    shifts
        Shifts already known (:data:`geo.spatial.source_shift.SHIFT_COLUMNS`, e.g. estimated
        from all of a source's works in a store when only a few of them are located here:
        :func:`geo.analyse.locations.located_shifts`), or None. A source named in it is not
        estimated again: its shift is removed when ``applied``, none otherwise. Only used with
        ``sources``.

    Returns
    -------
    pandas.DataFrame
        :data:`LOCATED_COLUMNS`: one row per interval (``line`` is the position in
        ``lines_deg``; ``ruas`` a key, ``"ruas:G"`` or ``"edge:N"``; ``from_m <= to_m``), and
        one row with no ruas and ``matched_share`` 0 for a line that matched nothing;
        ``method`` is ``"line match"``; ``shift_m`` the length of the shift of its source
        removed from the line before matching (metres; 0: none). ``offset_mean_m`` and
        ``offset_max_m`` are measured *after* that shift: the distance from the shifted line's
        samples to the edges they matched (the line as drawn lies up to ``shift_m`` further
        off).
    """
    graph = network.graph
    roads = network.roads
    edge_row = edge_road_rows(network)
    names = roads["name"] if "name" in roads.columns else pd.Series([""] * len(roads))
    stated = next((roads[c] for c in ("deck", "layer") if c in roads.columns), None)
    edge_decks = deck_of(
        names.reset_index(drop=True), None if stated is None else stated.reset_index(drop=True)
    )[edge_row]
    lines_deg = np.asarray(lines_deg, dtype=object)
    settings = settings or MatchSettings()

    def match(lines: np.ndarray, line_decks: np.ndarray | None) -> Matched:
        return match_all(
            lines,
            graph.edges_deg,
            graph.u,
            graph.v,
            line_decks=line_decks,
            edge_decks=edge_decks,
            settings=settings,
            tree=graph.tree,
            edges_m=graph.edges_m,
            edge_zone=graph.zone,
        )

    matched = match(lines_deg, decks)
    located = located_intervals(network, matched, len(lines_deg), edge_row=edge_row)
    if sources is None:
        return located
    # Only the sources whose works lie off the network as drawn are searched for a shift, and
    # only the lines of a source whose shift is applied are matched again.
    sources = np.asarray(sources, dtype=object)
    known = pd.DataFrame(columns=list(SHIFT_COLUMNS)) if shifts is None else shifts
    known = known[known["source"].isin(sources)].astype({"applied": bool})
    off_network = sources_off_network(sources, matched.offset_mean_m, matched.matched_share)
    searched = np.where(
        np.isin(sources, off_network) & ~np.isin(sources, known["source"].to_numpy()), sources, ""
    )
    found = estimate_shifts(network, lines_deg, searched, max_shift_m=settings.max_shift_m)
    moved, shift_m = shift_lines(lines_deg, sources, pd.concat([known, found], ignore_index=True))
    again = np.flatnonzero(shift_m > 0)
    if not len(again):
        return located
    decks_again = None if decks is None else np.asarray(decks)[again]
    rematched = located_intervals(
        network,
        match(moved[again], decks_again),
        len(again),
        edge_row=edge_row,
        shift_m=shift_m[again],
    )
    rematched["line"] = again[rematched["line"].to_numpy(dtype=np.int64)]
    kept = located[~located["line"].isin(again)]
    out = pd.concat([kept, rematched], ignore_index=True)
    return out.sort_values(["line", "from_m"], kind="stable").reset_index(drop=True)


def edge_road_rows(network: RoadNetwork) -> np.ndarray:
    """Per edge of the network's graph, its road: the row of ``network.roads`` it is part of."""
    geoms = np.asarray(network.roads.geometry.array, dtype=object)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    return owner[shapely.length(parts) > 0][network.graph.part]


def located_intervals(
    network: RoadNetwork,
    matched: Matched,
    n_lines: int,
    *,
    edge_row: np.ndarray | None = None,
    shift_m: np.ndarray | None = None,
) -> pd.DataFrame:
    """:data:`LOCATED_COLUMNS` of lines whose pieces of network edges are ``matched``: each
    piece in chainage of its ruas (or along its edge, ``edge:N``), merged per line and ruas.

    ``edge_row`` is the road row of every edge of the network's graph (computed when None);
    ``method`` is ``"line match"``; ``shift_m`` the shift removed from each line before it was
    matched (metres; None: none).
    """
    if edge_row is None:
        edge_row = edge_road_rows(network)
    frame = _intervals(network.ruas, edge_row, matched, n_lines)
    frame["shift_m"] = (
        0.0 if shift_m is None else np.asarray(shift_m, float)[frame["line"].to_numpy(np.int64)]
    )
    located = frame[frame["ruas"] != ""]
    merged = merge_intervals(
        located.rename(columns={"line": "work"})[["work", "ruas", "from_m", "to_m"]]
    ).rename(columns={"work": "line"})
    keep = located.drop_duplicates(["line", "ruas"]).drop(columns=["from_m", "to_m"])
    merged = merged.merge(keep, on=["line", "ruas"], how="left")
    out = pd.concat([merged, frame[frame["ruas"] == ""]], ignore_index=True)
    return out.sort_values(["line", "from_m"], kind="stable").reset_index(drop=True)[
        list(LOCATED_COLUMNS)
    ]


def _intervals(ruas, edge_row: np.ndarray, matched: Matched, n_lines: int) -> pd.DataFrame:
    """One row per matched piece, in chainage of its ruas where the ruas is one line (else
    along its edge, ``edge:N``), and one row without a ruas per line that matched nothing."""
    line, edge = matched.piece_line, matched.piece_edge
    group = ruas.of_row[edge_row[edge]] if len(ruas.of_row) else np.full(len(edge), -1)
    one_line = np.array([g is not None for g in ruas.line_m], dtype=bool)
    on_ruas = (group >= 0) & (one_line[np.maximum(group, 0)] if len(one_line) else False)
    lo, hi = matched.from_m.copy(), matched.to_m.copy()
    zones = ruas.zone[group[on_ruas]] if len(ruas.zone) else np.zeros(0, dtype=np.int64)
    rows = np.flatnonzero(on_ruas)
    for z in np.unique(zones):
        members = rows[zones == z]
        for end, out in (("from", lo), ("to", hi)):
            lon, lat = getattr(matched, f"lon_{end}"), getattr(matched, f"lat_{end}")
            points = to_metric(shapely.points(lon[members], lat[members]), int(z))
            out[members] = shapely.line_locate_point(ruas.line_m[group[members]], points)
    key = np.where(
        on_ruas,
        np.char.add("ruas:", group.astype(str)),
        np.char.add("edge:", edge.astype(str)),
    ).astype(object)
    shown = np.maximum(group, 0)
    quality = {
        "offset_mean_m": matched.offset_mean_m,
        "offset_max_m": matched.offset_max_m,
        "matched_share": matched.matched_share,
    }
    pieces = pd.DataFrame(
        {
            "line": line,
            "ruas": key,
            "ruas_id": np.where(on_ruas, ruas.road_id[shown] if len(ruas.zone) else "", ""),
            "ruas_name": np.where(on_ruas, ruas.name[shown] if len(ruas.zone) else "", ""),
            "from_m": np.minimum(lo, hi),
            "to_m": np.maximum(lo, hi),
            **{c: q[line] for c, q in quality.items()},
            "method": "line match",
            "shift_m": 0.0,
        }
    )
    nothing = np.setdiff1d(np.arange(n_lines), line)
    empty = unlocated(nothing, "line match", **{c: q[nothing] for c, q in quality.items()})
    frame = pd.concat([pieces, empty], ignore_index=True)
    return frame.astype({"ruas": str, "ruas_id": str, "ruas_name": str})[list(LOCATED_COLUMNS)]


def unlocated(
    lines: np.ndarray,
    method: str | np.ndarray,
    *,
    offset_mean_m: float | np.ndarray = np.nan,
    offset_max_m: float | np.ndarray = np.nan,
    matched_share: float | np.ndarray = 0.0,
    shift_m: float | np.ndarray = 0.0,
) -> pd.DataFrame:
    """:data:`LOCATED_COLUMNS` rows without a ruas for ``lines`` located nowhere."""
    return pd.DataFrame(
        {
            "line": lines,
            "ruas": "",
            "ruas_id": "",
            "ruas_name": "",
            "from_m": np.nan,
            "to_m": np.nan,
            "offset_mean_m": offset_mean_m,
            "offset_max_m": offset_max_m,
            "matched_share": matched_share,
            "method": method,
            "shift_m": shift_m,
        }
    )


def merge_intervals(intervals: pd.DataFrame) -> pd.DataFrame:
    """Each work's intervals on each ruas as disjoint, sorted intervals (touching ones joined).

    Parameters
    ----------
    intervals
        ``work`` (any key), ``ruas`` (any key), ``from_m``, ``to_m`` (chainage in metres,
        either order).

    Returns
    -------
    pandas.DataFrame
        The same columns, ``from_m <= to_m``, sorted by work, ruas and chainage.
    """
    lo = np.minimum(intervals["from_m"], intervals["to_m"]).to_numpy(dtype=float)
    hi = np.maximum(intervals["from_m"], intervals["to_m"]).to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "work": intervals["work"].to_numpy(),
            "ruas": intervals["ruas"].to_numpy(),
            "lo": lo,
            "hi": hi,
        }
    ).sort_values(["work", "ruas", "lo"], kind="stable")
    key = (frame["work"].astype(str) + "\x1f" + frame["ruas"].astype(str)).to_numpy()
    # A new run starts where the key changes or the interval begins after every earlier end.
    reach = frame.groupby(key, sort=False)["hi"].cummax()
    before = reach.groupby(key, sort=False).shift()
    new = before.isna() | (frame["lo"] > before)
    run = new.cumsum().to_numpy()
    merged = frame.groupby(run, sort=False).agg(
        work=("work", "first"), ruas=("ruas", "first"), from_m=("lo", "min"), to_m=("hi", "max")
    )
    return merged.reset_index(drop=True)
