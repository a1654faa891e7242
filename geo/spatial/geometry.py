"""Geometry checks and repairs for imported records (DESIGN section 4, "Geometry").

All functions are vectorised over a GeoSeries and return per-record verdicts so the importer can
report each record by id: why it was rejected, or how it was repaired. Lines are resampled
here too (:func:`resample_lines`), for the measures along them.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from geopandas import GeoSeries

from geo.settings import INDONESIA_BOUNDS_DEG

__all__ = [
    "area_of_works",
    "coordinate_problem",
    "drop_z_m",
    "geometry_kind",
    "missing_reasons",
    "outside_indonesia",
    "repair_invalid",
    "resample_lines",
]

_LINES = {"LineString", "MultiLineString"}
_POLYGONS = {"Polygon", "MultiPolygon"}
_POINTS = {"Point", "MultiPoint"}


def drop_z_m(geoms: GeoSeries) -> tuple[GeoSeries, int, int]:
    """Drop Z and M values; return the 2-D series and how many records had Z and M."""
    values = np.asarray(geoms.values, dtype=object)
    has_z = int(np.count_nonzero(shapely.has_z(values)))
    has_m = int(np.count_nonzero(shapely.has_m(values)))
    if not has_z and not has_m:
        return geoms, 0, 0
    flat = shapely.force_2d(values)
    return GeoSeries(flat, index=geoms.index, crs=geoms.crs), has_z, has_m


def missing_reasons(geoms: GeoSeries) -> np.ndarray:
    """Per record: ``""`` or why the geometry is unusable (null, empty, a one-point line).

    A line whose points all coincide has no length and counts as one point.
    """
    values = np.asarray(geoms.values, dtype=object)
    reasons = np.full(len(values), "", dtype=object)
    is_null = shapely.is_missing(values)
    reasons[is_null] = "no geometry"
    present = ~is_null
    empty = present & shapely.is_empty(values)
    reasons[empty] = "empty geometry"
    ok = present & ~empty
    types = shapely.get_type_id(values)
    line_like = ok & np.isin(types, [1, 5])  # LineString, MultiLineString
    # A line whose points all coincide has no length: it is one point, whatever its vertices.
    one_point = line_like & (shapely.length(values) == 0)
    reasons[one_point] = "line with one point only (needs a start and an end)"
    return reasons


def outside_indonesia(geoms: GeoSeries) -> np.ndarray:
    """Per record (EPSG:4326): True where the bounds leave Indonesia's envelope in degrees."""
    bounds = shapely.bounds(np.asarray(geoms.values, dtype=object))
    lon0, lat0, lon1, lat1 = INDONESIA_BOUNDS_DEG
    with np.errstate(invalid="ignore"):
        return (
            (bounds[:, 0] < lon0)
            | (bounds[:, 2] > lon1)
            | (bounds[:, 1] < lat0)
            | (bounds[:, 3] > lat1)
        )


def coordinate_problem(geoms: GeoSeries) -> np.ndarray:
    """Per record (coordinates declared in degrees): why they cannot be right, or ``""``.

    Catches what a CRS contradicted by the data looks like: metres labelled as degrees,
    latitude and longitude swapped, points at 0,0, places outside Indonesia.
    """
    values = np.asarray(geoms.values, dtype=object)
    bounds = shapely.bounds(values)
    reasons = np.full(len(values), "", dtype=object)
    lon0, lat0, lon1, lat1 = INDONESIA_BOUNDS_DEG
    with np.errstate(invalid="ignore"):
        xmin, ymin, xmax, ymax = bounds.T
        inside = (xmin >= lon0) & (xmax <= lon1) & (ymin >= lat0) & (ymax <= lat1)
        swapped = (ymin >= lon0) & (ymax <= lon1) & (xmin >= lat0) & (xmax <= lat1)
        metres = (
            (np.abs(xmax) > 180) | (np.abs(ymax) > 90) | (np.abs(xmin) > 180) | (np.abs(ymin) > 90)
        )
        zero = (np.abs(xmin) < 1e-9) & (np.abs(ymin) < 1e-9) | (np.abs(xmax) < 1e-9) & (
            np.abs(ymax) < 1e-9
        )
    valid = ~np.isnan(xmin)
    for mask, reason in (
        (valid & ~inside, "outside Indonesia (lon 94..142, lat -11.5..6.5)"),
        (
            valid & metres,
            "coordinates look like metres but the CRS says degrees: "
            "give the right CRS with --crs EPSG:CODE",
        ),
        (valid & swapped & ~inside, "latitude and longitude look swapped: swap the columns"),
        (valid & zero, "at 0,0 (coordinates missing)"),
    ):
        reasons[mask] = reason
    return reasons


def repair_invalid(geoms: GeoSeries) -> tuple[GeoSeries, np.ndarray]:
    """Repair invalid geometries with ``make_valid``; return the series and a repaired mask.

    Polygons keep only their polygonal parts and lines their linear parts, so a bow-tie
    polygon stays a (multi)polygon rather than becoming a collection with stray lines.
    """
    values = np.asarray(geoms.values, dtype=object).copy()
    present = ~shapely.is_missing(values)
    invalid = np.zeros(len(values), dtype=bool)
    invalid[present] = ~shapely.is_valid(values[present])
    if not invalid.any():
        return geoms, invalid
    before_types = shapely.get_type_id(values[invalid])
    fixed = shapely.make_valid(values[invalid])
    fixed = np.array(
        [_keep_dimension(g, t) for g, t in zip(fixed, before_types, strict=True)], dtype=object
    )
    values[invalid] = fixed
    return GeoSeries(values, index=geoms.index, crs=geoms.crs), invalid


def _keep_dimension(geom: shapely.Geometry, type_id: int) -> shapely.Geometry:
    dim = {0: 0, 4: 0, 1: 1, 2: 1, 5: 1, 3: 2, 6: 2}.get(int(type_id))
    if dim is None or shapely.get_type_id(geom) != 7:
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_dimensions(p) == dim]
    if not parts:
        return shapely.from_wkt("GEOMETRYCOLLECTION EMPTY")
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def geometry_kind(geoms: GeoSeries | np.ndarray) -> np.ndarray:
    """Per geometry: ``"point"``, ``"line"``, ``"polygon"`` (multi-part ones too), ``"mixed"``
    (a geometry collection) or ``""`` (missing or empty).

    >>> from shapely import LineString, MultiPoint, Point, Polygon
    >>> geometry_kind(np.array([Point(0, 0), MultiPoint([(0, 0), (1, 1)]),
    ...     LineString([(0, 0), (1, 1)]), Polygon(), None], dtype=object)).tolist()
    ['point', 'point', 'line', '', '']
    """
    values = np.asarray(geoms.values if isinstance(geoms, GeoSeries) else geoms, dtype=object)
    type_ids = shapely.get_type_id(values)
    kinds = np.full(len(values), "", dtype=object)
    kinds[np.isin(type_ids, [0, 4])] = "point"
    kinds[np.isin(type_ids, [1, 5])] = "line"
    kinds[np.isin(type_ids, [3, 6])] = "polygon"
    kinds[type_ids == 7] = "mixed"
    kinds[shapely.is_missing(values) | shapely.is_empty(values)] = ""
    return kinds


def area_of_works(works: np.ndarray, irrigation_areas: gpd.GeoDataFrame) -> np.ndarray:
    """Per irrigation work (EPSG:4326): the position in ``irrigation_areas`` of the Daerah
    Irigasi it lies in, -1 when none.

    A point lies in the D.I. containing it; an area by a point inside it (its representative
    point). Where D.I. overlap, the smallest holding the work is its D.I.
    """
    areas = np.asarray(irrigation_areas.to_crs(4326).geometry.values, dtype=object)
    out = np.full(len(works), -1, dtype=np.int64)
    present = ~(shapely.is_missing(works) | shapely.is_empty(works))
    if not len(areas) or not present.any():
        return out
    where = np.full(len(works), None, dtype=object)
    where[present] = shapely.point_on_surface(works[present])
    valid = areas.copy()
    broken = ~shapely.is_valid(valid) & ~shapely.is_missing(valid)
    valid[broken] = shapely.make_valid(valid[broken])
    work, area = shapely.STRtree(valid).query(where[present], predicate="within")
    work = np.flatnonzero(present)[work]
    order = np.lexsort((shapely.area(valid[area]), work))  # per work, the smallest D.I. first
    work, area = work[order], area[order]
    first = np.unique(work, return_index=True)[1]
    out[work[first]] = area[first]
    return out


def resample_lines(lines: np.ndarray, *, step_m: float) -> np.ndarray:
    """Lines (metres) resampled at about ``step_m``, part by part: measurement without noise.

    Every part keeps its end points; a part shorter than the step becomes its chord. Pure numpy
    over all vertices at once (``line_interpolate_point`` would walk each line per sample).
    """
    out = np.full(len(lines), None, dtype=object)
    parts, owner = shapely.get_parts(lines, return_index=True)
    if not len(parts):
        return out
    coords, vertex_part = shapely.get_coordinates(parts, return_index=True)
    step = np.hypot(*np.diff(coords, axis=0).T)
    step[np.diff(vertex_part) != 0] = 0.0  # no distance across a part boundary
    along = np.concatenate([[0.0], np.cumsum(step)])
    first_vertex = np.searchsorted(vertex_part, np.arange(len(parts)))
    last_vertex = np.append(first_vertex[1:], len(coords)) - 1
    start_m, lengths = along[first_vertex], along[last_vertex] - along[first_vertex]
    # A strictly increasing measure over all parts: a gap of 1 m keeps parts apart.
    measure = along + vertex_part
    n = np.maximum(np.ceil(lengths / step_m).astype(np.int64), 1) + 1
    sample_part = np.repeat(np.arange(len(parts)), n)
    rank = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    target = (start_m + np.arange(len(parts)))[sample_part] + rank * np.repeat(lengths / (n - 1), n)
    i = np.searchsorted(measure, target, side="right") - 1
    i = np.clip(
        i,
        first_vertex[sample_part],
        np.maximum(last_vertex[sample_part] - 1, first_vertex[sample_part]),
    )
    j = np.minimum(i + 1, last_vertex[sample_part])
    span = measure[j] - measure[i]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(span > 0, (target - measure[i]) / span, 0.0)
    xy = coords[i] + np.clip(t, 0.0, 1.0)[:, None] * (coords[j] - coords[i])
    new_parts = shapely.linestrings(xy, indices=sample_part)
    shapely.multilinestrings(new_parts, indices=owner, out=out)
    return out


# --- irrigation areas --------------------------------------------------------------------------
