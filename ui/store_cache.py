"""The store the app works on, and cached reads and analyses of it: cheap keys (the store's
locator, its version, settings).

The locator names the store: ``$DATABASE_URL`` in server mode (PostGIS), else the GeoPackage
path (``$PETA_STORE``). It is a cache key and an argument only, never shown: a database URL
may hold the password (:attr:`StoreData.label` is what pages show). The version
(``version()`` of either store) changes with every import, delete or review from any process
— the app's other sessions, the CLI, QGIS — so every page reads fresh data on its next run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.analyse.gaps import coverage_by_unit
from geo.analyse.ledger import ledger_of
from geo.analyse.locations import located_shifts
from geo.analyse.run import (
    LOCATION_COLUMNS,
    Analysis,
    analyse,
    analyse_new,
    project_keys,
    road_network,
)
from geo.demo.build import DEMO_PREFIX, ensure_demo_store
from geo.read.import_report import ImportReport
from geo.read.inspect import FileSummary, inspect_file
from geo.read.projects import ReadResult, read_projects
from geo.settings import Settings
from geo.spatial.network import RoadNetwork
from geo.store import (
    Store,
    describe_locator,
    is_database,
    open_locator,
    store_locator,
)
from geo.store.tables import settings_fingerprint
from ui import app_settings, state


@dataclasses.dataclass(frozen=True)
class StoreData:
    """What the pages show: projects and reference layers (all EPSG:4326), None when absent."""

    locator: str
    version: tuple[int, ...]
    projects: gpd.GeoDataFrame
    units: gpd.GeoDataFrame | None
    roads: gpd.GeoDataFrame | None
    irrigation_areas: gpd.GeoDataFrame | None

    @property
    def is_demo(self) -> bool:
        """True when the store holds the illustrative demo data."""
        return bool(self.projects["source_file"].str.startswith(DEMO_PREFIX, na=False).any())

    @property
    def label(self) -> str:
        """The store as pages show it: the GeoPackage's file name, or the database URL
        without its password."""
        return describe_locator(self.locator)


def open_current():
    """The store the app works on; every page opens it here.

    Server mode (``$DATABASE_URL`` set): that PostGIS database, as it is — an empty one
    shows the empty-store message, demo data is never written into a database. Otherwise the
    GeoPackage at ``$PETA_STORE``, built with the demo data on first start.

    Raises
    ------
    geo.errors.GeoInputError
        The store cannot be read or built; :class:`geo.errors.StoreUnavailable` when the
        database is unreachable or ``$DATABASE_URL`` is malformed.
    """
    locator = store_locator()
    if not is_database(locator):
        ensure_demo_store(locator)
    return store_at(locator)


def _close(store) -> None:
    store.close()


@st.cache_resource(show_spinner=False, max_entries=4, on_release=_close)
def store_at(locator: str):
    """The store ``locator`` names, opened once per app process: a PostGIS store keeps its
    connection pool across reruns and sessions (the stores are safe to share)."""
    return open_locator(locator)


def current_store() -> StoreData:
    """The current store's data (:func:`open_current`) at its current version, from the cache.

    Raises
    ------
    geo.errors.GeoInputError
        As :func:`open_current`.
    """
    store = open_current()
    locator = store_locator()
    version = store.version()
    with _LATEST_LOCK:
        version = _SAME_DATA.get((locator, version), version)
    return load_store(locator, version)


@st.cache_resource(show_spinner=False, max_entries=2)
def load_store(locator: str, version: tuple[int, ...]) -> StoreData:
    """The store's projects and reference layers, reread when ``version`` changes.

    One object shared by every session and rerun, never copied (a national store of 200k
    projects takes 0.45 s to copy): callers must not change it in place.
    """
    store = store_at(locator)
    return StoreData(
        locator=locator,
        version=version,
        projects=store.load_projects(),
        units=store.load_reference("admin_units"),
        roads=store.load_reference("roads"),
        irrigation_areas=store.load_reference("irrigation_areas"),
    )


#: The latest analysis of each store and settings: the next version's starts from it.
_LATEST: dict[tuple[str, str], tuple[StoreData, Analysis]] = {}
_LATEST_LOCK = threading.Lock()
#: Store versions that differ from an earlier one only by the analyses saved into it (a
#: GeoPackage's version is its file's time and size): ``(locator, new) -> earlier`` version,
#: so saving an analysis does not make every page read the projects again.
_SAME_DATA: dict[tuple[str, tuple[int, ...]], tuple[int, ...]] = {}


def _saved(store, kind: str, data_key: str, settings: Settings) -> pd.DataFrame | None:
    """The analysis ``kind`` the store holds for this data and these settings, or None."""
    return store.load_analysis(kind, data_key=data_key, settings_key=settings_fingerprint(settings))


def _save(
    locator: str,
    version: tuple[int, ...],
    data_key: str,
    settings: Settings,
    frames: dict[str, pd.DataFrame],
) -> None:
    """Save ``frames`` (kind -> analysis) in the store for its data ``data_key``, unless the
    data changed meanwhile; a version changed only by this save stands for ``version``.

    The audit trail names the user whose page computed it (the store's operator outside a
    page run)."""
    store = store_at(locator)
    if store.data_key() != data_key:  # another import landed meanwhile: not for this data
        return
    actor = st.session_state.get(state.ACTOR)
    for kind, frame in frames.items():
        store.save_analysis(
            kind,
            frame,
            data_key=data_key,
            settings_key=settings_fingerprint(settings),
            actor=actor,
        )
    after = store.version()
    if after != version and store.data_key() == data_key:
        with _LATEST_LOCK:
            _SAME_DATA[(locator, after)] = _SAME_DATA.get((locator, version), version)


@st.cache_resource(show_spinner=False, max_entries=2)
def analysis(locator: str, version: tuple[int, ...], settings: Settings) -> Analysis:
    """Overlaps and authority mismatches of the store's projects (full geometry); no coverage
    (:func:`coverage`, a whole-store measure, is computed only where it is shown).

    After an import, delete or replace, the previous version's analysis is updated
    (:func:`geo.analyse.run.analyse` with ``since``: only the changed records are checked)
    instead of analysing the whole store again. Shared like :func:`load_store`: callers must
    not change it in place.
    """
    data = load_store(locator, version)
    key = (locator, repr(settings))
    data_key = store_at(locator).data_key()
    overlaps = _saved(store_at(locator), "overlaps", data_key, settings)
    mismatches = _saved(store_at(locator), "mismatches", data_key, settings)
    located = _saved(store_at(locator), "locations", data_key, settings)
    # Saved when the data last changed; without a road network, locations as an empty table.
    if overlaps is not None and mismatches is not None and located is not None:
        result = Analysis(
            projects=data.projects,
            overlaps=overlaps,
            mismatches=mismatches,
            units=data.units,
            selected_units=data.units,
            authority_checked=data.roads is not None or data.irrigation_areas is not None,
            locations=located if len(located) else None,
        )
        with _LATEST_LOCK:
            _LATEST[key] = (data, result)
        return result
    with _LATEST_LOCK:
        latest = _LATEST.get(key)
    since = None
    if latest is not None and latest[0].version != version and _same_references(latest[0], data):
        since = latest[1]
    result = analyse(
        data.projects,
        settings=settings,
        units=data.units,
        roads=data.roads,
        irrigation_areas=data.irrigation_areas,
        coverage=False,
        since=since,
    )
    with _LATEST_LOCK:
        _LATEST[key] = (data, result)
    _save(
        locator,
        version,
        data_key,
        settings,
        {
            "overlaps": result.overlaps,
            "mismatches": result.mismatches,
            "locations": (
                pd.DataFrame(columns=list(LOCATION_COLUMNS))
                if result.locations is None
                else result.locations
            ),
        },
    )
    return result


def _same_references(before: StoreData, now: StoreData) -> bool:
    """True when the road network and Daerah Irigasi layers did not change."""
    return all(
        (a is None and b is None) or (a is not None and b is not None and a.equals(b))
        for a, b in ((before.roads, now.roads), (before.irrigation_areas, now.irrigation_areas))
    )


@st.cache_resource(show_spinner=False, max_entries=2)
def coverage(locator: str, version: tuple[int, ...], settings: Settings) -> pd.DataFrame | None:
    """:func:`geo.analyse.gaps.coverage_by_unit` of the store's projects per administrative unit (with
    the road network when there is one); None without units. Read from the store when it
    holds the coverage of this data and these settings, else computed and saved there.
    Shared: do not change it."""
    data = load_store(locator, version)
    if data.units is None or data.units.empty:
        return None
    data_key = store_at(locator).data_key()
    saved = _saved(store_at(locator), "coverage", data_key, settings)
    if saved is not None:
        return saved
    result = coverage_by_unit(
        data.projects,
        data.units,
        roads=data.roads,
        settings=settings,
        locate=True,
    )
    _save(locator, version, data_key, settings, {"coverage": result})
    return result


@st.cache_data(show_spinner=False, max_entries=4)
def reviews(locator: str, version: tuple[int, ...]) -> pd.DataFrame:
    """The latest review decision per finding id."""
    del version  # only part of the cache key
    return store_at(locator).load_reviews()


@st.cache_data(show_spinner=False, max_entries=8)
def new_analysis(
    locator: str, version: tuple[int, ...], keys: tuple[str, ...], settings: Settings
) -> Analysis:
    """Findings of the stored projects ``keys`` (:func:`geo.analyse.run.project_keys`), checked
    incrementally against the store (:func:`geo.analyse.run.analyse_new`): the upload page shows
    them without analysing the whole store again."""
    data = load_store(locator, version)
    new_projects = data.projects[project_keys(data.projects).isin(set(keys))]
    return analyse_new(
        new_projects,
        store_at(locator),
        settings=settings,
        roads=data.roads,
        irrigation_areas=data.irrigation_areas,
        shifts=_store_shifts(locator, version, settings),
    )


def _store_shifts(
    locator: str, version: tuple[int, ...], settings: Settings
) -> pd.DataFrame | None:
    """The sources' systematic shifts as the store's analysis found them from all their works
    (:func:`geo.analyse.locations.located_shifts`; saved for this data, else the latest one
    computed here), for the incremental check; None without a network or an analysis."""
    store = store_at(locator)
    data_key = store.data_key()
    road_net = network(locator, data_key, _version=version)
    if road_net is None:
        return None
    locations = _saved(store, "locations", data_key, settings)
    if locations is None:
        with _LATEST_LOCK:
            latest = _LATEST.get((locator, repr(settings)))
        locations = None if latest is None else latest[1].locations
    if locations is None or locations.empty:
        return None
    return located_shifts(
        load_store(locator, version).projects, locations, road_net, settings=settings
    )


@st.cache_resource(show_spinner=False, max_entries=2)
def network(locator: str, data_key: str, *, _version: tuple[int, ...]) -> RoadNetwork | None:
    """The store's road network as a :class:`~geo.spatial.network.RoadNetwork` (None without
    one), built once per data (``data_key``; ``_version`` only says which data to read):
    shared by every session, so callers must not change it."""
    return road_network(load_store(locator, _version).roads)


def store_analysis(data: StoreData) -> Analysis:
    """:func:`analysis` of ``data`` with the settings in force (:mod:`ui.app_settings`)."""
    return analysis(data.locator, data.version, app_settings.current())


@st.cache_data(show_spinner=False, max_entries=4)
def _ledger(locator: str, version: tuple[int, ...], settings: Settings) -> pd.DataFrame:
    """:func:`geo.analyse.ledger.budget_ledger` of the store's analysis per its units."""
    return ledger_of(analysis(locator, version, settings))


def store_ledger(data: StoreData) -> pd.DataFrame:
    """The budget at stake totalled (:func:`geo.analyse.ledger.ledger_of`) of the store's
    overlap findings, with the settings in force."""
    return _ledger(data.locator, data.version, app_settings.current())


def store_coverage(data: StoreData) -> pd.DataFrame | None:
    """:func:`coverage` of ``data`` with the settings in force (:mod:`ui.app_settings`)."""
    return coverage(data.locator, data.version, app_settings.current())


def store_export(data: StoreData) -> Analysis:
    """The whole store as the exports take it: :func:`store_analysis` with the coverage
    (:func:`store_coverage`), the uploads and their import reports, all from the caches: a
    first visit of the Ekspor page analyses nothing the other pages have not (saved analyses
    are read from the store), and each import report is read only when the workbook asks for
    it (a national upload's report takes a second to read)."""
    uploads = _uploads(data.locator, data.version)
    reports = _StoredReports(store_at(data.locator), [int(i) for i in uploads["id"]])
    return dataclasses.replace(
        store_analysis(data), coverage=store_coverage(data), uploads=uploads, reports=reports
    )


@st.cache_data(show_spinner=False, max_entries=2)
def _uploads(locator: str, version: tuple[int, ...]) -> pd.DataFrame:
    """The store's uploads."""
    del version  # only part of the cache key
    return store_at(locator).list_uploads()


class _StoredReports(Mapping[int, ImportReport]):
    """The import report of each upload, read from the store when first asked for."""

    def __init__(self, store: Store, upload_ids: list[int]) -> None:
        self._store = store
        self._ids = upload_ids
        self._read: dict[int, ImportReport] = {}

    def __getitem__(self, upload_id: int) -> ImportReport:
        if upload_id not in self._ids:
            raise KeyError(upload_id)
        if upload_id not in self._read:
            self._read[upload_id] = self._store.upload_report(upload_id)
        return self._read[upload_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


def store_reviews(data: StoreData) -> pd.DataFrame:
    """:func:`reviews` of ``data``."""
    return reviews(data.locator, data.version)


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
def inspect_upload(files: tuple[UploadedFile, ...], main: str, settings: Settings) -> FileSummary:
    """:func:`geo.read.inspect.inspect_file` of ``main`` among ``files`` (in a temp folder)."""
    with tempfile.TemporaryDirectory(prefix="peta-upload-") as tmp:
        _write_files(files, Path(tmp))
        return inspect_file(Path(tmp) / Path(main).name, settings=settings)


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
    locator: str,
    version: tuple[int, ...],
    settings: Settings,
) -> ReadResult:
    """:func:`geo.read.projects.read_projects` of ``main`` with the wizard's options; nothing stored.

    The store's road network (if any) places start/end points and chainages along roads; its
    Daerah Irigasi (if any) locate irrigation works given as points.
    """
    stored = load_store(locator, version)
    with tempfile.TemporaryDirectory(prefix="peta-upload-") as tmp:
        _write_files(files, Path(tmp))
        return read_projects(
            Path(tmp) / Path(main).name,
            level=level,
            agency=agency,
            asset_type=asset_type,
            mapping=dict(mapping),
            crs=crs,
            settings=settings,
            roads=stored.roads,
            irrigation_areas=stored.irrigation_areas,
        )
