"""The metric CRS used for every length, area and distance: WGS 84 / UTM, one zone per feature.

Indonesia spans nine UTM zones (46 to 54, both hemispheres), so no single metric CRS is accurate
everywhere: measured in a neighbouring zone a feature's length is off by 0.5% to over 1%. Each
feature is therefore measured in the zone of its own bounds centre (DESIGN section 5, "per zone
where data spans several"). Within its own zone a feature is at most 3 degrees (about 334 km at
the equator) from the central meridian, where the UTM scale factor is at most about 1.001:
lengths are then within about 0.1% and areas within 0.2% of the geodesic values, inside the
0.5% the design asks for. Features wider than about 6 degrees of longitude can exceed that.

Zones are the plain 6-degree WGS 84 UTM zones (EPSG 326zz north of the equator, 327zz south,
latitude 0 counted as north); the Norway and Svalbard exceptions do not apply to Indonesia and
are not implemented.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from geo._parallel import WORKERS, map_in_threads
from geo.errors import CRSError
from geo.settings import INDONESIA_BOUNDS_DEG

__all__ = [
    "MAX_M_PER_DEG",
    "MIN_M_PER_DEG",
    "NO_UTM_ZONE",
    "reproject_in_threads",
    "to_degrees",
    "to_metric",
    "transform_geometries",
    "transformer",
    "area_ha",
    "area_m2",
    "describe_epsg",
    "length_m",
    "to_utm_groups",
    "utm_epsg",
    "utm_epsg_array",
    "utm_epsg_for_geometries",
]

#: Zone code returned for a geometry that has no position (null or empty): not an EPSG code.
NO_UTM_ZONE = 0

#: One degree is at least this long anywhere in Indonesia (longitude at 11.5 deg S), in metres:
#: a distance turned into degrees with it is never too short for a candidate search.
MIN_M_PER_DEG = 109_000.0
#: One degree is at most this long (longitude at the equator), in metres: a length in metres
#: turned into degrees with it is never too long (a simplification never too coarse).
MAX_M_PER_DEG = 111_320.0

_WGS84_EPSG = 4326
_UTM_NORTH_BASE = 32600
_UTM_SOUTH_BASE = 32700
_ZONE_WIDTH_DEG = 6.0
_M2_PER_HA = 10_000.0


def utm_epsg(lon_deg: float, lat_deg: float) -> int:
    """Return the WGS 84 / UTM EPSG code of the zone holding one point.

    Parameters
    ----------
    lon_deg, lat_deg
        Longitude and latitude in degrees (EPSG:4326), lon in [-180, 180], lat in [-90, 90].

    Returns
    -------
    int
        326zz north of the equator (and on it), 327zz south of it, zz the zone 1-60.

    Raises
    ------
    ValueError
        If a coordinate is not finite or outside the ranges above (probably not degrees).

    Examples
    --------
    >>> utm_epsg(103.6, -1.6)  # Jambi
    32748
    >>> utm_epsg(95.3, 5.5)  # Banda Aceh
    32646
    """
    epsg = utm_epsg_array(np.array([lon_deg], dtype=float), np.array([lat_deg], dtype=float))[0]
    if epsg == NO_UTM_ZONE:
        raise ValueError(f"utm_epsg: lon {lon_deg!r}, lat {lat_deg!r} is not a position")
    return int(epsg)


def utm_epsg_array(lon_deg: np.ndarray, lat_deg: np.ndarray) -> np.ndarray:
    """Return the WGS 84 / UTM EPSG code of the zone holding each point.

    Parameters
    ----------
    lon_deg, lat_deg
        Longitudes and latitudes in degrees (EPSG:4326), broadcastable arrays; lon in
        [-180, 180], lat in [-90, 90]. NaN marks a point with no position.

    Returns
    -------
    numpy.ndarray of int64
        326zz north of the equator (and on it), 327zz south of it; ``NO_UTM_ZONE`` (0) where lon
        or lat is NaN.

    Raises
    ------
    ValueError
        If any coordinate other than NaN is outside the ranges above (infinity included): such
        values are not degrees (metres labelled as EPSG:4326, or swapped axes).

    Examples
    --------
    >>> utm_epsg_array(np.array([103.6, 124.8]), np.array([-1.6, 1.5])).tolist()
    [32748, 32651]
    """
    lon = np.asarray(lon_deg, dtype=float)
    lat = np.asarray(lat_deg, dtype=float)
    lon, lat = np.broadcast_arrays(lon, lat)
    known = ~(np.isnan(lon) | np.isnan(lat))
    # Infinity is what a transform returns for metres read as degrees: an error, not a gap.
    out_of_range = known & ((np.abs(lon) > 180.0) | (np.abs(lat) > 90.0))
    if out_of_range.any():
        first = int(np.flatnonzero(out_of_range.ravel())[0])
        raise ValueError(
            f"utm_epsg_array: {int(out_of_range.sum())} point(s) are not longitude/latitude "
            f"degrees (lon must be within -180..180, lat within -90..90), the first is "
            f"lon {lon.ravel()[first]!r}, lat {lat.ravel()[first]!r}; the coordinates are "
            f"probably in metres or in lat/lon order: check the CRS"
        )
    # lon 180 belongs to zone 60, not to a zone 61 that does not exist.
    zone = np.clip(np.floor((lon + 180.0) / _ZONE_WIDTH_DEG), 0, 59) + 1
    base = np.where(lat >= 0.0, _UTM_NORTH_BASE, _UTM_SOUTH_BASE)
    return np.where(known, base + np.nan_to_num(zone), NO_UTM_ZONE).astype(np.int64)


def utm_epsg_for_geometries(geoms: gpd.GeoSeries | gpd.GeoDataFrame) -> np.ndarray:
    """Return the WGS 84 / UTM EPSG code in which to measure each geometry.

    The zone is the one holding the centre of the geometry's bounds in EPSG:4326, which keeps
    every part of a feature up to 3 degrees wide within its zone (where UTM is accurate).

    Parameters
    ----------
    geoms
        Geometries in any CRS, which must be set (usually EPSG:4326; others are reprojected to
        EPSG:4326 first).

    Returns
    -------
    numpy.ndarray of int64
        One EPSG code per geometry, in row order; ``NO_UTM_ZONE`` (0) for null or empty
        geometries, which have no position.

    Raises
    ------
    geo.errors.CRSError
        If the CRS is not set, or the coordinates are not degrees once in EPSG:4326.
    """
    geoms_deg = _to_wgs84(geoms, caller="utm_epsg_for_geometries")
    return _zones_of(geoms_deg, caller="utm_epsg_for_geometries")


def length_m(geoms: gpd.GeoSeries | gpd.GeoDataFrame) -> np.ndarray:
    """Return the length of each geometry in metres, measured in the geometry's own UTM zone.

    Parameters
    ----------
    geoms
        Geometries in any CRS, which must be set; reprojected to EPSG:4326, then each to the
        UTM zone of its bounds centre (see `utm_epsg_for_geometries`).

    Returns
    -------
    numpy.ndarray of float64
        Length in metres, in row order, within 0.5% of the WGS 84 geodesic length anywhere in
        Indonesia. Polygons give their perimeter (rings included), points 0.0, empty geometries
        0.0 and null geometries (None) NaN: a missing geometry has no length, which is not the
        same as a length of zero.

    Raises
    ------
    geo.errors.CRSError
        If the CRS is not set (use ``set_crs()``), or the coordinates are not degrees once in
        EPSG:4326.

    Examples
    --------
    >>> from shapely import LineString
    >>> road = gpd.GeoSeries([LineString([(103.60, -1.60), (103.69, -1.60)])], crs=4326)
    >>> round(float(length_m(road)[0]))
    10014
    """
    return _measure_per_zone(geoms, shapely.length, caller="length_m")


def area_m2(geoms: gpd.GeoSeries | gpd.GeoDataFrame) -> np.ndarray:
    """Return the area of each geometry in square metres, measured in its own UTM zone.

    Parameters
    ----------
    geoms
        Geometries in any CRS, which must be set; reprojected to EPSG:4326, then each to the
        UTM zone of its bounds centre (see `utm_epsg_for_geometries`).

    Returns
    -------
    numpy.ndarray of float64
        Area in square metres (holes excluded), in row order, within 0.5% of the WGS 84
        geodesic area anywhere in Indonesia. Points and lines give 0.0, empty geometries 0.0,
        null geometries (None) NaN.

    Raises
    ------
    geo.errors.CRSError
        If the CRS is not set (use ``set_crs()``), or the coordinates are not degrees once in
        EPSG:4326.
    """
    return _measure_per_zone(geoms, shapely.area, caller="area_m2")


def area_ha(geoms: gpd.GeoSeries | gpd.GeoDataFrame) -> np.ndarray:
    """Return the area of each geometry in hectares (10,000 m2), measured in its own UTM zone.

    Parameters
    ----------
    geoms
        Geometries in any CRS, which must be set; see `area_m2`.

    Returns
    -------
    numpy.ndarray of float64
        Area in hectares, in row order: `area_m2` divided by 10,000 (0.0 for empty, NaN for
        null geometries).

    Raises
    ------
    geo.errors.CRSError
        If the CRS is not set (use ``set_crs()``), or the coordinates are not degrees once in
        EPSG:4326.
    """
    return _measure_per_zone(geoms, shapely.area, caller="area_ha") / _M2_PER_HA


def to_utm_groups(gdf: gpd.GeoDataFrame) -> list[tuple[int, gpd.GeoDataFrame]]:
    """Split a GeoDataFrame into one group per UTM zone, each reprojected to its zone.

    Every row appears in exactly one group, with its original index label, so results computed
    per group can be joined back to ``gdf``. Rows whose geometry is null or empty have nothing
    to measure in any CRS; they go to the largest group rather than being dropped.

    Parameters
    ----------
    gdf
        Features in any CRS, which must be set (usually EPSG:4326; others are reprojected to
        EPSG:4326 before the zone is chosen).

    Returns
    -------
    list of (int, geopandas.GeoDataFrame)
        ``(epsg, rows)`` pairs sorted by EPSG code, ``rows`` in the WGS 84 / UTM CRS ``epsg``
        (coordinates in metres), in their original order. Empty list for an empty ``gdf``.

    Raises
    ------
    geo.errors.CRSError
        If the CRS is not set (use ``set_crs()``), or the coordinates are not degrees once in
        EPSG:4326.
    """
    gdf_deg = _to_wgs84(gdf, caller="to_utm_groups")
    if len(gdf_deg) == 0:
        return []
    zones = _zones_of(gdf_deg, caller="to_utm_groups")
    located = zones != NO_UTM_ZONE
    if not located.any():
        # Nothing has a position: any zone is right; take the one at Indonesia's centre.
        lon_min, lat_min, lon_max, lat_max = INDONESIA_BOUNDS_DEG
        zones[:] = utm_epsg((lon_min + lon_max) / 2, (lat_min + lat_max) / 2)
    elif not located.all():
        codes, counts = np.unique(zones[located], return_counts=True)
        zones[~located] = codes[np.argmax(counts)]  # argmax: ties go to the lowest code
    groups: list[tuple[int, gpd.GeoDataFrame]] = []
    for epsg in np.unique(zones):
        rows = gdf_deg.iloc[np.flatnonzero(zones == epsg)].to_crs(int(epsg))
        groups.append((int(epsg), rows))
    return groups


_LOCAL = threading.local()  # pyproj transformers per thread: one object is not shared


def transformer(source: int, target: int) -> pyproj.Transformer:
    """A cached ``always_xy`` transformer from EPSG ``source`` to ``target``, per thread.

    Array functions in shapely and pyproj run without the GIL, so callers measure in threads;
    a pyproj Transformer must not be shared between them.
    """
    cache = _LOCAL.__dict__.setdefault("transformers", {})
    if (source, target) not in cache:
        cache[(source, target)] = pyproj.Transformer.from_crs(source, target, always_xy=True)
    return cache[(source, target)]


def transform_geometries(geoms: np.ndarray, source: int, target: int) -> np.ndarray:
    """Shapely geometries from EPSG ``source`` to ``target`` (e.g. 4326 to a UTM zone)."""
    forward = transformer(source, target)

    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(forward.transform(xy[:, 0], xy[:, 1]))

    return shapely.transform(geoms, project)


def to_metric(geoms: np.ndarray, epsg: int) -> np.ndarray:
    """Geometries from EPSG:4326 into the metric CRS ``epsg`` (a UTM zone), in metres.

    >>> from shapely import Point
    >>> [round(v) for v in to_metric(np.array([Point(105.0, 0.0)]), 32748)[0].coords[0]]
    [500000, 10000000]
    """
    return transform_geometries(geoms, _WGS84_EPSG, epsg)


def to_degrees(geoms: np.ndarray, epsg: int) -> np.ndarray:
    """Geometries from the metric CRS ``epsg`` (a UTM zone) back into EPSG:4326."""
    return transform_geometries(geoms, epsg, _WGS84_EPSG)


def reproject_in_threads(geoms: np.ndarray, source: pyproj.CRS, target: int) -> np.ndarray:
    """Shapely geometries from any CRS ``source`` to EPSG ``target``, on every core.

    What ``GeoSeries.to_crs`` does, split across threads (each with its own transformer).
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) < 10_000:
        chunks = [np.arange(len(geoms))]
    else:
        chunks = np.array_split(np.arange(len(geoms)), 4 * WORKERS)

    def reproject(rows: np.ndarray) -> np.ndarray:
        forward = pyproj.Transformer.from_crs(source, target, always_xy=True)
        return shapely.transform(
            geoms[rows], lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1]))
        )

    out = np.empty(len(geoms), dtype=object)
    for rows, done in zip(chunks, map_in_threads(reproject, chunks), strict=True):
        out[rows] = done
    return out


def describe_epsg(epsg: int) -> str:
    """Return a CRS's name and code for a report line.

    Parameters
    ----------
    epsg
        An EPSG code, e.g. from `utm_epsg`.

    Returns
    -------
    str
        The EPSG name followed by the code, e.g. ``"WGS 84 / UTM zone 48S (EPSG:32748)"``.

    Raises
    ------
    pyproj.exceptions.CRSError
        If ``epsg`` is not a known EPSG code.

    Examples
    --------
    >>> describe_epsg(32748)
    'WGS 84 / UTM zone 48S (EPSG:32748)'
    """
    return f"{pyproj.CRS.from_epsg(epsg).name} (EPSG:{epsg})"


def _to_wgs84(
    geoms: gpd.GeoSeries | gpd.GeoDataFrame, *, caller: str
) -> gpd.GeoSeries | gpd.GeoDataFrame:
    """Return ``geoms`` in EPSG:4326 (degrees), refusing data without a CRS."""
    if geoms.crs is None:
        raise CRSError(
            f"{caller}: the geometries have no CRS (crs is None), so their units are unknown; "
            f"declare the CRS the coordinates are in with set_crs(), e.g. .set_crs(4326) for "
            f"longitude/latitude degrees or .set_crs(32748) for UTM zone 48S metres "
            f"(to_crs() can only reproject once a CRS is set)"
        )
    if geoms.crs.equals(_WGS84_EPSG):
        return geoms
    return geoms.to_crs(_WGS84_EPSG)


def _zones_of(geoms_deg: gpd.GeoSeries | gpd.GeoDataFrame, *, caller: str) -> np.ndarray:
    """Return the UTM EPSG code of each bounds centre; ``geoms_deg`` in EPSG:4326."""
    bounds_deg = shapely.bounds(np.asarray(geoms_deg.geometry.array))  # NaN for null/empty
    lon_deg = (bounds_deg[:, 0] + bounds_deg[:, 2]) / 2
    lat_deg = (bounds_deg[:, 1] + bounds_deg[:, 3]) / 2
    try:
        return utm_epsg_array(lon_deg, lat_deg)
    except ValueError as err:
        raise CRSError(
            f"{caller}: once in EPSG:4326 the geometries are not longitude/latitude degrees "
            f"({err}); declare the CRS the coordinates are really in with "
            f"set_crs(..., allow_override=True)"
        ) from err


def _measure_per_zone(
    geoms: gpd.GeoSeries | gpd.GeoDataFrame,
    measure: Callable[[np.ndarray], np.ndarray],
    *,
    caller: str,
) -> np.ndarray:
    """Apply a shapely measure (length, area) to each geometry in its own UTM zone.

    Returns metres (or m2) in row order; 0.0 for empty geometries, NaN for null ones.
    """
    geoms_deg = _to_wgs84(geoms, caller=caller).geometry
    zones = _zones_of(geoms_deg, caller=caller)
    measured = np.full(len(geoms_deg), np.nan)
    measured[shapely.is_empty(np.asarray(geoms_deg.array))] = 0.0
    for epsg in np.unique(zones[zones != NO_UTM_ZONE]):
        in_zone = np.flatnonzero(zones == epsg)
        projected = geoms_deg.iloc[in_zone].to_crs(int(epsg))
        measured[in_zone] = measure(np.asarray(projected.array))
    return measured
