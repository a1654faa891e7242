"""Tables for export: findings to CSV, GeoPackage or GeoJSON (DESIGN section 8).

Text cells of a CSV that a spreadsheet would run as a formula (starting with ``= + - @``, tab
or CR) are written with a leading apostrophe (OWASP's advice), so an attribute from an upload
never runs as a formula. CSV is written by :func:`write_csv` alone: Excel in the Indonesian
locale splits a CSV on ``;``, so every text field is quoted and a formula start after a ``;``
inside a field is neutralised as well.

The GeoPackage holds one layer per geometry type (:data:`FINDING_LAYERS`: shared road
stretches and bridge links as lines, irrigation overlaps as polygons), so clients that load a
layer as one geometry type read all of it; it is written as GeoPackage 1.2
(:mod:`geo.store.gpkg_compat`). The GeoJSON follows RFC 7946: no ``crs`` member, coordinates in
EPSG:4326 to 7 decimals (about 1 cm), exterior rings counter-clockwise and holes clockwise.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.errors import GeoInputError
from geo.store.gpkg_compat import GPKG_DATASET_OPTIONS

__all__ = [
    "FINDING_LAYERS",
    "findings_by_geometry",
    "GEOJSON_DECIMALS",
    "neutralise_formulas",
    "write_csv",
    "write_findings",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A formula start right after the list separator of the Indonesian locale (``;``).
_FORMULA_AFTER_SEPARATOR = re.compile(r";(?=[=+\-@\t\r])")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix ``'`` to text cells that would start a spreadsheet formula; numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            values = out[column]
            risky = values.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START))
            out.loc[risky, column] = "'" + values[risky]
    return out


def write_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str | None:
    """Write ``frame`` as UTF-8 CSV that no spreadsheet locale turns into formulas.

    Text cells that start a formula get the apostrophe of :func:`neutralise_formulas`; so does
    a formula start after a ``;`` inside a cell (``Paket Jalan;=1+1`` -> ``Paket Jalan;'=1+1``),
    where Excel in the Indonesian locale, whose list separator is ``;``, would start a new cell
    if the field were ever split there; and every text field is quoted, so it is not split
    there in the first place. Numbers stay unquoted numbers.

    Parameters
    ----------
    frame
        The table (a geometry column should be dropped first).
    path
        File to write; ``None`` returns the CSV text instead (the app encodes it with a BOM so
        Excel reads the accents).

    Returns
    -------
    str or None
        The CSV text when ``path`` is ``None``.

    Examples
    --------
    >>> print(write_csv(pd.DataFrame({"nama": ["Paket Jalan;=1+1;", "=SUM(A1)"], "km": [1.5, 2]})))
    "nama","km"
    "Paket Jalan;'=1+1;",1.5
    "'=SUM(A1)",2.0
    <BLANKLINE>
    """
    table = neutralise_formulas(frame)
    for column in table.columns:
        if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
            table[column] = table[column].map(
                lambda v: _FORMULA_AFTER_SEPARATOR.sub(";'", v) if isinstance(v, str) else v
            )
    return table.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_NONNUMERIC)


#: GeoPackage layer of the findings by geometry dimension (0 points, 1 lines, 2 polygons), and
#: the single geometry type each layer is declared with.
FINDING_LAYERS: Final[dict[int, tuple[str, str]]] = {
    0: ("findings_points", "MultiPoint"),
    1: ("findings_lines", "MultiLineString"),
    2: ("findings_polygons", "MultiPolygon"),
}
#: Decimals of a degree in GeoJSON: 7 is about 1 cm (RFC 7946 section 11.2).
GEOJSON_DECIMALS: Final[int] = 7


def write_findings(findings: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write findings to ``.csv`` (no geometry), ``.gpkg`` or ``.geojson`` (shared geometry).

    ``.gpkg``: one layer per geometry type (:func:`findings_by_geometry`); ``.geojson``: one
    RFC 7946 feature collection in EPSG:4326.

    Raises
    ------
    GeoInputError
        The file ending is not one of those.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(pd.DataFrame(findings.drop(columns="geometry")), path)
    elif suffix == ".gpkg":
        path.unlink(missing_ok=True)
        for layer, (part, geometry_type) in findings_by_geometry(findings).items():
            pyogrio.write_dataframe(
                part,
                path,
                layer=layer,
                driver="GPKG",
                geometry_type=geometry_type,
                promote_to_multi=True,
                dataset_options=GPKG_DATASET_OPTIONS,
            )
    elif suffix == ".geojson":
        path.unlink(missing_ok=True)
        pyogrio.write_dataframe(
            findings.to_crs(4326),
            path,
            layer="findings",
            driver="GeoJSON",
            geometry_type="Unknown",
            promote_to_multi=False,
            # GDAL's RFC 7946 mode: no crs member, right-hand rule rings, EPSG:4326.
            layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": GEOJSON_DECIMALS},
        )
    else:
        raise GeoInputError(f"{path.name}: write findings to .csv, .gpkg or .geojson")
    return path


def findings_by_geometry(
    findings: gpd.GeoDataFrame,
) -> dict[str, tuple[gpd.GeoDataFrame, str]]:
    """The findings split by geometry dimension: layer name -> (findings, geometry type).

    A geometry collection keeps its parts of the highest dimension; a finding without
    geometry goes with its asset type's layer (irrigation with the polygons, else the lines).
    The first layer is always there (the lines), so an empty selection still has a layer.

    >>> import shapely
    >>> lines = gpd.GeoDataFrame({"asset_type": ["road", "irrigation"]}, crs=4326,
    ...     geometry=[shapely.LineString([(0, 0), (1, 1)]), shapely.box(0, 0, 1, 1)])
    >>> {k: len(v[0]) for k, v in findings_by_geometry(lines).items()}
    {'findings_lines': 1, 'findings_polygons': 1}
    """
    findings = findings.to_crs(4326)
    geoms = np.array([_highest_dimension(g) for g in findings.geometry.to_numpy()], dtype=object)
    dimension = shapely.get_dimensions(geoms)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    by_asset = np.where(findings["asset_type"].astype(str).eq("irrigation"), 2, 1)
    dimension = np.where(missing, by_asset, dimension)
    findings = findings.set_geometry(gpd.GeoSeries(geoms, index=findings.index, crs=4326))
    layers = {}
    for dim, (layer, geometry_type) in FINDING_LAYERS.items():
        chosen = dimension == dim
        if chosen.any() or dim == 1:
            layers[layer] = (findings[chosen], geometry_type)
    return dict(sorted(layers.items(), key=lambda item: item[0] != "findings_lines"))


def _highest_dimension(geom):
    """A geometry collection's parts of its highest dimension, as one (multi) geometry."""
    if geom is None or shapely.get_type_id(geom) != 7:
        return geom
    parts = shapely.get_parts(geom)
    if len(parts) == 0:
        return None
    dims = shapely.get_dimensions(parts)
    kept = parts[dims == dims.max()]
    return shapely.union_all(kept) if len(kept) > 1 else kept[0]
