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
        code = _click_a_bridge(page, frame, map_frame)
        assert re.search(r"P-\d{6}", code)
        assert watch.blocked == [] and watch.errors == []


#: A layer past the (lowered) detail limit: the map is sent view by view.
PER_VIEW_FEATURES = 3000
PER_VIEW_DETAIL_MAX = 1000
#: A small area of the province: a few hundred of the layer's projects.
SMALL_AREA_DEG = (103.0, -1.9, 103.5, -1.5)
_COUNT_JS = """(kind) => {
    let k = 0;
    window.map.eachLayer((l) => {
        const p = l.feature && l.feature.properties;
        if (!p || !p.peta_tooltip) return;
        if (kind === "projects" ? p.peta_key : !p.peta_key && !p.peta_finding) k++;
    });
    return k;
}"""


@pytest.fixture(scope="module")
def per_view_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("per_view")
    store = make_store(folder, PER_VIEW_FEATURES)
    env = {"PETA_MAP_DETAIL_MAX": str(PER_VIEW_DETAIL_MAX)}
    with app_on_store(store, folder, env=env) as url:
        yield url


def test_a_crowded_view_shows_cells_and_zooming_in_shows_each_project(per_view_url):
    from playwright.sync_api import expect

    with offline_page(per_view_url) as (page, watch):
        frame = page.frame_locator(MAP_FRAME)
        expect(frame.locator(".peta-legend-view")).to_contain_text(
            "Jumlah proyek per sel", timeout=TIMEOUT_MS
        )
        expect(page.get_by_text("3.000 proyek di area ini: terlalu banyak")).to_be_visible(
            timeout=TIMEOUT_MS
        )
        map_frame = page.frame(url=re.compile(r"streamlit_folium"))
        cells = map_frame.evaluate(_COUNT_JS, "cells")
        assert cells > 10 and map_frame.evaluate(_COUNT_JS, "projects") == 0
        tip = map_frame.evaluate(
            """() => { let t = null; window.map.eachLayer((l) => {
                if (!t && l.feature && l.feature.properties.peta_tooltip) {
                    t = l.feature.properties.peta_tooltip; } }); return t; }"""
        )
        assert "Jumlah proyek per sel" in tip and "Perbesar" in tip

        west, south, east, north = SMALL_AREA_DEG
        map_frame.evaluate(
            f"() => {{ window.map.fitBounds([[{south}, {west}], [{north}, {east}]]); }}"
        )
        expect(
            page.get_by_text(re.compile(r"proyek di area ini, digambar satu per satu"))
        ).to_be_visible(timeout=TIMEOUT_MS)
        map_frame.wait_for_function(f"() => ({_COUNT_JS})('projects') > 0", timeout=TIMEOUT_MS)
        drawn = map_frame.evaluate(_COUNT_JS, "projects")
        assert 0 < drawn <= PER_VIEW_DETAIL_MAX
        assert map_frame.evaluate(_COUNT_JS, "cells") == 0
        expect(frame.locator(".peta-legend-view")).not_to_contain_text("Jumlah proyek per sel")

        # A project drawn for the view is clickable like any other: the app shows its record.
        _click_a_bridge(page, frame, map_frame)
        assert watch.blocked == [] and watch.errors == []


def _click_a_bridge(page, frame, map_frame) -> str:
    """Click a bridge well inside the map; wait for its record; return its tooltip."""
    from playwright.sync_api import expect

    page.wait_for_timeout(1000)
    x, y, tooltip = map_frame.evaluate(
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
    return tooltip
