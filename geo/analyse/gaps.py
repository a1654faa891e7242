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
- Network coverage: each network road is cut into chunks of at most ``CHUNK_SEGMENTS``
  segments of at most ``SEGMENT_DEG`` (about 280 m), so candidate searches stay tight. A stretch
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

All array work is shapely 2 / numpy over whole arrays, in blocks of ``PAIR_BLOCK`` pairs spread
over the cores (GEOS releases the GIL); the only Python loops run over UTM zones, tiles and
blocks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo._parallel import WORKERS as _WORKERS
from geo._parallel import map_in_threads
from geo._parallel import zone_blocks as _zone_blocks
from geo.errors import GeoInputError
from geo.settings import Settings
from geo.spatial.crs import MIN_M_PER_DEG as _MIN_M_PER_DEG
from geo.spatial.crs import area_m2, to_degrees, to_metric, utm_epsg_for_geometries
from geo.spatial.network import (
    CONDITIONS,
    ROAD_STATUSES,
    TILE_DEG,
    Intervals,
    RoadNetwork,
    subtract_intervals,
)
from geo.spatial.segments import line_lengths_m, metric_line_arrays

__all__ = [
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
#: Candidate pairs measured per block: bounds the memory of buffers and intersections.
PAIR_BLOCK = 50_000
#: Lines measured at once (their metric coordinates: ~18 MB for 25,000 lines of 45 vertices).
SIZE_BLOCK = 25_000
#: Side of the grid cells (degrees, about 5.5 km) that find the projects lying well inside one
#: unit without a polygon test (:class:`_InteriorCells`); at most this many cells.
INTERIOR_CELL_DEG = 0.05
INTERIOR_MAX_CELLS = 1_000_000
#: Uncovered stretches shorter than this are rounding between two covered ones (metres).
_MIN_SEGMENT_M = 1.0
#: Access buffers: lines simplified by this share of the distance (10 m at 2 km: the buffer
#: moves by at most that), circles drawn with 8 segments a quarter (area within 0.7%).
_ACCESS_SIMPLIFY_SHARE = 0.005
_ACCESS_QUAD_SEGS = 8
_WGS84 = 4326

#: The project columns the gap analyses read (with the geometry): a store need read no more.
PROJECT_COLUMNS_USED = ("project_id", "asset_type", "year_start", "year_end", "budget_idr")
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
    work = _Projects(projects, years)
    unit_geoms = units.geometry.to_numpy()
    area_km2 = area_m2(units) / 1e6
    population = _population(units)
    table = _unit_table(work, unit_geoms, area_km2, population)
    table.insert(0, "unit_name", _unit_names(units))
    table.insert(0, "unit_id", units["unit_id"].to_numpy())
    if roads is not None:
        network = RoadNetwork(roads)
        elements = network.line.unit_elements(unit_geoms)
        covered = work.covered(network, settings, tile_deg)
        table = _add_network_columns(table, network, elements, covered, len(units))
    table = _add_densities(table)
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
    tile_deg
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
    work = _Projects(projects, years)
    network = RoadNetwork(roads)
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
    region_geoms = _valid(region.geometry.to_numpy())
    population = _population(region)
    frames = [
        _zone_cells(region_geoms, population, zone, cell_km * 1_000.0)
        for zone in _zones_touched(region_geoms)
    ]
    cells = pd.concat(frames, ignore_index=True) if frames else _empty_cells(population)
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
    roads, years, settings, tile_deg
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
    work = _Projects(projects, years)
    cell_geoms = cells.geometry.to_numpy()
    population = cells["population"].to_numpy() if "population" in cells else None
    table = _unit_table(work, cell_geoms, cells["area_km2"].to_numpy(), population)
    if roads is not None:
        network = RoadNetwork(roads)
        elements = network.line.unit_elements(cell_geoms)
        covered = work.covered(network, settings, tile_deg)
        table = _add_network_columns(table, network, elements, covered, len(cells))
    table = _add_densities(table)
    if access_km is not None:
        access = _access_table(
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
    work = _Projects(projects, years)
    table = _access_table(
        work,
        units.geometry.to_numpy(),
        distance_km * 1_000.0,
        tuple(asset_types),
        _population(units),
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
        count = int(_invalid(geoms).sum())
        if count:  # reported in attrs["repaired"], not hidden
            repaired[name] = count
            fixed = gpd.GeoSeries(_valid(geoms), index=layer.index, crs=_WGS84)
            layer = layer.set_geometry(fixed)
        return layer.reset_index(drop=True)

    roads = ready("roads", roads)
    if roads is not None:
        roads = _in_force(roads, years)
    return ready("projects", projects), ready("units", units), roads, repaired


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


def _valid(geoms: np.ndarray) -> np.ndarray:
    """``geoms`` with invalid geometries made valid (the same array when all are valid)."""
    invalid = _invalid(geoms)
    if not invalid.any():
        return geoms
    fixed = geoms.copy()
    fixed[invalid] = shapely.make_valid(geoms[invalid])
    return fixed


def _invalid(geoms: np.ndarray) -> np.ndarray:
    return ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)


def _population(layer: gpd.GeoDataFrame) -> np.ndarray | None:
    if "population" not in layer.columns:
        return None
    people = pd.to_numeric(layer["population"], errors="coerce").to_numpy(dtype=float)
    return None if np.isnan(people).all() else people


def _unit_names(units: gpd.GeoDataFrame) -> np.ndarray:
    if "unit_name" in units.columns:
        return units["unit_name"].to_numpy(dtype=object)
    return units["unit_id"].astype(str).to_numpy(dtype=object)


def _column_or_none(layer: pd.DataFrame, column: str) -> np.ndarray:
    if column in layer.columns:
        return layer[column].to_numpy(dtype=object)
    return np.full(len(layer), None, dtype=object)


# --- metric geometry ---------------------------------------------------------------------------


def _in_blocks(n: int, size: int = PAIR_BLOCK) -> list[np.ndarray]:
    step = max(1, min(size, -(-n // _WORKERS)))
    return [np.arange(i, min(i + step, n)) for i in range(0, n, step)]


def _ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All positions in the ranges ``[lo[i], hi[i])`` and the range ``i`` each comes from."""
    size = np.maximum(hi - lo, 0)
    owner = np.repeat(np.arange(len(lo)), size)
    return np.repeat(lo, size) + np.arange(size.sum()) - np.repeat(
        np.cumsum(size) - size, size
    ), owner


class _Projects:
    """Projects in EPSG:4326 filtered by years, with their UTM zone and metric size.

    Metric geometries are made block by block when needed and dropped after use: a national
    layer's metric copy would double the memory its geometries take.
    """

    def __init__(self, projects: gpd.GeoDataFrame, years: tuple[int, int] | None) -> None:
        if years is not None:
            first, last = (int(y) for y in years)
            start = pd.to_numeric(projects["year_start"], errors="coerce")
            end = pd.to_numeric(projects["year_end"], errors="coerce").fillna(start)
            projects = projects[((start <= last) & (end >= first)).to_numpy()]
            projects = projects.reset_index(drop=True)
        self.frame = projects
        self.ids = projects["project_id"].to_numpy(dtype=object)
        # normalised once per distinct value: a national layer has a few, in a million rows
        codes, values = pd.factorize(projects["asset_type"])
        words = [str(value).strip().lower() for value in values] + [""]  # "": missing
        self.asset = np.array(words, dtype=object)[codes]
        self.budget = pd.to_numeric(projects["budget_idr"], errors="coerce").to_numpy(dtype=float)
        self.geoms = projects.geometry.to_numpy()
        located = ~(shapely.is_missing(self.geoms) | shapely.is_empty(self.geoms))
        self.dims = np.where(located, shapely.get_dimensions(self.geoms), -1)
        self.zones = (
            utm_epsg_for_geometries(projects.geometry) if len(projects) else np.empty(0, np.int64)
        )
        #: length (lines, m) or area (polygons, m2) in the project's own zone; NaN otherwise
        self.size = np.full(len(projects), np.nan)
        # lines from their coordinates (no metric geometries made); the rest through GEOS
        flat = np.isin(shapely.get_type_id(self.geoms), [1, 2, 5])  # (multi)linestring, ring
        lines = np.flatnonzero(flat & (self.dims == 1))
        for lo in range(0, len(lines), SIZE_BLOCK):
            rows = lines[lo : lo + SIZE_BLOCK]
            arrays, at = metric_line_arrays(self.geoms, rows, self.zones[rows])
            self.size[rows] = line_lengths_m(arrays)[at]
        others = np.flatnonzero(~flat & (self.dims >= 1))
        blocks = _zone_blocks(others, self.zones[others])
        for (_, rows), size in zip(blocks, map_in_threads(self._own_size, blocks), strict=True):
            self.size[rows] = size
        self.outside: np.ndarray = np.empty(0, dtype=object)

    def _own_size(self, block: tuple[int, np.ndarray]) -> np.ndarray:
        """Length (m) of the lines and area (m2) of the polygons of a block in its zone."""
        zone, rows = block
        metric = to_metric(self.geoms[rows], zone)
        return np.where(self.dims[rows] == 1, shapely.length(metric), shapely.area(metric))

    def in_zone(self, index: np.ndarray, zone: int) -> np.ndarray:
        """Metric geometries of ``index`` in WGS 84 / UTM ``zone`` (made now, not kept)."""
        return to_metric(self.geoms[index], zone)

    def covered(self, network: RoadNetwork, settings: Settings, tile_deg: float) -> Intervals:
        """The stretches of ``network`` the road projects (lines) run along."""
        roads = np.flatnonzero((self.asset == "road") & (self.dims == 1))
        return network.covered(
            self.geoms,
            roads,
            tolerance_m=settings.tolerance_m,
            max_angle_deg=settings.max_angle_deg,
            tile_deg=tile_deg,
        )

    def report(self) -> dict:
        return {
            "outside_units": list(self.outside),
            "without_geometry": list(self.ids[self.dims < 0]),
        }


# --- projects in units -------------------------------------------------------------------------


class _InteriorCells:
    """A grid over the units: each cell marked with the one unit it lies properly inside (and
    no other unit meets), else -1.

    A geometry whose bounding box is covered by cells of one unit lies properly inside that
    unit and meets no other: the exact answer of ``contains_properly`` and ``intersects``.
    """

    def __init__(self, unit_geoms: np.ndarray, cell_deg: float = INTERIOR_CELL_DEG) -> None:
        west, south, east, north = shapely.total_bounds(unit_geoms)
        if not np.isfinite([west, south, east, north]).all():
            west = south = 0.0
            east = north = cell_deg
        while (east - west) * (north - south) / cell_deg**2 > INTERIOR_MAX_CELLS:
            cell_deg *= 2
        self.cell_deg, self.west, self.south = cell_deg, west, south
        nx = max(int(np.ceil((east - west) / cell_deg)), 1)
        ny = max(int(np.ceil((north - south) / cell_deg)), 1)
        self.grid = np.full((ny, nx), -1, dtype=np.int64)
        ix, iy = np.meshgrid(np.arange(nx), np.arange(ny))
        x0, y0 = west + ix.ravel() * cell_deg, south + iy.ravel() * cell_deg
        cells = shapely.box(x0, y0, x0 + cell_deg, y0 + cell_deg)
        tree = shapely.STRtree(cells)
        unit, cell = tree.query(unit_geoms, predicate="intersects")
        met = np.bincount(cell, minlength=len(cells))
        alone = met[cell] == 1  # cells only one unit meets
        unit, cell = unit[alone], cell[alone]
        shapely.prepare(unit_geoms)
        inside = shapely.contains_properly(unit_geoms[unit], cells[cell])
        self.grid.ravel()[cell[inside]] = unit[inside]

    def unit_of(self, geoms: np.ndarray) -> np.ndarray:
        """The unit each geometry lies properly and alone in by the grid, else -1 (unknown:
        test it), for bounding boxes of at most 2 x 2 cells."""
        bounds = shapely.bounds(geoms)
        found = np.full(len(geoms), -1, dtype=np.int64)
        ok = np.isfinite(bounds).all(axis=1)
        ny, nx = self.grid.shape
        with np.errstate(invalid="ignore"):
            ix0 = np.floor((bounds[:, 0] - self.west) / self.cell_deg)
            iy0 = np.floor((bounds[:, 1] - self.south) / self.cell_deg)
            ix1 = np.floor((bounds[:, 2] - self.west) / self.cell_deg)
            iy1 = np.floor((bounds[:, 3] - self.south) / self.cell_deg)
        ok &= (ix0 >= 0) & (iy0 >= 0) & (ix1 < nx) & (iy1 < ny)
        ok &= (ix1 - ix0 <= 1) & (iy1 - iy0 <= 1)
        rows = np.flatnonzero(ok)
        x0, y0 = ix0[rows].astype(np.int64), iy0[rows].astype(np.int64)
        x1, y1 = ix1[rows].astype(np.int64), iy1[rows].astype(np.int64)
        first = self.grid[y0, x0]
        same = (
            (first >= 0)
            & (self.grid[y0, x1] == first)
            & (self.grid[y1, x0] == first)
            & (self.grid[y1, x1] == first)
        )
        found[rows[same]] = first[same]
        return found


def _unit_shares(work: _Projects, unit_geoms: np.ndarray):
    """Pairs (unit, project) with the share (0-1) and the measure of the project inside.

    The measure is metres for lines and m2 for polygons (in the project's UTM zone), 0 for
    points. A project's shares add up to at most 1 (a line along a shared boundary lies in
    both units: it is split between them).
    """
    located = np.flatnonzero(work.dims >= 0)
    empty = np.empty(0, dtype=np.int64)
    if not len(located) or not len(unit_geoms):
        work.outside = work.ids[located]
        return empty, empty, np.empty(0), np.empty(0)
    # Projects inside a grid cell that lies properly inside one unit and meets no other are
    # wholly in that unit: no polygon test. The rest go through the tree and GEOS.
    fast_unit = _InteriorCells(unit_geoms).unit_of(work.geoms[located])
    fast = fast_unit >= 0
    slow = located[~fast]
    tree = shapely.STRtree(work.geoms[slow])
    unit, hit = tree.query(unit_geoms, predicate="intersects")
    project = slow[hit]
    shapely.prepare(unit_geoms)
    whole = shapely.contains_properly(unit_geoms[unit], work.geoms[project])
    unit = np.concatenate([fast_unit[fast], unit])
    project = np.concatenate([located[fast], project])
    whole = np.concatenate([np.ones(int(fast.sum()), dtype=bool), whole])
    inside = np.where(whole, np.nan_to_num(work.size[project]), 0.0)
    cross = np.flatnonzero(~whole & (work.dims[project] > 0))

    def measure(block: tuple[int, np.ndarray]) -> np.ndarray:
        zone, rows = block
        pieces = shapely.intersection(unit_geoms[unit[rows]], work.geoms[project[rows]])
        metric = to_metric(pieces, zone)
        return np.where(work.dims[project[rows]] == 1, shapely.length(metric), shapely.area(metric))

    blocks = _zone_blocks(cross, work.zones[project[cross]])
    for (_, rows), measured in zip(blocks, map_in_threads(measure, blocks), strict=True):
        inside[rows] = measured
    size = work.size[project]
    share = np.where(
        (work.dims[project] > 0) & (size > 0), inside / np.where(size > 0, size, 1), 1.0
    )
    share = np.clip(share, 0.0, 1.0)
    total = np.bincount(project, weights=share, minlength=len(work.dims))
    share = share / np.maximum(total[project], 1.0)
    keep = share > 0
    work.outside = work.ids[np.setdiff1d(located, project[keep])]
    return unit[keep], project[keep], share[keep], inside[keep]


def _unit_table(
    work: _Projects, unit_geoms: np.ndarray, area_km2: np.ndarray, population: np.ndarray | None
) -> pd.DataFrame:
    """Counts, budget, road km and irrigation ha per unit (no id columns)."""
    n = len(unit_geoms)
    unit, project, share, inside = _unit_shares(work, unit_geoms)
    road = (work.asset[project] == "road") & (work.dims[project] == 1)
    irrigation = (work.asset[project] == "irrigation") & (work.dims[project] == 2)
    table = pd.DataFrame({"area_km2": np.asarray(area_km2, dtype=float)})
    if population is not None:
        table["population"] = population
    table["projects"] = np.bincount(unit, minlength=n).astype(np.int64)
    table["budget_idr"] = np.bincount(
        unit, weights=np.nan_to_num(work.budget[project]) * share, minlength=n
    ).astype(float)
    table["project_km"] = np.bincount(unit, weights=inside * road, minlength=n) / 1_000.0
    table["project_ha"] = np.bincount(unit, weights=inside * irrigation, minlength=n) / 10_000.0
    return table


def _add_densities(table: pd.DataFrame) -> pd.DataFrame:
    area = table["area_km2"].to_numpy(dtype=float)
    per_km2 = np.divide(1.0, area, out=np.full(len(area), np.nan), where=area > 0)
    measures = {"projects": "projects", "project_km": "project_km", "project_ha": "project_ha"}
    for column, name in measures.items():
        table[f"{name}_per_km2"] = table[column].to_numpy(dtype=float) * per_km2
    if "population" in table.columns:
        people = table["population"].to_numpy(dtype=float)
        per_100k = np.divide(1e5, people, out=np.full(len(people), np.nan), where=people > 0)
        for column, name in measures.items():
            table[f"{name}_per_100k_people"] = table[column].to_numpy(dtype=float) * per_100k
    return table


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
    table["covered_share"] = _share(covered_km, network_km)
    for name, (net_m, cov_m) in per_status.items():
        net, cov = net_m / 1_000.0, cov_m / 1_000.0
        table[f"network_km_{name}"] = net
        table[f"covered_km_{name}"] = cov
        table[f"covered_share_{name}"] = _share(cov, net)
    return table


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    share = np.divide(part, whole, out=np.full(len(whole), np.nan), where=whole > 0)
    return np.clip(share, 0.0, 1.0)


# --- access ------------------------------------------------------------------------------------


def _access_table(
    work: _Projects,
    unit_geoms: np.ndarray,
    distance_m: float,
    asset_types: tuple[str, ...],
    population: np.ndarray | None,
    *,
    with_geometry: bool,
) -> pd.DataFrame:
    """Served and unserved area (and people) per unit; see :func:`access_gaps`."""
    n = len(unit_geoms)
    zones = (
        utm_epsg_for_geometries(gpd.GeoSeries(unit_geoms, crs=_WGS84))
        if n
        else np.empty(0, np.int64)
    )
    serving = np.flatnonzero(np.isin(work.asset, asset_types) & (work.dims >= 0))
    unit = project = np.empty(0, dtype=np.int64)
    if len(serving) and n:
        tree = shapely.STRtree(work.geoms[serving])
        unit, hit = tree.query(
            unit_geoms, predicate="dwithin", distance=distance_m / _MIN_M_PER_DEG
        )
        project = serving[hit]
    order = np.argsort(unit, kind="stable")
    unit, project = unit[order], project[order]
    area = np.zeros(n)
    served = np.zeros(n)
    gaps = np.full(n, None, dtype=object)
    # each project's reach drawn once in its own zone (again only for a unit in another zone)
    used = np.unique(project)
    circles = np.full(len(work.dims), None, dtype=object)
    blocks = _zone_blocks(used, work.zones[used])
    for (_, rows), made in zip(
        blocks,
        map_in_threads(lambda b: _access_buffer(work.in_zone(b[1], b[0]), distance_m), blocks),
        strict=True,
    ):
        circles[rows] = made

    def measure(block: tuple[int, np.ndarray]):
        zone, units_here = block
        shapes = to_metric(unit_geoms[units_here], zone)
        lo = np.searchsorted(unit, units_here, side="left")
        hi = np.searchsorted(unit, units_here, side="right")
        rows, owner = _ranges(lo, hi)
        reach = circles[project[rows]]
        elsewhere = work.zones[project[rows]] != zone
        if elsewhere.any():
            reach = reach.copy()
            reach[elsewhere] = _access_buffer(
                work.in_zone(project[rows][elsewhere], zone), distance_m
            )
        # one row of reaches per unit, padded with None, unioned along the rows in one call
        counts = hi - lo
        rank = np.arange(len(rows)) - np.repeat(np.cumsum(counts) - counts, counts)
        table = np.full((len(units_here), max(int(counts.max(initial=0)), 1)), None, dtype=object)
        table[owner, rank] = reach
        zone_reach = shapely.union_all(table, axis=1)
        inside = shapely.intersection(shapes, zone_reach)
        gap = to_degrees(shapely.difference(shapes, zone_reach), zone) if with_geometry else None
        return shapely.area(shapes), shapely.area(inside), gap

    blocks = _zone_blocks(np.arange(n), zones, size=64)
    for (_, rows), (total, near, gap) in zip(blocks, map_in_threads(measure, blocks), strict=True):
        area[rows], served[rows] = total, near
        if with_geometry:
            gaps[rows] = gap
    served = np.minimum(served, area)
    table = pd.DataFrame(
        {
            "area_km2": area / 1e6,
            "served_km2": served / 1e6,
            "gap_km2": (area - served) / 1e6,
        }
    )
    table["gap_share"] = _share(table["gap_km2"].to_numpy(), table["area_km2"].to_numpy())
    if population is not None:
        table["population"] = population
        table["gap_population"] = population * table["gap_share"].to_numpy()
        table["gap_population_share"] = table["gap_share"]
    if with_geometry:
        table["geometry"] = gaps
    return table


# --- hexagonal grid ----------------------------------------------------------------------------


def _access_buffer(geoms: np.ndarray, distance_m: float) -> np.ndarray:
    """The reach of projects (metric): lines simplified by 0.5% of the distance first."""
    lines = shapely.get_dimensions(geoms) == 1
    simple = geoms.copy()
    simple[lines] = shapely.simplify(
        geoms[lines], distance_m * _ACCESS_SIMPLIFY_SHARE, preserve_topology=False
    )
    return shapely.buffer(simple, distance_m, quad_segs=_ACCESS_QUAD_SEGS)


def _zones_touched(region_geoms: np.ndarray) -> list[int]:
    """UTM zones (EPSG) whose band and hemisphere hold part of the region."""
    located = ~(shapely.is_missing(region_geoms) | shapely.is_empty(region_geoms))
    if not located.any():
        return []
    bounds = shapely.bounds(region_geoms[located])
    lon_min, lat_min = bounds[:, 0].min(), bounds[:, 1].min()
    lon_max, lat_max = bounds[:, 2].max(), bounds[:, 3].max()
    first = int(np.clip(np.floor((lon_min + 180.0) / 6.0), 0, 59)) + 1
    last = int(np.clip(np.floor((lon_max + 180.0) / 6.0), 0, 59)) + 1
    bases = ([32700] if lat_min < 0 else []) + ([32600] if lat_max >= 0 else [])
    return [base + zone for base in bases for zone in range(first, last + 1)]


def _band(epsg: int) -> tuple[float, float, float, float]:
    """The zone's 6-degree band and hemisphere: (lon_min, lat_min, lon_max, lat_max)."""
    zone = epsg % 100
    lon_min = -180.0 + 6.0 * (zone - 1)
    south = epsg // 100 == 327
    return lon_min, (-90.0 if south else 0.0), lon_min + 6.0, (0.0 if south else 90.0)


def _zone_cells(
    region_geoms: np.ndarray, population: np.ndarray | None, epsg: int, width_m: float
) -> pd.DataFrame:
    """The cells of zone ``epsg`` over the part of the region in its band, clipped to it."""
    band = _band(epsg)
    pieces = _valid(shapely.clip_by_rect(region_geoms, *band))
    located = np.flatnonzero(~(shapely.is_missing(pieces) | shapely.is_empty(pieces)))
    located = located[shapely.area(pieces[located]) > 0]
    if not len(located):
        return _empty_cells(population)
    metric = to_metric(pieces[located], epsg)
    x_min, y_min, x_max, y_max = shapely.total_bounds(metric)
    radius = width_m / np.sqrt(3.0)  # centre to corner
    row_step = 1.5 * radius
    rows = np.arange(np.floor(y_min / row_step) - 1, np.ceil(y_max / row_step) + 2)
    cols = np.arange(np.floor(x_min / width_m) - 1, np.ceil(x_max / width_m) + 2)
    row, col = (a.ravel().astype(np.int64) for a in np.meshgrid(rows, cols, indexing="ij"))
    cx = col * width_m + (row % 2) * width_m / 2.0
    cy = row * row_step
    angle = np.radians(30.0 + 60.0 * np.arange(7))
    ring = np.stack(
        [cx[:, None] + radius * np.cos(angle), cy[:, None] + radius * np.sin(angle)], axis=-1
    )
    ring[:, -1] = ring[:, 0]
    hexagons = shapely.polygons(ring)
    tree = shapely.STRtree(hexagons)
    piece, cell = tree.query(metric, predicate="intersects")
    shapely.prepare(metric)
    whole = shapely.contains_properly(metric[piece], hexagons[cell])
    inside = np.where(whole, hexagons[cell], np.array(None))
    cross = np.flatnonzero(~whole)
    blocks = [cross[block] for block in _in_blocks(len(cross))]
    cut = map_in_threads(
        lambda rows: shapely.intersection(metric[piece[rows]], hexagons[cell[rows]]), blocks
    )
    for rows_, shapes in zip(blocks, cut, strict=True):
        inside[rows_] = shapes
    overlap = shapely.area(inside)
    keep = overlap > 0
    piece, cell, inside, overlap = piece[keep], cell[keep], inside[keep], overlap[keep]
    used, position = np.unique(cell, return_inverse=True)
    # a cell across several region polygons: the union of its pieces (padded rows of a 2-D
    # array, unioned along the row in one call)
    order = np.argsort(position, kind="stable")
    counts = np.bincount(position, minlength=len(used))
    rank = np.arange(len(order)) - np.repeat(np.cumsum(counts) - counts, counts)
    table = np.full((len(used), max(int(counts.max(initial=0)), 1)), None, dtype=object)
    table[position[order], rank] = inside[order]
    shapes = np.where(counts == 1, table[:, 0], np.array(None))
    several = np.flatnonzero(counts > 1)
    if len(several):
        shapes[several] = shapely.union_all(table[several], axis=1)
    frame = pd.DataFrame(
        {
            "cell_id": [f"{epsg}_{r}_{c}" for r, c in zip(row[used], col[used], strict=True)],
            "utm_epsg": epsg,
            "area_km2": shapely.area(shapes) / 1e6,
        }
    )
    if population is not None:
        # people spread over each region polygon by area (uniform within it)
        whole_area = shapely.area(to_metric(region_geoms[located], epsg))
        density = np.divide(
            np.nan_to_num(population[located]),
            whole_area,
            out=np.zeros(len(located)),
            where=whole_area > 0,
        )
        frame["population"] = np.bincount(
            position, weights=overlap * density[piece], minlength=len(used)
        )
    frame["geometry"] = to_degrees(shapes, epsg)
    return frame


def _empty_cells(population: np.ndarray | None) -> pd.DataFrame:
    columns = {
        "cell_id": pd.Series(dtype=object),
        "utm_epsg": pd.Series(dtype=np.int64),
        "area_km2": pd.Series(dtype=float),
    }
    if population is not None:
        columns["population"] = pd.Series(dtype=float)
    columns["geometry"] = pd.Series(dtype=object)
    return pd.DataFrame(columns)
