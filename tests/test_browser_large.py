"""A large layer in the running app: drawn on a canvas from the compact encoding, offline."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bench.bench_map_paint import make_store
from layers.project_map import LARGE_LAYER_FEATURES
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, PageWatch, streamlit_server

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 90_000
#: Just past the threshold: the canvas path, at a size a test can afford.
N_FEATURES = LARGE_LAYER_FEATURES + 500


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run browser tests")
    folder = tmp_path_factory.mktemp("large")
    store_path = make_store(folder, N_FEATURES)
    env = os.environ | {"PETA_STORE": str(store_path)}
    with streamlit_server(
        REPO_ROOT / "app.py", cwd=REPO_ROOT, env=env, log_path=folder / "streamlit.log"
    ) as url:
        yield url


def test_a_large_layer_is_drawn_on_a_canvas_and_a_click_finds_its_record(app_url):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1100})
            watch = PageWatch()
            context.route("**/*", watch.allow_local_only)
            page = context.new_page()
            watch.watch(page)
            page.goto(app_url)
            frame = page.frame_locator(MAP_FRAME)
            expect(frame.locator(".leaflet-overlay-pane canvas")).to_be_attached(timeout=TIMEOUT_MS)
            expect(frame.locator(".peta-legend")).to_contain_text("Legenda")
            map_frame = page.frame(url=re.compile(r"streamlit_folium"))
            map_frame.wait_for_function(
                "(n) => { let k = 0; window.map.eachLayer(l => {"
                " if (l.feature && l.feature.properties.peta_key) k++; }); return k === n; }",
                arg=N_FEATURES,
                timeout=TIMEOUT_MS,
            )
            kinds = map_frame.evaluate(
                """() => {
                    const kinds = {};
                    window.map.eachLayer((l) => {
                        if (!l.feature || !l.feature.properties.peta_key) return;
                        const kind = l instanceof L.Polygon ? "polygon"
                            : l instanceof L.CircleMarker ? "point" : "line";
                        kinds[kind] = (kinds[kind] || 0) + 1;
                    });
                    return kinds;
                }"""
            )
            assert set(kinds) == {"polygon", "point", "line"}
            assert sum(kinds.values()) == N_FEATURES

            # A click on a bridge reports its reference: the app shows the full record.
            page.wait_for_timeout(1000)
            x, y, code = map_frame.evaluate(
                """() => {
                    let found = null;
                    window.map.eachLayer((l) => {
                        if (!found && l.feature && l.getLatLng && l.feature.properties.peta_key) {
                            const p = window.map.latLngToContainerPoint(l.getLatLng());
                            const size = window.map.getSize();
                            if (p.x > 60 && p.y > 60 && p.x < size.x - 300 && p.y < size.y - 300) {
                                found = [p.x, p.y, l.feature.properties.peta_tooltip];
                            }
                        }
                    });
                    return found;
                }"""
            )
            box = frame.locator(".leaflet-container").bounding_box()
            page.mouse.click(box["x"] + x, box["y"] + y)
            heading = page.get_by_role("heading", name=re.compile("^Proyek terpilih: Paket "))
            expect(heading).to_be_visible(timeout=TIMEOUT_MS)
            assert re.search(r"P-\d{6}", code)
            assert watch.blocked == [] and watch.errors == []
        finally:
            browser.close()
