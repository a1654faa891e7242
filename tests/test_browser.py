"""The running app in headless Chromium with every non-local request refused (no internet)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.demo.build import ensure_demo_store
from geo.read.projects import read_projects
from geo.store import open_store
from tests import browser_support
from tests.browser_support import app_on_store

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = REPO_ROOT.parent / "shared" / "data" / "samples"
PROVINCE_CSV = "dinas_pupr_provinsi_jambi_geotagging_2025.csv"
BPJN_ZIP = "bpjn_jambi_2025.zip"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: First start builds the demo store and Chromium loads Leaflet: generous, but bounded.
TIMEOUT_MS = 90_000
#: An upload whose name and agency try to run script in the browser (DESIGN section 10).
HOSTILE_NAME = "<img src=x onerror=alert(1)> `${alert(2)}`"
HOSTILE_AGENCY = "</script><script>alert(3)</script>"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    """The demo store plus one hostile bridge in the middle of the demo region."""
    folder = tmp_path_factory.mktemp("store")
    store = open_store(ensure_demo_store(folder / "peta_sinergi.gpkg"))
    west, south, east, north = store.load_projects().total_bounds
    upload = folder / "hostile.geojson"
    gpd.GeoDataFrame(
        {"kode_paket": ["XSS-1"], "nama_paket": [HOSTILE_NAME], "tahun": [2025]},
        geometry=[Point((west + east) / 2, (south + north) / 2)],
        crs="EPSG:4326",
    ).to_file(upload, driver="GeoJSON")
    store.import_result(
        read_projects(upload, level="kabupaten", agency=HOSTILE_AGENCY, asset_type="bridge")
    )
    # The province's plan is in the store before BPJN uploads its shapefile through the wizard:
    # its bridge is the same bridge as BPJN's (about 10 m apart), a finding the wizard shows.
    store.import_result(read_projects(SAMPLES / PROVINCE_CSV, level="provinsi"))
    return folder / "peta_sinergi.gpkg"


@pytest.fixture(scope="module")
def app_url(store_path, tmp_path_factory):
    with app_on_store(store_path, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture
def offline_page(app_url):
    """A Chromium page on the app that may reach 127.0.0.1 only, and what it tried."""
    with browser_support.offline_page(app_url) as (page, watch):
        yield page, watch


def _screenshot(page, tmp_path: Path, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot under ``tmp_path`` and, with ``$PETA_SCREENSHOT_DIR``, there too."""
    screenshot = tmp_path / name
    page.screenshot(path=screenshot, full_page=full_page)
    if os.environ.get("PETA_SCREENSHOT_DIR"):
        target = Path(os.environ["PETA_SCREENSHOT_DIR"])
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(screenshot, target / name)
    return screenshot


def _wait_for_map(page, attempts: int = 5):
    """The map frame once it shows features; retried while a rerun swaps the frame."""
    from playwright.sync_api import Error, expect

    for attempt in range(attempts):
        try:
            # A rerun may briefly keep the previous map frame beside the new one.
            expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=TIMEOUT_MS)
            frame = page.frame_locator(MAP_FRAME)
            expect(frame.locator(".leaflet-container")).to_be_visible(timeout=TIMEOUT_MS // 3)
            features = frame.locator(".leaflet-overlay-pane path.leaflet-interactive")
            expect(features.first).to_be_attached(timeout=TIMEOUT_MS // 3)
            return frame, features
        except (AssertionError, Error):
            if attempt == attempts - 1:
                raise
            page.wait_for_timeout(1000)
    raise AssertionError("unreachable")


def test_map_draws_offline_with_legend(offline_page, tmp_path):
    from playwright.sync_api import expect

    page, watch = offline_page
    expect(page.get_by_role("heading", name="Peta Sinergi")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Data contoh (ilustratif) — bukan data resmi")).to_be_visible()

    frame, features = _wait_for_map(page)
    assert features.count() > 0
    bridges = frame.locator(".leaflet-overlay-pane path.leaflet-interactive[d*='a']")
    assert bridges.count() > 0, "bridges are circle markers (arcs)"
    assert (
        bridges.evaluate_all("paths => paths.filter(p => p.getAttribute('fill') === 'none')") == []
    )
    legend = frame.locator(".peta-legend")
    expect(legend).to_be_visible()
    for label in ("Legenda", "Pusat", "Provinsi", "Kabupaten/Kota", "Jalan", "Jembatan", "Irigasi"):
        expect(legend).to_contain_text(label)
    expect(frame.locator(".leaflet-control-layers")).to_contain_text("Pusat (")
    page.wait_for_timeout(500)  # let the frame settle at its final height before the shot

    _screenshot(page, tmp_path, "peta.png")

    assert watch.blocked == [], "the page tried to reach the internet"
    assert watch.errors == [], "JavaScript errors"


def test_hovering_a_hostile_project_shows_its_text_and_runs_nothing(offline_page):
    from playwright.sync_api import expect

    page, watch = offline_page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    frame, _ = _wait_for_map(page)
    page.wait_for_timeout(1000)  # the frame settles at its final height: features stop moving

    map_frame = page.frame(url=re.compile(r"streamlit_folium"))
    x, y = map_frame.evaluate(
        """() => {
            let point = null;
            window.map.eachLayer((layer) => {
                if (layer.feature && layer.getLatLng
                    && String(layer.getTooltip().getContent()).includes("XSS-1")) {
                    point = window.map.latLngToContainerPoint(layer.getLatLng());
                }
            });
            return [point.x, point.y];
        }"""
    )
    container = frame.locator(".leaflet-container").bounding_box()
    page.mouse.move(container["x"] + x - 20, container["y"] + y - 20)
    page.mouse.move(container["x"] + x, container["y"] + y, steps=5)

    # The way there may pass over a road or D.I. of the base map: its tooltip is another one.
    tooltip = frame.locator(".leaflet-tooltip", has_text="XSS-1")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(HOSTILE_NAME)
    expect(tooltip).to_contain_text(HOSTILE_AGENCY)
    expect(tooltip).to_contain_text("Jembatan")
    assert frame.locator(".leaflet-tooltip img, .leaflet-tooltip script").count() == 0
    assert dialogs == [], "an upload's text ran as script"
    assert watch.errors == [] and watch.blocked == []


def _choose(page, label: str, option: str, attempts: int = 4) -> None:
    """Pick ``option`` in the select box ``label``; retried while a rerun redraws the box."""
    from playwright.sync_api import Error

    for attempt in range(attempts):
        try:
            page.get_by_role("combobox", name=label).click(timeout=TIMEOUT_MS // 3)
            page.get_by_role("option", name=option).click(timeout=5_000)
            return
        except Error:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")
            page.wait_for_timeout(1000)


def _go_to(page, title: str, heading: str | None = None) -> None:
    """Open a page through the sidebar navigation (as a person does)."""
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=heading or title, exact=True)).to_be_visible(
        timeout=TIMEOUT_MS
    )


def _map_state(page) -> dict:
    """Zoom and centre of the map in the (current) map frame."""
    map_frame = page.frame(url=re.compile(r"streamlit_folium"))
    return map_frame.evaluate(
        "() => ({zoom: window.map.getZoom(), lat: window.map.getCenter().lat,"
        " lng: window.map.getCenter().lng})"
    )


def _tooltips_on_map(page) -> list[str]:
    map_frame = page.frame(url=re.compile(r"streamlit_folium"))
    return map_frame.evaluate(
        """() => {
            const texts = [];
            window.map.eachLayer((layer) => {
                if (layer.feature && layer.getTooltip && layer.getTooltip()) {
                    texts.push(String(layer.getTooltip().getContent()));
                }
            });
            return texts;
        }"""
    )


def _wait_for_tooltip(page, text: str, timeout_s: float = 60) -> list[str]:
    """The map's tooltips once one of them contains ``text`` (the frame may still re-render)."""
    deadline = time.monotonic() + timeout_s
    tooltips: list[str] = []
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):  # the frame may be replaced while we read it
            tooltips = _tooltips_on_map(page)
            if any(text in tooltip for tooltip in tooltips):
                return tooltips
        page.wait_for_timeout(500)
    return tooltips


def test_selecting_a_finding_zooms_the_map_and_a_review_is_kept(offline_page, tmp_path, store_path):
    from playwright.sync_api import expect

    page, watch = offline_page
    _wait_for_map(page)
    _go_to(page, "Tumpang Tindih")
    _wait_for_map(page)
    page.wait_for_timeout(1000)
    before = _map_state(page)

    grid = page.get_by_test_id("stDataFrame").first
    # The grid is drawn on a canvas; its cells are mirrored in an accessible (hidden) table.
    # Findings first: No. 1 (as on the slide and in the meeting pack) heads the table.
    expect(grid.locator('[role="gridcell"]').first).to_have_text("1", timeout=TIMEOUT_MS)
    box = grid.bounding_box()
    # The first data row's selection box: row-marker column, one header row down.
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)
    heading = page.get_by_role("heading", name=re.compile(r"^Tinjauan: TT-"))
    expect(heading).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_timeout(1500)  # the map frame re-renders with the new view
    _wait_for_map(page)
    after = _map_state(page)
    assert after["zoom"] > before["zoom"] + 1, (before, after)
    _screenshot(page, tmp_path, "tumpang_tindih.png")

    # A meeting dismisses the finding: the decision is stored and shown in table and map.
    finding_id = re.search(r"TT-[\w-]+", heading.text_content()).group(0)
    page.get_by_text("Tolak", exact=True).click()
    page.get_by_role("textbox", name="Catatan").fill("ruas berbeda <b>")
    page.get_by_label("Peninjau (nama / instansi)").fill("Bappeda")
    page.get_by_role("button", name="Simpan tinjauan").click()
    expect(page.get_by_text(f"Tinjauan {finding_id} disimpan.")).to_be_visible(timeout=TIMEOUT_MS)
    review = open_store(store_path).load_reviews().set_index("finding_id").loc[finding_id]
    assert (review["decision"], review["note"], review["who"]) == (
        "dismiss",
        "ruas berbeda <b>",
        "Bappeda",
    )
    _wait_for_map(page)
    tooltips = _wait_for_tooltip(page, "ditolak")
    dismissed = [t for t in tooltips if finding_id in t]
    assert dismissed and "ditolak — ruas berbeda &lt;b&gt;" in dismissed[0]
    assert watch.blocked == [] and watch.errors == []


def test_clicking_a_project_shows_its_record_and_findings(offline_page):
    from playwright.sync_api import expect

    page, watch = offline_page
    _wait_for_map(page)
    # Without the overlap highlight on top, a click lands on the project itself.
    page.get_by_text("Sorot tumpang tindih").click()
    page.wait_for_timeout(1500)
    frame, _ = _wait_for_map(page)
    page.wait_for_timeout(1000)  # the frame settles at its final height: features stop moving
    map_frame = page.frame(url=re.compile(r"streamlit_folium"))
    # A bridge of the demo that has an overlap finding: "Penggantian Jembatan Batang Jernih".
    x, y = map_frame.evaluate(
        """() => {
            let point = null;
            window.map.eachLayer((layer) => {
                if (!point && layer.feature && layer.getLatLng && layer.feature.properties.peta_key
                    && String(layer.getTooltip().getContent()).includes("Batang Jernih")) {
                    point = window.map.latLngToContainerPoint(layer.getLatLng());
                }
            });
            return [point.x, point.y];
        }"""
    )
    container = frame.locator(".leaflet-container").bounding_box()
    page.mouse.click(container["x"] + x, container["y"] + y)
    expect(page.get_by_role("heading", name=re.compile("^Proyek terpilih: "))).to_be_visible(
        timeout=TIMEOUT_MS
    )
    # The record reads in words: labels for people, not column codes.
    record = page.get_by_test_id("stDataFrame").first
    expect(record.locator('[role="columnheader"]').first).to_contain_text("Isian")
    cells = record.locator('[role="gridcell"]').all_text_contents()
    assert "Kode paket" in cells and "Pagu (Rp)" in cells, cells
    assert not {"project_id", "budget_idr", "field", "value"} & set(cells), cells
    expect(page.get_by_text("Temuan proyek ini")).to_be_visible()
    assert watch.blocked == [] and watch.errors == []


def test_switching_to_english_changes_the_labels(offline_page):
    from playwright.sync_api import expect

    page, watch = offline_page
    frame, _ = _wait_for_map(page)
    expect(frame.locator(".peta-legend")).to_contain_text("Legenda")
    _choose(page, "Bahasa / Language", "English")

    nav = page.get_by_test_id("stSidebarNav")
    for label in ("Map", "Upload", "Overlaps", "Authority", "Coverage gaps", "Export", "Data"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("Sample data (illustrative) — not official data")).to_be_visible()
    page.wait_for_timeout(1000)
    frame, _ = _wait_for_map(page)
    expect(frame.locator(".peta-legend")).to_contain_text("Legend", timeout=TIMEOUT_MS)
    expect(frame.locator(".peta-legend")).to_contain_text("Central")
    expect(frame.locator(".peta-legend")).not_to_contain_text("Legenda")
    assert watch.blocked == [] and watch.errors == []


def test_a_zipped_shapefile_uploaded_through_the_wizard_shows_on_the_map(offline_page, tmp_path):
    from playwright.sync_api import expect

    page, watch = offline_page
    _wait_for_map(page)
    _go_to(page, "Unggah")
    page.locator('input[type="file"]').set_input_files(str(SAMPLES / BPJN_ZIP))
    expect(page.get_by_text("1. Isi berkas")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("EPSG:32748")).to_be_visible()

    _choose(page, "Tingkat untuk semua baris", "Pusat")
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_text("3 dibaca, 3 disimpan (1 diperbaiki), 0 ditolak")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    _screenshot(page, tmp_path, "unggah_laporan.png")
    # The import report reads in Indonesian: headers, outcomes and the reader's reasons.
    report = page.get_by_test_id("stDataFrame").first
    report.scroll_into_view_if_needed()
    expect(report.locator('[role="columnheader"]').first).to_have_text(
        "Lapisan", timeout=TIMEOUT_MS
    )
    headers = report.locator('[role="columnheader"]').all_text_contents()
    assert headers[:4] == ["Lapisan", "Baris", "Kode paket", "Hasil"], headers
    cells = report.locator('[role="gridcell"]').all_text_contents()
    assert "diperbaiki" in cells and "stored" not in cells and "repaired" not in cells, cells
    page.get_by_role("button", name="Simpan ke penyimpanan").click()
    expect(page.get_by_text(re.compile(r"Tersimpan sebagai unggahan \d+: 3 proyek"))).to_be_visible(
        timeout=TIMEOUT_MS
    )
    # Its findings: BPJN's bridge is the province's bridge.
    findings = page.get_by_test_id("stDataFrame").first
    cells = findings.locator('[role="gridcell"]')
    # Findings first: the finding's number, then the two projects.
    expect(cells.filter(has_text="Sungai Terap").first).to_be_attached(timeout=TIMEOUT_MS)
    assert re.fullmatch(r"\d+", cells.first.text_content().strip())
    _wait_for_map(page)
    page.wait_for_timeout(1000)
    _screenshot(page, tmp_path, "unggah_temuan.png")

    _go_to(page, "Peta", "Peta Sinergi")
    _wait_for_map(page)
    tooltips = _wait_for_tooltip(page, "PJN1-2025-003")
    assert any("PJN1-2025-003" in tooltip for tooltip in tooltips), "the new bridge is drawn"
    assert any("PJN1-2025-001" in tooltip for tooltip in tooltips), "the new road is drawn"
    assert watch.blocked == [] and watch.errors == []
