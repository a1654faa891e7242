"""The tables of the meeting pack, as rows of text: findings, authority mismatches, gaps per
unit (each with the words of the pack in Bahasa Indonesia and English).

Numbers are written the Indonesian way (``Rp 1.250.000``, ``12,5``) for ``lang="id"``; every
findings and mismatch row ends with an empty cell for the meeting's decision (berita acara).
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import pandas as pd

from layers.formatting import MISSING, format_number, format_rupiah, format_years, is_missing
from layers.map_labels import finding_asset_label, finding_measure, level_label_safe, relation_text
from layers.page_table import Column
from layers.palette import check_language
from layers.tables import ledger_items
from layers.words import PACK_TEXT, TABLE_HEADERS, value_label, with_units

_TEXT: Final[dict[str, dict[str, str]]] = PACK_TEXT


def pack_text(key: str, lang: str = "id", *, level: str | None = None) -> str:
    """A phrase of the meeting pack in ``lang``, units named for ``level`` (kabupaten/kota,
    kecamatan, ...: :func:`geo.read.reference.unit_level`)."""
    return with_units(_TEXT[check_language(lang)][key], level, lang)


def unit_title(name: str, level: str | None, lang: str = "id") -> str:
    """A unit's name as a page title, with its kind where the name does not say it:
    ``Kecamatan Gunung Raya``; a kabupaten/kota's name says it (``Kab. X``, ``Kota Y``).

    >>> unit_title("Gunung Raya", "kecamatan"), unit_title("Kota Jambi", "kabupaten", "en")
    ('Kecamatan Gunung Raya', 'Kota Jambi')
    """
    if level in (None, "kabupaten") or name.casefold().startswith(level):
        return name
    return pack_text("unit_title", lang, level=level).format(name=name)


def _rupiah_cell(amount_idr: object, lang: str) -> str:
    """Rupiah kept on one line in a table cell: "Rp" never wraps away from its amount."""
    return format_rupiah(amount_idr, lang).replace(" ", "\u00a0")


def finding_columns(lang: str) -> list[Column]:
    """Columns of the findings table: number, finding, both projects, evidence, budget at
    stake and the empty decision column."""
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


def finding_rows(findings: gpd.GeoDataFrame, lang: str) -> list[list[str]]:
    """One row of text per numbered finding (:func:`layers.map_labels.number_findings`)."""
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


def ledger_columns(lang: str, *, level: str | None = None) -> list[Column]:
    """Columns of the budget-at-stake totals: what a row totals by, its item, findings,
    shared km and rupiah (the finding codes of each row are in the Excel annex)."""
    h = TABLE_HEADERS[check_language(lang)]
    return [
        Column(h["breakdown"], 1.6),
        Column(h["item"], 3.2),
        Column(h["findings"], 0.8, "right"),
        Column(h["shared_km"], 1.2, "right"),
        Column(h["shared_ha"], 1.1, "right"),
        Column(h["budget_at_stake"], 1.7, "right"),
    ]


def ledger_rows(ledger: pd.DataFrame, lang: str, *, level: str | None = None) -> list[list[str]]:
    """One row of text per row of :func:`geo.analyse.ledger.budget_ledger`; the first row of
    each breakdown names it, the rows under it leave it blank so the groups read as blocks."""
    items = ledger_items(ledger, lang=lang)
    rows, previous = [], None
    for (breakdown, findings, km, ha, idr), item in zip(
        ledger[["breakdown", "findings", "shared_km", "shared_ha", "at_stake_idr"]].itertuples(
            index=False, name=None
        ),
        items,
        strict=True,
    ):
        if breakdown == "kabupaten" and level not in (None, "kabupaten"):
            named = pack_text("unit", lang, level=level)
        else:
            named = value_label("breakdown", breakdown, lang)
        rows.append(
            [
                named if breakdown != previous else "",
                str(item),
                format_number(findings, 0, lang),
                format_number(km, 2, lang),
                format_number(ha, 2, lang),
                _rupiah_cell(idr, lang),
            ]
        )
        previous = breakdown
    return rows


def mismatch_columns(lang: str) -> list[Column]:
    """Columns of the authority table, ending with the empty decision column."""
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


def mismatch_rows(mismatches: pd.DataFrame, lang: str) -> list[list[str]]:
    """One row per authority mismatch or exception, numbered K1, K2, ... in table order."""
    rows = []
    for number, m in enumerate(mismatches.itertuples(index=False), start=1):
        reference = " — ".join(
            str(v) for v in (m.reference_id, m.reference_name) if not is_missing(v)
        )
        share = format_number(100 * m.share, 0, lang) + " %" if not is_missing(m.share) else ""
        verdict = _TEXT[lang].get(m.verdict, str(m.verdict))
        basis = (
            m.rule
            if m.verdict != "exception" or is_missing(m.exception_basis)
            else (m.exception_basis)
        )
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


def gap_columns(gaps: pd.DataFrame, lang: str, *, level: str | None = None) -> list[Column]:
    """Columns of the gaps table, the units named for ``level`` (kabupaten/kota, kecamatan,
    ...); the network columns only when a road network was used."""
    t = _TEXT[lang]
    columns = [
        Column(pack_text("unit", lang, level=level), 1.6),
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


def percent_text(value: object, lang: str) -> str:
    """A share (0-1) as a whole percentage, ``31 %``; missing as a dash."""
    return MISSING if is_missing(value) else format_number(100 * float(value), 0, lang) + " %"


def gap_total(gaps: pd.DataFrame, lang: str) -> dict:
    """The sum over the units; shares recomputed from the sums, not averaged."""
    total: dict = {"unit_name": _TEXT[lang]["total"]}
    for column in (
        "projects",
        "budget_idr",
        "project_km",
        "project_ha",
        "network_km",
        "covered_km",
        "uncovered_km",
    ):
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


def gap_rows(gaps: pd.DataFrame, lang: str) -> list[list[str]]:
    """One row per unit of :func:`geo.analyse.gaps.coverage_by_unit`, then their total."""
    rows = []
    records = gaps.to_dict("records")
    if len(records) > 1:
        records.append(gap_total(gaps, lang))
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
                percent_text(g["covered_share"], lang),
                *[percent_text(g.get(f"covered_share_{s}"), lang) for s in _GAP_STATUSES],
                format_number(g["uncovered_km"], 1, lang),
            ]
        rows.append(row)
    return rows
