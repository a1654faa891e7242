"""Road overlaps on a labelled dense city network: the network method against geometry alone.

A made-up city block (UTM zone 48S, around Jakarta) holds what fools geometry: an elevated toll
road drawn 5 m beside the arterial it runs above ("Jalan Tol Layang ..."), a divided road whose
two carriageways are drawn 22 m apart, a frontage (service) road 15 m beside the arterial, and
a grid of local streets crossing them. Works are drawn on it as agencies draw them:

- **duplicates** (true overlaps): one stretch drawn by two levels of government, the second
  with 3-5 m noise, or shifted sideways by a systematic 20-40 m (another basemap), or only
  partly the same stretch (the true shared length known), or in two parts with a gap;
- **neighbours** (not overlaps): a work on the elevated road and one on the arterial below it,
  one on each carriageway of the divided road, one on the frontage road and one on the
  arterial beside it, each pair over the same stretch.

Both engines (:func:`geo.analyse.overlap.find_overlaps` without and with the network) are
scored in the same run: precision, recall and F1 over the labelled pairs, per case, the
median error of the shared length on the duplicates found, and the seconds each took.

Usage: ``python bench/bench_network_quality.py [--per-case 40] [--seed 7]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import LineString, MultiLineString
from shapely.ops import substring

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from geo.analyse.overlap import find_overlaps  # noqa: E402
from geo.spatial.network import RoadNetwork  # noqa: E402
from tests.geometries import redigitised  # noqa: E402

ZONE = 32748  # UTM 48S
ORIGIN = (700_000.0, 9_310_000.0)  # near Jakarta, metres
LENGTH_M = 6_000.0
#: Sideways positions (metres) of the roads that run east-west.
ARTERIAL_Y, ELEVATED_Y, FRONTAGE_Y = 0.0, 5.0, -15.0
#: The divided road runs north-south: carriageways at x +- 11 m.
DIVIDED_X, CARRIAGEWAY_M = 3_000.0, 11.0


def city() -> gpd.GeoDataFrame:
    """The network in metres: one feature per edge, split at every junction."""
    x0, y0 = ORIGIN
    rows: list[tuple[str, str, str, LineString]] = []
    cross = np.arange(500.0, LENGTH_M, 500.0)
    # Where the divided road's carriageways cross the east-west roads.
    carriageways = [DIVIDED_X - CARRIAGEWAY_M, DIVIDED_X + CARRIAGEWAY_M]
    cuts = sorted([c for c in cross if c != DIVIDED_X] + carriageways)

    def east_west(road_id, name, status, y, x_from, x_to, cuts):
        xs = [x_from, *[c for c in cuts if x_from < c < x_to], x_to]
        for a, b in zip(xs[:-1], xs[1:], strict=True):
            rows.append((road_id, name, status, LineString([(x0 + a, y0 + y), (x0 + b, y0 + y)])))

    east_west("N-001", "Jalan Gatot Subroto", "nasional", ARTERIAL_Y, 0, LENGTH_M, cuts)
    # The elevated toll road meets the ground only at its two ends (ramps to the arterial).
    east_west("T-001", "Jalan Tol Layang Dalam Kota", "nasional", ELEVATED_Y, 0, LENGTH_M, [])
    for x in (0.0, LENGTH_M):
        rows.append(
            ("T-001", "Jalan Tol Layang Dalam Kota", "nasional",
             LineString([(x0 + x, y0 + ELEVATED_Y), (x0 + x, y0 + ARTERIAL_Y)]))
        )  # fmt: skip
    # The frontage road joins the arterial at its ends and meets each cross street.
    east_west("K-101", "Jalan Frontage Gatot Subroto", "kabupaten", FRONTAGE_Y, 1000, 4000, cuts)
    for x in (1000.0, 4000.0):
        rows.append(
            ("K-101", "Jalan Frontage Gatot Subroto", "kabupaten",
             LineString([(x0 + x, y0 + FRONTAGE_Y), (x0 + x, y0 + ARTERIAL_Y)]))
        )  # fmt: skip
    # Local streets cross the arterial every 500 m (not the elevated road), 1 km each side.
    for k, x in enumerate(cross):
        if x == DIVIDED_X:
            continue
        for part, (a, b) in enumerate(((-1000.0, FRONTAGE_Y), (FRONTAGE_Y, ARTERIAL_Y))):
            if part == 0 and not 1000 <= x <= 4000:
                a, b = -1000.0, ARTERIAL_Y
            elif part == 1 and not 1000 <= x <= 4000:
                continue
            rows.append(
                (f"K-2{k:02d}", f"Jalan Lokal {k + 1}", "kabupaten",
                 LineString([(x0 + x, y0 + a), (x0 + x, y0 + b)]))
            )  # fmt: skip
        rows.append(
            (f"K-2{k:02d}", f"Jalan Lokal {k + 1}", "kabupaten",
             LineString([(x0 + x, y0 + ARTERIAL_Y), (x0 + x, y0 + 1000.0)]))
        )  # fmt: skip
    # The divided road: two one-way carriageways, drawn apart, one name and code.
    for side in (-1.0, 1.0):
        x = DIVIDED_X + side * CARRIAGEWAY_M
        for a, b in ((-2500.0, FRONTAGE_Y), (FRONTAGE_Y, ARTERIAL_Y), (ARTERIAL_Y, 2500.0)):
            rows.append(
                ("P-010", "Jalan Sudirman", "provinsi",
                 LineString([(x0 + x, y0 + a), (x0 + x, y0 + b)]))
            )  # fmt: skip
    frame = gpd.GeoDataFrame(
        {
            "road_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "status": [r[2] for r in rows],
        },
        geometry=[r[3] for r in rows],
        crs=ZONE,
    )
    return frame


def _stretch(road: str, start_m: float, length_m: float) -> LineString:
    """A stretch of one of the long roads, by its chainage."""
    x0, y0 = ORIGIN
    if road in ("arterial", "elevated", "frontage"):
        y = {"arterial": ARTERIAL_Y, "elevated": ELEVATED_Y, "frontage": FRONTAGE_Y}[road]
        return LineString([(x0 + start_m, y0 + y), (x0 + start_m + length_m, y0 + y)])
    side = -1.0 if road == "divided_north" else 1.0
    x = DIVIDED_X + side * CARRIAGEWAY_M
    return LineString([(x0 + x, y0 - 2500.0 + start_m), (x0 + x, y0 - 2500.0 + start_m + length_m)])


_RANGE = {"arterial": (0, 6000), "elevated": (0, 6000), "frontage": (1000, 4000),
          "divided_north": (0, 5000), "divided_south": (0, 5000)}  # fmt: skip
_NAME = {"arterial": "Preservasi Jalan Gatot Subroto",
         "elevated": "Pemeliharaan Jalan Tol Layang Dalam Kota",
         "frontage": "Rehabilitasi Jalan Frontage Gatot Subroto",
         "divided_north": "Preservasi Jalan Sudirman", "divided_south": "Preservasi Jalan Sudirman"}  # fmt: skip


def works(per_case: int, seed: int):
    """The labelled works in metres: rows, the true pairs with their shared length, the case
    of every labelled pair (duplicates and neighbours)."""
    rng = np.random.default_rng(seed)
    rows: list[tuple[str, str, str, str, shapely.Geometry]] = []
    truth: dict[frozenset, float] = {}
    case_of: dict[frozenset, str] = {}

    def draw(line, *, noise, shift=0.0):
        moved = shapely.offset_curve(line, shift) if abs(shift) > 0.5 else line
        return redigitised(moved, spacing_m=rng.uniform(15, 40), noise_m=noise,
                           seed=int(rng.integers(1e9)), reverse=bool(rng.random() < 0.3))  # fmt: skip

    def add(pid, level, road, geom):
        rows.append((pid, level, road, _NAME[road], geom))

    n = 0
    duplicate_cases = ("noise", "offset", "partial", "two_parts")
    for case in duplicate_cases:
        for _ in range(per_case):
            road = rng.choice(list(_RANGE))
            lo, hi = _RANGE[road]
            length = rng.uniform(600, 1500)
            start = rng.uniform(lo, hi - length - 400)
            line = _stretch(road, start, length)
            a, b = f"A{n}", f"B{n}"
            n += 1
            add(a, "pusat", road, draw(line, noise=rng.uniform(3, 5)))
            shared = length
            if case == "noise":
                add(b, "provinsi", road, draw(line, noise=rng.uniform(3, 5)))
            elif case == "offset":
                shift = rng.uniform(20, 40) * rng.choice([-1.0, 1.0])
                add(b, "provinsi", road, draw(line, noise=rng.uniform(3, 5), shift=shift))
            elif case == "partial":
                slide = rng.uniform(200, 0.6 * length)
                add(b, "provinsi", road, draw(_stretch(road, start + slide, length), noise=4.0))
                shared = length - slide
            else:  # two parts with a 200 m gap in the middle
                gap_from = length / 2 - 100
                parts = [substring(line, 0, gap_from), substring(line, gap_from + 200, length)]
                drawn = MultiLineString([draw(p, noise=4.0) for p in parts])
                add(b, "kabupaten", road, drawn)
                shared = length - 200
            truth[frozenset({a, b})] = shared
            case_of[frozenset({a, b})] = case
    neighbours = {
        "elevated_over_arterial": ("elevated", "arterial"),
        "two_carriageways": ("divided_north", "divided_south"),
        "frontage_beside_arterial": ("frontage", "arterial"),
    }
    for case, (upper, lower) in neighbours.items():
        for _ in range(per_case):
            lo = max(_RANGE[upper][0], _RANGE[lower][0])
            hi = min(_RANGE[upper][1], _RANGE[lower][1])
            length = rng.uniform(600, 1500)
            start = rng.uniform(lo + 50, hi - length - 50)
            a, b = f"A{n}", f"B{n}"
            n += 1
            add(a, "pusat", upper, draw(_stretch(upper, start, length), noise=rng.uniform(3, 5)))
            add(b, "provinsi", lower, draw(_stretch(lower, start, length), noise=rng.uniform(3, 5)))
            case_of[frozenset({a, b})] = case
    return rows, truth, case_of


def score(found: pd.DataFrame, truth: dict, case_of: dict) -> dict[str, object]:
    """Precision, recall, F1 over the labelled pairs; per case, pairs reported; median shared
    length error of the duplicates found. Pairs of works of different labelled pairs (e.g.
    two duplicates drawn on the same stretch by chance) are left out of the score."""
    roads = found[found["asset_type"] == "road"]
    reported = {
        frozenset({a, b}): m
        for a, b, m in zip(roads["project_a"], roads["project_b"], roads["overlap_m"], strict=True)
        if frozenset({a, b}) in case_of
    }
    hits = [pair for pair in truth if pair in reported]
    false = [pair for pair in reported if pair not in truth]
    precision = len(hits) / max(len(hits) + len(false), 1)
    recall = len(hits) / max(len(truth), 1)
    errors = [abs(reported[p] - truth[p]) / truth[p] for p in hits]
    per_case: dict[str, int] = {}
    for pair, case in case_of.items():
        per_case[case] = per_case.get(case, 0) + (pair in reported)
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / max(precision + recall, 1e-9),
        "per_case": per_case,
        "length_error": float(np.median(errors)) if errors else float("nan"),
        "within_2pct": float(np.mean(np.array(errors) <= 0.02)) if errors else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-case", type=int, default=40, help="labelled pairs per case")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    roads = city().to_crs(4326)
    rows, truth, case_of = works(args.per_case, args.seed)
    projects = gpd.GeoDataFrame(
        {
            "project_id": [r[0] for r in rows],
            "name": [r[3] for r in rows],
            "level": [r[1] for r in rows],
            "agency": [f"Instansi {r[1]}" for r in rows],
            "asset_type": "road",
            "year_start": 2025,
            "year_end": 2025,
            "budget_idr": 1e9,
        },
        geometry=gpd.GeoSeries([r[4] for r in rows], crs=ZONE).to_crs(4326).to_numpy(),
        crs=4326,
    )
    print(
        f"city network: {len(roads)} edges; {len(projects)} works, {len(truth)} duplicates and "
        f"{len(case_of) - len(truth)} neighbour pairs; load {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )
    results = {}
    for engine in ("geometry", "network"):
        started = time.perf_counter()
        network = RoadNetwork(roads) if engine == "network" else None
        found = find_overlaps(projects, network=network)
        seconds = time.perf_counter() - started
        results[engine] = score(found, truth, case_of) | {"seconds": seconds}
    cases = list(dict.fromkeys(case_of.values()))
    print(f"\n{'':28s}{'geometry':>10s}{'network':>10s}")
    for key in ("precision", "recall", "f1", "length_error", "within_2pct", "seconds"):
        g, n = results["geometry"][key], results["network"][key]
        print(f"{key:28s}{g:10.3f}{n:10.3f}")
    print("\npairs reported, per case (of", args.per_case, "each)")
    for case in cases:
        kind = "duplicate" if case in {c for p, c in case_of.items() if p in truth} else "neighbour"
        g, n = results["geometry"]["per_case"][case], results["network"]["per_case"][case]
        print(f"  {case:26s}{kind:>10s}{g:10d}{n:10d}")
    ratio = results["network"]["f1"] / max(results["geometry"]["f1"], 1e-9)
    print(f"\nF1 network / geometry: {ratio:.2f}x")


if __name__ == "__main__":
    main()
