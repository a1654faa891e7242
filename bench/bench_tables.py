"""Time of the findings tables written for people (every cell text in the app's language) vs
the same rows with the numbers left as numbers (the browser formatting them).

    python bench/bench_tables.py [N ...]

N findings (default 2,000: the most a findings page sends, ``ui.findings.TABLE_MAX_ROWS``);
prints seconds per table and the ratio to the baseline measured in the same run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from layers.map_labels import finding_numbers  # noqa: E402
from layers.tables import overlap_table  # noqa: E402


def findings(n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` overlap findings with the columns of :func:`geo.analyse.overlap.find_overlaps`."""
    rng = np.random.default_rng(seed)
    road = rng.random(n) < 0.7
    return pd.DataFrame(
        {
            "finding_id": [f"TT-{i:06d}" for i in range(n)],
            "kind": "overlap",
            "asset_type": np.where(road, "road", "irrigation"),
            "relation": rng.choice(["cross_level", "same_level", "same_agency"], n),
            "severity": rng.choice(["high", "medium", "low"], n),
            "name_a": [f"Preservasi Jalan Ruas {i} Seg. 2 STA 10+343 s/d 13+343" for i in range(n)],
            "name_b": [f"Rehabilitasi Jalan Ruas {i} STA 12+000 s/d 14+000" for i in range(n)],
            "level_a": "pusat",
            "level_b": rng.choice(["provinsi", "kabupaten"], n),
            "agency_a": "BPJN Wilayah Contoh",
            "agency_b": "Dinas PUPR Provinsi Contoh",
            "overlap_m": np.where(road, rng.uniform(50, 9000, n), np.nan),
            "overlap_ha": np.where(road, np.nan, rng.uniform(1, 300, n)),
            "distance_m": np.nan,
            "share_a": rng.random(n),
            "share_b": rng.random(n),
            "budget_at_stake_idr": rng.uniform(1e8, 5e10, n),
        }
    )


def baseline(overlaps: pd.DataFrame) -> pd.DataFrame:
    """The same columns with numbers as numbers: what the browser would format."""
    return pd.DataFrame(
        {
            "project_a": overlaps["name_a"] + " (" + overlaps["agency_a"] + ")",
            "project_b": overlaps["name_b"] + " (" + overlaps["agency_b"] + ")",
            "overlap_km": overlaps["overlap_m"] / 1000,
            "overlap_ha": overlaps["overlap_ha"],
            "share_a": overlaps["share_a"] * 100,
            "share_b": overlaps["share_b"] * 100,
            "budget": overlaps["budget_at_stake_idr"],
            "severity": overlaps["severity"],
            "finding": overlaps["finding_id"],
        }
    )


def best_of(function, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main(sizes: list[int]) -> None:
    print(f"{'findings':>9} {'id table s':>11} {'en table s':>11} {'baseline s':>11} {'ratio':>6}")
    for n in sizes:
        overlaps = findings(n)
        numbers = finding_numbers(overlaps)
        id_s = best_of(lambda o=overlaps, m=numbers: overlap_table(o, lang="id", numbers=m))
        en_s = best_of(lambda o=overlaps, m=numbers: overlap_table(o, lang="en", numbers=m))
        base_s = best_of(lambda o=overlaps: baseline(o))
        print(f"{n:>9} {id_s:>11.3f} {en_s:>11.3f} {base_s:>11.4f} {id_s / base_s:>6.0f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2000])
