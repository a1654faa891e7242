"""Read KML and KMZ files ourselves, safely (DESIGN section 4; section 10: nothing is fetched).

GDAL's LIBKML driver may follow NetworkLinks; this reader parses the XML with defusedxml (no
DTDs, no entities, no external references), never fetches anything and reports each NetworkLink
instead. A KMZ is a zip and gets the same checks as any zip (:mod:`geo.read.safety`).

One row per Placemark, in document order, including placemarks without a geometry (their
geometry is None, so the importer can report them). Coordinates are ``lon,lat[,alt]`` in
EPSG:4326 by the KML specification; altitude is dropped and reported.
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree
import geopandas
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoInputError, UnsafeFileError
from geo.read.safety import check_upload_size, reject_xml_hazards, safe_extract_zip
from geo.settings import Settings

__all__ = ["BASE_COLUMNS", "description_table", "KML_CRS", "read_kml"]

#: KML coordinates are longitude/latitude on WGS 84 (OGC KML 2.2, section 16.9).
KML_CRS = "EPSG:4326"

#: Columns every result has, before the ExtendedData columns.
BASE_COLUMNS = ("name", "description", "folder")

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_CONTAINERS = {"kml", "Document", "Folder"}
_OVERLAYS = {"GroundOverlay", "ScreenOverlay", "PhotoOverlay"}
_GEOMETRIES = {
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiGeometry",
    "Track",
    "MultiTrack",
}
_FIX_GEOMETRY = "geometry left empty; correct it in Google Earth or QGIS"
_SPACES_AROUND_COMMAS = re.compile(r"\s*,\s*")
_LINE_AND_COLUMN = re.compile(r": line \d+, column \d+$")
#: Longer "keys" in a description's HTML table are prose, not attribute names.
_MAX_TABLE_KEY_CHARS = 64
_MAX_NOTE_TEXT_CHARS = 200


class _GeometryProblem(Exception):
    """A Placemark geometry that cannot be built; the reason is reported, the row kept."""


@dataclasses.dataclass
class _Placemark:
    name: str | None
    description: str | None
    folder: str
    attributes: dict[str, str | None]
    geometry: BaseGeometry | None
    has_altitude: bool = False
    problem: str | None = None
    table_attribute_count: int = 0


@dataclasses.dataclass
class _Document:
    placemarks: list[_Placemark] = dataclasses.field(default_factory=list)
    network_links: list[str] = dataclasses.field(default_factory=list)
    overlay_count: int = 0


def read_kml(
    path: Path | str, *, settings: Settings, display_name: str | None = None
) -> tuple[geopandas.GeoDataFrame, list[str]]:
    """Read every Placemark of a KML or KMZ file.

    Parameters
    ----------
    path
        A ``.kml`` file, or a ``.kmz`` (recognised by its zip signature, whatever its name).
    settings
        Supplies the upload and zip caps (:mod:`geo.read.safety`).
    display_name
        Name shown in messages; defaults to the file name.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per Placemark in EPSG:4326 (2-D) with columns ``name``, ``description``,
        ``folder`` (enclosing Document/Folder names joined by ``" / "``), one string column per
        ExtendedData field (``Data`` or ``SchemaData/SimpleData``) and per key of a key/value
        HTML table in the description, and ``geometry`` (None where a Placemark has none or it
        cannot be built).
    list of str
        Notes, one line each ``"FILE: ..."``: NetworkLinks not fetched, altitude dropped,
        geometries left empty and why, renamed columns, overlays not read.

    Raises
    ------
    UnsafeFileError
        Too large, a hostile KMZ (see :func:`geo.read.safety.safe_extract_zip`), or XML with a
        DOCTYPE/entities.
    GeoInputError
        ``"FILE: not valid KML (line L: reason) — ..."``, not a KML document, or a KMZ
        without a ``.kml`` file.
    """
    path = Path(path)
    name = display_name or path.name
    check_upload_size(path, settings=settings, display_name=name)
    notes: list[str] = []
    if _is_zip(path):
        data, document_name = _read_kmz_document(path, name, settings, notes)
    else:
        data, document_name = path.read_bytes(), name
    root = _parse_xml(data, document_name)
    document = _read_document(root)
    notes.extend(_document_notes(document, name))
    placemarks = _with_table_attributes(document.placemarks, name, notes)
    return _to_geodataframe(placemarks, name, notes), notes


# --- files and XML --------------------------------------------------------------------------


def _is_zip(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) in _ZIP_MAGIC


def _read_kmz_document(
    path: Path, name: str, settings: Settings, notes: list[str]
) -> tuple[bytes, str]:
    """The KML inside a KMZ: ``doc.kml``, else the first ``.kml`` at the root, else anywhere."""
    with tempfile.TemporaryDirectory(prefix="peta-kmz-") as extract_dir:
        files = safe_extract_zip(path, extract_dir, settings=settings, display_name=name)
        members = [file.relative_to(extract_dir).as_posix() for file in files]
        kml_members = [member for member in members if member.lower().endswith(".kml")]
        if not kml_members:
            raise GeoInputError(
                f"{name}: no .kml file inside the KMZ — save it again from Google Earth "
                "(Save Place As, KMZ) or QGIS"
            )
        chosen = _choose_kml_member(kml_members)
        if chosen.lower() != "doc.kml":
            notes.append(f"{name}: read '{chosen}' (the KMZ has no doc.kml at its root)")
        others = [member for member in kml_members if member != chosen]
        if others:
            notes.append(
                f"{name}: {len(others)} other .kml file(s) inside not read "
                f"({_one_line(', '.join(others))}) — upload them separately if they hold projects"
            )
        document_path = Path(extract_dir, chosen)
        document_name = f"{name}/{chosen}"
        check_upload_size(document_path, settings=settings, display_name=document_name)
        return document_path.read_bytes(), document_name


def _choose_kml_member(kml_members: list[str]) -> str:
    at_root = [member for member in kml_members if "/" not in member]
    for member in at_root:
        if member.lower() == "doc.kml":
            return member
    return (at_root or kml_members)[0]


def _parse_xml(data: bytes, name: str) -> Element:
    """Parse with DTDs, entities and external references forbidden."""
    reject_xml_hazards(data, name)
    try:
        root = defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
    except defusedxml.DefusedXmlException as error:
        raise UnsafeFileError(
            f"{name}: XML refused ({type(error).__name__}: it could read local files, fetch URLs "
            "or exhaust memory) — export the file again without a DOCTYPE"
        ) from None
    except ParseError as error:
        line = error.position[0]
        reason = _LINE_AND_COLUMN.sub("", str(error))
        raise GeoInputError(
            f"{name}: not valid KML (line {line}: {reason}) — open it in Google Earth or QGIS "
            "and save it again"
        ) from None
    root_tag = _local(root.tag)
    if root_tag not in _CONTAINERS:
        raise GeoInputError(
            f"{name}: not a KML document (it starts with <{_one_line(root_tag)}>, not <kml>) — "
            "upload a .kml or .kmz file exported from Google Earth or QGIS"
        )
    return root


def _local(tag: object) -> str:
    """An element's name without its namespace (KML 2.2, Google's 2.x, or none)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element, local_name: str) -> Iterator[Element]:
    return (child for child in element if _local(child.tag) == local_name)


def _child_text(element: Element, local_name: str) -> str | None:
    for child in _children(element, local_name):
        return (child.text or "").strip()
    return None


# --- document walk --------------------------------------------------------------------------


def _read_document(root: Element) -> _Document:
    """Placemarks, NetworkLinks and overlays in document order (iterative: deep nesting is fine)."""
    document = _Document()
    stack: list[tuple[Element, tuple[str, ...]]] = [(root, ())]
    while stack:
        element, folders = stack.pop()
        kind = _local(element.tag)
        if kind == "Placemark":
            document.placemarks.append(_read_placemark(element, " / ".join(folders)))
        elif kind == "NetworkLink":
            document.network_links.append(_network_link_target(element))
        elif kind in _OVERLAYS:
            document.overlay_count += 1
        elif kind in _CONTAINERS:
            folder_name = _child_text(element, "name") if kind != "kml" else None
            inner = (*folders, folder_name) if folder_name else folders
            stack.extend((child, inner) for child in reversed(element))
    return document


def _network_link_target(element: Element) -> str:
    for child in element.iter():
        if _local(child.tag) == "href" and (child.text or "").strip():
            return _one_line(child.text or "")
    return "(no address)"


def _read_placemark(element: Element, folder: str) -> _Placemark:
    placemark = _Placemark(
        name=_child_text(element, "name"),
        description=_child_text(element, "description"),
        folder=folder,
        attributes=_extended_data(element),
        geometry=None,
    )
    geometry_element = next((c for c in element if _local(c.tag) in _GEOMETRIES), None)
    unsupported = next((c for c in element if _local(c.tag) == "Model"), None)
    if geometry_element is not None:
        try:
            reader = _GeometryReader()
            placemark.geometry = reader.read(geometry_element)
            placemark.has_altitude = reader.has_altitude
        except _GeometryProblem as problem:
            placemark.problem = str(problem)
    elif unsupported is not None:
        placemark.problem = "a <Model> (3-D model) is not read"
    return placemark


def _extended_data(element: Element) -> dict[str, str | None]:
    """``Data name=...`` values and ``SchemaData/SimpleData name=...`` texts, as strings."""
    attributes: dict[str, str | None] = {}
    for extended in _children(element, "ExtendedData"):
        for item in extended.iter():
            kind = _local(item.tag)
            key = (item.get("name") or "").strip()
            if kind == "Data":
                value = _child_text(item, "value")
            elif kind == "SimpleData":
                value = (item.text or "").strip()
            else:
                continue
            attributes.setdefault(key or "field", value)
    return attributes


# --- geometry -------------------------------------------------------------------------------


class _GeometryReader:
    """Builds shapely geometries from KML elements; remembers whether any altitude was dropped."""

    def __init__(self) -> None:
        self.has_altitude = False

    def read(self, element: Element) -> BaseGeometry:
        kind = _local(element.tag)
        if kind == "Point":
            return self._point(element)
        if kind in ("LineString", "LinearRing"):
            return self._line(self._coordinates(element))
        if kind == "Polygon":
            return self._polygon(element)
        if kind == "Track":
            return self._line(self._track_coordinates(element))
        if kind in ("MultiGeometry", "MultiTrack"):
            return self._multi(element)
        raise _GeometryProblem(f"<{kind}> is not a geometry Peta Sinergi reads")

    def _point(self, element: Element) -> BaseGeometry:
        coords = self._coordinates(element)
        if len(coords) != 1:
            raise _GeometryProblem(f"a Point with {len(coords)} coordinates instead of one")
        return shapely.Point(coords[0])

    def _line(self, coords: list[tuple[float, float]]) -> BaseGeometry:
        if len(coords) < 2:
            raise _GeometryProblem(f"a line with {len(coords)} point(s) (needs at least two)")
        return shapely.LineString(coords)

    def _polygon(self, element: Element) -> BaseGeometry:
        outer = [ring for boundary in _children(element, "outerBoundaryIs") for ring in boundary]
        if len(outer) != 1:
            raise _GeometryProblem(f"a Polygon with {len(outer)} outer boundaries instead of one")
        holes = [
            self._ring(ring)
            for boundary in _children(element, "innerBoundaryIs")
            for ring in boundary
        ]
        return shapely.Polygon(self._ring(outer[0]), holes)

    def _ring(self, element: Element) -> list[tuple[float, float]]:
        coords = self._coordinates(element)
        # shapely closes an open ring itself; a closed ring needs four points.
        distinct = len(coords) - (len(coords) > 1 and coords[0] == coords[-1])
        if distinct < 3:
            raise _GeometryProblem(f"a polygon ring with {distinct} distinct point(s) (needs 3)")
        return coords

    def _multi(self, element: Element) -> BaseGeometry:
        parts: list[BaseGeometry] = []
        for child in element:
            if _local(child.tag) not in _GEOMETRIES:
                continue
            part = self.read(child)
            # Nested MultiGeometries are flattened: KML gives them no meaning of their own.
            parts.extend(getattr(part, "geoms", [part]))
        if not parts:
            raise _GeometryProblem(f"a <{_local(element.tag)}> without any geometry inside")
        return _combine(parts)

    def _coordinates(self, element: Element) -> list[tuple[float, float]]:
        text = _child_text(element, "coordinates") or ""
        tuples = _SPACES_AROUND_COMMAS.sub(",", text).split()
        return [self._position(token.strip(",").split(","), token) for token in tuples]

    def _track_coordinates(self, element: Element) -> list[tuple[float, float]]:
        texts = [(child.text or "") for child in _children(element, "coord")]
        return [self._position(text.split(), text.strip()) for text in texts]

    def _position(self, values: list[str], token: str) -> tuple[float, float]:
        if len(values) not in (2, 3):
            raise _GeometryProblem(f"coordinate '{_one_line(token)}' is not lon,lat[,altitude]")
        try:
            numbers = [float(value) for value in values]
        except ValueError:
            raise _GeometryProblem(f"coordinate '{_one_line(token)}' is not a number") from None
        if not all(map(_is_finite, numbers)):
            raise _GeometryProblem(f"coordinate '{_one_line(token)}' is not a finite number")
        if len(numbers) == 3 and numbers[2] != 0:
            self.has_altitude = True
        return numbers[0], numbers[1]


def _is_finite(number: float) -> bool:
    return number - number == 0


def _combine(parts: list[BaseGeometry]) -> BaseGeometry:
    """Parts of one kind as a Multi* geometry, mixed kinds as a GeometryCollection."""
    kinds = {part.geom_type for part in parts}
    if kinds == {"Point"}:
        return shapely.MultiPoint(parts)
    if kinds == {"LineString"}:
        return shapely.MultiLineString(parts)
    if kinds == {"Polygon"}:
        return shapely.MultiPolygon(parts)
    return shapely.GeometryCollection(parts)


# --- description tables ---------------------------------------------------------------------


class _KeyValueTable(HTMLParser):
    """Collects two-cell table rows ``<tr><td>key</td><td>value</td></tr>`` from HTML.

    ArcGIS and Google Earth exports put a feature's attributes in such a table inside the
    description. Parsing only, nothing is loaded: no images, no links, no scripts.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: dict[str, str] = {}
        # One entry per open table: the cells of its current row, or None between rows.
        self._rows: list[list[str] | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._rows.append(None)
        elif not self._rows:
            return
        elif tag == "tr":
            self._end_row()
            self._rows[-1] = []
        elif tag in ("td", "th"):
            row = self._rows[-1]
            if row is None:
                row = self._rows[-1] = []
            row.append("")
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._end_row()
        elif tag == "table" and self._rows:
            self._end_row()
            self._rows.pop()

    def handle_data(self, data: str) -> None:
        if self._rows and self._rows[-1]:
            self._rows[-1][-1] += data

    def _end_row(self) -> None:
        if not self._rows:
            return
        cells, self._rows[-1] = self._rows[-1], None
        if cells is None or len(cells) != 2:
            return
        key, value = (" ".join(cell.split()) for cell in cells)
        key = key.rstrip(":").strip()
        if key and len(key) <= _MAX_TABLE_KEY_CHARS:
            self.pairs.setdefault(key, value)


def description_table(description: str | None) -> dict[str, str]:
    """Key/value pairs of the two-cell rows of HTML tables in a description.

    Examples
    --------
    >>> description_table("<table><tr><td>Pagu</td><td>1.500.000</td></tr></table>")
    {'Pagu': '1.500.000'}
    >>> description_table("BWS Sumatera VI; TA 2025")
    {}
    """
    if not description or "<td" not in description.lower():
        return {}
    table = _KeyValueTable()
    table.feed(description)
    table.close()
    return table.pairs


def _with_table_attributes(
    placemarks: list[_Placemark], name: str, notes: list[str]
) -> list[_Placemark]:
    """Add description-table pairs to each placemark's attributes (ExtendedData wins)."""
    with_table = 0
    for placemark in placemarks:
        pairs = description_table(placemark.description)
        for key, value in pairs.items():
            placemark.attributes.setdefault(key, value)
        with_table += bool(pairs)
    if with_table:
        notes.append(
            f"{name}: attributes of {with_table} placemark(s) read from the HTML table in their "
            "description"
        )
    return placemarks


# --- result ---------------------------------------------------------------------------------


def _document_notes(document: _Document, name: str) -> list[str]:
    notes = [
        f"{name}: NetworkLink to {target} not fetched (Peta Sinergi never fetches from uploaded "
        "files) — download the linked file and upload it instead"
        for target in document.network_links
    ]
    if document.overlay_count:
        notes.append(
            f"{name}: {document.overlay_count} image overlay(s) (GroundOverlay, ScreenOverlay, "
            "PhotoOverlay) not read — Peta Sinergi reads placemarks only"
        )
    for number, placemark in enumerate(document.placemarks, start=1):
        if placemark.problem:
            notes.append(
                f"{name}: {_placemark_label(number, placemark)}: {placemark.problem} — "
                f"{_FIX_GEOMETRY}"
            )
    with_altitude = sum(placemark.has_altitude for placemark in document.placemarks)
    if with_altitude:
        notes.append(
            f"{name}: altitude dropped from {with_altitude} placemark(s) (maps here are 2-D)"
        )
    if not document.placemarks:
        notes.append(f"{name}: no placemarks found")
    return notes


def _placemark_label(number: int, placemark: _Placemark) -> str:
    if placemark.name:
        return f"placemark {number} '{_one_line(placemark.name)}'"
    return f"placemark {number}"


def _to_geodataframe(
    placemarks: list[_Placemark], name: str, notes: list[str]
) -> geopandas.GeoDataFrame:
    columns: dict[str, list[str | None]] = {
        "name": [placemark.name for placemark in placemarks],
        "description": [placemark.description for placemark in placemarks],
        "folder": [placemark.folder for placemark in placemarks],
    }
    keys = list(dict.fromkeys(key for placemark in placemarks for key in placemark.attributes))
    for key, column in _column_names(keys).items():
        if column != key:
            notes.append(
                f"{name}: field '{_one_line(key)}' stored as column '{column}' (name taken)"
            )
        columns[column] = [placemark.attributes.get(key) for placemark in placemarks]
    geometries = geopandas.GeoSeries([p.geometry for p in placemarks], crs=KML_CRS)
    return geopandas.GeoDataFrame(columns, geometry=geometries, crs=KML_CRS)


def _column_names(keys: list[str]) -> dict[str, str]:
    """A unique column per field, case-insensitively (GeoPackage columns ignore case)."""
    taken = {column.lower() for column in (*BASE_COLUMNS, "geometry")}
    names = {}
    for key in keys:
        column, number = key, 2
        while column.lower() in taken:
            column = f"{key} ({number})"
            number += 1
        taken.add(column.lower())
        names[key] = column
    return names


def _one_line(text: str) -> str:
    """Untrusted text made safe for a one-line message: whitespace collapsed, length capped."""
    flat = " ".join(text.split())
    if len(flat) > _MAX_NOTE_TEXT_CHARS:
        return flat[: _MAX_NOTE_TEXT_CHARS - 1] + "…"
    return flat
