"""A lean GeoJSON layer for large layers: one style for all features, JSON built in bulk.

folium's ``GeoJson`` evaluates a style function per feature and round-trips the data through
Python dicts: for a province of 20k features that alone takes seconds and tens of MB. This
element writes the features with :func:`shapely.to_geojson` in one vectorised call and lets
Leaflet style them with one constant style (on a canvas when the map prefers it).

Only hex ids and text already escaped by :func:`layers.html.escape_html` go into the
properties, so nothing in the data can close the ``<script>`` it is embedded in.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring

import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template


def feature_rows(layer: gpd.GeoDataFrame, properties: list[str]) -> str:
    """Features of ``layer`` (EPSG:4326) as a compact JSON array: per feature its property
    values (text, in the order of ``properties``) and then its GeoJSON geometry.

    Without the ``Feature`` wrapper and property names on every feature the text is a fifth
    shorter than a FeatureCollection; Leaflet rebuilds the features (see :class:`FastGeoJson`).

    >>> from shapely import Point
    >>> layer = gpd.GeoDataFrame({"t": ["a&amp;b"]}, geometry=[Point(103.5, -1.5)], crs=4326)
    >>> feature_rows(layer, ["t"])
    '[["a&amp;b",{"type":"Point","coordinates":[103.5,-1.5]}]]'
    """
    geoms = np.asarray(layer.geometry.values, dtype=object)
    shapes = shapely.to_geojson(geoms)
    # Each value JSON-encoded by the C encoder, then joined as text.
    columns = [
        [encode_basestring(str(value)) for value in layer[name].to_numpy(dtype=object)]
        for name in properties
    ]
    rows = [
        "[" + "".join(values[position] + "," for values in columns) + shape + "]"
        for position, shape in enumerate(shapes)
    ]
    return "[" + ",".join(rows) + "]"


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
        Name of the property bound as the feature's tooltip.
    properties
        Properties written to the GeoJSON (the tooltip and, e.g., a hex project reference).
    """

    # streamlit-folium reads each element's ``script`` macro; the macro returns the prepared
    # text, so Jinja never parses the features.
    _template = Template("{% macro script(this, kwargs) %}{{ this.script_text() }}{% endmacro %}")

    _SCRIPT = """
var {name} = L.featureGroup().addTo({parent});
(function (rows, names, style) {{
    var options = {{pointToLayer: function (f, latlng) {{ return L.circleMarker(latlng, style); }}}};
    for (var i = 0; i < rows.length; i++) {{
        var row = rows[i], properties = {{}};
        for (var k = 0; k < names.length; k++) {{ properties[names[k]] = row[k]; }}
        var feature = {{type: "Feature", properties: properties, geometry: row[names.length]}};
        var layer = L.GeoJSON.geometryToLayer(feature, options);
        layer.feature = feature;
        if (layer.setStyle) {{ layer.setStyle(style); }}
        layer.bindTooltip(properties.{tooltip}, {{sticky: true}});
        {name}.addLayer(layer);
    }}
}})({data}, {names}, {style});
"""

    def __init__(
        self,
        layer: gpd.GeoDataFrame,
        *,
        style: dict[str, object],
        tooltip_property: str,
        properties: list[str],
    ) -> None:
        super().__init__()
        self._name = "FastGeoJson"
        if not tooltip_property.isidentifier():
            raise ValueError(f"tooltip_property must be an identifier; got {tooltip_property!r}")
        self.tooltip_property = tooltip_property
        if tooltip_property not in properties:
            raise ValueError(f"properties must include the tooltip {tooltip_property!r}")
        self.names = json.dumps(properties)
        self.data = feature_rows(layer, properties)
        self.style = json.dumps(style)

    def script_text(self) -> str:
        """The JavaScript that adds the features to the parent layer."""
        return self._SCRIPT.format(
            name=self.get_name(),
            data=self.data,
            names=self.names,
            style=self.style,
            tooltip=self.tooltip_property,
            parent=self._parent.get_name(),
        )

    def render(self, **kwargs) -> None:
        """Add the layer's script to the figure as raw text (see :class:`_RawScript`)."""
        self.get_root().script.add_child(_RawScript(self.script_text()), name=self.get_name())
