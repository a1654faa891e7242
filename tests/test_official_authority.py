"""Authority from the official record: a Daerah Irigasi layer's own ``Kewenangan`` and a road
network's status decree (SK). Geometry in UTM 48S (metres)."""

from __future__ import annotations

import csv

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, Point, box

from cli import main
from geo.analyse.authority import find_mismatches
from geo.read.reference import read_reference
from tests.geometries import UTM, X0, Y0

PERMEN_SEDANG = "Permen PUPR 14/2015: D.I. 1.000-3.000 ha kewenangan Pemerintah Provinsi"


@pytest.fixture
def di_file(tmp_path):
    """Four D.I. as a river-basin office exports them: ``Nama_DI``, ``Luas_ha``, ``Kewenangan``.

    Air Betung's official kewenangan (Pusat) differs from the area thresholds (1,500 ha:
    provinsi); Sungai Duren's (Kabupaten, 500 ha) agrees; Tanjung has none (4,000 ha: the
    thresholds decide, pusat); Rawa's cannot be read.
    """
    areas = gpd.GeoDataFrame(
        {
            "Kode_DI": ["DI-01", "DI-02", "DI-03", "DI-04"],
            "Nama_DI": ["D.I. Air Betung", "D.I. Sungai Duren", "D.I. Tanjung", "D.I. Rawa"],
            "Luas_ha": [1500.0, 500.0, 4000.0, 800.0],
            "Kewenangan": ["Pusat", "Kabupaten", "", "Swasta"],
        },
        geometry=[box(X0 + 5000 * i, Y0, X0 + 5000 * i + 2000, Y0 + 2000) for i in range(4)],
        crs=UTM,
    )
    path = tmp_path / "daerah_irigasi.gpkg"
    pyogrio.write_dataframe(areas, path)
    return path


def test_the_di_layers_own_kewenangan_is_read_with_a_line_where_it_differs(di_file):
    result = read_reference(di_file, "irrigation")
    authority = [v if isinstance(v, str) else None for v in result.layer["authority"]]
    assert authority == ["pusat", "kabupaten", None, None]
    assert result.layer["area_ha"].tolist() == [1500.0, 500.0, 4000.0, 800.0]
    assert (
        "daerah_irigasi.gpkg: kewenangan from column 'Kewenangan' for 2 D.I.: it decides "
        "(kewenangan menurut data D.I.); 1 differ from the Permen PUPR 14/2015 area thresholds"
    ) in result.report.notes
    outcomes = {r.project_id: (r.outcome, r.reason) for r in result.report.records}
    assert outcomes == {
        "DI-01": (
            "stored",
            "kewenangan pusat in the layer decides; the Permen PUPR 14/2015 area thresholds "
            "give provinsi (1,500 ha)",
        ),
        "DI-02": ("stored", ""),
        "DI-03": ("stored", ""),
        "DI-04": (
            "stored",
            "kewenangan not read ('Swasta' is not a kewenangan; use Pusat, Provinsi or "
            "Kabupaten): the Permen PUPR 14/2015 area thresholds decide",
        ),
    }


def irrigation_works(rows: list[tuple[str, str, int]]) -> gpd.GeoDataFrame:
    """(id, level, D.I. number) -> a 100 ha work in the middle of that D.I., EPSG:4326."""
    return gpd.GeoDataFrame(
        {
            "project_id": [r[0] for r in rows],
            "name": "Rehabilitasi Jaringan Irigasi",
            "level": [r[1] for r in rows],
            "agency": [f"Dinas {r[1]}" for r in rows],
            "asset_type": "irrigation",
            "year_start": 2025,
            "funding_source": None,
        },
        geometry=[
            box(X0 + 5000 * r[2] + 500, Y0 + 500, X0 + 5000 * r[2] + 1500, Y0 + 1500) for r in rows
        ],
        crs=UTM,
    ).to_crs(4326)


def test_the_official_kewenangan_decides_and_the_thresholds_are_reported_beside_it(di_file):
    areas = read_reference(di_file, "irrigation").layer
    projects = irrigation_works(
        [
            ("PROV-1", "provinsi", 0),  # official pusat; the thresholds would say provinsi
            ("BWS-1", "pusat", 0),  # official pusat: no mismatch, whatever the thresholds say
            ("PROV-2", "provinsi", 1),  # official kabupaten, as the thresholds
            ("KAB-3", "kabupaten", 2),  # no official kewenangan: > 3,000 ha, pusat
            ("PROV-4", "provinsi", 3),  # kewenangan not read: < 1,000 ha, kabupaten
        ]
    )
    found = find_mismatches(projects, irrigation_areas=areas).set_index("project_id")
    assert sorted(found.index) == ["KAB-3", "PROV-1", "PROV-2", "PROV-4"]
    assert found.loc["PROV-1", "expected_level"] == "pusat"
    assert found.loc["PROV-1", "rule"] == (
        "Kewenangan menurut data D.I.: kewenangan Pemerintah Pusat"
    )
    assert found.loc["PROV-1", "note"].endswith(
        f"; berbeda dengan {PERMEN_SEDANG} (kewenangan menurut data D.I. yang berlaku)"
    )
    assert found.loc["PROV-2", "rule"] == (
        "Kewenangan menurut data D.I.: kewenangan Pemerintah Kabupaten/Kota"
    )
    assert found.loc["PROV-2", "note"].endswith("; sesuai Permen PUPR 14/2015")
    assert found.loc["KAB-3", "rule"] == "Permen PUPR 14/2015: D.I. > 3.000 ha kewenangan " + (
        "Pemerintah Pusat"
    )
    assert found.loc["PROV-4", "expected_level"] == "kabupaten"
    assert found.loc["PROV-4", "rule"].startswith("Permen PUPR 14/2015: D.I. < 1.000 ha")


def test_cli_authority_cites_the_di_data(di_file, tmp_path):
    projects = irrigation_works([("PROV-1", "provinsi", 0)])
    table = tmp_path / "paket.gpkg"
    projects.drop(columns="funding_source").to_file(table)
    out = tmp_path / "kewenangan.csv"
    code = main(["authority", str(table), "--irrigation", str(di_file), "--out", str(out)])
    assert code == 0
    with open(out, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["project_id"], r["expected_level"], r["rule"]) for r in rows] == [
        ("PROV-1", "pusat", "Kewenangan menurut data D.I.: kewenangan Pemerintah Pusat")
    ]


def test_a_road_networks_status_decree_is_cited(tmp_path):
    roads = gpd.GeoDataFrame(
        {
            "KODE_RUAS": ["P-012", "K-034"],
            "STATUS": ["Provinsi", "Kabupaten"],
            "NO_SK": ["SK Gubernur Jambi No. 620/2021", ""],
        },
        geometry=[
            LineString([(X0, Y0), (X0 + 3000, Y0)]),
            LineString([(X0, Y0 + 5000), (X0 + 3000, Y0 + 5000)]),
        ],
        crs=UTM,
    )
    path = tmp_path / "ruas_sk.gpkg"
    pyogrio.write_dataframe(roads, path)
    result = read_reference(path, "roads")
    assert result.layer["decree"].iloc[0] == "SK Gubernur Jambi No. 620/2021"
    assert pd.isna(result.layer["decree"].iloc[1])
    assert (
        "ruas_sk.gpkg: road status from the decree in column 'NO_SK' (1 ruas): authority "
        "checks cite it"
    ) in result.report.notes
    projects = gpd.GeoDataFrame(
        {
            "project_id": ["KAB-1", "PROV-2"],
            "level": ["kabupaten", "provinsi"],
            "agency": ["Dinas PUPR Kab. X", "Dinas PUPR Provinsi"],
            "asset_type": "road",
            "year_start": 2025,
        },
        geometry=[
            LineString([(X0 + 500, Y0 + 5), (X0 + 2500, Y0 + 5)]),
            LineString([(X0 + 500, Y0 + 5005), (X0 + 2500, Y0 + 5005)]),
        ],
        crs=UTM,
    ).to_crs(4326)
    found = find_mismatches(projects, roads=result.layer).set_index("project_id")
    assert found.loc["KAB-1", "rule"] == (
        "Status jalan menurut SK Gubernur Jambi No. 620/2021; "
        "UU 2/2022 jo. PP 34/2006: jalan provinsi kewenangan Pemerintah Provinsi"
    )
    # A ruas without a decree is judged by its status as before.
    assert found.loc["PROV-2", "rule"] == (
        "UU 2/2022 jo. PP 34/2006: jalan kabupaten/kota kewenangan Pemerintah Kabupaten/Kota"
    )
    assert found.loc["PROV-2", "along_m"] == pytest.approx(2000.0, abs=1.0)


def test_a_di_point_work_is_judged_by_the_official_kewenangan(di_file):
    areas = read_reference(di_file, "irrigation").layer
    point = gpd.GeoDataFrame(
        {
            "project_id": ["KAB-9"],
            "level": ["kabupaten"],
            "agency": ["Dinas PUPR Kab. X"],
            "asset_type": ["irrigation"],
            "year_start": [2025],
        },
        geometry=[Point(X0 + 1000, Y0 + 1000)],
        crs=UTM,
    ).to_crs(4326)
    found = find_mismatches(point, irrigation_areas=areas)
    assert found[["project_id", "expected_level"]].values.tolist() == [["KAB-9", "pusat"]]
    assert pd.isna(found["inside_ha"].iloc[0])
    assert (
        found["note"]
        .iloc[0]
        .startswith(
            "Dinas PUPR Kab. X (tingkat kabupaten) mengerjakan titik irigasi di DI-01 D.I. Air Betung "
            "(1.500 ha): kewenangan Pemerintah Pusat"
        )
    )


def test_a_sisda_style_di_layer_gives_its_luas_baku_and_kewenangan(tmp_path):
    # The attribute names of D.I. layers exported from SISDA (the water-resources information
    # system): Nama_DI, Luas_CEA (the luas baku, ha), Kewenangan, Status.
    layer = gpd.GeoDataFrame(
        {
            "Nama_DI": ["D.I. Leuwigoong"],
            "Luas_CEA": [3123.0],
            "Kewenangan": ["Pemerintah Provinsi"],
            "Status": ["Aktif"],
        },
        geometry=[box(X0, Y0, X0 + 1000, Y0 + 1000)],
        crs=UTM,
    )
    path = tmp_path / "di_sisda.geojson"
    layer.to_crs(4326).to_file(path, driver="GeoJSON")
    result = read_reference(path, "irrigation")
    row = result.layer.iloc[0]
    assert (row["di_id"], row["area_ha"], row["authority"]) == (
        "D.I. Leuwigoong",
        3123.0,
        "provinsi",
    )
    (outcome,) = result.report.records
    assert outcome.reason == (
        "kewenangan provinsi in the layer decides; the Permen PUPR 14/2015 area thresholds "
        "give pusat (3,123 ha)"
    )
