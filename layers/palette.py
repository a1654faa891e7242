"""Fixed colours and labels per level of government and asset type (DESIGN section 7).

The colours come from the Okabe-Ito palette, which stays distinguishable with the common forms
of colour blindness. They are the same everywhere a level is drawn: web map, legend and static
meeting maps. Vermillion (``#D55E00``) is kept free for highlighting overlaps.
"""

from __future__ import annotations

from typing import Final

from layers.words import LANGUAGES, VALUES, check_language

__all__ = ["LANGUAGES", "check_language"]


LEVEL_COLOURS: Final[dict[str, str]] = {
    "pusat": "#0072B2",  # blue
    "provinsi": "#E69F00",  # orange
    "kabupaten": "#009E73",  # bluish green
    "desa": "#CC79A7",  # reddish purple
}

#: Findings (overlaps, authority) are highlighted in vermillion, kept free of every level.
FINDING_COLOUR: Final[str] = "#D55E00"
#: A finding a meeting dismissed stays visible, quietly, in grey.
REVIEWED_COLOUR: Final[str] = "#7F7F7F"
#: The coverage-gap choropleth: ColorBrewer "Purples" (sequential, colour-blind safe, apart
#: from the level colours), lightest for the smallest gap.
GAP_COLOURS: Final[tuple[str, ...]] = ("#F2F0F7", "#CBC9E2", "#9E9AC8", "#756BB1", "#54278F")
#: Class edges of the uncovered network share (0-1): five classes of 20 percentage points.
GAP_CLASS_EDGES: Final[tuple[float, ...]] = (0.2, 0.4, 0.6, 0.8)

#: Reference boundaries (provinces, kabupaten) sit under the projects in a light grey.
BOUNDARY_COLOUR: Final[str] = "#BBBBBB"
#: Colour of the neutral asset symbols in the legend.
SYMBOL_COLOUR: Final[str] = "#444444"

LEVEL_LABELS: Final[dict[str, dict[str, str]]] = VALUES["level"]

ASSET_LABELS: Final[dict[str, dict[str, str]]] = VALUES["asset"]


def level_colour(level: str) -> str:
    """Hex colour of a level of government, e.g. ``level_colour("pusat") == "#0072B2"``."""
    return LEVEL_COLOURS[level]


def level_label(level: str, lang: str = "id") -> str:
    """Label of a level in ``lang``, e.g. ``level_label("kabupaten") == "Kabupaten/Kota"``."""
    return LEVEL_LABELS[check_language(lang)][level]


def asset_label(asset_type: str, lang: str = "id") -> str:
    """Label of an asset type in ``lang``; an unknown type is returned unchanged (unescaped).

    >>> asset_label("bridge")
    'Jembatan'
    """
    return ASSET_LABELS[check_language(lang)].get(asset_type, asset_type)


#: The reference road network under the projects, by status (``geo.analyse.authority`` statuses):
#: browns from dark (nasional) to light (desa), with the line getting thinner. Apart from
#: every level colour (the projects drawn over them), from the vermillion of the findings
#: and from the grey boundaries; readable in greyscale print by lightness and width.
ROAD_STATUS_COLOURS: Final[dict[str, str]] = {
    "nasional": "#5B3A29",
    "provinsi": "#8C6D5A",
    "kabupaten": "#B39B8A",
    "desa": "#CDBFB4",
    "unknown": "#9E9E9E",  # a road the network gives no status (RBI AUTRJL blank, OSM)
}
#: Line width per road status, in CSS pixels.
ROAD_STATUS_WEIGHTS: Final[dict[str, float]] = {
    "nasional": 3.0,
    "provinsi": 2.2,
    "kabupaten": 1.6,
    "desa": 1.0,
    "unknown": 1.0,
}
#: Daerah Irigasi outlines: Okabe-Ito sky blue, dashed, unfilled (irrigation projects are the
#: filled polygons in their level's colour).
IRRIGATION_AREA_COLOUR: Final[str] = "#56B4E9"

#: A road of each status as the map's legend names it (the catalogue's words).
ROAD_STATUS_LABELS: Final[dict[str, dict[str, str]]] = VALUES["road_of_status"]


def road_status_label(status: str, lang: str = "id") -> str:
    """Label of a road status in ``lang``; an unknown status is returned unchanged.

    >>> road_status_label("nasional", "en")
    'National road'
    """
    return ROAD_STATUS_LABELS[check_language(lang)].get(status, status)
