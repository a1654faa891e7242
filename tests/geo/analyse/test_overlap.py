"""Overlap engine: exact answers on geometry built in UTM 48S (metres), DESIGN section 5."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.ops import substring

from geo.analyse.overlap import FINDING_COLUMNS, find_overlaps
from geo.settings import Settings
from tests.geometries import UTM, X0, Y0, projects_from_rows, redigitised

PROJECT_DEFAULTS = {
    "name": "paket",
    "level": "pusat",
    "agency": "BPJN",
    "asset_type": "road",
    "year_start": 2025,
    "year_end": 2025,
    "budget_idr": 1e9,
}


def project_table(rows: list[dict]) -> gpd.GeoDataFrame:
    """Projects from dicts with at least id and geometry (metres); sensible defaults."""
    return projects_from_rows(rows, PROJECT_DEFAULTS)


def winding_road(length_m: float = 2000.0, spacing_m: float = 10.0) -> LineString:
    s = np.arange(0.0, length_m + spacing_m / 2, spacing_m)
    return LineString(np.c_[X0 + s, Y0 + 120.0 * np.sin(s / 400.0)])


def resample(line: LineString, spacing_m: float, noise_m: float, seed: int) -> LineString:
    """Re-digitise ``line``: other vertex spacing, GPS-like noise (metres)."""
    return redigitised(line, spacing_m=spacing_m, noise_m=noise_m, seed=seed)


def pair(geom_a, geom_b, **b_overrides) -> gpd.GeoDataFrame:
    return project_table(
        [
            {"id": "A", "geometry": geom_a},
            {
                "id": "B",
                "level": "provinsi",
                "agency": "Dinas PUPR Provinsi",
                **b_overrides,
                "geometry": geom_b,
            },
        ]
    )


@pytest.mark.parametrize("angle_deg", [90, 60, 30])
def test_roads_that_only_cross_are_not_overlaps(angle_deg):
    a = LineString([(X0 - 1000, Y0), (X0 + 1000, Y0)])
    d = (1000 * math.cos(math.radians(angle_deg)), 1000 * math.sin(math.radians(angle_deg)))
    b = LineString([(X0 - d[0], Y0 - d[1]), (X0 + d[0], Y0 + d[1])])
    assert len(find_overlaps(pair(a, b))) == 0


def test_consecutive_segments_meeting_end_to_end_are_not_overlaps():
    road = winding_road()
    assert len(find_overlaps(pair(substring(road, 0, 1000), substring(road, 1000, 2000)))) == 0


def test_shared_stretch_is_measured_whatever_direction_density_and_noise():
    road = winding_road(1200)
    a = resample(substring(road, 0, 500), spacing_m=10, noise_m=3, seed=1)
    b = resample(substring(road, 200, 700), spacing_m=60, noise_m=3, seed=2).reverse()
    findings = find_overlaps(pair(a, b))
    assert len(findings) == 1
    assert findings.loc[0, "overlap_m"] == pytest.approx(300, abs=5)
    assert findings.loc[0, "share_a"] == pytest.approx(0.6, abs=0.02)
    assert findings.loc[0, "share_b"] == pytest.approx(0.6, abs=0.02)


def test_a_project_split_into_parts_is_measured_as_one():
    road = winding_road(2000)
    whole = substring(road, 0, 2000)
    parts = MultiLineString([substring(road, 0, 700), substring(road, 700, 1500)])
    findings = find_overlaps(pair(whole, parts))
    assert findings.loc[0, "overlap_m"] == pytest.approx(1500, rel=0.005)


def test_parts_stored_in_any_order_are_measured_part_by_part():
    road = winding_road(2000)
    shuffled = MultiLineString(
        [substring(road, 1400, 2000), substring(road, 0, 600), substring(road, 600, 1400)]
    )
    findings = find_overlaps(pair(substring(road, 0, 2000), shuffled))
    assert findings.loc[0, "overlap_m"] == pytest.approx(2000, rel=0.005)


def test_parallel_road_60_m_away_is_not_an_overlap():
    road = winding_road()
    assert len(find_overlaps(pair(road, shapely.offset_curve(road, 60.0)))) == 0


def test_same_stretch_in_years_that_do_not_intersect_is_not_an_overlap():
    road = winding_road()
    findings = find_overlaps(pair(road, road, year_start=2026, year_end=2027))
    assert len(findings) == 0
    window = find_overlaps(
        pair(road, road, year_start=2026, year_end=2027), settings=Settings(repeat_window_years=1)
    )
    assert window.loc[0, "kind"] == "repeat"


# --- closed and looping roads ------------------------------------------------------------------

RING_RADIUS_M = 500.0


def ring_road(
    *, start_deg: float = 0.0, vertices: int = 300, gap_m: float = 0.0, centre_x: float = X0
) -> LineString:
    """A ring road of radius 500 m digitised from ``start_deg``; closed (first vertex = last)
    unless ``gap_m`` leaves its ends that far apart along the ring."""
    gap = gap_m / RING_RADIUS_M
    a = math.radians(start_deg) + np.linspace(0.0, 2 * math.pi - gap, vertices, endpoint=False)
    xy = np.c_[centre_x + RING_RADIUS_M * np.cos(a), Y0 + RING_RADIUS_M * np.sin(a)]
    if gap_m:
        end = math.radians(start_deg) + 2 * math.pi - gap
        return LineString(np.r_[xy, [[centre_x + RING_RADIUS_M * math.cos(end),
                                      Y0 + RING_RADIUS_M * math.sin(end)]]])  # fmt: skip
    return LineString(np.r_[xy, xy[:1]])


RING_M = ring_road().length  # 3,141.5 m: the 300-gon, 0.05 m short of 2 pi 500 m


@pytest.mark.parametrize(
    ("label", "other"),
    [
        ("started 120 degrees on", ring_road(start_deg=120.0)),
        ("started elsewhere, reversed", ring_road(start_deg=200.0).reverse()),
        ("other vertices, started elsewhere", ring_road(start_deg=37.0, vertices=128)),
        ("re-digitised with GPS noise", resample(ring_road(start_deg=75.0), 15.0, 2.0, seed=3)),
    ],
)
def test_two_digitisations_of_the_same_ring_road_share_its_whole_length(label, other):
    findings = find_overlaps(pair(ring_road(), other))
    assert len(findings) == 1, label
    ring_m = min(RING_M, other.length)  # a 128-gon is 4 m shorter than the 300-gon
    assert findings.loc[0, "overlap_m"] == pytest.approx(ring_m, abs=6.0), label
    assert findings.loc[0, "share_a"] == pytest.approx(1.0, abs=0.002)
    assert findings.loc[0, "severity"] == "high"
    shared_m = gpd.GeoSeries([findings.geometry.iloc[0]], crs=4326).to_crs(UTM).length.iloc[0]
    assert shared_m == pytest.approx(RING_M, abs=6.0)


def ring_stretch(from_deg: float, to_deg: float) -> LineString:
    """An open project along the ring road, from ``from_deg`` to ``to_deg`` (anticlockwise)."""
    a = np.radians(np.arange(from_deg, to_deg + 0.5, 1.0))
    return LineString(np.c_[X0 + RING_RADIUS_M * np.cos(a), Y0 + RING_RADIUS_M * np.sin(a)])


@pytest.mark.parametrize(
    ("from_deg", "to_deg", "loop"),
    [
        (-45.0, 45.0, ring_road()),  # across the ring's first vertex
        (-45.0, 45.0, ring_road(start_deg=180.0).reverse()),
        (90.0, 180.0, ring_road()),
        (10.0, 280.0, ring_road(start_deg=300.0)),  # three quarters round, across the seam
    ],
)
def test_an_open_project_along_part_of_a_loop_road_shares_that_part(from_deg, to_deg, loop):
    stretch = ring_stretch(from_deg, to_deg)
    findings = find_overlaps(pair(loop, stretch))
    assert len(findings) == 1
    assert findings.loc[0, "overlap_m"] == pytest.approx(stretch.length, abs=3.0)
    assert findings.loc[0, "share_b"] == pytest.approx(1.0, abs=0.002)


def test_a_loop_digitised_from_a_shifted_start_and_left_open_shares_its_length():
    # The loop's ends stop 5 m apart (digitised from 150 degrees round to the same place).
    left_open = ring_road(start_deg=150.0, gap_m=5.0)
    findings = find_overlaps(pair(ring_road(), left_open))
    assert findings.loc[0, "overlap_m"] == pytest.approx(RING_M - 5.0, abs=3.0)
    both_open = find_overlaps(pair(ring_road(start_deg=10.0, gap_m=5.0), left_open))
    assert both_open.loc[0, "overlap_m"] == pytest.approx(RING_M - 5.0, abs=3.0)


@pytest.mark.parametrize(
    ("label", "other"),
    [
        ("a straight road crossing the ring twice", LineString([(X0 - 900, Y0), (X0 + 900, Y0)])),
        ("a ring road 60 m further out", shapely.offset_curve(ring_road(), -60.0)),
    ],
)
def test_roads_that_only_cross_or_run_beside_a_ring_road_are_not_overlaps(label, other):
    assert len(find_overlaps(pair(ring_road(), other))) == 0, label


def test_touching_polygons_with_2_m_sliver_are_not_overlaps():
    left = Polygon([(X0, Y0), (X0 + 1000, Y0), (X0 + 1000, Y0 + 1000), (X0, Y0 + 1000)])
    right = Polygon(
        [(X0 + 998, Y0), (X0 + 2000, Y0), (X0 + 2000, Y0 + 1000), (X0 + 998, Y0 + 1000)]
    )
    findings = find_overlaps(pair(left, right).assign(asset_type="irrigation"))
    assert len(findings) == 0  # 0.2 ha shared: under 1 ha and under 5 %


def test_irrigation_overlap_of_10_ha():
    a = Polygon([(X0, Y0), (X0 + 1000, Y0), (X0 + 1000, Y0 + 1000), (X0, Y0 + 1000)])  # 100 ha
    b = shapely.affinity.translate(a, 900, 0)  # 100 m x 1000 m shared = 10 ha
    findings = find_overlaps(pair(a, b).assign(asset_type="irrigation"))
    assert findings.loc[0, "overlap_ha"] == pytest.approx(10, abs=0.1)
    assert findings.loc[0, "share_a"] == pytest.approx(0.1, abs=0.001)


def test_invalid_polygons_passed_in_directly_are_repaired_not_fatal():
    bowtie = Polygon([(X0, Y0), (X0 + 1000, Y0 + 1000), (X0 + 1000, Y0), (X0, Y0 + 1000)])
    square = Polygon([(X0, Y0), (X0 + 500, Y0), (X0 + 500, Y0 + 1000), (X0, Y0 + 1000)])
    findings = find_overlaps(pair(bowtie, square).assign(asset_type="irrigation"))
    assert findings.loc[0, "overlap_ha"] == pytest.approx(25, abs=0.1)  # the left triangle


@pytest.mark.parametrize(("gap_m", "expected"), [(20, 1), (49, 1), (200, 0)])
def test_bridges_within_50_m_are_the_same_bridge(gap_m, expected):
    findings = find_overlaps(pair(Point(X0, Y0), Point(X0 + gap_m, Y0)).assign(asset_type="bridge"))
    assert len(findings) == expected
    if expected:
        assert findings.loc[0, "distance_m"] == pytest.approx(gap_m, abs=0.01)


def test_budget_at_stake_is_the_smaller_projects_budget_times_its_covered_share():
    road = winding_road(2000)
    long_a = substring(road, 0, 2000)  # 2 km, Rp 10 M
    short_b = substring(road, 1500, 2000)  # 500 m, fully inside A, Rp 2 M
    projects = pair(long_a, short_b, budget_idr=2e9).assign(budget_idr=[10e9, 2e9])
    finding = find_overlaps(projects).iloc[0]
    assert finding["overlap_m"] == pytest.approx(500, rel=0.005)
    # The smaller project (B, 500 m) is fully covered: its whole budget is at stake.
    assert finding["budget_at_stake_idr"] == pytest.approx(2e9 * finding["share_b"])
    assert finding["share_b"] == pytest.approx(1.0, abs=0.005)
    assert finding["severity"] == "high"  # levels differ, smaller project >= 50 % covered


def test_relation_and_severity_labels():
    road = winding_road(2000)
    projects = project_table(
        [
            {"id": "P1", "geometry": substring(road, 0, 2000)},
            {"id": "P2", "geometry": substring(road, 1800, 2000)},  # same agency
            {
                "id": "K1",
                "level": "kabupaten",
                "agency": "Dinas Kab. A",
                "geometry": substring(road, 0, 300),
            },
            {
                "id": "K2",
                "level": "kabupaten",
                "agency": "Dinas Kab. B",
                "geometry": substring(road, 200, 1000),
            },
        ]
    )
    findings = find_overlaps(projects).set_index(["project_a", "project_b"])
    assert findings.loc[("P1", "P2"), "relation"] == "same_agency"
    assert findings.loc[("P1", "P2"), "severity"] == "low"
    assert findings.loc[("P1", "K1"), "relation"] == "cross_level"
    assert findings.loc[("K1", "K2"), "relation"] == "same_level"
    assert findings.loc[("K1", "K2"), "overlap_m"] == pytest.approx(100, rel=0.01)


def test_bridge_on_a_road_stretch_is_an_informational_cross_type_finding():
    road = winding_road(1000)
    bridge = road.interpolate(500)
    projects = project_table(
        [
            {"id": "R", "geometry": road},
            {"id": "J", "asset_type": "bridge", "level": "kabupaten", "geometry": bridge},
        ]
    )
    finding = find_overlaps(projects).iloc[0]
    assert (finding["kind"], finding["asset_type"], finding["severity"]) == (
        "cross_type",
        "bridge/road",
        "info",
    )
    assert (finding["project_a"], finding["project_b"]) == ("R", "J")


def test_findings_do_not_depend_on_input_order_and_ids_are_stable():
    road = winding_road(2000)
    projects = pair(substring(road, 0, 1200), substring(road, 800, 2000))
    forward = find_overlaps(projects)
    backward = find_overlaps(projects.iloc[::-1])
    assert list(forward.columns) == list(FINDING_COLUMNS)
    assert forward.drop(columns="geometry").equals(backward.drop(columns="geometry"))
    assert forward.loc[0, "project_a"] == "A"  # pusat before provinsi
    assert forward.loc[0, "finding_id"].startswith("TT-")


def test_no_projects_gives_an_empty_table_with_every_column():
    empty = project_table([{"id": "A", "geometry": winding_road(100)}]).iloc[:0]
    findings = find_overlaps(empty)
    assert list(findings.columns) == list(FINDING_COLUMNS) and len(findings) == 0


def test_projects_not_in_degrees_are_refused_with_the_fix():
    projects = pair(winding_road(), winding_road()).to_crs(UTM)
    with pytest.raises(ValueError, match=r"EPSG:4326.*use to_crs\(4326\)"):
        find_overlaps(projects)


def test_demo_region_findings_are_exactly_the_documented_ones():
    from geo.demo.region import make_demo_region

    region = make_demo_region()
    projects = gpd.GeoDataFrame(
        pd.concat([u.projects for u in region.uploads], ignore_index=True), crs=4326
    )
    findings = find_overlaps(projects)
    found = {
        frozenset((a, b)) for a, b in zip(findings["project_a"], findings["project_b"], strict=True)
    }
    expected = {
        frozenset(f.project_ids)
        for f in region.expected_findings
        if f.kind in ("overlap", "cross_type")
    }
    assert found == expected
    for f in region.expected_findings:
        if f.kind == "overlap" and f.asset_type == "road":
            row = findings[
                findings["project_a"].isin(f.project_ids)
                & findings["project_b"].isin(f.project_ids)
            ].iloc[0]
            assert row["overlap_m"] == pytest.approx(f.shared_m, rel=0.02)


@pytest.mark.parametrize(
    ("name_a", "name_b", "expected"),
    [
        ("Preservasi Jalan Tol Layang Cikampek", "Rehabilitasi Jl. Jend. A. Yani", 0),
        ("Pemeliharaan Flyover Kopo", "Pelebaran Jalan Kopo", 0),
        ("Pembangunan Underpass Mampang", "Preservasi Jl. Mampang Prapatan", 0),
        ("Preservasi Jalan Tol Layang Cikampek", "Perbaikan Sambungan Jalan Layang Cikampek", 1),
        ("Jalan Sungai Kelayang", "Rehabilitasi Jalan Sungai Kelayang", 1),
    ],
)
def test_roads_on_different_decks_are_never_one_road(name_a, name_b, expected):
    road = winding_road()
    above = redigitised(road, spacing_m=25.0, noise_m=2.0, seed=4)
    assert (
        len(find_overlaps(pair(road, above, name=name_b).assign(name=[name_a, name_b]))) == expected
    )


def test_a_stated_deck_decides_over_the_name():
    road = winding_road()
    projects = pair(road, road).assign(name=["Jalan Arteri", "Jalan Arteri"], deck=[np.nan, 1.0])
    assert len(find_overlaps(projects)) == 0
    assert len(find_overlaps(projects.assign(deck=[0.0, 0.0]))) == 1
