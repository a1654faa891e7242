"""The synchronisation matrix as an Excel workbook for the rakor (issue 18): one sheet per
kabupaten, ready to print.

Each unit's sheet lists its stretches of ruas and its Daerah Irigasi down the rows
(:class:`geo.analyse.matrix.Matrix`), with one column per level of government holding that
level's works by year, the conflict years and findings, and the meeting's decision and note.
The header row is frozen and repeated on every printed page; pages are A3 landscape, fitted
to the width; conflict rows are filled in a light vermillion (the findings' colour). A last
sheet lists every work of every row (one per year), for filtering and sums.

The words (headers, a work as a line of text, sheet names) come from the presentation layer
(:class:`MatrixWords`); without them the columns keep their codes. Like the report workbook
(:mod:`geo.export.workbook`), every text is a typed string cell, never a formula.
"""

from __future__ import annotations

import dataclasses
import io
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from geo.analyse.matrix import MATRIX_LEVELS, Matrix
from geo.export.workbook import DECIMAL_FORMAT, _cell_value, _write_frame, number_format
from geo.spatial.network import sta_text

__all__ = [
    "CONFLICT_FILL",
    "MATRIX_SHEET_COLUMNS",
    "MatrixWords",
    "matrix_sheet",
    "write_matrix_workbook",
]

#: Columns of each unit's sheet, in order (codes; :attr:`MatrixWords.header` names them).
MATRIX_SHEET_COLUMNS: Final[tuple[str, ...]] = (
    "number",
    "row_id",
    "reference_id",
    "reference_name",
    "reference_status",
    "sta",
    "length_km",
    *MATRIX_LEVELS,
    "conflict_years",
    "finding_ids",
    "decision",
    "note",
)
#: Light vermillion: the findings' colour (``#D55E00``) at a fifth of its strength.
CONFLICT_FILL: Final[str] = "F7DFCC"
_HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
_THIN = Side(style="thin", color="BBBBBB")
_WIDTHS: Final[dict[str, float]] = {
    "number": 5,
    "row_id": 24,
    "reference_id": 10,
    "reference_name": 24,
    "reference_status": 14,
    "sta": 16,
    "length_km": 8,
    "pusat": 44,
    "provinsi": 44,
    "kabupaten": 44,
    "conflict_years": 10,
    "finding_ids": 16,
    "decision": 14,
    "note": 30,
}
#: Points per line of text in a row (Calibri 10 in a wrapped cell).
_LINE_PT = 13.0
#: Characters Excel forbids in a sheet name.
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


@dataclasses.dataclass(frozen=True)
class MatrixWords:
    """The workbook's words in the reader's language (the presentation layer supplies them).

    Attributes
    ----------
    header
        A column code of :data:`MATRIX_SHEET_COLUMNS` (or of the works sheet) -> its header.
    work
        One work of :attr:`Matrix.works` (a mapping) -> one line of a level cell.
    value
        ``column, code -> text`` for coded values: ``reference_status`` (a ruas's road
        status), ``authority`` (a Daerah Irigasi's kewenangan), ``level``, ``status``.
    title
        A unit's name ("" for rows outside every unit) -> the title printed on its pages.
    no_unit
        Sheet name of the rows outside every unit (or without units).
    works_sheet, info_sheet
        Names of the sheet of every work and of the first sheet.
    info_headers
        Headers of the first sheet (item, content).
    decisions
        Words offered in the decision column (any other text is accepted too).
    """

    header: Callable[[str], str]
    work: Callable[[Mapping[str, object]], str]
    value: Callable[[str, str], str]
    title: Callable[[str], str]
    no_unit: str = "Tanpa wilayah"
    works_sheet: str = "Pekerjaan"
    info_sheet: str = "Keterangan"
    info_headers: tuple[str, str] = ("keterangan", "isi")
    decisions: tuple[str, ...] = ("Diterima", "Ditolak", "Didiskusikan")


def _plain_work(work: Mapping[str, object]) -> str:
    parts = [work.get("work_type"), work.get("budget_idr"), work.get("status")]
    text = " · ".join(str(p) for p in parts if _cell_value(p) not in (None, ""))
    year = work.get("year")
    return f"{'' if _cell_value(year) is None else year}: {text} [{work.get('project_id')}]"


#: Without words: codes as headers, works as plain text.
PLAIN_WORDS: Final[MatrixWords] = MatrixWords(
    header=lambda column: column,
    work=_plain_work,
    value=lambda column, code: code,
    title=lambda unit: f"Matriks sinkronisasi {unit}".strip(),
)


def matrix_sheet(matrix: Matrix, words: MatrixWords = PLAIN_WORDS) -> pd.DataFrame:
    """The rows of the matrix as the unit sheets show them (:data:`MATRIX_SHEET_COLUMNS`
    codes, plus ``unit_name`` and ``conflict``): STA as ``0+000 - 4+000``, length in km, each
    level's works as lines of text (``words.work``)."""
    rows = matrix.rows.reset_index(drop=True)
    cells = matrix.level_cells(words.work).reindex(rows["row_id"]).reset_index(drop=True)
    road = rows["reference_kind"] == "road"
    sta = [
        f"{sta_text(a)} - {sta_text(b)}" if is_road else ""
        for a, b, is_road in zip(rows["from_m"], rows["to_m"], road, strict=True)
    ]
    frame = pd.DataFrame(
        {
            "unit_name": rows["unit_name"],
            "number": 0,
            "row_id": rows["row_id"],
            "reference_id": rows["reference_id"],
            "reference_name": rows["reference_name"],
            # a ruas has a road status; a Daerah Irigasi a kewenangan (a level of government)
            "reference_status": [
                words.value("reference_status" if is_road else "authority", s) if s else ""
                for s, is_road in zip(rows["reference_status"], road, strict=True)
            ],
            "sta": sta,
            "length_km": rows["length_m"] / 1000.0,
            **{level: cells[level] for level in MATRIX_LEVELS},
            "conflict_years": rows["conflict_years"],
            "finding_ids": [str(ids).replace(";", "\n") for ids in rows["finding_ids"]],
            "decision": rows["decision"],
            "note": rows["note"],
            "conflict": rows["conflict"].astype(bool),
        }
    )
    frame["number"] = frame.groupby("unit_name", sort=False).cumcount() + 1
    return frame


def write_matrix_workbook(
    matrix: Matrix,
    target: str | Path | None = None,
    *,
    words: MatrixWords = PLAIN_WORDS,
    info: Mapping[str, str] | None = None,
) -> bytes:
    """Write the matrix workbook to ``target`` (when given) and return its bytes.

    Parameters
    ----------
    matrix
        :func:`geo.analyse.matrix.build_matrix`.
    target
        ``.xlsx`` path, or None for the bytes only.
    words
        Headers, work lines and sheet names in the reader's language.
    info
        Lines of the first sheet (title, selection, data date), as label -> text.
    """
    book = Workbook()
    first = book.active
    first.title = words.info_sheet[:31]
    lines = dict(info or {})
    lines.update({f"({k})": v for k, v in enumerate(matrix.notes, start=1)})
    _write_frame(
        first,
        pd.DataFrame(
            {words.info_headers[0]: list(lines), words.info_headers[1]: list(lines.values())}
        ),
    )
    _print_setup(first, words.title(""))
    table = matrix_sheet(matrix, words)
    used: set[str] = {first.title.casefold()}
    for unit, part in table.groupby("unit_name", sort=False):
        name = _sheet_name(str(unit) or words.no_unit, used)
        _write_unit(book.create_sheet(name), part, words, title=words.title(str(unit)))
    works = matrix.works.copy()
    for column in ("level", "status"):
        works[column] = [
            words.value(column, str(v)) if isinstance(v, str) else v for v in works[column]
        ]
    sheet = book.create_sheet(_sheet_name(words.works_sheet, used))
    _write_frame(sheet, works.rename(columns={c: words.header(c) for c in works.columns}))
    _number_formats(sheet, list(matrix.works.columns))
    _print_setup(sheet, words.title(""))
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if target is not None:
        Path(target).write_bytes(data)
    return data


def _write_unit(sheet: Worksheet, part: pd.DataFrame, words: MatrixWords, *, title: str) -> None:
    """One unit's sheet: header, rows with wrapped cells, conflicts filled, print setup."""
    columns = list(MATRIX_SHEET_COLUMNS)
    headers = [words.header(c) for c in columns]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = Border(bottom=_THIN)
    header_lines = max(_lines(h, _WIDTHS[c]) for h, c in zip(headers, columns, strict=True))
    sheet.row_dimensions[1].height = _LINE_PT * header_lines + 4
    styles = _cell_styles(sheet.parent)
    numeric = [number_format(c) is not None for c in columns]
    for row_number, values in enumerate(part[columns].itertuples(index=False), start=2):
        height = 1
        conflict = bool(part["conflict"].iat[row_number - 2])
        for col_number, raw in enumerate(values, start=1):
            value = _cell_value(raw)
            cell = sheet.cell(row=row_number, column=col_number)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # typed text: "=..." is never a formula
                height = max(height, _lines(value, _WIDTHS[columns[col_number - 1]]))
            # one named style per cell: wrapped, bordered, filled on a conflict, its number format
            cell.style = styles[(conflict, numeric[col_number - 1] and value is not None)]
        sheet.row_dimensions[row_number].height = _LINE_PT * height + 4
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[column]
    sheet.freeze_panes = "C2"
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{max(len(part) + 1, 2)}"
    if words.decisions and len(part):
        choices = ",".join(words.decisions)
        column = get_column_letter(columns.index("decision") + 1)
        offered = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        offered.showErrorMessage = False  # any other decision is written as it is
        offered.add(f"{column}2:{column}{len(part) + 1}")
        sheet.add_data_validation(offered)
    _print_setup(sheet, title)


def _cell_styles(book: Workbook) -> dict[tuple[bool, bool], str]:
    """The named styles of the matrix's cells, by (conflict row, number), added to ``book``
    once: setting one named style per cell is several times faster than setting alignment,
    border, fill and format one by one."""
    names = {}
    for conflict in (False, True):
        for numeric in (False, True):
            name = f"matrix {'conflict ' if conflict else ''}{'number' if numeric else 'text'}"
            names[(conflict, numeric)] = name
            if name in book.style_names:
                continue
            style = NamedStyle(
                name=name,
                alignment=Alignment(wrap_text=True, vertical="top"),
                border=Border(bottom=_THIN),
                number_format=DECIMAL_FORMAT if numeric else "General",
            )
            if conflict:
                style.fill = PatternFill("solid", fgColor=CONFLICT_FILL)
            book.add_named_style(style)
    return names


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell ``width`` characters wide needs for ``text`` (a little generous:
    LibreOffice shows Calibri as a wider font where Calibri is not installed)."""
    per_line = max(1, int(width * 0.9) - 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _print_setup(sheet: Worksheet, title: str) -> None:
    """A3 landscape, fitted to the page width, header row on every page, title and page
    numbers in the page header and footer."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    # "&" starts a code in page headers: a unit named "A & B" is written "A && B".
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddHeader.center.size = 12
    sheet.oddFooter.right.text = "&P / &N"


def _number_formats(sheet: Worksheet, columns: list[str]) -> None:
    """Number formats by column code on a sheet written with translated headers."""
    for index, column in enumerate(columns, start=1):
        fmt = number_format(column)
        if fmt is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, int | float):
                cell.number_format = fmt


def _sheet_name(wanted: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, no ``[]:*?/\\``), unique in the book."""
    base = _BAD_SHEET_CHARS.sub("-", wanted).strip("'") or "-"
    name, k = base[:31], 2
    while name.casefold() in used:
        suffix = f" ({k})"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(name.casefold())
    return name
