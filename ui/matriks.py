"""Matriks Sinkronisasi: the rakor synchronisation matrix of the store, filtered by
kabupaten/kota, budget year and level, with the meeting's decision and note per row.

A thin view over :func:`geo.analyse.matrix.build_matrix` of the analysis the other pages share
(:func:`ui.store_cache.analysis`: its located works and overlap findings) and the store's road
network: the matrix is built once per store data, settings and filter, and the meeting's
decisions (store decisions of kind ``matrix`` on the row id, :meth:`geo.store.protocol.Store.
save_decision`) are laid on it per store version, so saving one does not build it again. The
workbook and the A3 atlas of the filtered matrix are made only when their button is clicked.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from geo.analyse.matrix import MATRIX_LEVELS, Matrix
from geo.analyse.run import ProjectFilter
from geo.errors import GeoInputError
from geo.schema import PROPOSAL_STATUSES
from geo.settings import Settings
from layers.formatting import format_number
from layers.matrix_export import matrix_text, matrix_words
from layers.palette import level_label
from layers.words import translate_messages, value_label
from ui import app_settings, auth, common, state
from ui.i18n import text
from ui.store_cache import StoreData, analysis, load_store, network, open_current, store_at

_XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: What marks a row where two levels work on the same stretch in the same year.
CONFLICT_MARK = "⚠"
#: Most characters of a free-text decision (the store refuses longer ones).
_DECISION_MAX_CHARS = 200


@dataclasses.dataclass(frozen=True)
class MatrixKey:
    """What a matrix depends on: the store (its data, not its version: a decision saved leaves
    the matrix as it was), the settings and the filter."""

    locator: str
    data_key: str
    settings: Settings
    filters: ProjectFilter


def show() -> None:
    """The Matriks Sinkronisasi page."""
    lang = common.language()
    common.page_header("page_matriks", lang, caption_key="matrix_intro")
    data = common.load_store_or_stop(lang)
    everything = _matrix(_key(data, ProjectFilter()), _version=data.version)
    filters, only_conflicts = _filters(everything, lang)
    key = _key(data, filters)
    try:
        matrix = _matrix(key, _version=data.version)
    except GeoInputError as error:  # a unit no longer in the store
        common.show_problems(text("matrix_unit", lang), error)
        return
    matrix = matrix.with_decisions(_decisions(data.locator, data.version))
    saved = st.session_state.pop(state.MATRIX_SAVED, None)
    if saved:
        st.success(
            text("matrix_saved", lang).format(row=common.plain(saved)), icon=":material/check:"
        )
    st.caption(summary(matrix, lang))
    if data.roads is None:
        st.info(text("matrix_no_network", lang), icon=":material/info:")
    rows = matrix.rows
    if only_conflicts:
        rows = rows[rows["conflict"].astype(bool)]
    if rows.empty:
        st.info(matrix_text("no_rows", lang), icon=":material/info:")
    else:
        _table_and_form(_shown(key, data.version, lang, only_conflicts), rows, lang)
    _downloads(matrix, filters, lang)
    for note in translate_messages(matrix.notes, lang):
        st.caption(common.plain(note))


def _key(data: StoreData, filters: ProjectFilter) -> MatrixKey:
    return MatrixKey(
        data.locator, store_at(data.locator).data_key(), app_settings.current(), filters
    )


def _filters(everything: Matrix, lang: str) -> tuple[ProjectFilter, bool]:
    """The filter chosen above the table (kabupaten/kota, year, levels) and whether only the
    rows with a conflict are shown; the choices are those of the whole matrix."""
    units = (
        everything.rows.loc[everything.rows["unit_id"].astype(str) != "", ["unit_id", "unit_name"]]
        .drop_duplicates("unit_id")
        .sort_values("unit_name")
    )
    names = dict(zip(units["unit_id"].astype(str), units["unit_name"].astype(str), strict=True))
    left, middle, right = st.columns([2, 1, 2])
    with left:
        unit = st.selectbox(
            text("matrix_unit", lang),
            options=("", *names),
            format_func=lambda u: names.get(u, "") if u else text("matrix_unit_all", lang),
            key=common.language_key(state.MATRIX_UNIT, lang),
        )
    with middle:
        year = st.selectbox(
            text("matrix_year", lang),
            options=(0, *everything.years),
            format_func=lambda y: str(y) if y else text("matrix_year_all", lang),
            key=common.language_key(state.MATRIX_YEAR, lang),
        )
    with right:
        levels = st.multiselect(
            text("matrix_levels", lang),
            options=MATRIX_LEVELS,
            format_func=lambda v: level_label(v, lang),
            help=text("matrix_levels_help", lang),
            placeholder=text("all", lang),
            key=common.language_key(state.MATRIX_LEVELS, lang),
        )
    only_conflicts = st.toggle(text("matrix_only_conflicts", lang), key=state.MATRIX_ONLY_CONFLICTS)
    filters = ProjectFilter(
        year_from=year or None,
        year_to=year or None,
        levels=tuple(levels),
        units=(unit,) if unit else (),
    )
    return filters, only_conflicts


@st.cache_data(show_spinner=False, max_entries=8)
def _matrix(key: MatrixKey, *, _version: tuple[int, ...]) -> Matrix:
    """The matrix of the store's analysis (shared with the other pages) for ``key``'s filter,
    without decisions (``_version``: which data to read; not part of the key)."""
    from geo.analyse.matrix import build_matrix

    data = load_store(key.locator, _version)
    return build_matrix(
        analysis(key.locator, _version, key.settings),
        network=network(key.locator, key.data_key, _version=_version),
        irrigation_areas=data.irrigation_areas,
        filters=key.filters,
        settings=key.settings,
    )


@st.cache_data(show_spinner=False, max_entries=4)
def _decisions(locator: str, version: tuple[int, ...]) -> pd.DataFrame:
    """The store's decisions on matrix rows (every one: the matrix takes the latest per row)."""
    del version  # only part of the cache key
    return store_at(locator).load_decisions("matrix")


def summary(matrix: Matrix, lang: str) -> str:
    """The matrix in one line: rows, ruas stretches, irrigation areas, conflicts, decisions."""
    rows = matrix.rows

    def n(value: int) -> str:
        return format_number(int(value), lang=lang)

    road = rows["reference_kind"] == "road"
    return text("matrix_summary", lang).format(
        rows=n(len(rows)),
        ruas=n(road.sum()),
        areas=n((~road).sum()),
        conflicts=n(rows["conflict"].astype(bool).sum()),
        decided=n((rows["decision"] != "").sum()),
    )


def decision_label(decision: str, lang: str) -> str:
    """A decision as people read it: KRISNA's three words in ``lang``, free text as written."""
    if decision in PROPOSAL_STATUSES:
        return value_label("proposal_status", decision, lang)
    return decision


def matrix_table(matrix: Matrix, lang: str) -> pd.DataFrame:
    """The rows of ``matrix`` as the page shows them, headers and cells in ``lang``: the
    workbook's sheet (:func:`geo.export.matrix_workbook.matrix_sheet`) with the conflict years
    behind a mark, the decision in words, the kabupaten/kota first, and the levels' works
    and the decision next to the ruas code and STA, on a laptop's screen without scrolling."""
    from geo.export.matrix_workbook import matrix_sheet

    words = matrix_words(lang)
    sheet = matrix_sheet(matrix, words)
    marks = [
        f"{CONFLICT_MARK} {years.replace(';', ', ')}" if conflict else ""
        for conflict, years in zip(sheet["conflict"], sheet["conflict_years"], strict=True)
    ]
    table = pd.DataFrame(
        {
            "unit_name": sheet["unit_name"],
            "number": sheet["number"],
            "conflict_years": marks,
            "reference_id": sheet["reference_id"],
            "sta": sheet["sta"],
            **{level: sheet[level] for level in MATRIX_LEVELS},
            "decision": [decision_label(d, lang) for d in sheet["decision"]],
            "note": sheet["note"],
            "reference_name": sheet["reference_name"],
            "reference_status": sheet["reference_status"],
            "length_km": sheet["length_km"],
            "finding_ids": sheet["finding_ids"],
            "row_id": sheet["row_id"],
        }
    )
    headers = {c: words.header(c) for c in table.columns}
    headers["unit_name"] = text("matrix_unit", lang)
    return common.text_columns(table.rename(columns=headers), lang)


@st.cache_data(show_spinner=False, max_entries=8)
def _shown(
    key: MatrixKey, version: tuple[int, ...], lang: str, only_conflicts: bool
) -> pd.DataFrame:
    """The table of the matrix of ``key`` at store ``version`` (with its decisions) in
    ``lang``: written once, not on every click in it."""
    matrix = _matrix(key, _version=version).with_decisions(_decisions(key.locator, version))
    if only_conflicts:
        matrix = dataclasses.replace(matrix, rows=matrix.rows[matrix.rows["conflict"].astype(bool)])
    return matrix_table(matrix, lang)


def _table_and_form(shown: pd.DataFrame, rows: pd.DataFrame, lang: str) -> None:
    """The table ``shown`` of ``rows``, one selectable, and the selected row's decision."""
    st.caption(text("matrix_select", lang))
    chosen = common.pick_row(shown, key=state.MATRIX_TABLE, formatted=True)
    if chosen is not None and chosen < len(rows):
        # the row's number in its kabupaten/kota, as the table and the workbook number it
        _decision_form(rows.iloc[chosen], int(shown.iloc[chosen, 1]), lang)


def _decision_form(row: pd.Series, number: int, lang: str) -> None:
    """The decision recorded on ``row`` (the latest; ``number`` its number in its unit), and
    for editors the form to record one."""
    row_id = str(row["row_id"])
    unit = str(row["unit_name"]) or matrix_text("no_unit", lang)
    st.subheader(
        text("matrix_decide", lang).format(
            unit=common.plain(unit), number=number, row=common.plain(row_id)
        )
    )
    if row["decision"]:
        st.caption(
            text("matrix_last", lang).format(
                decision=common.plain(decision_label(str(row["decision"]), lang)),
                who=common.plain(row["who"]) or "–",
                when=common.plain(common.time_text(row["decided_at"], lang)),
            )
            + (f" — {common.plain(row['note'])}" if row["note"] else "")
        )
    if not auth.can_edit():
        st.info(text("matrix_view_only", lang), icon=":material/lock:")
        return
    current = str(row["decision"])
    # Keys by language: the browser keeps showing a choice in the words it was made in.
    with st.form(f"matrix_{row_id}", clear_on_submit=True):
        choice = st.radio(
            text("matrix_decision", lang),
            options=PROPOSAL_STATUSES,
            index=PROPOSAL_STATUSES.index(current) if current in PROPOSAL_STATUSES else 2,
            format_func=lambda s: value_label("proposal_status", s, lang),
            horizontal=True,
            key=f"{state.MATRIX_DECISION}_{lang}_{row_id}",
        )
        other = st.text_input(
            text("matrix_decision_other", lang),
            max_chars=_DECISION_MAX_CHARS,
            key=f"{state.MATRIX_DECISION_OTHER}_{lang}_{row_id}",
        )
        note = st.text_area(text("matrix_note", lang), key=f"{state.MATRIX_NOTE}_{lang}_{row_id}")
        who = st.text_input(text("matrix_who", lang), key=f"{state.MATRIX_WHO}_{lang}_{row_id}")
        if st.form_submit_button(text("matrix_save", lang)):
            actor = auth.actor()
            try:
                open_current().save_decision(
                    "matrix",
                    row_id,
                    other.strip() or choice,
                    note=note,
                    who=who.strip() or actor.label,
                    actor=actor,
                )
            except GeoInputError as error:
                common.show_problems(text("matrix_save", lang), error)
                return
            st.session_state[state.MATRIX_SAVED] = row_id
            st.rerun()


def _downloads(matrix: Matrix, filters: ProjectFilter, lang: str) -> None:
    """The workbook and the A3 atlas of the filtered matrix, each made when its button is
    clicked; a file that could not be made is told on the next run."""
    failures = st.session_state.setdefault(state.MATRIX_FAILURES, {})
    zone = common.time_zone()  # read now: the callables run outside the script run

    def xlsx() -> bytes:
        from layers.matrix_export import matrix_xlsx

        return matrix_xlsx(matrix, filters=filters, lang=lang, zone=zone)

    def pdf() -> bytes:
        from layers.matrix_atlas import matrix_atlas_pdf

        return matrix_atlas_pdf(matrix, filters=filters, lang=lang, zone=zone)

    for kind, label_key, make, name, mime in (
        ("xlsx", "matrix_download_xlsx", xlsx, "matriks_sinkronisasi.xlsx", _XLSX_MIME),
        ("pdf", "matrix_download_pdf", pdf, "matriks_sinkronisasi.pdf", "application/pdf"),
    ):
        reason = failures.pop(kind, None)
        if reason is not None:
            st.error(
                text("matrix_failed", lang).format(
                    export=text(label_key, lang), reason=common.plain(reason)
                ),
                icon=":material/error:",
            )
        st.download_button(
            text(label_key, lang),
            data=common.noting_failure(make, kind, failures),
            file_name=name,
            mime=mime,
            key=f"matrix_download_{kind}",
            on_click="ignore",
            icon=":material/download:",
        )
