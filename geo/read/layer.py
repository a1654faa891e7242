"""One layer of a file as read, before any check: the OGR and GeoParquet readers.

:func:`read_features` reads a layer with GDAL (through pyogrio), rejecting per record the
geometries GEOS cannot build instead of failing the whole file; :class:`RawLayer` carries the
frame in its source CRS and columns with the verdicts made while reading.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import struct
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.raw
import shapely

from geo.errors import GeoInputError
from geo.read.import_report import ImportReport

__all__ = ["RawLayer", "file_sha256", "read_features", "read_ogr", "read_parquet", "short_error"]


@dataclasses.dataclass
class RawLayer:
    """One layer as read, before checks: source columns, geometry, per-row pre-verdicts."""

    name: str
    frame: gpd.GeoDataFrame
    crs_declared: bool
    rejected: dict[int, str] = dataclasses.field(default_factory=dict)
    row_notes: dict[int, list[str]] = dataclasses.field(default_factory=dict)
    first_row: int = 1
    #: Rows given as start and end points (a straight chord until placed on the network).
    chords: np.ndarray = dataclasses.field(default_factory=lambda: np.empty(0, dtype=np.int64))
    #: Ruas and STA range (metres) per row, for rows located by chainage.
    chainage: pd.DataFrame | None = None
    #: How rows were placed on the road network (:data:`geo.schema.PLACED_BY`), by position.
    placed_by: dict[int, str] = dataclasses.field(default_factory=dict)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_parquet(path: Path, name: str) -> RawLayer:
    try:
        frame = gpd.read_parquet(path)
    except (ValueError, OSError) as exc:
        raise GeoInputError(
            f"{name}: not a readable GeoParquet file ({short_error(exc, path=path, name=name)}); write it with "
            "geopandas to_parquet or GDAL"
        ) from None
    return RawLayer(name, frame, crs_declared=frame.crs is not None)


def read_ogr(path: Path, name: str, report: ImportReport) -> list[RawLayer]:
    suffix = path.suffix.lower()
    try:
        listed = pyogrio.list_layers(path)
    except pyogrio.errors.DataSourceError as exc:
        raise GeoInputError(
            f"{name}: cannot be read as {suffix[1:]} ({short_error(exc, path=path, name=name)})"
        ) from None
    layers = []
    for layer_name, geom_type in listed:
        label = name if len(listed) == 1 else f"{name}:{layer_name}"
        if geom_type is None:
            report.note(f"{label}: table without geometry; not read")
            continue
        try:
            kwargs = {"IMMUTABLE": "YES"} if suffix == ".gpkg" else {}
            frame, unbuilt = read_features(path, label, report, layer=layer_name, **kwargs)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise GeoInputError(
                f"{label}: cannot be read ({short_error(exc, path=path, name=name)})"
            ) from None
        if suffix in (".geojson", ".json") and frame.crs is None:
            frame = frame.set_crs(4326)
        layers.append(RawLayer(label, frame, crs_declared=frame.crs is not None, rejected=unbuilt))
    return layers


def read_features(
    path: Path, label: str, report: ImportReport, **kwargs
) -> tuple[gpd.GeoDataFrame, dict[int, str]]:
    """``pyogrio.read_dataframe``, with geometries GEOS cannot build rejected per record.

    A file may hold a line of one point or a ring of three (valid WKB, not a valid geometry):
    such a record gets no geometry and a reason by position, instead of failing the whole file.
    M values, which GDAL drops while reading (with a warning), are reported instead.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.filterwarnings("always", message=re.escape(_M_DROPPED), category=UserWarning)
        try:
            frame = pyogrio.read_dataframe(path, **kwargs)
            unbuilt: dict[int, str] = {}
        except shapely.errors.GEOSException:
            frame, unbuilt = _read_unbuilt(path, **kwargs)
    for warning in caught:
        if _M_DROPPED in str(warning.message):
            report.note(
                f"{label}: M values dropped from {int(frame.geometry.notna().sum())} "
                "records (Peta Sinergi works in 2-D)"
            )
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return frame, unbuilt


#: What pyogrio warns when GDAL drops M values while reading.
_M_DROPPED = "Measured (M) geometry types are not supported"


def _read_unbuilt(path: Path, **kwargs) -> tuple[gpd.GeoDataFrame, dict[int, str]]:
    frame = pyogrio.read_dataframe(path, on_invalid="ignore", **kwargs)
    wkbs = pyogrio.raw.read(path, columns=[], **kwargs)[2]
    unbuilt = {}
    for pos in np.flatnonzero(frame.geometry.isna().to_numpy()):
        wkb = wkbs[pos]
        if wkb is not None:
            code = struct.unpack("<I" if wkb[0] == 1 else ">I", wkb[1:5])[0] & 0xFFFF
            unbuilt[int(pos)] = _UNBUILT_REASONS.get(code % 1000, _UNBUILT_REASONS[0])
    return frame, unbuilt


# WKB type code -> why a geometry of that type cannot be built (too few points).
_UNBUILT_REASONS = {
    0: "geometry cannot be built from its coordinates (too few points)",
    2: "line with one point only (needs a start and an end)",
    5: "line with one point only (needs a start and an end)",
    3: "polygon ring with fewer than 4 points (not a closed area)",
    6: "polygon ring with fewer than 4 points (not a closed area)",
}


def short_error(exc: Exception, *, path: Path | None = None, name: str = "") -> str:
    """First line of an error, with the scratch path of the file replaced by its name."""
    text = str(exc).replace(str(path), name) if path is not None else str(exc)
    return text.splitlines()[0][:200]
