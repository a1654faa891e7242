"""The compiled road-along-road measure (geo.spatial.segments), against exact answers and GEOS.

Coordinates are metres (a UTM-like plane), so answers are exact numbers.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely import LineString, MultiLineString

from geo.spatial.geometry import resample_lines
from geo.spatial.segments import (
    AlongSettings,
    extent_along_m,
    line_arrays,
    line_lengths_m,
    resampled_length_m,
    shared_pieces,
)

RULE = AlongSettings(tolerance_m=20.0, max_angle_deg=20.0, step_m=25.0, min_total_m=50.0)


def along(a, b, rule=RULE) -> float:
    """A along B, metres."""
    arrays = line_arrays(np.array([a, b], dtype=object))
    return float(extent_along_m(arrays, np.array([0]), np.array([1]), rule)[0])


def geos_along(a, b, rule=RULE) -> float:
    """The same measure written with GEOS: pieces in a fine round buffer of each part of B."""
    cos_min = math.cos(math.radians(rule.max_angle_deg))
    total_m, extent_m = 0.0, 0.0
    for part in shapely.get_parts(b):
        ref = resample_lines(np.array([part]), step_m=rule.step_m)[0]
        pieces = shapely.get_parts(shapely.intersection(a, part.buffer(rule.tolerance_m, 256)))
        for piece in pieces:
            if piece.geom_type != "LineString" or piece.length == 0:
                continue
            total_m += piece.length
            start, end = shapely.get_point(piece, 0), shapely.get_point(piece, -1)
            s0, s1 = ref.project(start), ref.project(end)
            va = np.subtract(end.coords[0], start.coords[0])
            vb = np.subtract(ref.interpolate(s1).coords[0], ref.interpolate(s0).coords[0])
            norm = np.hypot(*va) * np.hypot(*vb)
            if norm > 0 and abs(va @ vb) >= cos_min * norm:
                extent_m += abs(s1 - s0)
    return extent_m if total_m >= rule.min_total_m else 0.0


def noisy(coords, noise_m: float, seed: int) -> LineString:
    rng = np.random.default_rng(seed)
    line = LineString(coords)
    spacing = 10.0
    points = [line.interpolate(d) for d in np.arange(0, line.length, spacing)]
    xy = np.array([p.coords[0] for p in points]) + rng.uniform(-noise_m, noise_m, (len(points), 2))
    return LineString(xy)


def test_a_stretch_alongside_at_8_m_counts_its_full_length_both_ways():
    a = LineString([(0, 0), (300, 0)])
    b = LineString([(100, 8), (500, 8)])
    assert along(a, b) == pytest.approx(200, abs=0.01)
    assert along(b, a) == pytest.approx(200, abs=0.01)


@pytest.mark.parametrize("angle_deg", [90, 45, 30])
def test_crossing_roads_share_nothing(angle_deg):
    a = LineString([(-1000, 0), (1000, 0)])
    d = (1000 * math.cos(math.radians(angle_deg)), 1000 * math.sin(math.radians(angle_deg)))
    b = LineString([(-d[0], -d[1]), d])
    assert along(a, b) == 0
    assert along(b, a) == 0


def test_lines_meeting_end_to_end_share_nothing():
    assert along(LineString([(0, 0), (1000, 0)]), LineString([(1003, 0), (2000, 0)])) == 0


def test_a_line_farther_than_the_tolerance_shares_nothing():
    assert along(LineString([(0, 0), (1000, 0)]), LineString([(0, 21), (1000, 21)])) == 0


def test_each_part_of_b_is_measured_on_its_own():
    a = LineString([(0, 0), (1000, 0)])
    b = MultiLineString([[(600, 5), (900, 5)], [(100, -5), (400, -5)]])
    assert along(a, b) == pytest.approx(600, abs=0.01)


def test_a_repeated_vertex_does_not_break_a_piece():
    a = LineString([(0, 0), (100, 0), (100, 0), (300, 0)])
    b = LineString([(0, 5), (300, 5)])
    arrays = line_arrays(np.array([a, b], dtype=object))
    pieces = shared_pieces(arrays, np.array([0]), np.array([1]), RULE)[0]
    assert along(a, b) == pytest.approx(300, abs=0.01)
    assert shapely.get_num_geometries(pieces) == 1
    assert pieces.length == pytest.approx(300, abs=0.01)


def test_empty_and_missing_lines_measure_nothing():
    arrays = line_arrays(np.array([LineString(), LineString([(0, 0), (100, 0)]), None]))
    got = extent_along_m(arrays, np.array([0, 1, 2, 1]), np.array([1, 0, 1, 2]), RULE)
    assert got.tolist() == [0, 0, 0, 0]


def test_shared_pieces_are_the_counted_parts_of_a():
    a = LineString([(0, 0), (250, 0), (250, 400)])  # runs along B, then turns away
    b = LineString([(-50, 6), (600, 6)])
    arrays = line_arrays(np.array([a, b], dtype=object))
    pieces = shared_pieces(arrays, np.array([0]), np.array([1]), RULE)[0]
    # One piece: along B, then up the turn until 20 m from B (y = 26).
    expected = LineString([(0, 0), (250, 0), (250, 26)])
    assert pieces.length == pytest.approx(expected.length, abs=0.01)
    assert shapely.hausdorff_distance(pieces, expected) < 0.01
    assert along(a, b) == pytest.approx(250, abs=0.01)  # measured along B


def circle_arc(from_deg: float, to_deg: float, radius_m: float = 500.0) -> LineString:
    """Vertices every degree round a circle about the origin (metres), anticlockwise."""
    a = np.radians(np.arange(from_deg, to_deg + 0.5, 1.0))
    return LineString(np.c_[radius_m * np.cos(a), radius_m * np.sin(a)])


def test_along_a_ring_is_measured_round_it_the_short_way():
    ring = circle_arc(0.0, 360.0)  # closed: its first vertex is its last
    across_seam = circle_arc(-45.0, 45.0)  # 785 m across the ring's first vertex
    assert along(across_seam, ring) == pytest.approx(across_seam.length, abs=1.0)
    assert along(ring, across_seam) == pytest.approx(across_seam.length, abs=1.0)


def test_a_ring_along_the_same_ring_started_elsewhere_counts_its_whole_length():
    ring = circle_arc(0.0, 360.0)
    shifted = circle_arc(100.0, 460.0).reverse()
    assert along(ring, shifted) == pytest.approx(ring.length, abs=1.0)
    assert along(shifted, ring) == pytest.approx(ring.length, abs=1.0)
    arrays = line_arrays(np.array([ring, shifted], dtype=object))
    pieces = shared_pieces(arrays, np.array([0]), np.array([1]), RULE)[0]
    assert pieces.length == pytest.approx(ring.length, abs=0.01)


@pytest.mark.parametrize("seed", range(12))
def test_noisy_redigitised_lines_measure_as_geos_does(seed):
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, 2 * np.pi)
    base = np.column_stack([np.linspace(0, 2000, 60), 150 * np.sin(np.linspace(0, 6, 60))])
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    base = base @ rotation.T
    start_a, start_b = rng.integers(0, 20), rng.integers(15, 40)
    a = noisy(base[start_a : start_a + 25], rng.uniform(1, 6), seed)
    b = noisy(base[start_b : start_b + 20], rng.uniform(1, 6), seed + 100)
    if rng.random() < 0.5:
        b = b.reverse()
    # The compiled measure uses the exact round buffer; GEOS a 256-segment one, a hair inside.
    assert along(a, b) == pytest.approx(geos_along(a, b), abs=1.0)
    assert along(b, a) == pytest.approx(geos_along(b, a), abs=1.0)


def test_resampled_length_leaves_out_gps_zigzag():
    zigzag = LineString([(x, 3 * (-1) ** i) for i, x in enumerate(range(0, 1001, 5))])
    arrays = line_arrays(np.array([zigzag, LineString([(0, 0), (10, 0)])], dtype=object))
    length_m = resampled_length_m(arrays, np.array([0, 1]), step_m=25.0)
    # +-3 m every 5 m is 1,562 m of line; sampled every 25 m, 1,028 m are left.
    assert zigzag.length == pytest.approx(1562, abs=1)
    assert length_m[0] == pytest.approx(1000, rel=0.03)
    assert length_m[1] == pytest.approx(10)


def test_line_lengths_are_the_bits_geos_gives():
    rng = np.random.default_rng(5)
    lines = [LineString(rng.uniform(0, 1e6, (n, 2)) + 9e6) for n in rng.integers(2, 60, 200)]
    lines += [
        MultiLineString([rng.uniform(0, 5e3, (n, 2)) for n in rng.integers(2, 30, k)])
        for k in rng.integers(1, 5, 50)
    ]
    lines += [LineString(), shapely.LinearRing([(0, 0), (10, 0), (10, 7), (0, 0)])]
    geoms = np.array(lines, dtype=object)
    # the same sum in the same order: equal to the bit where GEOS is built without fused
    # multiply-add (x86-64); within rounding elsewhere
    np.testing.assert_allclose(
        line_lengths_m(line_arrays(geoms)), shapely.length(geoms), rtol=1e-15
    )
