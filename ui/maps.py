"""The maps every page draws, built once per store version and view (``st.cache_data``).

Building a province's map (display geometry, tooltips, JSON) takes a good part of a second:
reruns that change nothing on the map (a click, a table selection elsewhere, a review form)
reuse it.
"""

from __future__ import annotations

import folium
import streamlit as st

from geo.analysis import (
    ProjectFilter,
    overlaps_involving,
    project_keys,
    with_project_geometry,
)
from geo.settings import Settings
from layers.project_map import project_map
from ui.store_cache import analysis, load_store, reviews


@st.cache_data(show_spinner=False, max_entries=16)
def store_map(
    store_path: str,
    version: tuple[int, ...],
    lang: str,
    *,
    project_filter: ProjectFilter | None = None,
    findings_kind: str | None = None,
    only_projects: tuple[str, ...] = (),
    gaps: bool = False,
    osm_tiles: bool = False,
    focus_bounds: tuple[float, float, float, float] | None = None,
) -> folium.Map:
    """The store's projects on a map, with findings, gaps and a focus as asked.

    Parameters
    ----------
    store_path, version
        The store and its version (:func:`ui.store_cache.store_version`).
    lang
        ``"id"`` or ``"en"``.
    project_filter
        Projects drawn (all when None); overlaps shown are those of the drawn projects.
    findings_kind
        ``"overlaps"`` or ``"mismatches"`` to highlight those findings (with their reviews).
    only_projects
        Project keys (:func:`geo.analysis.project_keys`): highlight only their findings
        (the wizard's new data).
    gaps
        Draw the coverage-gap choropleth.
    osm_tiles
        Add the OpenStreetMap basemap.
    focus_bounds
        ``(west, south, east, north)`` to zoom to.
    """
    data = load_store(store_path, version)
    projects = data.projects
    shown = projects
    if project_filter is not None:
        shown = projects[project_filter.mask(projects, data.units)]
    result = analysis(store_path, version, Settings.from_env())
    findings = None
    if findings_kind == "overlaps" and len(result.overlaps):
        findings = result.overlaps
        if only_projects:
            keys = projects[project_keys(projects).isin(set(only_projects))]
            findings = overlaps_involving(findings, of=keys)
        elif len(shown) < len(projects):
            findings = overlaps_involving(findings, of=shown)
    elif findings_kind == "mismatches" and len(result.mismatches):
        findings = with_project_geometry(result.mismatches, projects)
    coverage = result.coverage if gaps else None
    return project_map(
        shown,
        lang=lang,
        boundaries=data.units,
        osm_tiles=osm_tiles,
        findings=findings if findings is not None and len(findings) else None,
        reviews=reviews(store_path, version),
        findings_kind=findings_kind or "overlaps",
        gaps=(data.units, coverage) if coverage is not None and data.units is not None else None,
        focus_bounds=focus_bounds,
    )
