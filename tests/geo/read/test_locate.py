"""Location by reference (DESIGN section 4): works placed along the road network.

Networks are built in UTM 48S (metres) so every expected length is exact, then reprojected to
EPSG:4326 as the reader hands them over.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from shapely.geometry import LineString, Point
from shapely.ops import substring

from geo.errors import CRSError
from geo.read.locate import (
    RoadNetwork,
    cut_by_chainage,
    cut_many,
    declared_lengths_m,
    parse_chainage,
    parse_chainages,
    place_many,
    place_start_end,
)
from geo.spatial.crs import length_m

UTM = 32748
X0, Y0 = 404_000.0, 9_820_000.0  # near Kota Jambi


def winding_road(
    x0: float = X0, y0: float = Y0, length_m: float = 6000.0, heading_deg: float = 0.0
) -> LineString:
    """A road that bends hard: 250 m either side of its heading every 2.5 km (metres)."""
    s = np.arange(0.0, length_m + 5.0, 10.0)
    side = 250.0 * np.sin(s / 400.0)
    h = math.radians(heading_deg)
    return LineString(
        np.c_[x0 + s * math.cos(h) - side * math.sin(h), y0 + s * math.sin(h) + side * math.cos(h)]
    )


def gentle_road(x0, y0, heading_deg, length, wiggle=150.0, step=50.0) -> LineString:
    """A gently winding road (150 m either side every ~16 km; metres, UTM 48S)."""
    h = math.radians(heading_deg)
    pts = []
    for s in np.arange(0, length + step, step):
        off = wiggle * math.sin(s / 2500.0)
        pts.append(
            (x0 + s * math.cos(h) - off * math.sin(h), y0 + s * math.sin(h) + off * math.cos(h))
        )
    return LineString(pts)


def network(rows: list[dict]) -> gpd.GeoDataFrame:
    """Road features from dicts with geometry in UTM 48S metres, returned in EPSG:4326."""
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "geometry"} for r in rows])
    geoms = gpd.GeoSeries([r["geometry"] for r in rows], crs=UTM)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=UTM).to_crs(4326)


def beside(line: LineString, at_m: float, lateral_m: float) -> Point:
    """The point ``lateral_m`` to the left of ``line`` at chainage ``at_m`` (metres)."""
    a = line.interpolate(at_m - 0.5)
    b = line.interpolate(at_m + 0.5)
    dx, dy = b.x - a.x, b.y - a.y
    norm = math.hypot(dx, dy)
    p = line.interpolate(at_m)
    return Point(p.x - dy / norm * lateral_m, p.y + dx / norm * lateral_m)


def to_deg(*points: Point) -> np.ndarray:
    return np.asarray(gpd.GeoSeries(list(points), crs=UTM).to_crs(4326).array, dtype=object)


def to_utm(geom: shapely.Geometry) -> shapely.Geometry:
    return gpd.GeoSeries([geom], crs=4326).to_crs(UTM).iloc[0]


def _sta(metres: float) -> str:
    km, m = divmod(round(metres), 1000)
    return f"{km}+{m:03d}"


def measured_m(geom: shapely.Geometry) -> float:
    return float(length_m(gpd.GeoSeries([geom], crs=4326))[0])


# --- start/end points ---------------------------------------------------------------------------


def test_start_end_on_a_winding_road_run_along_it_not_the_chord():
    road = winding_road()
    roads = network([{"road_id": "R1", "name": "Berliku", "geometry": road}])
    start, end = beside(road, 1000.0, 30.0), beside(road, 4000.0, -25.0)

    geoms, reasons = place_start_end(to_deg(start), to_deg(end), roads)

    assert reasons.tolist() == [""]
    placed = geoms[0]
    assert placed.geom_type == "LineString"
    assert measured_m(placed) == pytest.approx(3000.0, rel=0.01)
    chord_m = start.distance(end)
    assert chord_m < 0.95 * 3000.0  # the chord is not the road
    # Along the road itself, cut exactly at the feet of the two points.
    assert to_utm(placed).hausdorff_distance(substring(road, 1000.0, 4000.0)) < 0.5


def test_route_follows_the_digitised_direction_of_the_points():
    road = winding_road()
    roads = network([{"road_id": "R1", "geometry": road}])
    start, end = beside(road, 4000.0, 10.0), beside(road, 1000.0, 10.0)

    geoms, _ = place_start_end(to_deg(start), to_deg(end), roads)

    placed = to_utm(geoms[0])
    assert Point(placed.coords[0]).distance(road.interpolate(4000.0)) < 0.01
    assert Point(placed.coords[-1]).distance(road.interpolate(1000.0)) < 0.01


def t_junction_short_of_the_road(main: LineString) -> LineString:
    """A side road leaving ``main`` at chainage 3000 whose first vertex stops 0.4 m short."""
    return winding_road(*beside(main, 3000.0, 0.4).coords[0], length_m=3000.0, heading_deg=80.0)


def crossing_road(main: LineString) -> LineString:
    """A straight road crossing ``main`` near chainage 3000, between the vertices of both."""
    at = main.interpolate(3003.0)
    heading = np.array([math.cos(math.radians(80.0)), math.sin(math.radians(80.0))])
    s = np.arange(-1497.0, 3000.0, 10.0)  # no vertex at the crossing (s = 0)
    return LineString(np.array([at.x, at.y]) + s[:, None] * heading)


@pytest.mark.parametrize(
    ("side_road", "side_at_junction_m"),
    [(t_junction_short_of_the_road, 0.0), (crossing_road, None)],
    ids=["t-junction-0.4m-short", "crossing-without-shared-vertex"],
)
def test_route_across_two_ruas_through_a_junction(side_road, side_at_junction_m):
    main = winding_road()
    side = side_road(main)
    roads = network(
        [
            {"road_id": "A", "name": "Utama", "geometry": main},
            {"road_id": "B", "name": "Cabang", "geometry": side},
        ]
    )
    junction_on_side = (
        side.project(main.interpolate(3003.0)) if side_at_junction_m is None else side_at_junction_m
    )
    junction_on_main = main.project(Point(side.interpolate(junction_on_side)))
    start = beside(main, 1000.0, 20.0)
    end = beside(side, junction_on_side + 2000.0, -20.0)

    placed = place_many(*to_lonlat(start), *to_lonlat(end), roads)

    assert placed["reason"].tolist() == [""]
    expected_m = (junction_on_main - 1000.0) + 2000.0
    assert placed["route_m"].iloc[0] == pytest.approx(expected_m, abs=0.5)
    assert measured_m(placed.geometry.iloc[0]) == pytest.approx(expected_m, rel=0.01)
    route = to_utm(placed.geometry.iloc[0])
    # It runs along main up to the junction, then along the side road.
    assert (
        route.hausdorff_distance(
            shapely.union(
                substring(main, 1000.0, junction_on_main),
                substring(side, junction_on_side, junction_on_side + 2000.0),
            )
        )
        < 1.0
    )


def to_lonlat(point: Point) -> tuple[np.ndarray, np.ndarray]:
    deg = to_deg(point)[0]
    return np.array([deg.x]), np.array([deg.y])


def test_points_on_one_road_take_that_road_not_a_shorter_bypass():
    road = winding_road()
    bypass = LineString([road.interpolate(1000.0), road.interpolate(4000.0)])
    roads = network([{"road_id": "R1", "geometry": road}, {"road_id": "R2", "geometry": bypass}])
    start, end = beside(road, 1500.0, 15.0), beside(road, 3500.0, 15.0)

    placed = place_many(*to_lonlat(start), *to_lonlat(end), roads)

    assert placed["route_m"].iloc[0] == pytest.approx(2000.0, abs=0.5)
    assert to_utm(placed.geometry.iloc[0]).hausdorff_distance(substring(road, 1500.0, 3500.0)) < 0.5


@pytest.mark.parametrize(
    ("start_off_m", "end_off_m", "reason"),
    [
        (300.0, 10.0, "start point 300 m from the nearest road (more than 100 m)"),
        (10.0, 300.0, "end point 300 m from the nearest road (more than 100 m)"),
        (300.0, 450.0, "start point 300 m and end point 450 m from the nearest road"),
    ],
)
def test_a_point_far_from_the_roads_keeps_the_chord(start_off_m, end_off_m, reason):
    straight = LineString([(X0, Y0), (X0 + 5000.0, Y0)])
    roads = network([{"road_id": "S", "geometry": straight}])
    start = Point(X0 + 1000.0, Y0 + start_off_m)
    end = Point(X0 + 3000.0, Y0 - end_off_m)

    geoms, reasons = place_start_end(to_deg(start), to_deg(end), roads)

    assert geoms[0] is None
    assert reasons[0].startswith(reason)
    assert reasons[0].endswith("kept as a straight line")


def test_one_point_is_snapped_to_the_road_or_kept_with_a_reason():
    road = winding_road()
    roads = network([{"road_id": "R1", "geometry": road}])
    near, far = beside(road, 2000.0, 40.0), beside(road, 2000.0, 400.0)

    geoms, reasons = place_start_end(to_deg(near, far), np.array([None, Point()]), roads)

    assert reasons[0] == ""
    assert to_utm(geoms[0]).distance(road.interpolate(2000.0)) < 0.01
    assert reasons[1] == "point 400 m from the nearest road (more than 100 m): kept where it is"
    assert to_utm(geoms[1]).distance(far) < 0.01


def test_no_route_between_unconnected_roads_keeps_the_chord():
    road = winding_road()
    other = LineString([(X0 + 1000.0, Y0 + 2000.0), (X0 + 4000.0, Y0 + 2000.0)])
    roads = network([{"road_id": "R1", "geometry": road}, {"road_id": "R2", "geometry": other}])
    start, end = beside(road, 1000.0, 0.0), Point(X0 + 2000.0, Y0 + 2000.0)

    geoms, reasons = place_start_end(to_deg(start), to_deg(end), roads)

    assert geoms[0] is None
    assert reasons[0].startswith("no route along the road network between the snapped start")


def test_place_many_matches_the_geometry_it_returns():
    main = winding_road()
    side = t_junction_short_of_the_road(main)
    roads = RoadNetwork(
        network([{"road_id": "A", "geometry": main}, {"road_id": "B", "geometry": side}])
    )
    rng = np.random.default_rng(4)
    at_main = rng.uniform(100.0, 5900.0, 40)
    at_side = rng.uniform(100.0, 2900.0, 40)
    starts = [beside(main, s, o) for s, o in zip(at_main, rng.uniform(-50, 50, 40), strict=True)]
    ends = [beside(side, s, o) for s, o in zip(at_side, rng.uniform(-50, 50, 40), strict=True)]
    ends[:10] = [beside(main, s, 5.0) for s in rng.uniform(100.0, 5900.0, 10)]

    geoms, reasons = place_start_end(to_deg(*starts), to_deg(*ends), roads)

    assert set(reasons) == {""}
    placed = place_many(*_lonlat_arrays(starts), *_lonlat_arrays(ends), roads)
    assert shapely.equals_exact(placed.geometry.to_numpy(), geoms, tolerance=1e-12).all()
    np.testing.assert_allclose(length_m(placed.geometry), placed["route_m"], rtol=0.002)


def _lonlat_arrays(points: list[Point]) -> tuple[np.ndarray, np.ndarray]:
    xy = shapely.get_coordinates(to_deg(*points))
    return xy[:, 0], xy[:, 1]


def test_route_crossing_a_utm_zone_boundary_is_measured_in_metres():
    # 108 deg E divides zones 48S and 49S (Jawa Barat - Jawa Tengah).
    road = LineString([(107.90, -6.90), (108.00, -6.91), (108.10, -6.90)])
    roads = gpd.GeoDataFrame({"road_id": ["Z"]}, geometry=[road], crs=4326)

    placed = place_many([107.95], [-6.905], [108.05], [-6.905], roads)

    geod = pyproj.Geod(ellps="WGS84")
    expected = geod.geometry_length(placed.geometry.iloc[0])
    assert placed["route_m"].iloc[0] == pytest.approx(expected, rel=0.002)


def test_network_without_crs_is_refused():
    roads = gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 1)])])
    with pytest.raises(CRSError, match="set_crs"):
        RoadNetwork(roads)


def test_features_without_a_line_are_left_out_with_a_note():
    roads = network(
        [{"road_id": "R1", "geometry": winding_road()}, {"road_id": "P", "geometry": Point(X0, Y0)}]
    )
    net = RoadNetwork(roads)
    assert len(net) == 1
    assert net.notes == [
        "road network: 1 feature(s) without a line geometry were left out (index 1)"
    ]


# --- the shared sample --------------------------------------------------------------------------


def test_shared_sample_geotagged_record_is_placed_along_the_trunk_road(samples):
    shared = gpd.read_file(samples / "jaringan_jalan_jambi.gpkg")
    assert shared.crs.to_epsg() == UTM
    trunk = shared.set_index("KODE_RUAS").geometry["N-001"]
    roads = network([{"road_id": "N-001", "name": "Jambi - Tempino", "geometry": trunk}])
    table = pd.read_csv(
        samples / "dinas_pupr_provinsi_jambi_geotagging_2025.csv",
        sep=";",
        decimal=",",
        thousands=".",
        encoding="utf-8-sig",
    )
    first = table.iloc[0]
    assert first["Nama Paket"].startswith("Rehabilitasi Jalan Jambi")

    placed = place_many(
        [first["Bujur Awal"]],
        [first["Lintang Awal"]],
        [first["Bujur Akhir"]],
        [first["Lintang Akhir"]],
        roads,
    )

    assert placed["reason"].tolist() == [""]
    route = placed.geometry.iloc[0]
    assert measured_m(route) == pytest.approx(4000.0, rel=0.01)  # chainage 5-9 km
    chord = LineString(
        [
            (first["Bujur Awal"], first["Lintang Awal"]),
            (first["Bujur Akhir"], first["Lintang Akhir"]),
        ]
    )
    assert measured_m(chord) < measured_m(route)
    on_road = substring(trunk, 5000.0, 9000.0)
    assert to_utm(route).hausdorff_distance(on_road) < 1.0
    assert to_utm(chord).hausdorff_distance(on_road) > 100.0  # the chord cuts the bends


# --- chainage -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STA 5+000 s/d 9+000", (5000.0, 9000.0)),
        ("Sta. 5+000 - 9+000", (5000.0, 9000.0)),
        ("5+000 - 9+000", (5000.0, 9000.0)),
        ("5+250 sd 9+100", (5250.0, 9100.0)),
        ("km 5 - 9", (5000.0, 9000.0)),
        ("KM 5,2 - 9,75", (5200.0, 9750.0)),
        ("5.2 - 9.75 km", (5200.0, 9750.0)),
        ("STA 5+000 s.d. STA 9+000", (5000.0, 9000.0)),
        ("Km. 5,2 s/d Km. 9,75", (5200.0, 9750.0)),
        ("5+000 \u2013 9+000", (5000.0, 9000.0)),
        ("0+012,5 sampai dengan 1+000", (12.5, 1000.0)),
        ("2500 - 4000 m", (2500.0, 4000.0)),
        ("9+000 s/d 5+000", (5000.0, 9000.0)),  # written downwards: the same stretch
    ],
)
def test_parse_chainage(text, expected):
    assert parse_chainage(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5 - 9", "without a unit"),
        ("STA 5 - 9", "without a unit"),
        ("km 5 - 9 m", "mixes km and m"),
        ("STA 5+00 - 9+000", "three digits"),
        ("STA 5+000", "not a range"),
        ("Jambi - Tempino", "not a range"),
        ("5+000 s/d 5+000", "no length"),
        ("", "no chainage given"),
    ],
)
def test_parse_chainage_rejects(text, message):
    with pytest.raises(ValueError, match=message):
        parse_chainage(text)


def test_parse_chainages_reads_a_column():
    read = parse_chainages(["STA 5+000 s/d 9+000", None, "5 - 9", "STA 5+000 s/d 9+000"])
    assert read["from_m"].tolist()[::3] == [5000.0, 5000.0]
    assert read["reason"].iloc[0] == ""
    assert read["reason"].iloc[1].startswith("no chainage given")
    assert "without a unit" in read["reason"].iloc[2]


@pytest.fixture
def ruas_network() -> gpd.GeoDataFrame:
    """N-008 Jambi - Tempino in two features (the second digitised backwards), and 015."""
    trunk = gentle_road(404000, 9820000, 200, 30000)
    other = winding_road(390000.0, 9812000.0, 12000.0, 60.0)
    return network(
        [
            {
                "road_id": "N-008",
                "name": "Jambi - Tempino",
                "status": "nasional",
                "geometry": substring(trunk, 0, 12000),
            },
            {
                "road_id": "N-008",
                "name": "Jambi - Tempino",
                "status": "nasional",
                "geometry": substring(trunk, 30000, 12000),
            },
            {
                "road_id": "015",
                "name": "Simpang Rimbo - Pal 10",
                "status": "provinsi",
                "geometry": other,
            },
        ]
    )


@pytest.mark.parametrize(("from_m", "to_m"), [(5000.0, 9000.0), (10000.0, 14000.0), (0.0, 30000.0)])
def test_chainage_range_is_cut_from_the_right_ruas(ruas_network, from_m, to_m):
    stretch, reason = cut_by_chainage(ruas_network, "N-008", from_m, to_m)

    assert reason == ""
    assert measured_m(stretch) == pytest.approx(to_m - from_m, abs=0.5)
    trunk = gentle_road(404000, 9820000, 200, 30000)
    expected = substring(trunk, from_m, to_m)
    assert to_utm(stretch).hausdorff_distance(expected) < 0.5
    assert Point(to_utm(stretch).coords[0]).distance(trunk.interpolate(from_m)) < 0.5


@pytest.mark.parametrize(
    "asked",
    [
        "N-008",
        "n 008",
        "N.008",
        "n008",
        "Jambi - Tempino",
        "jambi \u2013 tempino",
        "Jl. Jambi-Tempino",
    ],
)
def test_ruas_found_by_code_or_name(ruas_network, asked):
    cut = cut_many(ruas_network, [asked], [5000.0], [9000.0])
    assert cut["reason"].tolist() == [""]
    assert cut["road_id"].tolist() == ["N-008"]
    assert cut["ruas_length_m"].iloc[0] == pytest.approx(30000.0, abs=1.0)


def test_unknown_ruas_gets_a_reason_with_the_closest_codes(ruas_network):
    stretch, reason = cut_by_chainage(ruas_network, "N-08", 5000.0, 9000.0)
    assert stretch is None
    assert reason.startswith("ruas 'N-08' is not in the road network (2 ruas")
    assert "closest: N-008" in reason


def test_ambiguous_name_lists_the_candidates_and_never_guesses(ruas_network):
    trunk = gentle_road(404000, 9820000, 200, 30000)
    same_name = network(
        [
            {
                "road_id": "021",
                "name": "Jambi \u2013 Tempino",
                "status": "provinsi",
                "geometry": substring(trunk, 0, 9000).parallel_offset(500.0),
            }
        ]
    )
    roads = pd.concat([ruas_network, same_name], ignore_index=True)

    stretch, reason = cut_by_chainage(roads, "Jambi - Tempino", 5000.0, 9000.0)

    assert stretch is None
    assert reason.startswith("ruas 'Jambi - Tempino' matches 2 different ruas:")
    assert "N-008 (Jambi - Tempino, nasional)" in reason
    assert "021 (Jambi \u2013 Tempino, provinsi)" in reason
    # The status settles it.
    stretch, reason = cut_by_chainage(roads, "Jambi - Tempino", 5000.0, 8000.0, status="provinsi")
    assert reason == ""
    assert measured_m(stretch) == pytest.approx(3000.0, abs=0.5)


def test_range_beyond_the_ruas_end_gets_a_reason(ruas_network):
    length = float(cut_many(ruas_network, ["015"], [0.0], [1.0])["ruas_length_m"].iloc[0])
    stretch, reason = cut_by_chainage(ruas_network, "015", 10000.0, length + 1.0)
    assert stretch is None
    assert reason.startswith(
        f"chainage 10+000 s/d {_sta(length + 1.0)} goes beyond the end of ruas 015"
    )
    assert reason.endswith(f"which is {length:,.0f} m long (STA {_sta(length)})")


def test_ruas_that_does_not_form_one_line_gets_a_reason():
    roads = network(
        [
            {"road_id": "G", "geometry": LineString([(X0, Y0), (X0 + 1000.0, Y0)])},
            {"road_id": "G", "geometry": LineString([(X0 + 1200.0, Y0), (X0 + 2000.0, Y0)])},
        ]
    )
    stretch, reason = cut_by_chainage(roads, "G", 100.0, 500.0)
    assert stretch is None
    assert reason.startswith(
        "ruas G does not form one line: its features join into 2 separate pieces"
    )


def test_cut_many_matches_one_by_one(ruas_network):
    asked = ["N-008", "015", "nope", None, "N-008", "015"]
    start = [5000.0, 1000.0, 0.0, 0.0, 29000.0, np.nan]
    end = [9000.0, 3500.0, 10.0, 10.0, 25000.0, 100.0]

    cut = cut_many(ruas_network, asked, start, end)

    for k in range(len(asked)):
        one, why = cut_by_chainage(ruas_network, asked[k], start[k], end[k])
        assert cut["reason"].iloc[k] == why
        assert (one is None) == (cut.geometry.iloc[k] is None)
        if one is not None:
            assert shapely.equals_exact(one, cut.geometry.iloc[k], tolerance=1e-12)
    assert cut["reason"].iloc[3] == "no ruas (road_id or name) given"
    assert cut["reason"].iloc[5].startswith("chainage (missing) is not a range")
    # Reversed range: the same stretch, in the ruas direction.
    assert measured_m(cut.geometry.iloc[4]) == pytest.approx(4000.0, abs=0.5)


def test_empty_network_keeps_every_work_as_given():
    roads = gpd.GeoDataFrame({"road_id": ["P"]}, geometry=[Point(103.6, -1.6)], crs=4326)
    geoms, reasons = place_start_end(
        [Point(103.6, -1.6), Point(103.6, -1.6)], [Point(103.61, -1.6), None], roads
    )
    assert geoms[0] is None
    assert reasons[0] == "the road network has no roads: kept as a straight line"
    assert geoms[1].equals(Point(103.6, -1.6))
    assert reasons[1] == "the road network has no roads: kept where it is"
    cut = cut_many(roads, ["P"], [0.0], [10.0])
    assert cut["reason"].iloc[0].startswith("ruas 'P' is not in the road network (0 ruas")


def test_first_feature_digitised_backwards_still_starts_the_chainage():
    trunk = gentle_road(404000, 9820000, 200, 30000)
    roads = network(
        [
            {"road_id": "N-008", "geometry": substring(trunk, 12000, 0)},
            {"road_id": "N-008", "geometry": substring(trunk, 12000, 30000)},
        ]
    )
    stretch, reason = cut_by_chainage(roads, "N-008", 1000.0, 2000.0)
    assert reason == ""
    assert to_utm(stretch).hausdorff_distance(substring(trunk, 1000.0, 2000.0)) < 0.5


def test_routes_split_into_smaller_searches_give_the_same_answer(monkeypatch):
    main = winding_road()
    side = t_junction_short_of_the_road(main)
    roads = RoadNetwork(
        network([{"road_id": "A", "geometry": main}, {"road_id": "B", "geometry": side}])
    )
    starts = [beside(main, s, 10.0) for s in (500.0, 1500.0, 2500.0, 5500.0)]
    ends = [beside(side, s, -10.0) for s in (2500.0, 1500.0, 500.0, 2000.0)]
    whole = place_many(*_lonlat_arrays(starts), *_lonlat_arrays(ends), roads)
    monkeypatch.setattr("geo.spatial._routing.MAX_TABLE_CELLS", 1)  # one work per search
    split = place_many(*_lonlat_arrays(starts), *_lonlat_arrays(ends), roads)
    np.testing.assert_allclose(split["route_m"], whole["route_m"])
    assert shapely.equals_exact(split.geometry.to_numpy(), whole.geometry.to_numpy(), 1e-12).all()


# --- placement sanity: the declared length ------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "expected_m", "column"),
    [
        ({"Panjang (m)": [4000, "2.500,5", None]}, [4000.0, 2500.5, np.nan], "Panjang (m)"),
        ({"PJG_KM": [4.0, "4,5", ""]}, [4000.0, 4500.0, np.nan], "PJG_KM"),
        (
            {"Volume": ["4", "450", "3"], "Satuan": ["km", "m", "unit"]},
            [4000, 450, np.nan],
            "Volume",
        ),
        ({"Panjang": ["4,5 km", "450 m", None]}, [4500.0, 450.0, np.nan], "Panjang"),
        ({"Panjang": [4.5, 450, 3]}, [np.nan, np.nan, np.nan], None),  # no unit: not guessed
        ({"Panjang (m)": ["1.500", "x", -3]}, [np.nan, np.nan, np.nan], "Panjang (m)"),
    ],
)
def test_declared_lengths_are_read_with_their_unit(columns, expected_m, column):
    metres, found = declared_lengths_m(pd.DataFrame(columns))
    np.testing.assert_array_equal(metres, np.array(expected_m, dtype=float))
    assert found == column


RING_R = 1000.0


@pytest.fixture
def ring_network() -> gpd.GeoDataFrame:
    """A ring road of radius 1 km (a vertex every degree, closed), EPSG:4326."""
    a = np.radians(np.arange(0.0, 360.5, 1.0))
    a[-1] = 0.0
    ring = LineString(np.c_[X0 + RING_R * np.cos(a), Y0 + RING_R * np.sin(a)])
    return network([{"road_id": "LINGKAR", "geometry": ring}])


def on_ring(deg: float, off_m: float = 5.0) -> Point:
    rad = math.radians(deg)
    return Point(X0 + (RING_R + off_m) * math.cos(rad), Y0 + (RING_R + off_m) * math.sin(rad))


QUARTER_M = 2 * math.pi * RING_R / 4  # 1,570.8 m (the 360-gon is 0.1 m shorter)


@pytest.mark.parametrize(("start_deg", "end_deg"), [(0.0, 90.0), (350.0, 80.0)])
def test_the_route_matching_the_declared_length_is_preferred(ring_network, start_deg, end_deg):
    start, end = to_deg(on_ring(start_deg), on_ring(end_deg))
    lon, lat = [start.x, end.x], [start.y, end.y]
    shortest = place_many(lon[:1], lat[:1], lon[1:], lat[1:], ring_network)
    assert shortest["route_m"].iloc[0] == pytest.approx(QUARTER_M, abs=0.5)

    the_long_way = place_many(
        lon[:1], lat[:1], lon[1:], lat[1:], ring_network, declared_m=np.array([4700.0])
    )
    assert the_long_way["route_m"].iloc[0] == pytest.approx(3 * QUARTER_M, abs=1.0)
    assert measured_m(the_long_way.geometry.iloc[0]) == pytest.approx(3 * QUARTER_M, abs=1.0)
    assert the_long_way["length_note"].iloc[0] == (
        "the shortest route (1,571 m) is not the declared 4,700 m: placed along another route "
        "of 4,712 m"
    )
    assert the_long_way["reason"].iloc[0] == ""

    as_declared = place_many(
        lon[:1], lat[:1], lon[1:], lat[1:], ring_network, declared_m=np.array([1600.0])
    )
    assert as_declared["route_m"].iloc[0] == pytest.approx(QUARTER_M, abs=0.5)
    assert as_declared["length_note"].iloc[0] == ""


def test_a_placed_length_far_from_the_declared_one_is_reported(ring_network):
    start, end = to_deg(on_ring(0.0), on_ring(90.0))
    placed = place_many(
        [start.x, start.x],
        [start.y, start.y],
        [end.x, end.x],
        [end.y, end.y],
        ring_network,
        declared_m=np.array([3000.0, 1900.0]),  # no route of 3 km; 1,571 m is 17% short of 1.9 km
    )
    assert placed["route_m"].round(0).tolist() == [1571.0, 1571.0]
    assert placed["length_note"].tolist() == [
        "placed length 1,571 m is 48% less than the declared 3,000 m: check the start and end "
        "points",
        "",
    ]


def test_a_bypass_of_the_declared_length_is_taken_over_the_shorter_road():
    # Two roads between the junctions A (X0, Y0) and B (X0 + 3000, Y0): straight (3,000 m) and
    # a bypass bowing 1 km south (two straight legs, 3,605.6 m). The work's points lie on the
    # straight road 200 m from each junction: 2,600 m straight on, 4,005.6 m by the bypass.
    a, b = (X0, Y0), (X0 + 3000.0, Y0)
    bypass = LineString([a, (X0 + 1500.0, Y0 - 1000.0), b])
    roads = network(
        [
            {"road_id": "LURUS", "geometry": LineString([a, b])},
            {"road_id": "LINGKAR", "geometry": bypass},
        ]
    )
    start, end = to_deg(Point(X0 + 200.0, Y0 + 3.0), Point(X0 + 2800.0, Y0 + 3.0))
    lon, lat = [start.x, end.x], [start.y, end.y]
    straight_on = place_many(lon[:1], lat[:1], lon[1:], lat[1:], roads)
    assert straight_on["route_m"].iloc[0] == pytest.approx(2600.0, abs=0.5)
    placed = place_many(lon[:1], lat[:1], lon[1:], lat[1:], roads, declared_m=np.array([4000.0]))
    assert placed["route_m"].iloc[0] == pytest.approx(400.0 + bypass.length, abs=0.5)
    route = to_utm(placed.geometry.iloc[0])
    back_round_and_on = LineString(
        [(X0 + 200.0, Y0), a, (X0 + 1500.0, Y0 - 1000.0), b, (X0 + 2800.0, Y0)]
    )
    assert route.hausdorff_distance(back_round_and_on) < 0.5
    assert placed["length_note"].iloc[0].startswith("the shortest route (2,600 m) is not")


def test_the_reader_reports_a_declared_length_the_placed_route_does_not_match(samples, tmp_path):
    from geo.read.projects import read_projects
    from geo.read.reference import read_reference

    roads = read_reference(samples / "jaringan_jalan_jambi.gpkg", "roads").layer
    trunk = gpd.read_file(samples / "jaringan_jalan_jambi.gpkg").geometry.iloc[0]
    start, end = to_deg(trunk.interpolate(5000.0), trunk.interpolate(9000.0))
    table = tmp_path / "geotagging_panjang.csv"
    table.write_text(
        "kode_paket;nama_paket;tahun;satker;bujur_awal;lintang_awal;bujur_akhir;lintang_akhir;"
        "Panjang (m)\n"
        + "".join(
            f"P-{k};Rehabilitasi Jalan;2025;Dinas PUPR Provinsi Jambi;{start.x:.7f};"
            f"{start.y:.7f};{end.x:.7f};{end.y:.7f};{declared}\n"
            for k, declared in enumerate(["4.000", "6000", ""], start=1)
        ),
        encoding="utf-8",
    )
    result = read_projects(table, roads=roads)
    reasons = {r.project_id: r.reason for r in result.report.records}
    assert reasons["P-1"].startswith("placed along the road network (4,000 m)")
    assert "declared" not in reasons["P-1"]  # 4.000 is ambiguous: not compared
    assert reasons["P-2"].startswith(
        "placed along the road network (4,000 m); placed length 4,000 m is 33% less than the "
        "declared 6,000 m: check the start and end points"
    )
    assert "declared" not in reasons["P-3"]
    assert (
        "geotagging_panjang.csv: placed lengths compared with the declared length in column "
        "'Panjang (m)' (more than 20% apart is reported for the record)"
    ) in result.report.notes
