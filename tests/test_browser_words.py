"""Every page in Chromium, in Bahasa Indonesia then English, as a new user walks it: a laptop
screen (1366x768) and an en-US browser, which must not decide how numbers read. A word of the
other language, a column code or a command-line flag on a page fails the walk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.demo.build import ensure_demo_store
from geo.read.projects import read_projects
from geo.store import open_store
from tests import browser_support
from tests.browser_support import app_on_store

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = REPO_ROOT.parent / "shared" / "data" / "samples"
TIMEOUT_MS = 120_000
#: A file without an agency column: the reader's error must say what to choose in the app.
NO_AGENCY_XLSX = "dinas_pupr_kab_muaro_jambi_2025.xlsx"

#: (title in the menu, heading on the page) of every page, per language.
PAGES = {
    "id": [
        ("Peta", "Peta Sinergi"),
        ("Unggah", "Unggah"),
        ("Tumpang Tindih", "Tumpang Tindih"),
        ("Kewenangan", "Kewenangan"),
        ("Kesenjangan", "Kesenjangan"),
        ("Ekspor", "Ekspor"),
        ("Data", "Data"),
    ],
    "en": [
        ("Map", "Peta Sinergi"),
        ("Upload", "Upload"),
        ("Overlaps", "Overlaps"),
        ("Authority", "Authority"),
        ("Coverage gaps", "Coverage gaps"),
        ("Export", "Export"),
        ("Data", "Data"),
    ],
}
#: Words that must not be read in Indonesian mode: English terms, codes, command-line flags.
NOT_INDONESIAN = [
    r"\bproject_id\b",
    r"\bbudget_idr\b",
    r"\bbudget_at_stake_idr\b",
    r"\bfinding_id\b",
    r"\boutcome\b",
    r"\breason\b",
    r"\bstored\b",
    r"\brepaired\b",
    r"\brejected\b",
    r"\basset type\b",
    r"\bfrom the name\b",
    r"\bcross_level\b",
    r"\bsame_level\b",
    r"\bsame_agency\b",
    r"\bhigh\b",
    r"\bsign_in_failed\b",
    r"\breplace_reference\b",
    r"\bSeverity\b",
    r"\bShare\b",
    r"\bBudget\b",
    r"\bReview\b",
    r"--agency",
    r"--map",
    r"--level",
    r"\bpass --",
    r"\bNone\b",
    r"\bnan\b",
]
#: Words of the Indonesian interface that must not be read in English mode (data such as
#: project names and rules stay as the agencies wrote them).
NOT_ENGLISH = [
    r"\bPagu\b",
    r"\bTinjauan\b",
    r"\bBagian bersama\b",
    r"\bPorsi\b",
    r"\bAnggaran terdampak\b",
    r"\bPrioritas\b",
    r"\btersimpan\b",
    r"\bdiperbaiki\b",
    r"\bbelum ditinjau\b",
    r"\blintas tingkat\b",
    r"\bKode paket\b",
    r"\bInstansi\b",
    r"\bTingkat pemerintahan\b",
    r"\bIsian\b",
    r"\bKeterangan\b",
    r"\bBelum tertangani\b",
    r"\bTertangani\b",
    r"\bJejak audit\b",
    r"\bUnggahan\b",
    r"\bNone\b",
    r"\bnan\b",
]
#: Column headers that are codes, not words, in either language.
CODE_HEADERS = {"at", "who", "role", "action", "field", "value", "layer", "row", "setting", "id"}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """The demo store with the province's geotagging upload (an import in the audit trail)."""
    folder = tmp_path_factory.mktemp("store")
    store = open_store(ensure_demo_store(folder / "peta_sinergi.gpkg"))
    store.import_result(
        read_projects(SAMPLES / "dinas_pupr_provinsi_jambi_geotagging_2025.csv", level="provinsi")
    )
    with app_on_store(folder / "peta_sinergi.gpkg", tmp_path_factory.mktemp("server")) as url:
        yield url


def _visible_words(page) -> str:
    """What a person reads on the page: the main area and the sidebar, the tables' headers and
    cells, and the map's legend."""
    parts = [
        page.locator('[data-testid="stMain"]').inner_text(),
        page.locator('[data-testid="stSidebar"]').inner_text(),
    ]
    for grid in page.get_by_test_id("stDataFrame").all():
        parts += grid.locator('[role="columnheader"]').all_text_contents()
        parts += grid.locator('[role="gridcell"]').all_text_contents()
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            legend = frame.locator(".peta-legend")
            if legend.count():
                parts.append(legend.first.inner_text())
    return "\n".join(parts)


def _headers(page) -> list[str]:
    return [
        text.strip()
        for grid in page.get_by_test_id("stDataFrame").all()
        for text in grid.locator('[role="columnheader"]').all_text_contents()
    ]


def _open(page, title: str, heading: str) -> None:
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    # Wait until the page has finished running (the status widget goes away).
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=TIMEOUT_MS)
    page.wait_for_timeout(1500)


def _expand_all(page) -> None:
    for summary in page.locator('[data-testid="stExpander"] summary').all():
        if summary.is_visible():
            summary.click()
    page.wait_for_timeout(500)


def _check(words: str, forbidden: list[str], where: str) -> None:
    found = sorted({m.group(0) for p in forbidden for m in re.finditer(p, words)})
    assert not found, f"{where}: untranslated {found}"


def _read_screens(
    page, shots: Path, name: str, *, screens: int, forbidden: list[str], where: str
) -> tuple[str, list[str], str]:
    """Screenshot what a laptop shows, screen by screen down the page (``name_0.png``, ...),
    then check every word read against ``forbidden`` and no table header is a code. Returns
    the words read, the tables' headers and the first table's cells drawn on screen."""
    main = page.get_by_test_id("stMain")
    for screen in range(screens):
        main.evaluate("(e, y) => e.scrollTo(0, y)", screen * 700)
        page.wait_for_timeout(400)
        page.screenshot(path=shots / f"{name}_{screen}.png")
    _expand_all(page)
    words = _visible_words(page)
    _check(words, forbidden, where)
    headers = _headers(page)
    assert not CODE_HEADERS & set(headers), headers
    cells = " ".join(
        page.get_by_test_id("stDataFrame").first.locator('[role="gridcell"]').all_text_contents()
    )
    return words, headers, cells


def _walk(page, lang: str, screenshots: Path) -> None:
    from playwright.sync_api import expect

    forbidden = NOT_INDONESIAN if lang == "id" else NOT_ENGLISH
    for title, heading in PAGES[lang]:
        _open(page, title, heading)
        if title in ("Unggah", "Upload"):
            page.locator('input[type="file"]').set_input_files(str(SAMPLES / NO_AGENCY_XLSX))
            button = "Periksa berkas" if lang == "id" else "Check the file"
            page.get_by_role("button", name=button).click(timeout=TIMEOUT_MS)
            step = "langkah 3" if lang == "id" else "step 3"
            expect(page.get_by_text(re.compile(step)).first).to_be_visible(timeout=TIMEOUT_MS)
        _expand_all(page)
        words = _visible_words(page)
        _check(words, forbidden, f"{lang} {title}")
        assert not CODE_HEADERS & set(_headers(page)), f"{lang} {title}: {_headers(page)}"
        if title in ("Tumpang Tindih", "Overlaps"):
            headers = _headers(page)
            assert headers[:2] == ["No.", "Proyek A" if lang == "id" else "Project A"], headers
            cells = " ".join(page.get_by_test_id("stDataFrame").first.locator(
                '[role="gridcell"]').all_text_contents())  # fmt: skip
            money = r"Rp \d{1,3}(\.\d{3})+" if lang == "id" else r"Rp \d{1,3}(,\d{3})+"
            km = r"\b\d+,\d{2} km\b" if lang == "id" else r"\b\d+\.\d{2} km\b"
            assert re.search(money, cells) and re.search(km, cells), cells[:500]
            share = r"\b\d+,\d %" if lang == "id" else r"\b\d+\.\d %"
            assert re.search(share, cells), cells[:500]
        page.screenshot(path=screenshots / f"{lang}_{title.lower().replace(' ', '_')}.png")


def test_every_page_reads_in_one_language_at_a_time(app_url, tmp_path):
    page_size = (1366, 768)
    with browser_support.offline_page(app_url, viewport=page_size, locale="en-US") as (page, watch):
        from playwright.sync_api import expect

        expect(page.get_by_role("heading", name="Peta Sinergi")).to_be_visible(timeout=TIMEOUT_MS)
        _walk(page, "id", tmp_path)
        page.get_by_role("combobox", name="Bahasa / Language").click()
        page.get_by_role("option", name="English").click()
        expect(
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Map", exact=True)
        ).to_be_visible(timeout=TIMEOUT_MS)
        _walk(page, "en", tmp_path)
        assert watch.blocked == [] and watch.errors == []


def test_choices_already_made_read_in_the_new_language_after_a_switch(app_url):
    """A file checked in Indonesian, then the language switched on the same page: every choice
    box (column mapping, level and asset type of every row) shows its choice in English."""
    with browser_support.offline_page(app_url, viewport=(1366, 768), locale="en-US") as (page, _):
        from playwright.sync_api import expect

        expect(page.get_by_role("heading", name="Peta Sinergi")).to_be_visible(timeout=TIMEOUT_MS)
        _open(page, "Unggah", "Unggah")
        page.locator('input[type="file"]').set_input_files(str(SAMPLES / NO_AGENCY_XLSX))
        page.get_by_role("button", name="Periksa berkas").click(timeout=TIMEOUT_MS)
        expect(page.get_by_text(re.compile("langkah 3")).first).to_be_visible(timeout=TIMEOUT_MS)
        choices = page.locator('[data-testid="stMain"] input[role="combobox"]')

        def shown() -> list[str]:
            return [box.get_attribute("value") or "" for box in choices.all()]

        assert "dari berkas" in shown() and "— tidak ada —" in shown(), shown()
        page.get_by_role("combobox", name="Bahasa / Language").click()
        page.get_by_role("option", name="English").click()
        expect(page.get_by_role("heading", name="Upload", exact=True)).to_be_visible(
            timeout=TIMEOUT_MS
        )
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=TIMEOUT_MS)
        page.wait_for_timeout(1500)
        values = shown()
        assert "from the file" in values and "— none —" in values, values
        assert not {"dari berkas", "— tidak ada —"} & set(values), values


def test_the_language_chosen_stays_after_a_reload_and_in_a_pages_address(app_url):
    """English chosen once stays English when the page is reloaded, when another page is opened
    from the sidebar and when that page's address is opened anew (it carries ``?lang=en``);
    Indonesian again leaves the address plain."""
    with browser_support.offline_page(app_url, viewport=(1366, 768), locale="en-US") as (page, _):
        from playwright.sync_api import expect

        nav = page.get_by_test_id("stSidebarNav")
        expect(page.get_by_role("heading", name="Peta Sinergi")).to_be_visible(timeout=TIMEOUT_MS)
        page.get_by_role("combobox", name="Bahasa / Language").click()
        page.get_by_role("option", name="English").click()
        expect(nav.get_by_role("link", name="Map", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
        expect(page).to_have_url(re.compile(r"\?lang=en$"), timeout=TIMEOUT_MS)
        page.reload()
        expect(nav.get_by_role("link", name="Map", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
        _open(page, "Overlaps", "Overlaps")
        expect(page).to_have_url(re.compile(r"/tumpang-tindih\?lang=en$"), timeout=TIMEOUT_MS)
        page.goto(page.url)
        expect(page.get_by_role("heading", name="Overlaps", exact=True)).to_be_visible(
            timeout=TIMEOUT_MS
        )
        page.get_by_role("combobox", name="Bahasa / Language").click()
        page.get_by_role("option", name="Bahasa Indonesia").click()
        expect(page.get_by_role("heading", name="Tumpang Tindih", exact=True)).to_be_visible(
            timeout=TIMEOUT_MS
        )
        expect(page).to_have_url(re.compile(r"/tumpang-tindih$"), timeout=TIMEOUT_MS)
