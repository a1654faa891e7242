"""Tests for geo.spatial.crs: UTM zone choice and lengths/areas against WGS 84 geodesic values."""

from __future__ import annotations

import math
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod
from shapely import LineString, MultiLineString, MultiPolygon, Point, Polygon

from geo.errors import CRSError
from geo.spatial.crs import (
    NO_UTM_ZONE,
    area_ha,
    area_m2,
    describe_epsg,
    length_m,
    to_utm_groups,
    utm_epsg,
    utm_epsg_array,
    utm_epsg_for_geometries,
)

GEOD = Geod(ellps="WGS84")

#: DESIGN section 5: lengths and areas within 0.5% of the geodesic values anywhere in Indonesia.
MAX_RELATIVE_ERROR = 0.005

#: (name, lon_deg, lat_deg, expected EPSG) from Aceh in the north-west to Papua in the east.
PLACES = [
    ("banda_aceh", 95.32, 5.55, 32646),
    ("medan", 98.67, 3.59, 32647),
    ("jambi", 103.6, -1.6, 32748),
    ("west_java_zone_edge", 107.99, -6.9, 32748),
    ("pontianak", 109.33, -0.03, 32749),
    ("balikpapan", 116.83, -1.27, 32750),
    ("makassar", 119.42, -5.14, 32750),
    ("manado", 124.8, 1.5, 32651),
    ("kupang", 123.6, -10.2, 32751),
    ("ambon", 128.18, -3.69, 32752),
    ("jayapura", 140.7, -2.5, 32754),
    ("merauke", 140.4, -8.5, 32754),
]


def _offset(
    lon_deg: float, lat_deg: float, azimuth_deg: float, distance_m: float
) -> tuple[float, float]:
    """Return the point ``distance_m`` metres from (lon, lat) along a geodesic, in degrees."""
    lon_end, lat_end, _ = GEOD.fwd(lon_deg, lat_deg, azimuth_deg, distance_m)
    return (lon_end, lat_end)


def _road_10km(lon_deg: float, lat_deg: float) -> LineString:
    """A bent 10 km road (two 5 km geodesic legs) through (lon, lat), in EPSG:4326 degrees."""
    return LineString(
        [_offset(lon_deg, lat_deg, 250.0, 5000.0), (lon_deg, lat_deg)]
        + [_offset(lon_deg, lat_deg, 40.0, 5000.0)]
    )


def _square(lon_deg: float, lat_deg: float, side_m: float) -> Polygon:
    """A square of ``side_m`` metres centred on (lon, lat), in EPSG:4326 degrees."""
    half_diagonal_m = side_m / math.sqrt(2.0)
    return Polygon([_offset(lon_deg, lat_deg, az, half_diagonal_m) for az in (45, 135, 225, 315)])


def _geod_length_m(geom: shapely.Geometry) -> float:
    return GEOD.geometry_length(geom)


def _geod_area_m2(geom: shapely.Geometry) -> float:
    # Geod signs each ring by its orientation: holes count as holes only when oriented
    # opposite to their shell, so orient shells counter-clockwise (positive) first.
    area_m2_signed, _ = GEOD.geometry_area_perimeter(shapely.orient_polygons(geom))
    return area_m2_signed


def _relative_error(measured: np.ndarray, expected: np.ndarray) -> np.ndarray:
    return np.abs(np.asarray(measured) - np.asarray(expected)) / np.asarray(expected)


# --- zone choice -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lon_deg", "lat_deg", "expected_epsg"),
    [(lon, lat, epsg) for _, lon, lat, epsg in PLACES]
    + [
        (108.0, -6.9, 32749),  # a zone's west edge belongs to that zone
        (110.0, 0.0, 32649),  # the equator counts as north
        (180.0, -10.0, 32760),  # there is no zone 61
        (-180.0, 10.0, 32601),
    ],
)
def test_utm_epsg_known_points(lon_deg: float, lat_deg: float, expected_epsg: int) -> None:
    assert utm_epsg(lon_deg, lat_deg) == expected_epsg


def test_utm_epsg_array_codes_and_missing_positions() -> None:
    lon_deg = np.array([95.3, 103.6, 124.8, 140.7, np.nan, 110.0])
    lat_deg = np.array([5.5, -1.6, 1.5, -2.5, -1.0, np.nan])

    epsg = utm_epsg_array(lon_deg, lat_deg)

    assert epsg.dtype == np.int64
    assert epsg.tolist() == [32646, 32748, 32651, 32754, NO_UTM_ZONE, NO_UTM_ZONE]


@pytest.mark.parametrize(
    ("lon_deg", "lat_deg"), [(500_000.0, 9_800_000.0), (-1.6, 103.6), (np.inf, 0.0)]
)
def test_utm_epsg_refuses_values_that_are_not_degrees(lon_deg: float, lat_deg: float) -> None:
    with pytest.raises(ValueError, match="not longitude/latitude degrees"):
        utm_epsg_array(np.array([lon_deg]), np.array([lat_deg]))


def test_utm_epsg_scalar_refuses_nan() -> None:
    with pytest.raises(ValueError, match="not a position"):
        utm_epsg(float("nan"), -1.6)


def test_utm_epsg_for_geometries_uses_bounds_centre() -> None:
    # Crosses 108E (zone 48 | zone 49) but its bounds centre is at 107.99E: zone 48.
    across_edge = LineString([(107.94, -6.9), (108.04, -6.9)])
    geoms = gpd.GeoSeries(
        [across_edge, Point(124.8, 1.5), None, LineString()], crs=4326, index=[7, 3, 9, 1]
    )

    assert utm_epsg_for_geometries(geoms).tolist() == [32748, 32651, NO_UTM_ZONE, NO_UTM_ZONE]


@pytest.mark.parametrize(
    ("epsg", "expected"),
    [
        (32748, "WGS 84 / UTM zone 48S (EPSG:32748)"),
        (32651, "WGS 84 / UTM zone 51N (EPSG:32651)"),
    ],
)
def test_describe_epsg(epsg: int, expected: str) -> None:
    assert describe_epsg(epsg) == expected


# --- accuracy against geodesic values ----------------------------------------------------------


@pytest.mark.parametrize(
    ("lon_deg", "lat_deg"), [p[1:3] for p in PLACES], ids=[p[0] for p in PLACES]
)
def test_length_m_within_half_percent_of_geodesic(lon_deg: float, lat_deg: float) -> None:
    road = _road_10km(lon_deg, lat_deg)
    expected_m = _geod_length_m(road)
    assert expected_m == pytest.approx(10_000.0, abs=1e-3)  # the fixture is what it says

    measured_m = length_m(gpd.GeoSeries([road], crs=4326))

    assert _relative_error(measured_m, [expected_m])[0] < MAX_RELATIVE_ERROR


@pytest.mark.parametrize(
    ("lon_deg", "lat_deg"), [p[1:3] for p in PLACES], ids=[p[0] for p in PLACES]
)
def test_area_within_half_percent_of_geodesic(lon_deg: float, lat_deg: float) -> None:
    field = _square(lon_deg, lat_deg, 1000.0)
    expected_m2 = _geod_area_m2(field)
    assert expected_m2 == pytest.approx(1_000_000.0, rel=1e-3)  # about 100 ha

    fields = gpd.GeoSeries([field], crs=4326)

    assert _relative_error(area_m2(fields), [expected_m2])[0] < MAX_RELATIVE_ERROR
    assert _relative_error(area_ha(fields), [expected_m2 / 10_000.0])[0] < MAX_RELATIVE_ERROR


def test_accuracy_at_every_zone_edge_across_indonesia() -> None:
    # The worst case for UTM is farthest from a central meridian: just inside each zone edge
    # that crosses Indonesia, at its northern and southern limits and on the equator.
    edges_deg = [96.0, 102.0, 108.0, 114.0, 120.0, 126.0, 132.0, 138.0]
    centres = [
        (edge + side * 0.06, lat)
        for edge in edges_deg
        for side in (-1, 1)
        for lat in (-11.5, 0.0, 6.5)
    ]
    roads = gpd.GeoSeries([_road_10km(lon, lat) for lon, lat in centres], crs=4326)
    fields = gpd.GeoSeries([_square(lon, lat, 1000.0) for lon, lat in centres], crs=4326)

    length_error = _relative_error(length_m(roads), [_geod_length_m(g) for g in roads])
    area_error = _relative_error(area_m2(fields), [_geod_area_m2(g) for g in fields])

    assert len(np.unique(utm_epsg_for_geometries(roads))) == 18  # zones 46-54, north and south
    assert length_error.max() < MAX_RELATIVE_ERROR
    assert area_error.max() < MAX_RELATIVE_ERROR


@pytest.mark.parametrize(
    ("geom", "geod_area_m2"),
    [
        (
            Polygon(
                _square(103.6, -1.6, 1000.0).exterior.coords,
                [_square(103.6, -1.6, 300.0).exterior.coords],
            ),
            1_000_000.0 - 90_000.0,
        ),
        (
            MultiPolygon([_square(103.6, -1.6, 1000.0), _square(103.7, -1.6, 500.0)]),
            1_000_000.0 + 250_000.0,
        ),
    ],
    ids=["polygon_with_hole", "multipolygon"],
)
def test_area_of_holes_and_parts_matches_geodesic(
    geom: Polygon | MultiPolygon, geod_area_m2: float
) -> None:
    assert _geod_area_m2(geom) == pytest.approx(geod_area_m2, rel=1e-6)  # hole out, parts in

    measured_m2 = area_m2(gpd.GeoSeries([geom], crs=4326))

    assert _relative_error(measured_m2, [geod_area_m2])[0] < MAX_RELATIVE_ERROR


def test_multilinestring_length_matches_geodesic() -> None:
    roads = MultiLineString([_road_10km(103.6, -1.6), _road_10km(103.8, -1.7)])

    measured_m = length_m(gpd.GeoSeries([roads], crs=4326))

    assert _relative_error(measured_m, [_geod_length_m(roads)])[0] < MAX_RELATIVE_ERROR


def test_data_spanning_zones_is_measured_per_zone() -> None:
    places = [(95.32, 5.55), (103.6, -1.6), (140.7, -2.5)]  # Aceh, Jambi, Jayapura
    roads = gpd.GeoSeries([_road_10km(lon, lat) for lon, lat in places], crs=4326)
    expected_m = np.array([_geod_length_m(g) for g in roads])

    measured_m = length_m(roads)

    assert utm_epsg_for_geometries(roads).tolist() == [32646, 32748, 32754]
    assert (_relative_error(measured_m, expected_m) < MAX_RELATIVE_ERROR).all()
    # The test discriminates: measured all in Jambi's zone, Aceh and Jayapura are off by > 0.5%.
    one_zone_m = roads.to_crs(32748).length.to_numpy()
    assert _relative_error(one_zone_m, expected_m).tolist()[0] > MAX_RELATIVE_ERROR
    assert _relative_error(one_zone_m, expected_m).tolist()[2] > MAX_RELATIVE_ERROR


# --- CRS handling ------------------------------------------------------------------------------


def test_projected_input_is_measured_in_metres() -> None:
    # Drawn in UTM zone 48S near its central meridian: the answers are exact numbers.
    road = LineString([(500_000.0, 9_800_000.0), (503_000.0, 9_804_000.0)])  # 5,000 m
    field = shapely.box(500_000.0, 9_800_000.0, 501_000.0, 9_801_000.0)  # 1,000,000 m2
    geoms = gpd.GeoSeries([road, field], crs=32748)

    assert utm_epsg_for_geometries(geoms).tolist() == [32748, 32748]
    assert length_m(geoms)[0] == pytest.approx(5_000.0, abs=1e-4)
    assert area_m2(geoms)[1] == pytest.approx(1_000_000.0, abs=1e-2)
    assert area_ha(geoms)[1] == pytest.approx(100.0, abs=1e-6)


def test_geographic_input_in_another_datum_is_reprojected() -> None:
    # DGN95 (EPSG:4755) degrees are within metres of WGS 84 ones: measured the same to 0.5%.
    road = _road_10km(119.42, -5.14)

    measured_m = length_m(gpd.GeoSeries([road], crs=4755))

    assert _relative_error(measured_m, [_geod_length_m(road)])[0] < MAX_RELATIVE_ERROR


@pytest.mark.parametrize(
    "function",
    [length_m, area_m2, area_ha, utm_epsg_for_geometries],
    ids=lambda f: f.__name__,
)
def test_missing_crs_is_refused(function: Callable[[gpd.GeoSeries], np.ndarray]) -> None:
    geoms = gpd.GeoSeries([LineString([(103.6, -1.6), (103.7, -1.6)])])

    with pytest.raises(CRSError, match=r"no CRS.*set_crs\(\)"):
        function(geoms)


def test_missing_crs_is_refused_by_to_utm_groups() -> None:
    projects = gpd.GeoDataFrame(geometry=[Point(103.6, -1.6)])

    with pytest.raises(ValueError, match=r"set_crs\(\)"):
        to_utm_groups(projects)


def test_metres_labelled_as_degrees_are_refused() -> None:
    geoms = gpd.GeoSeries(
        [LineString([(500_000.0, 9_800_000.0), (505_000.0, 9_800_000.0)])], crs=4326
    )

    with pytest.raises(CRSError, match="not longitude/latitude degrees.*set_crs"):
        length_m(geoms)


def test_null_is_nan_and_empty_is_zero() -> None:
    road = _road_10km(103.6, -1.6)
    geoms = gpd.GeoSeries([None, LineString(), Polygon(), Point(103.6, -1.6), road], crs=4326)

    lengths_m = length_m(geoms)
    areas_m2 = area_m2(geoms)

    assert np.isnan(lengths_m[0]) and np.isnan(areas_m2[0])
    assert lengths_m[1:4].tolist() == [0.0, 0.0, 0.0]
    assert areas_m2[1:].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert lengths_m[4] == pytest.approx(_geod_length_m(road), rel=MAX_RELATIVE_ERROR)


def test_empty_series_gives_empty_arrays() -> None:
    geoms = gpd.GeoSeries([], crs=4326)

    assert length_m(geoms).shape == (0,)
    assert area_ha(geoms).shape == (0,)
    assert to_utm_groups(gpd.GeoDataFrame(geometry=geoms)) == []


# --- to_utm_groups -----------------------------------------------------------------------------


def test_to_utm_groups_splits_by_zone_and_keeps_index() -> None:
    projects = gpd.GeoDataFrame(
        {"budget_rp": [1, 2, 3, 4]},
        geometry=[
            _road_10km(103.6, -1.6),
            _road_10km(95.32, 5.55),
            None,
            _road_10km(104.0, -2.0),
        ],
        index=pd.Index(["jambi_a", "aceh", "no_geometry", "jambi_b"], name="project_id"),
        crs=4326,
    )

    groups = to_utm_groups(projects)

    assert [epsg for epsg, _ in groups] == [32646, 32748]
    aceh, jambi = groups[0][1], groups[1][1]
    assert aceh.crs.to_epsg() == 32646 and jambi.crs.to_epsg() == 32748
    assert aceh.index.tolist() == ["aceh"]
    # The geometry-less row joins the largest group rather than being dropped.
    assert jambi.index.tolist() == ["jambi_a", "no_geometry", "jambi_b"]
    assert jambi.index.name == "project_id"
    assert jambi["budget_rp"].tolist() == [1, 3, 4]
    # Lengths in the group's CRS are the ones length_m reports.
    expected_m = length_m(projects)
    assert aceh.length.to_numpy() == pytest.approx(expected_m[[1]], rel=1e-12)
    assert jambi.length.to_numpy()[[0, 2]] == pytest.approx(expected_m[[0, 3]], rel=1e-12)


def test_to_utm_groups_without_any_geometry_uses_indonesia_centre_zone() -> None:
    projects = gpd.GeoDataFrame(geometry=[None, LineString()], index=[5, 6], crs=4326)

    groups = to_utm_groups(projects)

    assert [(epsg, rows.index.tolist()) for epsg, rows in groups] == [(32750, [5, 6])]


def test_to_utm_groups_reprojects_projected_input() -> None:
    projects = gpd.GeoDataFrame(
        geometry=[LineString([(500_000.0, 9_800_000.0), (503_000.0, 9_804_000.0)])], crs=32748
    )

    ((epsg, rows),) = to_utm_groups(projects)

    assert epsg == 32748
    assert rows.length.iloc[0] == pytest.approx(5_000.0, abs=1e-4)
