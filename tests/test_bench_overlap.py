"""The overlap benchmarks: the labelled generator keeps its promises, the scorer counts right, and
``find_overlaps`` passes the benchmark's marks on a small labelled layer.

Traps are measured here, independently of the generator, in UTM 48S (EPSG:32748).
"""

from __future__ import annotations

import functools

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

from bench.bench_overlap_quality import (
    naive_pairs,
    pair_keys,
    road_length_errors,
    score,
    wrong_pairs,
)
from bench.bench_overlap_speed import ROAD_VERTICES, make_network_layer
from bench.overlap_data import SCENARIOS, TRUTH_COLUMNS, UTM_EPSG, make_labelled, scenario_counts
from geo.schema import LEVELS, RECORD_COLUMNS
from geo.settings import Settings

TOLERANCE_M = 20.0


@functools.cache
def labelled(seed: int = 0, n_groups: int = 300) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    return make_labelled(seed=seed, n_groups=n_groups)


@functools.cache
def geoms_utm(seed: int = 0) -> dict[str, shapely.Geometry]:
    projects, _ = labelled(seed)
    metric = projects.to_crs(UTM_EPSG)
    return dict(zip(metric["project_id"], metric.geometry, strict=True))


def pairs_of(scenario: str, seed: int = 0, **where) -> pd.DataFrame:
    _, truth = labelled(seed)
    rows = truth[truth["scenario"] == scenario]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows), f"no {scenario} pairs"
    return rows


def geometry_pairs(rows: pd.DataFrame, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    geoms = geoms_utm(seed)
    a = np.array([geoms[i] for i in rows["project_a"]], dtype=object)
    b = np.array([geoms[i] for i in rows["project_b"]], dtype=object)
    return a, b


def years_intersect(rows: pd.DataFrame, seed: int = 0) -> np.ndarray:
    projects, _ = labelled(seed)
    years = projects.set_index("project_id")[["year_start", "year_end"]]
    a, b = years.loc[rows["project_a"]].to_numpy(), years.loc[rows["project_b"]].to_numpy()
    return (a[:, 0] <= b[:, 1]) & (b[:, 0] <= a[:, 1])


def within_length_m(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """DESIGN's raw road measure: min(length of A within 20 m of B, of B within 20 m of A)."""
    a_near_b = shapely.length(shapely.intersection(a, shapely.buffer(b, TOLERANCE_M)))
    b_near_a = shapely.length(shapely.intersection(b, shapely.buffer(a, TOLERANCE_M)))
    return np.minimum(a_near_b, b_near_a)


# --- the labelled layer ------------------------------------------------------------------------


def test_same_seed_same_layer_other_seed_other_layer():
    projects, truth = make_labelled(seed=5, n_groups=40)
    again, truth_again = make_labelled(seed=5, n_groups=40)
    assert_geodataframe_equal(projects, again)
    assert_frame_equal(truth, truth_again)
    other, _ = make_labelled(seed=6, n_groups=40)
    assert set(projects.geometry.to_wkb()).isdisjoint(other.geometry.to_wkb())
    assert set(projects["project_id"]).isdisjoint(other["project_id"])


def test_layer_has_the_canonical_columns_in_wgs84_with_unique_ids():
    projects, truth = labelled()
    assert projects.crs.to_epsg() == 4326
    assert set(RECORD_COLUMNS) <= set(projects.columns)
    assert projects["project_id"].is_unique
    assert set(projects["level"]) == set(LEVELS)
    assert projects["agency"].nunique() >= 8
    assert (projects["year_end"] >= projects["year_start"]).all()
    assert (projects["year_start"] == 2025).mean() > 0.7
    assert projects.is_valid.all() and not projects.is_empty.any()
    west, south, east, north = projects.total_bounds
    assert 102.7 <= west and east <= 104.3 and -2.1 <= south and north <= -0.9
    kinds = projects.groupby("asset_type").geometry.apply(lambda g: set(g.geom_type))
    assert kinds["road"] == {"LineString", "MultiLineString"}
    assert kinds["bridge"] == {"Point"}
    assert kinds["irrigation"] == {"Polygon"}
    assert 500 <= len(projects) <= 2_000
    assert list(truth.columns) == list(TRUTH_COLUMNS)
    assert set(truth["project_a"]) | set(truth["project_b"]) <= set(projects["project_id"])
    assert pd.Series(pair_keys(truth["project_a"], truth["project_b"])).is_unique


def test_every_scenario_is_there_with_its_label():
    _, truth = labelled()
    counts = scenario_counts(300)
    assert sum(counts.values()) == 300 and min(counts.values()) >= 1
    assert set(truth["scenario"]) == set(SCENARIOS)
    true_pairs = {
        "road_duplicate",
        "road_reversed",
        "road_spacing",
        "road_split_multi",
        "road_partial",
        "bridge_same",
        "bridge_on_road",
        "irr_overlap",
        "irr_contained",
    }
    by_scenario = truth.groupby("scenario")["is_pair"].agg(["all", "any"])
    for scenario in SCENARIOS:
        if scenario == "road_split_pieces":  # A-piece pairs true, piece-piece pairs not
            assert by_scenario.loc[scenario, "any"] and not by_scenario.loc[scenario, "all"]
        elif scenario in true_pairs:
            assert by_scenario.loc[scenario, "all"], scenario
        else:
            assert not by_scenario.loc[scenario, "any"], scenario
    for asset in ("road", "irrigation", "bridge"):
        assert truth[(truth["asset_type"] == asset) & truth["is_pair"]].shape[0] >= 20


def test_features_closer_than_twice_the_tolerance_are_all_labelled():
    projects, truth = labelled()
    metric = projects.to_crs(UTM_EPSG)
    near = gpd.sjoin(metric, metric, predicate="dwithin", distance=2 * TOLERANCE_M)
    near = near[near["project_id_left"] < near["project_id_right"]]
    unlabelled = set(pair_keys(near["project_id_left"], near["project_id_right"])) - set(
        pair_keys(truth["project_a"], truth["project_b"])
    )
    assert not unlabelled


def test_year_ranges_intersect_exactly_where_the_scenario_says():
    _, truth = labelled()
    apart = truth["scenario"].isin(["road_years", "bridge_years", "irr_years"])
    assert not years_intersect(truth[apart]).any()
    assert years_intersect(truth[~apart]).all()


# --- road traps --------------------------------------------------------------------------------


@pytest.mark.parametrize("angle", [90.0, 60.0, 30.0])
def test_crossings_cross_once_at_their_angle(angle):
    rows = pairs_of("road_crossing", angle_deg=angle)
    a, b = geometry_pairs(rows)
    assert shapely.crosses(a, b).all()
    meet = shapely.intersection(a, b)
    assert (shapely.get_type_id(meet) == 0).all()  # one point each
    # directions over +-200 m around the crossing: the 1-6 m noise moves them by < 2 degrees
    directions = []
    for line in (a, b):
        at = shapely.line_locate_point(line, meet)
        p0 = shapely.get_coordinates(shapely.line_interpolate_point(line, at - 200.0))
        p1 = shapely.get_coordinates(shapely.line_interpolate_point(line, at + 200.0))
        directions.append(np.arctan2(*(p1 - p0).T[::-1]))
    measured = np.degrees(np.abs(directions[0] - directions[1])) % 180.0
    measured = np.minimum(measured, 180.0 - measured)
    assert np.allclose(measured, angle, atol=4.0)
    # the trap: at 30 degrees the plain "within 20 m" measure exceeds the 50 m minimum
    if angle == 30.0:
        assert (within_length_m(a, b) > 50.0).all()


def test_parallel_roads_are_50_to_150_m_apart_and_never_closer():
    rows = pairs_of("road_parallel")
    a, b = geometry_pairs(rows)
    distance = shapely.distance(a, b)
    assert (distance >= 50.0).all() and (distance <= 170.0).all()
    assert np.allclose(distance, rows["distance_m"])
    assert (shapely.hausdorff_distance(a, b) < 600.0).all()  # beside each other, not elsewhere


@pytest.mark.parametrize("scenario", ["road_consecutive", "road_split_pieces"])
def test_consecutive_roads_meet_end_to_end_and_share_under_50_m(scenario):
    rows = pairs_of(scenario, is_pair=False)
    a, b = geometry_pairs(rows)
    assert (shapely.distance(a, b) < 15.0).all()
    assert (within_length_m(a, b) < 50.0).all()
    ends_a = shapely.boundary(a)
    ends_b = shapely.boundary(b)
    assert (shapely.distance(ends_a, ends_b) < 25.0).all()


@pytest.mark.parametrize(
    "scenario",
    [
        "road_duplicate",
        "road_reversed",
        "road_spacing",
        "road_split_multi",
        "road_split_pieces",
        "road_partial",
    ],
)
def test_true_road_pairs_share_what_the_truth_table_says(scenario):
    rows = pairs_of(scenario, is_pair=True)
    a, b = geometry_pairs(rows)
    raw = within_length_m(a, b)
    # the raw measure overhangs by up to the tolerance at each end of the shared stretch and
    # noisy lines are a little longer than their centreline
    assert np.all(raw >= 0.99 * rows["shared_m"] - 5.0)
    assert np.all(raw <= 1.03 * rows["shared_m"] + 2 * TOLERANCE_M + 5.0)
    assert (rows["shared_m"] >= 100.0).all()


def test_duplicates_are_noisy_copies_not_identical_ones():
    for scenario in ("road_duplicate", "road_reversed", "road_spacing", "road_years"):
        a, b = geometry_pairs(pairs_of(scenario))
        hausdorff = shapely.hausdorff_distance(a, b)
        assert (hausdorff > 1.0).all() and (hausdorff < 30.0).all(), scenario
        assert not shapely.equals(a, b).any()


def test_reversed_copies_run_the_other_way():
    a, b = geometry_pairs(pairs_of("road_reversed"))
    start_a, end_a = shapely.get_point(a, 0), shapely.get_point(a, -1)
    start_b = shapely.get_point(b, 0)
    assert (shapely.distance(start_b, end_a) < shapely.distance(start_b, start_a)).all()


def test_spacing_pairs_have_10_m_and_60_m_vertices():
    a, b = geometry_pairs(pairs_of("road_spacing"))
    mean_step = np.stack(
        [shapely.length(g) / (shapely.get_num_coordinates(g) - 1) for g in (a, b)], axis=1
    )
    assert np.allclose(np.sort(mean_step, axis=1), [10.0, 60.0], rtol=0.15)


def test_split_multi_is_a_multilinestring_of_two_or_three_parts():
    a, b = geometry_pairs(pairs_of("road_split_multi"))
    multi = np.where(shapely.get_type_id(a) == 5, a, b)
    assert (shapely.get_type_id(multi) == 5).all()
    assert set(shapely.get_num_geometries(multi)) <= {2, 3}


def test_partial_overlaps_span_100_to_3000_m():
    rows = pairs_of("road_partial")
    assert rows["shared_m"].between(100.0, 3_050.0).all()
    assert rows["shared_m"].max() > 2_000.0 and rows["shared_m"].min() < 600.0


# --- irrigation traps --------------------------------------------------------------------------


def _areas(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    a, b = geometry_pairs(rows)
    common_ha = shapely.area(shapely.intersection(a, b)) / 10_000.0
    smaller_ha = np.minimum(shapely.area(a), shapely.area(b)) / 10_000.0
    return common_ha, common_ha / smaller_ha


def test_slivers_between_neighbours_are_under_1_ha_and_5_percent():
    rows = pairs_of("irr_sliver")
    a, b = geometry_pairs(rows)
    common_ha, share = _areas(rows)
    assert shapely.intersects(a, b).all() and (common_ha > 0.0).all()
    assert (common_ha < 1.0).all() and (share < 0.05).all()
    # ~2 m noise: the union leaves gaps too, and each outline is a valid polygon
    assert shapely.is_valid(a).all() and shapely.is_valid(b).all()


@pytest.mark.parametrize("scenario", ["irr_overlap", "irr_contained", "irr_years"])
def test_overlapping_areas_pass_both_thresholds_with_margin(scenario):
    rows = pairs_of(scenario)
    common_ha, share = _areas(rows)
    assert (common_ha >= 1.5).all() and (share >= 0.08).all()
    np.testing.assert_allclose(common_ha, rows["shared_ha"], rtol=0.002)
    if scenario == "irr_contained":
        a, b = geometry_pairs(rows)
        assert (shapely.contains(a, b) | shapely.contains(b, a)).all()


def test_small_overlaps_miss_one_threshold():
    common_ha, share = _areas(pairs_of("irr_small_share"))
    assert (common_ha >= 1.2).all() and (share < 0.035).all()
    common_ha, _ = _areas(pairs_of("irr_small_area"))
    assert (common_ha > 0.2).all() and (common_ha < 0.8).all()


# --- bridge traps ------------------------------------------------------------------------------


def test_same_bridge_reports_are_within_25_m_distinct_bridges_200_m_apart():
    same = pairs_of("bridge_same")
    a, b = geometry_pairs(same)
    distance = shapely.distance(a, b)
    assert (distance <= 25.0).all() and (distance == 0.0).any()
    np.testing.assert_allclose(distance, same["distance_m"], atol=0.01)
    a, b = geometry_pairs(pairs_of("bridge_distinct"))
    assert (shapely.distance(a, b) >= 200.0).all()
    a, b = geometry_pairs(pairs_of("bridge_years"))
    assert (shapely.distance(a, b) <= 25.0).all()


def test_bridges_on_roads_are_cross_type_pairs_a_few_metres_from_the_line():
    rows = pairs_of("bridge_on_road")
    assert (rows["kind"] == "cross_type").all()
    a, b = geometry_pairs(rows)
    assert set(shapely.get_type_id(a)) == {1} and set(shapely.get_type_id(b)) == {0}
    assert (shapely.distance(a, b) <= 8.0).all()


# --- scoring -----------------------------------------------------------------------------------


def test_pair_keys_ignore_order():
    assert list(pair_keys(["b", "a"], ["a", "c"])) == ["a|b", "a|c"]


def test_score_counts_true_false_and_missed_pairs_per_type():
    truth = pd.DataFrame(
        {
            "project_a": ["r1", "r3", "r5", "b1", "x1"],
            "project_b": ["r2", "r4", "r6", "b2", "x2"],
            "asset_type": ["road", "road", "road", "bridge", "road"],
            "kind": ["overlap"] * 4 + ["cross_type"],
            "is_pair": [True, True, False, True, True],
        }
    )
    predicted = pd.DataFrame(
        {
            "project_a": ["r2", "r5", "r2"],  # r1-r2 reversed and twice: counts once
            "project_b": ["r1", "r6", "r1"],
            "asset_type": ["road", "road", "road"],
        }
    )
    table = score(predicted, truth)
    road = table.loc["road"]
    assert (road["tp"], road["fp"], road["fn"]) == (1, 1, 1)
    assert road["precision"] == road["recall"] == road["f1"] == 0.5
    assert table.loc["bridge", "recall"] == 0.0 and table.loc["bridge", "f1"] == 0.0
    assert table.loc["irrigation", "f1"] == 1.0  # nothing true, nothing reported


def test_naive_methods_fall_into_the_traps():
    projects, truth = labelled()
    intersects = score(naive_pairs(projects, "intersects"), truth)
    within = score(naive_pairs(projects, "dwithin", 20.0), truth)
    assert intersects.loc["bridge", "f1"] < 0.3  # re-reported bridges are rarely identical
    assert intersects.loc["irrigation", "precision"] < 0.7  # slivers
    assert intersects.loc["road", "precision"] < 0.95  # crossings, consecutive segments
    assert within.loc["road", "precision"] < 0.8
    assert within.loc["irrigation", "precision"] < 0.7


def test_road_length_errors_compare_reported_with_true_length():
    truth = pd.DataFrame(
        {
            "project_a": ["a", "c"],
            "project_b": ["b", "d"],
            "asset_type": ["road", "road"],
            "is_pair": [True, True],
            "scenario": ["road_partial", "road_duplicate"],
            "shared_m": [1_000.0, 500.0],
        }
    )
    findings = pd.DataFrame(
        {
            "kind": ["overlap"],
            "asset_type": ["road"],
            "project_a": ["b"],
            "project_b": ["a"],
            "overlap_m": [1_020.0],
        }
    )
    errors = road_length_errors(findings, truth)
    assert errors["key"].tolist() == ["a|b"]
    assert errors["error"].iloc[0] == pytest.approx(0.02)


# --- the speed layer ---------------------------------------------------------------------------


def test_speed_layer_is_mostly_45_vertex_roads_and_deterministic():
    layer = make_network_layer(2_000, seed=1)
    assert_geodataframe_equal(layer, make_network_layer(2_000, seed=1))
    assert layer.crs.to_epsg() == 4326 and layer["project_id"].is_unique
    assert layer["asset_type"].value_counts().to_dict() == {
        "road": 1_600,
        "irrigation": 200,
        "bridge": 200,
    }
    roads = layer[layer["asset_type"] == "road"]
    assert (shapely.get_num_coordinates(roads.geometry.values) == ROAD_VERTICES).all()
    assert layer.is_valid.all()
    assert set(RECORD_COLUMNS) <= set(layer.columns)


# --- the engine on the benchmark ---------------------------------------------------------------


def test_find_overlaps_passes_the_benchmark_on_a_small_labelled_layer():
    overlap = pytest.importorskip(
        "geo.analyse.overlap", reason="geo/analyse/overlap.py not written yet"
    )
    projects, truth = make_labelled(seed=0, n_groups=100)
    findings = overlap.find_overlaps(projects, settings=Settings())
    same = findings[findings["kind"] == "overlap"]
    table = score(same, truth)
    errors = road_length_errors(findings, truth)
    wrong = wrong_pairs(findings, truth)
    assert table["f1"].min() >= 0.99, f"{table}\n\nwrong pairs:\n{wrong.to_string()}"
    assert errors["error"].median() <= 0.05
