"""Words and numbers of static maps and meeting tables: labels, finding numbers, map text.

Pure Python (no matplotlib), shared by the maps (:mod:`layers.static_map`), the meeting pack
and the exports, so the same finding has the same number and the same words everywhere.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.formatting import MISSING, format_number, is_missing
from layers.palette import asset_label, check_language, level_label
from layers.words import STATIC_MAP_TEXT, VALUES

_TEXT: Final[dict[str, dict[str, str]]] = STATIC_MAP_TEXT


_RELATION_TEXT: Final[dict[str, dict[str, str]]] = VALUES["relation"]


#: Severity order of findings: the numbering starts with the most severe.
SEVERITY_ORDER: Final[tuple[str, ...]] = ("high", "medium", "low", "info")


def map_text(key: str, lang: str = "id") -> str:
    """A label of the static maps in ``lang``."""
    return _TEXT[check_language(lang)][key]


def relation_text(relation: str, lang: str = "id") -> str:
    """``cross_level`` -> ``lintas tingkat``; unknown relations are returned unchanged."""
    return _RELATION_TEXT[check_language(lang)].get(relation, relation)


@dataclasses.dataclass(frozen=True)
class MapText:
    """The words around a map: title, subtitle (region, years, filters), footer lines, a
    notice shown in bold above them (e.g. that the data are illustrative) and summary lines
    shown under the findings list when there is room."""

    title: str
    subtitle: str = ""
    footer: Sequence[str] = ()
    notice: str | None = None
    summary: Sequence[str] = ()


def number_findings(findings: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    """Findings sorted most severe first (then budget at stake), numbered 1.. in ``number``.

    The same numbers label the findings on every map and in every table of an export.

    Examples
    --------
    >>> frame = gpd.GeoDataFrame({"finding_id": ["a", "b"], "severity": ["low", "high"],
    ...     "budget_at_stake_idr": [5.0, 1.0]}, geometry=[None, None])
    >>> number_findings(frame)[["number", "finding_id"]].values.tolist()
    [[1, 'b'], [2, 'a']]
    """
    if findings is None:
        return None
    numbered = findings.iloc[_finding_order(findings)].copy()
    numbered.insert(0, "number", np.arange(1, len(numbered) + 1))
    return numbered.reset_index(drop=True)


def _finding_order(findings: pd.DataFrame) -> np.ndarray:
    """Positions of ``findings`` most severe first, then largest budget at stake, then id."""
    rank = findings["severity"].map({s: i for i, s in enumerate(SEVERITY_ORDER)}).fillna(9)
    budget = pd.to_numeric(findings["budget_at_stake_idr"], errors="coerce").fillna(0)
    return np.lexsort((findings["finding_id"].astype(str).to_numpy(), -budget, rank))


def finding_numbers(findings: pd.DataFrame) -> pd.Series:
    """Finding id -> the number :func:`number_findings` gives it (maps, slides, meeting pack):
    the numbers of the app's tables, without copying the findings.

    >>> frame = pd.DataFrame({"finding_id": ["a", "b"], "severity": ["low", "high"],
    ...     "budget_at_stake_idr": [5.0, 1.0]})
    >>> finding_numbers(frame).to_dict()
    {'b': 1, 'a': 2}
    """
    ids = findings["finding_id"].astype(str).to_numpy()[_finding_order(findings)]
    return pd.Series(np.arange(1, len(ids) + 1), index=ids)


def finding_asset_label(asset_type: str, lang: str = "id") -> str:
    """Asset label of a finding; a cross-type ``bridge/road`` becomes ``Jembatan/Jalan``."""
    return "/".join(asset_label(part, lang) for part in str(asset_type).split("/"))


def level_label_safe(level: object, lang: str = "id") -> str:
    """:func:`level_label`, or the value itself for a level outside the vocabulary."""
    try:
        return level_label(str(level), lang)
    except KeyError:
        return str(level)


def finding_measure(row, lang: str = "id") -> str:
    """The evidence of a finding: shared length (km), area (ha) or distance (m)."""
    if not is_missing(row.overlap_m):
        return f"{format_number(row.overlap_m / 1000, 2, lang)} km"
    if not is_missing(row.overlap_ha):
        return f"{format_number(row.overlap_ha, 1, lang)} ha"
    if not is_missing(row.distance_m):
        return f"{format_number(row.distance_m, 0, lang)} m"
    return MISSING
