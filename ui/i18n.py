"""Interface text in Bahasa Indonesia (default) and English."""

from __future__ import annotations

from typing import Final

from geo.demo import DEMO_NOTICE
from layers.palette import check_language

DEFAULT_LANG: Final[str] = "id"

LANGUAGE_NAMES: Final[dict[str, str]] = {"id": "Bahasa Indonesia", "en": "English"}
#: Label of the language switch, in both languages so either reader finds it.
LANGUAGE_SWITCH_LABEL: Final[str] = "Bahasa / Language"

TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "title": "Peta Sinergi",
        "subtitle": "Proyek jalan, jembatan dan irigasi pusat, provinsi dan kabupaten/kota",
        "demo_notice": DEMO_NOTICE,
        "no_projects": "Belum ada proyek di penyimpanan {store}.",
        "store_error": "Data proyek tidak dapat dibaca",
        "map_caption": "Arahkan kursor ke sebuah proyek untuk melihat datanya.",
        "projects": "proyek",
    },
    "en": {
        "title": "Peta Sinergi",
        "subtitle": "Central, provincial and district road, bridge and irrigation projects",
        "demo_notice": "Sample data (illustrative) — not official data",
        "no_projects": "The store {store} holds no projects yet.",
        "store_error": "The project data cannot be read",
        "map_caption": "Hover over a project to see its record.",
        "projects": "projects",
    },
}


def text(key: str, lang: str) -> str:
    """The interface string ``key`` in ``lang``."""
    return TEXT[check_language(lang)][key]
