"""Benchmark: checking a new upload of 1,000 projects against a store of N (default 1M).

Run: ``python bench/bench_incremental.py [--stored N] [--new K] [--seed S] [--keep PATH]``.

The layer is :func:`bench.bench_overlap_speed.make_network_layer` with N + K features; the K
nearest the region's centre (one kabupaten's worth) are the new upload, the N others are
imported into a GeoPackage store in uploads of 10,000 (through ``GeoPackageStore``, R-tree and
all). Building a 1M store takes a few minutes; ``--keep PATH`` keeps it for the next run.

Timed in this process:

- ``overlaps_with_store`` (:mod:`geo.analyse.incremental`): the store's R-tree finds the stored
  projects within reach of the new ones, only those are read and measured. First call (the
  compiled road measure and pyproj loading) and a second call (the app's case: a warm server);
- the baseline: what a re-run gives, in a new process — read the whole store,
  ``find_overlaps`` over everything, keep the pairs with a new project — with its peak resident
  memory (this is also the national-scale overlap run, reading included).

Both must report the same pairs; the run fails otherwise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_overlap_speed import (  # noqa: E402
    CENTRE_DEG,
    _memory_gb,
    _peak_reset,
    _release_freed_memory,
    make_network_layer,
)
from geo.analyse.incremental import overlaps_with_store  # noqa: E402
from geo.analyse.overlap import find_overlaps  # noqa: E402
from geo.read.import_report import ImportReport  # noqa: E402
from geo.read.projects import ReadResult  # noqa: E402
from geo.settings import Settings  # noqa: E402
from geo.store import open_store  # noqa: E402

UPLOAD_ROWS = 10_000


def build_store(path: Path, stored, seed: int) -> None:
    """Import ``stored`` into a new store at ``path`` in uploads of :data:`UPLOAD_ROWS`."""
    store = open_store(path)
    for number, lo in enumerate(range(0, len(stored), UPLOAD_ROWS)):
        part = stored.iloc[lo : lo + UPLOAD_ROWS].copy()
        name = f"bench_{seed}_{number:04d}.gpkg"
        part["source_layer"], part["source_row"] = "paket", np.arange(len(part))
        report = ImportReport(name)
        for row, project_id in enumerate(part["project_id"]):
            report.add("paket", row, project_id, "stored")
        store.import_result(ReadResult(part, report, f"{seed}-{number}"))


def split_layer(n_stored: int, n_new: int, seed: int):
    """The layer of ``n_stored + n_new`` features, split into stored and new (nearest centre)."""
    layer = make_network_layer(n_stored + n_new, seed)
    centre = shapely.Point(CENTRE_DEG)
    nearest = np.argsort(shapely.distance(layer.geometry.values, centre))[:n_new]
    is_new = np.zeros(len(layer), dtype=bool)
    is_new[nearest] = True
    return layer.loc[~is_new].reset_index(drop=True), layer.loc[is_new].reset_index(drop=True)


def pair_set(findings: pd.DataFrame) -> set:
    return set(
        zip(findings["asset_type"], findings["project_a"], findings["project_b"], strict=True)
    )


def rerun_everything(store_path: Path, new_file: Path) -> dict:
    """The re-run, in this (new) process: read the store, find overlaps over everything.

    Peak memory is taken for the read and for ``find_overlaps`` apart: appending the new
    projects (a copy of the table, only this benchmark needs it) is left out of both.
    """
    new = gpd.read_parquet(new_file)
    _release_freed_memory()
    _peak_reset()
    started = time.perf_counter()
    everything = open_store(store_path).load_projects()
    read_s = time.perf_counter() - started
    read_gb = _memory_gb("VmHWM")
    both = pd.concat([everything, new], ignore_index=True)
    del everything
    _release_freed_memory()
    _peak_reset()
    started = time.perf_counter()
    full = find_overlaps(both)
    find_s = time.perf_counter() - started
    find_gb = _memory_gb("VmHWM")
    ids = set(new["project_id"])
    full = full[full["project_a"].isin(ids) | full["project_b"].isin(ids)]
    return {
        "read_s": read_s,
        "find_s": find_s,
        "read_gb": read_gb,
        "find_gb": find_gb,
        "pairs": sorted(map(list, pair_set(full))),
    }


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--rerun":
        print(json.dumps(rerun_everything(Path(sys.argv[2]), Path(sys.argv[3]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--new", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="store path to keep (and reuse) between runs")
    args = parser.parse_args()
    settings = Settings()

    started = time.perf_counter()
    stored, new = split_layer(args.stored, args.new, args.seed)
    print(
        f"layer: {len(stored):,} stored + {len(new):,} new ({time.perf_counter() - started:.0f} s)"
    )
    workdir = tempfile.TemporaryDirectory()
    path = args.keep or Path(workdir.name) / "store.gpkg"
    if not path.exists():
        started = time.perf_counter()
        build_store(path, stored, args.seed)
        print(f"store built: {path} ({time.perf_counter() - started:.0f} s)")
    del stored
    store = open_store(path)
    count = store.table_counts()["projects"]
    if count != args.stored:
        print(f"{path} holds {count:,} projects, not {args.stored:,}: remove it", file=sys.stderr)
        return 1

    times = []
    for _ in range(2):
        started = time.perf_counter()
        incremental = overlaps_with_store(new, store, settings=settings)
        times.append(time.perf_counter() - started)
    new_file = Path(workdir.name) / "new.parquet"
    new.to_parquet(new_file)
    rerun = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--rerun", str(path), str(new_file)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    same = rerun["pairs"] == sorted(map(list, pair_set(incremental)))

    baseline_s = rerun["read_s"] + rerun["find_s"]
    print()
    print(f"{'stored':>10} {'new':>6} {'findings':>9} {'first s':>8} {'again s':>8} "
          f"{'re-run s':>9} {'(read s':>8} {'find s)':>8} {'read GB':>8} {'find GB':>8} "
          f"{'re-run/again':>13}")  # fmt: skip
    print(
        f"{args.stored:>10,} {args.new:>6,} {len(incremental):>9,} {times[0]:>8.2f} "
        f"{times[1]:>8.2f} {baseline_s:>9.1f} {rerun['read_s']:>8.1f} {rerun['find_s']:>8.1f} "
        f"{rerun['read_gb']:>8.2f} {rerun['find_gb']:>8.2f} {baseline_s / times[1]:>12.0f}x"
    )
    print()
    print(
        "first: first check in a new process (loads the compiled road measure); again: the "
        "next check in the same process (a running app); re-run: in a new process, read the "
        "whole store and find overlaps over everything (read GB, find GB: peak resident memory of each step)"
    )
    print("same pairs as the re-run:", "yes" if same else "NO")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
