"""First paint of every page in Chromium: the first visit after a server start, and warm.

For each store (the demo store; with ``--national N`` also a national store of N made-up
projects, :func:`bench.bench_map_paint.make_national_store`) and each version of the app (this
working tree, and a baseline extracted with ``git archive`` from ``--baseline`` (default
``main``): the current behaviour, measured in the same run on a copy of the same store), it:

1. starts the app and opens every page once (what an official did after the last import: the
   analyses are computed, and this version saves them in the store), then stops the server;
2. for each page: starts the server anew and opens that page first (**first visit after a
   server start**), then opens it ``--visits`` more times (**warm reload**: the address opened
   again, a whole page load; the median is printed), then ``--visits`` times by a click on its
   link in the sidebar from another page (**warm click**, what an official does moving between
   pages: the browser keeps Streamlit's page and only the page's elements change).

"First paint" is the seconds from navigation until the page's content is on screen, two
animation frames later: the map's features (Peta, Tumpang Tindih, Kewenangan, Kesenjangan),
the file uploader (Unggah), the download buttons (Ekspor) or the uploads table (Data). Every
non-local request is refused (offline: a proxy that nothing listens on, for every host but
127.0.0.1; the requests are printed). The browser keeps its HTTP cache, as an official's does;
``--no-cache`` routes every request through Playwright instead, which turns the cache off, so a
reload fetches Streamlit's and the map's scripts again (the figures of earlier notes were
measured that way). Prints the machine's load before and after.

Targets (issue 16): demo store, every page <= 2 s warm and <= 4 s on the first visit after a
server start; national store of 200,000 projects, first visit after a server start <= 5 s.

Usage: ``python bench/bench_first_visit.py [--national 200000 [--no-demo]] [--visits 3]
[--baseline main] [--no-cache]``
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.bench_map_paint import (  # noqa: E402  (the same notion of painted features)
    _FEATURES_JS,
    _TWO_FRAMES_JS,
    MAP_FRAME,
    TIMEOUT_MS,
)
from geo.demo.build import ensure_demo_store  # noqa: E402
from tests.browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    OFFLINE_PROXY,
    PageWatch,
    streamlit_server,
)

#: URL path of each page (ui/navigation.py) and what shows that its content is painted.
PAGES: tuple[tuple[str, str], ...] = (
    ("peta", "map"),
    ("unggah", '[data-testid="stFileUploader"]'),
    ("tumpang-tindih", "map"),
    ("kewenangan", "map"),
    ("kesenjangan", "map"),
    ("ekspor", '[data-testid="stDownloadButton"]'),
    ("data", '[data-testid="stDataFrame"]'),
)
PAGE_READY = dict(PAGES)


def load() -> str:
    """The machine's load averages (1, 5, 15 min) and cores."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def baseline_tree(ref: str, folder: Path) -> Path:
    """The app at git ``ref``, extracted into ``folder`` (no checkout is touched)."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", ref], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    # Its compiled loops built once beforehand, as in any installed copy (scripts/setup.sh).
    subprocess.run(
        [sys.executable, "-c", "import geo.spatial.segments; geo.spatial.segments.compile_loops()"],
        cwd=folder,
        env=os.environ | {"PYTHONPATH": str(folder)},
        check=True,
        capture_output=True,
    )
    return folder


def paint_seconds(page, url: str, ready: str) -> float:
    """Seconds from navigating to ``url`` until ``ready`` shows (``"map"``: map features)."""
    start = time.perf_counter()
    page.goto(url)
    return _painted(page, ready, start, url)


#: Pages a sidebar click starts from, first offered first: no map on them.
CLICK_FROM: tuple[str, ...] = ("unggah", "data", "ekspor")


def click_seconds(page, url: str, path: str, ready: str, offered: tuple[str, ...]) -> float:
    """Seconds from a click on ``path``'s link in the sidebar (from another page of the app, as
    an official moves between pages) until ``ready`` shows. The click starts on Unggah (no map,
    table or download button shown), else Data or Ekspor (of the ``offered`` pages; a store
    without accounts offers no Unggah)."""
    start_page = next(p for p in CLICK_FROM if p != path and p in offered)
    paint_seconds(page, f"{url}/{start_page}", PAGE_READY[start_page])
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    hrefs = [
        h.rstrip("/").rsplit("/", 1)[-1] for h in links.evaluate_all("a => a.map(x => x.href)")
    ]
    # The default page (Peta) is linked as the app's root.
    if path not in hrefs and path != PAGES[0][0]:
        raise LookupError(f"no link to {path} in the sidebar: {hrefs}")
    link = links.nth(hrefs.index(path) if path in hrefs else 0)
    start = time.perf_counter()
    link.click()
    return _painted(page, ready, start, f"{url}/{path}")


def _painted(page, ready: str, start: float, url: str) -> float:
    if ready == "map":
        page.wait_for_selector(MAP_FRAME, timeout=TIMEOUT_MS)
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while time.monotonic() < deadline:
            frame = next((f for f in page.frames if "streamlit_folium" in f.url), None)
            with contextlib.suppress(Exception):
                if frame is not None and frame.evaluate(_FEATURES_JS) > 0:
                    frame.evaluate(_TWO_FRAMES_JS)
                    break
            time.sleep(0.02)
        else:
            raise TimeoutError(f"{url}: no map features within {TIMEOUT_MS / 1000:.0f} s")
    else:
        page.locator(ready).first.wait_for(state="visible", timeout=TIMEOUT_MS)
        page.evaluate(_TWO_FRAMES_JS)
    return time.perf_counter() - start


@contextlib.contextmanager
def app(code: Path, store: Path, log: Path) -> Iterator[str]:
    """The app of ``code`` served on ``store``."""
    env = os.environ | {"PETA_STORE": str(store), "PYTHONPATH": str(code)}
    env.pop("DATABASE_URL", None)
    with streamlit_server(code / "app.py", cwd=code, env=env, log_path=log) as url:
        yield url


#: Whether the browser keeps its HTTP cache (``--no-cache`` turns it off): a route handler on
#: every request, as the browser tests use, turns it off in Playwright.
ROUTE_EVERY_REQUEST = False


@contextlib.contextmanager
def browser_page() -> Iterator[object]:
    """A Chromium page that reaches 127.0.0.1 only; what else it asked for is printed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, proxy=OFFLINE_PROXY
        )
        watch = PageWatch()
        try:
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            if ROUTE_EVERY_REQUEST:
                context.route("**/*", watch.allow_local_only)
            else:
                context.on("request", watch.note_non_local)
            yield context.new_page()
        finally:
            browser.close()
            if watch.blocked:
                print(f"  refused (not local): {sorted(set(watch.blocked))}", flush=True)


def measure(
    code: Path, store: Path, folder: Path, visits: int
) -> dict[str, tuple[float, float, float]]:
    """``page -> (first visit after a server start, median warm reload, median warm click in
    the sidebar)`` seconds."""
    pages = PAGES
    with app(code, store, folder / "prime.log") as url, browser_page() as page:
        shown = []
        for path, ready in pages:  # what the last import left: every page seen once
            try:
                paint_seconds(page, f"{url}/{path}", ready)
                shown.append((path, ready))
            except Exception as error:  # noqa: BLE001  (a page this store does not offer)
                print(f"  ({path}: not measured: {type(error).__name__})", flush=True)
        pages = tuple(shown)
    results = {}
    for path, ready in pages:
        with app(code, store, folder / f"{path}.log") as url, browser_page() as page:
            first = paint_seconds(page, f"{url}/{path}", ready)
            warm = [paint_seconds(page, f"{url}/{path}", ready) for _ in range(visits)]
            offered = tuple(p for p, _ in pages)
            clicked = [click_seconds(page, url, path, ready, offered) for _ in range(visits)]
        results[path] = (first, statistics.median(warm), statistics.median(clicked))
        print(
            f"  {path:15s} first {first:6.2f} s   warm {results[path][1]:6.2f} s   "
            f"click {results[path][2]:6.2f} s",
            flush=True,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=int, default=0, help="also a store of N projects")
    parser.add_argument("--visits", type=int, default=3, help="warm visits per page")
    parser.add_argument(
        "--baseline", default="main", help="git ref of the baseline app ('none': no baseline)"
    )
    parser.add_argument("--no-demo", action="store_true", help="only the national store")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="route every request through Playwright (as the browser tests do): no HTTP cache",
    )
    args = parser.parse_args()
    global ROUTE_EVERY_REQUEST
    ROUTE_EVERY_REQUEST = args.no_cache
    print(f"start: {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="peta-bench-visit-") as tmp:
        tmp = Path(tmp)
        versions = {"this tree": REPO_ROOT}
        if args.baseline != "none":
            versions = {"baseline": baseline_tree(args.baseline, tmp / "baseline")} | versions
        stores = {}
        if not args.no_demo:
            stores["demo"] = Path(ensure_demo_store(tmp / "demo" / "peta_sinergi.gpkg"))
        if args.national:
            from bench.bench_map_paint import make_national_store

            started = time.perf_counter()
            folder = tmp / "national"
            folder.mkdir()
            stores[f"national {args.national:,}"] = make_national_store(folder, args.national)
            print(f"national store built in {time.perf_counter() - started:.0f} s", flush=True)
        table = {}
        for name, source in stores.items():
            for label, code in versions.items():
                run = tmp / "runs" / f"{name}-{label}".replace(" ", "_")
                run.mkdir(parents=True)
                store = run / "store.gpkg"
                shutil.copy(source, store)
                print(f"{name} store, {label} ({load()}):", flush=True)
                table[(name, label)] = measure(code, store, run, args.visits)
        print(f"\nend: {load()}")
        print(
            "\nfirst paint, seconds: first visit after a server start / warm reload / warm "
            "click in the sidebar (medians)"
        )
        for name in stores:
            base_r, new_r = table.get((name, "baseline"), {}), table[(name, "this tree")]
            print(f"{name} store:")
            for path in new_r:
                b_first, b_warm, b_click = base_r.get(path, (float("nan"),) * 3)
                first, warm, click = new_r[path]
                if not base_r:
                    print(f"  {path:15s} {first:6.2f} / {warm:5.2f} / {click:5.2f}")
                    continue
                print(
                    f"  {path:15s} baseline {b_first:6.2f} / {b_warm:5.2f} / {b_click:5.2f}   "
                    f"now {first:6.2f} / {warm:5.2f} / {click:5.2f}   "
                    f"first-visit ratio {b_first / first:5.1f}x"
                )


if __name__ == "__main__":
    main()
