"""What a reader orients by on the web map: unit names, the road network, Daerah Irigasi.

Drawn from the store's reference layers (so offline, like the boundaries): kabupaten/kota
names (and kecamatan names as one zooms in: a name shows once its unit is wide enough on
screen to hold it), the road network in one colour and width per status, the Daerah Irigasi
as dashed outlines; each is its own layer in the layer control and has its rows in the legend.
On the Kewenangan map the road or Daerah Irigasi that decides each finding is drawn over
them with its status (:func:`deciding_layer`). Every text that reaches HTML is escaped.
"""

from __future__ import annotations

import json
import math
from typing import Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from geo.read.reference import unit_level
from layers.fast_geojson import FastGeoJson
from layers.formatting import format_number, is_missing
from layers.html import escape_html
from layers.palette import (
    FINDING_COLOUR,
    IRRIGATION_AREA_COLOUR,
    ROAD_STATUS_COLOURS,
    ROAD_STATUS_WEIGHTS,
    check_language,
    level_label,
    road_status_label,
)
from layers.words import ORIENTATION_TEXT, with_units

#: GeoJSON property holding a reference feature's escaped tooltip (the same as the projects').
TOOLTIP_PROPERTY: Final[str] = "peta_tooltip"
#: Road statuses from the highest level of government down (``geo.analyse.authority``).
ROAD_STATUSES: Final[tuple[str, ...]] = tuple(s for s in ROAD_STATUS_COLOURS if s != "unknown")
#: A unit's name shows once the unit is this many screen pixels wide per character of its
#: name (and at least :data:`LABEL_MIN_PX`): names never pile up on small units.
LABEL_PX_PER_CHAR: Final[float] = 6.5
LABEL_MIN_PX: Final[float] = 60.0
#: Names show from this zoom on at the earliest (a national view would be a carpet of names).
LABEL_FIRST_ZOOM: Final[float] = 6.0
#: Web-Mercator tiles are 256 pixels wide at zoom 0.
_TILE_PX: Final[int] = 256

_TEXT: Final[dict[str, dict[str, str]]] = ORIENTATION_TEXT

_IRRIGATION_STYLE: Final[dict[str, object]] = {
    "color": IRRIGATION_AREA_COLOUR,
    "weight": 1.8,
    "opacity": 0.95,
    "dashArray": "6 4",
    "fill": False,
}

_LABEL_CSS: Final[str] = """
<style>
.peta-unit-label { pointer-events: none; }
.peta-unit-label span {
  display: inline-block; transform: translate(-50%, -50%); white-space: nowrap;
  font: 600 11px/1.2 system-ui, sans-serif; color: #333; letter-spacing: 0.02em;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff;
}
</style>
"""


def orientation_text(key: str, lang: str = "id", *, level: str | None = None) -> str:
    """A label of this module in ``lang`` (layer names, legend sections); units named for
    ``level`` (:func:`geo.read.reference.unit_level`)."""
    return with_units(_TEXT[check_language(lang)][key], level, lang)


def label_css() -> str:
    """The style of unit names (for the map's header)."""
    return _LABEL_CSS


def road_style(status: str) -> dict[str, object]:
    """Leaflet path options of a road of ``status``; any other status (none) drawn as
    ``unknown``."""
    known = status if status in ROAD_STATUS_COLOURS else "unknown"
    return {
        "color": ROAD_STATUS_COLOURS[known],
        "weight": ROAD_STATUS_WEIGHTS[known],
        "opacity": 0.9,
        "lineCap": "round",
    }


def road_network_layer(roads: gpd.GeoDataFrame, *, lang: str = "id") -> folium.FeatureGroup:
    """The road network (display geometry, EPSG:4326), one style per status, highest last.

    Each road's tooltip names it, its ruas code and its status (escaped).
    """
    text = _TEXT[check_language(lang)]
    group = folium.FeatureGroup(name=text["roads"])
    lines = _lines(roads)
    if lines.empty:
        return group
    lines = lines.assign(**{TOOLTIP_PROPERTY: road_tooltips(lines, lang=lang)})
    statuses = _statuses(lines)
    # Lowest status first, so a national road is drawn over the district roads meeting it.
    for status in [*reversed(ROAD_STATUSES), None]:
        chosen = ~statuses.isin(ROAD_STATUSES) if status is None else statuses == status
        if chosen.any():
            FastGeoJson(
                lines.loc[chosen.to_numpy(), [TOOLTIP_PROPERTY, "geometry"]],
                style=road_style(status or "unknown"),
                tooltip_property=TOOLTIP_PROPERTY,
                properties=[TOOLTIP_PROPERTY],
            ).add_to(group)
    return group


def road_tooltips(roads: pd.DataFrame, *, lang: str = "id") -> list[str]:
    """One escaped tooltip per road: name, ruas code, status (and decree when given)."""
    text = _TEXT[check_language(lang)]
    names = _column(roads, "name")
    ids = _column(roads, "road_id")
    decrees = _column(roads, "decree")
    tips = []
    for name, road_id, status, decree in zip(names, ids, _statuses(roads), decrees, strict=True):
        head = escape_html(name) if name else escape_html(f"{text['road']} {road_id}")
        parts = [f"<b>{head}</b>"]
        if road_id:
            parts.append(escape_html(f"{text['road']} {road_id}"))
        parts.append(escape_html(road_status_label(status, lang)) if status else "")
        if decree:
            parts.append(escape_html(f"{text['decree']} {decree}"))
        tips.append("<br>".join(p for p in parts if p))
    return tips


def irrigation_area_layer(areas: gpd.GeoDataFrame, *, lang: str = "id") -> folium.FeatureGroup:
    """Daerah Irigasi outlines (display geometry, EPSG:4326), dashed, unfilled, each with a
    tooltip of its name, area and authority (escaped)."""
    text = _TEXT[check_language(lang)]
    group = folium.FeatureGroup(name=text["irrigation_areas"])
    shapes = _polygons(areas)
    if shapes.empty:
        return group
    shapes = shapes.assign(**{TOOLTIP_PROPERTY: irrigation_tooltips(shapes, lang=lang)})
    FastGeoJson(
        shapes[[TOOLTIP_PROPERTY, "geometry"]],
        style=_IRRIGATION_STYLE,
        tooltip_property=TOOLTIP_PROPERTY,
        properties=[TOOLTIP_PROPERTY],
    ).add_to(group)
    return group


def irrigation_tooltips(areas: pd.DataFrame, *, lang: str = "id") -> list[str]:
    """One escaped tooltip per Daerah Irigasi: name, area (ha) and authority when known."""
    text = _TEXT[check_language(lang)]
    names = _column(areas, "name")
    ids = _column(areas, "di_id")
    hectares = pd.to_numeric(
        areas["area_ha"] if "area_ha" in areas else pd.Series(np.nan, index=areas.index),
        errors="coerce",
    ).to_numpy(dtype=float)
    authorities = _column(areas, "authority")
    tips = []
    for name, di_id, area_ha, authority in zip(names, ids, hectares, authorities, strict=True):
        parts = [f"<b>{escape_html(name or di_id)}</b>"]
        if np.isfinite(area_ha):
            area = format_number(area_ha, 1, lang=lang)
            parts.append(escape_html(f"{text['area']} {area} ha"))
        if authority:
            parts.append(escape_html(f"{text['authority']}: {_level_text(authority, lang)}"))
        tips.append("<br>".join(parts))
    return tips


def unit_label_layer(units: gpd.GeoDataFrame, *, lang: str = "id") -> folium.FeatureGroup:
    """The units' names (``unit_name``, else ``unit_id``) at a point inside each unit, each
    shown from the zoom at which its unit is wide enough on screen to hold it
    (:func:`label_min_zoom`): kabupaten/kota names at a province's zoom, kecamatan names as
    one zooms in. Not interactive: clicks reach the projects under them."""
    name = orientation_text("unit_names", lang, level=unit_level(units))
    group = folium.FeatureGroup(name=name)
    labels = unit_labels(units)
    if labels:
        _UnitLabels(labels).add_to(group)
    return group


def unit_labels(units: gpd.GeoDataFrame) -> list[list[object]]:
    """``[lat, lon, escaped name, min zoom]`` per unit with a shape, biggest units first."""
    shapes = units[~(units.geometry.isna() | units.geometry.is_empty)]
    if shapes.empty:
        return []
    geoms = np.asarray(shapes.geometry.values, dtype=object)
    names = _column(shapes, "unit_name")
    ids = _column(shapes, "unit_id")
    names = [name or unit_id for name, unit_id in zip(names, ids, strict=True)]
    bounds = shapely.bounds(geoms)
    widths = np.minimum(bounds[:, 2] - bounds[:, 0], (bounds[:, 3] - bounds[:, 1]) * 1.5)
    points = shapely.point_on_surface(geoms)
    rows = [
        [
            round(float(shapely.get_y(point)), 5),
            round(float(shapely.get_x(point)), 5),
            escape_html(name),
            label_min_zoom(float(width), len(name)),
        ]
        for point, name, width in zip(points, names, widths, strict=True)
        if name
    ]
    return sorted(rows, key=lambda row: row[3])


def label_min_zoom(width_deg: float, characters: int) -> float:
    """The zoom (half steps) from which a unit ``width_deg`` wide holds a name of
    ``characters`` characters, never before :data:`LABEL_FIRST_ZOOM`.

    >>> label_min_zoom(1.0, 18)  # a kabupaten about 110 km wide
    7.5
    >>> label_min_zoom(0.1, 14)  # a kecamatan about 11 km wide
    10.5
    """
    need_px = max(LABEL_MIN_PX, LABEL_PX_PER_CHAR * characters)
    width_deg = max(width_deg, 1e-6)
    zoom = math.log2(need_px * 360.0 / (_TILE_PX * width_deg))
    return max(LABEL_FIRST_ZOOM, math.ceil(zoom * 2) / 2)


class _UnitLabels(MacroElement):
    """Names as non-interactive markers, each on the map only from its zoom on."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.script_text() }}{% endmacro %}")

    def __init__(self, labels: list[list[object]]) -> None:
        super().__init__()
        self._name = "UnitLabels"
        # JSON of escaped text; "</" split so the string can never close a <script>.
        self.labels_json = json.dumps(labels, ensure_ascii=False).replace("</", "<\\/")

    def script_text(self) -> str:
        """The JavaScript that places the names and follows the zoom."""
        return (
            "(function (group, labels) {\n"
            "  var markers = labels.map(function (l) {\n"
            "    var icon = L.divIcon({className: 'peta-unit-label', iconSize: null,\n"
            "                          html: '<span>' + l[2] + '</span>'});\n"
            "    return [l[3], L.marker([l[0], l[1]],\n"
            "      {icon: icon, interactive: false, keyboard: false})];\n"
            "  });\n"
            "  var map = null;\n"
            "  function update() {\n"
            "    if (!map) { return; }\n"
            "    var zoom = map.getZoom();\n"
            "    markers.forEach(function (m) {\n"
            "      var shown = group.hasLayer(m[1]);\n"
            "      if (zoom >= m[0] && !shown) { group.addLayer(m[1]); }\n"
            "      else if (zoom < m[0] && shown) { group.removeLayer(m[1]); }\n"
            "    });\n"
            "  }\n"
            "  function attach() {\n"
            "    if (!group._map || map === group._map) { return; }\n"
            "    map = group._map; map.on('zoomend', update); update();\n"
            "  }\n"
            "  group.on('add', attach);\n"
            "  group.on('remove', function () {\n"
            "    if (map) { map.off('zoomend', update); map = null; } });\n"
            "  attach();\n"
            f"}})({self._parent.get_name()}, {self.labels_json});"
        )


def deciding_references(
    mismatches: pd.DataFrame,
    roads: gpd.GeoDataFrame | None,
    irrigation_areas: gpd.GeoDataFrame | None,
) -> tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None]:
    """The roads and Daerah Irigasi that decide ``mismatches`` (``reference_kind``,
    ``reference_id`` of :func:`geo.analyse.authority.find_mismatches`): ``(roads, areas)``, each None
    when no finding cites one. A Daerah Irigasi carries the authority the finding expects."""
    if mismatches is None or mismatches.empty or "reference_id" not in mismatches:
        return None, None
    kinds = mismatches["reference_kind"].astype(str)
    ids = mismatches["reference_id"].astype(str)
    road_ids = set(ids[kinds == "road"])
    decided_roads = None
    if roads is not None and road_ids and "road_id" in roads:
        decided_roads = roads[roads["road_id"].astype(str).isin(road_ids)]
    decided_areas = None
    area_rows = mismatches[(kinds == "irrigation_area").to_numpy()]
    if irrigation_areas is not None and len(area_rows) and "di_id" in irrigation_areas:
        expected = dict(
            zip(area_rows["reference_id"].astype(str), area_rows["expected_level"], strict=True)
        )
        chosen = irrigation_areas[irrigation_areas["di_id"].astype(str).isin(set(expected))]
        authority = chosen.get("authority", pd.Series(None, index=chosen.index, dtype=object))
        filled = chosen["di_id"].astype(str).map(expected)
        decided_areas = chosen.assign(authority=authority.where(authority.notna(), filled))
    return decided_roads, decided_areas


def deciding_layer(
    roads: gpd.GeoDataFrame | None,
    areas: gpd.GeoDataFrame | None,
    *,
    lang: str = "id",
) -> folium.FeatureGroup:
    """The roads and Daerah Irigasi deciding authority findings (display geometry), drawn
    wide in their status's colour under a thin vermillion line, tooltips with the status."""
    text = _TEXT[check_language(lang)]
    group = folium.FeatureGroup(name=text["deciding"])
    lines = _lines(roads) if roads is not None else None
    if lines is not None and len(lines):
        lines = lines.assign(**{TOOLTIP_PROPERTY: road_tooltips(lines, lang=lang)})
        statuses = _statuses(lines)
        for status in dict.fromkeys(statuses):
            chosen = (statuses == status).to_numpy()
            style = road_style(status)
            FastGeoJson(
                lines.loc[chosen, [TOOLTIP_PROPERTY, "geometry"]],
                style={**style, "weight": float(style["weight"]) + 6, "opacity": 0.75},
                tooltip_property=TOOLTIP_PROPERTY,
                properties=[TOOLTIP_PROPERTY],
            ).add_to(group)
    shapes = _polygons(areas) if areas is not None else None
    if shapes is not None and len(shapes):
        shapes = shapes.assign(**{TOOLTIP_PROPERTY: irrigation_tooltips(shapes, lang=lang)})
        FastGeoJson(
            shapes[[TOOLTIP_PROPERTY, "geometry"]],
            style={**_IRRIGATION_STYLE, "weight": 4, "color": FINDING_COLOUR, "dashArray": "8 5"},
            tooltip_property=TOOLTIP_PROPERTY,
            properties=[TOOLTIP_PROPERTY],
        ).add_to(group)
    return group


def legend_entries(
    *,
    lang: str = "id",
    roads: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    unit_names: bool = False,
    unit_level: str | None = None,
    deciding: bool = False,
) -> list[tuple[str, str, dict[str, str]]]:
    """The legend rows of the base map as ``(svg symbol, label, data attributes)``: one line
    per road status present, the D.I. outline, the unit names (named for ``unit_level``:
    kabupaten/kota, kecamatan, ...) and, on Kewenangan, what decides a finding
    (:func:`layers.project_map.legend_html` writes them)."""
    text = _TEXT[check_language(lang)]
    rows: list[tuple[str, str, dict[str, str]]] = []
    if roads is not None and len(roads):
        present = set(_statuses(roads))
        shown = [status for status in ROAD_STATUSES if status in present]
        if present - set(ROAD_STATUSES):  # roads the network gives no status
            shown.append("unknown")
        for status in shown:
            style = road_style(status)
            symbol = _line_symbol(str(style["color"]), float(style["weight"]))
            rows.append((symbol, road_status_label(status, lang), {"road_status": status}))
    if irrigation_areas is not None and len(irrigation_areas):
        rows.append((_outline_symbol(), text["irrigation_areas"], {"reference": "irrigation"}))
    if unit_names:
        names = orientation_text("unit_names", lang, level=unit_level)
        rows.append((_name_symbol(), names, {"reference": "unit_names"}))
    if deciding:
        symbol = _line_symbol(ROAD_STATUS_COLOURS["provinsi"], 8, opacity=0.75)
        rows.append((symbol, text["deciding"], {"reference": "deciding"}))
    return rows


def _line_symbol(colour: str, weight: float, *, opacity: float = 1.0) -> str:
    return (
        '<svg width="18" height="12" aria-hidden="true">'
        f'<line x1="1" y1="6" x2="17" y2="6" stroke="{colour}" stroke-width="{weight:g}" '
        f'stroke-opacity="{opacity:g}" stroke-linecap="round"/></svg>'
    )


def _outline_symbol() -> str:
    return (
        '<svg width="18" height="12" aria-hidden="true">'
        f'<rect x="1.5" y="1.5" width="15" height="9" fill="none" '
        f'stroke="{IRRIGATION_AREA_COLOUR}" stroke-width="1.8" stroke-dasharray="4 2"/></svg>'
    )


def _name_symbol() -> str:
    return (
        '<svg width="18" height="12" aria-hidden="true">'
        '<text x="9" y="10" text-anchor="middle" font-size="10" font-weight="700" '
        'fill="#333">Aa</text></svg>'
    )


def _column(frame: pd.DataFrame, name: str) -> list[str]:
    """A text column as plain strings, missing values as ``""``."""
    if name not in frame:
        return [""] * len(frame)
    return ["" if is_missing(v) else str(v).strip() for v in frame[name].to_numpy(dtype=object)]


def _statuses(roads: pd.DataFrame) -> pd.Series:
    """Each road's status in lower case (``""`` when missing)."""
    return pd.Series(
        [s.casefold() for s in _column(roads, "status")], index=roads.index, dtype=object
    )


def _level_text(value: str, lang: str) -> str:
    try:
        return level_label(value.casefold(), lang)
    except KeyError:
        return value


def _lines(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rows of ``layer`` with a line geometry (others cannot be drawn as roads)."""
    kinds = layer.geom_type
    return layer[kinds.isin(["LineString", "MultiLineString"]).to_numpy()]


def _polygons(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rows of ``layer`` with a polygon geometry."""
    kinds = layer.geom_type
    return layer[kinds.isin(["Polygon", "MultiPolygon"]).to_numpy()]
