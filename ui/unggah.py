"""Unggah: the upload wizard — file, what it holds, column mapping, options, report, save.

Nothing reaches the store before the user presses save: checking a file reads it in a
temporary folder (under its original name: readers go by the extension) with the same reader
the CLI uses. Bad files show the reader's problem lines, never a traceback.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

import pandas as pd
import streamlit as st

from geo.analyse.run import project_keys
from geo.errors import GeoInputError
from geo.read.inspect import MAPPABLE_FIELDS, FileSummary, suggest_mapping
from geo.read.projects import ReadResult
from geo.schema import ASSET_TYPES, LEVELS
from layers.formatting import format_number
from layers.palette import asset_label, level_label
from layers.tables import (
    located_summary,
    mismatch_numbers,
    mismatch_table,
    overlap_table,
    report_table,
)
from layers.words import value_label
from ui import app_settings, auth, common, state
from ui.common import csv_bytes
from ui.findings import overlap_numbers
from ui.i18n import text
from ui.store_cache import (
    StoreData,
    UploadedFile,
    inspect_upload,
    new_analysis,
    open_current,
    read_upload,
    store_analysis,
    store_reviews,
)

#: Parts of a shapefile that travel beside the ``.shp``: never read on their own.
_SIDECARS: Final[frozenset[str]] = frozenset(
    {".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml", ".qmd"}
)


def show() -> None:
    """The Unggah page."""
    lang = common.language()
    common.page_header("page_unggah", lang, caption_key="upload_intro")
    data = common.load_store_or_stop(lang)
    _wizard(data, lang)
    # Below the wizard, where the save button was: what the save stored and its findings.
    _show_outcome(data, lang)


def _wizard(data: StoreData, lang: str) -> None:
    """Steps 1-5 for the chosen file(s); returns early wherever the user has more to do."""
    files = st.file_uploader(
        text("choose_files", lang),
        help=text("upload_help", lang).format(mb=common.upload_limit_mib()),
        accept_multiple_files=True,
        key=state.UPLOAD_FILES,
        # The browser refuses a larger file at once, saying the limit, before sending it.
        max_upload_size=common.upload_limit_mib(),
    )
    if not files:
        return
    uploaded = tuple(UploadedFile(Path(f.name).name, f.getvalue()) for f in files)
    mains = [f.name for f in uploaded if Path(f.name).suffix.lower() not in _SIDECARS]
    if not mains:
        mains = [uploaded[0].name]
    main = (
        st.selectbox(text("main_file", lang), options=mains, key=state.UPLOAD_MAIN)
        if len(mains) > 1
        else mains[0]
    )
    try:
        summary = inspect_upload(uploaded, main, app_settings.current())
    except GeoInputError as error:
        common.show_problems(text("read_error", lang), error)
        return
    _show_summary(summary, lang)
    file_key = hashlib.sha256(
        "".join(f"{f.name}:{f.sha256}" for f in uploaded).encode() + main.encode()
    ).hexdigest()[:12]
    outcome = st.session_state.get(state.UPLOAD_OUTCOME)
    if outcome and outcome["file_key"] != file_key:
        del st.session_state[state.UPLOAD_OUTCOME]  # a new file: the last save's news is old
    mapping = _mapping_editor(summary, file_key, lang)
    level, agency, asset, crs = _given_options(lang)
    replace = st.checkbox(text("replace", lang), key=state.UPLOAD_REPLACE)
    options_key = repr((file_key, mapping, level, agency, asset, crs))
    if st.button(text("check", lang), type="primary", icon=":material/fact_check:"):
        st.session_state[state.UPLOAD_CHECKED] = options_key
    if st.session_state.get(state.UPLOAD_CHECKED) != options_key:
        return
    try:
        result = read_upload(
            uploaded,
            main,
            mapping=mapping,
            level=level,
            agency=agency,
            asset_type=asset,
            crs=crs,
            locator=data.locator,
            version=data.version,
            settings=app_settings.current(),
        )
    except GeoInputError as error:
        common.show_problems(text("read_error", lang), error)
        return
    _show_report(result, lang)
    _commit(result, file_key=file_key, replace=replace, lang=lang)


def _show_summary(summary: FileSummary, lang: str) -> None:
    st.subheader(text("step_detect", lang))
    for layer in summary.layers:
        label = (
            f"{text('layer', lang)}: {common.plain(layer.name)} — {layer.features} "
            f"{text('features', lang)}"
        )
        with st.expander(label, expanded=len(summary.layers) == 1):
            crs = layer.crs if layer.crs_declared and layer.crs else text("crs_missing", lang)
            kinds = ", ".join(
                f"{value_label('geometry', kind, lang)} ({count})"
                for kind, count in layer.geometry_types.items()
            )
            st.markdown(
                f"**{text('crs', lang)}:** {common.plain(crs)}  \n"
                f"**{text('geometry_types', lang)}:** {common.plain(kinds)}"
            )
            st.markdown(f"**{text('columns', lang)}:**")
            st.code(", ".join(layer.columns) or "–", language=None)
    if summary.notes:
        st.markdown(f"**{text('reader_notes', lang)}:**")
        common.show_messages(summary.notes, lang)


def _mapping_editor(summary: FileSummary, file_key: str, lang: str) -> tuple[tuple[str, str], ...]:
    """One select per field, pre-filled from the synonyms; returns the chosen (field, column)."""
    st.subheader(text("step_mapping", lang))
    st.caption(text("mapping_help", lang))
    columns = list(summary.columns)
    suggested = suggest_mapping(columns)
    options = ["", *columns]
    chosen: list[tuple[str, str]] = []
    grid = st.columns(3)
    for position, field in enumerate(MAPPABLE_FIELDS):
        with grid[position % 3]:
            # Keyed by the file: a new file starts from its own suggestions.
            key = common.language_key(f"{state.UPLOAD_MAPPING_PREFIX}{file_key}_{field}", lang)
            column = st.selectbox(
                text(f"field_{field}", lang),
                options=options,
                # the suggestion, unless a choice was carried over from the other language
                index=0 if key in st.session_state else options.index(suggested.get(field, "")),
                format_func=lambda c: c or text("no_column", lang),
                key=key,
            )
        if column:
            chosen.append((field, column))
    return tuple(chosen)


def _given_options(lang: str) -> tuple[str | None, str | None, str | None, str | None]:
    """Level, agency, asset type for every row and a CRS for files that declare none."""
    st.subheader(text("step_given", lang))
    left, middle, right = st.columns(3)
    with left:
        level = st.selectbox(
            text("given_level", lang),
            options=["", *LEVELS],
            format_func=lambda v: level_label(v, lang) if v else text("from_file", lang),
            key=common.language_key(state.UPLOAD_LEVEL, lang),
        )
    with middle:
        user = auth.actor()
        if user.role == "editor":  # an editor uploads for their own agency only
            st.session_state[state.UPLOAD_AGENCY] = user.agency
        agency = st.text_input(
            text("given_agency", lang),
            key=state.UPLOAD_AGENCY,
            disabled=user.role == "editor",
        )
    with right:
        asset = st.selectbox(
            text("given_asset", lang),
            options=["", *ASSET_TYPES],
            format_func=lambda v: asset_label(v, lang) if v else text("from_file", lang),
            key=common.language_key(state.UPLOAD_ASSET, lang),
        )
    crs = st.text_input(text("crs_option", lang), key=state.UPLOAD_CRS)
    return level or None, agency.strip() or None, asset or None, crs.strip() or None


def _show_report(result: ReadResult, lang: str) -> None:
    st.subheader(text("step_report", lang))
    report = result.report
    counts = report.counts
    st.markdown(text("counts", lang).format(**_counts_text(counts, lang)))
    if report.notes:
        common.show_messages(report.notes, lang)
    common.show_table(report_table(report.to_frame(), lang=lang))
    st.download_button(
        text("download_report", lang),
        data=lambda: csv_bytes(report_table(report.lines_frame(), lang=lang)),
        file_name=f"laporan_impor_{Path(report.source_file).stem}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


def _commit(result: ReadResult, *, file_key: str, replace: bool, lang: str) -> None:
    st.subheader(text("step_commit", lang))
    if result.projects.empty:
        st.warning(text("nothing_to_store", lang))
        return
    if not st.button(text("commit", lang), type="primary", icon=":material/save:"):
        return
    store = open_current()
    try:
        outcome = store.import_result(result, replace=replace, actor=auth.actor())
    except GeoInputError as error:  # e.g. records of another agency than the editor's
        common.show_problems(text("commit", lang), error)
        return
    st.session_state[state.UPLOAD_OUTCOME] = {
        "file_key": file_key,
        "upload_id": outcome.upload_id,
        "stored": outcome.report.counts["stored"],
        "read": outcome.report.counts["read"],
        "rejected": outcome.report.counts["rejected"],
        "already": outcome.already_imported,
        "replaced": outcome.replaced if outcome.options_changed else (),
        "keys": pd.DataFrame(result.projects[["agency", "project_id"]]),
    }
    st.session_state[state.UPLOAD_CHECKED] = None
    st.rerun()


def _show_outcome(data: StoreData, lang: str) -> None:
    """After a save: what was stored and the new data's findings against the whole store."""
    outcome = st.session_state.get(state.UPLOAD_OUTCOME)
    if not outcome:
        return
    if outcome["already"]:
        st.warning(text("already", lang).format(upload=outcome["upload_id"]))
        return
    st.success(
        text("stored", lang).format(upload=outcome["upload_id"], stored=outcome["stored"]),
        icon=":material/check_circle:",
    )
    if outcome["replaced"]:
        st.info(
            text("options_changed", lang).format(replaced=", ".join(map(str, outcome["replaced"])))
        )
    if outcome["rejected"]:
        st.warning(
            text("rejected_see_data", lang).format(
                rejected=outcome["rejected"], read=outcome["read"], upload=outcome["upload_id"]
            )
        )
    keys = tuple(sorted(set(project_keys(outcome["keys"]))))
    new_projects = data.projects[project_keys(data.projects).isin(set(keys))]
    result = new_analysis(data.locator, data.version, keys, app_settings.current())
    reviews = store_reviews(data)
    overlaps, mismatches = result.overlaps, result.mismatches
    st.subheader(text("new_findings", lang))
    if result.locations is not None and len(result.locations):
        st.caption(located_summary(result.locations, lang=lang))
    if overlaps.empty:
        st.info(text("no_new_findings", lang))
    else:
        st.markdown(f"**{text('new_overlaps', lang)}**")
        numbers = overlap_numbers(data)
        common.show_table(overlap_table(overlaps, reviews, lang=lang, numbers=numbers), wrap=True)
    if len(mismatches):
        st.markdown(f"**{text('new_mismatches', lang)}**")
        all_mismatches = store_analysis(data).mismatches
        common.show_table(
            mismatch_table(
                mismatches, reviews, lang=lang, numbers=mismatch_numbers(all_mismatches)
            ),
            wrap=True,
        )
    from ui.maps import show_store_map  # here: the page's first run (a file uploader) needs no map

    show_store_map(
        data,
        lang,
        key=state.UPLOAD_MAP,
        findings_kind="overlaps",
        only_projects=keys,
        focus_bounds=common.bounds_of(new_projects),
    )


def _counts_text(counts: dict[str, int], lang: str) -> dict[str, str]:
    """The counts of an import report written for ``lang`` (``1.234``)."""
    return {key: format_number(value, 0, lang) for key, value in counts.items()}
