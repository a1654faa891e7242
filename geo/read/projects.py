"""Read any supported project file safely into canonical records plus an import report.

``read_projects`` is the one entry point the CLI and the UI share. It refuses hostile files
before opening them (:mod:`geo.read.safety`), reads every layer of every supported format, settles
each layer's CRS (:mod:`geo.read.crs_detect`), checks and repairs geometry (:mod:`geo.spatial.geometry`),
maps columns (:mod:`geo.schema`) and parses values (:mod:`geo.read.records`). It returns records in
EPSG:4326 and a report in which features in = stored + rejected.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import struct
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
import shapely

from geo.errors import CRSError, GeoInputError, MappingError, UnsupportedFormatError
from geo.read import crs_detect, tabular
from geo.read.import_report import ImportReport
from geo.read.kml import read_kml
from geo.read.layer import RawLayer, file_sha256, read_ogr, read_parquet, short_error
from geo.read.records import Given, build_records
from geo.read.safety import check_upload_size, extract_nested
from geo.read.shapefile import read_shapefile
from geo.schema import resolve_mapping
from geo.settings import DEFAULT_SETTINGS, Settings
from geo.spatial import geometry

__all__ = [
    "options_fingerprint",
    "prepare_geometries",
    "PreparedLayer",
    "read_layers",
    "read_projects",
    "ReadResult",
    "SUPPORTED_SUFFIXES",
    "TABLE_SUFFIXES",
    "VECTOR_SUFFIXES",
]

#: File endings read, by reader.
VECTOR_SUFFIXES = (".gpkg", ".geojson", ".json", ".fgb")
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
SUPPORTED_SUFFIXES = (
    (".zip", ".shp", ".kml", ".kmz", ".parquet", ".geoparquet") + VECTOR_SUFFIXES + TABLE_SUFFIXES
)


#: What reading untrusted bytes can raise: GDAL/OGR errors on the file, geometry GEOS cannot
#: build, a damaged zip, bytes that do not decode, binary structures cut short. Anything else
#: (a KeyError, a ValueError from our own code) is a bug and surfaces as one, not as a file
#: that "cannot be read".
_LIBRARY_READ_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    shapely.errors.GEOSException,
    zipfile.BadZipFile,
    UnicodeError,
    OSError,
    EOFError,
    struct.error,
)


@dataclasses.dataclass
class ReadResult:
    """Records read from one file and what happened to each.

    Attributes
    ----------
    projects
        Canonical records in EPSG:4326 with ``source_layer`` and ``source_row``.
    report
        The import report (features in = stored + rejected).
    sha256
        Hash of the file's bytes: re-importing the same file is recognised by it.
    options_sha256
        Hash of the reader options the file was read with (:func:`options_fingerprint`): the
        same bytes read with other options are a new import of that file.
    """

    projects: gpd.GeoDataFrame
    report: ImportReport
    sha256: str
    options_sha256: str = ""

    def __post_init__(self) -> None:
        if not self.options_sha256:
            self.options_sha256 = options_fingerprint()


def options_fingerprint(
    *,
    level: str | None = None,
    agency: str | None = None,
    asset_type: str | None = None,
    mapping: Mapping[str, str] | None = None,
    crs: str | None = None,
) -> str:
    """SHA-256 of the reader options a file is read with, in a canonical form.

    Two reads of the same bytes give the same records only when these agree, so the store
    keeps this beside the file's hash (DESIGN section 6: re-uploading the same file is
    idempotent; a corrected re-import with other options is not the same import).

    >>> options_fingerprint() == options_fingerprint(mapping={})
    True
    >>> options_fingerprint(level="pusat") == options_fingerprint()
    False
    """
    canonical = {
        "level": level or "",
        "agency": agency or "",
        "asset_type": asset_type or "",
        "mapping": sorted((str(k), str(v)) for k, v in (mapping or {}).items()),
        "crs": crs or "",
    }
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_projects(
    path: str | Path,
    *,
    level: str | None = None,
    agency: str | None = None,
    asset_type: str | None = None,
    mapping: Mapping[str, str] | None = None,
    crs: str | int | None = None,
    display_name: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    roads: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
) -> ReadResult:
    """Read a project file into canonical records (EPSG:4326) and an import report.

    Parameters
    ----------
    path
        The file: zipped shapefile(s), .shp, GeoPackage, GeoJSON, KML/KMZ, FlatGeobuf,
        GeoParquet, CSV or XLSX.
    level, agency, asset_type
        Values for the whole file (``--level``, ``--agency``, ``--asset``); they win over
        columns.
    mapping
        ``field -> column`` chosen by the user (``--map``), winning over synonyms.
    crs
        CRS to use where the file declares none (or to override a wrong one), e.g. 32748.
    display_name
        Name used in the report and messages (an upload's original name); defaults to the
        file name.
    settings
        Size caps; defaults to :data:`geo.settings.DEFAULT_SETTINGS`.
    roads
        Reference road network (canonical columns, :mod:`geo.read.reference`): works given as
        start and end points are placed along it, works given as a ruas and STA range are cut
        from it. Without it start/end points stay a straight line (with a report note).
    irrigation_areas
        Daerah Irigasi (canonical columns, :mod:`geo.read.reference`): each irrigation work given
        as a point is reported with the D.I. it lies in. Without them such works are stored as
        points with a report note.

    Returns
    -------
    ReadResult

    Raises
    ------
    GeoInputError
        The file is refused as a whole (unsafe, unreadable, no CRS, unmappable columns); the
        message has one ``FILE: reason`` line per problem.
    """
    from geo.read.values import parse_asset_type, parse_level

    path = Path(path)
    name = display_name or path.name
    try:
        given = Given(
            level=parse_level(level) if level else None,
            agency=agency.strip() if agency else None,
            asset_type=parse_asset_type(asset_type) if asset_type else None,
        )
    except ValueError as exc:
        raise GeoInputError(f"{name}: {exc}") from None
    override = crs_detect.parse_crs_option(crs, name) if crs is not None else None
    layers, report = read_layers(path, display_name=name, settings=settings)
    network = None
    if roads is not None:
        from geo.read.locate import RoadNetwork

        network = RoadNetwork(roads)
    used: dict[str, str] = {}
    projects = _check_layers(
        layers,
        name,
        given,
        dict(mapping or {}),
        override,
        report,
        network,
        used,
        max_text_chars=settings.max_text_chars,
        chainage_from_end=settings.chainage_from_end,
    )
    _locate_irrigation_points(projects, irrigation_areas, report, name)
    # The columns each field was read from, not the --map given: a mapping the synonyms would
    # have found anyway (the wizard pre-fills them) reads the file the same way.
    options = options_fingerprint(
        level=given.level,
        agency=given.agency,
        asset_type=given.asset_type,
        mapping=used,
        crs=override.to_string() if override is not None else None,
    )
    return ReadResult(
        projects=projects, report=report, sha256=file_sha256(path), options_sha256=options
    )


def _locate_irrigation_points(projects, irrigation_areas, report: ImportReport, name: str):
    """Report the Daerah Irigasi each irrigation work given as a point lies in."""
    if projects.empty:
        return
    points = np.flatnonzero(
        (projects["asset_type"] == "irrigation").to_numpy()
        & np.isin(shapely.get_type_id(projects.geometry.values), [0, 4])
    )
    if not len(points):
        return
    if irrigation_areas is None:
        report.note(
            f"{name}: {len(points)} irrigation work(s) given as points: stored as points; "
            "load the Daerah Irigasi (python -m geo reference irrigation FILE) to compare "
            "them by D.I."
        )
        return
    from geo.spatial.geometry import area_of_works

    di = area_of_works(np.asarray(projects.geometry.values, dtype=object)[points], irrigation_areas)
    areas = irrigation_areas.reset_index(drop=True)
    names = areas["name"] if "name" in areas.columns else areas["di_id"]
    outcomes = {(r.layer, r.row): r for r in report.records}
    for pos, held in zip(points, di, strict=True):
        outcome = outcomes[(projects["source_layer"].iat[pos], projects["source_row"].iat[pos])]
        where = f"in {_di_label(names.iat[held])}" if held >= 0 else "outside every D.I. loaded"
        outcome.reason = "; ".join(r for r in (outcome.reason, where) if r)
    inside = int((di >= 0).sum())
    report.note(
        f"{name}: {len(points)} irrigation work(s) given as points: {inside} located in a "
        f"Daerah Irigasi, {len(points) - inside} outside every D.I. loaded"
    )


def _di_label(name: object) -> str:
    """A Daerah Irigasi's name with "D.I." in front unless it says so already."""
    text = str(name).strip()
    said = re.match(r"(d\.?\s*i\b\.?|daerah\s+irigasi\b)", text, re.I)
    return text if said else f"D.I. {text}"


def read_layers(
    path: Path, *, display_name: str | None = None, settings: Settings = DEFAULT_SETTINGS
) -> tuple[list[RawLayer], ImportReport]:
    """Every non-empty layer of a file as read (source CRS and columns), and a new report.

    The file is refused before it is opened when it is unsafe (size, zip checks); library
    errors on untrusted bytes become a :class:`GeoInputError` naming the file.
    """
    path = Path(path)
    name = display_name or path.name
    if not path.is_file():
        raise GeoInputError(f"{name}: no such file")
    check_upload_size(path, settings=settings, display_name=name)
    report = ImportReport(source_file=name)
    with tempfile.TemporaryDirectory(prefix="peta-read-") as tmp:
        try:
            layers = _read_layers(path, name, Path(tmp), settings, report)
        except GeoInputError:
            raise
        except _LIBRARY_READ_ERRORS as exc:
            # Untrusted bytes can upset any parser: that is bad input, named as such.
            raise GeoInputError(
                f"{name}: cannot be read ({type(exc).__name__}: {short_error(exc)}); "
                "check that the file opens in QGIS or re-export it"
            ) from None
    for layer in layers:
        if layer.frame.empty:
            report.note(f"{layer.name}: no features; not read")
    layers = [layer for layer in layers if not layer.frame.empty]
    if not layers:
        raise GeoInputError(f"{name}: no layer with features found")
    return layers, report


def _read_layers(
    path: Path, name: str, tmp: Path, settings: Settings, report: ImportReport
) -> list[RawLayer]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(
            f"{name}: {suffix or 'no extension'} is not a supported format; use a zipped "
            "shapefile, GeoPackage, GeoJSON, KML/KMZ, FlatGeobuf, GeoParquet, CSV or XLSX"
        )
    if suffix == ".zip":
        return _read_zip(path, name, tmp, settings, report)
    return _read_one(path, name, settings, report, tmp)


def _read_zip(
    path: Path, name: str, tmp: Path, settings: Settings, report: ImportReport
) -> list[RawLayer]:
    files = extract_nested(path, tmp / "unzipped", settings=settings, display_name=name)
    layers: list[RawLayer] = []
    shapefiles = _group_shapefiles(files, report)
    for stem_display, parts in shapefiles.items():
        layers.extend(_as_list(read_shapefile(parts, stem_display, tmp, report)))
    for extracted in files:
        suffix = extracted.path.suffix.lower()
        if suffix in _SHAPEFILE_PARTS:
            continue
        if suffix in SUPPORTED_SUFFIXES and suffix != ".zip":
            layers.extend(_read_one(extracted.path, extracted.display_name, settings, report, tmp))
        else:
            report.note(f"{extracted.display_name}: not a supported format; not read")
    if not layers:
        raise GeoInputError(f"{name}: the zip holds no shapefile or other supported file")
    return layers


_SHAPEFILE_PARTS = {
    ".shp",
    ".shx",
    ".dbf",
    ".prj",
    ".cpg",
    ".qix",
    ".sbn",
    ".sbx",
    ".xml",
    ".qmd",
    ".fix",
    ".aih",
    ".ain",
    ".atx",
    ".ixs",
    ".mxs",
    ".qpj",
}


def _group_shapefiles(files, report: ImportReport) -> dict[str, dict[str, Path]]:
    """Group extracted files into shapefiles by folder and stem, case-insensitively."""
    groups: dict[tuple[str, str], dict[str, Path]] = {}
    names: dict[tuple[str, str], str] = {}
    for extracted in files:
        suffix = extracted.path.suffix.lower()
        if suffix not in _SHAPEFILE_PARTS:
            continue
        display = extracted.display_name
        folder, _, base = display.rpartition("/")
        stem = base[: -len(extracted.path.suffix)] if extracted.path.suffix else base
        key = (folder.lower(), stem.lower())
        groups.setdefault(key, {})[suffix] = extracted.path
        if suffix == ".shp" or key not in names:
            names[key] = f"{folder}/{stem}" if folder else stem
    result = {}
    for key, parts in groups.items():
        if ".shp" not in parts:
            found = ", ".join(sorted(parts))
            if ".dbf" in parts:
                report.note(f"{names[key]}: {found} without a .shp: not read (add the .shp)")
            continue
        result[names[key]] = parts
    return result


def _as_list(layer: RawLayer | None) -> list[RawLayer]:
    return [] if layer is None else [layer]


def _read_one(
    path: Path, name: str, settings: Settings, report: ImportReport, tmp: Path
) -> list[RawLayer]:
    suffix = path.suffix.lower()
    if suffix == ".shp":
        parts = {
            p.suffix.lower(): p
            for p in path.parent.iterdir()
            if p.stem.lower() == path.stem.lower() and p.suffix.lower() in _SHAPEFILE_PARTS
        }
        return _as_list(read_shapefile(parts, name, tmp, report))
    if suffix in (".kml", ".kmz"):
        frame, notes = read_kml(path, settings=settings, display_name=name)
        for line in notes:
            report.note(line)
        frame = tabular.fields_from_description(frame, name, report)
        return [RawLayer(name, frame, crs_declared=True)]
    if suffix in (".parquet", ".geoparquet"):
        return [read_parquet(path, name)]
    if suffix in TABLE_SUFFIXES:
        return [
            RawLayer(
                t.name,
                t.frame,
                t.crs_declared,
                t.rejected,
                t.row_notes,
                t.first_row,
                t.chords,
                t.chainage,
            )
            for t in tabular.read_table(path, name, report, settings=settings)
        ]
    return read_ogr(path, name, report)


def _check_layers(
    layers: list[RawLayer],
    name: str,
    given: Given,
    explicit: dict[str, str],
    override,
    report: ImportReport,
    network=None,
    used: dict[str, str] | None = None,
    *,
    max_text_chars: int,
    chainage_from_end: bool = False,
) -> gpd.GeoDataFrame:
    """Settle CRS, check geometry and build records for every layer; raise all problems once.

    ``used`` (when given) receives ``"layer:field" -> column`` of every mapping applied.
    """
    problems: list[str] = []
    crs_problems: list[str] = []
    mappings = {}
    for layer in layers:
        if layer.chainage is not None:
            _cut_chainage(layer, network, report, from_end=chainage_from_end)
        try:
            mappings[layer.name] = resolve_mapping(
                layer.frame.columns,
                explicit=explicit,
                given=given.fields(),
                source=layer.name,
                values=layer.frame,
            )
        except MappingError as exc:
            problems.extend(exc.problems)
        try:
            layer.frame = crs_detect.settle_crs(
                layer.frame,
                layer.name,
                declared=layer.crs_declared,
                override=override,
                report=report,
            )
        except GeoInputError as exc:
            problems.extend(exc.problems)
            if isinstance(exc, CRSError):
                crs_problems.extend(exc.problems)
    if problems:
        if all("--map" in p or "--level" in p or "--agency" in p for p in problems):
            raise MappingError(*problems)
        raise CRSError(*problems) if problems == crs_problems else GeoInputError(*problems)

    parts = []
    for layer in layers:
        mapping = mappings[layer.name]
        if used is not None:
            used.update({f"{layer.name}:{f}": c for f, c in mapping.columns.items()})
        for line in mapping.notes:
            report.note(line)
        if "project_id" not in mapping.columns:
            report.note(
                f"{layer.name}: no id column (kode paket); ids made from row numbers as "
                f"'{_id_prefix(layers, layer, name)}ROW' — map one with --map project_id=COLUMN"
            )
        parts.append(
            _check_layer(
                layer,
                mapping,
                given,
                _id_prefix(layers, layer, name),
                report,
                network,
                max_text_chars=max_text_chars,
            )
        )
    projects = pd.concat(parts, ignore_index=True) if parts else parts
    projects = gpd.GeoDataFrame(projects, geometry="geometry", crs="EPSG:4326")
    return _reject_repeated_ids(projects, report)


def _id_prefix(layers: list[RawLayer], layer: RawLayer, name: str) -> str:
    stem = Path(name).stem
    return f"{stem}#" if len(layers) == 1 else f"{layer.name}#"


@dataclasses.dataclass
class PreparedLayer:
    """A layer's rows with geometry in EPSG:4326, checked and repaired, before its attributes.

    ``reasons`` is ``""`` for usable rows and why not for the others; ``row_notes`` holds
    repair notes by position; ``rows`` the source row numbers.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    geoms: gpd.GeoSeries
    reasons: np.ndarray
    row_notes: dict[int, list[str]]

    @property
    def usable(self) -> np.ndarray:
        return self.reasons == ""


def prepare_geometries(layer: RawLayer, report: ImportReport) -> PreparedLayer:
    """Drop Z/M, reject missing geometry, reproject to EPSG:4326 with per-record coordinate
    checks, and repair invalid geometry (area before and after in the notes)."""
    frame = layer.frame.reset_index(drop=True)
    rows = np.arange(layer.first_row, layer.first_row + len(frame))
    geoms, with_z, with_m = geometry.drop_z_m(frame.geometry)
    if with_z or with_m:
        dims = " and ".join(d for d, n in (("Z", with_z), ("M", with_m)) if n)
        report.note(
            f"{layer.name}: {dims} values dropped from {max(with_z, with_m)} records "
            "(Peta Sinergi works in 2-D)"
        )
    reasons = geometry.missing_reasons(geoms)
    for pos, reason in layer.rejected.items():
        reasons[pos] = reason
    geoms = crs_detect.to_wgs84(geoms, reasons == "", reasons, layer.name)
    usable = reasons == ""
    repaired_geoms, repaired = geometry.repair_invalid(geoms[usable])
    geoms = geoms.copy()
    geoms[usable] = repaired_geoms.values
    row_notes = {pos: list(notes) for pos, notes in layer.row_notes.items()}
    if repaired.any():
        from geo.spatial.crs import area_ha

        positions = np.flatnonzero(usable)[repaired]
        before = area_ha(gpd.GeoSeries(frame.geometry.values[positions], crs=frame.crs))
        after = area_ha(gpd.GeoSeries(geoms.values[positions], crs="EPSG:4326"))
        for pos, a0, a1 in zip(positions, before, after, strict=True):
            row_notes.setdefault(pos, []).append(
                f"repaired invalid geometry (make_valid): area {a0:.2f} ha before, {a1:.2f} ha after"
            )
    return PreparedLayer(frame, rows, geoms, reasons, row_notes)


def _cut_chainage(layer: RawLayer, network, report: ImportReport, *, from_end: bool) -> None:
    """Give rows located by ruas and STA their stretch of the network (EPSG:4326); with
    ``from_end`` the STA is counted from the other end of each ruas."""
    chainage_rows = layer.chainage
    assert chainage_rows is not None  # rows located by chainage carry it
    rows = np.flatnonzero(chainage_rows["from_m"].notna().to_numpy())
    rows = np.array([r for r in rows.tolist() if r not in layer.rejected], dtype=np.int64)
    geoms = np.full(len(layer.frame), None, dtype=object)
    if network is None:
        for pos in rows.tolist():
            layer.rejected[pos] = "located by ruas and STA: pass the road network with --roads"
    elif len(rows):
        from geo.read.locate import cut_many

        chainage = chainage_rows.iloc[rows]
        cut = cut_many(
            network, chainage["ruas"], chainage["from_m"], chainage["to_m"], from_end=from_end
        )
        for pos, geom, reason, road_id in zip(
            rows.tolist(), cut.geometry, cut["reason"], cut["road_id"], strict=True
        ):
            if reason:
                layer.rejected[pos] = reason
            else:
                geoms[pos] = geom
                layer.placed_by[pos] = "ruas+STA"
                low, high = chainage_rows.at[pos, "from_m"], chainage_rows.at[pos, "to_m"]
                layer.row_notes.setdefault(pos, []).append(
                    f"cut from ruas {road_id} STA {low / 1000:.3f}-{high / 1000:.3f} km"
                )
    layer.frame = gpd.GeoDataFrame(
        layer.frame.drop(columns="geometry"), geometry=gpd.GeoSeries(geoms), crs=4326
    )
    layer.crs_declared = True


def _place_chords(layer: RawLayer, prepared: PreparedLayer, network, report) -> None:
    """Place start/end chords along the road network, or note that they stay straight."""
    rows = np.array([r for r in layer.chords if prepared.reasons[r] == ""], dtype=np.int64)
    if not len(rows):
        return
    if network is None:
        report.note(
            f"{layer.name}: {len(rows)} records given as start and end points joined by a "
            "straight line (no road network given: the road itself may run elsewhere; "
            "pass --roads)"
        )
        return
    from geo.read.locate import DECLARED_LENGTH_SHARE, declared_lengths_m, place_many

    coords = [shapely.get_coordinates(g) for g in prepared.geoms.values[rows]]
    start = np.array([c[0] for c in coords])
    end = np.array([c[-1] for c in coords])
    declared, length_column = declared_lengths_m(prepared.frame)
    placed = place_many(
        start[:, 0], start[:, 1], end[:, 0], end[:, 1], network, declared_m=declared[rows]
    )
    if length_column is not None:
        report.note(
            f"{layer.name}: placed lengths compared with the declared length in column "
            f"{length_column!r} (more than {DECLARED_LENGTH_SHARE:.0%} apart is reported for "
            "the record)"
        )
    geoms = prepared.geoms.values.copy()
    kept = 0
    for pos, geom, reason, route_m, length_note in zip(
        rows,
        placed.geometry,
        placed["reason"],
        placed["route_m"],
        placed["length_note"],
        strict=True,
    ):
        notes = prepared.row_notes.setdefault(pos, [])
        if reason or geom is None:
            kept += 1
            notes.append(f"kept as a straight line: {reason}")
        else:
            geoms[pos] = geom
            layer.placed_by[pos] = "point" if shapely.get_type_id(geom) == 0 else "start-end route"
            notes.append(f"placed along the road network ({route_m:,.0f} m)")
            if length_note:
                notes.append(length_note)
    prepared.geoms = gpd.GeoSeries(geoms, index=prepared.geoms.index, crs=4326)
    report.note(
        f"{layer.name}: {len(rows) - kept} records given as start and end points placed "
        f"along the road network; {kept} kept as straight lines"
    )


def _check_layer(
    layer: RawLayer,
    mapping,
    given: Given,
    id_prefix: str,
    report: ImportReport,
    network=None,
    *,
    max_text_chars: int,
):
    prepared = prepare_geometries(layer, report)
    _place_chords(layer, prepared, network, report)
    frame, rows, geoms, reasons = prepared.frame, prepared.rows, prepared.geoms, prepared.reasons
    usable, row_notes = prepared.usable, prepared.row_notes
    for pos in np.flatnonzero(~usable).tolist():
        pid = _id_of(frame, pos, mapping)
        report.reject(layer.name, rows[pos], str(reasons[pos]), pid)
    kinds = geometry.geometry_kind(geoms)
    keep = np.flatnonzero(usable)
    subset = frame.iloc[keep].copy()
    subset = gpd.GeoDataFrame(
        subset.drop(columns="geometry"), geometry=geoms.values[keep], crs="EPSG:4326"
    )
    repairs = {i: row_notes[pos] for i, pos in enumerate(keep.tolist()) if pos in row_notes}
    records = build_records(
        subset,
        rows[keep],
        kinds[keep],
        mapping,
        given=given,
        layer=layer.name,
        report=report,
        repairs=repairs,
        id_prefix=id_prefix,
        max_text_chars=max_text_chars,
    )
    if layer.placed_by and len(records):
        # Keyed by source row: build_records may reject rows for their attributes.
        by_row = {int(rows[pos]): method for pos, method in layer.placed_by.items()}
        records["placed_by"] = records["source_row"].map(by_row)
    return records


def _id_of(frame: pd.DataFrame, pos: int, mapping) -> str:
    col = mapping.columns.get("project_id")
    if not col:
        return ""
    value = frame.iloc[pos][col]
    from geo.schema import is_blank

    return "" if is_blank(value) else str(value).strip()


def _reject_repeated_ids(projects: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame:
    """Keep the first record of each (agency, project_id); reject repeats with the first's row."""
    if projects.empty:
        return projects
    repeated = projects.duplicated(subset=["agency", "project_id"], keep="first")
    if not repeated.any():
        return projects
    first = projects.loc[~repeated].set_index(["agency", "project_id"])
    outcomes = {(r.layer, r.row): r for r in report.records}
    for _, rec in projects.loc[repeated].iterrows():
        origin = first.loc[(rec["agency"], rec["project_id"])]
        outcome = outcomes[(rec["source_layer"], rec["source_row"])]
        outcome.outcome = "rejected"
        outcome.reason = (
            f"project id {rec['project_id']} repeated (first at "
            f"{origin['source_layer']} row {origin['source_row']})"
        )
    return projects.loc[~repeated].reset_index(drop=True)
