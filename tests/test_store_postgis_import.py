"""Imports into PostGIS: every record lands, and the store's version moves once per import.

The version counter is what the app's caches are keyed on; an import of thousands of records
must bump it once (one transaction), not once per record, and hold the write lock only as long
as the rows take to copy in.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
import sqlalchemy as sa

from geo.read.projects import read_projects
from geo.store.postgis import PostGISStore

N_ROADS = 1_500


@pytest.fixture
def roads_file(tmp_path):
    """``N_ROADS`` short roads near Jambi with awkward text: quotes, tabs, a backslash, a
    newline, a ``\\N`` and non-ASCII letters, which a COPY must carry unchanged."""
    rng = np.random.default_rng(7)
    x = rng.uniform(103.4, 103.8, N_ROADS)
    y = rng.uniform(-1.8, -1.5, N_ROADS)
    names = [
        f"Ruas {i} \"Jl. Sudirman\"\t'Seberang' \\N Jambi–Tempino\nSTA {i}" for i in range(N_ROADS)
    ]
    roads = gpd.GeoDataFrame(
        {
            "kode_paket": [f"R-{i:05d}" for i in range(N_ROADS)],
            "nama_paket": names,
            "tahun": 2025,
            "pagu": rng.uniform(1e8, 1e10, N_ROADS).round(),
            "sumber_dana": np.where(np.arange(N_ROADS) % 3 == 0, None, "APBD Kabupaten"),
        },
        geometry=shapely.linestrings(
            np.stack([np.stack([x, x + 0.001], axis=1), np.stack([y, y + 0.001], axis=1)], -1)
        ),
        crs=4326,
    )
    path = tmp_path / "ruas.gpkg"
    roads.to_file(path, driver="GPKG")
    return path


def _writes(store: PostGISStore) -> int:
    return store.version()[1]


def test_one_import_bumps_the_version_once_and_every_record_lands(postgis_cluster, roads_file):
    store = PostGISStore(postgis_cluster.new_database())
    result = read_projects(roads_file, level="kabupaten", agency="Dinas PUPR Kab. X")
    assert result.report.counts["stored"] == N_ROADS
    before = _writes(store)
    store.import_result(result)
    assert _writes(store) == before + 1
    stored = store.load_projects().sort_values("project_id").reset_index(drop=True)
    expected = result.projects.sort_values("project_id").reset_index(drop=True)
    assert len(stored) == N_ROADS
    assert stored["name"].tolist() == expected["name"].tolist()
    assert stored["funding_source"].isna().tolist() == expected["funding_source"].isna().tolist()
    assert np.allclose(stored["budget_idr"], expected["budget_idr"])
    assert shapely.equals_exact(stored.geometry.values, expected.geometry.values, 1e-9).all()
    assert stored.crs.to_epsg() == 4326
    # Replacing it is one more transaction: one more bump, not one per record deleted.
    store.import_result(result, replace=True)
    assert _writes(store) == before + 2
    assert len(store.load_projects()) == N_ROADS
    store.close()


def test_every_writing_statement_of_another_client_still_counts(postgis_cluster, roads_file):
    url = postgis_cluster.new_database()
    store = PostGISStore(url)
    store.import_result(read_projects(roads_file, level="kabupaten", agency="Dinas PUPR Kab. X"))
    before = _writes(store)
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # one transaction, two statements: one bump
        conn.execute(sa.text("UPDATE projects SET status = 'selesai' WHERE fid % 2 = 0"))
        conn.execute(sa.text("UPDATE projects SET status = 'kontrak' WHERE fid % 2 = 1"))
    with engine.begin() as conn:  # a second transaction: a second bump
        conn.execute(sa.text("DELETE FROM projects WHERE fid % 5 = 0"))
    engine.dispose()
    assert _writes(store) == before + 2
    store.close()


def test_a_store_counting_statements_is_moved_to_counting_transactions(postgis_cluster, roads_file):
    url = postgis_cluster.new_database()
    PostGISStore(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # the counting function as stores made before had it
        conn.execute(
            sa.text(
                "CREATE OR REPLACE FUNCTION peta_store_version_bump() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN UPDATE store_version SET writes = writes + 1 "
                "WHERE id = 1; RETURN NULL; END $$"
            )
        )
    engine.dispose()
    store = PostGISStore(url)
    before = _writes(store)
    store.import_result(read_projects(roads_file, level="kabupaten", agency="Dinas PUPR Kab. X"))
    assert _writes(store) == before + 1
    store.close()
