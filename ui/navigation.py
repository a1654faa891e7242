"""The app's pages for ``st.navigation``: titles in the chosen language, fixed URL paths.

Each page is a two-line script under ``ui/pages/`` calling its view, so tests can open a page
by its file (``AppTest.switch_page("ui/pages/peta.py")``).
"""

from __future__ import annotations

from typing import Final

import streamlit as st

from ui.i18n import text

#: (script, URL path, title key, icon) of every page, in menu order; the first is the default.
PAGES: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("ui/pages/peta.py", "peta", "page_peta", ":material/map:"),
    ("ui/pages/unggah.py", "unggah", "page_unggah", ":material/upload_file:"),
    (
        "ui/pages/tumpang_tindih.py",
        "tumpang-tindih",
        "page_tumpang_tindih",
        ":material/join_inner:",
    ),
    ("ui/pages/kewenangan.py", "kewenangan", "page_kewenangan", ":material/gavel:"),
    ("ui/pages/kesenjangan.py", "kesenjangan", "page_kesenjangan", ":material/grid_view:"),
    # Its URL path is its file's name, so a first visit straight to it opens it (and AppTest
    # finds it before any run: tests/test_app_first_run.py).
    ("ui/pages/cek_usulan.py", "cek_usulan", "page_cek_usulan", ":material/fact_check:"),
    ("ui/pages/matriks.py", "matriks", "page_matriks", ":material/table_chart:"),
    ("ui/pages/ekspor.py", "ekspor", "page_ekspor", ":material/download:"),
    ("ui/pages/data.py", "data", "page_data", ":material/database:"),
)


#: Pages only editors and administrators see (the store refuses the writes too).
EDITING_PAGES: Final[frozenset[str]] = frozenset({"unggah"})


def pages(lang: str, *, can_edit: bool = True) -> list[st.Page]:
    """Every page (the upload page only for those who may edit) with its title in ``lang``."""
    return [
        st.Page(script, title=text(title_key, lang), icon=icon, url_path=path, default=i == 0)
        for i, (script, path, title_key, icon) in enumerate(PAGES)
        if can_edit or path not in EDITING_PAGES
    ]
