"""Shared fixtures: paths to the shared sample files and a fresh store per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
SAMPLES = SHARED / "samples"
REFERENCE = SHARED / "reference"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True, scope="session")
def no_database_url_from_the_environment():
    """Each test names its own store: a ``DATABASE_URL`` exported in the shell (a production
    database, perhaps) is never written to, and the app and CLI would otherwise use it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DATABASE_URL", raising=False)
        yield


@pytest.fixture
def samples() -> Path:
    """The illustrative agency files in ``../shared/data/samples``."""
    if not SAMPLES.is_dir():
        pytest.fail(f"{SAMPLES} is missing: tests read the shared samples from beside the repo")
    return SAMPLES


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """Path of a store that does not exist yet."""
    return tmp_path / "store" / "peta.gpkg"


@pytest.fixture(scope="session")
def postgis_cluster():
    """A private PostgreSQL + PostGIS server on 127.0.0.1 (see tests/postgis_support.py)."""
    from tests.postgis_support import PrivateCluster

    cluster = PrivateCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["gpkg", "postgis"])
def new_store(request, tmp_path: Path):
    """A function making a new empty store, once per backend: GeoPackage and PostGIS."""
    from geo.store import open_store
    from geo.store.postgis import PostGISStore

    opened = []

    def make():
        if request.param == "gpkg":
            opened.append(open_store(tmp_path / "store" / f"peta{len(opened)}.gpkg"))
        else:
            opened.append(PostGISStore(request.getfixturevalue("postgis_cluster").new_database()))
        return opened[-1]

    yield make
    for store in opened:
        store.close()
