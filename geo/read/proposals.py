"""Read proposal lists: works named by ruas, STA, length or place instead of drawn.

Proposal lists (KRISNA-DAK, SIPD RKPD/Renja exports, IJD candidate lists) are spreadsheets as
exported: title rows above the header, header cells merged over two rows (``Lokasi STA`` over
``Awal`` and ``Akhir``), sometimes a row numbering the columns ``(1) (2) (3)`` under it, and
Indonesian numbers. Each row names its location: a ruas code or name, an STA range or a length
(``panjang``/``volume (km)``), desa/kecamatan/kabupaten names, sometimes a Daerah Irigasi.

:func:`read_proposals` keeps every column of the file as written (the verdict is written
beside them) and reads the values the check needs into :attr:`ProposalList.values`; a value
that does not parse is a problem of its row (kept, never dropped), not of the file. Placing
the rows on the network and judging them is :mod:`geo.analyse.proposals`.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import GeoInputError
from geo.read import values as v
from geo.read.import_report import ImportReport
from geo.read.locate import declared_lengths_m, parse_chainage
from geo.read.safety import check_upload_size
from geo.read.tabular import RUAS_NAMES, STA_FROM, STA_NAMES, STA_TO, read_grids
from geo.schema import FIELD_SYNONYMS, is_missing, money_unit, normalise_name
from geo.settings import DEFAULT_SETTINGS, Settings

__all__ = ["PROPOSAL_ROLES", "VALUE_COLUMNS", "ProposalList", "read_proposals"]

_RUAS_CODES = ("kode_ruas", "kd_ruas", "no_ruas", "nomor_ruas", "kode_ruas_jalan", "no_ruas_jalan")
#: What each column of a proposal list may be called (normalised names, exact; first wins).
PROPOSAL_ROLES: dict[str, tuple[str, ...]] = {
    "proposal_id": ("kode_usulan", "id_usulan", "no_usulan", *FIELD_SYNONYMS["project_id"]),
    "name": (
        "nama_usulan",
        "usulan_kegiatan",
        "rincian_usulan",
        "menu_kegiatan",
        *FIELD_SYNONYMS["name"],
    ),
    "ruas_code": _RUAS_CODES,
    "ruas_name": (
        "nama_ruas",
        "nama_ruas_jalan",
        "ruas",
        "ruas_jalan",
        "nama_jalan",
        "lokasi_ruas",
        *(n for n in RUAS_NAMES if n not in _RUAS_CODES),
    ),
    "sta": (*STA_NAMES, "lokasi_sta_km", "sta_km"),
    "sta_from": (*STA_FROM, "lokasi_sta_awal", "sta_pangkal", "awal_sta", "sta_awal_km"),
    "sta_to": (*STA_TO, "lokasi_sta_akhir", "sta_ujung", "akhir_sta", "sta_akhir_km"),
    "desa": ("desa", "kelurahan", "desa_kelurahan", "desa_kel", "kel_desa", "nama_desa"),
    "kecamatan": ("kecamatan", "kec", "nama_kecamatan", "lokasi_kecamatan"),
    "kabupaten": ("kabupaten", "kabupaten_kota", "kab_kota", "kota", "nama_kabupaten", "kab"),
    "di_name": ("nama_d_i", "nama_di", "d_i", "di", "daerah_irigasi", "nama_daerah_irigasi"),
    "year": (*FIELD_SYNONYMS["year"], *FIELD_SYNONYMS["year_start"], "tahun_usulan"),
    "budget": (
        *FIELD_SYNONYMS["budget_idr"],
        "pagu_usulan",
        "usulan_pagu",
        "nilai_usulan",
        "pagu_indikatif",
        "usulan_anggaran",
        "kebutuhan_anggaran",
        "kebutuhan_dana",
        "total_biaya",
        "jumlah_biaya",
        "jumlah_anggaran",
        "total_anggaran",
        "nilai_kontrak",
    ),
    "funding_source": FIELD_SYNONYMS["funding_source"],
    "proposer": (
        "usulan_dari",
        "pengusul",
        "diusulkan_oleh",
        "asal_usulan",
        "instansi_pengusul",
        "opd_pengusul",
        *FIELD_SYNONYMS["agency"],
    ),
    "level": FIELD_SYNONYMS["level"],
    "work_type": FIELD_SYNONYMS["work_type"],
}
#: Names that say a row is a header without naming a role (length columns and their unit).
_OTHER_HEADER_WORDS = ("panjang", "panjang_km", "panjang_m", "volume", "volume_km", "satuan")
_KNOWN = {n for names in PROPOSAL_ROLES.values() for n in names} | set(_OTHER_HEADER_WORDS)
_HEADER_SEARCH_ROWS = 30

#: Columns of :attr:`ProposalList.values`, one row per proposal row.
VALUE_COLUMNS: tuple[str, ...] = (
    "proposal_id",
    "source_row",
    "name",
    "ruas_code",
    "ruas_name",
    "sta_from_m",
    "sta_to_m",
    "declared_m",
    "desa",
    "kecamatan",
    "kabupaten",
    "di_name",
    "year_start",
    "year_end",
    "budget_idr",
    "funding_source",
    "proposer",
    "level",
    "work_type",
    "problems",
)


@dataclasses.dataclass(frozen=True)
class ProposalList:
    """A proposal list as read.

    Attributes
    ----------
    name
        The file name (as shown in messages).
    table
        Every column of the file, as written, one row per proposal row (positions 0..n-1).
    values
        :data:`VALUE_COLUMNS`, aligned with ``table``: the location and the facts the check
        needs. ``sta_from_m``/``sta_to_m`` and ``declared_m`` are metres (NaN where not
        given), ``budget_idr`` rupiah, ``level`` ``pusat``/``provinsi``/``kabupaten``/``desa``
        or ``""`` when unknown, ``problems`` the values of the row that could not be read (in
        Bahasa Indonesia, ``; ``-separated; ``""`` when none).
    columns
        Role (a key of :data:`PROPOSAL_ROLES`, or ``length``) -> the column it was read from.
    notes
        What the reader did (header rows found, columns used), for the user.
    """

    name: str
    table: pd.DataFrame
    values: pd.DataFrame
    columns: dict[str, str]
    notes: tuple[str, ...]


def read_proposals(
    path: str | Path,
    *,
    level: str | None = None,
    display_name: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> ProposalList:
    """Read a proposal list (XLSX or CSV) without coordinates.

    The header is the first of the top rows naming at least two known columns (after joining a
    header merged over two rows: ``Lokasi STA`` over ``Awal`` | ``Akhir`` gives ``Lokasi STA
    Awal`` and ``Lokasi STA Akhir``); rows above it are titles, a row numbering the columns
    under it is skipped. Every sheet with such a header is read, in order.

    Parameters
    ----------
    path
        The file.
    level
        The proposing level of every row (``pusat``, ``provinsi``, ``kabupaten``, ``desa``, or
        an alias such as ``Kab/Kota``), when the list has no column saying it; otherwise a
        row's level comes from a level column, else from the proposer (``usulan dari``) or the
        funding source where they name one.
    display_name
        The name used in messages (default: the file name).
    settings
        The upload caps the workbook is checked against.

    Returns
    -------
    ProposalList

    Raises
    ------
    geo.errors.GeoInputError
        The file cannot be read, no sheet has a header naming a location (ruas, STA, desa,
        kecamatan, D.I.), or ``level`` is not a level; the message names the file and the fix.
    """
    path = Path(path)
    name = display_name or path.name
    given_level = None
    if level is not None:
        try:
            given_level = v.parse_level(level)
        except ValueError as exc:
            raise GeoInputError(f"{name}: --level {level}: {exc}") from None
    if not path.is_file():
        raise GeoInputError(f"{name}: no such file")
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".csv", ".txt"):
        raise GeoInputError(
            f"{name}: a proposal list is read from .xlsx or .csv; save it as one of them"
        )
    check_upload_size(path, settings=settings, display_name=name)
    report = ImportReport(name)
    tables, rows, notes = [], [], []
    for label, grid in read_grids(path, name, report, settings=settings).items():
        found = _header(grid)
        if found is None:
            notes.append(f"{label}: no proposal header (ruas, STA, desa, kecamatan); not read")
            continue
        header, header_pos, first_data = found
        frame = grid.iloc[first_data:].reset_index(drop=True)
        frame.columns = header
        frame = frame.dropna(how="all")
        rows_text = "-".join(
            dict.fromkeys(str(int(grid.index[p]) + 1) for p in (header_pos, first_data - 1))
        )
        notes.append(
            f"{label}: header on row {rows_text}"
            + ("; rows above it skipped as titles" if header_pos else "")
        )
        rows.append((grid.index[first_data + frame.index.to_numpy()] + 1).astype(np.int64))
        tables.append(frame.reset_index(drop=True))
    notes = [*report.notes, *notes]
    if not tables:
        raise GeoInputError(
            f"{name}: no proposal columns found; the header needs a location column (kode ruas, "
            "nama ruas, STA awal/akhir, desa, kecamatan or nama D.I.) and one more known column "
            "(tahun, pagu, usulan dari, ...)"
        )
    table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
    table = table.astype(object).where(table.notna(), None)
    columns = _roles(list(table.columns))
    located = {"ruas_code", "ruas_name", "desa", "kecamatan", "di_name"}
    if not located & set(columns) and "name" not in columns:
        raise GeoInputError(
            f"{name}: no location column; add kode ruas or nama ruas (with STA awal/akhir or "
            "panjang), desa or kecamatan"
        )
    values, length_column = _values(table, columns, np.concatenate(rows), given_level)
    if length_column:
        columns["length"] = length_column
    notes.append(
        f"{name}: {len(table)} proposal rows; columns used: "
        + ", ".join(f"{role} = {column!r}" for role, column in columns.items())
    )
    return ProposalList(name, table, values, columns, tuple(notes))


# --- header -------------------------------------------------------------------------------------


def _known_count(names: list[str]) -> int:
    return sum(normalise_name(n) in _KNOWN for n in names)


def _cells(row: pd.Series) -> list[str]:
    return ["" if is_missing(c) else str(c).strip() for c in row]


def _header(grid: pd.DataFrame) -> tuple[list[str], int, int] | None:
    """The column names, the positions of the header's first row and of the first data row;
    None without a header."""
    for pos in range(min(_HEADER_SEARCH_ROWS, len(grid))):
        top = _cells(grid.iloc[pos])
        single = _known_count(top)
        joined = None
        if pos + 1 < len(grid):
            sub = _cells(grid.iloc[pos + 1])
            if _is_sub_header(top, sub):
                joined = _join_header(top, sub)
        if joined is not None and _known_count(joined) >= max(single, 2):
            header, first_data = joined, pos + 2
        elif single >= 2:
            header, first_data = top, pos + 1
        else:
            continue
        if first_data < len(grid) and _is_numbering(_cells(grid.iloc[first_data])):
            first_data += 1
        return _unique(header), pos, first_data
    return None


def _is_sub_header(top: list[str], sub: list[str]) -> bool:
    """A second header row: text only, at least one cell under a blank (merged) top cell."""
    filled = [c for c in sub if c]
    if not filled or any(_is_number(c) for c in filled) or sum(bool(t) for t in top) < 2:
        return False  # a title row (one cell) above the header is not its first row
    return any(s and not t for t, s in zip(top, sub, strict=True))


def _join_header(top: list[str], sub: list[str]) -> list[str]:
    """``STA`` merged over ``Awal``/``Akhir`` -> ``STA Awal``/``STA Akhir``."""
    out, parent = [], ""
    for k, (t, s) in enumerate(zip(top, sub, strict=True)):
        parent = t or (parent if s else "")
        if parent and s and parent != s:
            out.append(f"{parent} {s}")
        else:
            out.append(parent or s or f"column_{k + 1}")
    return out


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"\(?\d+(?:[.,]\d+)*\)?", text))


def _is_numbering(cells: list[str]) -> bool:
    """A row numbering the columns: ``1 2 3 ...`` or ``(1) (2) (3) ...``, increasing."""
    numbers = [c.strip("()") for c in cells if c]
    if len(numbers) < 3 or not all(re.fullmatch(r"\d+(?:\.0)?", n) for n in numbers):
        return False
    as_int = [int(float(n)) for n in numbers]
    return as_int == sorted(as_int) and len(set(as_int)) == len(as_int) and as_int[0] <= 1


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def _roles(columns: list[str]) -> dict[str, str]:
    """Role -> column, by exact normalised names, each column used once (first role wins); a
    role not found so is looked for again with the unit written after the name left out
    (``Nilai Usulan (Rp)``, ``Total Biaya (Ribu Rupiah)``: :func:`_without_unit`)."""
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(normalise_name(column), column)
    by_base: dict[str, str] = {}
    for norm, column in by_norm.items():
        by_base.setdefault(money_unit(norm)[0], column)
    roles: dict[str, str] = {}
    used: set[str] = set()
    for lookup in (by_norm, by_base):
        for role, names in PROPOSAL_ROLES.items():
            if role in roles:
                continue
            for norm in names:
                found = lookup.get(norm)
                if found is not None and found not in used:
                    roles[role] = found
                    used.add(found)
                    break
    return roles


# --- values -------------------------------------------------------------------------------------


def _values(
    table: pd.DataFrame, columns: dict[str, str], rows: np.ndarray, given_level: str | None
) -> tuple[pd.DataFrame, str | None]:
    n = len(table)
    problems: list[list[str]] = [[] for _ in range(n)]

    def text(role: str) -> np.ndarray:
        if role not in columns:
            return np.full(n, "", dtype=object)
        return np.array(
            ["" if is_missing(x) else _plain_text(x) for x in table[columns[role]]], dtype=object
        )

    ids = text("proposal_id")
    if "proposal_id" not in columns or (ids == "").any() or len(set(ids)) < n:
        ids = np.array([f"baris {r}" for r in rows], dtype=object)
    low, high = np.full(n, np.nan), np.full(n, np.nan)
    sta, sta_from, sta_to = text("sta"), text("sta_from"), text("sta_to")
    km = " km" if normalise_name(columns.get("sta_from", "")).startswith("km") else ""
    for pos in range(n):
        if sta_from[pos] and sta_to[pos]:
            written = f"{sta_from[pos]} - {sta_to[pos]}{km}"
        elif sta[pos]:
            written = sta[pos]
        elif sta_from[pos] or sta_to[pos]:
            problems[pos].append("STA awal atau akhir tidak diisi")
            continue
        else:
            continue
        try:
            low[pos], high[pos] = parse_chainage(written)
        except ValueError as exc:
            problems[pos].append(f"STA {written!r} tidak terbaca ({exc})")
    declared, length_column = declared_lengths_m(table)

    def parsed(role: str, parse, width: int, label: str) -> np.ndarray:
        """Each value of ``role``'s column parsed; NaN where blank, a problem where unreadable."""
        out = np.full((n, width), np.nan)
        for pos, raw in enumerate(table[columns[role]] if role in columns else [None] * n):
            if is_missing(raw):
                continue
            try:
                out[pos] = parse(raw)
            except ValueError as exc:
                problems[pos].append(f"{label} tidak terbaca ({exc})")
        return out

    years = parsed("year", v.parse_years, 2, "tahun")
    budget = parsed("budget", v.parse_amount, 1, "pagu")[:, 0]
    if "budget" in columns:  # "Pagu (Rp 000)": the values are thousands of rupiah
        budget = budget * money_unit(normalise_name(columns["budget"]))[1]

    proposer, funding, stated = text("proposer"), text("funding_source"), text("level")
    levels = np.full(n, "", dtype=object)
    for pos in range(n):
        try:
            if stated[pos]:
                levels[pos] = v.parse_level(stated[pos])
            elif given_level:
                levels[pos] = given_level
            else:
                levels[pos] = v.infer_level(proposer[pos] or None, funding[pos] or None)
        except ValueError:
            problems[pos].append(
                "tingkat pengusul tidak diketahui (isi kolom usulan dari/kewenangan, atau --level)"
            )
    values = pd.DataFrame(
        {
            "proposal_id": ids,
            "source_row": rows,
            "name": text("name"),
            "ruas_code": text("ruas_code"),
            "ruas_name": text("ruas_name"),
            "sta_from_m": low,
            "sta_to_m": high,
            "declared_m": declared,
            "desa": text("desa"),
            "kecamatan": text("kecamatan"),
            "kabupaten": text("kabupaten"),
            "di_name": text("di_name"),
            "year_start": years[:, 0],
            "year_end": years[:, 1],
            "budget_idr": budget,
            "funding_source": funding,
            "proposer": proposer,
            "level": levels,
            "work_type": text("work_type"),
            "problems": ["; ".join(p) for p in problems],
        }
    )
    return values[list(VALUE_COLUMNS)], length_column


def _plain_text(value: object) -> str:
    """A cell as text; whole floats (Excel's numbers) without ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())
