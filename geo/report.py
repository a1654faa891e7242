"""Tables for export: findings to CSV, GeoPackage or GeoJSON (DESIGN section 8).

Text cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR)
are written with a leading apostrophe, so an attribute from an upload never runs as a formula.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import GeoInputError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Output formats by file ending.
VECTOR_DRIVERS = {".gpkg": "GPKG", ".geojson": "GeoJSON"}


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix ``'`` to text cells that would start a spreadsheet formula; numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            values = out[column]
            risky = values.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START))
            out.loc[risky, column] = "'" + values[risky]
    return out


def write_findings(findings: gpd.GeoDataFrame, path: str | Path) -> Path:
    """Write findings to ``.csv`` (no geometry), ``.gpkg`` or ``.geojson`` (shared geometry).

    Raises
    ------
    GeoInputError
        The file ending is not one of those.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = neutralise_formulas(pd.DataFrame(findings.drop(columns="geometry")))
        table.to_csv(path, index=False, encoding="utf-8")
    elif suffix in VECTOR_DRIVERS:
        path.unlink(missing_ok=True)
        pyogrio.write_dataframe(
            findings,
            path,
            layer="findings",
            driver=VECTOR_DRIVERS[suffix],
            geometry_type="Unknown",
            promote_to_multi=False,
        )
    else:
        raise GeoInputError(f"{path.name}: write findings to .csv, .gpkg or .geojson")
    return path
