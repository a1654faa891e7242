"""The reader with a road network: start/end points placed along it, ruas + STA cut from it."""

from __future__ import annotations

import csv

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import LineString
from shapely.ops import substring

from cli import main
from geo.read.projects import read_projects
from geo.read.reference import read_reference
from geo.spatial.crs import length_m

UTM = 32748


@pytest.fixture
def network_file(samples):
    """The shared samples' road network: N-001 (the winding trunk road every sample is drawn
    along), P-012 and K-034, with ``KODE_RUAS``, ``NAMA_RUAS``, ``STATUS``; EPSG:32748."""
    return samples / "jaringan_jalan_jambi.gpkg"


def trunk_road(network_file) -> LineString:
    """Ruas N-001 of the shared network, in UTM 48S metres."""
    roads = pyogrio.read_dataframe(network_file)
    assert roads.crs.to_epsg() == UTM
    return roads.set_index("KODE_RUAS").geometry["N-001"]


def test_start_end_points_are_placed_along_the_winding_road(samples, network_file):
    roads = read_reference(network_file, "roads").layer
    csv_path = samples / "dinas_pupr_provinsi_jambi_geotagging_2025.csv"
    straight = read_projects(csv_path, level="provinsi").projects
    placed = read_projects(csv_path, level="provinsi", roads=roads)
    first = placed.projects.set_index("project_id").loc["1.03.10.2.01.0001"]
    # Chainage 5-9 km of the trunk road: 4,000 m along it, more than the straight chord.
    along_m = length_m(gpd.GeoSeries([first.geometry], crs=4326))[0]
    assert along_m == pytest.approx(4000, rel=0.01)
    placed_utm = gpd.GeoSeries([first.geometry], crs=4326).to_crs(UTM).iloc[0]
    chord_utm = straight.iloc[[0]].geometry.to_crs(UTM).iloc[0]
    road_5_9_km = substring(trunk_road(network_file), 5000, 9000)
    assert placed_utm.hausdorff_distance(road_5_9_km) < 1.0  # on the road itself
    assert chord_utm.hausdorff_distance(road_5_9_km) > 100.0  # the chord cuts the bends
    outcome = next(r for r in placed.report.records if r.project_id == "1.03.10.2.01.0001")
    assert "placed along the road network (4,0" in outcome.reason


def test_overlaps_with_the_network_find_the_placed_duplicate(
    samples, network_file, tmp_path, capsys
):
    """Placed along the sample network the provincial chainage 5-9 km repeats 3 km of BPJN
    segment 1 (0-8 km) and 1 km of segment 2 (8-18 km); the chord found a few hundred metres
    (tests/test_cli_overlaps.py)."""
    out = tmp_path / "temuan.csv"
    code = main(
        [
            "overlaps",
            str(samples / "bpjn_jambi_2025.zip"),
            str(samples / "dinas_pupr_provinsi_jambi_geotagging_2025.csv"),
            "--roads",
            str(network_file),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    with open(out, encoding="utf-8") as handle:
        rows = {(r["project_a"], r["project_b"]): r for r in csv.DictReader(handle)}
    seg1, seg2 = (rows[(seg, "1.03.10.2.01.0001")] for seg in ("PJN1-2025-001", "PJN1-2025-002"))
    assert float(seg1["overlap_m"]) == pytest.approx(3000, abs=5)
    assert float(seg2["overlap_m"]) == pytest.approx(1000, abs=5)
    assert (seg1["severity"], seg2["severity"]) == ("high", "medium")
    assert "3 records given as start and end points placed along the road network; 0 kept" in (
        capsys.readouterr().out
    )


def test_ruas_and_sta_are_cut_from_the_network(tmp_path, network_file):
    table = tmp_path / "paket_sta.csv"
    table.write_text(
        "kode_paket;nama_paket;tahun;ruas;sta;satker\n"
        "K-1;Pemeliharaan Jalan Jambi – Tempino;2025;N-001;STA 5+000 s/d 9+000;Dinas PUPR Kab. X\n"
        "K-2;Pemeliharaan Jalan Lain;2025;N-999;STA 1+000 s/d 2+000;Dinas PUPR Kab. X\n",
        encoding="utf-8",
    )
    roads = read_reference(network_file, "roads").layer
    result = read_projects(table, roads=roads)
    assert result.projects["project_id"].tolist() == ["K-1"]
    assert length_m(result.projects.geometry)[0] == pytest.approx(4000, abs=1)
    rejected = [r for r in result.report.records if r.outcome == "rejected"]
    assert [r.project_id for r in rejected] == ["K-2"] and "N-999" in rejected[0].reason

    without = read_projects(table)
    assert {r.reason for r in without.report.records} == {
        "located by ruas and STA: pass the road network with --roads"
    }


def test_km_columns_are_read_as_kilometres(tmp_path, network_file):
    table = tmp_path / "paket_km.csv"
    table.write_text(
        "kode_paket;nama_paket;tahun;kode_ruas;km_awal;km_akhir;satker\n"
        "K-1;Rehabilitasi Jalan;2025;N-001;5,5;7;Dinas PUPR Kab. X\n",
        encoding="utf-8",
    )
    result = read_projects(table, roads=read_reference(network_file, "roads").layer)
    assert length_m(result.projects.geometry)[0] == pytest.approx(1500, abs=1)
