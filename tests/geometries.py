"""Named test geometries, built in WGS 84 / UTM zone 48S (EPSG:32748) near Kota Jambi.

Built in metres so that the answers tests expect are exact numbers; projects go to the
analyses in EPSG:4326, as the store holds them. Import what a test needs instead of copying
helpers between test files (as shapely's ``tests/common.py`` does).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import LineString, Polygon

#: WGS 84 / UTM zone 48S: Jambi, where the test geometries lie.
UTM = 32748
#: An origin near Kota Jambi (easting, northing in metres).
X0, Y0 = 400_000.0, 9_820_000.0


def projects_from_rows(
    rows: list[dict], defaults: Mapping[str, object], *, crs: int = UTM
) -> gpd.GeoDataFrame:
    """Canonical project records in EPSG:4326 from dicts with ``id`` and a geometry in ``crs``
    (metres); every other field from ``defaults`` unless the row gives it."""
    records = [{**defaults, **{k: v for k, v in r.items() if k != "geometry"}} for r in rows]
    frame = pd.DataFrame(records).rename(columns={"id": "project_id"})
    geoms = gpd.GeoSeries([r["geometry"] for r in rows], crs=crs)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=crs).to_crs(4326)


def redigitised(
    line: LineString, *, spacing_m: float, noise_m: float, seed: int, reverse: bool = False
) -> LineString:
    """``line`` as another agency digitises it: other vertex spacing, GPS-like noise (metres),
    optionally drawn the other way."""
    rng = np.random.default_rng(seed)
    steps = np.append(np.arange(0.0, line.length, spacing_m), line.length)
    xy = shapely.get_coordinates(shapely.line_interpolate_point(line, steps))
    xy = xy + rng.normal(0.0, noise_m, xy.shape)
    return LineString(xy[::-1] if reverse else xy)


def square(cx: float, cy: float, area_ha: float) -> Polygon:
    """A square of ``area_ha`` hectares centred on ``(cx, cy)`` (metres)."""
    half = math.sqrt(area_ha * 10_000.0) / 2
    return Polygon(
        [
            (cx - half, cy - half),
            (cx + half, cy - half),
            (cx + half, cy + half),
            (cx - half, cy + half),
        ]
    )
