"""Tests for geo.read.values: amounts, years, levels and asset types as Indonesian files write them."""

from __future__ import annotations

import math

import pytest

from geo.read.values import (
    asset_keywords,
    parse_amount,
    parse_asset_type,
    parse_coordinate,
    parse_level,
    parse_year,
    parse_years,
)
from geo.schema import is_blank


@pytest.mark.parametrize(
    ("text", "rupiah"),
    [
        ("1.250.000,00", 1_250_000.0),
        ("12.500.000.000,00", 12_500_000_000.0),
        ("1.250.000.000,50", 1_250_000_000.5),
        ("Rp 1,25 M", 1_250_000_000.0),
        ("Rp. 12.500.000.000,00", 12_500_000_000.0),
        ("Rp1.250.000", 1_250_000.0),
        ("IDR 2,5 miliar", 2_500_000_000.0),
        ("750 jt", 750_000_000.0),
        ("750 juta", 750_000_000.0),
        ("1,5 T", 1_500_000_000_000.0),
        ("500 rb", 500_000.0),
        ("1,250,000.00", 1_250_000.0),
        ("18750000000.0", 18_750_000_000.0),
        ("18750000000", 18_750_000_000.0),
        ("  9.800.000.000  ", 9_800_000_000.0),
        ("1.250,5", 1_250.5),
        (1e9, 1_000_000_000.0),
        (3_450_000_000, 3_450_000_000.0),
    ],
)
def test_parse_amount_reads_indonesian_and_plain_amounts_exactly(text, rupiah):
    assert parse_amount(text) == rupiah


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.250", r"'1\.250' is ambiguous \(thousands or decimals\?\)"),
        ("1,250", r"'1,250' is ambiguous \(thousands or decimals\?\)"),
        ("Rp 1.250", r"'Rp 1\.250' is ambiguous"),
        ("abc", r"'abc' is not an amount in rupiah \(write e\.g\. 1\.250\.000,00\)"),
        ("Rp sekian", r"'Rp sekian' is not an amount in rupiah"),
        ("", r"'' is not an amount in rupiah"),
        ("1 250 000", r"'1 250 000' is not an amount in rupiah"),
        ("1,2,3", r"'1,2,3' is not an amount in rupiah"),
        ("5 dolar", r"'5 dolar': unknown unit 'dolar' \(use rb, jt, M or T\)"),
        (True, r"True is not an amount"),
        (math.nan, r"nan is not an amount"),
        (math.inf, r"inf is not an amount"),
    ],
)
def test_parse_amount_rejects_text_that_is_not_an_exact_amount(text, message):
    with pytest.raises(ValueError, match=message):
        parse_amount(text)


def test_parse_amount_keeps_the_sign_for_the_record_check_to_reject():
    assert parse_amount("-1.250.000,00") == -1_250_000.0


@pytest.mark.parametrize(
    ("value", "years"),
    [
        ("2025", (2025, 2025)),
        ("TA 2025", (2025, 2025)),
        ("T.A. 2025", (2025, 2025)),
        ("Tahun Anggaran 2025", (2025, 2025)),
        ("2025.0", (2025, 2025)),
        ("2024-2026", (2024, 2026)),
        ("2024 - 2026", (2024, 2026)),
        ("2024 – 2026", (2024, 2026)),
        ("2024 s/d 2026", (2024, 2026)),
        ("Tahun Anggaran 2024-2026", (2024, 2026)),
        ("2024 sd 2026", (2024, 2026)),
        ("TA 2024-2026", (2024, 2026)),
        (2025, (2025, 2025)),
        (2025.0, (2025, 2025)),
    ],
)
def test_parse_years_reads_a_year_or_a_range(value, years):
    assert parse_years(value) == years


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1800, r"1800 is not a year between 1950 and 2100"),
        ("1800", r"'1800' is not a year \(write e\.g\. 2025 or 2024-2026\)"),
        (2025.5, r"2025\.5 is not a year between 1950 and 2100"),
        ("2026-2024", r"'2026-2024': the first year is after the second"),
        ("20251", r"'20251' is not a year"),
        ("dua ribu", r"'dua ribu' is not a year"),
        (True, r"'?True'? is not a year"),
    ],
)
def test_parse_years_rejects_what_is_not_a_budget_year(value, message):
    with pytest.raises(ValueError, match=message):
        parse_years(value)


def test_parse_year_refuses_a_range_where_one_year_is_expected():
    assert parse_year("TA 2025") == 2025
    with pytest.raises(ValueError, match=r"'2024-2026' is a range where one year is expected"):
        parse_year("2024-2026")


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("pusat", "pusat"),
        ("Nasional", "pusat"),
        ("APBN", "pusat"),
        ("Balai", "pusat"),
        ("BPJN", "pusat"),
        ("BBWS", "pusat"),
        ("Provinsi", "provinsi"),
        ("PROV.", "provinsi"),
        ("propinsi", "provinsi"),
        ("APBD Provinsi", "provinsi"),
        ("Kabupaten", "kabupaten"),
        ("kota", "kabupaten"),
        ("Kab", "kabupaten"),
        ("Kab.", "kabupaten"),
        ("Kab/Kota", "kabupaten"),
        ("APBD  Kabupaten", "kabupaten"),
        ("Dana Desa", "desa"),
        ("  desa ", "desa"),
    ],
)
def test_parse_level_maps_aliases_to_the_vocabulary(value, level):
    assert parse_level(value) == level


@pytest.mark.parametrize("value", ["negara", "", "swasta", "kabupatenn"])
def test_parse_level_rejects_unknown_levels_naming_the_choices(value):
    with pytest.raises(ValueError, match=r"is not a level; use pusat, provinsi, kabupaten or desa"):
        parse_level(value)


@pytest.mark.parametrize(
    ("value", "asset"),
    [
        ("jalan", "road"),
        ("Jalan", "road"),
        ("Ruas Jalan", "road"),
        ("jl.", "road"),
        ("road", "road"),
        ("jembatan", "bridge"),
        ("JEMBATAN", "bridge"),
        ("jbt", "bridge"),
        ("irigasi", "irrigation"),
        ("DI", "irrigation"),
        ("D.I.", "irrigation"),
        ("Daerah Irigasi", "irrigation"),
        ("jaringan irigasi", "irrigation"),
    ],
)
def test_parse_asset_type_maps_aliases(value, asset):
    assert parse_asset_type(value) == asset


@pytest.mark.parametrize("value", ["gedung", "", "bendungan besar"])
def test_parse_asset_type_rejects_unknown_types(value):
    with pytest.raises(ValueError, match=r"is not an asset type; use jalan, jembatan or irigasi"):
        parse_asset_type(value)


@pytest.mark.parametrize(
    ("texts", "assets"),
    [
        (("Penggantian Jembatan Sungai Terap",), ["bridge"]),
        (("Rehabilitasi Jalan Jambi – Tempino",), ["road"]),
        (("D.I. Sungai Bahar (rehab saluran sekunder)",), ["irrigation"]),
        (("Peningkatan Jalan dan Jembatan Desa",), ["bridge", "road"]),
        (("Pembangunan Gedung Kantor",), []),
        (("Paket 7", "Rehabilitasi Jalan"), ["road"]),
        ((None, float("nan")), []),
    ],
)
def test_asset_keywords_finds_asset_words_in_names(texts, assets):
    assert asset_keywords(*texts) == assets


@pytest.mark.parametrize(
    ("value", "degrees"),
    [
        ("-1,644926", -1.644926),
        ("104.095166", 104.095166),
        (" 104 ", 104.0),
        ("−1.5", -1.5),
        (103.6, 103.6),
    ],
)
def test_parse_coordinate_accepts_a_comma_or_a_point_as_decimal_mark(value, degrees):
    assert parse_coordinate(value) == degrees


@pytest.mark.parametrize("value", ["1.644.926", "104,0,1", "", "1°38'S", math.nan])
def test_parse_coordinate_rejects_what_is_not_one_number(value):
    with pytest.raises(ValueError, match=r"is not a coordinate"):
        parse_coordinate(value)


@pytest.mark.parametrize(
    ("value", "blank"), [(None, True), (math.nan, True), ("  ", True), ("0", False), (0, False)]
)
def test_is_blank(value, blank):
    assert is_blank(value) is blank
