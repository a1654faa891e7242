"""Proposal rows naming a Daerah Irigasi, placed and judged against generated D.I. (issue 18).

Builds, from ``--seed``: ``--di`` Daerah Irigasi (squares of 100-5,000 ha near Jambi, UTM 48S)
with names of two Jambi place words and a side ("Air Batang Hulu", "Sungai Gelam Kiri"),
``--works`` stored irrigation works of every level in them (2022-2026), and a list of ``--rows``
proposals naming a D.I. the way agencies write it: ``D.I.``/``DI``/``Daerah Irigasi`` or no
prefix, ``Sei`` for Sungai, ``Bt.`` for Batang, lower case, or a letter left out; 5% name a D.I.
that does not exist.

Prints the share placed on the right D.I. (and on a wrong one), the rows naming no existing
D.I. placed anyway, kewenangan and same-D.I. overlap precision/recall against the truth built,
and the time, beside a baseline measured in the same run: the D.I. found by its name written
exactly as the layer writes it (case and spaces aside).

Usage: ``python bench/bench_proposals_di.py [--rows 2000] [--di 1000] [--works 5000] [--seed 1]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.analyse.proposals import check_proposals  # noqa: E402
from geo.read.proposals import read_proposals  # noqa: E402
from geo.rules import expected_level_of_di  # noqa: E402
from tests.geometries import UTM, X0, Y0, projects_from_rows, square  # noqa: E402

WORDS = (
    "Air Batang Sungai Tanjung Muara Lubuk Talang Pauh Rantau Tembesi Gelam Hari Kumpeh "
    "Seluang Kundur Tebing Gadis Kumbang Baung Betung Siulak Merangin Tabir Limbur Bungo "
    "Jujuhan Sekernan Pemayung Mersam Bajubang Sengeti Tempino Pelawan Singkut Pamenang"
).split()
SIDES = ("", "Kiri", "Kanan", "Hulu", "Hilir")
AGENCIES = {
    "pusat": "BWS Sumatera VI",
    "provinsi": "Dinas PUPR Provinsi Jambi",
    "kabupaten": "Dinas PUPR Kab. Muaro Jambi",
}
WINDOW = 2  # settings.proposal_recent_years


def make_areas(rng, count: int) -> gpd.GeoDataFrame:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        name = " ".join([*rng.choice(WORDS, 2, replace=False), rng.choice(SIDES)]).strip()
        if name not in seen:
            seen.add(name)
            names.append(name)
    return gpd.GeoDataFrame(
        {
            "di_id": [f"DI-{k:04d}" for k in range(count)],
            "name": names,
            "area_ha": np.round(rng.uniform(100, 5000, count)),
        },
        geometry=[square(*centre(k), 500) for k in range(count)],
        crs=UTM,
    ).to_crs(4326)


def centre(k: int) -> tuple[float, float]:
    return X0 + (k % 40) * 3000.0, Y0 + (k // 40) * 3000.0


def written_another_way(rng, name: str) -> str:
    if rng.random() < 0.5:
        name = name.replace("Sungai", "Sei").replace("Batang", "Bt.")
    if rng.random() < 0.3:
        name = name.lower()
    if rng.random() < 0.15:  # a letter left out of a long word
        words = name.split()
        w = int(np.argmax([len(x) for x in words]))
        if len(words[w]) >= 5:
            cut = int(rng.integers(2, len(words[w]) - 1))
            words[w] = words[w][:cut] + words[w][cut + 1 :]
        name = " ".join(words)
    return str(rng.choice(["D.I. ", "DI ", "Daerah Irigasi ", ""])) + name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--di", type=int, default=1000)
    parser.add_argument("--works", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    areas = make_areas(rng, args.di)
    names = list(areas["name"])
    work_di = rng.integers(0, args.di, args.works)
    work_level = rng.choice(list(AGENCIES), args.works)
    work_year = rng.integers(2022, 2027, args.works)
    projects = projects_from_rows(
        [
            {
                "id": f"W-{k}",
                "geometry": square(*centre(int(work_di[k])), 5),
                "level": str(work_level[k]),
                "agency": AGENCIES[str(work_level[k])],
                "year_start": int(work_year[k]),
                "year_end": int(work_year[k]),
            }
            for k in range(args.works)
        ],
        {
            "name": "Rehabilitasi Jaringan Irigasi",
            "asset_type": "irrigation",
            "budget_idr": 1_500_000_000.0,
            "funding_source": "APBN",
            "status": "kontrak",
        },
    )
    truth = rng.integers(0, args.di, args.rows)
    missing = rng.random(args.rows) < 0.05
    levels = rng.choice(list(AGENCIES), args.rows)
    years = rng.integers(2025, 2027, args.rows)
    lines = ["Kode Usulan;Nama D.I.;Tahun;Pagu;Usulan Dari"]
    for i in range(args.rows):
        written = (
            f"D.I. Way Seputih {i}" if missing[i] else written_another_way(rng, names[truth[i]])
        )
        lines.append(f"U-{i};{written};{years[i]};Rp 1 M;{AGENCIES[str(levels[i])]}")
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "usulan.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

        t = time.perf_counter()
        values = read_proposals(path).values
        exact = {" ".join(n.lower().split()): k for k, n in enumerate(names)}
        base = np.array([exact.get(" ".join(v.lower().split()), -1) for v in values["di_name"]])
        baseline_s = time.perf_counter() - t

        t = time.perf_counter()
        checked = check_proposals(read_proposals(path), irrigation_areas=areas, projects=projects)
        seconds = time.perf_counter() - t

    index = {d: k for k, d in enumerate(areas["di_id"])}
    got = np.array([index.get(d, -1) for d in checked["di_id"]])
    want = np.where(missing, -1, truth)
    exists = ~missing
    print(
        f"{args.rows} rows, {args.di} D.I., {args.works} stored irrigation works; seed "
        f"{args.seed}; load {load:.1f}"
    )
    right = got[exists] == want[exists]
    print(
        f"rows naming an existing D.I.: on the right D.I. {right.mean():.1%}, on a wrong one "
        f"{((got[exists] >= 0) & ~right).mean():.1%}, not placed {(got[exists] < 0).mean():.1%}"
    )
    print(f"  baseline (name as the layer writes it): {(base[exists] == want[exists]).mean():.1%}")
    print(f"D.I. not in the layer placed anyway: {(got[missing] >= 0).sum()} of {missing.sum()}")

    on_right = got == want
    owner = [expected_level_of_di(a) for a in areas["area_ha"]]
    want_mismatch = exists & np.array([owner[t] != lv for t, lv in zip(truth, levels, strict=True)])
    said = checked["reasons"].str.contains("kewenangan: ").to_numpy()
    w = want_mismatch & on_right
    tp, fp, fn = (said & w).sum(), (said & ~w).sum(), (~said & w).sum()
    print(
        f"kewenangan (rows on their right D.I.): precision {tp / max(tp + fp, 1):.3f}, recall "
        f"{tp / max(tp + fn, 1):.3f}"
    )
    tp = fp = fn = 0
    for i in np.flatnonzero(on_right & exists):
        expected = {
            f"W-{k}"
            for k in np.flatnonzero(work_di == truth[i])
            if abs(int(work_year[k]) - int(years[i])) <= WINDOW
        }
        found = {c for c in checked["conflicts"].iat[i].split(";") if c.startswith("W-")}
        tp, fp, fn = (
            tp + len(expected & found),
            fp + len(found - expected),
            fn + len(expected - found),
        )
    print(
        f"stored works in the same D.I.: precision {tp / max(tp + fp, 1):.3f}, recall "
        f"{tp / max(tp + fn, 1):.3f} ({tp} found, {fp} false, {fn} missed)"
    )
    status = checked["suggested_status"].value_counts()
    print(
        "suggested: "
        + ", ".join(f"{s} {status.get(s, 0)}" for s in ("Diterima", "Ditolak", "Didiskusikan"))
    )
    print(
        f"time: read + check {seconds:.2f} s ({seconds / args.rows * 1000:.1f} ms a row); "
        f"baseline read + exact lookup {baseline_s:.2f} s"
    )


if __name__ == "__main__":
    main()
