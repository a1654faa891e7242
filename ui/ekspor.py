"""Ekspor: a download button for every meeting export of the store (issue 6).

The page is a thin view over :func:`layers.exports.export_bytes`: it reads the store, applies
the filter it is given (the other pages' current filter) and offers each file. Files are made
only when their button is clicked (Streamlit runs the callable then), so opening the page costs
one analysis of the store, not seven exports.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

import streamlit as st

from geo.analyses import Analyses, ProjectFilter, analyse_store
from geo.demo import ensure_demo_store
from geo.errors import GeoInputError
from geo.settings import default_store_path
from geo.store import open_store
from layers.exports import EXPORTS, export_bytes
from layers.map_labels import map_text
from layers.map_text import subtitle
from ui import state
from ui.i18n import DEFAULT_LANG

_TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "header": "Ekspor untuk rapat",
        "title_input": "Judul peta dan bahan rapat",
        "store_error": "Data proyek tidak dapat dibaca",
        "help": "Berkas dibuat saat tombol diklik; peta dan bahan rapat bekerja tanpa internet.",
    },
    "en": {
        "header": "Exports for meetings",
        "title_input": "Title of the map and meeting pack",
        "store_error": "The project data cannot be read",
        "help": "Files are made when a button is clicked; maps and the pack work offline.",
    },
}


def show(filters: ProjectFilter | None = None) -> None:
    """Draw the export page for the store at ``$PETA_STORE``, filtered by ``filters``."""
    lang = st.session_state.get(state.LANG, DEFAULT_LANG)
    words = _TEXT[lang]
    st.header(words["header"])
    store_path = default_store_path()
    try:
        ensure_demo_store(store_path)
        analyses = _analyses(str(store_path), _store_version(store_path), filters)
    except GeoInputError as error:
        st.error(words["store_error"], icon=":material/error:")
        st.code("\n".join(error.problems), language=None)  # problem lines quote file names
        st.stop()
    st.caption(subtitle(analyses, lang))
    title = st.text_input(words["title_input"], value=map_text("title", lang))
    download_buttons(analyses, lang=lang, title=title)
    st.caption(words["help"])


def download_buttons(
    analyses: Analyses,
    kinds: Sequence[str] = tuple(EXPORTS),
    *,
    lang: str = DEFAULT_LANG,
    title: str | None = None,
    key: str = "ekspor",
) -> None:
    """One download button per export kind (keys of :data:`layers.exports.EXPORTS`) of the
    selection, e.g. ``("xlsx", "gpkg")`` next to a findings table; ``key`` keeps the buttons
    of two places on one page apart."""
    for kind in kinds:
        export = EXPORTS[kind]
        st.download_button(
            export.label(lang),
            data=_deferred(kind, analyses, lang, title or ""),
            file_name=export.file_name,
            mime=export.mime,
            key=f"{key}_{kind}",
            on_click="ignore",
        )


def _deferred(kind: str, analyses: Analyses, lang: str, title: str):
    """The export as a callable, so Streamlit makes the file only when it is asked for."""
    return lambda: export_bytes(kind, analyses, lang=lang, title=title or None)


@st.cache_data(show_spinner=False)
def _analyses(store_path: str, version: tuple[int, ...], filters: ProjectFilter | None) -> Analyses:
    """The store's filtered projects and findings, recomputed when ``version`` changes."""
    del version  # only part of the cache key
    return analyse_store(open_store(Path(store_path)), filters=filters)


def _store_version(store_path: Path) -> tuple[int, ...]:
    """Modification time (ns) and size of the store and its write-ahead log (WAL mode)."""
    version: list[int] = []
    for path in (store_path, store_path.with_name(store_path.name + "-wal")):
        if path.exists():
            stat = path.stat()
            version += [stat.st_mtime_ns, stat.st_size]
    return tuple(version)
