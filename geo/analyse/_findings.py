"""How a pair of projects counts and how a finding describes it: the year rule (an overlap
in the same years, or repeat funding within a design life), both projects' attributes, the
relation and severity, the rupiah at stake and the finding's stable id.

Private to :mod:`geo.analyse.overlap` (which re-exports :data:`FINDING_COLUMNS`,
:func:`sort_findings`, :func:`cap_at_stake_idr` and :func:`design_lives`) and
:mod:`geo.analyse.overlap_network`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analyse.overlap_network import NETWORK_COLUMNS
from geo.finding_ids import overlap_id
from geo.read.values import work_class
from geo.schema import LEVELS
from geo.settings import Settings

__all__ = [
    "cap_at_stake_idr",
    "describe",
    "design_lives",
    "FINDING_COLUMNS",
    "pair_kind",
    "sort_findings",
]

FINDING_COLUMNS: tuple[str, ...] = (
    "finding_id",
    "kind",
    "asset_type",
    "relation",
    "severity",
    "project_a",
    "project_b",
    "name_a",
    "name_b",
    "level_a",
    "level_b",
    "agency_a",
    "agency_b",
    "years_a",
    "years_b",
    "funding_a",
    "funding_b",
    "work_type_a",
    "work_type_b",
    "design_life_years",
    "overlap_m",
    "overlap_ha",
    "distance_m",
    "share_a",
    "share_b",
    "budget_a_idr",
    "budget_b_idr",
    "budget_at_stake_idr",
    "geometry",
)


def pair_kind(
    years: np.ndarray,
    wanted: np.ndarray,
    life: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    window: int | None,
) -> np.ndarray:
    """Per pair: ``overlap`` (year ranges intersect), ``repeat`` or ``""`` (neither, or a pair
    without a wanted project).

    ``repeat`` (pendanaan berulang): the later work starts at most ``window`` years after the
    earlier one's last year, or, both being of a work type with a design life (``life``, years
    per project, 0 for none), at most the earlier work's design life after it. ``window`` None:
    no repeats (a bridge on a road, works in one Daerah Irigasi are not the same stretch)."""
    gap = np.maximum(years[a, 0], years[b, 0]) - np.minimum(years[a, 1], years[b, 1])
    kind = np.full(len(a), "", dtype=object)
    kind[gap <= 0] = "overlap"
    if window is not None:
        a_first = years[a, 0] <= years[b, 0]
        earlier, later = np.where(a_first, a, b), np.where(a_first, b, a)
        limit = np.maximum(window, np.where(life[later] > 0, life[earlier], 0))
        kind[(gap > 0) & (gap <= limit)] = "repeat"
    kind[~(wanted[a] | wanted[b])] = ""
    return kind


def design_lives(projects: pd.DataFrame, settings: Settings) -> np.ndarray:
    """Design life in years of each project's work type (:func:`geo.read.values.work_class`,
    :meth:`geo.settings.Settings.design_life_years`), 0 without one or without ``work_type``."""
    if "work_type" not in projects:
        return np.zeros(len(projects), dtype=np.int64)
    work_types = projects["work_type"].astype(object)
    lives = {w: settings.design_life_years(work_class(w)) for w in work_types.dropna().unique()}
    return work_types.map(lives).fillna(0).to_numpy(dtype=np.int64)


_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}


def describe(pairs: pd.DataFrame, projects: gpd.GeoDataFrame, settings: Settings):
    """Attach both projects' attributes, relation, severity, budget at stake and a stable id."""
    if pairs.empty:
        network = [c for c in NETWORK_COLUMNS if c in pairs.columns]
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype=object) for c in [*FINDING_COLUMNS[:-1], *network]},
            geometry=gpd.GeoSeries([], crs=4326),
        )
    pairs = pairs.reindex(
        columns=[
            "a",
            "b",
            "kind",
            "asset_type",
            "overlap_m",
            "overlap_ha",
            "distance_m",
            "share_a",
            "share_b",
            "size_a",
            "size_b",
            "geometry",
            *[c for c in NETWORK_COLUMNS if c in pairs.columns],
        ]
    ).reset_index(drop=True)
    rank = projects["level"].map(_LEVEL_RANK).fillna(len(LEVELS)).to_numpy()
    key = (projects["agency"].astype(str) + "\x1f" + projects["project_id"].astype(str)).to_numpy()
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    # Project a is the higher level of government (pusat first); cross-type keeps the road as a.
    swap = (rank[b] < rank[a]) | ((rank[b] == rank[a]) & (key[b] < key[a]))
    swap &= (pairs["kind"] != "cross_type").to_numpy()
    pairs.loc[swap, ["a", "b"]] = pairs.loc[swap, ["b", "a"]].to_numpy()
    pairs.loc[swap, ["share_a", "share_b"]] = pairs.loc[swap, ["share_b", "share_a"]].to_numpy()
    pairs.loc[swap, ["size_a", "size_b"]] = pairs.loc[swap, ["size_b", "size_a"]].to_numpy()
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()

    out = pd.DataFrame(
        {
            "kind": pairs["kind"],
            "asset_type": pairs["asset_type"],
            "project_a": projects["project_id"].to_numpy()[a],
            "project_b": projects["project_id"].to_numpy()[b],
            "name_a": projects["name"].to_numpy()[a],
            "name_b": projects["name"].to_numpy()[b],
            "level_a": projects["level"].to_numpy()[a],
            "level_b": projects["level"].to_numpy()[b],
            "agency_a": projects["agency"].to_numpy()[a],
            "agency_b": projects["agency"].to_numpy()[b],
            "years_a": _years_text(projects, a),
            "years_b": _years_text(projects, b),
            "funding_a": _texts(projects, "funding_source", a),
            "funding_b": _texts(projects, "funding_source", b),
            "work_type_a": _texts(projects, "work_type", a),
            "work_type_b": _texts(projects, "work_type", b),
            "overlap_m": pairs["overlap_m"],
            "overlap_ha": pairs["overlap_ha"],
            "distance_m": pairs["distance_m"],
            "share_a": pairs["share_a"],
            "share_b": pairs["share_b"],
            "budget_a_idr": projects["budget_idr"].to_numpy(dtype=float)[a],
            "budget_b_idr": projects["budget_idr"].to_numpy(dtype=float)[b],
        }
    )
    out["relation"] = np.where(
        out["agency_a"] == out["agency_b"],
        "same_agency",
        np.where(out["level_a"] == out["level_b"], "same_level", "cross_level"),
    )
    smaller_is_a = _smaller_is_a(pairs, out)
    smaller_share = np.where(smaller_is_a, out["share_a"], out["share_b"])
    smaller_budget = np.where(smaller_is_a, out["budget_a_idr"], out["budget_b_idr"])
    out["budget_at_stake_idr"] = cap_at_stake_idr(
        smaller_budget * smaller_share, out["budget_a_idr"], out["budget_b_idr"]
    )
    # The design life that makes a repeat: the earlier work's (see _pair_kind).
    a_first = projects["year_start"].to_numpy()[a] <= projects["year_start"].to_numpy()[b]
    lives = design_lives(projects, settings).astype(float)
    earlier_life = lives[np.where(a_first, a, b)]
    by_life = (out["kind"] == "repeat").to_numpy() & (lives[np.where(a_first, b, a)] > 0)
    out["design_life_years"] = np.where(by_life & (earlier_life > 0), earlier_life, np.nan)
    cross = out["relation"] == "cross_level"
    out["severity"] = np.select(
        [out["kind"] == "cross_type", cross & (smaller_share >= settings.severity_share), cross],
        ["info", "high", "medium"],
        default="low",
    )
    for column in NETWORK_COLUMNS:
        if column in pairs.columns:
            out[column] = pairs[column].to_numpy()
    out["finding_id"] = [
        overlap_id(asset, key[i], key[j])
        for asset, i, j in zip(out["asset_type"], a, b, strict=True)
    ]
    findings = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(pairs["geometry"].to_numpy(), crs=4326))
    return sort_findings(findings)


def sort_findings(findings: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Findings in :func:`find_overlaps` order (roads, bridges, irrigation, bridges on roads;
    then by id), :data:`FINDING_COLUMNS` only, a fresh index."""
    order = {"road": 0, "bridge": 1, "irrigation": 2, "bridge/road": 3}
    findings = findings.assign(_order=findings["asset_type"].map(order))
    findings = findings.sort_values(["_order", "finding_id"]).drop(columns="_order")
    network = [c for c in NETWORK_COLUMNS if c in findings.columns]
    columns = [*FINDING_COLUMNS[:-1], *network, FINDING_COLUMNS[-1]]
    return findings[columns].reset_index(drop=True)


def cap_at_stake_idr(
    at_stake_idr: np.ndarray, budget_a_idr: np.ndarray, budget_b_idr: np.ndarray
) -> np.ndarray:
    """Rupiah at stake capped at the smaller of both projects' pagu.

    The smaller project by length can carry the larger pagu (a short, costly rebuild on a long,
    cheaply maintained stretch): its budget times its share could exceed what the other project
    spends, yet no more than either side spends is at stake. A missing pagu caps nothing; a
    missing rupiah at stake stays missing.

    >>> cap_at_stake_idr(np.array([9e8, 3e8, np.nan]), np.array([1e9, 1e9, 1e9]),
    ...                  np.array([4e8, np.nan, 4e8]))
    array([4.e+08, 3.e+08,    nan])
    """
    at_stake = np.asarray(at_stake_idr, dtype=float)
    cap = np.fmin(np.asarray(budget_a_idr, dtype=float), np.asarray(budget_b_idr, dtype=float))
    return np.where(np.isnan(cap), at_stake, np.minimum(at_stake, cap))


def _smaller_is_a(pairs: pd.DataFrame, out: pd.DataFrame) -> np.ndarray:
    """The smaller project: by length or area; for bridges by budget (both fully shared)."""
    size_a, size_b = pairs["size_a"].to_numpy(float), pairs["size_b"].to_numpy(float)
    by_size = size_a <= size_b
    budget_a, budget_b = out["budget_a_idr"].to_numpy(float), out["budget_b_idr"].to_numpy(float)
    by_budget = np.where(np.isnan(budget_b), True, budget_a <= budget_b)
    return np.where(np.isnan(size_a) | np.isnan(size_b), by_budget, by_size)


def _texts(projects: pd.DataFrame, column: str, index: np.ndarray) -> np.ndarray:
    """``column`` of the projects at ``index``, text or None (missing, or no such column)."""
    if column not in projects:
        return np.full(len(index), None, dtype=object)
    values = projects[column].to_numpy(dtype=object)[index]
    values[pd.isna(values)] = None  # as saved analyses read back
    return values


def _years_text(projects: pd.DataFrame, index: np.ndarray) -> np.ndarray:
    start = projects["year_start"].to_numpy()[index]
    end = projects["year_end"].to_numpy()[index]
    return np.array(
        [f"{s}" if s == e else f"{s}-{e}" for s, e in zip(start, end, strict=True)], dtype=object
    )
