"""The warm start (``python -m ui.serve``): pages imported, the store read and its analyses saved
before the server answers, so the first visit after a start reads them like any later one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.demo.build import build_demo
from geo.settings import Settings
from geo.store import open_store
from geo.store.tables import settings_fingerprint
from tests.browser_support import streamlit_server

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("overlaps", "mismatches", "locations", "coverage")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "peta_sinergi.gpkg")


def _saved(path: Path) -> dict[str, int | None]:
    store = open_store(path)
    key, settings = store.data_key(), settings_fingerprint(Settings.from_env())
    frames = {
        kind: store.load_analysis(kind, data_key=key, settings_key=settings) for kind in KINDS
    }
    return {kind: None if frame is None else len(frame) for kind, frame in frames.items()}


def test_the_server_answers_once_the_store_and_its_analyses_are_ready(tmp_path, demo_template):
    path = tmp_path / "peta_sinergi.gpkg"
    shutil.copy(demo_template, path)
    assert set(_saved(path).values()) == {None}, "a new store holds no analyses yet"
    env = os.environ | {"PETA_STORE": str(path)}
    log = tmp_path / "server.log"
    with streamlit_server(ROOT / "app.py", cwd=ROOT, env=env, log_path=log):
        saved = _saved(path)  # before any browser connected
    assert None not in saved.values(), saved
    assert saved["overlaps"] > 0 and saved["coverage"] > 0
    assert "pages and store ready in" in log.read_text()


def test_an_unreadable_store_does_not_stop_the_server(tmp_path):
    path = tmp_path / "rusak.gpkg"
    path.write_bytes(b"bukan GeoPackage\n" * 64)
    env = os.environ | {"PETA_STORE": str(path)}
    log = tmp_path / "server.log"
    with streamlit_server(ROOT / "app.py", cwd=ROOT, env=env, log_path=log):
        pass
    text = log.read_text()
    assert f"{path}: not a GeoPackage store" in text
    assert "Traceback" not in text
    assert path.read_bytes() == b"bukan GeoPackage\n" * 64, "the file is left as it was"


def test_the_page_says_which_file_is_not_a_store(tmp_path, monkeypatch):
    path = tmp_path / "rusak.gpkg"
    path.write_bytes(b"bukan GeoPackage\n" * 64)
    monkeypatch.setenv("PETA_STORE", str(path))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not app.exception
    assert [e.value for e in app.error] == ["Data proyek tidak dapat dibaca"]
    (shown,) = [c.value for c in app.code]
    assert shown == (
        f"{path}: bukan berkas penyimpanan GeoPackage; atur PETA_STORE ke penyimpanan Peta "
        "Sinergi atau pindahkan berkas ini agar penyimpanan baru dibuat di sana"
    )


#: In a fresh interpreter, as the server starts: the warm start, then Kesenjangan's first run
#: with the ledger's totalling and the map's drawing refused.
_KESENJANGAN_AFTER_WARM_UP = """
from streamlit.testing.v1 import AppTest
import geo.analyse.ledger
import ui.maps
from ui.serve import warm_up
warm_up()
def refused(*args, **kwargs):
    raise AssertionError("the page computed again what the warm start built")
geo.analyse.ledger.budget_ledger = refused
ui.maps.project_map = refused
ui.maps.view_layers = refused
app = AppTest.from_file({app!r}, default_timeout=120)
app.switch_page("ui/pages/kesenjangan.py").run()
assert not app.exception, app.exception
print(len(app.dataframe), len(app.caption))
"""


@pytest.mark.parametrize("per_view", [False, True], ids=["whole map", "view by view"])
def test_the_warm_start_builds_what_kesenjangan_shows(tmp_path, demo_template, per_view):
    path = tmp_path / "peta_sinergi.gpkg"
    shutil.copy(demo_template, path)
    script = _KESENJANGAN_AFTER_WARM_UP.format(app=str(ROOT / "app.py"))
    env = os.environ | {"PETA_STORE": str(path), "PYTHONPATH": str(ROOT)}
    if per_view:  # as a national store's map: the demo's projects sent view by view
        env["PETA_MAP_DETAIL_MAX"] = "5"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    tables, captions = done.stdout.strip().splitlines()[-1].split()
    assert tables == "2"  # coverage and ledger
    # Drawn view by view, the map has its caption (what the view shows): the same map.
    assert int(captions) == (3 if per_view else 2)
