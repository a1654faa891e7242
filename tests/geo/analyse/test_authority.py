"""Authority checks (kewenangan): exact verdicts on references built in UTM 48S (metres).

Reference layers are passed in EPSG:32748, projects in EPSG:4326 (built in metres, then
reprojected), as they reach :func:`geo.analyse.authority.find_mismatches` from files.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from geo.analyse.authority import MISMATCH_COLUMNS, find_mismatches
from geo.demo.region import make_demo_region
from geo.errors import CRSError, GeoInputError
from geo.rules import expected_level_of_di
from geo.settings import Settings
from tests.geometries import UTM, X0, Y0, projects_from_rows, redigitised, square

PROJECT_DEFAULTS = {
    "name": "paket",
    "level": "kabupaten",
    "agency": "Dinas PUPR Kab. Contoh",
    "asset_type": "road",
    "year_start": 2025,
    "year_end": 2025,
    "budget_idr": 1e9,
    "funding_source": "APBD Kabupaten",
}


def project_table(rows: list[dict]) -> gpd.GeoDataFrame:
    """Projects from dicts with at least id and geometry (metres), in EPSG:4326."""
    return projects_from_rows(rows, PROJECT_DEFAULTS)


def road_table(rows: list[dict]) -> gpd.GeoDataFrame:
    """A road network from dicts with id, status and geometry, kept in UTM 48S."""
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "geometry"} for r in rows])
    frame = frame.rename(columns={"id": "road_id"})
    if "name" not in frame.columns:
        frame["name"] = "Ruas " + frame["road_id"]
    return gpd.GeoDataFrame(frame, geometry=[r["geometry"] for r in rows], crs=UTM)


def di_table(rows: list[dict]) -> gpd.GeoDataFrame:
    """Daerah Irigasi from dicts with id, geometry and attributes, kept in UTM 48S."""
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "geometry"} for r in rows])
    frame = frame.rename(columns={"id": "di_id"})
    return gpd.GeoDataFrame(frame, geometry=[r["geometry"] for r in rows], crs=UTM)


def winding(x_from: float, x_to: float, y: float = Y0, spacing_m: float = 10.0) -> LineString:
    """A gently winding road from ``x_from`` to ``x_to`` (metres)."""
    x = np.arange(x_from, x_to + spacing_m / 2, spacing_m)
    return LineString(np.c_[x, y + 60.0 * np.sin((x - X0) / 300.0)])


def redigitise(
    line: LineString, spacing_m: float = 7.0, noise_m: float = 3.0, seed: int = 1
) -> LineString:
    """The same line as an agency digitises it: other vertices, GPS-like noise, reversed."""
    return redigitised(line, spacing_m=spacing_m, noise_m=noise_m, seed=seed, reverse=True)


NATIONAL = winding(X0, X0 + 4000)
ONE_NATIONAL_ROAD = [{"id": "N-01", "status": "nasional", "geometry": NATIONAL}]


def only(found: pd.DataFrame) -> pd.Series:
    assert len(found) == 1, found[["project_id", "verdict", "reference_id", "share"]]
    return found.iloc[0]


# --- roads -------------------------------------------------------------------------------------


def test_kabupaten_project_on_a_national_road_is_a_mismatch():
    stretch = shapely.ops.substring(NATIONAL, 1000, 2500)
    projects = project_table([{"id": "K-1", "geometry": redigitise(stretch)}])
    found = find_mismatches(projects, roads=road_table(ONE_NATIONAL_ROAD))
    row = only(found)
    assert (row.project_id, row.verdict, row.level, row.expected_level) == (
        "K-1",
        "mismatch",
        "kabupaten",
        "pusat",
    )
    assert (row.reference_kind, row.reference_status, row.reference_id) == (
        "road",
        "nasional",
        "N-01",
    )
    assert row.reference_name == "Ruas N-01"
    assert row.share == pytest.approx(1.0, abs=0.01)
    assert row.along_m == pytest.approx(1500.0, rel=0.02)  # noisy line: a little longer
    assert row.rule == "UU 2/2022 jo. PP 34/2006: jalan nasional kewenangan Pemerintah Pusat"
    assert row.exception_basis == ""
    assert "kewenangan Pemerintah Pusat" in row.note and "N-01" in row.note
    assert list(found.columns) == list(MISMATCH_COLUMNS)
    assert (row.funding_source, row.year_start, row.year_end) == ("APBD Kabupaten", 2025, 2025)


def test_province_project_on_a_district_road_is_a_mismatch():
    roads = road_table([{"id": "K-07", "status": "kabupaten", "geometry": NATIONAL}])
    projects = project_table(
        [
            {
                "id": "P-1",
                "level": "provinsi",
                "agency": "Dinas PUPR Provinsi",
                "geometry": shapely.ops.substring(NATIONAL, 0, 3000),
            }
        ]
    )
    row = only(find_mismatches(projects, roads=roads))
    assert (row.verdict, row.expected_level, row.reference_status) == (
        "mismatch",
        "kabupaten",
        "kabupaten",
    )
    assert row.share == pytest.approx(1.0, abs=1e-3)
    assert row.along_m == pytest.approx(3000.0, abs=2.0)
    assert "jalan kabupaten/kota kewenangan Pemerintah Kabupaten/Kota" in row.rule


@pytest.mark.parametrize(
    "funding", ["IJD", "APBN (IJD)", "Inpres Jalan Daerah", "INPRES 3/2023", "apbn - ijd"]
)
def test_pusat_project_funded_by_ijd_on_a_kabupaten_road_is_an_exception(funding):
    roads = road_table([{"id": "K-07", "status": "kabupaten", "geometry": NATIONAL}])
    projects = project_table(
        [
            {
                "id": "PJN-1",
                "level": "pusat",
                "agency": "BPJN",
                "funding_source": funding,
                "geometry": shapely.ops.substring(NATIONAL, 500, 3500),
            }
        ]
    )
    row = only(find_mismatches(projects, roads=roads))
    assert (row.verdict, row.expected_level) == ("exception", "kabupaten")
    assert row.exception_basis.startswith("Inpres 3/2023")
    assert "pengecualian sah" in row.note


@pytest.mark.parametrize(
    ("funding", "verdict"),
    [
        ("Tugas Pembantuan", "exception"),
        ("tugas pembantuan", "exception"),
        ("TP", "exception"),
        ("APBN - dana TP", "exception"),
        ("APBD Kabupaten", "mismatch"),
        ("DAK", "mismatch"),
        ("STP", "mismatch"),  # a word that merely contains "tp"
        (None, "mismatch"),
    ],
)
def test_tugas_pembantuan_on_a_national_road_is_an_exception(funding, verdict):
    projects = project_table(
        [{"id": "K-1", "funding_source": funding, "geometry": NATIONAL}],
    )
    row = only(find_mismatches(projects, roads=road_table(ONE_NATIONAL_ROAD)))
    assert row.verdict == verdict
    assert (row.exception_basis != "") == (verdict == "exception")


def test_the_status_in_force_in_the_projects_year_decides():
    # The ruas was a kabupaten road until 2023 and became national from 2024 (SK in force).
    roads = road_table(
        [
            {"id": "R-1", "status": "kabupaten", "valid_to": 2023, "geometry": NATIONAL},
            {"id": "R-1", "status": "nasional", "valid_from": 2024, "geometry": NATIONAL},
        ]
    )
    projects = project_table(
        [
            {"id": "K-2022", "year_start": 2022, "geometry": NATIONAL},
            {"id": "K-2025", "year_start": 2025, "geometry": NATIONAL},
            {"id": "PJN-2022", "level": "pusat", "year_start": 2022, "geometry": NATIONAL},
            {"id": "K-no-year", "year_start": None, "geometry": NATIONAL},
        ]
    )
    found = find_mismatches(projects, roads=roads).set_index("project_id")
    assert sorted(found.index) == ["K-2025", "K-no-year", "PJN-2022"]
    assert found.loc["K-2025", "expected_level"] == "pusat"
    assert found.loc["PJN-2022", "expected_level"] == "kabupaten"  # judged by the old status
    assert found.loc["K-no-year", "reference_status"] == "nasional"  # the status in force now


@pytest.mark.parametrize("angle_deg", [90, 60, 30])
@pytest.mark.parametrize("length_m", [2000.0, 60.0])
def test_a_project_that_only_crosses_a_national_road_is_not_on_it(angle_deg, length_m):
    centre = NATIONAL.interpolate(2000.0)
    d = (
        0.5
        * length_m
        * np.array([math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))])
    )
    # The road heads about east at its middle; rotate the crossing from there.
    crossing = LineString([(centre.x - d[0], centre.y - d[1]), (centre.x + d[0], centre.y + d[1])])
    heading = _heading_at(NATIONAL, 2000.0)
    crossing = shapely.affinity.rotate(crossing, heading, origin=centre, use_radians=True)
    projects = project_table([{"id": "K-1", "geometry": crossing}])
    found = find_mismatches(projects, roads=road_table(ONE_NATIONAL_ROAD))
    assert found.empty
    assert found.attrs["unchecked"] == ["K-1"]


def _heading_at(line: LineString, at_m: float) -> float:
    a, b = line.interpolate(at_m - 5.0), line.interpolate(at_m + 5.0)
    return math.atan2(b.y - a.y, b.x - a.x)


def test_a_parallel_road_80_m_away_is_not_the_projects_road():
    beside = shapely.offset_curve(NATIONAL, 80.0)
    projects = project_table([{"id": "K-1", "geometry": beside}])
    assert find_mismatches(projects, roads=road_table(ONE_NATIONAL_ROAD)).empty


def _split_network(national_m: float) -> gpd.GeoDataFrame:
    """A straight 2 km road: national for its first ``national_m``, kabupaten after."""
    return road_table(
        [
            {
                "id": "N-01",
                "status": "nasional",
                "geometry": LineString([(X0 - 500, Y0), (X0 + national_m, Y0)]),
            },
            {
                "id": "K-01",
                "status": "kabupaten",
                "geometry": LineString([(X0 + national_m, Y0), (X0 + 2500, Y0)]),
            },
        ]
    )


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        # Half on its own road: not a mismatch (it does lie on its own road as much as on any).
        ("kabupaten", None),
        ("pusat", None),
        # Half on each of two other statuses: judged by the higher level of government.
        ("provinsi", "pusat"),
    ],
)
def test_a_project_split_50_50_is_judged_in_its_favour(level, expected):
    projects = project_table(
        [{"id": "X", "level": level, "geometry": LineString([(X0, Y0 + 5), (X0 + 2000, Y0 + 5)])}]
    )
    found = find_mismatches(projects, roads=_split_network(1000.0))
    if expected is None:
        assert found.empty
        assert found.attrs["checked"] == 1
    else:
        row = only(found)
        assert (row.expected_level, row.reference_id) == (expected, "N-01")
        # The 20 m a buffer overhangs the end of the national road is not counted.
        assert row.share == pytest.approx(0.5, abs=1e-6)
        assert row.along_m == pytest.approx(1000.0, abs=1e-3)


def test_a_project_mostly_on_another_status_is_a_mismatch_below_half_is_not():
    straight = LineString([(X0, Y0), (X0 + 2000, Y0)])
    projects = project_table([{"id": "K-1", "geometry": straight}])
    row = only(find_mismatches(projects, roads=_split_network(1200.0)))
    assert (row.reference_id, row.share) == ("N-01", pytest.approx(0.6, abs=1e-6))
    # 40% national, 40% provincial, 20% on no road: no status carries half of it.
    roads = road_table(
        [
            {"id": "N", "status": "nasional", "geometry": LineString([(X0, Y0), (X0 + 800, Y0)])},
            {
                "id": "P",
                "status": "provinsi",
                "geometry": LineString([(X0 + 800, Y0), (X0 + 1600, Y0)]),
            },
        ]
    )
    found = find_mismatches(projects, roads=roads)
    assert found.empty and found.attrs["checked"] == 1


def test_duplicated_rows_and_consecutive_ruas_are_not_counted_twice():
    half_a = shapely.ops.substring(NATIONAL, 0, 2000)
    half_b = shapely.ops.substring(NATIONAL, 2000, 4000)
    roads = road_table(
        [
            {"id": "N-01", "status": "nasional", "geometry": NATIONAL},
            {"id": "N-01", "status": "nasional", "geometry": NATIONAL},  # the same row twice
            {"id": "N-01a", "status": "nasional", "geometry": half_a},
            {"id": "N-01b", "status": "Jalan Nasional", "geometry": half_b},
        ]
    )
    projects = project_table([{"id": "K-1", "geometry": NATIONAL}])
    row = only(find_mismatches(projects, roads=roads))
    assert row.share == pytest.approx(1.0, abs=1e-3)
    assert row.along_m == pytest.approx(NATIONAL.length, rel=1e-3)
    assert row.reference_id == "N-01"  # the ruas carrying most of the project


def test_multipart_project_and_kota_level():
    parts = MultiLineString(
        [shapely.ops.substring(NATIONAL, 3000, 4000), shapely.ops.substring(NATIONAL, 0, 1000)]
    )
    projects = project_table([{"id": "KOTA-1", "level": "Kota", "geometry": parts}])
    row = only(find_mismatches(projects, roads=road_table(ONE_NATIONAL_ROAD)))
    assert (row.level, row.expected_level) == ("kabupaten", "pusat")
    assert row.share == pytest.approx(1.0, abs=1e-3)
    kota_road = road_table([{"id": "K-71", "status": "kota", "geometry": NATIONAL}])
    assert find_mismatches(projects, roads=kota_road).empty


def test_desa_roads_belong_to_desa():
    roads = road_table([{"id": "D-1", "status": "desa", "geometry": NATIONAL}])
    projects = project_table(
        [
            {"id": "DESA-1", "level": "desa", "geometry": NATIONAL},
            {"id": "K-1", "geometry": NATIONAL},
        ]
    )
    row = only(find_mismatches(projects, roads=roads))
    assert (row.project_id, row.expected_level) == ("K-1", "desa")


def test_a_bridge_takes_the_status_of_the_road_it_stands_on():
    on_road = NATIONAL.interpolate(1500.0)
    projects = project_table(
        [
            {
                "id": "JBT-1",
                "level": "provinsi",
                "asset_type": "bridge",
                "geometry": Point(on_road.x, on_road.y + 5.0),
            },
            {
                "id": "JBT-far",
                "level": "provinsi",
                "asset_type": "bridge",
                "geometry": Point(on_road.x, on_road.y + 150.0),
            },
        ]
    )
    found = find_mismatches(projects, roads=road_table(ONE_NATIONAL_ROAD))
    row = only(found)
    assert (row.project_id, row.asset_type, row.expected_level) == ("JBT-1", "bridge", "pusat")
    assert row.share == 1.0
    assert row.distance_m == pytest.approx(NATIONAL.distance(Point(on_road.x, on_road.y + 5.0)))
    assert found.attrs["unchecked"] == ["JBT-far"]


def test_a_project_in_another_utm_zone_than_the_road_is_measured_in_its_own():
    # Lon 102 E (the 47S/48S boundary) is at about x = 166 km in zone 48S at this latitude.
    road = LineString([(164_000.0, Y0), (169_000.0, Y0)])
    roads = road_table([{"id": "N-47", "status": "nasional", "geometry": road}])
    projects = project_table(
        [{"id": "K-1", "geometry": LineString([(164_500.0, Y0 + 4), (165_500.0, Y0 + 4)])}]
    )
    row = only(find_mismatches(projects, roads=roads))
    assert row.share == pytest.approx(1.0, abs=1e-3)
    assert row.along_m == pytest.approx(1000.0, rel=0.005)  # measured in 47S, not 48S


# --- irrigation --------------------------------------------------------------------------------


def _in_di(level: str, area_ha: float, funding: str = "APBD", **flags: bool) -> pd.DataFrame:
    """A 40 ha project of ``level`` inside one D.I. of ``area_ha`` with ``flags``."""
    area = square(X0, Y0, max(area_ha, 100.0))
    areas = di_table(
        [{"id": "DI-1", "name": "D.I. Contoh", "area_ha": area_ha, **flags, "geometry": area}]
    )
    block = square(X0 + 50, Y0 - 50, 40.0)
    projects = project_table(
        [
            {
                "id": "IR-1",
                "level": level,
                "asset_type": "irrigation",
                "funding_source": funding,
                "geometry": block,
            }
        ]
    )
    return find_mismatches(projects, irrigation_areas=areas)


@pytest.mark.parametrize(
    ("area_ha", "expected"), [(5000.0, "pusat"), (2000.0, "provinsi"), (600.0, "kabupaten")]
)
@pytest.mark.parametrize("level", ["pusat", "provinsi", "kabupaten"])
def test_daerah_irigasi_by_area_decides_the_level(area_ha, expected, level):
    found = _in_di(level, area_ha)
    if level == expected:
        assert found.empty and found.attrs["checked"] == 1
        return
    row = only(found)
    assert (row.verdict, row.expected_level, row.reference_id) == ("mismatch", expected, "DI-1")
    assert (row.reference_kind, row.reference_name) == ("irrigation_area", "D.I. Contoh")
    assert row.share == pytest.approx(1.0)
    assert row.inside_ha == pytest.approx(40.0)
    assert row.rule.startswith("Permen PUPR 14/2015: D.I. ")


def test_the_rules_cite_the_class_of_the_daerah_irigasi():
    assert _in_di("kabupaten", 5000.0).iloc[0].rule == (
        "Permen PUPR 14/2015: D.I. > 3.000 ha kewenangan Pemerintah Pusat"
    )
    assert _in_di("pusat", 2000.0).iloc[0].rule == (
        "Permen PUPR 14/2015: D.I. 1.000-3.000 ha kewenangan Pemerintah Provinsi"
    )
    assert "< 1.000 ha dalam satu kabupaten/kota" in _in_di("provinsi", 600.0).iloc[0].rule


@pytest.mark.parametrize(("level", "verdict"), [("kabupaten", "mismatch"), ("provinsi", None)])
def test_a_di_of_800_ha_crossing_kabupaten_is_provincial(level, verdict):
    found = _in_di(level, 800.0, crosses_kabupaten=True)
    if verdict is None:
        assert found.empty
    else:
        row = only(found)
        assert (row.verdict, row.expected_level) == ("mismatch", "provinsi")
        assert row.rule == (
            "Permen PUPR 14/2015: D.I. lintas kabupaten/kota kewenangan Pemerintah Provinsi"
        )


def test_a_national_strategic_di_is_pusat_whatever_its_area():
    row = only(_in_di("kabupaten", 600.0, national_strategic=True))
    assert (row.expected_level, row.reference_status) == ("pusat", "D.I. strategis nasional")


@pytest.mark.parametrize(
    ("funding", "verdict"),
    [("Tugas Pembantuan", "exception"), ("TP", "exception"), ("IJD", "mismatch")],
)
def test_tugas_pembantuan_in_a_di_is_an_exception_ijd_is_for_roads_only(funding, verdict):
    row = only(_in_di("kabupaten", 5000.0, funding))
    assert row.verdict == verdict


@pytest.mark.parametrize(
    ("area_ha", "flags", "expected"),
    [
        (3000.0, {}, "provinsi"),
        (3000.01, {}, "pusat"),
        (1000.0, {}, "provinsi"),
        (999.9, {}, "kabupaten"),
        (999.9, {"crosses_kabupaten": True}, "provinsi"),
        (200.0, {"crosses_provinsi": True}, "pusat"),
        (200.0, {"national_strategic": True}, "pusat"),
    ],
)
def test_expected_level_of_di_boundaries(area_ha, flags, expected):
    assert expected_level_of_di(area_ha, **flags) == expected


def test_the_di_holding_most_of_the_project_decides_and_only_when_it_holds_half():
    areas = di_table(
        [
            {"id": "BIG", "area_ha": 5000.0, "geometry": square(X0 - 1000, Y0, 400.0)},
            {"id": "SMALL", "area_ha": 500.0, "geometry": square(X0 + 1000, Y0, 400.0)},
        ]
    )
    # BIG spans X0-2000..X0 and SMALL X0..X0+2000 (y within 1 km of Y0); a 1,000 m x 200 m
    # strip from X0-700 to X0+300 lies 70% in BIG and 30% in SMALL. Moved 1 km north, half of
    # it is outside both: 35% in BIG, less than the half it takes to be judged.
    strip = Polygon(
        [(X0 - 700, Y0 - 100), (X0 + 300, Y0 - 100), (X0 + 300, Y0 + 100), (X0 - 700, Y0 + 100)]
    )
    outside = shapely.affinity.translate(strip, 0, 1000)
    projects = project_table(
        [
            {"id": "IR-1", "asset_type": "irrigation", "geometry": strip},
            {"id": "IR-2", "asset_type": "irrigation", "geometry": outside},
        ]
    )
    found = find_mismatches(projects, irrigation_areas=areas)
    row = only(found)
    assert (row.project_id, row.reference_id, row.expected_level) == ("IR-1", "BIG", "pusat")
    assert row.share == pytest.approx(0.7, abs=1e-6)
    assert row.inside_ha == pytest.approx(14.0, abs=1e-6)
    assert found.attrs["checked"] == 2 and found.attrs["unchecked"] == []


def test_a_di_without_area_is_measured():
    areas = di_table([{"id": "DI-1", "geometry": square(X0, Y0, 3600.0)}])  # no luas column
    projects = project_table(
        [{"id": "IR-1", "asset_type": "irrigation", "geometry": square(X0, Y0, 10.0)}]
    )
    row = only(find_mismatches(projects, irrigation_areas=areas))
    assert (row.expected_level, row.reference_name) == ("pusat", "DI-1")
    assert "3.600 ha" in row.note


# --- input -------------------------------------------------------------------------------------


def test_without_references_nothing_is_checked():
    projects = project_table([{"id": "K-1", "geometry": NATIONAL}])
    found = find_mismatches(projects)
    assert found.empty and list(found.columns) == list(MISMATCH_COLUMNS)
    assert found.attrs == {"checked": 0, "unchecked": ["K-1"]}


def test_projects_must_be_in_degrees_and_references_must_have_a_crs():
    projects = project_table([{"id": "K-1", "geometry": NATIONAL}])
    roads = road_table(ONE_NATIONAL_ROAD)
    with pytest.raises(CRSError, match=r"projects must be in EPSG:4326.*use to_crs\(4326\)"):
        find_mismatches(projects.to_crs(UTM), roads=roads)
    with pytest.raises(CRSError, match=r"roads has no CRS.*set_crs\(\)"):
        find_mismatches(projects, roads=roads.set_crs(None, allow_override=True))


def test_every_input_problem_is_listed_at_once():
    projects = project_table([{"id": "K-1", "geometry": NATIONAL}]).drop(columns="level")
    roads = road_table([{"id": "N-01", "status": "nasonal", "geometry": NATIONAL}])
    areas = di_table([{"id": "DI-1", "geometry": square(X0, Y0, 100.0)}]).drop(columns="di_id")
    with pytest.raises(GeoInputError) as caught:
        find_mismatches(projects, roads=roads, irrigation_areas=areas)
    assert caught.value.problems == [
        "projects lack column(s) level",
        "irrigation_areas lacks column(s) di_id",
        "roads: status 'nasonal' is not a road status; use nasional, provinsi, kabupaten, desa "
        "(kota counts as kabupaten)",
    ]


def test_settings_tolerance_is_used():
    beside = shapely.offset_curve(NATIONAL, 30.0)
    projects = project_table([{"id": "K-1", "geometry": beside}])
    roads = road_table(ONE_NATIONAL_ROAD)
    assert find_mismatches(projects, roads=roads).empty
    wide = Settings(tolerance_m=40.0)
    assert only(find_mismatches(projects, roads=roads, settings=wide)).verdict == "mismatch"


# --- the demo region ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    region = make_demo_region()
    roads = region.roads.rename(
        columns={"kode_ruas": "road_id", "nama_ruas": "name", "kondisi": "condition"}
    )
    areas = region.irrigation_areas.rename(
        columns={"nama": "name", "luas_ha": "area_ha", "lintas_kabupaten": "crosses_kabupaten"}
    )
    areas["di_id"] = areas["name"]
    projects = gpd.GeoDataFrame(
        pd.concat([u.projects for u in region.uploads], ignore_index=True), crs=4326
    )
    return region, find_mismatches(projects, roads=roads, irrigation_areas=areas)


def test_the_demo_regions_authority_findings_are_found_and_nothing_else(demo):
    region, found = demo
    expected = {
        kind: {(f.project_ids[0], f.reference[0]) for f in region.expected_findings if f.kind == k}
        for kind, k in (("mismatch", "authority"), ("exception", "exception"))
    }
    got = {
        verdict: set(zip(rows["project_id"], rows["reference_id"], strict=True))
        for verdict, rows in found.groupby("verdict")
    }
    assert got == expected
    assert len(expected["mismatch"]) == 6 and len(expected["exception"]) == 2
    assert found.attrs["unchecked"] == []
    assert (found["share"] > 0.99).all()


def test_the_demo_findings_name_the_level_holding_authority(demo):
    region, found = demo
    expected_level = {"A1": "pusat", "A2": "provinsi", "A3": "pusat", "A4": "kabupaten",
                      "A5": "pusat", "A6": "pusat", "X1": "kabupaten", "X2": "pusat"}  # fmt: skip
    by_project = found.set_index("project_id")
    for finding in region.expected_findings:
        if finding.kind in ("authority", "exception"):
            row = by_project.loc[finding.project_ids[0]]
            assert row["expected_level"] == expected_level[finding.key], finding.key
            assert row["asset_type"] == finding.asset_type
    a6 = by_project.loc[region.finding("A6").project_ids[0]]
    assert a6["rule"] == "Permen PUPR 14/2015: D.I. > 3.000 ha kewenangan Pemerintah Pusat"


#: Geometries that must neither crash the check nor be judged (nothing to measure or no road).
ODD_GEOMETRIES = {
    "null": None,
    "empty line": LineString(),
    # repaired to a point (as geo.read.projects would), 200 m from the road
    "zero-length line": LineString([(X0 + 100, Y0 + 200), (X0 + 100, Y0 + 200)]),
    "far bridge": Point(X0, Y0 + 5000),
    "polygon for a road": square(X0, Y0 + 3000, 1.0),
}


@pytest.mark.parametrize("name", list(ODD_GEOMETRIES))
def test_odd_geometries_are_left_unchecked(name):
    asset = "bridge" if name == "far bridge" else "road"
    projects = project_table(
        [
            {"id": "ODD", "asset_type": asset, "geometry": ODD_GEOMETRIES[name]},
            {"id": "K-1", "geometry": NATIONAL},
        ]
    )
    found = find_mismatches(projects, roads=road_table(ONE_NATIONAL_ROAD))
    assert found["project_id"].tolist() == ["K-1"]
    assert found.attrs["unchecked"] == ["ODD"]


def test_an_invalid_irrigation_polygon_is_repaired_and_an_empty_table_is_fine():
    bowtie = Polygon([(X0, Y0), (X0 + 400, Y0 + 400), (X0 + 400, Y0), (X0, Y0 + 400)])
    areas = di_table([{"id": "DI-1", "area_ha": 5000.0, "geometry": square(X0, Y0, 400.0)}])
    projects = project_table([{"id": "IR-1", "asset_type": "irrigation", "geometry": bowtie}])
    assert only(find_mismatches(projects, irrigation_areas=areas)).expected_level == "pusat"
    none = find_mismatches(projects.iloc[:0], roads=road_table(ONE_NATIONAL_ROAD))
    assert none.empty and none.attrs == {"checked": 0, "unchecked": []}


# --- judged along the located intervals ----------------------------------------------------------


def _national_with_a_kabupaten_road_beside() -> gpd.GeoDataFrame:
    """N-1 (nasional) runs 3 km along y = Y0; K-1 (kabupaten), not joined to it, runs 49 m
    north of it for 600 m (x 1,000-1,600)."""
    return road_table(
        [
            {
                "id": "N-1",
                "status": "nasional",
                "geometry": LineString([(X0, Y0), (X0 + 3000, Y0)]),
            },
            {
                "id": "K-1",
                "status": "kabupaten",
                "geometry": LineString([(X0 + 1000, Y0 + 49), (X0 + 1600, Y0 + 49)]),
            },
        ]
    )


def test_a_located_work_is_judged_by_the_ruas_it_is_located_on():
    """A kabupaten work digitised 30 m off the national road (800 m, x 900-1,700) lies within
    20 m of the kabupaten road beside it for 600 m: as drawn, 75% of it is on its own road. On
    the network it is located on N-1 for all its length: a national road, a mismatch."""
    from geo.analyse.locations import locate_road_projects
    from geo.spatial.network import RoadNetwork

    roads = _national_with_a_kabupaten_road_beside()
    projects = project_table(
        [{"id": "K-9", "geometry": LineString([(X0 + 900, Y0 + 30), (X0 + 1700, Y0 + 30)])}]
    )
    assert find_mismatches(projects, roads=roads).empty  # as drawn: on its own (kabupaten) road
    network = RoadNetwork(roads)
    located = locate_road_projects(projects, network)
    assert located[["ruas_id", "method"]].values.tolist() == [["N-1", "line match"]]
    assert located[["from_m", "to_m"]].round(1).values.tolist() == [[900.0, 1700.0]]
    row = only(find_mismatches(projects, roads=roads, located=located, network=network))
    assert (row["verdict"], row["expected_level"], row["reference_id"]) == (
        "mismatch",
        "pusat",
        "N-1",
    )
    assert (row["share"], round(row["along_m"], 1)) == (1.0, 800.0)
    from geo.analyse.run import analyse

    mismatches = analyse(projects, roads=roads, coverage=False).mismatches
    assert mismatches[["project_id", "reference_id"]].values.tolist() == [["K-9", "N-1"]]


def test_a_work_not_located_keeps_its_drawn_line():
    """Located nowhere (60 m off every road, beyond the 40 m a drawing may be shifted): judged
    as drawn, as before."""
    from geo.analyse.locations import locate_road_projects
    from geo.spatial.network import RoadNetwork

    roads = _national_with_a_kabupaten_road_beside()
    projects = project_table(
        [
            {"id": "K-8", "geometry": LineString([(X0 + 1000, Y0 + 64), (X0 + 1600, Y0 + 64)])},
            {"id": "K-7", "geometry": LineString([(X0 + 2000, Y0 - 15), (X0 + 2900, Y0 - 15)])},
        ]
    )
    network = RoadNetwork(roads)
    located = locate_road_projects(projects, network)
    as_drawn = find_mismatches(projects, roads=roads)
    by_location = find_mismatches(projects, roads=roads, located=located, network=network)
    pd.testing.assert_frame_equal(as_drawn, by_location)
    assert by_location["project_id"].tolist() == ["K-7"]
