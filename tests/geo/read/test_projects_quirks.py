"""Real project lists: cut DBF names, multi-year contracts, placeholders in optional fields,
dates instead of years, pagu beside the contract value, blank and doubled id columns."""

from __future__ import annotations

import math

import pytest

from geo.errors import MappingError
from geo.read.projects import read_projects
from geo.read.values import year_of_date
from geo.schema import is_missing
from geo.store import open_store
from tests.io_fixtures import assert_balanced, rejected, roads, write_csv, write_shapefile

HEADER = ["kode_paket", "nama_paket", "satker", "bujur", "lintang"]


def balai_list(tmp_path, extra_header, extra_rows):
    """A Balai work-package list: 4 bridges with the given extra columns."""
    rows = [HEADER + extra_header]
    for i, extra in enumerate(extra_rows):
        rows.append([f"B-{i}", f"Jembatan {i}", "BBWS Sumatera VI", 103.6 + i / 100, -1.6, *extra])
    return write_csv(tmp_path / "paket_balai.csv", rows)


def test_dbf_names_cut_to_10_characters_are_read_with_a_line_each_cp1252(tmp_path):
    frame = roads(
        2,
        TAHUN_MULA=[2021, 2025],
        TAHUN_SELE=[2023, 2025],
        SUMBER_DAN=["APBN (MYC)", "SBSN"],
        NILAI_KONT=["12.500.000.000,00", "-"],
        KETERANGAN=["Jalan lintas timur – ruas Sengeti", "Pemeliharaan rutin"],
    ).drop(columns=["TA"])
    shp = write_shapefile(frame, tmp_path, "paket", encoding="cp1252", drop=(".cpg",))[".shp"]

    result = read_projects(shp, level="pusat")

    assert result.projects[["year_start", "year_end"]].values.tolist() == [[2021, 2023]] + [
        [2025, 2025]
    ]
    assert result.projects["funding_source"].tolist() == ["APBN (MYC)", "SBSN"]
    assert result.projects["contract_value_idr"].tolist()[0] == 12_500_000_000.0
    assert math.isnan(result.projects["contract_value_idr"].tolist()[1])
    assert result.projects["budget_idr"].tolist()[0] == 1_250_000_000.0  # PAGU stays the budget
    notes = result.report.notes
    assert "paket.shp: no .cpg; text encoding detected as cp1252" in notes
    for line in (
        "paket.shp: column 'TAHUN_MULA' read as year_start (tahun_mulai cut to 10 characters "
        "by the DBF format; pass --map year_start=COLUMN to use another)",
        "paket.shp: column 'TAHUN_SELE' read as year_end (tahun_selesai cut to 10 characters "
        "by the DBF format; pass --map year_end=COLUMN to use another)",
        "paket.shp: column 'SUMBER_DAN' read as funding_source (sumber_dana cut to 10 "
        "characters by the DBF format; pass --map funding_source=COLUMN to use another)",
        "paket.shp: column 'NILAI_KONT' read as contract_value_idr (nilai_kontrak cut to 10 "
        "characters by the DBF format; pass --map contract_value_idr=COLUMN to use another)",
        "paket.shp: budget (pagu) from column 'PAGU'; the contract value in 'NILAI_KONT' is "
        "kept beside it",
        "paket.shp: 1 records with no contract value in column 'NILAI_KONT' (empty, '-' or "
        "'n/a'): stored without one",
    ):
        assert line in notes
    assert_balanced(result.report, read=2, stored=2)


@pytest.mark.parametrize(
    ("value", "years"),
    [
        ("MYC 2021-2023", (2021, 2023)),
        ("2021-2023", (2021, 2023)),
        ("Tahun Jamak 2021 s/d 2023", (2021, 2023)),
        ("TA 2025", (2025, 2025)),
    ],
)
def test_a_multi_year_contract_keeps_its_end_year(tmp_path, value, years):
    path = balai_list(tmp_path, ["tahun"], [[value]])
    result = read_projects(path, level="pusat", asset_type="jembatan")
    assert tuple(result.projects[["year_start", "year_end"]].iloc[0]) == years


def test_placeholders_in_optional_fields_are_missing_not_rejections(tmp_path):
    path = balai_list(
        tmp_path,
        ["tahun", "pagu", "sumber_dana", "status"],
        [
            ["2025", "-", "—", "n/a"],
            ["2025", "–", "APBN", "-"],
            ["2025", "", "N/A", "kontrak"],
            ["2025", "Rp 1,25 M", "APBN", "selesai"],
        ],
    )
    result = read_projects(path, level="pusat", asset_type="jembatan")
    assert_balanced(result.report, read=4, stored=4)
    budgets = result.projects["budget_idr"].tolist()
    assert [math.isnan(b) for b in budgets[:3]] == [True, True, True]
    assert budgets[3] == 1_250_000_000.0
    funding = result.projects["funding_source"].where(result.projects["funding_source"].notna())
    assert funding.fillna("").tolist() == ["", "APBN", "", "APBN"]
    assert result.projects["status"].fillna("").tolist() == ["", "", "kontrak", "selesai"]
    assert (
        "paket_balai.csv: 3 records with no budget (pagu) in column 'pagu' (empty, '-' or "
        "'n/a'): stored without one"
    ) in result.report.notes


def test_a_bad_budget_is_still_rejected_with_its_reason(tmp_path):
    path = balai_list(tmp_path, ["tahun", "pagu"], [["2025", "sekitar satu miliar"]])
    result = read_projects(path, level="pusat", asset_type="jembatan")
    assert rejected(result.report) == {
        "B-0": "'sekitar satu miliar' is not an amount in rupiah (write e.g. 1.250.000,00)"
    }


def test_with_no_year_column_the_year_comes_from_the_date(tmp_path):
    path = balai_list(
        tmp_path,
        ["tgl_kontrak"],
        [["03 Jun 2022"], ["25 Mei 2021"], ["2022-06-03"], ["44715"]],
    )
    result = read_projects(path, level="pusat", asset_type="jembatan")
    assert result.projects["year_start"].tolist() == [2022, 2021, 2022, 2022]
    assert result.projects["year_end"].tolist() == [2022, 2021, 2022, 2022]
    assert (
        "paket_balai.csv: no year column; the year of each record is taken from its date in "
        "column 'tgl_kontrak' (pass --map year=COLUMN to use another)"
    ) in result.report.notes


@pytest.mark.parametrize(
    ("value", "year"),
    [("3 Agustus 2023", 2023), ("03/06/2022", 2022), ("1 Des 2020", 2020), (45292.0, 2024)],
)
def test_year_of_date(value, year):
    assert year_of_date(value) == year


@pytest.mark.parametrize("value", ["31 Foo 2022", "2022-13-40", "kemarin", 12.0])
def test_year_of_date_refuses_what_is_not_a_date(value):
    with pytest.raises(ValueError, match="is not a date"):
        year_of_date(value)


def test_a_date_that_is_not_one_rejects_its_record_only(tmp_path):
    path = balai_list(tmp_path, ["tanggal"], [["03 Jun 2022"], ["segera"]])
    result = read_projects(path, level="pusat", asset_type="jembatan")
    assert rejected(result.report) == {
        "B-1": "'segera' is not a date (write e.g. 03 Jun 2022 or 2022-06-03)"
    }


def test_pagu_is_the_budget_and_the_contract_value_is_stored_beside_it(tmp_path):
    path = balai_list(
        tmp_path,
        ["tahun", "pagu", "nilai_kontrak"],
        [["2025", "1.500.000.000,00", "1.321.000.000,00"], ["2025", "900 jt", "-"]],
    )
    result = read_projects(path, level="pusat", asset_type="jembatan")
    assert result.projects["budget_idr"].tolist() == [1_500_000_000.0, 900_000_000.0]
    assert result.projects["contract_value_idr"].tolist()[0] == 1_321_000_000.0
    store = open_store(tmp_path / "peta.gpkg")
    store.import_result(result)
    import pyogrio

    stored = pyogrio.read_dataframe(tmp_path / "peta.gpkg", layer="projects")
    assert stored["contract_value_idr"].tolist()[0] == 1_321_000_000.0
    assert len(store.load_projects()) == 2


def test_the_contract_value_is_the_budget_when_there_is_no_pagu(tmp_path):
    path = balai_list(tmp_path, ["tahun", "nilai_kontrak"], [["2025", "1.321.000.000,00"]])
    result = read_projects(path, level="pusat", asset_type="jembatan")
    assert result.projects["budget_idr"].tolist() == [1_321_000_000.0]
    assert (
        "paket_balai.csv: no pagu column; the budget is the contract value in column "
        "'nilai_kontrak'"
    ) in result.report.notes


def test_a_blank_id_column_is_never_used_and_is_named(tmp_path):
    rows = [["kode_paket", "id_paket", "nama_paket", "satker", "tahun", "bujur", "lintang"]]
    rows += [["", f"X-{i}", f"Jembatan {i}", "BPJN", 2025, 103.6 + i / 100, -1.6] for i in range(3)]
    path = write_csv(tmp_path / "blank.csv", rows)
    result = read_projects(path, level="pusat", asset_type="jembatan")
    assert result.projects["project_id"].tolist() == ["X-0", "X-1", "X-2"]
    assert (
        "blank.csv: column 'kode_paket' is blank in every feature; not used as project_id — "
        "pass --map project_id=COLUMN with a column that holds the ids"
    ) in result.report.notes

    with pytest.raises(MappingError, match="column 'kode_paket' is blank in every feature"):
        read_projects(
            path, level="pusat", asset_type="jembatan", mapping={"project_id": "kode_paket"}
        )


def test_only_blank_id_columns_leave_ids_made_from_rows(tmp_path):
    rows = [["kode", "nama_paket", "satker", "tahun", "bujur", "lintang"]]
    rows += [["-", f"Jembatan {i}", "BPJN", 2025, 103.6 + i / 100, -1.6] for i in range(2)]
    result = read_projects(
        write_csv(tmp_path / "p.csv", rows), level="pusat", asset_type="jembatan"
    )
    assert result.projects["project_id"].tolist() == ["p#2", "p#3"]


def test_osm_at_id_and_id_holding_the_same_values_are_one_id(tmp_path):
    import geopandas as gpd
    from shapely.geometry import LineString

    frame = gpd.GeoDataFrame(
        {
            "@id": ["way/101", "way/102"],
            "id": ["way/101", "way/102"],
            "name": ["Jalan Lingkar Barat", "Jalan Sudirman"],
            "highway": ["primary", "secondary"],
            "tahun": [2025, 2025],
        },
        geometry=[
            LineString([(103.60, -1.60), (103.61, -1.60)]),
            LineString([(103.62, -1.60), (103.63, -1.60)]),
        ],
        crs=4326,
    )
    path = tmp_path / "export.geojson"
    frame.to_file(path)
    result = read_projects(path, level="kabupaten", agency="Dinas PUPR Kota Jambi")
    assert result.projects["project_id"].tolist() == ["way/101", "way/102"]
    assert (
        "export.geojson: columns '@id', 'id' hold the same values; '@id' used as project_id"
    ) in result.report.notes


def test_two_id_columns_with_different_values_are_still_asked_for(tmp_path):
    rows = [["kode", "id", "nama_paket", "satker", "tahun", "bujur", "lintang"]]
    rows += [
        [f"K{i}", f"{i}", f"Jembatan {i}", "BPJN", 2025, 103.6 + i / 100, -1.6] for i in (1, 2)
    ]
    with pytest.raises(MappingError, match="several columns could be project_id: 'kode', 'id'"):
        read_projects(write_csv(tmp_path / "p.csv", rows), level="pusat", asset_type="jembatan")


def test_is_missing_reads_dashes_and_na_as_nothing():
    assert [is_missing(v) for v in ("-", "–", "—", "n/a", "N/A", "", None, "0", "-5")] == [
        True,
        True,
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


def test_an_osm_layer_column_is_the_deck_and_keeps_an_elevated_road_apart(tmp_path):
    import geopandas as gpd
    from shapely import LineString

    from geo.analyse.overlap import find_overlaps

    line = LineString([(103.60, -1.60), (103.62, -1.60)])
    frame = gpd.GeoDataFrame(
        {
            "kode_paket": ["J-1", "J-2", "J-3"],
            "nama_paket": ["Preservasi Jalan A", "Preservasi Jalan B", "Preservasi Jalan C"],
            "satker": ["BPJN Jambi"] * 3,
            "tahun": [2025] * 3,
            "layer": ["1", "0", ""],
        },
        geometry=[line, line, line],
        crs=4326,
    )
    path = tmp_path / "jalan.geojson"
    frame.to_file(path)
    result = read_projects(path, level="pusat", asset_type="jalan")
    assert result.projects["deck"].tolist()[:2] == [1.0, 0.0]
    assert math.isnan(result.projects["deck"].tolist()[2])
    found = find_overlaps(result.projects)
    # J-1 is raised (layer 1); J-2 at ground (layer 0) and J-3 (no layer, a plain name) pair.
    assert [sorted(p) for p in zip(found["project_a"], found["project_b"], strict=True)] == [
        ["J-2", "J-3"]
    ]
