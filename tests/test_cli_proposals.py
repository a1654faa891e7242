"""``check-proposals`` end to end: a KRISNA-like workbook against a network, units and a store."""

from __future__ import annotations

import csv

import geopandas as gpd
import openpyxl
import pytest
from shapely import LineString

from cli import main
from tests.geometries import UTM, X0, Y0, square


@pytest.fixture
def network_file(tmp_path):
    path = tmp_path / "jaringan.gpkg"
    gpd.GeoDataFrame(
        {
            "KODE_RUAS": ["N-001", "K-034"],
            "NAMA_RUAS": ["Jambi – Tempino", "Pudak – Kumpeh"],
            "STATUS": ["nasional", "kabupaten"],
        },
        geometry=[
            LineString([(X0, Y0), (X0 + 20_000, Y0)]),
            LineString([(X0, Y0 + 5_000), (X0 + 12_000, Y0 + 5_000)]),
        ],
        crs=UTM,
    ).to_file(path)
    return path


@pytest.fixture
def units_file(tmp_path):
    path = tmp_path / "kecamatan.geojson"
    gpd.GeoDataFrame(
        {"kode": ["15.05.06"], "nama": ["Kumpeh Ulu"], "level": ["kecamatan"]},
        geometry=[square(X0 - 40_000, Y0 - 40_000, 2_000)],
        crs=UTM,
    ).to_crs(4326).to_file(path)
    return path


@pytest.fixture
def store(tmp_path):
    """A store holding BPJN's contracted preservation of N-001, STA 0+000 - 8+000, 2026."""
    projects = tmp_path / "bpjn.geojson"
    gpd.GeoDataFrame(
        {
            "kode_paket": ["PJN-2026-01"],
            "nama_paket": ["Preservasi Jalan Jambi - Tempino"],
            "satker": ["BPJN Jambi"],
            "tahun": [2026],
            "pagu": [18_750_000_000],
            "status": ["kontrak"],
        },
        geometry=[LineString([(X0, Y0), (X0 + 8_000, Y0)])],
        crs=UTM,
    ).to_crs(4326).to_file(projects)
    path = tmp_path / "store" / "peta.gpkg"
    assert main(["import", str(projects), "--level", "pusat", "--store", str(path)]) == 0
    return path


def proposal_workbook(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DAFTAR USULAN PROVINSI JAMBI TA 2026"])
    sheet.append(
        ["No", "Kode Ruas", "Nama Ruas", "STA", None, "Kecamatan", "Tahun", "Pagu", "Usulan Dari"]
    )
    sheet.append([None, None, None, "Awal", "Akhir"])
    sheet.merge_cells("D2:E2")
    for column in "ABCFGHI":
        sheet.merge_cells(f"{column}2:{column}3")
    rows = [
        [1, "N-001", None, "5+000", "9+000", None, 2026, "Rp 4 M", "Dinas PUPR Provinsi Jambi"],
        [
            2,
            None,
            "Jln. Kumpeh s.d. Pudak",
            None,
            None,
            None,
            2026,
            "2.000.000.000",
            "Dinas PUPR Kab. Muaro Jambi",
        ],
        [
            3,
            None,
            None,
            None,
            None,
            "Kec. Kumpeh Ulu",
            2026,
            "Rp 1 M",
            "Dinas PUPR Kab. Muaro Jambi",
        ],
        [
            4,
            None,
            "Sorong - Klamono",
            None,
            None,
            None,
            2026,
            "Rp 1 M",
            "Dinas PUPR Kab. Muaro Jambi",
        ],
    ]
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_check_proposals_writes_each_row_with_its_placement_and_verdict(
    tmp_path, network_file, units_file, store, capsys
):
    workbook = proposal_workbook(tmp_path / "usulan.xlsx")
    out = tmp_path / "hasil.xlsx"
    code = main(
        [
            "check-proposals",
            str(workbook),
            "--roads",
            str(network_file),
            "--units",
            str(units_file),
            "--store",
            str(store),
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert (
        "4 proposal rows -> " + str(out) + ": placed by STA 1, whole ruas 1, D.I. 0, unit 1, not "
        "placed 1; Diterima 1, Ditolak 1, Didiskusikan 2"
    ) in printed
    sheet = openpyxl.load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:9] == [
        "No",
        "Kode Ruas",
        "Nama Ruas",
        "STA Awal",
        "STA Akhir",
        "Kecamatan",
        "Tahun",
        "Pagu",
        "Usulan Dari",
    ]
    assert header[9:] == [
        "proposal_id",
        "level",
        "placement",
        "ruas_id",
        "ruas_name",
        "ruas_status",
        "di_id",
        "di_name",
        "sta_from_m",
        "sta_to_m",
        "candidates",
        "suggested_status",
        "reasons",
        "conflicts",
    ]
    got = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [r["placement"] for r in got] == ["sta", "ruas", "unit", "none"]
    assert [r["ruas_id"] for r in got] == ["N-001", "K-034", None, None]
    assert [r["suggested_status"] for r in got] == [
        "Ditolak",
        "Diterima",
        "Didiskusikan",
        "Didiskusikan",
    ]
    first = got[0]
    assert (first["sta_from_m"], first["sta_to_m"], first["conflicts"]) == (
        5000,
        9000,
        "PJN-2026-01",
    )
    assert first["reasons"].split("; ") == [
        "kewenangan: ruas N-001 berstatus jalan nasional, diusulkan oleh provinsi (UU 2/2022 jo. "
        "PP 34/2006: jalan nasional kewenangan Pemerintah Pusat)",
        "tumpang tindih 3,00 km dengan PJN-2026-01 (BPJN Jambi, Pemerintah Pusat, 2026, kontrak, "
        "pagu Rp 18.750.000.000) di ruas N-001 STA 5+000 - 8+000, tahun yang sama",
    ]
    assert got[1]["candidates"].startswith("K-034 Pudak – Kumpeh (1,00)")
    assert got[2]["reasons"].startswith("lokasi hanya sampai kecamatan Kumpeh Ulu (15.05.06)")
    assert got[3]["reasons"].startswith("tidak dapat ditempatkan: ruas nama 'Sorong - Klamono'")


def test_check_proposals_to_csv_without_a_store_checks_the_list_alone(
    tmp_path, network_file, capsys
):
    workbook = proposal_workbook(tmp_path / "usulan.xlsx")
    out = tmp_path / "hasil.csv"
    code = main(
        [
            "check-proposals",
            str(workbook),
            "--roads",
            str(network_file),
            "--store",
            str(tmp_path / "tidak_ada.gpkg"),
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "no store: checked against the other rows of the list only" in capsys.readouterr().out
    assert not (tmp_path / "tidak_ada.gpkg").exists()
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["conflicts"] for r in rows] == ["", "", "", ""]
    assert [r["placement"] for r in rows] == ["sta", "ruas", "none", "none"]
    assert "tidak ada batas wilayah" in rows[2]["reasons"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hilang.xlsx", "--out", "hasil.csv"], "hilang.xlsx: no such file"),
        (["usulan.xlsx", "--out", "hasil.pdf"], "hasil.pdf: write to .xlsx or .csv"),
        (["usulan.xlsx", "--level", "camat", "--out", "hasil.csv"], "usulan.xlsx: --level camat:"),
    ],
)
def test_bad_input_exits_2_with_file_and_reason(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    proposal_workbook(tmp_path / "usulan.xlsx")
    code = main(["check-proposals", *args, "--store", str(tmp_path / "kosong.gpkg")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(message)
    assert "Traceback" not in err


def test_check_proposals_places_rows_by_di_name_from_an_irrigation_file(tmp_path, capsys):
    """Two rows naming a D.I. (one another way, one not in the layer) against a 4,000 ha
    D.I. (pusat's) and a store holding BWS's 2025 work in it."""
    areas = tmp_path / "daerah_irigasi.geojson"
    gpd.GeoDataFrame(
        {"kode_di": ["DI-01"], "nama_di": ["D.I. Batang Hari"], "luas_ha": [4_000]},
        geometry=[square(X0, Y0, 4_000)],
        crs=UTM,
    ).to_crs(4326).to_file(areas)
    works = tmp_path / "bws.geojson"
    gpd.GeoDataFrame(
        {
            "kode_paket": ["BWS-2025-07"],
            "nama_paket": ["Rehabilitasi Jaringan Irigasi D.I. Batang Hari"],
            "satker": ["BWS Sumatera VI"],
            "tahun": [2025],
            "pagu": [7_500_000_000],
            "jenis_aset": ["irigasi"],
        },
        geometry=[square(X0, Y0, 10)],
        crs=UTM,
    ).to_crs(4326).to_file(works)
    store = tmp_path / "store" / "peta.gpkg"
    assert main(["import", str(works), "--level", "pusat", "--store", str(store)]) == 0
    listed = tmp_path / "usulan.csv"
    listed.write_text(
        "Kode Usulan;Nama D.I.;Tahun;Pagu;Usulan Dari\n"
        "U-1;DI Bt. Hari;2026;Rp 2 M;Dinas PUPR Kab. Batang Hari\n"
        "U-2;D.I. Way Seputih;2026;Rp 1 M;Dinas PUPR Kab. Batang Hari\n",
        encoding="utf-8",
    )
    out = tmp_path / "hasil.csv"
    args = ["check-proposals", str(listed), "--irrigation", str(areas), "--store", str(store)]
    assert main([*args, "--out", str(out)]) == 0, capsys.readouterr().err
    assert "placed by STA 0, whole ruas 0, D.I. 1, unit 0, not placed 1" in capsys.readouterr().out
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first = rows[0]
    assert (first["placement"], first["di_id"], first["di_name"]) == (
        "di",
        "DI-01",
        "D.I. Batang Hari",
    )
    assert (first["suggested_status"], first["conflicts"]) == ("Ditolak", "BWS-2025-07")
    assert first["reasons"].split("; ") == [
        "kewenangan: D.I. Batang Hari (DI-01) kewenangan Pemerintah Pusat, diusulkan oleh "
        "kabupaten/kota (Permen PUPR 14/2015: D.I. > 3.000 ha kewenangan Pemerintah Pusat)",
        "tumpang tindih di D.I. Batang Hari (DI-01) dengan BWS-2025-07 (BWS Sumatera VI, "
        "Pemerintah Pusat, 2025, status tidak diisi, pagu Rp 7.500.000.000), selisih 1 tahun",
    ]
    assert (rows[1]["placement"], rows[1]["suggested_status"]) == ("none", "Didiskusikan")
