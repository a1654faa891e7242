"""Matriks Sinkronisasi in Chromium on a laptop screen (1366x768, an en-US browser): the rows
with a conflict, one selected and its decision form, in Bahasa Indonesia then in English; no
word of the other language, no column code and no command-line flag on the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.demo.build import ensure_demo_store
from tests import browser_support
from tests.browser_support import app_on_store
from tests.test_browser_cek_usulan import _select_first_row
from tests.test_browser_words import NOT_ENGLISH, NOT_INDONESIAN, _open, _read_screens

pytestmark = pytest.mark.browser

TIMEOUT_MS = 120_000
#: The page's own words of the other language (the agencies' work types and statuses in the
#: cells, such as "peningkatan" or "kontrak", stay as written).
NOT_INDONESIAN_HERE = [
    r"\bAccepted\b",
    r"\bRejected\b",
    r"\bTo discuss\b",
    r"\b[Ss]ynchronisation\b",
    r"\bworks by year\b",
    r"\bMeeting\b",
    r"\bConflict\b",
    r"\bbridge work",
    r"\bDistrict/city\b",
    r"\bDownload\b",
    r"\brow_id\b",
    r"\breference_id\b",
    r"\bconflict_years\b",
    r"\bfinding_ids\b",
]
NOT_ENGLISH_HERE = [
    r"\bDiterima\b",
    r"\bDitolak\b",
    r"\bDidiskusikan\b",
    r"\bKeputusan\b",
    r"\bCatatan rapat\b",
    r"\bpekerjaan per tahun\b",
    r"\bKonflik\b",
    r"\bpekerjaan jembatan\b",
    r"\bKabupaten/kota\b",
    r"\bUnduh\b",
    r"\bHanya\b",
    r"\bbaris\b",
]
TITLES = {"id": "Matriks Sinkronisasi", "en": "Synchronisation matrix"}
ONLY_CONFLICTS = {"id": "Hanya baris dengan konflik", "en": "Only rows with a conflict"}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store")
    ensure_demo_store(folder / "peta_sinergi.gpkg")
    with app_on_store(folder / "peta_sinergi.gpkg", tmp_path_factory.mktemp("server")) as url:
        yield url


def _read_the_matrix(page, lang: str, shots: Path) -> str:
    from playwright.sync_api import expect

    _open(page, TITLES[lang], TITLES[lang])
    expect(page.get_by_test_id("stDataFrame")).to_have_count(1, timeout=TIMEOUT_MS)
    toggle = page.get_by_label(ONLY_CONFLICTS[lang])
    if not toggle.is_checked():  # it stays on after a switch of language
        page.get_by_text(ONLY_CONFLICTS[lang]).click()
    expect(toggle).to_be_checked(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=TIMEOUT_MS)
    page.wait_for_timeout(1500)
    _select_first_row(page)
    decide = "Keputusan rapat: Kab. Bukit Contoh" if lang == "id" else "Meeting decision: Kab."
    expect(page.get_by_text(decide)).to_be_visible(timeout=TIMEOUT_MS)
    # No decision yet: the form offers "to discuss", in the words of the language shown.
    discuss = "Didiskusikan" if lang == "id" else "To discuss"
    expect(page.get_by_role("radio", name=discuss)).to_be_checked(timeout=TIMEOUT_MS)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=TIMEOUT_MS)
    page.wait_for_timeout(1500)
    words, headers, cells = _read_screens(
        page,
        shots,
        f"matriks_{lang}",
        screens=3,
        forbidden=(
            NOT_INDONESIAN + NOT_INDONESIAN_HERE if lang == "id" else NOT_ENGLISH + NOT_ENGLISH_HERE
        ),
        where=f"{lang} {TITLES[lang]}",
    )
    first = ["Kabupaten/kota", "No"] if lang == "id" else ["District/city", "No"]
    assert headers[:2] == first, headers
    # The grid draws the columns on screen only: the first ones, the levels' works among them.
    works = "pekerjaan per tahun" if lang == "id" else "works by year"
    assert [h for h in headers if works in h] == [h for h in headers[5:8]], headers
    assert cells.startswith(
        "Kab. Bukit Contoh 1 ⚠ 2026 P-001 17+100 - 19+100 – 2025–2026: peningkatan, Rp "
    ), cells[:500]
    return words


def test_the_page_reads_in_one_language_at_a_time(app_url, tmp_path):
    from playwright.sync_api import expect

    viewport = (1366, 768)
    with browser_support.offline_page(app_url, viewport=viewport, locale="en-US") as (page, watch):
        expect(page.get_by_role("heading", name="Peta Sinergi")).to_be_visible(timeout=TIMEOUT_MS)
        words = _read_the_matrix(page, "id", tmp_path)
        assert "⚠ 2026" in words and "Ditolak" in words
        page.get_by_role("combobox", name="Bahasa / Language").click()
        page.get_by_role("option", name="English").click()
        expect(
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Map", exact=True)
        ).to_be_visible(timeout=TIMEOUT_MS)
        words = _read_the_matrix(page, "en", tmp_path)
        assert "⚠ 2026" in words and "Rejected" in words
        assert watch.blocked == [] and watch.errors == []
