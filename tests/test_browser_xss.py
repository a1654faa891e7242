"""Hostile uploads in real Chromium: values and field names that try to run script run nothing.

An agency file whose values and column names are payloads (``<img onerror>``, ``</script>``,
``${...}``, backticks, ``javascript:`` URLs, an RTL override, Jinja ``{{ }}``) is stored as an
upload does; every tooltip and popup of the map is opened, the findings and data pages are
visited. Every payload calls ``alert``: a dialog would mean it ran.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

from geo.demo.build import ensure_demo_store
from geo.read.projects import read_projects
from geo.store import open_store
from tests.browser_support import app_on_store, offline_page
from tests.test_browser import TIMEOUT_MS, _go_to, _wait_for_map

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = [
    "<img src=x onerror=alert(11)>",
    "</script><script>alert(12)</script>",
    "${alert(13)}",
    "`${alert(14)}`",
    "javascript:alert(15)",
    "\u202eexe.ssap \u202c<svg onload=alert(16)>",
    "{{ 7*7 }}{% raw %}",
    '" onmouseover="alert(17)',
]
HOSTILE_COLUMNS = {
    "<img src=x onerror=alert(21)>": "x",
    "javascript:alert(22)": "javascript:alert(23)",
    "${alert(24)}": "`${alert(25)}`",
    "{{ 6*7 }}": "{{ 6*7 }}",
}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    """The demo store plus one upload of hostile roads, bridges and an irrigation area."""
    folder = tmp_path_factory.mktemp("store")
    store = open_store(ensure_demo_store(folder / "peta_sinergi.gpkg"))
    west, south, east, north = store.load_projects().total_bounds
    x, y = (west + east) / 2, (south + north) / 2
    geometries = [
        LineString([(x, y), (x + 0.02, y + 0.01)]),
        Point(x + 0.01, y - 0.01),
        box(x - 0.03, y - 0.03, x - 0.02, y - 0.02),
    ] * 3
    n = len(PAYLOADS)
    layer = gpd.GeoDataFrame(
        {
            "kode_paket": [f"XSS-{i}" for i in range(n)],
            "nama_paket": PAYLOADS,
            "tahun": [2025] * n,
            "sumber_dana": PAYLOADS[::-1],
            "jenis": (["jalan", "jembatan", "irigasi"] * 3)[:n],
            **{name: [value] * n for name, value in HOSTILE_COLUMNS.items()},
        },
        geometry=geometries[:n],
        crs="EPSG:4326",
    )
    upload = folder / "hostile.geojson"
    layer.to_file(upload, driver="GeoJSON")
    result = read_projects(upload, level="kabupaten", agency="</script><b>alert(31)</b>")
    assert result.report.counts["stored"] == n, result.report.format_text()
    store.import_result(result)
    return folder / "peta_sinergi.gpkg"


@pytest.fixture(scope="module")
def app_url(store_path, tmp_path_factory):
    with app_on_store(store_path, tmp_path_factory.mktemp("server")) as url:
        yield url


def test_every_tooltip_and_popup_of_hostile_uploads_runs_nothing(app_url, tmp_path):
    from playwright.sync_api import expect

    with offline_page(app_url) as (page, watch):
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.reload()  # the handler is in place before anything on the page runs
        frame, features = _wait_for_map(page)
        assert features.count() > 80, "the map still draws every project"

        map_frame = page.frame(url=re.compile(r"streamlit_folium"))
        opened = map_frame.evaluate(
            """async () => {
                const texts = [];
                const layers = [];
                window.map.eachLayer((layer) => layers.push(layer));
                for (const layer of layers) {
                    for (const kind of ["Tooltip", "Popup"]) {
                        const bound = layer["get" + kind] && layer["get" + kind]();
                        if (!bound) continue;
                        if (layer.getLatLng) layer["open" + kind]();
                        else if (layer.getBounds) layer["open" + kind](layer.getBounds().getCenter());
                        else continue;
                        await new Promise((done) => setTimeout(done, 5));
                        const pane = document.querySelector(
                            kind === "Tooltip" ? ".leaflet-tooltip-pane" : ".leaflet-popup-pane");
                        texts.push(pane ? pane.innerText : "");
                        layer["close" + kind]();
                    }
                }
                return texts;
            }"""
        )
        page.wait_for_timeout(500)
        shown = "\n".join(opened)
        assert "XSS-0" in shown, "the hostile projects' tooltips were opened"
        assert "<img src=x onerror=alert(11)>" in shown, "shown as text, not as markup"
        assert "{{ 7*7 }}" in shown and "49" not in shown.split("{{ 7*7 }}")[0][-4:]
        tags = frame.locator(
            ".leaflet-tooltip-pane img, .leaflet-popup-pane img, .leaflet-pane script, "
            ".leaflet-pane svg[onload], .leaflet-pane b"
        )
        assert tags.count() == 0

        for title in ("Tumpang Tindih", "Kewenangan", "Data"):
            _go_to(page, title)
            page.wait_for_timeout(1500)
        expect(page.get_by_text("alert(31)").first).to_be_attached(timeout=TIMEOUT_MS)
        page.screenshot(path=tmp_path / "xss_data_page.png", full_page=True)
        assert dialogs == [], f"an upload's text ran as script: {dialogs}"
        assert watch.errors == [] and watch.blocked == []
