"""Settle the CRS of a layer as read, and check each record's coordinates against it.

DESIGN section 4: use the file's CRS; with none, degrees inside Indonesia may be taken as
EPSG:4326 *with a report line*, anything else is a named error asking for the CRS; a declared
CRS that the coordinates contradict is flagged per record, never plotted silently.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from geo.errors import CRSError
from geo.read.import_report import ImportReport
from geo.settings import INDONESIA_BOUNDS_DEG
from geo.spatial import geometry
from geo.spatial.crs import reproject_in_threads

__all__ = ["parse_crs_option", "settle_crs", "to_wgs84"]

_HINT = (
    "Indonesian data is often EPSG:4326 (degrees), EPSG:32746-32754 (WGS 84 UTM south), "
    "EPSG:32646-32654 (UTM north), EPSG:4755 (DGN95) or EPSG:9470 (SRGI2013)"
)


def parse_crs_option(value: str | int, source: str) -> pyproj.CRS:
    """Parse a ``--crs`` value (``32748``, ``"EPSG:32748"``, WKT, PROJ) or raise CRSError."""
    text = str(value).strip()
    try:
        return pyproj.CRS.from_user_input(int(text) if text.isdigit() else text)
    except pyproj.exceptions.CRSError:
        raise CRSError(f"{source}: --crs {text}: unknown CRS; give an EPSG code. {_HINT}") from None


def settle_crs(
    frame: gpd.GeoDataFrame,
    source: str,
    *,
    declared: bool,
    override: pyproj.CRS | None,
    report: ImportReport,
) -> gpd.GeoDataFrame:
    """Return ``frame`` with the CRS it is really in, or raise CRSError naming the fix.

    Parameters
    ----------
    frame
        A layer as read; its ``crs`` is the declared one (may be None).
    source
        Layer name for messages.
    declared
        Whether the file declared a CRS (a .prj, a GeoPackage srs, ...).
    override
        ``--crs`` from the user: assigned (not reprojected) when given.
    report
        Receives a line for every CRS decision that was not the file's own.
    """
    if override is not None:
        if declared and frame.crs is not None and not frame.crs.equals(override):
            report.note(
                f"{source}: the file says {_name(frame.crs)}; {_name(override)} from "
                "--crs used instead"
            )
        elif not declared:
            report.note(f"{source}: no CRS in the file; {_name(override)} from --crs used")
        return frame.set_crs(override, allow_override=True)
    if declared and frame.crs is not None:
        return frame
    bounds = _typical_bounds(frame.geometry)
    if bounds is None:
        return frame.set_crs(4326, allow_override=True)
    if _inside_indonesia_deg(bounds):
        report.note(
            f"{source}: no CRS in the file; coordinates are degrees inside Indonesia, "
            "taken as EPSG:4326 (WGS 84) — pass --crs if that is wrong"
        )
        return frame.set_crs(4326, allow_override=True)
    x0, y0, x1, y1 = bounds
    if _inside_indonesia_deg((y0, x0, y1, x1)):
        raise CRSError(
            f"{source}: no CRS in the file and the coordinates look like latitude and longitude "
            f"swapped (x {x0:.6g}..{x1:.6g}, y {y0:.6g}..{y1:.6g}); swap the columns (x is the "
            "longitude, bujur)"
        )
    kind = "metres" if max(abs(x0), abs(x1)) > 180 or max(abs(y0), abs(y1)) > 90 else "degrees"
    where = "outside Indonesia" if kind == "degrees" else "not degrees"
    raise CRSError(
        f"{source}: no CRS in the file (.prj missing?) and the coordinates are {where} "
        f"(x {x0:.6g}..{x1:.6g}, y {y0:.6g}..{y1:.6g}); pass --crs EPSG:CODE. {_HINT}"
    )


def _name(crs: pyproj.CRS) -> str:
    epsg = crs.to_epsg()
    return f"{crs.name} (EPSG:{epsg})" if epsg else crs.name


def _typical_bounds(geoms: gpd.GeoSeries) -> tuple[float, float, float, float] | None:
    """Bounds of the middle half of the records: a few stray records do not decide the CRS."""
    values = np.asarray(geoms.values, dtype=object)
    present = ~(shapely.is_missing(values) | shapely.is_empty(values))
    if not present.any():
        return None
    b = shapely.bounds(values[present])
    cx, cy = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
    finite = np.isfinite(cx) & np.isfinite(cy)
    if not finite.any():
        return None
    cx, cy = cx[finite], cy[finite]
    # Real records, not interpolated between a stray and a good one (a 4-row CSV with one
    # swapped row must still be recognised as degrees).
    x0, x1 = sorted((np.percentile(cx, 25, method="higher"), np.percentile(cx, 75, method="lower")))
    y0, y1 = sorted((np.percentile(cy, 25, method="higher"), np.percentile(cy, 75, method="lower")))
    return float(x0), float(y0), float(x1), float(y1)


def _inside_indonesia_deg(bounds: tuple[float, float, float, float]) -> bool:
    lon0, lat0, lon1, lat1 = INDONESIA_BOUNDS_DEG
    x0, y0, x1, y1 = bounds
    return lon0 <= x0 and x1 <= lon1 and lat0 <= y0 and y1 <= lat1


def to_wgs84(
    geoms: gpd.GeoSeries, usable: np.ndarray, reasons: np.ndarray, source: str
) -> gpd.GeoSeries:
    """Reproject usable records to EPSG:4326, writing per-record coordinate problems.

    Parameters
    ----------
    geoms
        Geometries in their settled CRS.
    usable
        Mask of records still in play; others are returned unchanged.
    reasons
        Per-record rejection reasons, updated in place for contradicted coordinates.
    source
        Layer name (unused in reasons; kept for symmetry with the report).

    Returns
    -------
    GeoSeries
        In EPSG:4326; records with problems keep their original geometry.
    """
    crs = geoms.crs
    values = np.asarray(geoms.values, dtype=object).copy()
    idx = np.flatnonzero(usable)
    subset = gpd.GeoSeries(values[idx], crs=crs)
    if crs.is_geographic:
        problems = geometry.coordinate_problem(subset)
        converted = subset if crs.equals(pyproj.CRS.from_epsg(4326)) else _wgs84(subset)
    else:
        b = shapely.bounds(values[idx])
        looks_deg = (np.abs(b[:, [0, 2]]) <= 180).all(axis=1) & (np.abs(b[:, [1, 3]]) <= 90).all(
            axis=1
        )
        with np.errstate(invalid="ignore", over="ignore"):
            converted = _wgs84(subset)
        problems = geometry.coordinate_problem(converted)
        problems[looks_deg] = (
            f"coordinates look like degrees but the CRS ({_name(crs)}) is in "
            "metres: pass --crs EPSG:4326"
        )
    bad = problems != ""
    reasons[idx[bad]] = problems[bad]
    values[idx[~bad]] = np.asarray(converted.values, dtype=object)[~bad]
    return gpd.GeoSeries(values, index=geoms.index, crs="EPSG:4326")


def _wgs84(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """``geoms.to_crs(4326)`` on every core (national files have 500,000 records)."""
    values = reproject_in_threads(np.asarray(geoms.values, dtype=object), geoms.crs, 4326)
    return gpd.GeoSeries(values, index=geoms.index, crs=4326)
