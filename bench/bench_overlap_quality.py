"""Benchmark: how right ``find_overlaps`` is on a labelled layer, against two naive GIS methods.

Run: ``python bench/bench_overlap_quality.py [--seed S] [--groups N]`` (default seed 0, 300
groups, about 640 features; :mod:`bench.overlap_data` documents the layer and its traps).

Prints precision, recall and F1 per asset type for

- ``find_overlaps`` (pairs with ``kind == "overlap"``; cross-type findings are scored apart and
  do not count for or against the same-type pairs),
- ``intersects``: what "select by location: intersects" gives, the same asset type and
  intersecting year ranges (geopandas ``sjoin``, ``predicate="intersects"``),
- ``within 20 m``: the same with ``predicate="dwithin"``, 20 m in UTM 48S,

then the median and 90th percentile relative error of ``overlap_m`` against the true shared road
length, and every pair ``find_overlaps`` got wrong with the scenario it comes from. Exits 1 when
F1 < 0.99 for any asset type or the median road length error is above 5%, so it works as a check.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.overlap_data import UTM_EPSG, make_labelled  # noqa: E402

ASSET_TYPES = ("road", "irrigation", "bridge")
#: Pass marks of the issue: F1 per asset type, and the median road length error.
MIN_F1 = 0.99
MAX_MEDIAN_ROAD_ERROR = 0.05
NAIVE_DISTANCE_M = 20.0


def pair_keys(a: pd.Series | np.ndarray, b: pd.Series | np.ndarray) -> np.ndarray:
    """Order-free keys ``"x|y"`` (x < y) of project id pairs."""
    a, b = np.asarray(a, dtype=str), np.asarray(b, dtype=str)
    return np.where(a < b, np.char.add(np.char.add(a, "|"), b), np.char.add(np.char.add(b, "|"), a))


def score(predicted: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall and F1 per asset type of predicted same-type pairs.

    Parameters
    ----------
    predicted
        Columns ``project_a``, ``project_b``, ``asset_type``: one row per reported pair, either
        order; duplicates count once.
    truth
        The truth table of :func:`bench.overlap_data.make_labelled`; rows with ``kind ==
        "overlap"`` and ``is_pair`` are the true pairs.

    Returns
    -------
    pandas.DataFrame
        Indexed by asset type: ``true``, ``reported``, ``tp``, ``fp``, ``fn``, ``precision``,
        ``recall``, ``f1`` (0-1; precision is 1 when nothing is reported).
    """
    rows = []
    positives = truth[(truth["kind"] == "overlap") & truth["is_pair"]]
    for asset in ASSET_TYPES:
        true_keys = set(
            pair_keys(
                *positives.loc[
                    positives["asset_type"] == asset, ["project_a", "project_b"]
                ].T.to_numpy()
            )
        )
        mine = predicted[predicted["asset_type"] == asset]
        found = set(pair_keys(mine["project_a"], mine["project_b"]))
        tp, fp, fn = len(found & true_keys), len(found - true_keys), len(true_keys - found)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append((asset, len(true_keys), len(found), tp, fp, fn, precision, recall, f1))
    columns = ["asset_type", "true", "reported", "tp", "fp", "fn", "precision", "recall", "f1"]
    return pd.DataFrame(rows, columns=columns).set_index("asset_type")


def road_length_errors(findings: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Relative error of ``overlap_m`` for every true road pair that was found.

    Returns
    -------
    pandas.DataFrame
        ``key``, ``scenario``, ``shared_m`` (true, metres), ``overlap_m`` (reported, metres),
        ``error`` (``|reported - true| / true``).
    """
    true_roads = truth[(truth["asset_type"] == "road") & truth["is_pair"]].assign(
        key=lambda t: pair_keys(t["project_a"], t["project_b"])
    )
    roads = findings[(findings["kind"] == "overlap") & (findings["asset_type"] == "road")]
    reported = pd.Series(
        roads["overlap_m"].to_numpy(float), index=pair_keys(roads["project_a"], roads["project_b"])
    )
    reported = reported[~reported.index.duplicated()]
    found = true_roads[true_roads["key"].isin(reported.index)].copy()
    found["overlap_m"] = reported.loc[found["key"]].to_numpy()
    found["error"] = (found["overlap_m"] - found["shared_m"]).abs() / found["shared_m"]
    return found[["key", "scenario", "shared_m", "overlap_m", "error"]]


def naive_pairs(
    projects: gpd.GeoDataFrame, predicate: str, distance_m: float = 0.0
) -> pd.DataFrame:
    """Pairs a GIS user gets from a spatial join: same asset type, intersecting year ranges.

    ``predicate`` is ``"intersects"`` (in EPSG:4326) or ``"dwithin"`` (``distance_m`` metres in
    UTM 48S, where the layer lies).
    """
    if predicate == "dwithin":
        projects = projects.to_crs(UTM_EPSG)
        kwargs = {"predicate": "dwithin", "distance": distance_m}
    else:
        kwargs = {"predicate": predicate}
    columns = ["project_id", "asset_type", "year_start", "year_end", "geometry"]
    joined = gpd.sjoin(projects[columns], projects[columns], **kwargs)
    joined = joined[
        (joined["project_id_left"] < joined["project_id_right"])
        & (joined["asset_type_left"] == joined["asset_type_right"])
        & (joined["year_start_left"] <= joined["year_end_right"])
        & (joined["year_start_right"] <= joined["year_end_left"])
    ]
    return pd.DataFrame(
        {
            "project_a": joined["project_id_left"].to_numpy(),
            "project_b": joined["project_id_right"].to_numpy(),
            "asset_type": joined["asset_type_left"].to_numpy(),
        }
    )


def wrong_pairs(findings: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Same-type pairs reported but not true (``fp``) and true but not reported (``fn``).

    Each row carries the truth table's scenario and detail when the pair was built on purpose
    (a trap), ``unlabelled`` when it was not (two features of different groups).
    """
    same = findings[findings["kind"] == "overlap"]
    reported = pd.DataFrame(
        {
            "key": pair_keys(same["project_a"], same["project_b"]),
            "asset_type": same["asset_type"].to_numpy(),
            "reported": np.nan_to_num(
                same[["overlap_m", "overlap_ha", "distance_m"]].to_numpy(float), nan=0.0
            ).sum(axis=1),
        }
    ).drop_duplicates("key")
    labelled = truth[truth["kind"] == "overlap"].assign(
        key=lambda t: pair_keys(t["project_a"], t["project_b"])
    )
    merged = reported.merge(labelled, on="key", how="outer", suffixes=("", "_truth"))
    merged["asset_type"] = merged["asset_type"].fillna(merged["asset_type_truth"])
    fp = merged["reported"].notna() & ~merged["is_pair"].fillna(False).astype(bool)
    fn = merged["reported"].isna() & merged["is_pair"].fillna(False).astype(bool)
    merged["error"] = np.where(fp, "fp", np.where(fn, "fn", ""))
    merged["scenario"] = merged["scenario"].fillna("unlabelled")
    merged["detail"] = merged["detail"].fillna("")
    columns = [
        "error",
        "asset_type",
        "key",
        "scenario",
        "detail",
        "reported",
        "shared_m",
        "shared_ha",
        "distance_m",
    ]
    return merged.loc[fp | fn, columns].sort_values(["asset_type", "error", "scenario", "key"])


def cross_type_score(findings: pd.DataFrame, truth: pd.DataFrame) -> tuple[int, int, int]:
    """Informational: (true cross-type pairs, reported, found) — a road and a bridge on it."""
    true_keys = set(
        pair_keys(
            *truth.loc[truth["kind"] == "cross_type", ["project_a", "project_b"]].T.to_numpy()
        )
    )
    cross = findings[findings["kind"] == "cross_type"]
    found = set(pair_keys(cross["project_a"], cross["project_b"]))
    return len(true_keys), len(found), len(found & true_keys)


def _table(scores: dict[str, pd.DataFrame]) -> str:
    lines = [
        f"{'method':<14} {'asset type':<11} {'true':>5} {'reported':>9} {'tp':>5} {'fp':>5} "
        f"{'fn':>5} {'precision':>9} {'recall':>7} {'F1':>6}"
    ]
    for method, table in scores.items():
        for row in table.reset_index().to_dict("records"):
            asset = row["asset_type"]
            lines.append(
                f"{method:<14} {asset:<11} {row['true']:>5} {row['reported']:>9} {row['tp']:>5} "
                f"{row['fp']:>5} {row['fn']:>5} {row['precision']:>9.3f} {row['recall']:>7.3f} "
                f"{row['f1']:>6.3f}"
            )
    return "\n".join(lines)


def evaluate(
    projects: gpd.GeoDataFrame,
    truth: pd.DataFrame,
    find_overlaps: Callable[[gpd.GeoDataFrame], pd.DataFrame],
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame, pd.DataFrame, float]:
    """Run ``find_overlaps`` and the naive methods on one labelled layer and score them.

    Returns
    -------
    tuple
        (scores by method name, findings, road length errors, wrong pairs, seconds taken by
        ``find_overlaps``).
    """
    start = time.perf_counter()
    findings = find_overlaps(projects)
    seconds = time.perf_counter() - start
    ours = findings[findings["kind"] == "overlap"]
    scores = {
        "find_overlaps": score(ours, truth),
        "intersects": score(naive_pairs(projects, "intersects"), truth),
        "within 20 m": score(naive_pairs(projects, "dwithin", NAIVE_DISTANCE_M), truth),
    }
    return (
        scores,
        findings,
        road_length_errors(findings, truth),
        wrong_pairs(findings, truth),
        seconds,
    )


def main(argv: list[str] | None = None) -> int:
    """Print the scores; return 1 if a pass mark is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--groups", type=int, default=300, help="scenario groups (default 300)")
    args = parser.parse_args(argv)

    from geo.analyse.overlap import find_overlaps
    from geo.settings import Settings

    def with_defaults(projects: gpd.GeoDataFrame) -> pd.DataFrame:
        # the documented defaults, whatever PETA_* variables the shell has set
        return find_overlaps(projects, settings=Settings())

    projects, truth = make_labelled(seed=args.seed, n_groups=args.groups)
    scores, findings, errors, wrong, seconds = evaluate(projects, truth, with_defaults)
    counts = projects["asset_type"].value_counts()
    print(
        f"labelled layer: seed {args.seed}, {args.groups} groups, {len(projects)} features "
        f"({', '.join(f'{counts.get(a, 0)} {a}' for a in ASSET_TYPES)}), "
        f"{int(truth['is_pair'].sum())} true pairs, {int((~truth['is_pair']).sum())} traps"
    )
    print(f"find_overlaps: {len(findings)} findings in {seconds:.2f} s\n")
    print(_table(scores))
    median = float(errors["error"].median()) if len(errors) else float("nan")
    p90 = float(errors["error"].quantile(0.9)) if len(errors) else float("nan")
    worst = errors.nlargest(1, "error")
    print(
        f"\nshared road length, find_overlaps vs truth ({len(errors)} true pairs found): "
        f"median error {100 * median:.2f}%, p90 {100 * p90:.2f}%"
        + (
            f", worst {100 * worst['error'].iloc[0]:.1f}% ({worst['scenario'].iloc[0]}: "
            f"{worst['overlap_m'].iloc[0]:.0f} m for {worst['shared_m'].iloc[0]:.0f} m)"
            if len(worst)
            else ""
        )
    )
    by_scenario = errors.groupby("scenario")["error"].agg(["count", "median", "max"])
    for scenario, row in by_scenario.iterrows():
        print(
            f"  {scenario:<18} {int(row['count']):>4} pairs  median {100 * row['median']:5.2f}%  "
            f"max {100 * row['max']:5.2f}%"
        )
    n_true, n_reported, n_found = cross_type_score(findings, truth)
    print(
        f"\ncross-type (informational, not scored above): {n_found} of {n_true} bridges on roads "
        f"found, {n_reported} reported"
    )
    if len(wrong):
        print(f"\npairs find_overlaps got wrong ({len(wrong)}):")
        with pd.option_context(
            "display.width", 200, "display.max_colwidth", 70, "display.max_rows", 200
        ):
            print(wrong.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    else:
        print("\nfind_overlaps got every labelled pair right")

    f1 = scores["find_overlaps"]["f1"]
    failed = [f"F1 {f1[a]:.3f} < {MIN_F1} for {a}" for a in ASSET_TYPES if f1[a] < MIN_F1]
    if not median <= MAX_MEDIAN_ROAD_ERROR:
        failed.append(
            f"median road length error {100 * median:.2f}% > {100 * MAX_MEDIAN_ROAD_ERROR:.0f}%"
        )
    print(
        "\n"
        + (
            "FAIL: " + "; ".join(failed)
            if failed
            else "PASS: F1 >= 0.99 for every type, median road error <= 5%"
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
