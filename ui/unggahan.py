"""Data: the uploads in the store — list, import report, replace (via Unggah), delete.

An upload's report is read and put in words once per store version and language (a national
upload's report has 200,000 lines); its CSV and the audit trail's are written only when their
button is clicked.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.errors import GeoInputError
from layers.formatting import format_number
from layers.tables import audit_table, report_table, uploads_table
from ui import app_settings, auth, common, state
from ui.common import csv_bytes, deferred_csv
from ui.i18n import text
from ui.store_cache import open_current, store_at


def show() -> None:
    """The Data page: the uploads (:func:`_uploads`), then the settings in force."""
    lang = common.language()
    common.page_header("page_data", lang)
    _uploads(lang)
    common.show_settings(lang, title_key="settings_in_force")


def _uploads(lang: str) -> None:
    """Uploads in the store, the audit trail, one upload's report, and deleting it."""
    data = common.load_store_or_stop(lang)
    store = open_current()
    st.caption(text("data_intro", lang).format(store=data.label))
    deleted = st.session_state.pop(state.DATA_DELETED, None)
    if deleted:
        st.success(text("deleted", lang).format(upload=deleted[0], count=deleted[1]))
    uploads = store.list_uploads()
    if uploads.empty:
        st.info(text("no_uploads", lang))
        return
    zone = app_settings.current().time_zone
    common.show_table(uploads_table(uploads, lang=lang, zone=zone))
    st.caption(text("replace_hint", lang))
    _audit_trail(store, lang)
    names = dict(zip(uploads["id"], uploads["file_name"], strict=True))
    upload_id = st.selectbox(
        text("choose_upload", lang),
        options=list(names),
        format_func=lambda uid: f"{uid}: {names[uid]}",
        key=state.DATA_UPLOAD,
    )
    counts, notes, lines = _report(data.locator, data.version, int(upload_id), lang)
    st.subheader(text("report_of", lang).format(upload=upload_id))
    st.caption(
        text("counts", lang).format(**{k: format_number(v, 0, lang) for k, v in counts.items()})
    )
    if notes:
        common.show_messages(notes, lang)
    common.show_table(lines, formatted=True)
    st.caption(text("full_report_note", lang).format(upload=upload_id))
    st.download_button(
        text("download_report", lang),
        data=lambda: _report_csv(data.locator, int(upload_id), lang),
        file_name=f"laporan_impor_{upload_id}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    count = int(uploads.loc[uploads["id"] == upload_id, "stored"].iloc[0])
    user = auth.actor()
    owner = str(uploads.loc[uploads["id"] == upload_id, "agency"].iloc[0])
    if not auth.can_edit() or (user.role == "editor" and owner != user.agency):
        return  # the store refuses it too
    confirmed = st.checkbox(
        text("delete_confirm", lang).format(upload=upload_id, count=count),
        # One confirmation per upload: ticking it never carries over to the next one.
        key=f"{state.DATA_DELETE_CONFIRM}_{upload_id}",
    )
    if st.button(text("delete", lang), disabled=not confirmed, icon=":material/delete:"):
        try:
            removed = store.delete_upload(int(upload_id), actor=auth.actor())
        except GeoInputError as error:
            common.show_problems(text("delete", lang), error)
            return
        st.session_state[state.DATA_DELETED] = (int(upload_id), removed)
        st.rerun()


def _audit_trail(store, lang: str) -> None:
    """Who imported, replaced, deleted and reviewed what, and when; downloadable."""
    with st.expander(text("audit_trail", lang), icon=":material/history:"):
        log = audit_table(store.audit_log(), lang=lang, zone=app_settings.current().time_zone)
        common.show_table(log)
        st.download_button(
            text("download_audit", lang),
            data=deferred_csv(log),
            file_name="jejak_audit.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
        )


@st.cache_data(show_spinner=False, max_entries=4)
def _report(
    locator: str, version: tuple[int, ...], upload_id: int, lang: str
) -> tuple[dict[str, int], list[str], pd.DataFrame]:
    """Counts, notes and the record lines (:func:`layers.tables.report_table`, written for
    ``lang`` as :func:`ui.common.text_columns` writes them) of an upload's import report."""
    del version  # only part of the cache key: a replaced upload gets a new store version
    report = store_at(locator).upload_report(upload_id)
    lines = common.text_columns(report_table(report.to_frame(), lang=lang), lang)
    return dict(report.counts), list(report.notes), lines


def _report_csv(locator: str, upload_id: int, lang: str) -> bytes:
    """Every line of an upload's import report as CSV (made when the button is clicked)."""
    report = store_at(locator).upload_report(upload_id)
    return csv_bytes(report_table(report.lines_frame(), lang=lang))
