"""Cek Usulan: check a proposal list against the store, see each row on the map and in a
table, and set each row's status (Diterima / Ditolak / Didiskusikan) with a note.

The list is read and checked by the library (:func:`geo.read.proposals.read_proposals`,
:func:`geo.analyse.proposals.check_proposals`) against the store's road network, units,
Daerah Irigasi and projects; nothing of it is stored but the statuses the meeting sets, each a
store decision of kind ``proposal`` (:meth:`geo.store.protocol.Store.save_decision`) on the
row's subject id, shown again whenever the same list is opened. A bad file shows the reader's
problem lines, never a traceback.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.errors import GeoInputError
from geo.schema import LEVELS, PROPOSAL_STATUSES
from geo.settings import Settings
from layers.formatting import format_number
from layers.palette import level_label
from layers.words import value_label
from ui import app_settings, auth, common, state
from ui.i18n import text
from ui.store_cache import (
    StoreData,
    UploadedFile,
    load_store,
    network,
    open_current,
    store_at,
)

_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclasses.dataclass(frozen=True)
class CheckedList:
    """A proposal list as checked: the check's rows (EPSG:4326), the values read from the
    list (aligned) and each row's subject id for decisions."""

    file_name: str
    checked: gpd.GeoDataFrame
    values: pd.DataFrame
    subject_ids: tuple[str, ...]


def show() -> None:
    """The Cek Usulan page."""
    lang = common.language()
    common.page_header("page_cek_usulan", lang, caption_key="proposals_intro")
    data = common.load_store_or_stop(lang)
    upload = st.file_uploader(
        text("proposal_file", lang),
        type=["xlsx", "csv"],
        help=text("proposal_file_help", lang).format(mb=common.upload_limit_mib()),
        key=state.PROPOSAL_FILE,
        max_upload_size=common.upload_limit_mib(),
    )
    level = (
        st.selectbox(
            text("proposal_level", lang),
            options=("", *LEVELS),
            format_func=lambda v: level_label(v, lang) if v else text("proposal_level_auto", lang),
            key=common.language_key(state.PROPOSAL_LEVEL, lang),
        )
        or None
    )
    if upload is None:
        st.info(text("proposal_none", lang), icon=":material/info:")
        return
    file = UploadedFile(Path(upload.name).name, upload.getvalue())
    key = _list_key(file, level, data)
    try:
        found = _checked_list(key, _version=data.version)
    except GeoInputError as error:
        common.show_problems(
            text("proposal_unreadable", lang).format(file=common.plain(file.name)), error
        )
        return
    _checked_view(data, key, found, lang)


@dataclasses.dataclass(frozen=True)
class _ListKey:
    """What a checked list depends on: the file, the level chosen, the store's data (not its
    version: a decision saved leaves the check as it was) and the settings."""

    file: UploadedFile
    level: str | None
    locator: str
    data_key: str
    settings: Settings


def _list_key(file: UploadedFile, level: str | None, data: StoreData) -> _ListKey:
    """What :func:`_checked_list` of ``file`` depends on, with the store ``data`` and the
    settings in force."""
    data_key = store_at(data.locator).data_key()
    return _ListKey(file, level, data.locator, data_key, app_settings.current())


@st.cache_data(show_spinner=False, max_entries=4)
def _checked_list(key: _ListKey, *, _version: tuple[int, ...]) -> CheckedList:
    """The list read (in a temporary folder, under its own name) and checked against the
    store's road network, units, Daerah Irigasi and projects (``_version``: the store's
    version, to read its data from the cache; not part of the key)."""
    from geo.analyse.proposals import check_proposals, subject_ids
    from geo.read.proposals import read_proposals

    stored = load_store(key.locator, _version)
    with tempfile.TemporaryDirectory(prefix="peta-usulan-") as tmp:
        path = Path(tmp) / key.file.name
        path.write_bytes(key.file.data)
        proposals = read_proposals(path, level=key.level, settings=key.settings)
    checked = check_proposals(
        proposals,
        network=network(key.locator, key.data_key, _version=_version),
        units=stored.units,
        projects=stored.projects,
        irrigation_areas=stored.irrigation_areas,
        settings=key.settings,
    )
    return CheckedList(
        key.file.name, checked, proposals.values, tuple(subject_ids(proposals, key.file.sha256))
    )


@st.cache_data(show_spinner=False, max_entries=4)
def _decisions(locator: str, version: tuple[int, ...]) -> pd.DataFrame:
    """The store's latest decision per proposal row."""
    del version  # only part of the cache key
    return store_at(locator).load_decisions("proposal")


@st.cache_data(show_spinner=False, max_entries=8)
def _shown(
    key: _ListKey, version: tuple[int, ...], lang: str, zone: str
) -> tuple[pd.DataFrame, pd.DataFrame, gpd.GeoDataFrame]:
    """The checked rows with their decisions, the table people read (numbers written for
    ``lang``) and the rows the map draws: built once per list, store version and language,
    not on every click in the table (a list of thousands of rows takes seconds)."""
    from layers.proposals import proposal_records, proposal_table, with_decisions

    found = _checked_list(key, _version=version)
    rows = with_decisions(found.checked, list(found.subject_ids), _decisions(key.locator, version))
    table = common.text_columns(proposal_table(rows, found.values, lang=lang, zone=zone), lang)
    return rows, table, proposal_records(found.checked, found.values, lang=lang)


def _checked_view(data: StoreData, key: _ListKey, found: CheckedList, lang: str) -> None:
    from layers.proposals import proposal_workbook

    saved = st.session_state.pop(state.PROPOSAL_SAVED, None)
    if saved:
        st.success(text("proposal_saved", lang).format(number=saved), icon=":material/check:")
    rows, table, records = _shown(key, data.version, lang, common.time_zone())
    st.caption(_summary(rows, lang))
    if data.roads is None:
        st.info(text("proposal_no_network", lang), icon=":material/info:")
    st.caption(text("proposal_select", lang))
    row = common.pick_row(table, key=state.PROPOSAL_TABLE, formatted=True)
    chosen = row if row is not None and row < len(rows) else None
    focus = None
    if chosen is not None:
        focus = common.bounds_of(found.checked.iloc[[chosen]].dropna(subset=["geometry"]))
    # Imported here: the page's first run (no list yet) loads no folium.
    from ui.maps import proposal_map

    list_key = f"{key.file.sha256}:{key.level}"
    common.show_map(
        proposal_map(
            data.locator, data.version, list_key, lang, _records=records, focus_bounds=focus
        ),
        key=state.PROPOSAL_MAP,
    )
    st.caption(
        text("proposal_map_caption", lang).format(
            drawn=format_number(len(records), lang=lang), rows=format_number(len(rows), lang=lang)
        )
    )
    if chosen is not None:
        _decision_form(rows.iloc[chosen], chosen + 1, lang)
    st.download_button(
        text("proposal_download", lang),
        data=lambda: proposal_workbook(rows),
        file_name=f"cek_usulan_{Path(key.file.name).stem}.xlsx",
        mime=_XLSX_MIME,
        icon=":material/download:",
    )


def _summary(rows: pd.DataFrame, lang: str) -> str:
    placed = rows["placement"].value_counts()
    status = rows["suggested_status"].value_counts()

    def n(value: int) -> str:
        return format_number(int(value), lang=lang)

    return text("proposal_summary", lang).format(
        rows=n(len(rows)),
        sta=n(placed.get("sta", 0)),
        ruas=n(placed.get("ruas", 0)),
        di=n(placed.get("di", 0)),
        unit=n(placed.get("unit", 0)),
        none=n(placed.get("none", 0)),
        accepted=n(status.get("Diterima", 0)),
        rejected=n(status.get("Ditolak", 0)),
        discuss=n(status.get("Didiskusikan", 0)),
        decided=n((rows["decided_status"] != "").sum()),
    )


def _decision_form(row: pd.Series, number: int, lang: str) -> None:
    """The status set on ``row`` (the last decision), and for editors the form to set it."""
    subject_id = str(row["subject_id"])
    st.subheader(
        text("proposal_decide", lang).format(
            number=number, proposal=common.plain(row["proposal_id"])
        )
    )
    if row["decided_status"]:
        st.caption(
            text("proposal_last", lang).format(
                status=value_label("proposal_status", row["decided_status"], lang),
                who=common.plain(row["decided_by"]) or "–",
                when=common.plain(common.time_text(row["decided_at"], lang)),
            )
            + (f" — {common.plain(row['decided_note'])}" if row["decided_note"] else "")
        )
    if not auth.can_edit():
        st.info(text("proposal_view_only", lang), icon=":material/lock:")
        return
    current = row["decided_status"] or row["suggested_status"]
    # Keys by language: the browser keeps showing a choice in the words it was made in.
    with st.form(f"proposal_{subject_id}", clear_on_submit=True):
        status = st.radio(
            text("proposal_status", lang),
            options=PROPOSAL_STATUSES,
            index=PROPOSAL_STATUSES.index(current) if current in PROPOSAL_STATUSES else 0,
            format_func=lambda s: value_label("proposal_status", s, lang),
            horizontal=True,
            key=f"{state.PROPOSAL_STATUS}_{lang}_{subject_id}",
        )
        note = st.text_area(
            text("proposal_note", lang), key=f"{state.PROPOSAL_NOTE}_{lang}_{subject_id}"
        )
        who = st.text_input(
            text("proposal_who", lang), key=f"{state.PROPOSAL_WHO}_{lang}_{subject_id}"
        )
        if st.form_submit_button(text("proposal_save", lang)):
            actor = auth.actor()
            try:
                open_current().save_decision(
                    "proposal",
                    subject_id,
                    status,
                    note=note,
                    who=who.strip() or actor.label,
                    actor=actor,
                )
            except GeoInputError as error:
                common.show_problems(text("proposal_save", lang), error)
                return
            st.session_state[state.PROPOSAL_SAVED] = number
            st.rerun()
