"""``authority`` and ``gaps`` through the CLI, on the demo store and on files."""

from __future__ import annotations

import csv

import pyogrio
import pytest

from cli import main
from geo.demo.build import build_demo
from geo.demo.region import make_demo_region


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg")


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_authority_on_the_demo_store_finds_the_documented_mismatches(demo_store, tmp_path):
    out = tmp_path / "kewenangan.csv"
    assert main(["authority", "--store", str(demo_store), "--out", str(out)]) == 0
    rows = read_csv(out)
    assert {"project_id", "rule", "reference_id", "share", "level", "expected_level"} <= set(
        rows[0]
    )
    expected = make_demo_region().expected_findings
    for kind, verdict in (("authority", "mismatch"), ("exception", "exception")):
        wanted = {pid for f in expected if f.kind == kind for pid in f.project_ids}
        assert {r["project_id"] for r in rows if r["verdict"] == verdict} == wanted


def test_authority_without_any_reference_names_the_fix(tmp_path, capsys):
    code = main(
        ["authority", "--store", str(tmp_path / "kosong.gpkg"), "--out", str(tmp_path / "x.csv")]
    )
    assert code == 2
    assert "pass --roads NETWORK and/or --irrigation DI_FILE" in capsys.readouterr().err


def test_gaps_per_unit_to_csv_and_geopackage(demo_store, tmp_path):
    out = tmp_path / "kesenjangan.csv"
    assert (
        main(["gaps", "--store", str(demo_store), "--years", "2024-2026", "--out", str(out)]) == 0
    )
    rows = {r["unit_id"]: r for r in read_csv(out)}
    assert len(rows) == 12
    assert {
        "unit_name",
        "network_km",
        "covered_km",
        "covered_share",
        "projects",
        "budget_idr",
    } <= set(rows["99.01"])
    assert int(rows["99.10"]["projects"]) == 0  # G1: a kabupaten with no project
    assert all(0.0 <= float(r["covered_share"]) <= 1.0 for r in rows.values())

    gpkg = tmp_path / "kesenjangan.gpkg"
    assert main(["gaps", "--store", str(demo_store), "--out", str(gpkg), "--hex-km", "10"]) == 0
    layers = {name for name, _ in pyogrio.list_layers(gpkg)}
    assert layers == {"units", "uncovered_segments", "cells"}
    segments = pyogrio.read_dataframe(gpkg, layer="uncovered_segments")
    assert {"K-10-001", "K-10-002"} <= set(segments["road_id"])  # G2, rusak berat


def test_gaps_rejects_a_bad_year_range(demo_store, tmp_path, capsys):
    code = main(
        [
            "gaps",
            "--store",
            str(demo_store),
            "--years",
            "2026-2021",
            "--out",
            str(tmp_path / "x.csv"),
        ]
    )
    assert code == 2
    assert "--years 2026-2021" in capsys.readouterr().err
