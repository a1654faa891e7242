"""The synchronisation matrix as an A3 landscape PDF atlas, for the rakor (issue 18).

One section per ruas: a strip map of the ruas (its chainage from STA 0+000 to its end, one
lane per level of government, each work drawn as a bar in its level's colour over the STA it
covers, conflict stretches shaded in the findings' vermillion, STA ticks) above its rows of
the matrix (each level's works by year, conflict years, findings, the meeting's decision and
note). A ruas with more rows than a page holds continues on the next page under the same
strip. The Daerah Irigasi rows follow as a table. Drawn with matplotlib, offline; colours
from :mod:`layers.palette`, tables from :mod:`layers.page_table`, pages numbered and saved by
:func:`layers.meeting_pack.pack_pdf_bytes`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import textwrap
from typing import Final

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from geo.analyse.matrix import MATRIX_LEVELS, Matrix
from geo.analyse.run import ProjectFilter
from geo.export.matrix_workbook import CONFLICT_FILL, matrix_sheet
from geo.settings import DEFAULT_SETTINGS
from geo.spatial.network import sta_text
from layers.formatting import format_decimal_id, format_time, format_years, is_missing
from layers.matrix_export import matrix_text, matrix_words, selection_text
from layers.meeting_pack import PageDrawer, pack_pdf_bytes
from layers.page_table import Column, draw_table, paginate, row_height_in, wrap_cell
from layers.palette import FINDING_COLOUR, LEVEL_COLOURS, level_label, road_status_label
from layers.static_map import PAGE_SIZES_IN, new_page
from layers.words import unit_words

__all__ = ["atlas_pages", "matrix_atlas_pdf"]

_PAGE: Final[str] = "a3"
_MARGIN_IN: Final[float] = 0.5
_TITLE_IN: Final[float] = 1.0
_STRIP_IN: Final[float] = 2.2
_FOOTER_IN: Final[float] = 0.6
_TABLE_PT: Final[float] = 8.0
_LABEL_PT: Final[float] = 7.0
#: Average glyph width of bold DejaVu Sans at the strip's labels, as a share of the font size.
_CHAR_EM: Final[float] = 0.68
#: Average glyph width of bold DejaVu Sans as a share of the font size.
_BOLD_EM: Final[float] = 0.66
_HEIGHT_IN: Final[float] = PAGE_SIZES_IN[_PAGE][1]
_WIDTH_IN: Final[float] = PAGE_SIZES_IN[_PAGE][0] - 2 * _MARGIN_IN
#: Space between two ruas on one page.
_GAP_IN: Final[float] = 0.35
#: Conflict rows of the tables: the findings' vermillion, light (as in the workbook).
_CONFLICT_ROW: Final[str] = "#" + CONFLICT_FILL
#: Table columns (codes of :func:`geo.export.matrix_workbook.matrix_sheet`) and their widths.
_COLUMNS: Final[tuple[tuple[str, float], ...]] = (
    ("number", 0.35),
    ("sta", 1.1),
    ("length_km", 0.6),
    ("unit_name", 1.0),
    *((level, 2.6) for level in MATRIX_LEVELS),
    ("conflict_years", 0.7),
    ("finding_ids", 1.2),
    ("decision", 1.0),
    ("note", 1.5),
)
_DI_COLUMNS: Final[tuple[tuple[str, float], ...]] = (
    ("number", 0.35),
    ("reference_id", 0.8),
    ("reference_name", 1.4),
    ("reference_status", 0.9),
    ("unit_name", 1.0),
    *((level, 2.4) for level in MATRIX_LEVELS),
    ("conflict_years", 0.7),
    ("finding_ids", 1.2),
    ("decision", 1.0),
    ("note", 1.2),
)


def matrix_atlas_pdf(
    matrix: Matrix,
    *,
    filters: ProjectFilter | None = None,
    lang: str = "id",
    zone: str = DEFAULT_SETTINGS.time_zone,
    now: dt.datetime | None = None,
) -> bytes:
    """The atlas as PDF bytes: A3 landscape pages, numbered, TrueType fonts; times in
    ``zone``."""
    drawers = atlas_pages(matrix, filters=filters, lang=lang, zone=zone, now=now)
    return pack_pdf_bytes(
        drawers,
        page=_PAGE,
        lang=lang,
        title=matrix_text("pdf_title", lang),
        subject=matrix_text("pdf_subject", lang),
        keywords=matrix_text("pdf_keywords", lang),
    )


def atlas_pages(
    matrix: Matrix,
    *,
    filters: ProjectFilter | None = None,
    lang: str = "id",
    zone: str = DEFAULT_SETTINGS.time_zone,
    now: dt.datetime | None = None,
) -> list[PageDrawer]:
    """The atlas's pages as functions that each draw one page: the ruas in the matrix's order
    (unit, ruas), their rows in chainage order, then the Daerah Irigasi."""
    made = format_time((now or dt.datetime.now(dt.UTC)).isoformat(), lang, zone=zone)
    footer = (
        f"{matrix_text('title_all', lang)} · {matrix_text('selection', lang)}: "
        f"{selection_text(filters or ProjectFilter(), lang, matrix=matrix)} · {matrix_text('made', lang)} {made}"
    )
    table = matrix_sheet(matrix, matrix_words(lang))
    rows = matrix.rows.reset_index(drop=True)
    road = (rows["reference_kind"] == "road").to_numpy()
    blocks: list[_Block] = []
    ruas = rows.loc[road, ["reference_id", "reference_name"]].drop_duplicates()
    for code, name in ruas.itertuples(index=False):
        mine = np.flatnonzero(
            road & (rows["reference_id"] == code).to_numpy() & (rows["reference_name"] == name)
        )
        mine = mine[np.argsort(rows["from_m"].to_numpy(dtype=float)[mine], kind="stable")]
        first = rows.iloc[mine[0]]
        units = ", ".join(u for u in dict.fromkeys(rows["unit_name"].iloc[mine]) if u)
        status = first["reference_status"]
        subtitle = matrix_text("ruas_subtitle", lang).format(
            status=road_status_label(status, lang) if status else "",
            length=format_decimal_id(first["reference_length_m"] / 1000.0, 1, lang),
            unit=units,
        )
        chosen = rows.iloc[mine]
        strip = _Strip(
            length_m=float(first["reference_length_m"]),
            works=matrix.works[matrix.works["row_id"].isin(set(chosen["row_id"]))].drop_duplicates(
                ["agency", "project_id", "from_m", "to_m"]
            ),
            conflicts=chosen.loc[chosen["conflict"], ["from_m", "to_m"]],
            cuts=np.unique(chosen[["from_m", "to_m"]].to_numpy(dtype=float)),
        )
        heading = matrix_text("ruas_title", lang).format(code=code, name=name).strip()
        blocks += _section(table.iloc[mine], _COLUMNS, heading, subtitle.strip(" ·"), strip, lang)
    irrigation = np.flatnonzero(~road)
    if len(irrigation):
        heading = matrix_text("di_section", lang)
        blocks += _section(table.iloc[irrigation], _DI_COLUMNS, heading, "", None, lang)
    if not blocks:
        blocks.append(_Block(matrix_text("title_all", lang), matrix_text("no_rows", lang)))
    return [_drawer(page, footer, lang) for page in _pack(blocks)]


@dataclasses.dataclass(frozen=True)
class _Block:
    """A ruas (or the Daerah Irigasi) on a page: heading, subtitle, strip map (or None) and
    its rows of the table (or a part of them)."""

    heading: str
    subtitle: str = ""
    strip: _Strip | None = None
    columns: tuple[Column, ...] = ()
    rows: tuple[list[list[str]], ...] = ()
    fills: tuple[str | None, ...] = ()

    @property
    def height_in(self) -> float:
        """Inches the block takes on a page, the gap below it included."""
        height = _TITLE_IN + (_STRIP_IN + 0.1 if self.strip is not None else 0.0) + _GAP_IN
        if self.columns:
            total = sum(c.width for c in self.columns)
            widths = [_WIDTH_IN * c.width / total for c in self.columns]
            header = max(
                len(wrap_cell(c.header, w, _TABLE_PT))
                for c, w in zip(self.columns, widths, strict=True)
            )
            height += row_height_in(header, _TABLE_PT)
            height += sum(
                row_height_in(max(len(cell) for cell in row), _TABLE_PT) for row in self.rows
            )
        return height


def _section(part, spec, heading, subtitle, strip, lang) -> list[_Block]:
    """The blocks of one ruas (or of the Daerah Irigasi): its rows split over as many pages
    as they need, each part under the same heading and strip; conflict rows filled."""
    part = part.assign(number=np.arange(1, len(part) + 1))
    total = sum(width for _, width in spec)
    columns = tuple(
        Column(_header(code, lang, _WIDTH_IN * width / total), width, _align(code))
        for code, width in spec
    )
    cells = [[_cell(part[c].iat[i], c, lang) for c, _ in spec] for i in range(len(part))]
    room = _HEIGHT_IN - _TITLE_IN - _FOOTER_IN - _GAP_IN - (_STRIP_IN if strip is not None else 0)
    split = paginate(cells, columns, width_in=_WIDTH_IN, height_in=room, fontsize=_TABLE_PT)
    fills = [_CONFLICT_ROW if c else None for c in part["conflict"]]
    blocks, done = [], 0
    for k, page_rows in enumerate(split):
        more = ""
        if len(split) > 1:
            more = matrix_text("continued", lang).format(i=k + 1, n=len(split))
        blocks.append(
            _Block(
                heading + more,
                subtitle,
                strip,
                columns,
                tuple(page_rows),
                tuple(fills[done : done + len(page_rows)]),
            )
        )
        done += len(page_rows)
    return blocks


def _pack(blocks: list[_Block]) -> list[list[_Block]]:
    """Blocks onto pages in their order: the next block goes below the last one when it fits
    above the footer, else on a new page (a ruas is never split between two pages unless it
    alone needs more than one)."""
    pages: list[list[_Block]] = []
    used = _HEIGHT_IN
    for block in blocks:
        height = block.height_in
        if not pages or used + height > _HEIGHT_IN - _FOOTER_IN:
            pages.append([])
            used = 0.0
        pages[-1].append(block)
        used += height
    return pages


def _header(code: str, lang: str, width_in: float) -> str:
    """A column's header, wrapped for its bold type (the tables wrap for regular type)."""
    text = (
        unit_words(None, lang)["Unit"] if code == "unit_name" else matrix_words(lang).header(code)
    )
    chars = max(4, int((width_in - 0.1) * 72 / (_TABLE_PT * _BOLD_EM)))
    return "\n".join(textwrap.wrap(text, chars, break_long_words=False))


def _align(code: str) -> str:
    return "right" if code in ("number", "length_km") else "left"


def _cell(value: object, code: str, lang: str) -> str:
    if code == "length_km":
        return format_decimal_id(value, 2, lang)
    return "" if is_missing(value) else str(value)


@dataclasses.dataclass(frozen=True)
class _Strip:
    """What the strip map of one ruas shows: its length, the works on its rows (each work's
    own interval), the conflict stretches and the cuts between rows (metres)."""

    length_m: float
    works: pd.DataFrame
    conflicts: pd.DataFrame
    cuts: np.ndarray

    @property
    def extent_m(self) -> float:
        """The chainage drawn: the ruas's length, else its farthest cut."""
        if np.isfinite(self.length_m) and self.length_m > 0:
            return self.length_m
        return float(np.nanmax(self.cuts))


def _drawer(blocks: list[_Block], footer: str, lang: str) -> PageDrawer:
    def draw() -> Figure:
        fig = new_page(_PAGE)
        fig_w, fig_h = fig.get_size_inches()
        left = _MARGIN_IN / fig_w
        top = 0.0
        for block in blocks:
            fig.text(
                left, 1 - (top + 0.35) / fig_h, block.heading, fontsize=18, weight="bold", va="top"
            )
            if block.subtitle:
                fig.text(
                    left,
                    1 - (top + 0.72) / fig_h,
                    block.subtitle,
                    fontsize=11,
                    va="top",
                    color="#333",
                )
            at = top + _TITLE_IN
            if block.strip is not None:
                _draw_strip(fig, block.strip, top_in=at, lang=lang)
                at += _STRIP_IN + 0.1
            if block.columns:
                draw_table(
                    fig,
                    block.columns,
                    block.rows,
                    left_in=_MARGIN_IN,
                    top_in=at,
                    width_in=_WIDTH_IN,
                    fontsize=_TABLE_PT,
                    row_fills=block.fills,
                )
            top += block.height_in
        fig.text(left, 0.015, footer, fontsize=7, va="bottom", color="#444444")
        return fig

    return draw


def _draw_strip(fig: Figure, strip: _Strip, *, top_in: float, lang: str) -> None:
    """The strip map: one lane per level, works as bars, conflicts shaded, STA ticks."""
    fig_w, fig_h = fig.get_size_inches()
    label_in = 1.6  # room for the lane labels on the left
    legend_in = 2.2  # and for the legend on the right
    left = (_MARGIN_IN + label_in) / fig_w
    width = (fig_w - 2 * _MARGIN_IN - label_in - legend_in) / fig_w
    height = (_STRIP_IN - 0.55) / fig_h  # the STA tick labels below it
    ax = fig.add_axes((left, 1 - (top_in + _STRIP_IN - 0.55) / fig_h, width, height))
    lanes = {level: len(MATRIX_LEVELS) - 1 - k for k, level in enumerate(MATRIX_LEVELS)}
    for lo, hi in strip.conflicts.itertuples(index=False):
        ax.axvspan(lo, hi, color=FINDING_COLOUR, alpha=0.18, linewidth=0)
    for cut in strip.cuts:
        ax.axvline(cut, color="#999999", linewidth=0.6, linestyle=":")
    ax.plot(
        [0, strip.length_m], [-0.75, -0.75], color="#5B3A29", linewidth=3, solid_capstyle="butt"
    )
    axes_in = width * fig_w
    works = strip.works.sort_values(["from_m", "to_m"], kind="stable")
    for level in MATRIX_LEVELS:
        mine = works[works["level"] == level]
        tiers = _tiers(mine["from_m"].to_numpy(dtype=float), mine["to_m"].to_numpy(dtype=float))
        n_tiers = int(tiers.max()) + 1 if len(tiers) else 1
        bar = 0.6 / n_tiers  # works of one level that overlap share its lane, one above the other
        for work, tier in zip(mine.itertuples(index=False), tiers, strict=True):
            lo, span = float(work.from_m), max(float(work.to_m) - float(work.from_m), 0.0)
            y = lanes[level] + 0.3 - bar * (tier + 0.5)
            ax.barh(y, span, left=lo, height=bar * 0.9, color=LEVEL_COLOURS[level], alpha=0.9)
            # the longest label that fits inside its bar: id and years, the id, the years
            years = format_years(work.year_start, work.year_end)
            room_in = span / strip.extent_m * axes_in - 0.1
            fitting = [
                text
                for text in (f"{work.project_id} ({years})", str(work.project_id), years)
                if len(text) * _LABEL_PT * _CHAR_EM / 72 < room_in
            ]
            if fitting and bar >= 0.25:
                label = fitting[0]
                ax.text(
                    lo + span / 2,
                    y,
                    label,
                    ha="center",
                    va="center",
                    fontsize=_LABEL_PT,
                    color="white",
                    weight="bold",
                )
    ax.set_xlim(0, strip.extent_m)
    ax.set_ylim(-1.2, len(MATRIX_LEVELS) - 0.4)
    ax.set_yticks([lanes[level] for level in MATRIX_LEVELS])
    ax.set_yticklabels([level_label(level, lang) for level in MATRIX_LEVELS], fontsize=9)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=12, steps=[1, 2, 2.5, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: sta_text(x)))
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel(matrix_text("chainage", lang), fontsize=8)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    handles = [
        Patch(facecolor=LEVEL_COLOURS[level], label=level_label(level, lang))
        for level in MATRIX_LEVELS
    ]
    handles.append(Patch(facecolor=FINDING_COLOUR, alpha=0.3, label=matrix_text("conflict", lang)))
    fig.legend(
        handles=handles,
        loc="upper right",
        bbox_to_anchor=(1 - _MARGIN_IN / fig_w, 1 - top_in / fig_h),
        fontsize=8,
        frameon=False,
    )


def _tiers(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A tier per interval (sorted by start) so that intervals of one tier do not overlap.

    >>> _tiers(np.array([0.0, 5.0, 12.0]), np.array([10.0, 15.0, 20.0])).tolist()
    [0, 1, 0]
    """
    ends: list[float] = []
    out = np.zeros(len(lo), dtype=np.int64)
    for k, (start, end) in enumerate(zip(lo, hi, strict=True)):
        free = next((t for t, last in enumerate(ends) if last <= start), len(ends))
        if free == len(ends):
            ends.append(end)
        else:
            ends[free] = end
        out[k] = free
    return out
