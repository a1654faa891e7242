"""Static meeting maps with matplotlib (DESIGN section 8): a 16:9 slide or an A4/A3 print page.

Works with no internet: the basemap is the reference boundaries from the store, drawn in light
grey under the projects. Levels keep the colours of the web map (:data:`LEVEL_COLOURS`);
findings are drawn in vermillion, the one colour the palette keeps free for them, and numbered
to match the findings table (:func:`number_findings`).

Maps are drawn in the WGS 84 / UTM zone of the area shown, so the scale bar is true in metres
and grid north is within a degree or two of true north anywhere inside one zone.
"""

from __future__ import annotations

import dataclasses
import io
import math
from collections.abc import Sequence
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import Bbox, BboxTransformTo, TransformedBbox

from geo.crs import utm_epsg
from layers.basemap import Basemap, fetch_basemap
from layers.formatting import MISSING, format_number, format_rupiah, is_missing
from layers.mpl_geometry import add_lines, add_points, add_polygons
from layers.palette import (
    BOUNDARY_COLOUR,
    LEVEL_COLOURS,
    SYMBOL_COLOUR,
    asset_label,
    check_language,
    level_label,
)

#: The colour the palette keeps free for findings (overlaps).
FINDING_COLOUR: Final[str] = "#D55E00"
#: A 16:9 slide, in pixels.
SLIDE_PX: Final[tuple[int, int]] = (1920, 1080)
#: Print pages, landscape, in inches (ISO 216).
PAGE_SIZES_IN: Final[dict[str, tuple[float, float]]] = {
    "a4": (297 / 25.4, 210 / 25.4),
    "a3": (420 / 25.4, 297 / 25.4),
}
#: Print resolution, dots per inch (raster parts of a PDF; text and lines stay vector).
PRINT_DPI: Final[int] = 300
#: Resolution print pages are laid out at: text is measured on a raster canvas of this
#: resolution, and a 300 dpi A3 canvas (50 MB) costs time and memory for nothing, since
#: sizes are in points and the PDF is vector.
_LAYOUT_DPI: Final[int] = 72
#: Pixels per inch of a slide: 1920 x 1080 px is then 19.2 x 10.8 in.
SLIDE_DPI: Final[int] = 100
#: Levels always in the legend, as on the web map.
CORE_LEVELS: Final[tuple[str, ...]] = ("pusat", "provinsi", "kabupaten")
#: Findings numbered on one map; the rest are highlighted, and every one is in the tables.
MAX_BADGES: Final[int] = 40
#: Severity order of findings: the numbering starts with the most severe.
SEVERITY_ORDER: Final[tuple[str, ...]] = ("high", "medium", "low", "info")
#: Font size of body text on an A4 page, in points; other sizes scale with the page width.
_BASE_PT_A4: Final[float] = 8.0
_A4_WIDTH_IN: Final[float] = 297 / 25.4
_SCALE_STEPS_KM: Final[tuple[float, ...]] = (0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 500)

_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "title": "Peta Sinergi — proyek jalan, jembatan dan irigasi",
        "levels": "Tingkat pemerintahan",
        "assets": "Jenis aset",
        "finding": "Temuan tumpang tindih (nomor = tabel)",
        "boundary": "Batas kabupaten/kota",
        "findings": "Temuan",
        "more": "… dan {n} temuan lain (lihat tabel)",
        "no_findings": "Tidak ada temuan tumpang tindih.",
        "north": "U",
        "no_projects": "Tidak ada proyek untuk filter ini.",
        "summary": "Ringkasan",
        "badges": "Peta menomori {n} temuan pertama.",
        "no_basemap": "Peta dasar tidak dapat dimuat (luring): latar batas wilayah",
    },
    "en": {
        "title": "Peta Sinergi — road, bridge and irrigation projects",
        "levels": "Level of government",
        "assets": "Asset type",
        "finding": "Overlap finding (number = table)",
        "boundary": "District/city boundary",
        "findings": "Findings",
        "more": "… and {n} more findings (see the table)",
        "no_findings": "No overlap findings.",
        "north": "N",
        "no_projects": "No projects match this filter.",
        "summary": "Summary",
        "badges": "The map numbers the first {n} findings.",
        "no_basemap": "Basemap could not be loaded (offline): boundaries shown instead",
    },
}
_RELATION_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "cross_level": "lintas tingkat",
        "same_level": "satu tingkat",
        "same_agency": "satu instansi",
    },
    "en": {"cross_level": "cross-level", "same_level": "same level", "same_agency": "same agency"},
}


def map_text(key: str, lang: str = "id") -> str:
    """A label of the static maps in ``lang``."""
    return _TEXT[check_language(lang)][key]


def relation_text(relation: str, lang: str = "id") -> str:
    """``cross_level`` -> ``lintas tingkat``; unknown relations are returned unchanged."""
    return _RELATION_TEXT[check_language(lang)].get(relation, relation)


@dataclasses.dataclass(frozen=True)
class MapText:
    """The words around a map: title, subtitle (region, years, filters), footer lines, a
    notice shown in bold above them (e.g. that the data are illustrative) and summary lines
    shown under the findings list when there is room."""

    title: str
    subtitle: str = ""
    footer: Sequence[str] = ()
    notice: str | None = None
    summary: Sequence[str] = ()


def number_findings(findings: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    """Findings sorted most severe first (then budget at stake), numbered 1.. in ``number``.

    The same numbers label the findings on every map and in every table of an export.

    Examples
    --------
    >>> frame = gpd.GeoDataFrame({"finding_id": ["a", "b"], "severity": ["low", "high"],
    ...     "budget_at_stake_idr": [5.0, 1.0]}, geometry=[None, None])
    >>> number_findings(frame)[["number", "finding_id"]].values.tolist()
    [[1, 'b'], [2, 'a']]
    """
    if findings is None:
        return None
    rank = findings["severity"].map({s: i for i, s in enumerate(SEVERITY_ORDER)}).fillna(9)
    budget = pd.to_numeric(findings["budget_at_stake_idr"], errors="coerce").fillna(0)
    order = np.lexsort((findings["finding_id"].astype(str).to_numpy(), -budget, rank))
    numbered = findings.iloc[order].copy()
    numbered.insert(0, "number", np.arange(1, len(numbered) + 1))
    return numbered.reset_index(drop=True)


def font_scale(fig: Figure) -> float:
    """Text size factor of a figure: 1.0 on an A4 page, larger on wider pages and slides."""
    return fig.get_figwidth() / _A4_WIDTH_IN


def new_page(size: str = "a4") -> Figure:
    """An empty landscape page (``a4``, ``a3``) or slide (``1920x1080``, any ``WxH`` pixels)."""
    key = size.lower()
    if key in PAGE_SIZES_IN:
        fig = Figure(figsize=PAGE_SIZES_IN[key], dpi=_LAYOUT_DPI)
    else:
        width_px, height_px = parse_size_px(size)
        fig = Figure(figsize=(width_px / SLIDE_DPI, height_px / SLIDE_DPI), dpi=SLIDE_DPI)
    FigureCanvasAgg(fig)  # a renderer to measure text with before the page is saved
    return fig


def parse_size_px(size: str) -> tuple[int, int]:
    """``"1920x1080"`` -> ``(1920, 1080)``; raise ValueError naming the form wanted.

    >>> parse_size_px("1280X720")
    (1280, 720)
    """
    width, sep, height = size.lower().partition("x")
    try:
        width_px, height_px = int(width), int(height)
    except ValueError:
        width_px = height_px = 0
    if not sep or not (320 <= width_px <= 10_000 and 240 <= height_px <= 10_000):
        raise ValueError(
            f"size {size!r}: write WIDTHxHEIGHT in pixels (320-10000), e.g. 1920x1080, "
            "or a4 / a3 for a print page"
        )
    return width_px, height_px


def map_figure(
    projects: gpd.GeoDataFrame,
    *,
    text: MapText,
    findings: gpd.GeoDataFrame | None = None,
    boundaries: gpd.GeoDataFrame | None = None,
    focus: gpd.GeoDataFrame | None = None,
    size: str = "1920x1080",
    lang: str = "id",
    basemap: Basemap | None = None,
) -> Figure:
    """A whole map page: title, subtitle, map, legend, numbered findings list, footer.

    Parameters
    ----------
    projects
        Canonical project records in EPSG:4326 (``level``, ``asset_type``, geometry).
    text
        Title, subtitle and footer lines.
    findings
        Findings numbered by :func:`number_findings` (EPSG:4326); drawn in vermillion.
    boundaries
        Administrative units in EPSG:4326 (``unit_name``): the offline basemap.
    focus
        Layer whose extent the map shows (e.g. one kabupaten); default the projects (or the
        boundaries when there are no projects).
    size
        ``WxH`` pixels (a slide) or ``a4`` / ``a3`` (a landscape print page).
    lang
        ``id`` or ``en``.
    """
    fig = new_page(size)
    scale = font_scale(fig)
    base_pt = _BASE_PT_A4 * scale
    fig_w, fig_h = fig.get_size_inches()
    fig.text(0.02, 0.965, text.title, fontsize=base_pt * 2.1, weight="bold", va="top")
    if text.subtitle:
        fig.text(0.02, 0.905, text.subtitle, fontsize=base_pt * 1.2, va="top", color="#333333")
    footer_top_in = _draw_footer(fig, text, base_pt * 0.85)
    bottom = (footer_top_in + 0.12 * scale) / fig_h
    map_ax = fig.add_axes((0.02, bottom, 0.66, 0.875 - bottom))
    panel = _Panel(fig, (0.70, bottom, 0.28, 0.875 - bottom))
    draw_map(map_ax, projects, findings=findings, boundaries=boundaries, focus=focus, lang=lang,
             basemap=basemap)  # fmt: skip
    legend = add_legend(
        panel,
        projects,
        lang=lang,
        fontsize=base_pt * 1.05,
        boundaries=boundaries is not None and len(boundaries) > 0,
    )
    bottom_of_list = _findings_list(panel, legend, findings, fontsize=base_pt, lang=lang)
    _summary(panel, bottom_of_list, text.summary, fontsize=base_pt, lang=lang)
    return fig


def _draw_footer(fig: Figure, text: MapText, fontsize: float) -> float:
    """Footer lines at the bottom left, wrapped to 85% of the page width (the page number
    sits to their right); a notice first, in bold. Returns the footer's height in inches."""
    from layers.page_table import wrap_cell

    fig_w, fig_h = fig.get_size_inches()
    line_in = fontsize * 1.45 / 72
    lines: list[tuple[str, bool]] = []
    if text.notice:
        lines.append((text.notice, True))
    for line in text.footer:
        lines += [(part, False) for part in wrap_cell(line, fig_w * 0.85, fontsize)]
    margin_in = 0.1 * fig_w / _A4_WIDTH_IN
    for row, (line, bold) in enumerate(reversed(lines)):
        fig.text(0.02, (margin_in + row * line_in) / fig_h, line, fontsize=fontsize,
                 va="bottom", color="#A0300A" if bold else "#444444",
                 weight="bold" if bold else "normal")  # fmt: skip
    return margin_in + len(lines) * line_in


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
        ax.text(0.5, 0.5, map_text("no_projects", lang), transform=ax.transAxes, ha="center",
                fontsize=_BASE_PT_A4 * scale * 1.3, color="#666666")  # fmt: skip
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


def add_legend(
    ax,
    projects: gpd.GeoDataFrame | None,
    *,
    lang: str = "id",
    fontsize: float = 8,
    boundaries: bool = True,
):
    """The categorical legend in ``ax`` (top left): levels in the web map's colours, asset
    symbols, the finding highlight and the boundaries. Returns the legend."""
    present = set(projects["level"]) if projects is not None and len(projects) else set()
    levels = [lv for lv in LEVEL_COLOURS if lv in CORE_LEVELS or lv in present]
    handles = [Patch(facecolor="none", edgecolor="none", label=map_text("levels", lang))]
    handles += [
        Line2D([], [], color=LEVEL_COLOURS[lv], lw=4, label=level_label(lv, lang)) for lv in levels
    ]
    handles.append(Patch(facecolor="none", edgecolor="none", label=map_text("assets", lang)))
    handles += [
        Line2D([], [], color=SYMBOL_COLOUR, lw=2, label=asset_label("road", lang)),
        Line2D(
            [],
            [],
            color=SYMBOL_COLOUR,
            lw=0,
            marker="o",
            markersize=7,
            markeredgecolor="black",
            label=asset_label("bridge", lang),
        ),  # fmt: skip
        Patch(
            facecolor=SYMBOL_COLOUR,
            alpha=0.35,
            edgecolor=SYMBOL_COLOUR,
            label=asset_label("irrigation", lang),
        ),  # fmt: skip
        Line2D([], [], color=FINDING_COLOUR, lw=7, alpha=0.55, label=map_text("finding", lang)),
    ]
    if boundaries:
        handles.append(
            Patch(facecolor="#F7F7F7", edgecolor=BOUNDARY_COLOUR, label=map_text("boundary", lang))
        )
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 1.0),
        frameon=False,
        fontsize=fontsize,
        handlelength=2.2,
        borderaxespad=0.0,
    )
    for handle_text in legend.get_texts():
        if handle_text.get_text() in (map_text("levels", lang), map_text("assets", lang)):
            handle_text.set_weight("bold")
            handle_text.set_position((-30 * fontsize / 8, 0))
    return legend


def level_colours_in_legend(legend) -> dict[str, str]:
    """Label -> hex colour of the line handles of a legend (for checks against the palette)."""
    from matplotlib.colors import to_hex

    return {
        text.get_text(): to_hex(handle.get_color())
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True)
        if isinstance(handle, Line2D) and handle.get_marker() in ("None", None, "")
    }


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure as ``png`` or ``pdf`` bytes, at the figure's own size and resolution."""
    buffer = io.BytesIO()
    dpi = PRINT_DPI if fmt == "pdf" else fig.dpi
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_metadata(fmt))
    return buffer.getvalue()


def _metadata(fmt: str) -> dict[str, str]:
    return {"Creator": "Peta Sinergi"} if fmt in ("pdf", "png") else {}


# --- drawing helpers ---------------------------------------------------------------------------


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
    add_polygons(ax, units.geometry.to_numpy(), facecolor="#F7F7F7" if filled else "none",
                 edgecolor=BOUNDARY_COLOUR if filled else "#777777",
                 linewidth=0.8 * scale, zorder=0)  # fmt: skip
    if focus is not None and len(focus) < len(units):
        add_lines(ax, units.loc[units.index.isin(focus.index)].geometry.to_numpy(),
                  color="#777777", linewidth=1.6 * scale, zorder=1)  # fmt: skip
    if "unit_name" not in units:
        return []
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    points = units.geometry.representative_point()
    labels = []
    for name, point in zip(units["unit_name"], points, strict=True):
        if x0 < point.x < x1 and y0 < point.y < y1:
            labels.append(ax.text(point.x, point.y, str(name), ha="center", va="center", color="#8A8A8A",
                    fontsize=_BASE_PT_A4 * scale * 0.95, style="italic", zorder=1,
                    clip_on=True))  # fmt: skip
    return labels


def _mask_outside(ax, focus: gpd.GeoDataFrame, limits) -> None:
    """Fade everything outside the focus area, so the unit a page is about stands out."""
    if limits is None:
        return
    (x0, x1), (y0, y1) = limits
    outside = shapely.difference(shapely.box(x0, y0, x1, y1), shapely.union_all(focus.geometry))
    if outside.is_empty:
        return
    add_polygons(ax, np.array([outside]), facecolor="white", alpha=0.55, edgecolor="none",
                 zorder=20)  # fmt: skip


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
            add_polygons(ax, geoms[mine & polygon], facecolor=colour, alpha=0.35,
                         edgecolor=colour, linewidth=1.0 * scale, zorder=3 + zorder)  # fmt: skip
        if (mine & line).any():
            add_lines(ax, geoms[mine & line], color=colour,
                      linewidth=(2.6 - 0.3 * zorder) * scale, zorder=5 + zorder,
                      capstyle="round")  # fmt: skip
        if (mine & point).any():
            add_points(ax, geoms[mine & point], color=colour, s=34 * scale**2,
                       edgecolor="black", linewidth=0.6 * scale, zorder=10 + zorder)  # fmt: skip


def _draw_finding_shapes(ax, findings: gpd.GeoDataFrame, scale: float) -> None:
    geoms = findings.geometry
    kinds = shapely.get_type_id(geoms.to_numpy())
    polygon = np.isin(kinds, (3, 6))
    if polygon.any():
        add_polygons(ax, geoms.to_numpy()[polygon], facecolor=FINDING_COLOUR, alpha=0.45,
                     edgecolor=FINDING_COLOUR, linewidth=2.5 * scale, zorder=2)  # fmt: skip
    if (~polygon).any():
        lines = findings[~polygon]
        add_lines(ax, lines.geometry.to_numpy(), color=FINDING_COLOUR, linewidth=9 * scale,
                  alpha=0.55, zorder=2, capstyle="round")  # fmt: skip
        # A bridge pair's connecting line is a few metres long: a ring marks where it is.
        x0, x1 = ax.get_xlim()
        bounds = lines.geometry.bounds
        tiny = np.maximum(bounds.maxx - bounds.minx, bounds.maxy - bounds.miny) < (x1 - x0) / 400
        centres = lines.geometry[tiny.to_numpy()].centroid
        ax.scatter(centres.x, centres.y, s=260 * scale**2, facecolor="none",
                   edgecolor=FINDING_COLOUR, linewidth=2.2 * scale, zorder=2)  # fmt: skip


def _draw_finding_numbers(ax, findings: gpd.GeoDataFrame, scale: float, labels=()) -> None:
    """Numbered badges next to the first :data:`MAX_BADGES` findings, moved apart so none
    hides another, a label, the scale bar or the north arrow."""
    findings = findings.iloc[:MAX_BADGES]
    anchors = findings.geometry.representative_point()
    to_px = ax.transData.transform
    from_px = ax.transData.inverted().transform
    fontsize = _BASE_PT_A4 * scale * 1.05
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
            },  # fmt: skip
            arrowprops={
                "arrowstyle": "-",
                "color": FINDING_COLOUR,
                "linewidth": 1.3 * scale,
                "shrinkA": 0,
                "shrinkB": 0,
            },  # fmt: skip
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
    ax.text(0.995, 0.005, text, transform=ax.transAxes, ha="right", va="bottom",
            fontsize=_BASE_PT_A4 * scale * 0.75, color="#333333", zorder=46,
            bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1.5})  # fmt: skip


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
    ax.add_patch(Rectangle((left - (x1 - x0) * 0.01, bottom - (y1 - y0) * 0.02),
                           length_m + (x1 - x0) * 0.02, (y1 - y0) * 0.075, facecolor="white",
                           alpha=0.8, edgecolor="none", zorder=40))  # fmt: skip
    for i in range(4):
        ax.add_patch(Rectangle((left + i * length_m / 4, bottom), length_m / 4, height,
                               facecolor="black" if i % 2 == 0 else "white",
                               edgecolor="black", linewidth=0.6 * scale, zorder=41))  # fmt: skip
    label_size = _BASE_PT_A4 * scale * 0.9
    for x, label in ((left, "0"), (left + length_m, f"{length_km:g} km")):
        ax.text(x, bottom + height * 1.6, label, ha="center", va="bottom", fontsize=label_size,
                zorder=42)  # fmt: skip


def _north_arrow(ax, scale: float, lang: str) -> None:
    ax.add_patch(Rectangle((0.925, 0.835), 0.06, 0.135, transform=ax.transAxes,
                           facecolor="white", alpha=0.8, edgecolor="none", zorder=44))  # fmt: skip
    ax.annotate(
        map_text("north", lang),
        xy=(0.955, 0.95),
        xytext=(0.955, 0.86),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="top",
        fontsize=_BASE_PT_A4 * scale * 1.4,
        weight="bold",
        zorder=45,
        arrowprops={
            "arrowstyle": "-|>,head_width=0.5,head_length=1.0",
            "color": "black",
            "linewidth": 1.5 * scale,
        },  # fmt: skip
    )


class _Panel:
    """A rectangle of the page used like axes for the legend and text, without the cost of
    an Axes (ticks, spines, limits): coordinates 0-1 across the rectangle."""

    def __init__(self, fig: Figure, rect: tuple[float, float, float, float]) -> None:
        self.figure = fig
        self._box = Bbox.from_bounds(*rect)
        self.transAxes = BboxTransformTo(TransformedBbox(self._box, fig.transFigure))

    def get_position(self) -> Bbox:
        """The rectangle in figure fractions."""
        return self._box

    def text(self, x: float, y: float, s: str, **kwargs):
        """Text at (x, y) in the rectangle's coordinates."""
        kwargs.setdefault("transform", self.transAxes)
        return self.figure.text(x, y, s, **kwargs)

    def legend(self, **kwargs):
        """A figure legend anchored in the rectangle's coordinates."""
        return self.figure.legend(bbox_transform=self.transAxes, **kwargs)


def _findings_list(panel, legend, findings, *, fontsize: float, lang: str) -> float:
    """Under the legend: one line per numbered finding, as many as fit. Returns the height
    (axes fraction) below which the panel is still free."""
    fig = panel.figure
    renderer = fig.canvas.get_renderer()
    legend_box = legend.get_window_extent(renderer).transformed(panel.transAxes.inverted())
    top = legend_box.y0 - 0.05
    panel.text(0, top, map_text("findings", lang), fontsize=fontsize * 1.15, weight="bold",
               va="top", transform=panel.transAxes)  # fmt: skip
    if findings is None or findings.empty:
        panel.text(0, top - 0.05, map_text("no_findings", lang), fontsize=fontsize, va="top",
                   transform=panel.transAxes)  # fmt: skip
        return top - 0.1
    line_h = fontsize * 1.45 / 72 / (panel.get_position().height * fig.get_figheight())
    y = top - line_h * 1.5
    rows = list(findings.itertuples(index=False))
    indent = 0.035 + 0.018 * len(str(max(row.number for row in rows)))
    for i, row in enumerate(rows):
        if y - 2 * line_h < 0 and i < len(rows) - 1:
            more = map_text("more", lang).format(n=len(rows) - i)
            if len(rows) > MAX_BADGES:
                more += "\n" + map_text("badges", lang).format(n=MAX_BADGES)
            panel.text(0, y, more, fontsize=fontsize, va="top", transform=panel.transAxes,
                       color="#444444")  # fmt: skip
            return y - line_h * 1.5
        panel.text(0, y, f"{row.number}", fontsize=fontsize, weight="bold", va="top",
                   color=FINDING_COLOUR, transform=panel.transAxes)  # fmt: skip
        first = f"{finding_asset_label(row.asset_type, lang)} · {relation_text(row.relation, lang)}"
        first += f" · {finding_measure(row, lang)}"
        second = f"{level_label_safe(row.level_a, lang)} ↔ {level_label_safe(row.level_b, lang)}"
        stake = format_rupiah(row.budget_at_stake_idr, lang)
        panel.text(indent, y, first, fontsize=fontsize, va="top", transform=panel.transAxes)
        panel.text(indent, y - line_h, f"{second} · {stake}", fontsize=fontsize * 0.92, va="top",
                   transform=panel.transAxes, color="#444444")  # fmt: skip
        y -= line_h * 2.3
    return y


def _summary(panel, top: float, lines: Sequence[str], *, fontsize: float, lang: str) -> None:
    """A short summary block under the findings, as many lines as fit."""
    if not lines:
        return
    fig = panel.figure
    line_h = fontsize * 1.45 / 72 / (panel.get_position().height * fig.get_figheight())
    if top - 3 * line_h < 0:
        return
    y = top - 0.02
    panel.text(0, y, map_text("summary", lang), fontsize=fontsize * 1.15, weight="bold",
               va="top", transform=panel.transAxes)  # fmt: skip
    y -= line_h * 1.5
    for line in lines:
        if y - line_h < 0:
            break
        panel.text(0, y, line, fontsize=fontsize, va="top", transform=panel.transAxes)
        y -= line_h * 1.15


def finding_asset_label(asset_type: str, lang: str = "id") -> str:
    """Asset label of a finding; a cross-type ``bridge/road`` becomes ``Jembatan/Jalan``."""
    return "/".join(asset_label(part, lang) for part in str(asset_type).split("/"))


def level_label_safe(level: object, lang: str = "id") -> str:
    """:func:`level_label`, or the value itself for a level outside the vocabulary."""
    try:
        return level_label(str(level), lang)
    except KeyError:
        return str(level)


def finding_measure(row, lang: str = "id") -> str:
    """The evidence of a finding: shared length (km), area (ha) or distance (m)."""
    if not is_missing(row.overlap_m):
        return f"{format_number(row.overlap_m / 1000, 2, lang)} km"
    if not is_missing(row.overlap_ha):
        return f"{format_number(row.overlap_ha, 1, lang)} ha"
    if not is_missing(row.distance_m):
        return f"{format_number(row.distance_m, 0, lang)} m"
    return MISSING
