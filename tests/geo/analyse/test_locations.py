"""Where road works lie on the network, and how: placed by the reader or matched as lines."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString

from geo.analyse.locations import locate_road_projects
from geo.read.projects import read_projects
from geo.read.reference import read_reference
from geo.spatial.network import RoadNetwork

UTM = 32748


@pytest.fixture
def roads(samples):
    """The samples' road network: N-001 (30.3 km), P-012 (18.0 km), K-034 (12.0 km)."""
    return read_reference(samples / "jaringan_jalan_jambi.gpkg", "roads").layer


def _intervals(projects, roads):
    located = locate_road_projects(projects, RoadNetwork(roads))
    ids = projects["project_id"].to_numpy()[located["work"].to_numpy()]
    return [
        [pid, ruas, round(low, 1), round(high, 1), method]
        for pid, ruas, low, high, method in zip(
            ids,
            located["ruas_id"],
            located["from_m"],
            located["to_m"],
            located["method"],
            strict=True,
        )
    ]


def test_ruas_and_sta_records_are_located_at_their_stated_chainage(tmp_path, roads):
    table = tmp_path / "paket_sta.csv"
    table.write_text(
        "kode_paket;nama_paket;tahun;ruas;sta;satker\n"
        "K-1;Pemeliharaan Jalan Jambi – Tempino;2025;N-001;STA 5+000 s/d 9+000;Dinas PUPR Kab. X\n"
        "K-2;Rehabilitasi Jalan Pudak – Kumpeh;2025;K-034;STA 2+250 - 3+500;Dinas PUPR Kab. X\n",
        encoding="utf-8",
    )
    projects = read_projects(table, roads=roads).projects
    assert projects["placed_by"].tolist() == ["ruas+STA", "ruas+STA"]
    assert _intervals(projects, roads) == [
        ["K-1", "N-001", 5000.0, 9000.0, "ruas+STA"],
        ["K-2", "K-034", 2250.0, 3500.0, "ruas+STA"],
    ]


def test_start_end_records_are_located_along_their_route(samples, roads):
    """The geotagged provincial works: chainage 5-9 km of N-001 and two halves of P-012."""
    csv_path = samples / "dinas_pupr_provinsi_jambi_geotagging_2025.csv"
    projects = read_projects(csv_path, level="provinsi", roads=roads).projects
    roads_only = projects[projects["asset_type"] == "road"]
    assert roads_only["placed_by"].tolist() == ["start-end route"] * 3
    got = _intervals(roads_only.reset_index(drop=True), roads)
    assert [[pid, ruas, round(low), round(high), m] for pid, ruas, low, high, m in got] == [
        ["1.03.10.2.01.0001", "N-001", 5000, 9000, "start-end route"],
        ["1.03.10.2.01.0002", "P-012", 0, 9000, "start-end route"],
        ["1.03.10.2.02.0003", "P-012", 9000, 18000, "start-end route"],
    ]


def test_a_route_over_two_ruas_gets_an_interval_on_each(tmp_path, roads):
    """Start on N-001 1 km before it crosses P-012, end on P-012 1.5 km past the crossing:
    the route turns there, one interval on each ruas."""
    network = RoadNetwork(roads)
    n001 = network.ruas.line_m[network.find_ruas("N-001")[0]]
    p012 = network.ruas.line_m[network.find_ruas("P-012")[0]]
    crossing = n001.intersection(p012)
    on_n, on_p = n001.project(crossing), p012.project(crossing)
    start, end = n001.interpolate(on_n - 1000.0), p012.interpolate(on_p + 1500.0)
    points = gpd.GeoSeries([start, end], crs=UTM).to_crs(4326)
    table = tmp_path / "paket_titik.csv"
    table.write_text(
        "kode_paket;nama_paket;tahun;lintang_awal;bujur_awal;lintang_akhir;bujur_akhir;satker\n"
        f"R-1;Peningkatan Jalan;2025;{points[0].y:.8f};{points[0].x:.8f};{points[1].y:.8f};"
        f"{points[1].x:.8f};Dinas PUPR Kab. X\n",
        encoding="utf-8",
    )
    projects = read_projects(table, roads=roads).projects
    assert projects["placed_by"].tolist() == ["start-end route"]
    got = {row[1]: row for row in _intervals(projects, roads)}
    assert sorted(got) == ["N-001", "P-012"]
    assert got["N-001"][2:4] == pytest.approx([on_n - 1000.0, on_n], abs=0.5)
    assert got["P-012"][2:4] == pytest.approx([on_p, on_p + 1500.0], abs=0.5)
    assert {row[4] for row in got.values()} == {"start-end route"}


def test_a_road_work_given_as_one_point_is_located_at_its_chainage(tmp_path, roads):
    """A short work geotagged with one point, 12 m beside K-034 at 4,321 m."""
    network = RoadNetwork(roads)
    k034 = network.ruas.line_m[network.find_ruas("K-034")[0]]
    beside = k034.offset_curve(12.0).interpolate(
        k034.offset_curve(12.0).project(k034.interpolate(4321.0))
    )
    at = gpd.GeoSeries([beside], crs=UTM).to_crs(4326)[0]
    table = tmp_path / "paket_satu_titik.csv"
    table.write_text(
        "kode_paket;nama_paket;tahun;lintang_awal;bujur_awal;lintang_akhir;bujur_akhir;satker\n"
        f"R-2;Pemeliharaan Rutin Jalan;2025;{at.y:.8f};{at.x:.8f};;;Dinas PUPR Kab. X\n",
        encoding="utf-8",
    )
    projects = read_projects(table, roads=roads).projects
    located = locate_road_projects(projects, network)
    assert _intervals(projects, roads) == [["R-2", "K-034", 4321.0, 4321.0, "point"]]
    assert located["offset_mean_m"].round(1).tolist() == [12.0]
    assert located["matched_share"].tolist() == [1.0]


def test_a_drawn_line_is_matched(roads):
    network = RoadNetwork(roads)
    n001 = network.ruas.line_m[network.find_ruas("N-001")[0]]
    from shapely.ops import substring

    drawn = gpd.GeoSeries([substring(n001, 1000.0, 3000.0)], crs=UTM).to_crs(4326)
    projects = gpd.GeoDataFrame(
        {
            "project_id": ["D-1"],
            "name": ["Jalan"],
            "asset_type": ["road"],
            "placed_by": [None],
        },
        geometry=drawn.values,
        crs=4326,
    )
    assert _intervals(projects, roads) == [["D-1", "N-001", 1000.0, 3000.0, "line match"]]


def test_a_placed_record_off_a_changed_network_is_matched_as_a_line(roads):
    """Placed on a network since replaced (here: its line moved 5 m): matched, not lost."""
    network = RoadNetwork(roads)
    n001 = network.ruas.line_m[network.find_ruas("N-001")[0]]
    from shapely.ops import substring

    moved = substring(n001, 1000.0, 3000.0).offset_curve(5.0)
    projects = gpd.GeoDataFrame(
        {
            "project_id": ["S-1"],
            "name": ["Jalan"],
            "asset_type": ["road"],
            "placed_by": ["ruas+STA"],
        },
        geometry=gpd.GeoSeries([moved], crs=UTM).to_crs(4326).values,
        crs=4326,
    )
    got = _intervals(projects, roads)
    assert [(r[1], r[4]) for r in got] == [("N-001", "line match")]
    assert got[0][2:4] == pytest.approx([1000.0, 3000.0], abs=2.0)


def test_how_a_record_was_placed_survives_the_store(new_store, samples, roads):
    csv_path = samples / "dinas_pupr_provinsi_jambi_geotagging_2025.csv"
    store = new_store()
    store.import_result(read_projects(csv_path, level="provinsi", roads=roads))
    stored = store.load_projects().sort_values("project_id")
    assert stored["placed_by"].fillna("").tolist() == ["start-end route"] * 3 + [""]
    near = store.load_projects_near(stored.geometry.values[:1], 10.0)
    assert "start-end route" in near["placed_by"].tolist()
    assert list(store.load_projects(columns=["project_id"]).columns) == [
        "project_id",
        "geometry",
    ]


def test_drawn_lines_keep_the_stored_columns(new_store, tmp_path):
    """A store whose records were all drawn has no placed_by column: nothing changes."""
    store = new_store()
    path = tmp_path / "jalan.gpkg"
    gpd.GeoDataFrame(
        {"kode_paket": ["J-1"], "nama_paket": ["Jalan"], "tahun": [2025]},
        geometry=[LineString([(103.6, -1.6), (103.61, -1.6)])],
        crs=4326,
    ).to_file(path)
    store.import_result(read_projects(path, level="kabupaten", agency="Dinas PUPR Kab. X"))
    assert "placed_by" not in store.load_projects().columns


# --- which end STA is counted from -------------------------------------------------------------


def test_the_chainage_end_is_a_setting():
    from geo.errors import GeoInputError
    from geo.settings import Settings

    assert Settings().chainage_from == "start" and not Settings().chainage_from_end
    assert Settings(chainage_from=" END ").chainage_from_end
    assert Settings.from_env({"PETA_CHAINAGE_FROM": "end"}).chainage_from == "end"
    with pytest.raises(GeoInputError, match="chainage_from 'middle'.*start or end"):
        Settings(chainage_from="middle")


def test_sta_counted_from_the_other_end_is_read_and_written_that_way(tmp_path, roads):
    """N-001 is 30,273.8 m long as digitised. Counted from its other end, STA 5+000 s/d 9+000
    is the stretch 21,273.8-25,273.8 m from its digitised start: cut there, and written back
    as 5,000-9,000 in the located intervals and in the overlap with a work drawn on it."""
    from shapely.ops import substring

    from geo.analyse.run import analyse
    from geo.settings import Settings

    settings = Settings(chainage_from="end")
    network = RoadNetwork(roads)
    g = network.find_ruas("N-001")[0]
    length = float(network.ruas.length_m[g])
    table = tmp_path / "paket_sta.csv"
    table.write_text(
        "kode_paket;nama_paket;tahun;ruas;sta;satker\n"
        "K-1;Pemeliharaan Jalan Jambi – Tempino;2025;N-001;STA 5+000 s/d 9+000;Dinas PUPR Kab. X\n",
        encoding="utf-8",
    )
    projects = read_projects(table, roads=roads, settings=settings).projects
    cut = gpd.GeoSeries(projects.geometry.values, crs=4326).to_crs(UTM)[0]
    expected = substring(network.ruas.line_m[g], length - 9000.0, length - 5000.0)
    assert cut.hausdorff_distance(expected) < 0.01
    # The same stretch drawn by the province (as a line, 8 m off), from the digitised start.
    drawn = gpd.GeoSeries([expected.offset_curve(8.0)], crs=UTM).to_crs(4326)
    both = pd.concat(
        [
            projects,
            gpd.GeoDataFrame(
                {
                    "project_id": ["P-1"],
                    "name": ["Rehabilitasi Jalan"],
                    "level": ["provinsi"],
                    "agency": ["Dinas PUPR Provinsi"],
                    "asset_type": ["road"],
                    "year_start": [2025],
                    "year_end": [2025],
                    "budget_idr": [1e9],
                    "upload_id": [2],
                },
                geometry=drawn.values,
                crs=4326,
            ),
        ],
        ignore_index=True,
    )
    both = gpd.GeoDataFrame(both, geometry="geometry", crs=4326)
    both["upload_id"] = both["upload_id"].fillna(1)
    result = analyse(both, roads=roads, settings=settings, coverage=False)
    located = result.locations.sort_values("project_id")
    assert located[["project_id", "ruas_id", "method"]].values.tolist() == [
        ["K-1", "N-001", "ruas+STA"],
        ["P-1", "N-001", "line match"],
    ]
    assert located[["from_m", "to_m"]].round(0).values.tolist() == [[5000.0, 9000.0]] * 2
    finding = result.overlaps.iloc[0]
    assert (finding["ruas_id"], round(finding["sta_from_m"]), round(finding["sta_to_m"])) == (
        "N-001",
        5000,
        9000,
    )
    # Counted from the start, the same data says 21+274 - 25+274.
    from_start = analyse(both, roads=roads, coverage=False)
    assert from_start.locations["from_m"].round(0).tolist() == [round(length - 9000.0)] * 2
