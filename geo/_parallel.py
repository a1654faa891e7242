"""Running shapely/pyproj array work on every core.

Shapely 2 and pyproj release the GIL in their array functions, so threads (not processes, which
would copy the geometries) are enough to use both cores of a small server.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

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
