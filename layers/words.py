"""Every word a person reads, in Bahasa Indonesia (default) and English: one catalogue.

The app (``ui/``) and the presentation layer (``layers/``) both take their words from here:
page texts, map legends and tooltips, table headers, the values of the vocabularies (levels,
asset types, severities, relations, outcomes, roles, actions), the meeting pack, the Excel
workbook, and the reader's English report lines and errors in the app's words
(:func:`translate_message`).

It lives in ``layers/`` because ``layers/`` may not import ``ui/`` while ``ui/`` imports
``layers/``: the one place both can read. It is plain Python (no folium, no matplotlib), so
the command line and the exports import it cheaply. ``geo/`` (the library) keeps writing its
messages in English for the command line; they are translated for display here.
"""

from __future__ import annotations

import re
from typing import Final

from geo.demo.build import DEMO_NOTICE

#: Languages the words are written in: Bahasa Indonesia (default) and English.
LANGUAGES: Final[tuple[str, ...]] = ("id", "en")
DEFAULT_LANG: Final[str] = "id"
LANGUAGE_NAMES: Final[dict[str, str]] = {"id": "Bahasa Indonesia", "en": "English"}
#: Label of the language switch, in both languages so either reader finds it.
LANGUAGE_SWITCH_LABEL: Final[str] = "Bahasa / Language"
#: Babel locale of each language (numbers and dates).
BABEL_LOCALES: Final[dict[str, str]] = {"id": "id_ID", "en": "en_US"}
DEMO_NOTICE_EN: Final[str] = "Sample data (illustrative) — not official data"


def check_language(lang: str) -> str:
    """Return ``lang`` if words exist for it, else raise a ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r}")
    return lang


# --- values of the vocabularies ----------------------------------------------------------------

#: ``VALUES[vocabulary][lang][value]``: the words for the codes stored and computed.
VALUES: Final[dict[str, dict[str, dict[str, str]]]] = {
    "level": {
        "id": {
            "pusat": "Pusat",
            "provinsi": "Provinsi",
            "kabupaten": "Kabupaten/Kota",
            "desa": "Desa",
        },
        "en": {
            "pusat": "Central",
            "provinsi": "Province",
            "kabupaten": "District/City",
            "desa": "Village",
        },
    },
    "asset": {
        "id": {
            "road": "Jalan",
            "bridge": "Jembatan",
            "irrigation": "Irigasi",
        },
        "en": {
            "road": "Road",
            "bridge": "Bridge",
            "irrigation": "Irrigation",
        },
    },
    # Severity is "prioritas" in Indonesian: "tingkat" is the level of government.
    "severity": {
        "id": {"high": "tinggi", "medium": "sedang", "low": "rendah", "info": "info"},
        "en": {"high": "high", "medium": "medium", "low": "low", "info": "info"},
    },
    "relation": {
        "id": {
            "cross_level": "lintas tingkat",
            "same_level": "satu tingkat",
            "same_agency": "satu instansi",
        },
        "en": {
            "cross_level": "cross-level",
            "same_level": "same level",
            "same_agency": "same agency",
        },
    },
    # How an overlap was found: chainage shared on a ruas, or geometry alone.
    "method": {
        "id": {"network": "jaringan jalan (ruas dan STA)", "geometry": "geometri"},
        "en": {"network": "road network (ruas and STA)", "geometry": "geometry"},
    },
    "kind": {
        "id": {
            "overlap": "tumpang tindih",
            "repeat": "pendanaan berulang",
            "cross_type": "lintas jenis",
        },
        "en": {"overlap": "overlap", "repeat": "repeat funding", "cross_type": "cross-type"},
    },
    # What a row of the budget ledger totals by (geo.analyse.ledger.BREAKDOWNS).
    "breakdown": {
        "id": {
            "total": "Jumlah seluruhnya",
            "kabupaten": "Kabupaten/Kota",
            "provinsi": "Provinsi",
            "level_pair": "Pasangan tingkat",
            "year": "Tahun anggaran",
            "kind": "Jenis temuan",
        },
        "en": {
            "total": "Grand total",
            "kabupaten": "District/city",
            "provinsi": "Province",
            "level_pair": "Level pair",
            "year": "Budget year",
            "kind": "Kind of finding",
        },
    },
    "verdict": {
        "id": {"mismatch": "tidak sesuai", "exception": "pengecualian"},
        "en": {"mismatch": "mismatch", "exception": "exception"},
    },
    "review": {
        "id": {
            "confirm": "dikonfirmasi",
            "dismiss": "ditolak",
            "note": "catatan",
            "open": "belum ditinjau",
        },
        "en": {
            "confirm": "confirmed",
            "dismiss": "dismissed",
            "note": "note",
            "open": "not reviewed",
        },
    },
    # What a store decision is about (geo.finding_ids.DECISION_KINDS).
    "decision_kind": {
        "id": {"proposal": "usulan", "matrix": "matriks rakor"},
        "en": {"proposal": "proposal", "matrix": "rakor matrix"},
    },
    # A proposal's status in KRISNA's words (geo.schema.PROPOSAL_STATUSES), and where a row
    # was placed (geo.analyse.proposals.PLACEMENTS).
    "proposal_status": {
        "id": {"Diterima": "Diterima", "Ditolak": "Ditolak", "Didiskusikan": "Didiskusikan"},
        "en": {"Diterima": "Accepted", "Ditolak": "Rejected", "Didiskusikan": "To discuss"},
    },
    "placement": {
        "id": {
            "sta": "ruas dan STA",
            "ruas": "seluruh ruas",
            "di": "Daerah Irigasi",
            "unit": "wilayah (desa/kecamatan)",
            "none": "tidak ditempatkan",
        },
        "en": {
            "sta": "ruas and STA",
            "ruas": "whole ruas",
            "di": "irrigation area (D.I.)",
            "unit": "area (village/subdistrict)",
            "none": "not placed",
        },
    },
    "outcome": {
        "id": {
            "stored": "tersimpan",
            "repaired": "diperbaiki",
            "rejected": "ditolak",
            "note": "catatan berkas",
        },
        "en": {
            "stored": "stored",
            "repaired": "repaired",
            "rejected": "rejected",
            "note": "file note",
        },
    },
    "role": {
        "id": {"viewer": "pembaca", "editor": "penyunting", "admin": "administrator"},
        "en": {"viewer": "viewer", "editor": "editor", "admin": "administrator"},
    },
    "action": {
        "id": {
            "import": "impor",
            "replace": "ganti unggahan",
            "delete": "hapus unggahan",
            "review": "tinjauan",
            "replace_reference": "ganti lapisan acuan",
            "replace_findings": "simpan temuan",
            "save_analysis": "simpan hasil analisis",
            "decision_saved": "keputusan disimpan",
            "sign_in_failed": "gagal masuk",
            "sign_in_locked": "masuk dikunci",
        },
        "en": {
            "import": "import",
            "replace": "replace upload",
            "delete": "delete upload",
            "review": "review",
            "replace_reference": "replace reference layer",
            "replace_findings": "save findings",
            "save_analysis": "save analysis results",
            "decision_saved": "decision saved",
            "sign_in_failed": "sign-in failed",
            "sign_in_locked": "sign-in locked",
        },
    },
    # The analyses kept in the store (geo.store.tables.ANALYSIS_KINDS).
    "analysis": {
        "id": {
            "overlaps": "tumpang tindih",
            "mismatches": "kewenangan",
            "coverage": "kesenjangan",
            "locations": "lokasi pada ruas (STA)",
        },
        "en": {
            "overlaps": "overlaps",
            "mismatches": "authority",
            "coverage": "coverage gaps",
            "locations": "locations on the road network (STA)",
        },
    },
    "reference_kind": {
        "id": {"road": "ruas jalan", "irrigation_area": "daerah irigasi"},
        "en": {"road": "road", "irrigation_area": "irrigation area"},
    },
    "road_status": {
        "id": {
            "nasional": "nasional",
            "provinsi": "provinsi",
            "kabupaten": "kabupaten",
            "desa": "desa",
            "unknown": "tanpa status",
        },
        "en": {
            "nasional": "national",
            "provinsi": "provincial",
            "kabupaten": "district",
            "desa": "village",
            "unknown": "no status",
        },
    },
    # A road of each status, as the map's legend names it.
    "road_of_status": {
        "id": {
            "nasional": "Jalan nasional",
            "provinsi": "Jalan provinsi",
            "kabupaten": "Jalan kabupaten/kota",
            "desa": "Jalan desa",
            "unknown": "Jalan tanpa status",
        },
        "en": {
            "nasional": "National road",
            "provinsi": "Provincial road",
            "kabupaten": "District/city road",
            "desa": "Village road",
            "unknown": "Road without status",
        },
    },
    "geometry": {
        "id": {
            "Point": "titik",
            "MultiPoint": "multititik",
            "LineString": "garis",
            "MultiLineString": "multigaris",
            "Polygon": "poligon",
            "MultiPolygon": "multipoligon",
            "GeometryCollection": "kumpulan geometri",
            "none": "tanpa geometri",
        },
        "en": {
            "Point": "point",
            "MultiPoint": "multipoint",
            "LineString": "line",
            "MultiLineString": "multiline",
            "Polygon": "polygon",
            "MultiPolygon": "multipolygon",
            "GeometryCollection": "geometry collection",
            "none": "no geometry",
        },
    },
}


# A finding's asset type: one of the assets, or a bridge on a road (cross-type findings).
VALUES["finding_asset"] = {
    lang: {**VALUES["asset"][lang], "bridge/road": cross}
    for lang, cross in (("id", "Jembatan di ruas jalan"), ("en", "Bridge on a road"))
}


def value_label(vocabulary: str, value: object, lang: str = "id") -> str:
    """The word for ``value`` of ``vocabulary`` (a key of :data:`VALUES`) in ``lang``; a value
    outside the vocabulary is returned as it is (an agency's own word).

    >>> value_label("severity", "high"), value_label("relation", "cross_level", "en")
    ('tinggi', 'cross-level')
    """
    words = VALUES[vocabulary][check_language(lang)]
    return words.get(str(value), str(value))


#: What administrative units are called, by their kind (:func:`geo.read.reference.unit_level`):
#: ``(one, several)``; ``""`` is a layer whose kind is not known.
UNIT_NAMES: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "id": {
        "provinsi": ("provinsi", "provinsi"),
        "kabupaten": ("kabupaten/kota", "kabupaten/kota"),
        "kecamatan": ("kecamatan", "kecamatan"),
        "desa": ("desa/kelurahan", "desa/kelurahan"),
        "": ("wilayah", "wilayah"),
    },
    "en": {
        "provinsi": ("province", "provinces"),
        "kabupaten": ("district/city", "districts/cities"),
        "kecamatan": ("subdistrict", "subdistricts"),
        "desa": ("village", "villages"),
        "": ("unit", "units"),
    },
}


def unit_words(level: str | None, lang: str = "id") -> dict[str, str]:
    """The words for units of ``level`` (``kabupaten``, ``kecamatan``, ... or None when
    unknown) filling a text's ``{unit}``, ``{units}``, ``{Unit}`` and ``{Units}``.

    >>> unit_words("kecamatan")["Unit"], unit_words("kabupaten", "en")["units"]
    ('Kecamatan', 'districts/cities')
    """
    names = UNIT_NAMES[check_language(lang)]
    one, several = names.get(level or "", names[""])
    return {
        "unit": one,
        "units": several,
        "Unit": one[:1].upper() + one[1:],
        "Units": several[:1].upper() + several[1:],
    }


def with_units(template: str, level: str | None, lang: str = "id") -> str:
    """``template`` with its ``{unit}``, ``{units}``, ``{Unit}``, ``{Units}`` named for units
    of ``level`` (:func:`unit_words`); its other placeholders are left to fill.

    >>> with_units("Peta {unit}: {n}", "kecamatan")
    'Peta kecamatan: {n}'
    """
    for key, word in unit_words(level, lang).items():
        template = template.replace("{" + key + "}", word)
    return template


#: The labels of the columns people read (tables, the record of a project, the workbook).
COLUMN_LABELS: Final[dict[str, dict[str, str]]] = {
    "id": {
        "number": "No.",
        "finding_id": "Kode temuan",
        "kind": "Jenis temuan",
        "asset_type": "Jenis aset",
        "relation": "Hubungan",
        "severity": "Prioritas",
        "project_a": "Kode paket A",
        "project_b": "Kode paket B",
        "name_a": "Nama paket A",
        "name_b": "Nama paket B",
        "level_a": "Tingkat pemerintahan A",
        "level_b": "Tingkat pemerintahan B",
        "agency_a": "Instansi A",
        "agency_b": "Instansi B",
        "years_a": "Tahun anggaran A",
        "years_b": "Tahun anggaran B",
        "funding_a": "Sumber dana A",
        "funding_b": "Sumber dana B",
        "work_type_a": "Jenis pekerjaan A",
        "work_type_b": "Jenis pekerjaan B",
        "design_life_years": "Umur rencana (tahun)",
        "breakdown": "Rincian menurut",
        "key": "Kode",
        "label": "Uraian",
        "findings": "Jumlah temuan",
        "shared_km": "Panjang bersama (km)",
        "shared_ha": "Luas bersama (ha)",
        "at_stake_idr": "Jumlah anggaran terdampak (Rp)",
        "finding_ids": "Kode temuan",
        "project_records": "Paket (instansi)",
        "overlap_m": "Panjang bersama (m)",
        "overlap_ha": "Luas bersama (ha)",
        "distance_m": "Jarak (m)",
        "share_a": "Porsi A",
        "share_b": "Porsi B",
        "budget_a_idr": "Pagu A (Rp)",
        "budget_b_idr": "Pagu B (Rp)",
        "budget_at_stake_idr": "Anggaran terdampak (Rp)",
        "method": "Ditemukan lewat",
        "ruas_sta": "Ruas, STA",
        "ruas_id": "Kode ruas",
        "sta_from_m": "STA awal (m)",
        "sta_to_m": "STA akhir (m)",
        "ruas_name": "Nama ruas",
        "from_m": "STA awal (m)",
        "to_m": "STA akhir (m)",
        "offset_mean_m": "Jarak rata-rata ke ruas (m)",
        "offset_max_m": "Jarak terjauh ke ruas (m)",
        "matched_share": "Porsi pada jaringan",
        "shift_m": "Geseran sumber (m)",
        "project_id": "Kode paket",
        "name": "Nama paket",
        "agency": "Instansi",
        "level": "Tingkat pemerintahan",
        "work_type": "Jenis pekerjaan",
        "year_start": "Tahun mulai",
        "year_end": "Tahun selesai",
        "budget_idr": "Pagu (Rp)",
        "contract_value_idr": "Nilai kontrak (Rp)",
        "deck": "Lapis jalan (1 layang, -1 bawah tanah)",
        "funding_source": "Sumber dana",
        "status": "Status",
        "upload_id": "Unggahan",
        "source_file": "Berkas asal",
        "source_layer": "Lapisan asal",
        "source_row": "Baris asal",
        "verdict": "Putusan",
        "rule": "Aturan",
        "exception_basis": "Dasar pengecualian",
        "expected_level": "Kewenangan",
        "reference_kind": "Jenis acuan",
        "reference_status": "Status acuan",
        "reference_id": "Kode acuan",
        "reference_name": "Nama acuan",
        "share": "Porsi",
        "along_m": "Panjang pada ruas (m)",
        "inside_ha": "Luas di dalam D.I. (ha)",
        "note": "Keterangan",
        "unit_id": "Kode wilayah",
        "unit_name": "Wilayah",
        "area_km2": "Luas wilayah (km²)",
        "population": "Penduduk",
        "projects": "Proyek",
        "project_km": "Jalan proyek (km)",
        "project_ha": "Irigasi proyek (ha)",
        "network_km": "Jaringan (km)",
        "covered_km": "Tertangani (km)",
        "uncovered_km": "Belum tertangani (km)",
        "covered_share": "Tertangani",
        "id": "No. unggahan",
        "file_name": "Berkas",
        "uploaded_at": "Waktu unggah",
        "features_read": "Dibaca",
        "stored": "Disimpan",
        "repaired": "Diperbaiki",
        "rejected": "Ditolak",
        "layer": "Lapisan",
        "row": "Baris",
        "outcome": "Hasil",
        "reason": "Alasan / catatan",
        "at": "Waktu",
        "who": "Pengguna",
        "role": "Peran",
        "action": "Tindakan",
        "sha256": "Sidik berkas (SHA-256)",
        "detail": "Rincian",
        "field": "Isian",
        "value": "Nilai",
        "setting": "Ambang",
        "keterangan": "Keterangan",
        "isi": "Isi",
        "sheet": "Lembar",
        "column": "Kolom",
        "code": "Kode kolom",
        "meaning": "Arti",
        "replaced_uploads": "Mengganti unggahan",
        "deleted_records": "Catatan dihapus",
        "decision": "Keputusan",
        "features": "Fitur",
        "client": "Klien",
        "analysis": "Analisis",
        "rows": "Baris hasil",
        # Cek Usulan: a proposal list checked, and the meeting's decision on each row.
        "decision_kind": "Keputusan atas",
        "subject_id": "Kode baris",
        "proposal_id": "Kode usulan",
        "proposal_name": "Usulan",
        "proposer": "Usulan dari",
        "year": "Tahun",
        "placement": "Penempatan",
        "ruas": "Ruas",
        "sta": "STA",
        "suggested_status": "Status saran",
        "reasons": "Alasan",
        "conflicts": "Bertemu dengan",
        "decided_status": "Status ditetapkan",
        "decided_note": "Catatan rapat",
        "decided_by": "Ditetapkan oleh",
        "decided_at": "Waktu penetapan",
    },
    "en": {
        "number": "No.",
        "finding_id": "Finding code",
        "kind": "Kind of finding",
        "asset_type": "Asset type",
        "relation": "Relation",
        "severity": "Severity",
        "project_a": "Package code A",
        "project_b": "Package code B",
        "name_a": "Package name A",
        "name_b": "Package name B",
        "level_a": "Level of government A",
        "level_b": "Level of government B",
        "agency_a": "Agency A",
        "agency_b": "Agency B",
        "years_a": "Budget years A",
        "years_b": "Budget years B",
        "funding_a": "Funding source A",
        "funding_b": "Funding source B",
        "work_type_a": "Work type A",
        "work_type_b": "Work type B",
        "design_life_years": "Design life (years)",
        "breakdown": "Totalled by",
        "key": "Code",
        "label": "Item",
        "findings": "Findings",
        "shared_km": "Shared length (km)",
        "shared_ha": "Shared area (ha)",
        "at_stake_idr": "Total budget at stake (Rp)",
        "finding_ids": "Finding codes",
        "project_records": "Packages (agency)",
        "overlap_m": "Shared length (m)",
        "overlap_ha": "Shared area (ha)",
        "distance_m": "Distance (m)",
        "share_a": "Share A",
        "share_b": "Share B",
        "budget_a_idr": "Budget A (Rp)",
        "budget_b_idr": "Budget B (Rp)",
        "budget_at_stake_idr": "Budget at stake (Rp)",
        "method": "Found by",
        "ruas_sta": "Road section (ruas), STA",
        "ruas_id": "Road section (ruas) code",
        "sta_from_m": "STA from (m)",
        "sta_to_m": "STA to (m)",
        "ruas_name": "Road section (ruas) name",
        "from_m": "STA from (m)",
        "to_m": "STA to (m)",
        "offset_mean_m": "Mean distance to the ruas (m)",
        "offset_max_m": "Largest distance to the ruas (m)",
        "matched_share": "Share on the network",
        "shift_m": "Source shift (m)",
        "project_id": "Package code",
        "name": "Package name",
        "agency": "Agency",
        "level": "Level of government",
        "work_type": "Work type",
        "year_start": "First year",
        "year_end": "Last year",
        "budget_idr": "Budget (Rp)",
        "contract_value_idr": "Contract value (Rp)",
        "deck": "Deck (1 elevated, -1 underground)",
        "funding_source": "Funding source",
        "status": "Status",
        "upload_id": "Upload",
        "source_file": "Source file",
        "source_layer": "Source layer",
        "source_row": "Source row",
        "verdict": "Verdict",
        "rule": "Rule",
        "exception_basis": "Basis of the exception",
        "expected_level": "Authority",
        "reference_kind": "Reference kind",
        "reference_status": "Reference status",
        "reference_id": "Reference code",
        "reference_name": "Reference name",
        "share": "Share",
        "along_m": "Length on the road (m)",
        "inside_ha": "Area inside the D.I. (ha)",
        "note": "Note",
        "unit_id": "Unit code",
        "unit_name": "Unit",
        "area_km2": "Area (km²)",
        "population": "Population",
        "projects": "Projects",
        "project_km": "Project roads (km)",
        "project_ha": "Project irrigation (ha)",
        "network_km": "Network (km)",
        "covered_km": "Covered (km)",
        "uncovered_km": "Not covered (km)",
        "covered_share": "Covered",
        "id": "Upload no.",
        "file_name": "File",
        "uploaded_at": "Uploaded at",
        "features_read": "Read",
        "stored": "Stored",
        "repaired": "Repaired",
        "rejected": "Rejected",
        "layer": "Layer",
        "row": "Row",
        "outcome": "Outcome",
        "reason": "Reason / note",
        "at": "Time",
        "who": "User",
        "role": "Role",
        "action": "Action",
        "sha256": "File fingerprint (SHA-256)",
        "detail": "Detail",
        "field": "Field",
        "value": "Value",
        "setting": "Threshold",
        "keterangan": "Item",
        "isi": "Content",
        "sheet": "Sheet",
        "column": "Column",
        "code": "Column code",
        "meaning": "Meaning",
        "replaced_uploads": "Replaced uploads",
        "deleted_records": "Records deleted",
        "decision": "Decision",
        "features": "Features",
        "client": "Client",
        "analysis": "Analysis",
        "rows": "Result rows",
        "decision_kind": "Decision on",
        "subject_id": "Row code",
        "proposal_id": "Proposal code",
        "proposal_name": "Proposal",
        "proposer": "Proposed by",
        "year": "Year",
        "placement": "Placed by",
        "ruas": "Ruas (road section)",
        "sta": "STA (chainage)",
        "suggested_status": "Suggested status",
        "reasons": "Reasons",
        "conflicts": "Meets",
        "decided_status": "Status set",
        "decided_note": "Meeting note",
        "decided_by": "Set by",
        "decided_at": "Set at",
    },
}

#: Which vocabulary translates the values of a column (levels, asset types, ...).
COLUMN_VOCABULARIES: Final[dict[str, str]] = {
    "level": "level",
    "level_a": "level",
    "level_b": "level",
    "expected_level": "level",
    "asset_type": "finding_asset",
    "severity": "severity",
    "relation": "relation",
    "method": "method",
    "kind": "kind",
    "breakdown": "breakdown",
    "verdict": "verdict",
    "outcome": "outcome",
    "role": "role",
    "action": "action",
    "decision": "review",
    "decision_kind": "decision_kind",
    "placement": "placement",
    "suggested_status": "proposal_status",
    "decided_status": "proposal_status",
    "reference_kind": "reference_kind",
    "reference_status": "road_status",
}


def column_label(column: str, lang: str = "id") -> str:
    """The label of a column; per-status and density columns by pattern; unknown columns (an
    agency's own) keep their name.

    >>> column_label("budget_at_stake_idr"), column_label("covered_km_nasional", "en")
    ('Anggaran terdampak (Rp)', 'Covered (km) — national')
    """
    labels = COLUMN_LABELS[check_language(lang)]
    if column in labels:
        return labels[column]
    for base in ("network_km", "covered_km", "covered_share"):
        if column.startswith(base + "_"):
            status = value_label("road_status", column[len(base) + 1 :], lang)
            return f"{labels[base]} — {status}"
    if "_per_km2" in column or "_per_100k_people" in column:
        what = column.split("_per_")[0]
        per = {"id": ("per km²", "per 100.000 penduduk"), "en": ("per km²", "per 100,000 people")}
        unit = per[lang][0] if column.endswith("km2") else per[lang][1]
        return f"{labels.get(what, what)} {unit}"
    return column


#: The analysis settings (:class:`geo.settings.Settings`) by what they mean.
SETTING_LABELS: Final[dict[str, dict[str, str]]] = {
    "id": {
        "max_upload_mb": "Ukuran berkas unggahan terbesar (MB)",
        "max_zip_entries": "Isi zip terbanyak (berkas)",
        "max_unzipped_mb": "Ukuran isi zip terbesar (MB)",
        "max_zip_ratio": "Rasio pemampatan zip terbesar",
        "max_zip_depth": "Tingkat zip di dalam zip",
        "tolerance_m": "Toleransi ruas yang sama (m)",
        "min_overlap_m": "Panjang tumpang tindih terkecil (m)",
        "bridge_distance_m": "Jarak jembatan yang sama (m)",
        "min_overlap_ha": "Luas tumpang tindih irigasi terkecil (ha)",
        "min_overlap_share": "Porsi tumpang tindih irigasi terkecil",
        "max_angle_deg": "Sudut antar-ruas terbesar (derajat)",
        "measure_step_m": "Langkah pengukuran garis (m)",
        "repeat_window_years": "Jendela pekerjaan berulang, jenis apa pun (tahun)",
        "design_life_pemeliharaan_berkala_years": "Umur rencana pemeliharaan berkala (tahun)",
        "design_life_rehabilitasi_years": "Umur rencana rehabilitasi (tahun)",
        "design_life_peningkatan_years": "Umur rencana peningkatan (tahun)",
        "design_life_rekonstruksi_years": "Umur rencana rekonstruksi (tahun)",
        "severity_share": "Porsi untuk prioritas tinggi",
        "max_text_chars": "Panjang teks isian terbesar (karakter)",
        "oc4ids_uri": "Alamat terbit paket OC4IDS",
        "oc4ids_publisher": "Penerbit paket OC4IDS",
        "oc4ids_id_prefix": "Awalan kode proyek OC4IDS",
        "time_zone": "Zona waktu tampilan",
        "network_offset_m": "Jarak terjauh garis pekerjaan dari jaringan jalan (m)",
        "proposal_recent_years": "Selisih tahun pekerjaan yang dibandingkan dengan usulan",
        "chainage_from": "STA dihitung dari (start: awal ruas, end: ujung ruas)",
    },
    "en": {
        "max_upload_mb": "Largest upload (MB)",
        "max_zip_entries": "Most files in a zip",
        "max_unzipped_mb": "Largest unzipped size (MB)",
        "max_zip_ratio": "Largest zip compression ratio",
        "max_zip_depth": "Levels of zip inside zip",
        "tolerance_m": "Same-stretch tolerance (m)",
        "min_overlap_m": "Smallest road overlap (m)",
        "bridge_distance_m": "Same-bridge distance (m)",
        "min_overlap_ha": "Smallest irrigation overlap (ha)",
        "min_overlap_share": "Smallest irrigation overlap share",
        "max_angle_deg": "Largest angle between roads (degrees)",
        "measure_step_m": "Line measuring step (m)",
        "repeat_window_years": "Repeat window, any work type (years)",
        "design_life_pemeliharaan_berkala_years": "Design life of periodic maintenance (years)",
        "design_life_rehabilitasi_years": "Design life of a rehabilitation (years)",
        "design_life_peningkatan_years": "Design life of an improvement (years)",
        "design_life_rekonstruksi_years": "Design life of a reconstruction (years)",
        "severity_share": "Share for high severity",
        "max_text_chars": "Longest text of a field (characters)",
        "oc4ids_uri": "Where the OC4IDS packages are published",
        "oc4ids_publisher": "Publisher of the OC4IDS packages",
        "oc4ids_id_prefix": "OC4IDS project id prefix",
        "time_zone": "Time zone shown",
        "network_offset_m": "Farthest a work line lies from the road network (m)",
        "proposal_recent_years": "Years apart of work compared with a proposal",
        "chainage_from": "STA counted from (start: the ruas start, end: its other end)",
    },
}


def setting_label(name: str, lang: str = "id") -> str:
    """What a setting of :class:`geo.settings.Settings` means, in ``lang`` (its name when a
    new setting has no words yet)."""
    return SETTING_LABELS[check_language(lang)].get(name, name)


#: Meanings of the workbook's columns in English (the Indonesian ones are
#: :data:`geo.export.workbook.COLUMN_MEANINGS`).
COLUMN_MEANINGS_EN: Final[dict[str, str]] = {
    "number": "Finding number, the same as on the maps and in the meeting pack",
    "finding_id": "Finding code (stable for the same pair of projects)",
    "kind": "Kind of finding: overlap, repeat funding (the same stretch funded again within "
    "the earlier work's design life), cross-type",
    "asset_type": "Asset type: road, bridge, irrigation",
    "relation": "Cross-level, same level or same agency",
    "severity": "Severity: high, medium, low, info",
    "project_a": "Package code of project A (the higher level of government)",
    "project_b": "Package code of project B",
    "name_a": "Package name A",
    "name_b": "Package name B",
    "level_a": "Level of government A",
    "level_b": "Level of government B",
    "agency_a": "Agency A",
    "agency_b": "Agency B",
    "years_a": "Budget years A",
    "years_b": "Budget years B",
    "funding_a": "Funding source (sumber dana) of project A",
    "funding_b": "Funding source (sumber dana) of project B",
    "work_type_a": "Work type of project A as the agency wrote it",
    "work_type_b": "Work type of project B as the agency wrote it",
    "design_life_years": "Repeat funding: the design life of the earlier work (years, a setting "
    "per work type) within which the later one started",
    "breakdown": "What the row totals by: total, kabupaten/kota, province, level pair, year or "
    "kind of finding (each finding counted once per breakdown)",
    "key": "Code of the row: unit code, province code, level pair, year or kind",
    "label": "Name of the unit or province where known, else the code",
    "findings": "Number of findings totalled",
    "shared_km": "Shared road length totalled (kilometres)",
    "shared_ha": "Shared irrigation area totalled (hectares)",
    "at_stake_idr": "Budget at stake totalled (rupiah; each finding at most the smaller pagu)",
    "finding_ids": "Codes of the findings totalled",
    "project_records": "The packages of those findings: package code (agency)",
    "overlap_m": "Length of the shared road stretch (metres)",
    "overlap_ha": "Shared area (hectares, irrigation)",
    "distance_m": "Distance (metres): between bridges, or from a bridge to a road",
    "share_a": "Share of project A that overlaps (0-100%)",
    "share_b": "Share of project B that overlaps (0-100%)",
    "budget_a_idr": "Budget of project A (rupiah)",
    "budget_b_idr": "Budget of project B (rupiah)",
    "budget_at_stake_idr": "Budget at stake: the smaller project's budget x its overlapping share, "
    "at most either project's budget",
    "method": "How the overlap was found: network (chainage shared on one ruas) or geometry",
    "ruas_id": "Code of the ruas the shared stretch lies on (found on the road network)",
    "sta_from_m": "Chainage (STA) where the shared stretch starts, metres from the ruas start",
    "sta_to_m": "Chainage (STA) where the shared stretch ends, metres from the ruas start",
    "ruas_name": "Name of the road section (ruas)",
    "from_m": "Chainage (STA) where the project starts on the ruas, metres from the ruas start",
    "to_m": "Chainage (STA) where the project ends on the ruas, metres from the ruas start",
    "offset_mean_m": "Mean distance from the project's line to the ruas (metres)",
    "offset_max_m": "Largest distance from the project's line to the ruas (metres)",
    "matched_share": "Share of the project's length that lies on the road network (0-100%)",
    "shift_m": "Systematic shift removed before matching (metres; 0: none): the one vector that "
    "puts the works of the project's agency file (drawn on another basemap) on the network; "
    "the distances to the ruas are measured after it",
    "project_id": "Package code",
    "name": "Package name",
    "agency": "Agency (satker/SKPD)",
    "level": "Level of government doing the work",
    "verdict": "Mismatch (outside its authority) or exception (legitimate)",
    "rule": "The authority rule cited",
    "exception_basis": "Legal basis of the exception (IJD, tugas pembantuan)",
    "expected_level": "Level of government with the authority under the rule",
    "reference_kind": "Reference kind: road (ruas) or irrigation area (Daerah Irigasi)",
    "reference_status": "Status of the road or class of the irrigation area",
    "reference_id": "Code of the road or irrigation area",
    "reference_name": "Name of the road or irrigation area",
    "share": "Share of the project's length/area on the reference (0-100%)",
    "along_m": "Project length on the road of that status (metres)",
    "inside_ha": "Project area inside the irrigation area (hectares)",
    "funding_source": "Funding source",
    "year_start": "First budget year",
    "year_end": "Last budget year",
    "budget_idr": "Budget (rupiah); per unit: split by the share of length/area in the unit",
    "note": "Note",
    "unit_id": "Unit code (Kemendagri)",
    "unit_name": "Name of the administrative unit",
    "area_km2": "Area of the unit (km2)",
    "population": "Population (people)",
    "projects": "Projects touching the unit",
    "project_km": "Length of road projects in the unit (km)",
    "project_ha": "Area of irrigation projects in the unit (hectares)",
    "network_km": "Length of the road network in the unit (km)",
    "covered_km": "Network length covered by projects (km)",
    "uncovered_km": "Network length not covered (km)",
    "covered_share": "Share of the network covered (0-100%)",
    "id": "Upload number",
    "upload_id": "Upload number",
    "file_name": "Uploaded file name",
    "source_file": "Uploaded file name",
    "uploaded_at": "Time of upload (UTC)",
    "features_read": "Rows/features read",
    "stored": "Stored",
    "repaired": "Stored after a repair",
    "rejected": "Rejected",
    "layer": "Source layer/sheet",
    "row": "Source row number",
    "outcome": "Outcome: stored, repaired, rejected, file note",
    "reason": "Reason or note",
}

#: Sheet names of the workbook in English (Excel allows at most 31 characters); the Indonesian
#: ones are :data:`geo.export.workbook.SHEETS`.
SHEET_NAMES_EN: Final[dict[str, str]] = {
    "info": "About",
    "findings": "Overlaps",
    "mismatches": "Authority",
    "gaps": "Coverage gaps per unit",
    "repeats": "Repeat funding",
    "ledger": "Budget at stake",
    "locations": "Locations on the network",
    "uploads": "Uploads",
    "reports": "Import reports",
    "columns": "Column dictionary",
}


# --- texts of each part of the app ------------------------------------------------------------

#: The app's pages (ui/): :func:`text`.
APP_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "title": "Peta Sinergi",
        "subtitle": "Proyek jalan, jembatan dan irigasi pusat, provinsi dan kabupaten/kota",
        "demo_notice": DEMO_NOTICE,
        "no_projects": "Belum ada proyek di penyimpanan {store}.",
        "store_error": "Data proyek tidak dapat dibaca",
        "store_unavailable": "Basis data tidak dapat dihubungi: pastikan servernya berjalan dan "
        "DATABASE_URL (host, port, nama basis data, pengguna, kata sandi) benar",
        "map_caption": "Arahkan kursor ke sebuah proyek untuk melihat datanya; klik untuk "
        "melihat data lengkap dan temuannya.",
        "projects": "proyek",
        # pages
        "page_peta": "Peta",
        "page_unggah": "Unggah",
        "page_tumpang_tindih": "Tumpang Tindih",
        "page_kewenangan": "Kewenangan",
        "page_kesenjangan": "Kesenjangan",
        "page_ekspor": "Ekspor",
        "page_data": "Data",
        "page_cek_usulan": "Cek Usulan",
        "proposals_intro": "Periksa daftar usulan (KRISNA-DAK, SIPD, IJD) sebelum pagu ditetapkan: "
        "tiap baris ditempatkan pada ruas dan STA (atau desa/kecamatan) lalu dibandingkan dengan "
        "pekerjaan tersimpan dan usulan lain. Status saran hanya saran; rapat yang menetapkan.",
        "proposal_file": "Daftar usulan (.xlsx atau .csv)",
        "proposal_file_help": "Berkas seperti yang diekspor: baris judul dan header bergabung "
        "boleh ada. Tidak ada yang disimpan kecuali status yang ditetapkan. Paling besar {mb} MB.",
        "proposal_level": "Tingkat pengusul semua baris",
        "proposal_level_auto": "dari kolom daftar",
        "proposal_none": "Pilih daftar usulan untuk diperiksa.",
        "proposal_unreadable": "Daftar usulan {file} tidak dapat dibaca",
        "proposal_summary": "{rows} baris: ditempatkan pada STA {sta}, seluruh ruas {ruas}, "
        "D.I. {di}, wilayah {unit}, tidak ditempatkan {none} · status saran: Diterima "
        "{accepted}, Ditolak {rejected}, Didiskusikan {discuss} · ditetapkan {decided}",
        "proposal_no_network": "Penyimpanan belum memuat jaringan jalan: tidak ada baris yang "
        "ditempatkan pada ruas.",
        "proposal_map_caption": "Peta: {drawn} dari {rows} baris (baris tanpa lokasi atau tanpa "
        "tingkat pengusul tidak digambar).",
        "proposal_select": "Pilih baris untuk melihatnya di peta dan menetapkan statusnya.",
        "proposal_decide": "Tetapkan status baris {number}: {proposal}",
        "proposal_status": "Status",
        "proposal_note": "Catatan rapat",
        "proposal_who": "Ditetapkan oleh (nama / instansi)",
        "proposal_save": "Simpan status",
        "proposal_saved": "Status baris {number} disimpan.",
        "proposal_last": "Ditetapkan: {status} oleh {who} ({when})",
        "proposal_view_only": "Hanya penyunting dan administrator yang dapat menetapkan status.",
        "proposal_download": "Unduh hasil pemeriksaan (XLSX)",
        "page_matriks": "Matriks Sinkronisasi",
        "matrix_intro": "Untuk rakor sinkronisasi: per ruas (dan per daerah irigasi) segmen STA-nya "
        "ke bawah, dan per segmen pekerjaan pusat, provinsi dan kabupaten/kota per tahun. Baris "
        "bertanda ⚠ memuat pekerjaan dua tingkat pemerintahan pada segmen dan tahun yang sama. "
        "Rapat mencatat keputusan dan catatan per baris.",
        "matrix_unit": "Kabupaten/kota",
        "matrix_unit_all": "semua kabupaten/kota",
        "matrix_year": "Tahun anggaran",
        "matrix_year_all": "semua tahun",
        "matrix_levels": "Tingkat pemerintahan yang bekerja pada baris",
        "matrix_levels_help": "Baris tempat tingkat ini bekerja; pekerjaan tingkat lain pada baris "
        "itu tetap ditampilkan untuk dibandingkan. Kosong: semua tingkat.",
        "matrix_only_conflicts": "Hanya baris dengan konflik",
        "matrix_summary": "{rows} baris ({ruas} segmen ruas, {areas} daerah irigasi), {conflicts} "
        "dengan konflik antar tingkat pemerintahan · keputusan rapat tercatat {decided}",
        "matrix_no_network": "Penyimpanan belum memuat jaringan jalan: matriks hanya memuat daerah "
        "irigasi.",
        "matrix_select": "Pilih baris untuk mencatat keputusan rapat.",
        "matrix_decide": "Keputusan rapat: {unit} baris {number} ({row})",
        "matrix_last": "Keputusan: {decision} oleh {who} ({when})",
        "matrix_decision": "Keputusan",
        "matrix_decision_other": "Atau keputusan lain (teks bebas, paling banyak 200 karakter)",
        "matrix_note": "Catatan rapat",
        "matrix_who": "Dicatat oleh (nama / instansi)",
        "matrix_save": "Simpan keputusan",
        "matrix_saved": "Keputusan baris {row} disimpan.",
        "matrix_view_only": "Hanya penyunting dan administrator yang dapat mencatat keputusan.",
        "matrix_download_xlsx": "Unduh matriks (XLSX, satu lembar per kabupaten/kota)",
        "matrix_download_pdf": "Unduh atlas matriks (PDF A3 mendatar)",
        "matrix_failed": "{export} tidak dapat dibuat: {reason}",
        # filters
        "filters": "Saring proyek",
        "years": "Tahun anggaran",
        "levels": "Tingkat pemerintahan",
        "asset_types": "Jenis aset",
        "funding_sources": "Sumber dana",
        "units": "{Unit}",
        "all": "semua",
        "shown": "{shown} dari {total} proyek ditampilkan",
        "show_overlaps": "Sorot tumpang tindih",
        "show_gaps": "Tampilkan kesenjangan per {unit}",
        "osm": "Peta dasar OpenStreetMap (perlu internet)",
        # selection
        "selected_project": "Proyek terpilih",
        "findings_of_project": "Temuan proyek ini",
        "no_findings_of_project": "Tidak ada temuan untuk proyek ini.",
        "selected_finding": "Temuan terpilih",
        "click_hint": "Klik sebuah proyek di peta untuk melihat data lengkap dan temuannya.",
        # findings pages
        "overlaps_intro": "Pasangan proyek yang merencanakan pekerjaan pada ruas, jembatan "
        "atau daerah irigasi yang sama (indikatif: tinjau buktinya dalam rapat).",
        "mismatches_intro": "Proyek di luar kewenangan tingkat pemerintahannya menurut jaringan "
        "jalan berstatus dan Daerah Irigasi (Permen PUPR 14/2015). Pengecualian (IJD, tugas "
        "pembantuan) ditampilkan, tidak ditandai.",
        "no_overlaps": "Tidak ada tumpang tindih pada data ini.",
        "no_mismatches": "Tidak ada ketidaksesuaian kewenangan pada data ini.",
        "no_reference": "Belum ada lapisan acuan (jaringan jalan berstatus / Daerah Irigasi). "
        "Simpan dengan: python -m geo reference roads BERKAS",
        "select_row": "Pilih sebuah baris untuk memperbesar peta ke temuan itu dan meninjaunya.",
        "findings_count": "{count} temuan",
        "gaps_chart_top": "{shown} dari {total} {units} dengan kesenjangan terbesar.",
        "findings_top": "{count} temuan; tabel memuat {shown} yang paling mendesak (prioritas, lalu "
        "anggaran terdampak). Semua temuan ada di halaman Ekspor (Excel, CSV).",
        "review": "Tinjauan",
        "decision": "Keputusan",
        "decision_confirm": "Konfirmasi",
        "decision_dismiss": "Tolak",
        "decision_note": "Catatan saja",
        "note": "Catatan",
        "who": "Peninjau (nama / instansi)",
        "save_review": "Simpan tinjauan",
        "review_saved": "Tinjauan {finding} disimpan.",
        "last_review": "Tinjauan terakhir: {decision} oleh {who} ({when})",
        "status_open": "belum ditinjau",
        "status_confirm": "dikonfirmasi",
        "status_dismiss": "ditolak",
        "status_note": "catatan",
        "settings": "Ambang batas analisis",
        "settings_in_force": "Pengaturan yang berlaku",
        "settings_hint": "Diatur pengelola aplikasi dengan variabel lingkungan PETA_<NAMA> "
        "saat aplikasi dimulai; berlaku untuk setiap analisis dan ekspor.",
        # gaps
        "gaps_intro": "Cakupan proyek per {unit}: panjang jaringan jalan yang "
        "ditangani proyek (bila jaringan berstatus tersedia), kepadatan proyek per km² dan per "
        "penduduk.",
        "no_units": "Belum ada batas wilayah (kabupaten/kota, kecamatan) di penyimpanan. Simpan dengan: "
        "python -m geo reference units BERKAS",
        "gaps_chart": "Porsi jaringan belum tertangani per {unit}",
        "ledger_title": "Anggaran terdampak tumpang tindih dan pendanaan berulang",
        "ledger_intro": "Panjang bersama dan anggaran terdampak dijumlahkan per {unit}, provinsi, "
        "pasangan tingkat pemerintahan, tahun dan jenis temuan. Tiap temuan dihitung sekali "
        "per rincian: di {unit} yang memuat bagian bersamanya paling banyak, pada tahun pertama "
        "kedua paket didanai (pendanaan berulang: tahun pendanaan ulang); anggaran terdampak "
        "satu temuan paling banyak pagu terkecil kedua paket. Tiap baris menyebut kode temuannya.",
        # upload wizard
        "upload_intro": "Unggah berkas proyek instansi Anda: shapefile ber-zip, GeoPackage, "
        "GeoJSON, KML/KMZ, FlatGeobuf, GeoParquet, CSV atau XLSX berkoordinat.",
        "choose_files": "Pilih berkas (untuk shapefile lepas: .shp, .shx, .dbf, .prj sekaligus)",
        "upload_help": "Seret berkas ke kotak ini atau klik tombolnya untuk memilih; paling besar {mb} MB per berkas. Tombol 'Upload' dan batas ukuran di kotak itu ditulis Streamlit dalam bahasa Inggris.",
        "main_file": "Berkas yang dibaca",
        "step_detect": "1. Isi berkas",
        "step_mapping": "2. Pemetaan kolom",
        "step_given": "3. Tingkat, instansi dan jenis aset",
        "step_report": "4. Laporan impor",
        "step_commit": "5. Simpan",
        "layer": "Lapisan",
        "features": "fitur",
        "crs": "Sistem koordinat",
        "crs_missing": "tidak dinyatakan (diperiksa dari koordinat)",
        "geometry_types": "Jenis geometri",
        "columns": "Kolom",
        "reader_notes": "Catatan pembaca (pengodean, CRS, dll.)",
        "mapping_help": "Diisi otomatis dari nama kolom yang dikenal; ubah bila perlu.",
        "no_column": "— tidak ada —",
        "field_project_id": "Kode paket",
        "field_name": "Nama paket",
        "field_level": "Tingkat (kolom)",
        "field_agency": "Instansi (kolom)",
        "field_asset_type": "Jenis aset (kolom)",
        "field_work_type": "Jenis pekerjaan",
        "field_year": "Tahun anggaran",
        "field_year_start": "Tahun mulai",
        "field_year_end": "Tahun selesai",
        "field_budget_idr": "Pagu (Rp)",
        "field_contract_value_idr": "Nilai kontrak (Rp)",
        "field_deck": "Lapis jalan (layang / bawah tanah)",
        "field_date": "Tanggal (bila tak ada kolom tahun)",
        "field_funding_source": "Sumber dana",
        "field_status": "Status",
        "given_level": "Tingkat untuk semua baris",
        "given_agency": "Instansi untuk semua baris",
        "given_asset": "Jenis aset untuk semua baris",
        "from_file": "dari berkas",
        "crs_option": "CRS bila berkas tidak menyatakannya (mis. 32748)",
        "replace": "Ganti unggahan sebelumnya dengan nama berkas yang sama",
        "check": "Periksa berkas",
        "read_error": "Berkas tidak dapat diimpor",
        "counts": "{read} dibaca, {stored} disimpan ({repaired} diperbaiki), {rejected} ditolak",
        "download_report": "Unduh laporan impor (CSV)",
        "commit": "Simpan ke penyimpanan",
        "nothing_to_store": "Tidak ada catatan yang dapat disimpan.",
        "stored": "Tersimpan sebagai unggahan {upload}: {stored} proyek.",
        "already": "Berkas ini sudah diimpor sebagai unggahan {upload}: tidak ada perubahan "
        "(centang 'Ganti' untuk mengimpor ulang).",
        "options_changed": "Berkas yang sama pernah diimpor sebagai unggahan {replaced} dengan "
        "pilihan lain (pemetaan kolom, tingkat, instansi, jenis aset, CRS): impor ini "
        "menggantikannya.",
        "rejected_see_data": "{rejected} dari {read} catatan ditolak, masing-masing dengan "
        "alasannya: laporan lengkap ada di halaman Data (unggahan {upload}) atau "
        "python -m geo uploads --report {upload} --out laporan.csv.",
        "full_report_note": "Laporan lengkap: setiap catatan dan setiap baris catatan berkas. "
        "Baris perintah: python -m geo uploads --report {upload} --out laporan.csv",
        "new_findings": "Temuan data baru",
        "new_overlaps": "Tumpang tindih dengan data di penyimpanan",
        "new_mismatches": "Kewenangan",
        "no_new_findings": "Data baru tidak bertumpang tindih dengan proyek lain.",
        # exports
        "export_intro": "Bahan rapat koordinasi: peta untuk slide dan cetak, bahan rapat (PDF), "
        "buku kerja Excel, temuan untuk QGIS. Sel yang diawali = + - @ ditulis sebagai teks.",
        "export_title": "Judul peta dan bahan rapat",
        "export_offline": "Berkas dibuat saat tombol diklik; peta dan bahan rapat bekerja tanpa "
        "internet.",
        "export_csv": "Tabel temuan (CSV)",
        "export_failed": "{export}: berkas tidak dapat dibuat ({reason}). Rinciannya ada di log "
        "server; laporkan bila terulang.",
        # sign-in
        "demo_mode": "Mode demo: tanpa masuk (sign-in), siapa pun dapat mengubah data contoh. "
        "Untuk pemakaian sebenarnya buat akun (python -m geo users add) atau atur OIDC.",
        "signed_in_as": "Masuk sebagai {who}",
        "sign_out": "Keluar",
        "sign_in": "Masuk",
        "sign_in_oidc": "Masuk dengan akun instansi",
        "user_name": "Nama pengguna",
        "password": "Kata sandi",
        "sign_in_failed": "Nama pengguna atau kata sandi salah.",
        "sign_in_locked": "Terlalu banyak kata sandi salah: masuk dikunci sampai {until}. "
        "Administrator dapat mengatur ulang kata sandi (python -m geo users add).",
        "read_only_mode": "Mode hanya-baca: penyimpanan ini belum punya akun pengguna. "
        "Administrator membuat akun pertama di server dengan `python -m geo users add NAMA "
        "--role admin` (berkas users.json di samping berkas penyimpanan, atau $PETA_USERS), lalu masuk untuk mengunggah atau meninjau.",
        "audit_trail": "Jejak audit: impor, penggantian, penghapusan, tinjauan, hasil analisis "
        "yang disimpan",
        "download_audit": "Unduh jejak audit (CSV)",
        "download_overlaps": "Tumpang tindih (CSV)",
        "download_mismatches": "Kewenangan (CSV)",
        "download_gaps": "Kesenjangan per {unit} (CSV)",
        "download_uploads": "Daftar unggahan (CSV)",
        # data
        "data_intro": "Unggahan di penyimpanan {store}: lihat laporan, ganti atau hapus.",
        "no_uploads": "Belum ada unggahan.",
        "choose_upload": "Unggahan",
        "report_of": "Laporan impor unggahan {upload}",
        "delete": "Hapus unggahan ini",
        "delete_confirm": "Ya, hapus unggahan {upload} beserta {count} proyeknya",
        "deleted": "Unggahan {upload} dihapus ({count} proyek).",
        "replace_hint": "Untuk mengganti sebuah unggahan, unggah berkas baru dengan nama yang "
        "sama di halaman Unggah dan centang 'Ganti'.",
    },
    "en": {
        "title": "Peta Sinergi",
        "subtitle": "Central, provincial and district road, bridge and irrigation projects",
        "demo_notice": DEMO_NOTICE_EN,
        "no_projects": "The store {store} holds no projects yet.",
        "store_error": "The project data cannot be read",
        "store_unavailable": "The database cannot be reached: check that its server runs and "
        "that DATABASE_URL (host, port, database name, user, password) is right",
        "map_caption": "Hover over a project to see its record; click it for the full record "
        "and its findings.",
        "projects": "projects",
        "page_peta": "Map",
        "page_unggah": "Upload",
        "page_tumpang_tindih": "Overlaps",
        "page_kewenangan": "Authority",
        "page_kesenjangan": "Coverage gaps",
        "page_ekspor": "Export",
        "page_data": "Data",
        "page_cek_usulan": "Check proposals",
        "proposals_intro": "Check a proposal list (KRISNA-DAK, SIPD, IJD) before the budget is "
        "fixed: each row is placed on a ruas and STA (or a village/subdistrict) and compared with "
        "the stored work and the other proposals. The suggested status is only a suggestion; "
        "the meeting decides.",
        "proposal_file": "Proposal list (.xlsx or .csv)",
        "proposal_file_help": "The file as exported: title rows and merged header cells are "
        "fine. Nothing is stored except the statuses set. At most {mb} MB.",
        "proposal_level": "Proposing level of every row",
        "proposal_level_auto": "from the list's columns",
        "proposal_none": "Choose a proposal list to check.",
        "proposal_unreadable": "The proposal list {file} cannot be read",
        "proposal_summary": "{rows} rows: placed by STA {sta}, whole ruas {ruas}, D.I. {di}, "
        "area {unit}, not placed {none} · suggested: Accepted {accepted}, Rejected {rejected}, "
        "To discuss {discuss} · set {decided}",
        "proposal_no_network": "The store holds no road network yet: no row is placed on a ruas.",
        "proposal_map_caption": "Map: {drawn} of {rows} rows (rows without a location or a "
        "proposing level are not drawn).",
        "proposal_select": "Select a row to see it on the map and set its status.",
        "proposal_decide": "Set the status of row {number}: {proposal}",
        "proposal_status": "Status",
        "proposal_note": "Meeting note",
        "proposal_who": "Set by (name / agency)",
        "proposal_save": "Save status",
        "proposal_saved": "Status of row {number} saved.",
        "proposal_last": "Set: {status} by {who} ({when})",
        "proposal_view_only": "Only editors and administrators can set a status.",
        "proposal_download": "Download the checked list (XLSX)",
        "page_matriks": "Synchronisation matrix",
        "matrix_intro": "For the rakor (coordination meeting): per ruas (and per irrigation area) "
        "its STA stretches down the rows, and per stretch the works of the central, provincial "
        "and district/city governments by year. Rows marked ⚠ hold works of two levels of "
        "government on the same stretch in the same year. The meeting records a decision and a "
        "note per row.",
        "matrix_unit": "District/city",
        "matrix_unit_all": "all districts/cities",
        "matrix_year": "Budget year",
        "matrix_year_all": "all years",
        "matrix_levels": "Level of government working on the row",
        "matrix_levels_help": "Rows where this level works; the other levels' works on them stay "
        "shown for comparison. Empty: every level.",
        "matrix_only_conflicts": "Only rows with a conflict",
        "matrix_summary": "{rows} rows ({ruas} ruas stretches, {areas} irrigation areas), "
        "{conflicts} with a conflict between levels of government · meeting decisions recorded "
        "{decided}",
        "matrix_no_network": "The store holds no road network yet: the matrix holds irrigation "
        "areas only.",
        "matrix_select": "Select a row to record the meeting's decision.",
        "matrix_decide": "Meeting decision: {unit} row {number} ({row})",
        "matrix_last": "Decision: {decision} by {who} ({when})",
        "matrix_decision": "Decision",
        "matrix_decision_other": "Or another decision (free text, at most 200 characters)",
        "matrix_note": "Meeting note",
        "matrix_who": "Recorded by (name / agency)",
        "matrix_save": "Save decision",
        "matrix_saved": "Decision on row {row} saved.",
        "matrix_view_only": "Only editors and administrators can record a decision.",
        "matrix_download_xlsx": "Download the matrix (XLSX, one sheet per district/city)",
        "matrix_download_pdf": "Download the matrix atlas (A3 landscape PDF)",
        "matrix_failed": "{export} could not be made: {reason}",
        "filters": "Filter projects",
        "years": "Budget years",
        "levels": "Level of government",
        "asset_types": "Asset type",
        "funding_sources": "Funding source",
        "units": "{Unit}",
        "all": "all",
        "shown": "{shown} of {total} projects shown",
        "show_overlaps": "Highlight overlaps",
        "show_gaps": "Show coverage gaps per {unit}",
        "osm": "OpenStreetMap basemap (needs internet)",
        "selected_project": "Selected project",
        "findings_of_project": "Findings of this project",
        "no_findings_of_project": "No findings for this project.",
        "selected_finding": "Selected finding",
        "click_hint": "Click a project on the map to see its full record and its findings.",
        "overlaps_intro": "Pairs of projects planning work on the same road stretch, bridge or "
        "irrigation area (indicative: review the evidence in the meeting).",
        "mismatches_intro": "Projects outside their level's authority by the road network's "
        "status and the Daerah Irigasi (Permen PUPR 14/2015). Exceptions (IJD, tugas "
        "pembantuan) are shown, not flagged.",
        "no_overlaps": "No overlaps in this data.",
        "no_mismatches": "No authority mismatches in this data.",
        "no_reference": "No reference layer yet (road network with status / Daerah Irigasi). "
        "Store one with: python -m geo reference roads FILE",
        "select_row": "Select a row to zoom the map to that finding and review it.",
        "findings_count": "{count} findings",
        "gaps_chart_top": "The {shown} of {total} {units} with the largest gaps.",
        "findings_top": "{count} findings; the table holds the {shown} most pressing (severity, "
        "then budget at stake). Every finding is on the Ekspor page (Excel, CSV).",
        "review": "Review",
        "decision": "Decision",
        "decision_confirm": "Confirm",
        "decision_dismiss": "Dismiss",
        "decision_note": "Note only",
        "note": "Note",
        "who": "Reviewer (name / agency)",
        "save_review": "Save review",
        "review_saved": "Review of {finding} saved.",
        "last_review": "Last review: {decision} by {who} ({when})",
        "status_open": "not reviewed",
        "status_confirm": "confirmed",
        "status_dismiss": "dismissed",
        "status_note": "note",
        "settings": "Analysis thresholds",
        "settings_in_force": "Settings in force",
        "settings_hint": "Set by the app's operator with PETA_<NAME> environment variables "
        "when the app starts; they apply to every analysis and export.",
        "gaps_intro": "Project coverage per {unit}: length of the road network covered "
        "by projects (when a network with status is loaded), projects per km² and per person.",
        "no_units": "The store has no administrative units (districts/cities, subdistricts) yet. Store them "
        "with: python -m geo reference units FILE",
        "gaps_chart": "Share of the network not covered, per {unit}",
        "ledger_title": "Budget at stake in overlaps and repeat funding",
        "ledger_intro": "Shared length and budget at stake totalled per {unit}, province, pair "
        "of levels of government, year and kind of finding. Each finding counts once per "
        "breakdown: in the {unit} holding most of its shared part, in the first year both "
        "packages are funded (repeat funding: the year of the repeat); a finding's budget at "
        "stake is at most the smaller pagu of its two packages. Each row names its findings.",
        "upload_intro": "Upload your agency's project file: zipped shapefile, GeoPackage, "
        "GeoJSON, KML/KMZ, FlatGeobuf, GeoParquet, CSV or XLSX with coordinates.",
        "choose_files": "Choose file(s) (for a loose shapefile: .shp, .shx, .dbf, .prj together)",
        "upload_help": "Drag files onto this box or click its button to choose them; at most {mb} MB per file.",
        "main_file": "File to read",
        "step_detect": "1. What the file holds",
        "step_mapping": "2. Column mapping",
        "step_given": "3. Level, agency and asset type",
        "step_report": "4. Import report",
        "step_commit": "5. Save",
        "layer": "Layer",
        "features": "features",
        "crs": "Coordinate system",
        "crs_missing": "not declared (checked from the coordinates)",
        "geometry_types": "Geometry types",
        "columns": "Columns",
        "reader_notes": "Reader notes (encoding, CRS, ...)",
        "mapping_help": "Pre-filled from known column names; change where needed.",
        "no_column": "— none —",
        "field_project_id": "Package code",
        "field_name": "Package name",
        "field_level": "Level (column)",
        "field_agency": "Agency (column)",
        "field_asset_type": "Asset type (column)",
        "field_work_type": "Work type",
        "field_year": "Budget year",
        "field_year_start": "First year",
        "field_year_end": "Last year",
        "field_budget_idr": "Budget (Rp)",
        "field_contract_value_idr": "Contract value (Rp)",
        "field_deck": "Deck (elevated / underground)",
        "field_date": "Date (when there is no year column)",
        "field_funding_source": "Funding source",
        "field_status": "Status",
        "given_level": "Level of every row",
        "given_agency": "Agency of every row",
        "given_asset": "Asset type of every row",
        "from_file": "from the file",
        "crs_option": "CRS when the file declares none (e.g. 32748)",
        "replace": "Replace an earlier upload with the same file name",
        "check": "Check the file",
        "read_error": "The file cannot be imported",
        "counts": "{read} read, {stored} stored ({repaired} repaired), {rejected} rejected",
        "download_report": "Download the import report (CSV)",
        "commit": "Save to the store",
        "nothing_to_store": "No record can be stored.",
        "stored": "Saved as upload {upload}: {stored} projects.",
        "already": "This file was imported before as upload {upload}: nothing changed (tick "
        "'Replace' to import it again).",
        "options_changed": "The same file was imported before as upload {replaced} with other "
        "choices (column mapping, level, agency, asset type, CRS): this import replaces it.",
        "rejected_see_data": "{rejected} of {read} records rejected, each with its reason: the "
        "full report is on the Data page (upload {upload}) or python -m geo uploads --report "
        "{upload} --out report.csv.",
        "full_report_note": "The full report: every record and every file-level note. Command "
        "line: python -m geo uploads --report {upload} --out report.csv",
        "new_findings": "Findings of the new data",
        "new_overlaps": "Overlaps with the data in the store",
        "new_mismatches": "Authority",
        "no_new_findings": "The new data overlaps no other project.",
        "export_intro": "Material for coordination meetings: slide and print maps, the meeting "
        "pack (PDF), the Excel workbook, findings for QGIS. Cells starting with = + - @ are "
        "written as text.",
        "export_title": "Title of the map and meeting pack",
        "export_offline": "Files are made when a button is clicked; maps and the pack work "
        "offline.",
        "export_csv": "Finding tables (CSV)",
        "export_failed": "{export}: the file could not be made ({reason}). The details are in "
        "the server's log; report it if it happens again.",
        # sign-in
        "demo_mode": "Demo mode: no sign-in, anyone can change the sample data. For real use "
        "create accounts (python -m geo users add) or configure OIDC.",
        "signed_in_as": "Signed in as {who}",
        "sign_out": "Sign out",
        "sign_in": "Sign in",
        "sign_in_oidc": "Sign in with your agency account",
        "user_name": "User name",
        "password": "Password",
        "sign_in_failed": "Wrong user name or password.",
        "sign_in_locked": "Too many wrong passwords: sign-in is locked until {until}. An "
        "administrator can reset the password (python -m geo users add).",
        "read_only_mode": "Read-only mode: this store has no user accounts yet. An administrator "
        "creates the first one on the server with `python -m geo users add NAME --role admin` "
        "(users.json beside the store file, or $PETA_USERS), then signs in to upload or review.",
        "audit_trail": "Audit trail: imports, replaces, deletes, reviews, analysis results saved",
        "download_audit": "Download the audit trail (CSV)",
        "download_overlaps": "Overlaps (CSV)",
        "download_mismatches": "Authority (CSV)",
        "download_gaps": "Coverage gaps per {unit} (CSV)",
        "download_uploads": "Uploads (CSV)",
        "data_intro": "Uploads in the store {store}: see the report, replace or delete.",
        "no_uploads": "No uploads yet.",
        "choose_upload": "Upload",
        "report_of": "Import report of upload {upload}",
        "delete": "Delete this upload",
        "delete_confirm": "Yes, delete upload {upload} and its {count} projects",
        "deleted": "Upload {upload} deleted ({count} projects).",
        "replace_hint": "To replace an upload, upload the new file with the same name on the "
        "Upload page and tick 'Replace'.",
    },
}


#: The words around an exported map (:mod:`layers.map_text`).
EXPORT_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "all_units": "Semua wilayah ({n} {units})",
        "all_projects": "Semua proyek",
        "all_years": "semua tahun",
        "years": "Tahun anggaran {years}",
        "levels": "Tingkat: {levels}",
        "assets": "Aset: {assets}",
        "counts": "{projects} proyek, {findings} temuan tumpang tindih",
        "data_date": "Data per {date}",
        "sources": "Sumber: {n} unggahan instansi ({agencies})",
        "more_agencies": "dan {n} lainnya",
        "files": "Sumber: berkas {files}",
        "boundaries": "batas wilayah dari lapisan referensi penyimpanan",
        "made": "Dibuat dengan Peta Sinergi, {date}. Temuan bersifat indikatif: dikonfirmasi "
        "atau ditolak dalam rapat.",
    },
    "en": {
        "all_units": "All areas ({n} {units})",
        "all_projects": "All projects",
        "all_years": "all years",
        "years": "Budget years {years}",
        "levels": "Levels: {levels}",
        "assets": "Assets: {assets}",
        "counts": "projects: {projects}, overlap findings: {findings}",
        "data_date": "Data as of {date}",
        "sources": "Sources: {n} agency uploads ({agencies})",
        "more_agencies": "and {n} more",
        "files": "Sources: files {files}",
        "boundaries": "boundaries from the store's reference layer",
        "made": "Made with Peta Sinergi, {date}. Findings are indicative: a meeting confirms "
        "or dismisses them.",
    },
}


#: The download buttons of the exports (:data:`layers.exports.EXPORTS`), by export kind.
EXPORT_LABELS: Final[dict[str, dict[str, str]]] = {
    "id": {
        "map_png": "Peta untuk slide (PNG 1920×1080)",
        "map_pdf": "Peta cetak (PDF A4 lanskap)",
        "pack_pdf": "Bahan rapat (PDF: peta, tabel temuan, berita acara)",
        "xlsx": "Laporan Excel (temuan, kewenangan, kesenjangan, impor)",
        "gpkg": "Temuan untuk QGIS (GeoPackage)",
        "geojson": "Temuan (GeoJSON)",
        "oc4ids": "Proyek (OC4IDS JSON)",
    },
    "en": {
        "map_png": "Slide map (PNG 1920×1080)",
        "map_pdf": "Print map (PDF A4 landscape)",
        "pack_pdf": "Meeting pack (PDF: maps, findings, minutes)",
        "xlsx": "Excel report (findings, authority, gaps, imports)",
        "gpkg": "Findings for QGIS (GeoPackage)",
        "geojson": "Findings (GeoJSON)",
        "oc4ids": "Projects (OC4IDS JSON)",
    },
}


#: The Excel workbook's own words (:mod:`layers.exports`): the first sheet's items and the
#: meanings that depend on the data (the units' kind, the time zone).
WORKBOOK_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "title": "Judul",
        "selection": "Cakupan",
        "notice": "Catatan",
        "sources": "Sumber",
        "made": "Dibuat",
        "unit_name": "Nama {unit}",
        "uploaded_at": "Waktu unggah ({zone})",
        "cell_cut": "... dan {n} lainnya tidak muat di sel ini (satu sel Excel memuat paling "
        "banyak 32.767 karakter)",
    },
    "en": {
        "title": "Title",
        "selection": "Selection",
        "notice": "Notice",
        "sources": "Sources",
        "made": "Made",
        "unit_name": "Name of the {unit}",
        "uploaded_at": "Time of upload ({zone})",
        "cell_cut": "... and {n} more that do not fit this cell (Excel holds at most 32,767 "
        "characters a cell)",
    },
}


#: Static maps and meeting tables (:mod:`layers.map_labels`).
STATIC_MAP_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "title": "Peta Sinergi — proyek jalan, jembatan dan irigasi",
        "levels": "Tingkat pemerintahan",
        "assets": "Jenis aset",
        "finding": "Temuan tumpang tindih (nomor = tabel)",
        "boundary": "Batas {unit}",
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
        "boundary": "{Unit} boundary",
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


#: Layers drawn over the projects (:mod:`layers.overlays`).
OVERLAY_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "finding": "Temuan",
        "overlaps": "Tumpang tindih",
        "mismatches": "Kewenangan",
        "gaps": "Kesenjangan",
        "project_a": "Proyek A",
        "project_b": "Proyek B",
        "shared": "Bagian bersama",
        "ruas_sta": "Ruas, STA",
        "budget_at_stake": "Anggaran terdampak",
        "severity": "Prioritas",
        "review": "Tinjauan",
        "open": "belum ditinjau",
        "confirm": "dikonfirmasi",
        "dismiss": "ditolak",
        "note": "catatan",
        "project": "Proyek",
        "rule": "Aturan",
        "expected_level": "Kewenangan",
        "unit": "{Unit}",
        "uncovered_share": "Jaringan belum tertangani",
        "projects_per_km2": "Proyek per km²",
        "no_network": "tanpa jaringan",
        "most_projects": "paling banyak proyek",
        "fewest_projects": "paling sedikit proyek",
    },
    "en": {
        "finding": "Finding",
        "overlaps": "Overlaps",
        "mismatches": "Authority",
        "gaps": "Coverage gaps",
        "project_a": "Project A",
        "project_b": "Project B",
        "shared": "Shared part",
        "ruas_sta": "Road section (ruas), STA",
        "budget_at_stake": "Budget at stake",
        "severity": "Severity",
        "review": "Review",
        "open": "not reviewed",
        "confirm": "confirmed",
        "dismiss": "dismissed",
        "note": "note",
        "project": "Project",
        "rule": "Rule",
        "expected_level": "Authority",
        "unit": "{Unit}",
        "uncovered_share": "Network not covered",
        "projects_per_km2": "Projects per km²",
        "no_network": "no network",
        "most_projects": "most projects",
        "fewest_projects": "fewest projects",
    },
}


#: The web map: legend, tooltips (:mod:`layers.project_map`).
PROJECT_MAP_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "legend": "Legenda",
        "levels": "Tingkat pemerintahan",
        "assets": "Jenis aset",
        "boundaries": "Batas {unit}",
        "base": "Peta dasar",
        "findings": "Temuan",
        "project_id": "Kode paket",
        "name": "Nama paket",
        "level": "Tingkat",
        "agency": "Instansi",
        "asset_type": "Jenis aset",
        "work_type": "Jenis pekerjaan",
        "years": "Tahun anggaran",
        "budget_idr": "Pagu",
        "funding_source": "Sumber dana",
        "status": "Status",
    },
    "en": {
        "legend": "Legend",
        "levels": "Level of government",
        "assets": "Asset type",
        "boundaries": "{Unit} boundaries",
        "base": "Base map",
        "findings": "Findings",
        "project_id": "Package code",
        "name": "Name",
        "level": "Level",
        "agency": "Agency",
        "asset_type": "Asset type",
        "work_type": "Work type",
        "years": "Budget year",
        "budget_idr": "Budget",
        "funding_source": "Funding source",
        "status": "Status",
    },
}


#: What a reader orients by on the web map (:mod:`layers.orientation`): layer names, legend
#: rows, tooltips of roads and Daerah Irigasi.
ORIENTATION_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "base": "Peta dasar",
        "roads": "Jaringan jalan",
        "irrigation_areas": "Daerah Irigasi",
        "unit_names": "Nama {unit}",
        "deciding": "Dasar kewenangan temuan",
        "area": "Luas",
        "authority": "Kewenangan",
        "decree": "SK",
        "road": "Ruas",
    },
    "en": {
        "base": "Base map",
        "roads": "Road network",
        "irrigation_areas": "Irrigation areas (D.I.)",
        "unit_names": "{Unit} names",
        "deciding": "What decides the finding",
        "area": "Area",
        "authority": "Authority",
        "decree": "Decree",
        "road": "Road",
    },
}


#: The view-by-view map of large layers (:mod:`layers.viewport`).
VIEWPORT_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "cells": "Ringkasan per sel",
        "cell_title": "Jumlah proyek per sel",
        "detail_note": "{count} proyek di area ini, digambar satu per satu.",
        "cells_note": (
            "{count} proyek di area ini: terlalu banyak untuk digambar satu per satu. "
            "Perbesar peta (kurang dari {limit} proyek) untuk melihat tiap proyek."
        ),
        "projects": "proyek",
        "budget": "Pagu",
        "overlaps": "Tumpang tindih",
        "with_overlaps": "Sel dengan tumpang tindih",
        "zoom_in": "Perbesar untuk melihat tiap proyek",
    },
    "en": {
        "cells": "Summary per cell",
        "cell_title": "Projects per cell",
        "detail_note": "{count} projects in this area, each drawn.",
        "cells_note": (
            "{count} projects in this area: too many to draw one by one. "
            "Zoom in (fewer than {limit} projects) to see each project."
        ),
        "projects": "projects",
        "budget": "Budget",
        "overlaps": "Overlaps",
        "with_overlaps": "Cells with overlaps",
        "zoom_in": "Zoom in to see each project",
    },
}


#: The meeting pack (:mod:`layers.pack_tables`, :mod:`layers.meeting_pack`).
PACK_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "minutes_continued": "lanjutan: tanda tangan",
        "pdf_subject": "Tumpang tindih, kewenangan dan kesenjangan proyek infrastruktur pusat, provinsi dan kabupaten/kota",
        "pdf_keywords": "tumpang tindih, kewenangan, kesenjangan, jalan, jembatan, irigasi",
        "unit_pages": "Peta {unit}: {n} dengan pagu berisiko terbesar dari {of}; semuanya di lampiran Excel ({file})",
        "annex_rows": '… dan {n} baris lain di lampiran Excel ({file}, lembar "{sheet}").',
        "unit_subtitle": "{projects} proyek · {findings} temuan tumpang tindih · pagu di wilayah ini "
        "{budget}",
        "findings_title": "Temuan tumpang tindih",
        "ledger_title": "Anggaran terdampak: jumlah per {unit}, provinsi, tingkat dan tahun",
        "mismatches_title": "Ketidaksesuaian kewenangan",
        "gaps_title": "Kesenjangan cakupan per {unit}",
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
        "unit": "{Unit}",
        "unit_title": "{Unit} {name}",
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
        "minutes_title": "Berita acara rapat koordinasi",
        "when": "Hari, tanggal",
        "where": "Tempat",
        "chair": "Pimpinan rapat",
        "attendees": "Peserta",
        "agreement": "Kesepakatan",
        "responsible": "Penanggung jawab",
        "deadline": "Batas waktu",
        "signature": "(nama, NIP, tanda tangan)",
        "severity_high": "prioritas tinggi",
        "severity_medium": "prioritas sedang",
        "severity_low": "prioritas rendah",
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
        "minutes_continued": "continued: signatures",
        "pdf_subject": "Overlaps, authority and coverage gaps of central, provincial and district infrastructure projects",
        "pdf_keywords": "overlap, authority, coverage gap, road, bridge, irrigation",
        "unit_pages": "{Unit} maps: the {n} with the most budget at stake of {of}; all of them in the Excel annex ({file})",
        "annex_rows": '… and {n} more rows in the Excel annex ({file}, sheet "{sheet}").',
        "unit_subtitle": "projects: {projects} · overlap findings: {findings} · budget in this area "
        "{budget}",
        "findings_title": "Overlap findings",
        "ledger_title": "Budget at stake: totals per {unit}, province, levels and year",
        "mismatches_title": "Authority mismatches",
        "gaps_title": "Coverage gaps per {unit}",
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
        "unit": "{Unit}",
        "unit_title": "{name} ({unit})",
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
        "minutes_title": "Minutes of the coordination meeting",
        "when": "Day, date",
        "where": "Place",
        "chair": "Chaired by",
        "attendees": "Attendees",
        "agreement": "Agreement",
        "responsible": "Responsible",
        "deadline": "Deadline",
        "signature": "(name, NIP, signature)",
        "severity_high": "high severity",
        "severity_medium": "medium severity",
        "severity_low": "low severity",
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


#: Headers of the app's tables (:mod:`layers.tables`).
TABLE_HEADERS: Final[dict[str, dict[str, str]]] = {
    "id": {
        "number": "No.",
        "level_pair": "Tingkat pemerintahan",
        "years": "Tahun anggaran",
        "finding": "Kode temuan",
        "asset": "Aset",
        "severity": "Prioritas",
        "relation": "Hubungan",
        "project_a": "Proyek A",
        "project_b": "Proyek B",
        "shared": "Bagian bersama",
        "ruas_sta": "Ruas, STA",
        "method": "Ditemukan lewat",
        "share_a": "Porsi A",
        "share_b": "Porsi B",
        "budget_at_stake": "Anggaran terdampak",
        "review": "Tinjauan",
        "project": "Proyek",
        "agency": "Instansi",
        "level": "Tingkat",
        "expected": "Kewenangan",
        "verdict": "Putusan",
        "rule": "Aturan",
        "share": "Porsi",
        "budget": "Pagu",
        "unit": "{Unit}",
        "projects": "Proyek",
        "network_km": "Jaringan (km)",
        "covered_km": "Tertangani (km)",
        "uncovered_km": "Belum tertangani (km)",
        "covered_share": "Tertangani",
        "per_km2": "Proyek per km²",
        # the budget ledger (geo.analyse.ledger)
        "kind": "Jenis temuan",
        "breakdown": "Rincian menurut",
        "item": "Uraian",
        "findings": "Temuan",
        "shared_km": "Panjang bersama (km)",
        "shared_ha": "Luas bersama (ha)",
        "finding_ids": "Kode temuan",
        "ledger_all": "Semua temuan",
        "ledger_outside": "Di luar wilayah yang tersimpan",
        "ledger_more": "dan {n} lainnya (setiap temuan ada di lembar Tumpang tindih dan "
        "Pendanaan berulang buku kerja Excel, halaman Ekspor)",
    },
    "en": {
        "number": "No.",
        "level_pair": "Levels of government",
        "years": "Budget years",
        "finding": "Finding code",
        "asset": "Asset",
        "severity": "Severity",
        "relation": "Relation",
        "project_a": "Project A",
        "project_b": "Project B",
        "shared": "Shared part",
        "ruas_sta": "Road section (ruas), STA",
        "method": "Found by",
        "share_a": "Share A",
        "share_b": "Share B",
        "budget_at_stake": "Budget at stake",
        "review": "Review",
        "project": "Project",
        "agency": "Agency",
        "level": "Level",
        "expected": "Authority",
        "verdict": "Verdict",
        "rule": "Rule",
        "share": "Share",
        "budget": "Budget",
        "unit": "{Unit}",
        "projects": "Projects",
        "network_km": "Network (km)",
        "covered_km": "Covered (km)",
        "uncovered_km": "Not covered (km)",
        "covered_share": "Covered",
        "per_km2": "Projects per km²",
        # the budget ledger (geo.analyse.ledger)
        "kind": "Kind of finding",
        "breakdown": "Totalled by",
        "item": "Item",
        "findings": "Findings",
        "shared_km": "Shared length (km)",
        "shared_ha": "Shared area (ha)",
        "finding_ids": "Finding codes",
        "ledger_all": "All findings",
        "ledger_outside": "Outside the stored units",
        "ledger_more": "and {n} more (every finding is on the Overlaps and Repeat funding "
        "sheets of the Excel workbook, Export page)",
    },
}


#: The rakor synchronisation matrix: its workbook and its A3 atlas (:mod:`layers.matrix_export`,
#: :mod:`layers.matrix_atlas`).
MATRIX_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "number": "No",
        "row_id": "Kode baris",
        "reference_id": "Kode ruas / D.I.",
        "reference_name": "Nama ruas / D.I.",
        "reference_status": "Status / kewenangan",
        "sta": "STA",
        "length_km": "Panjang (km)",
        "pusat": "Pusat: pekerjaan per tahun",
        "provinsi": "Provinsi: pekerjaan per tahun",
        "kabupaten": "Kabupaten/Kota: pekerjaan per tahun",
        "conflict_years": "Konflik (tahun)",
        "finding_ids": "Temuan tumpang tindih",
        "decision": "Keputusan rapat",
        "note": "Catatan rapat",
        "year": "Tahun",
        "from_m": "STA awal pekerjaan (m)",
        "to_m": "STA akhir pekerjaan (m)",
        "no_unit": "Tanpa wilayah",
        "works_sheet": "Pekerjaan",
        "info_sheet": "Keterangan",
        "title": "Matriks sinkronisasi program {unit}",
        "title_all": "Matriks sinkronisasi program",
        "made": "Dibuat",
        "selection": "Cakupan",
        "rows": "Baris",
        "rows_text": "{rows} baris, {conflicts} dengan konflik antar tingkat pemerintahan",
        "legend": "Keterangan warna",
        "legend_text": "Baris berwarna: pekerjaan dua tingkat pemerintahan pada segmen yang sama di "
        "tahun yang sama (konflik)",
        "no_rows": "Tidak ada pekerjaan pada ruas atau daerah irigasi untuk pilihan ini.",
        "ruas_title": "Ruas {code} {name}",
        "di_section": "Daerah irigasi",
        "ruas_subtitle": "{status} · panjang {length} km · {unit}",
        "conflict": "konflik",
        "chainage": "STA (km+m)",
        "continued": " (lanjutan {i} dari {n})",
        "pdf_title": "Atlas matriks sinkronisasi program",
        "pdf_subject": "Pekerjaan pusat, provinsi dan kabupaten/kota per ruas dan per tahun",
        "pdf_keywords": "matriks sinkronisasi, rakor, ruas, STA, tumpang tindih",
    },
    "en": {
        "number": "No",
        "row_id": "Row id",
        "reference_id": "Ruas / D.I. code",
        "reference_name": "Ruas / D.I. name",
        "reference_status": "Status / authority",
        "sta": "STA (chainage)",
        "length_km": "Length (km)",
        "pusat": "Central: works by year",
        "provinsi": "Province: works by year",
        "kabupaten": "District/City: works by year",
        "conflict_years": "Conflict (years)",
        "finding_ids": "Overlap findings",
        "decision": "Meeting decision",
        "note": "Meeting note",
        "year": "Year",
        "from_m": "Work starts at (m)",
        "to_m": "Work ends at (m)",
        "no_unit": "No unit",
        "works_sheet": "Works",
        "info_sheet": "About",
        "title": "Programme synchronisation matrix {unit}",
        "title_all": "Programme synchronisation matrix",
        "made": "Made",
        "selection": "Selection",
        "rows": "Rows",
        "rows_text": "{rows} rows, {conflicts} with a conflict between levels of government",
        "legend": "Colours",
        "legend_text": "Filled rows: works of two levels of government on the same stretch in the "
        "same year (conflict)",
        "no_rows": "No works on a ruas or irrigation area for this selection.",
        "ruas_title": "Ruas {code} {name}",
        "di_section": "Irrigation areas",
        "ruas_subtitle": "{status} · length {length} km · {unit}",
        "conflict": "conflict",
        "chainage": "STA (km+m)",
        "continued": " (continued {i} of {n})",
        "pdf_title": "Programme synchronisation matrix atlas",
        "pdf_subject": "Central, provincial and district works per ruas and per year",
        "pdf_keywords": "synchronisation matrix, rakor, ruas, STA, overlap",
    },
}


def text(key: str, lang: str) -> str:
    """The app's text ``key`` in ``lang``."""
    return APP_TEXT[check_language(lang)][key]


#: Every table of words, by part of the app: each has the same keys in both languages.
SECTIONS: Final[dict[str, dict[str, dict[str, str]]]] = {
    "app": APP_TEXT,
    "export": EXPORT_TEXT,
    "export_labels": EXPORT_LABELS,
    "workbook": WORKBOOK_TEXT,
    "static_map": STATIC_MAP_TEXT,
    "overlays": OVERLAY_TEXT,
    "project_map": PROJECT_MAP_TEXT,
    "orientation": ORIENTATION_TEXT,
    "viewport": VIEWPORT_TEXT,
    "pack": PACK_TEXT,
    "matrix": MATRIX_TEXT,
    "table_headers": TABLE_HEADERS,
    "columns": COLUMN_LABELS,
}


# --- the reader's report lines and errors, in the app's words ----------------------------------

#: (pattern, Indonesian, English) of the reader's English report lines and errors
#: (:mod:`geo.read.projects` and the modules it calls). Each pattern matches a *part* of a message
#: (messages are joined with ``; `` and start with the file or layer they are about), so a
#: message of several parts is translated part by part and file names are left alone. An
#: English template of None keeps geo's words. Command-line flags become the app's steps;
#: the command line keeps them. Named groups: ``asset`` (an asset type code) and ``level`` (a
#: level code) are written as words; the others are copied.
_MESSAGE_PATTERNS: Final[tuple[tuple[str, str, str | None], ...]] = (
    # what the synchronisation matrix leaves out (geo.analyse.matrix)
    (
        r"(?P<n>\d+) road work\(s\) lie on no ruas of the road network \(not located on it, "
        r"or no network\)",
        "{n} pekerjaan jalan tidak berada pada ruas jaringan jalan (tidak tertempatkan padanya, "
        "atau tidak ada jaringan)",
        None,
    ),
    (
        r"(?P<n>\d+) irrigation work\(s\) lie in no Daerah Irigasi \(or there is no D\.I\. "
        r"layer\)",
        "{n} pekerjaan irigasi tidak berada di Daerah Irigasi mana pun (atau tidak ada lapisan "
        "D.I.)",
        None,
    ),
    (
        r"(?P<n>\d+) bridge work\(s\) are not in the matrix \(it lists ruas and Daerah "
        r"Irigasi\)",
        "{n} pekerjaan jembatan tidak masuk matriks (matriks memuat ruas dan Daerah Irigasi)",
        None,
    ),
    (
        r"(?P<n>\d+) work\(s\) of level (?P<level>\w+) are not in the matrix \(its columns "
        r"are [\w, ]+\)",
        "{n} pekerjaan tingkat {level} tidak masuk matriks (kolomnya pusat, provinsi, "
        "kabupaten/kota)",
        "{n} work(s) of level {level} are not in the matrix (its columns are central, province, "
        "district/city)",
    ),
    (
        r"(?P<n>\d+) road work interval\(s\) shorter than (?P<m>[\d.]+) m on a ruas are not "
        r"rows of the matrix",
        "{n} selang pekerjaan jalan yang lebih pendek dari {m} m pada ruas tidak menjadi baris "
        "matriks",
        None,
    ),
    # record reasons (geo.read.records, geo.read.values)
    (r"asset type (?P<asset>\w+) from the name", "jenis aset {asset} dari nama paket", None),
    (
        r"asset type (?P<asset>\w+) from the geometry \((?P<kind>\w+)\)",
        "jenis aset {asset} dari geometri ({kind})",
        None,
    ),
    (
        r"asset type unclear: pass --asset or map a column with --map asset_type=COLUMN",
        "jenis aset tidak jelas: pilih jenis aset untuk semua baris (langkah 3) atau kolom "
        "jenis aset (langkah 2)",
        "asset type unclear: choose the asset type of every row (step 3) or an asset type "
        "column (step 2)",
    ),
    (
        r"road work given as one point \(geotagging rule for works under 500 m\)",
        "pekerjaan jalan diberikan sebagai satu titik (aturan geotagging untuk pekerjaan di "
        "bawah 500 m)",
        None,
    ),
    (
        r"irrigation work given as one point \(geotagging rule\): stored as a point, compared "
        r"by the Daerah Irigasi it lies in once D\.I\. are loaded",
        "pekerjaan irigasi diberikan sebagai satu titik (aturan geotagging): disimpan sebagai "
        "titik, dibandingkan menurut Daerah Irigasi tempatnya setelah D.I. dimuat",
        None,
    ),
    (
        r"bridge drawn as a line \(~(?P<m>\d+) m\): stored as its midpoint",
        "jembatan digambar sebagai garis (~{m} m): disimpan sebagai titik tengahnya",
        None,
    ),
    (
        r"bridge drawn as a line of ~(?P<m>\d+) m: expected a point",
        "jembatan digambar sebagai garis ~{m} m: seharusnya titik",
        None,
    ),
    (
        r"(?P<asset>road|bridge|irrigation) needs a (?P<wanted>[\w ]+?) geometry, got a "
        r"(?P<kind>\w+) geometry",
        "{asset} memerlukan geometri {wanted}, berkas memberi geometri {kind}",
        None,
    ),
    (r"no project id in column (?P<col>'[^']*')", "kode paket kosong di kolom {col}", None),
    (
        r"no agency in column (?P<col>'[^']*'); pass --agency",
        "instansi kosong di kolom {col}; isi instansi untuk semua baris (langkah 3)",
        "no agency in column {col}; fill in the agency of every row (step 3)",
    ),
    (
        r"no level in column (?P<col>'[^']*'); pass --level",
        "tingkat pemerintahan kosong di kolom {col}; pilih tingkat untuk semua baris (langkah 3)",
        "no level in column {col}; choose the level of every row (step 3)",
    ),
    (r"no year in column (?P<col>'[^']*')", "tahun kosong di kolom {col}", None),
    (
        r"year_end (?P<end>\d+) is before year_start (?P<start>\d+)",
        "tahun selesai {end} sebelum tahun mulai {start}",
        None,
    ),
    (
        r"(?P<v>'[^']*') is not an amount in rupiah \(write e\.g\. 1\.250\.000,00\)",
        "{v} bukan jumlah rupiah (tulis mis. 1.250.000,00)",
        None,
    ),
    (r"(?P<v>'[^']*') is not an amount", "{v} bukan jumlah uang", None),
    (
        r"(?P<v>'[^']*') is not a year \(write e\.g\. 2025 or 2024-2026\)",
        "{v} bukan tahun (tulis mis. 2025 atau 2024-2026)",
        None,
    ),
    (
        r"(?P<v>'[^']*') is not a year between 1950 and 2100",
        "{v} bukan tahun antara 1950 dan 2100",
        None,
    ),
    (
        r"(?P<v>'[^']*') is not a coordinate \(write e\.g\. -1\.644926 or -1,644926\)",
        "{v} bukan koordinat (tulis mis. -1.644926 atau -1,644926)",
        None,
    ),
    (
        r"(?P<v>'[^']*') is not a level; use pusat, provinsi, kabupaten or desa",
        "{v} bukan tingkat pemerintahan; gunakan pusat, provinsi, kabupaten atau desa",
        None,
    ),
    (
        r"(?P<v>'[^']*') is not an asset type; use jalan, jembatan or irigasi",
        "{v} bukan jenis aset; gunakan jalan, jembatan atau irigasi",
        None,
    ),
    (
        r"level unclear \((?P<said>[^)]*)\); pass --level or map a level column",
        "tingkat pemerintahan tidak jelas ({said}); pilih tingkat untuk semua baris (langkah 3) "
        "atau kolom tingkat (langkah 2)",
        "level unclear ({said}); choose the level of every row (step 3) or a level column (step 2)",
    ),
    (
        r"no level: the agency and funding source do not name one; pass --level",
        "tingkat pemerintahan tidak diketahui: instansi dan sumber dana tidak menyebutnya; pilih "
        "tingkat untuk semua baris (langkah 3)",
        "no level: the agency and funding source do not name one; choose the level of every "
        "row (step 3)",
    ),
    # file-level notes and errors (geo.read.projects, geo.read.records, geo.read.tabular, geo.read.crs_detect, ...)
    (
        r"no column for level; taken per record from the agency or funding source where they "
        r"name it \(pass --level or --map level=COLUMN to set it\)",
        "tidak ada kolom tingkat pemerintahan; diambil per catatan dari instansi atau sumber "
        "dana yang menyebutnya (untuk menetapkannya pilih tingkat untuk semua baris di langkah "
        "3 atau kolom tingkat di langkah 2)",
        "no column for level; taken per record from the agency or funding source where they "
        "name it (to set it, choose the level of every row in step 3 or a level column in "
        "step 2)",
    ),
    (
        r"no column for agency; pass --agency VALUE or --map agency=COLUMN",
        "tidak ada kolom instansi; isi 'Instansi untuk semua baris' (langkah 3) atau pilih "
        "kolom instansi (langkah 2)",
        "no column for agency; fill in 'Agency of every row' (step 3) or choose the agency "
        "column (step 2)",
    ),
    (
        r"no column for level; pass --level VALUE or --map level=COLUMN",
        "tidak ada kolom tingkat pemerintahan; pilih 'Tingkat untuk semua baris' (langkah 3) "
        "atau kolom tingkat (langkah 2)",
        "no column for level; choose 'Level of every row' (step 3) or the level column (step 2)",
    ),
    (
        r"(?P<n>\d+) records with no (?P<label>[\w ]+) in column (?P<col>'[^']*') \(empty, "
        r"'-' or 'n/a'\): stored without one",
        "{n} catatan tanpa {label} di kolom {col} (kosong, '-' atau 'n/a'): disimpan tanpanya",
        None,
    ),
    (
        r"no id column \(kode paket\); ids made from row numbers as (?P<ids>'[^']*') — map "
        r"one with --map project_id=COLUMN",
        "tidak ada kolom kode paket; kode dibuat dari nomor baris sebagai {ids} — pilih kolom "
        "kode paket (langkah 2)",
        "no id column (kode paket); ids made from row numbers as {ids} — choose the package "
        "code column (step 2)",
    ),
    (
        r"location from column\(s\) (?P<cols>.+)$",
        "lokasi dari kolom {cols}",
        None,
    ),
    (
        r"location from ruas and STA columns \(placed on the road network\)",
        "lokasi dari kolom ruas dan STA (ditempatkan pada jaringan jalan)",
        None,
    ),
    (
        r"no CRS in the file; coordinates are degrees inside Indonesia, taken as EPSG:4326 "
        r"\(WGS 84\) — pass --crs if that is wrong",
        "berkas tidak menyatakan sistem koordinat; koordinatnya derajat di dalam wilayah "
        "Indonesia, dibaca sebagai EPSG:4326 (WGS 84) — isi kolom CRS bila itu keliru",
        "no CRS in the file; coordinates are degrees inside Indonesia, taken as EPSG:4326 "
        "(WGS 84) — fill in the CRS field if that is wrong",
    ),
    (
        r"no CRS in the file; (?P<crs>.+?) from --crs used",
        "berkas tidak menyatakan sistem koordinat; {crs} dari kolom CRS dipakai",
        "no CRS in the file; {crs} from the CRS field used",
    ),
    (
        r"the file says (?P<a>.+?); (?P<b>.+?) from --crs used instead",
        "berkas menyatakan {a}; {b} dari kolom CRS dipakai",
        "the file says {a}; {b} from the CRS field used instead",
    ),
    (
        r"(?P<n>\d+) records given as start and end points joined by a straight line \(no road "
        r"network given: the road itself may run elsewhere; pass --roads\)",
        "{n} catatan berupa titik awal dan akhir yang dihubungkan garis lurus (belum ada "
        "jaringan jalan acuan: jalannya sendiri mungkin melintas di tempat lain; administrator "
        "memuat jaringan jalan dengan python -m geo reference roads)",
        "{n} records given as start and end points joined by a straight line (no road network "
        "loaded: the road itself may run elsewhere; an administrator loads one with "
        "python -m geo reference roads)",
    ),
    (
        r"(?P<n>\d+) records given as start and end points placed along the road network; "
        r"(?P<k>\d+) kept as straight lines",
        "{n} catatan berupa titik awal dan akhir ditempatkan di sepanjang jaringan jalan; {k} "
        "tetap garis lurus",
        None,
    ),
    (
        r"placed along the road network \((?P<m>[\d,]+) m\)",
        "ditempatkan di sepanjang jaringan jalan ({m} m)",
        None,
    ),
    (r"kept as a straight line: ", "tetap garis lurus: ", None),
    (
        r"not UTF-8; read as (?P<enc>[\w-]+)",
        "bukan UTF-8; dibaca sebagai {enc}",
        None,
    ),
    (
        r"header found on row (?P<row>\d+); rows above it skipped as titles",
        "judul kolom ditemukan di baris {row}; baris di atasnya dilewati sebagai judul",
        None,
    ),
    (
        r"\.shx missing; index rebuilt from the \.shp",
        ".shx tidak ada; indeks dibangun ulang dari .shp",
        None,
    ),
    (
        r"no \.cpg; text encoding detected as (?P<enc>[\w-]+)",
        "tidak ada .cpg; pengodean teks terdeteksi sebagai {enc}",
        None,
    ),
    (
        r"the \.cpg says (?P<a>[\w-]+) but the text is not; read as (?P<b>[\w-]+) \(check names "
        r"with accents or dashes\)",
        ".cpg menyatakan {a} tetapi teksnya bukan; dibaca sebagai {b} (periksa nama beraksen "
        "atau bertanda pisah)",
        None,
    ),
    (
        r"(?P<dims>[ZM/ and]+) values dropped from (?P<n>\d+) records \(Peta Sinergi works in "
        r"2-D\)",
        "nilai {dims} dibuang dari {n} catatan (Peta Sinergi bekerja dalam 2-D)",
        None,
    ),
    (r"no features; not read", "tidak ada fitur; tidak dibaca", None),
    (r"table without geometry; not read", "tabel tanpa geometri; tidak dibaca", None),
    (r"no location columns; sheet not read", "tidak ada kolom lokasi; lembar tidak dibaca", None),
    (r"not a supported format; not read", "format tidak didukung; tidak dibaca", None),
    (
        r"(?P<found>.+?) read from the description text",
        "{found} dibaca dari teks deskripsi",
        None,
    ),
    (
        r"no location columns found; add WKT \(wkt/geometri\), lon/lat \(bujur/lintang\) or "
        r"start/end columns \(bujur_awal, lintang_awal, bujur_akhir, lintang_akhir\)",
        "tidak ada kolom lokasi; tambahkan WKT (wkt/geometri), bujur/lintang atau kolom awal/akhir "
        "(bujur_awal, lintang_awal, bujur_akhir, lintang_akhir)",
        None,
    ),
    (r"no layer with features found", "tidak ada lapisan yang berisi fitur", None),
    (
        r"the zip holds no shapefile or other supported file",
        "zip tidak berisi shapefile atau berkas lain yang didukung",
        None,
    ),
    (
        r"check that the file opens in QGIS or re-export it",
        "periksa bahwa berkas terbuka di QGIS atau ekspor ulang",
        None,
    ),
    (r"cannot be read \(", "tidak dapat dibaca (", None),
    (
        r"nothing stored — every one of its (?P<n>\d+) records was rejected \(reasons in the "
        r"report above\); correct the file or the column mapping and import it again",
        "tidak ada yang disimpan — seluruh {n} catatannya ditolak (alasannya ada di laporan di "
        "atas); perbaiki berkas atau pemetaan kolom lalu impor lagi",
        None,
    ),
    # rights and reviews (geo.auth, geo.store)
    (
        r"(?P<who>\S+) may only view; ask an administrator for an editor account",
        "{who} hanya dapat melihat; mintalah akun penyunting kepada administrator",
        None,
    ),
    (
        r"(?P<who>\S+) edits for (?P<own>.+?) only, not for (?P<others>.+?); the agency's own "
        r"editor \(or an administrator\) must do it",
        "{who} menyunting untuk {own} saja, bukan untuk {others}; penyunting instansi itu "
        "sendiri (atau administrator) yang harus melakukannya",
        None,
    ),
    (
        r"(?P<who>\S+) reviews findings of (?P<own>.+?) only; this one is between "
        r"(?P<between>.+)$",
        "{who} meninjau temuan {own} saja; temuan ini antara {between}",
        None,
    ),
    (
        r"only an administrator may do this, not (?P<who>\S+) \((?P<role>\w+)\)",
        "hanya administrator yang boleh melakukannya, bukan {who} ({role})",
        None,
    ),
    (
        r"the finding is out of date: reload the page and review a current finding",
        "temuan ini sudah usang: muat ulang halaman dan tinjau temuan yang terkini",
        None,
    ),
    (r"^review of (?P<id>\S+):", "tinjauan {id}:", None),
    # what is left of the command line's flags, in the app's steps
    (
        r"--map (?P<field>\w+)=COLUMN",
        "pilih kolom di langkah 2 (pemetaan kolom)",
        "choose the column in step 2 (column mapping)",
    ),
    (
        r"pass --level",
        "pilih tingkat untuk semua baris (langkah 3)",
        "choose the level of every row (step 3)",
    ),
    (
        r"pass --agency",
        "isi instansi untuk semua baris (langkah 3)",
        "fill in the agency of every row (step 3)",
    ),
    (
        r"pass --asset",
        "pilih jenis aset untuk semua baris (langkah 3)",
        "choose the asset type of every row (step 3)",
    ),
    (r"pass --crs", "isi kolom CRS", "fill in the CRS field"),
    # the store (geo.store.gpkg)
    (
        r"not a GeoPackage store; set PETA_STORE to a Peta Sinergi store or move this file "
        r"away so a new store is made there",
        "bukan berkas penyimpanan GeoPackage; atur PETA_STORE ke penyimpanan Peta Sinergi atau "
        "pindahkan berkas ini agar penyimpanan baru dibuat di sana",
        None,
    ),
    # spreadsheets (geo.read.tabular)
    (
        r"not a readable Excel workbook \((?P<why>[^;]*)\); open it in Excel or LibreOffice "
        r"and save it again as \.xlsx",
        "bukan buku kerja Excel yang dapat dibaca ({why}); buka di Excel atau LibreOffice lalu "
        "simpan lagi sebagai .xlsx",
        None,
    ),
    (
        r"not a readable CSV file \((?P<why>[^;]*)\); save it again as CSV from Excel or "
        r"LibreOffice",
        "bukan berkas CSV yang dapat dibaca ({why}); simpan lagi sebagai CSV dari Excel atau "
        "LibreOffice",
        None,
    ),
    # proposal lists (geo.read.proposals)
    (
        r"no proposal columns found; the header needs a location column \(kode ruas, nama "
        r"ruas, STA awal/akhir, desa, kecamatan or nama D\.I\.\) and one more known column "
        r"\(tahun, pagu, usulan dari, \.\.\.\)",
        "kolom usulan tidak ditemukan; baris judul kolom perlu satu kolom lokasi (kode ruas, "
        "nama ruas, STA awal/akhir, desa, kecamatan atau nama D.I.) dan satu kolom lain yang "
        "dikenal (tahun, pagu, usulan dari, ...)",
        None,
    ),
    (
        r"no location column; add kode ruas or nama ruas \(with STA awal/akhir or panjang\), "
        r"desa or kecamatan",
        "tidak ada kolom lokasi; tambahkan kode ruas atau nama ruas (dengan STA awal/akhir atau "
        "panjang), desa atau kecamatan",
        None,
    ),
    (
        r"a proposal list is read from \.xlsx or \.csv; save it as one of them",
        "daftar usulan dibaca dari .xlsx atau .csv; simpan sebagai salah satunya",
        None,
    ),
)
_COMPILED_MESSAGES: Final = tuple(
    (re.compile(pattern), {"id": id_text, "en": en_text})
    for pattern, id_text, en_text in _MESSAGE_PATTERNS
)


def _message_word(group: str, value: str, lang: str) -> str:
    if group == "asset":
        return value_label("asset", value, lang).lower()
    if group == "level":
        return value_label("level", value, lang)
    if group == "kind":
        return value_label("geometry", value, lang)
    return value


def translate_message(message: str, lang: str = "id") -> str:
    """A reader's report line or error (English, written for the command line) in ``lang``,
    in the app's words: what to choose in the upload steps rather than which flag to pass.
    File, layer and column names are kept as written; a part no pattern knows stays English.

    >>> translate_message("a.xlsx: no column for agency; pass --agency VALUE or --map agency=COLUMN", "en")
    "a.xlsx: no column for agency; fill in 'Agency of every row' (step 3) or choose the agency column (step 2)"
    >>> translate_message("asset type road from the name")
    'jenis aset jalan dari nama paket'
    """
    lang = check_language(lang)
    text = str(message)
    for pattern, templates in _COMPILED_MESSAGES:
        template = templates[lang]
        if template is None:
            continue

        def fill(match: re.Match[str], template: str = template) -> str:
            words = {k: _message_word(k, v or "", lang) for k, v in match.groupdict().items()}
            return template.format(**words)

        text = pattern.sub(fill, text)
    return text


def translate_messages(messages: list[str] | tuple[str, ...], lang: str = "id") -> list[str]:
    """:func:`translate_message` of each message."""
    return [translate_message(m, lang) for m in messages]


def untranslated(message: str) -> bool:
    """Whether an Indonesian message still holds a command-line flag (``--agency``, ...)."""
    return bool(re.search(r"(?<![\w-])--[a-z]", message))


# --- the reasons of a proposal check, for the app ----------------------------------------------

#: Words of the reasons :func:`geo.analyse.proposals.check_proposals` writes (Bahasa Indonesia,
#: for the meeting) that name a level, a road status or a unit kind, in English.
_REASON_WORDS_EN: Final[dict[str, str]] = {
    "Pemerintah Pusat": "the central government",
    "provinsi": "province",
    "kabupaten/kota": "district/city",
    "desa": "village",
    "kecamatan": "subdistrict",
    "nasional": "national",
    "kabupaten": "district",
}
#: (pattern, English) of each part of a reason, most specific first. ``{w}`` groups are
#: words of :data:`_REASON_WORDS_EN`; the others are copied (codes, names, rules as written).
_REASON_PATTERNS_EN: Final[tuple[tuple[str, str], ...]] = (
    (
        r"tidak ada tumpang tindih dengan pekerjaan lain dan kewenangan sesuai",
        "no overlap with other work, and the authority is right",
    ),
    (r"tidak dapat ditempatkan: ", "cannot be placed: "),
    (
        r": tumpang tindih dan kewenangan di ruas tidak dapat diperiksa",
        ": overlaps and authority on a ruas cannot be checked",
    ),
    (r"lokasi hanya sampai (?P<w1>desa|kecamatan) ", "located only as far as the {w1} "),
    (
        r"kewenangan: ruas (?P<ruas>.+?) berstatus jalan (?P<status>\w+), diusulkan oleh "
        r"(?P<w2>Pemerintah Pusat|provinsi|kabupaten/kota|desa)",
        "authority: ruas {ruas} is a {status} road, proposed by {w2}",
    ),
    (
        r"ruas (?P<ruas>.+?) berstatus jalan (?P<status>\w+), diusulkan oleh "
        r"(?P<w2>Pemerintah Pusat|provinsi|kabupaten/kota|desa): pengecualian sah",
        "ruas {ruas} is a {status} road, proposed by {w2}: a legitimate exception",
    ),
    (
        r"kewenangan tidak diperiksa: jaringan jalan tanpa kode ruas dan status",
        "authority not checked: the road network has no ruas codes and statuses",
    ),
    (
        r"kewenangan tidak dapat diperiksa: status jalan di lokasi ini tidak diketahui",
        "authority cannot be checked: the road status here is not known",
    ),
    (
        r"kewenangan: (?P<di>D\.I\. .+?) kewenangan (?P<w1>Pemerintah Pusat|provinsi|"
        r"kabupaten/kota), diusulkan oleh (?P<w2>Pemerintah Pusat|provinsi|kabupaten/kota|desa)",
        "authority: {di} is under {w1}, proposed by {w2}",
    ),
    (
        r"^(?P<di>D\.I\. .+?) kewenangan (?P<w1>Pemerintah Pusat|provinsi|kabupaten/kota), "
        r"diusulkan oleh (?P<w2>Pemerintah Pusat|provinsi|kabupaten/kota|desa): pengecualian sah",
        "{di} is under {w1}, proposed by {w2}: a legitimate exception",
    ),
    (r"tumpang tindih di (?P<di>D\.I\. .+?) dengan ", "overlap in {di} with "),
    (r"tumpang tindih (?P<km>[\d.,]+) km dengan ", "overlap of {km} km with "),
    (
        r"\((?P<who>[^,()]+), (?P<w1>Pemerintah Pusat|provinsi|kabupaten/kota|desa), ",
        "({who}, {w1}, ",
    ),
    (r"usulan lain dalam daftar ini", "another proposal of this list"),
    (r"status tidak diisi", "status not given"),
    (r"pagu tidak diisi", "budget not given"),
    (r"pagu (?P<rp>Rp [\d.]+)", "budget {rp}"),
    (r"\) di ruas ", ") on ruas "),
    (r", tahun yang sama", ", the same year"),
    (r", selisih (?P<n>\d+) tahun", ", {n} apart"),
    (r", tahun tidak diketahui", ", year not known"),
    (r"\(tingkat yang sama: usulan ganda\?\)", "(the same level: a double proposal?)"),
    (r"ruas dikenali dari nama ", "ruas recognised from the name "),
    (r"D\.I\. dikenali dari nama ", "D.I. recognised from the name "),
    (r"D\.I\. nama ", "D.I. named "),
    (
        r" tidak ditemukan dengan pasti di data Daerah Irigasi",
        " not found for certain among the irrigation areas",
    ),
    (
        r"tidak ada data Daerah Irigasi untuk mencari D\.I\. \(--irrigation\)",
        "the store has no irrigation areas (D.I.) to find it in",
    ),
    (r"STA tidak diisi: ditempatkan pada seluruh ruas", "no STA given: placed on the whole ruas"),
    (r" melewati ujung ruas ", " runs past the end of ruas "),
    (r": ditempatkan pada seluruh ruas", ": placed on the whole ruas"),
    (
        r"panjang usulan (?P<a>[\d.,]+) km dari ruas sepanjang (?P<b>[\d.,]+) km",
        "proposed length {a} km of a ruas {b} km long",
    ),
    (
        r"panjang usulan (?P<a>[\d.,]+) km, STA (?P<b>[\d.,]+) km",
        "proposed length {a} km, STA {b} km",
    ),
    (r" tidak tersambung menjadi satu garis", " does not join into one line"),
    (
        r"tidak ada jaringan jalan untuk mencari ruas \(--roads\)",
        "the store has no road network to find the ruas on",
    ),
    (
        r"tidak ada batas wilayah \(desa/kecamatan\) untuk menempatkan \(--units\)",
        "the store has no village or subdistrict boundaries to place it in",
    ),
    (
        r"tidak ada kode/nama ruas, desa atau kecamatan",
        "no ruas code or name, village or subdistrict",
    ),
    (
        r"batas wilayah tidak memuat (?P<w1>desa|kecamatan) \(dicari (?P<w2>desa|kecamatan) ",
        "the boundaries hold no {w1} (looked for {w2} ",
    ),
    (
        r"(?P<w1>desa|kecamatan) (?P<name>'[^']*'|\"[^\"]*\") ada lebih dari satu: isi "
        r"kabupaten/kota",
        "there is more than one {w1} {name}: fill in the district/city",
    ),
    (
        r"(?P<w1>desa|kecamatan) (?P<name>'[^']*'|\"[^\"]*\") tidak ada di batas wilayah",
        "{w1} {name} is not in the boundaries",
    ),
    (
        r"ruas kode (?P<code>'[^']*'|\"[^\"]*\") / nama ",
        "ruas code {code} / name ",
    ),
    (r"ruas nama ", "ruas name "),
    (r" tidak ditemukan dengan pasti di jaringan jalan", " not found for certain on the network"),
    (
        r"ruas dengan kode (?P<code>'[^']*'|\"[^\"]*\") tidak ada di jaringan jalan",
        "no ruas with code {code} on the road network",
    ),
    (r"STA awal atau akhir tidak diisi", "STA start or end not given"),
    (r"STA (?P<sta>'[^']*'|\"[^\"]*\") tidak terbaca", "STA {sta} not readable"),
    (r"\b(?P<field>tahun|pagu) tidak terbaca", "{field} not readable"),
    (
        r"tingkat pengusul tidak diketahui \(isi kolom usulan dari/kewenangan, atau --level\)",
        "the proposing level is not known (fill in the proposed-by or authority column, or "
        "choose the level of every row above the list)",
    ),
)
_REASON_PATTERNS_ID: Final[tuple[tuple[str, str], ...]] = (
    (
        r"\(isi kolom usulan dari/kewenangan, atau --level\)",
        "(isi kolom usulan dari/kewenangan, atau pilih tingkat semua baris di atas daftar)",
    ),
    (r" \(--roads\)", ""),
    (r" \(--units\)", ""),
    (r" \(--irrigation\)", ""),
)
_COMPILED_REASONS: Final = {
    "en": tuple((re.compile(p), t) for p, t in _REASON_PATTERNS_EN),
    "id": tuple((re.compile(p), t) for p, t in _REASON_PATTERNS_ID),
}
_WORDS_EN: Final = {"tahun": "year", "pagu": "budget"}


def translate_reasons(reasons: str, lang: str = "id") -> str:
    """The reasons of a checked proposal row (``; ``-separated, written in Bahasa Indonesia
    for the meeting by :func:`geo.analyse.proposals.check_proposals`) in ``lang``, in the
    app's words: no command-line flags; in English, the numbers written the English way.
    Codes, names and the rules cited stay as written.

    >>> translate_reasons("tumpang tindih 1,50 km dengan U-3 (Dinas X, provinsi, 2025, "
    ...     "usulan lain dalam daftar ini, pagu Rp 3.000.000.000) di ruas P-001 STA 13+500 - "
    ...     "15+000, tahun yang sama", "en")
    'overlap of 1.50 km with U-3 (Dinas X, province, 2025, another proposal of this list, budget Rp 3,000,000,000) on ruas P-001 STA 13+500 - 15+000, the same year'
    """
    lang = check_language(lang)
    # Part by part: each pattern meets a short text (a row may meet a hundred works).
    return "; ".join(_translated_reason(part, lang) for part in str(reasons).split("; "))


def _translated_reason(text: str, lang: str) -> str:
    """One part of :func:`translate_reasons`."""
    for pattern, template in _COMPILED_REASONS[lang]:

        def fill(match: re.Match[str], template: str = template) -> str:
            words = {}
            for key, value in match.groupdict().items():
                value = value or ""
                if key.startswith("w"):
                    value = _REASON_WORDS_EN.get(value, value)
                elif key in ("km", "a", "b"):
                    value = value.replace(".", "\x00").replace(",", ".").replace("\x00", ",")
                elif key == "rp":
                    value = value.replace(".", ",")
                elif key == "field":
                    value = _WORDS_EN.get(value, value)
                elif key == "status":
                    value = value_label("road_status", value, lang)
                elif key == "n":
                    value = f"{value} year" + ("" if value == "1" else "s")
                words[key] = value
            return template.format(**words)

        text = pattern.sub(fill, text)
    return text
