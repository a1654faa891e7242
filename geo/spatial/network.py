"""The road network: one model for placing works, for authority and for coverage gaps.

A `RoadNetwork` is built once from the reference road layer and answers every question the
reader and the analyses ask of the roads:

- **snapping and routing** (`RoadNetwork.snap`, `RoadNetwork.routes`): works given by start
  and end points are snapped to the nearest road and joined *along* it
  (:mod:`geo.read.locate`). The routing graph (:mod:`geo.spatial._routing`: a node at both
  ends of every road line, where roads cross or touch and where a road ends within
  ``join_m`` of another; edges measured in metres in their own UTM zone) is built on first
  use.
- **ruas identity and chainage** (`RoadNetwork.ruas`, `RoadNetwork.find_ruas`,
  `RoadNetwork.cut`): features sharing a ``road_id`` (or a name) and a status are one ruas,
  merged into one line in chainage order; ``STA 5+000 s/d 9+000`` is cut from it by linear
  referencing.
- **status along a line** (`RoadNetwork.status_along`): how much of a project's length runs
  along roads of each status, in the year of the project (dated decrees), for the authority
  check (:mod:`geo.analyse.authority`).
- **coverage** (`RoadNetwork.covered`, `RoadNetwork.line`): the stretches of the network that
  road projects run along, on one number line (metres), cut by units, with the covered length
  per status, for the gaps (:mod:`geo.analyse.gaps`).

Status and condition are normalised once, here (`normal_statuses`, `normal_conditions`), from
the one vocabulary of spellings (:data:`ROAD_STATUS`) the reference reader uses too. The
network sits in :mod:`geo.spatial` (below :mod:`geo.read`) because the reader places works on
it while reading. Inputs and results are in EPSG:4326; every distance is in metres, measured
in the WGS 84 / UTM zone of the road it lies on, so a national network spanning nine zones is
one network.

Each view (routing graph, ruas, status pieces, number line) is built on first use and kept:
build the network once and pass it to every call. A new question about the roads (locating a
drawn line on the network as ruas intervals, overlaps measured in chainage) is a new method or
view here, built from the same graph edges (`RoadNetwork.graph`: ``part`` ties each edge to its
road line) and the same ruas (`RoadNetwork.ruas`: one line per ruas in chainage order), so that
placement, authority and gaps keep speaking of the same ruas and the same metres.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process

from geo.errors import CRSError
from geo.spatial import _routing
from geo.spatial._coverage import (
    SIMPLIFY_M,
    STATUS_ORDER,
    TILE_DEG,
    Intervals,
    NumberLine,
    StatusAlong,
)
from geo.spatial._coverage import StatusPieces as _StatusPieces
from geo.spatial._coverage import subtract as subtract_intervals
from geo.spatial.crs import utm_epsg_for_geometries
from geo.spatial.ruas_names import rank_ruas

__all__ = [
    "CONDITIONS",
    "DASHES",
    "ROAD_CONDITION_WORDS",
    "ROAD_STATUS",
    "ROAD_STATUSES",
    "SIMPLIFY_M",
    "TILE_DEG",
    "END_SLACK_M",
    "Intervals",
    "RoadNetwork",
    "RuasIndex",
    "Snapped",
    "StatusAlong",
    "normal_conditions",
    "normal_statuses",
    "subtract_intervals",
    "as_network",
    "chainage_as_counted",
    "sta_text",
]

#: Road statuses, highest level of government first; the order of per-status tables.
ROAD_STATUSES: tuple[str, ...] = STATUS_ORDER
#: Road conditions, most severe first: the ranking order of uncovered stretches.
CONDITIONS: tuple[str, ...] = ("rusak berat", "rusak ringan", "sedang", "baik")
#: Short condition codes found in road data, to the condition they mean.
ROAD_CONDITION_WORDS = {"rb": "rusak berat", "rr": "rusak ringan", "b": "baik", "s": "sedang"}
#: Dashes of every kind, read as "-" in ruas names and chainage ranges.
DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")

#: Status spellings found in road data, to the status they mean (kota roads are kabupaten/kota
#: roads; toll roads are national). The one vocabulary: the reference reader uses it too.
ROAD_STATUS = {
    "nasional": "nasional",
    "national": "nasional",
    "jalan nasional": "nasional",
    "n": "nasional",
    "provinsi": "provinsi",
    "prov": "provinsi",
    "propinsi": "provinsi",
    "jalan provinsi": "provinsi",
    "p": "provinsi",
    "kabupaten": "kabupaten",
    "kota": "kabupaten",
    "kab": "kabupaten",
    "kabupaten/kota": "kabupaten",
    "kab/kota": "kabupaten",
    "jalan kabupaten": "kabupaten",
    "jalan kota": "kabupaten",
    "k": "kabupaten",
    "desa": "desa",
    "jalan desa": "desa",
    # English and older words found in road data: "jalan negara" and toll roads are national.
    "negara": "nasional",
    "jalan negara": "nasional",
    "tol": "nasional",
    "jalan tol": "nasional",
    "province": "provinsi",
    "district": "kabupaten",
    "city": "kabupaten",
    "village": "desa",
    "jalan lingkungan": "desa",
}


_WGS84 = 4326
_LINE_TYPES = (1, 5)  # LineString, MultiLineString
#: A chainage range may end this far (metres) past a ruas's digitised end and stop at the end:
#: "STA 0+000 s/d 30+000" on a ruas measured at 29,999.9997 m is the whole ruas.
END_SLACK_M = 0.5


def normal_statuses(values: pd.Series) -> np.ndarray:
    """Road statuses in the words of :data:`ROAD_STATUSES`; others kept, ``unknown`` if none.

    Case, spacing and a leading "Jalan" do not matter; :data:`ROAD_STATUS` maps the other
    spellings (``kota`` -> ``kabupaten``, ``tol`` -> ``nasional``). A status this vocabulary
    does not know is kept as its own word (``jalan khusus`` -> ``khusus``).
    """

    def one(value: str) -> str:
        key = re.sub(r"\s+", " ", value.strip().lower()).removeprefix("jalan ").strip()
        key = ROAD_STATUS.get(key, key)
        return re.sub(r"[^a-z0-9]+", "_", key).strip("_") or "unknown"

    texts = values.where(values.map(lambda v: isinstance(v, str)), None)
    mapping = {value: one(value) for value in texts.dropna().unique()}
    # As objects: with no status at all (a network read without one) the map gives floats.
    return texts.map(mapping).astype(object).fillna("unknown").to_numpy(dtype=object)


def normal_conditions(values: pd.Series) -> np.ndarray:
    """Road conditions in the words of :data:`CONDITIONS` (other words kept), None if none."""

    def one(value: str) -> str | None:
        key = re.sub(r"[\s_\-]+", " ", value.strip().lower())
        return ROAD_CONDITION_WORDS.get(key, key) or None

    texts = values.where(values.map(lambda v: isinstance(v, str)), None)
    mapping = {value: one(value) for value in texts.dropna().unique()}
    normal = texts.map(mapping).to_numpy(dtype=object)
    normal[pd.isna(normal)] = None
    return normal


class Snapped(NamedTuple):
    """Points snapped to the network (`RoadNetwork.snap`), one entry per point.

    ``edge`` is the routing edge (-1 where no road is within reach), ``along_m`` the position
    along it and ``offset_m`` the distance moved (metres), ``lon`` and ``lat`` the snapped
    position (degrees; NaN where not snapped).
    """

    edge: np.ndarray
    along_m: np.ndarray
    offset_m: np.ndarray
    lon: np.ndarray
    lat: np.ndarray


class RoadNetwork:
    """The reference road network, ready for placing works, authority and coverage.

    Parameters
    ----------
    roads
        Road features in any CRS, which must be set (reprojected to EPSG:4326): a LineString or
        MultiLineString per feature; optional columns ``road_id`` (kode ruas, e.g. ``"N-008"``
        or ``"015"``), ``name`` (nama ruas, e.g. ``"Jambi - Tempino"``), ``status``
        (nasional, provinsi, ...), ``condition``, ``decree`` and the years of the decree in
        force, ``valid_from`` and ``valid_to``. A ruas may be one feature or several
        consecutive ones, in chainage order; chainage runs from the ruas start in the
        digitised direction.
    join_m
        A road ending within this many metres of another road is joined to it (a digitised
        T-junction that stops short); also the distance within which line ends are one node.

    Attributes
    ----------
    frame
        Every feature, EPSG:4326, indexed 0..n-1: the rows ``status``, ``condition`` and the
        status and coverage views count in.
    roads
        The features with a line geometry, EPSG:4326, with their original index labels: the
        rows the routing graph and the ruas are built from.
    status, condition
        Per row of ``frame``: the status (`normal_statuses`; ``unknown`` without a status
        column) and the condition (`normal_conditions`; None where not given).
    notes
        Report lines about features left out (no line geometry).

    Raises
    ------
    geo.errors.CRSError
        If ``roads`` has no CRS.

    Examples
    --------
    >>> from shapely import LineString
    >>> roads = gpd.GeoDataFrame({"road_id": ["N-1"], "status": ["Jalan Nasional"]},
    ...     geometry=[LineString([(103.60, -1.6), (103.62, -1.6)])], crs=4326)
    >>> network = RoadNetwork(roads)
    >>> network.status.tolist(), round(float(network.ruas.length_m[0]))
    (['nasional'], 2225)
    """

    def __init__(self, roads: gpd.GeoDataFrame, *, join_m: float = 1.0) -> None:
        if not isinstance(roads, gpd.GeoDataFrame):
            raise TypeError(
                f"RoadNetwork: roads must be a GeoDataFrame of road lines, not {type(roads)!r}"
            )
        if roads.crs is None:
            raise CRSError(
                "road network: the roads have no CRS (crs is None), so their units are unknown; "
                "declare it with set_crs(), e.g. .set_crs(4326) for longitude/latitude degrees"
            )
        if join_m < 0:
            raise ValueError(f"RoadNetwork: join_m must be >= 0 metres, not {join_m!r}")
        roads_deg = roads if roads.crs.equals(_WGS84) else roads.to_crs(_WGS84)
        geoms = np.asarray(roads_deg.geometry.array, dtype=object)
        usable = np.isin(shapely.get_type_id(geoms), _LINE_TYPES) & ~shapely.is_empty(geoms)
        self.notes: list[str] = []
        if not usable.all():
            left_out = roads_deg.index[~usable]
            self.notes.append(
                f"road network: {len(left_out)} feature(s) without a line geometry were left "
                f"out (index {_first_few(left_out)})"
            )
        self.roads: gpd.GeoDataFrame = roads_deg.iloc[np.flatnonzero(usable)]
        self.frame: gpd.GeoDataFrame = roads_deg.reset_index(drop=True)
        self.join_m = float(join_m)
        columns = self.frame.columns
        self.status: np.ndarray = (
            normal_statuses(self.frame["status"])
            if "status" in columns
            else np.full(len(self.frame), "unknown", dtype=object)
        )
        self.condition: np.ndarray = (
            normal_conditions(self.frame["condition"])
            if "condition" in columns
            else np.full(len(self.frame), None, dtype=object)
        )

    def __len__(self) -> int:
        return len(self.roads)

    # --- views, each built on first use -------------------------------------------------------

    @functools.cached_property
    def graph(self) -> _routing.Graph:
        """The routing graph."""
        return _routing.build_graph(
            np.asarray(self.roads.geometry.array, dtype=object), self.join_m
        )

    @functools.cached_property
    def ruas(self) -> RuasIndex:
        """The ruas (road sections) with their lines in chainage order."""
        return _build_ruas(self.roads)

    @functools.cached_property
    def pieces(self) -> _StatusPieces:
        """The roads cut into short simplified pieces with their status (`status_along`)."""
        known = {status: k for k, status in enumerate(ROAD_STATUSES)}
        index = np.array([known.get(s, -1) for s in self.status], dtype=np.int64)
        return _StatusPieces(self.frame, index)

    @functools.cached_property
    def line(self) -> NumberLine:
        """The roads on one number line (metres), cut into chunks (`covered`)."""
        return NumberLine(self.frame, self.status, self.condition)

    # --- snapping and routing -----------------------------------------------------------------

    @property
    def n_edges(self) -> int:
        """Edges of the routing graph (0: no roads to snap to)."""
        return len(self.graph.edges_deg)

    def snap(
        self, lon: np.ndarray, lat: np.ndarray, given: np.ndarray, *, snap_m: float
    ) -> Snapped:
        """Snap points (degrees; ``given`` marks those present) to the nearest edge within
        ``snap_m`` metres."""
        edge, along_m, offset_m = _routing.snap(self.graph, lon, lat, given, snap_m)
        snapped_lon, snapped_lat = _routing.points_on(self.graph, edge, along_m)
        return Snapped(edge, along_m, offset_m, snapped_lon, snapped_lat)

    def nearest_m(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Distance (metres) from each point (degrees) to the nearest road (inf: no roads)."""
        return _routing.nearest_m(self.graph, lon, lat)

    def chord_m(
        self,
        lon_a: np.ndarray,
        lat_a: np.ndarray,
        lon_b: np.ndarray,
        lat_b: np.ndarray,
        edge: np.ndarray,
    ) -> np.ndarray:
        """Straight distance (metres) between point pairs, in the UTM zone of ``edge``."""
        return _routing.chord_m(self.graph, lon_a, lat_a, lon_b, lat_b, edge)

    def routes(
        self,
        start_edge: np.ndarray,
        start_m: np.ndarray,
        end_edge: np.ndarray,
        end_m: np.ndarray,
        limit_m: np.ndarray,
        bounds_deg: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Shortest routes between snapped positions, each at most ``limit_m`` long.

        ``bounds_deg`` holds per route its start and end (lon, lat, lon, lat). Returns the
        routes (LineStrings in EPSG:4326; None for a route of no length) and their lengths
        (metres; inf where no route is within the limit). Two positions on one road line are
        joined by the stretch of that road.
        """
        return _routing.routes(
            self.graph, start_edge, start_m, end_edge, end_m, limit_m, bounds_deg
        )

    def alternative_routes(
        self,
        start: tuple[int, float],
        end: tuple[int, float],
        limit_m: float,
        bounds_deg: np.ndarray,
        *,
        count: int,
    ) -> list[tuple[float, shapely.Geometry | None]]:
        """The shortest route between two snapped positions, then up to ``count`` others.

        Each search weighs the stretches of the routes already found
        :data:`geo.spatial._routing.TRIED_EDGE_WEIGHT` times their length, so the next one
        takes another way where there is one. Returns ``(length_m, route)`` pairs, in the
        order found (a route may repeat when there is no other).
        """
        return _routing.alternative_routes(self.graph, start, end, limit_m, bounds_deg, count=count)

    # --- ruas and chainage --------------------------------------------------------------------

    def find_ruas(self, text: str, status: str = "") -> tuple[int, str]:
        """The ruas (index into `ruas`) a record names by code or name, or -1 and why not.

        Never a guess between several: a name matching ruas of several statuses asks for the
        status or the code.
        """
        return _find_ruas(self.ruas, text, status)

    def cut(self, ruas: np.ndarray, from_m: np.ndarray, to_m: np.ndarray) -> np.ndarray:
        """The stretches ``from_m``..``to_m`` (metres from the ruas start, ``0 <= from_m <
        to_m <= length``) of ruas (indices into `ruas`), as LineStrings in EPSG:4326 running in
        the ruas direction."""
        index = self.ruas
        used, which = np.unique(ruas, return_inverse=True)
        stretches = _routing.substrings(index.line_m[used], from_m, to_m, which=which)
        return _routing.project(stretches, index.zone[ruas], inverse=True)

    # --- status and coverage ------------------------------------------------------------------

    def status_along(
        self,
        geoms: np.ndarray,
        lines: np.ndarray,
        years: np.ndarray,
        zones: np.ndarray,
        *,
        tolerance_m: float,
        max_angle_deg: float,
        measure: Callable[[np.ndarray], np.ndarray],
    ) -> StatusAlong | None:
        """How far each line project runs along roads of each status, metres.

        Parameters
        ----------
        geoms
            Projects in EPSG:4326.
        lines
            Positions of the line projects in ``geoms`` to measure.
        years
            Per project the year whose decree decides (``valid_from <= year <= valid_to``);
            NaN: the rows still in force.
        zones
            Per project the UTM zone (EPSG) it is measured in.
        tolerance_m, max_angle_deg
            A road within ``tolerance_m`` of the project, running in its direction within
            ``max_angle_deg``, counts for the stretch of the project it faces.
        measure
            The project lines (metres) as they are measured along, e.g. resampled.

        Returns
        -------
        StatusAlong or None
            Stretches per project and road row, and per project and status (index into
            :data:`ROAD_STATUSES`) the merged length; None when nothing runs along a road.
            Rows whose status is not one of :data:`ROAD_STATUSES` are not counted.
        """
        return self.pieces.along(
            geoms,
            lines,
            years,
            zones,
            n_statuses=len(ROAD_STATUSES),
            tolerance_m=tolerance_m,
            max_angle_deg=max_angle_deg,
            measure=measure,
        )

    def covered(
        self,
        geoms: np.ndarray,
        roads: np.ndarray,
        *,
        tolerance_m: float,
        max_angle_deg: float,
        tile_deg: float = TILE_DEG,
    ) -> Intervals:
        """The stretches of the network road projects run along, on the number line `line`.

        ``roads`` are the positions of road projects (lines, EPSG:4326) in ``geoms``. A
        stretch is covered where a project runs along it within ``tolerance_m`` and
        ``max_angle_deg``; ``tile_deg`` bounds memory (tiles of that many degrees, one at a
        time), never the result.
        """
        return self.line.covered(
            geoms, roads, tolerance_m=tolerance_m, max_angle_deg=max_angle_deg, tile_deg=tile_deg
        )


def sta_text(metres: float) -> str:
    """Chainage as road agencies write it (STA, kilometre + metre): 12,345 m -> ``"12+345"``.

    >>> sta_text(12345.4), sta_text(0), sta_text(999.6)
    ('12+345', '0+000', '1+000')
    """
    km, m = divmod(round(float(metres)), 1000)
    return f"{km}+{m:03d}"


def chainage_as_counted(
    from_m: np.ndarray, to_m: np.ndarray, length_m: np.ndarray, *, from_end: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Chainage along a ruas as its agency counts it: from its start, as measured, or (with
    ``from_end``) from its other end, ``length - to`` .. ``length - from``.

    Its own inverse: chainage counted from the end gives back the chainage from the start.
    Metres; NaN stays NaN; ``from <= to`` in and out.

    >>> chainage_as_counted(np.array([1000.0]), np.array([3000.0]), np.array([10000.0]),
    ...     from_end=True)
    (array([7000.]), array([9000.]))
    """
    low, high = np.asarray(from_m, dtype=float), np.asarray(to_m, dtype=float)
    if not from_end:
        return low, high
    length = np.asarray(length_m, dtype=float)
    return length - high, length - low


def as_network(roads: gpd.GeoDataFrame | RoadNetwork) -> RoadNetwork:
    """``roads`` as a `RoadNetwork` (built from a layer, or as given)."""
    return roads if isinstance(roads, RoadNetwork) else RoadNetwork(roads)


# --- ruas ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RuasIndex:
    """Road sections (ruas), each merged into one line in metres in its own UTM zone.

    ``line_m[g]`` is None where the features of ruas ``g`` do not join into one line;
    ``problem[g]`` then says so.
    """

    label: np.ndarray
    road_id: np.ndarray
    status: np.ndarray
    line_m: np.ndarray
    zone: np.ndarray
    length_m: np.ndarray
    problem: np.ndarray
    by_raw_id: dict[str, list[int]]
    by_id: dict[str, list[int]]
    by_name: dict[str, list[int]]
    has_keys: bool
    #: Per feature (row of ``RoadNetwork.roads``): its ruas, -1 without a code or name.
    of_row: np.ndarray
    #: Per ruas: the name of its first feature ("" without one).
    name: np.ndarray

    @functools.cached_property
    def codes_upper(self) -> list[str]:
        """Every raw code, then every label, in upper case: what a ruas not found is compared
        with (built once: a list naming many ruas the network lacks asks for it per row)."""
        return [*self.by_raw_id, *(label.upper() for label in self.label)]


def _id_key(raw: pd.Series) -> pd.Series:
    """Ruas codes compared ignoring case, spaces, dots and dashes: 'n 008', 'N-008' -> 'N008'."""
    return raw.str.upper().str.replace(r"[\s._\-\u2010-\u2015\u2212]+", "", regex=True)


def _name_key(raw: pd.Series) -> pd.Series:
    """Ruas names compared ignoring case, dash style and spacing, and a leading Jalan/Ruas."""
    text = raw.str.lower().str.replace(DASHES, "-", regex=True)
    text = text.str.replace(r"\s*-\s*", " - ", regex=True).str.replace(r"\s+", " ", regex=True)
    text = text.str.strip()
    return text.str.replace(r"^(?:(?:ruas|jalan|jln?\.?)\s+)+", "", regex=True).str.strip()


def _column_text(roads: gpd.GeoDataFrame, column: str) -> pd.Series:
    if column not in roads.columns:
        return pd.Series([""] * len(roads), index=roads.index, dtype=object)
    values = roads[column]
    return values.where(values.notna(), "").astype(str).str.strip()


def _build_ruas(roads: gpd.GeoDataFrame) -> RuasIndex:
    """Group road features into ruas and merge each into one line in chainage order.

    A ruas is the features sharing a ``road_id`` (ignoring case) and ``status``; features
    without a road_id are grouped by name. The same code at another level is another road
    (national and provincial numbering overlap). Codes that differ only in spacing, dots or
    dashes stay separate ruas here: a lookup matching several of them is ambiguous, not merged.
    """
    raw_id = _column_text(roads, "road_id")
    name = _column_text(roads, "name")
    status = _column_text(roads, "status")
    id_key, name_key = _id_key(raw_id), _name_key(name)
    status_key = status.str.lower()
    by_id = np.where(id_key != "", "id\x1f" + raw_id.str.upper(), "name\x1f" + name_key)
    keyed = (id_key != "") | (name_key != "")
    group, _ = pd.factorize(pd.Series(by_id + "\x1f" + status_key))
    group = np.where(keyed, group, -1)
    rows = np.flatnonzero(keyed)
    if len(rows):
        group[rows] = pd.factorize(group[rows])[0]
    n_groups = int(group.max()) + 1 if len(rows) else 0
    has_keys = bool("road_id" in roads.columns or "name" in roads.columns)
    if not n_groups:
        none, no_zone = np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
        return RuasIndex(
            none, none, none, none, no_zone, np.empty(0), none, {}, {}, {}, has_keys, group, none
        )

    geoms = np.asarray(roads.geometry.array, dtype=object)
    parts, owner = shapely.get_parts(geoms[rows], return_index=True)
    part_group = group[rows][owner]
    order = np.argsort(part_group, kind="stable")  # features keep their (chainage) order
    parts, part_group = parts[order], part_group[order]
    joined = shapely.multilinestrings(parts, indices=part_group)
    # In the digitised direction when every feature runs the same way. When some were digitised
    # backwards, an undirected merge joins them and the features' order says which way the
    # chainage runs: it starts in the first feature (in row order) and ends in the last.
    merged = shapely.line_merge(joined, directed=True)
    retry = np.flatnonzero(shapely.get_type_id(merged) != 1)
    if len(retry):
        merged[retry] = shapely.line_merge(joined[retry])
        retry = retry[shapely.get_type_id(merged[retry]) == 1]
        first_part = np.searchsorted(part_group, retry, side="left")
        last_part = np.searchsorted(part_group, retry, side="right") - 1
        middle = shapely.line_interpolate_point(parts, 0.5, normalized=True)
        flip = retry[
            shapely.line_locate_point(merged[retry], middle[first_part])
            > shapely.line_locate_point(merged[retry], middle[last_part])
        ]
        merged[flip] = shapely.reverse(merged[flip])
    one_line = shapely.get_type_id(merged) == 1

    first_row = np.full(n_groups, -1, dtype=np.int64)
    first_row[group[rows][::-1]] = rows[::-1]
    shown_id = raw_id.to_numpy(dtype=object)[first_row]
    shown_name = name.to_numpy(dtype=object)[first_row]
    shown_status = status.to_numpy(dtype=object)[first_row]
    label = np.array(
        [
            _ruas_label(i, nm, st)
            for i, nm, st in zip(shown_id, shown_name, shown_status, strict=True)
        ],
        dtype=object,
    )
    pieces = shapely.get_num_geometries(merged)
    problem = np.full(n_groups, "", dtype=object)
    problem[~one_line] = [
        f"ruas {label[g]} does not form one line: its features join into {pieces[g]} separate "
        f"pieces, so chainage cannot be measured along it; connect them end to end in the "
        f"road network"
        for g in np.flatnonzero(~one_line)
    ]
    lines_deg = np.where(one_line, merged, None)
    zone = utm_epsg_for_geometries(gpd.GeoSeries(lines_deg, crs=_WGS84))
    line_m = np.full(n_groups, None, dtype=object)
    line_m[one_line] = _routing.project(lines_deg[one_line], zone[one_line])
    length = np.where(one_line, shapely.length(np.where(one_line, line_m, np.array(None))), np.nan)

    def lookup(keys: pd.Series) -> dict[str, list[int]]:
        pairs = pd.DataFrame({"key": keys.to_numpy()[rows], "group": group[rows]})
        pairs = pairs[pairs["key"] != ""].drop_duplicates()
        return {k: sorted(g.tolist()) for k, g in pairs.groupby("key", sort=False)["group"]}

    return RuasIndex(
        label=label,
        road_id=shown_id,
        status=status_key.to_numpy(dtype=object)[first_row],
        line_m=line_m,
        zone=zone,
        length_m=length,
        problem=problem,
        by_raw_id=lookup(raw_id.str.upper()),
        by_id=lookup(id_key),
        by_name=lookup(name_key),
        has_keys=has_keys,
        of_row=group,
        name=shown_name,
    )


def _ruas_label(road_id: str, name: str, status: str) -> str:
    detail = ", ".join(x for x in (name, status) if x)
    if road_id:
        return f"{road_id} ({detail})" if detail else road_id
    return f"'{name}' ({status})" if status else f"'{name}'"


def _find_ruas(index: RuasIndex, text: str, status: str) -> tuple[int, str]:
    """The ruas a record names, or -1 and why not (never a guess between several)."""
    text = text.strip()
    if not index.has_keys:
        return -1, "the road network has no road_id or name column to find a ruas by"
    if not text:
        return -1, "no ruas (road_id or name) given"
    single = pd.Series([text], dtype=object)
    candidates = (
        index.by_raw_id.get(text.upper())
        or index.by_id.get(_id_key(single).iloc[0])
        or index.by_name.get(_name_key(single).iloc[0])
        or []
    )
    wanted = status.strip().lower()
    if wanted:
        candidates = [g for g in candidates if index.status[g] == wanted]
    if len(candidates) == 1:
        return candidates[0], ""
    of_status = f" with status {status!r}" if wanted else ""
    if candidates:
        listed = "; ".join(index.label[g] for g in candidates)
        return -1, (
            f"ruas {text!r}{of_status} matches {len(candidates)} different ruas: {listed}; "
            f"give the road_id (kode ruas) or the status to say which"
        )
    close = process.extract(
        text.upper(), index.codes_upper, scorer=fuzz.ratio, limit=3, score_cutoff=60
    )
    hint = f"; closest: {', '.join(c[0] for c in close)}" if close else ""
    if any(index.name):
        named = rank_ruas(text, list(index.name), limit=3)
        named = named[named["score"] >= 0.6]
        if len(named):
            hint += "; closest by name (as proposal lists write them): " + ", ".join(
                f"{index.label[g]} ({score:.2f})"
                for g, score in zip(named["index"], named["score"], strict=True)
            )
    return -1, (
        f"ruas {text!r}{of_status} is not in the road network ({len(index.label)} ruas, matched "
        f"by road_id or name){hint}"
    )


def _first_few(labels, shown: int = 5) -> str:
    """The first few labels, and how many more."""
    items = [str(x) for x in list(labels)[:shown]]
    more = len(labels) - shown
    return ", ".join(items) + (f" and {more} more" if more > 0 else "")
