"""An optional tile basemap under static maps: XYZ tiles when a tile server is reachable.

Offline is the normal case (DESIGN section 7): then nothing is fetched and the map keeps its
basemap of reference boundaries. With a tile URL the tiles covering the map are fetched at
once, with a short timeout; if any tile fails the basemap is left out as a whole (a map with
holes would mislead) and the map says so. Tiles are Web Mercator (EPSG:3857), so a map with a
basemap is drawn in EPSG:3857; inside Indonesia (|lat| < 11.5 degrees) its scale departs from
true by at most 2%, and the scale bar is corrected for it at the map's centre.
"""

from __future__ import annotations

import dataclasses
import io
import math
import urllib.request
from typing import Final

import numpy as np
from PIL import Image

from geo._parallel import map_in_threads

#: Half the width of the Web Mercator world, metres.
WORLD_HALF_M: Final[float] = 20037508.342789244
TILE_PX: Final[int] = 256
#: Most tiles fetched for one map: a slide needs about 8 x 5.
MAX_TILES: Final[int] = 64
OSM_URL: Final[str] = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION: Final[str] = "© OpenStreetMap contributors"


@dataclasses.dataclass(frozen=True)
class Basemap:
    """A tile server: URL template with ``{z}``, ``{x}``, ``{y}``, and its attribution."""

    url: str
    attribution: str = OSM_ATTRIBUTION
    timeout_s: float = 3.0

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")) or not all(
            key in self.url for key in ("{z}", "{x}", "{y}")
        ):
            raise ValueError(
                f"basemap {self.url!r}: give an http(s) tile URL with {{z}}, {{x}} and {{y}}, "
                f"e.g. {OSM_URL}"
            )


def zoom_for(width_m: float, width_px: float) -> int:
    """The tile zoom whose pixels are about as fine as the map's (0-19).

    >>> zoom_for(100_000, 1300)  # 77 m a pixel: zoom 11 tiles are 76 m a pixel
    11
    """
    metres_per_px = max(width_m, 1.0) / max(width_px, 1.0)
    zoom = math.log2(2 * WORLD_HALF_M / (TILE_PX * metres_per_px))
    return int(min(19, max(0, round(zoom))))


def tile_range(bounds_3857: tuple[float, float, float, float], zoom: int) -> tuple[int, ...]:
    """``(x_first, x_last, y_first, y_last)`` of the tiles covering bounds (EPSG:3857)."""
    n = 2**zoom
    size = 2 * WORLD_HALF_M / n
    x0, y0, x1, y1 = bounds_3857
    column = lambda x: int(min(n - 1, max(0, (x + WORLD_HALF_M) // size)))  # noqa: E731
    row = lambda y: int(min(n - 1, max(0, (WORLD_HALF_M - y) // size)))  # noqa: E731
    return column(x0), column(x1), row(y1), row(y0)


def fetch_basemap(
    basemap: Basemap, bounds_3857: tuple[float, float, float, float], width_px: float
) -> tuple[np.ndarray, tuple[float, float, float, float]] | None:
    """The tiles covering ``bounds_3857`` as one RGB image and its extent (left, right,
    bottom, top in EPSG:3857), or None when any tile cannot be fetched."""
    zoom = zoom_for(bounds_3857[2] - bounds_3857[0], width_px)
    xa, xb, ya, yb = tile_range(bounds_3857, zoom)
    while (xb - xa + 1) * (yb - ya + 1) > MAX_TILES and zoom > 0:
        zoom -= 1
        xa, xb, ya, yb = tile_range(bounds_3857, zoom)
    tiles = [(x, y) for y in range(ya, yb + 1) for x in range(xa, xb + 1)]
    images = map_in_threads(lambda xy: _tile(basemap, zoom, *xy), tiles)
    if any(image is None for image in images):
        return None
    mosaic = np.zeros(((yb - ya + 1) * TILE_PX, (xb - xa + 1) * TILE_PX, 3), dtype=np.uint8)
    for (x, y), image in zip(tiles, images, strict=True):
        top, left = (y - ya) * TILE_PX, (x - xa) * TILE_PX
        mosaic[top : top + TILE_PX, left : left + TILE_PX] = image
    size = 2 * WORLD_HALF_M / 2**zoom
    extent = (
        xa * size - WORLD_HALF_M,
        (xb + 1) * size - WORLD_HALF_M,
        WORLD_HALF_M - (yb + 1) * size,
        WORLD_HALF_M - ya * size,
    )
    return mosaic, extent


def _tile(basemap: Basemap, zoom: int, x: int, y: int) -> np.ndarray | None:
    url = basemap.url.format(z=zoom, x=x, y=y)
    request = urllib.request.Request(url, headers={"User-Agent": "PetaSinergi/0.1 (static map)"})
    try:
        with urllib.request.urlopen(request, timeout=basemap.timeout_s) as response:  # noqa: S310
            data = response.read(2_000_000)
        with Image.open(io.BytesIO(data)) as image:
            tile = np.asarray(image.convert("RGB").resize((TILE_PX, TILE_PX)))
    except (OSError, ValueError):  # no network, refused, timeout, HTTP error, not an image
        return None
    return tile
