"""A source's systematic shift: estimated against the network, removed before line matching."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import LineString

from geo.analyse.locations import locate_road_projects
from geo.analyse.overlap import find_overlaps
from geo.read.reference import read_reference
from geo.spatial.linematch import locate_on_network, match_settings
from geo.spatial.network import RoadNetwork
from geo.spatial.source_shift import (
    MIN_SOURCE_WORKS,
    estimate_shifts,
    shift_lines,
    source_keys,
)
from tests.geometries import UTM, X0, Y0, projects_from_rows, redigitised


def _line(*xy: tuple[float, float]) -> LineString:
    return LineString([(X0 + x, Y0 + y) for x, y in xy])


#: A grid of roads 1-1.5 km apart, and two roads a few metres beside two of them: a frontage
#: road 20 m north of E-1 and a service road 20 m east of S-1, neither joined to anything.
ROADS = {
    "E-0": _line((0, 0), (3000, 0)),
    "E-1": _line((0, 1000), (3000, 1000)),
    "E-2": _line((0, 2000), (3000, 2000)),
    "S-0": _line((0, 0), (0, 2000)),
    "S-1": _line((1500, 0), (1500, 2000)),
    "S-2": _line((3000, 0), (3000, 2000)),
    "F-1": _line((200, 1020), (1300, 1020)),
    "F-2": _line((1520, 200), (1520, 800)),
}
#: The works of one agency, each on the road named, on roads running both ways.
WORKS = [
    ("E-1", _line((300, 1000), (1200, 1000))),  # under F-1 once shifted north 20 m
    ("S-1", _line((1500, 250), (1500, 750))),  # under F-2 once shifted east 20 m
    ("E-0", _line((200, 0), (1400, 0))),
    ("E-0", _line((1600, 0), (2800, 0))),
    ("E-2", _line((300, 2000), (1300, 2000))),
    ("E-2", _line((1700, 2000), (2700, 2000))),
    ("S-0", _line((0, 200), (0, 900))),
    ("S-0", _line((0, 1100), (0, 1800))),
    ("S-2", _line((3000, 300), (3000, 1700))),
    ("S-1", _line((1500, 1100), (1500, 1900))),
    ("E-1", _line((1700, 1000), (2800, 1000))),
]


@pytest.fixture
def network() -> RoadNetwork:
    roads = gpd.GeoDataFrame(
        {"road_id": list(ROADS), "name": [f"Jalan {k}" for k in ROADS]},
        geometry=list(ROADS.values()),
        crs=UTM,
    )
    return RoadNetwork(roads.to_crs(4326))


def _drawn(works, vector: tuple[float, float]) -> list[LineString]:
    """``works`` as drawn on another basemap: every one moved by ``vector`` (metres), with a
    vertex every 50 m."""
    move = np.array(vector)
    return [shapely.segmentize(shapely.transform(w, lambda xy: xy + move), 50.0) for _, w in works]


def _projects(lines: list[LineString], agencies: list[str]) -> gpd.GeoDataFrame:
    rows = [
        {"id": f"W{k}", "agency": agency, "geometry": line}
        for k, (line, agency) in enumerate(zip(lines, agencies, strict=True))
    ]
    defaults = {
        "name": "Pemeliharaan jalan",
        "level": "kabupaten",
        "asset_type": "road",
        "year_start": 2025,
        "year_end": 2025,
        "budget_idr": 1e9,
    }
    return projects_from_rows(rows, defaults)


def _longest_ruas(located: pd.DataFrame, n: int) -> list[str]:
    """Per work, the ruas_id of its longest interval ("" when it has none)."""
    rows = located.assign(m=located["to_m"] - located["from_m"]).sort_values("m", kind="stable")
    best = rows.groupby("work")["ruas_id"].last()
    return [str(best.get(k, "")) for k in range(n)]


def test_a_shifted_agency_is_located_on_its_own_roads_not_the_roads_beside(network):
    """Moved 18 m east and 20 m north, the E-1 work lies on the frontage road F-1 and the S-1
    work on the service road F-2; the agency's eleven works together say by how much."""
    projects = _projects(_drawn(WORKS, (18.0, 20.0)), ["Dinas PUPR Kota"] * len(WORKS))
    located = locate_road_projects(projects, network)
    assert _longest_ruas(located, len(WORKS)) == [road for road, _ in WORKS]
    assert located["shift_m"].to_numpy() == pytest.approx(math.hypot(18.0, 20.0), abs=1e-6)
    # The offsets are measured after the shift: the drawings are exact, so nothing is left.
    assert located["offset_max_m"].max() < 0.01
    assert (located["matched_share"] > 0.99).all()
    first = located[located["work"] == 0].iloc[0]
    assert (first["ruas_id"], round(first["from_m"]), round(first["to_m"])) == ("E-1", 300, 1200)
    # The records keep the geometry they were drawn with.
    moved = gpd.GeoSeries(projects.geometry, crs=4326).to_crs(UTM).iloc[0]
    assert moved.coords[0] == pytest.approx((X0 + 318.0, Y0 + 1020.0), abs=1e-6)


def test_the_shifted_copy_of_a_work_is_its_duplicate_not_the_frontage_works(network):
    """BPJN draws E-1 from 300 to 1,200 m and the frontage road F-1 beside it; the shifted
    agency's copy of the E-1 stretch lies on F-1 as drawn, but is E-1's duplicate."""
    lines = _drawn(WORKS, (18.0, 20.0)) + [WORKS[0][1], _line((300, 1020), (1200, 1020))]
    agencies = ["Dinas PUPR Kota"] * len(WORKS) + ["BPJN"] * 2
    projects = _projects(lines, agencies)
    projects.loc[len(WORKS) :, "level"] = "pusat"
    found = find_overlaps(projects, network=network)
    pairs = sorted(zip(found["project_a"], found["project_b"], found["method"], strict=True))
    assert pairs == [(f"W{len(WORKS)}", "W0", "network")]
    assert found["overlap_m"].round().tolist() == [900.0]
    assert found["ruas_id"].tolist() == ["E-1"]


def test_without_their_source_the_same_works_land_on_the_roads_beside(network):
    """What the estimate fixes: line by line, nothing tells the two works from works on F-1 and
    F-2 (the matcher's answer before sources were used)."""
    lines = _projects(_drawn(WORKS, (18.0, 20.0)), ["x"] * len(WORKS)).geometry.to_numpy()
    located = locate_on_network(network, lines, settings=match_settings(40.0))
    ruas = _longest_ruas(located.rename(columns={"line": "work"}), len(WORKS))
    assert ruas[:2] == ["F-1", "F-2"]
    assert (located["shift_m"] == 0).all()


def test_the_estimated_vector_is_the_one_that_undoes_the_shift(network):
    lines = _projects(_drawn(WORKS, (18.0, 20.0)), ["a"] * len(WORKS)).geometry.to_numpy()
    shifts = estimate_shifts(network, lines, np.array(["a"] * len(WORKS)), max_shift_m=40.0)
    (row,) = shifts.itertuples(index=False)
    assert (row.source, row.works, row.applied) == ("a", len(WORKS), True)
    assert (row.dx_m, row.dy_m) == pytest.approx((-18.0, -20.0), abs=1e-6)
    assert row.residual_m < 0.01
    assert row.unshifted_m > row.residual_m + 5.0


def test_two_agencies_with_different_shifts_each_get_their_own(network):
    lines = _drawn(WORKS, (18.0, 20.0)) + _drawn(WORKS, (-25.0, 12.0))
    agencies = ["Dinas PUPR Kota"] * len(WORKS) + ["Dinas PUPR Provinsi"] * len(WORKS)
    projects = _projects(lines, agencies)
    shifts = estimate_shifts(
        network, projects.geometry.to_numpy(), source_keys(projects), max_shift_m=40.0
    ).set_index("source")
    assert shifts.loc["Dinas PUPR Kota", ["dx_m", "dy_m"]].tolist() == pytest.approx(
        [-18.0, -20.0], abs=1e-6
    )
    assert shifts.loc["Dinas PUPR Provinsi", ["dx_m", "dy_m"]].tolist() == pytest.approx(
        [25.0, -12.0], abs=1e-6
    )
    located = locate_road_projects(projects, network)
    roads = [road for road, _ in WORKS]
    assert _longest_ruas(located, len(lines)) == roads + roads
    per_work = located.groupby("work")["shift_m"].first().to_numpy()
    assert per_work[: len(WORKS)] == pytest.approx(math.hypot(18, 20), abs=1e-6)
    assert per_work[len(WORKS) :] == pytest.approx(math.hypot(25, 12), abs=1e-6)


def test_a_source_too_small_gets_no_shift(network):
    few = WORKS[: MIN_SOURCE_WORKS - 1]
    projects = _projects(_drawn(few, (18.0, 20.0)), ["Dinas PUPR Kota"] * len(few))
    assert estimate_shifts(
        network, projects.geometry.to_numpy(), source_keys(projects), max_shift_m=40.0
    ).empty
    located = locate_road_projects(projects, network)
    assert (located["shift_m"] == 0).all()
    assert _longest_ruas(located, len(few))[:2] == ["F-1", "F-2"]  # as drawn: no fix


def test_works_shifted_each_their_own_way_get_no_shift(network):
    """Eleven works, each moved by its own vector: no one vector puts them on the network."""
    vectors = [(30 * math.cos(a), 30 * math.sin(a)) for a in np.linspace(0, 2 * math.pi, 12)[:-1]]
    lines = [_drawn([work], vector)[0] for work, vector in zip(WORKS, vectors, strict=True)]
    projects = _projects(lines, ["Dinas PUPR Kota"] * len(WORKS))
    shifts = estimate_shifts(
        network, projects.geometry.to_numpy(), source_keys(projects), max_shift_m=40.0
    )
    assert shifts["applied"].tolist() == [False]
    assert (locate_road_projects(projects, network)["shift_m"] == 0).all()


def test_the_setting_bounds_the_shift_looked_for(network):
    """With ``network_offset_m`` 20 m the 26.9 m shift is out of reach: the best vector within
    20 m (due south) puts the east-west works back on their roads, not the others."""
    lines = _projects(_drawn(WORKS, (18.0, 20.0)), ["a"] * len(WORKS)).geometry.to_numpy()
    shifts = estimate_shifts(network, lines, np.array(["a"] * len(WORKS)), max_shift_m=20.0)
    (row,) = shifts.itertuples(index=False)
    assert (row.dx_m, row.dy_m, row.shift_m) == pytest.approx((0.0, -20.0, 20.0), abs=1e-6)
    assert row.residual_m > 1.0  # the north-south works are still 18 m off


def test_works_on_a_real_network_get_no_shift(samples):
    """Twelve stretches of the sample network's three ruas (the winding trunk road N-001, P-012,
    K-034) re-digitised with 3-5 m of noise, by one agency: already on the network."""
    roads = read_reference(samples / "jaringan_jalan_jambi.gpkg", "roads").layer
    network = RoadNetwork(roads)
    ruas = roads.to_crs(UTM).set_index("road_id").geometry
    stretches = [
        (road, shapely.ops.substring(ruas[road], start, start + 1500.0))
        for road, starts in (("N-001", (0, 4000, 9000, 15000, 21000, 27000)),
                             ("P-012", (1000, 7000, 13000)), ("K-034", (500, 5000, 9500)))
        for start in starts
    ]  # fmt: skip
    lines = [
        redigitised(line, spacing_m=30.0, noise_m=3.0 + k % 3, seed=k)
        for k, (_, line) in enumerate(stretches)
    ]
    projects = _projects(lines, ["BPJN Jambi"] * len(lines))
    shifts = estimate_shifts(
        network, projects.geometry.to_numpy(), source_keys(projects), max_shift_m=40.0
    )
    assert shifts["applied"].tolist() == [False]
    assert shifts["shift_m"].tolist() == [0.0]  # already on the network: no search
    located = locate_road_projects(projects, network)
    assert (located["shift_m"] == 0).all()
    assert _longest_ruas(located, len(lines)) == [road for road, _ in stretches]


def test_shift_lines_moves_only_the_sources_with_an_applied_shift():
    lines = gpd.GeoSeries(
        [_line((0, 0), (100, 0)), _line((0, 50), (100, 50))], crs=UTM
    ).to_crs(4326).to_numpy()  # fmt: skip
    shifts = pd.DataFrame(
        {"source": ["a", "b"], "works": [8, 8], "dx_m": [3.0, 5.0], "dy_m": [4.0, 0.0],
         "shift_m": [5.0, 5.0], "residual_m": [1.0, 9.0], "unshifted_m": [9.0, 9.0],
         "applied": [True, False]}
    )  # fmt: skip
    moved, shift_m = shift_lines(lines, np.array(["a", "b"], dtype=object), shifts)
    assert shift_m.tolist() == [5.0, 0.0]
    first = gpd.GeoSeries([moved[0]], crs=4326).to_crs(UTM).iloc[0]
    assert first.coords[0] == pytest.approx((X0 + 3.0, Y0 + 4.0), abs=1e-6)
    assert moved[1] is lines[1]


def test_source_keys_name_the_agency_and_the_file():
    records = pd.DataFrame(
        {"agency": ["Dinas PUPR", "Dinas PUPR", " ", None], "upload_id": [3, 4, 3, 3],
         "source_layer": ["jalan", "jalan", "jalan", None]}
    )  # fmt: skip
    assert source_keys(records).tolist() == [
        "Dinas PUPR\x1f3\x1fjalan",
        "Dinas PUPR\x1f4\x1fjalan",
        "",
        "",
    ]
    assert source_keys(pd.DataFrame({"name": ["x"]})).tolist() == [""]
