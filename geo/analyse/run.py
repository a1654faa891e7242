"""Every analysis of a set of projects at once, and the selections the app makes of them.

The app and the CLI call the same functions (:func:`geo.analyse.overlap.find_overlaps`,
:func:`geo.analyse.authority.find_mismatches`, :func:`geo.analyse.gaps.coverage_by_unit`); this module only
bundles them, gives authority mismatches stable ids (reviews attach to them across re-runs) and
selects projects and findings by the filters officials use. No streamlit here.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Collection
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analyse.authority import MISMATCH_COLUMNS, find_mismatches
from geo.analyse.incremental import overlaps_with_store
from geo.analyse.overlap import find_overlaps, reach_of, sort_findings
from geo.analyse.selection import analyse as analyse_selection
from geo.finding_ids import mismatch_id
from geo.settings import Settings
from geo.store.protocol import Store
from geo.store.tables import near_boxes

__all__ = [
    "analyse",
    "analyse_new",
    "Analysis",
    "mismatches_involving",
    "most_pressing",
    "overlaps_involving",
    "project_keys",
    "project_refs",
    "ProjectFilter",
    "projects_in_units",
    "SEVERITY_ORDER",
    "update_analysis",
    "with_mismatch_ids",
    "with_project_geometry",
]


@dataclasses.dataclass(frozen=True)
class Analysis:
    """The three analyses of one set of projects.

    Attributes
    ----------
    overlaps
        :func:`geo.analyse.overlap.find_overlaps` findings (EPSG:4326), ids ``TT-...``.
    mismatches
        :func:`geo.analyse.authority.find_mismatches` rows with a ``finding_id`` (``KW-...``) first;
        empty when there is no road network or Daerah Irigasi layer.
    coverage
        :func:`geo.analyse.gaps.coverage_by_unit` per unit; None without administrative units.
    """

    overlaps: gpd.GeoDataFrame
    mismatches: pd.DataFrame
    coverage: pd.DataFrame | None


def analyse(
    projects: gpd.GeoDataFrame,
    *,
    roads: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    units: gpd.GeoDataFrame | None = None,
    settings: Settings | None = None,
) -> Analysis:
    """Run overlap, authority and coverage analyses on full-resolution geometry.

    Parameters
    ----------
    projects
        Canonical project records in EPSG:4326 (as :meth:`geo.store.Store.load_projects`).
    roads, irrigation_areas, units
        Reference layers (canonical columns, any set CRS) or None when the store has none.
    settings
        Thresholds; defaults to :meth:`Settings.from_env`.

    Returns
    -------
    Analysis
    """
    # The same analyses the exports make (geo.analyse.selection), over every project.
    result = analyse_selection(
        projects,
        units=units,
        roads=roads,
        irrigation_areas=irrigation_areas,
        settings=settings,
    )
    mismatches = result.mismatches
    if mismatches is None:
        mismatches = _no_mismatches()
    return Analysis(
        overlaps=result.findings, mismatches=with_mismatch_ids(mismatches), coverage=result.gaps
    )


def analyse_new(
    new_projects: gpd.GeoDataFrame,
    store: Store,
    *,
    roads: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    settings: Settings | None = None,
) -> Analysis:
    """The findings of newly stored projects, checked incrementally: what the planner waits for.

    Overlaps with the stored projects near them and among themselves
    (:func:`geo.analyse.incremental.overlaps_with_store`: the same findings a run over the whole store
    gives for them), and their authority mismatches (each project against the reference
    network, independent of the others). No coverage: that is a whole-store question.

    Parameters
    ----------
    new_projects
        The new records (canonical columns, EPSG:4326), stored or not yet.
    store
        :func:`geo.store.open_store`'s store (GeoPackage or PostGIS).
    roads, irrigation_areas
        The store's reference layers, None when it has none.
    """
    settings = settings or Settings.from_env()
    overlaps = overlaps_with_store(
        new_projects, store, settings=settings, irrigation_areas=irrigation_areas
    )
    mismatches = _no_mismatches()
    if roads is not None or irrigation_areas is not None:
        mismatches = find_mismatches(
            new_projects, roads=roads, irrigation_areas=irrigation_areas, settings=settings
        )
    return Analysis(overlaps=overlaps, mismatches=with_mismatch_ids(mismatches), coverage=None)


def _no_mismatches() -> pd.DataFrame:
    """An empty mismatch table (no reference layers)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in MISMATCH_COLUMNS})


def update_analysis(
    previous: Analysis,
    previous_projects: gpd.GeoDataFrame,
    projects: gpd.GeoDataFrame,
    *,
    roads: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    settings: Settings | None = None,
) -> Analysis:
    """Overlaps and authority of ``projects`` from those of ``previous_projects``, incrementally.

    A record is the same when its agency, project id and upload are: records of a new upload
    are added, those of a deleted or replaced one removed. Findings involving a removed or
    added project are dropped; the added projects are checked against the projects near them
    (:func:`geo.analyse.overlap.find_overlaps` with ``involving``) and against the reference network.
    The result equals :func:`analyse` of ``projects`` (overlaps and mismatches) with the same
    settings; ``coverage`` is None (coverage is a whole-store measure: run
    :func:`geo.analyse.gaps.coverage_by_unit` when it is asked for).

    Parameters
    ----------
    previous
        :func:`analyse` (or this function) of ``previous_projects``.
    previous_projects, projects
        The store's records before and now (as :meth:`geo.store.Store.load_projects`).
    roads, irrigation_areas
        The store's reference layers now (unchanged since ``previous``).
    """
    settings = settings or Settings.from_env()
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
    if added.any():
        new = projects[added]
        reach = reach_of(new, irrigation_areas)
        near = _rows_near(projects, reach, max(settings.tolerance_m, settings.bridge_distance_m))
        found = find_overlaps(
            projects[near],
            settings=settings,
            involving=added[near],
            irrigation_areas=irrigation_areas,
        )
        overlaps = sort_findings(pd.concat([overlaps, found], ignore_index=True))
        if roads is not None or irrigation_areas is not None:
            fresh = find_mismatches(
                new, roads=roads, irrigation_areas=irrigation_areas, settings=settings
            )
            mismatches = pd.concat([mismatches, with_mismatch_ids(fresh)], ignore_index=True)
    overlaps = gpd.GeoDataFrame(overlaps, geometry="geometry", crs=4326).reset_index(drop=True)
    return Analysis(overlaps=overlaps, mismatches=mismatches.reset_index(drop=True), coverage=None)


def _record_ids(projects: pd.DataFrame) -> list[str]:
    """One id per stored record: agency, project id and upload."""
    uploads = projects["upload_id"].astype(str).to_numpy(dtype=object)
    return [
        f"{key}\x1f{upload}" for key, upload in zip(project_keys(projects), uploads, strict=True)
    ]


def _finding_keys(findings: pd.DataFrame, side: str) -> pd.Series:
    """:func:`project_keys` of one side (``"a"`` or ``"b"``) of overlap findings."""
    return _keys(findings[f"agency_{side}"], findings[f"project_{side}"])


def _rows_near(projects: gpd.GeoDataFrame, reach: np.ndarray, distance_m: float) -> np.ndarray:
    """Boolean mask of ``projects`` whose bounding boxes come within ``distance_m`` of those
    of the geometries ``reach`` (degrees at the smallest length of one, so never too few)."""
    boxes = near_boxes(reach, distance_m)  # minx, maxx, miny, maxy
    tree = shapely.STRtree(np.asarray(projects.geometry.values, dtype=object))
    hits = tree.query(shapely.box(boxes[:, 0], boxes[:, 2], boxes[:, 1], boxes[:, 3]))[1]
    near = np.zeros(len(projects), dtype=bool)
    near[hits] = True
    return near


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


@dataclasses.dataclass(frozen=True)
class ProjectFilter:
    """The map filters: each None (or empty) keeps everything.

    Attributes
    ----------
    years
        ``(first, last)`` budget years, inclusive: projects whose year range intersects it.
    levels, asset_types, funding_sources
        Values kept (``pusat`` ..., ``road`` ..., free text as stored).
    unit_ids
        Administrative units (``unit_id``) a project must touch.
    """

    years: tuple[int, int] | None = None
    levels: tuple[str, ...] = ()
    asset_types: tuple[str, ...] = ()
    funding_sources: tuple[str, ...] = ()
    unit_ids: tuple[str, ...] = ()

    def mask(self, projects: gpd.GeoDataFrame, units: gpd.GeoDataFrame | None = None) -> np.ndarray:
        """Boolean mask of the projects this filter keeps.

        >>> from shapely import Point
        >>> work = gpd.GeoDataFrame({"level": ["pusat", "kabupaten"], "asset_type": ["road"] * 2,
        ...     "funding_source": ["APBN", "DAK"], "year_start": [2024, 2026],
        ...     "year_end": [2025, 2026]}, geometry=[Point(0, 0)] * 2, crs=4326)
        >>> ProjectFilter(years=(2025, 2025)).mask(work).tolist()
        [True, False]
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
        if self.unit_ids and units is not None:
            keep &= projects_in_units(projects, units, self.unit_ids)
        return keep
