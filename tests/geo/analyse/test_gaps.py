"""Coverage gaps: exact answers on reference layers built in UTM 48S (metres), DESIGN section 5.

Units and roads are built in EPSG:32748 and passed as such; projects are built there too and
passed in EPSG:4326, as they come from ``geo.read.projects``.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point, box

from geo.analyse.gaps import (
    access_gaps,
    coverage_by_unit,
    hex_cells,
    hex_grid_coverage,
    uncovered_segments,
)
from geo.demo.region import make_demo_region
from geo.errors import GeoInputError
from geo.spatial.crs import area_m2, length_m
from tests.geometries import UTM, X0, Y0


def at(x: float, y: float) -> tuple[float, float]:
    """A point given in metres from (X0, Y0)."""
    return (X0 + x, Y0 + y)


def line(*points: tuple[float, float]) -> LineString:
    return LineString([at(x, y) for x, y in points])


def units_layer(rows: list[dict]) -> gpd.GeoDataFrame:
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "geometry"} for r in rows])
    return gpd.GeoDataFrame(frame, geometry=[r["geometry"] for r in rows], crs=UTM)


def roads_layer(rows: list[dict]) -> gpd.GeoDataFrame:
    return units_layer(rows)


def projects_layer(rows: list[dict]) -> gpd.GeoDataFrame:
    """Projects from dicts with at least id and geometry (metres), returned in EPSG:4326."""
    defaults = {
        "name": "paket",
        "level": "kabupaten",
        "agency": "Dinas PUPR",
        "asset_type": "road",
        "year_start": 2025,
        "year_end": 2025,
        "budget_idr": 1e9,
        "funding_source": "APBD",
    }
    records = [{**defaults, **{k: v for k, v in r.items() if k != "geometry"}} for r in rows]
    frame = pd.DataFrame(records).rename(columns={"id": "project_id"})
    geoms = gpd.GeoSeries([r["geometry"] for r in rows], crs=UTM)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=UTM).to_crs(4326)


def in_utm(layer: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return layer.geometry.to_crs(UTM)


# --- the two-unit scene ------------------------------------------------------------------------
#
#   unit A (15.01): x 0..10 km, y 0..10 km, 100,000 people; unit B (15.02): x 10..20 km.
#   N1 nasional, rusak berat:  y = 2 km, x 0..10 km (in A)
#   P1 provinsi, sedang:       y = 6 km, x 4..16 km (6 km in A, 6 km in B)
#   K1 kabupaten, rusak ringan: x = 12 km, y 1..9 km (in B)
#
#   R1 2024 on N1 x 1..5 km; R2 2025 on P1 x 8..14 km (2 km in A, 4 km in B, budget 6e9);
#   R3 2025 crosses K1 at right angles; OLD 2019 on the whole of K1; I1 a 20 ha irrigation
#   area in A; B1 a bridge in B; X1 a road in no unit.


@pytest.fixture
def units() -> gpd.GeoDataFrame:
    return units_layer(
        [
            {
                "unit_id": "15.01",
                "unit_name": "Kab. A",
                "population": 100_000.0,
                "geometry": box(*at(0, 0), *at(10_000, 10_000)),
            },
            {
                "unit_id": "15.02",
                "unit_name": "Kab. B",
                "population": 50_000.0,
                "geometry": box(*at(10_000, 0), *at(20_000, 10_000)),
            },
        ]
    )


@pytest.fixture
def roads() -> gpd.GeoDataFrame:
    return roads_layer(
        [
            {
                "road_id": "N1",
                "name": "Jalan Nasional",
                "status": "nasional",
                "condition": "rusak berat",
                "geometry": line((0, 2_000), (10_000, 2_000)),
            },
            {
                "road_id": "P1",
                "name": "Jalan Provinsi",
                "status": "Jalan Provinsi",
                "condition": "sedang",
                "geometry": line((4_000, 6_000), (16_000, 6_000)),
            },
            {
                "road_id": "K1",
                "name": "Jalan Kabupaten",
                "status": "kabupaten/kota",
                "condition": "Rusak Ringan",
                "geometry": line((12_000, 1_000), (12_000, 9_000)),
            },
        ]
    )


@pytest.fixture
def projects() -> gpd.GeoDataFrame:
    return projects_layer(
        [
            {"id": "R1", "year_start": 2024, "year_end": 2024, "budget_idr": 4e9,
             "geometry": line((1_000, 2_000), (5_000, 2_000))},
            {"id": "R2", "budget_idr": 6e9, "geometry": line((8_000, 6_000), (14_000, 6_000))},
            {"id": "R3", "budget_idr": 2e9, "geometry": line((11_000, 3_000), (13_000, 3_000))},
            {"id": "OLD", "year_start": 2019, "year_end": 2019,
             "geometry": line((12_000, 1_000), (12_000, 9_000))},
            {"id": "I1", "asset_type": "irrigation", "budget_idr": 3e9,
             "geometry": box(*at(2_000, 7_000), *at(2_500, 7_400))},
            {"id": "B1", "asset_type": "bridge", "budget_idr": 5e9, "geometry": Point(at(15_000, 5_000))},
            {"id": "X1", "geometry": line((0, -5_000), (3_000, -5_000))},
        ]
    )  # fmt: skip


def row(table: pd.DataFrame, unit_id: str) -> pd.Series:
    return table.set_index("unit_id").loc[unit_id]


def test_covered_share_of_known_fractions_of_known_roads(projects, units, roads):
    table = coverage_by_unit(projects, units, roads=roads, years=(2024, 2026))
    a, b = row(table, "15.01"), row(table, "15.02")
    assert a["network_km"] == pytest.approx(16.0, abs=0.01)
    assert a["covered_km"] == pytest.approx(6.0, abs=0.01)
    assert a["covered_share"] == pytest.approx(6 / 16, abs=0.01)
    assert a["covered_share_nasional"] == pytest.approx(0.4, abs=0.01)
    assert a["covered_share_provinsi"] == pytest.approx(2 / 6, abs=0.01)
    assert b["network_km"] == pytest.approx(14.0, abs=0.01)
    assert b["covered_km"] == pytest.approx(4.0, abs=0.01)
    assert b["covered_share"] == pytest.approx(4 / 14, abs=0.01)
    assert b["uncovered_km"] == pytest.approx(10.0, abs=0.01)


def test_road_crossing_two_units_is_split_by_length(projects, units, roads):
    table = coverage_by_unit(projects, units, roads=roads, years=(2024, 2026))
    a, b = row(table, "15.01"), row(table, "15.02")
    assert a["network_km_provinsi"] == pytest.approx(6.0, abs=0.01)
    assert b["network_km_provinsi"] == pytest.approx(6.0, abs=0.01)
    assert a["covered_km_provinsi"] == pytest.approx(2.0, abs=0.01)
    assert b["covered_km_provinsi"] == pytest.approx(4.0, abs=0.01)
    # the project on it is split the same way: its length and budget pro rata
    assert a["project_km"] == pytest.approx(4.0 + 2.0, abs=0.01)
    assert b["project_km"] == pytest.approx(4.0 + 2.0, abs=0.01)
    assert a["budget_idr"] == pytest.approx(4e9 + 6e9 * 2 / 6 + 3e9, rel=1e-3)
    assert b["budget_idr"] == pytest.approx(6e9 * 4 / 6 + 2e9 + 5e9, rel=1e-3)


def test_statuses_are_normalised_and_all_four_have_columns(projects, units, roads):
    table = coverage_by_unit(projects, units, roads=roads)
    for status in ("nasional", "provinsi", "kabupaten", "desa"):
        assert f"network_km_{status}" in table.columns
        assert f"covered_km_{status}" in table.columns
    assert row(table, "15.02")["network_km_kabupaten"] == pytest.approx(8.0, abs=0.01)
    assert table["network_km_desa"].sum() == 0.0


def test_dated_network_counts_each_ruas_once_with_the_status_in_force(projects, units):
    upgraded = line((0, 2_000), (10_000, 2_000))
    roads = roads_layer(
        [
            {"road_id": "N1", "status": "kabupaten", "valid_from": None, "valid_to": 2023,
             "geometry": upgraded},
            {"road_id": "N1", "status": "nasional", "valid_from": 2024, "valid_to": None,
             "geometry": upgraded},
        ]
    )  # fmt: skip
    for years, status in [
        ((2024, 2025), "nasional"),
        ((2020, 2022), "kabupaten"),
        (None, "nasional"),
    ]:
        a = row(coverage_by_unit(projects, units, roads=roads, years=years), "15.01")
        assert a["network_km"] == pytest.approx(10.0, abs=0.01)
        assert a[f"network_km_{status}"] == pytest.approx(10.0, abs=0.01)


def test_crossing_project_does_not_cover_the_road_it_crosses(projects, units, roads):
    table = coverage_by_unit(projects, units, roads=roads, years=(2024, 2026))
    assert row(table, "15.02")["covered_km_kabupaten"] == pytest.approx(0.0, abs=1e-6)


def test_years_filter_keeps_projects_whose_years_intersect(projects, units, roads):
    every = coverage_by_unit(projects, units, roads=roads)
    recent = coverage_by_unit(projects, units, roads=roads, years=(2024, 2026))
    old = coverage_by_unit(projects, units, roads=roads, years=(2018, 2019))
    assert row(every, "15.02")["covered_km_kabupaten"] == pytest.approx(8.0, abs=0.01)
    assert row(recent, "15.02")["covered_km_kabupaten"] == pytest.approx(0.0, abs=1e-6)
    assert row(old, "15.02")["covered_km_kabupaten"] == pytest.approx(8.0, abs=0.01)
    assert row(old, "15.01")["covered_km"] == pytest.approx(0.0, abs=1e-6)
    assert list(old["projects"]) == [0, 1]
    assert list(recent["projects"]) == [3, 3]  # A: R1 R2 I1; B: R2 R3 B1
    assert recent.attrs["years"] == (2024, 2026)


def test_project_in_no_unit_is_counted_nowhere_and_reported(projects, units):
    table = coverage_by_unit(projects, units)
    assert table.attrs["outside_units"] == ["X1"]
    assert table["projects"].sum() == 7 - 1 + 1  # R2 counts in both units
    assert table["project_km"].sum() == pytest.approx(4 + 6 + 2 + 8, abs=0.01)


def test_density_per_km2_and_per_capita_without_roads(projects, units):
    table = coverage_by_unit(projects, units, years=(2024, 2026))
    a = row(table, "15.01")
    assert "network_km" not in table.columns
    assert a["area_km2"] == pytest.approx(100.0, rel=1e-6)
    assert a["projects"] == 3
    assert a["projects_per_km2"] == pytest.approx(0.03, rel=1e-6)
    assert a["project_km_per_km2"] == pytest.approx(0.06, abs=1e-4)
    assert a["project_ha"] == pytest.approx(20.0, rel=1e-3)
    assert a["project_ha_per_km2"] == pytest.approx(0.2, rel=1e-3)
    assert a["projects_per_100k_people"] == pytest.approx(3.0, rel=1e-6)
    assert a["project_km_per_100k_people"] == pytest.approx(6.0, abs=0.01)
    b = row(table, "15.02")
    assert b["projects_per_100k_people"] == pytest.approx(6.0, rel=1e-6)


def test_per_capita_columns_only_with_population(projects, units):
    table = coverage_by_unit(projects, units.drop(columns="population"))
    assert "projects_per_km2" in table.columns
    assert not any(c.endswith("_100k_people") for c in table.columns)
    assert "population" not in table.columns


def test_uncovered_segments_lengths_and_ranking_by_condition(projects, units, roads):
    segments = uncovered_segments(projects, roads, units=units, years=(2024, 2026))
    got = [
        (r.road_id, r.unit_id, round(r.length_m), round(r.from_m)) for r in segments.itertuples()
    ]
    assert got == [
        ("N1", "15.01", 5_000, 5_000),  # rusak berat first, longest first
        ("N1", "15.01", 1_000, 0),
        ("K1", "15.02", 8_000, 0),  # rusak ringan: one stretch, the crossing does not cut it
        ("P1", "15.01", 4_000, 0),  # sedang
        ("P1", "15.02", 2_000, 10_000),
    ]
    assert list(segments["condition"].unique()) == ["rusak berat", "rusak ringan", "sedang"]
    assert segments.crs.to_epsg() == 4326
    # the geometry is the stretch itself
    stretch = in_utm(segments).iloc[0]
    assert stretch.hausdorff_distance(line((5_000, 2_000), (10_000, 2_000))) < 0.5
    assert shapely.length(in_utm(segments)).tolist() == pytest.approx(
        segments["length_m"].tolist(), rel=1e-3
    )


def test_uncovered_segments_without_units_follow_the_road(projects, roads):
    segments = uncovered_segments(projects, roads, years=(2024, 2026))
    assert "unit_id" not in segments.columns
    p1 = segments[segments["road_id"] == "P1"].sort_values("from_m")
    assert p1[["from_m", "to_m"]].round().values.tolist() == [[0, 4_000], [10_000, 12_000]]
    assert segments["road_length_m"].max() == pytest.approx(12_000, abs=1)


def test_uncovered_stretch_outside_every_unit_has_no_unit(units):
    roads = roads_layer(
        [{"road_id": "S", "status": "desa", "geometry": line((5_000, 4_000), (5_000, -3_000))}]
    )
    projects = projects_layer([{"id": "A", "geometry": line((0, 9_000), (1_000, 9_000))}])
    segments = uncovered_segments(projects, roads, units=units).sort_values("from_m")
    assert segments["unit_id"].iloc[0] == "15.01"
    assert pd.isna(segments["unit_id"].iloc[1])
    assert segments["length_m"].round().tolist() == [4_000, 3_000]


def test_overlapping_projects_cover_a_stretch_once():
    units = units_layer(
        [{"unit_id": "U", "geometry": box(*at(-1_000, -1_000), *at(11_000, 1_000))}]
    )
    roads = roads_layer(
        [{"road_id": "N", "status": "nasional", "geometry": line((0, 0), (10_000, 0))}]
    )
    projects = projects_layer(
        [
            {"id": "A", "level": "pusat", "geometry": line((2_000, 0), (5_000, 0))},
            # the same stretch again, digitised backwards and 12 m off, with dense vertices
            {
                "id": "B",
                "level": "provinsi",
                "geometry": LineString([at(x, 12.0) for x in np.linspace(5_000, 2_000, 301)]),
            },
        ]
    )
    table = coverage_by_unit(projects, units, roads=roads)
    assert table["covered_km"].iloc[0] == pytest.approx(3.0, abs=0.01)
    assert table["covered_share"].iloc[0] == pytest.approx(0.3, abs=0.01)


@pytest.mark.parametrize(
    ("geometry", "covered_km"),
    [
        (line((2_000, 15), (4_000, 15)), 2.0),  # alongside, 15 m off: covered
        (line((2_000, 30), (4_000, 30)), 0.0),  # alongside, 30 m off: beyond tolerance
        (line((5_000, -1_000), (5_000, 1_000)), 0.0),  # crossing at 90 degrees
        (line((5_000 - 1_000, -577.35), (5_000 + 1_000, 577.35)), 0.0),  # at 30 degrees
        (line((2_000, 0), (4_000, 0), (4_000, 900)), 2.0),  # along, then turning away
    ],
    ids=["alongside-15m", "alongside-30m", "cross-90", "cross-30", "along-then-turn"],
)
def test_what_counts_as_covered(geometry, covered_km):
    units = units_layer(
        [{"unit_id": "U", "geometry": box(*at(-1_000, -1_000), *at(11_000, 1_000))}]
    )
    roads = roads_layer(
        [{"road_id": "N", "status": "nasional", "geometry": line((0, 0), (10_000, 0))}]
    )
    table = coverage_by_unit(
        projects_layer([{"id": "A", "geometry": geometry}]), units, roads=roads
    )
    assert table["covered_km"].iloc[0] == pytest.approx(covered_km, abs=0.005)


def test_road_and_project_across_two_utm_zones():
    # lon 108 E divides zones 48S and 49S: the road is measured in its zone (49S, its centre),
    # the project (centred at 107.995) is brought into it
    units = gpd.GeoDataFrame({"unit_id": ["U"]}, geometry=[box(107.8, -2.2, 108.2, -1.8)], crs=4326)
    road = LineString([(107.90, -2.0), (108.10, -2.0)])
    roads = gpd.GeoDataFrame({"road_id": ["N"], "status": ["nasional"]}, geometry=[road], crs=4326)
    piece = LineString([(107.95, -2.0), (108.04, -2.0)])
    projects = projects_layer([{"id": "A", "geometry": Point(0, 0)}]).set_geometry(
        gpd.GeoSeries([piece], crs=4326)
    )
    table = coverage_by_unit(projects, units, roads=roads)
    assert table["network_km"].iloc[0] == pytest.approx(length_m(roads)[0] / 1e3, rel=1e-3)
    assert table["covered_km"].iloc[0] == pytest.approx(length_m(projects)[0] / 1e3, rel=2e-3)
    assert table["project_km"].iloc[0] == pytest.approx(length_m(projects)[0] / 1e3, rel=1e-9)


def test_multipart_road_chainage_runs_over_its_parts():
    roads = roads_layer(
        [
            {
                "road_id": "M",
                "status": "desa",
                "condition": "rusak berat",
                "geometry": MultiLineString(
                    [[at(0, 0), at(3_000, 0)], [at(5_000, 0), at(9_000, 0)]]
                ),
            }
        ]
    )
    projects = projects_layer([{"id": "A", "geometry": line((6_000, 0), (7_000, 0))}])
    segments = uncovered_segments(projects, roads)
    got = sorted(segments[["from_m", "to_m"]].round().values.tolist())
    assert got == [[0, 3_000], [3_000, 4_000], [5_000, 7_000]]
    assert segments["road_length_m"].iloc[0] == pytest.approx(7_000, abs=1)


def test_access_gap_of_a_unit_with_one_road_project_in_a_corner():
    """A 3 km road from the corner along the edge: 2 km inside is a 3 x 2 km strip and a
    quarter circle of 2 km radius at the far end."""
    units = units_layer(
        [
            {"unit_id": "C", "population": 10_000.0, "geometry": box(*at(0, 0), *at(10_000, 10_000))},
            {"unit_id": "D", "population": 5_000.0, "geometry": box(*at(10_000, 0), *at(20_000, 10_000))},
        ]
    )  # fmt: skip
    projects = projects_layer([{"id": "A", "geometry": line((0, 0), (3_000, 0))}])
    table = access_gaps(projects, units, distance_km=2.0)
    served_km2 = 3.0 * 2.0 + math.pi * 2.0**2 / 4
    c, d = row(table, "C"), row(table, "D")
    assert c["area_km2"] == pytest.approx(100.0, rel=1e-6)
    assert c["served_km2"] == pytest.approx(served_km2, rel=0.01)
    assert c["gap_km2"] == pytest.approx(100.0 - served_km2, rel=0.01)
    assert c["gap_share"] == pytest.approx((100.0 - served_km2) / 100.0, rel=0.01)
    assert c["gap_population"] == pytest.approx(10_000 * (100.0 - served_km2) / 100.0, rel=0.01)
    assert d["gap_share"] == 1.0  # 7 km away from the project
    assert d["gap_population"] == 5_000.0


def test_access_gap_geometry_and_bridges_on_request():
    units = units_layer([{"unit_id": "C", "geometry": box(*at(0, 0), *at(10_000, 10_000))}])
    projects = projects_layer(
        [{"id": "B", "asset_type": "bridge", "geometry": Point(at(5_000, 5_000))}]
    )
    roads_only = access_gaps(projects, units)
    assert roads_only["gap_share"].iloc[0] == 1.0
    with_bridges = access_gaps(projects, units, asset_types=("road", "bridge"), with_geometry=True)
    assert with_bridges["served_km2"].iloc[0] == pytest.approx(math.pi * 4.0, rel=0.01)
    assert isinstance(with_bridges, gpd.GeoDataFrame)
    hole = in_utm(with_bridges).iloc[0]
    assert hole.area / 1e6 == pytest.approx(100.0 - math.pi * 4.0, rel=0.01)


def test_hex_cells_tile_the_region_with_stable_ids():
    region = units_layer([{"unit_id": "R", "geometry": box(*at(0, 0), *at(20_000, 20_000))}])
    cells = hex_cells(region, cell_km=5.0)
    assert cells["area_km2"].sum() == pytest.approx(400.0, rel=1e-6)
    assert cells["area_km2"].max() == pytest.approx(math.sqrt(3) / 2 * 25.0, rel=1e-6)
    assert cells["cell_id"].is_unique
    # a smaller region gets the same cells where they overlap
    part = hex_cells(units_layer([{"geometry": box(*at(0, 0), *at(8_000, 8_000))}]), cell_km=5.0)
    full = cells.set_index("cell_id")
    inner = part[part["area_km2"] > math.sqrt(3) / 2 * 25.0 - 1e-6]
    assert set(inner["cell_id"]) <= set(full.index)


def test_hex_cells_across_two_utm_zones_do_not_overlap():
    # lon 107.9..108.1 spans zones 48S and 49S
    region = gpd.GeoDataFrame(geometry=[box(107.9, -2.1, 108.1, -1.9)], crs=4326)
    cells = hex_cells(region, cell_km=5.0)
    assert set(cells["utm_epsg"]) == {32748, 32749}
    shapes = cells.geometry.to_numpy()
    union = shapely.union_all(shapes)
    assert union.area == pytest.approx(shapely.area(shapes).sum(), rel=1e-9)
    # edges drawn straight in UTM, not in degrees: a few metres apart over 20 km
    outline = region.geometry.iloc[0]
    assert union.symmetric_difference(outline).area < 1e-4 * outline.area
    assert cells["area_km2"].sum() == pytest.approx(area_m2(region)[0] / 1e6, rel=0.005)


def test_hex_grid_coverage_adds_up_to_the_units(projects, units, roads):
    by_unit = coverage_by_unit(projects, units, roads=roads, years=(2024, 2026))
    grid = hex_grid_coverage(projects, units, roads=roads, years=(2024, 2026), cell_km=3.0)
    for column in ("network_km", "covered_km", "project_km", "budget_idr", "area_km2"):
        assert grid[column].sum() == pytest.approx(by_unit[column].sum(), rel=1e-6)
    assert grid["population"].sum() == pytest.approx(150_000, rel=1e-6)
    assert grid["covered_share"].dropna().between(0, 1).all()
    assert grid.crs.to_epsg() == 4326


def test_hex_grid_access_column(projects, units):
    grid = hex_grid_coverage(projects, units, cell_km=5.0, access_km=2.0)
    assert {"served_km2", "gap_km2", "gap_share"} <= set(grid.columns)
    assert (grid["gap_km2"] <= grid["area_km2"] + 1e-9).all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p, u, r: (p.set_crs(None, allow_override=True), u, r), "projects: no CRS"),
        (lambda p, u, r: (p.drop(columns="budget_idr"), u, r), "projects: missing column"),
        (lambda p, u, r: (p, u.assign(unit_id="15.01"), r), "appear\\(s\\) more than once"),
        (lambda p, u, r: (p, u, r.drop(columns="status")), "roads: missing column"),
    ],
    ids=["no-crs", "no-budget", "duplicate-unit", "no-status"],
)
def test_bad_input_is_refused_with_a_reason(projects, units, roads, change, message):
    projects, units, roads = change(projects, units, roads)
    with pytest.raises(GeoInputError, match=message):
        coverage_by_unit(projects, units, roads=roads)


def test_every_problem_is_listed_at_once(projects, units, roads):
    with pytest.raises(GeoInputError) as caught:
        coverage_by_unit(
            projects.drop(columns="budget_idr"),
            units.set_crs(None, allow_override=True),
            roads=roads,
            years=(2026, 2024),
        )
    assert len(caught.value.problems) == 3


# --- the demo region ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    region = make_demo_region()
    units = region.admin_units.rename(
        columns={"kode": "unit_id", "nama": "unit_name", "penduduk": "population"}
    )
    roads = region.roads.rename(
        columns={"kode_ruas": "road_id", "nama_ruas": "name", "kondisi": "condition"}
    )
    projects = gpd.GeoDataFrame(
        pd.concat([u.projects for u in region.uploads], ignore_index=True), crs=4326
    )
    return region, units, roads, projects


def test_demo_g1_the_unit_with_no_project(demo):
    region, units, roads, projects = demo
    (kode,) = region.finding("G1").reference
    table = coverage_by_unit(projects, units, roads=roads)
    empty = table[table["projects"] == 0]
    assert list(empty["unit_id"]) == [kode]
    g1 = row(table, kode)
    assert g1["budget_idr"] == 0.0
    assert g1["covered_km"] == 0.0
    assert g1["network_km"] > 0.0
    access = access_gaps(projects, units)
    assert row(access, kode)["gap_share"] == 1.0
    assert row(access, kode)["gap_population"] == row(access, kode)["population"]


def test_demo_g2_broken_roads_with_no_project(demo):
    region, units, roads, projects = demo
    expected = set(region.finding("G2").reference)
    segments = uncovered_segments(projects, roads, units=units)
    broken = segments[segments["condition"] == "rusak berat"]
    # ranked first
    assert (segments["condition"].iloc[: len(broken)] == "rusak berat").all()
    # each G2 road is uncovered over its whole length
    uncovered = broken.groupby("road_id")["length_m"].sum()
    length = broken.groupby("road_id")["road_length_m"].first()
    whole = set(uncovered.index[(uncovered / length) > 0.999])
    assert whole == expected


# --- spatial tiles change memory, never the result ---------------------------------------------


@pytest.fixture(scope="module")
def tiled_scene() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Units, winding roads and road projects across lon 108 E (UTM 48S | 49S), EPSG:4326.

    Projects are 1-6 km stretches of the roads re-digitised 0-15 m off (some backwards, some
    running on past the road's end), winding roads of their own and a few crossings: with
    tiles of 0.01 degree (~1.1 km) nearly every project lies in several tiles.
    """
    rng = np.random.default_rng(3)
    units = gpd.GeoDataFrame(
        {"unit_id": ["A", "B", "C", "D"]},
        geometry=[
            box(107.85, -2.10, 108.00, -2.00),
            box(108.00, -2.10, 108.15, -2.00),
            box(107.85, -2.00, 108.00, -1.90),
            box(108.00, -2.00, 108.15, -1.90),
        ],
        crs=4326,
    )

    def walks(count: int, vertices: int, step_deg: float, turn: float) -> np.ndarray:
        start = rng.uniform([107.88, -2.07], [108.12, -1.93], (count, 2))
        heading = rng.uniform(0, 2 * np.pi, (count, 1)) + np.cumsum(
            rng.normal(0, turn, (count, vertices - 1)), axis=1
        )
        steps = np.stack([np.cos(heading), np.sin(heading)], axis=-1) * step_deg
        return start[:, None] + np.concatenate([np.zeros((count, 1, 2)), np.cumsum(steps, 1)], 1)

    network = shapely.linestrings(walks(8, 60, 0.002, 0.1))
    roads = gpd.GeoDataFrame(
        {"road_id": [f"R{i}" for i in range(8)], "status": ["nasional", "provinsi"] + ["desa"] * 6},
        geometry=network,
        crs=4326,
    )
    along = []
    for k in range(60):
        road = network[k % 8]
        begin = rng.uniform(0, 0.9)
        end = min(begin + rng.uniform(0.01, 0.06) / shapely.length(road), 1.05)
        points = shapely.line_interpolate_point(
            road, np.linspace(begin, min(end, 1.0), 30), normalized=True
        )
        xy = shapely.get_coordinates(points) + rng.normal(0, 15 / 111_000, 2) * (k % 3 > 0)
        if end > 1.0:  # runs on past the road's end
            xy = np.vstack([xy, xy[-1] + (xy[-1] - xy[-2]) * 20])
        along.append(shapely.LineString(xy[::-1] if k % 4 == 0 else xy))
    own = list(shapely.linestrings(walks(20, 30, 0.001, 0.2)))
    crossing = [
        shapely.LineString([(x, y - 0.01), (x + 0.003, y + 0.01)])
        for x, y in shapely.get_coordinates(network[:4])[::25]
    ]
    geoms = along + own + crossing
    projects = gpd.GeoDataFrame(
        {
            "project_id": [f"P{i}" for i in range(len(geoms))],
            "asset_type": "road",
            "year_start": 2025,
            "year_end": 2025,
            "budget_idr": 1e9,
        },
        geometry=geoms,
        crs=4326,
    )
    return units, roads, projects


@pytest.mark.parametrize("tile_deg", [0.01, 0.037])
def test_tiles_give_the_result_of_the_whole_network_at_once(tiled_scene, tile_deg):
    units, roads, projects = tiled_scene
    bounds = shapely.bounds(projects.geometry.to_numpy())
    straddling = np.floor(bounds[:, :2] / tile_deg) != np.floor(bounds[:, 2:] / tile_deg)
    assert straddling.any(axis=1).mean() > 0.5  # most projects lie in several tiles
    assert ((bounds[:, 0] < 108.0) & (bounds[:, 2] > 108.0)).any()  # and in both UTM zones

    whole = coverage_by_unit(projects, units, roads=roads, tile_deg=math.inf)
    tiled = coverage_by_unit(projects, units, roads=roads, tile_deg=tile_deg)
    assert (whole["covered_km"] > 1.0).sum() >= 3
    pd.testing.assert_frame_equal(tiled, whole, check_exact=True)

    whole = uncovered_segments(projects, roads, units=units, tile_deg=math.inf)
    tiled = uncovered_segments(projects, roads, units=units, tile_deg=tile_deg)
    pd.testing.assert_frame_equal(
        tiled.drop(columns="geometry"), whole.drop(columns="geometry"), check_exact=True
    )
    assert shapely.equals_exact(tiled.geometry.values, whole.geometry.values, 0.0).all()


def test_tile_width_must_be_positive(projects, units, roads):
    with pytest.raises(GeoInputError, match="tile_deg must be a positive"):
        coverage_by_unit(projects, units, roads=roads, tile_deg=0.0)


def test_interior_cells_answer_exactly_what_the_polygon_tests_answer():
    from pathlib import Path

    from geo.analyse._in_units import InteriorCells

    path = Path(__file__).resolve().parents[4] / "shared/data/reference/seed_adm3_kecamatan.geojson"
    units = gpd.read_file(path).to_crs(4326).geometry.to_numpy()
    rng = np.random.default_rng(5)
    west, south, east, north = shapely.total_bounds(units)
    n = 20_000
    x, y = rng.uniform(west, east, n), rng.uniform(south, north, n)
    size = rng.uniform(0.0, 0.12, n)
    ends = np.stack([np.stack([x, y], axis=1), np.stack([x + size, y + size / 2], axis=1)], axis=1)
    geoms = np.where(np.arange(n) % 2 == 0, shapely.points(x, y), shapely.linestrings(ends))
    found = InteriorCells(units, cell_deg=0.02).unit_of(geoms)

    tree = shapely.STRtree(units)
    inside_one, _ = tree.query(geoms, predicate="within")
    assert (found >= 0).sum() > 0.5 * len(np.unique(inside_one)), "the grid answers most"
    for row in np.flatnonzero(found >= 0):
        meets = tree.query(geoms[row], predicate="intersects")
        assert list(meets) == [found[row]]
        assert shapely.contains_properly(units[found[row]], geoms[row])


# --- coverage on the located intervals ---------------------------------------------------------


def _one_unit_one_road() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Unit 15.09 (x, y 0..10 km) and N-9 (nasional), 10 km along y = 2 km."""
    units = units_layer([{"unit_id": "15.09", "geometry": box(*at(0, 0), *at(10_000, 10_000))}])
    roads = roads_layer(
        [{"road_id": "N-9", "status": "nasional", "geometry": line((0, 2000), (10_000, 2000))}]
    )
    return units, roads


def test_located_works_cover_the_chainage_they_are_located_on():
    """W1 is drawn 30 m north of N-9 (x 1-2 km: beyond the 20 m tolerance as drawn), W2 on it
    (x 1.5-2.5 km). Located, W1 covers 1,000-2,000 and W2 1,500-2,500: 1.5 km, counted once."""
    from geo.analyse.locations import covered_chainage, locate_road_projects
    from geo.spatial.network import RoadNetwork

    units, roads = _one_unit_one_road()
    projects = projects_layer(
        [
            {"id": "W1", "geometry": line((1000, 2030), (2000, 2030))},
            {"id": "W2", "geometry": line((1500, 2000), (2500, 2000))},
        ]
    )
    network = RoadNetwork(roads)
    located = locate_road_projects(projects, network)
    assert located[["ruas_id", "from_m", "to_m"]].round(6).values.tolist() == [
        ["N-9", 1000.0, 2000.0],
        ["N-9", 1500.0, 2500.0],
    ]
    union = covered_chainage(located, by="ruas_id")
    assert union.round(6).values.tolist() == [["N-9", 1000.0, 2500.0]]
    table = coverage_by_unit(projects, units, roads=roads, located=located, network=network)
    assert table["covered_km"].iloc[0] == pytest.approx(1.5, abs=1e-6)
    assert table["covered_km_nasional"].iloc[0] == pytest.approx(1.5, abs=1e-6)
    # Located here when asked: the same answer; as drawn, W1 is beyond the tolerance.
    alone = coverage_by_unit(projects, units, roads=roads, locate=True)
    assert alone["covered_km"].iloc[0] == pytest.approx(1.5, abs=1e-6)
    as_drawn = coverage_by_unit(projects, units, roads=roads)
    assert as_drawn["covered_km"].iloc[0] == pytest.approx(1.0, abs=0.005)
    gaps = uncovered_segments(projects, roads, locate=True)
    assert gaps[["from_m", "to_m"]].round(3).values.tolist() == [[2500.0, 10_000.0], [0.0, 1000.0]]


def test_works_not_located_cover_the_network_as_drawn():
    """W3 drawn 60 m off N-9 is located nowhere (beyond the 40 m + 10 m a drawing may be off):
    it covers nothing, as before; W4 15 m off is located and covers its whole chainage."""
    units, roads = _one_unit_one_road()
    projects = projects_layer(
        [
            {"id": "W3", "geometry": line((5000, 2060), (6000, 2060))},
            {"id": "W4", "geometry": line((7000, 1985), (7400, 1985))},
        ]
    )
    table = coverage_by_unit(projects, units, roads=roads, locate=True)
    assert table["covered_km"].iloc[0] == pytest.approx(0.4, abs=1e-6)
    cells = hex_grid_coverage(projects, units, roads=roads, locate=True)
    assert cells["covered_km"].sum() == pytest.approx(0.4, abs=1e-6)
