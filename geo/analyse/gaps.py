"""Coverage gaps (kesenjangan): which roads, units and places no project reaches.

DESIGN section 5, issue 4 point 4. Per administrative unit (kabupaten/kota, kecamatan) and per
grid cell:

- with a reference road network: the length of each status class, the length covered by any
  road project in the chosen years, its share, and the uncovered stretches ranked by condition
  (:func:`coverage_by_unit`, :func:`uncovered_segments`, :func:`hex_grid_coverage`);
- without one: project count, road length and irrigation area per km2 and per 100,000 people
  (when a population is given);
- the area (and people) farther than a chosen distance from any road project, the Rural Access
  Index idea (:func:`access_gaps`).

How it is measured
------------------
Every input is taken to EPSG:4326; topology (which unit holds what) is decided there, and every
number is measured in a WGS 84 / UTM zone (:mod:`geo.spatial.crs`): a project in the zone of its own
bounds centre, a network road in the zone of the whole road (so its pieces add up), a unit or
grid cell in its own zone.

- Projects in units: each project is split at unit boundaries (STRtree pairs; a prepared
  ``contains_properly`` keeps whole the ~80% that lie inside one unit, the rest are
  intersected). Its budget is split pro rata by the share of its length (roads), area
  (irrigation) inside each unit; a point counts in full in its unit (split evenly if it lies on
  a boundary). The part of a project outside every unit is attributed to none and the projects
  wholly outside are listed in ``attrs["outside_units"]``.
- Network coverage (the road network is :class:`geo.spatial.network.RoadNetwork`, its
  coverage :meth:`~geo.spatial.network.RoadNetwork.covered`): each network road is cut into
  chunks of at most ``CHUNK_SEGMENTS`` segments of at most ``SEGMENT_DEG`` (about 280 m), so
  candidate searches stay tight. A stretch
  of the network is covered where a road project of the years runs along it within
  ``tolerance_m``: the part of the project inside the chunk's ``tolerance_m`` buffer, measured
  as its extent along the chunk. A short part that crosses the chunk at more than
  ``max_angle_deg`` (as for overlaps) is left out: a road crossing another is within tolerance
  of it for ~2 x ``tolerance_m`` but does no work on it. Chunk buffers have flat ends, so a
  project that stops where the road goes on covers up to its own end, not ``tolerance_m``
  beyond it. Covered stretches are kept as positions along each road (metres) and merged, so a
  stretch under two overlapping projects counts once; units cut the network the same way.
  The chunks are measured tile by tile (``tile_deg`` squares per UTM zone, :data:`TILE_DEG`),
  each against the road projects within the tolerance of it wherever they lie, so at national
  scale only one tile's projects are in metres at a time and the result is the same for any
  tile size.

All array work is shapely 2 / numpy over whole arrays, in blocks of ``PAIR_BLOCK`` pairs (:mod:`geo.analyse._in_units`) spread
over the cores (GEOS releases the GIL); the only Python loops run over UTM zones, tiles and
blocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analyse._in_units import (
    Projects,
    access_table,
    add_densities,
    clipped_share,
    empty_cells,
    invalid_mask,
    made_valid,
    population_of,
    unit_table,
    with_located,
    zone_cells,
    zones_touched,
)
from geo.errors import GeoInputError
from geo.settings import Settings
from geo.spatial.crs import area_m2
from geo.spatial.network import (
    CONDITIONS,
    ROAD_STATUSES,
    TILE_DEG,
    Intervals,
    RoadNetwork,
    subtract_intervals,
)

__all__ = [
    "LOCATING_COLUMNS",
    "CONDITIONS",
    "DEFAULT_ACCESS_KM",
    "DEFAULT_CELL_KM",
    "ROAD_STATUSES",
    "access_gaps",
    "coverage_by_unit",
    "hex_cells",
    "hex_grid_coverage",
    "uncovered_segments",
]

#: Distance from a road project beyond which a place counts as unserved, km (the Rural Access
#: Index uses 2 km: about 20-25 minutes' walk). Belongs in geo.settings once the CLI shows it.
DEFAULT_ACCESS_KM = 2.0
#: Width of a hexagonal grid cell, flat side to flat side (= distance between neighbouring
#: cell centres), km: 5 km cells (21.7 km2) resolve a kabupaten into ~100-200 cells.
DEFAULT_CELL_KM = 5.0
#: Road statuses (columns ``network_km_<status>``) and conditions (the ranking order of
#: uncovered segments) are the network's: :data:`geo.spatial.network.ROAD_STATUSES`,
#: :data:`geo.spatial.network.CONDITIONS`.
#: Uncovered stretches shorter than this are rounding between two covered ones (metres).
_MIN_SEGMENT_M = 1.0
_WGS84 = 4326

#: The project columns the gap analyses read (with the geometry): a store need read no more.
PROJECT_COLUMNS_USED = ("project_id", "asset_type", "year_start", "year_end", "budget_idr")
#: Project columns read, when present, to locate road works on the network (their deck by
#: name, how the reader placed them).
LOCATING_COLUMNS = ("name", "placed_by")
_UNIT_COLUMNS = ("unit_id",)
_ROAD_COLUMNS = ("road_id", "status")


# --- public functions --------------------------------------------------------------------------


def coverage_by_unit(
    projects: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame,
    *,
    roads: gpd.GeoDataFrame | None = None,
    years: tuple[int, int] | None = None,
    settings: Settings | None = None,
    tile_deg: float = TILE_DEG,
    located: pd.DataFrame | None = None,
    network: RoadNetwork | None = None,
    locate: bool = False,
) -> pd.DataFrame:
    """Summarise, per administrative unit, the projects in it and the network they cover.

    Parameters
    ----------
    projects
        Canonical project records (``project_id``, ``asset_type``, ``year_start``,
        ``year_end``, ``budget_idr``, geometry) in any set CRS, usually EPSG:4326.
    units
        Administrative units (polygons) in any set CRS: ``unit_id`` (Kemendagri kode),
        optionally ``unit_name`` and ``population`` (people).
    roads
        Optional reference network (lines) in any set CRS: ``road_id``, ``status``
        (nasional / provinsi / kabupaten / desa; kota and kabupaten/kota count as kabupaten),
        optionally ``name``, ``condition`` and, for a dated network, ``valid_from`` /
        ``valid_to`` (years of the status decree; each ruas counts once, with the status in
        force in the last year of ``years``, or still in force without ``years``).
    years
        ``(first, last)`` inclusive: only projects whose year range intersects it count.
        ``None``: every project.
    settings
        Thresholds: a network stretch within ``settings.tolerance_m`` metres of a road
        project (20 m), running along it within ``settings.max_angle_deg`` (20), is covered.
        Default ``Settings()`` (the command line and the app pass the settings in force).
    tile_deg
        Width of the square tiles (degrees, EPSG:4326; default :data:`TILE_DEG`, a UTM zone's
        width) in which the network coverage is measured, one at a time, to bound memory. It
        changes memory and time, never the result; ``math.inf``: the whole network at once.
    located, network
        :func:`geo.analyse.locations.locate_road_projects` of ``projects`` and the
        :class:`geo.spatial.network.RoadNetwork` it was measured on (None: ``roads``), or None.
        A road work located on the network (for at least
        :data:`geo.analyse.overlap_network.ON_NETWORK_SHARE` of its length) covers the
        chainage it is located on (its stretches, within
        :data:`geo.analyse.locations.LOCATED_TOLERANCE_M`), united per ruas with the others';
        the rest cover the network as drawn (within ``settings.tolerance_m``).
    locate
        Without ``located``: True locates the road projects on ``roads`` here first (as the
        one analysis does, :func:`geo.analyse.run.analyse`); False measures every project as
        drawn.

    Returns
    -------
    pandas.DataFrame
        One row per unit, in the order of ``units``:

        - ``unit_id``, ``unit_name``, ``area_km2`` (measured in the unit's UTM zone),
          ``population`` (when given);
        - ``projects``: projects with a part in the unit (points on a boundary count in each);
        - ``budget_idr``: rupiah, each project's budget times the share of its length (roads,
          lines), area (polygons) inside the unit, or split evenly between the units a point
          touches;
        - ``project_km``: length of road projects inside the unit, km; ``project_ha``: area of
          irrigation projects inside it, ha;
        - with ``roads``: ``network_km``, ``covered_km``, ``uncovered_km`` (km of network
          inside the unit, of it covered, not covered), ``covered_share`` (0-1, NaN where the
          unit has no network) and per status ``network_km_<status>``,
          ``covered_km_<status>``, ``covered_share_<status>`` (the four of
          :data:`ROAD_STATUSES`, then any other status found, ``unknown`` for none);
        - ``projects_per_km2``, ``project_km_per_km2``, ``project_ha_per_km2`` and, when a
          population is given, ``projects_per_100k_people``, ``project_km_per_100k_people``,
          ``project_ha_per_100k_people``.

        ``attrs``: ``outside_units`` (ids of projects in no unit), ``without_geometry`` (ids of
        projects with no geometry), ``repaired`` (invalid geometries made valid, per layer),
        ``years``, ``tolerance_m``, ``max_angle_deg``.

    Raises
    ------
    geo.errors.GeoInputError
        A layer without CRS, a missing column, duplicate unit ids, bad ``years``: every problem
        in one message.

    Examples
    --------
    >>> from shapely import LineString, box
    >>> units = gpd.GeoDataFrame({"unit_id": ["15.05"]},
    ...     geometry=[box(400_000, 9_800_000, 410_000, 9_810_000)], crs=32748)
    >>> roads = gpd.GeoDataFrame({"road_id": ["N-1"], "status": ["nasional"]},
    ...     geometry=[LineString([(400_000, 9_805_000), (410_000, 9_805_000)])], crs=32748)
    >>> projects = gpd.GeoDataFrame({"project_id": ["P1"], "asset_type": ["road"],
    ...     "year_start": [2025], "year_end": [2025], "budget_idr": [1e9]},
    ...     geometry=[LineString([(401_000, 9_805_000), (405_000, 9_805_000)])], crs=32748)
    >>> table = coverage_by_unit(projects.to_crs(4326), units, roads=roads)
    >>> round(float(table["covered_share"].iloc[0]), 3)
    0.4
    """
    settings = settings or Settings()
    tolerance_m, max_angle_deg = settings.tolerance_m, settings.max_angle_deg
    projects, units, roads, repaired = _check(
        "coverage_by_unit", projects, units=units, roads=roads, years=years, tile_deg=tile_deg
    )
    covering = None if roads is None else RoadNetwork(roads)
    work = Projects(_located(projects, covering, located, network, settings, locate=locate), years)
    unit_geoms = units.geometry.to_numpy()
    area_km2 = area_m2(units) / 1e6
    population = population_of(units)
    table = unit_table(work, unit_geoms, area_km2, population)
    table.insert(0, "unit_name", _unit_names(units))
    table.insert(0, "unit_id", units["unit_id"].to_numpy())
    if covering is not None:
        network = covering
        elements = network.line.unit_elements(unit_geoms)
        covered = work.covered(network, settings, tile_deg)
        table = _add_network_columns(table, network, elements, covered, len(units))
    table = add_densities(table)
    table.attrs.update(
        work.report(),
        repaired=repaired,
        years=years,
        tolerance_m=tolerance_m,
        max_angle_deg=max_angle_deg,
    )
    return table


def uncovered_segments(
    projects: gpd.GeoDataFrame,
    roads: gpd.GeoDataFrame,
    *,
    units: gpd.GeoDataFrame | None = None,
    years: tuple[int, int] | None = None,
    settings: Settings | None = None,
    min_length_m: float = _MIN_SEGMENT_M,
    tile_deg: float = TILE_DEG,
    located: pd.DataFrame | None = None,
    network: RoadNetwork | None = None,
    locate: bool = False,
) -> gpd.GeoDataFrame:
    """Return the stretches of the network that no road project in the years covers.

    Parameters
    ----------
    projects
        Canonical project records in any set CRS (see :func:`coverage_by_unit`); only road
        projects with line geometry cover the network.
    roads
        Reference network (lines) in any set CRS: ``road_id``, ``status``, optionally
        ``name``, ``condition`` (baik / sedang / rusak ringan / rusak berat).
    units
        Optional administrative units (polygons): stretches are cut at unit boundaries and
        carry the ``unit_id`` of their unit (missing outside every unit).
    years, settings
        As in :func:`coverage_by_unit`.
    min_length_m
        Shortest stretch reported, metres (default 1 m: shorter ones are rounding between two
        covered stretches).
    tile_deg, located, network, locate
        As in :func:`coverage_by_unit`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per contiguous uncovered stretch, EPSG:4326: ``road_id``, ``name``,
        ``status``, ``condition`` (normalised; missing when not given), ``unit_id`` (with
        ``units``), ``from_m`` and ``to_m`` (position along the road as digitised, metres,
        parts of a multi-part road counted one after the other), ``length_m`` (metres, in the
        road's UTM zone), ``road_length_m``, geometry (the stretch). Ranked by condition
        (``rusak berat`` first, unknown last), then longest first.

    Raises
    ------
    geo.errors.GeoInputError
        See :func:`coverage_by_unit`.
    """
    settings = settings or Settings()
    tolerance_m = settings.tolerance_m
    projects, units, roads, repaired = _check(
        "uncovered_segments",
        projects,
        units=units,
        roads=roads,
        years=years,
        tile_deg=tile_deg,
        need_roads=True,
    )
    covering = RoadNetwork(roads)
    work = Projects(_located(projects, covering, located, network, settings, locate=locate), years)
    network = covering
    line = network.line
    if units is None:
        elements = line.part_elements()
    else:
        elements = line.unit_elements(units.geometry.to_numpy(), with_outside=True)
    covered = work.covered(network, settings, tile_deg)
    source, start, end = subtract_intervals(
        elements.start, elements.end, covered.start, covered.end
    )
    keep = end - start >= min_length_m
    source, start, end = source[keep], start[keep], end[keep]
    part = line.part_of(start)
    road = line.part_road[part]
    geometry = line.substrings(part, start, end)
    offset = line.part_chainage[part] - line.part_x0[part]
    frame = pd.DataFrame(
        {
            "road_id": roads["road_id"].to_numpy()[road],
            "name": _column_or_none(roads, "name")[road],
            "status": line.status[road],
            "condition": line.condition[road],
        }
    )
    if units is not None:
        unit = elements.unit[source]
        unit_ids = np.append(units["unit_id"].to_numpy(dtype=object), [None])
        frame["unit_id"] = unit_ids[np.where(unit >= 0, unit, len(units))]
    frame["from_m"] = start + offset
    frame["to_m"] = end + offset
    frame["length_m"] = end - start
    frame["road_length_m"] = line.road_length_m[road]
    rank = pd.Series(line.condition[road]).map({c: i for i, c in enumerate(CONDITIONS)})
    frame["_rank"] = rank.fillna(len(CONDITIONS)).to_numpy()
    segments = gpd.GeoDataFrame(frame, geometry=geometry, crs=_WGS84)
    segments = segments.sort_values(
        ["_rank", "length_m", "road_id", "from_m"],
        ascending=[True, False, True, True],
        kind="stable",
    )
    segments = segments.drop(columns="_rank").reset_index(drop=True)
    segments.attrs.update(work.report(), repaired=repaired, years=years, tolerance_m=tolerance_m)
    return segments


def hex_cells(region: gpd.GeoDataFrame, *, cell_km: float = DEFAULT_CELL_KM) -> gpd.GeoDataFrame:
    """Hexagonal cells of a metric grid over a region, one lattice per UTM zone, clipped to it.

    Cells are regular hexagons (pointy top) ``cell_km`` wide from flat side to flat side, laid
    on a lattice fixed to each WGS 84 / UTM zone's origin, so a cell has the same id in every
    run and every region. Each cell is clipped to the region (a coastal cell is its land part)
    and, where a region spans several zones, to its zone's 6-degree band and hemisphere: cells
    never overlap and their areas add up to the region's.

    Parameters
    ----------
    region
        Polygons in any set CRS (a province, a set of kabupaten, ...). Population, when the
        region has a ``population`` column, is spread over cells in proportion to area.
    cell_km
        Cell width, km (flat to flat; a whole cell is ``sqrt(3) / 2 * cell_km**2`` km2).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per cell with part of the region in it: ``cell_id``
        (``"<epsg>_<row>_<col>"``), ``utm_epsg`` (the zone of its lattice), ``area_km2`` (the
        region's area inside the cell, measured in that zone), ``population`` (when the region
        has one; people, assumed uniform within each region polygon), geometry (the cell
        clipped to the region).

    Examples
    --------
    >>> from shapely import box
    >>> region = gpd.GeoDataFrame(geometry=[box(400_000, 9_800_000, 420_000, 9_820_000)],
    ...     crs=32748)
    >>> cells = hex_cells(region, cell_km=5.0)
    >>> round(float(cells["area_km2"].sum()), 1)
    400.0
    """
    problems = _crs_problems("region", region)
    if not cell_km > 0:
        problems.append(f"hex_cells: cell_km must be a positive number of km, not {cell_km!r}")
    if problems:
        raise GeoInputError(*problems)
    region = region.to_crs(_WGS84) if not region.crs.equals(_WGS84) else region
    region_geoms = made_valid(region.geometry.to_numpy())
    population = population_of(region)
    frames = [
        zone_cells(region_geoms, population, zone, cell_km * 1_000.0)
        for zone in zones_touched(region_geoms)
    ]
    cells = pd.concat(frames, ignore_index=True) if frames else empty_cells(population)
    return gpd.GeoDataFrame(cells, geometry="geometry", crs=_WGS84)


def hex_grid_coverage(
    projects: gpd.GeoDataFrame,
    region: gpd.GeoDataFrame,
    *,
    roads: gpd.GeoDataFrame | None = None,
    years: tuple[int, int] | None = None,
    cell_km: float = DEFAULT_CELL_KM,
    settings: Settings | None = None,
    access_km: float | None = None,
    tile_deg: float = TILE_DEG,
    located: pd.DataFrame | None = None,
    network: RoadNetwork | None = None,
    locate: bool = False,
) -> gpd.GeoDataFrame:
    """Summarise projects and network coverage per hexagonal grid cell over a region.

    The grid is a metric hexagonal lattice in each UTM zone (:func:`hex_cells`), built with
    numpy and shapely: cells of any width (``--hex-km``) with exact areas, and no dependency.

    Parameters
    ----------
    projects
        Canonical project records in any set CRS (see :func:`coverage_by_unit`).
    region
        Polygons the grid covers (e.g. the administrative units), any set CRS; an optional
        ``population`` column is spread over cells by area.
    roads, years, settings, tile_deg, located, network, locate
        As in :func:`coverage_by_unit`.
    cell_km
        Cell width, km, flat side to flat side.
    access_km
        When given, also the area (and people) of each cell farther than this many km from
        any road project (see :func:`access_gaps`).

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, one row per cell (clipped to the region): the columns of
        :func:`hex_cells` (``area_km2`` is the region's area inside the cell), then
        those of :func:`coverage_by_unit` after ``area_km2`` (``projects``, ``budget_idr``,
        ``project_km``, ``project_ha``, with ``roads`` ``network_km``, ``covered_km``,
        ``covered_share``, per status, densities), and with ``access_km`` ``served_km2``,
        ``gap_km2``, ``gap_share`` (and ``gap_population`` with a population).
    """
    settings = settings or Settings()
    projects, _, roads, repaired = _check(
        "hex_grid_coverage", projects, units=None, roads=roads, years=years, tile_deg=tile_deg
    )
    cells = hex_cells(region, cell_km=cell_km)
    covering = None if roads is None else RoadNetwork(roads)
    work = Projects(_located(projects, covering, located, network, settings, locate=locate), years)
    cell_geoms = cells.geometry.to_numpy()
    population = cells["population"].to_numpy() if "population" in cells else None
    table = unit_table(work, cell_geoms, cells["area_km2"].to_numpy(), population)
    if covering is not None:
        network = covering
        elements = network.line.unit_elements(cell_geoms)
        covered = work.covered(network, settings, tile_deg)
        table = _add_network_columns(table, network, elements, covered, len(cells))
    table = add_densities(table)
    if access_km is not None:
        access = access_table(
            work, cell_geoms, access_km * 1_000.0, ("road",), population, with_geometry=False
        )
        table = pd.concat(
            [table, access.drop(columns=["area_km2", "population"], errors="ignore")], axis=1
        )
    front = cells.drop(columns=["area_km2", "population", "geometry"], errors="ignore")
    out = pd.concat([front, table], axis=1)
    grid = gpd.GeoDataFrame(out, geometry=cells.geometry.to_numpy(), crs=_WGS84)
    grid.attrs.update(work.report(), repaired=repaired, years=years, cell_km=cell_km)
    return grid


def access_gaps(
    projects: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame,
    *,
    distance_km: float = DEFAULT_ACCESS_KM,
    years: tuple[int, int] | None = None,
    asset_types: Sequence[str] = ("road",),
    with_geometry: bool = False,
) -> pd.DataFrame | gpd.GeoDataFrame:
    """Area and people of each unit farther than ``distance_km`` from any road project.

    The Rural Access Index idea (share of people within 2 km of a served road) with the road
    projects of the chosen years as the served roads. The reach of the projects is their
    ``distance_km`` buffer, drawn in each unit's UTM zone (lines simplified by 0.5% of the
    distance first: the buffer moves by at most that, and its area stays within 1%).
    Population is assumed uniform within a unit: the people farther than the distance are the
    unit's population times the share of its area farther than it.

    Parameters
    ----------
    projects
        Canonical project records in any set CRS (see :func:`coverage_by_unit`).
    units
        Administrative units (polygons), any set CRS: ``unit_id``, optionally ``unit_name``,
        ``population``.
    distance_km
        Reach of a project, km (default :data:`DEFAULT_ACCESS_KM`, 2 km).
    years
        ``(first, last)`` inclusive; see :func:`coverage_by_unit`.
    asset_types
        Asset types whose projects serve (default roads only; add ``"bridge"`` to count a
        bridge as serving its surroundings).
    with_geometry
        Also return the unserved area of each unit as geometry (EPSG:4326).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        One row per unit, in order: ``unit_id``, ``unit_name``, ``area_km2``, ``served_km2``
        (area within the distance), ``gap_km2`` (area farther), ``gap_share`` (0-1) and, with a
        population, ``population``, ``gap_population`` (people farther), ``gap_population_share``
        (0-1; equal to ``gap_share`` under the uniform assumption). With ``with_geometry`` a
        GeoDataFrame whose geometry is the unserved area.

    Raises
    ------
    geo.errors.GeoInputError
        See :func:`coverage_by_unit`; also a distance that is not positive.
    """
    projects, units, _, repaired = _check(
        "access_gaps", projects, units=units, roads=None, years=years
    )
    if not distance_km > 0:
        raise GeoInputError(
            f"access_gaps: distance_km must be a positive number, not {distance_km!r}"
        )
    work = Projects(projects, years)
    table = access_table(
        work,
        units.geometry.to_numpy(),
        distance_km * 1_000.0,
        tuple(asset_types),
        population_of(units),
        with_geometry=with_geometry,
    )
    table.insert(0, "unit_name", _unit_names(units))
    table.insert(0, "unit_id", units["unit_id"].to_numpy())
    if with_geometry:
        table = gpd.GeoDataFrame(table, geometry="geometry", crs=_WGS84)
    table.attrs.update(work.report(), repaired=repaired, years=years, distance_km=distance_km)
    return table


# --- checking input ----------------------------------------------------------------------------


def _check(
    caller: str,
    projects: gpd.GeoDataFrame,
    *,
    units: gpd.GeoDataFrame | None,
    roads: gpd.GeoDataFrame | None,
    years: tuple[int, int] | None,
    need_roads: bool = False,
    tile_deg: float = TILE_DEG,
):
    """Validate every layer, then raise once; return the layers in EPSG:4326, valid."""
    problems: list[str] = []
    problems += _crs_problems("projects", projects)
    problems += _column_problems("projects", projects, PROJECT_COLUMNS_USED)
    if units is not None:
        problems += _crs_problems("units", units)
        problems += _column_problems("units", units, _UNIT_COLUMNS)
        if "unit_id" in units.columns:
            duplicated = units["unit_id"][units["unit_id"].duplicated()].unique()
            if len(duplicated):
                shown = ", ".join(map(repr, duplicated[:5]))
                problems.append(
                    f"units: unit_id {shown} appear(s) more than once; one row per unit "
                    f"(dissolve the parts of a unit first, e.g. units.dissolve('unit_id'))"
                )
        if len(units) and (units.geometry.isna() | units.geometry.is_empty).any():
            problems.append("units: some units have no geometry; drop them or add their boundary")
        elif len(units) and not units.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all():
            problems.append("units: geometries must be polygons (the unit boundaries)")
    if roads is None and need_roads:
        problems.append(f"{caller}: a road network (roads) is needed")
    if roads is not None:
        problems += _crs_problems("roads", roads)
        problems += _column_problems("roads", roads, _ROAD_COLUMNS)
    if years is not None:
        try:
            first, last = (int(y) for y in years)
            if first > last:
                problems.append(f"{caller}: years {years!r} run backwards; give (first, last)")
        except (TypeError, ValueError):
            problems.append(
                f"{caller}: years must be (first, last), e.g. (2021, 2025), not {years!r}"
            )
    if not tile_deg > 0:
        problems.append(
            f"{caller}: tile_deg must be a positive number of degrees (math.inf: one tile), "
            f"not {tile_deg!r}"
        )
    if problems:
        raise GeoInputError(*problems)

    repaired: dict[str, int] = {}

    def ready(name: str, layer: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
        if layer is None:
            return None
        layer = layer.to_crs(_WGS84) if not layer.crs.equals(_WGS84) else layer
        geoms = layer.geometry.to_numpy()
        count = int(invalid_mask(geoms).sum())
        if count:  # reported in attrs["repaired"], not hidden
            repaired[name] = count
            fixed = gpd.GeoSeries(made_valid(geoms), index=layer.index, crs=_WGS84)
            layer = layer.set_geometry(fixed)
        return layer.reset_index(drop=True)

    roads = ready("roads", roads)
    if roads is not None:
        roads = _in_force(roads, years)
    return ready("projects", projects), ready("units", units), roads, repaired


def _located(
    projects: gpd.GeoDataFrame,
    covering: RoadNetwork | None,
    located: pd.DataFrame | None,
    network: RoadNetwork | None,
    settings: Settings,
    *,
    locate: bool,
) -> gpd.GeoDataFrame:
    """The projects with their located stretches (:func:`geo.analyse._in_units.with_located`):
    of ``located`` on ``network`` when given, else with ``locate`` located here on
    ``covering`` (the network in force that coverage is measured on), else as they are."""
    if covering is None or (located is None and not locate):
        return projects
    if located is None:
        return with_located(projects, covering, None, settings)
    return with_located(projects, network if network is not None else covering, located, settings)


def _in_force(roads: gpd.GeoDataFrame, years: tuple[int, int] | None) -> gpd.GeoDataFrame:
    """The rows of a dated network in force at the end of ``years`` (now, without years).

    A ruas whose status changed appears once per decree, with ``valid_from`` / ``valid_to``
    years (empty: open); counting every row would count the road twice. Each ruas keeps the
    rows in force in the last year of the period or, when none is, those closest in time.
    """
    bounds = [c for c in ("valid_from", "valid_to") if c in roads.columns]
    if not bounds or roads[bounds].isna().all().all():
        return roads
    year = float(years[1]) if years is not None else 9_999.0  # no years: the rows still open

    def year_of(column: str, empty: float) -> pd.Series:
        if column not in roads.columns:
            return pd.Series(empty, index=roads.index)
        return pd.to_numeric(roads[column], errors="coerce").astype(float).fillna(empty)

    start, end = year_of("valid_from", -np.inf), year_of("valid_to", np.inf)
    apart = np.maximum(np.maximum(start - year, year - end), 0.0)
    closest = apart.groupby(roads["road_id"].to_numpy()).transform("min")
    return roads[(apart <= closest).to_numpy()].reset_index(drop=True)


def _crs_problems(name: str, layer: gpd.GeoDataFrame) -> list[str]:
    if not isinstance(layer, gpd.GeoDataFrame):
        return [f"{name}: expected a GeoDataFrame, got {type(layer).__name__}"]
    if layer.crs is None:
        return [
            f"{name}: no CRS (crs is None), so the units of the coordinates are unknown; "
            f"declare it with set_crs(), e.g. set_crs(4326) for longitude/latitude"
        ]
    return []


def _column_problems(name: str, layer: gpd.GeoDataFrame, required: Iterable[str]) -> list[str]:
    if not isinstance(layer, gpd.GeoDataFrame):
        return []
    missing = [c for c in required if c not in layer.columns]
    if missing:
        return [
            f"{name}: missing column(s) {', '.join(missing)} (it has "
            f"{', '.join(map(str, layer.columns))}); rename the matching columns"
        ]
    return []


def _unit_names(units: gpd.GeoDataFrame) -> np.ndarray:
    if "unit_name" in units.columns:
        return units["unit_name"].to_numpy(dtype=object)
    return units["unit_id"].astype(str).to_numpy(dtype=object)


def _column_or_none(layer: pd.DataFrame, column: str) -> np.ndarray:
    if column in layer.columns:
        return layer[column].to_numpy(dtype=object)
    return np.full(len(layer), None, dtype=object)


def _add_network_columns(
    table: pd.DataFrame,
    network: RoadNetwork,
    elements: Intervals,
    covered: Intervals,
    n_units: int,
) -> pd.DataFrame:
    """Network, covered and uncovered km per unit, in total and per status."""
    network_m, covered_m, per_status = network.line.length_by_status(elements, covered, n_units)
    network_km, covered_km = network_m / 1_000.0, covered_m / 1_000.0
    table["network_km"] = network_km
    table["covered_km"] = covered_km
    table["uncovered_km"] = np.maximum(network_km - covered_km, 0.0)
    table["covered_share"] = clipped_share(covered_km, network_km)
    for name, (net_m, cov_m) in per_status.items():
        net, cov = net_m / 1_000.0, cov_m / 1_000.0
        table[f"network_km_{name}"] = net
        table[f"covered_km_{name}"] = cov
        table[f"covered_share_{name}"] = clipped_share(cov, net)
    return table
