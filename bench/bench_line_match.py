"""Line matching on a real road network: how much of each re-digitised work lands on its ruas.

For each road of ``NETWORK`` (any file GDAL reads: a ruas layer, an RBI or OSM road extract), a
stretch of up to ``--stretch-km`` is re-digitised as another agency would draw it: shifted
sideways by ``--offset-m``, other vertex spacing, GPS-like noise. Each drawn work is matched to
the network (:func:`geo.spatial.linematch.match_lines`) and scored:

- precision: the share of the matched length that lies on the road it was drawn from;
- recall: the share of the drawn stretch's length matched onto that road;
- wrong roads: works with more than 50 m matched onto another road (a jump to a neighbour).

The baseline, measured in the same run, is nearest-edge snapping (each sample to its nearest
edge within the offset, no topology): the ratio shows what following the network buys.

Usage: ``python bench/bench_line_match.py NETWORK [--offset-m 0 20 35] [--stretch-km 3]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.ops import substring

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from geo.read.locate import RoadNetwork  # noqa: E402
from geo.spatial.crs import utm_epsg_for_geometries  # noqa: E402
from geo.spatial.linematch import LineMatch, match_lines  # noqa: E402
from tests.geometries import redigitised  # noqa: E402


def drawn_works(roads_m: gpd.GeoSeries, offset_m: float, stretch_m: float, seed: int):
    rng = np.random.default_rng(seed)
    works, source = [], []
    for k, road in enumerate(roads_m):
        for line in shapely.get_parts(road):
            if line.length < 200:
                continue
            length = min(stretch_m, line.length)
            start = rng.uniform(0, line.length - length)
            piece = substring(line, start, start + length)
            side = rng.choice([-1.0, 1.0])
            shifted = shapely.offset_curve(piece, side * offset_m) if offset_m else piece
            if shifted.is_empty or shifted.geom_type != "LineString":
                continue
            works.append(
                redigitised(shifted, spacing_m=30.0, noise_m=3.0, seed=int(rng.integers(1e9)))
            )
            source.append(k)
            break
    return np.array(works, dtype=object), np.array(source)


def nearest_edges(work_m, edges_m, tree, max_offset_m: float = 40.0, step_m: float = 20.0):
    """The baseline: every sample to its nearest edge within reach, no topology."""
    pos = np.linspace(0, work_m.length, max(int(work_m.length // step_m), 1) + 1)
    points = shapely.line_interpolate_point(work_m, pos)
    (at, edge), dist = tree.query_nearest(points, max_distance=max_offset_m, return_distance=True)
    pieces: list[tuple[int, float, float]] = []
    along = shapely.line_locate_point(edges_m[edge], points[at])
    for e, a in zip(edge, along, strict=True):
        if pieces and pieces[-1][0] == e:
            pieces[-1] = (e, min(pieces[-1][1], a), max(pieces[-1][2], a))
        else:
            pieces.append((int(e), float(a), float(a)))
    frame = pd.DataFrame(pieces, columns=["edge", "from_m", "to_m"])
    return LineMatch(frame, float(np.mean(dist)) if len(dist) else np.nan, np.nan, 0.0)


def score(matches, works_m, source, edges_m, edge_road, roads_m):
    good = total = covered = drawn = 0.0
    wrong = 0
    for m, work, k in zip(matches, works_m, source, strict=True):
        drawn += work.length
        if m.pieces.empty:
            continue
        own = roads_m[k].buffer(1.0)
        off_road = 0.0
        for e, lo, hi in zip(m.pieces["edge"], m.pieces["from_m"], m.pieces["to_m"], strict=True):
            part = substring(edges_m[e], lo, hi)
            total += part.length
            on = part.intersection(own).length
            good += on
            off_road += part.length - on
        covered += min(
            sum(
                substring(edges_m[e], lo, hi).intersection(own).length
                for e, lo, hi in zip(
                    m.pieces["edge"], m.pieces["from_m"], m.pieces["to_m"], strict=True
                )
            ),
            work.length,
        )
        wrong += off_road > 50
    return good / max(total, 1e-9), covered / max(drawn, 1e-9), wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("network")
    parser.add_argument("--offset-m", type=float, nargs="+", default=[0.0, 20.0, 35.0])
    parser.add_argument("--stretch-km", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    roads = pyogrio.read_dataframe(args.network).to_crs(4326)
    roads = roads[roads.geometry.notna() & ~roads.geometry.is_empty].reset_index(drop=True)
    zone = int(np.bincount(utm_epsg_for_geometries(roads.geometry) - 32600).argmax()) + 32600
    roads_m = roads.geometry.to_crs(zone).to_numpy()
    graph = RoadNetwork(roads).graph
    edges_m = gpd.GeoSeries(graph.edges_deg, crs=4326).to_crs(zone).to_numpy()
    edge_road = None
    tree = shapely.STRtree(edges_m)
    load = os.getloadavg()
    print(f"{args.network}: {len(roads)} roads, {len(graph.edges_deg)} edges; load {load[0]:.1f}")
    print(" offset m  works   method    precision  recall  wrong roads  seconds")
    for offset in args.offset_m:
        works_m, source = drawn_works(roads_m, offset, args.stretch_km * 1000, args.seed)
        works = gpd.GeoSeries(works_m, crs=zone).to_crs(4326).to_numpy()
        for method in ("network", "nearest"):
            t = time.perf_counter()
            if method == "network":
                matches = match_lines(works, graph.edges_deg, graph.u, graph.v)
            else:
                matches = [nearest_edges(w, edges_m, tree) for w in works_m]
            seconds = time.perf_counter() - t
            p, r, w = score(matches, works_m, source, edges_m, edge_road, roads_m)
            print(
                f"{offset:9.0f} {len(works):6d}   {method:8s} {p:9.3f} {r:7.3f} {w:12d} "
                f"{seconds:8.2f}"
            )


if __name__ == "__main__":
    main()
