"""What one view of a large layer sends to the browser: its features, or counts per grid cell.

A national layer of 200,000 projects cannot go to the browser whole: tens of MB of script that
takes minutes to draw. From :data:`DETAIL_MAX_FEATURES` drawn projects on, the map is sent in
two parts instead: a base map (legend, boundaries, findings) that stays put, and the content
of the current view, rebuilt each time the official pans or zooms:

- when the view holds at most :data:`DETAIL_MAX_FEATURES` projects, each of them, simplified to
  a pixel of the current zoom and rounded to a fraction of one;
- otherwise, counts per square grid cell of about :data:`CELL_PX` screen pixels (number of
  projects, per level, budget, overlaps), drawn in five shades of grey with overlap cells
  outlined in vermillion.

Views are snapped outward to a coarse grid (:meth:`MapView.snapped`): a small pan gives the same
content, which the app caches, and the content covers a margin around what is on screen.
"""

from __future__ import annotations

import dataclasses
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

from geo.schema import LEVELS
from layers.fast_geojson import FastGeoJson
from layers.formatting import format_number, format_rupiah
from layers.html import escape_html
from layers.overlays import display_geometry, gap_layer
from layers.palette import FINDING_COLOUR, check_language, level_label
from layers.project_map import (
    TILE_PX,
    VIEW_LEGEND_CLASS,
    boundary_layer,
    fit_zoom,
    legend_row,
    level_layers,
    reference_layers,
    swatch,
)
from layers.words import VIEWPORT_TEXT

#: Views holding more projects than this are drawn as grid cells: at this size a province's
#: features still reach the browser in about 2.5 MB and paint in about 2 s.
DETAIL_MAX_FEATURES: Final[int] = 20_000
#: Side of a grid cell on screen, in CSS pixels (cell sizes are powers of two of a degree).
CELL_PX: Final[int] = 20
#: Shades of the cells, fewest projects first (ColorBrewer "Greys": apart from every level
#: colour and from the vermillion of the findings).
CELL_COLOURS: Final[tuple[str, ...]] = ("#D9D9D9", "#BDBDBD", "#969696", "#636363", "#252525")
#: Name of the property holding a cell's escaped tooltip (the same as the projects').
TOOLTIP_PROPERTY: Final[str] = "peta_tooltip"
#: Most reference roads one view draws: past it the lowest statuses are left out (desa, then
#: kabupaten roads) until they fit; zooming in brings them back.
ROADS_VIEW_MAX: Final[int] = 4000

_TEXT: Final[dict[str, dict[str, str]]] = VIEWPORT_TEXT


@dataclasses.dataclass(frozen=True)
class MapView:
    """The part of the map on screen: bounds in degrees (EPSG:4326) and the Leaflet zoom."""

    west: float
    south: float
    east: float
    north: float
    zoom: float

    @classmethod
    def from_returned(cls, returned: object) -> MapView | None:
        """The view streamlit-folium reported (``bounds`` and ``zoom``), or None if absent."""
        try:
            bounds = returned["bounds"]  # type: ignore[index]
            south_west, north_east = bounds["_southWest"], bounds["_northEast"]
            view = cls(
                west=float(south_west["lng"]),
                south=float(south_west["lat"]),
                east=float(north_east["lng"]),
                north=float(north_east["lat"]),
                zoom=float(returned["zoom"]),  # type: ignore[index]
            )
        except (KeyError, TypeError, ValueError):
            return None
        values = (view.west, view.south, view.east, view.north, view.zoom)
        if not all(math.isfinite(v) for v in values) or view.east <= view.west:
            return None
        return view if view.north > view.south else None

    @classmethod
    def fitting(cls, bounds: tuple[float, float, float, float]) -> MapView:
        """The view of a map fitted to ``bounds``, at the zoom it opens with
        (:func:`layers.project_map.fit_zoom`)."""
        west, south, east, north = (float(v) for v in bounds)
        return cls(west, south, east, north, fit_zoom((west, south, east, north)))

    @property
    def degrees_per_px(self) -> float:
        """Degrees of longitude per screen pixel at this zoom."""
        return 360.0 / (TILE_PX * 2.0**self.zoom)

    def cell_deg(self) -> float:
        """Side of a grid cell in degrees: the power of two nearest :data:`CELL_PX` pixels."""
        return 2.0 ** round(math.log2(CELL_PX * self.degrees_per_px))

    def snapped(self) -> MapView:
        """The view grown to a grid of a quarter of its size (a power of two of a degree),
        its zoom floored to a half level: nearby views snap to the same one."""
        step = 2.0 ** math.ceil(math.log2(max(self.east - self.west, self.north - self.south) / 4))
        return MapView(
            west=math.floor(self.west / step) * step,
            south=math.floor(self.south / step) * step,
            east=math.ceil(self.east / step) * step,
            north=math.ceil(self.north / step) * step,
            zoom=math.floor(self.zoom * 2) / 2,
        )


@dataclasses.dataclass(frozen=True)
class LayerIndex:
    """Bounding boxes, centres, levels and budgets of a layer's features, for fast selection."""

    boxes: np.ndarray  # (n, 4): west, south, east, north
    levels: np.ndarray  # (n,) index into geo.schema.LEVELS
    budget_idr: np.ndarray  # (n,) NaN where unknown

    @classmethod
    def of(cls, layer: gpd.GeoDataFrame) -> LayerIndex:
        """The index of ``layer`` (EPSG:4326 projects with ``level`` and ``budget_idr``)."""
        boxes = shapely.bounds(np.asarray(layer.geometry.values, dtype=object))
        levels = pd.Categorical(layer["level"], categories=list(LEVELS)).codes
        budget = pd.to_numeric(layer["budget_idr"], errors="coerce").to_numpy(dtype=float)
        return cls(boxes=boxes, levels=np.asarray(levels, dtype=np.int8), budget_idr=budget)

    def __len__(self) -> int:
        return len(self.boxes)

    def in_view(self, view: MapView) -> np.ndarray:
        """Boolean mask of the features whose bounding box meets the view."""
        return self.box_in_view(self.boxes, view)

    @staticmethod
    def box_in_view(b: np.ndarray, view: MapView) -> np.ndarray:
        """Boolean mask of the ``(n, 4)`` bounding boxes that meet the view."""
        return (
            (b[:, 0] <= view.east)
            & (b[:, 2] >= view.west)
            & (b[:, 1] <= view.north)
            & (b[:, 3] >= view.south)
        )


@dataclasses.dataclass(frozen=True)
class ViewContent:
    """What to draw for a view: ``rows`` (positions in the layer) one by one, or ``cells``."""

    view: MapView
    rows: np.ndarray
    cells: pd.DataFrame | None  # None: draw ``rows`` one by one
    detail_max: int = DETAIL_MAX_FEATURES

    @property
    def detail(self) -> bool:
        """True when the view's projects are drawn one by one."""
        return self.cells is None


def view_content(
    index: LayerIndex,
    view: MapView,
    *,
    finding_boxes: np.ndarray | None = None,
    detail_max: int = DETAIL_MAX_FEATURES,
) -> ViewContent:
    """Every project in ``view`` when at most ``detail_max``, else grid cells.

    Parameters
    ----------
    index
        :meth:`LayerIndex.of` the drawn projects.
    view
        The view (use :meth:`MapView.snapped` for cacheable content).
    finding_boxes
        ``(m, 4)`` bounding boxes of the overlap findings, counted per cell.
    detail_max
        Most projects drawn one by one (:data:`DETAIL_MAX_FEATURES`).
    """
    rows = np.flatnonzero(index.in_view(view))
    if len(rows) <= detail_max:
        return ViewContent(view=view, rows=rows, cells=None, detail_max=detail_max)
    cells = cell_counts(index, rows, view.cell_deg(), finding_boxes)
    return ViewContent(view=view, rows=rows, cells=cells, detail_max=detail_max)


def cell_counts(
    index: LayerIndex,
    rows: np.ndarray,
    cell_deg: float,
    finding_boxes: np.ndarray | None = None,
) -> pd.DataFrame:
    """Projects per grid cell (by bounding-box centre): count, count per level, budget.

    Returns
    -------
    pandas.DataFrame
        ``col``, ``row`` (cell = ``[col, col + 1) * cell_deg`` by ``[row, row + 1) * cell_deg``),
        ``projects``, one ``projects_<level>`` per level, ``budget_idr`` and ``overlaps``.
    """
    boxes = index.boxes[rows]
    cols = np.floor((boxes[:, 0] + boxes[:, 2]) / 2 / cell_deg).astype(np.int64)
    cells_rows = np.floor((boxes[:, 1] + boxes[:, 3]) / 2 / cell_deg).astype(np.int64)
    keys, inverse = np.unique(np.stack([cols, cells_rows], axis=1), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    n_cells = len(keys)
    table = pd.DataFrame({"col": keys[:, 0], "row": keys[:, 1]})
    table["projects"] = np.bincount(inverse, minlength=n_cells)
    levels = index.levels[rows]
    for code, level in enumerate(LEVELS):
        table[f"projects_{level}"] = np.bincount(
            inverse, weights=levels == code, minlength=n_cells
        ).astype(np.int64)
    budget = np.nan_to_num(index.budget_idr[rows], nan=0.0)
    table["budget_idr"] = np.bincount(inverse, weights=budget, minlength=n_cells)
    table["overlaps"] = 0
    if finding_boxes is not None and len(finding_boxes):
        fx = np.floor((finding_boxes[:, 0] + finding_boxes[:, 2]) / 2 / cell_deg).astype(np.int64)
        fy = np.floor((finding_boxes[:, 1] + finding_boxes[:, 3]) / 2 / cell_deg).astype(np.int64)
        found = pd.Series(1, index=pd.MultiIndex.from_arrays([fx, fy])).groupby(level=[0, 1]).sum()
        table["overlaps"] = (
            found.reindex(pd.MultiIndex.from_arrays([table["col"], table["row"]]), fill_value=0)
            .to_numpy()
            .astype(np.int64)
        )
    return table


def class_edges(counts: np.ndarray, n_classes: int = len(CELL_COLOURS)) -> list[int]:
    """Upper edges of up to ``n_classes`` count classes: 1-2-5 steps, geometric up to the max.

    >>> class_edges(np.array([1, 3, 40, 1000]))
    [5, 20, 100, 500, 1000]
    """
    top = int(counts.max()) if len(counts) else 1
    edges: list[int] = []
    for k in range(1, n_classes):
        raw = top ** (k / n_classes)
        nice = _nice(raw)
        if nice < top and (not edges or nice > edges[-1]):
            edges.append(nice)
    return [*edges, top]


def _nice(value: float) -> int:
    """``value`` rounded up to 1, 2 or 5 times a power of ten."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return int(step * power)
    return int(10 * power)


def cell_layer(cells: pd.DataFrame, cell_deg: float, *, lang: str = "id") -> folium.FeatureGroup:
    """The cells as squares shaded by their count; cells with overlaps outlined in vermillion.

    Each cell's tooltip lists its projects per level, its budget and its overlaps (escaped).
    """
    text = _TEXT[check_language(lang)]
    group = folium.FeatureGroup(name=text["cells"])
    if cells.empty:
        return group
    edges = class_edges(cells["projects"].to_numpy())
    classes = np.searchsorted(np.asarray(edges), cells["projects"].to_numpy(), side="left")
    west = cells["col"].to_numpy() * cell_deg
    south = cells["row"].to_numpy() * cell_deg
    squares = gpd.GeoDataFrame(
        {TOOLTIP_PROPERTY: cell_tooltips(cells, lang=lang)},
        geometry=shapely.box(west, south, west + cell_deg, south + cell_deg),
        crs=4326,
    )
    with_overlaps = cells["overlaps"].to_numpy() > 0
    for shade, colour in enumerate(CELL_COLOURS[: len(edges)]):
        for outlined in (False, True):
            chosen = (classes == shade) & (with_overlaps == outlined)
            if not chosen.any():
                continue
            style = {
                "fill": True,
                "fillColor": colour,
                "fillOpacity": 0.75,
                "color": FINDING_COLOUR if outlined else "#FFFFFF",
                "weight": 2.5 if outlined else 0.5,
                "opacity": 1.0,
            }
            FastGeoJson(
                squares[chosen],
                style=style,
                tooltip_property=TOOLTIP_PROPERTY,
                properties=[TOOLTIP_PROPERTY],
            ).add_to(group)
    return group


def cell_tooltips(cells: pd.DataFrame, *, lang: str = "id") -> list[str]:
    """One escaped HTML table per cell: projects, per level, budget, overlaps, a zoom hint."""
    text = _TEXT[check_language(lang)]
    labels = {level: escape_html(level_label(level, lang)) for level in LEVELS}
    tips = []
    for cell in cells.itertuples(index=False):
        rows = [
            f"<tr><th>{escape_html(text['cell_title'])}</th>"
            f"<td>{escape_html(format_number(cell.projects, lang=lang))}</td></tr>"
        ]
        for level in LEVELS:
            count = getattr(cell, f"projects_{level}")
            if count:
                rows.append(
                    f"<tr><th>{labels[level]}</th>"
                    f"<td>{escape_html(format_number(count, lang=lang))}</td></tr>"
                )
        rows.append(
            f"<tr><th>{escape_html(text['budget'])}</th>"
            f"<td>{escape_html(format_rupiah(cell.budget_idr, lang))}</td></tr>"
        )
        if cell.overlaps:
            rows.append(
                f"<tr><th>{escape_html(text['overlaps'])}</th>"
                f"<td>{escape_html(format_number(cell.overlaps, lang=lang))}</td></tr>"
            )
        tips.append(
            '<table class="peta-tooltip">'
            + "".join(rows)
            + f"</table><i>{escape_html(text['zoom_in'])}</i>"
        )
    return tips


def legend_cells_html(cells: pd.DataFrame, *, lang: str = "id") -> str:
    """The legend section of the cells: a swatch per count class and the overlap outline."""
    text = _TEXT[check_language(lang)]
    edges = class_edges(cells["projects"].to_numpy()) if len(cells) else [1]
    rows = [f'<div class="peta-legend-section">{escape_html(text["cell_title"])}</div>']
    low = 1
    for colour, high in zip(CELL_COLOURS, edges, strict=False):
        label = format_number(low, lang=lang)
        if high > low:
            label += f"–{format_number(high, lang=lang)}"
        rows.append(legend_row(swatch(colour, "#FFFFFF"), label))
        low = high + 1
    rows.append(legend_row(swatch("#FFFFFF", FINDING_COLOUR), text["with_overlaps"]))
    return "".join(rows)


def view_note(content: ViewContent, *, lang: str = "id") -> str:
    """One sentence on what the view shows (for the caption under the map)."""
    text = _TEXT[check_language(lang)]
    count = format_number(len(content.rows), lang=lang)
    if content.detail:
        return text["detail_note"].format(count=count)
    return text["cells_note"].format(
        count=count, limit=format_number(content.detail_max, lang=lang)
    )


def view_layers(
    projects: gpd.GeoDataFrame | None,
    content: ViewContent,
    *,
    lang: str = "id",
    boundaries: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    gaps: pd.DataFrame | None = None,
) -> list[folium.FeatureGroup]:
    """The layers of one view: the boundaries, Daerah Irigasi and roads in it, then the
    projects of ``content.rows`` one layer per level, or the grid cells; the last layer also
    fills the legend's view section.

    Parameters
    ----------
    projects
        The drawn projects (EPSG:4326) the :class:`LayerIndex` was built from (only read
        when the view's projects are drawn one by one).
    content
        :func:`view_content` of the view.
    boundaries
        Administrative units (EPSG:4326): those meeting the view are drawn under the rest,
        simplified to the view's zoom.
    roads, irrigation_areas
        The reference road network and Daerah Irigasi (EPSG:4326): those meeting the view,
        simplified to its zoom; at most :data:`ROADS_VIEW_MAX` roads (:func:`roads_in_view`).
    gaps
        :func:`geo.analyse.gaps.coverage_by_unit` of the ``boundaries``: the units in view are
        drawn as the gap choropleth (:func:`layers.overlays.gap_layer`) instead of as plain
        boundaries, each unit once, at the view's zoom.
    """
    groups = []
    if boundaries is not None and len(boundaries):
        shown = boundaries[LayerIndex.box_in_view(_bounds(boundaries), content.view)]
        if gaps is not None and len(gaps):
            groups.append(
                gap_layer(
                    shown,
                    gaps,
                    lang=lang,
                    display=lambda layer: display_at_zoom(layer, content.view),
                )
            )
        else:
            groups.append(boundary_layer(display_at_zoom(shown, content.view), lang=lang))
    areas = None
    if irrigation_areas is not None and len(irrigation_areas):
        areas = irrigation_areas[LayerIndex.box_in_view(_bounds(irrigation_areas), content.view)]
    groups += reference_layers(
        roads_in_view(roads, content.view) if roads is not None else None,
        areas,
        lang=lang,
        display=lambda layer: display_at_zoom(layer, content.view),
    )
    if content.detail:
        drawn = display_at_zoom(projects.iloc[content.rows], content.view)
        groups += level_layers(drawn, lang=lang)
        legend = ""
    else:
        groups.append(cell_layer(content.cells, content.view.cell_deg(), lang=lang))
        legend = legend_cells_html(content.cells, lang=lang)
    if not groups:
        groups = [folium.FeatureGroup(name=_TEXT[lang]["cells"])]
    _LegendFill(legend).add_to(groups[-1])
    return groups


def roads_in_view(
    roads: gpd.GeoDataFrame, view: MapView, max_roads: int = ROADS_VIEW_MAX
) -> gpd.GeoDataFrame:
    """The roads meeting ``view``; past ``max_roads`` the lowest statuses are left out (desa
    first, then kabupaten, ...) until the rest fit, the highest status always kept.

    >>> from shapely import LineString
    >>> roads = gpd.GeoDataFrame({"status": ["nasional", "kabupaten", "kabupaten"]},
    ...     geometry=[LineString([(0, 0), (1, 1)])] * 3, crs=4326)
    >>> roads_in_view(roads, MapView(-1, -1, 2, 2, 8), max_roads=2)["status"].tolist()
    ['nasional']
    """
    shown = roads[LayerIndex.box_in_view(_bounds(roads), view)]
    if len(shown) <= max_roads or "status" not in shown:
        return shown
    statuses = shown["status"].astype(str).str.casefold()
    order = ("nasional", "provinsi", "kabupaten", "desa")
    for kept in range(len(order) - 1, 0, -1):
        chosen = statuses.isin(order[:kept]).to_numpy()
        if chosen.sum() <= max_roads:
            return shown[chosen]
    return shown[statuses.eq(order[0]).to_numpy()]


def _bounds(layer: gpd.GeoDataFrame) -> np.ndarray:
    return shapely.bounds(np.asarray(layer.geometry.values, dtype=object))


class _LegendFill(MacroElement):
    """Sets the legend's view section (:data:`VIEW_LEGEND_CLASS`) to ready-made, escaped HTML."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.script_text() }}{% endmacro %}")

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "LegendFill"
        # JSON of escaped text; "</" split so the string can never close a <script>.
        self.html_json = json.dumps(html, ensure_ascii=False).replace("</", "<\\/")

    def script_text(self) -> str:
        """The JavaScript that fills the section."""
        return (
            f'document.querySelectorAll(".{VIEW_LEGEND_CLASS}").forEach('
            f"function (e) {{ e.innerHTML = {self.html_json}; }});"
        )


def display_at_zoom(layer: gpd.GeoDataFrame, view: MapView) -> gpd.GeoDataFrame:
    """``layer`` simplified to one pixel at the view's zoom and rounded to an eighth of one
    (4 to 6 decimals): what the screen shows, in a fraction of the bytes."""
    if layer.empty:
        return layer
    pixel_deg = view.degrees_per_px
    decimals = int(np.clip(math.ceil(-math.log10(pixel_deg / 8)), 4, 6))
    return display_geometry(layer, pixel_deg, decimals)
