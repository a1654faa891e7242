"""Builders of agency files for the reader tests, written into a test's ``tmp_path``.

Geometry is drawn in WGS 84 / UTM 48S (EPSG:32748) near Kota Jambi, so lengths and offsets are
exact metres; :func:`lonlat` gives the true EPSG:4326 position of any UTM coordinate, which is
what the reader must return. Attribute columns use the names agencies really send (``KD_PAKET``,
``NM_PAKET``, ``TA``, ``PAGU``, ``SATKER``).
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pyogrio
import pyogrio.raw
import shapely
from pyproj import Transformer
from shapely import LineString, Point, Polygon

from geo.read.import_report import ImportReport

UTM48S = "EPSG:32748"
#: Origin of the test geometry in UTM 48S metres (about lon 103.60, lat -1.63: Kota Jambi).
X0, Y0 = 400_000.0, 9_820_000.0
AGENCY = "Satker PJN Wilayah I Prov. Jambi"

_TO_LONLAT = Transformer.from_crs(UTM48S, "EPSG:4326", always_xy=True)


def lonlat(x: float, y: float) -> tuple[float, float]:
    """True (lon, lat) in degrees of a UTM 48S point in metres."""
    lon, lat = _TO_LONLAT.transform(x, y)
    return float(lon), float(lat)


def road(i: int, length_m: float = 1000.0) -> LineString:
    """A straight road segment (UTM 48S) starting 3 km east of the previous one."""
    x = X0 + 3000.0 * i
    return LineString([(x, Y0), (x + length_m, Y0)])


def bridge(i: int) -> Point:
    """A bridge point (UTM 48S) 2 km south of road ``i``'s start."""
    return Point(X0 + 3000.0 * i, Y0 - 2000.0)


def field(i: int, side_m: float = 500.0) -> Polygon:
    """A square irrigation area (UTM 48S), ``side_m`` wide: 25 ha by default."""
    x, y = X0 + 3000.0 * i, Y0 + 5000.0
    return shapely.box(x, y, x + side_m, y + side_m)


def pid(i: int) -> str:
    """The project id of test record ``i`` (0-based)."""
    return f"PJN-2025-{i + 1:03d}"


def budget(i: int) -> float:
    """The budget of test record ``i`` in rupiah: 1.25, 2.25, 3.25 ... miliar."""
    return 1_250_000_000.0 + 1_000_000_000.0 * i


def projects(
    geoms: Sequence[shapely.Geometry | None],
    *,
    crs: str | int | None = UTM48S,
    names: Sequence[str] | None = None,
    **columns: Sequence[object],
) -> gpd.GeoDataFrame:
    """A project table as an agency keeps it: KD_PAKET, NM_PAKET, TA, PAGU, SATKER + extras."""
    n = len(geoms)
    data: dict[str, Sequence[object]] = {
        "KD_PAKET": [pid(i) for i in range(n)],
        "NM_PAKET": list(names) if names else [f"Preservasi Jalan Ruas {i + 1}" for i in range(n)],
        "TA": [2025] * n,
        "PAGU": [budget(i) for i in range(n)],
        "SATKER": [AGENCY] * n,
    }
    data.update(columns)
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(list(geoms), crs=crs), crs=crs)


def roads(n: int, **kwargs: Sequence[object]) -> gpd.GeoDataFrame:
    """``n`` road projects in UTM 48S."""
    return projects([road(i) for i in range(n)], **kwargs)


def write_shapefile(
    frame: gpd.GeoDataFrame,
    folder: Path,
    stem: str,
    *,
    encoding: str = "UTF-8",
    drop: Iterable[str] = (),
    suffix_case: Mapping[str, str] | None = None,
) -> dict[str, Path]:
    """Write a shapefile; ``drop`` removes sidecars (``".prj"``), ``suffix_case`` renames them.

    Returns
    -------
    dict
        Lower-case suffix -> the written file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(frame, folder / f"{stem}.shp", encoding=encoding)
    parts = {}
    for path in sorted(folder.glob(f"{stem}.*")):
        suffix = path.suffix.lower()
        if suffix in drop:
            path.unlink()
            continue
        wanted = (suffix_case or {}).get(suffix, suffix)
        if wanted != path.suffix:
            path = path.rename(path.with_suffix(wanted))
        parts[suffix] = path
    return parts


def zip_members(zip_path: Path, members: Mapping[str, Path | bytes | str]) -> Path:
    """Write a zip whose entry ``name`` holds the file, bytes or text given for it."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if isinstance(content, Path):
                content = content.read_bytes()
            archive.writestr(name, content)
    return zip_path


def zip_shapefile(zip_path: Path, parts: Mapping[str, Path], folder: str = "") -> Path:
    """Zip a shapefile's parts (as written) into ``folder`` inside the zip."""
    prefix = f"{folder}/" if folder else ""
    return zip_members(zip_path, {f"{prefix}{p.name}": p for p in parts.values()})


def write_csv(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    sep: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """Write rows (header first) as CSV in ``encoding`` (``"utf-8-sig"`` for a BOM)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    """Write a workbook with one sheet per entry; ``None`` cells stay empty."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    book.close()
    return path


def kml_document(placemarks: Iterable[tuple[str, Mapping[str, object], str]]) -> str:
    """A KML document: one Placemark per (name, ExtendedData fields, geometry KML)."""
    body = []
    for name, fields, geometry_kml in placemarks:
        data = "".join(
            f'<Data name="{key}"><value>{value}</value></Data>' for key, value in fields.items()
        )
        body.append(
            f"<Placemark><name>{name}</name>"
            f"<ExtendedData>{data}</ExtendedData>{geometry_kml}</Placemark>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        + "".join(body)
        + "</Document></kml>"
    )


def kml_line(line: LineString) -> str:
    """KML LineString of a UTM 48S line, in lon,lat degrees."""
    coords = " ".join("{:.9f},{:.9f}".format(*lonlat(x, y)) for x, y in line.coords)
    return f"<LineString><coordinates>{coords}</coordinates></LineString>"


def kml_point(point: Point) -> str:
    """KML Point of a UTM 48S point, in lon,lat degrees."""
    return "<Point><coordinates>{:.9f},{:.9f}</coordinates></Point>".format(
        *lonlat(point.x, point.y)
    )


def to_lonlat(geom: shapely.Geometry) -> shapely.Geometry:
    """A UTM 48S geometry transformed to EPSG:4326 (lon, lat)."""

    def transform(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(_TO_LONLAT.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geom, transform)


def outcomes(report: ImportReport) -> list[tuple[int, str, str]]:
    """(row, project id, outcome) of every record in the report, in report order."""
    return [(r.row, r.project_id, r.outcome) for r in report.records]


def rejected(report: ImportReport) -> dict[str, str]:
    """Project id (or ``"row N"`` where there is none) -> reason, for rejected records."""
    return {
        (r.project_id or f"row {r.row}"): r.reason
        for r in report.records
        if r.outcome == "rejected"
    }


def assert_balanced(report: ImportReport, read: int, stored: int, repaired: int = 0) -> None:
    """The report's counts are exactly these, and features in = stored + rejected."""
    counts = report.counts
    assert counts == {
        "read": read,
        "stored": stored,
        "repaired": repaired,
        "rejected": read - stored,
    }, report.format_text()
    assert counts["read"] == counts["stored"] + counts["rejected"]


def max_offset_deg(actual: shapely.Geometry, expected: shapely.Geometry) -> float:
    """Largest coordinate difference in degrees between two geometries of the same shape.

    Polygons are normalised first (shapefiles store rings clockwise); lines keep their
    direction, which says where a work starts.
    """
    if shapely.get_dimensions(expected) == 2:
        actual, expected = shapely.normalize(actual), shapely.normalize(expected)
    a = shapely.get_coordinates(actual)
    b = shapely.get_coordinates(expected)
    assert a.shape == b.shape, (actual.wkt, expected.wkt)
    return float(abs(a - b).max())


def write_wkb_layer(
    path: Path,
    attributes: Mapping[str, Sequence[object]],
    wkbs: Sequence[bytes | None],
    *,
    geometry_type: str,
    driver: str,
    crs: str = UTM48S,
    layer_options: Mapping[str, str] | None = None,
) -> Path:
    """Write features from raw WKB: geometries shapely cannot build (a line of one point) or
    with M values, which geopandas cannot write."""
    fields = list(attributes)
    pyogrio.raw.write(
        path,
        np.array(list(wkbs), dtype=object),
        [np.asarray(attributes[f], dtype=object) for f in fields],
        fields=fields,
        geometry_type=geometry_type,
        crs=crs,
        driver=driver,
        layer_options=dict(layer_options or {}),
    )
    return path


def line_wkb(coords: Sequence[tuple[float, ...]], *, measured: bool = False) -> bytes:
    """ISO WKB of a line from any number of points (``(x, y)`` or ``(x, y, m)``)."""
    code = 2002 if measured else 2
    packed = b"".join(struct.pack(f"<{len(c)}d", *c) for c in coords)
    return struct.pack("<BII", 1, code, len(coords)) + packed


def polygon_wkb(ring: Sequence[tuple[float, float]]) -> bytes:
    """ISO WKB of a one-ring polygon from any number of points (three make no valid ring)."""
    packed = b"".join(struct.pack("<2d", *c) for c in ring)
    return struct.pack("<BIII", 1, 3, 1, len(ring)) + packed
