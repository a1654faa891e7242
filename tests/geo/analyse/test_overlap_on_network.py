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
