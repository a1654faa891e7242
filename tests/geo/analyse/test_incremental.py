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
