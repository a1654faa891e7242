"""Overlaps found on a real road network against overlaps found by geometry alone.

On ``NETWORK`` (any road file GDAL reads, e.g. a province's ruas layer or an OSM extract), two
agencies draw works: for every road, agency A draws a stretch of up to ``--stretch-km`` with
GPS-like noise, and agency B draws the same stretch again on another basemap, shifted sideways by
a random 0 to ``--max-shift-m`` metres (the planted duplicates); each agency also draws a work
on another road. Both engines (:func:`geo.analyse.overlap.find_overlaps` without and with the
network) are scored in the same run:

- found: planted duplicates reported with at least half their length shared;
- false: reported pairs that are not planted duplicates (different roads side by side, a
  crossing, a work and its neighbour on the next ruas);
- F1 over the planted pairs, and the seconds each engine took.

With ``--one-vector``, agency B works on another basemap as the issue describes it: every one
of its works is translated by one vector (20 m to ``--max-shift-m`` long, its direction drawn
from the seed) instead of each its own sideways shift; the network is then also scored without
the source shift (``no shift``: every work its own upload, so no shift is estimated).

Usage: ``python bench/bench_network_overlaps.py NETWORK [--max-shift-m 40] [--stretch-km 2]
[--one-vector]``
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
import pyogrio
import shapely
from shapely.ops import substring

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from geo.analyse.overlap import find_overlaps  # noqa: E402
from geo.spatial.crs import utm_epsg_for_geometries  # noqa: E402
from geo.spatial.network import RoadNetwork  # noqa: E402
from tests.geometries import redigitised  # noqa: E402


def planted(
    roads_m: np.ndarray,
    max_shift_m: float,
    stretch_m: float,
    seed: int,
    vector: tuple[float, float] | None = None,
):
    """Works of two agencies in metres, and the planted duplicate pairs (by project id); with
    ``vector``, B's works are translated by it (metres east, north) instead of each shifted
    sideways by its own random amount."""
    rng = np.random.default_rng(seed)
    rows, pairs = [], []
    for k, road in enumerate(roads_m):
        line = max(shapely.get_parts(road), key=lambda p: p.length)
        if line.length < 300:
            continue
        length = min(stretch_m, line.length * 0.8)
        start = rng.uniform(0, line.length - length)
        piece = substring(line, start, start + length)
        shift = rng.uniform(0, max_shift_m) * rng.choice([-1.0, 1.0])
        moved = shapely.offset_curve(piece, shift) if abs(shift) > 0.5 else piece
        if vector is not None:
            moved = shapely.transform(piece, lambda xy: xy + np.array(vector))
        if moved.is_empty or moved.geom_type != "LineString":
            continue
        a = redigitised(piece, spacing_m=20.0, noise_m=2.0, seed=int(rng.integers(1e9)))
        b = redigitised(moved, spacing_m=35.0, noise_m=3.0, seed=int(rng.integers(1e9)))
        rows.append((f"A-{k}", "pusat", "BPJN", a))
        rows.append((f"B-{k}", "provinsi", "Dinas PUPR Provinsi", b))
        pairs.append(frozenset({f"A-{k}", f"B-{k}"}))
    return rows, set(pairs)


def score(found: pd.DataFrame, truth: set, lengths: dict) -> tuple[int, int, float]:
    roads = found[found["asset_type"] == "road"]
    reported = {
        frozenset({a, b}): m
        for a, b, m in zip(roads["project_a"], roads["project_b"], roads["overlap_m"], strict=True)
    }
    hit = sum(
        1 for pair in truth if pair in reported and reported[pair] >= 0.5 * lengths[min(pair)]
    )
    false = sum(1 for pair in reported if pair not in truth)
    precision = hit / max(hit + false, 1)
    recall = hit / max(len(truth), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return hit, false, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("network")
    parser.add_argument("--max-shift-m", type=float, default=40.0)
    parser.add_argument("--stretch-km", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--one-vector", action="store_true")
    args = parser.parse_args()
    vector = None
    if args.one_vector:
        draw = np.random.default_rng(args.seed + 1)
        length, angle = draw.uniform(20.0, args.max_shift_m), draw.uniform(0, 2 * np.pi)
        vector = (float(length * np.cos(angle)), float(length * np.sin(angle)))
    roads = pyogrio.read_dataframe(args.network).to_crs(4326)
    roads = roads[roads.geometry.notna() & ~roads.geometry.is_empty].reset_index(drop=True)
    zone = int(np.bincount(utm_epsg_for_geometries(roads.geometry) - 32600).argmax()) + 32600
    roads_m = roads.geometry.to_crs(zone).to_numpy()
    rows, truth = planted(roads_m, args.max_shift_m, args.stretch_km * 1000, args.seed, vector)
    works = gpd.GeoDataFrame(
        {
            "project_id": [r[0] for r in rows],
            "name": ["Preservasi jalan"] * len(rows),
            "level": [r[1] for r in rows],
            "agency": [r[2] for r in rows],
            "asset_type": "road",
            "year_start": 2025,
            "year_end": 2025,
            "budget_idr": 1e9,
        },
        geometry=gpd.GeoSeries([r[3] for r in rows], crs=zone).to_crs(4326).to_numpy(),
        crs=4326,
    )
    lengths = dict(zip(works["project_id"], works.to_crs(zone).length, strict=True))
    load = os.getloadavg()[0]
    shifted = (
        f"0-{args.max_shift_m:.0f} m each"
        if vector is None
        else f"all of B's by one vector ({vector[0]:+.1f} m east, {vector[1]:+.1f} m north)"
    )
    print(
        f"{args.network}: {len(roads)} roads; {len(truth)} planted duplicates shifted "
        f"{shifted}; load {load:.1f}"
    )
    print(" engine     found  false     F1  seconds")
    results = {}
    engines = ("geometry", "network") if vector is None else ("geometry", "no shift", "network")
    for engine in engines:
        t = time.perf_counter()
        network = RoadNetwork(roads) if engine != "geometry" else None
        records = works.assign(upload_id=np.arange(len(works))) if engine == "no shift" else works
        found = find_overlaps(records, network=network)
        seconds = time.perf_counter() - t
        hit, false, f1 = score(found, truth, lengths)
        results[engine] = f1
        print(f" {engine:9s} {hit:6d} {false:6d} {f1:6.3f} {seconds:8.2f}")
    print(f"F1 network / geometry: {results['network'] / max(results['geometry'], 1e-9):.2f}x")


if __name__ == "__main__":
    main()
