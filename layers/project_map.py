"""The project map: one folium layer per level of government, an always-visible legend.

The map works with no internet: it references only the Leaflet copy the app serves itself
(``static/leaflet``), draws no basemap tiles unless asked, and every value that reaches HTML
goes through :func:`layers.html.escape_html`.
"""

from __future__ import annotations

import functools
import math
from typing import Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.utilities import JsCode
from jinja2 import Template

from geo.analyse.run import project_refs
from geo.read.reference import unit_level
from geo.schema import LEVELS, PROJECT_COLUMNS, RECORD_COLUMNS
from geo.settings import INDONESIA_BOUNDS_DEG
from layers.fast_geojson import FastGeoJson
from layers.formatting import MISSING, format_rupiah, format_years, is_missing
from layers.html import escape_html
from layers.orientation import (
    deciding_layer,
    irrigation_area_layer,
    label_css,
    legend_entries,
    road_network_layer,
    unit_label_layer,
)
from layers.overlays import (
    display_copy,
    findings_layer,
    gap_layer,
    gap_legend_labels,
    gap_values,
    layer_text,
)
from layers.palette import (
    BOUNDARY_COLOUR,
    FINDING_COLOUR,
    SYMBOL_COLOUR,
    asset_label,
    check_language,
    level_colour,
    level_label,
)
from layers.words import PROJECT_MAP_TEXT, column_label, with_units

#: Where Streamlit serves ``static/leaflet`` (``server.enableStaticServing``).
DEFAULT_ASSET_BASE_URL: Final[str] = "/app/static/leaflet"

#: Levels the legend always lists, so a region with no provincial work still shows the key.
CORE_LEVELS: Final[tuple[str, ...]] = ("pusat", "provinsi", "kabupaten")

#: Name of the GeoJSON property holding a feature's ready-made, escaped tooltip.
TOOLTIP_PROPERTY: Final[str] = "peta_tooltip"

#: GeoJSON property holding a project's reference (:func:`geo.analyse.run.project_refs`, hex only:
#: no upload text in script): a click on the map reports it back, so the app can show the full
#: record and its findings.
KEY_PROPERTY: Final[str] = "peta_key"

#: From this many drawn features on, Leaflet draws on one canvas instead of one SVG element
#: per feature: a province of 20k features then paints in well under 3 s.
LARGE_LAYER_FEATURES: Final[int] = 2000

#: Class of the legend section a view of a large layer fills in (its grid-cell shades).
VIEW_LEGEND_CLASS: Final[str] = "peta-legend-view"

#: Map frame width assumed before the browser reports it (the app's map on a laptop), in CSS
#: pixels, and its width over its height.
FRAME_WIDTH_PX: Final[int] = 1000
FRAME_ASPECT: Final[float] = 1.6
#: Web-Mercator tiles are 256 pixels wide at zoom 0: degrees per pixel = 360 / (256 * 2**zoom).
TILE_PX: Final[int] = 256

#: Past this zoom, fitting the map to a single bridge would show nothing around it.
_MAX_FIT_ZOOM: Final[int] = 14

_TEXT: Final[dict[str, dict[str, str]]] = PROJECT_MAP_TEXT

# How each geometry kind is drawn; the colour is the level's.
_LINE_STYLE: Final[dict[str, object]] = {"weight": 4, "opacity": 0.9}
_POINT_STYLE: Final[dict[str, object]] = {
    "fill": True,  # folium's CircleMarker template defaults to an outline only
    "radius": 6,
    "weight": 2,
    "opacity": 1.0,
    "fillOpacity": 0.85,
}
_POLYGON_STYLE: Final[dict[str, object]] = {
    "fill": True,
    "weight": 1.5,
    "opacity": 0.9,
    "fillOpacity": 0.3,
}
_BOUNDARY_STYLE: Final[dict[str, object]] = {
    "color": BOUNDARY_COLOUR,
    "weight": 1,
    "fillColor": BOUNDARY_COLOUR,
    "fillOpacity": 0.12,
    "interactive": False,
}

_BIND_TOOLTIP: Final[JsCode] = JsCode(
    "function (feature, layer) {"
    f" layer.bindTooltip(feature.properties.{TOOLTIP_PROPERTY}, {{sticky: true}}); }}"
)

# Styles for the tooltip and the legend; the legend is fixed to the map's frame so it stays
# visible however the map is panned or zoomed (above Leaflet's panes and controls, z <= 1000).
_CSS: Final[str] = """
<style>
.peta-tooltip { border-collapse: collapse; font-size: 12px; }
.peta-tooltip th { text-align: left; padding: 1px 8px 1px 0; color: #555; font-weight: 600; }
.peta-tooltip td { padding: 1px 0; min-width: 200px; max-width: 320px; white-space: normal; }
.peta-legend {
  position: fixed; left: 10px; bottom: 34px; z-index: 1001;
  max-height: calc(100% - 110px); overflow-y: auto;
  background: rgba(255, 255, 255, 0.94); border: 1px solid #999; border-radius: 4px;
  padding: 6px 10px; font: 12px/1.5 system-ui, sans-serif; color: #222;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3);
}
.peta-legend-title { font-weight: 700; font-size: 13px; }
.peta-legend-section { font-weight: 600; margin-top: 4px; }
.peta-legend-row { display: flex; align-items: center; gap: 6px; }
.peta-legend-row svg { flex: none; }
</style>
"""


class _RawHtml(Element):
    """Markup inserted as is: built here from escaped text, never run through Jinja."""

    _template = Template("{{ this.content }}")

    def __init__(self, content: str) -> None:
        super().__init__()
        self._name = "RawHtml"
        self.content = content


class _MetricScale(MacroElement):
    """Leaflet's scale bar in metres and kilometres only (folium's also shows miles)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


class _FocusWithoutScroll(MacroElement):
    """Keep Leaflet's keyboard navigation without the page jumping on a press.

    Leaflet focuses the map container on every mousedown (``Keyboard._onMouseDown``) so the
    arrow keys pan it. Inside the app's map frame that focus scrolls the page when the map's
    bottom is below the fold (about 76 px on a laptop): press and release then land on
    different points and Leaflet drops the click, so the first click on a project was lost.
    The handler is rebound to focus with ``preventScroll``; keyboard navigation stays.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var keyboard = map.keyboard;
            if (!keyboard) { return; }
            var enabled = keyboard.enabled();
            if (enabled) { keyboard.disable(); }
            keyboard._onMouseDown = function () {
                if (this._focused) { return; }
                this._map._container.focus({preventScroll: true});
            };
            if (enabled) { keyboard.enable(); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


def project_map(
    projects: gpd.GeoDataFrame,
    *,
    lang: str = "id",
    asset_base_url: str = DEFAULT_ASSET_BASE_URL,
    boundaries: gpd.GeoDataFrame | None = None,
    osm_tiles: bool = False,
    findings: gpd.GeoDataFrame | None = None,
    reviews: pd.DataFrame | None = None,
    findings_kind: str = "overlaps",
    gaps: tuple[gpd.GeoDataFrame, pd.DataFrame] | None = None,
    focus_bounds: tuple[float, float, float, float] | None = None,
    per_view: bool = False,
    roads: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    deciding: tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None] | None = None,
) -> folium.Map:
    """A folium map of projects with one toggleable layer per level of government.

    Roads are drawn as lines, bridges as circle markers, irrigation areas as translucent
    polygons (by geometry type, so other asset types draw too), each in its level's fixed
    colour (:mod:`layers.palette`). Hovering a feature shows its record, escaped.

    Parameters
    ----------
    projects
        Canonical project records (DESIGN section 3) in EPSG:4326. Columns beyond the record
        and provenance columns are shown in the tooltip under their own (escaped) names.
        Records without geometry are not drawn.
    lang
        ``"id"`` (Bahasa Indonesia) or ``"en"`` for the legend, layer names and tooltips.
    asset_base_url
        URL path under which ``leaflet.js`` and ``leaflet.css`` are served; the rendered HTML
        references no other script or stylesheet.
    boundaries
        Optional reference boundaries (EPSG:4326) drawn in light grey under the projects;
        only their geometry is used.
    osm_tiles
        Add an OpenStreetMap basemap (needs internet; off by default).
    findings
        Findings to highlight (EPSG:4326, ``finding_id`` and geometry), see
        :func:`layers.overlays.findings_layer`; ``reviews`` holds their latest decisions and
        ``findings_kind`` (``"overlaps"`` or ``"mismatches"``) names the layer.
    gaps
        ``(units, coverage)``: administrative units (EPSG:4326) and
        :func:`geo.analyse.gaps.coverage_by_unit` of them, drawn as a choropleth under the projects.
    focus_bounds
        ``(west, south, east, north)`` in degrees to zoom to (a selected finding) instead of
        fitting all projects.
    per_view
        Leave the projects, findings, boundaries, gap choropleth, roads and Daerah Irigasi
        out: the app adds them view by view (:func:`layers.viewport.view_layers`; the
        choropleth in place of the boundaries, outlining the same units). The legend gets a
        section the view fills in, and the map draws on a canvas.
    roads, irrigation_areas
        The reference road network (``status``, ``road_id``, ``name``) and Daerah Irigasi
        (EPSG:4326), drawn under the projects to orient by (:mod:`layers.orientation`); the
        names of the ``boundaries`` units (``unit_name``) are drawn as one zooms in.
    deciding
        ``(roads, areas)`` deciding the authority findings
        (:func:`layers.orientation.deciding_references`), drawn with their status.

    Returns
    -------
    folium.Map
        Fitted to ``focus_bounds``, else the projects (or the boundaries, or Indonesia when
        both are empty). From :data:`LARGE_LAYER_FEATURES` features on, drawn on a canvas.

    Raises
    ------
    ValueError
        Listing every problem at once: not EPSG:4326, missing columns, unknown levels.
    """
    lang = check_language(lang)
    _check_layer(projects, "projects", required=RECORD_COLUMNS + ("geometry",))
    if boundaries is not None:
        _check_layer(boundaries, "boundaries", required=("geometry",))

    drawn = drawable(projects)
    fit_to = drawn if len(drawn) else boundaries
    west, south, east, north = (
        fit_to.total_bounds if fit_to is not None and len(fit_to) else INDONESIA_BOUNDS_DEG
    )
    if focus_bounds is not None:
        west, south, east, north = _padded(focus_bounds)
    folium_map = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        # The zoom fitBounds is about to pick: the view the map reports first is already close.
        zoom_start=fit_zoom((west, south, east, north)),
        tiles=None,
        # Quarter zoom steps let fitBounds fill the frame instead of stopping a level short.
        zoom_snap=0.25,
        prefer_canvas=per_view or len(drawn) >= LARGE_LAYER_FEATURES,
    )
    _use_local_assets(folium_map, asset_base_url)
    folium_map.get_root().header.add_child(_RawHtml(_CSS + label_css()), name="peta_sinergi_css")

    if osm_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", overlay=False).add_to(folium_map)
    units_level = unit_level(boundaries)
    if boundaries is not None and len(boundaries) and not per_view:
        boundary_layer(display_copy(boundaries), lang=lang, level=units_level).add_to(folium_map)
    gap_key = None
    if gaps is not None and len(gaps[1]):
        if not per_view:  # else drawn in each view, instead of its boundaries
            gap_layer(*gaps, lang=lang).add_to(folium_map)
        gap_key = gap_values(gaps[1])[1]

    if not per_view:
        for layer in reference_layers(roads, irrigation_areas, lang=lang):
            layer.add_to(folium_map)
    with_names = boundaries is not None and "unit_name" in boundaries and len(boundaries) > 0
    if with_names:
        unit_label_layer(boundaries, lang=lang).add_to(folium_map)
    with_deciding = deciding is not None and any(d is not None and len(d) for d in deciding)
    if with_deciding:
        decided_roads, decided_areas = deciding
        deciding_layer(
            display_copy(decided_roads) if decided_roads is not None else None,
            display_copy(decided_areas) if decided_areas is not None else None,
            lang=lang,
        ).add_to(folium_map)
    if not per_view:
        for layer in level_layers(display_copy(drawn), lang=lang):
            layer.add_to(folium_map)
    with_findings = findings is not None and len(findings) > 0
    if with_findings and not per_view:
        findings_layer(findings, reviews=reviews, lang=lang, name_key=findings_kind).add_to(
            folium_map
        )

    if not per_view:  # per view, the app adds the control over the view's layers too
        folium.LayerControl(collapsed=False).add_to(folium_map)
    _MetricScale().add_to(folium_map)
    _FocusWithoutScroll().add_to(folium_map)
    # Per view, the gap choropleth outlines the units in place of the boundaries layer.
    with_boundaries = (
        boundaries is not None and len(boundaries) > 0 and not (per_view and gap_key is not None)
    )
    legend = legend_html(
        drawn,
        lang=lang,
        with_boundaries=with_boundaries,
        unit_level=units_level,
        findings_kind=findings_kind if with_findings else None,
        gap_key=gap_key,
        view_section=per_view,
        base_entries=legend_entries(
            lang=lang,
            roads=roads,
            irrigation_areas=irrigation_areas,
            unit_names=with_names,
            unit_level=units_level,
            deciding=with_deciding,
        ),
    )
    folium_map.get_root().html.add_child(_RawHtml(legend), name="peta_sinergi_legend")
    folium_map.fit_bounds([[south, west], [north, east]], max_zoom=_MAX_FIT_ZOOM)
    return folium_map


def fit_zoom(bounds: tuple[float, float, float, float], width_px: int = FRAME_WIDTH_PX) -> float:
    """The zoom (quarter steps) that fits ``(west, south, east, north)`` in degrees into a
    frame ``width_px`` wide and ``width_px / FRAME_ASPECT`` high (longitude degrees stand in
    for latitude ones: near the equator they are close)."""
    west, south, east, north = (float(v) for v in bounds)
    extent_deg = max(east - west, (north - south) * FRAME_ASPECT, 1e-6)
    zoom = math.log2(width_px * 360.0 / (TILE_PX * extent_deg))
    return float(np.clip(math.floor(zoom * 4) / 4, 0.0, _MAX_FIT_ZOOM))


def boundary_layer(
    boundaries: gpd.GeoDataFrame, *, lang: str = "id", level: str | None = None
) -> folium.FeatureGroup:
    """Boundaries (display geometry) in light grey, geometry only, not interactive; the layer
    named for units of ``level`` (default: what :func:`geo.read.reference.unit_level` finds).

    Sent in the compact encoding: the 514 kabupaten/kota of Indonesia, simplified for the
    national view, take about 1.2 MB instead of 6.9 MB of GeoJSON.
    """
    level = level or unit_level(boundaries)
    name = with_units(_TEXT[check_language(lang)]["boundaries"], level, lang)
    layer = folium.FeatureGroup(name=name)
    shapes = drawable(boundaries)[["geometry"]]
    if len(shapes):
        FastGeoJson(shapes, style=_BOUNDARY_STYLE, tooltip_property=None, properties=[]).add_to(
            layer
        )
    return layer


def reference_layers(
    roads: gpd.GeoDataFrame | None,
    irrigation_areas: gpd.GeoDataFrame | None,
    *,
    lang: str = "id",
    display=display_copy,
) -> list[folium.FeatureGroup]:
    """The Daerah Irigasi outlines and the road network to orient by, each its own layer
    (:mod:`layers.orientation`), made drawable by ``display`` (default
    :func:`layers.overlays.display_copy`); none for a missing or empty layer."""
    layers = []
    if irrigation_areas is not None and len(drawable(irrigation_areas)):
        layers.append(irrigation_area_layer(display(drawable(irrigation_areas)), lang=lang))
    if roads is not None and len(drawable(roads)):
        layers.append(road_network_layer(display(drawable(roads)), lang=lang))
    return layers


def drawable(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The rows of ``layer`` a map can draw: geometry neither missing nor empty."""
    return layer[_has_shape(layer)]


def level_layers(drawn: gpd.GeoDataFrame, *, lang: str = "id") -> list[folium.FeatureGroup]:
    """One layer per level present in ``drawn`` (display geometry), with tooltips and keys.

    From :data:`LARGE_LAYER_FEATURES` features on, the tooltips are short and the features go
    in bulk (:class:`layers.fast_geojson.FastGeoJson`).
    """
    large = len(drawn) >= LARGE_LAYER_FEATURES
    drawn = drawn.assign(
        **{
            TOOLTIP_PROPERTY: short_tooltip_html(drawn, lang=lang)
            if large
            else tooltip_html(drawn, lang=lang),
            KEY_PROPERTY: project_refs(drawn),
        }
    )
    return [
        _level_layer(drawn[drawn["level"] == level], level, lang, large=large)
        for level, count in level_counts(drawn).items()
        if count
    ]


def level_counts(projects: pd.DataFrame) -> dict[str, int]:
    """Number of projects per level, in the order of ``geo.schema.LEVELS`` (zeros included)."""
    counts = projects["level"].value_counts()
    return {level: int(counts.get(level, 0)) for level in LEVELS}


def tooltip_html(projects: pd.DataFrame, *, lang: str = "id") -> pd.Series:
    """Each project's record as an HTML table, every label and value escaped.

    Budgets are in rupiah (``Rp 18.750.000.000``), levels and asset types translated.
    Columns other than the record and provenance columns follow under their own names.
    """
    text = _TEXT[check_language(lang)]
    fields: list[tuple[str, pd.Series]] = [
        (text["name"], projects["name"]),
        (text["project_id"], projects["project_id"]),
        (text["level"], projects["level"].map(lambda level: level_label(level, lang))),
        (text["agency"], projects["agency"]),
        (text["asset_type"], projects["asset_type"].map(lambda asset: asset_label(asset, lang))),
        (text["work_type"], projects["work_type"]),
        (
            text["years"],
            pd.Series(
                map(format_years, projects["year_start"], projects["year_end"]),
                index=projects.index,
                dtype=object,
            ),
        ),
        (text["budget_idr"], projects["budget_idr"].map(lambda idr: format_rupiah(idr, lang))),
        (text["funding_source"], projects["funding_source"]),
        (text["status"], projects["status"]),
    ]
    fields += [
        (column_label(str(column), lang), projects[column])
        for column in projects.columns
        if column not in PROJECT_COLUMNS and column != TOOLTIP_PROPERTY
    ]
    rows = pd.Series("", index=projects.index, dtype=object)
    for label, values in fields:
        cells = values.map(lambda value: MISSING if is_missing(value) else escape_html(value))
        rows = rows + f"<tr><th>{escape_html(label)}</th><td>" + cells.astype(object) + "</td></tr>"
    return '<table class="peta-tooltip">' + rows + "</table>"


def short_tooltip_html(projects: pd.DataFrame, *, lang: str = "id") -> pd.Series:
    """A short tooltip for large layers: the name and the package code, escaped.

    Every byte counts 20,000 times here; the full record shows in the app when the feature is
    clicked.
    """
    check_language(lang)
    names, ids = (projects[c].to_numpy(dtype=object) for c in ("name", "project_id"))
    # A plain loop over object arrays: pandas' Arrow strings are slow element by element.
    rows = [
        f"<b>{escape_html(name)}</b> {escape_html(project_id)}"
        for name, project_id in zip(names, ids, strict=True)
    ]
    return pd.Series(rows, index=projects.index, dtype=object)


def legend_html(
    projects: pd.DataFrame,
    *,
    lang: str = "id",
    with_boundaries: bool = False,
    unit_level: str | None = None,
    findings_kind: str | None = None,
    gap_key: str | None = None,
    view_section: bool = False,
    base_entries: list[tuple[str, str, dict[str, str]]] = (),
) -> str:
    """The categorical legend: each level's colour and the symbol of each asset type.

    Lists the core levels (pusat, provinsi, kabupaten) always, other levels when present; the
    findings highlight when ``findings_kind`` is given, the gap classes for ``gap_key``;
    ``view_section`` adds an empty section each view fills (:data:`VIEW_LEGEND_CLASS`);
    ``base_entries`` (:func:`layers.orientation.legend_entries`) are the base map's rows;
    the boundaries are named for units of ``unit_level`` (kabupaten/kota, kecamatan, ...).
    """
    text = _TEXT[check_language(lang)]
    present = set(projects["level"].unique())
    levels = [level for level in LEVELS if level in CORE_LEVELS or level in present]
    rows = [
        f'<div class="peta-legend-title">{escape_html(text["legend"])}</div>',
        f'<div class="peta-legend-section">{escape_html(text["levels"])}</div>',
    ]
    rows += [
        legend_row(swatch(level_colour(level)), level_label(level, lang), level=level)
        for level in levels
    ]
    rows.append(f'<div class="peta-legend-section">{escape_html(text["assets"])}</div>')
    rows += [
        legend_row(_SYMBOLS[asset], asset_label(asset, lang), asset=asset)
        for asset in ("road", "bridge", "irrigation")
    ]
    if findings_kind is not None:
        rows.append(f'<div class="peta-legend-section">{escape_html(text["findings"])}</div>')
        rows.append(
            legend_row(_SYMBOLS["finding"], layer_text(findings_kind, lang), finding=findings_kind)
        )
    if gap_key is not None:
        rows.append(
            f'<div class="peta-legend-section">{escape_html(layer_text(gap_key, lang))}</div>'
        )
        rows += [
            legend_row(swatch(colour), label) for colour, label in gap_legend_labels(gap_key, lang)
        ]
    if base_entries:
        rows.append(f'<div class="peta-legend-section">{escape_html(text["base"])}</div>')
        rows += [legend_row(symbol, label, **data) for symbol, label, data in base_entries]
    if with_boundaries:
        boundaries = with_units(text["boundaries"], unit_level, lang)
        rows.append(legend_row(swatch(BOUNDARY_COLOUR), boundaries))
    if view_section:
        rows.append(f'<div class="{VIEW_LEGEND_CLASS}"></div>')
    label = escape_html(text["legend"])
    return (
        f'<div class="peta-legend" role="region" aria-label="{label}">\n'
        + "\n".join(rows)
        + "\n</div>"
    )


def constant_style(style: dict[str, object], _feature: dict) -> dict[str, object]:
    """The same style for every feature; a module-level function (with functools.partial)
    keeps maps picklable, so the app can cache them."""
    return style


def _padded(bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Bounds grown by a third on each side (at least ~300 m): a finding with its context."""
    west, south, east, north = bounds
    pad = max((east - west) / 3, (north - south) / 3, 0.003)
    return west - pad, south - pad, east + pad, north + pad


def _check_layer(layer: object, what: str, *, required: tuple[str, ...]) -> None:
    """Raise one ValueError listing everything that keeps ``layer`` off the map."""
    if not isinstance(layer, gpd.GeoDataFrame):
        raise ValueError(f"{what} must be a GeoDataFrame; got {type(layer).__name__}")
    problems = []
    if layer.crs is None or layer.crs.to_epsg() != 4326:
        problems.append(
            f"{what} must be in EPSG:4326 (longitude/latitude); got {layer.crs}: "
            f"use {what}.to_crs(4326)"
        )
    missing = [column for column in required if column not in layer.columns]
    if missing:
        problems.append(f"{what} lacks column(s) {', '.join(missing)}")
    elif "level" in required:
        unknown = sorted(set(layer["level"].dropna().astype(str).unique()) - set(LEVELS))
        if unknown:
            problems.append(
                f"{what} has unknown level(s) {', '.join(map(repr, unknown))}; "
                f"expected one of {', '.join(LEVELS)}"
            )
    if problems:
        raise ValueError("; ".join(problems))


def _has_shape(layer: gpd.GeoDataFrame) -> pd.Series:
    """Rows whose geometry can be drawn (neither missing nor empty)."""
    return ~(layer.geometry.isna() | layer.geometry.is_empty)


def _use_local_assets(folium_map: folium.Map, asset_base_url: str) -> None:
    """Point the map at the app's own Leaflet instead of folium's CDN bundle.

    Set on the instance: folium's ``add_js_link`` would edit the class-wide list in place.
    Leaflet alone is enough because the map uses no jQuery, Bootstrap or awesome-markers.
    streamlit-folium loads exactly these links inside its component frame.
    """
    base = asset_base_url.rstrip("/")
    folium_map.default_js = [("leaflet", f"{base}/leaflet.js")]
    folium_map.default_css = [("leaflet_css", f"{base}/leaflet.css")]


def _level_layer(
    projects: gpd.GeoDataFrame, level: str, lang: str, *, large: bool = False
) -> folium.FeatureGroup:
    """One toggleable layer: the level's lines, circle markers and polygons.

    ``large`` layers use :class:`layers.fast_geojson.FastGeoJson` (bulk JSON, one style).
    """
    colour = level_colour(level)
    layer = folium.FeatureGroup(name=f"{level_label(level, lang)} ({len(projects)})")
    kinds = projects.geom_type.map(_geometry_kind)
    for kind, style in (
        ("polygon", {**_POLYGON_STYLE, "color": colour, "fillColor": colour}),
        ("line", {**_LINE_STYLE, "color": colour}),
        ("point", {**_POINT_STYLE, "color": "#FFFFFF", "fillColor": colour}),
    ):
        features = projects.loc[kinds == kind, [TOOLTIP_PROPERTY, KEY_PROPERTY, "geometry"]]
        if len(features) and large:
            point_radius = {"radius": _POINT_STYLE["radius"]} if kind == "point" else {}
            FastGeoJson(
                features,
                style={**style, **point_radius},
                tooltip_property=TOOLTIP_PROPERTY,
                properties=[TOOLTIP_PROPERTY, KEY_PROPERTY],
            ).add_to(layer)
        elif len(features):
            folium.GeoJson(
                features,
                style_function=functools.partial(constant_style, style),
                marker=folium.CircleMarker(radius=_POINT_STYLE["radius"])
                if kind == "point"
                else None,
                on_each_feature=_BIND_TOOLTIP,
                control=False,
            ).add_to(layer)
    return layer


def _geometry_kind(geom_type: str) -> str:
    if geom_type in ("Point", "MultiPoint"):
        return "point"
    if geom_type in ("LineString", "MultiLineString", "LinearRing"):
        return "line"
    return "polygon"


def swatch(fill: str, outline: str | None = None) -> str:
    """A legend square filled with ``fill``, edged in ``outline`` (2 px) when given."""
    edge = f'stroke="{fill}"' if outline is None else f'stroke="{outline}" stroke-width="2"'
    return (
        '<svg width="18" height="12" aria-hidden="true">'
        f'<rect x="1" y="1" width="16" height="10" fill="{fill}" {edge}/></svg>'
    )


_SYMBOLS: Final[dict[str, str]] = {
    "finding": (
        '<svg width="18" height="12" aria-hidden="true">'
        f'<line x1="1" y1="6" x2="17" y2="6" stroke="{FINDING_COLOUR}" stroke-width="5" '
        'stroke-dasharray="6 3"/></svg>'
    ),
    "road": (
        '<svg width="18" height="12" aria-hidden="true">'
        f'<line x1="1" y1="6" x2="17" y2="6" stroke="{SYMBOL_COLOUR}" stroke-width="4"/></svg>'
    ),
    "bridge": (
        '<svg width="18" height="12" aria-hidden="true">'
        f'<circle cx="9" cy="6" r="5" fill="{SYMBOL_COLOUR}" stroke="#FFFFFF" '
        'stroke-width="1.5"/></svg>'
    ),
    "irrigation": (
        '<svg width="18" height="12" aria-hidden="true">'
        f'<rect x="1" y="1" width="16" height="10" fill="{SYMBOL_COLOUR}" fill-opacity="0.3" '
        f'stroke="{SYMBOL_COLOUR}" stroke-width="1.5"/></svg>'
    ),
}


def legend_row(symbol: str, label: str, **data: str) -> str:
    """One legend row: an SVG symbol and its escaped label (``data`` as escaped attributes)."""
    attributes = "".join(f' data-{key}="{escape_html(value)}"' for key, value in data.items())
    return (
        f'<div class="peta-legend-row"{attributes}>{symbol}<span>{escape_html(label)}</span></div>'
    )
