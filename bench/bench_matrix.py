"""The rakor synchronisation matrix of a large store (issue 18): time and peak memory.

Builds, from ``--seed``: ``--works`` road works of the three levels located on ``--ruas`` ruas
(each 0.2-5 km long, starting anywhere on the first 20 km of its ruas, budget years 2023-2027,
a third of them over two years), as :attr:`geo.analyse.run.Analysis.locations` holds them, and
builds the matrix (:func:`geo.analyse.matrix.build_matrix`) of all of it. Prints its rows,
works by year, conflicts, the time and the process's peak memory, beside a baseline measured in the same
run: one pandas pass over the same intervals (sorted and grouped by ruas: the least any matrix
costs). ``--xlsx`` also writes the workbook of the first ``--xlsx`` rows.

Usage: ``python bench/bench_matrix.py [--works 50000] [--ruas 5000] [--seed 1] [--xlsx 0]``
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import Point

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.analyse.matrix import Matrix, build_matrix  # noqa: E402
from geo.analyse.run import Analysis  # noqa: E402


def synthetic(n_works: int, n_ruas: int, seed: int) -> Analysis:
    """An analysis of ``n_works`` road works located on ``n_ruas`` ruas."""
    rng = np.random.default_rng(seed)
    levels = rng.choice(["pusat", "provinsi", "kabupaten"], n_works)
    start = rng.integers(2023, 2028, n_works)
    projects = gpd.GeoDataFrame(
        {
            "project_id": [f"W-{k}" for k in range(n_works)],
            "name": "Pekerjaan jalan",
            "level": levels,
            "agency": [f"Dinas {level}" for level in levels],
            "asset_type": "road",
            "work_type": rng.choice(["pemeliharaan", "rehabilitasi", "peningkatan"], n_works),
            "year_start": start,
            "year_end": start + (rng.random(n_works) < 1 / 3),
            "budget_idr": rng.integers(1, 50, n_works) * 1e8,
            "funding_source": "APBN",
            "status": rng.choice(["usulan", "kontrak", "berjalan", "selesai"], n_works),
        },
        geometry=[Point(103.6, -1.6)] * n_works,
        crs=4326,
    )
    lo = rng.uniform(0, 20_000, n_works)
    locations = pd.DataFrame(
        {
            "agency": projects["agency"],
            "project_id": projects["project_id"],
            "ruas_id": [f"R-{k:05d}" for k in rng.integers(0, n_ruas, n_works)],
            "ruas_name": "",
            "from_m": lo,
            "to_m": lo + rng.uniform(200, 5_000, n_works),
            "offset_mean_m": 1.0,
            "offset_max_m": 2.0,
            "matched_share": 1.0,
        }
    )
    return Analysis(
        projects=projects,
        overlaps=gpd.GeoDataFrame(),
        mismatches=pd.DataFrame(),
        locations=locations,
    )


def measured(make):
    """``make()``, its seconds and the process's peak resident memory so far (MB)."""
    started = time.perf_counter()
    result = make()
    seconds = time.perf_counter() - started
    return result, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=50_000)
    parser.add_argument("--ruas", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--xlsx", type=int, default=0, help="rows of the workbook written")
    args = parser.parse_args()
    analysis = synthetic(args.works, args.ruas, args.seed)
    located = analysis.locations
    assert located is not None

    def baseline() -> pd.DataFrame:
        ordered = located.sort_values(["ruas_id", "from_m"])
        return ordered.groupby("ruas_id").agg(first=("from_m", "min"), last=("to_m", "max"))

    _, base_s, base_mb = measured(baseline)
    matrix, seconds, peak_mb = measured(lambda: build_matrix(analysis))
    print(f"{args.works:,} works on {args.ruas:,} ruas (seed {args.seed})")
    print(
        f"matrix: {len(matrix.rows):,} rows, {len(matrix.works):,} works by year, "
        f"{int(matrix.rows['conflict'].sum()):,} conflicts"
    )
    print(f"{'':22}{'seconds':>10}{'peak RSS MB':>12}")
    print(f"{'baseline (one pass)':22}{base_s:10.2f}{base_mb:12.0f}")
    print(f"{'build_matrix':22}{seconds:10.2f}{peak_mb:12.0f}")
    print(f"ratio {seconds / max(base_s, 1e-9):.0f}x")
    if args.xlsx:
        from layers.matrix_export import matrix_xlsx

        rows = matrix.rows.iloc[: args.xlsx]
        part = Matrix(
            rows=rows, works=matrix.works[matrix.works["row_id"].isin(set(rows["row_id"]))]
        )
        data, xlsx_s, _ = measured(lambda: matrix_xlsx(part))
        print(f"workbook of {len(rows):,} rows: {xlsx_s:.2f} s, {len(data) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
