"""A generated proposal list checked against a generated network and store (issue 18).

Builds, from ``--seed``: a network of ``--ruas`` ruas near Jambi (UTM 48S) with Indonesian names
("Bts. Kab. Tebo - Simpang Rimbo", place names shared between ruas as real lists share them)
and statuses; a grid of kecamatan; stored road works of every level drawn along the ruas with
3 m digitising noise, contracted or planned, 2023-2026; and a list of ``--rows`` proposals
written as a KRISNA-like workbook (title row, header merged over two rows): ruas codes with
STA, names written another way (Jl./Jln/Jalan, Sp./Simp., Bts., Kab./Kota, -, –, s.d., s/d,
the two end names reversed, spelling before 1972, a letter left out) with and without STA, kecamatan-only rows
and ruas that are not in the network.

Prints the share of rows placed at each precision, name-only rows put on the right ruas (and
on a wrong one), verdict precision/recall for overlaps and kewenangan against the truth
built, and the time, beside a baseline measured in the same run: placing by code or exact
name only (``RoadNetwork.find_ruas``), as the reader does for ruas + STA records.

Usage: ``python bench/bench_proposals.py [--rows 400] [--ruas 300] [--seed 1]``
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import shapely
from pyproj import Transformer
from shapely import LineString

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.analyse.proposals import check_proposals  # noqa: E402
from geo.read.proposals import read_proposals  # noqa: E402
from geo.spatial.crs import utm_epsg  # noqa: E402
from geo.spatial.network import RoadNetwork  # noqa: E402
from tests.geometries import UTM, X0, Y0, redigitised, square  # noqa: E402

PLACES = (
    "Muara Bulian Sengeti Tempino Kumpeh Pudak Sekernan Sungai Bahar Mestong Sungai Gelam "
    "Tanjung Jabung Simpang Rimbo Bujang Tebo Muara Tebo Rantau Rasau Sarolangun Pauh "
    "Mandiangin Bangko Merangin Sungai Penuh Kerinci Siulak Kuala Tungkal Betara Pengabuan "
    "Nipah Panjang Sabak Mendahara Geragai Dendang Muara Sabak Jambi Kecil Kasang Pudak "
    "Talang Duku Suak Kandis Tanjung Pauh Lubuk Kambing Sungai Abang Rambahan Teluk Kuali "
    "Ampelu Sungai Rengas Sridadi Durian Luncuk Batin Tembesi Bajubang Pemayung Maro Sebo "
    "Cermin Nan Gedang Pelawan Limbur Merangin Tabir Rantau Panjang Pamenang Singkut "
    "Sukajaya Pulau Temiang Rimbo Ulu Rimbo Ilir Tuo Sumay Lubuk Mandarsah Muara Tembesi "
    "Kuamang Kuning Suka Damai Tanah Tumbuh Jujuhan Bathin III Ulu Tabir Barat Jangkat "
    "Sungai Tenang Lembah Masurai Tiang Pumpung Renah Pamenang Air Hitam Mersam Koto Boyo"
).split()


def place_names(rng: np.random.Generator, count: int) -> list[str]:
    # One or two words give about 9,800 names; a national network needs three-word names too.
    most_words = 3 if count <= 5_000 else 4
    names: set[str] = set()
    while len(names) < count:
        words = rng.choice(PLACES, size=rng.integers(1, most_words), replace=False)
        names.add(" ".join(words))
    return sorted(names)


def make_network(rng, n_ruas: int):
    """The ruas (EPSG:4326), their lengths (m) and the UTM zone each is drawn in.

    20 ruas a row (20 km apart, rows 1 km apart) as before; a national-size network packs 60 a
    row (16 km apart, rows 300 m apart): 960 km east-west, over UTM zones 48S-50S. Each ruas is
    drawn in the zone of its own centre, the zone the network measures it in: drawn in one zone
    across 960 km, a "15 km" ruas far from that zone's meridian is 0.8% shorter on the ground.
    """
    per_row, col_m, row_m = (20, 20_000.0, 1_000.0) if n_ruas <= 2_000 else (60, 16_000.0, 300.0)
    places = place_names(rng, max(60, n_ruas // 2))
    rows, pairs = [], set()
    for k in range(n_ruas):
        a, b = rng.choice(places, size=2, replace=False)
        while frozenset((a, b)) in pairs:  # one ruas per pair of places, in either order
            a, b = rng.choice(places, size=2, replace=False)
        pairs.add(frozenset((a, b)))
        kind = rng.random()
        if kind < 0.15:
            a = f"Batas Kabupaten {a}"
        elif kind < 0.3:
            a = f"Simpang {a}"
        elif kind < 0.35:
            a = f"Batas Kota {a}"
        status = rng.choice(["nasional", "provinsi", "kabupaten"], p=[0.2, 0.3, 0.5])
        code = {"nasional": "N", "provinsi": "P", "kabupaten": "K"}[status] + f"-{k + 1:03d}"
        length = float(rng.integers(3, 16)) * 1000.0
        row, col = divmod(k, per_row)
        line, zone = _drawn_east(X0 + col * col_m, Y0 + row * row_m, length)
        rows.append((code, f"{a} - {b}", status, line, length, zone))
    roads = gpd.GeoDataFrame(
        {
            "road_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "status": [r[2] for r in rows],
        },
        geometry=[r[3] for r in rows],
        crs=4326,
    )
    return roads, np.array([r[4] for r in rows]), np.array([r[5] for r in rows])


def _drawn_east(x_m: float, y_m: float, length_m: float) -> tuple[LineString, int]:
    """A straight ruas of ``length_m`` ground metres running east from the test grid's
    ``(x_m, y_m)`` (UTM 48S), drawn in the UTM zone of its centre; in degrees, with the zone."""
    lon, lat = _transformer(UTM, 4326).transform(x_m + length_m / 2, y_m)
    zone = utm_epsg(lon, lat)
    if zone == UTM:
        return _to_degrees(LineString([(x_m, y_m), (x_m + length_m, y_m)]), UTM), UTM
    x0, y0 = _transformer(UTM, zone).transform(x_m, y_m)
    return _to_degrees(LineString([(x0, y0), (x0 + length_m, y0)]), zone), zone


@functools.cache
def _transformer(src: int, dst: int) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def _to_degrees(line: LineString, zone: int) -> LineString:
    return shapely.transform(line, lambda xy: np.column_stack(
        _transformer(zone, 4326).transform(xy[:, 0], xy[:, 1])))  # fmt: skip


def _in_zone(line: LineString, zone: int) -> LineString:
    return shapely.transform(line, lambda xy: np.column_stack(
        _transformer(4326, zone).transform(xy[:, 0], xy[:, 1])))  # fmt: skip


ABBREVIATE = (
    ("Batas Kabupaten", ("Bts. Kab.", "Bts Kab", "Batas Kab.", "Bts. Kabupaten")),
    ("Batas Kota", ("Bts. Kota", "Bts Kota")),
    ("Simpang", ("Sp.", "Simp.", "Spg", "Simpang")),
    ("Sungai", ("Sei", "Sungai", "Sei.")),
    ("Tanjung", ("Tj.", "Tg.", "Tanjung")),
    ("Muara", ("Ma.", "Muara")),
)
SEPARATORS = (" - ", " – ", " s.d. ", " s/d ", "-", " sampai ")
OLD_SPELLING = (("j", "dj"), ("c", "tj"), ("u", "oe"))


def written_another_way(rng, name: str) -> str:
    ends = name.split(" - ")
    out = []
    for end in ends:
        for full, short in ABBREVIATE:
            if full in end:
                end = end.replace(full, str(rng.choice(short)))
        if rng.random() < 0.2:
            old, new = OLD_SPELLING[rng.integers(len(OLD_SPELLING))]
            end = end.replace(old, new, 1)
        if rng.random() < 0.15 and len(end) > 6:  # a typing slip: one letter left out
            cut = int(rng.integers(1, len(end) - 1))
            end = end[:cut] + end[cut + 1 :]
        out.append(end)
    if rng.random() < 0.4:
        out.reverse()
    prefix = str(rng.choice(["", "", "Jl. ", "Jln. ", "Jalan ", "Ruas Jalan "]))
    return prefix + str(rng.choice(SEPARATORS)).join(out)


def make_store(rng, roads, lengths, zones, works_per_ruas_max: int = 2):
    levels = ["pusat", "provinsi", "kabupaten"]
    rows, works = [], []
    starts_m = [
        _in_zone(line, zone).coords[0] for line, zone in zip(roads.geometry, zones, strict=True)
    ]
    zone_of = []
    for g in range(len(roads)):
        for _ in range(rng.integers(0, works_per_ruas_max + 1)):
            low = float(rng.integers(0, int(lengths[g] // 1000))) * 1000.0
            high = min(lengths[g], low + float(rng.integers(1, 5)) * 1000.0)
            level = str(rng.choice(levels))
            year = int(rng.integers(2023, 2027))
            status = str(rng.choice(["kontrak", "rencana", "berjalan"]))
            x0, y0 = starts_m[g]
            line = redigitised(
                LineString([(x0 + low, y0), (x0 + high, y0)]),
                spacing_m=25.0,
                noise_m=3.0,
                seed=len(rows),
            )
            zone_of.append(zones[g])
            pid = f"S-{len(rows) + 1:05d}"
            rows.append(
                {
                    "project_id": pid,
                    "name": "Pekerjaan jalan",
                    "level": level,
                    "agency": f"Instansi {level}",
                    "asset_type": "road",
                    "year_start": year,
                    "year_end": year,
                    "budget_idr": 1e9,
                    "funding_source": "APBD",
                    "status": status,
                    "geometry": line,
                }
            )
            works.append((pid, g, low, high, level, year, status))
    projects = gpd.GeoDataFrame(rows, geometry="geometry", crs=UTM)
    zone_of = np.array(zone_of)
    geometry = projects.geometry.to_numpy().copy()
    for zone in np.unique(zone_of):  # each work in metres of its ruas's zone, to degrees
        here = zone_of == zone
        geometry[here] = gpd.GeoSeries(geometry[here], crs=int(zone)).to_crs(4326).to_numpy()
    return projects.set_geometry(geometry, crs=4326), works


def make_units(rng):
    names = place_names(rng, 40)
    polygons = [
        square(X0 - 60_000 + 5_000 * (k % 8), Y0 - 60_000 + 5_000 * (k // 8), 2_000)
        for k in range(len(names))
    ]
    units = gpd.GeoDataFrame(
        {
            "unit_id": [f"15.99.{k + 1:02d}" for k in range(len(names))],
            "unit_name": names,
            "unit_level": "kecamatan",
        },
        geometry=polygons,
        crs=UTM,
    ).to_crs(4326)
    return units


def make_list(rng, roads, lengths, units, n_rows: int):
    agencies = {
        "pusat": "BPJN Jambi",
        "provinsi": "Dinas PUPR Provinsi Jambi",
        "kabupaten": "Dinas PUPR Kab. Muaro Jambi",
    }
    rows, truth = [], []
    for k in range(n_rows):
        kind = rng.choice(
            ["code_sta", "name_sta", "name", "kecamatan", "unknown"],
            p=[0.4, 0.2, 0.2, 0.12, 0.08],
        )
        g = int(rng.integers(len(roads)))
        level = str(rng.choice(list(agencies)))
        year = int(rng.integers(2025, 2027))
        low = float(rng.integers(0, int(lengths[g] // 1000))) * 1000.0
        high = min(lengths[g], low + float(rng.integers(1, 4)) * 1000.0)
        sta = (
            f"{int(low // 1000)}+{int(low % 1000):03d}",
            f"{int(high // 1000)}+{int(high % 1000):03d}",
        )
        code = name = kec = ""
        if kind == "code_sta":
            code = roads["road_id"].iat[g]
        elif kind in ("name_sta", "name"):
            name = written_another_way(rng, roads["name"].iat[g])
        elif kind == "kecamatan":
            kec = "Kec. " + str(units["unit_name"].iat[int(rng.integers(len(units)))])
        else:
            name = f"{rng.choice(['Sorong', 'Klamono', 'Aimas', 'Sausapor'])} - Kampung {k}"
        has_sta = kind in ("code_sta", "name_sta")
        rows.append(
            [
                k + 1,
                code,
                name,
                sta[0] if has_sta else None,
                sta[1] if has_sta else None,
                kec,
                year,
                "Rp 2,5 M",
                agencies[level],
            ]
        )
        truth.append(
            {
                "kind": kind,
                "ruas": g if kind in ("code_sta", "name_sta", "name") else -1,
                "low": low if has_sta else 0.0,
                "high": high if has_sta else lengths[g],
                "level": level,
                "year": year,
            }
        )
    return rows, truth


def write_workbook(path: Path, rows) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DAFTAR USULAN (dibuat untuk uji)"])
    sheet.append(
        ["No", "Kode Ruas", "Nama Ruas", "STA", None, "Kecamatan", "Tahun", "Pagu", "Usulan Dari"]
    )
    sheet.append([None, None, None, "Awal", "Akhir"])
    sheet.merge_cells("D2:E2")
    for column in "ABCFGHI":
        sheet.merge_cells(f"{column}2:{column}3")
    for row in rows:
        sheet.append(row)
    book.save(path)


LEVEL_OF_STATUS = {"nasional": "pusat", "provinsi": "provinsi", "kabupaten": "kabupaten"}


def expected(truth, roads, works, window: int, min_overlap_m: float):
    """Per row: the ids it should conflict with, and whether kewenangan is a mismatch."""
    conflicts, mismatch = [], []
    by_ruas: dict[int, list] = {}
    for w in works:
        by_ruas.setdefault(w[1], []).append(w)
    for t in truth:
        if t["ruas"] < 0:
            conflicts.append(set())
            mismatch.append(False)
            continue
        ids = set()
        for pid, _g, low, high, _level, year, _status in by_ruas.get(t["ruas"], []):
            shared = min(high, t["high"]) - max(low, t["low"])
            if shared >= min_overlap_m and abs(year - t["year"]) <= window:
                ids.add(pid)
        conflicts.append(ids)
        mismatch.append(LEVEL_OF_STATUS[roads["status"].iat[t["ruas"]]] != t["level"])
    return conflicts, mismatch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--ruas", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--works", type=int, default=0, help="about this many stored works (default 0-2 a ruas)"
    )
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    roads, lengths, zones = make_network(rng, args.ruas)
    per_ruas_max = max(2, round(2 * args.works / args.ruas)) if args.works else 2
    projects, works = make_store(rng, roads, lengths, zones, per_ruas_max)
    units = make_units(rng)
    rows, truth = make_list(rng, roads, lengths, units, args.rows)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "usulan.xlsx"
        write_workbook(path, rows)
        network = RoadNetwork(roads)
        _ = network.ruas  # built once, as the CLI's network is, outside both timings

        t = time.perf_counter()
        proposals = read_proposals(path)
        values = proposals.values
        base = [
            network.find_ruas(c or n)[0]
            for c, n in zip(values["ruas_code"], values["ruas_name"], strict=True)
        ]
        baseline_s = time.perf_counter() - t

        t = time.perf_counter()
        proposals = read_proposals(path)
        checked = check_proposals(proposals, network=network, units=units, projects=projects)
        seconds = time.perf_counter() - t

    kinds = np.array([x["kind"] for x in truth])
    ruas_true = np.array([x["ruas"] for x in truth])
    ids = network.ruas.road_id
    got = np.array([-1 if not r else int(np.flatnonzero(ids == r)[0]) for r in checked["ruas_id"]])
    exists = ruas_true >= 0
    print(
        f"{len(truth)} rows, {args.ruas} ruas, {len(projects)} stored works, {len(units)} "
        f"kecamatan; seed {args.seed}; load {load:.1f}"
    )
    share = checked["placement"].value_counts(normalize=True)
    print(
        "placed: "
        + ", ".join(f"{p} {share.get(p, 0.0):.1%}" for p in ("sta", "ruas", "unit", "none"))
    )
    with_sta = kinds != "name"
    with_sta &= exists
    print(
        f"rows whose ruas exists, given with STA, placed at STA precision: "
        f"{(checked['placement'].to_numpy()[with_sta] == 'sta').mean():.1%}"
    )
    named = np.isin(kinds, ["name_sta", "name"])
    right = got[named] == ruas_true[named]
    wrong = (got[named] >= 0) & ~right
    print(
        f"name-only rows ({named.sum()}): on the right ruas {right.mean():.1%}, on a wrong ruas "
        f"{wrong.mean():.1%}, not placed {(got[named] < 0).mean():.1%}"
    )
    baseline_named = np.array(base)[named] == ruas_true[named]
    print(f"  baseline (code or exact name only): on the right ruas {baseline_named.mean():.1%}")
    unknown = kinds == "unknown"
    print(f"ruas not in the network placed anyway: {(got[unknown] >= 0).sum()} of {unknown.sum()}")
    print(
        f"kecamatan-only rows placed in their unit: "
        f"{(checked['placement'].to_numpy()[kinds == 'kecamatan'] == 'unit').mean():.1%}"
    )

    want_conflicts, want_mismatch = expected(truth, roads, works, 2, 50.0)
    found_conflicts = [set(c.split(";")) - {""} for c in checked["conflicts"]]
    found_conflicts = [{c for c in s if c.startswith("S-")} for s in found_conflicts]
    tp = sum(len(w & f) for w, f in zip(want_conflicts, found_conflicts, strict=True))
    fp = sum(len(f - w) for w, f in zip(want_conflicts, found_conflicts, strict=True))
    fn = sum(len(w - f) for w, f in zip(want_conflicts, found_conflicts, strict=True))
    print(
        f"overlaps with stored works: precision {tp / max(tp + fp, 1):.3f}, recall "
        f"{tp / max(tp + fn, 1):.3f} ({tp} found, {fp} false, {fn} missed)"
    )
    said = checked["reasons"].str.contains("kewenangan: ").to_numpy()
    placed_ok = got == ruas_true
    want = np.array(want_mismatch) & placed_ok
    tp, fp, fn = (said & want).sum(), (said & ~want).sum(), (~said & want).sum()
    print(
        f"kewenangan (rows on their right ruas): precision {tp / max(tp + fp, 1):.3f}, recall "
        f"{tp / max(tp + fn, 1):.3f}"
    )
    status = checked["suggested_status"].value_counts()
    print(
        "suggested: "
        + ", ".join(f"{s} {status.get(s, 0)}" for s in ("Diterima", "Ditolak", "Didiskusikan"))
    )
    print(
        f"time: read + check {seconds:.2f} s ({seconds / len(truth) * 1000:.1f} ms a row); "
        f"baseline read + exact lookup {baseline_s:.2f} s; ratio {seconds / baseline_s:.1f}x"
    )
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"peak memory of the process (data generation included): {peak_gb:.2f} GB")


if __name__ == "__main__":
    main()
