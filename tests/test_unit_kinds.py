"""Units named by their kind (kecamatan, kabupaten/kota, provinsi) wherever a person reads
them: the reference reader finds the kind, the map, tables, workbook and meeting pack use it;
export times in WIB (or the WITA/WIT setting); the words of exports in the one catalogue."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import subprocess

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import box

from cli import main
from geo.analyse.run import analyse_store
from geo.read.reference import read_reference, unit_level
from geo.store import open_store
from layers.exports import EXPORTS, export_bytes, workbook_words
from layers.map_text import footer
from layers.project_map import project_map
from layers.tables import coverage_table
from layers.words import EXPORT_LABELS, SECTIONS, unit_words, with_units
from tests.conftest import REFERENCE, SAMPLES

KECAMATAN = REFERENCE / "seed_adm3_kecamatan.geojson"


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("seed_adm3_kecamatan.geojson", "kecamatan"),
        ("idn_adm2_kabkota.geojson", "kabupaten"),
        ("idn_adm1_provinsi.geojson", "provinsi"),
    ],
)
def test_the_reference_reader_finds_what_the_units_are(name, level):
    result = read_reference(REFERENCE / name, "units")
    assert set(result.layer["unit_level"]) == {level}
    assert unit_level(result.layer) == level
    assert any(
        f"units are {len(result.layer)} {level} (from column 'level')" in n
        for n in result.report.notes
    )


@pytest.mark.parametrize(
    ("ids", "levels", "expected"),
    [
        (["15.01.01", "15.01.02"], None, "kecamatan"),
        (["1501", "1502", "1571"], None, "kabupaten"),
        (["1501010", "1501020"], None, "kecamatan"),  # BPS kecamatan codes
        (["15.01.01.2001"], None, "desa"),
        (["15"], None, "provinsi"),
        (["A", "B"], None, None),
        (["A", "B"], ["Kota", "Kabupaten"], "kabupaten"),
        (["A", "B"], ["Distrik", "Kecamatan"], "kecamatan"),
        (["15.01.01"], ["not a level"], "kecamatan"),  # the kode decides then
    ],
)
def test_the_kind_comes_from_a_level_column_else_from_the_kode(ids, levels, expected):
    frame = pd.DataFrame({"unit_id": ids})
    if levels is not None:
        frame["unit_level"] = levels
    assert unit_level(frame) == expected


def test_a_layer_without_level_or_kode_keeps_its_units_and_says_so(tmp_path):
    path = tmp_path / "wilayah.geojson"
    gpd.GeoDataFrame(
        {"id": ["U", "S"], "nama": ["Utara", "Selatan"]},
        geometry=[box(103, -1, 104, 0), box(103, -2, 104, -1)],
        crs=4326,
    ).to_file(path)
    result = read_reference(path, "units")
    assert len(result.layer) == 2 and unit_level(result.layer) is None
    assert any("the kind of unit" in n and "not known" in n for n in result.report.notes)
    assert unit_words(None)["Unit"] == "Wilayah" and unit_words(None, "en")["units"] == "units"


def test_every_unit_placeholder_is_filled_in_both_languages():
    for section in SECTIONS.values():
        for lang in ("id", "en"):
            for template in section[lang].values():
                for level in ("kecamatan", "kabupaten", "provinsi", "desa", None):
                    filled = with_units(template, level, lang)
                    assert "{unit" not in filled and "{Unit" not in filled, template


@pytest.fixture(scope="module")
def kecamatan_store(tmp_path_factory):
    """A store of the agencies' sample files with Jambi's real kecamatan as its units."""
    store = tmp_path_factory.mktemp("kecamatan") / "kecamatan.gpkg"
    assert main(["reference", "units", str(KECAMATAN), "--store", str(store)]) == 0
    roads = SAMPLES / "jaringan_jalan_jambi.gpkg"
    assert main(["reference", "roads", str(roads), "--store", str(store)]) == 0
    for name, level in (
        ("bpjn_jambi_2025.zip", "pusat"),
        ("dinas_pupr_provinsi_jambi_geotagging_2025.csv", "provinsi"),
    ):
        assert main(["import", str(SAMPLES / name), "--level", level, "--store", str(store)]) == 0
    return store


@pytest.fixture(scope="module")
def kecamatan_analyses(kecamatan_store):
    return analyse_store(open_store(kecamatan_store))


def _pdf_text(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def test_the_meeting_pack_names_kecamatan_as_kecamatan(kecamatan_analyses):
    assert unit_level(kecamatan_analyses.units) == "kecamatan"
    indonesian = _pdf_text(export_bytes("pack_pdf", kecamatan_analyses, lang="id"))
    assert "Semua wilayah (457 kecamatan)" in indonesian
    assert "Kesenjangan cakupan per kecamatan" in indonesian
    assert "Batas kecamatan" in indonesian
    assert "Kecamatan Kumpeh" in indonesian  # a unit page's title says what the unit is
    assert "Batas kabupaten/kota" not in indonesian and "per kabupaten/kota" not in indonesian
    english = _pdf_text(export_bytes("pack_pdf", kecamatan_analyses, lang="en"))
    assert "All areas (457 subdistricts)" in english
    assert "Coverage gaps per subdistrict" in english and "Subdistrict boundary" in english
    assert "Kumpeh (subdistrict)" in english
    assert "district/city" not in english.replace("District/City", "")  # the level's name stays


def test_the_workbook_names_kecamatan_and_says_prioritas(kecamatan_analyses):
    for lang, unit, meaning, severity in (
        ("id", "Kecamatan", "Nama kecamatan", "Prioritas"),
        ("en", "Subdistrict", "Name of the subdistrict", "Severity"),
    ):
        book = openpyxl.load_workbook(
            io.BytesIO(export_bytes("xlsx", kecamatan_analyses, lang=lang))
        )
        gaps = book.worksheets[3]
        assert gaps.cell(row=1, column=2).value == unit
        dictionary = {row[2]: row for row in book.worksheets[-1].iter_rows(values_only=True)}
        assert dictionary["unit_name"][1] == unit and dictionary["unit_name"][3] == meaning
        assert dictionary["severity"][1] == severity
        assert dictionary["severity"][3].startswith(severity)
        text = " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
        assert "Keparahan" not in text and "kabupaten/kota)" not in text
        assert dictionary["uploaded_at"][1].endswith("(WIB)")


def test_the_web_map_and_the_gaps_table_name_kecamatan(kecamatan_analyses):
    units = kecamatan_analyses.units
    html = project_map(kecamatan_analyses.projects, boundaries=units, lang="id").get_root().render()
    assert '"Batas kecamatan"' in html and "Nama kecamatan" in html
    html = project_map(kecamatan_analyses.projects, boundaries=units, lang="en").get_root().render()
    assert '"Subdistrict boundaries"' in html and "Subdistrict names" in html
    table = coverage_table(kecamatan_analyses.coverage, lang="id")
    assert table.columns[0] == "Kecamatan"
    assert coverage_table(kecamatan_analyses.coverage, lang="en", level="kabupaten").columns[0] == (
        "District/city"
    )


def test_export_times_are_in_wib_unless_the_setting_says_otherwise(kecamatan_analyses):
    uploads = kecamatan_analyses.uploads.copy()
    uploads["uploaded_at"] = "2026-12-02T20:30:00+00:00"
    analyses = dataclasses.replace(kecamatan_analyses, uploads=uploads)
    made = dt.datetime(2026, 12, 2, 16, 59, tzinfo=dt.UTC)
    lines = footer(analyses, "id", now=made)
    assert lines[0].startswith("Data per 3 Des 2026 03.30 WIB")
    assert lines[1].startswith("Dibuat dengan Peta Sinergi, 2 Des 2026 23.59 WIB")
    lines = footer(analyses, "en", now=made, zone="WITA")
    assert lines[0].startswith("Data as of 3 Dec 2026, 04:30 WITA")
    assert "3 Dec 2026, 00:59 WITA" in lines[1]
    assert workbook_words("en", time_zone="WITA").header("uploaded_at") == "Uploaded at (WITA)"


def test_the_export_buttons_read_their_words_from_the_catalogue():
    for kind, export in EXPORTS.items():
        assert export.label("id") == EXPORT_LABELS["id"][kind]
        assert export.label("en") == EXPORT_LABELS["en"][kind]
    assert EXPORTS["pack_pdf"].label("id").startswith("Bahan rapat")
