"""Benchmark: coverage gaps for all 514 kabupaten/kota with 100k projects, against a baseline.

Run: ``python bench/bench_gaps.py`` (options: ``--projects N`` (default 100000), ``--seed S``,
``--baseline-timeout S`` (default 600), ``--no-baseline``).

Data: the real kabupaten/kota boundaries of ``../shared/data/reference/idn_adm2_kabkota.geojson``
(514 units, read in place beside the repository), a synthetic population per unit, a synthetic
reference road network (:func:`make_network`: 3 to 12 winding roads per unit, 18-54 km each,
one nasional, one provinsi, the rest kabupaten and desa, with a condition) and ``N`` synthetic
projects inside the units (:func:`make_projects`: 80% roads of 45 vertices, 60% of them
re-digitised stretches of a network road and the rest winding roads anywhere in a unit; 10%
irrigation areas; 10% bridges, half of them on the network), years 2019-2026.

Each task runs in a fresh child process that builds the data (deterministic for a seed),
returns freed memory to the OS, resets the kernel's peak-RSS mark and reports the time of the
call and the peak resident memory while it runs (the input data included, building it
excluded); ``ru_maxrss`` (the process lifetime's peak, building included) is printed too.
Tasks:

- ``coverage_by_unit`` without and with the network, ``access_gaps`` (2 km),
  ``uncovered_segments`` and ``hex_grid_coverage`` (5 km cells over the whole country);
- ``store_network``: the projects imported into a GeoPackage store first (not timed), then
  timed: reading the columns the gaps use from the store, and ``coverage_by_unit`` with the
  network (``--tasks store_network``; not in the default run);
- the baseline, what a GIS analyst writes with geopandas in one national metric CRS
  (``estimate_utm_crs``): ``sjoin`` + ``groupby`` for the count and budget of projects per
  unit, ``overlay(how="intersection")`` + ``groupby`` for road length and irrigation area per
  unit; with the network also ``overlay`` of network and units, road projects buffered by
  ``tolerance_m`` and dissolved (``union_all``, exploded into its disjoint parts), and the
  ``overlay`` of the network pieces with those parts.

The machine may be shared: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import atexit
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_overlap_speed import (  # noqa: E402
    _memory_gb,
    _peak_reset,
    _release_freed_memory,
)
from bench.overlap_data import blob_coords  # noqa: E402

#: Kemendagri kabupaten/kota boundaries, read where they are (never copied into the repo).
UNITS_PATH = ROOT.parent / "shared" / "data" / "reference" / "idn_adm2_kabkota.geojson"
#: Metres per degree of latitude, and of longitude at the equator (WGS 84, close enough to
#: lay out synthetic lines; every measure in the benchmark is taken in UTM by geo.analyse.gaps).
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON = 111_320.0
#: Network roads: vertices and the spacing range between them, metres (18-54 km roads).
NETWORK_VERTICES = 121
NETWORK_STEP_M = (150.0, 450.0)
#: Vertices of a road project (as in bench_overlap_speed) and its step range, metres.
ROAD_VERTICES = 45
#: Shares of projects: roads, irrigation areas, bridges; share of road projects on the network.
SHARES = {"road": 0.8, "irrigation": 0.1, "bridge": 0.1}
ON_NETWORK_SHARE = 0.6


def load_units(seed: int = 0) -> gpd.GeoDataFrame:
    """The 514 kabupaten/kota: ``unit_id``, ``unit_name``, synthetic ``population``, EPSG:4326."""
    raw = gpd.read_file(UNITS_PATH)
    units = gpd.GeoDataFrame(
        {"unit_id": raw["kode"], "unit_name": raw["nama"]}, geometry=raw.geometry, crs=raw.crs
    ).to_crs(4326)
    rng = np.random.default_rng(seed)
    area_km2 = _rough_area_km2(units.geometry.to_numpy())
    density = np.exp(rng.normal(np.log(150.0), 1.2, len(units)))  # people per km2
    units["population"] = np.round(area_km2 * density, 0)
    return units


def _rough_area_km2(geoms: np.ndarray) -> np.ndarray:
    lat = shapely.get_y(shapely.centroid(geoms))
    return shapely.area(geoms) * _M_PER_DEG_LAT * _M_PER_DEG_LON * np.cos(np.radians(lat)) / 1e6


def points_inside(
    rng: np.random.Generator, units: gpd.GeoDataFrame, unit_of: np.ndarray
) -> np.ndarray:
    """One random point (lon, lat) inside unit ``unit_of[i]`` for each i: shape (n, 2)."""
    geoms = units.geometry.to_numpy()
    bounds = shapely.bounds(geoms)
    out = np.empty((len(unit_of), 2))
    order = np.argsort(unit_of, kind="stable")
    counts = np.bincount(unit_of, minlength=len(geoms))
    start = 0
    for unit, count in enumerate(counts):  # generator only: one rejection sampler per unit
        if not count:
            continue
        rows = order[start : start + count]
        start += count
        x0, y0, x1, y1 = bounds[unit]
        shapely.prepare(geoms[unit])
        found = np.empty((0, 2))
        while len(found) < count:
            xy = rng.uniform([x0, y0], [x1, y1], (max(64, 3 * (count - len(found))), 2))
            found = np.vstack([found, xy[shapely.contains_xy(geoms[unit], xy[:, 0], xy[:, 1])]])
        out[rows] = found[:count]
    return out


def _walks(
    rng: np.random.Generator, start: np.ndarray, n_vertices: int, step_m: np.ndarray, turn: float
) -> np.ndarray:
    """Random walks with a slowly turning heading: coordinates (k, n_vertices, 2), degrees."""
    k = len(start)
    heading = rng.uniform(0.0, 2.0 * np.pi, (k, 1)) + np.cumsum(
        rng.normal(0.0, turn, (k, n_vertices - 1)), axis=1
    )
    cos_lat = np.cos(np.radians(start[:, 1]))[:, None]
    dx = step_m[:, None] * np.cos(heading) / (_M_PER_DEG_LON * cos_lat)
    dy = step_m[:, None] * np.sin(heading) / _M_PER_DEG_LAT
    x = start[:, :1] + np.concatenate([np.zeros((k, 1)), np.cumsum(dx, axis=1)], axis=1)
    y = start[:, 1:] + np.concatenate([np.zeros((k, 1)), np.cumsum(dy, axis=1)], axis=1)
    return np.stack([x, y], axis=-1)


def make_network(units: gpd.GeoDataFrame, seed: int = 0) -> gpd.GeoDataFrame:
    """A synthetic reference network: 3-12 roads per unit (more in larger units), EPSG:4326.

    Columns ``road_id``, ``name``, ``status`` (one ``nasional`` and one ``provinsi`` per unit,
    then ``kabupaten`` and ``desa``), ``condition`` (baik 40%, sedang 30%, rusak ringan 20%,
    rusak berat 10%). Roads start inside their unit and may run into the next one or the sea.
    """
    rng = np.random.default_rng(seed + 1)
    area_km2 = _rough_area_km2(units.geometry.to_numpy())
    per_unit = np.clip(np.round(area_km2 / 500.0), 3, 12).astype(int)
    unit_of = np.repeat(np.arange(len(units)), per_unit)
    rank = np.arange(len(unit_of)) - np.repeat(np.cumsum(per_unit) - per_unit, per_unit)
    status = np.where(
        rank == 0,
        "nasional",
        np.where(rank == 1, "provinsi", np.where(rank % 3 == 2, "desa", "kabupaten")),
    ).astype(object)
    start = points_inside(rng, units, unit_of)
    step = rng.uniform(*NETWORK_STEP_M, len(unit_of))
    coords = _walks(rng, start, NETWORK_VERTICES, step, turn=0.12)
    conditions = np.array(["baik", "sedang", "rusak ringan", "rusak berat"], dtype=object)
    unit_ids = units["unit_id"].to_numpy()[unit_of]
    road_id = np.char.add(np.char.add(unit_ids.astype(str), "-R"), rank.astype(str)).astype(object)
    return gpd.GeoDataFrame(
        {
            "road_id": road_id,
            "name": np.char.add("Ruas ", road_id.astype(str)).astype(object),
            "status": status,
            "condition": conditions[rng.choice(4, len(unit_of), p=[0.4, 0.3, 0.2, 0.1])],
        },
        geometry=shapely.linestrings(coords),
        crs=4326,
    )


def make_projects(
    units: gpd.GeoDataFrame, network: gpd.GeoDataFrame, n: int, seed: int = 0
) -> gpd.GeoDataFrame:
    """``n`` synthetic projects inside the units, canonical record columns, EPSG:4326.

    80% roads of 45 vertices: ``ON_NETWORK_SHARE`` of them a 2-8 km stretch of a random
    network road re-digitised with 3 m noise, the rest winding roads (45 steps of 50-200 m)
    starting anywhere in a unit; 10% irrigation areas (40-vertex blobs of 300-1500 m radius);
    10% bridges, half on the network. Units get projects in proportion to the square root of
    their area, so small kota are denser than large kabupaten, as in real lists.
    """
    rng = np.random.default_rng(seed + 2)
    n_roads = int(round(n * SHARES["road"]))
    n_areas = int(round(n * SHARES["irrigation"]))
    n_bridges = n - n_roads - n_areas
    weight = np.sqrt(_rough_area_km2(units.geometry.to_numpy()))
    weight /= weight.sum()
    net_geoms = network.geometry.to_numpy()
    lat = shapely.get_y(shapely.centroid(net_geoms))
    # rough metric length per degree of each network road, to cut stretches of 2-8 km
    net_m = shapely.length(net_geoms) * np.sqrt(
        _M_PER_DEG_LAT * _M_PER_DEG_LON * np.cos(np.radians(lat))
    )

    n_on = int(round(n_roads * ON_NETWORK_SHARE))
    which = rng.integers(0, len(net_geoms), n_on)
    span = np.minimum(rng.uniform(2_000.0, 8_000.0, n_on) / net_m[which], 1.0)
    begin = rng.uniform(0.0, 1.0 - span)
    fractions = begin[:, None] + span[:, None] * np.linspace(0.0, 1.0, ROAD_VERTICES)
    points = shapely.line_interpolate_point(
        np.repeat(net_geoms[which], ROAD_VERTICES), fractions.ravel(), normalized=True
    )
    on_coords = shapely.get_coordinates(points).reshape(n_on, ROAD_VERTICES, 2)
    on_coords += rng.normal(0.0, 3.0 / _M_PER_DEG_LAT, on_coords.shape)
    reverse = rng.random(n_on) < 0.3
    on_coords[reverse] = on_coords[reverse, ::-1]

    n_free = n_roads - n_on
    free_start = points_inside(rng, units, rng.choice(len(units), n_free, p=weight))
    free_coords = _walks(
        rng, free_start, ROAD_VERTICES, rng.uniform(50.0, 200.0, n_free), turn=0.15
    )
    roads = shapely.linestrings(np.concatenate([on_coords, free_coords]))

    centre = points_inside(rng, units, rng.choice(len(units), n_areas, p=weight))
    ring = blob_coords(rng, rng.uniform(300.0, 1_500.0, n_areas), n_vertices=40)
    cos_lat = np.cos(np.radians(centre[:, 1]))[:, None]
    ring_deg = np.stack(
        [
            centre[:, :1] + ring[..., 0] / (_M_PER_DEG_LON * cos_lat),
            centre[:, 1:] + ring[..., 1] / _M_PER_DEG_LAT,
        ],
        axis=-1,
    )
    areas = shapely.polygons(ring_deg)

    n_bridge_on = n_bridges // 2
    bridge_on = shapely.line_interpolate_point(
        net_geoms[rng.integers(0, len(net_geoms), n_bridge_on)],
        rng.uniform(0.0, 1.0, n_bridge_on),
        normalized=True,
    )
    bridge_free = points_inside(
        rng, units, rng.choice(len(units), n_bridges - n_bridge_on, p=weight)
    )
    bridges = np.concatenate([bridge_on, shapely.points(bridge_free)])

    geometry = np.concatenate([roads, areas, bridges])
    asset = np.repeat(
        np.array(["road", "irrigation", "bridge"], dtype=object), [n_roads, n_areas, n_bridges]
    )
    levels = np.array(["pusat", "provinsi", "kabupaten", "desa"], dtype=object)
    start_year = rng.integers(2019, 2027, n)
    number = np.char.zfill(np.arange(n).astype(str), 7)
    return gpd.GeoDataFrame(
        {
            "project_id": np.char.add("G", number).astype(object),
            "name": np.char.add("Paket ", number).astype(object),
            "level": levels[rng.choice(4, n, p=[0.25, 0.3, 0.35, 0.1])],
            "agency": "Dinas PUPR",
            "asset_type": asset,
            "year_start": start_year,
            "year_end": np.minimum(start_year + rng.choice(3, n, p=[0.8, 0.15, 0.05]), 2026),
            "budget_idr": np.round(rng.uniform(2e8, 4e10, n), -6),
            "funding_source": "APBD",
        },
        geometry=geometry,
        crs=4326,
    )


# --- the baseline ------------------------------------------------------------------------------


def baseline_coverage(
    projects: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame,
    roads: gpd.GeoDataFrame | None = None,
    tolerance_m: float = 20.0,
) -> pd.DataFrame:
    """The geopandas way: one national UTM CRS, ``sjoin`` / ``overlay`` and ``groupby``.

    Counts and whole budgets per unit by ``sjoin``; road length and irrigation area per unit
    by ``overlay``; with a network, its ``overlay`` with the units intersected with the
    dissolved ``tolerance_m`` buffers of the road projects. Measured in the one UTM zone of
    the data's centre (``estimate_utm_crs``), which is off by up to several % at the ends of
    Indonesia, and it counts crossings as covered; here only its speed counts.
    """
    crs = units.estimate_utm_crs()
    metric_units = units[["unit_id", "geometry"]].to_crs(crs)
    metric = projects[["budget_idr", "asset_type", "geometry"]].to_crs(crs)
    joined = gpd.sjoin(metric, metric_units, predicate="intersects")
    table = pd.DataFrame({"unit_id": units["unit_id"]}).set_index("unit_id")
    table["projects"] = joined.groupby("unit_id").size()
    table["budget_idr"] = joined.groupby("unit_id")["budget_idr"].sum()
    roads_only = metric[metric["asset_type"] == "road"]
    pieces = gpd.overlay(roads_only, metric_units, how="intersection", keep_geom_type=True)
    table["project_km"] = pieces.length.groupby(pieces["unit_id"]).sum() / 1_000.0
    areas = gpd.overlay(
        metric[metric["asset_type"] == "irrigation"], metric_units, how="intersection"
    )
    table["project_ha"] = areas.area.groupby(areas["unit_id"]).sum() / 10_000.0
    if roads is not None:
        network = gpd.overlay(
            roads[["status", "geometry"]].to_crs(crs),
            metric_units,
            how="intersection",
            keep_geom_type=True,
        )
        reach = gpd.GeoDataFrame(
            geometry=[shapely.union_all(shapely.buffer(roads_only.geometry.values, tolerance_m))],
            crs=crs,
        ).explode(ignore_index=True)  # disjoint parts: overlay pairs each piece with its parts
        network["piece"] = np.arange(len(network))
        covered = gpd.overlay(network, reach, how="intersection", keep_geom_type=True)
        network["covered_m"] = covered.length.groupby(covered["piece"]).sum()
        network["length_m"] = network.length
        sums = network.groupby(["unit_id", "status"])[["length_m", "covered_m"]].sum().unstack()
        sums.columns = [f"{measure}_{status}" for measure, status in sums.columns]
        table = table.join(sums / 1_000.0)
        table["network_km"] = network.groupby("unit_id")["length_m"].sum() / 1_000.0
        table["covered_km"] = network.groupby("unit_id")["covered_m"].sum() / 1_000.0
        table["covered_share"] = table["covered_km"] / table["network_km"]
    return table.fillna(0.0).reset_index()


# --- running the tasks -------------------------------------------------------------------------

#: task -> (label, what runs); each in a fresh process.
TASKS = {
    "plain": "coverage_by_unit, no network",
    "network": "coverage_by_unit + network",
    "store_network": "read from store + coverage + network",
    "segments": "uncovered_segments",
    "access": "access_gaps 2 km",
    "hex": "hex_grid_coverage 5 km + network",
    "base_plain": "baseline, no network",
    "base_network": "baseline + network",
}


def _run_task(task: str, units, network, projects):
    from geo.analyse.gaps import (
        access_gaps,
        coverage_by_unit,
        hex_grid_coverage,
        uncovered_segments,
    )

    if task == "plain":
        return len(coverage_by_unit(projects, units))
    if task == "network":
        table = coverage_by_unit(projects, units, roads=network)
        return f"covered {table['covered_km'].sum() / table['network_km'].sum():.0%}"
    if task == "store_network":  # ``projects`` is the GeoPackage store's path here
        from geo.analyse.gaps import PROJECT_COLUMNS_USED
        from geo.store import open_store

        stored = open_store(projects).load_projects(columns=PROJECT_COLUMNS_USED)
        table = coverage_by_unit(stored, units, roads=network)
        return f"covered {table['covered_km'].sum() / table['network_km'].sum():.0%}"
    if task == "segments":
        return f"{len(uncovered_segments(projects, network, units=units))} stretches"
    if task == "access":
        table = access_gaps(projects, units)
        return f"gap {table['gap_population'].sum() / table['population'].sum():.0%} of people"
    if task == "hex":
        return f"{len(hex_grid_coverage(projects, units, roads=network))} cells"
    if task == "base_plain":
        return len(baseline_coverage(projects, units))
    if task == "base_network":
        table = baseline_coverage(projects, units, network)
        return f"covered {table['covered_km'].sum() / table['network_km'].sum():.0%}"
    raise ValueError(task)


def _child(task: str, n: int, seed: int) -> dict:
    """Build the data and run one task in this (fresh) process; return the figures."""
    start = time.perf_counter()
    units = load_units(seed)
    network = make_network(units, seed)
    projects = make_projects(units, network, n, seed)
    if task == "store_network":  # the projects go into a GeoPackage store first (not timed)
        from bench.bench_incremental import build_store

        folder = Path(tempfile.mkdtemp(prefix="peta-bench-gaps-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        build_store(folder / "store.gpkg", projects.assign(work_type="", status=""), seed)
        projects = folder / "store.gpkg"
    build_s = time.perf_counter() - start
    _release_freed_memory()
    exact = _peak_reset()
    input_gb = _memory_gb("VmRSS")
    start = time.perf_counter()
    cpu = time.process_time()
    result = _run_task(task, units, network, projects)
    seconds = time.perf_counter() - start
    cpu_s = time.process_time() - cpu
    scale = 1 if sys.platform == "darwin" else 1_024  # ru_maxrss: KiB on Linux
    return {
        "seconds": seconds,
        "cpu_s": cpu_s,
        "build_s": build_s,
        "peak_gb": _memory_gb("VmHWM"),
        "maxrss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e9,
        "input_gb": input_gb,
        "exact_peak": exact,
        "result": str(result),
    }


def _run_child(task: str, args: argparse.Namespace, timeout: float | None) -> dict:
    command = [sys.executable, __file__, "--child", task, "--seed", str(args.seed)]
    command += ["--projects", str(args.projects)]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=None if timeout is None else timeout + 60.0,  # + building the data
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:g} s"}
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        return {"error": tail[0][:80]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Print the table of times, peak memory and ratios; exit 1 over the 10 s target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000, help="number of projects")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline-timeout", type=float, default=600.0, help="seconds")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--tasks", nargs="*", choices=list(TASKS), help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=list(TASKS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, args.projects, args.seed)))
        return 0

    units = load_units(args.seed)
    network = make_network(units, args.seed)
    print(
        f"{len(units)} kabupaten/kota ({UNITS_PATH.name}), {len(network)} synthetic network roads "
        f"(NETWORK_VERTICES={NETWORK_VERTICES}), {args.projects} synthetic projects "
        f"(80% roads of {ROAD_VERTICES} vertices, {ON_NETWORK_SHARE:.0%} of them on the network)"
    )
    print("each task in a fresh process; peak GB = peak resident memory while it runs\n")
    tasks = args.tasks or [
        t for t in TASKS if t != "store_network" and not (args.no_baseline and t.startswith("base"))
    ]
    header = (
        f"{'task':<34} {'time s':>7} {'cpu s':>6} {'peak GB':>8} {'input GB':>8} "
        f"{'maxrss GB':>9}  result"
    )
    print(header)
    results = {}
    for task in tasks:
        timeout = args.baseline_timeout if task.startswith("base") else None
        got = _run_child(task, args, timeout)
        results[task] = got
        if "error" in got:
            print(f"{TASKS[task]:<34} {'skipped':>7}  {got['error']}", flush=True)
            continue
        print(
            f"{TASKS[task]:<34} {got['seconds']:>7.2f} {got['cpu_s']:>6.1f} "
            f"{got['peak_gb']:>8.2f} {got['input_gb']:>8.2f} {got['maxrss_gb']:>9.2f}  "
            f"{got['result']}",
            flush=True,
        )
    print()
    status = 0
    for ours, base in (("plain", "base_plain"), ("network", "base_network")):
        if ours not in results or "error" in results[ours]:
            continue
        seconds = results[ours]["seconds"]
        verdict = "ok" if seconds <= 10.0 else "OVER"
        status |= seconds > 10.0
        line = f"{TASKS[ours]}: {seconds:.2f} s ({verdict}: target 10 s)"
        if base in results:
            if "error" in results[base]:
                if results[base]["error"].endswith(" s"):
                    line += f"; baseline > {args.baseline_timeout / seconds:.0f}x slower"
            else:
                line += f"; baseline/ours {results[base]['seconds'] / seconds:.1f}x"
        print(line)
    print(
        "\ntime s: wall clock of the call; cpu s: CPU time of all its threads; input GB: "
        "resident memory before the call; maxrss GB: ru_maxrss, the process's lifetime peak "
        "(building the data included)"
    )
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
