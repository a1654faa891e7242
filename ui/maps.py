"""The maps every page draws, built once per store version and view (``st.cache_data``).

Building a province's map (display geometry, tooltips, JSON) takes a good part of a second:
reruns that change nothing on the map (a click, a table selection elsewhere, a review form)
reuse it. Past :data:`layers.viewport.DETAIL_MAX_FEATURES` drawn projects the map is sent view
by view (:func:`show_store_map`).
"""

from __future__ import annotations

import hashlib
from typing import Final

import folium
import geopandas as gpd
import numpy as np
import shapely
import streamlit as st

from geo.analyse.run import ProjectFilter, overlaps_involving, with_project_geometry
from layers.orientation import deciding_references
from layers.overlays import findings_layer
from layers.project_map import drawable, project_map
from layers.tables import located_text
from layers.viewport import (
    DETAIL_MAX_FEATURES,
    LayerIndex,
    MapView,
    view_content,
    view_layers,
    view_note,
)
from ui import app_settings, common
from ui.store_cache import (
    StoreData,
    analysis,
    load_store,
    new_analysis,
    reviews,
    store_coverage,
)


def show_store_map(
    data: StoreData,
    lang: str,
    *,
    key: str,
    project_filter: ProjectFilter | None = None,
    **options: object,
) -> dict | None:
    """Draw :func:`store_map` of ``data``; return the properties of the feature clicked.

    When more than :data:`~layers.viewport.DETAIL_MAX_FEATURES` projects are drawn, the map
    holds no projects itself: each view the browser reports gets its projects or grid cells
    (:func:`view_map_layers`), and a caption says which.
    """
    folium_map, per_view = _base_map(data, lang, project_filter, options)
    if not per_view:
        return common.show_map(folium_map, key=key)
    # One key per base map: a view reported by another map (other filters) is not reused.
    base = repr((data.locator, data.version, lang, project_filter, sorted(options.items())))
    map_key = f"{key}-{hashlib.sha1(base.encode()).hexdigest()[:12]}"
    view = MapView.from_returned(st.session_state.get(map_key)) or MapView.fitting(
        _fitted_bounds(folium_map)
    )
    layers, note = _layers_of_view(data, lang, project_filter, options, view)
    clicked = common.show_map(folium_map, key=map_key, view_layers=layers)
    st.caption(note)
    return clicked


def warm_store_map(
    data: StoreData, lang: str, *, project_filter: ProjectFilter | None = None, **options: object
) -> None:
    """Build into the caches what :func:`show_store_map` with these arguments draws on a
    page's first run: the map and, when it is drawn view by view, the layers of the view it
    opens on (a second of CPU for a national store). The warm start (:mod:`ui.serve`) calls it
    for the default map of a page."""
    folium_map, per_view = _base_map(data, lang, project_filter, options)
    if per_view:
        _layers_of_view(
            data, lang, project_filter, options, MapView.fitting(_fitted_bounds(folium_map))
        )


def _base_map(
    data: StoreData,
    lang: str,
    project_filter: ProjectFilter | None,
    options: dict[str, object],
) -> tuple[folium.Map, bool]:
    """:func:`store_map` of ``data`` as :func:`show_store_map` draws it, and whether it is
    drawn view by view."""
    shown = _drawn(data, project_filter)
    per_view = len(shown) > _detail_max() or references_too_large(data)
    folium_map = store_map(
        data.locator,
        data.version,
        lang,
        project_filter=project_filter,
        per_view=per_view,
        **options,
    )
    return folium_map, per_view


def _layers_of_view(
    data: StoreData,
    lang: str,
    project_filter: ProjectFilter | None,
    options: dict[str, object],
    view: MapView,
) -> tuple[list[folium.FeatureGroup], str]:
    """:func:`view_map_layers` of ``view`` for the map of ``options``."""
    return view_map_layers(
        data.locator,
        data.version,
        lang,
        project_filter=project_filter,
        findings_kind=options.get("findings_kind"),
        only_projects=options.get("only_projects", ()),
        gaps=bool(options.get("gaps", False)),
        view=view.snapped(),
    )


#: A road network or Daerah Irigasi layer with more vertices than this is sent view by view
#: (like a large project layer), not whole in the page: a national network would be tens of MB.
REFERENCE_MAX_VERTICES: Final[int] = 300_000


def references_too_large(data: StoreData) -> bool:
    """True when the store's road network and Daerah Irigasi together hold more than
    :data:`REFERENCE_MAX_VERTICES` vertices: the map then draws them view by view."""
    return _reference_vertices(data.locator, data.version) > REFERENCE_MAX_VERTICES


@st.cache_data(show_spinner=False, max_entries=4)
def _reference_vertices(locator: str, version: tuple[int, ...]) -> int:
    data = load_store(locator, version)
    layers = [layer for layer in (data.roads, data.irrigation_areas) if layer is not None]
    return int(
        sum(shapely.get_num_coordinates(np.asarray(r.geometry.values)).sum() for r in layers)
    )


def _detail_max() -> int:
    """Most projects a map view draws one by one (``$PETA_MAP_DETAIL_MAX``,
    :func:`ui.app_settings.map_detail_max`, else :data:`~layers.viewport.DETAIL_MAX_FEATURES`)."""
    return app_settings.map_detail_max() or DETAIL_MAX_FEATURES


def _shown(data: StoreData, project_filter: ProjectFilter | None) -> gpd.GeoDataFrame:
    """The store's projects the filter keeps (all of them without one)."""
    if project_filter is None:
        return data.projects
    return data.projects[project_filter.mask(data.projects, data.units)]


def _drawn(data: StoreData, project_filter: ProjectFilter | None) -> gpd.GeoDataFrame:
    """:func:`_shown` projects a map can draw; with a road network, where each road project
    lies on it (``ruas_sta``, shown in its tooltip)."""
    drawn = drawable(_shown(data, project_filter))
    if data.roads is None or not len(drawn):
        return drawn
    locations = analysis(data.locator, data.version, app_settings.current()).locations
    if locations is None:
        return drawn
    return drawn.assign(ruas_sta=located_text(drawn, locations))


def _fitted_bounds(folium_map: folium.Map) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` the map fits itself to when it opens."""
    fits = [c for c in folium_map._children.values() if isinstance(c, folium.FitBounds)]
    (south, west), (north, east) = fits[-1].bounds
    return west, south, east, north


def _map_findings(
    locator: str,
    version: tuple[int, ...],
    shown: gpd.GeoDataFrame,
    findings_kind: str | None,
    only_projects: tuple[str, ...],
) -> gpd.GeoDataFrame | None:
    """The findings a map highlights: those of the shown projects, or of ``only_projects``."""
    data = load_store(locator, version)
    projects = data.projects
    settings = app_settings.current()
    if only_projects:  # new data: checked incrementally, not by analysing the whole store
        result = new_analysis(locator, version, only_projects, settings)
    else:
        result = analysis(locator, version, settings)
    findings = None
    if findings_kind == "overlaps" and len(result.overlaps):
        findings = result.overlaps
        if not only_projects and len(shown) < len(projects):
            findings = overlaps_involving(findings, of=shown)
    elif findings_kind == "mismatches" and len(result.mismatches):
        findings = with_project_geometry(result.mismatches, projects)
    return findings if findings is not None and len(findings) else None


@st.cache_data(show_spinner=False, max_entries=4)
def _layer_index(
    locator: str,
    version: tuple[int, ...],
    project_filter: ProjectFilter | None,
    findings_kind: str | None,
    only_projects: tuple[str, ...],
) -> tuple[LayerIndex, np.ndarray]:
    """The drawn projects' :class:`~layers.viewport.LayerIndex` and their findings' boxes."""
    drawn = _drawn(load_store(locator, version), project_filter)
    findings = _map_findings(locator, version, drawn, findings_kind, only_projects)
    boxes = np.empty((0, 4))
    if findings is not None:
        boxes = shapely.bounds(np.asarray(findings.geometry.values, dtype=object))
    return LayerIndex.of(drawn), boxes


@st.cache_data(show_spinner=False, max_entries=32)
def view_map_layers(
    locator: str,
    version: tuple[int, ...],
    lang: str,
    *,
    project_filter: ProjectFilter | None,
    findings_kind: str | None,
    only_projects: tuple[str, ...],
    gaps: bool = False,
    view: MapView,
) -> tuple[list[folium.FeatureGroup], str]:
    """The layers of one view of the drawn projects and their findings, and a caption saying
    what they show (findings are drawn with the projects, counted with the cells); with
    ``gaps``, the units in view as the coverage-gap choropleth instead of plain boundaries."""
    index, finding_boxes = _layer_index(
        locator, version, project_filter, findings_kind, only_projects
    )
    content = view_content(index, view, finding_boxes=finding_boxes, detail_max=_detail_max())
    data = load_store(locator, version)
    references = {
        "roads": data.roads,
        "irrigation_areas": data.irrigation_areas,
        "gaps": store_coverage(data) if gaps else None,
    }
    if not content.detail:
        layers = view_layers(None, content, lang=lang, boundaries=data.units, **references)
        return layers, view_note(content, lang=lang)
    drawn = _drawn(data, project_filter)
    layers = view_layers(drawn, content, lang=lang, boundaries=data.units, **references)
    findings = _map_findings(locator, version, drawn, findings_kind, only_projects)
    if findings is not None:
        in_view = LayerIndex.box_in_view(finding_boxes, view)
        if in_view.any():
            layers.append(
                findings_layer(
                    findings[in_view],
                    reviews=reviews(locator, version),
                    lang=lang,
                    name_key=findings_kind or "overlaps",
                )
            )
    return layers, view_note(content, lang=lang)


@st.cache_data(show_spinner=False, max_entries=16)
def store_map(
    locator: str,
    version: tuple[int, ...],
    lang: str,
    *,
    project_filter: ProjectFilter | None = None,
    findings_kind: str | None = None,
    only_projects: tuple[str, ...] = (),
    gaps: bool = False,
    osm_tiles: bool = False,
    focus_bounds: tuple[float, float, float, float] | None = None,
    per_view: bool = False,
) -> folium.Map:
    """The store's projects on a map, with findings, gaps and a focus as asked.

    Parameters
    ----------
    locator, version
        The store (:func:`geo.store.store_locator`) and its version (``store.version()``).
    lang
        ``"id"`` or ``"en"``.
    project_filter
        Projects drawn (all when None); overlaps shown are those of the drawn projects.
    findings_kind
        ``"overlaps"`` or ``"mismatches"`` to highlight those findings (with their reviews).
    only_projects
        Project keys (:func:`geo.analyse.run.project_keys`): highlight only their findings
        (the wizard's new data).
    gaps
        Draw the coverage-gap choropleth.
    osm_tiles
        Add the OpenStreetMap basemap.
    focus_bounds
        ``(west, south, east, north)`` to zoom to.
    per_view
        Leave the projects out (:func:`show_store_map` adds them view by view).
    """
    data = load_store(locator, version)
    shown = _shown(data, project_filter)
    findings = _map_findings(locator, version, shown, findings_kind, only_projects)
    coverage = store_coverage(data) if gaps else None
    deciding = None
    if findings_kind == "mismatches" and findings is not None:
        deciding = deciding_references(findings, data.roads, data.irrigation_areas)
    return project_map(
        shown,
        lang=lang,
        boundaries=data.units,
        osm_tiles=osm_tiles,
        findings=findings,
        reviews=reviews(locator, version),
        findings_kind=findings_kind or "overlaps",
        gaps=(data.units, coverage) if coverage is not None and data.units is not None else None,
        focus_bounds=focus_bounds,
        per_view=per_view,
        roads=data.roads,
        irrigation_areas=data.irrigation_areas,
        deciding=deciding,
    )


@st.cache_data(show_spinner=False, max_entries=8)
def proposal_map(
    locator: str,
    version: tuple[int, ...],
    list_key: str,
    lang: str,
    *,
    _records: gpd.GeoDataFrame,
    focus_bounds: tuple[float, float, float, float] | None = None,
) -> folium.Map:
    """The rows of a checked proposal list (``_records``,
    :func:`layers.proposals.proposal_records`, the list named by ``list_key``: its bytes'
    hash and options) on the store's map: by level, over the store's units and road network,
    zoomed to ``focus_bounds`` when given."""
    data = load_store(locator, version)
    return project_map(
        _records,
        lang=lang,
        boundaries=data.units,
        focus_bounds=focus_bounds,
        roads=data.roads,
        irrigation_areas=data.irrigation_areas,
    )
