"""One map drawn into matplotlib axes: boundaries, projects by level, findings and their
numbers, scale bar and north arrow (the page around it is :mod:`layers.static_map`).

Maps are drawn in the WGS 84 / UTM zone of the area shown, so the scale bar is true in metres
and grid north is within a degree or two of true north anywhere inside one zone; with a tile
basemap they are drawn in Web Mercator and the scale bar is corrected (:mod:`layers.basemap`).
Levels keep the colours of the web map (:data:`layers.palette.LEVEL_COLOURS`); findings are
vermillion, the one colour the palette keeps free for them.
"""

from __future__ import annotations

import math
from typing import Final

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from geo.spatial.crs import utm_epsg
from layers.basemap import Basemap, fetch_basemap
from layers.map_labels import map_text
from layers.mpl_geometry import add_lines, add_points, add_polygons
from layers.palette import BOUNDARY_COLOUR, LEVEL_COLOURS, SYMBOL_COLOUR

#: The colour the palette keeps free for findings (overlaps).
FINDING_COLOUR: Final[str] = "#D55E00"


#: Findings numbered on one map; the rest are highlighted, and every one is in the tables.
MAX_BADGES: Final[int] = 40


#: Font size of body text on an A4 page, in points; other sizes scale with the page width.
BASE_PT_A4: Final[float] = 8.0


_A4_WIDTH_IN: Final[float] = 297 / 25.4


_SCALE_STEPS_KM: Final[tuple[float, ...]] = (0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 500)


def font_scale(fig: Figure) -> float:
    """Text size factor of a figure: 1.0 on an A4 page, larger on wider pages and slides."""
    return fig.get_figwidth() / _A4_WIDTH_IN


def draw_map(
    ax,
    projects: gpd.GeoDataFrame,
    *,
    findings: gpd.GeoDataFrame | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
    focus: gpd.GeoDataFrame | None = None,
    lang: str = "id",
    basemap: Basemap | None = None,
) -> int:
    """Draw boundaries, projects by level, findings and their numbers, scale bar and north arrow.

    With ``basemap`` the tiles are drawn under everything (EPSG:3857) when they can be fetched;
    otherwise the map says that the basemap could not be loaded. Returns the EPSG code the map
    is drawn in (the UTM zone of the area shown, or 3857 with a basemap).
    """
    scale = font_scale(ax.figure)
    extent_layer = focus if focus is not None and len(focus) else projects
    if extent_layer is None or extent_layer.empty or extent_layer.geometry.is_empty.all():
        extent_layer = boundaries
    epsg = 3857 if basemap is not None else _map_epsg(extent_layer)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#888888")
    limits = _set_extent(ax, extent_layer, epsg)
    tiles = None
    if basemap is not None and limits is not None:
        (x0, x1), (y0, y1) = limits
        tiles = fetch_basemap(basemap, (x0, y0, x1, y1), ax.get_window_extent().width)
        _basemap_credit(ax, scale, basemap.attribution if tiles else map_text("no_basemap", lang))
    if tiles is not None:
        ax.imshow(tiles[0], extent=tiles[1], zorder=-1, interpolation="bilinear")
    labels = []
    if boundaries is not None and len(boundaries):
        labels = _draw_boundaries(ax, boundaries.to_crs(epsg), scale, focus, filled=tiles is None)
    if findings is not None and len(findings):
        _draw_finding_shapes(ax, findings.to_crs(epsg), scale)
    if projects is not None and len(projects):
        _draw_projects(ax, projects.to_crs(epsg), scale)
    else:
        ax.text(
            0.5,
            0.5,
            map_text("no_projects", lang),
            transform=ax.transAxes,
            ha="center",
            fontsize=BASE_PT_A4 * scale * 1.3,
            color="#666666",
        )
    if focus is not None and boundaries is not None and len(focus) < len(boundaries):
        _mask_outside(ax, focus.to_crs(epsg), limits)
    # geopandas sets its own aspect and limits: the extent chosen above wins.
    ax.set_aspect("equal", adjustable="box")
    if limits is not None:
        ax.set_xlim(limits[0])
        ax.set_ylim(limits[1])
    ax.set_xlabel("")
    ax.set_ylabel("")
    if findings is not None and len(findings):
        _draw_finding_numbers(ax, findings.to_crs(epsg), scale, labels)
    _scale_bar(ax, scale, _map_units_per_metre(ax, epsg))
    _north_arrow(ax, scale, lang)
    return epsg


def _map_epsg(layer: gpd.GeoDataFrame | None) -> int:
    if layer is None or layer.empty:
        return 3857
    x0, y0, x1, y1 = layer.to_crs(4326).total_bounds
    if not np.isfinite([x0, y0, x1, y1]).all():
        return 3857
    return utm_epsg((x0 + x1) / 2, (y0 + y1) / 2)


def _set_extent(ax, layer: gpd.GeoDataFrame | None, epsg: int):
    """Show ``layer`` with a margin, widened to the axes' shape so the map fills its frame.

    Returns the ``(xlim, ylim)`` set, or None when there is nothing to show."""
    if layer is None or layer.empty:
        return None
    x0, y0, x1, y1 = layer.to_crs(epsg).total_bounds
    width, height = max(x1 - x0, 2_000.0), max(y1 - y0, 2_000.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width, height = width * 1.12, height * 1.12
    fig_w, fig_h = ax.figure.get_size_inches()
    box = ax.get_position()
    aspect = (box.width * fig_w) / (box.height * fig_h)
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    limits = ((cx - width / 2, cx + width / 2), (cy - height / 2, cy + height / 2))
    ax.set_xlim(limits[0])
    ax.set_ylim(limits[1])
    return limits


def _draw_boundaries(ax, units: gpd.GeoDataFrame, scale: float, focus, *, filled: bool = True):
    """Boundaries in light grey, the focus units' outlines darker, unit names; returns the
    name labels (finding numbers keep clear of them)."""
    add_polygons(
        ax,
        units.geometry.to_numpy(),
        facecolor="#F7F7F7" if filled else "none",
        edgecolor=BOUNDARY_COLOUR if filled else "#777777",
        linewidth=0.8 * scale,
        zorder=0,
    )
    if focus is not None and len(focus) < len(units):
        add_lines(
            ax,
            units.loc[units.index.isin(focus.index)].geometry.to_numpy(),
            color="#777777",
            linewidth=1.6 * scale,
            zorder=1,
        )
    if "unit_name" not in units:
        return []
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    points = units.geometry.representative_point()
    labels = []
    for name, point in zip(units["unit_name"], points, strict=True):
        if x0 < point.x < x1 and y0 < point.y < y1:
            labels.append(
                ax.text(
                    point.x,
                    point.y,
                    str(name),
                    ha="center",
                    va="center",
                    color="#8A8A8A",
                    fontsize=BASE_PT_A4 * scale * 0.95,
                    style="italic",
                    zorder=1,
                    clip_on=True,
                )
            )
    return labels


def _mask_outside(ax, focus: gpd.GeoDataFrame, limits) -> None:
    """Fade everything outside the focus area, so the unit a page is about stands out."""
    if limits is None:
        return
    (x0, x1), (y0, y1) = limits
    outside = shapely.difference(shapely.box(x0, y0, x1, y1), shapely.union_all(focus.geometry))
    if outside.is_empty:
        return
    add_polygons(
        ax, np.array([outside]), facecolor="white", alpha=0.55, edgecolor="none", zorder=20
    )


def _draw_projects(ax, projects: gpd.GeoDataFrame, scale: float) -> None:
    geoms = projects.geometry.to_numpy()
    kinds = shapely.get_type_id(geoms)
    polygon = np.isin(kinds, (3, 6))
    point = np.isin(kinds, (0, 4))
    line = ~polygon & ~point
    # Provinsi and pusat are drawn last: they are fewer and longer, and kabupaten work on the
    # same stretch stays visible under their thinner line.
    order = [lv for lv in ("desa", "kabupaten", "provinsi", "pusat")]
    levels = projects["level"].to_numpy()
    for zorder, level in enumerate(order):
        colour = LEVEL_COLOURS.get(level, SYMBOL_COLOUR)
        mine = levels == level
        if (mine & polygon).any():
            add_polygons(
                ax,
                geoms[mine & polygon],
                facecolor=colour,
                alpha=0.35,
                edgecolor=colour,
                linewidth=1.0 * scale,
                zorder=3 + zorder,
            )
        if (mine & line).any():
            add_lines(
                ax,
                geoms[mine & line],
                color=colour,
                linewidth=(2.6 - 0.3 * zorder) * scale,
                zorder=5 + zorder,
                capstyle="round",
            )
        if (mine & point).any():
            add_points(
                ax,
                geoms[mine & point],
                color=colour,
                s=34 * scale**2,
                edgecolor="black",
                linewidth=0.6 * scale,
                zorder=10 + zorder,
            )


def _draw_finding_shapes(ax, findings: gpd.GeoDataFrame, scale: float) -> None:
    geoms = findings.geometry
    kinds = shapely.get_type_id(geoms.to_numpy())
    polygon = np.isin(kinds, (3, 6))
    if polygon.any():
        add_polygons(
            ax,
            geoms.to_numpy()[polygon],
            facecolor=FINDING_COLOUR,
            alpha=0.45,
            edgecolor=FINDING_COLOUR,
            linewidth=2.5 * scale,
            zorder=2,
        )
    if (~polygon).any():
        lines = findings[~polygon]
        add_lines(
            ax,
            lines.geometry.to_numpy(),
            color=FINDING_COLOUR,
            linewidth=9 * scale,
            alpha=0.55,
            zorder=2,
            capstyle="round",
        )
        # A bridge pair's connecting line is a few metres long: a ring marks where it is.
        x0, x1 = ax.get_xlim()
        bounds = lines.geometry.bounds
        tiny = np.maximum(bounds.maxx - bounds.minx, bounds.maxy - bounds.miny) < (x1 - x0) / 400
        centres = lines.geometry[tiny.to_numpy()].centroid
        ax.scatter(
            centres.x,
            centres.y,
            s=260 * scale**2,
            facecolor="none",
            edgecolor=FINDING_COLOUR,
            linewidth=2.2 * scale,
            zorder=2,
        )


def _draw_finding_numbers(ax, findings: gpd.GeoDataFrame, scale: float, labels=()) -> None:
    """Numbered badges next to the first :data:`MAX_BADGES` findings, moved apart so none
    hides another, a label, the scale bar or the north arrow."""
    findings = findings.iloc[:MAX_BADGES]
    anchors = findings.geometry.representative_point()
    to_px = ax.transData.transform
    from_px = ax.transData.inverted().transform
    fontsize = BASE_PT_A4 * scale * 1.05
    radius_px = fontsize * ax.figure.dpi / 72 * 1.0
    bbox = ax.get_window_extent()
    placed = np.empty((0, 2))
    renderer = ax.figure.canvas.get_renderer()
    boxes = np.array([label.get_window_extent(renderer).extents for label in labels]).reshape(-1, 4)
    corners = np.array([[0.0, 0.0, 0.25, 0.13], [0.92, 0.83, 1.0, 1.0]])  # scale bar, north
    corners_px = np.hstack(
        [ax.transAxes.transform(corners[:, :2]), ax.transAxes.transform(corners[:, 2:])]
    )
    boxes = np.vstack([boxes, corners_px])
    directions = [(1, 1), (-1, 1), (1, -1), (-1, -1), (0, 1.3), (0, -1.3), (1.3, 0), (-1.3, 0)]
    for number, anchor in zip(findings["number"], anchors, strict=True):
        if anchor is None or anchor.is_empty:
            continue
        ax_px = to_px((anchor.x, anchor.y))
        choice = None
        for ring in (2.2, 3.6, 5.2, 7.0):
            for dx, dy in directions:
                spot = ax_px + np.array([dx, dy]) * radius_px * ring
                inside = (
                    bbox.x0 + radius_px < spot[0] < bbox.x1 - radius_px
                    and bbox.y0 + radius_px < spot[1] < bbox.y1 - radius_px
                )
                free = _clear(spot, placed, boxes, radius_px)
                if inside and free:
                    choice = spot
                    break
            if choice is not None:
                break
        if choice is None:
            choice = ax_px + np.array([1.0, 1.0]) * radius_px * 2.2
        placed = np.vstack([placed, choice])
        ax.annotate(
            str(number),
            xy=(anchor.x, anchor.y),
            xytext=tuple(from_px(choice)),
            textcoords="data",
            ha="center",
            va="center",
            # three digits in the circle of two
            fontsize=fontsize * (0.8 if number >= 100 else 1.0),
            weight="bold",
            color="white",
            zorder=30,
            annotation_clip=True,
            bbox={
                "boxstyle": "circle,pad=0.25",
                "facecolor": FINDING_COLOUR,
                "edgecolor": "white",
                "linewidth": 1.2 * scale,
            },
            arrowprops={
                "arrowstyle": "-",
                "color": FINDING_COLOUR,
                "linewidth": 1.3 * scale,
                "shrinkA": 0,
                "shrinkB": 0,
            },
        )


def _clear(spot: np.ndarray, placed: np.ndarray, boxes: np.ndarray, radius_px: float) -> bool:
    """True when a badge at ``spot`` keeps clear of the badges ``placed`` (centres, px) and
    of the label ``boxes`` (x0, y0, x1, y1 in px)."""
    if len(placed) and np.hypot(*(placed - spot).T).min() <= 2.3 * radius_px:
        return False
    if len(boxes):
        dx = np.maximum.reduce([boxes[:, 0] - spot[0], np.zeros(len(boxes)), spot[0] - boxes[:, 2]])
        dy = np.maximum.reduce([boxes[:, 1] - spot[1], np.zeros(len(boxes)), spot[1] - boxes[:, 3]])
        if np.hypot(dx, dy).min() <= 1.2 * radius_px:
            return False
    return True


def _map_units_per_metre(ax, epsg: int) -> float:
    """Map units per true metre at the map's centre: 1 in UTM (within 0.1% of true near the
    central meridian), 1/cos(latitude) in Web Mercator."""
    if epsg != 3857:
        return 1.0
    y0, y1 = ax.get_ylim()
    latitude = math.atan(math.sinh((y0 + y1) / 2 / 6378137.0))
    return 1.0 / math.cos(latitude)


def _basemap_credit(ax, scale: float, text: str) -> None:
    """Tile attribution (or the note that there is no basemap), bottom right of the map."""
    ax.text(
        0.995,
        0.005,
        text,
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize=BASE_PT_A4 * scale * 0.75,
        color="#333333",
        zorder=46,
        bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1.5},
    )


def _scale_bar(ax, scale: float, units_per_m: float = 1.0) -> None:
    """A two-tone bar of a round length about a fifth of the map width, bottom left."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target_km = (x1 - x0) / units_per_m / 1000 / 5
    length_km = max([s for s in _SCALE_STEPS_KM if s <= target_km] or [_SCALE_STEPS_KM[0]])
    length_m = length_km * 1000 * units_per_m  # in map units
    left = x0 + (x1 - x0) * 0.03
    bottom = y0 + (y1 - y0) * 0.04
    height = (y1 - y0) * 0.008
    ax.add_patch(
        Rectangle(
            (left - (x1 - x0) * 0.01, bottom - (y1 - y0) * 0.02),
            length_m + (x1 - x0) * 0.02,
            (y1 - y0) * 0.075,
            facecolor="white",
            alpha=0.8,
            edgecolor="none",
            zorder=40,
        )
    )
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (left + i * length_m / 4, bottom),
                length_m / 4,
                height,
                facecolor="black" if i % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.6 * scale,
                zorder=41,
            )
        )
    label_size = BASE_PT_A4 * scale * 0.9
    for x, label in ((left, "0"), (left + length_m, f"{length_km:g} km")):
        ax.text(
            x,
            bottom + height * 1.6,
            label,
            ha="center",
            va="bottom",
            fontsize=label_size,
            zorder=42,
        )


def _north_arrow(ax, scale: float, lang: str) -> None:
    ax.add_patch(
        Rectangle(
            (0.925, 0.835),
            0.06,
            0.135,
            transform=ax.transAxes,
            facecolor="white",
            alpha=0.8,
            edgecolor="none",
            zorder=44,
        )
    )
    ax.annotate(
        map_text("north", lang),
        xy=(0.955, 0.95),
        xytext=(0.955, 0.86),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="top",
        fontsize=BASE_PT_A4 * scale * 1.4,
        weight="bold",
        zorder=45,
        arrowprops={
            "arrowstyle": "-|>,head_width=0.5,head_length=1.0",
            "color": "black",
            "linewidth": 1.5 * scale,
        },
    )
