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


def features_json(layer: gpd.GeoDataFrame, properties: list[str]) -> str:
    """A GeoJSON FeatureCollection of ``layer`` (EPSG:4326) with the given text properties.

    >>> from shapely import Point
    >>> layer = gpd.GeoDataFrame({"t": ["a&amp;b"]}, geometry=[Point(103.5, -1.5)], crs=4326)
    >>> features_json(layer, ["t"])
    '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[103.5,-1.5]},"properties":{"t":"a&amp;b"}}]}'
    """
    geoms = np.asarray(layer.geometry.values, dtype=object)
    shapes = shapely.to_geojson(geoms)
    # Each property value JSON-encoded once (C speed), then joined as text.
    columns = [
        [encode_basestring(str(value)) for value in layer[name].to_numpy(dtype=object)]
        for name in properties
    ]
    keys = [encode_basestring(name) for name in properties]
    parts = []
    for position, shape in enumerate(shapes):
        props = ",".join(
            f"{key}:{values[position]}" for key, values in zip(keys, columns, strict=True)
        )
        parts.append('{"type":"Feature","geometry":' + shape + ',"properties":{' + props + "}}")
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


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
var {name} = L.geoJSON({data}, {{
    style: function () {{ return {style}; }},
    pointToLayer: function (feature, latlng) {{ return L.circleMarker(latlng, {style}); }},
    onEachFeature: function (feature, layer) {{
        layer.bindTooltip(feature.properties.{tooltip}, {{sticky: true}});
    }}
}}).addTo({parent});
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
        self.data = features_json(layer, properties)
        self.style = json.dumps(style)

    def script_text(self) -> str:
        """The JavaScript that adds the features to the parent layer."""
        return self._SCRIPT.format(
            name=self.get_name(),
            data=self.data,
            style=self.style,
            tooltip=self.tooltip_property,
            parent=self._parent.get_name(),
        )

    def render(self, **kwargs) -> None:
        """Add the layer's script to the figure as raw text (see :class:`_RawScript`)."""
        self.get_root().script.add_child(_RawScript(self.script_text()), name=self.get_name())
