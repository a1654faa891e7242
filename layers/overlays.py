"""Layers drawn over the projects: highlighted findings and the coverage-gap choropleth.

Plus the display copy of large layers: coordinates rounded and lines simplified for the screen
(the analyses always use the stored, full geometry). Every value reaching HTML is escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.utilities import JsCode

from geo.read.reference import unit_level
from layers.fast_geojson import FastGeoJson
from layers.formatting import MISSING, format_decimal_id, format_rupiah, is_missing
from layers.html import escape_html
from layers.palette import (
    FINDING_COLOUR,
    GAP_CLASS_EDGES,
    GAP_COLOURS,
    REVIEWED_COLOUR,
    check_language,
    level_label,
)
from layers.tables import ruas_sta, shared_part
from layers.words import OVERLAY_TEXT, value_label, with_units

#: GeoJSON property holding a finding's id: a click on the map reports it back.
FINDING_PROPERTY: Final[str] = "peta_finding"
#: GeoJSON property holding a feature's ready-made, escaped tooltip (same as the projects').
TOOLTIP_PROPERTY: Final[str] = "peta_tooltip"
#: Display coordinates are rounded to a grid of this share of the layer's extent, between
#: 4 decimals of a degree (about 11 m, for a province) and 6 (about 0.1 m): a few hundredths
#: of a pixel at the zoom that fits the layer.
DISPLAY_GRID_SHARE: Final[float] = 1 / 20000
DISPLAY_DECIMALS_RANGE: Final[tuple[int, int]] = (4, 6)
#: Lines and polygons are simplified to this share of the layer's extent for display: well
#: under a pixel at the zoom that fits the layer (Leaflet simplifies further as one zooms out).
DISPLAY_SIMPLIFY_SHARE: Final[float] = 1 / 5000
#: From this many findings on, they are drawn in bulk with a short tooltip (the full record
#: shows in the app when one is clicked): 5,000 full tooltips alone would be about 3 MB.
LARGE_FINDINGS: Final[int] = 1000

_TEXT: Final[dict[str, dict[str, str]]] = OVERLAY_TEXT

_BIND_TOOLTIP: Final[JsCode] = JsCode(
    "function (feature, layer) {"
    f" layer.bindTooltip(feature.properties.{TOOLTIP_PROPERTY}, {{sticky: true}}); }}"
)


def layer_text(key: str, lang: str = "id") -> str:
    """A label of this module in ``lang`` (e.g. the legend's ``"overlaps"``)."""
    return _TEXT[check_language(lang)][key]


def display_copy(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``layer`` (EPSG:4326) with geometry simplified and rounded for drawing only.

    Lines and polygons are simplified to :data:`DISPLAY_SIMPLIFY_SHARE` of the layer's extent
    (topology kept, so no feature vanishes) and every coordinate is rounded to a grid of
    :data:`DISPLAY_GRID_SHARE` of the extent (4 to 6 decimals): the GeoJSON sent to the
    browser shrinks several-fold.

    >>> from shapely import LineString
    >>> line = gpd.GeoDataFrame(geometry=[LineString([(103.123456789, -1.5), (103.5, -1.2)])],
    ...     crs=4326)
    >>> display_copy(line).geometry.iloc[0].coords[0]
    (103.12346, -1.5)
    """
    if layer.empty:
        return layer
    west, south, east, north = layer.total_bounds
    extent = max(east - west, north - south)
    low, high = DISPLAY_DECIMALS_RANGE
    decimals = high
    if np.isfinite(extent) and extent > 0:
        decimals = int(np.clip(np.ceil(-np.log10(extent * DISPLAY_GRID_SHARE)), low, high))
    return display_geometry(layer, extent * DISPLAY_SIMPLIFY_SHARE, decimals)


def display_geometry(
    layer: gpd.GeoDataFrame, tolerance_deg: float, decimals: int
) -> gpd.GeoDataFrame:
    """``layer`` simplified to ``tolerance_deg`` (topology kept; skipped unless positive) and
    rounded to ``decimals`` decimals of a degree: the display copy of any map."""
    geoms = np.asarray(layer.geometry.values, dtype=object)
    if np.isfinite(tolerance_deg) and tolerance_deg > 0:
        geoms = shapely.simplify(geoms, tolerance_deg, preserve_topology=True)
    geoms = shapely.set_precision(geoms, 10.0**-decimals, mode="pointwise")
    return layer.set_geometry(gpd.GeoSeries(geoms, index=layer.index, crs=layer.crs))


def findings_layer(
    findings: gpd.GeoDataFrame,
    *,
    reviews: pd.DataFrame | None = None,
    lang: str = "id",
    name_key: str = "overlaps",
) -> folium.FeatureGroup:
    """Findings highlighted in vermillion; dismissed ones grey, confirmed ones solid.

    Parameters
    ----------
    findings
        EPSG:4326 with ``finding_id`` and geometry; overlap columns (``name_a``, ``name_b``,
        ``overlap_m`` ...) or authority columns (``name``, ``rule``, ...) feed the tooltip.
    reviews
        Latest decision per finding (``finding_id``, ``decision``, ``note``).
    lang
        ``"id"`` or ``"en"``.
    name_key
        ``"overlaps"`` or ``"mismatches"``: the layer's name in the layer control.
    """
    lang = check_language(lang)
    decisions = _decisions(findings, reviews)
    if len(findings) >= LARGE_FINDINGS:
        return _large_findings_layer(findings, decisions, lang=lang, name_key=name_key)
    drawn = findings.assign(
        **{
            TOOLTIP_PROPERTY: finding_tooltip_html(findings, decisions, lang=lang),
            FINDING_PROPERTY: findings["finding_id"].astype(str),
            "peta_decision": decisions["decision"].fillna("open").to_numpy(),
        }
    )
    drawn = drawn[~(drawn.geometry.isna() | drawn.geometry.is_empty)]
    layer = folium.FeatureGroup(name=f"{layer_text(name_key, lang)} ({len(drawn)})")
    if len(drawn):
        folium.GeoJson(
            display_copy(drawn[[TOOLTIP_PROPERTY, FINDING_PROPERTY, "peta_decision", "geometry"]]),
            style_function=_finding_style,
            marker=folium.CircleMarker(radius=11),
            on_each_feature=_BIND_TOOLTIP,
            control=False,
        ).add_to(layer)
    return layer


def _large_findings_layer(
    findings: gpd.GeoDataFrame, decisions: pd.DataFrame, *, lang: str, name_key: str
) -> folium.FeatureGroup:
    """:func:`findings_layer` in bulk (:class:`layers.fast_geojson.FastGeoJson`): one style per
    decision and geometry kind, a short tooltip (the id and the review), the id for a click."""
    text = _TEXT[lang]
    status = _status_text(decisions, text)
    drawn = findings[["finding_id", "geometry"]].assign(
        **{
            TOOLTIP_PROPERTY: [
                f"<b>{escape_html(text['finding'])} {escape_html(f)}</b> {escape_html(s)}"
                for f, s in zip(findings["finding_id"], status, strict=True)
            ],
            FINDING_PROPERTY: findings["finding_id"].astype(str).to_numpy(),
            "peta_decision": decisions["decision"].fillna("open").to_numpy(),
        }
    )
    drawn = display_copy(drawn.explode(index_parts=False))
    drawn = drawn[~(drawn.geometry.isna() | drawn.geometry.is_empty)]
    layer = folium.FeatureGroup(name=f"{layer_text(name_key, lang)} ({len(findings)})")
    kinds = drawn.geom_type.map({"Point": "point", "LineString": "line"}).fillna("polygon")
    for decision in ("open", "confirm", "dismiss"):
        for kind in ("polygon", "line", "point"):
            chosen = drawn[(drawn["peta_decision"] == decision) & (kinds == kind)]
            if chosen.empty:
                continue
            geometry = {"polygon": "Polygon", "line": "LineString", "point": "Point"}[kind]
            style = _finding_style({"properties": {"peta_decision": decision},
                                    "geometry": {"type": geometry}})  # fmt: skip
            FastGeoJson(
                chosen,
                style={**style, "radius": 11} if kind == "point" else style,
                tooltip_property=TOOLTIP_PROPERTY,
                properties=[TOOLTIP_PROPERTY, FINDING_PROPERTY],
            ).add_to(layer)
    return layer


def _status_text(decisions: pd.DataFrame, text: dict[str, str]) -> pd.Series:
    """The review state of each finding in words ("belum ditinjau" when none)."""
    return decisions["decision"].map(
        lambda d: text.get(d, text["open"]) if isinstance(d, str) else text["open"]
    )


def _decisions(findings: pd.DataFrame, reviews: pd.DataFrame | None) -> pd.DataFrame:
    """Latest decision and note per finding row (NaN where none)."""
    if reviews is None or reviews.empty:
        return pd.DataFrame(
            {"decision": np.nan, "note": np.nan}, index=findings.index, dtype=object
        )
    latest = reviews.drop_duplicates("finding_id", keep="last").set_index("finding_id")
    joined = latest.reindex(findings["finding_id"].astype(str))[["decision", "note"]]
    return joined.set_axis(findings.index)


def _finding_style(feature: dict) -> dict:
    decision = feature["properties"].get("peta_decision")
    # Only areas (and the circle of a bridge finding) are filled: a filled line draws a wedge.
    geometry = (feature.get("geometry") or {}).get("type", "")
    filled = geometry in ("Polygon", "MultiPolygon", "Point", "MultiPoint")
    if decision == "dismiss":
        return {"color": REVIEWED_COLOUR, "weight": 4, "opacity": 0.8, "dashArray": "4 6",
                "fill": filled, "fillOpacity": 0.05}  # fmt: skip
    return {
        "color": FINDING_COLOUR,
        "weight": 9 if decision == "confirm" else 7,
        "opacity": 0.85,
        "dashArray": None if decision == "confirm" else "10 6",
        "fill": filled,
        "fillColor": FINDING_COLOUR,
        "fillOpacity": 0.25,
    }


def finding_tooltip_html(
    findings: pd.DataFrame, decisions: pd.DataFrame | None = None, *, lang: str = "id"
) -> pd.Series:
    """Each finding as an escaped HTML table: id, the projects, the evidence, the review."""
    text = _TEXT[check_language(lang)]
    if decisions is None:
        decisions = _decisions(findings, None)
    fields: list[tuple[str, pd.Series]] = [(text["finding"], findings["finding_id"])]
    if "name_a" in findings:
        fields += [
            (text["project_a"], _project_text(findings, "a", lang)),
            (text["project_b"], _project_text(findings, "b", lang)),
            (text["shared"], shared_text(findings, lang=lang)),
            *([(text["ruas_sta"], ruas_sta(findings, lang=lang))] if "ruas_id" in findings else []),
            (
                text["budget_at_stake"],
                findings["budget_at_stake_idr"].map(lambda idr: format_rupiah(idr, lang)),
            ),
            (
                text["severity"],
                findings["severity"].map(lambda v: value_label("severity", v, lang)),
            ),
        ]
    if "rule" in findings:
        fields += [
            (
                text["project"],
                findings["name"].astype(str) + " — " + findings["agency"].astype(str),
            ),
            (text["rule"], findings["rule"]),
            (
                text["expected_level"],
                findings["expected_level"].map(
                    lambda level: level_label(level, lang) if level in _LEVELS else level
                ),
            ),
        ]
    status = _status_text(decisions, text)
    notes = decisions["note"].map(lambda n: "" if is_missing(n) else f" — {n}")
    fields.append((text["review"], status + notes))
    rows = pd.Series("", index=findings.index, dtype=object)
    for label, values in fields:
        cells = values.map(lambda value: MISSING if is_missing(value) else escape_html(value))
        rows = rows + f"<tr><th>{escape_html(label)}</th><td>" + cells.astype(object) + "</td></tr>"
    return '<table class="peta-tooltip">' + rows + "</table>"


_LEVELS = ("pusat", "provinsi", "kabupaten", "desa")


def _project_text(findings: pd.DataFrame, side: str, lang: str) -> pd.Series:
    levels = findings[f"level_{side}"].map(
        lambda level: level_label(level, lang) if level in _LEVELS else str(level)
    )
    return (
        findings[f"name_{side}"].astype(str)
        + " ("
        + levels
        + ", "
        + findings[f"agency_{side}"].astype(str)
        + ")"
    )


def shared_text(findings: pd.DataFrame, *, lang: str = "id") -> pd.Series:
    """The evidence of each overlap: ``"3,00 km"``, ``"12,5 ha"`` or ``"8 m terpisah"``
    (:func:`layers.tables.shared_part`)."""
    return shared_part(findings, lang=lang)


def gap_values(coverage: pd.DataFrame) -> tuple[pd.Series, str]:
    """The value the choropleth shows per unit and its key in :func:`layer_text`.

    The share of the unit's road network no project covers (0-1) when a network is loaded,
    otherwise projects per km².
    """
    if "covered_share" in coverage and coverage["covered_share"].notna().any():
        return 1.0 - coverage["covered_share"].astype(float), "uncovered_share"
    return coverage["projects_per_km2"].astype(float), "projects_per_km2"


def gap_classes(values: pd.Series, key: str) -> pd.Series:
    """Class index (0 .. len(GAP_COLOURS)-1) per unit; -1 where there is no value.

    Shares use fixed edges (:data:`GAP_CLASS_EDGES`) so maps of different regions compare;
    densities use quantiles, with more projects drawn lighter (a smaller gap).
    """
    classes = pd.Series(-1, index=values.index, dtype=int)
    present = values.notna()
    if not present.any():
        return classes
    if key == "uncovered_share":
        classes[present] = np.searchsorted(GAP_CLASS_EDGES, values[present], side="right")
    else:
        ranks = values[present].rank(method="min", pct=True)
        classes[present] = np.minimum(((1 - ranks) * len(GAP_COLOURS)).astype(int), 4)
    return classes.clip(upper=len(GAP_COLOURS) - 1).where(present, -1)


def gap_layer(
    units: gpd.GeoDataFrame,
    coverage: pd.DataFrame,
    *,
    lang: str = "id",
    display: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] = display_copy,
) -> folium.FeatureGroup:
    """Units coloured by their coverage gap (darker: larger gap), each with an escaped tooltip.

    Parameters
    ----------
    units
        Administrative units in EPSG:4326 with ``unit_id``: all of them, or those of one view
        of the map (the classes are those of the whole ``coverage`` either way).
    coverage
        :func:`geo.analyse.gaps.coverage_by_unit` of the units.
    display
        Makes the units drawable (default :func:`display_copy`; a view's layers simplify to
        its zoom, :func:`layers.viewport.display_at_zoom`).
    """
    text = _TEXT[check_language(lang)]
    values, key = gap_values(coverage)
    classes = gap_classes(values, key)
    table = coverage.assign(_value=values, _class=classes)[
        ["unit_id", "unit_name", "_value", "_class"]
    ]
    drawn = units[["unit_id", "geometry"]].merge(table, on="unit_id", how="inner")
    drawn = gpd.GeoDataFrame(drawn, geometry="geometry", crs=units.crs)
    value_text = drawn["_value"].map(lambda v: gap_value_text(v, key, lang))
    drawn[TOOLTIP_PROPERTY] = (
        '<table class="peta-tooltip"><tr><th>'
        + escape_html(with_units(text["unit"], unit_level(units), lang))
        + "</th><td>"
        + drawn["unit_name"].map(escape_html).astype(object)
        + "</td></tr><tr><th>"
        + escape_html(text[key])
        + "</th><td>"
        + value_text.map(escape_html).astype(object)
        + "</td></tr></table>"
    )
    drawn["peta_fill"] = [GAP_COLOURS[c] if c >= 0 else "#FFFFFF" for c in drawn["_class"]]
    layer = folium.FeatureGroup(name=f"{text['gaps']}: {text[key]}")
    shapes = display(drawn[[TOOLTIP_PROPERTY, "peta_fill", "geometry"]])
    shapes = shapes[~(shapes.geometry.isna() | shapes.geometry.is_empty)]
    # One bulk layer per class colour: the 514 kabupaten/kota in about a third of the bytes.
    for fill, units_of_class in shapes.groupby("peta_fill", sort=False):
        FastGeoJson(
            units_of_class,
            style={
                "color": "#666666",
                "weight": 1,
                "fill": True,
                "fillColor": fill,
                "fillOpacity": 0.55,
            },  # fmt: skip
            tooltip_property=TOOLTIP_PROPERTY,
            properties=[TOOLTIP_PROPERTY],
        ).add_to(layer)
    return layer


def gap_value_text(value: object, key: str, lang: str = "id") -> str:
    """``"42 %"`` for a share, ``"0,12"`` for a density, ``"–"`` when missing.

    >>> gap_value_text(0.425, "uncovered_share")
    '42,5 %'
    """
    if is_missing(value):
        return MISSING
    if key == "uncovered_share":
        return f"{format_decimal_id(float(value) * 100, 1, lang)} %"
    return format_decimal_id(float(value), 2, lang)


def gap_legend_labels(key: str, lang: str = "id") -> list[tuple[str, str]]:
    """(colour, label) per class of the gap choropleth, lightest first."""
    if key == "uncovered_share":
        edges = [0.0, *GAP_CLASS_EDGES, 1.0]
        return [
            (
                colour,
                f"{gap_value_text(low, key, lang)} – {gap_value_text(high, key, lang)}",
            )
            for colour, low, high in zip(GAP_COLOURS, edges[:-1], edges[1:], strict=True)
        ]
    text = _TEXT[check_language(lang)]
    return [(GAP_COLOURS[0], text["most_projects"]), (GAP_COLOURS[-1], text["fewest_projects"])]
