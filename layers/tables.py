"""Findings and coverage as tables for people: translated labels, Indonesian numbers.

Each function returns a display table whose index is the source rows' index, so a row selected
in the app maps back to its finding. Shares stay numbers (0-100 %) so the columns sort; money
and lengths are written the Indonesian way (``Rp 1.250.000.000``, ``12,5 km``).
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from layers.formatting import MISSING, format_decimal_id, format_rupiah, is_missing
from layers.overlays import shared_text
from layers.palette import asset_label, check_language, level_label

_SEVERITY: Final[dict[str, dict[str, str]]] = {
    "id": {"high": "tinggi", "medium": "sedang", "low": "rendah", "info": "info"},
    "en": {"high": "high", "medium": "medium", "low": "low", "info": "info"},
}
_RELATION: Final[dict[str, dict[str, str]]] = {
    "id": {
        "cross_level": "lintas tingkat",
        "same_level": "tingkat sama",
        "same_agency": "instansi sama",
    },
    "en": {
        "cross_level": "across levels",
        "same_level": "same level",
        "same_agency": "same agency",
    },
}
#: Cross-type overlap findings name both asset types.
_CROSS_TYPE: Final[dict[str, str]] = {"id": "Jembatan di ruas jalan", "en": "Bridge on a road"}
_VERDICT: Final[dict[str, dict[str, str]]] = {
    "id": {"mismatch": "tidak sesuai", "exception": "pengecualian"},
    "en": {"mismatch": "mismatch", "exception": "exception"},
}
_STATUS: Final[dict[str, dict[str, str]]] = {
    "id": {"confirm": "dikonfirmasi", "dismiss": "ditolak", "note": "catatan", "": "belum"},
    "en": {"confirm": "confirmed", "dismiss": "dismissed", "note": "note", "": "open"},
}
_HEADERS: Final[dict[str, dict[str, str]]] = {
    "id": {
        "finding": "Temuan",
        "asset": "Aset",
        "severity": "Tingkat",
        "relation": "Hubungan",
        "project_a": "Proyek A",
        "project_b": "Proyek B",
        "shared": "Bagian bersama",
        "share_a": "Porsi A (%)",
        "share_b": "Porsi B (%)",
        "budget_at_stake": "Anggaran terdampak",
        "review": "Tinjauan",
        "project": "Proyek",
        "agency": "Instansi",
        "level": "Tingkat",
        "expected": "Kewenangan",
        "verdict": "Putusan",
        "rule": "Aturan",
        "share": "Porsi (%)",
        "budget": "Pagu",
        "unit": "Wilayah",
        "projects": "Proyek",
        "network_km": "Jaringan (km)",
        "covered_km": "Tertangani (km)",
        "uncovered_km": "Belum tertangani (km)",
        "covered_share": "Tertangani (%)",
        "per_km2": "Proyek per km²",
    },
    "en": {
        "finding": "Finding",
        "asset": "Asset",
        "severity": "Severity",
        "relation": "Relation",
        "project_a": "Project A",
        "project_b": "Project B",
        "shared": "Shared part",
        "share_a": "Share A (%)",
        "share_b": "Share B (%)",
        "budget_at_stake": "Budget at stake",
        "review": "Review",
        "project": "Project",
        "agency": "Agency",
        "level": "Level",
        "expected": "Authority",
        "verdict": "Verdict",
        "rule": "Rule",
        "share": "Share (%)",
        "budget": "Budget",
        "unit": "Unit",
        "projects": "Projects",
        "network_km": "Network (km)",
        "covered_km": "Covered (km)",
        "uncovered_km": "Not covered (km)",
        "covered_share": "Covered (%)",
        "per_km2": "Projects per km²",
    },
}


def header(key: str, lang: str = "id") -> str:
    """A column header of these tables in ``lang``."""
    return _HEADERS[check_language(lang)][key]


def _level(value: object, lang: str) -> str:
    try:
        return level_label(str(value), lang)
    except KeyError:
        return MISSING if is_missing(value) else str(value)


def _review_status(finding_ids: pd.Series, reviews: pd.DataFrame | None, lang: str) -> pd.Series:
    words = _STATUS[lang]
    if reviews is None or reviews.empty:
        return pd.Series(words[""], index=finding_ids.index, dtype=object)
    latest = reviews.drop_duplicates("finding_id", keep="last").set_index("finding_id")
    decisions = latest["decision"].reindex(finding_ids.astype(str)).fillna("")
    return pd.Series(
        [words.get(d, words[""]) for d in decisions], index=finding_ids.index, dtype=object
    )


def overlap_table(
    overlaps: pd.DataFrame, reviews: pd.DataFrame | None = None, *, lang: str = "id"
) -> pd.DataFrame:
    """One row per overlap finding: id, asset, severity, the two projects, evidence, review.

    >>> from shapely import LineString
    >>> row = {"finding_id": "TT-1", "kind": "overlap", "asset_type": "road",
    ...     "relation": "cross_level", "severity": "high", "name_a": "A", "name_b": "B",
    ...     "level_a": "pusat", "level_b": "provinsi", "agency_a": "BPJN", "agency_b": "Dinas",
    ...     "overlap_m": 2999.3, "overlap_ha": None, "distance_m": None, "share_a": 0.37,
    ...     "share_b": 1.0, "budget_at_stake_idr": 4.2e9}
    >>> overlap_table(pd.DataFrame([row])).iloc[0].to_dict()["Bagian bersama"]
    '3,0 km'
    """
    lang = check_language(lang)
    h = _HEADERS[lang]

    def project(side: str) -> pd.Series:
        levels = overlaps[f"level_{side}"].map(lambda v: _level(v, lang))
        return (
            overlaps[f"name_{side}"].astype(str)
            + " ("
            + levels
            + "; "
            + overlaps[f"agency_{side}"].astype(str)
            + ")"
        )

    return pd.DataFrame(
        {
            h["finding"]: overlaps["finding_id"].astype(str),
            h["asset"]: overlaps["asset_type"].map(
                lambda a: _CROSS_TYPE[lang] if a == "bridge/road" else asset_label(str(a), lang)
            ),
            h["severity"]: overlaps["severity"].map(lambda s: _SEVERITY[lang].get(s, s)),
            h["relation"]: overlaps["relation"].map(lambda r: _RELATION[lang].get(r, r)),
            h["review"]: _review_status(overlaps["finding_id"], reviews, lang),
            h["project_a"]: project("a"),
            h["project_b"]: project("b"),
            h["shared"]: shared_text(overlaps, lang=lang),
            h["share_a"]: (overlaps["share_a"].astype(float) * 100).round(1),
            h["share_b"]: (overlaps["share_b"].astype(float) * 100).round(1),
            h["budget_at_stake"]: overlaps["budget_at_stake_idr"].map(
                lambda idr: format_rupiah(idr, lang)
            ),
        },
        index=overlaps.index,
    )


def mismatch_table(
    mismatches: pd.DataFrame, reviews: pd.DataFrame | None = None, *, lang: str = "id"
) -> pd.DataFrame:
    """One row per authority finding: verdict, project, its level and the level with authority."""
    lang = check_language(lang)
    h = _HEADERS[lang]
    return pd.DataFrame(
        {
            h["finding"]: mismatches["finding_id"].astype(str),
            h["verdict"]: mismatches["verdict"].map(lambda v: _VERDICT[lang].get(v, v)),
            h["review"]: _review_status(mismatches["finding_id"], reviews, lang),
            h["project"]: mismatches["name"].astype(str),
            h["agency"]: mismatches["agency"].astype(str),
            h["level"]: mismatches["level"].map(lambda v: _level(v, lang)),
            h["expected"]: mismatches["expected_level"].map(lambda v: _level(v, lang)),
            h["asset"]: mismatches["asset_type"].map(lambda a: asset_label(str(a), lang)),
            h["share"]: (pd.to_numeric(mismatches["share"], errors="coerce") * 100).round(1),
            h["budget"]: mismatches["budget_idr"].map(lambda idr: format_rupiah(idr, lang)),
            h["rule"]: mismatches["rule"].astype(str),
        },
        index=mismatches.index,
    )


def coverage_table(coverage: pd.DataFrame, *, lang: str = "id") -> pd.DataFrame:
    """One row per unit: name, projects, budget, network covered (when a network exists)."""
    lang = check_language(lang)
    h = _HEADERS[lang]
    table = {
        h["unit"]: coverage["unit_name"].fillna(coverage["unit_id"]).astype(str),
        h["projects"]: coverage["projects"].astype(int),
        h["budget"]: coverage["budget_idr"].map(lambda idr: format_rupiah(idr, lang)),
    }
    if "network_km" in coverage:
        table |= {
            h["network_km"]: coverage["network_km"].astype(float).round(1),
            h["covered_km"]: coverage["covered_km"].astype(float).round(1),
            h["uncovered_km"]: coverage["uncovered_km"].astype(float).round(1),
            h["covered_share"]: (coverage["covered_share"].astype(float) * 100).round(1),
        }
    table[h["per_km2"]] = coverage["projects_per_km2"].astype(float).round(3)
    return pd.DataFrame(table, index=coverage.index)


def record_table(record: pd.Series, *, lang: str = "id") -> pd.DataFrame:
    """A project's full record as two text columns (field, value), Indonesian formatting."""
    lang = check_language(lang)
    rows = []
    for field, value in record.items():
        if field == "geometry":
            continue
        if field == "budget_idr":
            shown = format_rupiah(value, lang)
        elif field == "level":
            shown = _level(value, lang)
        elif field == "asset_type":
            shown = asset_label(str(value), lang)
        elif isinstance(value, float) and not is_missing(value):
            shown = format_decimal_id(value, 0 if float(value).is_integer() else 2, lang)
        else:
            shown = MISSING if is_missing(value) else str(value)
        rows.append((str(field), shown))
    return pd.DataFrame(rows, columns=["field", "value"])
