"""All thresholds and defaults in one place; the CLI and the UI show and accept these.

Values can be overridden with environment variables ``PETA_<FIELD>`` (upper case), e.g.
``PETA_MAX_UPLOAD_MB=500``. This module is the only reader of the environment: the app and the
command line call :meth:`Settings.from_env` once at start-up and pass the result down; a
library function given no settings uses the documented defaults (:data:`DEFAULT_SETTINGS`).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from geo.errors import GeoInputError

__all__ = [
    "DEFAULT_SETTINGS",
    "default_store_locator",
    "default_store_path",
    "default_users_path",
    "INDONESIA_BOUNDS_DEG",
    "is_database_locator",
    "numba_cache_dir",
    "REPO_ROOT",
    "Settings",
]

#: Indonesia's envelope in degrees (lon_min, lat_min, lon_max, lat_max), DESIGN section 4.
INDONESIA_BOUNDS_DEG = (94.0, -11.5, 142.0, 6.5)

#: Repository root, so the default store lives under ``data/`` wherever the app is started.
REPO_ROOT = Path(__file__).resolve().parent.parent


#: The ends of a ruas chainage may be counted from (:attr:`Settings.chainage_from`).
CHAINAGE_ENDS: tuple[str, ...] = ("start", "end")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Thresholds for reading, checking and analysing projects.

    Attributes
    ----------
    max_upload_mb
        Largest file accepted for import, in MB (10**6 bytes).
    max_zip_entries
        Most entries a zip (or KMZ) may hold.
    max_unzipped_mb
        Largest total uncompressed size of a zip's entries, in MB.
    max_zip_ratio
        Largest uncompressed/compressed ratio of any zip entry (zip-bomb guard).
    max_zip_depth
        How many levels of zip-inside-zip are opened (1: a zip may hold zips, those may not).
    tolerance_m
        Distance within which two roads count as the same stretch, in metres.
    min_overlap_m
        Smallest shared road length reported as an overlap, in metres.
    bridge_distance_m
        Two bridge points closer than this are the same bridge, in metres.
    min_overlap_ha
        Smallest shared irrigation area reported, in hectares.
    min_overlap_share
        Smallest shared irrigation area as a share (0-1) of the smaller polygon.
    max_angle_deg
        Largest angle between two roads' directions along a shared stretch, in degrees: roads
        crossing at a wider angle share only the few metres around the crossing.
    measure_step_m
        Lines are resampled every this many metres before lengths are measured, so the zigzag
        of a noisy re-digitised line (GPS noise of a few metres every 10 m) does not inflate
        its length; a 25 m step keeps curves of 100 m radius within 1%.
    repeat_window_years
        Also report pairs whose year ranges are apart by at most this many years, labelled
        ``repeat`` whatever their work types (0: off; overlaps need intersecting year ranges).
        Repeat funding within a work's design life is found without it (below).
    design_life_pemeliharaan_berkala_years
        Design life of periodic maintenance (pemeliharaan berkala: an overlay), in years. The
        same stretch funded again by a work of a type with a design life, starting no later
        than this many years after the last budget year of an earlier work of this type, is
        repeat funding (pendanaan berulang, finding kind ``repeat``;
        :meth:`design_life_years`). 0 turns a type off.
    design_life_rehabilitasi_years
        Design life of a rehabilitation, in years.
    design_life_peningkatan_years
        Design life of an improvement (peningkatan struktur or kapasitas, pelebaran: a new
        pavement structure), in years.
    design_life_rekonstruksi_years
        Design life of a reconstruction, in years.
    network_offset_m
        Farthest a drawn road may be shifted from the network road it follows when it is
        located on the road network (``locate``, and road overlaps with a network), in metres:
        another basemap puts a drawing 20-40 m off. Digitising noise of up to
        :data:`geo.spatial.linematch.DIGITISING_NOISE_M` is allowed on top.
    severity_share
        Share (0-1) of the smaller project covered from which a cross-level overlap is ``high``.
    proposal_recent_years
        A proposal is checked against work on the same stretch up to this many budget years
        before or after its own (``check-proposals``): a stretch rebuilt last year is a
        question for the meeting, not only a stretch funded twice in one year.
    max_text_chars
        Longest text a record's field (id, name, agency, funding source, work type, status) may
        hold, in characters. A longer value rejects its record, with a reason naming the field
        and its length, rather than being cut: a cut name or id would be stored as something the
        agency never wrote. A package name is rarely over 300 characters.
    oc4ids_uri
        Where the OC4IDS packages are published: each package's ``uri`` is this plus its file
        name (the default ``.invalid`` address says it has not been set).
    oc4ids_publisher
        Name of the organisation publishing the OC4IDS packages.
    oc4ids_id_prefix
        OC4IDS project id prefix (``oc4ids-`` and six letters or digits) assigned to the
        publisher by the OC4IDS Helpdesk; the default is a placeholder to replace.
    chainage_from
        Which end of a ruas its chainage (STA) is counted from: ``start`` (the default: from
        the ruas start, in the direction its features are digitised, as road agencies count
        it) or ``end`` (from the other end, for a network digitised against the direction its
        agency counts in). Applied where STA is read (a record's ruas + STA, a proposal's STA)
        and written (located intervals, the ruas and STA of overlap findings).
    time_zone
        Where dates and times are shown for: ``Asia/Jakarta`` (WIB, the default),
        ``Asia/Makassar`` (WITA) or ``Asia/Jayapura`` (WIT); ``WIB``, ``WITA`` or ``WIT`` say
        the same. The store keeps times in UTC.
    """

    max_upload_mb: float = 200.0
    max_zip_entries: int = 300
    max_unzipped_mb: float = 1000.0
    max_zip_ratio: float = 200.0
    max_zip_depth: int = 1
    tolerance_m: float = 20.0
    min_overlap_m: float = 50.0
    bridge_distance_m: float = 50.0
    min_overlap_ha: float = 1.0
    min_overlap_share: float = 0.05
    max_angle_deg: float = 20.0
    measure_step_m: float = 25.0
    repeat_window_years: int = 0
    design_life_pemeliharaan_berkala_years: int = 3
    design_life_rehabilitasi_years: int = 5
    design_life_peningkatan_years: int = 10
    design_life_rekonstruksi_years: int = 10
    severity_share: float = 0.5
    proposal_recent_years: int = 2
    network_offset_m: float = 40.0
    max_text_chars: int = 1000
    oc4ids_uri: str = "https://peta-sinergi.invalid/oc4ids"
    oc4ids_publisher: str = "Peta Sinergi"
    oc4ids_id_prefix: str = "oc4ids-000000"
    time_zone: str = "Asia/Jakarta"
    chainage_from: str = "start"

    def __post_init__(self) -> None:
        counted_from = str(self.chainage_from).strip().lower()
        if counted_from not in CHAINAGE_ENDS:
            raise GeoInputError(
                f"chainage_from {self.chainage_from!r}: say which end of a ruas STA is counted "
                f"from, {' or '.join(CHAINAGE_ENDS)} (PETA_CHAINAGE_FROM)"
            )
        object.__setattr__(self, "chainage_from", counted_from)

    @property
    def chainage_from_end(self) -> bool:
        """True when STA is counted from the other end of each ruas (``chainage_from`` end)."""
        return self.chainage_from == "end"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Defaults overridden by ``PETA_<FIELD>`` environment variables."""
        source: Mapping[str, str] = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in dataclasses.fields(cls):
            raw = source.get(f"PETA_{field.name.upper()}")
            if raw is not None:
                convert: Callable[[str], object] = type(field.default)
                values[field.name] = convert(raw)
        return cls(**values)  # type: ignore[arg-type]  # each converted to its field's type

    def design_life_years(self, work_class: str | None) -> int:
        """Design life in years of a work class (:func:`geo.read.values.work_class`), 0 for
        None or a class without one.

        >>> Settings().design_life_years("rehabilitasi"), Settings().design_life_years(None)
        (5, 0)
        """
        if not work_class:
            return 0
        return int(getattr(self, f"design_life_{work_class}_years", 0))


#: The documented defaults: what a library function uses when it is given no settings.
DEFAULT_SETTINGS = Settings()


def default_store_path() -> Path:
    """The GeoPackage store: ``$PETA_STORE`` or ``data/peta_sinergi.gpkg`` in the repository."""
    return Path(os.environ.get("PETA_STORE") or REPO_ROOT / "data" / "peta_sinergi.gpkg")


def default_store_locator() -> str:
    """The store used when none is named: ``$DATABASE_URL`` when set, else
    :func:`default_store_path`."""
    return os.environ.get("DATABASE_URL") or str(default_store_path())


def default_users_path(store_locator: str | None = None) -> Path:
    """The local accounts file that goes with a store, as an absolute path.

    ``$PETA_USERS`` when set; else ``users.json`` beside the GeoPackage store; for a database
    store (server mode) ``data/users.json`` in the repository. Resolved like the store, never
    against the working directory, so a service started from ``/`` finds the same accounts as
    the command line.

    Parameters
    ----------
    store_locator
        The store (a GeoPackage path or a database URL); defaults to
        :func:`default_store_locator`.
    """
    if os.environ.get("PETA_USERS"):
        return Path(os.environ["PETA_USERS"]).absolute()
    locator = store_locator or default_store_locator()
    if is_database_locator(locator):
        return REPO_ROOT / "data" / "users.json"
    return Path(locator).absolute().parent / "users.json"


def is_database_locator(locator: str) -> bool:
    """True when a store ``locator`` is a database (server mode), False for a GeoPackage path.

    A database is a URL (``...://...``) or whatever ``$DATABASE_URL`` holds, so a malformed
    URL is reported as one rather than taken for a file name.

    >>> is_database_locator("postgresql://peta@db/peta"), is_database_locator("data/peta.gpkg")
    (True, False)
    """
    return "://" in locator or locator == os.environ.get("DATABASE_URL")


def numba_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the compiled loops (:mod:`geo.spatial.segments`) are cached, outside the source tree.

    ``$PETA_NUMBA_CACHE_DIR`` when set, else ``peta-sinergi/numba`` under the user's cache
    directory (``$XDG_CACHE_HOME``, by default ``~/.cache``). ``scripts/setup.sh`` fills it,
    so the first analysis after an install loads the loops instead of compiling them.

    >>> numba_cache_dir({"XDG_CACHE_HOME": "/var/cache/peta"}).as_posix()
    '/var/cache/peta/peta-sinergi/numba'
    """
    source: Mapping[str, str] = os.environ if environ is None else environ
    if source.get("PETA_NUMBA_CACHE_DIR"):
        return Path(source["PETA_NUMBA_CACHE_DIR"]).expanduser()
    base = source.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "peta-sinergi" / "numba"
