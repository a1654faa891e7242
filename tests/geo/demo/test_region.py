"""The illustrative demo region: shape of the layers, determinism, and every deliberate finding.

Measurements are made here, independently of the generator, in UTM 48S (EPSG:32748) with the
DESIGN section 5 rules: roads overlap when min(length of A within 20 m of B, length of B within
20 m of A) >= 50 m, bridges when < 50 m apart, irrigation when the intersection is >= 1 ha and
>= 5% of the smaller polygon; always with intersecting year ranges.
"""

from __future__ import annotations

import functools
import itertools

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

import geo.demo.region as demo_region
from geo.demo.region import (
    FUNDING_SOURCES,
    KAB_GAP,
    PROJECT_STATUSES,
    ROAD_CONDITIONS,
    ROAD_STATUSES,
    WORK_TYPES,
    DemoRegion,
    format_findings_table,
    kewenangan_irigasi,
    make_demo_region,
)
from geo.schema import ASSET_TYPES, LEVELS, RECORD_COLUMNS
from geo.settings import INDONESIA_BOUNDS_DEG

UTM = "EPSG:32748"
TOLERANCE_M = 20.0
MIN_OVERLAP_M = 50.0
BRIDGE_DISTANCE_M = 50.0
SEEDS = (2025, 1, 7, 42, 1234)
EXCEPTION_FUNDING = {"IJD", "Tugas Pembantuan"}
LEVEL_OF_ROAD = {"nasional": "pusat", "provinsi": "provinsi", "kabupaten": "kabupaten"}


@functools.cache
def region_for(seed: int) -> DemoRegion:
    return make_demo_region(seed)


@functools.cache
def projects_utm(seed: int) -> gpd.GeoDataFrame:
    return region_for(seed).all_projects().to_crs(UTM)


@pytest.fixture(scope="module")
def region() -> DemoRegion:
    return region_for(2025)


@pytest.fixture(scope="module")
def projects() -> gpd.GeoDataFrame:
    return projects_utm(2025)


def layers(region: DemoRegion) -> dict[str, gpd.GeoDataFrame]:
    named = {
        "province": region.province,
        "admin_units": region.admin_units,
        "roads": region.roads,
        "irrigation_areas": region.irrigation_areas,
    }
    named.update({upload.file_name: upload.projects for upload in region.uploads})
    return named


def shared_length_m(a: shapely.Geometry, b: shapely.Geometry) -> float:
    """DESIGN's road overlap: the shorter of each line's length within 20 m of the other."""
    return min(
        a.intersection(b.buffer(TOLERANCE_M)).length, b.intersection(a.buffer(TOLERANCE_M)).length
    )


def years_meet(a, b) -> bool:
    return a.year_start <= b.year_end and b.year_start <= a.year_end


def by_id(projects: gpd.GeoDataFrame, project_id: str):
    return projects.loc[projects["project_id"] == project_id].iloc[0]


def measured_overlaps(projects: gpd.GeoDataFrame) -> dict[str, set[frozenset[str]]]:
    """Every pair the DESIGN rules call an overlap (plus bridge-on-road cross-type pairs)."""
    found: dict[str, set[frozenset[str]]] = {k: set() for k in (*ASSET_TYPES, "cross_type")}
    geoms = projects.geometry.values
    tree = shapely.STRtree(geoms)
    near_i, near_j = tree.query(geoms, predicate="dwithin", distance=BRIDGE_DISTANCE_M)
    for i, j in zip(near_i, near_j, strict=True):
        if i >= j:
            continue
        a, b = projects.iloc[i], projects.iloc[j]
        if not years_meet(a, b):
            continue
        pair = frozenset((a.project_id, b.project_id))
        kinds = {a.asset_type, b.asset_type}
        if kinds == {"road"} and shared_length_m(a.geometry, b.geometry) >= MIN_OVERLAP_M:
            found["road"].add(pair)
        elif kinds == {"bridge"} and a.geometry.distance(b.geometry) < BRIDGE_DISTANCE_M:
            found["bridge"].add(pair)
        elif kinds == {"irrigation"}:
            shared = a.geometry.intersection(b.geometry).area
            smaller = min(a.geometry.area, b.geometry.area)
            if shared >= 1e4 and shared >= 0.05 * smaller:
                found["irrigation"].add(pair)
        elif kinds == {"road", "bridge"} and a.geometry.distance(b.geometry) <= TOLERANCE_M:
            found["cross_type"].add(pair)
    return found


def expected_pairs(region: DemoRegion, kind: str) -> dict[str, set[frozenset[str]]]:
    out: dict[str, set[frozenset[str]]] = {k: set() for k in (*ASSET_TYPES, "cross_type")}
    for item in region.expected_findings:
        if item.kind == kind:
            out["cross_type" if kind == "cross_type" else item.asset_type].add(
                frozenset(item.project_ids)
            )
    return out


def measured_authority(region: DemoRegion, projects: gpd.GeoDataFrame) -> dict[str, set[str]]:
    """Projects outside their level's kewenangan: 'authority' (flagged) and 'exception'."""
    roads = region.roads.to_crs(UTM)
    dis = region.irrigation_areas.to_crs(UTM)
    out: dict[str, set[str]] = {"authority": set(), "exception": set()}
    for row in projects.itertuples():
        if row.asset_type == "irrigation":
            shares = dis.geometry.intersection(row.geometry).area
            required = dis.iloc[int(np.argmax(shares))]["kewenangan"]
        elif row.asset_type == "bridge":
            required = LEVEL_OF_ROAD[
                roads.iloc[int(np.argmin(roads.distance(row.geometry)))].status
            ]
        else:
            # the status carrying the largest share of the project's length within 20 m
            on = roads.geometry.intersection(row.geometry.buffer(TOLERANCE_M)).length
            by_status = on.groupby(roads["status"]).sum()
            assert by_status.max() >= 0.9 * row.geometry.length, row.project_id
            required = LEVEL_OF_ROAD[by_status.idxmax()]
        if required != row.level:
            exempt = row.funding_source in EXCEPTION_FUNDING
            out["exception" if exempt else "authority"].add(row.project_id)
    return out


# ---- determinism, CRS, geometry ---------------------------------------------------------------


def test_same_seed_gives_the_same_region():
    first, second = make_demo_region(2025), make_demo_region(2025)
    for a, b in zip(layers(first).values(), layers(second).values(), strict=True):
        assert_geodataframe_equal(a, b)
        assert (a.geometry.to_wkb() == b.geometry.to_wkb()).all()  # bit for bit
    assert first.expected_findings == second.expected_findings
    assert [(u.file_name, u.agency, u.level) for u in first.uploads] == [
        (u.file_name, u.agency, u.level) for u in second.uploads
    ]


def test_another_seed_moves_the_geometry_but_keeps_ids_and_findings():
    a, b = region_for(2025), region_for(7)
    assert not a.province.geometry.iloc[0].equals(b.province.geometry.iloc[0])
    strip = [(f.key, f.kind, f.asset_type, f.project_ids, f.agencies) for f in a.expected_findings]
    other = [(f.key, f.kind, f.asset_type, f.project_ids, f.agencies) for f in b.expected_findings]
    assert strip[:-1] == other[:-1]  # all but G2, whose ruas list depends on the seed


@pytest.mark.parametrize("seed", SEEDS)
def test_every_layer_is_valid_wgs84_inside_indonesia(seed):
    region = region_for(seed)
    lon_min, lat_min, lon_max, lat_max = INDONESIA_BOUNDS_DEG
    for name, frame in layers(region).items():
        assert frame.crs == "EPSG:4326", name
        assert len(frame), name
        assert frame.geometry.notna().all() and not frame.geometry.is_empty.any(), name
        assert frame.geometry.is_valid.all(), name
        x0, y0, x1, y1 = frame.total_bounds
        assert lon_min <= x0 and x1 <= lon_max and lat_min <= y0 and y1 <= lat_max, name


def test_province_is_one_sumatran_polygon_of_about_150_by_130_km(region):
    assert len(region.province) == 1
    assert list(region.province.columns) == ["kode", "nama", "geometry"]
    assert "ilustrasi" in region.province["nama"].iloc[0]
    x0, y0, x1, y1 = region.province.total_bounds
    assert 102.8 <= x0 and x1 <= 104.6 and -2.45 <= y0 and y1 <= -0.9
    polygon = region.province.to_crs(UTM).geometry.iloc[0]
    assert polygon.geom_type == "Polygon"
    minx, miny, maxx, maxy = polygon.bounds
    assert 130e3 < maxx - minx < 170e3 and 110e3 < maxy - miny < 150e3


def test_units_tile_the_province(region):
    province = region.province.to_crs(UTM).geometry.iloc[0]
    units = region.admin_units.to_crs(UTM)
    union = shapely.union_all(units.geometry.values)
    assert union.area == pytest.approx(province.area, rel=1e-3)
    assert province.symmetric_difference(union).area < 1e-3 * province.area
    overlap = sum(
        a.intersection(b).area for a, b in itertools.combinations(units.geometry.values, 2)
    )
    assert overlap < 1.0  # m2: shared borders only


def test_units_are_invented_kabupaten_and_kota(region):
    units = region.admin_units
    assert list(units.columns) == ["kode", "nama", "jenis", "ibu_kota", "penduduk", "geometry"]
    assert 10 <= len(units) <= 14
    assert units["kode"].is_unique and units["kode"].str.match(r"^99\.\d\d$").all()
    assert set(units["jenis"]) == {"kabupaten", "kota"}
    assert units["nama"].str.contains("Contoh").all()  # no real kabupaten names
    assert units["penduduk"].dtype == np.int64 and (units["penduduk"] > 10_000).all()
    assert (units.geometry.geom_type == "Polygon").all()


def test_road_network_is_a_few_hundred_km_of_separate_ruas(region):
    roads = region.roads.to_crs(UTM)
    assert list(roads.columns) == [
        "kode_ruas", "nama_ruas", "status", "kondisi", "lebar_m", "kode_wilayah", "geometry",
    ]  # fmt: skip
    assert roads["kode_ruas"].is_unique
    assert roads["kode_ruas"].str.match(r"^(N-\d{3}|P-\d{3}|K-\d\d-\d{3})$").all()
    assert set(roads["status"]) == set(ROAD_STATUSES)
    assert set(roads["kondisi"]) <= set(ROAD_CONDITIONS)
    assert (roads.geom_type == "LineString").all() and roads.is_simple.all()
    assert 300e3 < roads.length.sum() < 1500e3
    assert (roads.groupby("status").size() >= 2).all()
    spacing = np.concatenate(
        [np.hypot(*np.diff(shapely.get_coordinates(line), axis=0).T) for line in roads.geometry]
    )
    assert 45.0 < np.median(spacing) < 60.0 and spacing.max() < 80.0


def test_irrigation_areas_measure_what_they_claim_and_follow_the_rule(region):
    dis = region.irrigation_areas
    assert list(dis.columns) == ["nama", "luas_ha", "lintas_kabupaten", "kewenangan", "geometry"]
    assert 8 <= len(dis) <= 12 and dis["nama"].is_unique
    measured_ha = dis.to_crs(UTM).area / 1e4
    assert np.allclose(dis["luas_ha"], measured_ha, rtol=0.005)
    for row in dis.itertuples():
        assert row.kewenangan == kewenangan_irigasi(row.luas_ha, row.lintas_kabupaten)
    assert (dis["luas_ha"] > 3000).any()
    assert dis["luas_ha"].between(1000, 3000).any()
    assert (dis["luas_ha"] < 1000).any()
    assert set(dis["kewenangan"]) == {"pusat", "provinsi", "kabupaten"}
    units = region.admin_units.to_crs(UTM)
    for row in dis.to_crs(UTM).itertuples():
        crossed = (units.geometry.intersection(row.geometry).area > 1e4).sum()
        assert row.lintas_kabupaten == (crossed > 1), row.nama
    crossing = dis[dis["lintas_kabupaten"]]
    assert len(crossing) == 1 and (crossing["luas_ha"] < 1000).all()
    assert (crossing["kewenangan"] == "provinsi").all()


@pytest.mark.parametrize(
    ("luas_ha", "lintas", "expected"),
    [
        (3000.1, False, "pusat"),
        (5000.0, True, "pusat"),
        (3000.0, False, "provinsi"),
        (1000.0, False, "provinsi"),
        (999.9, True, "provinsi"),
        (999.9, False, "kabupaten"),
    ],
)
def test_kewenangan_irigasi_thresholds(luas_ha, lintas, expected):
    assert kewenangan_irigasi(luas_ha, lintas) == expected


# ---- projects -----------------------------------------------------------------------------------


def test_uploads_are_canonical_records(region):
    for upload in region.uploads:
        frame = upload.projects
        assert list(frame.columns) == [*RECORD_COLUMNS, "geometry"], upload.file_name
        assert frame["project_id"].is_unique, upload.file_name
        assert (frame["agency"] == upload.agency).all() and (frame["level"] == upload.level).all()
        assert upload.file_name.startswith("demo_") and upload.file_name.endswith(".gpkg")
        assert frame["year_start"].dtype == np.int64 and frame["budget_idr"].dtype == np.float64
    all_ids = region.all_projects()["project_id"]
    assert all_ids.is_unique  # unique per agency, and across agencies too
    assert len({u.agency for u in region.uploads}) == len(region.uploads)


def test_projects_use_the_vocabularies(region):
    projects = region.all_projects()
    assert 60 <= len(projects) <= 120
    assert set(projects["level"]) == {"pusat", "provinsi", "kabupaten"} <= set(LEVELS)
    assert set(projects["asset_type"]) == set(ASSET_TYPES)
    assert set(projects["work_type"]) <= set(WORK_TYPES)
    assert set(projects["funding_source"]) <= set(FUNDING_SOURCES)
    assert set(projects["status"]) <= set(PROJECT_STATUSES)
    assert projects["year_start"].between(2024, 2026).all()
    assert (projects["year_start"] <= projects["year_end"]).all()
    assert projects["year_end"].between(2024, 2026).all()
    assert projects["budget_idr"].between(0.5e9, 40e9).all()
    kinds = {"road": "LineString", "bridge": "Point", "irrigation": "Polygon"}
    assert (projects.geom_type == projects["asset_type"].map(kinds)).all()
    per_level_asset = projects.groupby(["level", "asset_type"]).size()
    assert len(per_level_asset) == 9  # every level works on every asset type


def test_kabupaten_agencies_work_inside_their_own_kabupaten(region, projects):
    units = region.admin_units.to_crs(UTM).set_index("nama")
    for row in projects[projects["level"] == "kabupaten"].itertuples():
        unit = units.loc[row.agency.removeprefix("Dinas PUPR ")].geometry
        assert unit.buffer(1.0).contains(row.geometry), row.project_id


def test_road_projects_are_redigitised_stretches_of_the_network(region, projects):
    roads = region.roads.to_crs(UTM)
    network = shapely.union_all(roads.geometry.values)
    for row in projects[projects["asset_type"] == "road"].itertuples():
        # vertices are shifted by at most 5 m; a chord between two of them cuts a bend a little
        vertices = shapely.points(shapely.get_coordinates(row.geometry))
        assert shapely.distance(vertices, network).max() <= 5.01, row.project_id
        assert network.buffer(8.0).contains(row.geometry), row.project_id
        assert row.geometry.length > 500.0
    for row in projects[projects["asset_type"] == "bridge"].itertuples():
        assert network.distance(row.geometry) < 5.0, row.project_id
    dis = shapely.union_all(region.irrigation_areas.to_crs(UTM).geometry.values)
    for row in projects[projects["asset_type"] == "irrigation"].itertuples():
        assert dis.buffer(2.5).contains(row.geometry), row.project_id


# ---- deliberate findings -----------------------------------------------------------------------


def test_findings_are_documented_in_the_module_docstring(region):
    doc = demo_region.__doc__
    for item in region.expected_findings:
        assert f"\n{item.key} " in doc, item.key
        for project_id in item.project_ids:
            assert project_id in doc, (item.key, project_id)
    table = format_findings_table(region.expected_findings)
    assert table.count("\n") == len(region.expected_findings) + 1


def test_expected_findings_cover_what_the_brief_asks_for(region):
    kinds = [(f.kind, f.asset_type) for f in region.expected_findings]
    assert kinds.count(("overlap", "road")) >= 3
    assert ("overlap", "bridge") in kinds and ("overlap", "irrigation") in kinds
    assert kinds.count(("trap", "road")) >= 4 and ("trap", "irrigation") in kinds
    assert kinds.count(("authority", "road")) >= 3 and ("authority", "irrigation") in kinds
    assert {"IJD", "Tugas Pembantuan"} <= {
        by_id(region.all_projects(), f.project_ids[0]).funding_source
        for f in region.expected_findings
        if f.kind == "exception"
    }
    assert region.finding("O1").shared_m == 3000.0
    with pytest.raises(KeyError, match="O1"):
        region.finding("Z9")


@pytest.mark.parametrize("key", ["O1", "O2", "O3", "O4"])
def test_road_overlap_is_really_there(region, projects, key):
    item = region.finding(key)
    a, b = (by_id(projects, pid) for pid in item.project_ids)
    assert years_meet(a, b)
    assert 500.0 <= item.shared_m <= 4000.0
    assert shared_length_m(a.geometry, b.geometry) == pytest.approx(item.shared_m, rel=0.1)


def test_cross_level_road_overlaps(region, projects):
    levels = [
        {by_id(projects, pid).level for pid in region.finding(key).project_ids}
        for key in ("O1", "O2", "O3")
    ]
    assert levels == [{"pusat", "provinsi"}, {"provinsi", "kabupaten"}, {"pusat", "kabupaten"}]
    o4 = [by_id(projects, pid) for pid in region.finding("O4").project_ids]
    assert o4[0].agency == o4[1].agency  # a same-agency pair, reported and labelled as such


def test_same_bridge_from_two_levels(region, projects):
    item = region.finding("O5")
    a, b = (by_id(projects, pid) for pid in item.project_ids)
    assert a.level != b.level and years_meet(a, b)
    distance = a.geometry.distance(b.geometry)
    assert 5.0 <= distance <= 30.0 and distance == pytest.approx(item.distance_m, abs=0.5)


def test_irrigation_overlap(region, projects):
    item = region.finding("O6")
    a, b = (by_id(projects, pid) for pid in item.project_ids)
    assert a.level != b.level and years_meet(a, b)
    shared = a.geometry.intersection(b.geometry).area / 1e4
    assert shared >= item.shared_ha >= 10.0
    assert shared >= 0.05 * min(a.geometry.area, b.geometry.area) / 1e4


def test_trap_crossing_roads(region, projects):
    a, b = (by_id(projects, pid) for pid in region.finding("T1").project_ids)
    assert a.level != b.level and years_meet(a, b) and a.geometry.crosses(b.geometry)
    assert shared_length_m(a.geometry, b.geometry) < MIN_OVERLAP_M


def test_trap_consecutive_segments(region, projects):
    a, b = (by_id(projects, pid) for pid in region.finding("T2").project_ids)
    assert years_meet(a, b)
    ends_a = shapely.points(shapely.get_coordinates(a.geometry)[[0, -1]])
    ends_b = shapely.points(shapely.get_coordinates(b.geometry)[[0, -1]])
    assert shapely.distance(ends_a[:, None], ends_b[None, :]).min() < 12.0  # they meet
    assert shared_length_m(a.geometry, b.geometry) < MIN_OVERLAP_M


def test_trap_parallel_road(region, projects):
    item = region.finding("T3")
    a, b = (by_id(projects, pid) for pid in item.project_ids)
    assert a.level != b.level and years_meet(a, b)
    assert a.geometry.distance(b.geometry) > TOLERANCE_M
    # alongside each other over kilometres, about 80 m apart
    assert a.geometry.intersection(b.geometry.buffer(100.0)).length > 2500.0
    assert a.geometry.distance(b.geometry) == pytest.approx(item.distance_m, abs=12.0)


def test_trap_same_stretch_in_other_years(region, projects):
    item = region.finding("T4")
    a, b = (by_id(projects, pid) for pid in item.project_ids)
    assert not years_meet(a, b)
    assert shared_length_m(a.geometry, b.geometry) == pytest.approx(item.shared_m, rel=0.1)


def test_trap_irrigation_sliver(region, projects):
    item = region.finding("T5")
    a, b = (by_id(projects, pid) for pid in item.project_ids)
    assert years_meet(a, b) and a.geometry.intersects(b.geometry)
    shared = a.geometry.intersection(b.geometry).area
    assert 0.0 < shared < 1e4 and shared < 0.05 * min(a.geometry.area, b.geometry.area)
    assert shared / 1e4 == pytest.approx(item.shared_ha, abs=0.01)
    dis = region.irrigation_areas.set_index("nama").to_crs(UTM)
    kanan, kiri = (dis.loc[name].geometry for name in item.reference)
    # the two DIs share a border (exactly in UTM; to float precision after the round trip)
    assert kanan.intersection(kiri).area < 1.0
    assert kanan.buffer(0.01).intersection(kiri).area > 10.0


@pytest.mark.parametrize("seed", SEEDS)
def test_the_only_overlaps_are_the_deliberate_ones(seed):
    region, projects = region_for(seed), projects_utm(seed)
    expected = expected_pairs(region, "overlap")
    expected["cross_type"] = expected_pairs(region, "cross_type")["cross_type"]
    assert measured_overlaps(projects) == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_authority_mismatches_are_the_deliberate_ones(seed):
    region, projects = region_for(seed), projects_utm(seed)
    found = measured_authority(region, projects)
    for kind in ("authority", "exception"):
        listed = {pid for f in region.expected_findings if f.kind == kind for pid in f.project_ids}
        assert found[kind] == listed, kind


@pytest.mark.parametrize("seed", SEEDS)
def test_gaps(seed):
    region, projects = region_for(seed), projects_utm(seed)
    units = region.admin_units.to_crs(UTM).set_index("kode")
    gap = units.loc[region.finding("G1").reference[0]].geometry
    assert region.finding("G1").reference == (KAB_GAP,)
    assert not projects.intersects(gap).any()
    empty = [k for k, g in units.geometry.items() if not projects.intersects(g).any()]
    assert KAB_GAP in empty
    roads = region.roads.to_crs(UTM).set_index("kode_ruas")
    broken = region.finding("G2").reference
    assert len(broken) >= 3 and {"K-10-001", "K-10-002"} <= set(broken)
    linear = projects[projects["asset_type"] != "irrigation"]
    for kode in broken:
        assert roads.loc[kode, "kondisi"] == "rusak berat"
        assert linear.distance(roads.loc[kode].geometry).min() > TOLERANCE_M, kode
