"""Both stores meet the one Store protocol, and neither reaches into the other."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from geo.store import Store, open_store
from geo.store.gpkg import GeoPackageStore
from geo.store.postgis import PostGISStore

STORE = Path(__file__).resolve().parents[3] / "geo" / "store"
PROTOCOL_METHODS = sorted(
    name for name, _ in inspect.getmembers(Store, inspect.isfunction) if not name.startswith("_")
)


def test_the_protocol_names_what_the_app_uses():
    assert {"import_result", "load_projects", "load_reference", "save_review"} <= set(
        PROTOCOL_METHODS
    )


@pytest.mark.parametrize("backend", [GeoPackageStore, PostGISStore])
@pytest.mark.parametrize("method", PROTOCOL_METHODS)
def test_each_backend_has_the_protocol_signature(backend, method):
    assert inspect.signature(getattr(backend, method)) == inspect.signature(getattr(Store, method))


def test_open_store_returns_a_store(tmp_path):
    store = open_store(tmp_path / "store.gpkg")
    assert isinstance(store, Store)
    assert store.table_counts()["projects"] == 0


@pytest.mark.parametrize("module", ["gpkg.py", "postgis.py"])
def test_a_backend_imports_no_private_name_of_another_module(module):
    tree = ast.parse((STORE / module).read_text(encoding="utf-8"))
    private = [
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("geo")
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert private == []
