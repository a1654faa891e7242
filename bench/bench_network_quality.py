"""Road overlaps on a labelled dense city network: the network method against geometry alone.

A made-up city block (UTM zone 48S, around Jakarta) holds what fools geometry: an elevated toll
road drawn 5 m beside the arterial it runs above ("Jalan Tol Layang ..."), a divided road whose
two carriageways are drawn 22 m apart, a frontage (service) road 15 m beside the arterial, and
a grid of local streets crossing them. Works are drawn on it as agencies draw them:

- **duplicates** (true overlaps): one stretch drawn by two levels of government, the second
  with 3-5 m noise, or drawn by an agency working on another basemap (``offset``: the city's
  Dinas PUPR, whose *every* work is translated by one vector of 20-40 m in a direction drawn
  from the seed, plus the 3-5 m noise), or only partly the same stretch (the true shared length
  known), or in two parts with a gap;
- **neighbours** (not overlaps): a work on the elevated road and one on the arterial below it,
  one on each carriageway of the divided road, one on the frontage road and one on the
  arterial beside it, each pair over the same stretch (the second work of every fourth pair
  drawn by the shifted agency, so shifted too);
- the shifted agency's own other works (``--per-case`` of them, 300 m-1 km on the long roads
  and the local streets): a real agency file is shifted as a whole;
- outside the issue's F1, the old ``offset`` case, printed apart: copies shifted sideways by
  their *own* random 20-40 m each (``offset_each``), which puts many exactly onto the frontage
  road or the other carriageway, where nothing tells them from a work on that road.

Both engines (:func:`geo.analyse.overlap.find_overlaps` without and with the network) are
scored in the same run, the network also without the source shift (``no shift``: every work
given its own upload, so no source has works enough for an estimate: the matcher as before): precision, recall and F1 over the labelled pairs, per case, the
median error of the shared length on the duplicates found, and the seconds each took; then the
shift estimated for each agency (:func:`geo.spatial.source_shift.estimate_shifts`) against the
true one.

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

from geo.analyse.locations import locate_road_projects  # noqa: E402
from geo.analyse.overlap import find_overlaps  # noqa: E402
from geo.spatial.network import RoadNetwork  # noqa: E402
from geo.spatial.source_shift import estimate_shifts, source_keys  # noqa: E402
from tests.geometries import redigitised  # noqa: E402

ZONE = 32748  # UTM 48S
ORIGIN = (700_000.0, 9_310_000.0)  # near Jakarta, metres
LENGTH_M = 6_000.0
#: Sideways positions (metres) of the roads that run east-west.
ARTERIAL_Y, ELEVATED_Y, FRONTAGE_Y = 0.0, 5.0, -15.0
#: The divided road runs north-south: carriageways at x +- 11 m.
DIVIDED_X, CARRIAGEWAY_M = 3_000.0, 11.0
#: The agency that digitises on another basemap: every one of its works is shifted by one vector.
SHIFTED_AGENCY = "Dinas PUPR Kota (peta dasar lain)"


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


def agency_shift(seed: int) -> tuple[float, float]:
    """The one vector (metres east, north) every work of :data:`SHIFTED_AGENCY` is moved by."""
    rng = np.random.default_rng(seed + 1)
    length, angle = rng.uniform(20, 40), rng.uniform(0, 2 * np.pi)
    return float(length * np.cos(angle)), float(length * np.sin(angle))


def _local_street(rng: np.random.Generator, length_m: float) -> LineString:
    """A stretch of one of the local streets crossing the arterial (north-south)."""
    x0, y0 = ORIGIN
    x = float(rng.choice([c for c in np.arange(500.0, LENGTH_M, 500.0) if c != DIVIDED_X]))
    start = rng.uniform(-1000.0, 1000.0 - length_m)
    return LineString([(x0 + x, y0 + start), (x0 + x, y0 + start + length_m)])


def works(per_case: int, seed: int):
    """The labelled works in metres: rows (project id, level, road, name, geometry, agency),
    the true pairs with their shared length, the case of every labelled pair (duplicates and
    neighbours), and the pairs of the per-work offset case scored apart (with their length)."""
    rng = np.random.default_rng(seed)
    vector = agency_shift(seed)
    rows: list[tuple[str, str, str, str, shapely.Geometry, str]] = []
    truth: dict[frozenset, float] = {}
    case_of: dict[frozenset, str] = {}
    apart: dict[frozenset, float] = {}

    def draw(line, *, noise, shift=0.0, translate=False):
        moved = shapely.offset_curve(line, shift) if abs(shift) > 0.5 else line
        if translate:
            moved = shapely.transform(moved, lambda xy: xy + np.array(vector))
        return redigitised(moved, spacing_m=rng.uniform(15, 40), noise_m=noise,
                           seed=int(rng.integers(1e9)), reverse=bool(rng.random() < 0.3))  # fmt: skip

    def add(pid, level, road, geom, agency=None):
        rows.append((pid, level, road, _NAME.get(road, "Pemeliharaan Jalan Lokal"), geom,
                     agency or f"Instansi {level}"))  # fmt: skip

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
                # Drawn as before (the same random numbers), the sideways shift left unused: the
                # copy is moved by the agency's one vector instead.
                rng.uniform(20, 40) * rng.choice([-1.0, 1.0])
                drawn = draw(line, noise=rng.uniform(3, 5), translate=True)
                add(b, "kabupaten", road, drawn, SHIFTED_AGENCY)
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
        for k in range(per_case):
            lo = max(_RANGE[upper][0], _RANGE[lower][0])
            hi = min(_RANGE[upper][1], _RANGE[lower][1])
            length = rng.uniform(600, 1500)
            start = rng.uniform(lo + 50, hi - length - 50)
            a, b = f"A{n}", f"B{n}"
            n += 1
            add(a, "pusat", upper, draw(_stretch(upper, start, length), noise=rng.uniform(3, 5)))
            shifted = k % 4 == 0
            drawn = draw(_stretch(lower, start, length), noise=rng.uniform(3, 5), translate=shifted)
            add(b, "kabupaten" if shifted else "provinsi", lower, drawn,
                SHIFTED_AGENCY if shifted else None)  # fmt: skip
            case_of[frozenset({a, b})] = case
    # The old offset case: every copy shifted sideways by its own 20-40 m (scored apart).
    for _ in range(per_case):
        road = rng.choice(list(_RANGE))
        lo, hi = _RANGE[road]
        length = rng.uniform(600, 1500)
        start = rng.uniform(lo, hi - length - 400)
        line = _stretch(road, start, length)
        a, b = f"A{n}", f"B{n}"
        n += 1
        add(a, "pusat", road, draw(line, noise=rng.uniform(3, 5)))
        shift = rng.uniform(20, 40) * rng.choice([-1.0, 1.0])
        add(b, "provinsi", road, draw(line, noise=rng.uniform(3, 5), shift=shift))
        apart[frozenset({a, b})] = length
    # The shifted agency's own other works, on the long roads and the local streets.
    for k in range(per_case):
        length = rng.uniform(300, 1000)
        if k % 2:
            line = _local_street(rng, length)
            road = "local"
        else:
            road = str(rng.choice(list(_RANGE)))
            lo, hi = _RANGE[road]
            line = _stretch(road, rng.uniform(lo, hi - length), length)
        add(f"C{k}", "kabupaten", road, draw(line, noise=rng.uniform(3, 5), translate=True),
            SHIFTED_AGENCY)  # fmt: skip
    return rows, truth, case_of, apart


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
        "reported": reported,
        "length_error": float(np.median(errors)) if errors else float("nan"),
        "within_2pct": float(np.mean(np.array(errors) <= 0.02)) if errors else float("nan"),
    }


def noise_only(rows, truth: dict, vector: tuple[float, float]) -> dict[frozenset, float]:
    """What the digitising noise alone leaves of each duplicate's shared length: both drawings
    (the shifted agency's with its true vector taken off) projected on the true road they were
    drawn from (east-west roads: x; the divided road: y), each part its own interval, and the
    intervals of the two works intersected. An end drawn 4 m along the road cannot be told from
    one that is: no method placing drawings on the road can do better than this on average."""
    drawn = {r[0]: (r[4], r[2], r[5]) for r in rows}

    def intervals(pid: str) -> list[tuple[float, float]]:
        geom, road, agency = drawn[pid]
        if agency == SHIFTED_AGENCY:
            geom = shapely.transform(geom, lambda xy: xy - np.array(vector))
        axis = 1 if str(road).startswith("divided") else 0
        out = []
        for part in shapely.get_parts(geom):
            along = shapely.get_coordinates(part)[:, axis]
            out.append((float(along.min()), float(along.max())))
        return out

    lengths = {}
    for pair in truth:
        a, b = sorted(pair)
        lengths[pair] = sum(
            max(0.0, min(a1, b1) - max(a0, b0))
            for a0, a1 in intervals(a)
            for b0, b1 in intervals(b)
        )
    return lengths


def _print_length_errors(reported: dict, truth: dict, case_of: dict, oracle: dict) -> None:
    """The network method's shared-length error against the truth, next to the noise alone's
    (:func:`noise_only`), per case and by true shared length; and the method's own part (its
    length against the noise-only length)."""
    found = [p for p in truth if p in reported]
    frame = pd.DataFrame(
        {
            "case": [case_of[p] for p in found],
            "true": [truth[p] for p in found],
            "network": [reported[p] for p in found],
            "noise": [oracle[p] for p in found],
        }
    )
    frame["error"] = (frame["network"] - frame["true"]).abs() / frame["true"]
    frame["noise_error"] = (frame["noise"] - frame["true"]).abs() / frame["true"]
    frame["own"] = (frame["network"] - frame["noise"]).abs() / frame["true"]
    print(
        "\nshared length of the duplicates found on the network, against the true chainage "
        "overlap;\n'noise only': both drawings projected on their true road (what 3-5 m "
        "noise on the drawn ends allows);\n'own': the network's length against the noise-only "
        "length (the method's own error)"
    )
    print(
        f"  {'':22s}{'n':>5s}{'within 2%':>11s}{'noise only':>11s}{'own':>8s}"
        f"{'median':>9s}{'noise only':>11s}{'own p90':>9s}"
    )

    def line(label: str, rows: pd.DataFrame) -> None:
        print(
            f"  {label:22s}{len(rows):5d}{(rows['error'] <= 0.02).mean():11.3f}"
            f"{(rows['noise_error'] <= 0.02).mean():11.3f}{(rows['own'] <= 0.02).mean():8.3f}"
            f"{rows['error'].median():9.4f}{rows['noise_error'].median():11.4f}"
            f"{rows['own'].quantile(0.9):9.4f}"
        )

    line("all", frame)
    for case, rows in frame.groupby("case", sort=False):
        line(str(case), rows)
    bins = pd.cut(frame["true"], [0, 500, 800, 1100, 2000])
    for interval, rows in frame.groupby(bins, observed=True):
        line(f"true {interval.left:.0f}-{interval.right:.0f} m", rows)


def _print_neighbour_pairs(reported: dict, truth: dict, case_of: dict, projects, located) -> None:
    """Every neighbour pair the network engine reports, and why: how each work was located."""
    wrong = [p for p in reported if p not in truth]
    print(f"\nneighbour pairs the network engine reports: {len(wrong)}")
    position = {pid: k for k, pid in enumerate(projects["project_id"])}
    for pair in wrong:
        method, overlap = reported[pair]
        print(f"  {case_of[pair]}: {' + '.join(sorted(pair))}, {overlap:.0f} m by {method}")
        for pid in sorted(pair):
            rows = located[located["work"] == position[pid]]
            first = rows.iloc[0]
            where = ", ".join(
                f"{r.ruas_id or r.ruas} {r.from_m:.0f}-{r.to_m:.0f}" for r in rows.itertuples()
            )
            print(
                f"    {pid} ({projects['agency'].iloc[position[pid]]}): matched "
                f"{first.matched_share:.2f}, offset mean {first.offset_mean_m:.1f} m / max "
                f"{first.offset_max_m:.1f} m, shift {first.shift_m:.1f} m; {where}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-case", type=int, default=40, help="labelled pairs per case")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    roads = city().to_crs(4326)
    rows, truth, case_of, apart = works(args.per_case, args.seed)
    projects = gpd.GeoDataFrame(
        {
            "project_id": [r[0] for r in rows],
            "name": [r[3] for r in rows],
            "level": [r[1] for r in rows],
            "agency": [r[5] for r in rows],
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
    # The baseline without the source shift, in the same run: every work its own upload, so
    # no source has the works a shift is estimated from (locating is otherwise the same).
    engines = {
        "geometry": (projects, False),
        "no shift": (projects.assign(upload_id=np.arange(len(projects))), True),
        "network": (projects, True),
    }
    results = {}
    located = None
    for engine, (records, with_network) in engines.items():
        started = time.perf_counter()
        network = RoadNetwork(roads) if with_network else None
        if engine == "network":
            located = locate_road_projects(records, network)
        found = find_overlaps(records, network=network, located=located)
        seconds = time.perf_counter() - started
        results[engine] = (
            score(found, truth, case_of)
            | {"seconds": seconds, "found": found}
            | {"apart": score(found, apart, dict.fromkeys(apart, "offset_each"))}
        )
    cases = list(dict.fromkeys(case_of.values()))
    print(f"\n{'':28s}" + "".join(f"{e:>10s}" for e in engines))
    for key in ("precision", "recall", "f1", "length_error", "within_2pct", "seconds"):
        print(f"{key:28s}" + "".join(f"{results[e][key]:10.3f}" for e in engines))
    print("\npairs reported, per case (of", args.per_case, "each)")
    for case in cases:
        kind = "duplicate" if case in {c for p, c in case_of.items() if p in truth} else "neighbour"
        counts = "".join(f"{results[e]['per_case'][case]:10d}" for e in engines)
        print(f"  {case:26s}{kind:>10s}{counts}")
    counts = "".join(
        f"{results[e]['apart']['per_case'].get('offset_each', 0):10d}" for e in engines
    )
    print(
        f"  {'offset_each (outside F1)':26s}{'duplicate':>10s}{counts}   "
        "(each copy its own sideways 20-40 m: the old offset case)"
    )
    ratio = results["network"]["f1"] / max(results["geometry"]["f1"], 1e-9)
    print(f"\nF1 network / geometry: {ratio:.2f}x")
    network_found = results["network"]["found"]
    network_roads = network_found[network_found["asset_type"] == "road"]
    how = {
        frozenset({a, b}): (method, m)
        for a, b, method, m in zip(
            network_roads["project_a"],
            network_roads["project_b"],
            network_roads["method"],
            network_roads["overlap_m"],
            strict=True,
        )
        if frozenset({a, b}) in case_of
    }
    _print_neighbour_pairs(how, truth, case_of, projects, located)
    _print_length_errors(
        results["network"]["reported"],
        truth,
        case_of,
        noise_only(rows, truth, agency_shift(args.seed)),
    )
    _print_shifts(projects, RoadNetwork(roads), agency_shift(args.seed))


def _print_shifts(projects: gpd.GeoDataFrame, network: RoadNetwork, vector) -> None:
    """Each agency's shift as estimated (what locating the works removes) against the truth."""
    lines = np.asarray(projects.geometry.values, dtype=object)
    shifts = estimate_shifts(network, lines, source_keys(projects), max_shift_m=40.0)
    print(f"\nshift per agency (true for {SHIFTED_AGENCY}: {-vector[0]:+.1f} m east, "
          f"{-vector[1]:+.1f} m north to undo, {np.hypot(*vector):.1f} m)")  # fmt: skip
    print(f"  {'agency':36s}{'works':>6s}{'dx_m':>8s}{'dy_m':>8s}{'resid_m':>9s}{'before_m':>9s}"
          f"{'applied':>9s}")  # fmt: skip
    for row in shifts.itertuples(index=False):
        print(f"  {row.source:36s}{row.works:6d}{row.dx_m:8.1f}{row.dy_m:8.1f}"
              f"{row.residual_m:9.1f}{row.unshifted_m:9.1f}{str(row.applied):>9s}")  # fmt: skip


if __name__ == "__main__":
    main()
