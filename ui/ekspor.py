"""Ekspor: meeting material of the store in one click (DESIGN section 8).

A thin view over :func:`layers.exports.export_bytes`: the slide map, the print map, the meeting
pack, the Excel workbook, the findings for QGIS and the OC4IDS projects, made only when their
button is clicked (Streamlit runs the callable then). Opening the page analyses nothing: it shows
the analyses the other pages share (:mod:`ui.store_cache`, read from the store when it holds
them), and each import report is read only when the workbook asks for it. The finding tables
are also offered as plain CSV, written when their button is clicked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import streamlit as st

from geo.analyse.selection import Analyses, ProjectFilter
from geo.errors import GeoInputError
from geo.read.import_report import ImportReport
from layers.exports import EXPORTS, export_bytes
from layers.formatting import format_number
from layers.map_labels import map_text
from layers.map_text import subtitle
from ui import common, state
from ui.common import deferred_csv
from ui.i18n import DEFAULT_LANG, text
from ui.store_cache import StoreData, store_analysis, store_at, store_coverage


def show() -> None:
    """The Ekspor page: every export of the whole store, then the finding tables as CSV."""
    lang = common.language()
    common.page_header("page_ekspor", lang, caption_key="export_intro")
    data = common.load_store_or_stop(lang)
    analyses = store_analyses(data)
    st.caption(common.plain(subtitle(analyses, lang)))
    title = st.text_input(text("export_title", lang), value=map_text("title", lang))
    download_buttons(analyses, lang=lang, title=title)
    st.caption(text("export_offline", lang))

    st.subheader(text("export_csv", lang))
    result = store_analysis(data)
    downloads = [
        ("download_overlaps", result.overlaps, "tumpang_tindih.csv"),
        ("download_mismatches", result.mismatches, "kewenangan.csv"),
    ]
    gaps = store_coverage(data)
    if gaps is not None:
        downloads.append(("download_gaps", gaps, "kesenjangan.csv"))
    downloads.append(("download_uploads", analyses.uploads, "unggahan.csv"))
    for label_key, table, file_name in downloads:
        st.download_button(
            f"{text(label_key, lang)} — {format_number(len(table), lang=lang)}",
            data=deferred_csv(table),
            file_name=file_name,
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
        )


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
    analyses: Analyses,
    lang: str,
    title: str,
    failures: dict[str, str] | None = None,
):
    """The export as a callable, so Streamlit makes the file only when it is asked for.

    When the file cannot be made the error still propagates (Streamlit logs its traceback and
    tells the browser the download failed), and ``failures[kind]`` records why, for the page
    to say on its next run: an input problem by its message, anything else by its kind only.
    """

    def make() -> bytes:
        try:
            return export_bytes(kind, analyses, lang=lang, title=title or None)
        except Exception as error:
            if failures is not None:
                failures[kind] = (
                    "; ".join(error.problems)
                    if isinstance(error, GeoInputError)
                    else type(error).__name__
                )
            raise

    return make


def store_analyses(data: StoreData) -> Analyses:
    """Every project of ``data`` with the findings the other pages show (:func:`store_analysis`,
    :func:`store_coverage`: saved in the store, or computed once and shared), as the exports
    take them; the same as :func:`geo.analyse.selection.analyse_store` of the whole store."""
    result = store_analysis(data)
    mismatches = None
    if data.roads is not None or data.irrigation_areas is not None:
        mismatches = result.mismatches.drop(columns="finding_id", errors="ignore")
    store = store_at(data.locator)
    uploads = store.list_uploads()
    return Analyses(
        projects=data.projects,
        findings=result.overlaps,
        mismatches=mismatches,
        gaps=store_coverage(data),
        units=data.units,
        selected_units=data.units,
        filters=ProjectFilter(),
        uploads=uploads,
        reports=_StoredReports(store, [int(i) for i in uploads["id"]]),  # type: ignore[arg-type]
    )


class _StoredReports(Mapping[int, ImportReport]):
    """The import report of each upload, read from the store when first asked for (only the
    workbook reads them; a national upload's report takes a second to read)."""

    def __init__(self, store, upload_ids: list[int]) -> None:
        self._store = store
        self._ids = upload_ids
        self._read: dict[int, ImportReport] = {}

    def __getitem__(self, upload_id: int) -> ImportReport:
        if upload_id not in self._ids:
            raise KeyError(upload_id)
        if upload_id not in self._read:
            self._read[upload_id] = self._store.upload_report(upload_id)
        return self._read[upload_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)
