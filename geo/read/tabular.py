"""Read CSV and XLSX project lists: header rows found, coordinates turned into geometry.

Locations come as WKT, as lon/lat columns, or as start/end coordinates (the geotagging rule:
one point for works under 500 m, start and end points otherwise). Spreadsheets exported by
agencies have title rows above the header, ``;`` separators and decimal commas; all are handled
here, and every row that cannot be placed is rejected with its row number and the reason.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import GeoInputError
from geo.read.import_report import ImportReport
from geo.read.safety import check_zip_container
from geo.read.values import parse_coordinate
from geo.schema import FIELD_SYNONYMS, is_blank, normalise_name
from geo.settings import Settings

__all__ = [
    "END_LAT",
    "END_LON",
    "fields_from_description",
    "LAT_NAMES",
    "LON_NAMES",
    "read_table",
    "read_grids",
    "RUAS_NAMES",
    "STA_FROM",
    "STA_NAMES",
    "STA_TO",
    "START_LAT",
    "START_LON",
    "TableLayer",
    "WKT_NAMES",
]

WKT_NAMES = (
    "wkt",
    "geometri_wkt",
    "geometry_wkt",
    "wkt_geometry",
    "geometry",
    "geometri",
    "geom",
    "the_geom",
    "shape",
    "geometri_wkt_",
)
LON_NAMES = ("lon", "lng", "long", "longitude", "bujur", "x", "koordinat_x", "bt", "bujur_timur")
LAT_NAMES = ("lat", "latitude", "lintang", "y", "koordinat_y", "ls", "lintang_selatan")
START_LON = (
    "lon_awal",
    "bujur_awal",
    "x_awal",
    "lon_start",
    "start_lon",
    "longitude_awal",
    "lng_awal",
    "bujur_pangkal",
    "bujur_mulai",
    "x_start",
    "x1",
    "lon1",
)
START_LAT = (
    "lat_awal",
    "lintang_awal",
    "y_awal",
    "lat_start",
    "start_lat",
    "latitude_awal",
    "lintang_pangkal",
    "lintang_mulai",
    "y_start",
    "y1",
    "lat1",
)
END_LON = (
    "lon_akhir",
    "bujur_akhir",
    "x_akhir",
    "lon_end",
    "end_lon",
    "longitude_akhir",
    "lng_akhir",
    "bujur_ujung",
    "bujur_selesai",
    "x_end",
    "x2",
    "lon2",
)
END_LAT = (
    "lat_akhir",
    "lintang_akhir",
    "y_akhir",
    "lat_end",
    "end_lat",
    "latitude_akhir",
    "lintang_ujung",
    "lintang_selesai",
    "y_end",
    "y2",
    "lat2",
)
RUAS_NAMES = ("ruas", "kode_ruas", "nama_ruas", "no_ruas", "nomor_ruas", "ruas_jalan", "kd_ruas")
STA_NAMES = ("sta", "lokasi_sta", "sta_lokasi", "chainage", "km", "lokasi_km", "segmen_sta")
STA_FROM = ("sta_awal", "sta_mulai", "km_awal", "sta_dari", "sta_from")
STA_TO = ("sta_akhir", "sta_selesai", "km_akhir", "sta_sampai", "sta_to")
_GEOMETRY_NAMES = set(RUAS_NAMES + STA_NAMES + STA_FROM + STA_TO) | set(
    WKT_NAMES + LON_NAMES + LAT_NAMES + START_LON + START_LAT + END_LON + END_LAT
)
_KNOWN_NAMES = _GEOMETRY_NAMES | {s for syns in FIELD_SYNONYMS.values() for s in syns}
_HEADER_SEARCH_ROWS = 30
#: What openpyxl raises on a damaged workbook: an XLSX is a zip of XML parts, so a broken zip,
#: a member that does not inflate (zlib) or cut short (EOF), or a part that is not XML.
_WORKBOOK_ERRORS = (
    ValueError,
    OSError,
    KeyError,
    EOFError,
    NotImplementedError,  # zip features zipfile cannot read (patched data, strong encryption)
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
)


@dataclasses.dataclass
class TableLayer:
    """A table read with its geometry built; ``rejected`` holds rows that could not be placed."""

    name: str
    frame: gpd.GeoDataFrame
    crs_declared: bool
    rejected: dict[int, str]
    row_notes: dict[int, list[str]]
    first_row: int
    chords: np.ndarray = dataclasses.field(default_factory=lambda: np.empty(0, dtype=np.int64))
    chainage: pd.DataFrame | None = None


def read_table(
    path: Path, name: str, report: ImportReport, *, settings: Settings
) -> list[TableLayer]:
    """Read a CSV or every sheet of an XLSX workbook into layers with geometry (no CRS yet).

    A workbook is a zip: it passes the upload zip checks (``settings``) before it is opened.
    """
    layers, skipped = [], []
    for label, grid in read_grids(path, name, report, settings=settings).items():
        header_pos = _header_position(grid)
        frame = _with_header(grid, header_pos)
        if header_pos > 0:
            report.note(
                f"{label}: header found on row {grid.index[header_pos] + 1}; "
                "rows above it skipped as titles"
            )
        if not any(
            normalise_name(c) in _GEOMETRY_NAMES or "wkt" in normalise_name(c)
            for c in frame.columns
        ):
            skipped.append(label)
            continue
        first_row = int(grid.index[header_pos]) + 2
        layers.append(_place_rows(frame, label, report, first_row))
    if not layers:
        raise GeoInputError(
            f"{name}: no location columns found; add WKT (wkt/geometri), lon/lat "
            "(bujur/lintang) or start/end columns (bujur_awal, lintang_awal, bujur_akhir, "
            "lintang_akhir)"
        )
    for label in skipped:
        report.note(f"{label}: no location columns; sheet not read")
    return layers


def read_grids(
    path: Path, name: str, report: ImportReport, *, settings: Settings
) -> dict[str, pd.DataFrame]:
    """The cells of a CSV, or of every sheet of an XLSX workbook, by layer label.

    Blank rows and columns are dropped (the index keeps each row's position in the sheet, from
    0) and empty sheets are left out; the label is ``name`` for a CSV or a one-sheet workbook,
    else ``name:sheet``. A workbook is a zip: it passes the upload zip checks (``settings``)
    before it is opened.

    Raises
    ------
    geo.errors.GeoInputError
        The workbook or CSV cannot be read; the message names the file and how to save it again.
    """
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        check_zip_container(path, settings=settings, display_name=name)
        try:
            sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object)
        except _WORKBOOK_ERRORS as exc:
            raise GeoInputError(
                f"{name}: not a readable Excel workbook ({type(exc).__name__}: {exc}); "
                "open it in Excel or LibreOffice and save it again as .xlsx"
            ) from None
        tables = {
            (name if len(sheets) == 1 else f"{name}:{sheet}"): frame
            for sheet, frame in sheets.items()
        }
    else:
        tables = {name: _read_csv(path, name, report)}
    grids = {}
    for label, grid in tables.items():
        grid = grid.dropna(how="all").dropna(axis=1, how="all")
        if not grid.empty:
            grids[label] = grid
    return grids


def _read_csv(path: Path, name: str, report: ImportReport) -> pd.DataFrame:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = (
            data.decode("cp1252", errors="strict") if _cp1252_ok(data) else data.decode("latin-1")
        )
        report.note(f"{name}: not UTF-8; read as {'cp1252' if _cp1252_ok(data) else 'latin-1'}")
    sample = "\n".join(text.splitlines()[:40])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        delimiter = max(";,\t|", key=sample.count)
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise GeoInputError(
            f"{name}: not a readable CSV file ({exc}); save it again as CSV "
            "from Excel or LibreOffice"
        ) from None
    width = max((len(r) for r in rows), default=0)
    grid = pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)
    return grid.replace({"": None})


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _header_position(grid: pd.DataFrame) -> int:
    """The first of the top rows with at least two known column names; else the first row."""
    for pos in range(min(_HEADER_SEARCH_ROWS, len(grid))):
        cells = [normalise_name(c) for c in grid.iloc[pos] if not is_blank(c)]
        if sum(c in _KNOWN_NAMES or "wkt" in c for c in cells) >= 2:
            return pos
    return 0


def _with_header(grid: pd.DataFrame, header_pos: int) -> pd.DataFrame:
    header = [
        str(c).strip() if not is_blank(c) else f"column_{i + 1}"
        for i, c in enumerate(grid.iloc[header_pos])
    ]
    seen: dict[str, int] = {}
    unique = []
    for col in header:
        seen[col] = seen.get(col, 0) + 1
        unique.append(col if seen[col] == 1 else f"{col}_{seen[col]}")
    frame = grid.iloc[header_pos + 1 :].copy()
    frame.columns = unique
    return frame.reset_index(drop=True)


def _find(columns: list[str], names: tuple[str, ...]) -> str | None:
    by_norm = {normalise_name(c): c for c in columns}
    for n in names:
        if n in by_norm:
            return by_norm[n]
    return None


def _place_rows(frame: pd.DataFrame, label: str, report: ImportReport, first_row: int):
    columns = list(frame.columns)
    wkt = _find(columns, WKT_NAMES) or next(
        (c for c in columns if "wkt" in normalise_name(c)), None
    )
    ends = [_find(columns, n) for n in (START_LON, START_LAT, END_LON, END_LAT)]
    lonlat = [_find(columns, LON_NAMES), _find(columns, LAT_NAMES)]
    rejected: dict[int, str] = {}
    chords: list[int] = []  # rows given as start and end points, joined by a straight line
    geoms = np.full(len(frame), None, dtype=object)
    if wkt:
        used = [wkt]
        for pos, value in enumerate(frame[wkt]):
            geoms[pos] = _from_wkt(value, wkt, pos, rejected)
    elif ends[0] and ends[1]:
        used = [str(c) for c in ends if c]
        for pos in range(len(frame)):
            row = frame.iloc[pos]
            start = _point(row, ends[0], ends[1], pos, rejected)
            end = _point(row, ends[2], ends[3], pos, rejected, optional=True) if ends[2] else None
            if pos in rejected or start is None:
                continue
            if end is None or end == start:
                geoms[pos] = shapely.Point(start)
            else:
                geoms[pos] = shapely.LineString([start, end])
                chords.append(pos)
    elif lonlat[0] and lonlat[1]:
        used = [str(c) for c in lonlat]
        for pos in range(len(frame)):
            point = _point(frame.iloc[pos], lonlat[0], lonlat[1], pos, rejected)
            geoms[pos] = None if point is None else shapely.Point(point)
    elif (chainage := _chainage(frame, label, rejected)) is not None:
        report.note(f"{label}: location from ruas and STA columns (placed on the road network)")
        table = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms), crs=None)
        return TableLayer(label, table, False, rejected, {}, first_row, chainage=chainage)
    else:
        raise GeoInputError(
            f"{label}: location columns incomplete; need both lon and lat "
            "(bujur and lintang), WKT, or a ruas with STA"
        )
    report.note(f"{label}: location from column(s) {', '.join(map(repr, used))}")
    attributes = frame.drop(columns=used)
    table = gpd.GeoDataFrame(attributes, geometry=gpd.GeoSeries(geoms), crs=None)
    return TableLayer(
        label, table, False, rejected, {}, first_row, chords=np.asarray(chords, dtype=np.int64)
    )


def _chainage(frame: pd.DataFrame, label: str, rejected: dict[int, str]) -> pd.DataFrame | None:
    """Ruas and STA range (metres) per row, or None when the table has no such columns."""
    from geo.read.locate import parse_chainage

    columns = list(frame.columns)
    ruas = _find(columns, RUAS_NAMES)
    single, low, high = _find(columns, STA_NAMES), _find(columns, STA_FROM), _find(columns, STA_TO)
    if not ruas or not (single or (low and high)):
        return None
    out = pd.DataFrame({"ruas": frame[ruas].to_numpy(), "from_m": np.nan, "to_m": np.nan})
    # km_awal / km_akhir hold kilometres; sta_awal / sta_akhir hold "5+000" (or a unit).
    unit = " km" if low and normalise_name(low).startswith("km") else ""
    for pos in range(len(frame)):
        text = (
            frame[single].iat[pos]
            if single
            else f"{frame[low].iat[pos]} - {frame[high].iat[pos]}{unit}"
        )
        if is_blank(out.at[pos, "ruas"]) or is_blank(text):
            rejected[pos] = f"no ruas or STA in {ruas!r}/{single or low!r}"
            continue
        try:
            out.at[pos, "from_m"], out.at[pos, "to_m"] = parse_chainage(str(text))
        except ValueError as exc:
            rejected[pos] = str(exc)
    return out


def _from_wkt(value: object, column: str, pos: int, rejected: dict[int, str]):
    if is_blank(value):
        return None
    try:
        return shapely.from_wkt(str(value).strip())
    except shapely.errors.GEOSException:
        rejected[pos] = f"{column!r} is not readable WKT: {str(value)[:40]!r}"
        return None


def _point(row, xcol, ycol, pos, rejected, optional=False):
    x, y = row[xcol], row[ycol]
    if is_blank(x) and is_blank(y):
        if not optional:
            rejected[pos] = f"no coordinates in {xcol!r}/{ycol!r}"
        return None
    try:
        return parse_coordinate(x), parse_coordinate(y)
    except ValueError as exc:
        rejected[pos] = f"{xcol!r}/{ycol!r}: {exc}"
        return None


# --- attributes written as free text (KML descriptions) -----------------------------------------

_PAIR = re.compile(r"^(?P<key>[^\d:=]+?)\s*(?:[:=]\s*|\s+)(?P<value>(?:rp\.?\s*)?\d.*)$", re.I)
_KEYED = re.compile(r"^(?P<key>[^:=]+?)\s*[:=]\s*(?P<value>.+)$")
_SYNONYM_FIELD = {s: f for f, syns in FIELD_SYNONYMS.items() for s in syns}


def fields_from_description(
    frame: gpd.GeoDataFrame, name: str, report: ImportReport
) -> gpd.GeoDataFrame:
    """Add columns for ``key value`` pairs found in a KML ``description`` (``TA 2025; pagu 1``).

    Only keys that are column synonyms (tahun, ta, pagu, sumber dana, ...) are taken, and only
    for fields the frame has no column for; the report says which fields came from the text.
    """
    if "description" not in frame.columns:
        return frame
    have = {_SYNONYM_FIELD.get(normalise_name(c)) for c in frame.columns} - {None}
    found: dict[str, list] = {}
    for pos, text in enumerate(frame["description"]):
        if is_blank(text):
            continue
        plain = re.sub(r"<[^>]+>", "\n", str(text))
        for part in re.split(r"[;\n|]+", plain):
            part = part.strip()
            match = _KEYED.match(part) or _PAIR.match(part)
            if not match:
                continue
            key = normalise_name(match["key"])
            field = _SYNONYM_FIELD.get(key)
            if field is None or field in have or field == "name":
                continue
            found.setdefault(key, [None] * len(frame))[pos] = match["value"].strip()
    if not found:
        return frame
    frame = frame.copy()
    for key, values in found.items():
        frame[key] = values
    report.note(f"{name}: {', '.join(found)} read from the description text")
    return frame
