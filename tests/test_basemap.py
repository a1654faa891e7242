"""The optional tile basemap: drawn from a (local) tile server, left out cleanly when offline."""

from __future__ import annotations

import io
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from cli import main
from geo.analyse.run import analyse_store
from geo.demo.build import build_demo
from geo.store import open_store
from layers.basemap import Basemap, tile_range, zoom_for
from layers.exports import export_bytes

#: The colour of every tile the test server sends.
TILE_RGB = (205, 232, 196)


class _Tiles(BaseHTTPRequestHandler):
    """Sends a plain tile for /Z/X/Y.png and 404 for anything under /missing/."""

    def do_GET(self):  # noqa: N802 - the http.server API
        if self.path.startswith("/missing/"):
            self.send_error(404)
            return
        buffer = io.BytesIO()
        Image.new("RGB", (256, 256), TILE_RGB).save(buffer, format="PNG")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(buffer.getvalue())))
        self.end_headers()
        self.wfile.write(buffer.getvalue())

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def tile_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.gpkg")


@pytest.fixture(scope="module")
def analyses(store):
    return analyse_store(open_store(store))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_tiles_are_drawn_under_the_map_with_their_attribution(analyses, tile_server):
    basemap = Basemap(tile_server + "/{z}/{x}/{y}.png", attribution="© Peladen Ubin Uji")
    png = export_bytes("map_png", analyses, basemap=basemap)
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    tile_share = (np.abs(pixels.astype(int) - TILE_RGB).max(axis=2) <= 2).mean()
    assert tile_share > 0.2, "the tiles fill the map's background"
    pdf = export_bytes("map_pdf", analyses, basemap=basemap)
    assert "© Peladen Ubin Uji" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


@pytest.mark.parametrize("where", ["offline", "missing tiles"])
def test_without_tiles_the_map_keeps_its_boundaries_and_says_so(analyses, tile_server, where):
    url = (
        f"http://127.0.0.1:{_closed_port()}/{{z}}/{{x}}/{{y}}.png"
        if where == "offline"
        else tile_server + "/missing/{z}/{x}/{y}.png"
    )
    pdf = export_bytes("map_pdf", analyses, basemap=Basemap(url, timeout_s=1.0))
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Peta dasar tidak dapat dimuat" in text
    assert "Kab. Sungai Contoh" in text  # the boundary basemap is there


def test_a_tile_url_must_be_http_with_z_x_y():
    with pytest.raises(ValueError, match=r"give an http\(s\) tile URL with \{z\}, \{x\} and \{y\}"):
        Basemap("file:///etc/passwd")


def test_bad_basemap_on_the_command_line_exits_2(store, tmp_path, capsys):
    out = tmp_path / "peta.png"
    args = ["export-map", "--store", str(store), "--out", str(out), "--basemap", "ftp://x/{z}"]
    assert main(args) == 2
    assert "--basemap 'ftp://x/{z}': give an http(s) tile URL" in capsys.readouterr().err


def test_the_zoom_matches_the_map_and_tiles_cover_it():
    # 130 km over 1300 px: 100 m a pixel, zoom 11 tiles are 76 m a pixel at the equator
    assert zoom_for(130_000, 1300) == 11
    x0, x1, y0, y1 = tile_range((11_460_000, -260_000, 11_590_000, -145_000), 11)
    assert x0 <= x1 and y0 <= y1 and (x1 - x0 + 1) * (y1 - y0 + 1) <= 64
