"""Names and notes are shown as written in real Chromium, never rendered as Markdown.

A project named as a Markdown image would make every browser that opens it fetch the address;
a review note holding a link would show a live off-site link to every viewer. The page may
reach 127.0.0.1 only: any other request is refused and recorded.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.demo.build import build_demo
from geo.read.projects import read_projects
from geo.store import open_store
from tests.browser_support import app_on_store, offline_page
from tests.test_browser import TIMEOUT_MS, _go_to, _wait_for_map

pytestmark = pytest.mark.browser

BEACON = "![b](http://198.51.100.7/beacon.png)"
NOTE = "lihat [di sini](http://198.51.100.7/x), www.example.com atau :material/warning:"
OUTSIDE = "198.51.100.7"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    """The demo store plus a bridge named as a Markdown image, 11 m from a demo bridge."""
    folder = tmp_path_factory.mktemp("store")
    path = folder / "peta_sinergi.gpkg"
    shutil.copy(build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg"), path)
    store = open_store(path)
    projects = store.load_projects()
    bridge = projects[projects["name"].str.contains("Batang Jernih")].geometry.iloc[0]
    upload = folder / "jembatan.geojson"
    gpd.GeoDataFrame(
        {"kode_paket": ["MD-1"], "nama_paket": [BEACON], "tahun": [2025], "jenis": ["jembatan"]},
        geometry=[Point(bridge.x + 0.0001, bridge.y)],
        crs="EPSG:4326",
    ).to_file(upload, driver="GeoJSON")
    result = read_projects(upload, level="kabupaten", agency="Dinas PUPR Kab. Markdown")
    assert result.report.counts["stored"] == 1, result.report.format_text()
    store.import_result(result)
    return path


@pytest.fixture(scope="module")
def app_url(store_path, tmp_path_factory):
    with app_on_store(store_path, tmp_path_factory.mktemp("server")) as url:
        yield url


def _outside_links(page) -> list[str]:
    return page.eval_on_selector_all(
        "a[href]", f"els => els.map(e => e.href).filter(h => h.includes('{OUTSIDE}'))"
    )


def test_a_name_written_as_a_markdown_image_is_shown_as_text(app_url):
    from playwright.sync_api import expect

    with offline_page(app_url) as (page, watch):
        _wait_for_map(page)
        page.get_by_text("Sorot tumpang tindih").click()  # the project, not its highlight
        page.wait_for_timeout(1500)
        frame, _ = _wait_for_map(page)
        page.wait_for_timeout(1000)
        map_frame = page.frame(url=re.compile(r"streamlit_folium"))
        x, y = map_frame.evaluate(
            """() => {
                let point = null;
                window.map.eachLayer((layer) => {
                    if (!point && layer.feature && layer.getLatLng
                        && layer.feature.properties.peta_key
                        && String(layer.getTooltip().getContent()).includes("beacon.png")) {
                        point = window.map.latLngToContainerPoint(layer.getLatLng());
                    }
                });
                return [point.x, point.y];
            }"""
        )
        container = frame.locator(".leaflet-container").bounding_box()
        page.mouse.click(container["x"] + x, container["y"] + y)
        heading = page.get_by_role("heading", name=re.compile("^Proyek terpilih: "))
        expect(heading).to_be_visible(timeout=TIMEOUT_MS)
        page.wait_for_timeout(1000)
        # As written; the word joiner that keeps Streamlit from finding a link is invisible.
        assert heading.inner_text().strip().replace("\u2060", "") == f"Proyek terpilih: {BEACON}"
        assert page.locator(f"img[src*='{OUTSIDE}']").count() == 0
        assert _outside_links(page) == []
        assert watch.blocked == [], f"the page fetched an address from a name: {watch.blocked}"


def test_a_link_in_a_review_note_is_not_a_live_link(app_url, store_path):
    from playwright.sync_api import expect

    with offline_page(app_url) as (page, watch):
        _wait_for_map(page)
        _go_to(page, "Tumpang Tindih")
        grid = page.get_by_test_id("stDataFrame").first
        expect(grid.locator('[role="gridcell"]').first).to_have_text("1", timeout=TIMEOUT_MS)
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)  # the first row's selection box
        expect(page.get_by_role("heading", name=re.compile(r"^Tinjauan: TT-"))).to_be_visible(
            timeout=TIMEOUT_MS
        )
        page.get_by_role("textbox", name="Catatan").fill(NOTE)
        page.get_by_label("Peninjau (nama / instansi)").fill("[Bappeda](http://198.51.100.7/w)")
        page.get_by_role("button", name="Simpan tinjauan").click()
        caption = page.get_by_text(re.compile("di sini"))
        expect(caption).to_be_visible(timeout=TIMEOUT_MS)
        page.wait_for_timeout(1000)
        shown = caption.inner_text().replace("\u2060", "")
        assert NOTE in shown and "[Bappeda](http://198.51.100.7/w)" in shown
        assert _outside_links(page) == []
        assert page.locator("[data-testid=stIconMaterial]", has_text="warning").count() == 0
        assert watch.blocked == []
    assert NOTE in set(open_store(store_path).load_reviews()["note"])
