"""Peta Sinergi analysis core: reading, checking, storing and analysing infrastructure projects.

A library (geopandas, shapely, pyproj, pyogrio): nothing here imports streamlit, folium,
matplotlib or the app's presentation code. The names below are the public API; the
subpackages hold the rest (``docs/architecture.md`` says where each thing lives):

- :mod:`geo.spatial`: CRS choice and reprojection, geometry kinds, compiled segment loops;
- :mod:`geo.read`: any project file into canonical records and an import report, reference
  layers (road network, Daerah Irigasi, administrative units);
- :mod:`geo.store`: the GeoPackage store and, in server mode, PostGIS;
- :mod:`geo.analyse`: overlaps, authority mismatches, coverage gaps and the run over a store;
- :mod:`geo.export`: findings as CSV/GeoPackage, the Excel workbook, OC4IDS;
- :mod:`geo.demo`: the illustrative demo region.
"""

from geo.analyse.authority import find_mismatches
from geo.analyse.gaps import coverage_by_unit
from geo.analyse.overlap import find_overlaps
from geo.analyse.run import Analysis, ProjectFilter, analyse
from geo.errors import GeoInputError
from geo.read.import_report import ImportReport
from geo.read.projects import ReadResult, read_projects
from geo.read.reference import read_reference
from geo.settings import Settings
from geo.store import Store, open_store

__all__ = [
    "Analysis",
    "GeoInputError",
    "ImportReport",
    "ProjectFilter",
    "ReadResult",
    "Settings",
    "Store",
    "analyse",
    "coverage_by_unit",
    "find_mismatches",
    "find_overlaps",
    "open_store",
    "read_projects",
    "read_reference",
]
