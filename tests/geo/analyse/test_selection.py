"""All analyses of a selection at once (geo.analyse.selection), on the demo store."""

from __future__ import annotations

import pytest

from geo.analyse.overlap import find_overlaps
from geo.analyse.selection import ProjectFilter, analyse, analyse_store, filter_projects
from geo.demo.build import build_demo
from geo.errors import GeoInputError
from geo.store import open_store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    return open_store(build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg"))


def test_the_whole_store_gives_the_same_findings_as_the_overlaps_command(demo_store):
    result = analyse_store(demo_store)
    projects = demo_store.load_projects()
    assert len(result.projects) == len(projects)
    assert set(result.findings["finding_id"]) == set(find_overlaps(projects)["finding_id"])
    assert result.mismatches is not None and len(result.mismatches) > 0
    assert len(result.gaps) == len(demo_store.load_reference("admin_units"))
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
        for a, b in zip(chosen.findings["project_a"], chosen.findings["project_b"], strict=True)
    )

    one = analyse_store(demo_store, filters=ProjectFilter(kabupaten=("sungai contoh",)))
    assert list(one.selected_units["unit_name"]) == ["Kab. Sungai Contoh"]
    assert list(one.gaps["unit_name"]) == ["Kab. Sungai Contoh"]
    assert 0 < len(one.projects) < len(everything.projects)


def test_an_unknown_kabupaten_lists_the_units_there_are(demo_store):
    with pytest.raises(
        GeoInputError, match="kabupaten Atlantis: no such unit; choose one of .*Kab. Sungai Contoh"
    ):
        analyse_store(demo_store, filters=ProjectFilter(kabupaten=("Atlantis",)))


def test_part_of_several_names_is_not_guessed(demo_store):
    with pytest.raises(
        GeoInputError,
        match="kabupaten Contoh: part of the names of .*Kota Contoh.*; give a full name or kode",
    ):
        analyse_store(demo_store, filters=ProjectFilter(kabupaten=("Contoh",)))
    exact = analyse_store(demo_store, filters=ProjectFilter(kabupaten=("kota contoh",)))
    assert list(exact.selected_units["unit_name"]) == ["Kota Contoh"]


def test_a_kabupaten_filter_without_units_names_the_fix(demo_store):
    with pytest.raises(GeoInputError, match="python -m geo reference units FILE"):
        filter_projects(demo_store.load_projects(), ProjectFilter(kabupaten=("x",)))


def test_bad_filter_values_are_all_reported_at_once():
    with pytest.raises(GeoInputError) as caught:
        ProjectFilter(year_from=2026, year_to=2024, levels=("raja",), asset_types=("kapal",))
    assert len(caught.value.problems) == 3
    assert "swap them" in caught.value.problems[-1]


def test_without_reference_layers_there_are_no_mismatches_or_gaps(demo_store):
    result = analyse(demo_store.load_projects())
    assert result.mismatches is None and result.gaps is None and result.units is None
    assert len(result.findings) > 0
