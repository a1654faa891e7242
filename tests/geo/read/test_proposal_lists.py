"""Proposal lists read as agencies export them: title rows, merged headers, Indonesian numbers."""

from __future__ import annotations

import math

import openpyxl
import pytest

from geo.errors import GeoInputError
from geo.read.proposals import read_proposals


def krisna_workbook(path, rows):
    """A KRISNA-like sheet: two title rows, a blank row, a header merged over two rows
    (``Lokasi STA`` over ``Awal``/``Akhir``), a row numbering the columns, then ``rows``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["USULAN DAK FISIK BIDANG JALAN TA 2026"])
    sheet.append(["Pemerintah Kabupaten Muaro Jambi"])
    sheet.append([])
    sheet.append(
        [
            "No",
            "Nama Ruas",
            "Lokasi STA",
            None,
            "Volume (km)",
            "Kecamatan",
            "Tahun",
            "Pagu (Rp)",
            "Sumber Dana",
            "Usulan Dari",
            "Keterangan",
        ]
    )
    sheet.append([None, None, "Awal", "Akhir"])
    sheet.merge_cells("C4:D4")
    for column in "ABEFGHIJK":
        sheet.merge_cells(f"{column}4:{column}5")
    sheet.append(list(range(1, 12)))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_workbook_with_title_rows_and_a_merged_header_keeps_every_column(tmp_path):
    path = krisna_workbook(
        tmp_path / "usulan.xlsx",
        [
            [
                1,
                "Jl. Pudak - Kumpeh",
                "0+000",
                "2+500",
                2.5,
                "Kumpeh",
                2026,
                "2.500.000.000,00",
                "DAK",
                "Dinas PUPR Kab. Muaro Jambi",
                "prioritas 1",
            ],
            [
                2,
                "Sp. Rimbo s.d. Sengeti",
                None,
                None,
                "4,2",
                "Sekernan",
                "TA 2026",
                "Rp 4,2 M",
                "APBD Kabupaten",
                "Dinas PUPR Kab. Muaro Jambi",
                None,
            ],
        ],
    )
    read = read_proposals(path)
    assert list(read.table.columns) == [
        "No",
        "Nama Ruas",
        "Lokasi STA Awal",
        "Lokasi STA Akhir",
        "Volume (km)",
        "Kecamatan",
        "Tahun",
        "Pagu (Rp)",
        "Sumber Dana",
        "Usulan Dari",
        "Keterangan",
    ]
    assert read.table["Keterangan"].tolist() == ["prioritas 1", None]
    assert read.columns["sta_from"] == "Lokasi STA Awal"
    assert read.columns["length"] == "Volume (km)"
    assert read.notes[0] == "usulan.xlsx: header on row 4-6; rows above it skipped as titles"
    values = read.values
    assert values["source_row"].tolist() == [7, 8]
    assert values["proposal_id"].tolist() == ["baris 7", "baris 8"]
    assert values["ruas_name"].tolist() == ["Jl. Pudak - Kumpeh", "Sp. Rimbo s.d. Sengeti"]
    assert values["sta_from_m"][0] == 0.0 and values["sta_to_m"][0] == 2500.0
    assert math.isnan(values["sta_from_m"][1])
    assert values["declared_m"].tolist() == [2500.0, 4200.0]
    assert values["budget_idr"].tolist() == [2.5e9, 4.2e9]
    assert values["year_start"].tolist() == [2026.0, 2026.0]
    assert values["level"].tolist() == ["kabupaten", "kabupaten"]
    assert values["problems"].tolist() == ["", ""]


def test_a_csv_with_one_sta_column_and_unreadable_values_keeps_the_row_with_its_problems(
    tmp_path,
):
    path = tmp_path / "usulan.csv"
    path.write_text(
        "Kode Usulan;Kode Ruas;STA;Volume;Satuan;Tahun;Pagu;Kewenangan\n"
        "U-01;K-034;STA 5+000 s/d 9+000;4;km;2026;1.250.000.000;Kabupaten\n"
        "U-02;K-034;5+50 - 6+000;500;m;dua ribu;Rp 1,5 M;Provinsi\n",
        encoding="utf-8-sig",
    )
    read = read_proposals(path, level="pusat")  # a level column wins over --level
    values = read.values
    assert values["proposal_id"].tolist() == ["U-01", "U-02"]
    assert values["ruas_code"].tolist() == ["K-034", "K-034"]
    assert (values["sta_from_m"][0], values["sta_to_m"][0]) == (5000.0, 9000.0)
    assert values["declared_m"].tolist() == [4000.0, 500.0]
    assert values["level"].tolist() == ["kabupaten", "provinsi"]
    assert values["problems"][0] == ""
    problems = values["problems"][1].split("; ")
    assert problems[0].startswith("STA '5+50 - 6+000' tidak terbaca (chainage")
    assert "the metres after '+' must be three digits" in problems[0]
    assert problems[1].startswith("tahun tidak terbaca ('dua ribu' is not a year")


def test_level_for_the_whole_list_when_no_column_says_it(tmp_path):
    path = tmp_path / "usulan.csv"
    path.write_text("Nama Ruas,Tahun\nPudak - Kumpeh,2026\n", encoding="utf-8")
    assert read_proposals(path, level="Kab/Kota").values["level"].tolist() == ["kabupaten"]
    assert read_proposals(path).values["problems"][0].startswith("tingkat pengusul tidak diketahui")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hilang.xlsx", None, "hilang.xlsx: no such file"),
        ("usulan.shp", b"x", "usulan.shp: a proposal list is read from .xlsx or .csv"),
        (
            "usulan.csv",
            b"Nomor;Uraian Belanja\n1;ATK\n",
            "usulan.csv: no proposal columns found; the header needs a location column",
        ),
        (
            "usulan.xlsx",
            b"PK\x03\x04 not a workbook",
            "usulan.xlsx: not a readable Excel workbook",
        ),
    ],
)
def test_a_file_that_is_not_a_proposal_list_names_the_file_and_the_fix(
    tmp_path, name, content, message
):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(GeoInputError, match=message.replace(".", r"\.").replace("(", r"\(")):
        read_proposals(path)


def test_an_unknown_level_option_is_refused(tmp_path):
    path = tmp_path / "usulan.csv"
    path.write_text("Nama Ruas;Tahun\nPudak - Kumpeh;2026\n", encoding="utf-8")
    with pytest.raises(GeoInputError, match=r"usulan\.csv: --level kecamatan: 'kecamatan' is not"):
        read_proposals(path, level="kecamatan")


def test_money_units_after_the_names_and_the_roads_own_length_are_read_for_what_they_say(
    tmp_path,
):
    # An export's own header words: the unit after the name, the pagu in thousands of rupiah,
    # the ruas's length beside the length to be handled.
    path = tmp_path / "usulan.csv"
    path.write_text(
        "No. Ruas;Nama Ruas Jalan;Panjang Ruas (Km);Panjang Penanganan (Km);STA Awal;STA Akhir;"
        "Jenis Penanganan;Tahun Anggaran;Nilai Usulan (Rp 000);Pengusul\n"
        "K-034;Pudak - Kumpeh;12,4;2,5;0+000;2+500;Rehabilitasi;2026;2.500.000;"
        "Dinas PUPR Kab. Muaro Jambi\n",
        encoding="utf-8",
    )
    read = read_proposals(path)
    assert read.columns["budget"] == "Nilai Usulan (Rp 000)"
    assert read.columns["length"] == "Panjang Penanganan (Km)"
    values = read.values
    assert values["budget_idr"].tolist() == [2.5e9]
    assert values["declared_m"].tolist() == [2500.0]
    assert values["work_type"].tolist() == ["Rehabilitasi"]
    assert values["ruas_code"].tolist() == ["K-034"]
    assert values["problems"].tolist() == [""]


@pytest.mark.parametrize(
    ("header", "idr"),
    [
        ("Total Biaya (Rp)", 2_500_000.0),
        ("Kebutuhan Dana (Ribu Rupiah)", 2_500_000_000.0),
        ("Pagu Indikatif (Juta Rp)", 2_500_000_000_000.0),
        ("Pagu (dalam ribuan rupiah)", 2_500_000_000.0),
    ],
)
def test_a_budget_column_named_with_its_money_unit(tmp_path, header, idr):
    path = tmp_path / "usulan.csv"
    path.write_text(f"Kode Ruas;Tahun;{header};Kewenangan\nK-034;2026;2.500.000;Kabupaten\n")
    values = read_proposals(path).values
    assert values["budget_idr"].tolist() == [idr]
