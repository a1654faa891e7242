"""An unexpected error in real Chromium: a short notice, no traceback, the details in the log.

The app is started the way a service starts it, from another working directory
(``cd / && streamlit run /srv/peta/app.py``): its settings beside ``app.py`` still apply.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from geo.demo.build import build_demo
from tests.browser_support import CHROMIUM, offline_page, streamlit_server
from tests.test_browser import TIMEOUT_MS

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "peta_sinergi.gpkg")


#: Started with the server (``sitecustomize``): a bug in reading the store, for the app to meet.
_BUG = """
import geo.store.gpkg

def load_projects(self, *, columns=None):
    raise RuntimeError("deliberate bug: the projects could not be loaded")

geo.store.gpkg.GeoPackageStore.load_projects = load_projects
"""


def test_an_unexpected_error_shows_no_traceback_and_is_logged(demo_store, tmp_path):
    from playwright.sync_api import expect

    assert CHROMIUM.exists()
    log = tmp_path / "streamlit.log"
    (tmp_path / "sitecustomize.py").write_text(_BUG)
    env = os.environ | {
        "PETA_STORE": str(demo_store),
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO_ROOT)]),
    }
    with (
        streamlit_server(REPO_ROOT / "app.py", cwd=Path("/"), env=env, log_path=log) as url,
        offline_page(url) as (page, watch),
    ):
        notice = page.get_by_test_id("stException")
        expect(notice.first).to_be_visible(timeout=TIMEOUT_MS)
        page.wait_for_timeout(1000)
        shown = page.inner_text("body")
        for detail in ("Traceback", "RuntimeError", "deliberate", str(REPO_ROOT), ".py"):
            assert detail not in shown, f"the browser shows {detail!r}:\n{shown}"
        assert watch.blocked == []
    logged = log.read_text(errors="replace")
    assert "Traceback" in logged and "RuntimeError: deliberate bug" in logged


def test_a_store_changed_outside_the_app_is_named_not_raised(demo_store, tmp_path):
    from playwright.sync_api import expect

    tampered = tmp_path / "peta_sinergi.gpkg"
    shutil.copy(demo_store, tampered)
    with sqlite3.connect(tampered) as db:  # edited by hand in another tool
        db.execute("ALTER TABLE projects RENAME COLUMN agency TO instansi_lama")
    env = os.environ | {"PETA_STORE": str(tampered)}
    with (
        streamlit_server(
            REPO_ROOT / "app.py", cwd=Path("/"), env=env, log_path=tmp_path / "server.log"
        ) as url,
        offline_page(url) as (page, _watch),
    ):
        message = page.get_by_test_id("stAlert").filter(has_text="Data proyek tidak dapat dibaca")
        expect(message.first).to_be_visible(timeout=TIMEOUT_MS)
        reason = page.get_by_text("the projects table has no column agency")
        expect(reason.first).to_be_visible(timeout=TIMEOUT_MS)
        shown = page.inner_text("body")
        assert "rename the column back or restore the store from a backup" in shown
        assert "Traceback" not in shown and "KeyError" not in shown
