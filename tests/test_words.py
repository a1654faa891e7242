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
