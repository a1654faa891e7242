"""Where each road work lies on the road network, as ruas chainage, and what uses it.

:func:`locate_road_projects` gives every road work its intervals ``(ruas, from_m, to_m)`` and
says how they were found (``method``):

- ``line match``: a drawn line, matched to the edges it follows
  (:func:`geo.spatial.linematch.locate_on_network`, up to ``network_offset_m`` away);
- ``start-end route``, ``ruas+STA``, ``point``: a record the reader placed on the network
  (its ``placed_by``, :data:`geo.schema.PLACED_BY`): its intervals are read straight off the
  roads it was placed on (:func:`geo.spatial.placed.locate_placed`), not matched again.

The authority check reads the status of a located work along its located stretches
(:func:`located_lines`), and the coverage gaps count the chainage covered per ruas
(:func:`covered_chainage`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analyse.overlap_network import ON_NETWORK_SHARE, counted, locate_roads, stretches
from geo.schema import PLACED_BY
from geo.settings import DEFAULT_SETTINGS, Settings
from geo.spatial.deck import deck_of
from geo.spatial.geometry import geometry_kind
from geo.spatial.linematch import match_settings, merge_intervals
from geo.spatial.network import SIMPLIFY_M, RoadNetwork
from geo.spatial.placed import locate_placed
from geo.spatial.source_shift import (
    MIN_SOURCE_WORKS,
    SHIFT_COLUMNS,
    estimate_shifts,
    source_keys,
)

__all__ = [
    "as_counted",
    "LINE_MATCH",
    "LOCATED_TOLERANCE_M",
    "LOCATE_METHODS",
    "covered_chainage",
    "located_lines",
    "located_shifts",
    "locate_road_projects",
    "road_decks",
]

#: ``method`` of a drawn line matched to the network.
LINE_MATCH = "line match"
#: Every ``method`` a located interval may carry.
LOCATE_METHODS: tuple[str, ...] = (LINE_MATCH, *PLACED_BY)
#: A road work located on the network is measured along its located stretches, which lie on
#: their ruas: a network road counts for them within this many metres (twice the 1 m the status
#: pieces are simplified by), so a road beside the ruas (a frontage road, the other
#: carriageway, an elevated road) does not.
LOCATED_TOLERANCE_M = 2.0 * SIMPLIFY_M


def locate_road_projects(
    projects: gpd.GeoDataFrame,
    network: RoadNetwork,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    shifts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Where each road project lies on ``network``, as ruas chainage, and how it was found.

    Parameters
    ----------
    projects
        Canonical project records in EPSG:4326; ``placed_by`` (optional) says how the reader
        placed a record on the network (:data:`geo.schema.PLACED_BY`).
    network
        The reference road network.
    settings
        ``network_offset_m``: how far a drawn road may lie from the road it follows.
    shifts
        The shifts of sources already known (:func:`located_shifts` of a whole store), or None:
        a source named there is not estimated again from its works among ``projects``.

    Returns
    -------
    pandas.DataFrame
        :data:`geo.spatial.linematch.LOCATED_COLUMNS` plus ``work``, the position of the
        project in ``projects``: one row per interval, one row without a ruas for a road that
        was located nowhere. ``method`` is :data:`LINE_MATCH` for drawn lines, else how the
        reader placed the record, or ``point`` for a road work given as one point (the
        chainage of the nearest road within the matcher's reach, its distance as the offset).
        Road lines and road points have rows; other projects none. A placed record found on no road of ``network`` (a network changed since it was
        read) is matched as a drawn line. ``shift_m`` is the systematic shift of the drawn
        line's source (agency, upload, file, layer) removed before it was matched
        (:mod:`geo.spatial.source_shift`; 0 for placed records and points), estimated from
        the works of that source among ``projects`` unless ``shifts`` names it: a few of a
        source's works located apart from the rest may get no shift where all of them together
        would.
    """
    projects = projects.reset_index(drop=True)
    kinds = geometry_kind(np.asarray(projects.geometry.values, dtype=object))
    is_road = projects["asset_type"].to_numpy() == "road"
    placed_by = _placed_by(projects)
    placed = np.flatnonzero(
        is_road & np.isin(placed_by, PLACED_BY) & np.isin(kinds, ["line", "point"])
    )
    found = _locate_placed(projects, placed, placed_by, network)
    points = np.flatnonzero(is_road & (kinds == "point") & ~np.isin(placed_by, PLACED_BY))
    found = pd.concat(
        [found, _locate_points(projects, points, network, settings)], ignore_index=True
    )
    unplaced = np.setdiff1d(placed, found["work"][found["ruas"] != ""].to_numpy(dtype=np.int64))
    drawn = np.flatnonzero(is_road & (kinds == "line"))
    drawn = drawn[~np.isin(drawn, placed) | np.isin(drawn, unplaced)]
    found = found[~found["work"].isin(unplaced)]
    decks = np.zeros(len(projects), dtype=np.int8)
    decks[drawn] = road_decks(projects, drawn)
    matched = locate_roads(projects, drawn, decks, network, settings=settings, shifts=shifts)
    located = pd.concat([matched, found], ignore_index=True) if len(found) else matched
    return located.sort_values(["work", "from_m"], kind="stable").reset_index(drop=True)


def located_shifts(
    projects: gpd.GeoDataFrame,
    locations: pd.DataFrame,
    network: RoadNetwork,
    *,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """The systematic shift of each source, as an analysis of all of ``projects`` located them:
    for a check that locates only some of them (an upload and the stored works near it).

    Parameters
    ----------
    projects
        Canonical project records in EPSG:4326 (a whole store, or the selection analysed).
    locations
        Where an analysis located them (``agency``, ``project_id``, ``method``, ``shift_m``:
        :data:`geo.analyse.run.LOCATION_COLUMNS`), possibly of an earlier version of them.
    network
        The network they were located on.
    settings
        ``network_offset_m``: the longest shift.

    Returns
    -------
    pandas.DataFrame
        :data:`geo.spatial.source_shift.SHIFT_COLUMNS`, one row per source
        (:func:`geo.spatial.source_shift.source_keys`) of at least
        :data:`geo.spatial.source_shift.MIN_SOURCE_WORKS` drawn road works located by line
        match: the source's works located shifted, its vector estimated again from all of them
        in ``projects`` (the same lines, the same vector as the analysis found: about 10 ms a
        source), else no shift (``applied`` False). Give it to :func:`locate_road_projects`
        (``shifts``).
    """
    geoms = np.asarray(projects.geometry.values, dtype=object)
    line_matched = locations[locations["method"] == LINE_MATCH]
    keys = pd.MultiIndex.from_frame(projects[["agency", "project_id"]].astype(str))

    def among(rows: pd.DataFrame) -> np.ndarray:
        return keys.isin(pd.MultiIndex.from_frame(rows[["agency", "project_id"]].astype(str)))

    drawn = (
        (projects["asset_type"].to_numpy() == "road")
        & (geometry_kind(geoms) == "line")
        & among(line_matched)
    )
    sources = np.where(drawn, source_keys(projects), "")
    shifted = np.unique(sources[drawn & among(line_matched[line_matched["shift_m"] > 0])])
    estimated = estimate_shifts(
        network,
        geoms,
        np.where(np.isin(sources, shifted), sources, ""),
        max_shift_m=settings.network_offset_m,
    )
    names, counts = np.unique(sources[sources != ""], return_counts=True)
    unshifted = names[(counts >= MIN_SOURCE_WORKS) & ~np.isin(names, shifted)]
    none = pd.DataFrame(
        {
            "source": unshifted,
            "works": counts[np.isin(names, unshifted)],
            "dx_m": 0.0,
            "dy_m": 0.0,
            "shift_m": 0.0,
            "residual_m": np.nan,
            "unshifted_m": np.nan,
            "applied": False,
        },
        columns=list(SHIFT_COLUMNS),
    )
    return pd.concat([estimated, none], ignore_index=True).astype(
        {"works": np.int64, "applied": bool}
    )


def _placed_by(projects: pd.DataFrame) -> np.ndarray:
    """Per project how the reader placed it (``""`` when it did not)."""
    if "placed_by" not in projects.columns:
        return np.full(len(projects), "", dtype=object)
    values = projects["placed_by"]
    return values.where(values.notna(), "").astype(str).to_numpy(dtype=object)


def _locate_placed(
    projects: gpd.GeoDataFrame, placed: np.ndarray, placed_by: np.ndarray, network: RoadNetwork
) -> pd.DataFrame:
    located = locate_placed(
        network,
        np.asarray(projects.geometry.values, dtype=object)[placed],
        placed_by[placed],
    )
    located["work"] = placed[located["line"].to_numpy(dtype=np.int64)]
    return located


def _locate_points(
    projects: gpd.GeoDataFrame, points: np.ndarray, network: RoadNetwork, settings: Settings
) -> pd.DataFrame:
    """Road works given as one point (the geotagging rule for works under 500 m): the
    chainage of the nearest road within the matcher's reach, ``method`` ``point``."""
    geoms = np.asarray(projects.geometry.values, dtype=object)[points]
    lon, lat = shapely.get_x(geoms), shapely.get_y(geoms)
    reach_m = match_settings(settings.network_offset_m).max_offset_m
    snapped = network.snap(lon, lat, np.isfinite(lon) & np.isfinite(lat), snap_m=reach_m)
    on_road = shapely.points(snapped.lon, snapped.lat)
    on_road[snapped.edge < 0] = None
    located = locate_placed(network, on_road, np.full(len(points), "point", dtype=object))
    line = located["line"].to_numpy(dtype=np.int64)
    has_ruas = (located["ruas"] != "").to_numpy()
    offset = np.where(has_ruas, snapped.offset_m[line], np.nan)
    located["offset_mean_m"] = offset
    located["offset_max_m"] = offset
    located["work"] = points[line]
    return located


def road_decks(projects: gpd.GeoDataFrame, rows: np.ndarray) -> np.ndarray:
    """The deck of each of ``rows`` (:func:`geo.spatial.deck.deck_of`)."""
    stated = projects["deck"].iloc[rows] if "deck" in projects else None
    names = projects["name"] if "name" in projects else pd.Series("", index=projects.index)
    return deck_of(names.iloc[rows], stated)


def located_lines(located: pd.DataFrame, network: RoadNetwork, n_projects: int) -> np.ndarray:
    """Per project, the stretches of the network it is located on, or None.

    Parameters
    ----------
    located
        :func:`locate_road_projects` of the projects (positions ``work`` 0..n-1).
    network
        The network they were located on.
    n_projects
        How many projects there are.

    Returns
    -------
    numpy.ndarray of object
        Per project a LineString or MultiLineString in EPSG:4326: its intervals cut from their
        ruas (or edge), for a project located on the network for at least
        :data:`geo.analyse.overlap_network.ON_NETWORK_SHARE` of its length; None for the
        others (not located, located in part, points).
    """
    out = np.full(n_projects, None, dtype=object)
    share = located.groupby("work")["matched_share"].first()
    well = share.index[share.to_numpy() >= ON_NETWORK_SHARE].to_numpy(dtype=np.int64)
    rows = located[
        located["work"].isin(well) & (located["ruas"] != "") & (located["to_m"] > located["from_m"])
    ]
    if rows.empty:
        return out
    pieces = stretches(network, rows["ruas"].to_numpy(), rows["from_m"], rows["to_m"])
    work = rows["work"].to_numpy(dtype=np.int64)
    keep = ~shapely.is_missing(pieces) & ~shapely.is_empty(pieces)
    works, index = np.unique(work[keep], return_inverse=True)
    joined = shapely.multilinestrings(
        shapely.get_parts(pieces[keep]), indices=_part_index(pieces[keep], index)
    )
    out[works] = shapely.line_merge(joined)
    return out


def _part_index(pieces: np.ndarray, index: np.ndarray) -> np.ndarray:
    """The owner index of every part of ``pieces`` (each a LineString or MultiLineString)."""
    return np.repeat(index, shapely.get_num_geometries(pieces))


def covered_chainage(located: pd.DataFrame, *, by: str = "ruas") -> pd.DataFrame:
    """The chainage of each ruas covered by road works: their located intervals, united.

    Parameters
    ----------
    located
        :func:`locate_road_projects` (or :attr:`geo.analyse.run.Analysis.locations`): the
        column ``by``, ``from_m``, ``to_m``.
    by
        The column naming the ruas: ``ruas`` (the network's key, which tells apart ruas
        sharing a code and the edges of roads without one) or ``ruas_id`` (the kode ruas).

    Returns
    -------
    pandas.DataFrame
        ``ruas`` (the values of ``by``), ``from_m``, ``to_m`` (metres), disjoint and sorted per
        ruas; intervals of no length (points) and without a ruas are left out.

    Examples
    --------
    >>> covered_chainage(pd.DataFrame({"ruas": ["N-1", "N-1", "N-2", "N-1"],
    ...     "from_m": [0.0, 500.0, 100.0, 2000.0], "to_m": [800.0, 1200.0, 100.0, 2500.0]}))
      ruas  from_m    to_m
    0  N-1     0.0  1200.0
    1  N-1  2000.0  2500.0
    """
    key = by
    rows = located[(located[key].astype(str) != "") & (located["to_m"] > located["from_m"])]
    merged = merge_intervals(
        pd.DataFrame(
            {
                "work": 0,
                "ruas": rows[key].astype(str).to_numpy(),
                "from_m": rows["from_m"].to_numpy(dtype=float),
                "to_m": rows["to_m"].to_numpy(dtype=float),
            }
        )
    )
    return merged[["ruas", "from_m", "to_m"]].reset_index(drop=True)


def as_counted(located: pd.DataFrame, network: RoadNetwork, *, from_end: bool) -> pd.DataFrame:
    """``located`` with its chainage as the agencies count it: from each ruas start, as
    located, or (``from_end``, :attr:`geo.settings.Settings.chainage_from` ``end``) from its
    other end. Intervals along an edge of a road without a ruas (``edge:N``) are kept.

    Parameters
    ----------
    located
        :func:`locate_road_projects` rows: ``ruas`` (``ruas:G`` or ``edge:N``), ``from_m``,
        ``to_m``.
    network
        The network they were located on.
    from_end
        Count from the other end.

    Returns
    -------
    pandas.DataFrame
        A copy; ``from_m <= to_m`` still.
    """
    out = located.copy()
    if not from_end or out.empty:
        return out
    out["from_m"], out["to_m"] = counted(
        network,
        out["ruas"].astype(str).to_numpy(),
        out["from_m"].to_numpy(dtype=float),
        out["to_m"].to_numpy(dtype=float),
        from_end=True,
    )
    return out
