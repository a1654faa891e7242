"""The meeting pack (bahan rapat koordinasi): one PDF for a coordination meeting.

Pages, in order: the overview map; one map per kabupaten/kota with projects, with its findings;
the findings table numbered as on the maps; the authority mismatches; the coverage gaps per
unit. Every table row has an empty "decision" column for the minutes (berita acara). Tables run
over as many pages as they need; every page carries the data notice and its page number.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.analyses import Analyses
from layers.basemap import Basemap
from layers.formatting import MISSING, format_number, format_rupiah, format_years, is_missing
from layers.map_labels import (
    MapText,
    finding_asset_label,
    finding_measure,
    level_label_safe,
    number_findings,
    relation_text,
)
from layers.map_text import demo_notice, footer, map_words
from layers.page_table import Column, draw_table, paginate
from layers.palette import LEVEL_COLOURS, check_language
from layers.static_map import PAGE_SIZES_IN, PRINT_DPI, map_figure, new_page

#: Body text of the tables, points (A4; scaled on A3).
TABLE_PT: Final[float] = 7.5
_MARGIN_IN: Final[float] = 0.45
_TITLE_ROOM_IN: Final[float] = 0.85
_FOOTER_ROOM_IN: Final[float] = 0.55

_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "unit_subtitle": "{projects} proyek · {findings} temuan tumpang tindih · pagu di wilayah ini "
        "{budget}",
        "findings_title": "Temuan tumpang tindih",
        "mismatches_title": "Ketidaksesuaian kewenangan",
        "gaps_title": "Kesenjangan cakupan per kabupaten/kota",
        "part": " (bagian {i} dari {n})",
        "none": "Tidak ada baris.",
        "no_reference": "Tidak ada lapisan referensi (jaringan jalan, daerah irigasi).",
        "page": "Halaman {i} dari {n}",
        "no": "No",
        "finding": "Temuan",
        "project_a": "Proyek A (tingkat lebih tinggi)",
        "project_b": "Proyek B",
        "evidence": "Irisan",
        "stake": "Pagu berisiko",
        "decision": "Keputusan rapat (berita acara)",
        "package": "Paket",
        "agency": "Instansi (tingkat)",
        "authority": "Kewenangan menurut aturan",
        "reference": "Acuan",
        "budget": "Pagu",
        "verdict": "Status",
        "mismatch": "tidak sesuai",
        "exception": "pengecualian",
        "unit": "Kabupaten/Kota",
        "projects": "Proyek",
        "project_km": "Jalan proyek (km)",
        "project_ha": "Irigasi proyek (ha)",
        "network_km": "Jaringan (km)",
        "covered_km": "Tertangani (km)",
        "covered_share": "Tertangani",
        "nasional": "Jalan nasional tertangani",
        "provinsi": "Jalan provinsi tertangani",
        "kabupaten": "Jalan kab./kota tertangani",
        "uncovered_km": "Belum tertangani (km)",
        "total": "Jumlah",
        "severity_high": "tinggi",
        "severity_medium": "sedang",
        "severity_low": "rendah",
        "severity_info": "info",
        "share": "{share} dari panjang/luasnya",
        "pdf_title": "Bahan rapat koordinasi — Peta Sinergi",
        "level_count": "{level}: {n} proyek",
        "coverage": "Jaringan jalan {km} km, tertangani {share}",
        "uncovered": "Belum tertangani: {km} km",
        "unit_mismatches": "Kewenangan (lihat tabel): {numbers}",
        "all_mismatches": "Ketidaksesuaian kewenangan: {n} baris (lihat tabel)",
    },
    "en": {
        "unit_subtitle": "projects: {projects} · overlap findings: {findings} · budget in this area "
        "{budget}",
        "findings_title": "Overlap findings",
        "mismatches_title": "Authority mismatches",
        "gaps_title": "Coverage gaps per district/city",
        "part": " (part {i} of {n})",
        "none": "No rows.",
        "no_reference": "No reference layer (road network, irrigation areas).",
        "page": "Page {i} of {n}",
        "no": "No",
        "finding": "Finding",
        "project_a": "Project A (higher level)",
        "project_b": "Project B",
        "evidence": "Shared",
        "stake": "Budget at stake",
        "decision": "Meeting decision (minutes)",
        "package": "Package",
        "agency": "Agency (level)",
        "authority": "Authority by the rule",
        "reference": "Reference",
        "budget": "Budget",
        "verdict": "Status",
        "mismatch": "mismatch",
        "exception": "exception",
        "unit": "District/City",
        "projects": "Projects",
        "project_km": "Project roads (km)",
        "project_ha": "Project irrigation (ha)",
        "network_km": "Network (km)",
        "covered_km": "Covered (km)",
        "covered_share": "Covered",
        "nasional": "National roads covered",
        "provinsi": "Provincial roads covered",
        "kabupaten": "District roads covered",
        "uncovered_km": "Not covered (km)",
        "total": "Total",
        "severity_high": "high",
        "severity_medium": "medium",
        "severity_low": "low",
        "severity_info": "info",
        "share": "{share} of its length/area",
        "pdf_title": "Coordination meeting pack — Peta Sinergi",
        "level_count": "{level} projects: {n}",
        "coverage": "Road network {km} km, covered {share}",
        "uncovered": "Not covered: {km} km",
        "unit_mismatches": "Authority (see the table): {numbers}",
        "all_mismatches": "Authority mismatches: {n} rows (see the table)",
    },
}

PageDrawer = Callable[[], Figure]


def pack_text(key: str, lang: str = "id") -> str:
    """A phrase of the meeting pack in ``lang``."""
    return _TEXT[check_language(lang)][key]


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
        _finding_columns(lang),
        _finding_rows(findings, lang),
        analyses,
        page,
        lang,
    )
    if analyses.mismatches is None:
        pages += _table_pages(
            pack_text("mismatches_title", lang), _mismatch_columns(lang), [], analyses, page,
            lang, empty=pack_text("no_reference", lang),
        )  # fmt: skip
    else:
        pages += _table_pages(
            pack_text("mismatches_title", lang),
            _mismatch_columns(lang),
            _mismatch_rows(analyses.mismatches, lang),
            analyses,
            page,
            lang,
        )
    if analyses.gaps is not None:
        pages += _table_pages(
            pack_text("gaps_title", lang),
            _gap_columns(analyses.gaps, lang),
            _gap_rows(analyses.gaps, lang),
            analyses,
            page,
            lang,
        )
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
            fig.text(0.98, 0.015, pack_text("page", lang).format(i=number, n=len(drawers)),
                     ha="right", va="bottom", fontsize=7 * _scale(page), color="#444444")  # fmt: skip
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
    total = _gap_total(analyses.gaps, lang) if analyses.gaps is not None else None
    lines = _unit_summary(analyses, everything, total, lang)
    if analyses.mismatches is not None and len(analyses.mismatches):
        # Every authority row is in the selection: name the count, not the K-numbers.
        lines[-1] = _TEXT[lang]["all_mismatches"].format(n=len(analyses.mismatches))
    return lines


def _unit_summary(analyses: Analyses, inside: np.ndarray, gap, lang: str) -> list[str]:
    """Projects per level, network coverage and the authority rows of a unit's projects."""
    t = _TEXT[lang]
    counts = analyses.projects.loc[inside, "level"].value_counts()
    order = [lv for lv in LEVEL_COLOURS if lv in counts.index]
    order += [lv for lv in counts.index if lv not in order]
    lines = [
        t["level_count"].format(level=level_label_safe(level, lang), n=int(counts[level]))
        for level in order
    ]
    if gap is not None and "network_km" in gap and not is_missing(gap["network_km"]):
        lines.append(
            t["coverage"].format(
                km=format_number(gap["network_km"], 1, lang),
                share=_percent(gap["covered_share"], lang),
            )
        )
        lines.append(t["uncovered"].format(km=format_number(gap["uncovered_km"], 1, lang)))
    if analyses.mismatches is not None and len(analyses.mismatches):
        ids = set(analyses.projects.loc[inside, "project_id"])
        numbers = [
            f"K{i}"
            for i, pid in enumerate(analyses.mismatches["project_id"], start=1)
            if pid in ids
        ]
        if numbers:
            lines.append(t["unit_mismatches"].format(numbers=", ".join(numbers)))
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
            )  # fmt: skip
        )
    return drawers


def _table_drawer(heading, columns, part, page, fontsize, table_width, notice, empty_text):
    def draw() -> Figure:
        fig = new_page(page)
        scale = _scale(page)
        fig.text(_MARGIN_IN * scale / fig.get_figwidth(), 1 - 0.3 * scale / fig.get_figheight(),
                 heading, fontsize=16 * scale, weight="bold", va="top")  # fmt: skip
        top = _TITLE_ROOM_IN * scale
        draw_table(fig, columns, part, left_in=_MARGIN_IN * scale, top_in=top,
                   width_in=table_width, fontsize=fontsize)  # fmt: skip
        if not part:
            fig.text(_MARGIN_IN * scale / fig.get_figwidth(), 1 - (top + 0.45 * scale)
                     / fig.get_figheight(), empty_text, fontsize=fontsize * 1.2, va="top")  # fmt: skip
        for line in notice:
            fig.text(_MARGIN_IN * scale / fig.get_figwidth(), 0.015, line, fontsize=7 * scale,
                     va="bottom", color="#444444")  # fmt: skip
        return fig

    return draw


# --- table contents ----------------------------------------------------------------------------


def _rupiah_cell(amount_idr: object, lang: str) -> str:
    """Rupiah kept on one line in a table cell: "Rp" never wraps away from its amount."""
    return format_rupiah(amount_idr, lang).replace(" ", "\u00a0")


def _finding_columns(lang: str) -> list[Column]:
    t = _TEXT[lang]
    return [
        Column(t["no"], 0.35, "center"),
        Column(t["finding"], 1.35),
        Column(t["project_a"], 2.6),
        Column(t["project_b"], 2.6),
        Column(t["evidence"], 0.9, "right"),
        Column(t["stake"], 1.15, "right"),
        Column(t["decision"], 2.2),
    ]


def _project_cell(pid, name, agency, level, years, lang: str) -> str:
    return f"{pid} — {name}\n{agency} ({level_label_safe(level, lang)}) · {years}"


def _finding_rows(findings: gpd.GeoDataFrame, lang: str) -> list[list[str]]:
    rows = []
    for f in findings.itertuples(index=False):
        severity = _TEXT[lang].get(f"severity_{f.severity}", str(f.severity))
        rows.append(
            [
                str(f.number),
                f"{finding_asset_label(f.asset_type, lang)} · {severity}\n"
                f"{relation_text(f.relation, lang)}\n{f.finding_id}",
                _project_cell(f.project_a, f.name_a, f.agency_a, f.level_a, f.years_a, lang),
                _project_cell(f.project_b, f.name_b, f.agency_b, f.level_b, f.years_b, lang),
                finding_measure(f, lang),
                _rupiah_cell(f.budget_at_stake_idr, lang),
                "",
            ]
        )
    return rows


def _mismatch_columns(lang: str) -> list[Column]:
    t = _TEXT[lang]
    return [
        Column(t["no"], 0.45, "center"),
        Column(t["package"], 2.4),
        Column(t["agency"], 1.5),
        Column(t["authority"], 2.6),
        Column(t["reference"], 1.7),
        Column(t["budget"], 1.25, "right"),
        Column(t["verdict"], 1.05),
        Column(t["decision"], 2.0),
    ]


def _mismatch_rows(mismatches: pd.DataFrame, lang: str) -> list[list[str]]:
    rows = []
    for number, m in enumerate(mismatches.itertuples(index=False), start=1):
        reference = " — ".join(
            str(v) for v in (m.reference_id, m.reference_name) if not is_missing(v)
        )
        share = format_number(100 * m.share, 0, lang) + " %" if not is_missing(m.share) else ""
        verdict = _TEXT[lang].get(m.verdict, str(m.verdict))
        basis = m.rule if m.verdict != "exception" or is_missing(m.exception_basis) else (
            m.exception_basis
        )  # fmt: skip
        rows.append(
            [
                f"K{number}",
                f"{m.project_id} — {m.name}\n{format_years(m.year_start, m.year_end)}",
                f"{m.agency} ({level_label_safe(m.level, lang)})",
                f"{level_label_safe(m.expected_level, lang)}: {basis}",
                f"{reference}\n{pack_text('share', lang).format(share=share)}"
                if share
                else reference,
                _rupiah_cell(m.budget_idr, lang),
                verdict,
                "",
            ]
        )
    return rows


_GAP_STATUSES: Final[tuple[str, ...]] = ("nasional", "provinsi", "kabupaten")


def _gap_columns(gaps: pd.DataFrame, lang: str) -> list[Column]:
    t = _TEXT[lang]
    columns = [
        Column(t["unit"], 1.6),
        Column(t["projects"], 0.6, "right"),
        Column(t["budget"], 1.3, "right"),
        Column(t["project_km"], 0.8, "right"),
        Column(t["project_ha"], 0.8, "right"),
    ]
    if "network_km" in gaps:
        columns += [
            Column(t["network_km"], 0.8, "right"),
            Column(t["covered_km"], 0.8, "right"),
            Column(t["covered_share"], 0.8, "right"),
            *[Column(t[s], 0.85, "right") for s in _GAP_STATUSES],
            Column(t["uncovered_km"], 0.9, "right"),
        ]
    return columns


def _percent(value: object, lang: str) -> str:
    return MISSING if is_missing(value) else format_number(100 * float(value), 0, lang) + " %"


def _gap_total(gaps: pd.DataFrame, lang: str) -> dict:
    """The sum over the units; shares recomputed from the sums, not averaged."""
    total: dict = {"unit_name": _TEXT[lang]["total"]}
    for column in ("projects", "budget_idr", "project_km", "project_ha", "network_km",
                   "covered_km", "uncovered_km"):  # fmt: skip
        if column in gaps:
            total[column] = gaps[column].sum()
    # A project in two units counts in each: the total of projects is not a count of projects.
    total["projects"] = None
    if "network_km" in gaps:
        network = gaps["network_km"].sum()
        total["covered_share"] = gaps["covered_km"].sum() / network if network else None
        for status in _GAP_STATUSES:
            net = gaps.get(f"network_km_{status}")
            cov = gaps.get(f"covered_km_{status}")
            if net is not None and cov is not None and net.sum():
                total[f"covered_share_{status}"] = cov.sum() / net.sum()
    return total


def _gap_rows(gaps: pd.DataFrame, lang: str) -> list[list[str]]:
    rows = []
    records = gaps.to_dict("records")
    if len(records) > 1:
        records.append(_gap_total(gaps, lang))
    for g in records:
        row = [
            str(g["unit_name"]),
            format_number(g["projects"], 0, lang),
            _rupiah_cell(g["budget_idr"], lang),
            format_number(g["project_km"], 1, lang),
            format_number(g["project_ha"], 1, lang),
        ]
        if "network_km" in g:
            row += [
                format_number(g["network_km"], 1, lang),
                format_number(g["covered_km"], 1, lang),
                _percent(g["covered_share"], lang),
                *[_percent(g.get(f"covered_share_{s}"), lang) for s in _GAP_STATUSES],
                format_number(g["uncovered_km"], 1, lang),
            ]
        rows.append(row)
    return rows
