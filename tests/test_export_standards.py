"""Exports checked with the standards' own validators (issue 19): the OC4IDS 0.9.5 schema and
codelists, GDAL's GeoPackage validator (Debian 12's GDAL 3.6 and the current release), RFC 7946,
typed spreadsheet cells, and TrueType fonts in the PDFs."""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from geo.analyses import ProjectFilter, analyse, analyse_store
from geo.demo import build_demo
from geo.errors import GeoInputError
from geo.oc4ids import STATUS_CODES, project_package, status_code, type_code, unmapped_codes
from geo.settings import Settings
from geo.store import open_store
from layers.exports import export_bytes

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
    assert len(agency_words.findings) > 0
    package = json.loads(export_bytes("oc4ids", agency_words))
    assert oc4ids_errors(package) == []
    assert len(package["projects"]) == len(agency_words.projects)


def test_oc4ids_ids_carry_the_configured_prefix_and_the_package_its_uri(agency_words):
    settings = Settings(
        oc4ids_id_prefix="oc4ids-ab12cd",
        oc4ids_uri="https://data.example.go.id/oc4ids/",
        oc4ids_publisher="Bappeda Provinsi Contoh",
    )
    package = project_package(agency_words.projects, agency_words.findings, settings=settings)
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
    package = project_package(projects, agency_words.findings)
    first = package["projects"][0]
    assert "status" not in first and first["petaSinergi"]["status"] == "ditunda"
    preserved = [p for p in package["projects"] if p["petaSinergi"]["workType"] == "pemeliharaan"]
    assert preserved and not any("type" in p for p in preserved)


def test_overlap_links_use_allowed_relationships_and_a_documented_extension(agency_words):
    package = project_package(agency_words.projects, agency_words.findings)
    by_id = {p["id"]: p for p in package["projects"]}
    links = [r for p in package["projects"] for r in p.get("relatedProjects", [])]
    assert len(links) == 2 * len(agency_words.findings)
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
