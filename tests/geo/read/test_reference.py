"""Reference layers read like uploads and mapped to canonical columns."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import LineString, Polygon

from cli import main
from geo.errors import MappingError
from geo.read.reference import read_reference
from geo.store import open_store
from tests.conftest import REFERENCE

UTM = 32748


def test_road_network_with_indonesian_columns_and_codes(tmp_path):
    roads = gpd.GeoDataFrame(
        {
            "KODE_RUAS": ["015", "016", "K-01"],
            "NAMA_RUAS": ["Jambi – Tempino", "Tempino – X", ""],
            "STATUS": ["Nasional", "Jalan Provinsi", "lokal"],
            "KONDISI": ["RB", "baik", None],
            "TAHUN_MULAI": [2020, None, None],
        },
        geometry=[
            LineString([(400000, 9820000), (401000, 9820000)]),
            LineString([(401000, 9820000), (402000, 9820500)]),
            LineString([(402000, 9820500), (403000, 9821000)]),
        ],
        crs=UTM,
    )
    path = tmp_path / "jaringan_jalan.gpkg"
    pyogrio.write_dataframe(roads, path)
    result = read_reference(path, "jalan")
    layer = result.layer
    assert list(layer.columns) == [
        "road_id",
        "name",
        "status",
        "decree",
        "condition",
        "valid_from",
        "valid_to",
        "geometry",
    ]
    assert layer["road_id"].tolist() == ["015", "016"]
    assert layer["status"].tolist() == ["nasional", "provinsi"]
    assert layer["condition"].tolist() == ["rusak berat", "baik"]
    assert layer["valid_from"].tolist()[0] == 2020
    assert layer.crs.to_epsg() == 4326
    rejected = [r for r in result.report.records if r.outcome == "rejected"]
    assert [(r.project_id, r.reason) for r in rejected] == [
        ("K-01", "status: 'lokal' is not a road status; use desa, kabupaten, nasional, provinsi")
    ]


def test_irrigation_areas_take_luas_or_measure_it(tmp_path):
    square = Polygon([(400000, 9820000), (401000, 9820000), (401000, 9821000), (400000, 9821000)])
    with_area = gpd.GeoDataFrame(
        {"NAMA_DI": ["D.I. Contoh"], "LUAS_HA": ["1.250,5"], "LINTAS_KAB": ["Ya"]},
        geometry=[square],
        crs=UTM,
    )
    path = tmp_path / "di.gpkg"
    pyogrio.write_dataframe(with_area, path)
    layer = read_reference(path, "irigasi").layer
    assert (layer.loc[0, "di_id"], layer.loc[0, "area_ha"]) == ("D.I. Contoh", 1250.5)
    assert bool(layer.loc[0, "crosses_kabupaten"]) is True

    no_area = tmp_path / "di_tanpa_luas.gpkg"
    pyogrio.write_dataframe(with_area.drop(columns="LUAS_HA"), no_area)
    result = read_reference(no_area, "irrigation")
    assert result.layer.loc[0, "area_ha"] == pytest.approx(100.0, rel=0.002)
    assert any("area measured from the polygons" in n for n in result.report.notes)


def test_real_kabupaten_boundaries_become_units():
    result = read_reference(REFERENCE / "idn_adm2_kabkota.geojson", "units")
    units = result.layer.set_index("unit_id")
    assert len(units) == 514
    assert units.loc["15.71", "unit_name"].upper().endswith("JAMBI")


def test_a_network_without_status_names_the_fix(tmp_path):
    path = tmp_path / "jalan.geojson"
    gpd.GeoDataFrame(
        {"nama": ["x"]}, geometry=[LineString([(103, -1), (103.1, -1)])], crs=4326
    ).to_file(path)
    with pytest.raises(MappingError, match=r"jalan\.geojson: no column for status; "
                                           r"pass --map status=COLUMN"):  # fmt: skip
        read_reference(path, "roads")


def test_a_network_without_status_is_read_for_locating_when_asked(tmp_path):
    path = tmp_path / "gis_osm_roads_free_1.shp"
    gpd.GeoDataFrame(
        {"osm_id": ["10", "11"], "fclass": ["primary", "service"], "name": ["Jl. A", None]},
        geometry=[LineString([(103, -1), (103.1, -1)]), LineString([(103, -1.1), (103.1, -1.1)])],
        crs=4326,
    ).to_file(path)
    result = read_reference(path, "roads", status_optional=True)
    assert result.layer["road_id"].tolist() == ["10", "11"]
    assert result.layer["status"].isna().all()
    assert (
        "gis_osm_roads_free_1.shp: no column for status: every road is read without a status, "
        "to locate projects and measure overlaps; kewenangan needs one (--map status=COLUMN)"
    ) in result.report.notes


def test_osm_layer_bridge_and_tunnel_tags_give_each_road_its_deck(tmp_path):
    """Geofabrik's roads: ``bridge``/``tunnel`` as T/F, ``layer`` a number, ``fclass`` the
    class. A flyover or tunnel tagged so is on its own deck even when its name says nothing."""
    path = tmp_path / "gis_osm_roads_free_1.shp"
    gpd.GeoDataFrame(
        {
            "osm_id": ["10", "11", "12"],
            "fclass": ["primary", "motorway", "trunk"],
            "name": ["Jl. Gatot Subroto", "Jl. Tol Dalam Kota", "Jl. Casablanca"],
            "layer": [0, 1, -1],
            "bridge": ["F", "T", "F"],
            "tunnel": ["F", "F", "T"],
        },
        geometry=[
            LineString([(106.8, -6.2 - k / 1e3), (106.82, -6.2 - k / 1e3)]) for k in range(3)
        ],
        crs=4326,
    ).to_file(path)
    result = read_reference(path, "roads", status_optional=True)
    assert result.layer["deck"].tolist() == [0.0, 1.0, -1.0]
    assert result.layer["road_class"].tolist() == ["primary", "motorway", "trunk"]
    assert (
        "gis_osm_roads_free_1.shp: deck of each road from layer, bridge, tunnel: 1 raised "
        "(bridge, flyover, elevated), 1 below ground; a work is located on a road of its own deck"
    ) in result.report.notes


def test_roads_with_a_blank_status_are_kept_without_one(tmp_path):
    """An RBI layer fills AUTRJL on some roads only (``0`` or blank on the rest): those roads
    stay in the network, without a status, rather than being rejected."""
    path = tmp_path / "JALAN_LN_25K.shp"
    gpd.GeoDataFrame(
        {
            "NAMRJL": ["Jalan Gatot Subroto", "Jalan Tol Layang", "Jalan Kecil"],
            "AUTRJL": ["Jalan Nasional", None, "0"],
        },
        geometry=[
            LineString([(106.80, -6.2), (106.82, -6.2)]),
            LineString([(106.80, -6.19996), (106.82, -6.19996)]),
            LineString([(106.80, -6.2001), (106.82, -6.2001)]),
        ],
        crs=4326,
    ).to_file(path)
    result = read_reference(path, "roads")
    assert result.layer["status"].tolist() == ["nasional", None, None]
    assert result.report.counts == {"read": 3, "stored": 3, "repaired": 0, "rejected": 0}
    assert (
        "JALAN_LN_25K.shp: 2 road(s) without a status (column 'AUTRJL' blank): kept in the "
        "network, where projects are located and overlaps measured; kewenangan and coverage are "
        "judged on roads with one"
    ) in result.report.notes


def test_cli_stores_the_reference_layer(tmp_path, capsys):
    store = tmp_path / "peta.gpkg"
    code = main(
        ["reference", "units", str(REFERENCE / "idn_adm2_kabkota.geojson"), "--store", str(store)]
    )
    assert code == 0, capsys.readouterr().err
    assert len(open_store(store).load_reference("admin_units")) == 514
