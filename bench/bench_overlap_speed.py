"""Benchmark: time and peak memory of ``find_overlaps`` at 10k-1M features, against a baseline.

Run: ``python bench/bench_overlap_speed.py [N ...]`` (default ``10000 100000``; pass
``1000000`` for the national-size run). Options: ``--baseline-timeout S`` (seconds for the
baseline call, default 900), ``--baseline-max-gb G`` (its address-space cap, default 12),
``--no-baseline``, ``--seed S``.

For each N, ``find_overlaps`` and the baseline each run in a fresh child process that
generates the synthetic layer (:func:`make_network_layer`, deterministic), returns freed memory
to the OS, resets the kernel's peak-RSS mark (``clear_refs``) and reports the time of the call
and the peak resident memory while it runs (the input layer included, generating it excluded).
The baseline is what a GIS analyst would write with geopandas:

- roads: ``sjoin(predicate="dwithin", distance=tolerance_m)`` in one UTM CRS
  (``estimate_utm_crs``), then per pair the length of ``A & buffer(B, tolerance_m)`` (each
  road buffered once, intersections vectorised over the pairs) kept from ``min_overlap_m``;
- irrigation: ``sjoin(predicate="intersects")`` and the intersection area per pair;
- bridges: ``sjoin(predicate="dwithin", distance=bridge_distance_m)``; bridges on roads:
  ``sjoin(predicate="dwithin", distance=tolerance_m)``;

always with intersecting year ranges. It gets crossings and slivers wrong (see
``bench_overlap_quality.py``); here only its speed counts. If it runs out of time or memory the
table says so and gives the ratio as a lower bound. The machine may be shared: compare ratios.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.overlap_data import Curves, blob_coords  # noqa: E402

#: Features per square kilometre: 10k features cover ~20,000 km2 (about one province),
#: 100k about four provinces, 1M a region the size of Indonesia's land area.
DENSITY_PER_KM2 = 0.5
#: Centre of the synthetic region (lon, lat, degrees): the 1M layer spans UTM zones 48-50.
CENTRE_DEG = (111.0, -2.0)
#: Vertices per road project and the distance between them, metres (a 2.2 km package).
ROAD_VERTICES = 45
VERTEX_SPACING_M = 50.0
#: Road packages laid end to end along one corridor (a 44 km road).
PACKAGES_PER_CORRIDOR = 20
#: Shares of features: roads, irrigation areas, bridges.
SHARES = {"road": 0.8, "irrigation": 0.1, "bridge": 0.1}
#: Share of features of each type that repeat (part of) another one: the true overlaps.
REPEAT_SHARE = 0.02
#: Features generated per batch (bounds the generator's memory at 1M).
BATCH = 100_000

_LEVELS = np.array(["pusat", "provinsi", "kabupaten", "desa"], dtype=object)
_AGENCIES = {
    "pusat": np.array(
        ["Satker PJN Wilayah I", "Satker PJN Wilayah II", "BWS Kalimantan II"], dtype=object
    ),
    "provinsi": np.array(
        ["Dinas PUPR Provinsi Kalimantan Tengah", "Dinas PUPR Provinsi Jambi"], dtype=object
    ),
    "kabupaten": np.array([f"Dinas PUPR Kabupaten {i:02d}" for i in range(40)], dtype=object),
    "desa": np.array([f"Pemerintah Desa {i:03d}" for i in range(200)], dtype=object),
}


def _local_crs() -> pyproj.CRS:
    """A transverse Mercator on the region's centre: metres, true scale near the centre."""
    lon, lat = CENTRE_DEG
    return pyproj.CRS.from_proj4(
        f"+proj=tmerc +lon_0={lon} +lat_0={lat} +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m"
    )


def make_network_layer(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """A synthetic project layer of ``n`` features at a constant density, EPSG:4326.

    80% roads of 45 vertices (2.2 km packages laid end to end along 44 km winding corridors
    that cross each other at random, a few at shallow angles), 10% irrigation areas (40-vertex
    outlines of 200-1200 m radius on a jittered grid), 10% bridges (60% of them on a
    corridor). ``REPEAT_SHARE`` of each type repeats part of another feature: a road package
    shifted by up to 1.5 km along its corridor and re-digitised, an area shifted by up to half
    its radius, a bridge 0-20 m away. About 5% of features take part in such an overlap, and
    about as many again in corridors crossing at a shallow angle. The region is a square of
    ``n / DENSITY_PER_KM2`` km2 around ``CENTRE_DEG``.

    Parameters
    ----------
    n
        Number of features.
    seed
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    geopandas.GeoDataFrame
        The canonical record columns (``project_id`` unique), EPSG:4326.
    """
    rng = np.random.default_rng(seed)
    n_roads = int(round(n * SHARES["road"]))
    n_areas = int(round(n * SHARES["irrigation"]))
    n_bridges = n - n_roads - n_areas
    side_m = np.sqrt(n / DENSITY_PER_KM2) * 1_000.0
    to_degrees = pyproj.Transformer.from_crs(_local_crs(), 4326, always_xy=True)

    # corridors: winding roads 44 km long, anywhere in the region, any heading
    n_tiles = n_roads - int(round(n_roads * REPEAT_SHARE))
    n_corridors = max(1, -(-n_tiles // PACKAGES_PER_CORRIDOR))
    package_m = (ROAD_VERTICES - 1) * VERTEX_SPACING_M
    k = n_corridors
    corridors = Curves(
        x0=rng.uniform(-side_m / 2, side_m / 2, k),
        y0=rng.uniform(-side_m / 2, side_m / 2, k),
        heading=rng.uniform(0.0, 2.0 * np.pi, k),
        w1=rng.uniform(100.0, 600.0, k),
        l1=rng.uniform(2_000.0, 6_000.0, k),
        p1=rng.uniform(0.0, 2.0 * np.pi, k),
        w2=rng.uniform(0.0, 40.0, k),
        l2=rng.uniform(200.0, 600.0, k),
        p2=rng.uniform(0.0, 2.0 * np.pi, k),
        tilt=np.zeros(k),
    )
    first_u = -PACKAGES_PER_CORRIDOR * package_m / 2

    # roads: tiles end to end (gaps of -5..5 m), then repeats of random tiles shifted along
    tile = np.arange(n_tiles)
    corridor = tile // PACKAGES_PER_CORRIDOR
    start_u = first_u + (tile % PACKAGES_PER_CORRIDOR) * package_m + rng.uniform(0.0, 5.0, n_tiles)
    repeats = rng.integers(0, n_tiles, n_roads - n_tiles)
    corridor = np.concatenate([corridor, corridor[repeats]])
    start_u = np.concatenate(
        [start_u, start_u[repeats] + rng.uniform(-1_500.0, 1_500.0, len(repeats))]
    )
    reverse = rng.random(n_roads) < 0.3
    roads = np.empty(n_roads, dtype=object)
    steps = np.arange(ROAD_VERTICES) * VERTEX_SPACING_M
    for lo in range(0, n_roads, BATCH):
        hi = min(lo + BATCH, n_roads)
        u = start_u[lo:hi, None] + steps + rng.uniform(-5.0, 5.0, (hi - lo, ROAD_VERTICES))
        u[:, 0], u[:, -1] = start_u[lo:hi], start_u[lo:hi] + steps[-1]
        u = np.where(reverse[lo:hi, None], u[:, ::-1], u)
        x, y, _, _ = corridors.frame(np.broadcast_to(corridor[lo:hi, None], u.shape), u)
        x += rng.normal(0.0, 2.0, x.shape)
        y += rng.normal(0.0, 2.0, y.shape)
        lon, lat = to_degrees.transform(x, y)
        roads[lo:hi] = shapely.linestrings(np.stack([lon, lat], axis=-1))

    # irrigation areas: blobs anywhere, a few shifted copies of others
    n_area_repeats = int(round(n_areas * REPEAT_SHARE))
    radius = rng.uniform(200.0, 1_200.0, n_areas)
    # on a jittered grid (4.5 km apart at 0.05 areas/km2): distinct schemes do not overlap
    per_row = int(np.ceil(np.sqrt(n_areas)))
    spacing = side_m / per_row
    cell = np.arange(n_areas)
    room = np.maximum(spacing / 2 - 1.3 * radius, 0.0)[:, None]
    centre = (
        np.column_stack([cell % per_row, cell // per_row]) * spacing
        + spacing / 2
        - side_m / 2
        + rng.uniform(-1.0, 1.0, (n_areas, 2)) * room
    )
    if n_area_repeats:
        copied = rng.integers(0, n_areas - n_area_repeats, n_area_repeats)
        angle = rng.uniform(0.0, 2.0 * np.pi, n_area_repeats)
        shift = rng.uniform(0.0, 0.5, n_area_repeats) * radius[copied]
        radius[-n_area_repeats:] = radius[copied]
        centre[-n_area_repeats:] = centre[copied] + shift[:, None] * np.column_stack(
            [np.cos(angle), np.sin(angle)]
        )
    areas = np.empty(n_areas, dtype=object)
    for lo in range(0, n_areas, BATCH):
        hi = min(lo + BATCH, n_areas)
        ring = blob_coords(rng, radius[lo:hi], n_vertices=40) + centre[lo:hi, None, :]
        lon, lat = to_degrees.transform(ring[..., 0], ring[..., 1])
        areas[lo:hi] = shapely.polygons(np.stack([lon, lat], axis=-1))

    # bridges: 60% on a corridor, the rest anywhere; a few 0-20 m from another bridge
    n_bridge_repeats = int(round(n_bridges * REPEAT_SHARE))
    on_road = rng.random(n_bridges) < 0.6
    which = rng.integers(0, n_corridors, n_bridges)
    along = rng.uniform(first_u, -first_u, n_bridges)
    x, y, _, _ = corridors.frame(which, along)
    free = ~on_road
    x[free] = rng.uniform(-side_m / 2, side_m / 2, free.sum())
    y[free] = rng.uniform(-side_m / 2, side_m / 2, free.sum())
    if n_bridge_repeats:
        copied = rng.integers(0, n_bridges - n_bridge_repeats, n_bridge_repeats)
        angle = rng.uniform(0.0, 2.0 * np.pi, n_bridge_repeats)
        gap = rng.uniform(0.0, 20.0, n_bridge_repeats)
        x[-n_bridge_repeats:] = x[copied] + gap * np.cos(angle)
        y[-n_bridge_repeats:] = y[copied] + gap * np.sin(angle)
    lon, lat = to_degrees.transform(x, y)
    bridges = shapely.points(lon, lat)

    geometry = np.concatenate([roads, areas, bridges])
    asset = np.repeat(
        np.array(["road", "irrigation", "bridge"], dtype=object), [n_roads, n_areas, n_bridges]
    )
    return gpd.GeoDataFrame(_attributes(rng, asset), geometry=geometry, crs=4326)


def _attributes(rng: np.random.Generator, asset: np.ndarray) -> dict[str, np.ndarray]:
    """Canonical record columns for ``asset`` (vectorised: 1M rows in about a second)."""
    n = len(asset)
    number = np.char.zfill(np.arange(n).astype(str), 7)
    level = _LEVELS[rng.choice(4, n, p=[0.25, 0.3, 0.35, 0.1])]
    agency = np.empty(n, dtype=object)
    for name, choices in _AGENCIES.items():
        rows = level == name
        agency[rows] = choices[rng.integers(0, len(choices), rows.sum())]
    years = np.array([(2025, 2025), (2024, 2025), (2025, 2026), (2023, 2023)])
    year = years[rng.choice(len(years), n, p=[0.8, 0.07, 0.07, 0.06])]
    funding = {
        "pusat": "APBN",
        "provinsi": "APBD Provinsi",
        "kabupaten": "APBD Kabupaten",
        "desa": "Dana Desa",
    }
    return {
        "project_id": np.char.add("S", number).astype(object),
        "name": np.char.add("Paket ", number).astype(object),
        "level": level,
        "agency": agency,
        "asset_type": asset,
        "work_type": np.where(asset == "road", "rehabilitasi", "peningkatan").astype(object),
        "year_start": year[:, 0],
        "year_end": year[:, 1],
        "budget_idr": np.round(rng.uniform(2e8, 4e10, n), -6),
        "funding_source": pd.Series(level).map(funding).to_numpy(dtype=object),
        "status": np.full(n, "usulan", dtype=object),
    }


# --- the two methods timed ---------------------------------------------------------------------


def baseline_overlaps(projects: gpd.GeoDataFrame, settings) -> pd.DataFrame:
    """The geopandas way: spatial joins in one UTM CRS, then per-pair measures.

    Returns
    -------
    pandas.DataFrame
        ``left``, ``right`` (row positions), ``asset_type``, ``measure`` (road length in the
        other's buffer, metres; intersection area, m2; bridge distance, metres).
    """
    metric = projects.to_crs(projects.estimate_utm_crs()).reset_index(drop=True)
    frames = []

    def joined(left: gpd.GeoDataFrame, right: gpd.GeoDataFrame, **kwargs) -> tuple:
        pairs = gpd.sjoin(
            left[["year_start", "year_end", "geometry"]],
            right[["year_start", "year_end", "geometry"]],
            **kwargs,
        )
        a, b = pairs.index.to_numpy(), pairs["index_right"].to_numpy()
        years = (pairs["year_start_left"].to_numpy() <= pairs["year_end_right"].to_numpy()) & (
            pairs["year_start_right"].to_numpy() <= pairs["year_end_left"].to_numpy()
        )
        return a[years], b[years]

    roads = metric[metric["asset_type"] == "road"]
    a, b = joined(roads, roads, predicate="dwithin", distance=settings.tolerance_m)
    a, b = a[a < b], b[a < b]
    geoms = metric.geometry.array
    buffers = np.empty(len(metric), dtype=object)
    buffers[roads.index] = shapely.buffer(geoms[roads.index.to_numpy()], settings.tolerance_m)
    length = shapely.length(shapely.intersection(np.asarray(geoms[a]), buffers[b]))
    keep = length >= settings.min_overlap_m
    frames.append(
        pd.DataFrame(
            {"left": a[keep], "right": b[keep], "asset_type": "road", "measure": length[keep]}
        )
    )

    areas = metric[metric["asset_type"] == "irrigation"]
    a, b = joined(areas, areas, predicate="intersects")
    a, b = a[a < b], b[a < b]
    area = shapely.area(shapely.intersection(np.asarray(geoms[a]), np.asarray(geoms[b])))
    keep = area > 0
    frames.append(
        pd.DataFrame(
            {"left": a[keep], "right": b[keep], "asset_type": "irrigation", "measure": area[keep]}
        )
    )

    bridges = metric[metric["asset_type"] == "bridge"]
    a, b = joined(bridges, bridges, predicate="dwithin", distance=settings.bridge_distance_m)
    a, b = a[a < b], b[a < b]
    frames.append(
        pd.DataFrame(
            {
                "left": a,
                "right": b,
                "asset_type": "bridge",
                "measure": shapely.distance(np.asarray(geoms[a]), np.asarray(geoms[b])),
            }
        )
    )
    a, b = joined(roads, bridges, predicate="dwithin", distance=settings.tolerance_m)
    frames.append(
        pd.DataFrame({"left": a, "right": b, "asset_type": "bridge/road", "measure": np.nan})
    )
    return pd.concat(frames, ignore_index=True)


def _peak_reset() -> bool:
    """Reset this process's peak-RSS mark (Linux ``clear_refs``); False if not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _memory_gb(field: str) -> float:
    """``VmHWM`` (peak) or ``VmRSS`` (now) of this process in GB (10**9 bytes)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1_024 / 1e9
    except OSError:
        pass
    # elsewhere: the lifetime peak (ru_maxrss is in KiB on Linux, bytes on macOS)
    scale = 1 if sys.platform == "darwin" else 1_024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e9


def _release_freed_memory() -> None:
    """Collect garbage and hand freed heap back to the OS (glibc), so RSS is what is live."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _child(task: str, n: int, seed: int, max_gb: float) -> dict:
    """Generate the layer and run one method in this (fresh) process; return the figures."""
    from geo.settings import Settings

    settings = Settings()
    start = time.perf_counter()
    projects = make_network_layer(n, seed)
    generate_s = time.perf_counter() - start
    _release_freed_memory()
    exact = _peak_reset()
    input_gb = _memory_gb("VmRSS")
    if task == "ours":
        from geo.analyse.overlap import find_overlaps

        start = time.perf_counter()
        findings = find_overlaps(projects, settings=settings)
        seconds = time.perf_counter() - start
        same = findings[findings["kind"] == "overlap"]
        involved = len(set(same["project_a"]) | set(same["project_b"]))
        result = {"findings": int(len(same)), "involved_share": involved / len(projects)}
    else:
        if max_gb > 0:  # a runaway baseline fails with MemoryError instead of swapping
            limit = int(max_gb * 1e9)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        start = time.perf_counter()
        try:
            pairs = baseline_overlaps(projects, settings)
        except MemoryError:
            return {"error": f"over {max_gb:g} GB"}
        seconds = time.perf_counter() - start
        result = {"findings": int((pairs["asset_type"] != "bridge/road").sum())}
    return {
        **result,
        "seconds": seconds,
        "generate_s": generate_s,
        "peak_gb": _memory_gb("VmHWM"),
        "input_gb": input_gb,
        "exact_peak": exact,
    }


def _run_child(task: str, n: int, args: argparse.Namespace, timeout: float | None) -> dict:
    """Run ``_child`` in a fresh interpreter; ``{"error": ...}`` if it fails or times out."""
    command = [sys.executable, __file__, "--child", task, "--seed", str(args.seed)]
    command += ["--baseline-max-gb", str(args.baseline_max_gb), str(n)]
    if timeout is not None:
        timeout += 60.0 + n * 1e-4  # time to generate the layer first (1M: ~20 s)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"over {args.baseline_timeout:g} s"}
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        return {"error": tail[0][:60]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Print the table of times, peak memory and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sizes", nargs="*", type=int, default=[10_000, 100_000], help="numbers of features"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--baseline-timeout", type=float, default=900.0, help="seconds (default 900)"
    )
    parser.add_argument(
        "--baseline-max-gb",
        type=float,
        default=12.0,
        help="address space cap for the baseline (default 12)",
    )
    parser.add_argument("--no-baseline", action="store_true", help="time find_overlaps only")
    parser.add_argument("--child", choices=["ours", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(_child(args.child, args.sizes[0], args.seed, args.baseline_max_gb)))
        return 0

    print(
        f"synthetic layers: {DENSITY_PER_KM2:g} features/km2 around lon {CENTRE_DEG[0]}, "
        f"lat {CENTRE_DEG[1]}; "
        f"80% roads of {ROAD_VERTICES} vertices, 10% irrigation areas, 10% bridges; "
        f"{100 * REPEAT_SHARE:g}% of each type repeat another feature"
    )
    print(
        "each method in a fresh process; peak GB = peak resident memory while it runs "
        "(the input layer included)\n"
    )
    header = (
        f"{'features':>9} {'gen s':>6} {'ours s':>7} {'peak GB':>8} {'input GB':>8} "
        f"{'findings':>9} {'in pairs':>8} {'baseline s':>11} {'base GB':>8} {'base pairs':>10} "
        f"{'baseline/ours':>14}"
    )
    print(header)
    notes = []
    status = 0
    for n in args.sizes:
        ours = _run_child("ours", n, args, None)
        if args.no_baseline:
            base = {"error": "not run (--no-baseline)"}
        else:
            base = _run_child("baseline", n, args, args.baseline_timeout)
        if "error" in ours:
            status = 1
            notes.append(f"N={n}: find_overlaps failed: {ours['error']}")
            ours_cols = f"{'':>6} {'failed':>7} {'':>8} {'':>8} {'':>9} {'':>8}"
        else:
            if not ours["exact_peak"]:
                notes.append("peak memory is the process lifetime's (clear_refs not available)")
            ours_cols = (
                f"{ours['generate_s']:>6.1f} {ours['seconds']:>7.2f} {ours['peak_gb']:>8.2f} "
                f"{ours['input_gb']:>8.2f} {ours['findings']:>9} "
                f"{100 * ours['involved_share']:>7.1f}%"
            )
        if "error" in base:
            if not args.no_baseline:
                notes.append(f"N={n}: baseline skipped: {base['error']}")
            lower = ""
            if "error" not in ours and base["error"].endswith(" s"):
                lower = f">{args.baseline_timeout / ours['seconds']:.1f}x"
            base_cols = f"{'skipped':>11} {'':>8} {'':>10} {lower:>14}"
        else:
            ratio = base["seconds"] / ours["seconds"] if "error" not in ours else float("nan")
            base_cols = (
                f"{base['seconds']:>11.2f} {base['peak_gb']:>8.2f} {base['findings']:>10} "
                f"{ratio:>13.1f}x"
            )
        print(f"{n:>9} {ours_cols} {base_cols}", flush=True)
    for note in dict.fromkeys(notes):
        print("note:", note)
    print(
        "\ninput GB: resident memory before the call (the layer and libraries); "
        "findings: same-type pairs reported by find_overlaps; in pairs: share of features in one; "
        "base pairs: same-type pairs the baseline keeps (it also keeps crossings and slivers)"
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
