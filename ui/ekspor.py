"""Ekspor: meeting material of the store in one click (DESIGN section 8).

A thin view over :func:`layers.exports.export_bytes`: the slide map, the print map, the meeting
pack, the Excel workbook, the findings for QGIS and the OC4IDS projects, made only when their
button is clicked (Streamlit runs the callable then). Opening the page analyses nothing: it shows
the analyses the other pages share (:mod:`ui.store_cache`, read from the store when it holds
them), and each import report is read only when the workbook asks for it. The finding tables
are also offered as plain CSV, written when their button is clicked.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from geo.analyse.run import Analysis
from geo.read.reference import unit_level
from layers.exports import EXPORTS, export_bytes
from layers.formatting import format_number
from layers.map_labels import map_text
from layers.map_text import subtitle
from layers.tables import uploads_table
from layers.words import with_units
from ui import app_settings, common, state
from ui.i18n import DEFAULT_LANG, text
from ui.store_cache import store_export


def show() -> None:
    """The Ekspor page: every export of the whole store, then the finding tables as CSV."""
    lang = common.language()
    common.page_header("page_ekspor", lang, caption_key="export_intro")
    data = common.load_store_or_stop(lang)
    analyses = store_export(data)
    st.caption(common.plain(subtitle(analyses, lang)))
    title = st.text_input(text("export_title", lang), value=map_text("title", lang))
    download_buttons(analyses, lang=lang, title=title)
    st.caption(text("export_offline", lang))

    st.subheader(text("export_csv", lang))
    downloads = [
        ("download_overlaps", analyses.overlaps, "tumpang_tindih.csv"),
        ("download_mismatches", analyses.mismatches, "kewenangan.csv"),
    ]
    if analyses.coverage is not None:
        downloads.append(("download_gaps", analyses.coverage, "kesenjangan.csv"))
    # For people, as the Data page shows it: upload times in WIB (or the WITA/WIT setting).
    uploads = uploads_table(analyses.uploads, lang=lang, zone=common.time_zone())
    downloads.append(("download_uploads", uploads, "unggahan.csv"))
    level = unit_level(data.units)
    for label_key, table, file_name in downloads:
        st.download_button(
            f"{with_units(text(label_key, lang), level, lang)} — "
            f"{format_number(len(table), lang=lang)}",
            data=common.deferred_csv(table),
            file_name=file_name,
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
        )


def download_buttons(
    analyses: Analysis,
    kinds: Sequence[str] = tuple(EXPORTS),
    *,
    lang: str = DEFAULT_LANG,
    title: str | None = None,
    key: str = "ekspor",
) -> None:
    """One download button per export kind (keys of :data:`layers.exports.EXPORTS`) of the
    selection, e.g. ``("xlsx", "gpkg")`` next to a findings table; ``key`` keeps the buttons
    of two places on one page apart."""
    # One dict per session, filled by the callables when a file cannot be made: they run
    # outside the script run, where nothing can be drawn on the page.
    failures = st.session_state.setdefault(state.EXPORT_FAILURES, {})
    for kind in kinds:
        if kind == "oc4ids" and analyses.projects.empty:
            continue  # an OC4IDS package holds at least one project
        export = EXPORTS[kind]
        reason = failures.pop(kind, None)
        if reason is not None:
            st.error(
                text("export_failed", lang).format(
                    export=export.label(lang), reason=common.plain(reason)
                ),
                icon=":material/error:",
            )
        st.download_button(
            export.label(lang),
            data=_deferred(kind, analyses, lang, title or "", failures),
            file_name=export.file_name,
            mime=export.mime,
            key=f"{key}_{kind}",
            on_click="ignore",
            icon=":material/download:",
        )


def _deferred(
    kind: str,
    analyses: Analysis,
    lang: str,
    title: str,
    failures: dict[str, str] | None = None,
):
    """The export as a callable, so Streamlit makes the file only when it is asked for.

    When the file cannot be made the error still propagates (Streamlit logs its traceback and
    tells the browser the download failed), and ``failures[kind]`` records why, for the page
    to say on its next run: an input problem by its message, anything else by its kind only.
    """

    settings = app_settings.current()  # read now: the callable runs outside the script run

    def make() -> bytes:
        return export_bytes(kind, analyses, lang=lang, title=title or None, settings=settings)

    return make if failures is None else common.noting_failure(make, kind, failures)
