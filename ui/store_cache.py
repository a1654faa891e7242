"""Cached reads of the store and cached analyses: cheap keys (path, store version, settings).

The store's version is the modification time and size of its file and write-ahead log, so
any import, delete or review makes every page read fresh data on its next run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.analysis import Analysis, analyse
from geo.demo import DEMO_PREFIX, ensure_demo_store
from geo.inspect import FileSummary, inspect_file
from geo.io import ReadResult, read_projects
from geo.settings import Settings, default_store_path
from geo.store import open_store


@dataclasses.dataclass(frozen=True)
class StoreData:
    """What the pages show: projects and reference layers (all EPSG:4326), None when absent."""

    path: str
    version: tuple[int, ...]
    projects: gpd.GeoDataFrame
    units: gpd.GeoDataFrame | None
    roads: gpd.GeoDataFrame | None
    irrigation_areas: gpd.GeoDataFrame | None

    @property
    def is_demo(self) -> bool:
        """True when the store holds the illustrative demo data."""
        return bool(self.projects["source_file"].str.startswith(DEMO_PREFIX, na=False).any())


def store_version(store_path: Path) -> tuple[int, ...]:
    """Modification time (ns) and size of the store and of its write-ahead log.

    The GeoPackage runs in WAL mode: a new import may land in ``<store>-wal`` and leave the
    main file untouched until SQLite checkpoints it.
    """
    version: list[int] = []
    for path in (store_path, store_path.with_name(store_path.name + "-wal")):
        if path.exists():
            stat = path.stat()
            version += [stat.st_mtime_ns, stat.st_size]
    return tuple(version)


def current_store() -> StoreData:
    """The store at ``$PETA_STORE`` (demo data built on first start), read through the cache.

    Raises
    ------
    geo.errors.GeoInputError
        The store cannot be read or built.
    """
    store_path = default_store_path()
    ensure_demo_store(store_path)
    return load_store(str(store_path), store_version(store_path))


@st.cache_resource(show_spinner=False, max_entries=2)
def load_store(store_path: str, version: tuple[int, ...]) -> StoreData:
    """The store's projects and reference layers, reread when ``version`` changes.

    One object shared by every session and rerun, never copied (a national store of 200k
    projects takes 0.45 s to copy): callers must not change it in place.
    """
    store = open_store(Path(store_path))
    return StoreData(
        path=store_path,
        version=version,
        projects=store.load_projects(),
        units=store.load_reference("admin_units"),
        roads=store.load_reference("roads"),
        irrigation_areas=store.load_reference("irrigation_areas"),
    )


@st.cache_resource(show_spinner=False, max_entries=2)
def analysis(store_path: str, version: tuple[int, ...], settings: Settings) -> Analysis:
    """Overlaps, authority mismatches and coverage of the store's projects (full geometry).

    Shared like :func:`load_store`: callers must not change it in place.
    """
    data = load_store(store_path, version)
    return analyse(
        data.projects,
        roads=data.roads,
        irrigation_areas=data.irrigation_areas,
        units=data.units,
        settings=settings,
    )


@st.cache_data(show_spinner=False, max_entries=4)
def reviews(store_path: str, version: tuple[int, ...]) -> pd.DataFrame:
    """The latest review decision per finding id."""
    del version  # only part of the cache key
    return open_store(Path(store_path)).load_reviews()


def store_analysis(data: StoreData) -> Analysis:
    """:func:`analysis` of ``data`` with the settings from the environment."""
    return analysis(data.path, data.version, Settings.from_env())


def store_reviews(data: StoreData) -> pd.DataFrame:
    """:func:`reviews` of ``data``."""
    return reviews(data.path, data.version)


# --- uploads ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class UploadedFile:
    """One file as the browser sent it: its original name and its bytes."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _write_files(files: tuple[UploadedFile, ...], folder: Path) -> None:
    """Write the files under their original names (readers go by the extension)."""
    for upload in files:
        # Only the last path part: a browser-sent name never leaves the temp folder.
        (folder / Path(upload.name).name).write_bytes(upload.data)


@st.cache_data(show_spinner=False, max_entries=8)
def inspect_upload(files: tuple[UploadedFile, ...], main: str) -> FileSummary:
    """:func:`geo.inspect.inspect_file` of ``main`` among ``files`` (in a temp folder)."""
    with tempfile.TemporaryDirectory(prefix="peta-upload-") as tmp:
        _write_files(files, Path(tmp))
        return inspect_file(Path(tmp) / Path(main).name)


@st.cache_data(show_spinner=False, max_entries=8)
def read_upload(
    files: tuple[UploadedFile, ...],
    main: str,
    *,
    mapping: tuple[tuple[str, str], ...],
    level: str | None,
    agency: str | None,
    asset_type: str | None,
    crs: str | None,
    store_path: str,
    version: tuple[int, ...],
) -> ReadResult:
    """:func:`geo.io.read_projects` of ``main`` with the wizard's options; nothing stored.

    The store's road network (if any) places start/end points and chainages along roads.
    """
    roads = load_store(store_path, version).roads
    with tempfile.TemporaryDirectory(prefix="peta-upload-") as tmp:
        _write_files(files, Path(tmp))
        return read_projects(
            Path(tmp) / Path(main).name,
            level=level,
            agency=agency,
            asset_type=asset_type,
            mapping=dict(mapping),
            crs=crs,
            roads=roads,
        )
