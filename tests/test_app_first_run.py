"""What a page's first run after a server start loads: pages do not import the heavy modules
only other pages need (each import is a part of a second on the first visit), nor the
compiled overlap loops when the store holds its analyses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.demo.build import build_demo

REPO = Path(__file__).resolve().parent.parent

#: Run in a fresh interpreter, as a server starts: the page's first run, then what it loaded.
_FIRST_RUN = """
import json, sys
from streamlit.testing.v1 import AppTest
app = AppTest.from_file({app!r}, default_timeout=120)
app.switch_page({page!r}).run()
assert not app.exception, app.exception
print(json.dumps(sorted(m for m in sys.modules if "." not in m)))
"""


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    """The demo store after an official opened the app once: its analyses are saved."""
    store = build_demo(tmp_path_factory.mktemp("demo") / "peta_sinergi.gpkg")
    assert "numba" in _loaded_by_first_run("ui/pages/kesenjangan.py", store)  # analysed
    return store


def _loaded_by_first_run(page: str, store: Path) -> set[str]:
    script = _FIRST_RUN.format(app=str(REPO / "app.py"), page=page)
    env = os.environ | {"PETA_STORE": str(store), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("page", "not_loaded"),
    [
        ("ui/pages/data.py", {"folium", "streamlit_folium", "altair", "openpyxl", "matplotlib"}),
        ("ui/pages/unggah.py", {"folium", "streamlit_folium", "altair", "openpyxl"}),
        ("ui/pages/ekspor.py", {"folium", "streamlit_folium", "altair", "matplotlib"}),
        ("ui/pages/kesenjangan.py", {"altair", "openpyxl", "matplotlib"}),
        ("ui/pages/peta.py", {"altair", "openpyxl", "matplotlib"}),
        ("ui/pages/kewenangan.py", {"altair", "openpyxl", "matplotlib"}),
        (
            "ui/pages/cek_usulan.py",
            {"folium", "streamlit_folium", "altair", "openpyxl", "matplotlib"},
        ),
        # The matrix table is the workbook's sheet (geo.export.matrix_workbook): openpyxl loads.
        ("ui/pages/matriks.py", {"folium", "streamlit_folium", "altair", "matplotlib"}),
    ],
)
def test_a_first_run_loads_only_what_its_page_shows(page, not_loaded, demo_store):
    not_loaded = not_loaded | {"numba"}  # the analyses are read from the store
    loaded = _loaded_by_first_run(page, demo_store)
    assert "geopandas" in loaded  # the run did read the store
    assert not (loaded & not_loaded), f"{page} loads {sorted(loaded & not_loaded)}"
