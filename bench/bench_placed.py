"""Benchmark: records placed by ruas + STA, read back off the network, against the line matcher.

Cuts N stretches (300 m - 3 km, random ruas and chainage) out of a road network, as the reader
does for records given by ruas and STA, then locates them twice in the same run:
:func:`geo.spatial.placed.locate_placed` (what a record placed by the reader now gets) and
:func:`geo.spatial.linematch.locate_on_network` (the matcher: the baseline, what it got before).
Prints the seconds each took and how far each put every record from the chainage it was cut
at (on its own ruas, extra intervals on other ruas).

Usage: ``python bench/bench_placed.py NETWORK.gpkg [--n 5000] [--seed 1] [--id COLUMN]
[--name COLUMN]`` (``--id``/``--name``: the network's kode and nama ruas columns, when they are
not ``road_id`` and ``name``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.spatial.linematch import locate_on_network  # noqa: E402
from geo.spatial.network import RoadNetwork  # noqa: E402
from geo.spatial.placed import locate_placed  # noqa: E402


def _score(located: pd.DataFrame, ruas: np.ndarray, low: np.ndarray, high: np.ndarray) -> str:
    own_key = np.array([f"ruas:{g}" for g in ruas], dtype=object)[located["line"].to_numpy()]
    own = located[located["ruas"].to_numpy() == own_key]
    span = own.groupby("line").agg(low=("from_m", "min"), high=("to_m", "max"))
    lines = span.index.to_numpy()
    error = np.maximum(
        np.abs(span["low"].to_numpy() - low[lines]), np.abs(span["high"].to_numpy() - high[lines])
    )
    others = located[(located["ruas"] != "") & (located["ruas"].to_numpy() != own_key)]
    return (
        f"on own ruas {len(span) / len(ruas):.4f}, chainage error max {error.max():.2e} m, "
        f"{int((error > 1).sum())} records off by > 1 m, {len(others)} intervals on other ruas "
        f"({(others['to_m'] - others['from_m']).sum():.1f} m)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("network", type=Path)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--id", default="road_id")
    parser.add_argument("--name", default="name")
    args = parser.parse_args()
    roads = pyogrio.read_dataframe(args.network).to_crs(4326)
    roads = roads.rename(columns={args.id: "road_id", args.name: "name"})
    network = RoadNetwork(roads)
    graph = network.graph
    one_line = np.flatnonzero([line is not None for line in network.ruas.line_m])
    rng = np.random.default_rng(args.seed)
    ruas = rng.choice(one_line, args.n)
    length = network.ruas.length_m[ruas]
    low = rng.uniform(0, np.maximum(length - 500.0, 1.0))
    high = np.minimum(low + rng.uniform(300.0, 3000.0, args.n), length)
    stretches = network.cut(ruas, low, high)
    print(
        f"network {args.network.name}: {len(graph.edges_m)} edges, {len(one_line)} ruas; "
        f"{args.n} stretches cut by STA; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    start = time.perf_counter()
    placed = locate_placed(network, stretches, np.full(args.n, "ruas+STA", dtype=object))
    placed_s = time.perf_counter() - start
    start = time.perf_counter()
    matched = locate_on_network(network, stretches)
    matched_s = time.perf_counter() - start
    print(f"read back (placed)   {placed_s:6.2f} s  {_score(placed, ruas, low, high)}")
    print(f"line matcher (before) {matched_s:5.2f} s  {_score(matched, ruas, low, high)}")


if __name__ == "__main__":
    main()
