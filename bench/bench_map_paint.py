"""First paint of a province view with N features (default 20,000) in Chromium.

Builds a store of N made-up projects (70% roads of 12 vertices, 20% bridges, 10% irrigation
polygons, spread over a Jambi-sized province), imports it through the real reader, starts the
app on it (127.0.0.1, a free port) and opens the map page in headless Chromium (Debian's
``/usr/bin/chromium``, every non-local request refused) several times. For each visit it
prints the seconds from navigation to the page heading, to the map frame, and to the features
painted on the map's canvas. The first visit also warms the server's caches (store read,
analyses, the built map); later visits are what an official opening the app sees.

Usage: ``python bench/bench_map_paint.py [N] [--visits K]``
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
from shapely import LineString, Point, box

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from geo.io import read_projects  # noqa: E402
from geo.store import open_store  # noqa: E402
from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PageWatch,
    streamlit_server,
)

#: The province's envelope in degrees (about Jambi's): west, south, east, north.
PROVINCE_DEG = (101.2, -2.7, 104.5, -0.8)
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def make_store(folder: Path, n_features: int, seed: int = 1) -> Path:
    """A store with ``n_features`` made-up projects, imported as one upload."""
    rng = np.random.default_rng(seed)
    west, south, east, north = PROVINCE_DEG
    kinds = rng.choice(["road", "bridge", "irrigation"], size=n_features, p=[0.7, 0.2, 0.1])
    levels = rng.choice(["pusat", "provinsi", "kabupaten"], size=n_features, p=[0.2, 0.3, 0.5])
    xs, ys = rng.uniform(west, east, n_features), rng.uniform(south, north, n_features)
    geoms = []
    for kind, x, y in zip(kinds, xs, ys, strict=True):
        if kind == "road":
            steps = rng.normal(0, 0.002, size=(12, 2)).cumsum(axis=0) + [x, y]
            geoms.append(LineString(steps))
        elif kind == "bridge":
            geoms.append(Point(x, y))
        else:
            geoms.append(box(x, y, x + 0.004, y + 0.003))
    projects = gpd.GeoDataFrame(
        {
            "kode_paket": [f"P-{i:06d}" for i in range(n_features)],
            "nama_paket": [f"Paket {i} ({kind})" for i, kind in enumerate(kinds)],
            "tingkat": levels,
            "jenis_aset": kinds,
            "instansi": [f"Dinas {level} {i % 11}" for i, level in enumerate(levels)],
            "tahun": rng.integers(2023, 2027, size=n_features),
            "pagu": rng.integers(1, 50, size=n_features) * 1e8,
            "sumber_dana": rng.choice(
                ["APBN", "APBD Provinsi", "APBD Kabupaten", "DAK"], n_features
            ),
        },
        geometry=geoms,
        crs=4326,
    )
    source = folder / "provinsi.gpkg"
    projects.to_file(source, driver="GPKG")
    store_path = folder / "store.gpkg"
    open_store(store_path).import_result(read_projects(source))
    return store_path


def make_national_store(folder: Path, n_features: int, seed: int = 0) -> Path:
    """A store with ``n_features`` projects over all 514 kabupaten/kota, imported as one upload,
    and the real kabupaten/kota boundaries as its units (drawn under the projects).

    The projects are :func:`bench.bench_gaps.make_projects`: 80% roads of 45 vertices, 10%
    irrigation areas, 10% bridges, more per km2 in small kota than in large kabupaten.
    """
    from bench.bench_gaps import load_units, make_network, make_projects

    units = load_units(seed)
    projects = make_projects(units, make_network(units, seed), n_features, seed)
    source = folder / "nasional.gpkg"
    projects.to_file(source, driver="GPKG")
    store_path = folder / "store.gpkg"
    store = open_store(store_path)
    store.import_result(read_projects(source))
    store.replace_reference("admin_units", units)
    return store_path


def measure(url: str, visits: int, n_features: int) -> list[tuple[float, float, float]]:
    """(heading, map frame, painted) seconds per visit, each in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for _ in range(visits):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                watch = PageWatch()
                context.route("**/*", watch.allow_local_only)
                page = context.new_page()
                start = time.monotonic()
                page.goto(url)
                page.get_by_role("heading", name="Peta Sinergi").wait_for(timeout=120_000)
                heading = time.monotonic() - start
                page.locator(MAP_FRAME).wait_for(state="attached", timeout=120_000)
                frame_seen = time.monotonic() - start
                frame = page.frame_locator(MAP_FRAME)
                frame.locator(".leaflet-overlay-pane canvas").wait_for(
                    state="attached", timeout=120_000
                )
                map_frame = next(f for f in page.frames if "streamlit_folium" in f.url)
                # Painted: the canvas holds every feature and two animation frames have passed.
                map_frame.wait_for_function(
                    "(n) => { let k = 0; window.map.eachLayer(l => { if (l.feature) k++; });"
                    " return k >= n; }",
                    arg=n_features,
                    timeout=120_000,
                )
                map_frame.evaluate(
                    "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
                )
                painted = time.monotonic() - start
                assert not watch.blocked, watch.blocked
                timings.append((heading, frame_seen, painted))
                context.close()
        finally:
            browser.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_features", nargs="?", type=int, default=20_000)
    parser.add_argument("--visits", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="peta-bench-paint-") as tmp:
        folder = Path(tmp)
        started = time.monotonic()
        store_path = make_store(folder, args.n_features)
        print(f"store of {args.n_features} features built in {time.monotonic() - started:.1f} s")
        env = {**os.environ, "PETA_STORE": str(store_path)}
        with streamlit_server(
            REPO_ROOT / "app.py", cwd=REPO_ROOT, env=env, log_path=folder / "streamlit.log"
        ) as url:
            for visit, (heading, frame_seen, painted) in enumerate(
                measure(url, args.visits, args.n_features)
            ):
                label = "cold server caches" if visit == 0 else "warm server caches"
                print(
                    f"visit {visit + 1} ({label}): heading {heading:.2f} s, map frame "
                    f"{frame_seen:.2f} s, {args.n_features} features painted {painted:.2f} s"
                )


if __name__ == "__main__":
    main()
