"""The store of projects, uploads, reference layers and reviews (DESIGN section 6).

A GeoPackage file (:class:`geo.store.gpkg.GeoPackageStore`, the embedded default) or, in
server mode, a PostGIS database (:class:`geo.store.postgis.PostGISStore`); :func:`open_store`
opens the one configured.
"""

from __future__ import annotations

from pathlib import Path

from geo.settings import default_store_locator, is_database_locator
from geo.store.gpkg import GeoPackageStore
from geo.store.protocol import Store

__all__ = [
    "Store",
    "describe_locator",
    "is_database",
    "open_locator",
    "open_store",
    "store_locator",
]


def open_store(path: str | Path | None = None) -> Store:
    """Open (creating if needed) the store.

    ``path`` given: that GeoPackage. Otherwise the PostGIS database at ``$DATABASE_URL``
    (server mode, :class:`geo.store.postgis.PostGISStore`) when it is set, else the GeoPackage
    at ``$PETA_STORE`` or under ``data/``.

    Raises
    ------
    geo.errors.StoreUnavailable
        ``$DATABASE_URL`` is malformed or its database cannot be reached.
    """
    if path:
        return GeoPackageStore(Path(path))
    return open_locator(store_locator())


def store_locator() -> str:
    """Where :func:`open_store` without a path opens the store: ``$DATABASE_URL`` when set,
    else the GeoPackage path (``$PETA_STORE`` or under ``data/``).

    The locator may hold the database password: a key and an argument, never shown (see
    :func:`describe_locator`).
    """
    return default_store_locator()


def is_database(locator: str) -> bool:
    """True when ``locator`` is a database (server mode), False for a GeoPackage path.

    A database is a URL (``...://...``) or whatever ``$DATABASE_URL`` holds, so a malformed
    URL is reported as one rather than taken for a file name.
    """
    return is_database_locator(locator)


def open_locator(locator: str) -> Store:
    """Open (creating if needed) the store ``locator`` names (:func:`store_locator`)."""
    if is_database(locator):
        from geo.store.postgis import PostGISStore  # the server libraries only when needed

        return PostGISStore(locator)
    return GeoPackageStore(Path(locator))


def describe_locator(locator: str) -> str:
    """The store ``locator`` names, fit to show: a GeoPackage's file name, or the database URL
    without its password."""
    if is_database(locator):
        from geo.store.postgis import checked_url

        return checked_url(locator).render_as_string(hide_password=True)
    return Path(locator).name
