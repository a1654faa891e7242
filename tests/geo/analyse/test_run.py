"""geo.analyse.run (the one run of every analysis, its filter, stable ids, incremental
updates) and the store's review decisions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString, Point, box

from geo.analyse.overlap import find_overlaps
from geo.analyse.run import (
    ProjectFilter,
    analyse,
    analyse_store,
    mismatches_involving,
    overlaps_involving,
    projects_in_units,
)
from geo.demo.build import build_demo
from geo.errors import GeoInputError
from geo.finding_ids import FindingRef
from geo.read.projects import read_projects
from geo.settings import Settings
from geo.store import open_store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    return open_store(build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg"))


@pytest.fixture(scope="module")
def demo_analysis(demo_store):
    return analyse(
        demo_store.load_projects(),
        roads=demo_store.load_reference("roads"),
        irrigation_areas=demo_store.load_reference("irrigation_areas"),
        units=demo_store.load_reference("admin_units"),
    )


def test_analyse_runs_every_analysis_on_the_demo(demo_analysis, demo_store):
    assert len(demo_analysis.overlaps) > 0
    assert demo_analysis.overlaps["finding_id"].str.startswith("TT-").all()
    assert len(demo_analysis.mismatches) > 0
    assert list(demo_analysis.mismatches.columns[:2]) == ["finding_id", "project_id"]
    assert demo_analysis.mismatches["finding_id"].str.match(r"^KW-[0-9a-f]{10}$").all()
    assert demo_analysis.mismatches["finding_id"].is_unique
    units = demo_store.load_reference("admin_units")
    assert list(demo_analysis.coverage["unit_id"]) == list(units["unit_id"])


def test_finding_ids_are_stable_across_runs_and_row_order(demo_store, demo_analysis):
    projects = demo_store.load_projects()
    again = analyse(
        projects.iloc[::-1],
        roads=demo_store.load_reference("roads"),
        irrigation_areas=demo_store.load_reference("irrigation_areas"),
    )
    assert sorted(again.overlaps["finding_id"]) == sorted(demo_analysis.overlaps["finding_id"])
    assert sorted(again.mismatches["finding_id"]) == sorted(demo_analysis.mismatches["finding_id"])
    assert again.coverage is None, "no units given: no coverage table"


def test_analyse_an_empty_store_without_reference_layers(tmp_path):
    result = analyse(open_store(tmp_path / "empty.gpkg").load_projects())
    assert result.overlaps.empty and result.mismatches.empty and result.coverage is None
    assert "finding_id" in result.mismatches.columns


def test_findings_involving_selects_by_agency_and_id(demo_analysis):
    overlaps = demo_analysis.overlaps
    first = overlaps.iloc[0]
    new = gpd.GeoDataFrame(
        {"agency": [first["agency_b"]], "project_id": [first["project_b"]]},
        geometry=[None],
        crs=4326,
    )
    chosen = overlaps_involving(overlaps, of=new)
    assert first["finding_id"] in set(chosen["finding_id"])
    assert (
        (chosen["project_a"] == first["project_b"]) | (chosen["project_b"] == first["project_b"])
    ).all()
    mismatch = demo_analysis.mismatches.iloc[[0]]
    assert list(mismatches_involving(demo_analysis.mismatches, of=mismatch)["finding_id"]) == list(
        mismatch["finding_id"]
    )


@pytest.fixture
def square_units():
    return gpd.GeoDataFrame(
        {"unit_id": ["A", "B"], "unit_name": ["Kab. A", "Kab. B"]},
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs=4326,
    )


def test_a_road_across_a_boundary_belongs_to_both_units(square_units):
    projects = gpd.GeoDataFrame(
        geometry=[LineString([(0.5, 0.5), (1.5, 0.5)]), Point(0.2, 0.2), Point(5, 5)], crs=4326
    )
    assert projects_in_units(projects, square_units, ["A"]).tolist() == [True, True, False]
    assert projects_in_units(projects, square_units, ["B"]).tolist() == [True, False, False]
    assert projects_in_units(projects, square_units, ["nowhere"]).tolist() == [False] * 3


@pytest.mark.parametrize(
    ("project_filter", "kept"),
    [
        (ProjectFilter(), [True, True, True]),
        (ProjectFilter(year_from=2026, year_to=2030), [False, True, True]),
        (ProjectFilter(year_from=2024, year_to=2024), [True, False, False]),
        (ProjectFilter(year_from=2026), [False, True, True]),
        (ProjectFilter(year_to=2024), [True, False, False]),
        (ProjectFilter(levels=("pusat",)), [True, False, False]),
        (ProjectFilter(asset_types=("bridge", "irrigation")), [False, True, True]),
        (ProjectFilter(funding_sources=("DAK",)), [False, False, True]),
        (ProjectFilter(units=("B",)), [False, False, True]),
        (ProjectFilter(units=("kab. b",)), [False, False, True]),
        (ProjectFilter(levels=("Kab/Kota",), units=("A",)), [False, True, False]),
    ],
)
def test_project_filter(project_filter, kept, square_units):
    projects = gpd.GeoDataFrame(
        {
            "level": ["pusat", "kabupaten", "kabupaten"],
            "asset_type": ["road", "bridge", "irrigation"],
            "funding_source": ["APBN", "APBD Kabupaten", "DAK"],
            "year_start": [2024, 2025, 2026],
            "year_end": [2025, 2026, None],
        },
        geometry=[Point(0.5, 0.5), Point(0.6, 0.5), box(1.2, 0.2, 1.4, 0.4)],
        crs=4326,
    )
    assert project_filter.mask(projects, square_units).tolist() == kept


def _store_with_bpjn(path: Path, samples: Path):
    """A store holding the BPJN sample (3 projects), and the (agency, id) of each."""
    store = open_store(path)
    store.import_result(read_projects(samples / "bpjn_jambi_2025.zip", level="pusat"))
    return store, store.load_projects()[["agency", "project_id"]].values.tolist()


def test_reviews_keep_history_and_load_the_latest(tmp_path, samples):
    store, projects = _store_with_bpjn(tmp_path / "store.gpkg", samples)
    assert store.load_reviews().empty
    overlap = FindingRef.overlap("road", projects[0], projects[1])
    mismatch = FindingRef.mismatch(projects[2], "UU 2/2022")
    t0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
    store.save_review(overlap, "confirm", note="rapat 1", who="Bappeda", now=t0)
    store.save_review(overlap, "dismiss", note="beda ruas", who="BPJN", now=t0 + dt.timedelta(1))
    store.save_review(mismatch, "note", note="<b>cek</b>", who="")
    reviews = store.load_reviews().set_index("finding_id")
    tt, kw = overlap.finding_id, mismatch.finding_id
    assert list(reviews.index) == [kw, tt]
    assert reviews.loc[tt, "decision"] == "dismiss"
    assert reviews.loc[tt, "note"] == "beda ruas"
    assert reviews.loc[tt, "decided_at"] == "2025-03-02T09:00:00+00:00"
    assert reviews.loc[kw, "note"] == "<b>cek</b>"
    assert open_store(store.path).table_counts()["reviews"] == 3, "listed for QGIS too"
    # The reviews table survives reopening and leaves the projects untouched.
    assert len(open_store(store.path).load_reviews()) == 2
    assert len(open_store(store.path).load_projects()) == 3


@pytest.mark.parametrize(
    ("finding", "decision", "message"),
    [
        ("overlap", "maybe", "decision must be one of confirm, dismiss, note"),
        ("blank", "note", "empty"),
        ("forged", "confirm", "not a finding of the projects named with it"),
        ("gone", "confirm", "holds no project Satker"),
    ],
)
def test_a_bad_review_is_refused(tmp_path, samples, finding, decision, message):
    store, projects = _store_with_bpjn(tmp_path / "store.gpkg", samples)
    overlap = FindingRef.overlap("road", projects[0], projects[1])
    ref = {
        "overlap": overlap,
        "blank": FindingRef(" ", overlap.projects, "road"),
        "forged": FindingRef(overlap.finding_id, overlap.projects, "bridge"),
        "gone": FindingRef.overlap("road", projects[0], (projects[1][0], "HAPUS-1")),
    }[finding]
    with pytest.raises(GeoInputError, match=message):
        store.save_review(ref, decision)
    assert store.load_reviews().empty


def _comparable(analysis):
    overlaps = analysis.overlaps.sort_values("finding_id").reset_index(drop=True)
    mismatches = analysis.mismatches.sort_values(["finding_id", "rule"]).reset_index(drop=True)
    return overlaps, mismatches


def test_an_updated_analysis_equals_a_whole_run(demo_store, demo_analysis):
    roads = demo_store.load_reference("roads")
    irrigation = demo_store.load_reference("irrigation_areas")
    projects = demo_store.load_projects()
    uploads = sorted(projects["upload_id"].unique())
    assert len(uploads) >= 3
    with_roads = sorted(projects.loc[projects["asset_type"] == "road", "upload_id"].unique())
    gone, replaced, added = with_roads[0], with_roads[1], with_roads[-1]
    # Before: without the upload about to be added; after: one upload deleted, one replaced
    # (same projects, a new upload id, one road moved onto another stored road), one added.
    before = projects[projects["upload_id"] != added]
    after = projects[projects["upload_id"] != gone].copy()
    is_replaced = after["upload_id"] == replaced
    after.loc[is_replaced, "upload_id"] = after["upload_id"].max() + 1
    road = after.index[is_replaced & (after["asset_type"] == "road")][0]
    other_road = after.index[(~is_replaced) & (after["asset_type"] == "road")][0]
    after.loc[road, "geometry"] = after.loc[other_road, "geometry"]

    whole_before = analyse(before, roads=roads, irrigation_areas=irrigation)
    updated = analyse(after, roads=roads, irrigation_areas=irrigation, since=whole_before)
    whole_after = analyse(after, roads=roads, irrigation_areas=irrigation)

    got_overlaps, got_mismatches = _comparable(updated)
    want_overlaps, want_mismatches = _comparable(whole_after)
    assert len(want_overlaps) > 0 and not want_overlaps.equals(_comparable(whole_before)[0])
    pd.testing.assert_frame_equal(
        got_overlaps.drop(columns="geometry"), want_overlaps.drop(columns="geometry")
    )
    assert got_overlaps.geometry.geom_equals_exact(want_overlaps.geometry, 1e-9).all()
    pd.testing.assert_frame_equal(got_mismatches, want_mismatches, check_dtype=False)
    assert updated.coverage is None


def test_an_update_needs_the_same_filter(demo_store):
    projects = demo_store.load_projects()
    earlier = analyse(projects, filters=ProjectFilter(levels=("pusat",)))
    with pytest.raises(ValueError, match="since: made with"):
        analyse(projects, since=earlier)


def test_the_analysis_takes_its_settings_and_never_reads_the_environment(demo_store, monkeypatch):
    projects = demo_store.load_projects()
    roads = projects["asset_type"] == "road"
    default = analyse(projects)
    monkeypatch.setenv("PETA_MIN_OVERLAP_M", "1000000")  # would leave no road overlap
    assert (
        default.overlaps["finding_id"].tolist() == analyse(projects).overlaps["finding_id"].tolist()
    )
    strict = analyse(projects, settings=Settings(min_overlap_m=1_000_000))
    assert roads.any() and (default.overlaps["asset_type"] == "road").any()
    assert not (strict.overlaps["asset_type"] == "road").any()


# --- a selection of the store (the exports' run) ------------------------------------------------


def test_the_whole_store_gives_the_same_findings_as_the_overlaps_command(demo_store):
    result = analyse_store(demo_store)
    projects = demo_store.load_projects()
    assert len(result.projects) == len(projects)
    assert set(result.overlaps["finding_id"]) == set(find_overlaps(projects)["finding_id"])
    assert result.authority_checked and len(result.mismatches) > 0
    assert len(result.coverage) == len(demo_store.load_reference("admin_units"))
    assert len(result.reports) == len(result.uploads) > 0
    assert result.data_date is not None and len(result.data_date) == 10


def test_filters_select_by_years_level_asset_and_kabupaten(demo_store):
    everything = analyse_store(demo_store)
    chosen = analyse_store(
        demo_store,
        filters=ProjectFilter(
            year_from=2025, year_to=2025, levels=("Kab/Kota", "pusat"), asset_types=("jalan",)
        ),
    )
    projects = chosen.projects
    assert 0 < len(projects) < len(everything.projects)
    assert set(projects["level"]) <= {"kabupaten", "pusat"}
    assert set(projects["asset_type"]) == {"road"}
    assert ((projects["year_start"] <= 2025) & (projects["year_end"] >= 2025)).all()
    ids = set(projects["project_id"])
    assert all(
        {a, b} <= ids
        for a, b in zip(chosen.overlaps["project_a"], chosen.overlaps["project_b"], strict=True)
    )

    one = analyse_store(demo_store, filters=ProjectFilter(units=("sungai contoh",)))
    assert list(one.selected_units["unit_name"]) == ["Kab. Sungai Contoh"]
    assert list(one.coverage["unit_name"]) == ["Kab. Sungai Contoh"]
    assert 0 < len(one.projects) < len(everything.projects)


def test_an_unknown_kabupaten_lists_the_units_there_are(demo_store):
    with pytest.raises(
        GeoInputError, match="kabupaten Atlantis: no such unit; choose one of .*Kab. Sungai Contoh"
    ):
        analyse_store(demo_store, filters=ProjectFilter(units=("Atlantis",)))


def test_part_of_several_names_is_not_guessed(demo_store):
    with pytest.raises(
        GeoInputError,
        match="kabupaten Contoh: part of the names of .*Kota Contoh.*; give a full name or kode",
    ):
        analyse_store(demo_store, filters=ProjectFilter(units=("Contoh",)))
    exact = analyse_store(demo_store, filters=ProjectFilter(units=("kota contoh",)))
    assert list(exact.selected_units["unit_name"]) == ["Kota Contoh"]


def test_a_kabupaten_filter_without_units_names_the_fix(demo_store):
    with pytest.raises(GeoInputError, match="python -m geo reference units FILE"):
        ProjectFilter(units=("x",)).mask(demo_store.load_projects())


def test_bad_filter_values_are_all_reported_at_once():
    with pytest.raises(GeoInputError) as caught:
        ProjectFilter(year_from=2026, year_to=2024, levels=("raja",), asset_types=("kapal",))
    assert len(caught.value.problems) == 3
    assert "swap them" in caught.value.problems[-1]


def test_without_reference_layers_there_are_no_mismatches_or_gaps(demo_store):
    result = analyse(demo_store.load_projects())
    assert not result.authority_checked and result.mismatches.empty
    assert result.coverage is None and result.units is None
    assert len(result.overlaps) > 0


# --- road overlaps on the store's road network --------------------------------------------------


def test_with_a_road_network_road_overlaps_are_measured_on_it(demo_store, demo_analysis):
    """The demo's road works lie on its network: their overlaps are found by the chainage they
    share on a ruas, the same pairs geometry alone finds, each with its ruas and STA range."""
    projects = demo_store.load_projects()
    geometric = find_overlaps(projects)
    found = demo_analysis.overlaps
    assert set(found["finding_id"]) == set(geometric["finding_id"])
    on_network = found[found["method"] == "network"]
    assert len(on_network) == 4
    assert (on_network["asset_type"] == "road").all()
    assert on_network["ruas_id"].ne("").all()
    assert (on_network["sta_to_m"] - on_network["sta_from_m"]).round(0).tolist() == (
        on_network["overlap_m"].round(0).tolist()
    )
    by_geometry = found[found["method"] == "geometry"]
    assert by_geometry["sta_from_m"].isna().all()
    assert set(by_geometry["asset_type"]) == {"bridge", "bridge/road", "irrigation"}  # no road


def test_without_a_road_network_findings_have_no_network_columns(demo_store):
    result = analyse(demo_store.load_projects(), coverage=False)
    assert "method" not in result.overlaps.columns
    assert "ruas_id" not in result.overlaps.columns


def test_a_road_layer_without_lines_is_no_network():
    from geo.analyse.run import road_network

    points = gpd.GeoDataFrame({"status": ["nasional"]}, geometry=[Point(110, -7)], crs=4326)
    assert road_network(points) is None
    assert road_network(None) is None
    lines = gpd.GeoDataFrame(
        {"status": ["nasional"]}, geometry=[LineString([(110, -7), (110.01, -7)])], crs=4326
    )
    assert road_network(lines) is not None


def test_every_demo_road_work_is_located_on_the_network_once(demo_store, demo_analysis):
    located = demo_analysis.locations
    projects = demo_store.load_projects()
    roads = projects[(projects["asset_type"] == "road") & (projects.geom_type == "LineString")]
    assert set(located["project_id"]) == set(roads["project_id"])
    assert located["matched_share"].eq(1.0).all()
    assert located["offset_max_m"].max() < 10  # drawn within a few metres of their ruas
    first = located[located["project_id"] == "PJN-C-2025-001"]
    assert first[["ruas_id", "from_m", "to_m"]].round(0).values.tolist() == [
        ["N-008", 2343.0, 7343.0]
    ]


def test_an_incremental_analysis_locates_only_the_new_road_works_and_equals_a_full_one(
    demo_store,
):
    projects = demo_store.load_projects()
    roads = demo_store.load_reference("roads")
    before = analyse(projects.iloc[:60], roads=roads, coverage=False)
    after = analyse(projects, roads=roads, coverage=False, since=before)
    full = analyse(projects, roads=roads, coverage=False)
    order = ["agency", "project_id", "from_m"]
    pd.testing.assert_frame_equal(
        after.locations.sort_values(order).reset_index(drop=True),
        full.locations.sort_values(order).reset_index(drop=True),
    )
    assert sorted(after.overlaps["finding_id"]) == sorted(full.overlaps["finding_id"])
