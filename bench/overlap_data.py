"""A labelled project layer for the overlap benchmark: known true pairs and the usual traps.

:func:`make_labelled` builds road, bridge and irrigation projects in WGS 84 / UTM 48S
(EPSG:32748; lon 102.8-104.2, lat -1..-2 at the default size, Jambi) and returns them in
EPSG:4326 with the canonical record columns, together with a truth table of every pair that
was built on purpose: the true overlaps with their true shared length or area, and the traps
that must *not* be reported, each with its scenario's name so a wrong answer says what went
wrong.

Every group of projects sits alone in an 8 km cell of a grid, so pairs only ever form inside a
group: a pair of projects that is not in the truth table is not an overlap.

Scenarios (``SCENARIOS``; a pair is true only if its year ranges intersect, which they do unless
the scenario says otherwise):

=====================  =====  ==================================================================
scenario               pair?  what is built
=====================  =====  ==================================================================
road_duplicate         yes    one stretch digitised twice, 1-6 m noise, ends a few metres apart
road_reversed          yes    the same, one copy digitised in the opposite direction
road_spacing           yes    one copy with a vertex every 10 m, the other every 60 m
road_split_multi       yes    B is a MultiLineString of 2-3 parts over A's stretch, any order
road_split_pieces      yes    B is 2-3 separate projects over A's stretch (A-Bk true pairs);
                       no     the pieces meet end to end (Bk-Bk+1)
road_partial           yes    A and B share 100-3000 m (end overlap, or B inside A)
road_consecutive       no     B starts where A ends (gap or overlap of at most 10 m)
road_crossing          no     B crosses A at 90, 60 or 30 degrees
road_parallel          no     B runs beside A, 50-150 m apart (after noise)
road_years             no     a duplicate stretch with year ranges that do not intersect
bridge_same            yes    the same bridge reported 2-3 times, 0-25 m apart
bridge_distinct        no     2-3 bridges 200-800 m apart
bridge_years           no     the same bridge in year ranges that do not intersect
bridge_on_road         yes    cross-type: a bridge project on a road project's stretch (0-8 m)
irr_overlap            yes    two areas overlapping by 10-70% of the smaller (>= 1.5 ha)
irr_contained          yes    a small area inside a large one
irr_sliver             no     neighbours sharing a boundary, each digitised with ~2 m noise
irr_small_share        no     an intersection of 1.3-2.5 ha, under 3% of the smaller area
irr_small_area         no     an intersection of 0.3-0.7 ha between two small areas
irr_years              no     overlapping areas in year ranges that do not intersect
=====================  =====  ==================================================================

True shared road length is the arc length of the centreline the two copies were digitised
from, over the common stretch (metres); true shared area is the intersection of the two
polygons as built, measured in UTM 48S (hectares); bridge distance is between the two points as
built (metres).

Examples
--------
>>> projects, truth = make_labelled(seed=0, n_groups=40)
>>> projects.crs.to_epsg(), bool(truth["is_pair"].any())
(4326, True)
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = [
    "CELL_M",
    "SCENARIOS",
    "TRUTH_COLUMNS",
    "UTM_EPSG",
    "Curves",
    "blob_coords",
    "make_labelled",
    "scenario_counts",
]

#: The metric CRS the layer is built in: WGS 84 / UTM 48S, the zone of Jambi (102-108 deg E).
UTM_EPSG = 32748
#: Side of a grid cell holding one group, metres: no feature leaves its cell (roads <= 6.1 km).
CELL_M = 8_000.0
#: Cells per grid row: 20 cells of 8 km span lon 102.8-104.2.
GRID_COLUMNS = 20
#: North-west corner of the grid in UTM 48S metres (lon 102.78, lat -0.96): 300 groups fill
#: 15 rows, a 160 x 120 km block centred on lon 103.5, lat -1.5 (more groups extend it south).
GRID_ORIGIN_M = (253_000.0, 9_894_000.0)

#: Scenario -> (asset type, share of groups). Shares sum to 1; every scenario gets a group.
SCENARIOS: dict[str, tuple[str, float]] = {
    "road_duplicate": ("road", 0.07),
    "road_reversed": ("road", 0.06),
    "road_spacing": ("road", 0.06),
    "road_split_multi": ("road", 0.05),
    "road_split_pieces": ("road", 0.05),
    "road_partial": ("road", 0.10),
    "road_consecutive": ("road", 0.06),
    "road_crossing": ("road", 0.07),
    "road_parallel": ("road", 0.05),
    "road_years": ("road", 0.03),
    "bridge_same": ("bridge", 0.06),
    "bridge_distinct": ("bridge", 0.05),
    "bridge_years": ("bridge", 0.02),
    "bridge_on_road": ("bridge", 0.03),
    "irr_overlap": ("irrigation", 0.08),
    "irr_contained": ("irrigation", 0.03),
    "irr_sliver": ("irrigation", 0.07),
    "irr_small_share": ("irrigation", 0.03),
    "irr_small_area": ("irrigation", 0.02),
    "irr_years": ("irrigation", 0.01),
}

#: Columns of the truth table.
TRUTH_COLUMNS: tuple[str, ...] = (
    "project_a",
    "project_b",
    "asset_type",
    "kind",
    "is_pair",
    "scenario",
    "group",
    "shared_m",
    "shared_ha",
    "distance_m",
    "angle_deg",
    "detail",
)

CROSSING_ANGLES_DEG = (90.0, 60.0, 30.0)
_YEAR = 2025
# vocabularies as in geo.demo.region
_WORK_TYPES = {
    "road": ("rehabilitasi", "preservasi", "peningkatan", "pemeliharaan"),
    "bridge": ("pembangunan", "rehabilitasi"),
    "irrigation": ("rehabilitasi", "peningkatan"),
}
_LEVEL_P = {"pusat": 0.25, "provinsi": 0.30, "kabupaten": 0.35, "desa": 0.10}
_AGENCIES = {
    "pusat": {
        "road": ("Satker PJN Wilayah I Provinsi Jambi", "Satker PJN Wilayah II Provinsi Jambi"),
        "bridge": ("Satker PJN Wilayah I Provinsi Jambi", "Satker PJN Wilayah II Provinsi Jambi"),
        "irrigation": ("BWS Sumatera VI", "SNVT PJPA Sumatera VI"),
    },
    "provinsi": ("Dinas PUPR Provinsi Jambi",),
    "kabupaten": (
        "Dinas PUPR Kabupaten Muaro Jambi",
        "Dinas PUPR Kabupaten Batanghari",
        "Dinas PUPR Kabupaten Tanjung Jabung Timur",
        "Dinas PUPR Kabupaten Sarolangun",
    ),
    "desa": ("Pemerintah Desa Pudak", "Pemerintah Desa Sengeti", "Pemerintah Desa Tempino"),
}
_FUNDING = {
    "pusat": ("APBN", "APBN", "IJD"),
    "provinsi": ("APBD Provinsi",),
    "kabupaten": ("APBD Kabupaten", "DAK", "Tugas Pembantuan"),
    "desa": ("Dana Desa",),
}
_STATUSES = ("usulan", "kontrak", "berjalan", "selesai")


# --- smooth road centrelines -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Curves:
    """Smooth winding centrelines, one per row: P(u) = origin + u*H + off(u)*N.

    ``u`` runs along the heading H (metres, close to arc length: slopes stay under 0.2), N is H
    turned left, and ``off(u) = w1 sin(u/l1 + p1) + w2 sin(u/l2 + p2) + tilt*u``.
    """

    x0: np.ndarray
    y0: np.ndarray
    heading: np.ndarray
    w1: np.ndarray
    l1: np.ndarray
    p1: np.ndarray
    w2: np.ndarray
    l2: np.ndarray
    p2: np.ndarray
    tilt: np.ndarray

    def frame(self, which: np.ndarray, u: np.ndarray):
        """Position (x, y) and unit tangent (tx, ty) of curve ``which`` at ``u``, metres."""
        c = self
        off = (
            c.w1[which] * np.sin(u / c.l1[which] + c.p1[which])
            + c.w2[which] * np.sin(u / c.l2[which] + c.p2[which])
            + c.tilt[which] * u
        )
        slope = (
            c.w1[which] / c.l1[which] * np.cos(u / c.l1[which] + c.p1[which])
            + c.w2[which] / c.l2[which] * np.cos(u / c.l2[which] + c.p2[which])
            + c.tilt[which]
        )
        hx, hy = np.cos(c.heading[which]), np.sin(c.heading[which])
        x = c.x0[which] + u * hx - off * hy
        y = c.y0[which] + u * hy + off * hx
        norm = np.sqrt(1.0 + slope**2)
        tx, ty = (hx - slope * hy) / norm, (hy + slope * hx) / norm
        return x, y, tx, ty

    def arc_m(self, which: np.ndarray, u0: np.ndarray, u1: np.ndarray) -> np.ndarray:
        """Arc length of curve ``which`` between ``u0`` and ``u1`` (0 if u1 <= u0), metres."""
        # Simpson's rule on 400 intervals: the integrand varies over >= 600 m, steps are <= 15 m.
        t = np.linspace(0.0, 1.0, 401)
        span = np.maximum(u1 - u0, 0.0)
        u = u0[:, None] + span[:, None] * t
        w = np.broadcast_to(which[:, None], u.shape)
        c = self
        slope = (
            c.w1[w] / c.l1[w] * np.cos(u / c.l1[w] + c.p1[w])
            + c.w2[w] / c.l2[w] * np.cos(u / c.l2[w] + c.p2[w])
            + c.tilt[w]
        )
        weights = np.ones(401)
        weights[1:-1:2], weights[2:-1:2] = 4.0, 2.0
        return span / 1200.0 * (np.sqrt(1.0 + slope**2) @ weights)


def random_curves(rng: np.random.Generator, centres: np.ndarray, *, gentle: bool = False) -> Curves:
    """One winding road centreline through (about) each cell centre, random heading."""
    k = len(centres)
    shift = rng.uniform(-300.0, 300.0, (k, 2))
    return Curves(
        x0=centres[:, 0] + shift[:, 0],
        y0=centres[:, 1] + shift[:, 1],
        heading=rng.uniform(0.0, 2.0 * np.pi, k),
        w1=rng.uniform(40.0, 100.0 if gentle else 200.0, k),
        l1=rng.uniform(1_200.0, 3_000.0, k),
        p1=rng.uniform(0.0, 2.0 * np.pi, k),
        w2=rng.uniform(0.0, 8.0 if gentle else 30.0, k),
        l2=rng.uniform(200.0, 500.0, k),
        p2=rng.uniform(0.0, 2.0 * np.pi, k),
        tilt=np.zeros(k),
    )


def _digitise(
    rng: np.random.Generator,
    curves: Curves,
    which: np.ndarray,
    u0: np.ndarray,
    u1: np.ndarray,
    *,
    spacing_m: np.ndarray | float,
    noise_m: np.ndarray | float,
    reverse: np.ndarray | bool = False,
    offset_m: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Digitise stretches ``[u0, u1]`` of curves as LineStrings (UTM metres), vectorised.

    Vertices are about ``spacing_m`` apart at jittered positions (two digitisations never share
    vertices); ``offset_m`` shifts the line sideways (left of the heading, metres). Every vertex
    is displaced by at most ``noise_m``: a smooth drift (wavelength 300-1000 m, 3/4 of it, like a
    hand on a tablet or a GPS track) plus a per-vertex jitter (1/4). ``reverse`` flips the order.
    """
    m = len(which)
    spacing, noise, reverse, offset = (
        np.broadcast_to(np.asarray(v, dtype=float), m).astype(float)
        for v in (spacing_m, noise_m, reverse, offset_m)
    )
    counts = np.maximum(2, np.ceil((u1 - u0) / spacing).astype(np.int64) + 1)
    line = np.repeat(np.arange(m), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    k = np.arange(len(line)) - first
    last = counts[line] - 1
    jitter = rng.uniform(-0.3, 0.3, len(line))
    jitter[(k == 0) | (k == last)] = 0.0
    u = u0[line] + (k + jitter) / last * (u1 - u0)[line]
    x, y, tx, ty = curves.frame(which[line], u)
    x, y = x - offset[line] * ty, y + offset[line] * tx

    lam = rng.uniform(300.0, 1_000.0, (m, 2, 2))  # per line, axis, harmonic
    phase = rng.uniform(0.0, 2.0 * np.pi, (m, 2, 2))
    mix = rng.uniform(0.0, 1.0, (m, 2, 1))
    coef = np.concatenate([mix, 1.0 - mix], axis=2)  # |drift| <= 1 per axis
    drift = np.einsum(
        "nah,nah->na",
        coef[line],
        np.sin(2.0 * np.pi * u[:, None, None] / lam[line] + phase[line]),
    )
    radius = 0.25 * noise[line] * np.sqrt(rng.uniform(0.0, 1.0, len(line)))
    angle = rng.uniform(0.0, 2.0 * np.pi, len(line))
    scale = 0.75 * noise[line] / math.sqrt(2.0)
    x = x + scale * drift[:, 0] + radius * np.cos(angle)
    y = y + scale * drift[:, 1] + radius * np.sin(angle)

    order = np.where(reverse[line] > 0, first + last - k, first + k)
    coords = np.empty((len(line), 2))
    coords[order] = np.column_stack([x, y])
    return shapely.linestrings(coords, indices=line)


# --- the layer being built ---------------------------------------------------------------------


class _Builder:
    """Collects features (UTM metres) and labelled pairs as scenarios add them."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.geoms: list[np.ndarray] = []
        self.assets: list[np.ndarray] = []
        self.years: list[np.ndarray] = []
        self.team: list[np.ndarray] = []  # features with the same team id share level/agency
        self.pairs: list[pd.DataFrame] = []
        self.count = 0
        self.teams = 0

    def add(
        self,
        geoms: np.ndarray,
        asset: str,
        years: np.ndarray | None = None,
        team: np.ndarray | None = None,
    ) -> np.ndarray:
        """Add features; return their positions. ``years`` is (n, 2); default mostly 2025."""
        n = len(geoms)
        if years is None:
            years = _current_years(self.rng, n)
        if team is None:
            team = self.teams + np.arange(n)
        self.teams = max(self.teams, int(team.max()) + 1)
        self.geoms.append(np.asarray(geoms, dtype=object))
        self.assets.append(np.full(n, asset, dtype=object))
        self.years.append(np.asarray(years, dtype=np.int64))
        self.team.append(np.asarray(team, dtype=np.int64))
        index = self.count + np.arange(n)
        self.count += n
        return index

    def new_teams(self, n: int) -> np.ndarray:
        """``n`` fresh team ids (features added with one share level and agency)."""
        team = self.teams + np.arange(n)
        self.teams += n
        return team

    def pair(self, a: np.ndarray, b: np.ndarray, **columns) -> None:
        """Label pairs of positions ``a``, ``b`` (scalars broadcast): see ``TRUTH_COLUMNS``."""
        frame = pd.DataFrame({"a": np.asarray(a), "b": np.asarray(b)})
        for name, value in columns.items():
            frame[name] = value
        self.pairs.append(frame)


def _current_years(rng: np.random.Generator, n: int) -> np.ndarray:
    """Year ranges that all contain 2025: 80% just 2025, the rest multi-year."""
    choices = np.array([(_YEAR, _YEAR), (_YEAR - 1, _YEAR), (_YEAR, _YEAR + 1), (2024, 2026)])
    pick = rng.choice(len(choices), n, p=[0.8, 0.07, 0.07, 0.06])
    return choices[pick]


def _apart_years(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two year ranges per row that do not intersect (earlier one ends by 2023)."""
    early = np.array([(2021, 2022), (2022, 2023), (2023, 2023), (2022, 2022)])
    late = np.array([(_YEAR, _YEAR), (2024, 2025), (_YEAR, _YEAR + 1)])
    return early[rng.integers(0, len(early), n)], late[rng.integers(0, len(late), n)]


def _swap_halves(rng: np.random.Generator, first: np.ndarray, second: np.ndarray):
    """Randomly swap which of two year arrays goes to A (so the earlier one is not always A)."""
    flip = rng.random(len(first)) < 0.5
    a, b = first.copy(), second.copy()
    a[flip], b[flip] = second[flip], first[flip]
    return a, b


# --- roads -------------------------------------------------------------------------------------


def _road_duplicates(b: _Builder, centres: np.ndarray, scenario: str) -> None:
    """Two digitisations of one stretch: noise, reversed, 10 m vs 60 m spacing, or apart years."""
    rng, k = b.rng, len(centres)
    curves = random_curves(rng, centres)
    g = np.arange(k)
    length = rng.uniform(400.0, 5_000.0, k)
    trims = rng.uniform(0.0, 15.0, (k, 4))  # the two digitisers start and stop a little apart
    a0, a1 = -length / 2 + trims[:, 0], length / 2 - trims[:, 1]
    b0, b1 = -length / 2 + trims[:, 2], length / 2 - trims[:, 3]
    noise = rng.uniform(1.0, 6.0, (k, 2))
    spacing = rng.uniform(40.0, 60.0, (k, 2))
    reverse = np.zeros((k, 2), dtype=bool)
    if scenario == "road_reversed":
        reverse[:, 1] = True
    if scenario == "road_spacing":
        dense_first = rng.random(k) < 0.5
        spacing[:, 0] = np.where(dense_first, 10.0, 60.0)
        spacing[:, 1] = np.where(dense_first, 60.0, 10.0)
        reverse[:, 1] = rng.random(k) < 0.5
    line_a = _digitise(rng, curves, g, a0, a1, spacing_m=spacing[:, 0], noise_m=noise[:, 0])
    line_b = _digitise(
        rng, curves, g, b0, b1, spacing_m=spacing[:, 1], noise_m=noise[:, 1], reverse=reverse[:, 1]
    )
    years_a = years_b = None
    if scenario == "road_years":
        years_a, years_b = _swap_halves(rng, *_apart_years(rng, k))
    ia = b.add(line_a, "road", years_a)
    ib = b.add(line_b, "road", years_b)
    detail = [
        f"{sa:.0f} m / {sb:.0f} m vertex spacing, noise {na:.1f} / {nb:.1f} m"
        + (", B reversed" if r else "")
        for sa, sb, na, nb, r in zip(*spacing.T, *noise.T, reverse[:, 1], strict=True)
    ]
    b.pair(
        ia,
        ib,
        asset_type="road",
        kind="overlap",
        is_pair=scenario != "road_years",
        scenario=scenario,
        shared_m=curves.arc_m(g, np.maximum(a0, b0), np.minimum(a1, b1)),
        detail=detail,
    )


def _split_cuts(rng: np.random.Generator, start: np.ndarray, end: np.ndarray) -> list[np.ndarray]:
    """Cut each stretch into 2 or 3 parts of >= 300 m; return part bounds per row."""
    k = len(start)
    parts = rng.integers(2, 4, k)
    free = (end - start) - 300.0 * parts
    share = rng.dirichlet(np.ones(3), k)
    share[parts == 2, 2] = 0.0
    share /= share.sum(axis=1, keepdims=True)
    sizes = 300.0 * (np.arange(3) < parts[:, None]) + share * free[:, None]
    bounds = start[:, None] + np.concatenate([np.zeros((k, 1)), np.cumsum(sizes, axis=1)], axis=1)
    return [bounds[i, : parts[i] + 1] for i in range(k)]


def _road_splits(b: _Builder, centres: np.ndarray, scenario: str) -> None:
    """A over a stretch; B over (most of) it in 2-3 parts, as one MultiLineString or projects."""
    rng, k = b.rng, len(centres)
    curves = random_curves(rng, centres)
    g = np.arange(k)
    length = rng.uniform(1_500.0, 5_000.0, k)
    a0, a1 = -length / 2, length / 2
    b0 = a0 + rng.uniform(0.0, 200.0, k)
    b1 = a1 - rng.uniform(0.0, 200.0, k)
    line_a = _digitise(rng, curves, g, a0, a1, spacing_m=50.0, noise_m=rng.uniform(1.0, 6.0, k))
    ia = b.add(line_a, "road")
    bounds = _split_cuts(rng, b0, b1)
    part_group = np.concatenate([np.full(len(c) - 1, i) for i, c in enumerate(bounds)])
    p0 = np.concatenate([c[:-1] for c in bounds])
    p1 = np.concatenate([c[1:] for c in bounds])
    n_parts = len(part_group)
    parts = _digitise(
        rng,
        curves,
        part_group,
        p0,
        p1,
        spacing_m=rng.uniform(30.0, 60.0, n_parts),
        noise_m=rng.uniform(1.0, 6.0, n_parts),
        reverse=rng.random(n_parts) < 0.3,
    )
    part_arc = curves.arc_m(part_group, p0, p1)
    if scenario == "road_split_multi":
        # parts come in any order in real files (and 30% are digitised backwards, above)
        shuffled = np.lexsort((rng.random(n_parts), part_group))
        multi = shapely.multilinestrings(parts[shuffled], indices=part_group[shuffled])
        ib = b.add(multi, "road")
        b.pair(
            ia,
            ib,
            asset_type="road",
            kind="overlap",
            is_pair=True,
            scenario=scenario,
            shared_m=np.bincount(part_group, weights=part_arc, minlength=k),
            detail=[
                f"B in {len(c) - 1} parts (MultiLineString, parts in random order)" for c in bounds
            ],
        )
        return
    team = b.new_teams(k)[part_group]  # the pieces of one road come from one agency
    years = _current_years(rng, k)[part_group]
    ib = b.add(parts, "road", years, team)
    b.pair(
        ia[part_group],
        ib,
        asset_type="road",
        kind="overlap",
        is_pair=True,
        scenario=scenario,
        shared_m=part_arc,
        detail="B is one of the 2-3 projects the road was split into",
    )
    follows = np.flatnonzero(np.r_[part_group[1:] == part_group[:-1], False])
    b.pair(
        ib[follows],
        ib[follows + 1],
        asset_type="road",
        kind="overlap",
        is_pair=False,
        scenario=scenario,
        shared_m=0.0,
        detail="consecutive pieces of one split road, meeting end to end",
    )


def _road_partial(b: _Builder, centres: np.ndarray, scenario: str) -> None:
    """A and B share 100-3000 m: B runs on past A's end, or lies inside A."""
    rng, k = b.rng, len(centres)
    curves = random_curves(rng, centres)
    g = np.arange(k)
    shared = rng.uniform(100.0, 3_000.0, k)
    ext = rng.uniform(100.0, 1_500.0, (k, 3))
    inside = rng.random(k) < 0.3
    a0 = -shared / 2 - ext[:, 0]
    a1 = np.where(inside, shared / 2 + ext[:, 1], shared / 2)
    b0 = -shared / 2
    b1 = np.where(inside, shared / 2, shared / 2 + ext[:, 2])
    line_a = _digitise(
        rng,
        curves,
        g,
        a0,
        a1,
        spacing_m=rng.uniform(30.0, 60.0, k),
        noise_m=rng.uniform(1.0, 6.0, k),
    )
    line_b = _digitise(
        rng,
        curves,
        g,
        b0,
        b1,
        spacing_m=rng.uniform(30.0, 60.0, k),
        noise_m=rng.uniform(1.0, 6.0, k),
        reverse=rng.random(k) < 0.5,
    )
    ia, ib = b.add(line_a, "road"), b.add(line_b, "road")
    b.pair(
        ia,
        ib,
        asset_type="road",
        kind="overlap",
        is_pair=True,
        scenario=scenario,
        shared_m=curves.arc_m(g, b0, np.minimum(a1, b1)),
        detail=np.where(inside, "B inside A", "B runs on past A's end"),
    )


def _road_consecutive(b: _Builder, centres: np.ndarray, scenario: str) -> None:
    """B starts where A ends, with a gap or an overlap of at most 10 m."""
    rng, k = b.rng, len(centres)
    curves = random_curves(rng, centres)
    g = np.arange(k)
    gap = rng.uniform(-10.0, 10.0, k)  # negative: the two ends overlap by that much
    a0, a1 = -rng.uniform(300.0, 3_000.0, k), -gap / 2
    b0, b1 = gap / 2, rng.uniform(300.0, 3_000.0, k)
    kwargs = {"spacing_m": rng.uniform(30.0, 60.0, k), "noise_m": rng.uniform(1.0, 6.0, k)}
    line_a = _digitise(rng, curves, g, a0, a1, **kwargs)
    line_b = _digitise(
        rng,
        curves,
        g,
        b0,
        b1,
        spacing_m=rng.uniform(30.0, 60.0, k),
        noise_m=rng.uniform(1.0, 6.0, k),
        reverse=rng.random(k) < 0.5,
    )
    ia, ib = b.add(line_a, "road"), b.add(line_b, "road")
    b.pair(
        ia,
        ib,
        asset_type="road",
        kind="overlap",
        is_pair=False,
        scenario=scenario,
        shared_m=0.0,
        detail=[f"end to end, {'gap' if x >= 0 else 'overlap'} {abs(x):.1f} m" for x in gap],
    )


def _road_crossing(b: _Builder, centres: np.ndarray, scenario: str) -> None:
    """B crosses A at 90, 60 or 30 degrees (in turn), B nearly straight near the crossing."""
    rng, k = b.rng, len(centres)
    curves_a = random_curves(rng, centres, gentle=True)
    g = np.arange(k)
    length_a = rng.uniform(1_500.0, 5_000.0, k)
    u_cross = rng.uniform(-0.25, 0.25, k) * length_a
    x, y, tx, ty = curves_a.frame(g, u_cross)
    angle = np.resize(np.array(CROSSING_ANGLES_DEG), k)
    side = np.where(rng.random(k) < 0.5, 1.0, -1.0)
    w1, l1 = rng.uniform(0.0, 80.0, k), rng.uniform(1_500.0, 3_000.0, k)
    curves_b = Curves(
        x0=x,
        y0=y,
        heading=np.arctan2(ty, tx) + side * np.radians(angle),
        w1=w1,
        l1=l1,
        p1=np.zeros(k),
        w2=np.zeros(k),
        l2=np.ones(k),
        p2=np.zeros(k),
        tilt=-w1 / l1,  # off(0) = off'(0) = 0: B passes the crossing point at exactly `angle`
    )
    length_b = rng.uniform(1_000.0, 4_000.0, k)
    line_a = _digitise(
        rng,
        curves_a,
        g,
        -length_a / 2,
        length_a / 2,
        spacing_m=rng.uniform(30.0, 60.0, k),
        noise_m=rng.uniform(1.0, 6.0, k),
    )
    line_b = _digitise(
        rng,
        curves_b,
        g,
        -length_b / 2,
        length_b / 2,
        spacing_m=rng.uniform(30.0, 60.0, k),
        noise_m=rng.uniform(1.0, 6.0, k),
        reverse=rng.random(k) < 0.5,
    )
    ia, ib = b.add(line_a, "road"), b.add(line_b, "road")
    b.pair(
        ia,
        ib,
        asset_type="road",
        kind="overlap",
        is_pair=False,
        scenario=scenario,
        shared_m=0.0,
        angle_deg=angle,
        detail=[f"crossing at {a:.0f} degrees" for a in angle],
    )


def _road_parallel(b: _Builder, centres: np.ndarray, scenario: str) -> None:
    """B runs beside A, 50-150 m apart once both copies' noise is counted."""
    rng, k = b.rng, len(centres)
    curves = random_curves(rng, centres)
    g = np.arange(k)
    length = rng.uniform(800.0, 5_000.0, k)
    noise = rng.uniform(1.0, 6.0, (k, 2))
    apart = rng.uniform(50.0, 150.0, k)
    offset = (apart + noise.sum(axis=1)) * np.where(rng.random(k) < 0.5, 1.0, -1.0)
    shift = rng.uniform(-300.0, 300.0, (k, 2))
    line_a = _digitise(rng, curves, g, -length / 2, length / 2, spacing_m=50.0, noise_m=noise[:, 0])
    line_b = _digitise(
        rng,
        curves,
        g,
        -length / 2 + shift[:, 0],
        length / 2 + shift[:, 1],
        spacing_m=rng.uniform(30.0, 60.0, k),
        noise_m=noise[:, 1],
        reverse=rng.random(k) < 0.5,
        offset_m=offset,
    )
    ia, ib = b.add(line_a, "road"), b.add(line_b, "road")
    b.pair(
        ia,
        ib,
        asset_type="road",
        kind="overlap",
        is_pair=False,
        scenario=scenario,
        shared_m=0.0,
        distance_m=shapely.distance(line_a, line_b),
        detail=[f"parallel, centrelines {abs(o):.0f} m apart" for o in offset],
    )


# --- bridges -----------------------------------------------------------------------------------


def _bridges(b: _Builder, centres: np.ndarray, scenario: str) -> None:
    """The same bridge reported 2-3 times (0-25 m), or in apart years; or distinct bridges."""
    rng, k = b.rng, len(centres)
    base = centres + rng.uniform(-2_000.0, 2_000.0, (k, 2))
    counts = rng.integers(2, 4, k) if scenario != "bridge_years" else np.full(k, 2)
    group = np.repeat(np.arange(k), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    j = np.arange(len(group)) - first
    angle = rng.uniform(0.0, 2.0 * np.pi, len(group))
    if scenario == "bridge_distinct":
        # along a line, 200-800 m from one to the next
        step = rng.uniform(200.0, 800.0, len(group))
        step[j == 0] = 0.0
        along = np.cumsum(step) - np.repeat(np.cumsum(step)[first[j == 0]], counts)
        heading = np.repeat(angle[j == 0], counts)
        xy = base[group] + along[:, None] * np.column_stack([np.cos(heading), np.sin(heading)])
    else:
        # two reports: one at the site, the other 0-25 m off (one in eight copied exactly);
        # three reports: each within 12.5 m of the site, so every two are within 25 m
        two = counts[group] == 2
        radius = np.where(
            two, rng.uniform(0.0, 25.0, len(group)), rng.uniform(0.0, 12.5, len(group))
        )
        radius[two & (j == 0)] = 0.0
        copied = np.cumsum(two & (j == 0)) % 8 == 1  # the first and every 8th pair of two
        radius[two & (j == 1) & copied] = 0.0
        xy = base[group] + radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    points = shapely.points(xy)
    years = None
    if scenario == "bridge_years":
        early, late = _swap_halves(rng, *_apart_years(rng, k))
        years = np.empty((len(group), 2), dtype=np.int64)
        years[j == 0], years[j == 1] = early, late
    index = b.add(points, "bridge", years)
    pa, pb = [], []
    for n in (2, 3):
        for x, y in itertools.combinations(range(n), 2):
            rows = np.flatnonzero(counts == n)
            pa.append(index[np.cumsum(counts)[rows] - counts[rows] + x])
            pb.append(index[np.cumsum(counts)[rows] - counts[rows] + y])
    pa, pb = np.concatenate(pa), np.concatenate(pb)
    local = index[0]
    distance = shapely.distance(points[pa - local], points[pb - local])
    b.pair(
        pa,
        pb,
        asset_type="bridge",
        kind="overlap",
        is_pair=scenario == "bridge_same",
        scenario=scenario,
        distance_m=distance,
        detail=[f"bridges {d:.1f} m apart" for d in distance],
    )


def _bridge_on_road(b: _Builder, centres: np.ndarray, scenario: str) -> None:
    """Cross-type: a bridge project 0-8 m from a road project's stretch."""
    rng, k = b.rng, len(centres)
    curves = random_curves(rng, centres)
    g = np.arange(k)
    length = rng.uniform(800.0, 3_000.0, k)
    road = _digitise(
        rng, curves, g, -length / 2, length / 2, spacing_m=50.0, noise_m=rng.uniform(1.0, 4.0, k)
    )
    u = rng.uniform(-0.4, 0.4, k) * length
    x, y, tx, ty = curves.frame(g, u)
    side = rng.uniform(-4.0, 4.0, k)  # the road's own noise adds up to 4 m
    bridge = shapely.points(np.column_stack([x - side * ty, y + side * tx]))
    ir, ib = b.add(road, "road"), b.add(bridge, "bridge")
    distance = shapely.distance(road, bridge)
    b.pair(
        ir,
        ib,
        asset_type="bridge/road",
        kind="cross_type",
        is_pair=True,
        scenario=scenario,
        distance_m=distance,
        detail=[f"bridge {d:.1f} m from the road line" for d in distance],
    )


# --- irrigation areas --------------------------------------------------------------------------


def blob_coords(rng: np.random.Generator, radius: np.ndarray, n_vertices: int = 72) -> np.ndarray:
    """Smooth star-shaped outlines around (0, 0): closed rings, shape (k, n_vertices + 1, 2)."""
    k = len(radius)
    t = np.linspace(0.0, 2.0 * np.pi, n_vertices, endpoint=False) + rng.uniform(0, 6.3, (k, 1))
    amp = rng.uniform(0.0, 0.08, (k, 3, 1))
    phase = rng.uniform(0.0, 2.0 * np.pi, (k, 3, 1))
    harmonics = np.arange(2, 5)[None, :, None]
    r = radius[:, None] * (1.0 + (amp * np.cos(harmonics * t[:, None, :] + phase)).sum(axis=1))
    r = r + rng.uniform(-1.0, 1.0, r.shape)  # digitising noise
    ring = np.stack([r * np.cos(t), r * np.sin(t)], axis=-1)
    return np.concatenate([ring, ring[:, :1]], axis=1)


def _place_for_overlap(
    coords_a: np.ndarray, coords_b: np.ndarray, direction: np.ndarray, target_m2: np.ndarray
) -> np.ndarray:
    """Offsets of B (along ``direction``) so that area(A & B) is about ``target_m2``.

    Bisection on the distance between the two centres, all pairs at once.
    """
    poly_a = shapely.polygons(coords_a)
    lo = np.zeros(len(target_m2))
    hi = np.abs(coords_a).max(axis=(1, 2)) + np.abs(coords_b).max(axis=(1, 2))
    for _ in range(40):
        mid = (lo + hi) / 2
        shifted = shapely.polygons(coords_b + (mid[:, None] * direction)[:, None, :])
        too_much = shapely.area(shapely.intersection(poly_a, shifted)) > target_m2
        lo, hi = np.where(too_much, mid, lo), np.where(too_much, hi, mid)
    return (lo + hi)[:, None] / 2 * direction


def _areas(b: _Builder, centres: np.ndarray, scenario: str) -> None:
    """Two irrigation areas overlapping by a chosen amount (or one inside the other)."""
    rng, k = b.rng, len(centres)
    if scenario in ("irr_overlap", "irr_years"):
        r_small = rng.uniform(300.0, 900.0, k)
        r_large = rng.uniform(r_small, 1_500.0)
        share = rng.uniform(0.10, 0.70, k)
        target = share * np.pi * r_small**2
    elif scenario == "irr_contained":
        r_large = rng.uniform(1_000.0, 1_500.0, k)
        r_small = rng.uniform(150.0, 400.0, k)
    elif scenario == "irr_small_share":
        r_large = rng.uniform(1_200.0, 1_500.0, k)
        r_small = rng.uniform(700.0, 900.0, k)
        target = rng.uniform(1.3, 2.5, k) * 10_000.0
    else:  # irr_small_area
        r_large = rng.uniform(200.0, 300.0, k)
        r_small = rng.uniform(150.0, 250.0, k)
        target = rng.uniform(0.3, 0.7, k) * 10_000.0
    coords_large = blob_coords(rng, r_large)
    coords_small = blob_coords(rng, r_small)
    theta = rng.uniform(0.0, 2.0 * np.pi, k)
    direction = np.column_stack([np.cos(theta), np.sin(theta)])
    if scenario == "irr_contained":
        # the small outline reaches at most 1.25 r from its centre, the large one at least 0.75 R
        room = 0.75 * r_large - 1.25 * r_small - 5.0
        offset = rng.uniform(0.0, 1.0, (k, 1)) * room[:, None] * direction
    else:
        offset = _place_for_overlap(coords_large, coords_small, direction, target)
    # the middle of the pair's bounding box goes near the cell centre
    both = np.concatenate([coords_large, coords_small + offset[:, None, :]], axis=1)
    middle = (both.min(axis=1) + both.max(axis=1)) / 2
    shift = centres - middle + rng.uniform(-200.0, 200.0, (k, 2))
    large = shapely.polygons(coords_large + shift[:, None, :])
    small = shapely.polygons(coords_small + (shift + offset)[:, None, :])
    first_large = rng.random(k) < 0.5
    poly_a = np.where(first_large, large, small)
    poly_b = np.where(first_large, small, large)
    years_a = years_b = None
    if scenario == "irr_years":
        years_a, years_b = _swap_halves(rng, *_apart_years(rng, k))
    ia, ib = b.add(poly_a, "irrigation", years_a), b.add(poly_b, "irrigation", years_b)
    common_ha = shapely.area(shapely.intersection(poly_a, poly_b)) / 10_000.0
    smaller_ha = np.minimum(shapely.area(poly_a), shapely.area(poly_b)) / 10_000.0
    b.pair(
        ia,
        ib,
        asset_type="irrigation",
        kind="overlap",
        is_pair=scenario in ("irr_overlap", "irr_contained"),
        scenario=scenario,
        shared_ha=common_ha,
        detail=[
            f"{c:.2f} ha shared, {100 * c / s:.1f}% of the smaller ({s:.0f} ha)"
            for c, s in zip(common_ha, smaller_ha, strict=True)
        ],
    )


def _slivers(b: _Builder, centres: np.ndarray, scenario: str) -> None:
    """Neighbouring areas sharing a wiggly boundary that each digitised with ~2 m noise.

    In a local frame the boundary runs south to north, ``x = c(y)``; A lies west of it and B
    east. Each polygon carries its own copy of the boundary: own vertex spacing, own smooth
    sideways noise of 1-2 m (wavelengths 150-600 m) leaning 0.5 m towards the other, tapering
    to nothing at the two ends where the outlines meet. The two overlap in thin slivers and
    leave thin gaps: the intersection is a few tenths of a hectare.
    """
    rng, k = b.rng, len(centres)
    polys_a, polys_b = np.empty(k, dtype=object), np.empty(k, dtype=object)
    for i in range(k):  # ~20 groups with ragged vertex counts: clearer as a loop, and cheap
        height = rng.uniform(800.0, 2_500.0)
        width = rng.uniform(300.0, 1_200.0, 2)
        wig, wl, wp = rng.uniform(20.0, 100.0), rng.uniform(300.0, 800.0), rng.uniform(0, 6.3)

        def divider(y: np.ndarray, wig=wig, wl=wl, wp=wp) -> np.ndarray:
            return wig * np.sin(y / wl + wp)

        def copy(
            spacing: float, lean_m: float, height: float = height, divider=divider
        ) -> np.ndarray:
            y = np.linspace(-height / 2, height / 2, int(height // spacing) + 2)
            taper = np.sin(np.pi * (y + height / 2) / height)
            lam, phase = rng.uniform(150.0, 600.0, 2), rng.uniform(0.0, 6.3, 2)
            mix = rng.uniform(0.0, 1.0)
            wave = np.sin(2.0 * np.pi * y[:, None] / lam + phase)
            drift = mix * wave[:, 0] + (1.0 - mix) * wave[:, 1]
            noise = lean_m + rng.uniform(1.0, 2.0) * drift + rng.uniform(-0.3, 0.3, len(y))
            return np.column_stack([divider(y) + taper * noise, y])

        t = np.linspace(0.0, np.pi, 42)[1:-1]
        ys = height / 2 * np.cos(t)  # north to south
        bulge = 1.0 + 0.1 * np.sin(3 * t + rng.uniform(0, 6.3))
        west = np.column_stack([divider(ys) - width[0] * np.sin(t) * bulge, ys])
        east = np.column_stack([divider(ys) + width[1] * np.sin(t) * bulge, ys])[::-1]
        # each copy leans 0.5 m into its neighbour: slivers (not only gaps) are sure to form
        boundary_a = copy(rng.uniform(10.0, 60.0), 0.5)
        boundary_b = copy(rng.uniform(10.0, 60.0), -0.5)[::-1]
        ring_a = np.concatenate([boundary_a, west])  # boundary S->N, then west side N->S
        ring_b = np.concatenate([east, boundary_b])  # east side S->N, then boundary N->S
        theta = rng.uniform(0.0, 2.0 * np.pi)
        rot = np.array([[np.cos(theta), np.sin(theta)], [-np.sin(theta), np.cos(theta)]])
        shift = centres[i] + rng.uniform(-200.0, 200.0, 2)
        polys_a[i] = shapely.Polygon(ring_a @ rot + shift)
        polys_b[i] = shapely.Polygon(ring_b @ rot + shift)
    ia, ib = b.add(polys_a, "irrigation"), b.add(polys_b, "irrigation")
    common_ha = shapely.area(shapely.intersection(polys_a, polys_b)) / 10_000.0
    b.pair(
        ia,
        ib,
        asset_type="irrigation",
        kind="overlap",
        is_pair=False,
        scenario=scenario,
        shared_ha=common_ha,
        detail=[f"neighbours, slivers of {c:.3f} ha in all" for c in common_ha],
    )


_BUILDERS = {
    "road_duplicate": _road_duplicates,
    "road_reversed": _road_duplicates,
    "road_spacing": _road_duplicates,
    "road_years": _road_duplicates,
    "road_split_multi": _road_splits,
    "road_split_pieces": _road_splits,
    "road_partial": _road_partial,
    "road_consecutive": _road_consecutive,
    "road_crossing": _road_crossing,
    "road_parallel": _road_parallel,
    "bridge_same": _bridges,
    "bridge_distinct": _bridges,
    "bridge_years": _bridges,
    "bridge_on_road": _bridge_on_road,
    "irr_overlap": _areas,
    "irr_contained": _areas,
    "irr_small_share": _areas,
    "irr_small_area": _areas,
    "irr_years": _areas,
    "irr_sliver": _slivers,
}


# --- the public function -----------------------------------------------------------------------


def scenario_counts(n_groups: int) -> dict[str, int]:
    """How many groups each scenario gets: its share of ``n_groups``, at least one each.

    Parameters
    ----------
    n_groups
        Total number of groups, at least ``len(SCENARIOS)``.

    Returns
    -------
    dict
        Scenario name -> number of groups; the counts sum to ``n_groups``.
    """
    if n_groups < len(SCENARIOS):
        raise ValueError(
            f"n_groups must be at least {len(SCENARIOS)} (one per scenario), not {n_groups}"
        )
    shares = np.array([share for _, share in SCENARIOS.values()])
    extra = shares * (n_groups - len(SCENARIOS))
    counts = 1 + np.floor(extra).astype(int)
    # largest remainders take the groups left over
    left = n_groups - counts.sum()
    counts[np.argsort(-(extra - np.floor(extra)), kind="stable")[:left]] += 1
    return dict(zip(SCENARIOS, counts.tolist(), strict=True))


def _cell_centres(n: int) -> np.ndarray:
    """Centres of the first ``n`` grid cells, row by row from the north-west, UTM metres."""
    i = np.arange(n)
    x = GRID_ORIGIN_M[0] + (i % GRID_COLUMNS + 0.5) * CELL_M
    y = GRID_ORIGIN_M[1] - (i // GRID_COLUMNS + 0.5) * CELL_M
    return np.column_stack([x, y])


def _attributes(
    rng: np.random.Generator, assets: np.ndarray, team: np.ndarray, geoms: np.ndarray
) -> pd.DataFrame:
    """Level, agency, work type, budget, funding and status; one draw per team."""
    n_teams = int(team.max()) + 1
    levels = np.array(list(_LEVEL_P))
    team_level = rng.choice(levels, n_teams, p=list(_LEVEL_P.values()))
    team_pick = rng.integers(0, 1_000, n_teams)
    level = team_level[team]
    pick = team_pick[team]
    agency = np.empty(len(team), dtype=object)
    funding = np.empty(len(team), dtype=object)
    work = np.empty(len(team), dtype=object)
    for lv in levels:
        for asset in ("road", "bridge", "irrigation"):
            rows = (level == lv) & (assets == asset)
            names = _AGENCIES[lv][asset] if lv == "pusat" else _AGENCIES[lv]
            agency[rows] = np.array(names, dtype=object)[pick[rows] % len(names)]
            works = np.array(_WORK_TYPES[asset], dtype=object)
            work[rows] = works[rng.integers(0, len(works), rows.sum())]
        rows = level == lv
        sources = np.array(_FUNDING[lv], dtype=object)
        funding[rows] = sources[rng.integers(0, len(sources), rows.sum())]
    size = np.where(
        assets == "road",
        shapely.length(geoms) / 1_000.0 * rng.uniform(1.0e9, 5.0e9, len(geoms)),
        np.where(
            assets == "irrigation",
            shapely.area(geoms) / 10_000.0 * rng.uniform(1.0e7, 4.0e7, len(geoms)),
            rng.uniform(1.0e9, 1.5e10, len(geoms)),
        ),
    )
    return pd.DataFrame(
        {
            "level": level,
            "agency": agency,
            "work_type": work,
            "budget_idr": np.round(size, -6),
            "funding_source": funding,
            "status": np.array(_STATUSES, dtype=object)[rng.integers(0, 4, len(geoms))],
        }
    )


def _check_cells(geoms: np.ndarray, margin_m: float = 100.0) -> np.ndarray:
    """The grid cell of each feature; raise if one comes within ``margin_m`` of its cell edge.

    This is what makes "a pair not in the truth table is not an overlap" hold.
    """
    bounds = shapely.bounds(geoms)
    col = np.floor((bounds[:, 0] - GRID_ORIGIN_M[0]) / CELL_M)
    row = np.floor((GRID_ORIGIN_M[1] - bounds[:, 3]) / CELL_M)
    west = GRID_ORIGIN_M[0] + col * CELL_M
    north = GRID_ORIGIN_M[1] - row * CELL_M
    inside = (
        (bounds[:, 0] >= west + margin_m)
        & (bounds[:, 2] <= west + CELL_M - margin_m)
        & (bounds[:, 3] <= north - margin_m)
        & (bounds[:, 1] >= north - CELL_M + margin_m)
    )
    if not inside.all():
        raise RuntimeError(
            f"{(~inside).sum()} generated features leave their grid cell: a bug in the generator"
        )
    return (row * GRID_COLUMNS + col).astype(np.int64)


def make_labelled(seed: int = 0, n_groups: int = 300) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Build a labelled project layer and its truth table.

    Parameters
    ----------
    seed
        Seed of ``numpy.random.default_rng``: the same seed gives the same layer and table.
    n_groups
        Number of groups (one scenario each, in its own 8 km cell; at least
        ``len(SCENARIOS)``). 300 groups give about 700 features.

    Returns
    -------
    projects : geopandas.GeoDataFrame
        EPSG:4326, columns ``project_id, name, level, agency, asset_type, work_type,
        year_start, year_end, budget_idr, funding_source, status, geometry``; rows in random
        order, ``project_id`` unique (``L<seed>-<number>``).
    truth : pandas.DataFrame
        One row per labelled pair, :data:`TRUTH_COLUMNS`: ``project_a``/``project_b`` (ids,
        unordered), ``asset_type`` (``road``, ``bridge``, ``irrigation``; ``bridge/road`` for
        cross-type), ``kind`` (``overlap`` or ``cross_type``), ``is_pair`` (True for a pair that
        must be reported, False for a trap), ``scenario``, ``group``, ``shared_m`` (true shared
        road length, metres), ``shared_ha`` (intersection area as built, hectares),
        ``distance_m`` (bridges: between the points; parallel roads: between the lines, metres),
        ``angle_deg`` (crossings) and a readable ``detail``. Pairs not listed are in different
        cells and far apart.
    """
    rng = np.random.default_rng(seed)
    counts = scenario_counts(n_groups)
    cell_of_group = rng.permutation(n_groups)
    centres = _cell_centres(n_groups)[cell_of_group]
    b = _Builder(rng)
    start = 0
    for scenario, count in counts.items():
        _BUILDERS[scenario](b, centres[start : start + count], scenario)
        start += count

    geoms_utm = np.concatenate(b.geoms)
    assets = np.concatenate(b.assets)
    years = np.concatenate(b.years)
    team = np.concatenate(b.team)
    cell_id = _check_cells(geoms_utm)
    n = len(geoms_utm)

    order = rng.permutation(n)  # rows in random order: ids say nothing about scenarios
    ids = np.empty(n, dtype=object)
    ids[order] = [f"L{seed}-{i:05d}" for i in range(n)]
    attributes = _attributes(rng, assets, team, geoms_utm)
    asset_word = {"road": "Jalan Ruas", "bridge": "Jembatan", "irrigation": "Jaringan Irigasi D.I."}
    names = [
        f"{w.capitalize()} {asset_word[a]} {pid[-5:]}"
        for w, a, pid in zip(attributes["work_type"], assets, ids, strict=True)
    ]
    projects = gpd.GeoDataFrame(
        {
            "project_id": ids,
            "name": names,
            "level": attributes["level"],
            "agency": attributes["agency"],
            "asset_type": assets,
            "work_type": attributes["work_type"],
            "year_start": years[:, 0],
            "year_end": years[:, 1],
            "budget_idr": attributes["budget_idr"],
            "funding_source": attributes["funding_source"],
            "status": attributes["status"],
        },
        geometry=gpd.GeoSeries(geoms_utm, crs=UTM_EPSG),
    )
    projects = projects.iloc[np.argsort(order)].to_crs(4326).reset_index(drop=True)

    pairs = pd.concat(b.pairs, ignore_index=True)
    truth = pd.DataFrame(
        {
            "project_a": ids[pairs["a"].to_numpy()],
            "project_b": ids[pairs["b"].to_numpy()],
            "group": cell_id[pairs["a"].to_numpy()],
        }
    )
    for column in TRUTH_COLUMNS:
        if column in pairs:
            truth[column] = pairs[column].to_numpy()
    for column in ("shared_m", "shared_ha", "distance_m", "angle_deg"):
        if column not in truth:
            truth[column] = np.nan
    truth["is_pair"] = truth["is_pair"].astype(bool)
    return projects, truth[list(TRUTH_COLUMNS)]
