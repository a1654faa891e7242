"""The one road-network model: every question placement, authority and gaps ask of the roads.

A straight network in UTM 48S: ruas N-1 (nasional) from x = 0 to 2,000 m, then ruas K-1
(kabupaten) on from 2,000 to 3,000 m, and a provinsi road P-1 crossing N-1 at x = 1,000 m.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import LineString

from geo.errors import CRSError
from geo.spatial.crs import utm_epsg_for_geometries
from geo.spatial.network import ROAD_STATUS, ROAD_STATUSES, RoadNetwork, normal_statuses
from tests.geometries import UTM, X0, Y0


def line(*xy: tuple[float, float]) -> LineString:
    """A line through points given in metres from (X0, Y0)."""
    return LineString([(X0 + x, Y0 + y) for x, y in xy])


@pytest.fixture(scope="module")
def network() -> RoadNetwork:
    roads = gpd.GeoDataFrame(
        {
            "road_id": ["N-1", "K-1", "P-1"],
            "name": ["Jambi - Tempino", "Tempino - Sengeti", "Simpang"],
            "status": ["Jalan Nasional", "kota", "PROVINSI"],
            "condition": ["RB", "baik", None],
        },
        geometry=[
            line((0, 0), (2_000, 0)),
            line((2_000, 0), (3_000, 0)),
            line((1_000, -500), (1_000, 500)),
        ],
        crs=UTM,
    )
    return RoadNetwork(roads)


def degrees(*geoms: shapely.Geometry) -> np.ndarray:
    return np.asarray(gpd.GeoSeries(list(geoms), crs=UTM).to_crs(4326).array, dtype=object)


def test_status_and_condition_are_normalised_once_with_the_readers_vocabulary(network):
    from geo.read.reference import ROAD_STATUS as READERS

    assert READERS is ROAD_STATUS  # one vocabulary of status spellings
    assert network.status.tolist() == ["nasional", "kabupaten", "provinsi"]
    assert network.condition.tolist() == ["rusak berat", "baik", None]
    words = pd.Series(["Jalan Tol", "Kab/Kota", None, "jalan khusus", "  DESA "])
    assert normal_statuses(words).tolist() == ["nasional", "kabupaten", "unknown", "khusus", "desa"]


def test_snapping_and_routing_run_along_the_roads(network):
    start, end = degrees(shapely.Point(X0 + 500, Y0 + 30), shapely.Point(X0 + 2_500, Y0 - 20))
    lon = np.array([start.x, end.x])
    lat = np.array([start.y, end.y])
    snapped = network.snap(lon, lat, np.array([True, True]), snap_m=100.0)
    assert snapped.edge.min() >= 0
    assert snapped.offset_m == pytest.approx([30.0, 20.0], abs=0.05)
    bounds = np.array([[snapped.lon[0], snapped.lat[0], snapped.lon[1], snapped.lat[1]]])
    routes, length_m = network.routes(
        snapped.edge[:1],
        snapped.along_m[:1],
        snapped.edge[1:],
        snapped.along_m[1:],
        np.array([10_000.0]),
        bounds,
    )
    assert length_m[0] == pytest.approx(2_000.0, abs=0.5)  # N-1 then K-1, across the junction
    in_metres = gpd.GeoSeries(routes, crs=4326).to_crs(UTM).iloc[0]
    assert in_metres.length == pytest.approx(2_000.0, abs=0.5)
    assert network.nearest_m(lon[:1], lat[:1])[0] == pytest.approx(30.0, abs=0.05)


def test_ruas_are_found_by_code_or_name_and_cut_by_chainage(network):
    g, reason = network.find_ruas("n 1")
    assert (reason, network.ruas.road_id[g]) == ("", "N-1")
    assert network.find_ruas("Tempino \u2013 Sengeti")[0] == network.find_ruas("K-1")[0]
    missing, why = network.find_ruas("X-9")
    assert missing == -1 and "not in the road network" in why
    stretch = network.cut(np.array([g]), np.array([500.0]), np.array([1_250.0]))[0]
    in_metres = gpd.GeoSeries([stretch], crs=4326).to_crs(UTM).iloc[0]
    assert in_metres.length == pytest.approx(750.0, abs=0.01)
    assert in_metres.coords[0][0] - X0 == pytest.approx(500.0, abs=0.01)


def test_status_along_a_line_splits_a_project_between_statuses(network):
    # From 1,500 m on N-1 to 2,600 m on K-1: 500 m nasional, 600 m kabupaten. The second
    # project runs 200 m along N-1 across P-1, which adds nothing.
    projects = degrees(line((1_500, 5), (2_600, 5)), line((900, 3), (1_100, 3)))
    zones = utm_epsg_for_geometries(gpd.GeoSeries(projects, crs=4326))
    found = network.status_along(
        projects,
        np.array([0, 1]),
        np.array([2025.0, 2025.0]),
        zones,
        tolerance_m=20.0,
        max_angle_deg=20.0,
        measure=lambda metric: metric,
    )
    assert found is not None
    along = dict(zip(ROAD_STATUSES, found.along_m[0], strict=True))
    assert along["nasional"] == pytest.approx(500.0, abs=1.0)
    assert along["kabupaten"] == pytest.approx(600.0, abs=1.0)
    assert found.along_m[1, ROAD_STATUSES.index("nasional")] == pytest.approx(200.0, abs=1.0)
    assert found.along_m[1, ROAD_STATUSES.index("provinsi")] == 0.0  # P-1 only crosses it
    assert found.length_m[0] == pytest.approx(1_100.0, abs=0.5)


def test_coverage_is_measured_per_status_on_the_number_line(network):
    projects = degrees(line((1_500, 5), (2_600, 5)))
    covered = network.covered(projects, np.array([0]), tolerance_m=20.0, max_angle_deg=20.0)
    line_ = network.line
    elements = line_.part_elements()
    elements.unit = np.zeros(len(elements.start), dtype=np.int64)  # all in one unit
    total_m, covered_m, per_status = line_.length_by_status(elements, covered, 1)
    assert total_m[0] == pytest.approx(4_000.0, abs=0.5)
    assert covered_m[0] == pytest.approx(1_100.0, abs=1.0)
    assert per_status["nasional"][1][0] == pytest.approx(500.0, abs=1.0)
    assert per_status["kabupaten"][1][0] == pytest.approx(600.0, abs=1.0)
    assert per_status["provinsi"] == (pytest.approx([1_000.0], abs=0.5), pytest.approx([0.0]))


def test_a_network_without_crs_is_refused_with_the_fix():
    roads = gpd.GeoDataFrame({"road_id": ["N-1"]}, geometry=[line((0, 0), (10, 0))])
    with pytest.raises(CRSError, match="set_crs"):
        RoadNetwork(roads)
