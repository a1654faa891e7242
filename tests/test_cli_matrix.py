"""``python -m geo matrix`` end to end: a store holding the small region's works and reference
layers, to the workbook and the atlas, with filters and bad input."""

from __future__ import annotations

import io

import openpyxl
import pytest
from pypdf import PdfReader

from cli import main
from tests.matrix_support import small_region


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A store with the region's road and irrigation works, roads, Daerah Irigasi and units."""
    folder = tmp_path_factory.mktemp("matrix")
    analysis, network, areas = small_region()
    projects = analysis.projects.drop(columns=["upload_id"])
    path = folder / "peta.gpkg"
    for asset in ("road", "irrigation"):
        works = folder / f"{asset}.geojson"
        projects[projects["asset_type"] == asset].to_file(works)
        assert main(["import", str(works), "--store", str(path)]) == 0
    layers = {
        "roads": network.frame[["road_id", "name", "status", "geometry"]],
        "irrigation": areas,
        "units": analysis.units,
    }
    for kind, layer in layers.items():
        file = folder / f"{kind}.geojson"
        layer.to_file(file)
        assert main(["reference", kind, str(file), "--store", str(path)]) == 0
    return path


def test_the_workbook_of_the_store_has_a_sheet_per_kabupaten(store, tmp_path, capsys):
    out = tmp_path / "matriks.xlsx"
    capsys.readouterr()
    assert main(["matrix", "--store", str(store), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(
        "7 rows (6 ruas stretches, 1 Daerah Irigasi) in 2 unit(s), 2 with a conflict between "
        f"levels -> {out}"
    )
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Keterangan", "Kab. Hilir", "Kab. Hulu", "Pekerjaan"]
    conflict = [cell.value for cell in book["Kab. Hilir"][2]]
    assert conflict[1:3] == ["MX-015-4000-6000", "015"]
    assert conflict[7] == "2025: peningkatan, Rp 5.000.000.000, kontrak [P-1]"
    assert conflict[10] == "2025"


def test_filters_and_the_atlas(store, tmp_path, capsys):
    out = tmp_path / "matriks.pdf"
    argv = ["matrix", "--store", str(store), "--kabupaten", "Hilir", "--lang", "en"]
    assert main([*argv, "--out", str(out)]) == 0
    assert "3 rows (3 ruas stretches, 0 Daerah Irigasi) in 1 unit(s)" in capsys.readouterr().out
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Ruas 015 Simpang Hulu - Batas Hilir" in text and "Selection: Kab. Hilir" in text
    out = tmp_path / "tahun.xlsx"
    argv = ["matrix", "--store", str(store), "--year", "2027", "--level", "kabupaten"]
    assert main([*argv, "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("1 rows (1 ruas stretches, 0 Daerah Irigasi)")
    rows = list(openpyxl.load_workbook(out)["Kab. Hulu"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[8], r[9]) for r in rows] == [
        ("MX-P-02-1000-3000", None, "2027: peningkatan, Rp 1.000.000.000, usulan [K-2]")
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--out", "matriks.csv"], "matriks.csv: write to .xlsx or .pdf"),
        (["--year", "tahun depan", "--out", "m.xlsx"], "--year tahun depan:"),
        (["--level", "kecamatan", "--out", "m.xlsx"], "level kecamatan:"),
        (["--kabupaten", "Nowhere", "--out", "m.xlsx"], "kabupaten Nowhere: no such unit"),
    ],
)
def test_bad_input_exits_2_with_one_line_per_problem(store, tmp_path, capsys, options, message):
    options = [str(tmp_path / o) if o.endswith((".csv", ".xlsx")) else o for o in options]
    assert main(["matrix", "--store", str(store), *options]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_the_meetings_decisions_saved_in_the_store_come_back_on_their_rows(tmp_path, store):
    import shutil

    from geo.store import open_store

    copy = tmp_path / "peta.gpkg"
    shutil.copy(store, copy)
    saved = open_store(copy)
    saved.save_decision(
        "matrix", "MX-015-4000-6000", "Didiskusikan", note="dibahas lagi", who="bappeda"
    )
    saved.save_decision(
        "matrix", "MX-015-4000-6000", "Ditolak", note="kabupaten geser ke 6+000", who="bappeda"
    )
    out = tmp_path / "matriks.xlsx"
    assert main(["matrix", "--store", str(copy), "--out", str(out)]) == 0
    row = [cell.value for cell in openpyxl.load_workbook(out)["Kab. Hilir"][2]]
    assert row[1] == "MX-015-4000-6000"
    assert row[12:14] == ["Ditolak", "kabupaten geser ke 6+000"]


def test_the_notes_on_works_left_out_read_in_the_workbooks_language(tmp_path, capsys):
    from geo.demo.build import build_demo

    store = build_demo(tmp_path / "demo.gpkg")
    out = tmp_path / "matriks.xlsx"
    assert main(["matrix", "--store", str(store), "--out", str(out)]) == 0
    assert "18 bridge work(s) are not in the matrix" in capsys.readouterr().out  # the CLI: English
    cells = [str(c.value) for row in openpyxl.load_workbook(out)["Keterangan"].iter_rows()
             for c in row if c.value is not None]  # fmt: skip
    assert any(c.startswith("18 pekerjaan jembatan tidak masuk matriks") for c in cells), cells
    assert not any("work(s)" in c for c in cells), cells
