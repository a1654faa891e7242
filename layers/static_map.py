"""Static meeting maps with matplotlib (DESIGN section 8): a 16:9 slide or an A4/A3 print page.

The page around the map: title, subtitle, legend in the web map's colours
(:data:`layers.palette.LEVEL_COLOURS`), the numbered findings list
(:func:`layers.map_labels.number_findings`), a summary, data date and sources. The map itself
is :func:`layers.map_drawing.draw_map`. Works with no internet: the basemap is the reference
boundaries from the store, drawn in light grey under the projects.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Final

import geopandas as gpd
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox, BboxTransformTo, TransformedBbox

from geo.read.reference import unit_level
from layers.basemap import Basemap
from layers.formatting import format_rupiah
from layers.map_drawing import BASE_PT_A4, FINDING_COLOUR, MAX_BADGES, draw_map, font_scale
from layers.map_labels import (
    MapText,
    finding_asset_label,
    finding_measure,
    level_label_safe,
    map_text,
    relation_text,
)
from layers.palette import BOUNDARY_COLOUR, LEVEL_COLOURS, SYMBOL_COLOUR, asset_label, level_label
from layers.words import with_units

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
#: Matplotlib settings of every PDF: fonts embedded as TrueType (Type 42), not Type 3, so the
#: text is searchable and copyable and renders the same in every reader.
PDF_RC: Final[dict[str, int]] = {"pdf.fonttype": 42}


def use_truetype_fonts() -> None:
    """Embed fonts in PDFs as TrueType (:data:`PDF_RC`), for the whole process.

    Set for good rather than in an ``rc_context``: the app draws pages in several threads, and
    one thread restoring the setting half-way through another's page would give that page
    Type 3 fonts. Nothing here wants Type 3.
    """
    import matplotlib

    matplotlib.rcParams.update(PDF_RC)


#: Levels always in the legend, as on the web map.
CORE_LEVELS: Final[tuple[str, ...]] = ("pusat", "provinsi", "kabupaten")


def new_page(size: str = "a4") -> Figure:
    """An empty landscape page (``a4``, ``a3``) or slide (``1920x1080``, any ``WxH`` pixels).

    Text on the page is literal: a ``$`` in a road's name or a title is a dollar sign, never
    the start of matplotlib mathtext.
    """
    # Every text on these pages (names, agencies, titles, notes) may come from an upload or a
    # user, and mathtext would read "Jalan $A_$" as a broken formula and fail the export. Text
    # artists take this setting when they are made, so it is set before any is: for the whole
    # process (the pages never typeset formulas), not in an rc_context, which another session's
    # thread would see restored half-way through its page.
    matplotlib.rcParams["text.parse_math"] = False
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
    base_pt = BASE_PT_A4 * scale
    fig_w, fig_h = fig.get_size_inches()
    fig.text(0.02, 0.965, text.title, fontsize=base_pt * 2.1, weight="bold", va="top")
    if text.subtitle:
        fig.text(0.02, 0.905, text.subtitle, fontsize=base_pt * 1.2, va="top", color="#333333")
    footer_top_in = _draw_footer(fig, text, base_pt * 0.85)
    bottom = (footer_top_in + 0.12 * scale) / fig_h
    map_ax = fig.add_axes((0.02, bottom, 0.66, 0.875 - bottom))
    panel = _Panel(fig, (0.70, bottom, 0.28, 0.875 - bottom))
    draw_map(
        map_ax,
        projects,
        findings=findings,
        boundaries=boundaries,
        focus=focus,
        lang=lang,
        basemap=basemap,
    )
    legend = add_legend(
        panel,
        projects,
        lang=lang,
        fontsize=base_pt * 1.05,
        boundaries=boundaries is not None and len(boundaries) > 0,
        unit_level=unit_level(boundaries),
    )
    # The summary's room is kept first: the findings list gives way ("... N more"), the summary
    # never loses a line.
    summary_room = _summary_height(panel, text.summary, fontsize=base_pt)
    bottom_of_list = _findings_list(
        panel, legend, findings, fontsize=base_pt, lang=lang, floor=summary_room
    )
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
    margin_in = 0.1 * font_scale(fig)
    for row, (line, bold) in enumerate(reversed(lines)):
        fig.text(
            0.02,
            (margin_in + row * line_in) / fig_h,
            line,
            fontsize=fontsize,
            va="bottom",
            color="#A0300A" if bold else "#444444",
            weight="bold" if bold else "normal",
        )
    return margin_in + len(lines) * line_in


def add_legend(
    ax,
    projects: gpd.GeoDataFrame | None,
    *,
    lang: str = "id",
    fontsize: float = 8,
    boundaries: bool = True,
    unit_level: str | None = None,
):
    """The categorical legend in ``ax`` (top left): levels in the web map's colours, asset
    symbols, the finding highlight and the boundaries (named for units of ``unit_level``:
    kabupaten/kota, kecamatan, ...). Returns the legend."""
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
        ),
        Patch(
            facecolor=SYMBOL_COLOUR,
            alpha=0.35,
            edgecolor=SYMBOL_COLOUR,
            label=asset_label("irrigation", lang),
        ),
        Line2D([], [], color=FINDING_COLOUR, lw=7, alpha=0.55, label=map_text("finding", lang)),
    ]
    if boundaries:
        handles.append(
            Patch(
                facecolor="#F7F7F7",
                edgecolor=BOUNDARY_COLOUR,
                label=with_units(map_text("boundary", lang), unit_level, lang),
            )
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
    return legend


def level_colours_in_legend(legend) -> dict[str, str]:
    """Label -> hex colour of the line handles of a legend (for checks against the palette)."""
    from matplotlib.colors import to_hex

    return {
        text.get_text(): to_hex(handle.get_color())
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True)
        if isinstance(handle, Line2D) and handle.get_marker() in ("None", None, "")
    }


def figure_bytes(fig: Figure, fmt: str, *, metadata: dict[str, str] | None = None) -> bytes:
    """The figure as ``png`` or ``pdf`` bytes: a slide at its pixel size, a print page (and
    any PDF) at :data:`PRINT_DPI`; a PDF with TrueType fonts (:data:`PDF_RC`). ``metadata``
    (``Title``, ``Subject``, ...) is added to the file's."""
    use_truetype_fonts()
    buffer = io.BytesIO()
    dpi = fig.dpi if fmt == "png" and fig.dpi == SLIDE_DPI else PRINT_DPI
    info = {"Creator": "Peta Sinergi", "Author": "Peta Sinergi", **(metadata or {})}
    if fmt == "png":
        info = {k: v for k, v in info.items() if k in ("Title", "Author", "Description", "Creator")}
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=info)
    return buffer.getvalue()


# --- drawing helpers ---------------------------------------------------------------------------


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


def _findings_list(
    panel, legend, findings, *, fontsize: float, lang: str, floor: float = 0.0
) -> float:
    """Under the legend: one line per numbered finding, as many as fit above ``floor`` (axes
    fraction). Returns the height (axes fraction) below which the panel is still free."""
    fig = panel.figure
    renderer = fig.canvas.get_renderer()
    legend_box = legend.get_window_extent(renderer).transformed(panel.transAxes.inverted())
    top = legend_box.y0 - 0.05
    panel.text(
        0,
        top,
        map_text("findings", lang),
        fontsize=fontsize * 1.15,
        weight="bold",
        va="top",
        transform=panel.transAxes,
    )
    if findings is None or findings.empty:
        panel.text(
            0,
            top - 0.05,
            map_text("no_findings", lang),
            fontsize=fontsize,
            va="top",
            transform=panel.transAxes,
        )
        return top - 0.1
    line_h = _line_height(panel, fontsize)
    y = top - line_h * 1.5
    rows = list(findings.itertuples(index=False))
    indent = 0.035 + 0.018 * len(str(max(row.number for row in rows)))
    for i, row in enumerate(rows):
        more = map_text("more", lang).format(n=len(rows) - i)
        if len(rows) > MAX_BADGES:
            more += "\n" + map_text("badges", lang).format(n=MAX_BADGES)
        more_lines = more.count("\n") + 1
        # this finding (two lines) and the note on the rest must fit above the floor
        if y - (2 + more_lines) * line_h < floor and i < len(rows) - 1:
            panel.text(
                0, y, more, fontsize=fontsize, va="top", transform=panel.transAxes, color="#444444"
            )
            return y - line_h * (more_lines + 0.5)
        panel.text(
            0,
            y,
            f"{row.number}",
            fontsize=fontsize,
            weight="bold",
            va="top",
            color=FINDING_COLOUR,
            transform=panel.transAxes,
        )
        first = f"{finding_asset_label(row.asset_type, lang)} · {relation_text(row.relation, lang)}"
        first += f" · {finding_measure(row, lang)}"
        second = f"{level_label_safe(row.level_a, lang)} ↔ {level_label_safe(row.level_b, lang)}"
        stake = format_rupiah(row.budget_at_stake_idr, lang)
        panel.text(indent, y, first, fontsize=fontsize, va="top", transform=panel.transAxes)
        panel.text(
            indent,
            y - line_h,
            f"{second} · {stake}",
            fontsize=fontsize * 0.92,
            va="top",
            transform=panel.transAxes,
            color="#444444",
        )
        y -= line_h * 2.3
    return y


def _line_height(panel, fontsize: float) -> float:
    """One text line of ``fontsize`` points, as a fraction of the panel's height."""
    return fontsize * 1.45 / 72 / (panel.get_position().height * panel.figure.get_figheight())


def _summary_height(panel, lines: Sequence[str], *, fontsize: float) -> float:
    """Room (axes fraction) :func:`_summary` takes for ``lines``: its heading and every line."""
    if not lines:
        return 0.0
    return 0.02 + _line_height(panel, fontsize) * (1.5 + 1.15 * len(lines))


def _summary(panel, top: float, lines: Sequence[str], *, fontsize: float, lang: str) -> None:
    """The summary block under the findings: every line (its room is kept, see
    :func:`_summary_height`)."""
    if not lines:
        return
    line_h = _line_height(panel, fontsize)
    y = max(top, _summary_height(panel, lines, fontsize=fontsize)) - 0.02
    panel.text(
        0,
        y,
        map_text("summary", lang),
        fontsize=fontsize * 1.15,
        weight="bold",
        va="top",
        transform=panel.transAxes,
    )
    y -= line_h * 1.5
    for line in lines:
        panel.text(0, y, line, fontsize=fontsize, va="top", transform=panel.transAxes)
        y -= line_h * 1.15
