"""``authority`` and ``gaps`` through the CLI, on the demo store and on files."""

from __future__ import annotations

import csv

import pyogrio
import pytest

from cli import main
from geo.demo.build import build_demo
from geo.demo.region import make_demo_region


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg")


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_authority_on_the_demo_store_finds_the_documented_mismatches(demo_store, tmp_path):
    out = tmp_path / "kewenangan.csv"
    assert main(["authority", "--store", str(demo_store), "--out", str(out)]) == 0
    rows = read_csv(out)
    assert {"project_id", "rule", "reference_id", "share", "level", "expected_level"} <= set(
        rows[0]
    )
    expected = make_demo_region().expected_findings
    for kind, verdict in (("authority", "mismatch"), ("exception", "exception")):
        wanted = {pid for f in expected if f.kind == kind for pid in f.project_ids}
        assert {r["project_id"] for r in rows if r["verdict"] == verdict} == wanted


def test_authority_without_any_reference_names_the_fix(tmp_path, capsys):
    code = main(
        ["authority", "--store", str(tmp_path / "kosong.gpkg"), "--out", str(tmp_path / "x.csv")]
    )
    assert code == 2
    assert "pass --roads NETWORK and/or --irrigation DI_FILE" in capsys.readouterr().err


def test_gaps_per_unit_to_csv_and_geopackage(demo_store, tmp_path):
    out = tmp_path / "kesenjangan.csv"
    assert (
        main(["gaps", "--store", str(demo_store), "--years", "2024-2026", "--out", str(out)]) == 0
    )
    rows = {r["unit_id"]: r for r in read_csv(out)}
    assert len(rows) == 12
    assert {
        "unit_name",
        "network_km",
        "covered_km",
        "covered_share",
        "projects",
        "budget_idr",
    } <= set(rows["99.01"])
    assert int(rows["99.10"]["projects"]) == 0  # G1: a kabupaten with no project
    assert all(0.0 <= float(r["covered_share"]) <= 1.0 for r in rows.values())

    gpkg = tmp_path / "kesenjangan.gpkg"
    assert main(["gaps", "--store", str(demo_store), "--out", str(gpkg), "--hex-km", "10"]) == 0
    layers = {name for name, _ in pyogrio.list_layers(gpkg)}
    assert layers == {"units", "uncovered_segments", "cells"}
    segments = pyogrio.read_dataframe(gpkg, layer="uncovered_segments")
    assert {"K-10-001", "K-10-002"} <= set(segments["road_id"])  # G2, rusak berat


def test_gaps_rejects_a_bad_year_range(demo_store, tmp_path, capsys):
    code = main(
        [
            "gaps",
            "--store",
            str(demo_store),
            "--years",
            "2026-2021",
            "--out",
            str(tmp_path / "x.csv"),
        ]
    )
    assert code == 2
    assert "--years 2026-2021" in capsys.readouterr().err


@pytest.fixture
def city_files(tmp_path):
    """An RBI-like city network where only the arterial has a status (AUTRJL): an elevated
    toll road 4.4 m beside it and a service road 11 m beside it have none; and four works."""
    import geopandas as gpd
    from shapely import LineString

    roads = tmp_path / "JALAN_LN_25K.shp"
    gpd.GeoDataFrame(
        {
            "NAMRJL": ["Jalan Gatot Subroto", "Jalan Tol Layang Dalam Kota", None],
            "AUTRJL": ["Jalan Nasional", None, None],
        },
        geometry=[
            LineString([(106.80, -6.2), (106.81, -6.2), (106.82, -6.2)]),
            LineString([(106.80, -6.19996), (106.82, -6.19996)]),
            LineString([(106.80, -6.2001), (106.82, -6.2001)]),
        ],
        crs=4326,
    ).to_file(roads)
    works = tmp_path / "works.geojson"
    gpd.GeoDataFrame(
        {
            "kode": ["A1", "B1", "C1", "D1"],
            "nama": [
                "Pemeliharaan Jalan Tol Layang Dalam Kota",  # its name says the deck
                "Rehabilitasi Jl. Gatot Subroto",
                "Jalan lingkungan",
                "Preservasi Jl. Gatot Subroto",
            ],
            "tingkat": ["pusat", "kabupaten", "kabupaten", "pusat"],
            "instansi": ["BBPJN", "Dinas PU", "Dinas PU", "BBPJN"],
            "aset": ["jalan"] * 4,
            "tahun": [2025] * 4,
        },
        geometry=[
            LineString([(106.802, -6.19996), (106.812, -6.19996)]),  # on the toll road
            LineString([(106.802, -6.2), (106.812, -6.2)]),  # on the arterial
            LineString([(106.802, -6.2001), (106.812, -6.2001)]),  # on the service road
            LineString([(106.803, -6.20001), (106.811, -6.20001)]),  # on the arterial, 1 m off
        ],
        crs=4326,
    ).to_file(works)
    return roads, works


def test_authority_judges_a_work_by_the_road_it_is_located_on(city_files, tmp_path):
    """The district's work on the service road (no status) is judged by no road, not by the
    national arterial 11 m away; its work on the arterial is a mismatch."""
    roads, works = city_files
    out = tmp_path / "kewenangan.csv"
    assert main(["authority", str(works), "--roads", str(roads), "--out", str(out)]) == 0
    rows = read_csv(out)
    assert [(r["project_id"], r["verdict"], r["expected_level"]) for r in rows] == [
        ("B1", "mismatch", "pusat")
    ]


def test_overlaps_on_a_network_with_roads_without_status(city_files, tmp_path):
    """Roads without a status stay in the network: the toll road's and the service road's
    works are located on their own roads, and only the two works on the arterial overlap."""
    roads, works = city_files
    out = tmp_path / "overlaps.csv"
    assert main(["overlaps", str(works), "--roads", str(roads), "--out", str(out)]) == 0
    rows = read_csv(out)
    assert [(r["project_a"], r["project_b"], r["method"]) for r in rows] == [
        ("D1", "B1", "network")
    ]
    located = tmp_path / "located.csv"
    assert main(["locate", str(works), "--roads", str(roads), "--out", str(located)]) == 0
    assert {r["project_id"]: r["ruas_name"] for r in read_csv(located)} == {
        "A1": "Jalan Tol Layang Dalam Kota",
        "B1": "Jalan Gatot Subroto",
        "C1": "JALAN_LN_25K#3",
        "D1": "Jalan Gatot Subroto",
    }


def test_a_proposal_is_judged_by_the_ruas_it_is_placed_on(city_files, tmp_path):
    """A district's proposal on the elevated toll road (no status in the network) cannot be
    judged, rather than being rejected for the national arterial 4.4 m beside it."""
    roads, _ = city_files
    proposals = tmp_path / "usulan.csv"
    proposals.write_text(
        "No,Nama Ruas,STA Awal,STA Akhir,Tingkat,Instansi,Tahun,Pagu\n"
        "1,Jalan Tol Layang Dalam Kota,0+200,0+900,kabupaten,Dinas PU,2026,1000000000\n"
        "2,Jalan Gatot Subroto,0+200,0+900,kabupaten,Dinas PU,2026,1000000000\n",
        encoding="utf-8",
    )
    out = tmp_path / "cek.csv"
    assert main(["check-proposals", str(proposals), "--roads", str(roads), "--out", str(out)]) == 0
    rows = read_csv(out)
    assert [(r["ruas_id"], r["suggested_status"]) for r in rows] == [
        ("Jalan Tol Layang Dalam Kota", "Didiskusikan"),
        ("Jalan Gatot Subroto", "Ditolak"),
    ]
    assert rows[0]["reasons"].startswith(
        "kewenangan tidak dapat diperiksa: status jalan di lokasi ini tidak diketahui"
    )


def test_a_road_tagged_as_a_bridge_is_not_the_road_beneath_it(tmp_path):
    """An OpenStreetMap export: the elevated toll road (``bridge=yes``, ``layer=1``, no
    "layang" in its name) runs 4.4 m beside the arterial. A work on the arterial drawn 1.1 m
    from the toll road is located on the arterial, the road of its own deck."""
    import geopandas as gpd
    from shapely import LineString

    roads = tmp_path / "export.geojson"
    gpd.GeoDataFrame(
        {
            "@id": ["way/10", "way/11"],
            "highway": ["primary", "motorway"],
            "name": ["Jalan Gatot Subroto", "Jalan Tol Dalam Kota"],
            "bridge": [None, "yes"],
            "layer": [None, "1"],
        },
        geometry=[
            LineString([(106.80, -6.2), (106.81, -6.2), (106.82, -6.2)]),
            LineString([(106.80, -6.19996), (106.82, -6.19996)]),
        ],
        crs=4326,
    ).to_file(roads, driver="GeoJSON")
    works = tmp_path / "works.geojson"
    gpd.GeoDataFrame(
        {
            "kode": ["B1"],
            "nama": ["Rehabilitasi Jl. Gatot Subroto"],
            "tingkat": ["kabupaten"],
            "instansi": ["Dinas PU"],
            "aset": ["jalan"],
            "tahun": [2025],
        },
        geometry=[LineString([(106.802, -6.19997), (106.812, -6.19997)])],
        crs=4326,
    ).to_file(works, driver="GeoJSON")
    out = tmp_path / "located.csv"
    assert main(["locate", str(works), "--roads", str(roads), "--out", str(out)]) == 0
    assert [(r["project_id"], r["ruas_id"]) for r in read_csv(out)] == [("B1", "way/10")]
