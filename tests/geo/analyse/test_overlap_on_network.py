"""Overlaps decided on the road network (ruas and chainage), on the shared Jambi samples."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.analyse.overlap import FINDING_COLUMNS, find_overlaps
from geo.read.projects import read_projects
from geo.read.reference import read_reference
from geo.spatial.network import RoadNetwork
from tests.geometries import UTM, redigitised


@pytest.fixture
def jambi(samples):
    roads = read_reference(samples / "jaringan_jalan_jambi.gpkg", "roads").layer
    balai = read_projects(samples / "bpjn_jambi_2025.zip", level="pusat").projects
    province = read_projects(
        samples / "dinas_pupr_provinsi_jambi_geotagging_2025.csv", level="provinsi", roads=roads
    ).projects
    return RoadNetwork(roads), pd.concat([balai, province], ignore_index=True)


def test_the_documented_overlaps_are_found_on_the_network_with_ruas_and_sta(jambi):
    network, projects = jambi
    found = find_overlaps(gpd.GeoDataFrame(projects, crs=4326), network=network)
    roads = found[found["asset_type"] == "road"]
    assert roads["method"].tolist() == ["network", "network"]
    assert roads["ruas_id"].tolist() == ["N-001", "N-001"]
    stretches = sorted(
        zip(
            roads["overlap_m"].round(),
            roads["sta_from_m"].round(),
            roads["sta_to_m"].round(),
            strict=True,
        )
    )
    assert stretches == [(1000.0, 8000.0, 9000.0), (3000.0, 5000.0, 8000.0)]
    assert list(found.columns) == [
        *FINDING_COLUMNS[:-1],
        "method",
        "ruas_id",
        "sta_from_m",
        "sta_to_m",
        "geometry",
    ]
    # The bridge pair is not a road: found by geometry, as before.
    assert set(found.loc[found["asset_type"] != "road", "method"]) == {"geometry"}
    without = find_overlaps(gpd.GeoDataFrame(projects, crs=4326))
    assert list(without.columns) == list(FINDING_COLUMNS)
    assert sorted(without.loc[without["asset_type"] == "road", "overlap_m"].round(-1)) == [
        1000.0,
        3000.0,
    ]


def test_a_work_drawn_30_m_off_on_another_basemap_is_found_only_on_the_network(jambi):
    network, projects = jambi
    segment = projects[projects["project_id"] == "PJN1-2025-001"]
    shifted = (
        gpd.GeoSeries(segment.geometry, crs=4326)
        .to_crs(UTM)
        .apply(
            lambda g: redigitised(shapely.offset_curve(g, 30.0), spacing_m=40, noise_m=3, seed=8)
        )
        .to_crs(4326)
    )
    district = segment.assign(
        project_id="K-1",
        level="kabupaten",
        agency="Dinas PUPR Kab. Muaro Jambi",
        geometry=shifted.to_numpy(),
    )
    pair = gpd.GeoDataFrame(pd.concat([segment, district], ignore_index=True), crs=4326)
    assert find_overlaps(pair).empty  # 30 m apart: beyond the 20 m tolerance of geometry
    found = find_overlaps(pair, network=network)
    assert found["method"].tolist() == ["network"]
    assert found["overlap_m"].iloc[0] == pytest.approx(8000, abs=60)
    assert found["severity"].iloc[0] == "high"


def _frontage_and_arterial(street_at_m: float | None = None) -> RoadNetwork:
    """An arterial with a frontage road 15 m beside it over 2 km, joined at both ends; with
    ``street_at_m``, a local street crossing both that far along."""
    from shapely import LineString

    from tests.geometries import X0, Y0

    cuts = [] if street_at_m is None else [street_at_m]
    lines = []
    for y, (code, name, status) in (
        (0.0, ("N-001", "Jalan Arteri", "nasional")),
        (-15.0, ("K-101", "Jalan Frontage", "kabupaten")),
    ):
        xs = [0.0, 1000.0, *cuts, 3000.0, 4000.0] if y == 0 else [1000.0, *cuts, 3000.0]
        lines += [
            (code, name, status, [(X0 + a, Y0 + y), (X0 + b, Y0 + y)])
            for a, b in zip(xs[:-1], xs[1:], strict=True)
        ]
    for x in (1000.0, 3000.0):
        lines.append(("K-101", "Jalan Frontage", "kabupaten", [(X0 + x, Y0), (X0 + x, Y0 - 15)]))
    for a, b in ((-500.0, -15.0), (-15.0, 0.0), (0.0, 500.0)) if cuts else ():
        lines.append(
            ("K-201", "Jalan Lokal", "kabupaten", [(X0 + cuts[0], Y0 + a), (X0 + cuts[0], Y0 + b)])
        )
    roads = gpd.GeoDataFrame(
        {
            "road_id": [r[0] for r in lines],
            "name": [r[1] for r in lines],
            "status": [r[2] for r in lines],
        },
        geometry=[LineString(r[3]) for r in lines],
        crs=UTM,
    ).to_crs(4326)
    return RoadNetwork(roads)


def _district_and_central_road_works(district: object, central: object) -> gpd.GeoDataFrame:
    """A district's and a central road work of 2025 (KAB-1, PUSAT-1) on the given lines."""
    from tests.geometries import projects_from_rows

    return projects_from_rows(
        [
            {"id": "KAB-1", "level": "kabupaten", "agency": "Dinas PUPR Kab", "geometry": district},
            {"id": "PUSAT-1", "level": "pusat", "agency": "BPJN", "geometry": central},
        ],
        {"name": "Preservasi", "asset_type": "road", "year_start": 2025, "year_end": 2025,
         "budget_idr": 1e9},
    )  # fmt: skip


def test_a_frontage_work_partly_off_the_network_is_not_paired_with_the_arterial_beside_it():
    """The frontage work runs on past the network's frontage road (a stretch the network does
    not hold): located there for 60-90% of its length, so its pairs go through geometry, which
    sees two roads 15 m apart. The network puts them on different roads: no finding."""
    from shapely import LineString

    from tests.geometries import X0, Y0

    frontage = LineString([(X0 + 1400, Y0 - 15), (X0 + 3000, Y0 - 15), (X0 + 3000, Y0 - 250)])
    arterial = LineString([(X0 + 1400, Y0), (X0 + 3000, Y0)])
    projects = _district_and_central_road_works(
        redigitised(frontage, spacing_m=20, noise_m=2, seed=1),
        redigitised(arterial, spacing_m=30, noise_m=2, seed=2),
    )
    network = _frontage_and_arterial()
    assert len(find_overlaps(projects)) == 1  # geometry alone: the same stretch
    from geo.analyse.overlap import locate_road_projects

    located = locate_road_projects(projects, network)
    share = located.groupby("work")["matched_share"].first()
    assert 0.5 <= share[0] < 0.9  # partly on the network: not decided there alone
    assert share[1] >= 0.9
    assert set(located.loc[located["work"] == 0, "ruas_id"]) == {"K-101"}
    assert find_overlaps(projects, network=network).empty


def test_a_noisy_frontage_work_is_not_carried_up_a_crossing_street_onto_the_arterial():
    """A frontage work drawn with 3-5 m noise has one stretch across the crossing street that
    turns 46-50 degrees off its road for 20-30 m. Measured over 2 m of the line, that sample's
    heading left it no candidate but the street, whose cheapest way on ran along the arterial:
    the work was located on the arterial for 71 m and paired there with the arterial's work.
    Measured over 20 m, the frontage work lies on the frontage road only: no finding."""
    from shapely import LineString

    from geo.analyse.overlap import locate_road_projects
    from tests.geometries import X0, Y0

    noisy = [(1971.9, -17.9), (1997.1, -24.3), (2015.0, -5.7), (2030.9, -18.6), (2051.8, -6.7),
             (2073.6, -26.5), (2087.4, -12.3)]  # fmt: skip
    frontage = [(1500, -15), (1700, -13), (1940, -16), *noisy, (2300, -14), (2500, -15)]
    projects = _district_and_central_road_works(
        LineString([(X0 + x, Y0 + y) for x, y in frontage]),
        LineString([(X0 + 1500, Y0 + 1), (X0 + 2500, Y0 + 2)]),
    )
    network = _frontage_and_arterial(street_at_m=2000.0)
    located = locate_road_projects(projects, network)
    on_frontage = located[located["work"] == 0]
    assert on_frontage["ruas_id"].tolist() == ["K-101"]
    assert on_frontage["matched_share"].tolist() == [1.0]
    assert on_frontage[["from_m", "to_m"]].round(6).values.tolist() == [[515.0, 1515.0]]
    assert find_overlaps(projects, network=network).empty


def test_network_apart_needs_both_works_located_and_no_shared_chainage():
    import numpy as np

    from geo.analyse.overlap_network import network_apart

    located = pd.DataFrame(
        {
            "work": [0, 1, 2, 3],
            "ruas": ["ruas:0", "ruas:1", "ruas:0", "ruas:1"],
            "from_m": [0.0, 0.0, 500.0, 100.0],
            "to_m": [1000.0, 1000.0, 800.0, 300.0],
            "matched_share": [0.7, 0.6, 1.0, 0.3],
        }
    )
    apart = network_apart(located, 5)
    a, b = np.array([0, 0, 1, 1, 0]), np.array([1, 2, 2, 3, 4])
    # 0-1 different ruas: apart; 0-2 share 300 m; 1-2 different ruas; 1-3 too little of 3
    # located; 4 not located at all.
    assert apart(a, b).tolist() == [True, False, True, False, False]


def test_a_road_overlap_found_by_geometry_gets_the_ruas_and_sta_of_its_shared_stretch():
    """One work runs on past the network's end (located for under 90%: measured by geometry),
    but the stretch the two share lies on ruas N-001: the finding says where, as STA."""
    from shapely import LineString

    from tests.geometries import X0, Y0, projects_from_rows

    beyond = LineString([(X0 + 1400, Y0 + 2), (X0 + 3000, Y0 + 2), (X0 + 3000, Y0 + 600)])
    along = LineString([(X0 + 1400, Y0 - 2), (X0 + 3000, Y0 - 2)])
    projects = projects_from_rows(
        [
            {"id": "PUSAT-1", "level": "pusat", "agency": "BPJN", "geometry": along},
            {"id": "PROV-1", "level": "provinsi", "agency": "Dinas", "geometry": beyond},
        ],
        {
            "name": "Preservasi",
            "asset_type": "road",
            "year_start": 2025,
            "year_end": 2025,
            "budget_idr": 1e9,
        },  # fmt: skip
    )
    found = find_overlaps(projects, network=_frontage_and_arterial())
    assert found["method"].tolist() == ["geometry"]
    assert found["ruas_id"].tolist() == ["N-001"]
    assert found["sta_from_m"].iloc[0] == pytest.approx(1400.0, abs=5.0)
    assert found["sta_to_m"].iloc[0] == pytest.approx(3000.0, abs=5.0)
