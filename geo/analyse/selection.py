"""Every analysis of a set of projects at once, for exports and meeting packs (DESIGN section 8).

A meeting looks at one selection of projects (years, levels, asset types, kabupaten) and wants
its overlaps, authority mismatches and coverage gaps together. :func:`analyse` runs the same
functions the CLI commands run (:func:`geo.analyse.overlap.find_overlaps`,
:func:`geo.analyse.authority.find_mismatches`, :func:`geo.analyse.gaps.coverage_by_unit`) on that selection;
:func:`analyse_store` reads the projects, reference layers and uploads from a store first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analyse.authority import find_mismatches
from geo.analyse.gaps import coverage_by_unit
from geo.analyse.overlap import find_overlaps
from geo.errors import GeoInputError
from geo.read.import_report import ImportReport
from geo.read.values import parse_asset_type, parse_level
from geo.settings import Settings
from geo.store.protocol import Store

__all__ = ["Analyses", "ProjectFilter", "analyse", "analyse_store", "filter_projects"]


@dataclasses.dataclass(frozen=True)
class ProjectFilter:
    """Which projects a map or report shows; an empty field selects everything.

    Attributes
    ----------
    year_from, year_to
        Budget years, inclusive: a project counts when its ``year_start``-``year_end`` range
        intersects them.
    levels
        Levels of government (``pusat``, ``provinsi``, ``kabupaten``, ``desa``; aliases such as
        ``Kab/Kota`` are accepted).
    asset_types
        ``road``, ``bridge``, ``irrigation`` (or ``jalan``, ``jembatan``, ``irigasi``).
    kabupaten
        Administrative units by ``unit_id`` or ``unit_name`` (case-insensitive): projects with a
        part inside one of them.
    """

    year_from: int | None = None
    year_to: int | None = None
    levels: tuple[str, ...] = ()
    asset_types: tuple[str, ...] = ()
    kabupaten: tuple[str, ...] = ()

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
        object.__setattr__(self, "kabupaten", tuple(str(k).strip() for k in self.kabupaten))

    @property
    def years(self) -> tuple[int, int] | None:
        """``(year_from, year_to)`` with an open end filled by 1900 / 2100, or None."""
        if self.year_from is None and self.year_to is None:
            return None
        return (self.year_from or 1900, self.year_to or 2100)


@dataclasses.dataclass
class Analyses:
    """A selection of projects and everything found about it.

    Attributes
    ----------
    projects
        The selected project records, EPSG:4326.
    findings
        Overlaps among them (:data:`geo.analyse.overlap.FINDING_COLUMNS`, EPSG:4326).
    mismatches
        Authority mismatches and exceptions (:data:`geo.analyse.authority.MISMATCH_COLUMNS`), or None
        without a road network or Daerah Irigasi layer.
    gaps
        Coverage per unit (:func:`geo.analyse.gaps.coverage_by_unit`), or None without units.
    units
        Every administrative unit (EPSG:4326), or None: the offline basemap.
    selected_units
        The units the selection is about (the ``kabupaten`` filter, else every unit), or None.
    filters
        The filter that made the selection.
    uploads
        The store's uploads (:meth:`geo.store.Store.list_uploads`); empty for files.
    reports
        Import report per upload id.
    """

    projects: gpd.GeoDataFrame
    findings: gpd.GeoDataFrame
    mismatches: pd.DataFrame | None
    gaps: pd.DataFrame | None
    units: gpd.GeoDataFrame | None
    selected_units: gpd.GeoDataFrame | None
    filters: ProjectFilter
    uploads: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    reports: dict[int, ImportReport] = dataclasses.field(default_factory=dict)

    @property
    def data_date(self) -> str | None:
        """Date (``YYYY-MM-DD``, UTC) of the latest upload, or None without uploads."""
        if self.uploads.empty or "uploaded_at" not in self.uploads:
            return None
        return str(max(self.uploads["uploaded_at"]))[:10]


def select_units(units: gpd.GeoDataFrame | None, wanted: Iterable[str]) -> gpd.GeoDataFrame | None:
    """The units named in ``wanted`` by ``unit_id`` or ``unit_name`` (case-insensitive).

    Returns every unit when ``wanted`` is empty.

    Raises
    ------
    GeoInputError
        A name matches no unit (the message lists the names there are), is only part of
        several units' names, or there are no units.
    """
    wanted = [w for w in wanted if w]
    if not wanted:
        return units
    if units is None:
        raise GeoInputError(
            "kabupaten filter: the store holds no administrative units; store them with: "
            "python -m geo reference units FILE"
        )
    ids = units["unit_id"].astype(str).str.strip().str.casefold()
    names = (
        units["unit_name"].astype(str).str.strip().str.casefold() if "unit_name" in units else ids
    )
    keep = np.zeros(len(units), dtype=bool)
    problems = []
    for value in wanted:
        key = value.casefold()
        hit = (ids == key) | (names == key)
        if not hit.any():  # "Sungai Contoh" for "Kab. Sungai Contoh"
            hit = names.str.contains(key, regex=False)
        labels = units.get("unit_name", units["unit_id"]).astype(str)
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
    return units.loc[keep]


def filter_projects(
    projects: gpd.GeoDataFrame,
    filters: ProjectFilter,
    *,
    units: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The projects the filter selects, in their original order.

    Parameters
    ----------
    projects
        Canonical project records in EPSG:4326.
    filters
        What to keep.
    units
        Administrative units in EPSG:4326 (``unit_id``, ``unit_name``), needed for a
        ``kabupaten`` filter.

    Examples
    --------
    >>> from shapely import Point
    >>> projects = gpd.GeoDataFrame({"level": ["pusat", "kabupaten"],
    ...     "asset_type": ["road", "bridge"], "year_start": [2024, 2025],
    ...     "year_end": [2025, 2025]}, geometry=[Point(103, -1), Point(104, -1)], crs=4326)
    >>> len(filter_projects(projects, ProjectFilter(year_from=2025, levels=("Kab",))))
    1
    """
    keep = np.ones(len(projects), dtype=bool)
    if filters.years is not None:
        first, last = filters.years
        start = pd.to_numeric(projects["year_start"], errors="coerce")
        end = pd.to_numeric(projects["year_end"], errors="coerce").fillna(start)
        keep &= ((start <= last) & (end >= first)).to_numpy()
    if filters.levels:
        keep &= projects["level"].isin(filters.levels).to_numpy()
    if filters.asset_types:
        keep &= projects["asset_type"].isin(filters.asset_types).to_numpy()
    if filters.kabupaten:
        chosen = select_units(units, filters.kabupaten)
        if chosen is None:
            raise GeoInputError(
                "a kabupaten/kota filter needs the administrative units: load them with "
                "python -m geo reference units FILE"
            )
        area = shapely.union_all(chosen.to_crs(4326).geometry.to_numpy())
        keep &= shapely.intersects(projects.geometry.to_numpy(), area)
    return projects.loc[keep]


def analyse(
    projects: gpd.GeoDataFrame,
    *,
    filters: ProjectFilter | None = None,
    units: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    settings: Settings | None = None,
) -> Analyses:
    """Select projects and find their overlaps, authority mismatches and coverage gaps.

    Parameters
    ----------
    projects
        Canonical project records in EPSG:4326.
    filters
        The selection; default everything.
    units, roads, irrigation_areas
        Reference layers (any CRS; None when missing): administrative units for the gaps and the
        ``kabupaten`` filter, the road network and Daerah Irigasi for authority and coverage.
    settings
        Thresholds; default :meth:`Settings.from_env`.

    Returns
    -------
    Analyses
        Findings among the selected projects only; gaps over the selected units for the
        filter's years.
    """
    filters = filters or ProjectFilter()
    settings = settings or Settings.from_env()
    units = units.to_crs(4326) if units is not None else None
    selected = filter_projects(projects, filters, units=units)
    selected_units = select_units(units, filters.kabupaten)
    findings = find_overlaps(selected, settings=settings, irrigation_areas=irrigation_areas)
    mismatches = None
    if roads is not None or irrigation_areas is not None:
        mismatches = find_mismatches(
            selected, roads=roads, irrigation_areas=irrigation_areas, settings=settings
        )
    gaps = None
    if selected_units is not None and len(selected_units):
        gaps = coverage_by_unit(
            selected,
            selected_units,
            roads=roads,
            years=filters.years,
            settings=settings,
        )
    return Analyses(selected, findings, mismatches, gaps, units, selected_units, filters)


def analyse_store(
    store: Store, *, filters: ProjectFilter | None = None, settings: Settings | None = None
) -> Analyses:
    """:func:`analyse` the projects of a store with its reference layers, uploads and reports.

    Parameters
    ----------
    store
        A :class:`geo.store.Store` (GeoPackage or PostGIS).
    """
    result = analyse(
        store.load_projects(),
        filters=filters,
        units=store.load_reference("admin_units"),
        roads=store.load_reference("roads"),
        irrigation_areas=store.load_reference("irrigation_areas"),
        settings=settings,
    )
    result.uploads = store.list_uploads()
    result.reports = {int(i): store.upload_report(int(i)) for i in result.uploads["id"]}
    return result
