"""The Excel report (DESIGN section 8): findings, mismatches, gaps per unit and import reports.

One sheet per table, the header row frozen and filterable, columns named as in the CSV exports
(so scripts read either). Numbers stay numbers, with formats that show rupiah whole and grouped,
lengths and areas with one or two decimals and shares as percentages; Excel draws the grouping
and decimal marks of the reader's locale (``1.250.000`` and ``12,5`` on an Indonesian system).

No cell is ever a formula: text that a spreadsheet would run as one (starting with
``= + - @``, tab or CR) gets the apostrophe of :func:`geo.report.neutralise_formulas` *and* is
written as a string cell, so neither Excel nor openpyxl reads it as a formula.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from geo.analyses import Analyses
from geo.report import neutralise_formulas

#: Sheet names, in order (Excel allows at most 31 characters).
SHEETS: dict[str, str] = {
    "info": "Keterangan",
    "findings": "Tumpang tindih",
    "mismatches": "Kewenangan",
    "gaps": "Kesenjangan per unit",
    "uploads": "Unggahan",
    "reports": "Laporan impor",
}
#: Number formats by column-name pattern: rupiah, kilometres/metres/hectares, shares, counts.
RUPIAH_FORMAT = '"Rp "#,##0'
DECIMAL_FORMAT = "#,##0.00"
SHARE_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
_HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
_MAX_WIDTH = 60


def number_format(column: str) -> str | None:
    """The Excel number format of a column, by its name; None for text and years.

    >>> number_format("budget_at_stake_idr"), number_format("share_a"), number_format("name")
    ('"Rp "#,##0', '0.0%', None)
    """
    if column.endswith("_idr"):
        return RUPIAH_FORMAT
    if column.startswith(("share", "covered_share")) or column == "share":
        return SHARE_FORMAT
    if column.endswith(("_m", "_km", "_ha", "_km2")) or "_per_" in column:
        return DECIMAL_FORMAT
    if column in ("projects", "features_read", "stored", "repaired", "rejected", "population"):
        return COUNT_FORMAT
    return None


def write_workbook(
    analyses: Analyses, target: str | Path | None = None, *, info: Mapping[str, str] = ()
) -> bytes:
    """Write the report workbook to ``target`` (when given) and return its bytes.

    Parameters
    ----------
    analyses
        Findings, mismatches, gaps, uploads and import reports
        (:func:`geo.analyses.analyse_store`).
    target
        ``.xlsx`` path, or None for the bytes only.
    info
        Extra lines for the first sheet (title, filters, data date), as label -> text.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = SHEETS["info"]
    _write_frame(sheet, pd.DataFrame({"keterangan": list(info), "isi": list(info.values())}))
    tables = {
        "findings": pd.DataFrame(analyses.findings.drop(columns="geometry")),
        "mismatches": analyses.mismatches if analyses.mismatches is not None else pd.DataFrame(),
        "gaps": analyses.gaps if analyses.gaps is not None else pd.DataFrame(),
        "uploads": analyses.uploads.drop(columns="sha256", errors="ignore"),
        "reports": _report_rows(analyses),
    }
    for key, frame in tables.items():
        _write_frame(book.create_sheet(SHEETS[key]), frame)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if target is not None:
        Path(target).write_bytes(data)
    return data


def _report_rows(analyses: Analyses) -> pd.DataFrame:
    """One row per non-plain record of every upload's import report, plus its notes."""
    frames = []
    for upload_id, report in analyses.reports.items():
        rows = report.to_frame()
        rows = rows[(rows["outcome"] != "stored") | (rows["reason"] != "")]
        notes = pd.DataFrame({"layer": "", "row": None, "project_id": "", "outcome": "note",
                              "reason": report.notes})  # fmt: skip
        both = pd.concat([notes, rows], ignore_index=True) if len(notes) else rows
        both.insert(0, "source_file", report.source_file)
        both.insert(0, "upload_id", upload_id)
        frames.append(both)
    columns = ["upload_id", "source_file", "layer", "row", "project_id", "outcome", "reason"]
    return (
        pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    )


def _write_frame(sheet, frame: pd.DataFrame) -> None:
    frame = neutralise_formulas(frame.reset_index(drop=True))
    columns = [str(c) for c in frame.columns]
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    formats = [number_format(c) for c in columns]
    widths = [len(c) + 2 for c in columns]
    for row_number, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        for col_number, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=col_number)
            value = _cell_value(value)
            if isinstance(value, str):
                # Set the type after the value: openpyxl turns "=..." into a formula otherwise.
                cell.value = value
                cell.data_type = TYPE_STRING
            else:
                cell.value = value
                if value is not None and formats[col_number - 1]:
                    cell.number_format = formats[col_number - 1]
            widths[col_number - 1] = max(widths[col_number - 1], min(len(str(value or "")), 60))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 1, _MAX_WIDTH)
    sheet.freeze_panes = "A2"
    if len(frame) and columns:
        sheet.auto_filter.ref = sheet.dimensions


def _cell_value(value: object) -> object:
    """A value openpyxl can write: None for missing, plain Python numbers and text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)
