"""The one text catalogue (layers/words.py): both languages complete, values in words, the
reader's English messages in the app's words, numbers and times by the app's language."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geo.errors import GeoInputError
from geo.export.workbook import SHEETS
from geo.read.projects import read_projects
from geo.settings import Settings
from layers.formatting import format_percent, format_rupiah, format_time
from layers.tables import audit_detail, report_table
from layers.words import (
    COLUMN_LABELS,
    SECTIONS,
    SETTING_LABELS,
    SHEET_NAMES_EN,
    VALUES,
    translate_message,
    translate_reasons,
    untranslated,
    value_label,
)

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "samples"


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_every_section_has_the_same_words_in_both_languages(section):
    table = SECTIONS[section]
    assert set(table["id"]) == set(table["en"])
    assert all(text.strip() for lang in ("id", "en") for text in table[lang].values())


@pytest.mark.parametrize("vocabulary", sorted(VALUES))
def test_every_vocabulary_has_both_languages(vocabulary):
    assert set(VALUES[vocabulary]["id"]) == set(VALUES[vocabulary]["en"])


def test_severity_is_prioritas_never_the_word_for_a_level():
    for section in ("overlays", "table_headers", "columns"):
        assert SECTIONS[section]["id"]["severity"] == "Prioritas"
    assert value_label("severity", "high") == "tinggi"
    assert value_label("action", "sign_in_failed") == "gagal masuk"
    assert value_label("action", "replace_reference", "en") == "replace reference layer"


def test_the_workbook_sheets_have_english_names():
    assert set(SHEET_NAMES_EN) == set(SHEETS)
    assert all(len(name) <= 31 for name in SHEET_NAMES_EN.values())


def test_every_setting_has_words():
    fields = set(Settings.__dataclass_fields__)
    assert set(SETTING_LABELS["id"]) == fields == set(SETTING_LABELS["en"])


def _sample_messages() -> list[str]:
    """Every report line, reason and error the reader gives for the agencies' sample files,
    read as the upload page reads them (with and without the options of step 3)."""
    messages: list[str] = []
    for name in sorted(
        p.name for p in SAMPLES.iterdir() if p.suffix in {".zip", ".csv", ".xlsx", ".kmz"}
    ):
        for options in ({}, {"level": "pusat"}, {"level": "kabupaten", "agency": "Dinas"}):
            try:
                result = read_projects(SAMPLES / name, **options)
            except GeoInputError as error:
                messages += error.problems
                continue
            messages += result.report.notes
            messages += [r.reason for r in result.report.records if r.reason]
    return sorted(set(messages))


def test_the_readers_messages_about_the_sample_files_read_in_the_apps_words():
    messages = _sample_messages()
    assert any("pass --agency VALUE or --map agency=COLUMN" in m for m in messages)
    assert "asset type road from the name" in messages
    english_words = ("pass ", "--", " from the name", "no column for", "records given as")
    for message in messages:
        indonesian = translate_message(message, "id")
        english = translate_message(message, "en")
        assert not untranslated(indonesian) and not untranslated(english), message
        assert not any(word in indonesian for word in english_words), indonesian
    assert translate_message("asset type road from the name") == "jenis aset jalan dari nama paket"
    assert (
        translate_message(
            "review of TT-1: kab04 reviews findings of Dinas A only; this one is between B and C"
        )
        == "tinjauan TT-1: kab04 meninjau temuan Dinas A saja; temuan ini antara B and C"
    )
    assert "step 3" in translate_message(
        "a.kmz: no column for agency; pass --agency VALUE or --map agency=COLUMN", "en"
    )


def test_the_import_report_reads_in_indonesian():
    result = read_projects(SAMPLES / "bpjn_jambi_2025.zip", level="pusat")
    table = report_table(result.report.to_frame())
    assert list(table.columns) == ["Lapisan", "Baris", "Kode paket", "Hasil", "Alasan / catatan"]
    assert set(table["Hasil"]) <= {"tersimpan", "diperbaiki", "ditolak"}
    assert "jenis aset jalan dari nama paket" in set(table["Alasan / catatan"])
    assert "English" not in table.to_string() and "stored" not in table.to_string()


def test_numbers_and_times_follow_the_apps_language():
    assert format_rupiah(64_874_549_007.4) == "Rp 64.874.549.007"
    assert format_rupiah(64_874_549_007.4, "en") == "Rp 64,874,549,007"
    assert format_percent(0.5) == "50,0 %" and format_percent(None) == "–"
    assert format_time("2026-01-05T23:30:00+00:00") == "6 Jan 2026 06.30 WIB"
    assert format_time("2026-01-05T23:30:00+00:00", "en", zone="WIT") == "6 Jan 2026, 08:30 WIT"
    assert format_time("2026-01-05 23:30", zone="Asia/Makassar").endswith("07.30 WITA")
    assert audit_detail('{"decision": "dismiss", "note": "sudah"}', "en") == (
        "Decision: dismissed · Note: sudah"
    )
    decision = (
        '{"kind": "proposal", "subject_id": "US-0a1b2c3d4e5f", "decision": "Ditolak", "note": "x"}'
    )
    assert audit_detail(decision, "id") == (
        "Keputusan atas: usulan · Kode baris: US-0a1b2c3d4e5f · Keputusan: Ditolak · Keterangan: x"
    )
    assert audit_detail(decision, "en") == (
        "Decision on: proposal · Row code: US-0a1b2c3d4e5f · Decision: Rejected · Note: x"
    )


def test_column_labels_cover_what_a_person_reads():
    for column in ("project_id", "budget_idr", "at", "who", "role", "action", "outcome", "reason"):
        assert COLUMN_LABELS["id"][column] != column and COLUMN_LABELS["en"][column] != column


def test_fast_grouping_writes_what_babel_writes():
    from babel.numbers import format_decimal

    from layers.formatting import grouped

    rng = np.random.default_rng(3)
    values = [0.0, -0.0, 0.5, 1.5, -2.25, 999.995, 1234.5, -1234567.125, 64_874_549_007.4]
    values += list(rng.uniform(-1e9, 1e12, 200)) + list(rng.uniform(-5, 5, 200))
    for lang, locale in (("id", "id_ID"), ("en", "en_US")):
        for digits in (0, 1, 2, 3):
            pattern = "#,##0" + ("." + "0" * digits if digits else "")
            for value in values:
                babel = format_decimal(value, format=pattern, locale=locale)
                assert grouped(value, digits, lang) == babel, (value, digits, lang)


@pytest.mark.parametrize(
    ("reason", "english"),
    [
        (
            "tidak dapat ditempatkan: tidak ada jaringan jalan untuk mencari ruas (--roads), "
            "tidak ada batas wilayah (desa/kecamatan) untuk menempatkan (--units)",
            "cannot be placed: the store has no road network to find the ruas on, the store "
            "has no village or subdistrict boundaries to place it in",
        ),
        (
            "lokasi hanya sampai kecamatan Kumpeh Ulu (15.05.06): tumpang tindih dan "
            "kewenangan di ruas tidak dapat diperiksa",
            "located only as far as the subdistrict Kumpeh Ulu (15.05.06): overlaps and "
            "authority on a ruas cannot be checked",
        ),
        (
            "kewenangan: ruas P-001 berstatus jalan provinsi, diusulkan oleh kabupaten/kota "
            "(UU 2/2022 jo. PP 34/2006: jalan provinsi kewenangan Pemerintah Provinsi)",
            "authority: ruas P-001 is a provincial road, proposed by district/city (UU 2/2022 "
            "jo. PP 34/2006: jalan provinsi kewenangan Pemerintah Provinsi)",
        ),
        (
            "ruas K-034 berstatus jalan kabupaten, diusulkan oleh Pemerintah Pusat: "
            "pengecualian sah (IJD)",
            "ruas K-034 is a district road, proposed by the central government: a legitimate "
            "exception (IJD)",
        ),
        (
            "kewenangan tidak dapat diperiksa: status jalan di lokasi ini tidak diketahui",
            "authority cannot be checked: the road status here is not known",
        ),
        (
            "STA 9+000 - 12+000 melewati ujung ruas K-034 (STA 5+000): ditempatkan pada "
            "seluruh ruas",
            "STA 9+000 - 12+000 runs past the end of ruas K-034 (STA 5+000): placed on the "
            "whole ruas",
        ),
        (
            "panjang usulan 2,50 km dari ruas sepanjang 1.005,00 km",
            "proposed length 2.50 km of a ruas 1,005.00 km long",
        ),
        ("panjang usulan 1,00 km, STA 2,50 km", "proposed length 1.00 km, STA 2.50 km"),
        (
            "tidak dapat ditempatkan: ruas kode 'X-9' / nama 'Jalan Entah' tidak ditemukan "
            "dengan pasti di jaringan jalan",
            "cannot be placed: ruas code 'X-9' / name 'Jalan Entah' not found for certain on "
            "the network",
        ),
        (
            "tidak dapat ditempatkan: ruas dengan kode 'X-9' tidak ada di jaringan jalan",
            "cannot be placed: no ruas with code 'X-9' on the road network",
        ),
        (
            "tidak dapat ditempatkan: kecamatan 'Kumpeh' ada lebih dari satu: isi kabupaten/kota",
            "cannot be placed: there is more than one subdistrict 'Kumpeh': fill in the "
            "district/city",
        ),
        (
            "tidak dapat ditempatkan: desa 'Entah' tidak ada di batas wilayah",
            "cannot be placed: village 'Entah' is not in the boundaries",
        ),
        (
            "STA awal atau akhir tidak diisi; pagu tidak terbaca (x); tingkat pengusul tidak "
            "diketahui (isi kolom usulan dari/kewenangan, atau --level)",
            "STA start or end not given; budget not readable (x); the proposing level is not "
            "known (fill in the proposed-by or authority column, or choose the level of every "
            "row above the list)",
        ),
        (
            "tumpang tindih 12,00 km dengan P-1 (BPJN, Pemerintah Pusat, 2025, status tidak "
            "diisi, pagu tidak diisi) di ruas N-001 STA 0+000 - 12+000, tahun tidak diketahui",
            "overlap of 12.00 km with P-1 (BPJN, the central government, 2025, status not "
            "given, budget not given) on ruas N-001 STA 0+000 - 12+000, year not known",
        ),
        (
            "tumpang tindih 3,00 km dengan P-2 (Dinas PUPR Provinsi Contoh, provinsi, 2024, "
            "selesai, pagu Rp 4.245.000.000) di ruas P-001 STA 8+623 - 11+623, selisih 1 tahun "
            "(tingkat yang sama: usulan ganda?); ruas dikenali dari nama 'Simp. Contoh'",
            "overlap of 3.00 km with P-2 (Dinas PUPR Provinsi Contoh, province, 2024, selesai, "
            "budget Rp 4,245,000,000) on ruas P-001 STA 8+623 - 11+623, 1 year apart (the same "
            "level: a double proposal?); ruas recognised from the name 'Simp. Contoh'",
        ),
        (
            "kewenangan: D.I. Batang Hari (DI-01) kewenangan Pemerintah Pusat, diusulkan oleh "
            "kabupaten/kota (Permen PUPR 14/2015: D.I. > 3.000 ha kewenangan Pemerintah Pusat); "
            "D.I. dikenali dari nama 'DI Batang Hri'",
            "authority: D.I. Batang Hari (DI-01) is under the central government, proposed by "
            "district/city (Permen PUPR 14/2015: D.I. > 3.000 ha kewenangan Pemerintah Pusat); "
            "D.I. recognised from the name 'DI Batang Hri'",
        ),
        (
            "tumpang tindih di D.I. Sungai Tapung (DI-02) dengan IRR-1 (BWS Sumatera VI, "
            "Pemerintah Pusat, 2024, kontrak, pagu Rp 5.000.000.000), selisih 2 tahun; D.I. "
            "Sungai Tapung (DI-02) kewenangan provinsi, diusulkan oleh kabupaten/kota: "
            "pengecualian sah (PP 7/2008)",
            "overlap in D.I. Sungai Tapung (DI-02) with IRR-1 (BWS Sumatera VI, the central "
            "government, 2024, kontrak, budget Rp 5,000,000,000), 2 years apart; D.I. Sungai "
            "Tapung (DI-02) is under province, proposed by district/city: a legitimate "
            "exception (PP 7/2008)",
        ),
        (
            "tidak dapat ditempatkan: D.I. nama 'D.I. Way Seputih' tidak ditemukan dengan pasti "
            "di data Daerah Irigasi",
            "cannot be placed: D.I. named 'D.I. Way Seputih' not found for certain among the "
            "irrigation areas",
        ),
        (
            "tidak dapat ditempatkan: tidak ada data Daerah Irigasi untuk mencari D.I. "
            "(--irrigation)",
            "cannot be placed: the store has no irrigation areas (D.I.) to find it in",
        ),
    ],
)
def test_the_reasons_of_a_proposal_check_read_in_english(reason, english):
    assert translate_reasons(reason, "en") == english
    indonesian = translate_reasons(reason, "id")
    assert not untranslated(indonesian), indonesian  # no command-line flag in the app
    assert indonesian.startswith(reason[:12])
