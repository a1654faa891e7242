"""Tests for geo.read.projects.read_projects: every supported format, generated in tmp_path.

Geometry is drawn in UTM 48S near Kota Jambi (see ``io_fixtures``); each test checks the exact
records stored (ids, budgets, years, level, agency, geometry type and position in EPSG:4326)
and the report counts, where features in = stored + rejected.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pyogrio
import pytest

from geo.read.projects import read_projects
from geo.schema import RECORD_COLUMNS
from tests.io_fixtures import (
    AGENCY,
    assert_balanced,
    bridge,
    budget,
    field,
    kml_document,
    kml_line,
    kml_point,
    lonlat,
    max_offset_deg,
    outcomes,
    pid,
    projects,
    road,
    roads,
    to_lonlat,
    write_csv,
    write_shapefile,
    write_xlsx,
    zip_members,
    zip_shapefile,
)

#: Largest allowed difference from the true position, in degrees (about 0.1 m).
TOL_DEG = 1e-6
OUTPUT_COLUMNS = [*RECORD_COLUMNS, "source_layer", "source_row", "geometry"]


def assert_at(stored, expected_utm) -> None:
    """Stored geometries (EPSG:4326) are the UTM 48S ones transformed, within TOL_DEG."""
    assert stored.crs == "EPSG:4326"
    assert len(stored) == len(expected_utm)
    for got, want in zip(stored.geometry, expected_utm, strict=True):
        truth = to_lonlat(want)
        assert got.geom_type == truth.geom_type
        assert max_offset_deg(got, truth) < TOL_DEG


def assert_same(stored, **values) -> None:
    """Every stored record has these values."""
    for column, value in values.items():
        assert stored[column].tolist() == [value] * len(stored), column


def dec(value: float) -> str:
    """A coordinate written with a decimal comma, as Indonesian spreadsheets export it."""
    return f"{value:.9f}".replace(".", ",")


# --- shapefiles ---------------------------------------------------------------------------------


def test_zipped_shapefile_stores_every_record_with_all_fields(tmp_path):
    parts = write_shapefile(
        roads(3, JNS_KEG=["Preservasi", "Rekonstruksi", "Pemeliharaan"]), tmp_path, "jalan"
    )
    archive = zip_shapefile(tmp_path / "bpjn_2025.zip", parts)

    result = read_projects(archive, level="pusat")

    stored = result.projects
    assert list(stored.columns) == OUTPUT_COLUMNS
    assert stored["project_id"].tolist() == [pid(0), pid(1), pid(2)]
    assert stored.iloc[0].drop("geometry").to_dict() == {
        "project_id": "PJN-2025-001",
        "name": "Preservasi Jalan Ruas 1",
        "level": "pusat",
        "agency": AGENCY,
        "asset_type": "road",
        "work_type": "Preservasi",
        "year_start": 2025,
        "year_end": 2025,
        "budget_idr": 1_250_000_000.0,
        "funding_source": None,
        "status": None,
        "source_layer": "bpjn_2025.zip/jalan",
        "source_row": 1,
    }
    assert stored["budget_idr"].tolist() == [budget(0), budget(1), budget(2)]
    assert stored["work_type"].tolist() == ["Preservasi", "Rekonstruksi", "Pemeliharaan"]
    assert_at(stored, [road(0), road(1), road(2)])
    assert_balanced(result.report, read=3, stored=3)
    assert result.report.format_text().splitlines()[0] == (
        "bpjn_2025.zip: 3 read, 3 stored (0 repaired), 0 rejected"
    )
    assert result.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()


def test_zip_with_several_shapefiles_in_subfolders_reads_every_layer(tmp_path):
    jalan = write_shapefile(
        roads(2),
        tmp_path / "a",
        "Jalan_Nasional",
        suffix_case={".shp": ".SHP", ".dbf": ".Dbf", ".prj": ".PRJ", ".shx": ".Shx"},
    )
    jembatan = write_shapefile(
        projects([bridge(0), bridge(1)], names=["Jembatan Sei Terap", "Jembatan Sei Duren"],
                 KD_PAKET=["PJN-2025-101", "PJN-2025-102"]),
        tmp_path / "b",
        "jembatan",
    )  # fmt: skip
    irigasi = write_shapefile(
        projects([field(0)], names=["D.I. Sungai Bahar"], KD_PAKET=["BWS-2025-001"]),
        tmp_path / "c",
        "irigasi",
    )
    members = {f"PAKET 2025/jalan/{p.name}": p for p in jalan.values()}
    members |= {f"PAKET 2025/jembatan/{p.name}": p for p in jembatan.values()}
    members |= {f"lain/irigasi/{p.name}": p for p in irigasi.values()}
    members |= {
        "__MACOSX/PAKET 2025/jalan/._Jalan_Nasional.SHP": b"\x00\x05\x16\x07resource fork",
        "__MACOSX/PAKET 2025/jalan/._Jalan_Nasional.Dbf": b"\x00\x05\x16\x07resource fork",
        "PAKET 2025/jembatan/._jembatan.shp": b"\x00\x05\x16\x07resource fork",
    }
    archive = zip_members(tmp_path / "paket.zip", members)

    result = read_projects(archive, level="pusat")

    stored = result.projects
    assert stored["project_id"].tolist() == [
        "PJN-2025-001", "PJN-2025-002", "PJN-2025-101", "PJN-2025-102", "BWS-2025-001",
    ]  # fmt: skip
    assert stored["source_layer"].tolist() == [
        "paket.zip/PAKET 2025/jalan/Jalan_Nasional",
        "paket.zip/PAKET 2025/jalan/Jalan_Nasional",
        "paket.zip/PAKET 2025/jembatan/jembatan",
        "paket.zip/PAKET 2025/jembatan/jembatan",
        "paket.zip/lain/irigasi/irigasi",
    ]
    assert stored["asset_type"].tolist() == ["road", "road", "bridge", "bridge", "irrigation"]
    assert stored["source_row"].tolist() == [1, 2, 1, 2, 1]
    assert_at(stored, [road(0), road(1), bridge(0), bridge(1), field(0)])
    assert_same(stored, level="pusat", agency=AGENCY, year_start=2025, year_end=2025)
    assert_balanced(result.report, read=5, stored=5)
    assert result.report.notes == []  # __MACOSX and ._ files are skipped, not reported as junk


def test_zipped_shapefile_in_a_folder_with_a_space_is_found(tmp_path):
    parts = write_shapefile(roads(2), tmp_path, "paket jalan 2025")
    archive = zip_shapefile(tmp_path / "BPJN Jambi.zip", parts, folder="PAKET BPJN 2025")

    result = read_projects(archive, level="pusat")

    assert result.projects["project_id"].tolist() == [pid(0), pid(1)]
    assert set(result.projects["source_layer"]) == {
        "BPJN Jambi.zip/PAKET BPJN 2025/paket jalan 2025"
    }
    assert_at(result.projects, [road(0), road(1)])
    assert_same(result.projects, level="pusat", agency=AGENCY, year_start=2025, year_end=2025)
    assert_balanced(result.report, read=2, stored=2)


def test_shp_given_directly_finds_sidecars_in_any_case(tmp_path):
    parts = write_shapefile(
        roads(2), tmp_path, "jalan", suffix_case={".dbf": ".DBF", ".prj": ".Prj"}
    )

    result = read_projects(parts[".shp"], level="balai", agency="BPJN Jambi")

    stored = result.projects
    assert stored["project_id"].tolist() == [pid(0), pid(1)]
    assert stored["level"].tolist() == ["pusat", "pusat"]  # "balai" is the pusat level
    assert stored["agency"].tolist() == ["BPJN Jambi"] * 2  # --agency wins over the column
    assert stored["source_layer"].tolist() == ["jalan.shp"] * 2
    assert_at(stored, [road(0), road(1)])
    assert_same(stored, year_start=2025, year_end=2025, asset_type="road")
    assert_balanced(result.report, read=2, stored=2)


# --- vector formats -----------------------------------------------------------------------------


def test_geopackage_layers_in_different_crss_are_all_reprojected_to_wgs84(tmp_path):
    path = tmp_path / "paket.gpkg"
    pyogrio.write_dataframe(roads(2).to_crs(4326), path, layer="jalan_wgs84")
    pyogrio.write_dataframe(
        projects([bridge(2)], names=["Jembatan Sungai Terap"], KD_PAKET=["J-01"]),
        path,
        layer="jembatan_utm48s",
    )
    # DGN95 / Indonesia TM-3 zone 48.2 (central meridian 103.5), as BPN and older maps use.
    pyogrio.write_dataframe(
        projects([field(0)], names=["D.I. Batang Hari"], KD_PAKET=["I-01"]).to_crs(23836),
        path,
        layer="irigasi_tm3",
    )
    pyogrio.write_dataframe(
        projects([field(1)], names=["D.I. Kumpeh"], KD_PAKET=["I-02"]).to_crs(4755),
        path,
        layer="irigasi_dgn95",
    )
    pyogrio.write_dataframe(
        pd.DataFrame({"kode": ["J-01"], "catatan": ["lelang ulang"]}), path, layer="catatan"
    )
    assert {str(layer): pyogrio.read_info(path, layer=layer)["crs"] for layer in
            ("jalan_wgs84", "jembatan_utm48s", "irigasi_tm3", "irigasi_dgn95")} == {
        "jalan_wgs84": "EPSG:4326", "jembatan_utm48s": "EPSG:32748",
        "irigasi_tm3": "EPSG:23836", "irigasi_dgn95": "EPSG:4755",
    }  # fmt: skip

    result = read_projects(path, level="pusat")

    stored = result.projects
    assert stored["project_id"].tolist() == [pid(0), pid(1), "J-01", "I-01", "I-02"]
    assert stored["source_layer"].tolist() == [
        "paket.gpkg:jalan_wgs84", "paket.gpkg:jalan_wgs84", "paket.gpkg:jembatan_utm48s",
        "paket.gpkg:irigasi_tm3", "paket.gpkg:irigasi_dgn95",
    ]  # fmt: skip
    assert stored["asset_type"].tolist() == ["road", "road", "bridge", "irrigation", "irrigation"]
    assert_at(stored, [road(0), road(1), bridge(2), field(0), field(1)])
    assert_same(stored, level="pusat", agency=AGENCY, year_start=2025, year_end=2025)
    assert_balanced(result.report, read=5, stored=5)
    assert "paket.gpkg:catatan: table without geometry; not read" in result.report.notes


def test_geojson(tmp_path):
    path = tmp_path / "jalan.geojson"
    pyogrio.write_dataframe(roads(3).to_crs(4326), path, driver="GeoJSON")

    result = read_projects(path, level="provinsi")

    stored = result.projects
    assert stored["project_id"].tolist() == [pid(0), pid(1), pid(2)]
    assert stored["level"].tolist() == ["provinsi"] * 3
    assert stored["budget_idr"].tolist() == [budget(0), budget(1), budget(2)]
    assert_at(stored, [road(0), road(1), road(2)])
    assert_same(stored, agency=AGENCY, year_start=2025, year_end=2025, asset_type="road")
    assert_balanced(result.report, read=3, stored=3)


@pytest.mark.parametrize("suffix", [".kml", ".kmz"])
def test_kml_and_kmz_with_extended_data(tmp_path, suffix):
    line_fields = {"kode_paket": "K-01", "tahun": "2025", "pagu": "1.250.000.000,00"}
    point_fields = {"kode_paket": "K-02", "tahun": "2024-2026", "pagu": "Rp 2,5 M"}
    document = kml_document(
        [
            ("Preservasi Jalan Lintas Timur", line_fields | {"satker": AGENCY}, kml_line(road(0))),
            ("Jembatan Sungai Terap", point_fields | {"satker": AGENCY}, kml_point(bridge(0))),
        ]
    )
    path = tmp_path / f"bpjn{suffix}"
    if suffix == ".kml":
        path.write_text(document, encoding="utf-8")
    else:
        zip_members(path, {"doc.kml": document})

    result = read_projects(path, level="pusat")

    stored = result.projects
    assert stored["project_id"].tolist() == ["K-01", "K-02"]
    assert stored["name"].tolist() == ["Preservasi Jalan Lintas Timur", "Jembatan Sungai Terap"]
    assert stored["budget_idr"].tolist() == [1_250_000_000.0, 2_500_000_000.0]
    assert stored["year_start"].tolist() == [2025, 2024]
    assert stored["year_end"].tolist() == [2025, 2026]
    assert stored["asset_type"].tolist() == ["road", "bridge"]
    assert stored["source_layer"].tolist() == [f"bpjn{suffix}"] * 2
    assert_at(stored, [road(0), bridge(0)])
    assert_same(stored, level="pusat", agency=AGENCY)
    assert_balanced(result.report, read=2, stored=2)


def test_flatgeobuf_keeps_the_order_written_in_the_file(tmp_path):
    path = tmp_path / "jalan.fgb"
    pyogrio.write_dataframe(roads(3), path, driver="FlatGeobuf", SPATIAL_INDEX="NO")

    result = read_projects(path, level="pusat")

    assert result.projects["project_id"].tolist() == [pid(0), pid(1), pid(2)]
    assert result.projects["source_row"].tolist() == [1, 2, 3]
    assert_at(result.projects, [road(0), road(1), road(2)])
    assert_same(result.projects, level="pusat", agency=AGENCY, year_start=2025)
    assert_balanced(result.report, read=3, stored=3)


def test_flatgeobuf_with_a_spatial_index_reads_every_record(tmp_path):
    """GDAL sorts features along a Hilbert curve when it builds the index: rows are the file's
    order, so the records are compared by id."""
    path = tmp_path / "jalan.fgb"
    pyogrio.write_dataframe(roads(3), path, driver="FlatGeobuf")

    result = read_projects(path, level="pusat")

    stored = result.projects.sort_values("project_id")
    assert stored["project_id"].tolist() == [pid(0), pid(1), pid(2)]
    assert stored["budget_idr"].tolist() == [budget(0), budget(1), budget(2)]
    assert_at(stored, [road(0), road(1), road(2)])
    assert_same(stored, level="pusat", agency=AGENCY, year_start=2025, year_end=2025)
    assert_balanced(result.report, read=3, stored=3)


def test_geoparquet_in_utm(tmp_path):
    path = tmp_path / "jalan.parquet"
    roads(2, SUMBER_DANA=["APBN", "SBSN"]).to_parquet(path)

    result = read_projects(path, level="pusat")

    stored = result.projects
    assert stored["project_id"].tolist() == [pid(0), pid(1)]
    assert stored["funding_source"].tolist() == ["APBN", "SBSN"]
    assert_at(stored, [road(0), road(1)])
    assert_same(stored, level="pusat", agency=AGENCY, year_start=2025)
    assert_balanced(result.report, read=2, stored=2)


# --- tables -------------------------------------------------------------------------------------

HEADER = ["kode_paket", "nama_paket", "tahun", "pagu", "satker"]


def test_csv_with_lon_lat_columns_makes_points(tmp_path):
    b0, b1 = lonlat(*bridge(0).coords[0]), lonlat(*bridge(1).coords[0])
    path = write_csv(
        tmp_path / "geotag.csv",
        [
            [*HEADER, "lon", "lat"],
            ["J-1", "Rehabilitasi Jembatan Sungai Terap", "2025", "2750000000", AGENCY, *b0],
            ["J-2", "Pemeliharaan Jalan Titik Rawan", "2025", "750000000", AGENCY, *b1],
        ],
    )

    result = read_projects(path, level="provinsi")

    stored = result.projects
    assert stored["project_id"].tolist() == ["J-1", "J-2"]
    assert stored["asset_type"].tolist() == ["bridge", "road"]
    assert stored["budget_idr"].tolist() == [2_750_000_000.0, 750_000_000.0]
    assert stored["source_row"].tolist() == [2, 3]  # the CSV's own line numbers
    assert_at(stored, [bridge(0), bridge(1)])
    assert_same(stored, level="provinsi", agency=AGENCY, year_start=2025, year_end=2025)
    assert_balanced(result.report, read=2, stored=2)
    assert result.report.notes == [
        "geotag.csv: location from column(s) 'lon', 'lat'",
        "geotag.csv: no CRS in the file; coordinates are degrees inside Indonesia, taken as "
        "EPSG:4326 (WGS 84) — pass --crs if that is wrong",
    ]
    assert result.report.records[1].reason == (
        "asset type road from the name; road work given as one point (geotagging rule for works "
        "under 500 m)"
    )


def test_csv_semicolons_decimal_commas_indonesian_amounts_and_a_bom(tmp_path):
    b0, b1 = lonlat(*bridge(0).coords[0]), lonlat(*bridge(1).coords[0])
    opd = "Dinas PUPR Provinsi Jambi"
    path = write_csv(
        tmp_path / "sipd.csv",
        [
            [
                "No",
                "Kode Sub Kegiatan",
                "Nama Paket",
                "Tahun Anggaran",
                "Pagu (Rp)",
                "Sumber Dana",
                "OPD",
                "Bujur",
                "Lintang",
            ],
            [
                "1",
                "1.03.10.2.03.0001",
                "Rehabilitasi Jembatan A",
                "2025",
                "1.250.000.000,00",
                "APBD Provinsi",
                opd,
                dec(b0[0]),
                dec(b0[1]),
            ],
            [
                "2",
                "1.03.10.2.03.0002",
                "Rehabilitasi Jembatan B",
                "TA 2025",
                "12.500.000.000,50",
                "DAK",
                opd,
                dec(b1[0]),
                dec(b1[1]),
            ],
        ],  # fmt: skip
        sep=";",
        encoding="utf-8-sig",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbfNo;")

    result = read_projects(path, level="provinsi")

    stored = result.projects
    assert stored["project_id"].tolist() == ["1.03.10.2.03.0001", "1.03.10.2.03.0002"]
    assert stored["budget_idr"].tolist() == [1_250_000_000.0, 12_500_000_000.5]
    assert stored["funding_source"].tolist() == ["APBD Provinsi", "DAK"]
    assert stored["agency"].tolist() == [opd, opd]
    assert stored["year_start"].tolist() == [2025, 2025]
    assert_at(stored, [bridge(0), bridge(1)])
    assert_same(stored, level="provinsi", year_end=2025, asset_type="bridge")
    assert_balanced(result.report, read=2, stored=2)


def test_csv_start_and_end_points_make_a_line_and_a_start_only_row_a_point(tmp_path):
    (x0, y0), (x1, y1) = road(0).coords
    s, e = lonlat(x0, y0), lonlat(x1, y1)
    b = lonlat(*bridge(0).coords[0])
    path = write_csv(
        tmp_path / "geotagging.csv",
        [
            [
                "Kode Paket",
                "Nama Paket",
                "Tahun",
                "Pagu (Rp)",
                "OPD",
                "Lintang Awal",
                "Bujur Awal",
                "Lintang Akhir",
                "Bujur Akhir",
            ],
            [
                "P-1",
                "Rehabilitasi Jalan Jambi – Tempino",
                "2025",
                "12.500.000.000,00",
                "Dinas",
                dec(s[1]),
                dec(s[0]),
                dec(e[1]),
                dec(e[0]),
            ],
            [
                "P-2",
                "Rehabilitasi Jembatan Sungai Terap",
                "2025",
                "2.750.000.000,00",
                "Dinas",
                dec(b[1]),
                dec(b[0]),
                "",
                "",
            ],
        ],  # fmt: skip
        sep=";",
        encoding="utf-8-sig",
    )

    result = read_projects(path, level="provinsi")

    stored = result.projects
    assert stored["project_id"].tolist() == ["P-1", "P-2"]
    assert stored["asset_type"].tolist() == ["road", "bridge"]
    assert stored["name"].tolist()[0] == "Rehabilitasi Jalan Jambi – Tempino"
    assert_at(stored, [road(0), bridge(0)])  # a LineString start -> end, then a Point
    assert_same(stored, level="provinsi", agency="Dinas", year_start=2025, year_end=2025)
    assert_balanced(result.report, read=2, stored=2)
    assert (
        "geotagging.csv: 1 records given as start and end points joined by a straight line (no "
        "road network given: the road itself may run elsewhere; pass --roads)"
    ) in result.report.notes


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_table_with_a_wkt_column(tmp_path, suffix):
    rows = [
        [*HEADER, "Geometri (WKT)"],
        ["W-1", "Peningkatan Jalan Desa Pudak", "2025", "3.450.000.000,00", AGENCY,
         to_lonlat(road(0)).wkt],
        ["W-2", "Pembangunan Jembatan Kumpeh", "2024-2026", "750 jt", AGENCY,
         to_lonlat(bridge(0)).wkt],
        ["W-3", "D.I. Kumpeh", "2025", "1,250,000,000.00", AGENCY, to_lonlat(field(0)).wkt],
    ]  # fmt: skip
    path = tmp_path / f"paket{suffix}"
    if suffix == ".csv":
        write_csv(path, rows)
    else:
        write_xlsx(path, {"Paket": rows})

    result = read_projects(path, level="kab")

    stored = result.projects
    assert stored["project_id"].tolist() == ["W-1", "W-2", "W-3"]
    assert stored["level"].tolist() == ["kabupaten"] * 3
    assert stored["budget_idr"].tolist() == [3_450_000_000.0, 750_000_000.0, 1_250_000_000.0]
    assert stored["year_start"].tolist() == [2025, 2024, 2025]
    assert stored["year_end"].tolist() == [2025, 2026, 2025]
    assert stored["asset_type"].tolist() == ["road", "bridge", "irrigation"]
    assert stored["source_row"].tolist() == [2, 3, 4]
    assert_at(stored, [road(0), bridge(0), field(0)])
    assert_same(stored, agency=AGENCY)
    assert_balanced(result.report, read=3, stored=3)


def test_xlsx_with_title_rows_and_two_sheets(tmp_path):
    b = lonlat(*bridge(0).coords[0])
    jalan = [
        ["DAFTAR PAKET PEKERJAAN TAHUN ANGGARAN 2025"],
        ["DINAS PUPR KABUPATEN MUARO JAMBI"],
        [],
        ["Sumber: SIPD, diunduh 3 Januari 2025"],
        ["No", "Nama Paket", "Tahun", "Pagu", "Sumber Dana", "Geometri (WKT)"],
        [1, "Peningkatan Jalan Desa Pudak – Kumpeh", 2025, 3_450_000_000, "DAK",
         to_lonlat(road(0)).wkt],
        [2, "Pemeliharaan Jalan Lintas (Ruas Nasional)", 2025, "1.200.000.000,00",
         "APBD Kabupaten", to_lonlat(road(1)).wkt],
    ]  # fmt: skip
    jembatan = [
        ["Kode", "Nama Paket", "Tahun", "Pagu", "Bujur", "Lintang"],
        ["JBT-01", "Rehabilitasi Jembatan Desa", 2025, 500_000_000, b[0], b[1]],
    ]
    catatan = [["Catatan"], ["Semua nilai dalam rupiah"]]
    path = write_xlsx(
        tmp_path / "rencana.xlsx", {"Jalan": jalan, "Jembatan": jembatan, "Catatan": catatan}
    )

    result = read_projects(path, level="kabupaten", agency="Dinas PUPR Kab. Muaro Jambi")

    stored = result.projects
    assert stored["project_id"].tolist() == ["rencana.xlsx:Jalan#6", "rencana.xlsx:Jalan#7",
                                             "JBT-01"]  # fmt: skip
    assert stored["source_layer"].tolist() == ["rencana.xlsx:Jalan"] * 2 + ["rencana.xlsx:Jembatan"]
    assert stored["source_row"].tolist() == [6, 7, 2]  # the sheet's own row numbers
    assert stored["budget_idr"].tolist() == [3_450_000_000.0, 1_200_000_000.0, 500_000_000.0]
    assert stored["funding_source"].tolist() == ["DAK", "APBD Kabupaten", None]
    assert stored["agency"].tolist() == ["Dinas PUPR Kab. Muaro Jambi"] * 3
    assert_at(stored, [road(0), road(1), bridge(0)])
    assert_same(stored, level="kabupaten", year_start=2025, year_end=2025)
    assert_balanced(result.report, read=3, stored=3)
    notes = result.report.notes
    assert "rencana.xlsx:Jalan: header found on row 5; rows above it skipped as titles" in notes
    assert "rencana.xlsx:Catatan: no location columns; sheet not read" in notes
    assert (
        "rencana.xlsx:Jalan: no id column (kode paket); ids made from row numbers as "
        "'rencana.xlsx:Jalan#ROW' — map one with --map project_id=COLUMN"
    ) in notes


def test_cp1252_csv_is_decoded_and_reported(tmp_path):
    b = lonlat(*bridge(0).coords[0])
    name = "Penggantian Jembatan Café – Sungai Terap’s"
    path = write_csv(
        tmp_path / "excel_lama.csv",
        [[*HEADER, "bujur", "lintang"], ["J-1", name, "2025", "9800000000", AGENCY, *b]],
        encoding="cp1252",
    )
    assert "–".encode("cp1252") in path.read_bytes()

    result = read_projects(path, level="pusat")

    assert result.projects["name"].tolist() == [name]
    assert result.report.notes[0] == "excel_lama.csv: not UTF-8; read as cp1252"
    assert_at(result.projects, [bridge(0)])
    assert_same(result.projects, level="pusat", agency=AGENCY, budget_idr=9_800_000_000.0)
    assert_balanced(result.report, read=1, stored=1)


def test_report_lists_every_record_once_in_read_order(tmp_path):
    path = tmp_path / "jalan.gpkg"
    pyogrio.write_dataframe(roads(3), path)

    result = read_projects(path, level="pusat")

    assert outcomes(result.report) == [
        (1, pid(0), "stored"),
        (2, pid(1), "stored"),
        (3, pid(2), "stored"),
    ]
    assert result.projects.crs.to_epsg() == 4326
    assert result.projects.geometry.iloc[0].equals_exact(to_lonlat(road(0)), TOL_DEG)


@pytest.mark.parametrize(
    ("header", "idr"),
    [
        ("Pagu (Rp 000)", 1_250_000_000.0),
        ("Nilai Pagu (Ribu Rupiah)", 1_250_000_000.0),
        ("Anggaran (Juta Rp)", 1_250_000_000_000.0),
        ("Pagu (Rp)", 1_250_000.0),
    ],
)
def test_a_budget_column_named_with_its_money_unit_is_read_in_rupiah(tmp_path, header, idr):
    # "Pagu (Rp 000)" holds thousands of rupiah: read as rupiah it would be 1,000 times short.
    b0 = lonlat(*bridge(0).coords[0])
    path = write_csv(
        tmp_path / "sipd.csv",
        [
            ["Kode Paket", "Nama Paket", "Tahun", header, "OPD", "Bujur", "Lintang"],
            [
                "P-1",
                "Rehabilitasi Jembatan A",
                "2025",
                "1.250.000",
                "Dinas PUPR Provinsi Jambi",
                dec(b0[0]),
                dec(b0[1]),
            ],
        ],  # fmt: skip
        sep=";",
    )
    stored = read_projects(path, level="provinsi").projects
    assert stored["budget_idr"].tolist() == [idr]
