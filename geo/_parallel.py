"""Running shapely/pyproj array work on every core.

Shapely 2 and pyproj release the GIL in their array functions, so threads (not processes, which
would copy the geometries) are enough to use both cores of a small server. Work measured in
metres is cut into blocks per UTM zone (`zone_blocks`, `pairs_by_zone`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import numpy as np

T = TypeVar("T")
R = TypeVar("R")

#: Threads used at once (at most 4: beyond that GEOS work is memory-bound).
WORKERS = max(1, min(4, os.cpu_count() or 1))


def map_in_threads(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[function(item) for item in items]`` on :data:`WORKERS` threads, results in order."""
    if len(items) <= 1 or WORKERS == 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(function, items))


def zone_blocks(
    index: np.ndarray, zones: np.ndarray, size: int = 50_000
) -> list[tuple[int, np.ndarray]]:
    """``(zone, positions)`` blocks of ``index`` grouped by ``zones[position]``.

    Each zone's positions are cut into blocks of at most ``size``, and into at least
    :data:`WORKERS` blocks when there are that many, so :func:`map_in_threads` keeps every
    core busy.
    """
    blocks = []
    for zone in np.unique(zones):
        members = index[zones == zone]
        step = max(1, min(size, -(-len(members) // WORKERS)))
        blocks += [(int(zone), members[i : i + step]) for i in range(0, len(members), step)]
    return blocks


def pairs_by_zone(
    project: np.ndarray, zones: np.ndarray, size: int
) -> Iterator[tuple[int, np.ndarray]]:
    """Positions of pairs grouped by the UTM zone of their project, in chunks of ``size``.

    One project's pairs stay together (each project is transformed once per chunk).
    """
    zone_of_pair = zones[project]
    for zone in np.unique(zone_of_pair):
        members = np.flatnonzero(zone_of_pair == zone)
        members = members[np.argsort(project[members], kind="stable")]
        for start in range(0, len(members), size):
            yield int(zone), members[start : start + size]
