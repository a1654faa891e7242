"""The analyses: overlaps (tumpang tindih), authority (kewenangan), coverage gaps
(kesenjangan), and the run over a store's projects.

``geo.analyse.analyse`` runs the three on a set of projects (the name ``geo.analyse`` is this
package, so the run is reached through it rather than from ``geo`` itself); ``analyse_store``
reads a store first and ``analyse_new`` checks new uploads against a store, both returning the
same :class:`Analysis`. They are imported on first use, so importing one analysis module does
not import them all.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.analyse.run import Analysis, ProjectFilter, analyse, analyse_new, analyse_store

__all__ = ["Analysis", "ProjectFilter", "analyse", "analyse_new", "analyse_store"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'geo.analyse' has no attribute {name!r}")
    value = getattr(importlib.import_module("geo.analyse.run"), name)
    globals()[name] = value
    return value
