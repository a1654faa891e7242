"""The meeting pack (bahan rapat koordinasi): one PDF for a coordination meeting.

Pages, in order: the overview map; one map per kabupaten/kota with projects, with its findings
listed largest budget at stake first; the findings table numbered as on the maps; the budget at
stake totalled per kabupaten/kota, province, pair of levels, year and kind
(:func:`geo.analyse.ledger.budget_ledger`); the authority mismatches; the coverage gaps per unit; the minutes (berita acara) with the agreements and a
signature box per agency. Every findings and mismatch row has an empty "decision" column for
the minutes. Every page carries the data notice and its page number.

A summary that fits any size: at most :data:`MAX_UNIT_PAGES` kabupaten/kota maps (those with the
most budget at stake) and :data:`MAX_TABLE_PAGES` pages per table, so a national store makes at
most :data:`PACK_MAX_PAGES` pages; what is left out is counted on the page and is in the Excel
annex (``laporan.xlsx``), which the pack names. Each map draws only what lies in its view.
The PDF embeds its fonts as TrueType (Type 42), so its text is searchable and copyable, and
carries a title, subject and author.
"""

from __future__ import annotations

import dataclasses
import functools
import io
from collections.abc import Callable
from typing import Final

import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.analyse.ledger import ledger_of, ledger_unit_level
from geo.analyse.run import Analysis
from geo.export.workbook import SHEETS
from geo.read.reference import unit_level
from geo.settings import DEFAULT_SETTINGS
from layers.basemap import Basemap
from layers.formatting import format_number, format_rupiah, is_missing
from layers.map_labels import (
    MapText,
    level_label_safe,
    number_findings,
)
from layers.map_text import demo_notice, footer, map_words
from layers.overlays import display_geometry
from layers.pack_tables import (
    finding_columns,
    finding_rows,
    gap_columns,
    gap_rows,
    gap_total,
    ledger_columns,
    ledger_rows,
    mismatch_columns,
    mismatch_rows,
    pack_text,
    percent_text,
    unit_title,
)
from layers.page_table import Column, draw_table, paginate, row_height_in, wrap_cell
from layers.palette import LEVEL_COLOURS
from layers.static_map import (
    PAGE_SIZES_IN,
    PRINT_DPI,
    map_figure,
    new_page,
    use_truetype_fonts,
)
from layers.words import SHEET_NAMES_EN

#: Body text of the tables, points (A4; scaled on A3).
TABLE_PT: Final[float] = 7.5
_MARGIN_IN: Final[float] = 0.45
_TITLE_ROOM_IN: Final[float] = 0.85
_FOOTER_ROOM_IN: Final[float] = 0.55
#: Room under a table for the line naming the rows left out (in the Excel annex).
_NOTE_ROOM_IN: Final[float] = 0.3

#: Kabupaten/kota maps in the pack, at most: those with the most budget at stake.
MAX_UNIT_PAGES: Final[int] = 60
#: Pages per table, at most; the rows left out are counted and are in the Excel annex.
MAX_TABLE_PAGES: Final[dict[str, int]] = {
    "findings": 10,
    "ledger": 2,
    "mismatches": 5,
    "gaps": 5,
}
#: Most pages of a pack: overview, unit maps, tables and minutes.
PACK_MAX_PAGES: Final[int] = 1 + MAX_UNIT_PAGES + sum(MAX_TABLE_PAGES.values()) + 1
#: The Excel annex the pack refers to (the workbook export's file name).
ANNEX_FILE: Final[str] = "laporan.xlsx"
#: Map detail: boundaries are simplified to this fraction of the view's width.
_SIMPLIFY_SHARE: Final[float] = 1 / 2500
_DISPLAY_DECIMALS: Final[int] = 5

PageDrawer = Callable[[], Figure]


def meeting_pack_pages(
    analyses: Analysis,
    *,
    page: str = "a4",
    lang: str = "id",
    title: str | None = None,
    basemap: Basemap | None = None,
    full: bool = False,
    zone: str = DEFAULT_SETTINGS.time_zone,
) -> list[PageDrawer]:
    """The pack's pages as functions that each draw one page (the page count is their number).

    Parameters
    ----------
    analyses
        The selection and its findings (:func:`geo.analyse.run.analyse_store`).
    page
        ``a4`` or ``a3`` (landscape).
    lang
        ``id`` or ``en``.
    title
        Title of the overview map; default the product's.
    basemap
        Tiles under the maps when reachable (:mod:`layers.basemap`); default none (offline).
    full
        Every kabupaten/kota with projects and every table row, however many pages that
        takes; default the summary of at most :data:`PACK_MAX_PAGES` pages.
    """
    if page.lower() not in PAGE_SIZES_IN:
        raise ValueError(f"page {page!r}: use one of {', '.join(PAGE_SIZES_IN)}")
    findings = number_findings(analyses.overlaps)
    limits = None if full else MAX_TABLE_PAGES
    units, unit_count = _unit_pages(
        analyses,
        findings,
        page,
        lang,
        basemap,
        max_pages=None if full else MAX_UNIT_PAGES,
        zone=zone,
    )
    words = map_words(analyses, title=title, lang=lang, zone=zone)
    words = dataclasses.replace(words, summary=overview_summary(analyses, lang))
    if len(units) < unit_count:
        # in the footer, which every page layout keeps (the summary gives way to findings)
        left_out = pack_text("unit_pages", lang, level=unit_level(analyses.units)).format(
            n=len(units), of=unit_count, file=ANNEX_FILE
        )
        words = dataclasses.replace(words, footer=[left_out, *words.footer])
    focus = analyses.selected_units if analyses.filters.units else None
    extent = _extent_deg(focus) if focus is not None else _extent_deg(analyses.projects)
    extent = extent or _extent_deg(analyses.units)
    pages: list[PageDrawer] = [
        lambda: map_figure(
            _display(analyses.projects, extent),
            text=words,
            findings=_display(findings, extent),
            boundaries=_display(analyses.units, extent),
            focus=focus,
            size=page,
            lang=lang,
            basemap=basemap,
        )
    ]
    pages += units
    ledger = ledger_of(analyses)
    tables = _Tables(analyses, page, lang, limits, ledger)
    pages += tables.pages(
        "findings", finding_columns(lang), lambda n: finding_rows(findings.head(n), lang)
    )
    level = ledger_unit_level(analyses.units)
    pages += tables.pages(
        "ledger",
        ledger_columns(lang, level=level),
        lambda n: ledger_rows(ledger.head(n), lang, level=level),
    )
    if not analyses.authority_checked:
        pages += tables.pages(
            "mismatches", mismatch_columns(lang), lambda n: [], pack_text("no_reference", lang)
        )
    else:
        mismatches = analyses.mismatches
        pages += tables.pages(
            "mismatches", mismatch_columns(lang), lambda n: mismatch_rows(mismatches.head(n), lang)
        )
    if analyses.coverage is not None:
        gaps = analyses.coverage
        if not full and "uncovered_km" in gaps:
            # cut to the largest gaps first when the table does not fit
            gaps = gaps.sort_values("uncovered_km", ascending=False, kind="stable")
        columns = gap_columns(analyses.coverage, lang, level=unit_level(analyses.units))
        pages += tables.pages("gaps", columns, lambda n: _gap_rows(gaps, n, lang))
    pages += _minutes_drawers(analyses, page, lang)
    return pages


def meeting_pack_pdf(
    analyses: Analysis,
    *,
    page: str = "a4",
    lang: str = "id",
    title: str | None = None,
    basemap: Basemap | None = None,
    zone: str = DEFAULT_SETTINGS.time_zone,
) -> bytes:
    """The meeting pack as PDF bytes (see :func:`meeting_pack_pages` for the pages); times in
    ``zone`` (:attr:`geo.settings.Settings.time_zone`)."""
    drawers = meeting_pack_pages(
        analyses, page=page, lang=lang, title=title, basemap=basemap, zone=zone
    )
    return pack_pdf_bytes(drawers, page=page, lang=lang, title=title)


def pack_pdf_bytes(
    drawers: list[PageDrawer],
    *,
    page: str = "a4",
    lang: str = "id",
    title: str | None = None,
    subject: str | None = None,
    keywords: str | None = None,
) -> bytes:
    """Draw the pages and save them as one PDF, numbered, with TrueType fonts and metadata
    (the meeting pack's title, subject and keywords unless given)."""
    buffer = io.BytesIO()
    metadata = {
        "Title": title or pack_text("pdf_title", lang),
        "Subject": subject or pack_text("pdf_subject", lang),
        "Author": "Peta Sinergi",
        "Creator": "Peta Sinergi",
        "Keywords": keywords or pack_text("pdf_keywords", lang),
    }
    # Type 42 (TrueType) fonts: searchable text that every PDF reader renders the same.
    use_truetype_fonts()
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
    analyses: Analysis,
    findings,
    page: str,
    lang: str,
    basemap: Basemap | None = None,
    *,
    max_pages: int | None = None,
    zone: str = DEFAULT_SETTINGS.time_zone,
) -> tuple[list[PageDrawer], int]:
    """One map per selected unit that has projects, with the findings touching it (largest
    budget at stake first); with ``max_pages``, only the units with the most budget at stake
    (then the most project budget), in their order. Returns the pages and how many units had
    projects."""
    units = analyses.selected_units
    if units is None or units.empty or analyses.projects.empty:
        return [], 0
    units = units.to_crs(4326).reset_index(drop=True)
    shapes = units.geometry.to_numpy()
    project_geoms = analyses.projects.geometry.to_numpy()
    finding_geoms = findings.geometry.to_numpy() if len(findings) else np.array([], dtype=object)
    budgets = pd.to_numeric(analyses.projects["budget_idr"], errors="coerce").fillna(0).to_numpy()
    stakes = pd.to_numeric(findings["budget_at_stake_idr"], errors="coerce").fillna(0).to_numpy()
    # unit -> projects and findings inside it, found once for all units
    unit_of_project, project_of_unit = shapely.STRtree(project_geoms).query(
        shapes, predicate="intersects"
    )
    unit_of_finding, finding_of_unit = shapely.STRtree(finding_geoms).query(
        shapes, predicate="intersects"
    )
    project_budget = np.bincount(unit_of_project, budgets[project_of_unit], len(units))
    stake = np.bincount(unit_of_finding, stakes[finding_of_unit], len(units))
    with_projects = np.flatnonzero(np.bincount(unit_of_project, minlength=len(units)) > 0)
    chosen = with_projects
    if max_pages is not None and len(chosen) > max_pages:
        rank = np.lexsort((-project_budget[chosen], -stake[chosen]))
        chosen = np.sort(chosen[rank[:max_pages]])
    gaps = analyses.coverage.set_index("unit_id") if analyses.coverage is not None else None
    base_footer = footer(analyses, lang, zone=zone)
    boundaries = analyses.units.to_crs(4326) if analyses.units is not None else None
    level = unit_level(analyses.units)
    boundary_tree = (
        shapely.STRtree(boundaries.geometry.to_numpy()) if boundaries is not None else None
    )
    near_tree = shapely.STRtree(project_geoms)
    pages: list[PageDrawer] = []
    for position in chosen:
        unit = units.iloc[[position]]
        shape = shapes[position]
        inside = np.zeros(len(project_geoms), dtype=bool)
        inside[project_of_unit[unit_of_project == position]] = True
        touching = findings.iloc[np.sort(finding_of_unit[unit_of_finding == position])]
        touching = touching.sort_values("budget_at_stake_idr", ascending=False, kind="stable")
        unit_id = unit["unit_id"].iloc[0]
        gap = gaps.loc[unit_id] if gaps is not None and unit_id in gaps.index else None
        # The gaps table splits a project's budget by its share inside the unit: the page
        # says the same figure as the table.
        budget = gap["budget_idr"] if gap is not None else budgets[inside].sum()
        words = MapText(
            title=unit_title(
                str(unit["unit_name"].iloc[0]) if "unit_name" in unit else str(unit_id),
                level,
                lang,
            ),
            subtitle=pack_text("unit_subtitle", lang).format(
                projects=int(inside.sum()),
                findings=len(touching),
                budget=format_rupiah(budget, lang),
            ),
            footer=base_footer,
            notice=demo_notice(analyses, lang),
            summary=_unit_summary(analyses, inside, gap, lang),
        )
        # only what the map can show: the projects and boundaries in (a margin around) view
        view = _view_box(shape)
        extent = view.bounds[2] - view.bounds[0]
        near = analyses.projects.iloc[np.sort(near_tree.query(view))]
        around = None
        if boundary_tree is not None:
            around = _display(boundaries.iloc[np.sort(boundary_tree.query(view))], extent)
        pages.append(
            _unit_drawer(
                _display(near, extent),
                _display(touching, extent),
                around,
                unit,
                words,
                page,
                lang,
                basemap,
            )
        )
    return pages, len(with_projects)


def _gap_rows(gaps: pd.DataFrame, most: int | None, lang: str) -> list[list[str]]:
    """The gaps table's first ``most`` rows; cut short, without the total (of every unit)."""
    if most is None or most >= len(gaps):
        return gap_rows(gaps, lang)
    rows = gap_rows(gaps.head(most), lang)
    return rows[:most]


def _view_box(shape) -> shapely.Geometry:
    """A box around ``shape`` at least as large as any map view of it (the view adds a margin
    and widens to the map's shape)."""
    x0, y0, x1, y1 = shape.bounds
    half = max(x1 - x0, y1 - y0) * 0.9 + 0.01
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return shapely.box(cx - half, cy - half, cx + half, cy + half)


def _display(layer, extent_deg: float):
    """``layer`` (EPSG:4326) simplified to the detail a printed map ``extent_deg`` wide shows."""
    if layer is None or layer.empty:
        return layer
    return display_geometry(layer.to_crs(4326), extent_deg * _SIMPLIFY_SHARE, _DISPLAY_DECIMALS)


def _extent_deg(*layers) -> float:
    """The larger side of the layers' joint bounds, in degrees (0 when they are empty)."""
    bounds = [
        layer.to_crs(4326).total_bounds for layer in layers if layer is not None and len(layer)
    ]
    if not bounds:
        return 0.0
    x0, y0 = np.nanmin([b[:2] for b in bounds], axis=0)
    x1, y1 = np.nanmax([b[2:] for b in bounds], axis=0)
    extent = max(x1 - x0, y1 - y0)
    return float(extent) if np.isfinite(extent) else 0.0


def overview_summary(analyses: Analysis, lang: str = "id") -> list[str]:
    """Summary lines of the whole selection: projects per level, coverage, authority rows."""
    everything = np.ones(len(analyses.projects), dtype=bool)
    total = gap_total(analyses.coverage, lang) if analyses.coverage is not None else None
    return _unit_summary(analyses, everything, total, lang, whole=True)


def _unit_summary(
    analyses: Analysis, inside: np.ndarray, gap, lang: str, *, whole: bool = False
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
    if len(analyses.mismatches):
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


def _unit_drawer(projects, touching, boundaries, unit, words, page, lang, basemap) -> PageDrawer:
    return lambda: map_figure(
        projects,
        text=words,
        findings=touching,
        boundaries=boundaries,
        focus=unit,
        size=page,
        lang=lang,
        basemap=basemap,
    )


@dataclasses.dataclass
class _Tables:
    """The pack's tables: each over as many pages as it needs, at most ``limits[key]``."""

    analyses: Analysis
    page: str
    lang: str
    limits: dict[str, int] | None
    ledger: pd.DataFrame | None = None

    def pages(
        self,
        key: str,
        columns: list[Column],
        rows_of: Callable[[int | None], list[list[str]]],
        empty: str | None = None,
    ) -> list[PageDrawer]:
        """The pages of table ``key`` (findings, ledger, mismatches, gaps); ``rows_of(n)`` gives its
        first ``n`` rows (all with None)."""
        page, lang = self.page, self.lang
        width_in, height_in = PAGE_SIZES_IN[page.lower()]
        scale = _scale(page)
        fontsize = TABLE_PT * scale
        table_width = width_in - 2 * _MARGIN_IN * scale
        room = height_in - (_TITLE_ROOM_IN + _FOOTER_ROOM_IN + _NOTE_ROOM_IN) * scale
        most_pages = None if self.limits is None else self.limits[key]
        total = self._row_count(key)
        # rows of one line each: more than that never fits on the pages allowed
        cap = None if most_pages is None else most_pages * int(room / row_height_in(1, fontsize))
        rows = rows_of(cap)
        parts = paginate(rows, columns, width_in=table_width, height_in=room, fontsize=fontsize)
        if most_pages is not None:
            parts = parts[:most_pages]
        shown = sum(len(part) for part in parts)
        left_out = max(total - shown, 0)
        note = (
            pack_text("annex_rows", lang).format(
                n=left_out, file=ANNEX_FILE, sheet=(SHEET_NAMES_EN if lang == "en" else SHEETS)[key]
            )
            if left_out
            else None
        )
        notice = [text] if (text := demo_notice(self.analyses, lang)) else []
        units = self.analyses.units
        level = ledger_unit_level(units) if key == "ledger" else unit_level(units)
        title = pack_text(f"{key}_title", lang, level=level)
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
                    note if index == len(parts) else None,
                )
            )
        return drawers

    def _row_count(self, key: str) -> int:
        table = {
            "findings": self.analyses.overlaps,
            "ledger": self.ledger,
            "mismatches": self.analyses.mismatches,
            "gaps": self.analyses.coverage,
        }[key]
        if table is None:
            return 0
        # the gaps table ends with a total row when it has more than one unit
        return len(table) + (1 if key == "gaps" and len(table) > 1 else 0)


#: Signature boxes in a row, rows on the minutes page, and rows on each page that continues it.
_SIGNATURES_PER_ROW = 4
_SIGNATURE_ROWS_FIRST = 2
_SIGNATURE_ROWS_MORE = 6


def minutes_parties(analyses: Analysis) -> list[str]:
    """The agencies that sign the minutes: every party to a finding or an authority finding of
    the selection, else (no findings) every agency with projects in it; sorted, none left out.
    """
    parties: set[str] = set()
    for table, columns in (
        (analyses.overlaps, ("agency_a", "agency_b")),
        (analyses.mismatches, ("agency",)),
    ):
        if table is not None and len(table):
            for column in columns:
                if column in table:
                    parties.update(table[column].dropna().astype(str))
    if not parties:
        parties = set(analyses.projects["agency"].dropna().astype(str))
    return sorted(parties)


def _minutes_drawers(analyses: Analysis, page: str, lang: str) -> list[PageDrawer]:
    """The minutes (berita acara): meeting details and agreements, then one signature box per
    agency that is party to a finding (:func:`minutes_parties`), on as many pages as they
    take — never a silent cap."""
    agencies = minutes_parties(analyses)
    first = _SIGNATURES_PER_ROW * _SIGNATURE_ROWS_FIRST
    more = _SIGNATURES_PER_ROW * _SIGNATURE_ROWS_MORE
    chunks = [agencies[:first]] + [
        agencies[start : start + more] for start in range(first, len(agencies), more)
    ]
    return [
        functools.partial(_draw_minutes, analyses, page, lang, chunk, continued=number > 0)
        for number, chunk in enumerate(chunks)
    ]


def _draw_minutes(
    analyses: Analysis, page: str, lang: str, agencies: list[str], *, continued: bool
) -> Figure:
    """One page of the minutes: with the details and agreements unless ``continued``."""
    notice = [text] if (text := demo_notice(analyses, lang)) else []
    fig = new_page(page)
    scale = _scale(page)
    width_in = fig.get_figwidth() - 2 * _MARGIN_IN * scale
    fontsize = TABLE_PT * scale * 1.1
    left = _MARGIN_IN * scale
    title = pack_text("minutes_title", lang)
    fig.text(
        left / fig.get_figwidth(),
        1 - 0.3 * scale / fig.get_figheight(),
        f"{title} ({pack_text('minutes_continued', lang)})" if continued else title,
        fontsize=16 * scale,
        weight="bold",
        va="top",
    )
    top = _TITLE_ROOM_IN * scale
    if not continued:
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
    per_row = _SIGNATURES_PER_ROW
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


def _wrapped(rows: list[list[str]]) -> list[list[list[str]]]:
    """Rows of cells as lines (cells here are short: split at newlines, never wrapped)."""
    return [[cell.split("\n") for cell in row] for row in rows]


def _table_drawer(heading, columns, part, page, fontsize, table_width, notice, empty_text, note):
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
        height = draw_table(
            fig,
            columns,
            part,
            left_in=_MARGIN_IN * scale,
            top_in=top,
            width_in=table_width,
            fontsize=fontsize,
        )
        if note:
            fig.text(
                _MARGIN_IN * scale / fig.get_figwidth(),
                1 - (top + height + 0.12 * scale) / fig.get_figheight(),
                note,
                fontsize=fontsize * 1.1,
                weight="bold",
                va="top",
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
