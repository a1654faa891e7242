"""A large layer in the running app: drawn on a canvas from the compact encoding, offline."""

from __future__ import annotations

import re

import pytest

from bench.bench_map_paint import make_store
from layers.project_map import LARGE_LAYER_FEATURES
from tests.browser_support import app_on_store, offline_page

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 90_000
#: Just past the threshold: the canvas path, at a size a test can afford.
N_FEATURES = LARGE_LAYER_FEATURES + 500


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("large")
    with app_on_store(make_store(folder, N_FEATURES), folder) as url:
        yield url


def test_a_large_layer_is_drawn_on_a_canvas_and_a_click_finds_its_record(app_url):
    from playwright.sync_api import expect

    with offline_page(app_url) as (page, watch):
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
