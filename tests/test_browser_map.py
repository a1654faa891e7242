"""The web map in headless Chromium (offline): one click selects, and the map orients.

A click on a project must register the first time at common laptop sizes, with the map's
bottom below the fold (Leaflet focusing the map used to scroll the page between press and
release, and the click was lost); the reference layers (kabupaten/kota names, the road network
by status, Daerah Irigasi outlines) are drawn from the store, each a layer one can toggle.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.demo import ensure_demo_store
from tests import browser_support
from tests.browser_support import app_on_store

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 90_000
#: Laptop screens officials use: the map (620 px high) does not fit below the header.
LAPTOP_SIZES = ((1366, 768), (1600, 1000))


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store")
    store_path = ensure_demo_store(folder / "peta_sinergi.gpkg")
    with app_on_store(Path(store_path), tmp_path_factory.mktemp("server")) as url:
        yield url


def _page(playwright, url: str, size: tuple[int, int]):
    browser = playwright.chromium.launch(
        executable_path=str(browser_support.CHROMIUM), args=browser_support.CHROMIUM_ARGS
    )
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    watch = browser_support.PageWatch()
    context.route("**/*", watch.allow_local_only)
    page = context.new_page()
    watch.watch(page)
    page.goto(url)
    return browser, page, watch


def _wait_for_map(page):
    """The map frame once its projects are drawn (a rerun may swap the frame: retried)."""
    from playwright.sync_api import Error, expect

    for attempt in range(5):
        try:
            expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=TIMEOUT_MS)
            frame = page.frame_locator(MAP_FRAME)
            expect(frame.locator(".leaflet-container")).to_be_visible(timeout=TIMEOUT_MS // 3)
            features = frame.locator(".leaflet-overlay-pane path.leaflet-interactive")
            expect(features.first).to_be_attached(timeout=TIMEOUT_MS // 3)
            return frame
        except (AssertionError, Error):
            if attempt == 4:
                raise
            page.wait_for_timeout(1000)
    raise AssertionError("unreachable")


def _scroll_map_top_to(page, top_px: float) -> dict:
    """Scroll the page so the map frame's top is ``top_px`` below the window's top; return
    the frame's box (CSS pixels) afterwards."""
    page.evaluate(
        """(top) => {
            const frame = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
            let box = frame.getBoundingClientRect();
            let scroller = frame.parentElement;
            while (scroller && scroller.scrollHeight <= scroller.clientHeight + 1) {
                scroller = scroller.parentElement;
            }
            (scroller || document.scrollingElement).scrollTop += box.top - top;
        }""",
        top_px,
    )
    page.wait_for_timeout(500)
    return page.locator(MAP_FRAME).bounding_box()


def _visible_bridge(page, frame_box: dict, viewport_height: int) -> tuple[float, float, str]:
    """Page coordinates and name of a project bridge drawn inside the visible part of the map."""
    map_frame = page.frame(url=re.compile(r"streamlit_folium"))
    visible_px = viewport_height - frame_box["y"] - 30
    found = map_frame.evaluate(
        """(visible) => {
            let hit = null;
            window.map.eachLayer((layer) => {
                if (!hit && layer.feature && layer.getLatLng
                    && layer.feature.properties.peta_key) {
                    const p = window.map.latLngToContainerPoint(layer.getLatLng());
                    if (p.y > 30 && p.y < visible && p.x > 30 && p.x < 600) {
                        hit = [p.x, p.y, String(layer.getTooltip().getContent())];
                    }
                }
            });
            return hit;
        }""",
        visible_px,
    )
    assert found, "no project bridge in the visible part of the map"
    container = page.frame_locator(MAP_FRAME).locator(".leaflet-container").bounding_box()
    return container["x"] + found[0], container["y"] + found[1], found[2]


@pytest.mark.parametrize("size", LAPTOP_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_one_click_on_a_project_shows_its_record(app_url, size):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser, page, watch = _page(playwright, app_url, size)
        try:
            _wait_for_map(page)
            # Without the overlap highlight on top, a click lands on the project itself.
            page.get_by_text("Sorot tumpang tindih").click()
            page.wait_for_timeout(1500)
            _wait_for_map(page)
            page.wait_for_timeout(1000)  # the frame settles at its final height
            # The map's top in view, its bottom below the fold: where the press used to
            # scroll the page before the release.
            box = _scroll_map_top_to(page, size[1] - 420)
            assert box["y"] + box["height"] > size[1], "the map's bottom must be below the fold"
            x, y, _ = _visible_bridge(page, box, size[1])
            map_frame = page.frame(url=re.compile(r"streamlit_folium"))
            assert map_frame.evaluate("() => window.map.keyboard.enabled()")  # arrows still pan
            page.mouse.click(x, y)
            expect(
                page.get_by_role("heading", name=re.compile("^Proyek terpilih: "))
            ).to_be_visible(timeout=TIMEOUT_MS // 3)
            assert watch.blocked == [] and watch.errors == []
        finally:
            browser.close()
