"""Tables drawn on matplotlib pages: wrapped cells, repeated header, split over as many pages as
they need (never overflowing one)."""

from __future__ import annotations

import dataclasses
import textwrap
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

#: Average glyph width of DejaVu Sans as a share of the font size: sets how many characters fit.
_CHAR_EM = 0.56
#: Line height as a multiple of the font size.
_LINE_EM = 1.25
#: Space above and below the text of a cell, in inches.
_PAD_IN = 0.035


@dataclasses.dataclass(frozen=True)
class Column:
    """A table column: header text, share of the table width, text alignment."""

    header: str
    width: float
    align: str = "left"


def wrap_cell(text: object, width_in: float, fontsize: float) -> list[str]:
    """Lines of ``text`` wrapped to a column ``width_in`` inches wide at ``fontsize`` points.

    Newlines in ``text`` start new paragraphs; an empty cell is one empty line.

    >>> wrap_cell("Rehabilitasi Jalan Simpang Contoh", 1.2, 8)
    ['Rehabilitasi Jalan', 'Simpang Contoh']
    """
    chars = max(4, int((width_in - 2 * _PAD_IN) * 72 / (fontsize * _CHAR_EM)))
    lines: list[str] = []
    for paragraph in str("" if text is None else text).split("\n"):
        lines += textwrap.wrap(paragraph, chars, break_long_words=True) or [""]
    return lines


def row_height_in(lines: int, fontsize: float) -> float:
    """Height of a row of ``lines`` text lines, in inches."""
    return lines * fontsize * _LINE_EM / 72 + 2 * _PAD_IN


def paginate(
    rows: Sequence[Sequence[object]],
    columns: Sequence[Column],
    *,
    width_in: float,
    height_in: float,
    fontsize: float,
) -> list[list[list[list[str]]]]:
    """Wrap every cell and split the rows into pages that fit ``height_in`` under the header.

    Returns pages -> rows -> cells -> lines. A table without rows is one page with no rows.
    """
    total = sum(c.width for c in columns)
    widths = [width_in * c.width / total for c in columns]
    header = [wrap_cell(c.header, w, fontsize) for c, w in zip(columns, widths, strict=True)]
    room = height_in - row_height_in(max(len(h) for h in header), fontsize)
    pages: list[list[list[list[str]]]] = [[]]
    used = 0.0
    for row in rows:
        wrapped = [wrap_cell(v, w, fontsize) for v, w in zip(row, widths, strict=True)]
        height = row_height_in(max(len(cell) for cell in wrapped), fontsize)
        if pages[-1] and used + height > room:
            pages.append([])
            used = 0.0
        pages[-1].append(wrapped)
        used += height
    return pages


def draw_table(
    fig: Figure,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Sequence[str]]],
    *,
    left_in: float,
    top_in: float,
    width_in: float,
    fontsize: float,
    header: bool = True,
    row_fills: Sequence[str | None] | None = None,
) -> float:
    """Draw a header (unless ``header`` is False) and already wrapped rows, top left at
    (``left_in``, ``top_in``) inches from the page's left and top edges. Returns the table's
    height in inches. ``row_fills``: a colour per row that replaces its shading (None keeps
    it), e.g. to highlight findings."""
    fig_w, fig_h = fig.get_size_inches()
    total = sum(c.width for c in columns)
    widths = [width_in * c.width / total for c in columns]
    heading = [wrap_cell(c.header, w, fontsize) for c, w in zip(columns, widths, strict=True)]
    y = top_in
    for index, cells in enumerate([heading, *rows] if header else rows, start=0 if header else 1):
        height = row_height_in(max(len(cell) for cell in cells), fontsize)
        shade = "#E8E8E8" if index == 0 else ("#F7F7F7" if index % 2 == 0 else "white")
        if index > 0 and row_fills is not None and row_fills[index - 1] is not None:
            shade = row_fills[index - 1]
        x = left_in
        for column, width, lines in zip(columns, widths, cells, strict=True):
            fig.add_artist(
                Rectangle(
                    (x / fig_w, 1 - (y + height) / fig_h),
                    width / fig_w,
                    height / fig_h,
                    transform=fig.transFigure,
                    facecolor=shade,
                    edgecolor="#BBBBBB",
                    linewidth=0.5,
                )
            )
            anchor = {"left": x + _PAD_IN, "right": x + width - _PAD_IN}.get(
                column.align, x + width / 2
            )
            fig.text(
                anchor / fig_w,
                1 - (y + _PAD_IN) / fig_h,
                "\n".join(lines),
                ha=column.align,
                va="top",
                fontsize=fontsize,
                weight="bold" if index == 0 else "normal",
                # matplotlib spaces lines by a multiple of the "lp" height (~1.17 em).
                linespacing=_LINE_EM / 1.17,
            )
            x += width
        y += height
    return y - top_in
