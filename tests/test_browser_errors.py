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

from geo.demo import build_demo
from tests.browser_support import CHROMIUM, offline_page, streamlit_server
from tests.test_browser import TIMEOUT_MS

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tampered_store(tmp_path_factory) -> Path:
    """A store whose projects table lost a column (edited by hand in another tool): reading
    it fails in a way the app does not expect."""
    path = tmp_path_factory.mktemp("store") / "peta_sinergi.gpkg"
    shutil.copy(build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg"), path)
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE projects RENAME COLUMN agency TO instansi_lama")
    return path


def test_an_unexpected_error_shows_no_traceback_and_is_logged(tampered_store, tmp_path):
    from playwright.sync_api import expect

    assert CHROMIUM.exists()
    log = tmp_path / "streamlit.log"
    env = os.environ | {"PETA_STORE": str(tampered_store)}
    with (
        streamlit_server(REPO_ROOT / "app.py", cwd=Path("/"), env=env, log_path=log) as url,
        offline_page(url) as (page, watch),
    ):
        notice = page.get_by_test_id("stException")
        expect(notice.first).to_be_visible(timeout=TIMEOUT_MS)
        page.wait_for_timeout(1000)
        shown = page.inner_text("body")
        for detail in ("Traceback", "KeyError", "not in index", "agency", str(REPO_ROOT), ".py"):
            assert detail not in shown, f"the browser shows {detail!r}:\n{shown}"
        assert watch.blocked == []
    logged = log.read_text(errors="replace")
    assert "Traceback" in logged and "KeyError" in logged and "not in index" in logged
