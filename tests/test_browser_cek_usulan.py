"""Cek Usulan in Chromium on a laptop screen (1366x768, an en-US browser): a proposal list
checked in Bahasa Indonesia, then in English; no word of the other language, no column code
and no command-line flag on the page, the numbers written by the app's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.demo.build import ensure_demo_store
from tests import browser_support
from tests.browser_support import app_on_store
from tests.test_app_cek_usulan import PROPOSALS
from tests.test_browser_words import NOT_ENGLISH, NOT_INDONESIAN, _open, _read_screens

pytestmark = pytest.mark.browser

TIMEOUT_MS = 120_000
#: The page's own words of the other language (the rules cited in the reasons, such as "UU
#: 2/2022 ... kewenangan Pemerintah Provinsi", and the agencies' status words stay as written).
NOT_INDONESIAN_HERE = [
    r"\bAccepted\b",
    r"\bRejected\b",
    r"\bTo discuss\b",
    r"\bSuggested\b",
    r"\boverlap\b",
    r"\bPlaced by\b",
    r"\bplacement\b",
    r"\bsuggested_status\b",
    r"--roads",
    r"--units",
    r"\bfrom the list's columns\b",
    r"\bSet the status\b",
    r"\bMeeting note\b",
]
NOT_ENGLISH_HERE = [
    r"\bDiterima\b",
    r"\bDitolak\b",
    r"\bDidiskusikan\b",
    r"\bStatus saran\b",
    r"\bPenempatan\b",
    r"\bseluruh ruas\b",
    r"\btidak ditempatkan\b",
    r"\btumpang tindih\b",
    r"\busulan lain\b",
    r"\btahun yang sama\b",
    r"\bberstatus jalan\b",
    r"\btidak dapat ditempatkan\b",
    r"\bdari kolom daftar\b",
    r"\bTetapkan status\b",
    r"\bCatatan rapat\b",
]
TITLES = {"id": "Cek Usulan", "en": "Check proposals"}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store")
    ensure_demo_store(folder / "peta_sinergi.gpkg")
    with app_on_store(folder / "peta_sinergi.gpkg", tmp_path_factory.mktemp("server")) as url:
        yield url


def _check_the_list(page, lang: str, proposals: Path, shots: Path) -> str:
    from playwright.sync_api import expect

    _open(page, TITLES[lang], TITLES[lang])
    page.locator('input[type="file"]').set_input_files(str(proposals))
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=TIMEOUT_MS)
    page.wait_for_timeout(2000)  # the map frame draws
    _select_first_row(page)
    decide = "Tetapkan status baris 1" if lang == "id" else "Set the status of row 1"
    expect(page.get_by_text(decide)).to_be_visible(timeout=TIMEOUT_MS)
    # The suggested status is chosen in the form, in the words of the language shown.
    suggested = "Ditolak" if lang == "id" else "Rejected"
    expect(page.get_by_role("radio", name=suggested)).to_be_checked(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=TIMEOUT_MS)
    page.wait_for_timeout(2000)
    forbidden = (
        NOT_INDONESIAN + NOT_INDONESIAN_HERE if lang == "id" else NOT_ENGLISH + NOT_ENGLISH_HERE
    )
    words, headers, cells = _read_screens(
        page,
        shots,
        f"cek_usulan_{lang}",
        screens=4,
        forbidden=forbidden,
        where=f"{lang} {TITLES[lang]}",
    )
    assert headers[:2] == ["No.", "Kode usulan" if lang == "id" else "Proposal code"], headers
    # The grid draws the columns on screen only: the first ones, what a meeting decides on
    # (the pagu further right is written by language too: tests/test_app_cek_usulan.py).
    first = "1 U-1 Rehabilitasi Jalan Simpang - Pematang " + (
        "Ditolak – ruas dan STA" if lang == "id" else "Rejected – ruas and STA"
    )
    assert cells.startswith(first), cells[:500]
    return words


def _select_first_row(page) -> None:
    """Tick the first row of the table (its box in the selection column, drawn on a canvas)."""
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    header_px = 36  # below the header, within the first row (66 px or more: wrapped rows)
    page.mouse.click(box["x"] + 16, box["y"] + header_px + 30)


def test_the_page_reads_in_one_language_at_a_time(app_url, tmp_path):
    from playwright.sync_api import expect

    proposals = tmp_path / "usulan_kab_sungai_contoh.csv"
    proposals.write_bytes(PROPOSALS)
    viewport = (1366, 768)
    with browser_support.offline_page(app_url, viewport=viewport, locale="en-US") as (page, watch):
        expect(page.get_by_role("heading", name="Peta Sinergi")).to_be_visible(timeout=TIMEOUT_MS)
        words = _check_the_list(page, "id", proposals, tmp_path)
        assert "Ditolak" in words and "ruas dan STA" in words
        page.get_by_role("combobox", name="Bahasa / Language").click()
        page.get_by_role("option", name="English").click()
        expect(
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Map", exact=True)
        ).to_be_visible(timeout=TIMEOUT_MS)
        words = _check_the_list(page, "en", proposals, tmp_path)
        assert "Rejected" in words and "ruas and STA" in words
        assert watch.blocked == [] and watch.errors == []
