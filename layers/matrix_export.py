"""The synchronisation matrix in the reader's language: its words, a work as one line of a
cell, and the workbook's bytes (the A3 atlas is :mod:`layers.matrix_atlas`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from geo.analyse.matrix import Matrix
from geo.analyse.run import ProjectFilter
from geo.export.matrix_workbook import MatrixWords, write_matrix_workbook
from geo.settings import DEFAULT_SETTINGS
from layers.formatting import format_rupiah, format_time, format_years, is_missing
from layers.words import (
    MATRIX_TEXT,
    WORKBOOK_TEXT,
    check_language,
    column_label,
    translate_messages,
    value_label,
)

__all__ = [
    "matrix_text",
    "matrix_title",
    "matrix_words",
    "matrix_xlsx",
    "selection_text",
    "work_line",
]

_VOCABULARIES = {"level": "level", "authority": "level", "reference_status": "road_of_status"}


def matrix_text(key: str, lang: str = "id") -> str:
    """The matrix's words ``key`` in ``lang`` (:data:`layers.words.MATRIX_TEXT`)."""
    return MATRIX_TEXT[check_language(lang)][key]


def matrix_title(unit: str, lang: str = "id") -> str:
    """Title of a unit's sheet or pages, e.g. ``Matriks sinkronisasi program Kab. Hulu``."""
    if not unit:
        return matrix_text("title_all", lang)
    return matrix_text("title", lang).format(unit=unit)


def work_line(work: Mapping[str, object], lang: str = "id") -> str:
    """One work as a line of a level cell: its budget years, work type, pagu (of the whole
    package), status and id.

    >>> work_line({"year": 2025, "work_type": "peningkatan", "budget_idr": 5e9,
    ...            "status": "kontrak", "project_id": "P-1", "year_start": 2025,
    ...            "year_end": 2026})
    '2025–2026: peningkatan, Rp 5.000.000.000, kontrak [P-1]'
    """
    start, end = work.get("year_start"), work.get("year_end")
    if is_missing(start) and is_missing(end):
        years = "" if is_missing(work.get("year")) else str(work.get("year"))
    else:
        years = format_years(start if not is_missing(start) else end, end)
    parts = [
        str(work[key]) if key != "budget_idr" else format_rupiah(work[key], lang)
        for key in ("work_type", "budget_idr", "status")
        if not is_missing(work.get(key))
    ]
    return f"{years}: {', '.join(parts)} [{work.get('project_id')}]"


def _value(column: str, code: str, lang: str) -> str:
    vocabulary = _VOCABULARIES.get(column)
    return code if vocabulary is None else value_label(vocabulary, code, lang)


def matrix_words(lang: str = "id") -> MatrixWords:
    """The workbook's words in ``lang``."""
    lang = check_language(lang)
    words = MATRIX_TEXT[lang]

    def header(column: str) -> str:
        return words.get(column) or column_label(column, lang)

    return MatrixWords(
        header=header,
        work=lambda work: work_line(work, lang),
        value=lambda column, code: _value(column, code, lang),
        title=lambda unit: matrix_title(unit, lang),
        no_unit=words["no_unit"],
        works_sheet=words["works_sheet"],
        info_sheet=words["info_sheet"],
        info_headers=(column_label("keterangan", lang), column_label("isi", lang)),
    )


def selection_text(
    filters: ProjectFilter, lang: str = "id", *, matrix: Matrix | None = None
) -> str:
    """The matrix's selection in words: units (by the names of the matrix's units when it is
    given), years, levels, asset types; or everything."""
    parts = list(filters.units)
    if filters.units and matrix is not None and len(matrix.rows):
        parts = sorted(set(matrix.rows["unit_name"]) - {""})
    if filters.years is not None:
        first, last = filters.year_from, filters.year_to
        parts.append(format_years(first or last, last or first))
    parts += [value_label("level", level, lang) for level in filters.levels]
    parts += [value_label("asset", asset, lang) for asset in filters.asset_types]
    return ", ".join(str(p) for p in parts) or ("semua" if lang == "id" else "everything")


def matrix_xlsx(
    matrix: Matrix,
    *,
    filters: ProjectFilter | None = None,
    lang: str = "id",
    zone: str = DEFAULT_SETTINGS.time_zone,
    now: dt.datetime | None = None,
) -> bytes:
    """The matrix workbook's bytes in ``lang``; the time made written in ``zone``."""
    lang = check_language(lang)
    made = (now or dt.datetime.now(dt.UTC)).isoformat()
    conflicts = int(matrix.rows["conflict"].sum())
    info = {
        WORKBOOK_TEXT[lang]["title"]: matrix_text("title_all", lang),
        matrix_text("selection", lang): selection_text(
            filters or ProjectFilter(), lang, matrix=matrix
        ),
        matrix_text("rows", lang): matrix_text("rows_text", lang).format(
            rows=len(matrix.rows), conflicts=conflicts
        ),
        matrix_text("legend", lang): matrix_text("legend_text", lang),
        matrix_text("made", lang): format_time(made, lang, zone=zone),
    }
    # the notes (works left out, and why) in the reader's language too
    notes = translate_messages(list(matrix.notes), lang)
    return write_matrix_workbook(
        dataclasses.replace(matrix, notes=notes), words=matrix_words(lang), info=info
    )
