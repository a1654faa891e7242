"""Exports checked with the standards' own validators (issue 19): the OC4IDS 0.9.5 schema and
codelists, GDAL's GeoPackage validator (Debian 12's GDAL 3.6 and the current release), RFC 7946,
typed spreadsheet cells, and TrueType fonts in the PDFs."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from functools import cache
from pathlib import Path

import geopandas as gpd
import jsonschema
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from pypdf import PdfReader
from referencing import Registry, Resource

from geo.analyse.run import ProjectFilter, analyse, analyse_store
from geo.demo.build import build_demo
from geo.errors import GeoInputError
from geo.export.oc4ids import STATUS_CODES, project_package, status_code, type_code, unmapped_codes
from geo.export.report import neutralise_formulas
from geo.settings import Settings
from geo.store import open_store
from geo.store._gpkg_sqlite import gpkg_blobs
from layers import meeting_pack
from layers.exports import export_bytes
from layers.meeting_pack import meeting_pack_pages

OC4IDS = Path(__file__).parent / "data" / "oc4ids-0.9.5"
#: Statuses and work types as agencies write them (the shared samples use these spellings).
STATUSES = ["Proses Lelang", "Belum Lelang", "Terkontrak", "usulan", "lelang", "kontrak"]
STATUSES += ["berjalan", "selesai", "Selesai"]
WORK_TYPES = ["pemeliharaan", "Preservasi Jalan", "rehabilitasi", "peningkatan", "pembangunan"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_store(build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg"))


@pytest.fixture(scope="module")
def agency_words(store):
    """The demo with the statuses and work types of real agency files."""
    projects = store.load_projects()
    projects["status"] = [STATUSES[i % len(STATUSES)] for i in range(len(projects))]
    projects["work_type"] = [WORK_TYPES[i % len(WORK_TYPES)] for i in range(len(projects))]
    return analyse(
        projects,
        units=store.load_reference("admin_units"),
        roads=store.load_reference("roads"),
        irrigation_areas=store.load_reference("irrigation_areas"),
    )


# --- OC4IDS ----------------------------------------------------------------------------------


@cache
def _codes(codelist: str) -> frozenset[str]:
    with open(OC4IDS / "codelists" / codelist, encoding="utf-8") as handle:
        return frozenset(row["Code"] for row in csv.DictReader(handle))


def _codelist(validator, codelist, instance, schema):
    """Every value of a field with a codelist is one of its codes, open codelists too."""
    values = instance if isinstance(instance, list) else [instance]
    for value in values:
        if isinstance(value, str) and value not in _codes(codelist):
            yield jsonschema.ValidationError(f"{value!r} is not in codelist {codelist}")


def oc4ids_errors(package: dict) -> list[str]:
    """Schema and codelist errors of an OC4IDS 0.9.5 project package, one line each."""
    package_schema = json.loads((OC4IDS / "project-package-schema.json").read_text())
    project_schema = json.loads((OC4IDS / "project-schema.json").read_text())
    registry = Registry().with_resource(
        project_schema["id"], Resource.from_contents(project_schema)
    )
    checker = jsonschema.validators.extend(jsonschema.Draft4Validator, {"codelist": _codelist})
    validator = checker(
        package_schema, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(package)
    ]


def test_the_validator_catches_what_the_old_export_wrote():
    old = {
        "version": "0.9",
        "publishedDate": "2025-01-01T00:00:00+00:00",
        "publisher": {"name": "x"},
        "projects": [{"id": "p", "type": "maintenance", "status": "completed", "title": None}],
    }
    errors = "\n".join(oc4ids_errors(old))
    assert "'uri' is a required property" in errors
    assert "'maintenance' is not one of" in errors
    assert "'completed' is not one of" in errors
    assert "None is not of type 'string'" in errors


def test_the_oc4ids_package_is_valid_against_the_official_schema_and_codelists(agency_words):
    assert len(agency_words.overlaps) > 0
    package = json.loads(export_bytes("oc4ids", agency_words))
    assert oc4ids_errors(package) == []
    assert len(package["projects"]) == len(agency_words.projects)


def test_oc4ids_ids_carry_the_configured_prefix_and_the_package_its_uri(agency_words):
    settings = Settings(
        oc4ids_id_prefix="oc4ids-ab12cd",
        oc4ids_uri="https://data.example.go.id/oc4ids/",
        oc4ids_publisher="Bappeda Provinsi Contoh",
    )
    package = project_package(agency_words.projects, agency_words.overlaps, settings=settings)
    assert oc4ids_errors(package) == []
    assert re.fullmatch(
        r"https://data\.example\.go\.id/oc4ids/proyek-oc4ids-\d{8}T\d{6}Z\.json", package["uri"]
    )
    assert package["publisher"] == {"name": "Bappeda Provinsi Contoh"}
    ids = [p["id"] for p in package["projects"]]
    assert len(set(ids)) == len(ids)
    # the check lib-cove-oc4ids runs: a registered prefix, then the local id
    assert all(re.match(r"oc4ids-[a-z0-9]{6}-.+$", i) for i in ids)
    assert all(i.startswith("oc4ids-ab12cd-") for i in ids)
    for project in package["projects"]:
        party_ids = {party["id"] for party in project["parties"]}
        assert project["publicAuthority"]["id"] in party_ids
        assert project["budget"]["amount"]["currency"] == "IDR"
    with pytest.raises(GeoInputError, match="PETA_OC4IDS_ID_PREFIX='peta'.*oc4ids-ab12cd"):
        project_package(agency_words.projects, settings=Settings(oc4ids_id_prefix="peta"))


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("usulan", "identification"),
        ("Belum Lelang", "preparation"),
        ("Proses Lelang", "implementation"),
        ("lelang", "implementation"),
        ("Terkontrak", "implementation"),
        ("kontrak", "implementation"),
        ("berjalan", "implementation"),
        ("Selesai", "completion"),
        ("  proses   lelang ", "implementation"),
    ],
)
def test_indonesian_statuses_map_to_project_status_codes(status, code):
    assert status_code(status) == code
    assert code in _codes("projectStatus.csv")


@pytest.mark.parametrize(
    ("work_type", "code"),
    [
        ("pembangunan", "construction"),
        ("Peningkatan Jalan", "expansion"),
        ("rehabilitasi", "rehabilitation"),
        ("pemeliharaan", None),
        ("Preservasi Jalan", None),
    ],
)
def test_indonesian_work_types_map_to_project_types_or_to_none(work_type, code):
    assert type_code(work_type) == code


def test_every_status_code_is_in_the_codelist():
    assert set(STATUS_CODES.values()) <= _codes("projectStatus.csv")


def test_unmapped_work_types_and_statuses_are_reported_and_kept(agency_words):
    projects = agency_words.projects.copy()
    projects.loc[projects.index[0], "status"] = "ditunda"
    lines = unmapped_codes(projects)
    assert any(line.startswith("work type 'pemeliharaan' (") for line in lines)
    assert any("'Preservasi Jalan'" in line and "maintenance" in line for line in lines)
    assert "status 'ditunda' (1 project): no OC4IDS projectStatus" in lines
    assert not any("Lelang" in line or "Terkontrak" in line for line in lines)
    package = project_package(projects, agency_words.overlaps)
    first = package["projects"][0]
    assert "status" not in first and first["petaSinergi"]["status"] == "ditunda"
    preserved = [p for p in package["projects"] if p["petaSinergi"]["workType"] == "pemeliharaan"]
    assert preserved and not any("type" in p for p in preserved)


def test_overlap_links_use_allowed_relationships_and_a_documented_extension(agency_words):
    package = project_package(agency_words.projects, agency_words.overlaps)
    by_id = {p["id"]: p for p in package["projects"]}
    links = [r for p in package["projects"] for r in p.get("relatedProjects", [])]
    assert len(links) == 2 * len(agency_words.overlaps)
    for link in links:
        assert link["scheme"] == "oc4ids"
        other = by_id[link["identifier"]]
        assert link.get("relationship") == other.get("type")
        assert link["petaSinergi"]["overlap"]["findingId"] == link["id"]
    assert any("relationship" in link for link in links)
    documented = package["petaSinergi"]["fields"]
    assert "projects/relatedProjects/petaSinergi/overlap" in documented
    for field in next(iter(by_id.values()))["petaSinergi"]:
        assert f"projects/petaSinergi/{field}" in documented


def test_an_empty_selection_is_no_oc4ids_package_and_says_why(store):
    empty = analyse_store(store, filters=ProjectFilter(year_from=1990, year_to=1991))
    with pytest.raises(GeoInputError, match="OC4IDS: no projects in the selection"):
        export_bytes("oc4ids", empty)


# --- GeoPackage ------------------------------------------------------------------------------

#: GDAL's validate_gpkg.py as Debian ships it (python3-gdal; GDAL 3.6 on Debian 12), run with
#: the system Python that has its bindings, and the current GDAL's (gdal-utils, fetched by
#: scripts/test.sh).
GDAL_DEBIAN_VALIDATOR = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
GDAL_CURRENT_VALIDATOR = Path(__file__).parent.parent / (
    ".cache/gdal-utils/osgeo_utils/samples/validate_gpkg.py"
)
VALIDATORS = {"gdal-debian": GDAL_DEBIAN_VALIDATOR, "gdal-current": GDAL_CURRENT_VALIDATOR}


def validate_gpkg(path: Path, validator: str) -> str:
    """The validator's complaints about ``path`` (every one: ``-k``), empty when it passes."""
    script = VALIDATORS[validator]
    if not script.exists():
        pytest.skip(f"{script} missing: run scripts/test.sh (it installs both validators)")
    python = "/usr/bin/python3" if validator == "gdal-debian" else sys.executable
    done = subprocess.run(
        [python, str(script), "-k", "--extra", str(path)], capture_output=True, text=True
    )
    return (done.stdout + done.stderr).strip() + ("" if done.returncode == 0 else " (failed)")


def test_the_debian_validator_is_gdal_3_6_and_catches_a_gdal_1_4_file(tmp_path):
    version = subprocess.run(
        ["/usr/bin/python3", "-c", "from osgeo import gdal; print(gdal.__version__)"],
        capture_output=True,
        text=True,
    ).stdout
    if not version.startswith("3.6"):
        pytest.skip(f"Debian's GDAL here is {version.strip()!r}, not 3.6 (Debian 12)")
    newer = tmp_path / "newer.gpkg"
    pyogrio.write_dataframe(
        gpd.GeoDataFrame(geometry=[shapely.Point(103.6, -1.6)], crs=4326), newer, driver="GPKG"
    )
    assert "Req 75: rtree_newer_geom_update1 trigger missing" in validate_gpkg(newer, "gdal-debian")


@pytest.mark.parametrize("validator", VALIDATORS)
def test_the_store_is_valid_under_old_and_current_gdal(store, validator):
    assert validate_gpkg(store.path, validator) == ""


@pytest.mark.parametrize("validator", VALIDATORS)
def test_a_store_made_as_geopackage_1_4_is_mended_on_opening(tmp_path, store, validator):
    old = tmp_path / "old.gpkg"
    shutil.copy(store.path, old)
    with contextlib.closing(sqlite3.connect(old)) as conn:
        # what GDAL 3.7+ writes by default: the 1.4 triggers in place of update1/update3
        rtree = "rtree_projects_geom"
        conn.execute(f"DROP TRIGGER {rtree}_update1")
        conn.execute(f"DROP TRIGGER {rtree}_update3")
        conn.execute(
            f"CREATE TRIGGER {rtree}_update6 AFTER UPDATE OF geom ON projects BEGIN SELECT 1; END"
        )
        conn.execute("PRAGMA user_version = 10400")
    assert "update1 trigger missing" in validate_gpkg(old, "gdal-debian")
    mended = open_store(old)
    assert validate_gpkg(old, validator) == ""
    # the index still follows the table: a project moved by SQL is found at its new place
    projects = mended.load_projects()
    with contextlib.closing(mended._raw_connect()) as conn:
        fid = conn.execute("SELECT MIN(fid) FROM projects").fetchone()[0]
        moved = gpkg_blobs(np.array([shapely.Point(120.0, -5.0)], dtype=object))[0]
        conn.execute("UPDATE projects SET geom = ? WHERE fid = ?", (moved, fid))
        box = conn.execute(
            "SELECT minx, miny FROM rtree_projects_geom WHERE id = ?", (fid,)
        ).fetchone()
    assert box == pytest.approx((120.0, -5.0))
    assert len(mended.load_projects()) == len(projects)


@pytest.mark.parametrize("validator", VALIDATORS)
def test_the_findings_geopackage_has_one_geometry_type_per_layer(analyses, validator, tmp_path):
    path = tmp_path / "temuan.gpkg"
    path.write_bytes(export_bytes("gpkg", analyses))
    assert validate_gpkg(path, validator) == ""
    layers = dict(pyogrio.list_layers(path))
    assert layers == {"findings_lines": "MultiLineString", "findings_polygons": "MultiPolygon"}
    total = 0
    for layer, declared in layers.items():
        part = pyogrio.read_dataframe(path, layer=layer)
        assert set(part.geom_type) == {declared}
        total += len(part)
    assert total == len(analyses.overlaps)


@pytest.fixture(scope="module")
def analyses(store):
    return analyse_store(store)


# --- GeoJSON (RFC 7946) ----------------------------------------------------------------------


def _rings(geometry: dict) -> list[tuple[list, bool]]:
    """(ring, is_exterior) of every polygon of a GeoJSON geometry."""
    polygons = {
        "Polygon": [geometry.get("coordinates")],
        "MultiPolygon": geometry.get("coordinates"),
    }
    rings = []
    for polygon in polygons.get(geometry["type"], []):
        rings += [(ring, index == 0) for index, ring in enumerate(polygon)]
    return rings


def _signed_area(ring: list) -> float:
    """Shoelace area: positive for a counter-clockwise ring."""
    xy = np.asarray(ring)
    return float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]) / 2)


def _decimals(number: float) -> int:
    text = repr(number)
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def test_the_geojson_follows_rfc_7946(store, tmp_path):
    # a finding with a hole, drawn clockwise outside and counter-clockwise inside (wrong way)
    found = analyse_store(store).overlaps
    irrigation = found.index[found["asset_type"].eq("irrigation")][0]
    shell = shapely.Polygon(
        [(103.0, -1.0), (103.1, -1.0), (103.1, -1.1), (103.0, -1.123456789012)],
        holes=[[(103.02, -1.02), (103.02, -1.08), (103.08, -1.08), (103.08, -1.02)]],
    )
    assert not shell.exterior.is_ccw and shell.interiors[0].is_ccw
    found.loc[irrigation, "geometry"] = shell
    analyses = dataclasses.replace(analyse_store(store), overlaps=found)
    collection = json.loads(export_bytes("geojson", analyses))
    assert "crs" not in collection
    coordinates = []
    rings = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        rings += _rings(geometry)
        stack = [geometry["coordinates"]]
        while stack:
            item = stack.pop()
            if isinstance(item[0], list):
                stack += item
            else:
                coordinates.append(item)
    assert max(_decimals(v) for xy in coordinates for v in xy) == 7
    assert len(rings) >= 2 and any(not exterior for _, exterior in rings)
    for ring, exterior in rings:
        assert (_signed_area(ring) > 0) == exterior, "exterior rings CCW, holes CW"


# --- Excel -----------------------------------------------------------------------------------

FORMULA_LIKE = ['=HYPERLINK("http://x","klik")', "-Rehabilitasi Jalan", "@SUM(1+1)", "+62 811"]


@pytest.fixture(scope="module")
def formula_like(store):
    """The demo with project names a spreadsheet would read as formulas, on found pairs."""
    projects = store.load_projects()
    found = analyse_store(store).overlaps
    ends = [found["project_a"].iloc[0], found["project_b"].iloc[0], found["project_a"].iloc[1]]
    ends.append(found["project_b"].iloc[1])
    for project, name in zip(ends, FORMULA_LIKE, strict=True):
        projects.loc[projects["project_id"].eq(project), "name"] = name
    analyses = analyse(projects, units=store.load_reference("admin_units"))
    return dataclasses.replace(analyses, uploads=store.list_uploads())


def test_formula_like_text_is_a_typed_string_cell_with_no_apostrophe(formula_like):
    book = openpyxl.load_workbook(io.BytesIO(export_bytes("xlsx", formula_like)))
    texts = {}
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    texts[cell.value] = cell
    for name in FORMULA_LIKE:
        assert name in texts, f"{name!r} is not written as it was typed"
        assert "'" + name not in texts
    # the CSV exports have no cell types: they keep the OWASP quote prefix
    csv_text = neutralise_formulas(formula_like.overlaps.drop(columns="geometry")).to_csv()
    assert "'=HYPERLINK" in csv_text


def test_upload_times_are_dates_in_the_workbook(formula_like):
    book = openpyxl.load_workbook(io.BytesIO(export_bytes("xlsx", formula_like)))
    sheet = book["Unggahan"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Waktu unggah (WIB)") + 1
    times = [sheet.cell(row, column) for row in range(2, sheet.max_row + 1)]
    assert len(times) == len(formula_like.uploads) > 0
    for cell in times:
        assert cell.is_date and isinstance(cell.value, dt.datetime)
    first = dt.datetime.fromisoformat(formula_like.uploads["uploaded_at"].iloc[0])
    wib = dt.timezone(dt.timedelta(hours=7))
    assert times[0].value == first.astimezone(wib).replace(tzinfo=None)


def test_the_english_workbook_has_english_sheets_headers_and_values(formula_like):
    book = openpyxl.load_workbook(io.BytesIO(export_bytes("xlsx", formula_like, lang="en")))
    assert book.sheetnames == [
        "About",
        "Overlaps",
        "Authority",
        "Coverage gaps per unit",
        "Repeat funding",
        "Budget at stake",
        "Locations on the network",
        "Uploads",
        "Import reports",
        "Column dictionary",
    ]
    sheet = book["Overlaps"]
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["No.", "Finding code"]
    assert {"Kind of finding", "Asset type", "Relation", "Severity"} <= set(header)
    column = {
        name: [sheet.cell(r, i + 1).value for r in range(2, sheet.max_row + 1)]
        for i, name in enumerate(header)
    }
    assert set(column["Level of government A"]) <= {
        "Central",
        "Province",
        "District/City",
        "Village",
    }
    assert set(column["Severity"]) <= {"high", "medium", "low", "info"}
    indonesian = openpyxl.load_workbook(io.BytesIO(export_bytes("xlsx", formula_like)))
    sheet = indonesian["Tumpang tindih"]
    header = [cell.value for cell in sheet[1]]
    at = header.index("Tingkat pemerintahan A") + 1
    levels = {sheet.cell(r, at).value for r in range(2, sheet.max_row + 1)}
    assert levels <= {"Pusat", "Provinsi", "Kabupaten/Kota", "Desa"}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_workbook_and_shows_formula_like_text_as_text(formula_like, tmp_path):
    path = tmp_path / "laporan.xlsx"
    path.write_bytes(export_bytes("xlsx", formula_like))
    # every sheet to CSV (UTF-8), as LibreOffice computes and shows it
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=300,
        check=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    overlaps = (tmp_path / "laporan-Tumpang tindih.csv").read_text(encoding="utf-8")
    assert '"=HYPERLINK(""http://x"",""klik"")"' in overlaps
    assert "@SUM(1+1)" in overlaps and "'=HYPERLINK" not in overlaps
    uploads = (tmp_path / "laporan-Unggahan.csv").read_text(encoding="utf-8")
    assert re.search(r",\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,", uploads)


# --- PDF -------------------------------------------------------------------------------------


def pdf_fonts(data: bytes, tmp_path: Path) -> list[dict[str, str]]:
    """The fonts of a PDF as poppler's pdffonts lists them: name, type, emb, sub, uni."""
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    # columns are fixed-width, under a line of dashes
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[1])]
    header = [lines[0][a:b].strip() or lines[0][a:].split()[0] for a, b in spans]
    return [
        dict(zip(header, (line[a:b].strip() for a, b in spans), strict=True)) for line in lines[2:]
    ]


@pytest.mark.parametrize(("kind", "size"), [("pack_pdf", "a4"), ("map_pdf", "a3")])
def test_pdfs_embed_truetype_fonts_and_carry_metadata(analyses, kind, size, tmp_path):
    data = export_bytes(kind, analyses, size=size)
    fonts = pdf_fonts(data, tmp_path)
    assert fonts, "no fonts: the text would not be searchable"
    for font in fonts:
        assert "Type 3" not in font["type"], font
        assert "TrueType" in font["type"] and font["emb"] == "yes", font
    reader = PdfReader(io.BytesIO(data))
    meta = reader.metadata
    assert meta.title and meta.subject and meta.author == "Peta Sinergi"
    text = reader.pages[0].extract_text()
    assert "Peta Sinergi" in text  # searchable: the words come back out


def test_the_pack_says_which_units_and_rows_are_left_for_the_excel_annex(analyses, monkeypatch):
    many = pd.concat([analyses.overlaps] * 40, ignore_index=True)
    many["finding_id"] = [f"TT-{i:05d}" for i in range(len(many))]
    crowded = dataclasses.replace(analyses, overlaps=gpd.GeoDataFrame(many, crs=4326))
    monkeypatch.setattr(meeting_pack, "MAX_UNIT_PAGES", 1)
    monkeypatch.setitem(meeting_pack.MAX_TABLE_PAGES, "findings", 2)
    summary = meeting_pack_pages(crowded)
    full = meeting_pack_pages(crowded, full=True)
    units = int((analyses.coverage["projects"] > 0).sum())
    # overview, one unit map, two findings pages, budget at stake, mismatches, gaps, minutes
    assert len(full) > len(summary) == 1 + 1 + 2 + 1 + 1 + 1 + 1
    overview = " ".join(t.get_text() for t in summary[0]().texts)
    assert f"Peta kabupaten/kota: 1 dengan pagu berisiko terbesar dari {units}" in overview
    last = " ".join(t.get_text() for t in summary[3]().texts)
    note = re.search(
        r"… dan (\d+) baris lain di lampiran Excel \(laporan\.xlsx, lembar "
        r'"Tumpang tindih"\)\.',
        last,
    )
    assert note and 0 < int(note[1]) < len(many)
    assert not any("lampiran Excel" in t.get_text() for t in full[-5]().texts)
