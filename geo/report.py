"""Tables for export: findings to CSV, GeoPackage or GeoJSON (DESIGN section 8).

Text cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR)
are written with a leading apostrophe, so an attribute from an upload never runs as a formula.
CSV is written by :func:`write_csv` alone: Excel in the Indonesian locale splits a CSV on
``;``, so every text field is quoted and a formula start after a ``;`` inside a field is
neutralised as well.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import GeoInputError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A formula start right after the list separator of the Indonesian locale (``;``).
_FORMULA_AFTER_SEPARATOR = re.compile(r";(?=[=+\-@\t\r])")
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
        write_csv(pd.DataFrame(findings.drop(columns="geometry")), path)
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
