"""A lean layer for large layers: one style for all features, compact coordinates.

folium's ``GeoJson`` evaluates a style function per feature and round-trips the data through
Python dicts: for a province of 20k features that alone takes seconds and tens of MB. This
element encodes the features in bulk (:func:`encode_features`: shapely's ragged arrays,
delta-encoded integer coordinates) and lets Leaflet draw them with one constant style (on a
canvas when the map prefers it).

Only hex ids and text already escaped by :func:`layers.html.escape_html` go into the
properties, so nothing in the data can close the ``<script>`` it is embedded in.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

#: Geometry kinds of the encoding (shapely's ragged-array type ids).
_POINTS, _LINES, _POLYGONS = 0, 5, 6


def encode_features(layer: gpd.GeoDataFrame, properties: list[str]) -> str:
    """Features of one kind as compact JSON: delta-encoded integer coordinates plus offsets.

    Coordinates (EPSG:4326, already rounded for display) become integers at the finest of
    4-6 decimals that holds them exactly; within each line or ring every point after the
    first is stored as its difference to the one before, which for dense road vertices is a
    few digits instead of twenty characters. Properties are text columns, in order.

    Returns
    -------
    str
        ``{"t": kind, "s": scale, "c": [x, y, dx, dy, ...], "o": [offsets...], "p": [...]}``
        where ``t`` is 0 (points), 5 (lines) or 6 (polygons) and ``o`` are shapely's ragged
        offsets (parts into coordinates, geometries into parts; rings, polygons, geometries).

    Examples
    --------
    >>> from shapely import LineString
    >>> roads = gpd.GeoDataFrame({"t": ["a"]},
    ...     geometry=[LineString([(103.5, -1.5), (103.5001, -1.4999)])], crs=4326)
    >>> encode_features(roads, ["t"])
    '{"t":5,"s":10000,"c":[1035000,-15000,1,1],"o":[[0,2],[0,1]],"p":[["a"]]}'
    """
    geoms = np.asarray(layer.geometry.values, dtype=object)
    kind, coords, offsets = shapely.to_ragged_array(geoms)
    kind = int(kind)
    count = len(geoms)
    offsets = [np.asarray(o) for o in offsets]
    if kind == 1:  # LineString only: one part per geometry
        kind, offsets = _LINES, [offsets[0], np.arange(count + 1)]
    elif kind == 3:  # Polygon only: one polygon per geometry
        kind, offsets = _POLYGONS, [offsets[0], offsets[1], np.arange(count + 1)]
    if kind not in (_POINTS, _LINES, _POLYGONS):
        raise ValueError(f"one geometry kind per layer: points, lines or polygons; got {kind}")
    scale = _scale(coords)
    grid = np.round(coords * scale).astype(np.int64)
    values = grid.copy()
    if kind != _POINTS:
        values[1:] -= grid[:-1]
        starts = offsets[0][:-1]
        values[starts] = grid[starts]  # each line or ring starts with an absolute point
    columns = [[str(value) for value in layer[name].to_numpy(dtype=object)] for name in properties]
    return json.dumps(
        {
            "t": kind,
            "s": scale,
            "c": values.ravel().tolist(),
            "o": [o.tolist() for o in offsets],
            "p": columns,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _scale(coords: np.ndarray) -> int:
    """The smallest of 10**4, 10**5, 10**6 at which every coordinate is a whole number."""
    for decimals in (4, 5, 6):
        scale = 10**decimals
        scaled = coords * scale
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-3):
            return scale
    return 10**6


class _RawScript(Element):
    """Script inserted as is at render time: never compiled as a Jinja template.

    branca compiles each element's rendered script as a template, which costs seconds on MB
    of features (and would evaluate ``{{ }}`` in them); this element skips that.
    """

    _template = Template("{{ this.content }}")

    def __init__(self, content: str) -> None:
        super().__init__()
        self._name = "RawScript"
        self.content = content


class FastGeoJson(MacroElement):
    """Features drawn with one style, points as circle markers, each with its tooltip.

    Parameters
    ----------
    layer
        Features in EPSG:4326 with the ``tooltip_property`` (escaped HTML) and any other
        properties listed in ``properties``.
    style
        Leaflet path options for every feature (also used for the circle markers).
    tooltip_property
        Name of the property bound as the feature's tooltip; None for none (e.g. boundaries,
        drawn with ``"interactive": False`` in their style).
    properties
        Properties written to the GeoJSON (the tooltip and, e.g., a hex project reference).
    """

    # streamlit-folium reads each element's ``script`` macro; the macro returns the prepared
    # text, so Jinja never parses the features.
    _template = Template("{% macro script(this, kwargs) %}{{ this.script_text() }}{% endmacro %}")

    _SCRIPT = """
var {name} = L.featureGroup().addTo({parent});
(function (d, names, style, group) {{
    var c = d.c, s = d.s, o = d.o;
    function part(a, b) {{
        var points = [], x = 0, y = 0;
        for (var i = a; i < b; i++) {{ x += c[2 * i]; y += c[2 * i + 1]; points.push([y / s, x / s]); }}
        return points;
    }}
    var count = d.t === 0 ? c.length / 2 : o[o.length - 1].length - 1;
    for (var g = 0; g < count; g++) {{
        var layer;
        if (d.t === 0) {{
            layer = L.circleMarker([c[2 * g + 1] / s, c[2 * g] / s], style);
        }} else if (d.t === 5) {{
            var lines = [];
            for (var p = o[1][g]; p < o[1][g + 1]; p++) {{ lines.push(part(o[0][p], o[0][p + 1])); }}
            layer = L.polyline(lines.length === 1 ? lines[0] : lines, style);
        }} else {{
            var polygons = [];
            for (var q = o[2][g]; q < o[2][g + 1]; q++) {{
                var rings = [];
                for (var r = o[1][q]; r < o[1][q + 1]; r++) {{ rings.push(part(o[0][r], o[0][r + 1])); }}
                polygons.push(rings);
            }}
            layer = L.polygon(polygons.length === 1 ? polygons[0] : polygons, style);
        }}
        var properties = {{}};
        for (var k = 0; k < names.length; k++) {{ properties[names[k]] = d.p[k][g]; }}
        // streamlit-folium reports layer.toGeoJSON() on a click: it carries these properties.
        layer.feature = {{type: "Feature", properties: properties, geometry: null}};
        {bind_tooltip}
        group.addLayer(layer);
    }}
}})({data}, {names}, {style}, {name});
"""

    def __init__(
        self,
        layer: gpd.GeoDataFrame,
        *,
        style: dict[str, object],
        tooltip_property: str | None,
        properties: list[str],
    ) -> None:
        super().__init__()
        self._name = "FastGeoJson"
        if tooltip_property is not None and not tooltip_property.isidentifier():
            raise ValueError(f"tooltip_property must be an identifier; got {tooltip_property!r}")
        self.tooltip_property = tooltip_property
        if tooltip_property is not None and tooltip_property not in properties:
            raise ValueError(f"properties must include the tooltip {tooltip_property!r}")
        self.names = json.dumps(properties)
        self.data = encode_features(layer, properties)
        self.style = json.dumps(style)

    def script_text(self) -> str:
        """The JavaScript that adds the features to the parent layer."""
        return self._SCRIPT.format(
            name=self.get_name(),
            data=self.data,
            names=self.names,
            style=self.style,
            bind_tooltip=""
            if self.tooltip_property is None
            else f"layer.bindTooltip(properties.{self.tooltip_property}, {{sticky: true}});",
            parent=self._parent.get_name(),
        )

    def render(self, **kwargs) -> None:
        """Add the layer's script to the figure as raw text (see :class:`_RawScript`)."""
        self.get_root().script.add_child(_RawScript(self.script_text()), name=self.get_name())
