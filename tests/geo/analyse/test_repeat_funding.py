"""Pendanaan berulang (issue 18 point 5): the same stretch funded again within the earlier
work's design life is a finding of its own kind, found by the one overlap engine."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely import LineString, Point

from geo.analyse.overlap import find_overlaps
from geo.read.projects import read_projects
from geo.read.reference import read_reference
from geo.read.values import work_class
from geo.settings import Settings
from geo.spatial.network import RoadNetwork
from tests.geometries import X0, Y0, projects_from_rows

STRETCH = LineString([(X0, Y0), (X0 + 3000, Y0)])
DEFAULTS = {
    "name": "paket",
    "level": "pusat",
    "agency": "BPJN",
    "asset_type": "road",
    "year_start": 2020,
    "year_end": 2020,
    "budget_idr": 3e9,
    "funding_source": "APBN",
    "work_type": "Rehabilitasi Jalan",
}


def funded_twice(later_year: int, *, earlier: dict | None = None, **later):
    """The stretch worked on by BPJN in 2020 and by the province in ``later_year``."""
    rows = [
        {"id": "A", **(earlier or {}), "geometry": STRETCH},
        {
            "id": "B",
            "level": "provinsi",
            "agency": "Dinas PUPR Provinsi",
            "funding_source": "APBD Provinsi",
            "budget_idr": 2e9,
            "year_start": later_year,
            "year_end": later_year,
            **later,
            "geometry": STRETCH,
        },
    ]
    return find_overlaps(projects_from_rows(rows, DEFAULTS))


def test_funded_again_at_exactly_the_design_life_is_repeat_funding():
    found = funded_twice(2025)  # rehabilitasi: 5 years
    assert len(found) == 1
    row = found.iloc[0]
    assert row["kind"] == "repeat"
    assert (row["years_a"], row["years_b"]) == ("2020", "2025")
    assert (row["funding_a"], row["funding_b"]) == ("APBN", "APBD Provinsi")
    assert (row["budget_a_idr"], row["budget_b_idr"]) == (3e9, 2e9)
    assert row["design_life_years"] == 5
    assert row["overlap_m"] == pytest.approx(3000, abs=0.01)
    assert row["budget_at_stake_idr"] == pytest.approx(2e9)


def test_one_year_past_the_design_life_is_no_finding():
    assert funded_twice(2026).empty


def test_the_same_year_stays_an_overlap():
    found = funded_twice(2020)
    assert found["kind"].tolist() == ["overlap"]
    assert found["design_life_years"].isna().all()


@pytest.mark.parametrize(
    ("work_type", "life_years"),
    [
        ("Pemeliharaan Berkala Jalan", 3),
        ("Pem. Berkala", 3),
        ("REHAB MAYOR", 5),
        ("Peningkatan Struktur Jalan", 10),
        ("Pelebaran Jalan", 10),
        ("Rekonstruksi", 10),
    ],
)
def test_the_earlier_works_type_sets_the_design_life(work_type, life_years):
    at_life = funded_twice(2020 + life_years, earlier={"work_type": work_type})
    assert at_life["kind"].tolist() == ["repeat"]
    assert at_life["design_life_years"].tolist() == [life_years]
    assert funded_twice(2021 + life_years, earlier={"work_type": work_type}).empty


def test_the_design_life_counts_from_the_last_year_of_a_multi_year_work():
    found = funded_twice(2026, earlier={"year_start": 2019, "year_end": 2021})
    assert found["kind"].tolist() == ["repeat"]
    assert found.iloc[0]["years_a"] == "2019-2021"


@pytest.mark.parametrize("work_type", ["Pemeliharaan Rutin", "Preservasi Jalan", None])
def test_work_without_a_design_life_is_no_repeat_funding(work_type):
    # Routine maintenance the year after a rehabilitation is what keeps it in shape.
    assert funded_twice(2021, work_type=work_type).empty
    assert funded_twice(2021, earlier={"work_type": work_type}).empty


def test_design_lives_are_settings():
    rows = [
        {"id": "A", "geometry": STRETCH},
        {"id": "B", "agency": "Dinas", "year_start": 2023, "year_end": 2023, "geometry": STRETCH},
    ]
    projects = projects_from_rows(rows, DEFAULTS)
    assert find_overlaps(projects)["kind"].tolist() == ["repeat"]
    shorter = Settings(design_life_rehabilitasi_years=2)
    assert find_overlaps(projects, settings=shorter).empty


def test_bridges_rebuilt_within_their_design_life_too():
    bridge = Point(X0, Y0)
    rows = [
        {"id": "J1", "asset_type": "bridge", "geometry": bridge},
        {
            "id": "J2",
            "asset_type": "bridge",
            "agency": "Dinas",
            "year_start": 2024,
            "year_end": 2024,
            "work_type": "Rekonstruksi Jembatan",
            "geometry": bridge,
        },
    ]
    found = find_overlaps(projects_from_rows(rows, DEFAULTS))
    assert found[["kind", "design_life_years"]].values.tolist() == [["repeat", 5]]


def test_work_types_as_agencies_spell_them():
    assert work_class("Rehabilitasi dan Peningkatan") == "rehabilitasi"
    assert work_class("pemeliharan periodik") == "pemeliharaan_berkala"
    assert work_class("Pemeliharaan") is None  # routine or periodic: not said


def test_repeat_funding_is_decided_on_the_road_network_too(samples):
    roads = read_reference(samples / "jaringan_jalan_jambi.gpkg", "roads").layer
    balai = read_projects(samples / "bpjn_jambi_2025.zip", level="pusat").projects
    segment = balai[balai["project_id"] == "PJN1-2025-001"].assign(work_type="Rekonstruksi")
    again = segment.assign(
        project_id="K-1",
        level="kabupaten",
        agency="Dinas PUPR Kab. Muaro Jambi",
        year_start=2035,
        year_end=2035,
        work_type="Rehabilitasi",
    )
    pair = gpd.GeoDataFrame(pd.concat([segment, again], ignore_index=True), crs=4326)
    found = find_overlaps(pair, network=RoadNetwork(roads))
    assert found[["kind", "method", "design_life_years"]].values.tolist() == [
        ["repeat", "network", 10]
    ]
    later = pair.assign(year_start=[2025, 2036], year_end=[2025, 2036])
    assert find_overlaps(later, network=RoadNetwork(roads)).empty
