"""A small region for the synchronisation matrix: two ruas (one crossing from Kab. Hulu into
Kab. Hilir), works of the three levels, a conflict, a stretch where two levels work in
different years (no conflict), and a Daerah Irigasi with works of two levels."""

from __future__ import annotations

import geopandas as gpd
from shapely import LineString, box

from geo.analyse.run import Analysis, analyse
from geo.spatial.network import RoadNetwork
from tests.geometries import UTM, X0, Y0, projects_from_rows, square

DEFAULTS = {
    "name": "Pekerjaan jalan",
    "asset_type": "road",
    "work_type": "peningkatan",
    "year_start": 2025,
    "year_end": 2025,
    "budget_idr": 1e9,
    "funding_source": "APBN",
    "status": "usulan",
    "upload_id": 1,
}
AGENCY = {"pusat": "BPJN Jambi", "provinsi": "Dinas PUPR Prov", "kabupaten": "Dinas PUPR Kab"}


def _on(y: float, x_from: float, x_to: float) -> LineString:
    return LineString([(X0 + x_from, Y0 + y), (X0 + x_to, Y0 + y)])


def _work(pid, level, ruas_y, lo, hi):
    return {"id": pid, "level": level, "agency": AGENCY[level], "geometry": _on(ruas_y, lo, hi)}


def small_region() -> tuple[Analysis, RoadNetwork, gpd.GeoDataFrame]:
    """The analysis of the region's works, its road network and its Daerah Irigasi."""
    roads = gpd.GeoDataFrame(
        {
            "road_id": ["015", "P-02"],
            "name": ["Simpang Hulu - Batas Hilir", "Sungai Dua - Lubuk"],
            "status": ["kabupaten", "provinsi"],
        },
        geometry=[_on(0, 0, 10_000), _on(5_000, 500, 6_500)],
        crs=UTM,
    ).to_crs(4326)
    units = gpd.GeoDataFrame(
        {"unit_id": ["15.01", "15.02"], "unit_name": ["Kab. Hulu", "Kab. Hilir"]},
        geometry=[
            box(X0 - 5_000, Y0 - 5_000, X0 + 4_500, Y0 + 12_000),
            box(X0 + 4_500, Y0 - 5_000, X0 + 15_000, Y0 + 12_000),
        ],
        crs=UTM,
    ).to_crs(4326)
    areas = gpd.GeoDataFrame(
        {"di_id": ["DI-7"], "name": ["D.I. Batang Hulu"], "authority": ["kabupaten"]},
        geometry=[square(X0 + 1_000, Y0 + 9_000, 400)],
        crs=UTM,
    ).to_crs(4326)
    rows = [
        {**_work("P-1", "pusat", 0, 0, 6_000), "budget_idr": 5e9, "status": "kontrak"},
        {
            **_work("K-1", "kabupaten", 0, 4_000, 8_000),
            "work_type": "rehabilitasi",
            "budget_idr": 2e9,
            "funding_source": "DAK",
        },
        {
            **_work("V-1", "provinsi", 0, 8_000, 10_000),
            "work_type": "pemeliharaan",
            "year_start": 2024,
            "year_end": 2024,
        },
        {**_work("V-2", "provinsi", 5_000, 500, 3_500), "year_end": 2026, "status": "berjalan"},
        {**_work("K-2", "kabupaten", 5_000, 1_500, 3_500), "year_start": 2027, "year_end": 2027},
    ]
    for pid, level in (("I-P", "pusat"), ("I-K", "kabupaten")):
        rows.append(
            {
                "id": pid,
                "level": level,
                "agency": AGENCY[level],
                "asset_type": "irrigation",
                "work_type": "rehabilitasi",
                "geometry": square(X0 + 1_000, Y0 + 9_000, 100),
            }
        )
    projects = projects_from_rows(rows, DEFAULTS)
    analysis = analyse(projects, units=units, roads=roads, irrigation_areas=areas, coverage=False)
    return analysis, RoadNetwork(roads), areas
