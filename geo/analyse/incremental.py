"""A new upload checked against the store: only its neighbourhood is read and measured.

A planner waits on the upload page for what the new file collides with. Re-running the
overlap engine over a national store for that would take a minute; the new projects only ever
meet stored projects within reach of them, which the store's R-tree finds in milliseconds.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analyse.overlap import find_overlaps, locate_road_projects, reach_of
from geo.schema import PROVENANCE_COLUMNS, RECORD_COLUMNS
from geo.settings import DEFAULT_SETTINGS, Settings
from geo.spatial.network import RoadNetwork
from geo.store.protocol import Store
from geo.store.tables import near_boxes

__all__ = ["overlaps_with_store", "rows_near", "search_reach_m"]


def overlaps_with_store(
    new_projects: gpd.GeoDataFrame,
    store: Store,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    network: RoadNetwork | None = None,
    located: pd.DataFrame | None = None,
    shifts: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Overlap findings of new projects with stored ones and among themselves.

    Parameters
    ----------
    new_projects
        Canonical project records (:data:`geo.schema.RECORD_COLUMNS`), EPSG:4326: what
        :func:`geo.read.projects.read_projects` returned, before or after it was committed. Stored records
        with the same agency and project id are taken to be these very records.
    store
        The store to check against.
    settings
        Thresholds, as for :func:`geo.analyse.overlap.find_overlaps`.
    irrigation_areas
        The store's Daerah Irigasi, or None (as for :func:`geo.analyse.overlap.find_overlaps`): stored
        works in the D.I. of a new irrigation work are checked too.
    network
        The store's road network, or None (as for :func:`geo.analyse.overlap.find_overlaps`):
        road works are then compared by the chainage they share on a ruas, and stored works
        up to twice ``network_offset_m`` away are checked (each may lie that far off its ruas).
    located
        :func:`geo.analyse.overlap.locate_road_projects` of ``new_projects`` on ``network``
        when already measured (with ``shifts``), else None: located here.
    shifts
        The sources' systematic shifts as a run over the whole store found them
        (:func:`geo.analyse.locations.located_shifts`), or None. The stored works near the new
        ones are a few of their sources' works: without it, a source's shift is estimated
        from those few alone (and with fewer than
        :data:`geo.spatial.source_shift.MIN_SOURCE_WORKS` of them, not at all), so a stored
        work drawn on another basemap may be located on the road beside its own and its pair
        with a new work missed.

    Returns
    -------
    geopandas.GeoDataFrame
        Findings (:data:`geo.analyse.overlap.FINDING_COLUMNS`, EPSG:4326), each involving at least one
        new project: the same findings a run over the whole store would give for them.
    """
    reach_m = search_reach_m(settings, network=network is not None)
    stored = store.load_projects_near(reach_of(new_projects, irrigation_areas), reach_m)
    new_keys = pd.MultiIndex.from_frame(new_projects[["agency", "project_id"]].astype(str))
    stored_keys = pd.MultiIndex.from_frame(stored[["agency", "project_id"]].astype(str))
    stored = stored.loc[~stored_keys.isin(new_keys)]
    # The provenance too: it names each work's source (its shift).
    provenance = [c for c in PROVENANCE_COLUMNS if c in stored]
    columns = [*RECORD_COLUMNS, *provenance, "geometry"]
    both = pd.concat([new_projects.reindex(columns=columns), stored[columns]], ignore_index=True)
    both = gpd.GeoDataFrame(both, geometry="geometry", crs=4326)
    involving = np.arange(len(both)) < len(new_projects)
    located_both = None
    if network is not None:
        if located is None:
            located = locate_road_projects(new_projects, network, settings=settings, shifts=shifts)
        near_located = locate_road_projects(
            both.iloc[len(new_projects) :], network, settings=settings, shifts=shifts
        )
        near_located["work"] += len(new_projects)  # positions in ``both``: the new ones first
        located_both = pd.concat([located, near_located], ignore_index=True)
    return find_overlaps(
        both,
        settings=settings,
        involving=involving,
        irrigation_areas=irrigation_areas,
        network=network,
        located=located_both,
    )


def search_reach_m(settings: Settings, *, network: bool) -> float:
    """How far (metres) from a project another one may lie and still be paired with it: the
    road tolerance or the bridge distance, and with a road network twice
    ``network_offset_m`` (two drawings of one ruas, each up to that far off it)."""
    reach_m = max(settings.tolerance_m, settings.bridge_distance_m)
    return max(reach_m, 2 * settings.network_offset_m) if network else reach_m


def rows_near(projects: gpd.GeoDataFrame, reach: np.ndarray, distance_m: float) -> np.ndarray:
    """Boolean mask of ``projects`` whose bounding boxes come within ``distance_m`` of those
    of the geometries ``reach`` (degrees at the smallest length of one, so never too few):
    the store's neighbourhood query, on records in memory."""
    boxes = near_boxes(reach, distance_m)  # minx, maxx, miny, maxy
    tree = shapely.STRtree(np.asarray(projects.geometry.values, dtype=object))
    hits = tree.query(shapely.box(boxes[:, 0], boxes[:, 2], boxes[:, 1], boxes[:, 3]))[1]
    near = np.zeros(len(projects), dtype=bool)
    near[hits] = True
    return near
