"""``export-map`` and ``export-report`` through the CLI, on the demo store and on files."""

from __future__ import annotations

import io

import openpyxl
import pyogrio
import pytest
from PIL import Image
from pypdf import PdfReader

from cli import main
from geo.demo.build import build_demo


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg")


def test_export_map_png_is_a_slide_and_pdf_an_a3_page(demo_store, tmp_path, capsys):
    png = tmp_path / "peta.png"
    assert main(["export-map", "--store", str(demo_store), "--out", str(png)]) == 0
    with Image.open(png) as image:
        assert image.size == (1920, 1080)
    assert "map of 80 projects and 7 findings" in capsys.readouterr().out
    pdf = tmp_path / "peta.pdf"
    args = ["export-map", "--store", str(demo_store), "--out", str(pdf), "--size", "a3"]
    assert main([*args, "--title", "Rakor Infrastruktur 2025"]) == 0
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1 and float(reader.pages[0].mediabox.width) > 1190
    assert "Rakor Infrastruktur 2025" in reader.pages[0].extract_text()


def test_export_map_filters_and_a_custom_slide_size(demo_store, tmp_path, capsys):
    png = tmp_path / "rawa.png"
    args = ["export-map", "--store", str(demo_store), "--out", str(png), "--size", "1280x720"]
    filters = ["--kabupaten", "Rawa Contoh", "--year-from", "2025", "--level", "pusat"]
    assert main([*args, *filters, "--asset", "jalan"]) == 0
    with Image.open(png) as image:
        assert image.size == (1280, 720)
    out = capsys.readouterr().out
    assert "map of" in out and "map of 80" not in out


def _layers(path) -> list[str]:
    return [name for name, _ in pyogrio.list_layers(path)]


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("laporan.xlsx", lambda p: openpyxl.load_workbook(p)["Tumpang tindih"].max_row == 8),
        (
            "temuan.gpkg",
            lambda p: sum(pyogrio.read_info(p, layer=n)["features"] for n in _layers(p)) == 7,
        ),
        ("temuan.geojson", lambda p: len(pyogrio.read_dataframe(p)) == 7),
        ("proyek.json", lambda p: '"version":"0.9"' in p.read_text(encoding="utf-8")),
        ("bahan-rapat.pdf", lambda p: len(PdfReader(p).pages) == 17),  # with the budget totals
    ],
)
def test_export_report_writes_each_kind_by_its_ending(demo_store, tmp_path, name, check):
    out = tmp_path / name
    assert main(["export-report", "--store", str(demo_store), "--out", str(out)]) == 0
    assert check(out)


def test_export_map_of_a_file_reads_it_as_an_upload_is(samples, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PETA_STORE", str(tmp_path / "no-store.gpkg"))
    png = tmp_path / "bpjn.png"
    zipped = str(samples / "bpjn_jambi_2025.zip")
    assert main(["export-map", zipped, "--file-level", "pusat", "--out", str(png)]) == 0
    out = capsys.readouterr().out
    assert "bpjn_jambi_2025.zip: 3 read, 3 stored (1 repaired), 0 rejected" in out
    assert "map of 3 projects" in out
    with Image.open(png) as image:
        assert image.size == (1920, 1080)


def test_export_report_of_a_file_carries_its_import_report(samples, tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_STORE", str(tmp_path / "no-store.gpkg"))
    out = tmp_path / "laporan.xlsx"
    zipped = str(samples / "bpjn_jambi_2025.zip")
    assert main(["export-report", zipped, "--file-level", "pusat", "--out", str(out)]) == 0
    rows = list(openpyxl.load_workbook(out)["Laporan impor"].iter_rows(min_row=2, values_only=True))
    # The reader's reasons in the workbook's language (Indonesian unless --lang en).
    assert any(r[1] == "bpjn_jambi_2025.zip" and "titik tengahnya" in str(r[6]) for r in rows), rows


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export-map", "--out", "peta.svg"], "peta.svg: write to .png or .pdf"),
        (["export-report", "--out", "x.docx"], "x.docx: write to .xlsx, .gpkg, .geojson, .json"),
        (["export-map", "--out", "p.png", "--size", "10x10"], "--size '10x10': write WIDTHxHEIGHT"),
        (
            ["export-report", "--out", "p.pdf", "--size", "a5"],
            "--size a5: the meeting pack is printed on a4 or a3",
        ),
        (
            ["export-map", "--out", "p.png", "--kabupaten", "Atlantis"],
            "kabupaten Atlantis: no such unit",
        ),
        (["export-map", "--out", "p.png", "--level", "raja"], "level raja: 'raja' is not a level"),
    ],
)
def test_bad_export_options_exit_2_with_one_line_naming_the_fix(
    demo_store, tmp_path, capsys, args, message
):
    args = [
        a if not a.endswith((".svg", ".docx", ".png", ".pdf")) else str(tmp_path / a) for a in args
    ]
    assert main([*args, "--store", str(demo_store)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_png_bytes_are_not_blank(demo_store, tmp_path):
    png = tmp_path / "peta.png"
    main(["export-map", "--store", str(demo_store), "--out", str(png)])
    image = Image.open(io.BytesIO(png.read_bytes())).convert("L")
    assert image.getextrema()[0] < 100


def test_dollar_signs_in_names_and_title_reach_the_pack_as_text(tmp_path, monkeypatch, capsys):
    """``$`` in upload text or a title is a dollar sign, not matplotlib mathtext: a name like
    ``$A_$`` (a broken formula) must not fail the pack, and ``$x$`` keeps its dollars."""
    import geopandas as gpd
    from shapely.geometry import LineString

    monkeypatch.setenv("PETA_STORE", str(tmp_path / "no-store.gpkg"))
    road = LineString([(103.60, -1.60), (103.62, -1.60)])
    upload = tmp_path / "paket.geojson"
    gpd.GeoDataFrame(
        {
            "kode_paket": ["D-1", "D-2"],
            "nama_paket": ["Pemeliharaan Jalan $A_$", "Rehab $x^2$ Jalan"],
            "tahun": [2025, 2025],
            "instansi": ["Dinas $PU$ Kab. A", "Dinas PUPR Kab. B"],
            "jenis": ["jalan", "jalan"],
        },
        geometry=[road, road],
        crs="EPSG:4326",
    ).to_file(upload, driver="GeoJSON")
    pack = tmp_path / "pack.pdf"
    args = ["export-report", str(upload), "--file-level", "kabupaten", "--out", str(pack)]
    assert main([*args, "--title", "Rapat $x$ 2025"]) == 0, capsys.readouterr().err
    text = "\n".join(page.extract_text() for page in PdfReader(pack).pages)
    for literal in ("Pemeliharaan Jalan $A_$", "Rapat $x$ 2025", "Dinas $PU$"):
        assert literal in text.replace("\n", " ")
    png = tmp_path / "peta.png"
    args = ["export-map", str(upload), "--file-level", "kabupaten", "--out", str(png)]
    assert main([*args, "--title", "$A_$"]) == 0, capsys.readouterr().err
