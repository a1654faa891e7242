"""Locating road works on a large road network: time, peak memory and how many are located.

Builds a synthetic network of about ``N_EDGES`` routing edges near Jambi, across the border of
UTM zones 47S and 48S: a grid of roads 400 m apart, slightly wavy, each road cut into ruas of 8
blocks (kode ``H0012-03``, ``V0451-07``); every 20th east-west road is a divided road (two
carriageways 24 m apart, each its own ruas, drawn the way traffic runs) and some north-south
stretches have a service road 25 m beside them, joined to the crossing roads. Then draws
``N_PROJECTS`` road works on it as agencies digitise them: a whole ruas or part of one (300 m to
3 km), vertices every 30-40 m with 3-5 m of noise, one in five shifted sideways by 20-40 m.

It builds the network model (`RoadNetwork`: graph and ruas, timed apart: built once per network
and reused), locates every work (`locate_on_network`) and prints the time, the process's peak
memory (max RSS), the share of works located with ``matched_share >= 0.9``, the share whose
longest interval is on the ruas it was drawn on, and the share settled on a chain (no graph
search). The baseline, measured in the same run, is the per-line matcher (one line at a time, as
the matcher was first written) on a sample of ``--baseline-sample`` works, extrapolated to all
of them; it counts the matching only (the per-line locate also spent time per piece on
chainage, so the ratio is an underestimate).

Then the works are given sources (agencies of ``--works-per-source`` works each, the works
dealt out in turn) and located again with them (``locate_on_network(..., sources=)``), which
first estimates each agency's systematic shift (:mod:`geo.spatial.source_shift`): the time that
costs, and how many shifts were applied. The one-in-five sideways shifts are each work's own,
not an agency's, so every agency is searched (its unshifted residual is above the early stop)
and none should be applied: the estimate's worst case for time, and a check that it invents no
shift.

With ``--overlaps`` it then times the overlap step on the located intervals
(:func:`geo.analyse.overlap.find_overlaps` given the network and the works' locations, located
once as the analysis does) against the geometric step on the same works, in the same run.

Usage: ``python bench/bench_locate_scale.py [N_PROJECTS] [N_EDGES] [--baseline-sample 2000]
[--overlaps]``
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from geo.analyse.locations import locate_road_projects  # noqa: E402
from geo.analyse.overlap import find_overlaps  # noqa: E402
from geo.spatial._linematch_batch import match_all  # noqa: E402
from geo.spatial.linematch import (  # noqa: E402
    MatchSettings,
    _match_lines_one_by_one,
    locate_on_network,
)
from geo.spatial.network import RoadNetwork  # noqa: E402
from geo.spatial.source_shift import estimate_shifts  # noqa: E402

UTM = 32748  # the grid is laid out in UTM 48S metres; its west part lies in zone 47S
X0, Y0 = 110_000.0, 9_760_000.0  # about lon 101.5, lat -2.2
BLOCK_M = 400.0
RUAS_BLOCKS = 8
DIVIDED_EVERY = 20
SERVICE_EVERY = 15


def _wavy(x: np.ndarray, y: np.ndarray, seed: float) -> tuple[np.ndarray, np.ndarray]:
    """A gentle 3 m wave across the road, so roads are not ruler-straight."""
    return x, y + 3.0 * np.sin(x / 170.0 + seed)


def build_network(n_edges: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Road features (EPSG:4326) with ``road_id``, ``name`` and ``status``."""
    # Each road is split at every crossing and every ruas end; one road in 20 is two.
    n = max(int(np.sqrt(n_edges / (2.0 * (1 + 1 / RUAS_BLOCKS) * (1 + 0.5 / DIVIDED_EVERY)))), 4)
    size = n * BLOCK_M
    geoms, ids = [], []
    for direction in ("H", "V"):
        for i in range(n):
            offsets = [0.0]
            if direction == "H" and i % DIVIDED_EVERY == 7:
                offsets = [12.0, -12.0]
            for lane, off in enumerate(offsets):
                for r, start in enumerate(np.arange(0.0, size - BLOCK_M, RUAS_BLOCKS * BLOCK_M)):
                    end = min(start + RUAS_BLOCKS * BLOCK_M, size - BLOCK_M)
                    t = np.linspace(start, end, int((end - start) // 100) + 1)
                    a, b = _wavy(t, np.full(len(t), i * BLOCK_M + BLOCK_M / 2 + off), i)
                    if direction == "V":
                        a, b = b, a
                    xy = np.column_stack([a + X0, b + Y0])
                    if lane == 1:
                        xy = xy[::-1]  # the other carriageway, drawn the way traffic runs
                    geoms.append(shapely.linestrings(xy))
                    ids.append(
                        f"{direction}{i:04d}-{r:02d}" + ("AB"[lane] if len(offsets) > 1 else "")
                    )
            if direction == "V" and i % SERVICE_EVERY == 4:
                for start in rng.choice(np.arange(1, n - 4), size=max(n // 40, 1), replace=False):
                    y = np.linspace(start * BLOCK_M, (start + 3) * BLOCK_M, 13)
                    x = np.full(len(y), i * BLOCK_M + BLOCK_M / 2 + 25.0)
                    geoms.append(shapely.linestrings(np.column_stack([x + X0, y + Y0])))
                    ids.append(f"S{i:04d}-{int(start):03d}")
    roads = gpd.GeoDataFrame(
        {"road_id": ids, "name": [f"Jalan {k}" for k in ids], "status": "kabupaten"},
        geometry=geoms,
        crs=UTM,
    )
    return roads.to_crs(4326)


def draw_works(roads_m: np.ndarray, n_projects: int, rng: np.random.Generator):
    """Works re-digitised along random ruas (metres, EPSG:32748), and the ruas each follows."""
    source = rng.integers(0, len(roads_m), n_projects)
    length = shapely.length(roads_m[source])
    partial = rng.random(n_projects) < 0.4
    want = np.where(partial, rng.uniform(300.0, 3000.0, n_projects), length)
    want = np.minimum(want, length)
    start = rng.uniform(0.0, 1.0, n_projects) * (length - want)
    spacing = rng.uniform(30.0, 40.0, n_projects)
    count = np.maximum(np.ceil(want / spacing).astype(int), 1) + 1
    of = np.repeat(np.arange(n_projects), count)
    step = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    pos = start[of] + np.minimum(step * spacing[of], want[of])
    line = roads_m[source][of]
    xy = shapely.get_coordinates(shapely.line_interpolate_point(line, pos))
    ahead = shapely.get_coordinates(shapely.line_interpolate_point(line, pos + 1.0))
    behind = shapely.get_coordinates(shapely.line_interpolate_point(line, pos - 1.0))
    d = ahead - behind
    d /= np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-9)[:, None]
    normal = np.column_stack([-d[:, 1], d[:, 0]])
    shift = np.where(rng.random(n_projects) < 0.2, rng.uniform(20.0, 40.0, n_projects), 0.0)
    shift *= rng.choice([-1.0, 1.0], n_projects)
    noise = rng.uniform(3.0, 5.0, n_projects)
    xy = xy + normal * shift[of][:, None] + rng.normal(0.0, 1.0, xy.shape) * noise[of][:, None]
    return shapely.linestrings(xy, indices=of), source, shift != 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_projects", nargs="?", type=int, default=100_000)
    parser.add_argument("n_edges", nargs="?", type=int, default=500_000)
    parser.add_argument("--baseline-sample", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--works-per-source", type=int, default=200)
    parser.add_argument(
        "--overlaps",
        action="store_true",
        help="also time the overlap step on the located intervals against the geometric one",
    )
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"load average at start: {os.getloadavg()[0]:.1f}")

    t = time.perf_counter()
    roads = build_network(args.n_edges, rng)
    roads_m = roads.geometry.to_crs(UTM).to_numpy()
    works_m, source, shifted = draw_works(roads_m, args.n_projects, rng)
    works = gpd.GeoSeries(works_m, crs=UTM).to_crs(4326).to_numpy()
    made_s = time.perf_counter() - t

    t = time.perf_counter()
    network = RoadNetwork(roads)
    graph, ruas = network.graph, network.ruas
    network_s = time.perf_counter() - t
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"network: {len(roads):,} ruas features, {len(graph.edges_deg):,} edges, "
        f"{len(ruas.label):,} ruas; built in {network_s:.1f} s (data made in {made_s:.1f} s); "
        f"{args.n_projects:,} works; peak RSS so far {rss_before:.2f} GB"
    )

    t = time.perf_counter()
    located = locate_on_network(network, works)
    locate_s = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2

    share = located.groupby("line")["matched_share"].first().reindex(range(len(works)))
    good = float((share >= 0.9).mean())
    on = located[located["ruas"] != ""].assign(m=lambda f: f["to_m"] - f["from_m"])
    best = on.sort_values("m").groupby("line")["ruas_id"].last().reindex(range(len(works)))
    right = best.to_numpy() == roads["road_id"].to_numpy()[source]

    sample = rng.choice(len(works), size=min(args.baseline_sample, len(works)), replace=False)
    t = time.perf_counter()
    _match_lines_one_by_one(works[sample], graph.edges_deg, graph.u, graph.v)
    per_line_s = (time.perf_counter() - t) * len(works) / len(sample)
    fast = match_all(
        works[sample],
        graph.edges_deg,
        graph.u,
        graph.v,
        line_decks=None,
        edge_decks=None,
        settings=MatchSettings(),
        tree=graph.tree,
    ).fast

    print(
        f"located {len(works):,} works in {locate_s:.1f} s; peak RSS {rss:.2f} GB; "
        f"matched_share >= 0.9: {good:.1%} (shifted 20-40 m: {float((share >= 0.9)[shifted].mean()):.1%}); "
        f"longest interval on the ruas drawn on: {float(right.mean()):.1%}; "
        f"settled on a chain: {float(fast.mean()):.1%} (sample of {len(sample):,})"
    )
    print(
        f"baseline (per-line matcher on {len(sample):,} works, extrapolated): "
        f"{per_line_s:.1f} s; ratio {per_line_s / locate_s:.1f}x; "
        f"load average at end: {os.getloadavg()[0]:.1f}"
    )
    _with_sources(network, works, args.works_per_source)
    if args.overlaps:
        overlap_steps(works, network, rng)


def _with_sources(network: RoadNetwork, works: np.ndarray, per_source: int):
    """Locate again without and with agencies as sources: the cost of estimating their shifts
    (the first estimate loads its compiled loop; both locates run warm)."""
    n_sources = max(len(works) // per_source, 1)
    sources = np.array([f"Instansi {k % n_sources}" for k in range(len(works))], dtype=object)
    t = time.perf_counter()
    locate_on_network(network, works)
    locate_s = time.perf_counter() - t
    t = time.perf_counter()
    shifts = estimate_shifts(network, works, sources, max_shift_m=40.0)
    estimate_s = time.perf_counter() - t
    t = time.perf_counter()
    located = locate_on_network(network, works, sources=sources)
    with_s = time.perf_counter() - t
    share = located.groupby("line")["matched_share"].first().reindex(range(len(works)))
    searched = int((shifts["unshifted_m"] >= 3.0).sum())
    print(
        f"with sources ({n_sources:,} agencies of {per_source} works): shifts estimated in "
        f"{estimate_s:.1f} s ({searched} of {len(shifts)} searched, "
        f"{int(shifts['applied'].sum())} applied, residual median "
        f"{float(shifts['residual_m'].median()):.1f} m); located again without sources in "
        f"{locate_s:.1f} s, with them in {with_s:.1f} s ({with_s - locate_s:+.1f} s); "
        "matched_share >= 0.9: "
        f"{float((share >= 0.9).mean()):.1%}; peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2:.2f} GB; "
        f"load average at end: {os.getloadavg()[0]:.1f}"
    )


def overlap_steps(works: np.ndarray, network: RoadNetwork, rng: np.random.Generator) -> None:
    """The overlap step on located intervals (the works located once, as the analysis does)
    against the geometric step on the same works, same run; the pairs each finds."""
    n = len(works)
    levels = rng.choice(["pusat", "provinsi", "kabupaten"], size=n)
    projects = gpd.GeoDataFrame(
        {
            "project_id": [f"W{k:06d}" for k in range(n)],
            "name": "Preservasi jalan",
            "level": levels,
            "agency": [f"Instansi {level}" for level in levels],
            "asset_type": "road",
            "year_start": 2025,
            "year_end": 2025,
            "budget_idr": 1e9,
        },
        geometry=works,
        crs=4326,
    )
    t = time.perf_counter()
    located = locate_road_projects(projects, network)
    locate_s = time.perf_counter() - t
    t = time.perf_counter()
    on_network = find_overlaps(projects, network=network, located=located)
    network_s = time.perf_counter() - t
    t = time.perf_counter()
    geometric = find_overlaps(projects)
    geometry_s = time.perf_counter() - t
    by = on_network["method"].value_counts()
    print(
        f"overlap step, {n:,} works located once ({locate_s:.1f} s, as the analysis does): "
        f"on the located intervals {network_s:.1f} s ({len(on_network):,} pairs: "
        f"{by.get('network', 0):,} by chainage, {by.get('geometry', 0):,} by geometry); "
        f"geometric step {geometry_s:.1f} s ({len(geometric):,} pairs); "
        f"ratio {geometry_s / network_s:.1f}x; load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
