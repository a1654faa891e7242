"""The command line contract: reports on success, ``FILE: reason`` and exit 2 on bad input."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pyproj
import pytest
from shapely.geometry import LineString

from cli import main
from geo.read.projects import read_projects
from geo.store import open_store
from geo.store.postgis import PostGISStore

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def test_import_prints_the_report_and_exits_0(samples, store_path):
    done = run_cli(
        "import",
        str(samples / "bpjn_jambi_2025.zip"),
        "--level",
        "pusat",
        "--store",
        str(store_path),
    )
    assert done.returncode == 0, done.stderr
    assert "bpjn_jambi_2025.zip: 3 read, 3 stored (1 repaired), 0 rejected" in done.stdout
    assert "stored as its midpoint" in done.stdout
    assert f"saved as upload 1 in {store_path}" in done.stdout
    again = run_cli(
        "import",
        str(samples / "bpjn_jambi_2025.zip"),
        "--level",
        "pusat",
        "--store",
        str(store_path),
    )
    assert "already imported as upload 1: nothing changed" in again.stdout


def test_bad_file_exits_2_with_file_reason_lines_and_no_traceback(tmp_path, samples, store_path):
    garbage = tmp_path / "rusak.gpkg"
    garbage.write_bytes(b"this is not a geopackage")
    unknown = tmp_path / "paket.docx"
    unknown.write_bytes(b"PK")
    done = run_cli(
        "import",
        str(samples / "bpjn_jambi_2025.zip"),
        str(garbage),
        str(unknown),
        "--level",
        "pusat",
        "--store",
        str(store_path),
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("rusak.gpkg: cannot be read")
    assert lines[1].startswith("paket.docx: .docx is not a supported format")
    # All-or-nothing across the command: the good file was not imported either.
    assert not store_path.exists() or len(open_store(store_path).load_projects()) == 0


def test_missing_mapping_names_the_fix(samples, store_path, capsys):
    code = main(
        [
            "import",
            str(samples / "dinas_pupr_kab_muaro_jambi_2025.xlsx"),
            "--store",
            str(store_path),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    # The level comes from "Sumber Dana" (DAK / APBD Kabupaten) per record; the agency cannot.
    assert err.splitlines() == [
        "dinas_pupr_kab_muaro_jambi_2025.xlsx: no column for agency; pass --agency VALUE or "
        "--map agency=COLUMN"
    ]


def test_map_option_must_be_field_equals_column(samples, store_path, capsys):
    code = main(
        [
            "import",
            str(samples / "bpjn_jambi_2025.zip"),
            "--map",
            "name",
            "--store",
            str(store_path),
        ]
    )
    assert code == 2
    assert "--map name: write FIELD=COLUMN" in capsys.readouterr().err


def test_map_and_crs_options_reach_the_reader(tmp_path, store_path, capsys):
    # A shapefile in UTM 48S without .prj and with a column no synonym matches.
    layer = gpd.GeoDataFrame(
        {"KODE": ["R-1"], "JUDUL": ["Peningkatan Jalan Contoh"], "TAHUN": [2025]},
        geometry=[LineString([(400000, 9820000), (401000, 9820500)])],
        crs=32748,
    )
    shp = tmp_path / "ruas.shp"
    pyogrio.write_dataframe(layer, shp)
    shp.with_suffix(".prj").unlink()
    code = main(
        [
            "import",
            str(shp),
            "--level",
            "kabupaten",
            "--agency",
            "Dinas PUPR Kab. X",
            "--map",
            "name=JUDUL",
            "--crs",
            "32748",
            "--store",
            str(store_path),
        ]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    stored = open_store(store_path).load_projects()
    assert stored.loc[0, "name"] == "Peningkatan Jalan Contoh"
    expected = pyproj.Transformer.from_crs(32748, 4326, always_xy=True).transform(400000, 9820000)
    assert stored.geometry.iloc[0].coords[0] == pytest.approx(expected, abs=1e-9)


def twenty_agency_files(folder: Path) -> list[Path]:
    """20 GeoJSON files of 25 roads each, one per kabupaten agency."""
    files = []
    for i in range(20):
        layer = gpd.GeoDataFrame(
            {
                "kode_paket": [f"K{i:02d}-{j:03d}" for j in range(25)],
                "nama_paket": [f"Pemeliharaan Jalan Ruas {i}-{j}" for j in range(25)],
                "tahun": [2025] * 25,
                "pagu": ["1.250.000.000,00"] * 25,
            },
            geometry=[
                LineString(
                    [(103.0 + i * 0.01, -1.5 - j * 0.001), (103.005 + i * 0.01, -1.5 - j * 0.001)]
                )
                for j in range(25)
            ],
            crs=4326,
        )
        path = folder / f"kab_{i:02d}.geojson"
        layer.to_file(path, driver="GeoJSON")
        files.append(path)
    return files


def import_concurrently(files: list[Path], *store_args: str, env: dict | None = None) -> None:
    """``python -m geo import`` of every file at once, one process each; all must succeed."""
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "geo",
                "import",
                str(f),
                "--level",
                "kabupaten",
                "--agency",
                f"Dinas PUPR Kab. {i:02d}",
                *store_args,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i, f in enumerate(files)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0] * len(files), [e for _, e in outputs]


def assert_twenty_uploads_landed(store) -> None:
    projects = store.load_projects()
    assert len(projects) == 500
    assert projects.groupby("agency").size().eq(25).all()
    assert len(store.list_uploads()) == 20
    reports = [store.upload_report(int(i)) for i in store.list_uploads()["id"]]
    assert all(
        r.counts == {"read": 25, "stored": 25, "repaired": 0, "rejected": 0} for r in reports
    )


@pytest.mark.slow
def test_20_concurrent_imports_lose_nothing(tmp_path, store_path):
    files = twenty_agency_files(tmp_path)
    open_store(store_path)  # created up front, as the app does; creation is locked too
    import_concurrently(files, "--store", str(store_path))
    store = open_store(store_path)
    assert_twenty_uploads_landed(store)
    assert pyogrio.read_info(store_path, layer="projects")["features"] == 500
    with sqlite3.connect(store_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM rtree_projects_geom").fetchone() == (500,)


@pytest.mark.slow
def test_20_concurrent_imports_into_postgis_lose_nothing(tmp_path, postgis_cluster):
    files = twenty_agency_files(tmp_path)
    url = postgis_cluster.new_database()
    import_concurrently(files, env={**os.environ, "DATABASE_URL": url})
    store = PostGISStore(url)
    assert_twenty_uploads_landed(store)
    store.close()


def test_hostile_zip_is_refused_before_extraction_through_the_cli(tmp_path, store_path, capsys):
    bomb = tmp_path / "paket_bom.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ruas.shp", b"\0" * 50_000_000)  # 50 MB of zeros: ~50 KB deflated
        archive.writestr("../../etc/cron.d/x", b"* * * * * root true")
    code = main(["import", str(bomb), "--level", "pusat", "--store", str(store_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "paket_bom.zip: entry 'ruas.shp' expands" in err
    assert "paket_bom.zip: entry '../../etc/cron.d/x' points outside the zip" in err
    assert not (tmp_path / "etc").exists()


def test_upload_size_cap_comes_from_settings(tmp_path, samples, store_path, capsys, monkeypatch):
    monkeypatch.setenv("PETA_MAX_UPLOAD_MB", "0.001")
    code = main(
        [
            "import",
            str(samples / "bpjn_jambi_2025.zip"),
            "--level",
            "pusat",
            "--store",
            str(store_path),
        ]
    )
    assert code == 2
    assert "bpjn_jambi_2025.zip: " in capsys.readouterr().err
    assert not store_path.exists()


def test_an_uploaded_geopackage_is_opened_read_only(tmp_path, samples):
    source = read_projects(samples / "bpjn_jambi_2025.zip", level="pusat").projects
    upload = tmp_path / "unggahan.gpkg"
    pyogrio.write_dataframe(source, upload, driver="GPKG")
    with sqlite3.connect(upload) as conn:
        conn.execute("PRAGMA journal_mode=WAL")  # the worst case: readers may write -shm files
    before = upload.read_bytes()
    assert read_projects(upload, level="pusat").report.counts["stored"] == 3
    assert upload.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["unggahan.gpkg"]


def test_an_unreachable_database_exits_2_naming_database_url(monkeypatch, capsys):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("DATABASE_URL", f"postgresql://peta:rahasia@127.0.0.1:{port}/peta")
    assert main(["uploads"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"postgresql+psycopg://peta:***@127.0.0.1:{port}/peta: the database ")
    assert "DATABASE_URL" in err and "rahasia" not in err


# --- a failed import never destroys what is stored --------------------------------------------


def test_a_reference_import_that_rejects_every_record_exits_2_and_keeps_the_stored_layer(
    samples, store_path, tmp_path
):
    network = samples / "jaringan_jalan_jambi.gpkg"
    stored = run_cli("reference", "roads", str(network), "--store", str(store_path))
    assert stored.returncode == 0, stored.stderr
    before = open_store(store_path).load_reference("roads")
    bad = pyogrio.read_dataframe(network)
    bad["STATUS"] = "jalan setapak"  # no road status at all: every record rejected
    pyogrio.write_dataframe(bad, tmp_path / "jalan_salah.gpkg", driver="GPKG")
    done = run_cli(
        "reference", "roads", str(tmp_path / "jalan_salah.gpkg"), "--store", str(store_path)
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "'jalan setapak' is not a road status" in done.stdout, "the report says why"
    assert "the roads reference layer in" in done.stderr and "is unchanged" in done.stderr
    assert "Traceback" not in done.stderr
    after = open_store(store_path).load_reference("roads")
    assert after.drop(columns="geometry").equals(before.drop(columns="geometry"))
    assert after.geometry.geom_equals_exact(before.geometry, 0).all()


def test_a_projects_import_that_rejects_every_record_exits_2_and_changes_nothing(
    samples, store_path, tmp_path
):
    projects = read_projects(samples / "bpjn_jambi_2025.zip", level="pusat").projects
    file = tmp_path / "paket_bpjn.gpkg"
    pyogrio.write_dataframe(projects.drop(columns=["level"]), file, driver="GPKG")
    first = run_cli("import", str(file), "--level", "pusat", "--store", str(store_path))
    assert first.returncode == 0, first.stderr
    counts = open_store(store_path).table_counts()
    # A new version of the same file with no usable geometry: every record is rejected, and
    # even with --replace the upload it would replace stays.
    empty = gpd.GeoDataFrame(projects.drop(columns=["level"]), geometry=[None] * 3, crs=4326)
    pyogrio.write_dataframe(empty, file, driver="GPKG")
    for extra in ([], ["--replace"]):
        done = run_cli("import", str(file), "--level", "pusat", "--store", str(store_path), *extra)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "rejected" in done.stdout, "the report says why"
        assert "paket_bpjn.gpkg: nothing stored — every one of its 3 records was rejected" in (
            done.stderr
        )
        assert "Traceback" not in done.stderr
        assert open_store(store_path).table_counts() == counts


def test_output_cut_short_by_its_reader_is_no_internal_error(store_path, tmp_path):
    # A report longer than a pipe holds (64 KiB), so the writer meets the closed pipe.
    many = gpd.GeoDataFrame(
        {
            "kode": [f"PKT-{i:05d}" for i in range(3000)],
            "nama": [f"Pemeliharaan Jalan Ruas {i}" for i in range(3000)],
            "tahun": 2025,
        },
        geometry=[
            LineString([(103.5 + i * 1e-4, -1.6), (103.5 + i * 1e-4, -1.59)]) for i in range(3000)
        ],
        crs=4326,
    )
    pyogrio.write_dataframe(many, tmp_path / "paket.gpkg", driver="GPKG")
    imported = run_cli("import", str(tmp_path / "paket.gpkg"), "--level", "kabupaten",
                       "--agency", "Dinas PUPR Kab. X", "--store", str(store_path))  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    # The reader reads one line and goes away, as `| head -1` does.
    with subprocess.Popen(
        [sys.executable, "-m", "geo", "uploads", "--report", "1", "--store", str(store_path)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ,
    ) as reader:  # fmt: skip
        reader.stdout.readline()
        reader.stdout.close()
        stderr = reader.stderr.read().decode()
        code = reader.wait(timeout=120)
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    assert "BrokenPipe" not in stderr, stderr
    assert code == 141


# --- locate ---------------------------------------------------------------------------------


def test_locate_writes_each_road_project_as_ruas_and_chainage(samples, store_path, tmp_path):
    import pandas as pd

    out = tmp_path / "located.csv"
    network = samples / "jaringan_jalan_jambi.gpkg"
    done = run_cli(
        "locate",
        str(samples / "bpjn_jambi_2025.zip"),
        "--level",
        "pusat",
        "--roads",
        str(network),
        "--out",
        str(out),
        "--store",
        str(store_path),
    )
    assert done.returncode == 0, done.stderr
    assert "2 of 2 road projects located on the network" in done.stdout
    located = pd.read_csv(out)
    assert list(located.columns) == [
        "project_id",
        "agency",
        "ruas_id",
        "ruas_name",
        "from_m",
        "to_m",
        "offset_mean_m",
        "offset_max_m",
        "matched_share",
        "method",
        "shift_m",
    ]
    assert located[["project_id", "ruas_id", "from_m", "to_m", "method"]].values.tolist() == [
        ["PJN1-2025-001", "N-001", 0.0, 8000.0, "line match"],
        ["PJN1-2025-002", "N-001", 8000.0, 18000.0, "line match"],
    ]


def test_locate_without_a_network_says_how_to_give_one(samples, store_path, tmp_path):
    done = run_cli(
        "locate",
        str(samples / "bpjn_jambi_2025.zip"),
        "--level",
        "pusat",
        "--out",
        str(tmp_path / "located.csv"),
        "--store",
        str(store_path),
    )
    assert done.returncode == 2
    assert "pass --roads NETWORK" in done.stderr and "Traceback" not in done.stderr


def test_overlaps_with_a_network_give_ruas_and_sta_for_each_road_finding(
    samples, store_path, tmp_path
):
    import pandas as pd

    out = tmp_path / "findings.csv"
    done = run_cli(
        "overlaps",
        str(samples / "bpjn_jambi_2025.zip"),
        "--level",
        "pusat",
        "--roads",
        str(samples / "jaringan_jalan_jambi.gpkg"),
        "--out",
        str(out),
        "--store",
        str(store_path),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("jaringan_jalan_jambi.gpkg") == 1, "the network is read once"
    found = pd.read_csv(out)
    assert {"method", "ruas_id", "sta_from_m", "sta_to_m"} <= set(found.columns)
