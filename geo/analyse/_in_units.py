"""Projects measured in units and grid cells, for the gap analyses (:mod:`geo.analyse.gaps`).

Private to :mod:`geo.analyse`. The projects of the chosen years with their UTM zone and size
(`Projects`), their shares per unit (a grid of interior cells answers most of them without a
polygon test, `InteriorCells`), counts, budget, length and area per unit and their densities,
the area farther than a distance from any road project (access), and the hexagonal lattice of
each UTM zone (`zone_cells`). What concerns the road network (coverage, status) is
:mod:`geo.spatial.network`'s.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo._parallel import WORKERS as _WORKERS
from geo._parallel import map_in_threads
from geo._parallel import zone_blocks as _zone_blocks
from geo.analyse.locations import LOCATED_TOLERANCE_M, locate_road_projects, located_lines
from geo.settings import Settings
from geo.spatial.crs import MIN_M_PER_DEG as _MIN_M_PER_DEG
from geo.spatial.crs import to_degrees, to_metric, utm_epsg_for_geometries
from geo.spatial.linematch import merge_intervals
from geo.spatial.network import Intervals, RoadNetwork
from geo.spatial.segments import line_lengths_m, metric_line_arrays

#: Candidate pairs measured per block: bounds the memory of buffers and intersections.
PAIR_BLOCK = 50_000
#: Lines measured at once (their metric coordinates: ~18 MB for 25,000 lines of 45 vertices).
SIZE_BLOCK = 25_000
#: Side of the grid cells (degrees, about 5.5 km) that find the projects lying well inside one
#: unit without a polygon test (:class:`InteriorCells`); at most this many cells.
INTERIOR_CELL_DEG = 0.05
INTERIOR_MAX_CELLS = 1_000_000
#: Access buffers: lines simplified by this share of the distance (10 m at 2 km: the buffer
#: moves by at most that), circles drawn with 8 segments a quarter (area within 0.7%).
_ACCESS_SIMPLIFY_SHARE = 0.005
_ACCESS_QUAD_SEGS = 8
_WGS84 = 4326


def made_valid(geoms: np.ndarray) -> np.ndarray:
    """``geoms`` with invalid geometries made valid (the same array when all are valid)."""
    invalid = invalid_mask(geoms)
    if not invalid.any():
        return geoms
    fixed = geoms.copy()
    fixed[invalid] = shapely.make_valid(geoms[invalid])
    return fixed


def invalid_mask(geoms: np.ndarray) -> np.ndarray:
    return ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)


def population_of(layer: gpd.GeoDataFrame) -> np.ndarray | None:
    if "population" not in layer.columns:
        return None
    people = pd.to_numeric(layer["population"], errors="coerce").to_numpy(dtype=float)
    return None if np.isnan(people).all() else people


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


#: The column :func:`with_located` gives the projects: their located stretches, or None.
LOCATED = "located_stretches"


def with_located(
    projects: gpd.GeoDataFrame,
    network: RoadNetwork | None,
    located: pd.DataFrame | None,
    settings: Settings,
) -> gpd.GeoDataFrame:
    """``projects`` (EPSG:4326, positions 0..n-1) with :data:`LOCATED`: per project its
    located stretches of ``network`` (:func:`geo.analyse.locations.located_lines`) or None.

    ``located`` is :func:`geo.analyse.locations.locate_road_projects` of ``projects`` on
    ``network``; None: located here. Without a network the projects are returned as given.
    """
    if network is None:
        return projects
    if located is None:
        located = locate_road_projects(projects, network, settings=settings)
    return projects.assign(**{LOCATED: located_lines(located, network, len(projects))})


class Projects:
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
        #: Per project its located stretches of the network (EPSG:4326) or None: where a road
        #: work is located, coverage is measured along them (:func:`with_located`).
        self.located = (
            projects[LOCATED].to_numpy(dtype=object) if LOCATED in projects.columns else None
        )
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
        """The stretches of ``network`` the road projects (lines) run along: a located work
        along its located stretches (within
        :data:`geo.analyse.locations.LOCATED_TOLERANCE_M`), the others as drawn."""
        roads = np.flatnonzero((self.asset == "road") & (self.dims == 1))
        on = np.zeros(len(roads), dtype=bool)
        if self.located is not None:
            on = ~shapely.is_missing(self.located[roads])
        drawn = network.covered(
            self.geoms,
            roads[~on],
            tolerance_m=settings.tolerance_m,
            max_angle_deg=settings.max_angle_deg,
            tile_deg=tile_deg,
        )
        if not on.any():
            return drawn
        along_located = network.covered(
            np.asarray(self.located, dtype=object),
            roads[on],
            tolerance_m=LOCATED_TOLERANCE_M,
            max_angle_deg=settings.max_angle_deg,
            tile_deg=tile_deg,
        )
        union = merge_intervals(
            pd.DataFrame(
                {
                    "work": 0,
                    "ruas": 0,
                    "from_m": np.concatenate([drawn.start, along_located.start]),
                    "to_m": np.concatenate([drawn.end, along_located.end]),
                }
            )
        )
        return Intervals(union["from_m"].to_numpy(float), union["to_m"].to_numpy(float))

    def report(self) -> dict:
        return {
            "outside_units": list(self.outside),
            "without_geometry": list(self.ids[self.dims < 0]),
        }


# --- projects in units -------------------------------------------------------------------------


class InteriorCells:
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


def _unit_shares(work: Projects, unit_geoms: np.ndarray):
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
    fast_unit = InteriorCells(unit_geoms).unit_of(work.geoms[located])
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


def unit_table(
    work: Projects, unit_geoms: np.ndarray, area_km2: np.ndarray, population: np.ndarray | None
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


def add_densities(table: pd.DataFrame) -> pd.DataFrame:
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


def clipped_share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    share = np.divide(part, whole, out=np.full(len(whole), np.nan), where=whole > 0)
    return np.clip(share, 0.0, 1.0)


# --- access ------------------------------------------------------------------------------------


def access_table(
    work: Projects,
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
    table["gap_share"] = clipped_share(table["gap_km2"].to_numpy(), table["area_km2"].to_numpy())
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


def zones_touched(region_geoms: np.ndarray) -> list[int]:
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


def zone_cells(
    region_geoms: np.ndarray, population: np.ndarray | None, epsg: int, width_m: float
) -> pd.DataFrame:
    """The cells of zone ``epsg`` over the part of the region in its band, clipped to it."""
    band = _band(epsg)
    pieces = made_valid(shapely.clip_by_rect(region_geoms, *band))
    located = np.flatnonzero(~(shapely.is_missing(pieces) | shapely.is_empty(pieces)))
    located = located[shapely.area(pieces[located]) > 0]
    if not len(located):
        return empty_cells(population)
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


def empty_cells(population: np.ndarray | None) -> pd.DataFrame:
    columns = {
        "cell_id": pd.Series(dtype=object),
        "utm_epsg": pd.Series(dtype=np.int64),
        "area_km2": pd.Series(dtype=float),
    }
    if population is not None:
        columns["population"] = pd.Series(dtype=float)
    columns["geometry"] = pd.Series(dtype=object)
    return pd.DataFrame(columns)
