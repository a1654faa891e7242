"""The whole import report kept and read back; a re-import with other options is a new import."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from cli import main
from geo.errors import GeoInputError
from geo.read.projects import options_fingerprint, read_projects
from geo.store import open_store
from tests.io_fixtures import write_csv

#: Records in the test list, and how many of them carry a year that is not one.
N_RECORDS, N_BAD_YEAR = 260, 230


def paket_csv(path: Path) -> Path:
    """A bridge list of 260 records, 230 of them rejected for their year: more than the 200
    record lines the terminal shows."""
    rows = [["kode_paket", "nama_paket", "tahun", "pagu", "satker", "bujur", "lintang"]]
    for i in range(N_RECORDS):
        year = "2025" if i >= N_BAD_YEAR else "tahun lalu"
        rows.append(
            [
                f"P-{i:03d}",
                f"Jembatan {i}",
                year,
                "1.000.000,00",
                "BPJN Jambi",
                103.5 + i / 1e3,
                -1.6,
            ]
        )
    return write_csv(path, rows)


def test_every_line_of_the_report_is_stored_and_read_back(tmp_path, new_store):
    store = new_store()
    result = read_projects(paket_csv(tmp_path / "paket.csv"), level="pusat", asset_type="jembatan")
    outcome = store.import_result(result)
    report = store.upload_report(outcome.upload_id)
    assert report.counts == {"read": 260, "stored": 30, "repaired": 0, "rejected": 230}
    assert len(report.records) == 260
    assert report.notes == result.report.notes
    lines = report.lines_frame()
    assert len(lines) == len(report.notes) + 260
    assert (lines["outcome"] == "note").sum() == len(report.notes)
    assert lines.iloc[-1].to_dict() == {
        "layer": "paket.csv",
        "row": 261,  # the line in the file: the header is line 1
        "project_id": "P-259",
        "outcome": "stored",
        "reason": "",
    }
    with pytest.raises(GeoInputError, match=r"no upload 99; uploads are 1 \(python -m geo"):
        store.upload_report(99)


def test_cli_names_where_the_full_report_is_and_writes_it(tmp_path, capsys):
    store_path = tmp_path / "peta.gpkg"
    source = paket_csv(tmp_path / "paket.csv")
    code = main(
        ["import", str(source), "--level", "pusat", "--asset", "jembatan"]
        + [
            "--store",
            str(store_path),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    where = "python -m geo uploads --report 1 --out report.csv, or the Data page of the app"
    assert out.splitlines()[0] == "paket.csv: 260 read, 30 stored (0 repaired), 230 rejected"
    assert f"  ... 30 more records in the full report: {where}" in out.splitlines()
    assert f"  230 of 260 records rejected, each with its reason: {where}" in out.splitlines()
    assert "see the full report" not in out

    target = tmp_path / "report.csv"
    assert main(["uploads", "--report", "1", "--out", str(target), "--store", str(store_path)]) == 0
    written = pd.read_csv(target)
    notes = (written["outcome"] == "note").sum()
    assert len(written) == notes + 260
    assert (written["outcome"] == "rejected").sum() == 230
    assert set(written["source_file"]) == {"paket.csv"}

    assert main(["uploads", "--report", "1", "--store", str(store_path)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("  rejected: paket.csv row") for line in printed) == 230

    assert main(["uploads", "--report", "5", "--store", str(store_path)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{store_path}: no upload 5; uploads are 1 (python -m geo uploads lists them)"
    )


def test_analysis_of_files_writes_their_full_report_on_request(tmp_path, capsys):
    source = paket_csv(tmp_path / "paket.csv")
    target = tmp_path / "laporan.csv"
    code = main(
        ["overlaps", str(source), "--level", "pusat", "--asset", "jembatan"]
        + ["--out", str(tmp_path / "f.csv"), "--report-out", str(target)]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "  ... 230 more records in the full report: pass --report-out report.csv" in out
    written = pd.read_csv(target)
    assert (written["outcome"] == "rejected").sum() == 230


def test_a_mapping_the_synonyms_would_find_anyway_is_the_same_import(tmp_path, new_store):
    store = new_store()
    source = paket_csv(tmp_path / "paket.csv")
    first = store.import_result(read_projects(source, level="pusat", asset_type="jembatan"))
    wizard = read_projects(
        source,
        level="pusat",
        asset_type="jembatan",
        mapping={"project_id": "kode_paket", "name": "nama_paket", "year": "tahun"},
    )
    assert store.import_result(wizard).already_imported
    other = read_projects(
        source, level="pusat", asset_type="jembatan", mapping={"name": "kode_paket"}
    )
    assert store.import_result(other).replaced == (first.upload_id,)


def test_same_bytes_other_options_replace_the_earlier_upload(tmp_path, new_store):
    store = new_store()
    source = paket_csv(tmp_path / "paket.csv")
    first = store.import_result(read_projects(source, level="pusat", asset_type="jembatan"))
    again = store.import_result(read_projects(source, level="pusat", asset_type="jembatan"))
    assert (again.upload_id, again.already_imported) == (first.upload_id, True)

    corrected = store.import_result(
        read_projects(source, level="provinsi", asset_type="jembatan", agency="Dinas PUPR Prov")
    )
    assert not corrected.already_imported
    assert corrected.options_changed
    assert corrected.replaced == (first.upload_id,)
    uploads = store.list_uploads()
    assert uploads["id"].tolist() == [corrected.upload_id]
    projects = store.load_projects()
    assert len(projects) == 30
    assert set(projects["level"]) == {"provinsi"}
    assert set(projects["agency"]) == {"Dinas PUPR Prov"}

    same = store.import_result(
        read_projects(source, level="provinsi", asset_type="jembatan", agency="Dinas PUPR Prov")
    )
    assert (same.upload_id, same.already_imported, same.replaced) == (
        corrected.upload_id,
        True,
        (),
    )


@pytest.mark.parametrize(
    "options",
    [
        {"level": "kabupaten"},
        {"agency": "BPJN Jambi II"},
        {"asset_type": "jalan"},
        {"mapping": {"name": "kode_paket"}},
        {"crs": "4326"},
    ],
)
def test_each_reader_option_changes_the_fingerprint(options):
    from geo.read.crs_detect import parse_crs_option

    if "crs" in options:
        options = {"crs": parse_crs_option(options["crs"], "x").to_string()}
    assert options_fingerprint(**options) != options_fingerprint()
    assert options_fingerprint(**options) == options_fingerprint(**options)


def test_cli_says_a_corrected_reimport_replaces_the_upload(tmp_path, capsys):
    store_path = tmp_path / "peta.gpkg"
    source = paket_csv(tmp_path / "paket.csv")
    base = ["import", str(source), "--asset", "jembatan", "--store", str(store_path)]
    assert main([*base, "--level", "pusat"]) == 0
    capsys.readouterr()
    assert main([*base, "--level", "provinsi"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        "  the same file was imported before as upload(s) 1 with other options (--map, "
        "--level, --agency, --asset, --crs): this import replaces it"
    ) in out
    assert f"  saved as upload 2 in {store_path}, replacing upload(s) 1" in out
    assert main([*base, "--level", "provinsi"]) == 0
    assert (
        "  already imported as upload 2: nothing changed (the same file with the same options; "
        "use --replace to import it again)"
    ) in capsys.readouterr().out.splitlines()


def test_a_store_made_before_options_were_kept_keeps_working(tmp_path):
    store_path = tmp_path / "lama.gpkg"
    source = paket_csv(tmp_path / "paket.csv")
    store = open_store(store_path)
    first = store.import_result(read_projects(source, level="pusat", asset_type="jembatan"))
    with sqlite3.connect(store_path) as conn:  # as a store made by the previous version
        conn.execute("UPDATE uploads SET options_sha256 = NULL")
        conn.execute("ALTER TABLE uploads DROP COLUMN options_sha256")
    store = open_store(store_path)
    assert store.list_uploads()["id"].tolist() == [first.upload_id]
    assert len(store.upload_report(first.upload_id).records) == 260
    # An old upload's options are unknown: the same bytes are a new import that replaces it
    # (never a corrected re-import ignored), then re-imports are recognised again.
    outcome = store.import_result(read_projects(source, level="pusat", asset_type="jembatan"))
    assert (outcome.options_changed, outcome.replaced) == (True, (first.upload_id,))
    again = store.import_result(read_projects(source, level="pusat", asset_type="jembatan"))
    assert (again.upload_id, again.already_imported) == (outcome.upload_id, True)
