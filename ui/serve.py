"""Start the app warm: ``python -m ui.serve [streamlit run options]``.

``streamlit run app.py`` runs no code of the app until the first browser connects, so the
first visit after a server start paid for importing the pages' libraries (geopandas, folium),
reading the store's projects and reference layers and its saved analyses: 1.5 s on the demo
store, several seconds for a national store. This entry point does that first, in the server's
own process (the caches of :mod:`ui.store_cache` are per process), then starts Streamlit with
the options given, so the server answers only once a first visit is as fast as a later one.

A store that cannot be read is not an error here: the pages say what is wrong, in the
reader's language, when they are opened.
"""

from __future__ import annotations

import importlib
import logging
import sys
import time
from pathlib import Path
from typing import Final

from geo.errors import GeoInputError

#: The modules of every page and the map library they load on their first map. Not
#: ``streamlit_folium``: a Streamlit component registers itself only when imported by a page run.
PAGE_MODULES: Final[tuple[str, ...]] = (
    "ui.peta",
    "ui.unggah",
    "ui.findings",
    "ui.kesenjangan",
    "ui.ekspor",
    "ui.unggahan",
    "ui.cek_usulan",
    "ui.matriks",
    "folium",
    "folium.plugins",
)

#: The app's entry script, beside this package.
APP_SCRIPT: Final[Path] = Path(__file__).resolve().parent.parent / "app.py"

_LOG = logging.getLogger("peta_sinergi.serve")


def warm_up() -> float:
    """Import the pages' modules, then read the store, its saved analyses and reviews into the
    caches every page reads (computing and saving the analyses when the store holds none for
    its data and settings, as a first visit would); for Kesenjangan, total the budget at
    stake and build its map in the default language (together 3-4 s of CPU at 200,000
    projects). Returns the seconds it took.

    Streamlit's warnings that no page is running are silenced while this runs.
    """
    started = time.perf_counter()
    logging.disable(logging.WARNING)  # Streamlit's notes that no page is running
    problem = None
    try:
        for module in PAGE_MODULES:
            importlib.import_module(module)
        from ui import app_settings, store_cache

        app_settings.read_settings()
        data = store_cache.current_store()
        store_cache.store_analysis(data)
        store_cache.store_reviews(data)
        store_cache.store_ledger(data)
        if store_cache.store_coverage(data) is not None:  # else Kesenjangan draws no map
            from ui import kesenjangan, maps
            from ui.i18n import DEFAULT_LANG

            maps.warm_store_map(data, DEFAULT_LANG, **kesenjangan.MAP_OPTIONS)
    except GeoInputError as error:  # unreadable store, unreachable database: pages say so
        problem = error
    finally:
        logging.disable(logging.NOTSET)
    if problem is not None:
        _LOG.warning("the store was not read at start: %s", problem)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Warm up (:func:`warm_up`), then ``streamlit run app.py`` with ``argv`` as its options."""
    seconds = warm_up()
    print(f"Peta Sinergi: pages and store ready in {seconds:.1f} s", flush=True)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP_SCRIPT), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
