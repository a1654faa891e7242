"""Line matching on the network: offsets, parallel roads, divided roads, decks, partial matches."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely import LineString

from geo.read.locate import RoadNetwork
from geo.spatial._linematch_batch import costs, match_all, near_edges
from geo.spatial.linematch import (
    MatchSettings,
    _as_list,
    _match_lines_one_by_one,
    match_lines,
)
from tests.geometries import UTM, X0, Y0, redigitised

MAIN = LineString([(X0, Y0), (X0 + 1000, Y0), (X0 + 2000, Y0)])
#: A side road meeting the main road at 1 km: the main road is two edges.
SIDE = LineString([(X0 + 1000, Y0), (X0 + 1000, Y0 + 800)])


def network(*lines: LineString):
    roads = gpd.GeoDataFrame(geometry=list(lines), crs=UTM).to_crs(4326)
    graph = RoadNetwork(roads).graph
    return graph


def match(graph, lines_m, **kwargs):
    lines = gpd.GeoSeries(lines_m, crs=UTM).to_crs(4326).to_numpy()
    return match_lines(lines, graph.edges_deg, graph.u, graph.v, **kwargs)


def covered_on(graph, result, line_m: LineString) -> float:
    """Metres of ``line_m`` (a road of the network) that the matched pieces cover."""
    pieces = result.pieces
    edges = gpd.GeoSeries(graph.edges_deg[pieces["edge"]], crs=4326).to_crs(UTM).to_numpy()
    parts = [
        shapely.ops.substring(e, lo, hi)
        for e, lo, hi in zip(edges, pieces["from_m"], pieces["to_m"], strict=True)
    ]
    on = [p for p in parts if p.length and line_m.buffer(0.5).contains(p)]
    return float(sum(p.length for p in on))


@pytest.mark.parametrize("offset_m", [0.0, 20.0, 35.0])
def test_a_shifted_noisy_line_follows_the_road_it_was_drawn_on(offset_m):
    graph = network(MAIN, SIDE)
    drawn = redigitised(
        shapely.offset_curve(shapely.ops.substring(MAIN, 300, 1700), offset_m),
        spacing_m=35.0,
        noise_m=3.0,
        seed=1,
    )
    (result,) = match(graph, [drawn])
    assert covered_on(graph, result, MAIN) == pytest.approx(1400, abs=25)
    assert covered_on(graph, result, SIDE) == 0
    assert result.matched_share == pytest.approx(1.0, abs=0.02)
    assert result.offset_mean_m == pytest.approx(offset_m, abs=4)


def test_a_line_further_than_the_largest_offset_matches_nothing():
    graph = network(MAIN)
    (result,) = match(graph, [shapely.offset_curve(MAIN, 60.0)])
    assert result.pieces.empty and result.matched_share == 0


def test_a_service_road_beside_the_main_road_keeps_its_own_work():
    service = LineString([(X0 + 200, Y0 - 25), (X0 + 1800, Y0 - 25)])
    graph = network(MAIN, SIDE, service)
    drawn = redigitised(service, spacing_m=30.0, noise_m=3.0, seed=2, reverse=True)
    (on_service,) = match(graph, [drawn])
    assert covered_on(graph, on_service, service) == pytest.approx(1600, abs=25)
    assert covered_on(graph, on_service, MAIN) == 0
    on_main = redigitised(MAIN, spacing_m=30.0, noise_m=3.0, seed=3)
    (result,) = match(graph, [on_main])
    assert covered_on(graph, result, MAIN) == pytest.approx(2000, abs=25)
    assert covered_on(graph, result, service) == 0


def test_each_carriageway_of_a_divided_road_is_its_own_edge():
    north = LineString([(X0, Y0 + 10), (X0 + 2000, Y0 + 10)])
    south = LineString([(X0 + 2000, Y0 - 10), (X0, Y0 - 10)])  # drawn the way traffic runs
    graph = network(north, south)
    drawn = redigitised(shapely.offset_curve(north, -6.0), spacing_m=40.0, noise_m=2.5, seed=4)
    (result,) = match(graph, [drawn])
    assert covered_on(graph, result, north) == pytest.approx(2000, abs=25)
    assert covered_on(graph, result, south) == 0


def test_work_on_an_elevated_road_matches_the_elevated_road_not_the_one_beneath():
    toll = shapely.offset_curve(MAIN, 3.0)
    graph = network(MAIN, toll)
    edge_decks = np.where(
        shapely.distance(
            gpd.GeoSeries(graph.edges_deg, crs=4326).to_crs(UTM).centroid.to_numpy(),
            shapely.Point(X0 + 1000, Y0 + 3),
        )
        < 2.0,
        1,
        0,
    ).astype(np.int8)
    drawn = redigitised(MAIN, spacing_m=30.0, noise_m=2.0, seed=5)
    above, below = match(
        graph, [drawn, drawn], line_decks=np.array([1, 0], np.int8), edge_decks=edge_decks
    )
    assert covered_on(graph, above, toll) == pytest.approx(2000, abs=25)
    assert covered_on(graph, above, MAIN) == 0
    assert covered_on(graph, below, MAIN) == pytest.approx(2000, abs=25)


def test_a_line_running_past_the_network_end_is_matched_in_part():
    graph = network(MAIN)
    drawn = LineString([(X0 + 1000, Y0 + 8), (X0 + 2600, Y0 + 8)])
    (result,) = match(graph, [drawn])
    assert covered_on(graph, result, MAIN) == pytest.approx(1000, abs=25)
    assert result.matched_share == pytest.approx(1000 / 1600, abs=0.03)


def test_a_crossing_road_is_not_followed():
    graph = network(MAIN, SIDE)
    crossing = LineString([(X0 + 1500, Y0 - 500), (X0 + 1500, Y0 + 500)])
    (result,) = match(graph, [crossing])
    assert covered_on(graph, result, MAIN) < 45


def test_the_settings_bound_the_offset():
    graph = network(MAIN)
    (result,) = match(
        graph, [shapely.offset_curve(MAIN, 30.0)], settings=MatchSettings(max_offset_m=20.0)
    )
    assert result.pieces.empty


def test_a_stretch_drawn_nearer_the_other_carriageway_stays_on_the_one_it_follows():
    north = LineString([(X0, Y0 + 10), (X0 + 2000, Y0 + 10)])
    south = LineString([(X0 + 2000, Y0 - 10), (X0, Y0 - 10)])
    graph = network(north, south)
    # Drawn on the north carriageway, but for 300 m nearer the south one (6 m vs 14 m).
    drawn = LineString(
        [
            (X0, Y0 + 10),
            (X0 + 800, Y0 + 10),
            (X0 + 850, Y0 - 4),
            (X0 + 1150, Y0 - 4),
            (X0 + 1200, Y0 + 10),
            (X0 + 2000, Y0 + 10),
        ]
    )
    (result,) = match(graph, [drawn])
    assert covered_on(graph, result, north) == pytest.approx(2000, abs=25)
    assert covered_on(graph, result, south) == 0


# --- the chain fast path and the local graph give the same answers -----------------------------


def matched_both_ways(graph, lines_m, *, line_decks=None, edge_decks=None):
    """Each line matched by the batch (on a chain where it can), by the batch with every line on
    its local graph, and one line at a time; asserts the three agree. Returns the matches and,
    per line, whether it was settled on a chain."""
    lines = gpd.GeoSeries(lines_m, crs=UTM).to_crs(4326).to_numpy()
    args = (lines, graph.edges_deg, graph.u, graph.v)
    decks = {"line_decks": line_decks, "edge_decks": edge_decks}
    batch = match_all(*args, **decks, settings=MatchSettings())
    on_graph = match_all(*args, **decks, settings=MatchSettings(), fast=False)
    assert not on_graph.fast.any()
    one_by_one = _match_lines_one_by_one(*args, **decks)
    numbers = ["from_m", "to_m", "lon_from", "lat_from", "lon_to", "lat_to"]
    for other in (_as_list(on_graph, len(lines)), one_by_one):
        for a, b in zip(_as_list(batch, len(lines)), other, strict=True):
            assert a.pieces["edge"].tolist() == b.pieces["edge"].tolist()
            np.testing.assert_allclose(a.pieces[numbers], b.pieces[numbers], rtol=0, atol=1e-6)
            quality = [a.offset_mean_m, a.offset_max_m, a.matched_share]
            expected = [b.offset_mean_m, b.offset_max_m, b.matched_share]
            np.testing.assert_allclose(quality, expected, rtol=1e-9)
    return _as_list(batch, len(lines)), batch.fast


def test_a_straight_road_drawn_30_m_off_is_settled_on_its_chain():
    graph = network(MAIN, SIDE)
    drawn = LineString([(X0 + 300, Y0 + 30), (X0 + 1000, Y0 + 30), (X0 + 1700, Y0 + 30)])
    (result,), fast = matched_both_ways(graph, [drawn])
    assert fast.tolist() == [True]
    assert covered_on(graph, result, MAIN) == pytest.approx(1400.0, abs=1e-3)
    assert result.offset_mean_m == pytest.approx(30.0, abs=1e-3)
    assert result.offset_max_m == pytest.approx(30.0, abs=1e-3)
    assert result.matched_share == 1.0


def test_a_noisy_straight_road_is_settled_on_its_chain():
    graph = network(MAIN, SIDE)
    drawn = redigitised(shapely.ops.substring(MAIN, 300, 1700), spacing_m=35, noise_m=3, seed=1)
    (result,), fast = matched_both_ways(graph, [drawn])
    assert fast.tolist() == [True]
    assert covered_on(graph, result, MAIN) == pytest.approx(1400, abs=10)
    assert covered_on(graph, result, SIDE) == 0


def test_each_carriageway_of_a_divided_road_is_settled_on_its_own_chain():
    north = LineString([(X0, Y0 + 10), (X0 + 2000, Y0 + 10)])
    south = LineString([(X0 + 2000, Y0 - 10), (X0, Y0 - 10)])
    graph = network(north, south)
    on_north = LineString([(X0 + 100, Y0 + 4), (X0 + 1900, Y0 + 4)])  # 14 m from the south one
    on_south = LineString([(X0 + 1900, Y0 - 12), (X0 + 100, Y0 - 12)])
    (a, b), fast = matched_both_ways(graph, [on_north, on_south])
    assert fast.tolist() == [True, True]
    assert covered_on(graph, a, north) == pytest.approx(1800.0, abs=1e-3)
    assert covered_on(graph, a, south) == 0
    assert covered_on(graph, b, south) == pytest.approx(1800.0, abs=1e-3)
    assert covered_on(graph, b, north) == 0


def test_work_on_an_elevated_road_is_settled_on_the_elevated_chain():
    toll = LineString([(X0, Y0 + 3), (X0 + 2000, Y0 + 3)])
    graph = network(MAIN, toll)
    middle_y = shapely.get_coordinates(
        gpd.GeoSeries(graph.edges_deg, crs=4326).to_crs(UTM).centroid.to_numpy()
    )[:, 1]
    edge_decks = (np.abs(middle_y - (Y0 + 3)) < 1).astype(np.int8)
    drawn = LineString([(X0 + 200, Y0 + 1), (X0 + 1800, Y0 + 1)])
    (above, below), fast = matched_both_ways(
        graph, [drawn, drawn], line_decks=np.array([1, 0], np.int8), edge_decks=edge_decks
    )
    assert fast.tolist() == [True, True]
    assert covered_on(graph, above, toll) == pytest.approx(1600.0, abs=1e-3)
    assert covered_on(graph, above, MAIN) == 0
    assert covered_on(graph, below, MAIN) == pytest.approx(1600.0, abs=1e-3)
    assert covered_on(graph, below, toll) == 0


def test_a_service_road_not_joined_nearby_is_settled_on_its_own_chain():
    service = LineString([(X0 + 200, Y0 - 25), (X0 + 1800, Y0 - 25)])
    graph = network(MAIN, SIDE, service)
    drawn = LineString([(X0 + 1700, Y0 - 27), (X0 + 300, Y0 - 27)])
    (result,), fast = matched_both_ways(graph, [drawn])
    assert fast.tolist() == [True]
    assert covered_on(graph, result, service) == pytest.approx(1400.0, abs=1e-3)
    assert covered_on(graph, result, MAIN) == 0


def test_a_line_in_two_parts_is_settled_part_by_part():
    graph = network(MAIN, SIDE)
    drawn = shapely.MultiLineString(
        [[(X0 + 100, Y0 + 5), (X0 + 700, Y0 + 5)], [(X0 + 1200, Y0 - 5), (X0 + 1900, Y0 - 5)]]
    )
    (result,), fast = matched_both_ways(graph, [drawn])
    assert fast.tolist() == [True]
    assert covered_on(graph, result, MAIN) == pytest.approx(1300.0, abs=1e-3)
    assert result.offset_mean_m == pytest.approx(5.0, abs=1e-3)
    assert result.matched_share == 1.0


def test_the_gap_between_two_parts_on_one_edge_is_not_covered():
    """A work drawn in two parts along one edge (200 m left out between them): its pieces
    leave the gap out, on the chain and on the local graph alike."""
    road = LineString([(X0, Y0), (X0 + 2000, Y0)])
    graph = network(road)
    drawn = shapely.MultiLineString(
        [[(X0 + 100, Y0 + 3), (X0 + 700, Y0 + 3)], [(X0 + 900, Y0 - 3), (X0 + 1500, Y0 - 3)]]
    )
    (result,), fast = matched_both_ways(graph, [drawn])
    assert fast.tolist() == [True]
    assert covered_on(graph, result, road) == pytest.approx(1200.0, abs=1e-3)
    assert sorted(result.pieces[["from_m", "to_m"]].round(3).itertuples(index=False)) == [
        (100.0, 700.0),
        (900.0, 1500.0),
    ]


def test_the_gap_is_not_covered_when_the_second_part_starts_off_the_road():
    """The second part begins 80 m off the road (its first samples match nothing) and then
    follows it: its pieces start where it meets the road, not at the end of the first part."""
    road = LineString([(X0, Y0), (X0 + 2000, Y0)])
    graph = network(road)
    drawn = shapely.MultiLineString(
        [
            [(X0 + 100, Y0 + 3), (X0 + 700, Y0 + 3)],
            [(X0 + 900, Y0 + 80), (X0 + 905, Y0 + 60), (X0 + 910, Y0), (X0 + 1500, Y0)],
        ]
    )
    (result,), fast = matched_both_ways(graph, [drawn])
    assert fast.tolist() == [True]
    # The second piece starts at the part's first sample within reach running along the road
    # (its heading measured over 20 m of the line), 927.8 m along the road.
    assert result.pieces[["from_m", "to_m"]].round(1).values.tolist() == [
        [100.0, 700.0],
        [927.8, 1500.0],
    ]
    assert result.matched_share == pytest.approx((600 + 1500 - 927.8) / drawn.length, abs=0.03)


def test_a_sample_turned_off_the_road_at_a_junction_leaves_no_gap():
    """A spike drawn 15 m off the road right at the node between its two edges: samples on its
    flanks run 49 degrees off the road and match nothing. The way along the road between
    the matched samples either side is as long as the line between them: covered, on the chain
    and on the local graph alike, not left out at the edge's end."""
    west = LineString([(X0, Y0), (X0 + 1000, Y0)])
    east = LineString([(X0 + 1000, Y0), (X0 + 2000, Y0)])
    graph = network(west, east)
    drawn = LineString(
        [(X0 + 300, Y0 + 2), (X0 + 987, Y0 + 2), (X0 + 1000, Y0 + 17), (X0 + 1013, Y0 + 2),
         (X0 + 1700, Y0 + 2)]
    )  # fmt: skip
    (result,), fast = matched_both_ways(graph, [drawn])
    assert fast.tolist() == [True]
    assert result.matched_share < 1.0  # the flanks matched nothing
    assert covered_on(graph, result, west) == pytest.approx(700.0, abs=1e-6)
    assert covered_on(graph, result, east) == pytest.approx(700.0, abs=1e-6)


def test_a_service_road_joined_to_the_main_road_at_both_ends_goes_to_the_local_graph():
    # Slip roads join it to the main road 200 m and 1800 m along: a loop in the network near
    # the work, so the way between two candidates is no longer one chain.
    service = LineString(
        [(X0 + 200, Y0), (X0 + 300, Y0 - 25), (X0 + 1700, Y0 - 25), (X0 + 1800, Y0)]
    )
    graph = network(MAIN, SIDE, service)
    drawn = LineString([(X0 + 400, Y0 - 27), (X0 + 1600, Y0 - 27)])
    on_main = LineString([(X0 + 400, Y0 + 2), (X0 + 1600, Y0 + 2)])
    (result, main_work), fast = matched_both_ways(graph, [drawn, on_main])
    assert fast.tolist() == [False, False]
    assert covered_on(graph, result, service) == pytest.approx(1200.0, abs=1e-3)
    assert covered_on(graph, result, MAIN) == 0
    assert covered_on(graph, main_work, MAIN) == pytest.approx(1200.0, abs=1e-3)


def grid_with_loops_and_works(seed: int = 11):
    """A grid of roads 400 m apart with a divided road and a service road joined at both ends
    (loops near the works on them), and works drawn on it with noise, offsets and gaps."""
    rng = np.random.default_rng(seed)
    roads = [LineString([(X0, Y0 + k * 400), (X0 + 2400, Y0 + k * 400)]) for k in range(6)]
    roads += [LineString([(X0 + k * 400, Y0), (X0 + k * 400, Y0 + 2000)]) for k in range(7)]
    roads += [LineString([(X0 + 2400, Y0 + 1012), (X0, Y0 + 1012)])]  # other carriageway
    roads += [LineString([(X0 + 400, Y0 + 2000 - 30), (X0 + 1600, Y0 + 2000 - 30)])]
    # A road with a lane off it every 12 m: edges shorter than the sampling step.
    roads += [LineString([(X0, Y0 + 2400), (X0 + 2400, Y0 + 2400)])]
    drawable = list(roads)
    roads += [LineString([(X0 + 400, Y0 + 1970), (X0 + 400, Y0 + 2000)])]  # slip roads
    roads += [LineString([(X0 + 1600, Y0 + 1970), (X0 + 1600, Y0 + 2000)])]
    roads += [LineString([(x, Y0 + 2400), (x, Y0 + 2450)]) for x in X0 + 6 + 12 * np.arange(200)]
    drawn = []
    for k in rng.integers(0, len(drawable), 120):
        road = drawable[k]
        start = rng.uniform(0, road.length * 0.6)
        stretch = shapely.ops.substring(road, start, rng.uniform(start + 100, road.length))
        shift = rng.choice([0.0, 0.0, 25.0, -30.0])
        piece = shapely.offset_curve(stretch, shift) if shift else stretch
        drawn.append(redigitised(piece, spacing_m=30, noise_m=4, seed=int(rng.integers(1e6))))
    return network(*roads), drawn


def test_random_works_on_a_grid_get_the_same_answer_whichever_way_they_are_matched():
    graph, drawn = grid_with_loops_and_works()
    _, fast = matched_both_ways(graph, drawn)
    assert fast.any() and not fast.all()


def test_every_transition_costs_the_same_on_the_chain_as_on_the_local_graph():
    graph, drawn = grid_with_loops_and_works()
    lines = gpd.GeoSeries(drawn, crs=UTM).to_crs(4326).to_numpy()
    no_decks = np.zeros(len(graph.edges_deg), np.int8)
    near = near_edges(lines, graph.edges_deg, graph.tree, np.zeros(len(lines)), no_decks, 40.0)
    ids = np.flatnonzero(near.zone != 0)
    settings = MatchSettings()
    on_chain = costs(ids, near, graph.u, graph.v, settings, fast=True)
    on_graph = costs(ids, near, graph.u, graph.v, settings, fast=False)
    starts = on_chain.move_start
    fast_moves = np.concatenate(
        [np.arange(starts[j], starts[j + 1]) for j in range(len(ids)) if on_chain.fast[j]]
    )
    assert len(fast_moves) > 1000
    np.testing.assert_allclose(
        on_chain.moves[fast_moves], on_graph.moves[fast_moves], rtol=1e-12, atol=1e-9
    )


# --- ruas and chainage, on the shared sample network -----------------------------------------


@pytest.fixture
def jambi(samples):
    from geo.read.reference import read_reference
    from geo.spatial.network import RoadNetwork as Network

    return Network(read_reference(samples / "jaringan_jalan_jambi.gpkg", "roads").layer)


def test_works_are_located_as_ruas_and_chainage(jambi, samples):
    from geo.read.projects import read_projects
    from geo.spatial.linematch import locate_on_network

    balai = read_projects(samples / "bpjn_jambi_2025.zip", level="pusat").projects
    roads = balai[balai["asset_type"] == "road"].reset_index(drop=True)
    shifted = (
        gpd.GeoSeries(roads.geometry, crs=4326)
        .to_crs(UTM)
        .apply(
            lambda g: redigitised(shapely.offset_curve(g, 30.0), spacing_m=40, noise_m=3, seed=6)
        )
        .to_crs(4326)
    )
    lines = np.concatenate([roads.geometry.to_numpy(), shifted.to_numpy()])
    located = locate_on_network(jambi, lines)
    n = len(roads)
    for k in range(2 * n):
        rows = located[located["line"] == k]
        assert rows["ruas_id"].tolist() == ["N-001"], rows
        expected = (0.0, 8000.0) if k % n == 0 else (8000.0, 18000.0)
        assert rows["from_m"].iloc[0] == pytest.approx(expected[0], abs=45)
        assert rows["to_m"].iloc[0] == pytest.approx(expected[1], abs=45)
        assert rows["matched_share"].iloc[0] == pytest.approx(1.0, abs=0.01)
        assert rows["offset_mean_m"].iloc[0] == pytest.approx(0.0 if k < n else 30.0, abs=4)


def test_a_line_off_the_network_has_one_row_without_a_ruas(jambi):
    from geo.spatial.linematch import locate_on_network

    far = gpd.GeoSeries([LineString([(X0, Y0 - 50_000), (X0 + 1000, Y0 - 50_000)])], crs=UTM)
    located = locate_on_network(jambi, far.to_crs(4326).to_numpy())
    assert located[["line", "ruas", "matched_share"]].values.tolist() == [[0, "", 0.0]]
