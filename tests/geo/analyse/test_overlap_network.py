"""Overlaps on the network: shared chainage of located works, checked against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from geo.analyse.overlap_network import shared_chainage
from geo.spatial.linematch import merge_intervals


def located(rows):
    return pd.DataFrame(rows, columns=["work", "ruas", "from_m", "to_m"])


def test_a_work_drawn_in_pieces_or_backwards_is_merged_into_its_stretches():
    merged = merge_intervals(
        located(
            [
                (1, "N-001", 800, 0),
                (1, "N-001", 800, 1500),
                (1, "N-001", 3000, 2000),
                (1, "P-012", 0, 100),
            ]
        )
    )
    assert merged.values.tolist() == [
        [1, "N-001", 0.0, 1500.0],
        [1, "N-001", 2000.0, 3000.0],
        [1, "P-012", 0.0, 100.0],
    ]


def test_works_share_only_the_chainage_of_the_same_ruas():
    found = shared_chainage(
        located(
            [
                (1, "N-001", 0, 8000),
                (2, "N-001", 5000, 9000),
                (3, "N-002", 5000, 9000),
                (4, "N-001", 8000, 12000),
            ]
        )
    )
    # 4 only touches 1 at 8+000 (no length); 3 is on another ruas at the same chainage.
    assert found.values.tolist() == [
        [1, 2, 3000.0, "N-001", 5000.0, 8000.0],
        [2, 4, 1000.0, "N-001", 8000.0, 9000.0],
    ]


def test_the_threshold_and_no_pairs():
    rows = located([(1, "A", 0, 30), (2, "A", 10, 40)])
    assert shared_chainage(rows, min_overlap_m=50).empty
    assert list(shared_chainage(located([(1, "A", 0, 30)])).columns) == [
        "work_a",
        "work_b",
        "overlap_m",
        "ruas",
        "sta_from_m",
        "sta_to_m",
    ]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shared_chainage_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 300
    start = rng.uniform(0, 5000, n)
    rows = located(
        {
            "work": rng.integers(0, 60, n),
            "ruas": rng.choice(["N-001", "P-012", "K-034", "10", "9"], n),
            "from_m": start,
            "to_m": start + rng.uniform(-500, 1500, n),
        }
    )
    found = shared_chainage(rows).set_index(["work_a", "work_b"])["overlap_m"].to_dict()
    merged = merge_intervals(rows)
    expected = {}
    for (a, ga), (b, gb) in itertools.combinations(merged.groupby("work"), 2):
        total = 0.0
        for x in ga.itertuples():
            for y in gb.itertuples():
                if x.ruas == y.ruas:
                    total += max(0.0, min(x.to_m, y.to_m) - max(x.from_m, y.from_m))
        if total > 0:
            expected[(a, b)] = total
    assert found.keys() == expected.keys()
    for pair, total in expected.items():
        assert found[pair] == pytest.approx(total)
