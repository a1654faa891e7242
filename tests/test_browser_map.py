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

from geo.demo.build import ensure_demo_store
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
                    const box = window.map.getContainer().getBoundingClientRect();
                    const top = document.elementFromPoint(box.left + p.x, box.top + p.y);
                    // On screen and not under the legend or a control.
                    if (p.y > 30 && p.y < visible && top && top.closest(".leaflet-overlay-pane")) {
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


def _screenshot(page, tmp_path: Path, name: str) -> Path:
    """Save a screenshot under ``tmp_path`` and, with ``$PETA_SCREENSHOT_DIR``, there too."""
    import os
    import shutil

    shot = tmp_path / name
    page.screenshot(path=shot)
    if os.environ.get("PETA_SCREENSHOT_DIR"):
        target = Path(os.environ["PETA_SCREENSHOT_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, target / name)
    return shot


def _reference_tooltips(page) -> list[str]:
    """Tooltips of the map's reference features (roads, D.I., deciding layer)."""
    map_frame = page.frame(url=re.compile(r"streamlit_folium"))
    return map_frame.evaluate(
        """() => {
            const tips = [];
            window.map.eachLayer((layer) => {
                if (layer.feature && !layer.feature.properties.peta_key
                    && !layer.feature.properties.peta_finding && layer.getTooltip()) {
                    tips.push(String(layer.getTooltip().getContent()));
                }
            });
            return tips;
        }"""
    )


def test_the_map_shows_names_roads_by_status_and_irrigation_areas(app_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser, page, watch = _page(playwright, app_url, (1600, 1000))
        try:
            frame = _wait_for_map(page)
            legend = frame.locator(".peta-legend")
            for status in ("nasional", "provinsi", "kabupaten"):
                expect(legend.locator(f'[data-road_status="{status}"]')).to_be_visible()
            expect(legend.get_by_text("Jalan nasional")).to_be_visible()
            expect(legend.get_by_text("Daerah Irigasi")).to_be_visible()
            expect(legend.get_by_text("Nama kabupaten/kota")).to_be_visible()
            # Kabupaten/kota names at the province's zoom, drawn from the store's units.
            names = frame.locator(".peta-unit-label")
            expect(names.filter(has_text="Kab. Sungai Contoh")).to_have_count(1)
            tips = _reference_tooltips(page)
            assert any("Jalan nasional" in tip and "N-008" in tip for tip in tips)
            assert any("D.I. Air Betung" in tip and "ha" in tip for tip in tips)
            _screenshot(page, tmp_path, "peta_orientasi.png")
            # Each is a layer of its own: switched off in the layer control, it leaves.
            control = frame.locator(".leaflet-control-layers")
            before = len(tips)
            control.get_by_text("Jaringan jalan").click()
            after = _reference_tooltips(page)
            assert not any("Jalan nasional" in tip for tip in after) and len(after) < before
            control.get_by_text("Nama kabupaten/kota").click()
            expect(names).to_have_count(0)
            control.get_by_text("Nama kabupaten/kota").click()
            expect(names.filter(has_text="Kab. Sungai Contoh")).to_have_count(1)
            assert watch.blocked == [] and watch.errors == []
        finally:
            browser.close()


def test_the_authority_map_draws_the_road_or_area_deciding_each_finding(app_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser, page, watch = _page(playwright, app_url, (1600, 1000))
        try:
            _wait_for_map(page)
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Kewenangan").click()
            expect(page.get_by_role("heading", name="Kewenangan")).to_be_visible(timeout=TIMEOUT_MS)
            page.wait_for_timeout(1500)
            frame = _wait_for_map(page)
            expect(
                frame.locator(".peta-legend").get_by_text("Dasar kewenangan temuan")
            ).to_be_visible()
            control = frame.locator(".leaflet-control-layers")
            expect(control.get_by_text("Dasar kewenangan temuan")).to_be_visible()
            tips = _reference_tooltips(page)
            # The national road N-008 that a provincial project works on (A1), with its status,
            # and D.I. Air Betung (> 3,000 ha: central authority) of the district's work (A6).
            assert sum("N-008" in tip and "Jalan nasional" in tip for tip in tips) >= 2
            assert any("D.I. Air Betung" in tip and "Kewenangan: Pusat" in tip for tip in tips)
            _screenshot(page, tmp_path, "kewenangan_dasar.png")
            assert watch.blocked == [] and watch.errors == []
        finally:
            browser.close()


@pytest.fixture(scope="module")
def per_view_url(tmp_path_factory):
    """The demo store with the map sent view by view (as past 20,000 projects)."""
    folder = tmp_path_factory.mktemp("store-per-view")
    store_path = ensure_demo_store(folder / "peta_sinergi.gpkg")
    with app_on_store(
        Path(store_path), tmp_path_factory.mktemp("server"), {"PETA_MAP_DETAIL_MAX": "50"}
    ) as url:
        yield url


def test_a_map_sent_view_by_view_orients_the_same_way(per_view_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser, page, watch = _page(playwright, per_view_url, (1600, 1000))
        try:
            # Drawn on a canvas: no SVG paths to wait for, the layer control comes with a view.
            expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=TIMEOUT_MS)
            frame = page.frame_locator(MAP_FRAME)
            control = frame.locator(".leaflet-control-layers")
            for name in ("Jaringan jalan", "Daerah Irigasi", "Nama kabupaten/kota"):
                expect(control.get_by_text(name)).to_be_visible(timeout=TIMEOUT_MS // 3)
            expect(frame.locator(".peta-unit-label").first).to_be_visible()
            tips = _reference_tooltips(page)
            assert any("Jalan nasional" in tip for tip in tips)
            _screenshot(page, tmp_path, "peta_per_tampilan.png")
            assert watch.blocked == [] and watch.errors == []
        finally:
            browser.close()
