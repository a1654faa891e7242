"""One analysis of a set of projects: which projects (:class:`ProjectFilter`), what was found
(:class:`Analysis`) and the run itself (:func:`analyse`).

The app, the exports and the CLI all call :func:`analyse`; it runs the same functions the
single CLI commands run (:func:`geo.analyse.overlap.find_overlaps`,
:func:`geo.analyse.authority.find_mismatches`, :func:`geo.analyse.gaps.coverage_by_unit`) on
the filter's selection, gives authority mismatches stable ids (reviews attach to them across
re-runs) and, given the analysis of an earlier version of the projects (``since``), checks
only the records that changed. Two subordinate helpers return the same :class:`Analysis`:
:func:`analyse_store` reads a store's projects, reference layers and uploads first, and
:func:`analyse_new` checks new uploads against a store without reading all of it. No
streamlit here.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Collection, Iterable, Mapping
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analyse.authority import MISMATCH_COLUMNS, find_mismatches
from geo.analyse.gaps import coverage_by_unit
from geo.analyse.incremental import overlaps_with_store, rows_near, search_reach_m
from geo.analyse.locations import as_counted, located_shifts
from geo.analyse.overlap import find_overlaps, locate_road_projects, reach_of, sort_findings
from geo.errors import GeoInputError
from geo.finding_ids import mismatch_id
from geo.read.import_report import ImportReport
from geo.read.values import parse_asset_type, parse_level
from geo.settings import DEFAULT_SETTINGS, Settings
from geo.spatial.linematch import LOCATED_COLUMNS
from geo.spatial.network import RoadNetwork
from geo.store.protocol import Store

__all__ = [
    "analyse",
    "analyse_new",
    "analyse_store",
    "Analysis",
    "mismatches_involving",
    "most_pressing",
    "overlaps_involving",
    "project_keys",
    "project_refs",
    "LOCATION_COLUMNS",
    "ProjectFilter",
    "projects_in_units",
    "road_network",
    "select_units",
    "SEVERITY_ORDER",
    "with_mismatch_ids",
    "with_project_geometry",
]


@dataclasses.dataclass(frozen=True)
class ProjectFilter:
    """Which projects a map, a table or a report is about; an empty field keeps everything.

    Attributes
    ----------
    year_from, year_to
        Budget years, inclusive (either end may be open): a project counts when its
        ``year_start``-``year_end`` range intersects them.
    levels
        Levels of government (``pusat``, ``provinsi``, ``kabupaten``, ``desa``; aliases such as
        ``Kab/Kota`` are accepted).
    asset_types
        ``road``, ``bridge``, ``irrigation`` (or ``jalan``, ``jembatan``, ``irigasi``).
    funding_sources
        Funding sources as stored (``APBN``, ``DAK``, ...), exactly.
    units
        Administrative units by ``unit_id`` or ``unit_name`` (case-insensitive; a part of one
        name is enough): projects with a part inside one of them.

    Raises
    ------
    GeoInputError
        An unknown level or asset type, or a first year after the last (every problem at once).
    """

    year_from: int | None = None
    year_to: int | None = None
    levels: tuple[str, ...] = ()
    asset_types: tuple[str, ...] = ()
    funding_sources: tuple[str, ...] = ()
    units: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problems = []
        levels, assets = [], []
        for value in self.levels:
            try:
                levels.append(parse_level(value))
            except ValueError as exc:
                problems.append(f"level {value}: {exc}")
        for value in self.asset_types:
            try:
                assets.append(parse_asset_type(value))
            except ValueError as exc:
                problems.append(f"asset {value}: {exc}")
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            problems.append(
                f"years {self.year_from}-{self.year_to}: the first year is after the last; "
                "swap them"
            )
        if problems:
            raise GeoInputError(*problems)
        object.__setattr__(self, "levels", tuple(dict.fromkeys(levels)))
        object.__setattr__(self, "asset_types", tuple(dict.fromkeys(assets)))
        object.__setattr__(self, "funding_sources", tuple(str(f) for f in self.funding_sources))
        object.__setattr__(self, "units", tuple(str(u).strip() for u in self.units))

    @property
    def years(self) -> tuple[int, int] | None:
        """``(year_from, year_to)`` with an open end filled by 1900 / 2100, or None."""
        if self.year_from is None and self.year_to is None:
            return None
        return (self.year_from or 1900, self.year_to or 2100)

    @property
    def keeps_everything(self) -> bool:
        """True when no field is set."""
        return self == ProjectFilter()

    def select_units(self, admin_units: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
        """The administrative units the filter is about: :func:`select_units` of ``units``."""
        return select_units(admin_units, self.units)

    def mask(
        self, projects: gpd.GeoDataFrame, admin_units: gpd.GeoDataFrame | None = None
    ) -> np.ndarray:
        """Boolean mask of the projects this filter keeps.

        Parameters
        ----------
        projects
            Canonical project records in EPSG:4326.
        admin_units
            Administrative units (``unit_id``, ``unit_name``; any set CRS), needed for a
            ``units`` filter.

        Raises
        ------
        GeoInputError
            A ``units`` filter without administrative units, or naming no unit
            (:func:`select_units`).

        Examples
        --------
        >>> from shapely import Point
        >>> work = gpd.GeoDataFrame({"level": ["pusat", "kabupaten"], "asset_type": ["road"] * 2,
        ...     "funding_source": ["APBN", "DAK"], "year_start": [2024, 2026],
        ...     "year_end": [2025, 2026]}, geometry=[Point(0, 0)] * 2, crs=4326)
        >>> ProjectFilter(year_from=2025, year_to=2025).mask(work).tolist()
        [True, False]
        >>> ProjectFilter(levels=("Kab",)).mask(work).tolist()
        [False, True]
        """
        keep = np.ones(len(projects), dtype=bool)
        if self.years is not None:
            first, last = self.years
            start = pd.to_numeric(projects["year_start"], errors="coerce").to_numpy(float)
            end = pd.to_numeric(projects["year_end"], errors="coerce").to_numpy(float)
            end = np.where(np.isnan(end), start, end)
            keep &= (start <= last) & (end >= first)
        for column, values in (
            ("level", self.levels),
            ("asset_type", self.asset_types),
            ("funding_source", self.funding_sources),
        ):
            if values:
                keep &= projects[column].isin(values).to_numpy()
        if self.units:
            chosen = self.select_units(admin_units)
            assert chosen is not None  # select_units raises without units
            ids = chosen["unit_id"].astype(str).tolist()
            if projects.crs is not None and chosen.crs is not None and chosen.crs != projects.crs:
                chosen = chosen.to_crs(projects.crs)
            keep &= projects_in_units(projects, chosen, ids)
        return keep


def select_units(
    admin_units: gpd.GeoDataFrame | None, wanted: Iterable[str]
) -> gpd.GeoDataFrame | None:
    """The units named in ``wanted`` by ``unit_id`` or ``unit_name`` (case-insensitive).

    Returns every unit (``admin_units`` itself) when ``wanted`` is empty.

    Raises
    ------
    GeoInputError
        A name matches no unit (the message lists the names there are), is only part of
        several units' names, or there are no units.
    """
    wanted = [w for w in wanted if w]
    if not wanted:
        return admin_units
    if admin_units is None:
        raise GeoInputError(
            "kabupaten filter: the store holds no administrative units; store them with: "
            "python -m geo reference units FILE"
        )
    ids = admin_units["unit_id"].astype(str).str.strip().str.casefold()
    names = (
        admin_units["unit_name"].astype(str).str.strip().str.casefold()
        if "unit_name" in admin_units
        else ids
    )
    keep = np.zeros(len(admin_units), dtype=bool)
    problems = []
    for value in wanted:
        key = value.casefold()
        hit = (ids == key) | (names == key)
        if not hit.any():  # "Sungai Contoh" for "Kab. Sungai Contoh"
            hit = names.str.contains(key, regex=False)
        labels = admin_units.get("unit_name", admin_units["unit_id"]).astype(str)
        if not hit.any():
            known = ", ".join(sorted(labels))
            problems.append(f"kabupaten {value}: no such unit; choose one of {known}")
        elif hit.sum() > 1 and not ((ids == key) | (names == key)).any():
            several = ", ".join(sorted(labels[hit.to_numpy()]))
            problems.append(
                f"kabupaten {value}: part of the names of {several}; give a full name or kode"
            )
        keep |= hit.to_numpy()
    if problems:
        raise GeoInputError(*problems)
    return admin_units.loc[keep]


@dataclasses.dataclass(frozen=True)
class Analysis:
    """A selection of projects and everything found about it: the one result of
    :func:`analyse` (and of :func:`analyse_store` and :func:`analyse_new`).

    Attributes
    ----------
    projects
        The selected project records, EPSG:4326.
    overlaps
        :func:`geo.analyse.overlap.find_overlaps` findings among them
        (:data:`geo.analyse.overlap.FINDING_COLUMNS`, EPSG:4326), ids ``TT-...``.
    mismatches
        :func:`geo.analyse.authority.find_mismatches` rows (mismatches and exceptions) with a
        ``finding_id`` (``KW-...``) first; empty when there is no road network or Daerah
        Irigasi layer (see ``authority_checked``).
    coverage
        :func:`geo.analyse.gaps.coverage_by_unit` per selected unit for the filter's years;
        None without administrative units or when it was not asked for.
    filters
        The filter that made the selection.
    units
        Every administrative unit (EPSG:4326), or None: the offline basemap.
    selected_units
        The units the selection is about (the filter's ``units``, else every unit), or None.
    authority_checked
        True when there was a road network or Daerah Irigasi layer to check authority against.
    uploads
        The store's uploads (:meth:`geo.store.Store.list_uploads`); empty for files.
    reports
        Import report per upload id (for files: per file, numbered from 1).
    locations
        Where each road project drawn as a line lies on the road network
        (:data:`LOCATION_COLUMNS`, one row per interval of ruas chainage, one row without a
        ruas for a road that matched nothing), or None without a road network.
    """

    projects: gpd.GeoDataFrame
    overlaps: gpd.GeoDataFrame
    mismatches: pd.DataFrame
    coverage: pd.DataFrame | None = None
    filters: ProjectFilter = ProjectFilter()
    units: gpd.GeoDataFrame | None = None
    selected_units: gpd.GeoDataFrame | None = None
    authority_checked: bool = False
    uploads: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    reports: Mapping[int, ImportReport] = dataclasses.field(default_factory=dict)
    locations: pd.DataFrame | None = None

    @property
    def data_date(self) -> str | None:
        """Date (``YYYY-MM-DD``, UTC) of the latest upload, or None without uploads."""
        if self.uploads.empty or "uploaded_at" not in self.uploads:
            return None
        return str(max(self.uploads["uploaded_at"]))[:10]


def analyse(
    projects: gpd.GeoDataFrame,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    filters: ProjectFilter | None = None,
    units: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    coverage: bool = True,
    since: Analysis | None = None,
) -> Analysis:
    """Select projects and find their overlaps, authority mismatches and coverage gaps, on
    full-resolution geometry.

    Parameters
    ----------
    projects
        Canonical project records in EPSG:4326 (as :meth:`geo.store.Store.load_projects`).
    settings
        Thresholds (:class:`geo.settings.Settings`; the documented defaults when not given).
    filters
        The selection; default everything.
    units, roads, irrigation_areas
        Reference layers (canonical columns, any set CRS) or None when missing: administrative
        units for the coverage and a ``units`` filter, the road network and Daerah Irigasi for
        authority and coverage. Road projects located on the road network overlap by the
        chainage they share on a ruas (findings then carry ``method``, ``ruas_id``,
        ``sta_from_m``, ``sta_to_m``; :func:`road_network`).
    coverage
        False: no coverage table (it is a whole-selection measure the app computes only where
        it is shown).
    since
        The analysis (with the same filter, settings and road network and Daerah Irigasi) of
        an earlier version of ``projects``: only the records that changed are checked. A record
        is the same when its agency, project id and upload are: records of a new upload are
        added, those of a deleted or replaced one removed. The overlaps and mismatches equal
        those of a full run.

    Returns
    -------
    Analysis
        Findings among the selected projects only; coverage over the selected units for the
        filter's years.

    Raises
    ------
    GeoInputError
        A ``units`` filter names no unit, or there are no units to filter by.
    ValueError
        ``since`` was made with another filter.
    """
    filters = filters or ProjectFilter()
    if units is not None and units.crs is not None and not units.crs.equals(4326):
        units = units.to_crs(4326)
    selected = projects
    if not filters.keeps_everything:
        selected = projects.loc[filters.mask(projects, units)]
    selected_units = filters.select_units(units)
    authority = roads is not None or irrigation_areas is not None
    network = road_network(roads)
    located = None
    if since is not None:
        if since.filters != filters:
            raise ValueError(
                f"since: made with {since.filters}, not {filters}; analyse without since"
            )
        overlaps, mismatches, locations = _update(
            since,
            selected,
            roads=roads,
            network=network,
            irrigation_areas=irrigation_areas,
            settings=settings,
        )
    else:
        if network is not None:
            located = locate_road_projects(selected, network, settings=settings)
        overlaps = find_overlaps(
            selected,
            settings=settings,
            irrigation_areas=irrigation_areas,
            network=network,
            located=located,
        )
        locations = None if located is None else _locations(selected, located, network, settings)
        mismatches = _no_mismatches()
        if authority:
            mismatches = find_mismatches(
                selected,
                roads=roads,
                irrigation_areas=irrigation_areas,
                settings=settings,
                located=located,
                network=network,
            )
        mismatches = with_mismatch_ids(mismatches)
    gaps = None
    if coverage and selected_units is not None and len(selected_units):
        gaps = coverage_by_unit(
            selected,
            selected_units,
            roads=roads,
            years=filters.years,
            settings=settings,
            located=located,
            network=network,
            locate=True,
        )
    return Analysis(
        projects=selected,
        overlaps=overlaps,
        mismatches=mismatches,
        coverage=gaps,
        filters=filters,
        units=units,
        selected_units=selected_units,
        authority_checked=authority,
        locations=locations,
    )


def analyse_store(
    store: Store,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    filters: ProjectFilter | None = None,
) -> Analysis:
    """:func:`analyse` the projects of a store with its reference layers, uploads and reports.

    Parameters
    ----------
    store
        A :class:`geo.store.Store` (GeoPackage or PostGIS).
    settings, filters
        As for :func:`analyse`.
    """
    result = analyse(
        store.load_projects(),
        settings=settings,
        filters=filters,
        units=store.load_reference("admin_units"),
        roads=store.load_reference("roads"),
        irrigation_areas=store.load_reference("irrigation_areas"),
    )
    uploads = store.list_uploads()
    reports = {int(i): store.upload_report(int(i)) for i in uploads["id"]}
    return dataclasses.replace(result, uploads=uploads, reports=reports)


def analyse_new(
    new_projects: gpd.GeoDataFrame,
    store: Store,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    roads: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    shifts: pd.DataFrame | None = None,
) -> Analysis:
    """The findings of newly stored projects, checked incrementally: what the planner waits for.

    Where the new road works lie on the road network (``locations``, with a network), overlaps
    with the stored projects near them and among themselves
    (:func:`geo.analyse.incremental.overlaps_with_store`: the same findings :func:`analyse` of
    the whole store gives for them), and their authority mismatches (each project against the
    reference network, independent of the others). No coverage: that is a whole-store question.

    Parameters
    ----------
    new_projects
        The new records (canonical columns, EPSG:4326), stored or not yet.
    store
        :func:`geo.store.open_store`'s store (GeoPackage or PostGIS).
    settings
        As for :func:`analyse`.
    roads, irrigation_areas
        The store's reference layers, None when it has none.
    shifts
        The sources' shifts as the store's analysis found them
        (:func:`geo.analyse.locations.located_shifts`), or None: estimated from the works
        located here (the new ones and the stored ones near them) alone.
    """
    network = road_network(roads)
    located = None
    if network is not None:  # located once: for the overlaps and the locations
        located = locate_road_projects(new_projects, network, settings=settings, shifts=shifts)
    overlaps = overlaps_with_store(
        new_projects,
        store,
        settings=settings,
        irrigation_areas=irrigation_areas,
        network=network,
        located=located,
        shifts=shifts,
    )
    locations = None if located is None else _locations(new_projects, located, network, settings)
    authority = roads is not None or irrigation_areas is not None
    mismatches = _no_mismatches()
    if authority:
        mismatches = find_mismatches(
            new_projects,
            roads=roads,
            irrigation_areas=irrigation_areas,
            settings=settings,
            located=located,
            network=network,
        )
    return Analysis(
        projects=new_projects,
        overlaps=overlaps,
        mismatches=with_mismatch_ids(mismatches),
        authority_checked=authority,
        locations=locations,
    )


def _no_mismatches() -> pd.DataFrame:
    """An empty mismatch table (no reference layers)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in MISMATCH_COLUMNS})


def _update(
    previous: Analysis,
    projects: gpd.GeoDataFrame,
    *,
    roads: gpd.GeoDataFrame | None,
    network: RoadNetwork | None,
    irrigation_areas: gpd.GeoDataFrame | None,
    settings: Settings,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Overlaps, mismatches and locations of ``projects`` from ``previous`` (of
    ``previous.projects``).

    Findings involving a removed or added project are dropped; the added projects are checked
    against the projects near them (:func:`geo.analyse.overlap.find_overlaps` with
    ``involving``) and against the reference network.
    """
    previous_projects = previous.projects
    before, now = _record_ids(previous_projects), _record_ids(projects)
    before_set, now_set = set(before), set(now)  # sets of str: Arrow isin is 10x slower here
    added = np.fromiter((record not in before_set for record in now), bool, len(now))
    removed = np.fromiter((record not in now_set for record in before), bool, len(before))
    changed = set(project_keys(projects[added])) | set(project_keys(previous_projects[removed]))

    overlaps = previous.overlaps
    keep = ~(
        _finding_keys(overlaps, "a").isin(changed) | _finding_keys(overlaps, "b").isin(changed)
    )
    overlaps = overlaps[keep.to_numpy()]
    mismatches = previous.mismatches
    if len(mismatches):
        mismatches = mismatches[~project_keys(mismatches).isin(changed).to_numpy()]
    locations = None
    if network is not None:
        locations = _no_locations() if previous.locations is None else previous.locations
        locations = locations[~project_keys(locations).isin(changed).to_numpy()]
    if added.any():
        new = projects[added]
        reach = reach_of(new, irrigation_areas)
        near = rows_near(projects, reach, search_reach_m(settings, network=network is not None))
        nearby = projects[near]
        located = None
        if network is not None:  # located once: for the overlaps and the new locations
            # Each source shifted as the previous analysis found it from all of its works.
            shifts = (
                None
                if previous.locations is None
                else located_shifts(projects, previous.locations, network, settings=settings)
            )
            located = locate_road_projects(nearby, network, settings=settings, shifts=shifts)
        found = find_overlaps(
            nearby,
            settings=settings,
            involving=added[near],
            irrigation_areas=irrigation_areas,
            network=network,
            located=located,
        )
        new_located = None
        if located is not None:
            fresh_at = located[added[near][located["work"].to_numpy(dtype=np.int64)]]
            locations = pd.concat(
                [locations, _locations(nearby, fresh_at, network, settings)], ignore_index=True
            )
            # The same works by their position among the new ones (``new`` keeps their order).
            position = (np.cumsum(added) - 1)[np.flatnonzero(near)]
            new_located = fresh_at.assign(work=position[fresh_at["work"].to_numpy(np.int64)])
        overlaps = sort_findings(pd.concat([overlaps, found], ignore_index=True))
        if roads is not None or irrigation_areas is not None:
            fresh = find_mismatches(
                new,
                roads=roads,
                irrigation_areas=irrigation_areas,
                settings=settings,
                located=new_located,
                network=network,
            )
            mismatches = pd.concat([mismatches, with_mismatch_ids(fresh)], ignore_index=True)
    overlaps = gpd.GeoDataFrame(overlaps, geometry="geometry", crs=4326).reset_index(drop=True)
    if locations is not None:
        locations = locations.reset_index(drop=True)
    return overlaps, mismatches.reset_index(drop=True), locations


#: Columns of :attr:`Analysis.locations`: the project, then one interval of ruas chainage.
LOCATION_COLUMNS: tuple[str, ...] = (
    "agency",
    "project_id",
    *(c for c in LOCATED_COLUMNS if c not in ("line", "ruas")),
)


def _locations(
    projects: pd.DataFrame,
    located: pd.DataFrame,
    network: RoadNetwork | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """:data:`LOCATION_COLUMNS` of :func:`locate_road_projects` of ``projects``, the chainage
    counted as ``settings.chainage_from`` says (on ``network``, the one they were located
    on)."""
    if network is not None:
        located = as_counted(located, network, from_end=settings.chainage_from_end)
    rows = projects.iloc[located["work"].to_numpy(dtype=np.int64)]
    out = pd.DataFrame(
        {
            "agency": rows["agency"].to_numpy(dtype=object),
            "project_id": rows["project_id"].to_numpy(dtype=object),
        }
    )
    for column in LOCATION_COLUMNS[2:]:
        out[column] = located[column].to_numpy()
    return out


def _no_locations() -> pd.DataFrame:
    return _locations(
        pd.DataFrame({"agency": [], "project_id": []}),
        pd.DataFrame({"work": [], **{c: [] for c in LOCATION_COLUMNS[2:]}}),
    )


def road_network(roads: gpd.GeoDataFrame | None) -> RoadNetwork | None:
    """The network road overlaps are measured on (:func:`geo.analyse.overlap.find_overlaps`
    with ``network``): ``roads`` when it holds a road line, else None (geometry only)."""
    if roads is None or not len(roads):
        return None
    kinds = shapely.get_type_id(np.asarray(roads.geometry.values, dtype=object))
    if not np.isin(kinds, (1, 5)).any():
        return None
    return RoadNetwork(roads)


def _record_ids(projects: pd.DataFrame) -> list[str]:
    """One id per stored record: agency, project id and upload."""
    uploads = projects["upload_id"].astype(str).to_numpy(dtype=object)
    return [
        f"{key}\x1f{upload}" for key, upload in zip(project_keys(projects), uploads, strict=True)
    ]


def _finding_keys(findings: pd.DataFrame, side: str) -> pd.Series:
    """:func:`project_keys` of one side (``"a"`` or ``"b"``) of overlap findings."""
    return _keys(findings[f"agency_{side}"], findings[f"project_{side}"])


def with_mismatch_ids(mismatches: pd.DataFrame) -> pd.DataFrame:
    """``mismatches`` with a ``finding_id`` column first (see :func:`mismatch_id`)."""
    ids = [
        mismatch_id(str(agency), str(project_id), str(rule))
        for agency, project_id, rule in zip(
            mismatches["agency"], mismatches["project_id"], mismatches["rule"], strict=True
        )
    ]
    out = mismatches.copy()
    out.insert(0, "finding_id", pd.Series(ids, index=mismatches.index, dtype=object))
    return out


def project_keys(projects: pd.DataFrame) -> pd.Series:
    """One key per project, ``agency`` + unit separator + ``project_id`` (unique in a store)."""
    return _keys(projects["agency"], projects["project_id"])


def _keys(agencies: pd.Series, project_ids: pd.Series) -> pd.Series:
    # Plain Python strings: pandas' Arrow-backed string ops are slow element by element.
    keys = [
        f"{agency}\x1f{project_id}"
        for agency, project_id in zip(
            agencies.to_numpy(dtype=object), project_ids.to_numpy(dtype=object), strict=True
        )
    ]
    return pd.Series(keys, index=agencies.index, dtype=object)


def _isin(keys: pd.Series, wanted: set[str]) -> np.ndarray:
    return np.fromiter((key in wanted for key in keys), dtype=bool, count=len(keys))


def project_refs(projects: pd.DataFrame) -> pd.Series:
    """A short, stable reference per project made of hex digits only (``P-`` + 12 hex).

    Safe to place in HTML and script as it is (agency and id are upload text); the same
    project (agency, project_id) always gets the same reference.

    >>> project_refs(pd.DataFrame({"agency": ["BPJN"], "project_id": ["P-1"]})).tolist()
    ['P-147b2914da9d']
    """
    return project_keys(projects).map(
        lambda key: "P-" + hashlib.sha1(key.encode()).hexdigest()[:12]
    )


#: Overlap severities, most pressing first (:func:`geo.analyse.overlap.find_overlaps`).
SEVERITY_ORDER: Final[tuple[str, ...]] = ("high", "medium", "low", "info")


def most_pressing(findings: pd.DataFrame, n_rows: int) -> pd.DataFrame:
    """At most ``n_rows`` findings, the most pressing first: by ``severity`` (high first),
    then ``budget_at_stake_idr`` (largest first); unchanged when there are no more.

    >>> table = pd.DataFrame({"severity": ["low", "high", "high"],
    ...                       "budget_at_stake_idr": [9.0, 1.0, 5.0]})
    >>> most_pressing(table, 2).index.tolist()
    [2, 1]
    """
    if len(findings) <= n_rows:
        return findings
    rank = np.zeros(len(findings))
    if "severity" in findings:
        ranks = {severity: i for i, severity in enumerate(SEVERITY_ORDER)}
        rank = findings["severity"].map(ranks).fillna(len(ranks)).to_numpy(dtype=float)
    budget = np.zeros(len(findings))
    if "budget_at_stake_idr" in findings:
        budget = pd.to_numeric(findings["budget_at_stake_idr"], errors="coerce").fillna(0.0)
    order = np.lexsort((-np.asarray(budget, dtype=float), rank))
    return findings.iloc[order[:n_rows]]


def overlaps_involving(overlaps: pd.DataFrame, *, of: pd.DataFrame) -> pd.DataFrame:
    """Overlap findings in which at least one project of ``of`` takes part.

    Parameters
    ----------
    overlaps
        :func:`geo.analyse.overlap.find_overlaps` findings.
    of
        The projects of interest, e.g. one new upload's records.

    Returns
    -------
    pandas.DataFrame
        The matching rows of ``overlaps``, in their order.
    """
    wanted = set(project_keys(of))
    key_a = _keys(overlaps["agency_a"], overlaps["project_a"])
    key_b = _keys(overlaps["agency_b"], overlaps["project_b"])
    return overlaps[_isin(key_a, wanted) | _isin(key_b, wanted)]


def mismatches_involving(mismatches: pd.DataFrame, *, of: pd.DataFrame) -> pd.DataFrame:
    """Authority findings of the projects of ``of`` (``agency``, ``project_id``)."""
    return mismatches[_isin(project_keys(mismatches), set(project_keys(of)))]


def with_project_geometry(mismatches: pd.DataFrame, projects: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Authority findings with their project's geometry (EPSG:4326), for the map.

    Rows whose project is not among ``projects`` get no geometry.
    """
    geometry = projects.assign(_key=project_keys(projects)).drop_duplicates("_key")
    lookup = geometry.set_index("_key").geometry
    shapes = lookup.reindex(project_keys(mismatches).to_numpy()).to_numpy()
    return gpd.GeoDataFrame(
        mismatches.copy(), geometry=gpd.GeoSeries(shapes, index=mismatches.index, crs=4326)
    )


def projects_in_units(
    projects: gpd.GeoDataFrame, units: gpd.GeoDataFrame, unit_ids: Collection[str]
) -> np.ndarray:
    """Boolean mask of projects touching any of the units ``unit_ids``.

    Both layers in the same CRS (EPSG:4326 from the store). A road crossing a boundary belongs
    to every unit it runs through.

    >>> from shapely import Point, box
    >>> units = gpd.GeoDataFrame({"unit_id": ["A", "B"]},
    ...     geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326)
    >>> work = gpd.GeoDataFrame(geometry=[Point(0.5, 0.5), Point(1.5, 0.5)], crs=4326)
    >>> projects_in_units(work, units, ["B"]).tolist()
    [False, True]
    """
    chosen = units[units["unit_id"].astype(str).isin({str(u) for u in unit_ids})]
    mask = np.zeros(len(projects), dtype=bool)
    if chosen.empty or projects.empty:
        return mask
    hits, _ = chosen.sindex.query(projects.geometry.values, predicate="intersects")
    mask[np.unique(hits)] = True
    return mask
