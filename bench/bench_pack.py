"""Benchmark: the meeting pack of a national store, against the 60 s and 120-page budget.

Run: ``.venv/bin/python bench/bench_pack.py [--projects 7500] [--baseline-pages 12]``.

It builds a store of about 7,500 projects spread over Indonesia's 514 kabupaten/kota (the
shared reference boundaries; the projects are the labelled overlap layer of
``bench/overlap_data.py``, each group of projects moved into a randomly chosen kabupaten/kota),
analyses it (overlaps, gaps per unit), then prints

- the analysis time and the number of findings;
- ``pack s`` and ``pages``: the meeting pack (overview, a page per kabupaten/kota with its map
  and top findings, the capped tables, minutes) as ``export-report --out bahan-rapat.pdf`` makes
  it from the analysis — budget 60 s and 120 pages;
- the baseline, in the same run: the full pack (every kabupaten/kota with projects, every
  finding, mismatch and unit in the tables, as the pack was made before). Its page count is
  exact; its time is the first ``--baseline-pages`` pages drawn and saved, extrapolated to all
  of them (drawing it whole takes minutes).

The machine is shared: compare the ratio, not the seconds.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyogrio
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from overlap_data import make_labelled  # noqa: E402

from geo.analyse.run import analyse_store  # noqa: E402
from geo.read.reference import read_reference  # noqa: E402
from geo.store import open_store  # noqa: E402

UNITS = ROOT.parent / "shared" / "data" / "reference" / "idn_adm2_kabkota.geojson"
BUDGET_S = 60.0
BUDGET_PAGES = 120
#: Projects per labelled group, on average (make_labelled: 2,127 projects from 1,000 groups).
_PROJECTS_PER_GROUP = 2.13
_CELL_DEG = 8_000 / 111_000


def national_store(path: Path, n_projects: int = 7_500, seed: int = 0) -> Path:
    """A store of about ``n_projects`` projects in groups spread over every kabupaten/kota.

    Each group of the labelled layer (its own 8 km cell) is moved, whole, to a point inside a
    kabupaten/kota drawn at random, so the findings inside a group stay exactly as labelled.
    Agencies are named after the kabupaten/kota (and its province) the group lands in.
    """
    units = read_reference(UNITS, "units").layer
    projects, _ = make_labelled(seed=seed, n_groups=round(n_projects / _PROJECTS_PER_GROUP))
    rng = np.random.default_rng(seed)
    centroids = shapely.centroid(projects.geometry.to_numpy())
    xy = shapely.get_coordinates(centroids)
    cells = np.floor(xy / _CELL_DEG).astype(np.int64)
    cell_keys, group = np.unique(cells, axis=0, return_inverse=True)
    group = group.reshape(-1)
    targets = shapely.point_on_surface(units.geometry.to_numpy())
    chosen = rng.integers(0, len(units), len(cell_keys))
    target_xy = shapely.get_coordinates(targets[chosen])
    origin = (cell_keys + 0.5) * _CELL_DEG
    shift = (target_xy - origin)[group]
    moved = _translate(projects.geometry.to_numpy(), shift)
    projects = projects.set_geometry(moved)
    names = units["unit_name"].to_numpy()[chosen][group]
    level = projects["level"].to_numpy()
    projects["agency"] = np.where(
        level == "pusat",
        "Balai " + names,
        np.where(level == "provinsi", "Dinas PUPR Provinsi " + names, "Dinas PUPR " + names),
    )
    projects["project_id"] = projects["project_id"] + "-" + group.astype(str)
    store = open_store(path)
    store.replace_reference("admin_units", units)
    with tempfile.TemporaryDirectory() as tmp:
        upload = Path(tmp) / "paket_nasional.gpkg"
        pyogrio.write_dataframe(projects, upload, layer="paket", driver="GPKG")
        from cli import main

        with _quiet():
            code = main(["import", str(upload), "--store", str(path)])
        if code != 0:
            raise SystemExit(f"import failed with exit code {code}")
    return path


def _translate(geoms: np.ndarray, shift: np.ndarray) -> list:
    """Each geometry moved by its own (dx, dy) in degrees."""
    counts = shapely.get_num_coordinates(geoms)
    offsets = np.repeat(shift, counts, axis=0)
    coords = shapely.get_coordinates(geoms) + offsets
    return list(shapely.set_coordinates(geoms.copy(), coords))


class _quiet:
    def __enter__(self):
        import contextlib

        self._redirect = contextlib.redirect_stdout(io.StringIO())
        return self._redirect.__enter__()

    def __exit__(self, *exc):
        return self._redirect.__exit__(*exc)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=7_500)
    parser.add_argument("--baseline-pages", type=int, default=12)
    args = parser.parse_args()

    from layers.meeting_pack import meeting_pack_pages, meeting_pack_pdf, pack_pdf_bytes

    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"load at start: {load}")
    with tempfile.TemporaryDirectory(prefix="bench-pack-") as tmp:
        start = time.perf_counter()
        store = open_store(national_store(Path(tmp) / "nasional.gpkg", args.projects))
        print(f"store built in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        analyses = analyse_store(store)
        analysis_s = time.perf_counter() - start
        units_with_projects = analyses.units is not None and len(analyses.units)
        print(
            f"{len(analyses.projects)} projects, {len(analyses.overlaps)} findings, "
            f"{units_with_projects} units: analysis {analysis_s:.1f} s"
        )

        start = time.perf_counter()
        data = meeting_pack_pdf(analyses)
        pack_s = time.perf_counter() - start
        pages = _page_count(data)
        out = ROOT / "bench" / "out"
        out.mkdir(exist_ok=True)
        (out / "bahan-rapat-nasional.pdf").write_bytes(data)

        full = meeting_pack_pages(analyses, full=True)
        start = time.perf_counter()
        sample = full[: args.baseline_pages]
        pack_pdf_bytes(sample, page="a4", lang="id", title=None)
        sample_s = time.perf_counter() - start
        baseline_s = sample_s / len(sample) * len(full)

    print()
    print(f"{'':28}{'s':>9}{'pages':>8}{'MB':>7}")
    print(f"{'meeting pack (summary)':28}{pack_s:9.1f}{pages:8d}{len(data) / 1e6:7.1f}")
    print(f"{'baseline: full pack (extrap.)':28}{baseline_s:9.1f}{len(full):8d}")
    print(f"ratio baseline/pack: {baseline_s / pack_s:.1f}x time, {len(full) / pages:.1f}x pages")
    within = pack_s <= BUDGET_S and pages <= BUDGET_PAGES
    print(f"budget {BUDGET_S:.0f} s and {BUDGET_PAGES} pages: {'met' if within else 'MISSED'}")
    print(
        f"load at end: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
    )
    print(f"pack written to {out / 'bahan-rapat-nasional.pdf'}")
    return 0 if within else 1


def _page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


if __name__ == "__main__":
    raise SystemExit(main())
