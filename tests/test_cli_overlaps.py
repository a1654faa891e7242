"""``python -m geo overlaps``: files read as uploads are, findings to CSV / GeoPackage / store."""

from __future__ import annotations

import csv

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from cli import main
from geo.demo.build import build_demo
from geo.read.projects import read_projects
from geo.store import open_store

CSV_COLUMNS = [
    "project_a",
    "project_b",
    "asset_type",
    "level_a",
    "level_b",
    "agency_a",
    "agency_b",
    "overlap_m",
    "overlap_ha",
    "distance_m",
    "share_a",
    "share_b",
    "budget_at_stake_idr",
    "severity",
]


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_sample_files_in_different_formats_and_crs_give_the_expected_findings(
    samples, tmp_path, capsys
):
    """Without the network the geotagged start/end points are a straight chord that cuts the
    trunk road's bends: only a few hundred metres of it lie on the BPJN segments."""
    out = tmp_path / "temuan.csv"
    code = main(
        [
            "overlaps",
            str(samples / "bpjn_jambi_2025.zip"),
            str(samples / "dinas_pupr_provinsi_jambi_geotagging_2025.csv"),
            "--out",
            str(out),
        ]
    )
    printed = capsys.readouterr()
    assert code == 0, printed.err
    rows = read_csv(out)
    assert set(CSV_COLUMNS) <= set(rows[0])
    found = {(r["project_a"], r["project_b"], r["asset_type"]): r for r in rows}
    assert set(found) == {
        ("PJN1-2025-001", "1.03.10.2.01.0001", "road"),
        ("PJN1-2025-002", "1.03.10.2.01.0001", "road"),
        ("PJN1-2025-003", "1.03.10.2.03.0004", "bridge"),
    }
    seg1 = found[("PJN1-2025-001", "1.03.10.2.01.0001", "road")]
    seg2 = found[("PJN1-2025-002", "1.03.10.2.01.0001", "road")]
    # The chord's small overlaps, far below the 3,000 m / 1,000 m repeated along the road.
    assert float(seg1["overlap_m"]) == pytest.approx(310, abs=30)
    assert float(seg2["overlap_m"]) == pytest.approx(500, abs=30)
    assert (seg1["level_a"], seg1["level_b"], seg1["severity"]) == ("pusat", "provinsi", "medium")
    assert float(found[("PJN1-2025-003", "1.03.10.2.03.0004", "bridge")]["distance_m"]) < 50
    assert "3 findings among 7 projects" in printed.out
    assert "3 records given as start and end points joined by a straight line" in printed.out


def test_store_findings_are_saved_and_written_with_geometry(tmp_path, capsys):
    store_path = build_demo(tmp_path / "demo.gpkg")
    out = tmp_path / "temuan.gpkg"
    assert main(["overlaps", "--store", str(store_path), "--out", str(out)]) == 0
    layers = [pyogrio.read_dataframe(out, layer=name) for name, _ in pyogrio.list_layers(out)]
    written = pd.concat(layers)
    assert len(written) == 7 and written.crs.to_epsg() == 4326
    assert written.geometry.notna().all()
    saved = open_store(store_path).load_findings()
    assert sorted(saved["finding_id"]) == sorted(written["finding_id"])


def test_tolerance_options_reach_the_engine(tmp_path):
    store_path = build_demo(tmp_path / "demo.gpkg")
    out = tmp_path / "temuan.csv"
    assert (
        main(["overlaps", "--store", str(store_path), "--min-overlap-m", "1500", "--out", str(out)])
        == 0
    )
    roads = [r for r in read_csv(out) if r["asset_type"] == "road"]
    assert sorted(round(float(r["overlap_m"]), -2) for r in roads) == [2000, 3000]


def _overlaps_csv_of_hostile_copies(tmp_path, samples, **values: str):
    """``overlaps --out temuan.csv`` of the BPJN sample with ``values`` in every record, and a
    copy of each record (so every record overlaps); the CSV's path."""
    projects = read_projects(samples / "bpjn_jambi_2025.zip", level="pusat").projects
    hostile = projects.assign(**values)
    copy = hostile.copy()
    copy["project_id"] = copy["project_id"] + "-copy"
    both = tmp_path / "dua.gpkg"
    pyogrio.write_dataframe(gpd.GeoDataFrame(pd.concat([hostile, copy]), crs=4326), both)
    out = tmp_path / "temuan.csv"
    assert main(["overlaps", str(both), "--level", "pusat", "--out", str(out)]) == 0
    return out


def test_text_that_would_run_as_a_spreadsheet_formula_is_written_as_text(tmp_path, samples):
    out = _overlaps_csv_of_hostile_copies(
        tmp_path, samples, name='=HYPERLINK("http://x")', agency="@SUM(1)"
    )
    rows = read_csv(out)
    assert rows and all(r["name_a"].startswith("'=") and r["agency_a"] == "'@SUM(1)" for r in rows)


def test_no_cell_starts_a_formula_when_excel_splits_the_csv_on_semicolons(tmp_path, samples):
    """Excel in the Indonesian locale splits a CSV on ``;``: a field holding ``;=1+1`` must
    neither become a cell of its own nor start a formula if it ever does."""
    out = _overlaps_csv_of_hostile_copies(
        tmp_path, samples, name="Paket Jalan;=1+1;", agency="Balai;@SUM(1);-2+3"
    )
    rows = read_csv(out)
    assert rows and all(r["name_a"] == "Paket Jalan;'=1+1;" for r in rows)
    with out.open(encoding="utf-8", newline="") as file:
        header, *lines = list(csv.reader(file, delimiter=";"))
    cells = [cell for line in lines for cell in line]
    assert lines and not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    with out.open(encoding="utf-8", newline="") as file:  # a reader ignoring the quotes too
        naive = [cell.strip('"') for line in file for cell in line.split(";")]
    assert not [cell for cell in naive if cell.startswith(("=", "+", "-", "@"))]


def test_unknown_output_format_exits_2(tmp_path, capsys):
    code = main(
        ["overlaps", "--store", str(tmp_path / "s.gpkg"), "--out", str(tmp_path / "temuan.docx")]
    )
    assert code == 2
    assert "temuan.docx: write to .csv, .gpkg or .geojson" in capsys.readouterr().err


def test_the_ledger_totals_the_store_findings_per_kabupaten(tmp_path, capsys):
    store_path = build_demo(tmp_path / "demo.gpkg")
    out, ledger_path = tmp_path / "temuan.csv", tmp_path / "anggaran.csv"
    code = main(
        ["overlaps", "--store", str(store_path), "--out", str(out), "--ledger", str(ledger_path)]
    )
    assert code == 0
    findings = [r for r in read_csv(out) if r["kind"] in ("overlap", "repeat")]
    ledger = read_csv(ledger_path)
    total = ledger[0]
    assert (total["breakdown"], int(total["findings"])) == ("total", len(findings))
    rupiah = sum(float(r["budget_at_stake_idr"] or 0) for r in findings)
    assert float(total["at_stake_idr"]) == pytest.approx(rupiah)
    kabupaten = [r for r in ledger if r["breakdown"] == "kabupaten"]
    assert sum(float(r["at_stake_idr"]) for r in kabupaten) == pytest.approx(rupiah)
    assert {r["label"] for r in kabupaten} >= {"Kab. Rawa Contoh"}
    listed = sorted(i for r in kabupaten for i in r["finding_ids"].split("; "))
    assert listed == sorted(r["finding_id"] for r in findings)
    assert f"-> {ledger_path}" in capsys.readouterr().out


def test_a_stretch_funded_again_within_its_design_life_is_repeat_funding(tmp_path, capsys):
    stretch = "LINESTRING (103.60 -1.60, 103.62 -1.60)"
    rows = pd.DataFrame(
        {
            "kode": ["R-2021", "R-2024", "R-2030"],
            "nama_paket": ["Rehabilitasi Jalan Contoh"] * 3,
            "tahun": [2021, 2024, 2030],
            "pagu": ["2.000.000.000", "1.500.000.000", "1.000.000.000"],
            "sumber_dana": ["DAK", "APBD Kabupaten", "APBD Kabupaten"],
            "jenis_pekerjaan": ["Rehabilitasi", "Rehab. Mayor", "Rehabilitasi"],
            "wkt": [stretch] * 3,
        }
    )
    works = tmp_path / "paket.csv"
    rows.to_csv(works, index=False)
    out = tmp_path / "temuan.csv"
    options = ["--level", "kabupaten", "--agency", "Dinas PUPR Kab. Contoh", "--asset", "road"]
    assert main(["overlaps", str(works), *options, "--out", str(out)]) == 0
    found = read_csv(out)
    # 2021 -> 2024 within the 5 years of a rehabilitation; 2030 is past both.
    assert [(r["kind"], r["project_a"], r["project_b"]) for r in found] == [
        ("repeat", "R-2021", "R-2024")
    ]
    row = found[0]
    assert (row["years_a"], row["years_b"]) == ("2021", "2024")
    assert (row["funding_a"], row["funding_b"]) == ("DAK", "APBD Kabupaten")
    assert float(row["design_life_years"]) == 5
    assert "of which 1 repeat funding" in capsys.readouterr().out
