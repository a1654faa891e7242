"""Tumpang Tindih and Kewenangan: a sortable findings table linked to the map, and reviews.

Selecting a row zooms the map to that finding; the review form under the map records a
decision (confirm / dismiss / note) in the store, and the map and table show it.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from geo.analyse.run import most_pressing, project_keys, with_project_geometry
from geo.errors import GeoInputError
from geo.finding_ids import FindingRef
from geo.settings import Settings
from geo.store.tables import REVIEW_DECISIONS
from layers.formatting import format_number
from layers.map_labels import finding_numbers
from layers.tables import mismatch_numbers, mismatch_table, overlap_table
from ui import app_settings, auth, common, state
from ui.i18n import text
from ui.store_cache import StoreData, analysis, open_current, store_analysis, store_reviews

#: Rows a findings table sends to the browser: 100k findings would be about 23 MB of table.
TABLE_MAX_ROWS: Final[int] = 2000


def show_overlaps() -> None:
    """The Tumpang Tindih page."""
    lang = common.language()
    common.page_header("page_tumpang_tindih", lang, caption_key="overlaps_intro")
    data = common.load_store_or_stop(lang)
    overlaps = store_analysis(data).overlaps
    if overlaps.empty:
        st.info(text("no_overlaps", lang))
    else:
        numbers = overlap_numbers(data)
        shown = in_number_order(most_pressing(overlaps, TABLE_MAX_ROWS), numbers)
        _findings_view(
            data,
            shown,
            overlap_table(shown, store_reviews(data), lang=lang, numbers=numbers),
            total=len(overlaps),
            kind="overlaps",
            table_key=state.OVERLAP_TABLE,
            map_key=state.OVERLAP_MAP,
            lang=lang,
        )
    common.show_settings(lang)


def show_mismatches() -> None:
    """The Kewenangan page."""
    lang = common.language()
    common.page_header("page_kewenangan", lang, caption_key="mismatches_intro")
    data = common.load_store_or_stop(lang)
    if data.roads is None and data.irrigation_areas is None:
        st.info(text("no_reference", lang))
        return
    mismatches = store_analysis(data).mismatches
    if mismatches.empty:
        st.info(text("no_mismatches", lang))
        return
    numbers = mismatch_numbers(mismatches)
    shown = in_number_order(most_pressing(mismatches, TABLE_MAX_ROWS), numbers)
    _findings_view(
        data,
        with_project_geometry(shown, data.projects),
        mismatch_table(shown, store_reviews(data), lang=lang, numbers=numbers),
        total=len(mismatches),
        kind="mismatches",
        table_key=state.MISMATCH_TABLE,
        map_key=state.MISMATCH_MAP,
        lang=lang,
    )


def _findings_view(
    data: StoreData,
    findings: gpd.GeoDataFrame,
    table: pd.DataFrame,
    *,
    total: int,
    kind: str,
    table_key: str,
    map_key: str,
    lang: str,
) -> None:
    saved = st.session_state.pop(state.REVIEW_SAVED, None)
    if saved:
        st.success(
            text("review_saved", lang).format(finding=common.plain(saved)),
            icon=":material/check:",
        )
    count = format_number(total, lang=lang)
    caption = text("findings_count", lang).format(count=count)
    if total > len(findings):
        caption = text("findings_top", lang).format(
            count=count, shown=format_number(len(findings), lang=lang)
        )
    st.caption(caption + " · " + text("select_row", lang))
    row = common.pick_row(table, key=table_key)
    chosen = findings.iloc[[row]] if row is not None and row < len(findings) else None
    focus = common.bounds_of(chosen) if chosen is not None else None
    if chosen is not None:
        # The finding's projects are drawn too, so the map shows what overlaps what.
        keys = _involved_keys(chosen, kind)
        context = data.projects[project_keys(data.projects).isin(keys)]
        if focus is None:
            focus = common.bounds_of(context)
    # Imported here: the upload page uses this module's tables and loads folium only once a
    # file is read and its map is drawn.
    from ui.maps import show_store_map

    show_store_map(data, lang, key=map_key, findings_kind=kind, focus_bounds=focus)
    if chosen is not None and auth.can_edit():
        _review_form(data, finding_ref(chosen.iloc[0], kind), lang)


def in_number_order(findings: pd.DataFrame, numbers: pd.Series) -> pd.DataFrame:
    """``findings`` in the order of their numbers (finding id -> number), unnumbered last."""
    order = findings["finding_id"].astype(str).map(numbers).fillna(float("inf"))
    return findings.iloc[np.argsort(order.to_numpy(dtype=float), kind="stable")]


def overlap_numbers(data: StoreData) -> pd.Series:
    """Finding id -> number of every overlap of the store, as the maps, the slide and the
    meeting pack number them (:func:`layers.map_labels.finding_numbers`)."""
    return _overlap_numbers(data.locator, data.version, app_settings.current())


@st.cache_data(show_spinner=False, max_entries=4)
def _overlap_numbers(locator: str, version: tuple[int, ...], settings: Settings) -> pd.Series:
    return finding_numbers(analysis(locator, version, settings).overlaps)


def finding_ref(row: pd.Series, kind: str) -> FindingRef:
    """The finding of a findings-table row, as the store checks it: id, projects, basis."""
    if kind == "overlaps":
        return FindingRef(
            str(row["finding_id"]),
            (
                (str(row["agency_a"]), str(row["project_a"])),
                (str(row["agency_b"]), str(row["project_b"])),
            ),
            str(row["asset_type"]),
        )
    return FindingRef(
        str(row["finding_id"]), ((str(row["agency"]), str(row["project_id"])),), str(row["rule"])
    )


def _involved_keys(chosen: pd.DataFrame, kind: str) -> set[str]:
    if kind == "overlaps":
        row = chosen.iloc[0]
        return {
            f"{row['agency_a']}\x1f{row['project_a']}",
            f"{row['agency_b']}\x1f{row['project_b']}",
        }
    return set(project_keys(chosen))


def _review_form(data: StoreData, finding: FindingRef, lang: str) -> None:
    """Record a decision on ``finding``; show the last one."""
    finding_id = finding.finding_id
    st.subheader(f"{text('review', lang)}: {common.plain(finding_id)}")
    reviews = store_reviews(data)
    last = reviews[reviews["finding_id"] == finding_id]
    if len(last):
        review = last.iloc[-1]
        st.caption(
            text("last_review", lang).format(
                decision=text(f"status_{review['decision']}", lang),
                who=common.plain(review["who"]) or "–",
                when=common.plain(common.time_text(review["decided_at"], lang)),
            )
            + (f" — {common.plain(review['note'])}" if review["note"] else "")
        )
    with st.form(f"review_{finding_id}", clear_on_submit=True):
        decision = st.radio(
            text("decision", lang),
            options=REVIEW_DECISIONS,
            format_func=lambda d: text(f"decision_{d}", lang),
            horizontal=True,
            key=state.REVIEW_DECISION,
        )
        note = st.text_area(text("note", lang), key=state.REVIEW_NOTE)
        who = st.text_input(text("who", lang), key=state.REVIEW_WHO)
        if st.form_submit_button(text("save_review", lang)):
            try:
                open_current().save_review(
                    finding, decision, note=note, who=who, actor=auth.actor()
                )
            except GeoInputError as error:
                common.show_problems(text("review", lang), error)
                return
            st.session_state[state.REVIEW_SAVED] = finding_id
            st.rerun()
