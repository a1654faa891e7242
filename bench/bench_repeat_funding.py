"""Benchmark: what finding repeat funding (pendanaan berulang) costs ``find_overlaps``, and what
totalling the budget at stake (the ledger) costs on top.

Run: ``python bench/bench_repeat_funding.py [N ...]`` (default ``10000 100000``).

For each N, in fresh child processes on the synthetic layer of ``bench_overlap_speed.py``
(roads are rehabilitasi, other works peningkatan; budget years 2023 to 2026), ``find_overlaps``
runs with the default design lives (pemeliharaan berkala 3, rehabilitasi 5, peningkatan and
rekonstruksi 10 years) and, as the baseline in the same run, with every design life 0: the
engine as it was before repeat funding (only pairs whose year ranges intersect). Printed: time
of the call, peak resident memory while it runs (the input layer included), findings by kind,
and the time of :func:`geo.analyse.ledger.budget_ledger` of the findings without units (with
kabupaten/kota units it also intersects each finding with its units once).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_overlap_speed import (  # noqa: E402
    _memory_gb,
    _peak_reset,
    _release_freed_memory,
    make_network_layer,
)

#: Every design life 0: repeat funding off, the engine before it.
NO_DESIGN_LIFE = {
    "design_life_pemeliharaan_berkala_years": 0,
    "design_life_rehabilitasi_years": 0,
    "design_life_peningkatan_years": 0,
    "design_life_rekonstruksi_years": 0,
}


def _child(task: str, n: int, seed: int) -> dict:
    from geo.analyse.ledger import budget_ledger
    from geo.analyse.overlap import find_overlaps
    from geo.settings import Settings

    settings = Settings() if task == "repeat" else Settings(**NO_DESIGN_LIFE)
    projects = make_network_layer(n, seed)
    find_overlaps(projects.head(200), settings=settings)  # compiled loops loaded, not timed
    _release_freed_memory()
    exact = _peak_reset()
    start = time.perf_counter()
    findings = find_overlaps(projects, settings=settings)
    seconds = time.perf_counter() - start
    peak_gb = _memory_gb("VmHWM")
    start = time.perf_counter()
    ledger = budget_ledger(findings)
    ledger_s = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_gb": peak_gb,
        "exact_peak": exact,
        "kinds": {str(k): int(v) for k, v in findings["kind"].value_counts().items()},
        "ledger_s": ledger_s,
        "at_stake_idr": float(ledger.iloc[0]["at_stake_idr"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", choices=["repeat", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, args.sizes[0], args.seed)))
        return 0
    print("| N | run | find_overlaps s | peak GB | overlap | repeat | other | ledger s |")
    print("|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        for task in ("baseline", "repeat"):
            command = [sys.executable, __file__, "--child", task, "--seed", str(args.seed), str(n)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"| {n:,} | {task} | failed: {done.stderr.strip().splitlines()[-1:]} |")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            kinds = r["kinds"]
            other = sum(v for k, v in kinds.items() if k not in ("overlap", "repeat"))
            label = "design lives 0 (baseline)" if task == "baseline" else "default design lives"
            peak = f"{r['peak_gb']:.2f}" + ("" if r["exact_peak"] else " (lifetime)")
            print(
                f"| {n:,} | {label} | {r['seconds']:.2f} | {peak} | {kinds.get('overlap', 0):,} "
                f"| {kinds.get('repeat', 0):,} | {other:,} | {r['ledger_s']:.2f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
