"""Browser payload and first paint of the map page at 20k and 200k features, vs one whole map.

For each N (default 20,000 and 200,000) it builds a national store (:func:`make_national_store`:
N made-up projects over all 514 kabupaten/kota, the real boundaries as units), starts the app
on it (127.0.0.1, a free port) and drives headless Chromium (Debian's ``/usr/bin/chromium``,
every non-local request refused) through three views, several visits each:

- **national**: the map page opened (the map fits Indonesia);
- **province**: the map zoomed to Jambi (``PROVINCE_DEG``), as an official does;
- **kabupaten**: the map zoomed to one kabupaten-sized area (``KABUPATEN_DEG``).

For each it prints the seconds to the first paint (the view's features on the map, two
animation frames later), the seconds until the map stops changing (the browser reports its
real view and the app may send the view's content once more), and the payload: bytes received
over the app's websocket in that interval (the page, the map's script and its data; Streamlit's
own JavaScript and Leaflet come over HTTP and are cached by the browser). The first visit runs on cold server
caches (store read, analyses); later visits are what an official opening the app sees.

Baseline, measured in the same run: the whole layer in one folium map (what the app drew for
any size before: every feature, on a canvas, in the compact encoding), saved as one HTML page
served locally with the app's own Leaflet: its size and the seconds until Chromium has every
feature painted, capped by ``--baseline-timeout``.

Usage: ``python bench/bench_map_paint.py [N ...] [--visits K] [--baseline-timeout S]``
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely import LineString, Point, box

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from geo.read.projects import read_projects  # noqa: E402
from geo.store import open_store  # noqa: E402
from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PageWatch,
    streamlit_server,
)

#: The province's envelope in degrees (about Jambi's): west, south, east, north.
PROVINCE_DEG = (101.2, -2.7, 104.5, -0.8)
#: A kabupaten-sized area inside it (about Muaro Jambi and Kota Jambi).
KABUPATEN_DEG = (103.3, -1.9, 103.9, -1.4)
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 300_000
#: The map counts as settled when its content has not changed for this long.
SETTLE_S = 3.0

#: JavaScript: features with a tooltip on the map (projects, cells, findings; not boundaries).
_FEATURES_JS = (
    "() => { let k = 0; if (!window.map) return 0; window.map.eachLayer(l => {"
    " if (l.feature && l.feature.properties && l.feature.properties.peta_tooltip) k++; });"
    " return k; }"
)
_TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
#: JavaScript: a fingerprint of the view content streamlit-folium last swapped in.
_CONTENT_JS = (
    "() => { const g = window.__GLOBAL_DATA__ && window.__GLOBAL_DATA__.last_feature_group;"
    " return g ? g.length + ':' + g.slice(-200) : ''; }"
)


def make_store(folder: Path, n_features: int, seed: int = 1) -> Path:
    """A store with ``n_features`` made-up projects in one province, imported as one upload.

    70% roads of 12 vertices, 20% bridges, 10% irrigation polygons, spread over
    :data:`PROVINCE_DEG` (the browser tests' layer).
    """
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

    The projects are :func:`bench.bench_gaps.make_projects`: 80% roads of 45 vertices (60% of
    them re-digitised stretches of a shared road network, so overlaps abound), 10% irrigation
    areas, 10% bridges, more per km2 in small kota than in large kabupaten.
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


class _Payload:
    """Bytes the page received over the app's websocket (the page's content and the map's
    script and data; Streamlit's own JavaScript and Leaflet come over HTTP, once, cacheable)."""

    def __init__(self, page) -> None:
        self.total = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        self.total += len(payload)


def _map_frame(page):
    page.locator(MAP_FRAME).wait_for(state="attached", timeout=TIMEOUT_MS)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        frame = next((f for f in page.frames if "streamlit_folium" in f.url), None)
        if frame is not None:
            return frame
        time.sleep(0.05)
    raise TimeoutError("the map frame never loaded")


def _settle(frame, start: float) -> tuple[float, int]:
    """Seconds from ``start`` until the map's content stopped changing for SETTLE_S, and how
    many more times it changed before that."""
    content, features = frame.evaluate(_CONTENT_JS), frame.evaluate(_FEATURES_JS)
    changed, changes = time.monotonic(), 0
    while time.monotonic() - changed < SETTLE_S:
        time.sleep(0.1)
        now = (frame.evaluate(_CONTENT_JS), frame.evaluate(_FEATURES_JS))
        if now != (content, features):
            content, features = now
            frame.evaluate(_TWO_FRAMES_JS)
            changed, changes = time.monotonic(), changes + 1
    return changed - start, changes


def _caption(page, changes: int) -> str:
    notes = page.locator("text=di area ini").all_inner_texts()
    drawn = notes[-1].split(":")[0].split(",")[0] if notes else "whole layer"
    return f"{drawn}; redrawn {changes} more time(s)" if changes else drawn


def measure_app(url: str, visits: int) -> list[dict[str, tuple[float, float, int, str]]]:
    """Per visit: view name -> (first paint s, settled s, payload bytes, what was drawn)."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for _ in range(visits):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                watch = PageWatch()
                context.route("**/*", watch.allow_local_only)
                page = context.new_page()
                payload = _Payload(page)
                visit: dict[str, tuple[float, float, int, str]] = {}
                start = time.monotonic()
                page.goto(url)
                frame = _map_frame(page)
                frame.wait_for_function(f"({_FEATURES_JS})() > 0", timeout=TIMEOUT_MS)
                frame.evaluate(_TWO_FRAMES_JS)
                painted = time.monotonic() - start
                settled, changes = _settle(frame, start)
                visit["national"] = (painted, settled, payload.total, _caption(page, changes))
                for name, (west, south, east, north) in (
                    ("province", PROVINCE_DEG),
                    ("kabupaten", KABUPATEN_DEG),
                ):
                    before = payload.total
                    frame.evaluate(f"() => {{ window.__bench_prev = ({_CONTENT_JS})(); }}")
                    start = time.monotonic()
                    frame.evaluate(
                        f"() => {{ window.map.fitBounds([[{south}, {west}], [{north}, {east}]]); }}"
                    )
                    # Per-view maps swap their content; a whole-layer map only redraws.
                    with contextlib.suppress(Exception):
                        frame.wait_for_function(
                            f"() => window.__bench_prev === '' || "
                            f"({_CONTENT_JS})() !== window.__bench_prev",
                            timeout=60_000,
                        )
                    frame.evaluate(_TWO_FRAMES_JS)
                    painted = time.monotonic() - start
                    settled, changes = _settle(frame, start)
                    visit[name] = (
                        painted,
                        settled,
                        payload.total - before,
                        _caption(page, changes),
                    )
                assert not watch.blocked, watch.blocked
                results.append(visit)
                context.close()
        finally:
            browser.close()
    return results


@contextlib.contextmanager
def _served(folder: Path) -> Iterator[str]:
    """``folder`` served over HTTP on 127.0.0.1 (a free port), quietly."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def measure_baseline(store_path: Path, folder: Path, timeout_s: float) -> tuple[float, int, float]:
    """(seconds to build the whole map, its bytes, seconds to paint it or inf past timeout)."""
    from playwright.sync_api import sync_playwright

    from layers.project_map import project_map

    store = open_store(store_path)
    projects, units = store.load_projects(), store.load_reference("admin_units")
    started = time.monotonic()
    html = project_map(projects, boundaries=units, asset_base_url="leaflet").get_root().render()
    build_s = time.monotonic() - started
    page_path = folder / "baseline" / "index.html"
    page_path.parent.mkdir(exist_ok=True)
    page_path.write_text(html, encoding="utf-8")
    (page_path.parent / "leaflet").symlink_to(REPO_ROOT / "static" / "leaflet")
    n_drawn = int((~(projects.geometry.isna() | projects.geometry.is_empty)).sum())
    with _served(page_path.parent) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            start = time.monotonic()
            try:
                page.goto(f"{url}/index.html", timeout=timeout_s * 1000)
                name = page.evaluate("() => Object.keys(window).find(k => /^map_/.test(k))")
                page.wait_for_function(
                    f"(n) => {{ let k = 0; window['{name}'].eachLayer(l => {{"
                    " if (l.feature && l.feature.properties.peta_key) k++; }); return k >= n; }",
                    arg=n_drawn,
                    timeout=max(timeout_s - (time.monotonic() - start), 1) * 1000,
                )
                page.evaluate(_TWO_FRAMES_JS)
                painted = time.monotonic() - start
            except Exception:  # noqa: BLE001 (a timeout of any kind: not drawn in time)
                painted = float("inf")
        finally:
            browser.close()
    return build_s, len(html.encode()), painted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_features", nargs="*", type=int, default=[20_000, 200_000])
    parser.add_argument("--visits", type=int, default=3)
    parser.add_argument("--baseline-timeout", type=float, default=120.0)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    for n_features in args.n_features:
        with tempfile.TemporaryDirectory(prefix="peta-bench-paint-") as tmp:
            folder = Path(tmp)
            started = time.monotonic()
            store_path = make_national_store(folder, n_features)
            print(f"\n{n_features:,} features: store built in {time.monotonic() - started:.0f} s")
            env = {**os.environ, "PETA_STORE": str(store_path)}
            env.pop("DATABASE_URL", None)
            with streamlit_server(
                REPO_ROOT / "app.py", cwd=REPO_ROOT, env=env, log_path=folder / "streamlit.log"
            ) as url:
                try:
                    visits = measure_app(url, args.visits)
                except Exception:
                    print((folder / "streamlit.log").read_text(errors="replace")[-3000:])
                    raise
            worst: dict[str, float] = {}
            for number, visit in enumerate(visits, start=1):
                label = "cold server" if number == 1 else "warm server"
                for view, (painted, settled, size, drawn) in visit.items():
                    print(
                        f"  visit {number} ({label}) {view:9s}: first paint {painted:5.2f} s, "
                        f"settled {settled:5.2f} s, payload {size / 1e6:5.2f} MB  [{drawn}]"
                    )
                    if number > 1:
                        worst[view] = max(worst.get(view, 0.0), painted)
            build_s, size, painted = measure_baseline(store_path, folder, args.baseline_timeout)
            shown = f"{painted:.2f} s" if np.isfinite(painted) else f"> {args.baseline_timeout:g} s"
            print(
                f"  baseline (whole layer in one map): built in {build_s:.1f} s, "
                f"{size / 1e6:.2f} MB, painted in {shown}"
            )
            if visits[1:] and np.isfinite(painted):
                ratio = painted / max(worst["national"], 1e-9)
                print(
                    f"  baseline paint / app's worst warm national first paint: {ratio:.2f} "
                    "(the app's time includes loading the page itself)"
                )
            elif visits[1:]:
                print(
                    f"  national first paint, warm worst {worst['national']:.2f} s; "
                    f"baseline not painted within {args.baseline_timeout:g} s"
                )


if __name__ == "__main__":
    main()
