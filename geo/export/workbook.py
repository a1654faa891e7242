"""The Excel report (DESIGN section 8): findings, mismatches, gaps per unit and import reports.

One sheet per table, the header row frozen and filterable, sheet names, headers and coded values
in the reader's language (:class:`WorkbookWords`, supplied by the presentation layer; without
it the columns keep their CSV codes); the column dictionary sheet gives each header's code and
meaning. Numbers stay numbers, with formats that show rupiah whole and grouped, lengths and areas
with one or two decimals and shares as percentages; times (``uploaded_at``) are dates. Excel
draws the grouping and decimal marks of the reader's locale.

No cell is ever a formula: every text is a typed string cell, which Excel and LibreOffice show
as the text it is (``=HYPERLINK(...)`` stays visible text, with no apostrophe added) and never
evaluate. The CSV exports, which have no cell types, keep the quote prefix of
:func:`geo.export.report.neutralise_formulas`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from geo.analyse.ledger import budget_ledger
from geo.analyse.run import Analysis

__all__ = [
    "WorkbookWords",
    "column_meaning",
    "COLUMN_MEANINGS",
    "COUNT_FORMAT",
    "DATETIME_FORMAT",
    "DECIMAL_FORMAT",
    "number_format",
    "RUPIAH_FORMAT",
    "SHARE_FORMAT",
    "SHEETS",
    "write_sheet",
    "write_workbook",
]

#: Sheet names, in order (Excel allows at most 31 characters).
SHEETS: dict[str, str] = {
    "info": "Keterangan",
    "findings": "Tumpang tindih",
    "mismatches": "Kewenangan",
    "gaps": "Kesenjangan per unit",
    "repeats": "Pendanaan berulang",
    "ledger": "Anggaran terdampak",
    "locations": "Lokasi pada ruas",
    "uploads": "Unggahan",
    "reports": "Laporan impor",
    "columns": "Kamus kolom",
}
#: What a column holds, in Bahasa Indonesia, for the column dictionary sheet.
COLUMN_MEANINGS: dict[str, str] = {
    "number": "Nomor temuan, sama dengan nomor di peta dan bahan rapat",
    "finding_id": "Kode temuan (tetap untuk pasangan proyek yang sama)",
    "kind": "Jenis temuan: overlap (tumpang tindih), repeat (pendanaan berulang: ruas yang sama "
    "didanai lagi dalam umur rencana pekerjaan sebelumnya), cross_type (lintas jenis)",
    "asset_type": "Jenis aset: road (jalan), bridge (jembatan), irrigation (irigasi)",
    "relation": "cross_level (lintas tingkat), same_level (satu tingkat), same_agency (satu instansi)",
    "severity": "Prioritas: high (tinggi), medium (sedang), low (rendah), info",
    "project_a": "Kode paket proyek A (tingkat pemerintahan lebih tinggi)",
    "project_b": "Kode paket proyek B",
    "name_a": "Nama paket A",
    "name_b": "Nama paket B",
    "level_a": "Tingkat pemerintahan A",
    "level_b": "Tingkat pemerintahan B",
    "agency_a": "Instansi A",
    "agency_b": "Instansi B",
    "years_a": "Tahun anggaran A",
    "years_b": "Tahun anggaran B",
    "funding_a": "Sumber dana proyek A",
    "funding_b": "Sumber dana proyek B",
    "work_type_a": "Jenis pekerjaan proyek A sebagaimana ditulis instansi",
    "work_type_b": "Jenis pekerjaan proyek B sebagaimana ditulis instansi",
    "design_life_years": "Pendanaan berulang: umur rencana pekerjaan yang lebih dahulu (tahun, "
    "pengaturan per jenis pekerjaan) yang belum lewat saat pekerjaan berikutnya dimulai",
    "breakdown": "Dasar penjumlahan baris: seluruhnya, kabupaten/kota, provinsi, pasangan "
    "tingkat, tahun atau jenis temuan (tiap temuan dihitung sekali per rincian)",
    "key": "Kode baris: kode wilayah, kode provinsi, pasangan tingkat, tahun atau jenis temuan",
    "label": "Nama wilayah atau provinsi bila diketahui, selain itu kodenya",
    "findings": "Jumlah temuan yang dijumlahkan",
    "shared_km": "Jumlah panjang jalan bersama (kilometer)",
    "shared_ha": "Jumlah luas irigasi bersama (hektare)",
    "at_stake_idr": "Jumlah anggaran terdampak (rupiah; tiap temuan paling banyak pagu terkecil)",
    "finding_ids": "Kode temuan yang dijumlahkan",
    "project_records": "Paket dari temuan tersebut: kode paket (instansi)",
    "overlap_m": "Panjang ruas bersama (meter, jalan)",
    "overlap_ha": "Luas irisan (hektare, irigasi)",
    "distance_m": "Jarak (meter): antar jembatan, atau jembatan ke jalan",
    "share_a": "Porsi proyek A yang tumpang tindih (0-100%)",
    "share_b": "Porsi proyek B yang tumpang tindih (0-100%)",
    "budget_a_idr": "Pagu proyek A (rupiah)",
    "budget_b_idr": "Pagu proyek B (rupiah)",
    "budget_at_stake_idr": "Pagu berisiko: pagu proyek yang lebih kecil x porsinya yang tumpang "
    "tindih, paling banyak pagu masing-masing proyek",
    "method": "Cara ditemukan: network (STA bersama pada satu ruas) atau geometry (geometri)",
    "ruas_id": "Kode ruas tempat bagian bersama (ditemukan pada jaringan jalan)",
    "sta_from_m": "STA awal bagian bersama, meter dari awal ruas",
    "sta_to_m": "STA akhir bagian bersama, meter dari awal ruas",
    "ruas_name": "Nama ruas",
    "from_m": "STA awal proyek pada ruas, meter dari awal ruas",
    "to_m": "STA akhir proyek pada ruas, meter dari awal ruas",
    "offset_mean_m": "Jarak rata-rata garis proyek ke ruas (meter)",
    "offset_max_m": "Jarak terjauh garis proyek ke ruas (meter)",
    "matched_share": "Porsi panjang proyek yang terletak pada jaringan jalan (0-100%)",
    "shift_m": "Geseran sistematis yang dihapus sebelum dicocokkan (meter; 0: tidak ada): satu "
    "vektor yang menempatkan paket-paket berkas instansi itu (digambar di atas peta dasar lain) "
    "pada jaringan; jarak ke ruas diukur sesudahnya",
    "project_id": "Kode paket",
    "name": "Nama paket",
    "agency": "Instansi (satker/SKPD)",
    "level": "Tingkat pemerintahan pelaksana",
    "verdict": "mismatch (tidak sesuai kewenangan) atau exception (pengecualian sah)",
    "rule": "Aturan kewenangan yang dirujuk",
    "exception_basis": "Dasar hukum pengecualian (IJD, tugas pembantuan)",
    "expected_level": "Tingkat pemerintahan yang berwenang menurut aturan",
    "reference_kind": "Jenis acuan: road (ruas jalan) atau irrigation_area (daerah irigasi)",
    "reference_status": "Status ruas atau kelas daerah irigasi acuan",
    "reference_id": "Kode ruas atau daerah irigasi acuan",
    "reference_name": "Nama ruas atau daerah irigasi acuan",
    "share": "Porsi panjang/luas proyek pada acuan (0-100%)",
    "along_m": "Panjang proyek pada ruas berstatus tersebut (meter)",
    "inside_ha": "Luas proyek di dalam daerah irigasi (hektare)",
    "funding_source": "Sumber dana",
    "year_start": "Tahun anggaran pertama",
    "year_end": "Tahun anggaran terakhir",
    "budget_idr": "Pagu (rupiah); per wilayah: dibagi menurut porsi panjang/luas di wilayah",
    "note": "Keterangan",
    "unit_id": "Kode wilayah (Kemendagri)",
    "unit_name": "Nama wilayah administrasi (kabupaten/kota, kecamatan, ...)",
    "area_km2": "Luas wilayah (km2)",
    "population": "Jumlah penduduk (jiwa)",
    "projects": "Jumlah proyek yang menyentuh wilayah",
    "project_km": "Panjang proyek jalan di wilayah (km)",
    "project_ha": "Luas proyek irigasi di wilayah (hektare)",
    "network_km": "Panjang jaringan jalan di wilayah (km)",
    "covered_km": "Panjang jaringan yang ditangani proyek (km)",
    "uncovered_km": "Panjang jaringan yang belum ditangani (km)",
    "covered_share": "Porsi jaringan yang ditangani (0-100%)",
    "id": "Nomor unggahan",
    "upload_id": "Nomor unggahan",
    "file_name": "Nama berkas unggahan",
    "source_file": "Nama berkas unggahan",
    "uploaded_at": "Waktu unggah (UTC)",
    "features_read": "Baris/fitur terbaca",
    "stored": "Tersimpan",
    "repaired": "Tersimpan setelah diperbaiki",
    "rejected": "Ditolak",
    "layer": "Lapisan/lembar asal",
    "row": "Nomor baris asal",
    "outcome": "Hasil: stored, repaired, rejected, note",
    "reason": "Alasan atau catatan",
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
    if column.startswith(("share", "covered_share")) or column in ("share", "matched_share"):
        return SHARE_FORMAT
    if column.endswith(("_m", "_km", "_ha", "_km2")) or "_per_" in column:
        return DECIMAL_FORMAT
    if column in ("projects", "features_read", "stored", "repaired", "rejected", "population"):
        return COUNT_FORMAT
    return None


def _cut_note_en(left_out: int) -> str:
    return (
        f"... and {left_out:,} more that do not fit this cell (Excel holds at most 32,767 "
        "characters a cell)"
    )


@dataclasses.dataclass(frozen=True)
class WorkbookWords:
    """The words of a workbook in the reader's language (the presentation layer supplies
    them): sheet names by key of :data:`SHEETS`, a column's header, a text value as shown
    (``column, value -> text``), a column's meaning, and the headers of the column dictionary
    (sheet, column, code, meaning) and of the first sheet (item, content). Number formats still
    follow the column codes."""

    sheets: Mapping[str, str]
    header: Callable[[str], str]
    value: Callable[[str, str], str]
    meaning: Callable[[str], str]
    dictionary_headers: tuple[str, str, str, str]
    info_headers: tuple[str, str]
    #: IANA zone the times (``..._at`` columns) are written in (Excel has no time zones).
    time_zone: str = "UTC"
    #: The note ending a list cut to fit one Excel cell, given how many items it leaves out.
    cell_cut: Callable[[int], str] = _cut_note_en


def write_workbook(
    analyses: Analysis,
    target: str | Path | None = None,
    *,
    info: Mapping[str, str] | None = None,
    words: WorkbookWords | None = None,
) -> bytes:
    """Write the report workbook to ``target`` (when given) and return its bytes.

    Parameters
    ----------
    analyses
        Findings, mismatches, gaps, uploads and import reports
        (:func:`geo.analyse.run.analyse_store`).
    target
        ``.xlsx`` path, or None for the bytes only.
    info
        Extra lines for the first sheet (title, filters, data date), as label -> text.
    words
        Sheet names, headers, values and meanings in the reader's language; without it the
        sheets are named in Bahasa Indonesia and the columns by their codes (as in the CSV
        exports).
    """
    sheets = words.sheets if words is not None else SHEETS
    book = Workbook()
    sheet = book.active
    sheet.title = sheets["info"]
    item, content = words.info_headers if words is not None else ("keterangan", "isi")
    info = info or {}
    _write_frame(sheet, pd.DataFrame({item: list(info), content: list(info.values())}))
    findings = pd.DataFrame(analyses.overlaps.drop(columns="geometry"))
    repeat = (findings["kind"] == "repeat").to_numpy() if "kind" in findings else False
    tables = {
        "findings": findings[~repeat],
        "mismatches": analyses.mismatches if analyses.authority_checked else pd.DataFrame(),
        "gaps": analyses.coverage if analyses.coverage is not None else pd.DataFrame(),
        "repeats": findings[repeat],
        "ledger": budget_ledger(analyses.overlaps, units=analyses.units),
        "locations": analyses.locations if analyses.locations is not None else pd.DataFrame(),
        "uploads": analyses.uploads.drop(columns="sha256", errors="ignore"),
        "reports": _report_rows(analyses),
    }
    for key, frame in tables.items():
        _write_frame(book.create_sheet(sheets[key]), frame, words)
    _write_frame(book.create_sheet(sheets["columns"]), _column_dictionary(tables, words))
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if target is not None:
        Path(target).write_bytes(data)
    return data


def write_sheet(frame: pd.DataFrame, target: str | Path, *, sheet_name: str) -> None:
    """Write one table as a one-sheet ``.xlsx`` in the workbook's style.

    Bold header on a fill, frozen under the header, filters on; text cells are typed as text,
    so a value starting with ``=`` is never a formula.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name[:31]  # Excel's limit
    _write_frame(sheet, frame)
    book.save(target)


def column_meaning(column: str) -> str:
    """What a column holds, in Bahasa Indonesia; per-status and density columns by pattern.

    >>> column_meaning("covered_share_nasional")
    'Porsi jaringan yang ditangani (0-100%) — jalan nasional'
    """
    if column in COLUMN_MEANINGS:
        return COLUMN_MEANINGS[column]
    for base in ("network_km", "covered_km", "covered_share"):
        if column.startswith(base + "_"):
            return f"{COLUMN_MEANINGS[base]} — jalan {column[len(base) + 1 :]}"
    if "_per_km2" in column or "_per_100k_people" in column:
        what = column.split("_per_")[0]
        per = "per km2" if column.endswith("km2") else "per 100.000 penduduk"
        return f"{COLUMN_MEANINGS.get(what, what)}, {per}"
    return ""


def _column_dictionary(
    tables: Mapping[str, pd.DataFrame], words: WorkbookWords | None = None
) -> pd.DataFrame:
    if words is None:
        plain = [
            (SHEETS[key], str(column), column_meaning(str(column)))
            for key, frame in tables.items()
            for column in frame.columns
        ]
        return pd.DataFrame(plain, columns=["lembar", "kolom", "arti"])
    rows = [
        (words.sheets[key], words.header(str(c)), str(c), words.meaning(str(c)))
        for key, frame in tables.items()
        for c in frame.columns
    ]
    return pd.DataFrame(rows, columns=list(words.dictionary_headers))


def _report_rows(analyses: Analysis) -> pd.DataFrame:
    """One row per non-plain record of every upload's import report, plus its notes."""
    frames = []
    for upload_id, report in analyses.reports.items():
        rows = report.to_frame()
        rows = rows[(rows["outcome"] != "stored") | (rows["reason"] != "")]
        notes = pd.DataFrame(
            {"layer": "", "row": None, "project_id": "", "outcome": "note", "reason": report.notes}
        )
        both = pd.concat([notes, rows], ignore_index=True) if len(notes) else rows
        both.insert(0, "source_file", report.source_file)
        both.insert(0, "upload_id", upload_id)
        frames.append(both)
    columns = ["upload_id", "source_file", "layer", "row", "project_id", "outcome", "reason"]
    return (
        pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    )


def _write_frame(sheet, frame: pd.DataFrame, words: WorkbookWords | None = None) -> None:
    frame = frame.reset_index(drop=True)
    columns = [str(c) for c in frame.columns]
    sheet.append([words.header(c) for c in columns] if words is not None else columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    formats = [number_format(c) for c in columns]
    widths = [len(c) + 2 for c in columns]
    for row_number, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        for col_number, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=col_number)
            value = _cell_value(value)
            if isinstance(value, str) and words is not None:
                value = words.value(columns[col_number - 1], value)
            if columns[col_number - 1].endswith("_at") and isinstance(value, str):
                value = _local_time(value, words.time_zone if words is not None else "UTC")
            if isinstance(value, str):
                value = fit_cell(value, words.cell_cut if words is not None else _cut_note_en)
                # A typed string cell: set the type after the value, as openpyxl reads a text
                # starting with "=" as a formula otherwise.
                cell.value = value
                cell.data_type = TYPE_STRING
            elif isinstance(value, dt.datetime):
                cell.value = value
                cell.number_format = DATETIME_FORMAT
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


#: The most characters one Excel cell holds ("Excel specifications and limits"); Excel reports a
#: longer text as damaged content and LibreOffice cuts it.
EXCEL_CELL_CHARS = 32_767


def fit_cell(text: str, cut_note: Callable[[int], str]) -> str:
    """``text`` as one Excel cell holds it: a longer ``"; "``-separated list (the budget
    ledger's finding codes of a national total) keeps the items that fit and ends with
    ``cut_note(items left out)``.

    Examples
    --------
    >>> cell = fit_cell("; ".join(f"TT-{k:05d}" for k in range(5000)), lambda n: f"+{n}")
    >>> len(cell) <= EXCEL_CELL_CHARS, cell[-15:]
    (True, 'TT-03275; +1724')
    """
    if len(text) <= EXCEL_CELL_CHARS:
        return text
    items = text.split("; ")
    room = EXCEL_CELL_CHARS - len(cut_note(len(items))) - 2
    kept, size = 0, -2
    while kept < len(items) and size + 2 + len(items[kept]) <= room:
        size += 2 + len(items[kept])
        kept += 1
    if not kept:
        return text[: EXCEL_CELL_CHARS - 3] + "..."
    return "; ".join(items[:kept]) + "; " + cut_note(len(items) - kept)


#: How upload times show in Excel (naive, in the workbook's zone: Excel has no time zones).
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _local_time(text: str, zone: str = "UTC") -> dt.datetime | str:
    """An ISO time (UTC unless it says otherwise) as a naive datetime in ``zone``; other text
    unchanged."""
    from zoneinfo import ZoneInfo

    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _cell_value(value: object) -> object:
    """A value openpyxl can write: None for missing, plain Python numbers and text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return _local_time(value.isoformat())
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool | int | float | str | dt.datetime):
        return value
    return str(value)
