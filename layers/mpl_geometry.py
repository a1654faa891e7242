"""Shapely geometries as matplotlib collections: one collection per call, no per-feature artists.

``GeoDataFrame.plot`` builds a collection per call too, but spends most of its time on checks
and styling a static map does not need; a meeting pack draws a dozen maps.
"""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.path import Path


def _parts(geoms: np.ndarray) -> np.ndarray:
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]
    return shapely.get_parts(geoms)


def add_lines(ax, geoms: np.ndarray, **style) -> LineCollection | None:
    """Draw the lines (and polygon outlines, as lines) of ``geoms``; None when there are none."""
    parts = _parts(geoms)
    parts = np.where(
        np.isin(shapely.get_type_id(parts), (3,)), shapely.boundary(parts), parts
    )  # a polygon drawn as a line is its outline
    parts = _parts(parts)
    parts = parts[shapely.get_type_id(parts) == 1] if len(parts) else parts
    if not len(parts):
        return None
    coords, index = shapely.get_coordinates(parts, return_index=True)
    splits = np.flatnonzero(np.diff(index)) + 1
    collection = LineCollection(np.split(coords, splits), **style)
    ax.add_collection(collection, autolim=False)
    return collection


def add_polygons(ax, geoms: np.ndarray, **style) -> PathCollection | None:
    """Draw the polygons of ``geoms`` (holes kept) as one collection; None when there are none."""
    parts = _parts(geoms)
    parts = parts[shapely.get_type_id(parts) == 3] if len(parts) else parts
    if not len(parts):
        return None
    paths = []
    for polygon in parts:
        rings = [polygon.exterior, *polygon.interiors]
        paths.append(
            Path.make_compound_path(
                *[Path(np.asarray(r.coords)[:, :2], closed=True) for r in rings]
            )
        )
    collection = PathCollection(paths, **style)
    ax.add_collection(collection, autolim=False)
    return collection


def add_points(ax, geoms: np.ndarray, **style):
    """Draw the points of ``geoms`` with ``ax.scatter``; None when there are none."""
    parts = _parts(geoms)
    parts = parts[shapely.get_type_id(parts) == 0] if len(parts) else parts
    if not len(parts):
        return None
    xy = shapely.get_coordinates(parts)
    return ax.scatter(xy[:, 0], xy[:, 1], **style)
