"""A new upload checked against the store's neighbourhood equals a run over the whole store."""

from __future__ import annotations

import numpy as np
import pytest

from geo.analyse.incremental import overlaps_with_store
from geo.analyse.overlap import find_overlaps
from geo.demo.build import build_demo
from geo.settings import Settings
from geo.store import open_store

SETTINGS = Settings()


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    return open_store(build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg"))


def pairs(findings) -> set[tuple[str, str, str]]:
    return set(
        zip(findings["asset_type"], findings["project_a"], findings["project_b"], strict=True)
    )


@pytest.mark.parametrize("agency", ["Dinas PUPR Provinsi Contoh", "Dinas PUPR Kab. Tanjung Contoh"])
def test_an_upload_checked_against_the_store_finds_what_a_full_run_finds(demo_store, agency):
    projects = demo_store.load_projects()
    full = find_overlaps(projects, settings=SETTINGS)
    new = projects[projects["agency"] == agency]
    expected = full[(full["agency_a"] == agency) | (full["agency_b"] == agency)]
    got = overlaps_with_store(new, demo_store, settings=SETTINGS)
    assert len(expected) >= 2  # the demo region puts overlaps on both agencies
    assert pairs(got) == pairs(expected)
    assert got["overlap_m"].fillna(0).to_numpy() == pytest.approx(
        expected.set_index("finding_id").loc[got["finding_id"], "overlap_m"].fillna(0).to_numpy()
    )


def test_an_upload_not_yet_committed_is_checked_the_same_way(tmp_path):
    store = open_store(build_demo(tmp_path / "demo.gpkg"))
    projects = store.load_projects()
    agency = "Dinas PUPR Kab. Bukit Contoh"
    expected = find_overlaps(projects, settings=SETTINGS)
    expected = expected[(expected["agency_a"] == agency) | (expected["agency_b"] == agency)]
    new = projects[projects["agency"] == agency]
    for upload_id in new["upload_id"].unique():
        store.delete_upload(int(upload_id))
    assert pairs(overlaps_with_store(new, store, settings=SETTINGS)) == pairs(expected)


def test_only_the_neighbourhood_is_read(demo_store):
    projects = demo_store.load_projects()
    one = projects.iloc[[0]]
    near = demo_store.load_projects_near(one.geometry.values, 50.0)
    assert 1 <= len(near) < len(projects)
    assert one["project_id"].iloc[0] in set(near["project_id"])


def test_involving_must_be_one_flag_per_project(demo_store):
    projects = demo_store.load_projects()
    with pytest.raises(ValueError, match="boolean array of"):
        find_overlaps(projects, settings=SETTINGS, involving=np.ones(3, dtype=bool))


@pytest.mark.parametrize("agency", ["Dinas PUPR Provinsi Contoh", "Dinas PUPR Kab. Tanjung Contoh"])
def test_with_the_road_network_an_upload_finds_what_a_full_run_on_it_finds(demo_store, agency):
    """On the store's network, as the app's full analysis measures: the same pairs, the same
    chainage and ruas, and the new road works located."""
    from geo.analyse.run import analyse, analyse_new

    projects = demo_store.load_projects()
    roads = demo_store.load_reference("roads")
    full = analyse(projects, roads=roads, coverage=False)
    expected = full.overlaps[
        (full.overlaps["agency_a"] == agency) | (full.overlaps["agency_b"] == agency)
    ]
    new = projects[projects["agency"] == agency]
    got = analyse_new(new, demo_store, settings=SETTINGS, roads=roads)
    assert pairs(got.overlaps) == pairs(expected)
    assert (got.overlaps["method"] == "network").any()
    by_id = expected.set_index("finding_id").loc[got.overlaps["finding_id"]]
    assert got.overlaps["ruas_id"].tolist() == by_id["ruas_id"].tolist()
    assert got.overlaps["sta_from_m"].fillna(-1).to_numpy() == pytest.approx(
        by_id["sta_from_m"].fillna(-1).to_numpy()
    )
    assert set(got.locations["project_id"]) == set(
        new.loc[(new["asset_type"] == "road") & (new.geom_type == "LineString"), "project_id"]
    )


def test_with_a_network_stored_works_further_off_are_searched():
    from geo.analyse.incremental import search_reach_m

    settings = Settings(tolerance_m=20.0, bridge_distance_m=30.0, network_offset_m=40.0)
    assert search_reach_m(settings, network=False) == 30.0
    assert search_reach_m(settings, network=True) == 80.0


# --- a stored source's shift, as the whole store gives it ----------------------------------------


def _grid_with_a_frontage_road(tmp_path):
    """Roads every 500 m both ways over 2 km, and a frontage road 15 m south of the road at
    y = 1000 m between x = 500 and 1500 m, joined to it at both ends: read as the store's
    road network."""
    import geopandas as gpd
    from shapely import LineString

    from geo.read.reference import read_reference
    from tests.geometries import UTM, X0, Y0

    lines, codes = [], []
    for k, at in enumerate(np.arange(0.0, 2001.0, 500.0)):
        cuts = np.arange(0.0, 2001.0, 500.0)
        for a, b in zip(cuts[:-1], cuts[1:], strict=True):
            lines.append(LineString([(X0 + a, Y0 + at), (X0 + b, Y0 + at)]))
            codes.append(f"EW-{k}")
            lines.append(LineString([(X0 + at, Y0 + a), (X0 + at, Y0 + b)]))
            codes.append(f"NS-{k}")
    for a, b in (((500, 1000), (500, 985)), ((500, 985), (1000, 985))):
        lines.append(LineString([(X0 + a[0], Y0 + a[1]), (X0 + b[0], Y0 + b[1])]))
        codes.append("FR-1")
    for a, b in (((1000, 985), (1500, 985)), ((1500, 985), (1500, 1000))):
        lines.append(LineString([(X0 + a[0], Y0 + a[1]), (X0 + b[0], Y0 + b[1])]))
        codes.append("FR-1")
    path = tmp_path / "jaringan.gpkg"
    gpd.GeoDataFrame(
        {"kode_ruas": codes, "nama_ruas": [f"Jalan {c}" for c in codes], "status": "kota"},
        geometry=lines,
        crs=UTM,
    ).to_file(path)
    return read_reference(path, "roads").layer


def _upload(store, tmp_path, name: str, agency: str, lines) -> None:
    import geopandas as gpd

    from geo.read.projects import read_projects
    from tests.geometries import UTM

    path = tmp_path / f"{name}.gpkg"
    gpd.GeoDataFrame(
        {
            "kode_paket": [f"{name}-{k}" for k in range(len(lines))],
            "nama_paket": [f"Pemeliharaan Jalan {name} {k}" for k in range(len(lines))],
            "tahun": 2025,
            "jenis": "jalan",
        },
        geometry=list(lines),
        crs=UTM,
    ).to_file(path)
    store.import_result(read_projects(path, level="kabupaten", agency=agency))


def _city_store(tmp_path):
    """A store with the grid's network and the city agency's 10 works, all drawn 12 m east and
    15 m south of their roads (another basemap): its work on the road at y = 1000 m lies
    exactly on the frontage road beside it."""
    from shapely import LineString

    from tests.geometries import X0, Y0, redigitised

    store = open_store(tmp_path / "peta.gpkg")
    roads = _grid_with_a_frontage_road(tmp_path)
    store.replace_reference("roads", roads)
    stretches = [((600, 1000), (1400, 1000))]  # the one the new upload draws again
    stretches += [((100, y), (900, y)) for y in (0, 2000)]
    stretches += [((1100, y), (1900, y)) for y in (0, 500, 1500, 2000)]
    stretches += [((x, 1100), (x, 1900)) for x in (0, 2000)]
    stretches += [((1000, 100), (1000, 400))]
    drawn = [
        redigitised(
            LineString([(X0 + ax + 12, Y0 + ay - 15), (X0 + bx + 12, Y0 + by - 15)]),
            spacing_m=30.0,
            noise_m=2.0,
            seed=k,
        )
        for k, ((ax, ay), (bx, by)) in enumerate(stretches)
    ]
    _upload(store, tmp_path, "KOTA", "Dinas PUPR Kota", drawn)
    return store, roads


def test_a_stored_work_drawn_on_another_basemap_is_shifted_as_the_whole_store_says(tmp_path):
    """The city's agency drew its 10 works on another basemap: all of them 12 m east and 15 m
    south of their roads, which puts its work on the road at y = 1000 m exactly on the frontage
    road beside it. A run over the whole store finds that shift from its 10 works, so that work
    is on the road at y = 1000 m, the same stretch the new upload's work covers. The upload's
    neighbourhood holds only that one of the 10 (too few for a shift of its own): checked with
    the store's shifts, it finds the pair the whole-store run finds; without them, it misses
    it."""
    from shapely import LineString

    from geo.analyse.locations import located_shifts
    from geo.analyse.run import analyse_new, analyse_store
    from geo.spatial.network import RoadNetwork
    from tests.geometries import X0, Y0, redigitised

    store, roads = _city_store(tmp_path)
    full_before = analyse_store(store)
    arterial = redigitised(
        LineString([(X0 + 600, Y0 + 1000), (X0 + 1400, Y0 + 1000)]),
        spacing_m=25.0,
        noise_m=2.0,
        seed=99,
    )
    _upload(store, tmp_path, "BPJN", "BPJN", [arterial])
    projects = store.load_projects()
    new = projects[projects["agency"] == "BPJN"]
    full = analyse_store(store)
    expected = full.overlaps[
        (full.overlaps["agency_a"] == "BPJN") | (full.overlaps["agency_b"] == "BPJN")
    ]
    assert [{a, b} for _, a, b in pairs(expected)] == [{"BPJN-0", "KOTA-0"}]
    near = store.load_projects_near(new.geometry.values, 80.0)
    assert set(near["project_id"]) == {"KOTA-0", "BPJN-0"}  # 1 of the city's 10 works
    assert expected["method"].tolist() == ["network"]
    shifts = located_shifts(projects, full_before.locations, RoadNetwork(roads))
    assert shifts["source"].str.startswith("Dinas PUPR Kota").tolist() == [True]
    assert shifts[["dx_m", "dy_m"]].to_numpy()[0] == pytest.approx([-12.0, 15.0], abs=1.5)
    assert shifts["applied"].tolist() == [True]
    got = analyse_new(new, store, roads=roads, shifts=shifts)
    assert pairs(got.overlaps) == pairs(expected)
    assert got.overlaps["overlap_m"].to_numpy() == pytest.approx(
        expected["overlap_m"].to_numpy(), abs=1e-6
    )
    assert analyse_new(new, store, roads=roads).overlaps.empty  # the store's shift unknown


def test_an_analysis_updated_since_the_last_one_shifts_a_stored_source_as_a_full_run_does(
    tmp_path,
):
    """The same upload, as the app's analysis takes it in: updated from the analysis before
    it (``since``), only the works near the upload located again, the city's work among them
    shifted as the previous analysis found from all 10: the pair a full run finds."""
    from shapely import LineString

    from geo.analyse.run import analyse
    from tests.geometries import X0, Y0

    store, roads = _city_store(tmp_path)
    before = analyse(store.load_projects(), roads=roads, coverage=False)
    _upload(
        store,
        tmp_path,
        "BPJN",
        "BPJN",
        [LineString([(X0 + 600, Y0 + 1001), (X0 + 1400, Y0 + 999)])],
    )
    projects = store.load_projects()
    full = analyse(projects, roads=roads, coverage=False)
    updated = analyse(projects, roads=roads, coverage=False, since=before)
    assert [{a, b} for _, a, b in pairs(full.overlaps)] == [{"BPJN-0", "KOTA-0"}]
    assert pairs(updated.overlaps) == pairs(full.overlaps)
    assert updated.overlaps["overlap_m"].to_numpy() == pytest.approx(
        full.overlaps["overlap_m"].to_numpy(), abs=1e-6
    )
