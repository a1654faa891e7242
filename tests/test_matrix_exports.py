"""The synchronisation matrix exports: the workbook re-read cell by cell and opened by
LibreOffice, and the A3 atlas."""

from __future__ import annotations

import io
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from geo.analyse.matrix import build_matrix
from geo.export.matrix_workbook import CONFLICT_FILL, MATRIX_SHEET_COLUMNS
from layers.matrix_export import matrix_xlsx
from tests.matrix_support import small_region


@pytest.fixture(scope="module")
def matrix():
    analysis, network, areas = small_region()
    decisions = pd.DataFrame(
        {
            "subject_id": ["MX-015-4000-6000", "MX-DI-DI-7"],
            "decision": ["Ditolak", "Diterima"],
            "note": ["kabupaten geser ke STA 6+000", '=HYPERLINK("http://x","klik")'],
            "who": ["bappeda", "bbws"],
            "decided_at": ["2026-03-02T10:00:00+00:00", "2026-03-02T11:00:00+00:00"],
        }
    )
    return build_matrix(analysis, network=network, irrigation_areas=areas, decisions=decisions)


def _values(sheet) -> list[list[object]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_workbook_has_a_sheet_per_unit_with_the_cells_of_each_row(matrix):
    book = openpyxl.load_workbook(io.BytesIO(matrix_xlsx(matrix)))
    assert book.sheetnames == ["Keterangan", "Kab. Hilir", "Kab. Hulu", "Pekerjaan"]
    hilir = book["Kab. Hilir"]
    assert _values(hilir)[0] == [
        "No",
        "Kode baris",
        "Kode ruas / D.I.",
        "Nama ruas / D.I.",
        "Status / kewenangan",
        "STA",
        "Panjang (km)",
        "Pusat: pekerjaan per tahun",
        "Provinsi: pekerjaan per tahun",
        "Kabupaten/Kota: pekerjaan per tahun",
        "Konflik (tahun)",
        "Temuan tumpang tindih",
        "Keputusan rapat",
        "Catatan rapat",
    ]
    assert len(MATRIX_SHEET_COLUMNS) == 14
    finding = matrix.rows.set_index("row_id").at["MX-015-4000-6000", "finding_ids"]
    assert _values(hilir)[1:] == [
        [
            1,
            "MX-015-4000-6000",
            "015",
            "Simpang Hulu - Batas Hilir",
            "Jalan kabupaten/kota",
            "4+000 - 6+000",
            2.0,
            "2025: peningkatan, Rp 5.000.000.000, kontrak [P-1]",
            None,
            "2025: rehabilitasi, Rp 2.000.000.000, usulan [K-1]",
            "2025",
            finding,
            "Ditolak",
            "kabupaten geser ke STA 6+000",
        ],
        [2, "MX-015-6000-8000", "015", "Simpang Hulu - Batas Hilir", "Jalan kabupaten/kota"]
        + ["6+000 - 8+000", 2.0, None, None]
        + ["2025: rehabilitasi, Rp 2.000.000.000, usulan [K-1]", None, None, None, None],
        [3, "MX-015-8000-10000", "015", "Simpang Hulu - Batas Hilir", "Jalan kabupaten/kota"]
        + ["8+000 - 10+000", 2.0, None, "2024: pemeliharaan, Rp 1.000.000.000, usulan [V-1]"]
        + [None, None, None, None, None],
    ]
    hulu = _values(book["Kab. Hulu"])
    assert [row[1] for row in hulu[1:]] == [
        "MX-015-0-4000",
        "MX-P-02-0-1000",
        "MX-P-02-1000-3000",
        "MX-DI-DI-7",
    ]
    # two levels on one stretch in different years: each work once with its years, no conflict
    assert hulu[3][8:11] == [
        "2025–2026: peningkatan, Rp 1.000.000.000, berjalan [V-2]",
        "2027: peningkatan, Rp 1.000.000.000, usulan [K-2]",
        None,
    ]
    assert hulu[4][4:7] == ["Kabupaten/Kota", None, None]  # the D.I.'s kewenangan, no STA
    assert hulu[4][13] == '=HYPERLINK("http://x","klik")'
    assert book["Kab. Hulu"].cell(5, 14).data_type == "s"  # text, never a formula


def test_conflicts_are_filled_and_the_sheets_print_on_a3_landscape_with_a_frozen_header(matrix):
    book = openpyxl.load_workbook(io.BytesIO(matrix_xlsx(matrix, lang="en")))
    assert book.sheetnames == ["About", "Kab. Hilir", "Kab. Hulu", "Works"]
    sheet = book["Kab. Hilir"]
    fills = [sheet.cell(r, 2).fill.fgColor.rgb for r in (2, 3, 4)]
    assert fills == ["00" + CONFLICT_FILL, "00000000", "00000000"]
    assert sheet.cell(1, 8).value == "Central: works by year"
    assert sheet.freeze_panes == "C2"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 8  # A3
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.oddHeader.center.text == "Programme synchronisation matrix Kab. Hilir"
    works = _values(book["Works"])
    assert works[0][:4] == ["Row id", "Level of government", "Year", "Agency"]
    assert works[1][:3] == ["MX-015-4000-6000", "Central", 2025]
    assert len(works) == 1 + len(matrix.works)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_matrix_workbook(matrix, tmp_path):
    path = tmp_path / "matriks.xlsx"
    path.write_bytes(matrix_xlsx(matrix))
    done = subprocess.run(
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
        text=True,
        timeout=300,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr
    hilir = (tmp_path / "matriks-Kab. Hilir.csv").read_text(encoding="utf-8")
    assert "MX-015-4000-6000" in hilir and "4+000 - 6+000" in hilir
    hulu = (tmp_path / "matriks-Kab. Hulu.csv").read_text(encoding="utf-8")
    assert '"=HYPERLINK(""http://x"",""klik"")"' in hulu


def test_the_atlas_gives_each_ruas_a_strip_and_its_rows_two_to_a_page(matrix, tmp_path):
    from pypdf import PdfReader

    from layers.matrix_atlas import matrix_atlas_pdf
    from tests.test_export_standards import pdf_fonts

    data = matrix_atlas_pdf(matrix)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2  # the two ruas on the first page, the D.I. on the next
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (1191, 842)  # A3 landscape, points
    first = reader.pages[0].extract_text()
    assert "Ruas 015 Simpang Hulu - Batas Hilir" in first
    assert "Jalan kabupaten/kota · panjang 10,0 km · Kab. Hulu, Kab. Hilir" in first
    for text in ("4+000 - 6+000", "kabupaten geser", "Ditolak", "Halaman 1 dari 2"):
        assert text in first
    assert first.index("0+000 - 4+000") < first.index("4+000 - 6+000")  # chainage order
    assert "Ruas P-02 Sungai Dua - Lubuk" in first
    last = reader.pages[1].extract_text()
    assert "Daerah irigasi" in last and "D.I. Batang Hulu" in last
    assert reader.metadata.title == "Atlas matriks sinkronisasi program"
    fonts = pdf_fonts(data, tmp_path)
    assert all(font["emb"] == "yes" and "Type 3" not in font["type"] for font in fonts)


def test_a_ruas_with_more_rows_than_a_page_continues_under_the_same_strip():
    import geopandas as gpd
    from pypdf import PdfReader
    from shapely import Point

    from geo.analyse.run import Analysis
    from layers.matrix_atlas import matrix_atlas_pdf

    n = 80  # 80 stretches of 500 m, one work each, on one ruas
    levels = ["pusat", "provinsi", "kabupaten"] * 27
    projects = gpd.GeoDataFrame(
        {
            "project_id": [f"W-{k}" for k in range(n)],
            "name": "Pemeliharaan rutin",
            "level": levels[:n],
            "agency": [f"Dinas {level}" for level in levels[:n]],
            "asset_type": "road",
            "year_start": 2026,
            "year_end": 2026,
        },
        geometry=[Point(103.6, -1.6)] * n,
        crs=4326,
    )
    locations = projects[["agency", "project_id"]].assign(
        ruas_id="N-9", ruas_name="Panjang", from_m=[500.0 * k for k in range(n)]
    )
    locations["to_m"] = locations["from_m"] + 500.0
    analysis = Analysis(
        projects=projects,
        overlaps=gpd.GeoDataFrame(),
        mismatches=pd.DataFrame(),
        locations=locations,
    )
    matrix = build_matrix(analysis)
    assert len(matrix.rows) == n and not matrix.rows["conflict"].any()
    reader = PdfReader(io.BytesIO(matrix_atlas_pdf(matrix)))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == 3
    for k, text in enumerate(texts, start=1):
        assert f"Ruas N-9 Panjang (lanjutan {k} dari 3)" in text
        assert "0+000" in text and "40+000" in text  # the whole ruas's strip on every page
    assert "39+500 - 40+000" in texts[-1]


def test_an_empty_selection_gives_a_workbook_and_an_atlas_that_say_so():
    import geopandas as gpd
    from pypdf import PdfReader

    from geo.analyse.run import Analysis
    from layers.matrix_atlas import matrix_atlas_pdf

    columns = ["project_id", "name", "level", "agency", "asset_type", "year_start", "year_end"]
    projects = gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=4326)
    empty = build_matrix(
        Analysis(projects=projects, overlaps=gpd.GeoDataFrame(), mismatches=pd.DataFrame())
    )
    assert len(empty.rows) == 0 and empty.years == ()
    book = openpyxl.load_workbook(io.BytesIO(matrix_xlsx(empty)))
    assert book.sheetnames == ["Keterangan", "Pekerjaan"]
    assert "0 baris, 0 dengan konflik" in str([c.value for c in book["Keterangan"]["B"]])
    reader = PdfReader(io.BytesIO(matrix_atlas_pdf(empty)))
    assert len(reader.pages) == 1
    assert "Tidak ada pekerjaan pada ruas atau daerah irigasi" in reader.pages[0].extract_text()
