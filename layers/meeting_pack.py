"""The meeting pack (bahan rapat koordinasi): one PDF for a coordination meeting.

Pages, in order: the overview map; one map per kabupaten/kota with projects, with its findings;
the findings table numbered as on the maps; the authority mismatches; the coverage gaps per
unit; the minutes (berita acara) with the agreements and a signature box per agency. Every
findings and mismatch row has an empty "decision" column for the minutes. Tables run over as
many pages as they need; every page carries the data notice and its page number.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from typing import Final

import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.analyses import Analyses
from layers.basemap import Basemap
from layers.formatting import format_number, format_rupiah, is_missing
from layers.map_labels import (
    MapText,
    level_label_safe,
    number_findings,
)
from layers.map_text import demo_notice, footer, map_words
from layers.pack_tables import (
    finding_columns,
    finding_rows,
    gap_columns,
    gap_rows,
    gap_total,
    mismatch_columns,
    mismatch_rows,
    pack_text,
    percent_text,
)
from layers.page_table import Column, draw_table, paginate, wrap_cell
from layers.palette import LEVEL_COLOURS
from layers.static_map import PAGE_SIZES_IN, PRINT_DPI, map_figure, new_page

#: Body text of the tables, points (A4; scaled on A3).
TABLE_PT: Final[float] = 7.5
_MARGIN_IN: Final[float] = 0.45
_TITLE_ROOM_IN: Final[float] = 0.85
_FOOTER_ROOM_IN: Final[float] = 0.55

PageDrawer = Callable[[], Figure]


def meeting_pack_pages(
    analyses: Analyses,
    *,
    page: str = "a4",
    lang: str = "id",
    title: str | None = None,
    basemap: Basemap | None = None,
) -> list[PageDrawer]:
    """The pack's pages as functions that each draw one page (the page count is their number).

    Parameters
    ----------
    analyses
        The selection and its findings (:func:`geo.analyses.analyse_store`).
    page
        ``a4`` or ``a3`` (landscape).
    lang
        ``id`` or ``en``.
    title
        Title of the overview map; default the product's.
    basemap
        Tiles under the maps when reachable (:mod:`layers.basemap`); default none (offline).
    """
    if page.lower() not in PAGE_SIZES_IN:
        raise ValueError(f"page {page!r}: use one of {', '.join(PAGE_SIZES_IN)}")
    findings = number_findings(analyses.findings)
    words = dataclasses.replace(
        map_words(analyses, title=title, lang=lang), summary=overview_summary(analyses, lang)
    )
    pages: list[PageDrawer] = [
        lambda: map_figure(
            analyses.projects,
            text=words,
            findings=findings,
            boundaries=analyses.units,
            focus=analyses.selected_units if analyses.filters.kabupaten else None,
            size=page,
            lang=lang,
            basemap=basemap,
        )
    ]
    pages += _unit_pages(analyses, findings, page, lang, basemap)
    pages += _table_pages(
        pack_text("findings_title", lang),
        finding_columns(lang),
        finding_rows(findings, lang),
        analyses,
        page,
        lang,
    )
    if analyses.mismatches is None:
        pages += _table_pages(
            pack_text("mismatches_title", lang),
            mismatch_columns(lang),
            [],
            analyses,
            page,
            lang,
            empty=pack_text("no_reference", lang),
        )
    else:
        pages += _table_pages(
            pack_text("mismatches_title", lang),
            mismatch_columns(lang),
            mismatch_rows(analyses.mismatches, lang),
            analyses,
            page,
            lang,
        )
    if analyses.gaps is not None:
        pages += _table_pages(
            pack_text("gaps_title", lang),
            gap_columns(analyses.gaps, lang),
            gap_rows(analyses.gaps, lang),
            analyses,
            page,
            lang,
        )
    pages.append(_minutes_drawer(analyses, page, lang))
    return pages


def meeting_pack_pdf(
    analyses: Analyses,
    *,
    page: str = "a4",
    lang: str = "id",
    title: str | None = None,
    basemap: Basemap | None = None,
) -> bytes:
    """The meeting pack as PDF bytes (see :func:`meeting_pack_pages` for the pages)."""
    drawers = meeting_pack_pages(analyses, page=page, lang=lang, title=title, basemap=basemap)
    buffer = io.BytesIO()
    metadata = {"Title": title or pack_text("pdf_title", lang), "Creator": "Peta Sinergi"}
    with PdfPages(buffer, metadata=metadata) as pdf:
        for number, draw in enumerate(drawers, start=1):
            fig = draw()
            fig.text(
                0.98,
                0.015,
                pack_text("page", lang).format(i=number, n=len(drawers)),
                ha="right",
                va="bottom",
                fontsize=7 * _scale(page),
                color="#444444",
            )
            pdf.savefig(fig, dpi=PRINT_DPI)
    return buffer.getvalue()


# --- pages -------------------------------------------------------------------------------------


def _scale(page: str) -> float:
    return PAGE_SIZES_IN[page.lower()][0] / PAGE_SIZES_IN["a4"][0]


def _unit_pages(
    analyses: Analyses, findings, page: str, lang: str, basemap: Basemap | None = None
) -> list[PageDrawer]:
    """One map per selected unit that has projects, with the findings touching it."""
    units = analyses.selected_units
    if units is None or units.empty or analyses.projects.empty:
        return []
    units = units.to_crs(4326)
    project_geoms = analyses.projects.geometry.to_numpy()
    finding_geoms = findings.geometry.to_numpy() if len(findings) else np.array([])
    budgets = pd.to_numeric(analyses.projects["budget_idr"], errors="coerce").fillna(0)
    gaps = analyses.gaps.set_index("unit_id") if analyses.gaps is not None else None
    base_footer = footer(analyses, lang)
    pages: list[PageDrawer] = []
    for position in range(len(units)):
        unit = units.iloc[[position]]
        shape = unit.geometry.iloc[0]
        inside = shapely.intersects(project_geoms, shape)
        if not inside.any():
            continue
        touching = (
            findings.loc[shapely.intersects(finding_geoms, shape)] if len(findings) else findings
        )
        unit_id = unit["unit_id"].iloc[0]
        gap = gaps.loc[unit_id] if gaps is not None and unit_id in gaps.index else None
        # The gaps table splits a project's budget by its share inside the unit: the page
        # says the same figure as the table.
        budget = gap["budget_idr"] if gap is not None else budgets[inside].sum()
        words = MapText(
            title=str(unit["unit_name"].iloc[0]) if "unit_name" in unit else str(unit_id),
            subtitle=pack_text("unit_subtitle", lang).format(
                projects=int(inside.sum()),
                findings=len(touching),
                budget=format_rupiah(budget, lang),
            ),
            footer=base_footer,
            notice=demo_notice(analyses, lang),
            summary=_unit_summary(analyses, inside, gap, lang),
        )
        pages.append(_unit_drawer(analyses, touching, unit, words, page, lang, basemap))
    return pages


def overview_summary(analyses: Analyses, lang: str = "id") -> list[str]:
    """Summary lines of the whole selection: projects per level, coverage, authority rows."""
    everything = np.ones(len(analyses.projects), dtype=bool)
    total = gap_total(analyses.gaps, lang) if analyses.gaps is not None else None
    return _unit_summary(analyses, everything, total, lang, whole=True)


def _unit_summary(
    analyses: Analyses, inside: np.ndarray, gap, lang: str, *, whole: bool = False
) -> list[str]:
    """Projects per level, network coverage and the authority rows of a unit's projects (of
    the whole selection with ``whole``: their count, not their K-numbers), most telling first:
    the panel shows as many lines as fit."""
    counts = analyses.projects.loc[inside, "level"].value_counts()
    order = [lv for lv in LEVEL_COLOURS if lv in counts.index]
    order += [lv for lv in counts.index if lv not in order]
    lines = [
        pack_text("level_count", lang).format(
            level=level_label_safe(level, lang), n=int(counts[level])
        )
        for level in order
    ]
    has_network = gap is not None and "network_km" in gap and not is_missing(gap["network_km"])
    if has_network:
        lines.append(
            pack_text("coverage", lang).format(
                km=format_number(gap["network_km"], 1, lang),
                share=percent_text(gap["covered_share"], lang),
            )
        )
    if analyses.mismatches is not None and len(analyses.mismatches):
        ids = set(analyses.projects.loc[inside, "project_id"])
        numbers = [
            f"K{i}"
            for i, pid in enumerate(analyses.mismatches["project_id"], start=1)
            if pid in ids
        ]
        if whole:
            lines.append(pack_text("all_mismatches", lang).format(n=len(analyses.mismatches)))
        elif numbers:
            lines.append(pack_text("unit_mismatches", lang).format(numbers=", ".join(numbers)))
    if has_network:
        lines.append(
            pack_text("uncovered", lang).format(km=format_number(gap["uncovered_km"], 1, lang))
        )
    return lines


def _unit_drawer(analyses, touching, unit, words, page, lang, basemap) -> PageDrawer:
    return lambda: map_figure(
        analyses.projects,
        text=words,
        findings=touching,
        boundaries=analyses.units,
        focus=unit,
        size=page,
        lang=lang,
        basemap=basemap,
    )


def _table_pages(
    title: str,
    columns: list[Column],
    rows: list[list[str]],
    analyses: Analyses,
    page: str,
    lang: str,
    *,
    empty: str | None = None,
) -> list[PageDrawer]:
    width_in, height_in = PAGE_SIZES_IN[page.lower()]
    scale = _scale(page)
    fontsize = TABLE_PT * scale
    table_width = width_in - 2 * _MARGIN_IN * scale
    room = height_in - (_TITLE_ROOM_IN + _FOOTER_ROOM_IN) * scale
    parts = paginate(rows, columns, width_in=table_width, height_in=room, fontsize=fontsize)
    notice = [text] if (text := demo_notice(analyses, lang)) else []
    drawers = []
    for index, part in enumerate(parts, start=1):
        heading = title + (
            pack_text("part", lang).format(i=index, n=len(parts)) if len(parts) > 1 else ""
        )
        drawers.append(
            _table_drawer(
                heading,
                columns,
                part,
                page,
                fontsize,
                table_width,
                notice,
                empty or pack_text("none", lang),
            )
        )
    return drawers


#: Agencies given a signature box on the minutes page, at most (the rest sign on paper).
_MAX_SIGNATURES = 8


def _minutes_drawer(analyses: Analyses, page: str, lang: str) -> PageDrawer:
    """The minutes (berita acara) page: meeting details, the agreements, one signature box per
    agency whose projects are in the selection."""
    agencies = sorted(set(analyses.projects["agency"].astype(str)))[:_MAX_SIGNATURES]
    notice = [text] if (text := demo_notice(analyses, lang)) else []

    def draw() -> Figure:
        fig = new_page(page)
        scale = _scale(page)
        width_in = fig.get_figwidth() - 2 * _MARGIN_IN * scale
        fontsize = TABLE_PT * scale * 1.1
        left = _MARGIN_IN * scale
        fig.text(
            left / fig.get_figwidth(),
            1 - 0.3 * scale / fig.get_figheight(),
            pack_text("minutes_title", lang),
            fontsize=16 * scale,
            weight="bold",
            va="top",
        )
        top = _TITLE_ROOM_IN * scale
        # room to write by hand: two lines a field, three for the attendees
        details = [[pack_text(key, lang), "\n"] for key in ("when", "where", "chair")]
        details.append([pack_text("attendees", lang), "\n\n"])
        top += draw_table(
            fig,
            [Column("", 1.0), Column("", 4.0)],
            _wrapped(details),
            left_in=left,
            top_in=top,
            width_in=width_in,
            fontsize=fontsize,
            header=False,
        )
        top += 0.2 * scale
        agreements = [[str(i), "\n\n", "", ""] for i in range(1, 7)]
        columns = [
            Column(pack_text("no", lang), 0.3, "center"),
            Column(pack_text("agreement", lang), 4.0),
            Column(pack_text("responsible", lang), 1.4),
            Column(pack_text("deadline", lang), 0.9),
        ]
        top += draw_table(
            fig,
            columns,
            _wrapped(agreements),
            left_in=left,
            top_in=top,
            width_in=width_in,
            fontsize=fontsize,
        )
        top += 0.2 * scale
        per_row = 4
        for start in range(0, len(agencies), per_row):
            chunk = agencies[start : start + per_row]
            cells = [
                "\n".join(wrap_cell(a, width_in / per_row, fontsize))
                + f"\n\n\n\n{pack_text('signature', lang)}"
                for a in chunk
            ]
            cells += [""] * (per_row - len(chunk))
            top += draw_table(
                fig,
                [Column("", 1.0)] * per_row,
                _wrapped([cells]),
                left_in=left,
                top_in=top,
                width_in=width_in,
                fontsize=fontsize,
                header=False,
            )
        for line in notice:
            fig.text(
                left / fig.get_figwidth(),
                0.015,
                line,
                fontsize=7 * scale,
                va="bottom",
                color="#444444",
            )
        return fig

    return draw


def _wrapped(rows: list[list[str]]) -> list[list[list[str]]]:
    """Rows of cells as lines (cells here are short: split at newlines, never wrapped)."""
    return [[cell.split("\n") for cell in row] for row in rows]


def _table_drawer(heading, columns, part, page, fontsize, table_width, notice, empty_text):
    def draw() -> Figure:
        fig = new_page(page)
        scale = _scale(page)
        fig.text(
            _MARGIN_IN * scale / fig.get_figwidth(),
            1 - 0.3 * scale / fig.get_figheight(),
            heading,
            fontsize=16 * scale,
            weight="bold",
            va="top",
        )
        top = _TITLE_ROOM_IN * scale
        draw_table(
            fig,
            columns,
            part,
            left_in=_MARGIN_IN * scale,
            top_in=top,
            width_in=table_width,
            fontsize=fontsize,
        )
        if not part:
            fig.text(
                _MARGIN_IN * scale / fig.get_figwidth(),
                1 - (top + 0.45 * scale) / fig.get_figheight(),
                empty_text,
                fontsize=fontsize * 1.2,
                va="top",
            )
        for line in notice:
            fig.text(
                _MARGIN_IN * scale / fig.get_figwidth(),
                0.015,
                line,
                fontsize=7 * scale,
                va="bottom",
                color="#444444",
            )
        return fig

    return draw
