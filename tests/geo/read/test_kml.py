"""KML/KMZ reading: every Placemark kept, nothing fetched, hostile XML refused by name."""

from __future__ import annotations

import socket
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import shapely

import geo.read.kml
from geo.errors import GeoInputError, UnsafeFileError
from geo.read.kml import description_table, read_kml
from geo.settings import Settings

SETTINGS = Settings()
SAMPLE_KMZ = Path("/work/shared/data/samples/bws_sumatera_vi_irigasi_2025.kmz")
KML_22 = "http://www.opengis.net/kml/2.2"

PLACEMARKS = """
<Document><name>Paket 2025</name>
 <Folder><name>Jalan</name>
  <Placemark><name>Ruas Jambi - Tempino</name><description>rehab</description>
   <ExtendedData>
    <Data name="kode_ruas"><value>027.1</value></Data>
    <Data name="pagu"><value> 1.500.000 </value></Data>
   </ExtendedData>
   <LineString><coordinates>
     103.5,-1.6,12 103.6 , -1.61,0
   </coordinates></LineString>
  </Placemark>
  <Folder><name>Jembatan</name>
   <Placemark><name>Jembatan Sungai Terap</name>
    <ExtendedData><SchemaData schemaUrl="#paket">
     <SimpleData name="kode_ruas">027.2</SimpleData><SimpleData name="tahun">2025</SimpleData>
    </SchemaData></ExtendedData>
    <Point><coordinates>103.55,-1.605</coordinates></Point>
   </Placemark>
  </Folder>
 </Folder>
 <Placemark><name>D.I. Berlubang</name>
  <Polygon>
   <outerBoundaryIs><LinearRing><coordinates>0,0 10,0 10,10 0,10 0,0</coordinates></LinearRing>
   </outerBoundaryIs>
   <innerBoundaryIs><LinearRing><coordinates>1,1 3,1 3,3 1,3 1,1</coordinates></LinearRing>
   </innerBoundaryIs>
   <innerBoundaryIs><LinearRing><coordinates>5,5 7,5 7,7 5,7</coordinates></LinearRing>
   </innerBoundaryIs>
  </Polygon>
 </Placemark>
 <Placemark><name>Titik ganda</name>
  <MultiGeometry><Point><coordinates>1,1</coordinates></Point>
   <Point><coordinates>2,2</coordinates></Point></MultiGeometry>
 </Placemark>
 <Placemark><name>Dua DI</name>
  <MultiGeometry>
   <Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates></LinearRing>
   </outerBoundaryIs></Polygon>
   <MultiGeometry>
    <Polygon><outerBoundaryIs><LinearRing><coordinates>2,2 3,2 3,3 2,2</coordinates>
    </LinearRing></outerBoundaryIs></Polygon>
   </MultiGeometry>
  </MultiGeometry>
 </Placemark>
 <Placemark><name>Campuran</name>
  <MultiGeometry><Point><coordinates>1,1</coordinates></Point>
   <LinearRing><coordinates>0,0 1,0 1,1 0,0</coordinates></LinearRing></MultiGeometry>
 </Placemark>
 <Placemark><name>Tanpa geometri</name><description>lokasi menyusul</description></Placemark>
</Document>
"""


def kml_document(body: str, namespace: str | None = KML_22) -> str:
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<kml{xmlns}>{body}</kml>\n'


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def make_kmz(path: Path, entries: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


# --- placemarks, geometry, attributes -------------------------------------------------------


@pytest.mark.parametrize(
    "namespace",
    [KML_22, "http://earth.google.com/kml/2.1", None],
    ids=["kml-2.2", "google-2.1", "no-namespace"],
)
def test_placemarks_geometries_and_attributes(tmp_path: Path, namespace: str | None) -> None:
    path = write(tmp_path / "paket.kml", kml_document(PLACEMARKS, namespace))
    placemarks, notes = read_kml(path, settings=SETTINGS)

    assert placemarks.crs == "EPSG:4326"
    assert list(placemarks.columns) == [
        "name",
        "description",
        "folder",
        "kode_ruas",
        "pagu",
        "tahun",
        "geometry",
    ]
    assert placemarks["name"].tolist() == [
        "Ruas Jambi - Tempino",
        "Jembatan Sungai Terap",
        "D.I. Berlubang",
        "Titik ganda",
        "Dua DI",
        "Campuran",
        "Tanpa geometri",
    ]
    assert placemarks["folder"].tolist() == [
        "Paket 2025 / Jalan",
        "Paket 2025 / Jalan / Jembatan",
        *["Paket 2025"] * 5,
    ]
    assert placemarks.loc[0, "description"] == "rehab"
    assert placemarks.loc[6, "description"] == "lokasi menyusul"
    assert placemarks["kode_ruas"].tolist()[:2] == ["027.1", "027.2"]
    assert placemarks.loc[0, "pagu"] == "1.500.000"
    assert placemarks.loc[1, "tahun"] == "2025"
    assert pd.isna(placemarks.loc[0, "tahun"]) and pd.isna(placemarks.loc[2, "kode_ruas"])

    expected = [
        "LINESTRING (103.5 -1.6, 103.6 -1.61)",
        "POINT (103.55 -1.605)",
        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 3 1, 3 3, 1 3, 1 1), "
        "(5 5, 7 5, 7 7, 5 7, 5 5))",
        "MULTIPOINT ((1 1), (2 2))",
        "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2)))",
        "GEOMETRYCOLLECTION (POINT (1 1), LINESTRING (0 0, 1 0, 1 1, 0 0))",
    ]
    assert [geometry.wkt for geometry in placemarks.geometry[:6]] == expected
    assert placemarks.geometry[2].area == 100 - 4 - 4
    assert placemarks.geometry[6] is None
    assert not shapely.has_z(placemarks.geometry[:6]).any()
    assert notes == ["paket.kml: altitude dropped from 1 placemark(s) (maps here are 2-D)"]


def test_zero_altitude_is_not_reported(tmp_path: Path) -> None:
    body = "<Placemark><Point><coordinates>103.5,-1.6,0</coordinates></Point></Placemark>"
    placemarks, notes = read_kml(write(tmp_path / "a.kml", kml_document(body)), settings=SETTINGS)
    assert placemarks.geometry[0].wkt == "POINT (103.5 -1.6)"
    assert notes == []


def test_gx_track_becomes_a_line(tmp_path: Path) -> None:
    body = (
        '<Placemark xmlns:gx="http://www.google.com/kml/ext/2.2"><name>Survei</name><gx:Track>'
        "<when>2025-01-01</when><gx:coord>103.5 -1.6 30</gx:coord>"
        "<gx:coord>103.6 -1.7 31</gx:coord></gx:Track></Placemark>"
    )
    placemarks, notes = read_kml(write(tmp_path / "t.kml", kml_document(body)), settings=SETTINGS)
    assert placemarks.geometry[0].wkt == "LINESTRING (103.5 -1.6, 103.6 -1.7)"
    assert notes == ["t.kml: altitude dropped from 1 placemark(s) (maps here are 2-D)"]


FIX = "geometry left empty; correct it in Google Earth or QGIS"


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        (
            "<Point><coordinates>abc,def</coordinates></Point>",
            "coordinate 'abc,def' is not a number",
        ),
        (
            "<Point><coordinates>1,2,3,4</coordinates></Point>",
            "coordinate '1,2,3,4' is not lon,lat[,altitude]",
        ),
        (
            "<Point><coordinates>nan,1</coordinates></Point>",
            "coordinate 'nan,1' is not a finite number",
        ),
        ("<Point><coordinates></coordinates></Point>", "a Point with 0 coordinates instead of one"),
        (
            "<LineString><coordinates>1,1</coordinates></LineString>",
            "a line with 1 point(s) (needs at least two)",
        ),
        (
            "<Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,1 0,0</coordinates>"
            "</LinearRing></outerBoundaryIs></Polygon>",
            "a polygon ring with 2 distinct point(s) (needs 3)",
        ),
        ("<Polygon></Polygon>", "a Polygon with 0 outer boundaries instead of one"),
        ("<MultiGeometry></MultiGeometry>", "a <MultiGeometry> without any geometry inside"),
        (
            "<Model><Link><href>http://127.0.0.1:9/m.dae</href></Link></Model>",
            "a <Model> (3-D model) is not read",
        ),
    ],
    ids=[
        "text",
        "four-values",
        "nan",
        "empty",
        "one-point-line",
        "flat-ring",
        "no-ring",
        "empty-multi",
        "model",
    ],
)
def test_bad_geometry_is_kept_as_none_with_a_reason(
    tmp_path: Path, geometry: str, reason: str
) -> None:
    body = f"<Placemark><name>Ruas X</name>{geometry}</Placemark><Placemark>{geometry}</Placemark>"
    placemarks, notes = read_kml(write(tmp_path / "a.kml", kml_document(body)), settings=SETTINGS)
    assert placemarks.geometry.isna().all() and len(placemarks) == 2
    assert notes == [
        f"a.kml: placemark 1 'Ruas X': {reason} — {FIX}",
        f"a.kml: placemark 2: {reason} — {FIX}",
    ]


def test_description_html_table_becomes_columns(tmp_path: Path) -> None:
    table = (
        "<![CDATA[<html><body><table><tr><th colspan='2'>Paket</th></tr>"
        "<tr><td>KODE_RUAS</td><td>027</td></tr>"
        "<tr><td>PAGU:</td><td>1.500.000<br>(APBN)</td></tr>"
        "<tr><td>kode</td><td>ignored: ExtendedData wins</td></tr></table></body></html>]]>"
    )
    body = (
        f"<Placemark><name>A</name><description>{table}</description>"
        "<ExtendedData><Data name='kode'><value>K-1</value></Data></ExtendedData></Placemark>"
        "<Placemark><name>B</name><description>Pagu 2 M</description></Placemark>"
    )
    placemarks, notes = read_kml(write(tmp_path / "a.kml", kml_document(body)), settings=SETTINGS)
    assert list(placemarks.columns) == [
        "name",
        "description",
        "folder",
        "kode",
        "KODE_RUAS",
        "PAGU",
        "geometry",
    ]
    assert placemarks.loc[0, ["kode", "KODE_RUAS", "PAGU"]].tolist() == [
        "K-1",
        "027",
        "1.500.000 (APBN)",
    ]
    assert placemarks.loc[0, "description"].startswith("<html><body><table>")
    assert notes == [
        "a.kml: attributes of 1 placemark(s) read from the HTML table in their description"
    ]


def test_description_table_keys_from_nested_tables() -> None:
    html = (
        "<table><tr><td><table><tr><td>Nama</td><td>Jalan &amp; Jembatan</td></tr></table>"
        "</td></tr></table>"
    )
    assert description_table(html) == {"Nama": "Jalan & Jembatan"}


def test_field_names_taken_by_base_columns_are_renamed(tmp_path: Path) -> None:
    body = (
        "<Placemark><name>A</name><ExtendedData><Data name='Name'><value>dari data</value></Data>"
        "<Data name='NAME'><value>lagi</value></Data></ExtendedData></Placemark>"
    )
    placemarks, notes = read_kml(write(tmp_path / "a.kml", kml_document(body)), settings=SETTINGS)
    assert placemarks.loc[0, ["name", "Name (2)", "NAME (3)"]].tolist() == [
        "A",
        "dari data",
        "lagi",
    ]
    assert notes == [
        "a.kml: field 'Name' stored as column 'Name (2)' (name taken)",
        "a.kml: field 'NAME' stored as column 'NAME (3)' (name taken)",
    ]


def test_document_without_placemarks(tmp_path: Path) -> None:
    path = write(tmp_path / "kosong.kml", kml_document("<Document><name>x</name></Document>"))
    placemarks, notes = read_kml(path, settings=SETTINGS)
    assert list(placemarks.columns) == ["name", "description", "folder", "geometry"]
    assert len(placemarks) == 0 and placemarks.crs == "EPSG:4326"
    assert notes == ["kosong.kml: no placemarks found"]


# --- nothing is fetched ---------------------------------------------------------------------


def test_network_link_is_reported_not_fetched(tmp_path: Path) -> None:
    # A listening socket on a free local port: had the link been fetched, it would be waiting.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.setblocking(False)
        url = f"http://127.0.0.1:{server.getsockname()[1]}/paket.kml"
        body = (
            f"<Document><NetworkLink><name>Paket</name><Link><href>{url}</href></Link>"
            "</NetworkLink><GroundOverlay><Icon><href>http://127.0.0.1:9/peta.png</href></Icon>"
            "</GroundOverlay><Placemark><name>A</name></Placemark></Document>"
        )
        placemarks, notes = read_kml(
            write(tmp_path / "a.kml", kml_document(body)), settings=SETTINGS
        )
        with pytest.raises(BlockingIOError):
            server.accept()
    assert placemarks["name"].tolist() == ["A"]
    assert notes == [
        f"a.kml: NetworkLink to {url} not fetched (Peta Sinergi never fetches from uploaded "
        "files) — download the linked file and upload it instead",
        "a.kml: 1 image overlay(s) (GroundOverlay, ScreenOverlay, PhotoOverlay) not read — "
        "Peta Sinergi reads placemarks only",
    ]


# --- hostile and broken XML -----------------------------------------------------------------

DOCTYPE_REFUSED = (
    "XML declares a DOCTYPE with ENTITY declarations, refused (it can read local files, fetch "
    "URLs or exhaust memory: XXE, 'billion laughs') — export the file again without a DOCTYPE"
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    f'<kml xmlns="{KML_22}"><Placemark><name>&e;</name></Placemark></kml>'
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10)).replace(
        "&lol0;", "&lol;"
    )
    + f']>\n<kml xmlns="{KML_22}"><Placemark><name>&lol9;</name></Placemark></kml>'
)


@pytest.mark.parametrize("document", [XXE, BILLION_LAUGHS], ids=["xxe", "billion-laughs"])
def test_entity_documents_are_refused(tmp_path: Path, document: str) -> None:
    with pytest.raises(UnsafeFileError) as refused:
        read_kml(write(tmp_path / "jahat.kml", document), settings=SETTINGS)
    assert refused.value.problems == [f"jahat.kml: {DOCTYPE_REFUSED}"]


def test_defusedxml_refuses_a_doctype_the_prolog_scan_missed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(geo.read.kml, "reject_xml_hazards", lambda data, name: None)
    with pytest.raises(
        UnsafeFileError,
        match=r"^jahat\.kml: XML refused \(DTDForbidden: it could read local files, fetch URLs "
        r"or exhaust memory\) — export the file again without a DOCTYPE$",
    ):
        read_kml(write(tmp_path / "jahat.kml", XXE), settings=SETTINGS)


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    document = f'<?xml version="1.0"?>\n<kml xmlns="{KML_22}">\n<Placemark><name>A</Placemark>\n'
    with pytest.raises(GeoInputError) as refused:
        read_kml(write(tmp_path / "rusak.kml", document), settings=SETTINGS)
    assert refused.value.problems == [
        "rusak.kml: not valid KML (line 3: mismatched tag) — open it in Google Earth or QGIS "
        "and save it again"
    ]


def test_empty_file_is_not_valid_kml(tmp_path: Path) -> None:
    with pytest.raises(GeoInputError, match=r"^kosong\.kml: not valid KML \(line 1: no element"):
        read_kml(write(tmp_path / "kosong.kml", ""), settings=SETTINGS)


def test_other_xml_is_not_kml(tmp_path: Path) -> None:
    with pytest.raises(
        GeoInputError,
        match=r"^a\.kml: not a KML document \(it starts with <gpx>, not <kml>\) — upload a \.kml",
    ):
        read_kml(write(tmp_path / "a.kml", "<gpx><wpt/></gpx>"), settings=SETTINGS)


def test_oversized_kml_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "besar.kml", kml_document("<Document/>") + " " * 2_000)
    with pytest.raises(UnsafeFileError, match=r"^besar\.kml: 0\.0 MB, larger than the 0\.001 MB"):
        read_kml(path, settings=Settings(max_upload_mb=0.001))


# --- KMZ ------------------------------------------------------------------------------------


def test_kmz_reads_doc_kml(tmp_path: Path) -> None:
    body = (
        "<Placemark><name>A</name><Point><coordinates>103.5,-1.6</coordinates></Point></Placemark>"
    )
    kmz = make_kmz(
        tmp_path / "paket.kmz",
        {
            "files/icon.png": b"\x89PNG",
            "other.kml": kml_document("<Placemark><name>lain</name></Placemark>"),
            "DOC.KML": kml_document(body),
        },
    )
    placemarks, notes = read_kml(kmz, settings=SETTINGS, display_name="Paket BWS.kmz")
    assert placemarks["name"].tolist() == ["A"]
    assert placemarks.geometry[0].wkt == "POINT (103.5 -1.6)"
    assert notes == [
        "Paket BWS.kmz: 1 other .kml file(s) inside not read (other.kml) — upload them "
        "separately if they hold projects"
    ]


def test_kmz_without_doc_kml_reads_the_first_kml(tmp_path: Path) -> None:
    kmz = make_kmz(
        tmp_path / "a.kmz",
        {"sub/deep.kml": kml_document(""), "Paket Jalan.kml": kml_document("<Placemark/>")},
    )
    placemarks, notes = read_kml(kmz, settings=SETTINGS)
    assert len(placemarks) == 1
    assert notes[0] == "a.kmz: read 'Paket Jalan.kml' (the KMZ has no doc.kml at its root)"


def test_kmz_without_kml(tmp_path: Path) -> None:
    kmz = make_kmz(tmp_path / "a.kmz", {"peta.png": b"\x89PNG"})
    with pytest.raises(GeoInputError, match=r"^a\.kmz: no \.kml file inside the KMZ — "):
        read_kml(kmz, settings=SETTINGS)


def test_kmz_gets_the_zip_checks(tmp_path: Path) -> None:
    kmz = make_kmz(tmp_path / "a.kmz", {"doc.kml": kml_document(""), "../evil.kml": "x"})
    with pytest.raises(UnsafeFileError, match=r"^a\.kmz: entry '\.\./evil\.kml' points outside"):
        read_kml(kmz, settings=SETTINGS)


def test_xml_errors_inside_a_kmz_name_the_document(tmp_path: Path) -> None:
    kmz = make_kmz(tmp_path / "a.kmz", {"doc.kml": XXE})
    with pytest.raises(UnsafeFileError, match=r"^a\.kmz/doc\.kml: XML declares a DOCTYPE"):
        read_kml(kmz, settings=SETTINGS)


def test_kml_named_kmz_is_read_as_kml(tmp_path: Path) -> None:
    path = write(tmp_path / "salah.kmz", kml_document("<Placemark><name>A</name></Placemark>"))
    placemarks, _ = read_kml(path, settings=SETTINGS)
    assert placemarks["name"].tolist() == ["A"]


def test_real_river_basin_sample() -> None:
    placemarks, notes = read_kml(SAMPLE_KMZ, settings=SETTINGS)
    assert notes == []
    assert list(placemarks.columns) == ["name", "description", "folder", "geometry"]
    assert placemarks["name"].tolist() == [
        "D.I. Sungai Bahar (rehab saluran sekunder)",
        "D.I. Kumpeh (rehab jaringan)",
    ]
    assert placemarks["description"].tolist() == [
        "BWS Sumatera VI; TA 2025; pagu 15.600.000.000",
        "BWS Sumatera VI; TA 2025; pagu 8.900.000.000",
    ]
    assert placemarks["folder"].tolist() == ["_doc", "_doc"]
    assert placemarks.geom_type.tolist() == ["Polygon", "Polygon"]
    assert placemarks.geometry.is_valid.all()
    assert placemarks.crs == "EPSG:4326"
    minx, miny, maxx, maxy = placemarks.total_bounds
    assert 103.8 < minx < maxx < 104.4 and -1.8 < miny < maxy < -1.6
