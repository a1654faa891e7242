"""Meeting exports of the demo store: slide/print maps, the meeting pack, Excel, GeoPackage,
GeoJSON and OC4IDS (issue 6)."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
from PIL import Image
from pypdf import PdfReader

from geo.analyse.ledger import ledger_of
from geo.analyse.run import ProjectFilter, analyse, analyse_store
from geo.demo.build import DEMO_NOTICE, build_demo
from geo.store import open_store
from layers.exports import EXPORTS, export_bytes
from layers.formatting import format_rupiah
from layers.map_drawing import FINDING_COLOUR, MAX_BADGES
from layers.map_labels import number_findings
from layers.map_text import map_words
from layers.meeting_pack import meeting_pack_pages
from layers.page_table import Column, paginate, row_height_in
from layers.palette import LEVEL_COLOURS, level_label
from layers.static_map import level_colours_in_legend, map_figure

#: Landscape page sizes in PDF points (1/72 in), ISO 216.
A4_PT = (841.89, 595.28)
A3_PT = (1190.55, 841.89)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_store(build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg"))


@pytest.fixture(scope="module")
def analyses(store):
    return analyse_store(store)


@pytest.fixture(scope="module")
def hostile(store):
    """The demo with names and agencies a spreadsheet would run as formulas."""
    projects = store.load_projects()
    found = analyse_store(store).overlaps
    first = projects["project_id"].isin([found["project_a"].iloc[0], found["project_b"].iloc[0]])
    projects.loc[first, "name"] = '=HYPERLINK("http://x","klik")'
    projects.loc[projects.index[0], "funding_source"] = "@SUM(1+1)"
    projects.loc[projects.index[1], "work_type"] = "+1"
    projects.loc[projects.index[2], "status"] = "-2+3"
    projects.loc[projects.index[3], "name"] = "\tTAB"
    return analyse(
        projects,
        units=store.load_reference("admin_units"),
        roads=store.load_reference("roads"),
        irrigation_areas=store.load_reference("irrigation_areas"),
    )


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])


def test_the_slide_png_is_1920_by_1080_and_shows_every_level_colour(analyses):
    png = export_bytes("map_png", analyses)
    image = Image.open(io.BytesIO(png))
    assert image.size == (1920, 1080)
    pixels = _pixels(png)
    not_white = (pixels < 245).any(axis=2).mean()
    assert 0.05 < not_white < 0.9, "the map is blank or a solid block"
    for colour in (*LEVEL_COLOURS.values(), FINDING_COLOUR):
        if colour == LEVEL_COLOURS["desa"]:
            continue  # the demo has no desa projects
        exact = (np.abs(pixels.astype(int) - _hex_rgb(colour)).max(axis=2) <= 2).sum()
        assert exact > 50, f"{colour} is not drawn"


def test_the_legend_uses_the_web_map_palette(analyses):
    fig = map_figure(
        analyses.projects,
        text=map_words(analyses),
        findings=number_findings(analyses.overlaps),
        boundaries=analyses.units,
    )
    legends = fig.legends
    assert len(legends) == 1
    colours = level_colours_in_legend(legends[0])
    for level in ("pusat", "provinsi", "kabupaten"):
        assert colours[level_label(level)] == LEVEL_COLOURS[level].lower()


def test_the_legend_speaks_english_when_asked(analyses):
    fig = map_figure(analyses.projects, text=map_words(analyses, lang="en"), lang="en")
    (legend,) = fig.legends
    assert level_colours_in_legend(legend)["Central"] == LEVEL_COLOURS["pusat"].lower()


@pytest.mark.parametrize(("size", "points"), [(None, A4_PT), ("a3", A3_PT)])
def test_the_print_map_is_one_landscape_page(analyses, size, points):
    reader = PdfReader(io.BytesIO(export_bytes("map_pdf", analyses, size=size)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(points, abs=1)
    text = reader.pages[0].extract_text()
    assert "Peta Sinergi" in text and DEMO_NOTICE in text


def test_the_meeting_pack_has_the_planned_pages(analyses):
    data = export_bytes("pack_pdf", analyses)
    reader = PdfReader(io.BytesIO(data))
    planned = meeting_pack_pages(analyses)
    units_with_projects = int((analyses.coverage["projects"] > 0).sum())
    # overview + one map per kabupaten with projects + findings, budget at stake, mismatches
    # and gaps tables + the minutes (berita acara)
    assert len(reader.pages) == len(planned) == 1 + units_with_projects + 4 + 1
    texts = [page.extract_text() for page in reader.pages]
    assert f"Halaman 1 dari {len(planned)}" in texts[0]
    findings_page = texts[1 + units_with_projects]
    assert "Keputusan rapat (berita acara)" in findings_page
    for finding in analyses.overlaps.itertuples():
        assert finding.project_a in findings_page.replace("\n", " ")
    ledger_page = texts[2 + units_with_projects]
    assert (
        "Anggaran terdampak: jumlah per kabupaten/kota, provinsi, tingkat dan tahun" in ledger_page
    )
    total = ledger_of(analyses).iloc[0]["at_stake_idr"]
    assert "Jumlah seluruhnya Semua temuan" in ledger_page.replace("\n", " ")
    assert format_rupiah(total, "id").replace(" ", "\u00a0") in ledger_page
    assert "Pusat – Provinsi" in ledger_page
    assert "Ketidaksesuaian kewenangan" in texts[-3]
    assert "Kab. Hulu Contoh" in texts[-2]  # a unit with no project is a gap, not a page
    minutes = texts[-1]
    assert "Berita acara rapat koordinasi" in minutes and "Kesepakatan" in minutes
    parties = set(analyses.overlaps[["agency_a", "agency_b"]].stack()) | set(
        analyses.mismatches["agency"]
    )
    for agency in parties:
        assert agency in minutes
    assert "Dinas PUPR Kab. Rawa Contoh" not in minutes, "projects, but no finding to sign for"
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in reader.pages)


def test_long_tables_run_over_pages_and_never_overflow_one():
    columns = [Column("No", 0.4), Column("Teks", 3.0), Column("Keputusan", 2.0)]
    rows = [[str(i), "kata " * (5 + 7 * (i % 9)), ""] for i in range(120)]
    pages = paginate(rows, columns, width_in=10, height_in=6.5, fontsize=7.5)
    assert len(pages) > 2
    assert sum(len(page) for page in pages) == 120
    header = row_height_in(1, 7.5)
    for page in pages:
        used = sum(row_height_in(max(len(c) for c in row), 7.5) for row in page)
        assert header + used <= 6.5


def test_the_pack_prints_on_a3_and_in_english(analyses):
    data = export_bytes("pack_pdf", analyses, size="a3", lang="en")
    reader = PdfReader(io.BytesIO(data))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(A3_PT[0], abs=1)
    assert "Meeting decision (minutes)" in reader.pages[-5].extract_text()
    ledger = reader.pages[-4].extract_text()
    assert "Budget at stake: totals per" in ledger and "Grand total All findings" in ledger
    assert "Minutes of the coordination meeting" in reader.pages[-1].extract_text()


def test_the_workbook_rereads_with_one_row_per_finding_mismatch_and_unit(analyses):
    book = openpyxl.load_workbook(io.BytesIO(export_bytes("xlsx", analyses)))
    sheets = {ws.title: ws for ws in book}
    assert sheets["Tumpang tindih"].max_row == len(analyses.overlaps) + 1
    assert sheets["Kewenangan"].max_row == len(analyses.mismatches) + 1
    assert sheets["Kesenjangan per unit"].max_row == len(analyses.coverage) + 1
    assert sheets["Unggahan"].max_row == len(analyses.uploads) + 1
    assert len(analyses.locations) > 0  # the demo's road works on its network
    assert sheets["Lokasi pada ruas"].max_row == len(analyses.locations) + 1
    header = [c.value for c in sheets["Tumpang tindih"][1]]
    assert header[:2] == ["No.", "Kode temuan"]
    dictionary = list(sheets["Kamus kolom"].iter_rows(2, values_only=True))
    meanings = {(sheet, shown): meaning for sheet, shown, _code, meaning in dictionary}
    codes = {(sheet, shown): code for sheet, shown, code, _meaning in dictionary}
    for sheet in ("Tumpang tindih", "Kewenangan", "Kesenjangan per unit", "Lokasi pada ruas"):
        for cell in sheets[sheet][1]:
            assert meanings[(sheet, cell.value)], f"{sheet}.{cell.value} has no meaning"
    assert codes[("Tumpang tindih", "Anggaran terdampak (Rp)")] == "budget_at_stake_idr"
    budget = sheets["Tumpang tindih"].cell(2, header.index("Anggaran terdampak (Rp)") + 1)
    assert isinstance(budget.value, int | float) and budget.number_format == '"Rp "#,##0'
    # Values in words, not codes: no "road" or "cross_level" in an Indonesian workbook.
    values = {c for row in sheets["Tumpang tindih"].iter_rows(2, values_only=True) for c in row}
    assert "Jalan" in values and "lintas tingkat" in values
    assert not values & {"road", "bridge", "cross_level", "same_agency", "high", "pusat"}


def test_the_workbook_totals_the_budget_at_stake_and_lists_repeat_funding_apart(analyses):
    book = openpyxl.load_workbook(io.BytesIO(export_bytes("xlsx", analyses)))
    sheets = {ws.title: ws for ws in book}
    ledger = ledger_of(analyses)
    sheet = sheets["Anggaran terdampak"]
    assert sheet.max_row == len(ledger) + 1
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Rincian menurut", "Kode", "Uraian"]
    rows = list(sheet.iter_rows(2, values_only=True))
    total = rows[0]
    assert total[0] == "Jumlah seluruhnya"
    at_stake = header.index("Jumlah anggaran terdampak (Rp)")
    overlaps = analyses.overlaps[analyses.overlaps["kind"] == "overlap"]
    assert total[at_stake] == pytest.approx(overlaps["budget_at_stake_idr"].sum())
    by_kabupaten = [row for row in rows if row[0] == "Kabupaten/Kota"]
    assert sum(row[at_stake] for row in by_kabupaten) == pytest.approx(total[at_stake])
    assert sheet.cell(2, at_stake + 1).number_format == '"Rp "#,##0'
    # The demo funds no stretch twice within its design life: the sheet is there, empty.
    assert sheets["Pendanaan berulang"].max_row == 1
    dictionary = list(sheets["Kamus kolom"].iter_rows(2, values_only=True))
    meanings = {(sheet, shown): meaning for sheet, shown, _code, meaning in dictionary}
    for cell in sheet[1]:
        assert meanings[("Anggaran terdampak", cell.value)], f"{cell.value} has no meaning"


def test_the_workbook_speaks_english_in_english(analyses):
    book = openpyxl.load_workbook(io.BytesIO(export_bytes("xlsx", analyses, lang="en")))
    sheets = {ws.title: ws for ws in book}
    assert list(sheets)[:3] == ["About", "Overlaps", "Authority"]
    header = [c.value for c in sheets["Overlaps"][1]]
    assert header[:2] == ["No.", "Finding code"] and "Budget at stake (Rp)" in header
    values = {c for row in sheets["Overlaps"].iter_rows(2, values_only=True) for c in row}
    assert "Road" in values and "cross-level" in values and "Central" in values
    assert not values & {"road", "cross_level", "lintas tingkat", "Jalan", "pusat"}
    dictionary = list(sheets["Column dictionary"].iter_rows(2, values_only=True))
    assert all(meaning for sheet, _h, _c, meaning in dictionary if sheet == "Overlaps")


def test_no_workbook_cell_is_a_formula_even_when_inputs_start_with_one(hostile):
    assert (
        hostile.overlaps["name_a"].str.startswith("=").any()
        or hostile.overlaps["name_b"].str.startswith("=").any()
    )
    book = openpyxl.load_workbook(io.BytesIO(export_bytes("xlsx", hostile)))
    risky = set()
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r'":
                    # a typed string cell, shown as written: no apostrophe added
                    assert cell.data_type == "s" and not cell.value.startswith("'")
                    risky.add(cell.value)
    assert '=HYPERLINK("http://x","klik")' in risky


@pytest.mark.parametrize("kind", ["gpkg", "geojson"])
def test_the_findings_open_in_qgis_with_their_geometry(analyses, kind, tmp_path):
    path = tmp_path / EXPORTS[kind].file_name
    path.write_bytes(export_bytes(kind, analyses))
    layers = [pyogrio.read_dataframe(path, layer=name) for name, _ in pyogrio.list_layers(path)]
    findings = pd.concat(layers).sort_values("number", ignore_index=True)
    assert len(findings) == len(analyses.overlaps)
    assert findings.crs.to_epsg() == 4326
    expected = number_findings(analyses.overlaps)
    assert list(findings["finding_id"]) == list(expected["finding_id"])
    assert list(findings["number"]) == list(range(1, len(findings) + 1))
    # the GeoPackage writes lines and polygons as multi-parts, the GeoJSON rounds to 1e-7 deg
    apart_m = findings.geometry.to_crs(32748).hausdorff_distance(expected.geometry.to_crs(32748))
    assert (apart_m < 0.05).all()


def test_oc4ids_projects_carry_locations_budgets_parties_and_related_projects(analyses):
    package = json.loads(export_bytes("oc4ids", analyses))
    projects = {p["identifiers"][0]["id"]: p for p in package["projects"]}
    assert len(projects) == len(analyses.projects)
    some = next(iter(projects.values()))
    assert some["locations"][0]["geometry"]["type"] in {
        "LineString",
        "Point",
        "Polygon",
        "MultiLineString",
        "MultiPolygon",
    }
    assert some["budget"]["amount"]["currency"] == "IDR"
    assert some["parties"][0]["roles"] == ["publicAuthority"]
    lon, lat = _first_xy(some)
    assert 94 < lon < 142 and -11.5 < lat < 6.5
    for finding in analyses.overlaps.itertuples():
        related = {r["identifier"] for r in projects[finding.project_a]["relatedProjects"]}
        assert projects[finding.project_b]["id"] in related
        back = {r["identifier"] for r in projects[finding.project_b]["relatedProjects"]}
        assert projects[finding.project_a]["id"] in back


def _first_xy(project: dict) -> tuple[float, float]:
    coords = project["locations"][0]["geometry"]["coordinates"]
    while isinstance(coords[0], list):
        coords = coords[0]
    return coords[0], coords[1]


def test_an_empty_selection_still_exports_every_kind(store):
    empty = analyse_store(store, filters=ProjectFilter(year_from=1990, year_to=1991))
    assert empty.projects.empty
    for kind in EXPORTS:
        if kind == "oc4ids":  # an OC4IDS package holds at least one project
            continue
        assert len(export_bytes(kind, empty)) > 0, kind
    reader = PdfReader(io.BytesIO(export_bytes("map_pdf", empty)))
    assert "Tidak ada proyek untuk filter ini." in reader.pages[0].extract_text()


def test_a_kabupaten_map_names_the_kabupaten_and_the_years(store):
    chosen = analyse_store(store, filters=ProjectFilter(year_from=2025, units=("99.02",)))
    words = map_words(chosen)
    assert words.subtitle.startswith("Kab. Rawa Contoh · Tahun anggaran 2025–")
    assert "2100" not in words.subtitle


def test_a_map_numbers_at_most_max_badges_findings_and_says_so(analyses):
    from matplotlib.text import Annotation

    many = pd.concat([analyses.overlaps] * 10, ignore_index=True)
    many["finding_id"] = [f"TT-{i:04d}" for i in range(len(many))]
    numbered = number_findings(gpd.GeoDataFrame(many, crs=4326))
    fig = map_figure(analyses.projects, text=map_words(analyses), findings=numbered)
    notes = [a for ax in fig.axes for a in ax.texts if isinstance(a, Annotation)]
    badges = [a for a in notes if a.get_text().isdigit()]  # the north arrow is one too
    assert len(badges) == MAX_BADGES < len(numbered)
    assert sorted(int(b.get_text()) for b in badges) == list(range(1, MAX_BADGES + 1))
    panel_text = " ".join(t.get_text() for t in fig.texts)
    assert f"Peta menomori {MAX_BADGES} temuan pertama." in panel_text


def test_a_kabupaten_pack_has_one_map_per_chosen_unit(store):
    chosen = analyse_store(store, filters=ProjectFilter(units=("99.02", "99.03")))
    reader = PdfReader(io.BytesIO(export_bytes("pack_pdf", chosen)))
    assert len(reader.pages) == 1 + 2 + 4 + 1  # maps, four tables, the minutes
    titles = [page.extract_text().splitlines()[0] for page in reader.pages[1:3]]
    assert titles == ["Kab. Rawa Contoh", "Kab. Bukit Contoh"]


def test_a_print_page_as_png_is_at_300_dpi(analyses):
    png = export_bytes("map_png", analyses, size="a4")
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size  # A4 landscape at 300 dpi: 3507.9 x 2480.3 px
        assert (width, height) == (pytest.approx(3508, abs=1), pytest.approx(2480, abs=1))


def test_every_party_to_a_finding_signs_the_minutes_on_as_many_pages_as_it_takes(analyses):
    import dataclasses

    from layers.meeting_pack import minutes_parties, pack_pdf_bytes

    findings = analyses.overlaps.copy()
    parties = [f"Dinas PUPR Kab. Uji {i:02d}" for i in range(2 * len(findings))]
    findings["agency_a"] = parties[: len(findings)]
    findings["agency_b"] = parties[len(findings) :]
    mismatches = analyses.mismatches.copy()
    mismatches["agency"] = [f"Balai Uji {i:02d}" for i in range(len(mismatches))]
    many = dataclasses.replace(analyses, overlaps=findings, mismatches=mismatches)
    expected = sorted(set(parties) | set(mismatches["agency"]))
    assert minutes_parties(many) == expected
    drawers = meeting_pack_pages(many)
    ordinary = len(meeting_pack_pages(analyses)) - 1
    # 8 boxes on the minutes page, 24 on each page after it
    minutes_pages = 1 + -(-(len(expected) - 8) // 24)
    assert len(drawers) == ordinary + minutes_pages
    reader = PdfReader(io.BytesIO(pack_pdf_bytes(drawers[ordinary:])))
    minutes = " ".join(page.extract_text() for page in reader.pages)
    for agency in expected:
        assert agency in minutes, agency
    assert (
        "Berita acara rapat koordinasi (lanjutan: tanda tangan)" in reader.pages[-1].extract_text()
    )


@pytest.mark.parametrize("size", ["1920x1080", "a4"])
def test_the_summary_keeps_every_line_however_many_findings(analyses, size):
    import dataclasses

    findings = number_findings(pd.concat([analyses.overlaps] * 12, ignore_index=True))
    words = map_words(analyses, lang="id")
    summary = [f"Baris ringkasan {i}: {i * 7} proyek" for i in range(6)]
    words = dataclasses.replace(words, summary=summary)
    fig = map_figure(analyses.projects, text=words, findings=findings, size=size, lang="id")
    from matplotlib.text import Text

    texts = fig.findobj(Text)
    placed = {
        t.get_text(): t.get_position()[1]
        for t in texts
        if t.get_text().startswith("Baris ringkasan")
    }
    assert sorted(placed) == sorted(summary), "no summary line is cut"
    assert all(y > 0 for y in placed.values()), "each inside the panel"
    shown = " ".join(t.get_text() for t in texts)
    assert "temuan lain" in shown, "the findings list gives way instead"


def test_a_list_longer_than_an_excel_cell_keeps_what_fits_and_says_how_many_are_left(tmp_path):
    # A national total row of the budget ledger lists ~90,000 finding codes: more than the
    # 32,767 characters one Excel cell holds (Excel reports such a file as damaged).
    from geo.export.workbook import EXCEL_CELL_CHARS, fit_cell, write_sheet
    from layers.exports import workbook_words

    codes = [f"TT-{k:08x}" for k in range(6000)]
    frame = pd.DataFrame({"key": ["total"], "finding_ids": ["; ".join(codes)]})
    write_sheet(frame, tmp_path / "ledger.xlsx", sheet_name="ledger")
    cell = openpyxl.load_workbook(tmp_path / "ledger.xlsx").active["B2"].value
    assert len(cell) <= EXCEL_CELL_CHARS
    kept, note = cell.rsplit("; ", 1)
    assert kept.split("; ") == codes[: len(kept.split("; "))]
    left_out = len(codes) - len(kept.split("; "))
    assert note == (
        f"... and {left_out:,} more that do not fit this cell (Excel holds at most 32,767 "
        "characters a cell)"
    )
    indonesian = fit_cell("; ".join(codes), workbook_words("id").cell_cut)
    kept, note = indonesian.rsplit("; ", 1)
    left_out = len(codes) - len(kept.split("; "))
    assert note == (
        f"... dan {left_out:,} lainnya tidak muat di sel ini (satu sel Excel memuat paling "
        "banyak 32.767 karakter)".replace(",", ".")
    )
    assert fit_cell("TT-1; TT-2", workbook_words("id").cell_cut) == "TT-1; TT-2"
