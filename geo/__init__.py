"""Peta Sinergi analysis core: reading, checking, storing and analysing infrastructure projects.

A library (geopandas, shapely, pyproj, pyogrio): nothing here imports streamlit, folium,
matplotlib or the app's presentation code. The names below are the public API; the
subpackages hold the rest (``docs/architecture.md`` says where each thing lives):

- :mod:`geo.spatial`: CRS choice and reprojection, geometry kinds, compiled segment loops;
- :mod:`geo.read`: any project file into canonical records and an import report, reference
  layers (road network, Daerah Irigasi, administrative units);
- :mod:`geo.store`: the GeoPackage store and, in server mode, PostGIS;
- :mod:`geo.analyse`: overlaps, authority mismatches, coverage gaps and the one run of all three
  (``geo.analyse.analyse``);
- :mod:`geo.export`: findings as CSV/GeoPackage, the Excel workbook, OC4IDS;
- :mod:`geo.demo`: the illustrative demo region.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.analyse.authority import find_mismatches
    from geo.analyse.gaps import coverage_by_unit
    from geo.analyse.matrix import Matrix, build_matrix
    from geo.analyse.overlap import find_overlaps
    from geo.analyse.proposals import check_proposals
    from geo.analyse.run import Analysis, ProjectFilter
    from geo.errors import GeoInputError
    from geo.read.import_report import ImportReport
    from geo.read.projects import ReadResult, read_projects
    from geo.read.proposals import ProposalList, read_proposals
    from geo.read.reference import read_reference
    from geo.settings import DEFAULT_SETTINGS, Settings
    from geo.store import Store, open_store

#: Where each public name lives; imported on first use, so ``import geo.errors`` stays light.
_EXPORTS = {
    "Analysis": "geo.analyse.run",
    "build_matrix": "geo.analyse.matrix",
    "check_proposals": "geo.analyse.proposals",
    "coverage_by_unit": "geo.analyse.gaps",
    "DEFAULT_SETTINGS": "geo.settings",
    "find_mismatches": "geo.analyse.authority",
    "find_overlaps": "geo.analyse.overlap",
    "GeoInputError": "geo.errors",
    "ImportReport": "geo.read.import_report",
    "Matrix": "geo.analyse.matrix",
    "open_store": "geo.store",
    "ProjectFilter": "geo.analyse.run",
    "ProposalList": "geo.read.proposals",
    "read_projects": "geo.read.projects",
    "read_proposals": "geo.read.proposals",
    "read_reference": "geo.read.reference",
    "ReadResult": "geo.read.projects",
    "Settings": "geo.settings",
    "Store": "geo.store",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    "Analysis",
    "DEFAULT_SETTINGS",
    "GeoInputError",
    "ImportReport",
    "Matrix",
    "ProjectFilter",
    "ProposalList",
    "ReadResult",
    "Settings",
    "Store",
    "build_matrix",
    "check_proposals",
    "coverage_by_unit",
    "find_mismatches",
    "find_overlaps",
    "open_store",
    "read_projects",
    "read_proposals",
    "read_reference",
]
