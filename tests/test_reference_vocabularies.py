"""Official and common vocabularies of reference layers: RBI (Rupabumi, KUGI attribute names),
OpenStreetMap exports, BPS/Kemendagri codes; blank code columns and placeholder ids.

The files are lookalikes of real ones (same attribute names, DBF encoding and CRS): the RBI
road layer JALAN_LN_25K carries NAMRJL, AUTRJL, REMARK (the road function, e.g. "Jalan
Kolektor"), MATRJL, FGSRJL ... with unfilled attributes as 0, as in the public RBI extracts.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, box

from cli import main
from geo.errors import MappingError
from geo.read.reference import read_reference
from geo.store import open_store
from tests.io_fixtures import write_shapefile, zip_shapefile


def rbi_roads(tmp_path, autrjl, **extra):
    """A zipped RBI-like JALAN_LN_25K shapefile, cp1252 DBF without .cpg, EPSG:4326."""
    n = len(autrjl)
    frame = gpd.GeoDataFrame(
        {
            "NAMRJL": [f"Jalan Lintas {i}" if i % 2 == 0 else None for i in range(n)],
            "KONRJL": ["0"] * n,
            "MATRJL": ["Aspal"] * n,
            "FGSRJL": ["0"] * n,
            "AUTRJL": autrjl,
            "REMARK": ["Jalan Kolektor"] * (n - 1) + ["Jalan Lokal – Desa Sengeti"],
            "LCODE": ["CA0080"] * n,
            **extra,
        },
        geometry=[
            LineString([(103.50 + i / 50, -1.60), (103.51 + i / 50, -1.60)]) for i in range(n)
        ],
        crs=4326,
    )
    parts = write_shapefile(frame, tmp_path / "rbi", "JALAN_LN_25K", encoding="cp1252")
    parts.pop(".cpg", None)
    (tmp_path / "rbi" / "JALAN_LN_25K.cpg").unlink(missing_ok=True)
    return zip_shapefile(tmp_path / "rbi_jalan.zip", parts, folder="RBI_25K")


def test_rbi_road_authority_names_map_to_statuses_with_a_reason_for_the_rest(tmp_path):
    path = rbi_roads(
        tmp_path,
        ["Jalan Nasional", "Jalan Provinsi", "Jalan Kabupaten", "Jalan Desa", "Jalan Tol"]
        + ["Jalan Lain", "2", "Jalan Kota"],
    )
    result = read_reference(path, "roads")
    layer = result.layer
    assert layer["status"].tolist() == [
        "nasional",
        "provinsi",
        "kabupaten",
        "desa",
        "nasional",
        "kabupaten",
    ]
    assert layer["name"].tolist()[:3] == [
        "Jalan Lintas 0",
        "JALAN_LN_25K#2",
        "Jalan Lintas 2",
    ]
    assert layer["road_class"].tolist()[-1] == "Jalan Lokal – Desa Sengeti"
    assert set(layer["surface"]) == {"Aspal"}
    rejected = {r.row: r.reason for r in result.report.records if r.outcome == "rejected"}
    assert rejected == {
        6: "status: 'Jalan Lain': not a public road (jalan khusus / lain): no level of "
        "government holds it, so it is not part of the reference network",
        7: "status: '2' is a numeric code, not a road status: give the status as text "
        "(nasional, provinsi, kabupaten, desa, tol) with --map status=COLUMN",
    }
    notes = result.report.notes
    assert "rbi_jalan.zip/RBI_25K/JALAN_LN_25K: no .cpg; text encoding detected as cp1252" in notes
    assert "rbi_jalan.zip/RBI_25K/JALAN_LN_25K: road_class from column 'REMARK'" in notes
    assert "rbi_jalan.zip/RBI_25K/JALAN_LN_25K: surface from column 'MATRJL'" in notes
    assert (
        "rbi_jalan.zip/RBI_25K/JALAN_LN_25K: column 'FGSRJL' is blank in every feature (0 is an RBI "
        "attribute never filled in); not used as road_class"
    ) not in notes  # road class is not a code: FGSRJL of zeros is simply passed over


def test_an_rbi_layer_whose_authority_was_never_filled_is_refused_and_says_why(tmp_path):
    path = rbi_roads(tmp_path, ["0"] * 4)
    with pytest.raises(MappingError) as caught:
        read_reference(path, "roads")
    assert caught.value.problems == [
        "rbi_jalan.zip/RBI_25K/JALAN_LN_25K: no column for status ('AUTRJL' is blank in every feature: 0 is "
        "an RBI attribute never filled in); pass --map status=COLUMN"
    ]


def test_cli_refuses_the_unfilled_rbi_layer_with_exit_2_and_keeps_the_stored_one(tmp_path, capsys):
    store_path = tmp_path / "peta.gpkg"
    good = rbi_roads(tmp_path / "a", ["Jalan Nasional", "Jalan Provinsi"])
    assert main(["reference", "roads", str(good), "--store", str(store_path)]) == 0
    unfilled = rbi_roads(tmp_path / "b", ["0", "0", "0"])
    assert main(["reference", "roads", str(unfilled), "--store", str(store_path)]) == 2
    err = capsys.readouterr().err
    assert "'AUTRJL' is blank in every feature" in err
    assert open_store(store_path).load_reference("roads")["status"].tolist() == [
        "nasional",
        "provinsi",
    ]


def test_an_rbi_autrjl_of_zeros_gives_way_to_another_status_column(tmp_path):
    path = rbi_roads(tmp_path, ["0", "0"], STATUS=["Nasional", "Kabupaten"])
    result = read_reference(path, "roads")
    assert result.layer["status"].tolist() == ["nasional", "kabupaten"]


def rbi_admin(tmp_path, stem, **columns):
    n = len(next(iter(columns.values())))
    frame = gpd.GeoDataFrame(
        columns,
        geometry=[box(103.5 + i / 10, -1.7, 103.59 + i / 10, -1.6) for i in range(n)],
        crs=4326,
    )
    return write_shapefile(frame, tmp_path, stem, encoding="cp1252")[".shp"]


def test_rbi_kecamatan_layer_takes_its_own_codes_and_names(tmp_path):
    shp = rbi_admin(
        tmp_path,
        "ADMINISTRASIKECAMATAN_AR_25K",
        NAMOBJ=["Sekernan", "Jambi Luar Kota", "Sungai Gelam"],
        KDPPUM=["15", "15", "15"],
        KDPKAB=["15.05", "15.05", "15.05"],
        KDCPUM=["15.05.01", "15.05.02", "15.05.03"],
        KDBBPS=["1505", "1505", "1505"],
        WADMKC=["Sekernan", "Jambi Luar Kota", "Sungai Gelam"],
        WADMKK=["Muaro Jambi"] * 3,
        WADMPR=["Jambi"] * 3,
        JUMLAH_PEN=["45.112", "61.420", "-"],
    )
    result = read_reference(shp, "units")
    layer = result.layer
    assert layer["unit_id"].tolist() == ["15.05.01", "15.05.02", "15.05.03"]
    assert layer["unit_name"].tolist() == ["Sekernan", "Jambi Luar Kota", "Sungai Gelam"]
    assert layer["population"].tolist()[:2] == [45112.0, 61420.0]
    assert (
        "ADMINISTRASIKECAMATAN_AR_25K.shp: unit_id from column 'KDCPUM' (3 distinct values); "
        "also there: 'KDPKAB' (1), 'KDBBPS' (1), 'KDPPUM' (1)"
    ) in result.report.notes


def test_rbi_kabupaten_layer_with_a_blank_kecamatan_code_uses_the_kabupaten_code(tmp_path):
    shp = rbi_admin(
        tmp_path,
        "ADMINISTRASIKABUPATEN_AR_250K",
        KDPPUM=["15", "15"],
        KDPKAB=["15.05", "15.71"],
        KDCPUM=[None, None],
        WADMKC=[None, None],
        WADMKK=["Muaro Jambi", "Kota Jambi"],
        WADMPR=["Jambi", "Jambi"],
    )
    result = read_reference(shp, "units")
    assert result.layer["unit_id"].tolist() == ["15.05", "15.71"]
    assert result.layer["unit_name"].tolist() == ["Muaro Jambi", "Kota Jambi"]
    assert (
        "ADMINISTRASIKABUPATEN_AR_250K.shp: column 'KDCPUM' is blank in every feature; not "
        "used as unit_id — pass --map unit_id=COLUMN with a column that has them"
    ) in result.report.notes


def test_bps_desa_codes_and_population(tmp_path):
    frame = gpd.GeoDataFrame(
        {
            "kode_kab": ["1505", "1505"],
            "kode_kec": ["1505010", "1505010"],
            "kode_desa": ["1505010001", "1505010002"],
            "nama_desa": ["Tunas Baru", "Sengeti"],
            "jumlah_penduduk": [2310, 5120],
        },
        geometry=[box(103.5, -1.7, 103.6, -1.6), box(103.6, -1.7, 103.7, -1.6)],
        crs=4326,
    )
    path = tmp_path / "desa_bps.geojson"
    frame.to_file(path)
    layer = read_reference(path, "units").layer
    assert layer[["unit_id", "unit_name", "population"]].values.tolist() == [
        ["1505010001", "Tunas Baru", 2310.0],
        ["1505010002", "Sengeti", 5120.0],
    ]


def test_any_kd_column_is_a_unit_code_when_nothing_else_is(tmp_path):
    frame = gpd.GeoDataFrame(
        {"kd_dati2": ["1505", "1571"], "nama": ["Muaro Jambi", "Kota Jambi"]},
        geometry=[box(103.5, -1.7, 103.6, -1.6), box(103.6, -1.7, 103.7, -1.6)],
        crs=4326,
    )
    path = tmp_path / "kab.geojson"
    frame.to_file(path)
    assert read_reference(path, "units").layer["unit_id"].tolist() == ["1505", "1571"]


def test_placeholder_ids_of_units_are_replaced_and_no_unit_is_merged(tmp_path):
    frame = gpd.GeoDataFrame(
        {"kode": ["15.05", "15.05", "15.71"], "nama": ["Muaro Jambi", "Muaro Jambi II", "Kota"]},
        geometry=[box(103.5 + i / 10, -1.7, 103.59 + i / 10, -1.6) for i in range(3)],
        crs=4326,
    )
    path = tmp_path / "kab.geojson"
    frame.to_file(path)
    result = read_reference(path, "units")
    assert result.layer["unit_id"].tolist() == ["kab#1", "kab#2", "15.71"]
    assert (
        "kab.geojson: 2 features share the unit_id '15.05' (a placeholder, not an id): each is "
        "given its own id 'kab#ROW' from its row; no feature is merged"
    ) in result.report.notes


def test_a_road_id_of_zeros_is_replaced_by_row_ids(tmp_path):
    frame = gpd.GeoDataFrame(
        {"kode_ruas": [0, 0, 0], "status": ["nasional", "provinsi", "kabupaten"]},
        geometry=[LineString([(103.5 + i / 10, -1.6), (103.55 + i / 10, -1.6)]) for i in range(3)],
        crs=4326,
    )
    path = tmp_path / "jalan.geojson"
    frame.to_file(path)
    result = read_reference(path, "roads")
    assert result.layer["road_id"].tolist() == ["jalan#1", "jalan#2", "jalan#3"]
    assert (
        "jalan.geojson: column 'kode_ruas' is blank in every feature; not used as road_id — "
        "pass --map road_id=COLUMN with a column that has them"
    ) in result.report.notes


def test_one_repeated_road_id_of_a_network_is_a_placeholder_but_a_ruas_in_segments_is_not(
    tmp_path,
):
    lines = [LineString([(103.5 + i / 10, -1.6), (103.55 + i / 10, -1.6)]) for i in range(3)]
    segments = gpd.GeoDataFrame(
        {"kode_ruas": ["015", "015", "016"], "status": ["nasional"] * 3}, geometry=lines, crs=4326
    )
    path = tmp_path / "ruas.geojson"
    segments.to_file(path)
    assert read_reference(path, "roads").layer["road_id"].tolist() == ["015", "015", "016"]

    same = segments.assign(kode_ruas=["X", "X", "X"])
    path = tmp_path / "sama.geojson"
    same.to_file(path)
    result = read_reference(path, "roads")
    assert result.layer["road_id"].tolist() == ["sama#1", "sama#2", "sama#3"]


def osm_roads(tmp_path, **extra):
    frame = gpd.GeoDataFrame(
        {
            "@id": ["way/11", "way/12", "way/13"],
            "highway": ["trunk", "primary", "residential"],
            "ref": ["1", None, None],
            "name": ["Jalan Lintas Timur", "Jalan Sultan Thaha", "Jalan Kenanga"],
            "bridge": [None, "yes", None],
            "tunnel": [None, None, None],
            "layer": [None, "1", None],
            **extra,
        },
        geometry=[LineString([(103.5 + i / 10, -1.6), (103.55 + i / 10, -1.6)]) for i in range(3)],
        crs=4326,
    )
    path = tmp_path / "osm_export.geojson"
    frame.to_file(path)
    return path


def test_osm_tags_are_hints_never_the_status(tmp_path):
    with pytest.raises(MappingError) as caught:
        read_reference(osm_roads(tmp_path), "roads")
    assert caught.value.problems == [
        "osm_export.geojson: no column for status (an OpenStreetMap highway tag is a road class, "
        "not the status decree: it is kept as road_class); pass --map status=COLUMN"
    ]


def test_osm_ways_with_a_status_keep_their_id_class_and_a_line_on_the_tags(tmp_path):
    path = osm_roads(
        tmp_path,
        id=["way/11", "way/12", "way/13"],
        status_sk=["nasional", "provinsi", "kabupaten"],
    )
    result = read_reference(path, "roads", mapping={"status": "status_sk"})
    layer = result.layer
    assert layer["road_id"].tolist() == ["way/11", "way/12", "way/13"]
    assert layer["road_class"].tolist() == ["trunk", "primary", "residential"]
    assert layer["name"].tolist()[0] == "Jalan Lintas Timur"
    assert (
        "osm_export.geojson: OpenStreetMap tags highway, ref, name, layer, bridge, tunnel read "
        "as hints: highway is a road class, not the status decree (1 marked bridge; 0 marked "
        "tunnel; layer kept as a hint of stacking only)"
    ) in result.report.notes
    assert (
        "osm_export.geojson: columns '@id', 'id' hold the same values; '@id' used as road_id"
    ) in result.report.notes


def test_a_kecamatan_layer_with_a_feature_number_and_a_bps_code_takes_the_code(tmp_path):
    # As a real kecamatan layer of Kab. Bangli exported for the web: ID is a feature number,
    # ID_Kec the BPS code, Kecamatan the name.
    frame = gpd.GeoDataFrame(
        {
            "ID": [3238, 3239],
            "ID_Kec": ["5106010", "5106020"],
            "Kecamatan": ["Susut", "Bangli"],
            "kode_prop": ["51", "51"],
            "kode_kab": ["5106", "5106"],
        },
        geometry=[box(115.3, -8.5, 115.35, -8.4), box(115.35, -8.5, 115.4, -8.4)],
        crs=4326,
    )
    path = tmp_path / "Kec_Bangli.geojson"
    frame.to_file(path)
    result = read_reference(path, "units")
    assert result.layer[["unit_id", "unit_name"]].values.tolist() == [
        ["5106010", "Susut"],
        ["5106020", "Bangli"],
    ]
    assert (
        "Kec_Bangli.geojson: unit_id from column 'ID_Kec' (2 distinct values); also there: "
        "'kode_kab' (1), 'ID' (2)"
    ) in result.report.notes
