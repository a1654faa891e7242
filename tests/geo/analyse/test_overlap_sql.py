"""Overlaps found as SQL inside PostGIS equal the in-process engine's, on the labelled set."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bench.overlap_data import make_labelled
from geo.analyse.overlap import find_overlaps
from geo.analyse.overlap_sql import overlap_pairs_sql
from geo.read.import_report import ImportReport
from geo.read.projects import ReadResult
from geo.settings import Settings
from geo.store.postgis import PostGISStore

SETTINGS = Settings()


def stored(projects, store: PostGISStore) -> None:
    report = ImportReport("labelled.gpkg")
    for row, project_id in enumerate(projects["project_id"]):
        report.add("labelled", row, project_id, "stored")
    records = projects.assign(source_layer="labelled", source_row=np.arange(len(projects)))
    store.import_result(ReadResult(records, report, "labelled"))


def unordered(frame: pd.DataFrame) -> dict:
    """Pair (asset type, both projects in either order) -> measure."""
    measure = frame["overlap_m"].fillna(frame["overlap_ha"]).fillna(frame["distance_m"])
    return {
        (asset, frozenset([(ag_a, a), (ag_b, b)])): m
        for asset, ag_a, a, ag_b, b, m in zip(
            frame["asset_type"],
            frame["agency_a"],
            frame["project_a"],
            frame["agency_b"],
            frame["project_b"],
            measure,
            strict=True,
        )
    }


@pytest.fixture(scope="module")
def labelled_in_postgis(postgis_cluster):
    projects, _ = make_labelled(seed=11, n_groups=60)
    store = PostGISStore(postgis_cluster.new_database())
    stored(projects, store)
    yield projects, store
    store.close()


def test_sql_inside_postgis_finds_the_same_pairs_as_the_engine(labelled_in_postgis):
    projects, store = labelled_in_postgis
    engine = unordered(find_overlaps(projects, settings=SETTINGS))
    sql = overlap_pairs_sql(store.engine, settings=SETTINGS).rename(
        columns={"measure": "overlap_m"}
    )
    sql = unordered(sql.assign(overlap_ha=np.nan, distance_m=np.nan))
    assert {asset for asset, _ in engine} == {"road", "irrigation", "bridge", "bridge/road"}
    assert set(sql) == set(engine)
    for pair, measure in engine.items():
        # Round buffer (engine) against a 32-segment polygon (PostGIS): centimetres apart.
        assert sql[pair] == pytest.approx(measure, rel=0.005, abs=0.05), pair


def test_sql_follows_the_settings(labelled_in_postgis):
    projects, store = labelled_in_postgis
    strict = Settings(min_overlap_m=400.0, bridge_distance_m=10.0)
    engine = unordered(find_overlaps(projects, settings=strict))
    sql = overlap_pairs_sql(store.engine, settings=strict).rename(columns={"measure": "overlap_m"})
    assert set(unordered(sql.assign(overlap_ha=np.nan, distance_m=np.nan))) == set(engine)
    assert len(engine) < len(unordered(find_overlaps(projects, settings=SETTINGS)))


def test_sql_never_pairs_roads_on_different_decks(postgis_cluster):
    from tests.geo.analyse.test_overlap import pair, winding_road

    road = winding_road()
    # A, C and D at ground level on one road; B the elevated toll road above it.
    projects = pd.concat(
        [
            pair(road, road).assign(name=["Jalan Arteri", "Jalan Tol Layang"]),
            pair(road, road).assign(project_id=["C", "D"], name=["Jalan Arteri", "Jl. Arteri"]),
        ],
        ignore_index=True,
    ).assign(work_type=None, funding_source=None, status=None)
    store = PostGISStore(postgis_cluster.new_database())
    try:
        stored(projects, store)
        sql = overlap_pairs_sql(store.engine, settings=SETTINGS)
    finally:
        store.close()
    found = unordered(
        sql.rename(columns={"measure": "overlap_m"}).assign(overlap_ha=np.nan, distance_m=np.nan)
    )
    assert set(found) == set(unordered(find_overlaps(projects, settings=SETTINGS)))
    assert sorted(sorted(pid for _, pid in ids) for _, ids in found) == [
        ["A", "C"],
        ["A", "D"],
        ["C", "D"],
    ]
