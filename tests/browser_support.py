"""Helpers for the browser tests: a Streamlit server subprocess and an offline Chromium page."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

#: Debian's Chromium; Playwright's own browser download is never used (no internet).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
)
#: The only host the page may reach: the app under test. Anything else is refused.
LOCAL_HOSTS = frozenset({"127.0.0.1"})
#: A proxy nothing listens on, for every host but the app's: the page is offline, as with
#: :meth:`PageWatch.allow_local_only`, but without Playwright routing every request through
#: Python, which also turns the browser's HTTP cache off (a reload then fetches every file
#: again, as no official's browser does).
OFFLINE_PROXY: Final[dict[str, str]] = {
    "server": "http://127.0.0.1:9",
    "bypass": ",".join(sorted(LOCAL_HOSTS)),
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    app: Path,
    *,
    cwd: Path,
    env: Mapping[str, str],
    log_path: Path,
    timeout_s: float = 300.0,
) -> Iterator[str]:
    """Run the app on a free local port; yield its base URL; always stop it.

    The app's own entry point (``python -m ui.serve``) reads the store and its analyses before
    it answers, computing them first on a store that holds none: ``timeout_s`` allows for that
    on a busy machine. The server runs in its own process group, so stopping it also stops anything it started.
    Its output goes to ``log_path``, which the failure message quotes.
    """
    port = free_port()
    # The app's own entry point (it warms the pages and the store before it answers), else
    # Streamlit's (an older copy of the app, as a benchmark's baseline).
    warm = (cwd / "ui" / "serve.py").exists() and app.resolve() == (cwd / "app.py").resolve()
    command = [
        sys.executable,
        "-m",
        *(["ui.serve"] if warm else ["streamlit", "run", str(app)]),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            command,
            cwd=cwd,
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(f"{base_url}/_stcore/health", server, log_path, timeout_s)
        yield base_url
    finally:
        _stop(server)


def _wait_until_healthy(
    url: str, server: subprocess.Popen, log_path: Path, timeout_s: float
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {server.returncode}:\n{log_path.read_text(errors='replace')}"
            )
        with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError):
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.25)
    raise RuntimeError(
        f"streamlit did not answer {url} within {timeout_s} s:\n"
        f"{log_path.read_text(errors='replace')}"
    )


def _stop(server: subprocess.Popen) -> None:
    """Stop the server's process group: politely, then for sure."""
    if server.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


@dataclass
class PageWatch:
    """What a page did besides rendering: refused requests and JavaScript errors."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def allow_local_only(self, route) -> None:
        """Playwright route handler: let 127.0.0.1 through, refuse and record the rest."""
        url = route.request.url
        scheme = urlsplit(url).scheme
        if scheme in ("data", "blob", "about") or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")

    def note_non_local(self, request) -> None:
        """Playwright ``request`` listener: record what the page asked of any other host (the
        :data:`OFFLINE_PROXY` refuses it); unlike a route, a listener keeps the HTTP cache."""
        url = request.url
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and (
            urlsplit(url).hostname not in LOCAL_HOSTS
        ):
            self.blocked.append(url)

    def watch(self, page) -> None:
        """Record console errors and uncaught exceptions of the page and all its frames."""
        page.on(
            "console",
            lambda message: (
                self.errors.append(f"console: {message.text}") if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))


@contextlib.contextmanager
def app_on_store(
    store_path: Path, log_folder: Path, env: Mapping[str, str] | None = None
) -> Iterator[str]:
    """The app (``app.py``) served on the store at ``store_path``; yields its URL.

    ``env`` adds to (or overrides) the environment of the server.
    """
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"{CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does)"
        )
    root = Path(__file__).resolve().parent.parent
    env = os.environ | {"PETA_STORE": str(store_path)} | dict(env or {})
    with streamlit_server(
        root / "app.py", cwd=root, env=env, log_path=log_folder / "streamlit.log"
    ) as url:
        yield url


@contextlib.contextmanager
def offline_page(
    url: str,
    *,
    viewport: tuple[int, int] = (1400, 1100),
    locale: str | None = None,
) -> Iterator[tuple[object, PageWatch]]:
    """A Chromium page on ``url`` that may reach 127.0.0.1 only, and what it tried;
    ``viewport`` is (width, height) in CSS pixels, ``locale`` the browser's (e.g. ``en-US``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            width, height = viewport
            options = {"locale": locale} if locale else {}
            context = browser.new_context(viewport={"width": width, "height": height}, **options)
            watch = PageWatch()
            context.route("**/*", watch.allow_local_only)
            page = context.new_page()
            watch.watch(page)
            page.goto(url)
            yield page, watch
        finally:
            browser.close()
