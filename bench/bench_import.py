"""Benchmark: import of a zipped shapefile into the store, against a plain GDAL round trip.

Run: ``.venv/bin/python bench/bench_import.py [N ...]`` (default 10000 50000 road features of
~45 vertices in UTM 48S). For each N it prints the time of ``read_projects`` + ``import_result``
(every check, repair, report line and one transaction) and, measured in the same run, the
baseline ``geopandas.read_file`` + ``to_crs(4326)`` + ``to_file(GPKG)`` that does none of the
checks, with the ratio. The machine is shared: compare ratios, not seconds.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.read.projects import read_projects  # noqa: E402
from geo.settings import Settings  # noqa: E402
from geo.store import open_store  # noqa: E402


def make_zip(n: int, folder: Path) -> Path:
    """A zipped shapefile of ``n`` wiggly roads (~45 vertices each) near Jambi, UTM 48S."""
    rng = np.random.default_rng(0)
    x0 = rng.uniform(300_000, 500_000, n)
    y0 = rng.uniform(9_750_000, 9_900_000, n)
    steps = np.arange(45) * 50.0
    heading = rng.uniform(0, 2 * np.pi, n)
    xs = x0[:, None] + steps * np.cos(heading)[:, None] + rng.normal(0, 5, (n, 45))
    ys = y0[:, None] + steps * np.sin(heading)[:, None] + rng.normal(0, 5, (n, 45))
    lines = shapely.linestrings(np.stack([xs, ys], axis=-1))
    roads = gpd.GeoDataFrame(
        {
            "KD_PAKET": [f"P-{i:07d}" for i in range(n)],
            "NM_PAKET": [f"Pemeliharaan Jalan Ruas {i}" for i in range(n)],
            "TA": np.full(n, 2025),
            "PAGU_RP": rng.uniform(1e8, 4e10, n).round(-3),
            "SATKER": "Satker PJN Contoh",
        },
        geometry=lines,
        crs=32748,
    )
    shp = folder / "shp" / "ruas.shp"
    shp.parent.mkdir()
    roads.to_file(shp, engine="pyogrio")
    archive = folder / f"ruas_{n}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for part in shp.parent.iterdir():
            z.write(part, f"RUAS/{part.name}")
    return archive


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def import_with_checks(archive: Path, store: Path, n: int) -> None:
    """Peta Sinergi: read with every check and report, then one store transaction."""
    # A national file is bigger than the default upload cap (200 MB): raised as an operator would.
    settings = dataclasses.replace(Settings.from_env(), max_upload_mb=2_000.0)
    result = read_projects(archive, level="pusat", settings=settings)
    assert result.report.counts["stored"] == n
    open_store(store).import_result(result)


def import_baseline(archive: Path, out: Path) -> None:
    """Plain GDAL round trip: no checks, no report, no transaction."""
    frame = gpd.read_file(f"zip://{archive}!RUAS/ruas.shp").to_crs(4326)
    frame.to_file(out, driver="GPKG", engine="pyogrio")


def main(sizes: list[int]) -> None:
    print(f"{'features':>9} {'peta import s':>14} {'baseline s':>11} {'ratio':>6}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            archive = make_zip(n, folder)
            t_base = timed(lambda: import_baseline(archive, folder / "baseline.gpkg"))  # noqa: B023
            t_ours = timed(lambda: import_with_checks(archive, folder / "store.gpkg", n))  # noqa: B023
            print(f"{n:>9} {t_ours:>14.2f} {t_base:>11.2f} {t_ours / t_base:>6.1f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 50_000])
