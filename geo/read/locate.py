"""Location by reference: road works placed on the reference road network.

DESIGN section 4, "Location by reference". Road works are specified against the road network
in two ways, and both are turned into geometry here:

- start and end points (the geotagging rule): each point is snapped to the nearest road within
  ``snap_m`` and the two are joined by the shortest route *along* the network
  (`place_start_end`, `place_many`). A straight chord between two points on a winding road is
  not the road: it misses the bends by up to a hundred metres, and overlaps along them would be
  missed.
- a ruas (road section) code or name with a chainage range such as ``STA 5+000 s/d 9+000``
  (`parse_chainage`), cut from that ruas by linear referencing (`cut_by_chainage`,
  `cut_many`).

Inputs and results are in EPSG:4326. Every distance (snapping, route lengths, chainage) is in
metres, measured in the WGS 84 / UTM zone of the road edge or ruas it lies on. Nothing here
raises for a record that cannot be placed: it gets ``None`` and a reason for the import
report, and the caller keeps what it had (a straight chord) with that warning.

The network itself (snapping, routing, ruas and chainage) is the one road-network model,
:class:`geo.spatial.network.RoadNetwork`; this module turns records into questions for it and
its answers into geometries and report lines.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.spatial.network import (
    DASHES,
    END_SLACK_M,
    RoadNetwork,
    as_network,
    chainage_as_counted,
    sta_text,
)

__all__ = [
    "DECLARED_LENGTH_SHARE",
    "RoadNetwork",
    "cut_by_chainage",
    "declared_lengths_m",
    "cut_many",
    "parse_chainage",
    "parse_chainages",
    "place_many",
    "place_start_end",
]

#: A placed length further than this share (0-1) from the length the record declares is
#: reported for that record (DESIGN section 4: placement sanity).
DECLARED_LENGTH_SHARE = 0.2
#: When the shortest route is not the declared length, this many other routes are tried.
ALTERNATIVE_ROUTES = 3

_WGS84 = 4326


# --- placing start/end points -------------------------------------------------------------------


def place_start_end(
    starts: Sequence[shapely.Geometry | None] | np.ndarray,
    ends: Sequence[shapely.Geometry | None] | np.ndarray,
    roads: gpd.GeoDataFrame | RoadNetwork,
    *,
    snap_m: float = 100.0,
    max_detour: float = 3.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Place works given by start and end points along the road network.

    Each point is snapped to the nearest road within ``snap_m``; the two snapped positions are
    joined by the shortest route along the network, cut exactly at them. When both snap to the
    same road line the result is the stretch of that road between them (unless that stretch is
    longer than the search limit, e.g. the long way round a ring road).

    Parameters
    ----------
    starts, ends
        Shapely Points in EPSG:4326, one start and one end per work; an end may be None or
        empty (a work under 500 m geotagged with one point).
    roads
        The reference network: road lines in any CRS that is set, or a `RoadNetwork` built once
        for many calls.
    snap_m
        Largest distance (metres) from a point to the road it is snapped to.
    max_detour
        Routes longer than ``max_detour`` x the straight distance between the snapped points
        plus 2 x ``snap_m`` are not searched: such a route is not the work the points describe.

    Returns
    -------
    geometries : numpy.ndarray of object
        Per work, in EPSG:4326: the route (LineString), the snapped point where there is one
        point, the point as given when it is too far from any road, or None where the caller
        should keep its straight chord (a point too far from the roads, no route).
    reasons : numpy.ndarray of object
        Per work, ``""`` when placed, otherwise why not, for the import report, e.g.
        ``"start point 340 m from the nearest road (more than 100 m): kept as a straight
        line"``.

    See Also
    --------
    place_many : the same from coordinate arrays, with route lengths and snapping distances.
    """
    start_lon, start_lat = _point_xy(starts)
    end_lon, end_lat = _point_xy(ends)
    placed = place_many(
        start_lon, start_lat, end_lon, end_lat, roads, snap_m=snap_m, max_detour=max_detour
    )
    return (
        np.asarray(placed.geometry.array, dtype=object),
        placed["reason"].to_numpy(dtype=object),
    )


def place_many(
    start_lon: np.ndarray,
    start_lat: np.ndarray,
    end_lon: np.ndarray,
    end_lat: np.ndarray,
    roads: gpd.GeoDataFrame | RoadNetwork,
    *,
    snap_m: float = 100.0,
    max_detour: float = 3.0,
    declared_m: np.ndarray | None = None,
) -> gpd.GeoDataFrame:
    """Place many works given by start and end coordinates along the road network.

    Vectorised: snapping is one tree query for all points, and routes are searched for
    `ROUTE_CHUNK` works at a time on the part of the network around them. See
    `place_start_end` for the rules.

    Parameters
    ----------
    start_lon, start_lat, end_lon, end_lat
        Coordinates in degrees (EPSG:4326), one per work; NaN for a missing point (the end of a
        work geotagged with one point).
    roads
        Road lines in any CRS that is set, or a `RoadNetwork`.
    snap_m
        Largest distance (metres) from a point to the road it is snapped to.
    max_detour
        Search limit: routes longer than ``max_detour`` x the straight distance between the
        snapped points plus 2 x ``snap_m`` are not searched.
    declared_m
        The length each work declares (``Panjang (m)``, ``PJG_KM``, ...), metres, NaN where
        none; see `declared_lengths_m`. Where the shortest route is more than
        :data:`DECLARED_LENGTH_SHARE` away from it, up to :data:`ALTERNATIVE_ROUTES` other
        routes between the snapped points are tried (the search limit grows to the declared
        length) and the one closest to the declared length is taken when it is within that
        share.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per work, in input order, EPSG:4326: ``geometry`` (route, snapped point, point
        as given, or None; see `place_start_end`), ``reason`` (``""`` when placed),
        ``route_m`` (route length along the network in metres, 0 for a point, NaN when not
        placed), ``start_snap_m`` and ``end_snap_m`` (how far each point was moved to the road,
        metres; NaN when missing or not snapped), ``length_note`` (``""``, or for a placed
        route the report words on its length against the declared one).

    Examples
    --------
    >>> from shapely import LineString
    >>> roads = gpd.GeoDataFrame(
    ...     {"road_id": ["R1"]}, geometry=[LineString([(103.60, -1.60), (103.62, -1.60)])], crs=4326
    ... )
    >>> placed = place_many([103.601], [-1.6003], [103.611], [-1.5998], roads)
    >>> round(float(placed["route_m"].iloc[0]))
    1113
    """
    network = as_network(roads)
    coords = [np.asarray(c, dtype=float).ravel() for c in (start_lon, start_lat, end_lon, end_lat)]
    n = len(coords[0])
    if any(len(c) != n for c in coords):
        raise ValueError(
            f"place_many: start_lon, start_lat, end_lon and end_lat must have one value per "
            f"work, got lengths {[len(c) for c in coords]}"
        )
    if snap_m < 0 or not max_detour >= 1:
        raise ValueError(
            f"place_many: snap_m must be >= 0 metres and max_detour >= 1, not {snap_m!r} and "
            f"{max_detour!r}"
        )
    lon = np.concatenate([coords[0], coords[2]])
    lat = np.concatenate([coords[1], coords[3]])
    given = np.isfinite(lon) & np.isfinite(lat)
    snaps = _Snaps(network, lon, lat, given, snap_m)
    placed = _Placed(
        geometry=np.full(n, None, dtype=object),
        reason=np.full(n, "", dtype=object),
        route_m=np.full(n, np.nan),
    )
    has_start, has_end = given[:n], given[n:]
    placed.reason[~has_start & ~has_end] = "no start or end point"
    single = np.flatnonzero(has_start ^ has_end)
    _place_points(placed, single, np.where(has_start[single], single, n + single), snaps)
    _place_pairs(placed, np.flatnonzero(has_start & has_end), snaps, coords, max_detour)
    length_note = np.full(n, "", dtype=object)
    if declared_m is not None:
        declared = np.asarray(declared_m, dtype=float).ravel()
        if len(declared) != n:
            raise ValueError(
                f"place_many: declared_m must have one value per work ({n}), not {len(declared)}"
            )
        _prefer_declared(placed, snaps, declared, length_note)
    return gpd.GeoDataFrame(
        {
            "reason": placed.reason,
            "length_note": length_note,
            "route_m": placed.route_m,
            "start_snap_m": np.where(snaps.snapped[:n], snaps.offset_m[:n], np.nan),
            "end_snap_m": np.where(snaps.snapped[n:], snaps.offset_m[n:], np.nan),
        },
        geometry=gpd.GeoSeries(placed.geometry, crs=_WGS84),
        crs=_WGS84,
    )


@dataclasses.dataclass
class _Placed:
    """The outcome per work, filled in by `_place_points` and `_place_pairs`."""

    geometry: np.ndarray
    reason: np.ndarray
    route_m: np.ndarray


class _Snaps:
    """Points (degrees) snapped to the nearest edge within ``snap_m``, with report figures."""

    def __init__(
        self,
        network: RoadNetwork,
        lon: np.ndarray,
        lat: np.ndarray,
        given: np.ndarray,
        snap_m: float,
    ) -> None:
        self.network, self.lon, self.lat, self.snap_m = network, lon, lat, snap_m
        snapped = network.snap(lon, lat, given, snap_m=snap_m)
        self.edge, self.along_m, self.offset_m = snapped.edge, snapped.along_m, snapped.offset_m
        self.snapped = self.edge >= 0
        self.snapped_lon, self.snapped_lat = snapped.lon, snapped.lat
        self.far_m = np.full(len(lon), np.nan)
        far = given & ~self.snapped
        if far.any():
            self.far_m[far] = network.nearest_m(lon[far], lat[far])

    def too_far(self, points: dict[str, int]) -> str:
        """Report words for points (name -> index) that are not snapped."""
        if not self.network.n_edges:
            return "the road network has no roads"
        far = " and ".join(f"{name} {_distance_text(self.far_m[k])}" for name, k in points.items())
        return f"{far} from the nearest road (more than {self.snap_m:g} m)"


def _place_points(placed: _Placed, rows: np.ndarray, point: np.ndarray, snaps: _Snaps) -> None:
    """Works with one point: the snapped point, or the point where it is, with a reason."""
    near = snaps.snapped[point]
    placed.geometry[rows[near]] = shapely.points(
        snaps.snapped_lon[point[near]], snaps.snapped_lat[point[near]]
    )
    placed.geometry[rows[~near]] = shapely.points(snaps.lon[point[~near]], snaps.lat[point[~near]])
    placed.route_m[rows[near]] = 0.0
    placed.reason[rows[~near]] = [
        f"{snaps.too_far({'point': k})}: kept where it is" for k in point[~near]
    ]


def _place_pairs(
    placed: _Placed,
    rows: np.ndarray,
    snaps: _Snaps,
    coords: list[np.ndarray],
    max_detour: float,
) -> None:
    """Works with two points: the route between them, or None and why (keep the chord)."""
    n = len(placed.reason)
    start_ok, end_ok = snaps.snapped[rows], snaps.snapped[n + rows]
    unsnapped = rows[~(start_ok & end_ok)]
    placed.reason[unsnapped] = [
        snaps.too_far(
            {
                name: k
                for name, k, ok in (
                    ("start point", i, snaps.snapped[i]),
                    ("end point", n + i, snaps.snapped[n + i]),
                )
                if not ok
            }
        )
        + ": kept as a straight line"
        for i in unsnapped
    ]
    rows = rows[start_ok & end_ok]
    if not len(rows):
        return
    network, snap_m = snaps.network, snaps.snap_m
    s, e = rows, n + rows
    lon, lat = snaps.snapped_lon, snaps.snapped_lat
    chord_m = network.chord_m(lon[s], lat[s], lon[e], lat[e], snaps.edge[s])
    limit_m = max_detour * chord_m + 2.0 * snap_m
    lines, length_m = network.routes(
        snaps.edge[s],
        snaps.along_m[s],
        snaps.edge[e],
        snaps.along_m[e],
        limit_m,
        np.column_stack([lon[s], lat[s], lon[e], lat[e]]),
    )
    found = np.isfinite(length_m)
    placed.route_m[rows[found]] = length_m[found]
    is_point = found & shapely.is_missing(lines)
    placed.geometry[rows[found & ~is_point]] = lines[found & ~is_point]
    # Start = end as given is a point work; distinct points snapped onto one place are not.
    same_given = (coords[0][rows] == coords[2][rows]) & (coords[1][rows] == coords[3][rows])
    one = is_point & same_given
    placed.geometry[rows[one]] = shapely.points(lon[s[one]], lat[s[one]])
    collapsed = is_point & ~same_given
    given_apart_m = network.chord_m(
        coords[0][rows[collapsed]],
        coords[1][rows[collapsed]],
        coords[2][rows[collapsed]],
        coords[3][rows[collapsed]],
        snaps.edge[s[collapsed]],
    )
    placed.route_m[rows[collapsed]] = np.nan
    placed.reason[rows[collapsed]] = [
        f"start and end points ({_distance_text(d)} apart) snap to the same place on the road: "
        f"kept as a straight line"
        for d in given_apart_m
    ]
    placed.reason[rows[~found]] = [
        f"no route along the road network between the snapped start and end points within "
        f"{_distance_text(lim)} ({max_detour:g} x their {_distance_text(c)} straight distance "
        f"+ 2 x {snap_m:g} m): kept as a straight line"
        for lim, c in zip(limit_m[~found], chord_m[~found], strict=True)
    ]


def _prefer_declared(
    placed: _Placed, snaps: _Snaps, declared: np.ndarray, length_note: np.ndarray
) -> None:
    """Routes far from their declared length: try other routes, keep the one that matches,
    and say in ``length_note`` how the placed length compares."""
    n = len(placed.reason)
    routed = np.flatnonzero(
        (placed.reason == "")
        & np.isfinite(declared)
        & (declared > 0)
        & (placed.route_m > 0)
        & np.isfinite(placed.route_m)
    )
    off = (
        np.abs(placed.route_m[routed] - declared[routed])
        > DECLARED_LENGTH_SHARE * (declared[routed])
    )
    for work in routed[off]:
        s, e = work, n + work
        bounds = np.array(
            [
                [
                    snaps.snapped_lon[s],
                    snaps.snapped_lat[s],
                    snaps.snapped_lon[e],
                    snaps.snapped_lat[e],
                ]
            ]
        )
        tried = [(float(placed.route_m[work]), placed.geometry[work])]
        # the shortest route again, then others; the search may reach the declared length
        for route_m, line in snaps.network.alternative_routes(
            (snaps.edge[s], snaps.along_m[s]),
            (snaps.edge[e], snaps.along_m[e]),
            (1.0 + DECLARED_LENGTH_SHARE) * declared[work] + 2.0 * snaps.snap_m,
            bounds,
            count=ALTERNATIVE_ROUTES,
        ):
            if line is not None and all(abs(route_m - m) >= 1.0 for m, _ in tried):
                tried.append((route_m, line))
        best_m, best_line = min(tried, key=lambda t: abs(t[0] - declared[work]))
        if abs(best_m - declared[work]) <= DECLARED_LENGTH_SHARE * declared[work]:
            length_note[work] = (
                f"the shortest route ({_distance_text(placed.route_m[work])}) is not the "
                f"declared {_distance_text(declared[work])}: placed along another route of "
                f"{_distance_text(best_m)}"
            )
            placed.route_m[work], placed.geometry[work] = best_m, best_line
    for work in routed:
        if length_note[work]:
            continue
        share = placed.route_m[work] / declared[work] - 1.0
        if abs(share) > DECLARED_LENGTH_SHARE:
            length_note[work] = (
                f"placed length {_distance_text(placed.route_m[work])} is {abs(share):.0%} "
                f"{'more' if share > 0 else 'less'} than the declared "
                f"{_distance_text(declared[work])}: check the start and end points"
            )


_LENGTH_WORDS = ("panjang", "pjg", "length", "volume", "vol")
_UNIT_IN_TEXT = re.compile(r"^\s*(?P<number>\d[\d.,]*)\s*(?P<unit>km|m)\b\.?\s*$", re.I)


def declared_lengths_m(frame: pd.DataFrame) -> tuple[np.ndarray, str | None]:
    """The length each record declares, in metres (NaN where none or unreadable).

    Read from the first column that names a length with its unit: ``Panjang (m)``,
    ``PJG_M``, ``PJG_KM``, ``Panjang (km)``, ``Volume (km)`` (a ``Panjang Ruas`` column, the
    road's own length, only when no other says a length); a ``Volume`` column with a
    ``Satuan`` (unit) column of ``km``/``m``; or a length column whose values carry the unit
    (``4,5 km``, ``450 m``). A length without a unit is not guessed.

    Returns
    -------
    metres, column
        Per row the declared length (metres, NaN where none), and the column read (None).

    Examples
    --------
    >>> metres, column = declared_lengths_m(pd.DataFrame({"PJG_KM": ["4,5", None]}))
    >>> metres.tolist(), column
    ([4500.0, nan], 'PJG_KM')
    """
    from geo.schema import normalise_name

    names = {normalise_name(c): c for c in frame.columns if c != "geometry"}
    candidates = [n for n in names if n.split("_")[0] in _LENGTH_WORDS]
    # "Panjang Ruas (km)" is the road's length, not the work's: read it only when nothing else
    candidates.sort(key=lambda n: bool({"ruas", "jalan", "total"} & set(n.split("_"))))
    for norm in candidates:  # the unit in the column name
        unit = norm.rsplit("_", 1)[-1] if "_" in norm else ""
        if unit in ("m", "km"):
            factor = 1000.0 if unit == "km" else 1.0
            return _lengths(frame[names[norm]], np.full(len(frame), factor)), names[norm]
    unit_column = next((names[n] for n in ("satuan", "sat", "unit") if n in names), None)
    for norm in candidates:
        column = frame[names[norm]]
        if unit_column is not None and norm.split("_")[0] in ("volume", "vol"):
            units = frame[unit_column].astype(str).str.strip().str.lower().str.rstrip(".")
            factors = units.map({"km": 1000.0, "m": 1.0, "m1": 1.0, "m'": 1.0})
            return _lengths(column, factors.to_numpy(dtype=float)), names[norm]
        text = column.dropna().astype(str)
        if len(text) and text.str.match(_UNIT_IN_TEXT).all():
            return _lengths(column, None), names[norm]
    return np.full(len(frame), np.nan), None


def _lengths(column: pd.Series, factors: np.ndarray | None) -> np.ndarray:
    """Metres from a column of numbers (times ``factors``, per row) or of numbers with their
    unit (``factors`` None)."""
    out = np.full(len(column), np.nan)
    for pos, value in enumerate(column):
        factor = 1.0
        text = "" if value is None else str(value).strip()
        if factors is None:
            found = _UNIT_IN_TEXT.match(text)
            if not found:
                continue
            text, factor = found["number"], 1000.0 if found["unit"].lower() == "km" else 1.0
        else:
            factor = factors[pos]
        number = _plain_number(value if factors is not None else text)
        if number is not None and factor is not None and np.isfinite(factor):
            out[pos] = number * factor
    return out


def _plain_number(value: object) -> float | None:
    """A length as written in Indonesian or plain notation; None when blank or ambiguous."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) if np.isfinite(value) and value > 0 else None
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if "," in text and "." in text:  # 1.250,5: dots group thousands, the comma is decimal
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        return None  # 1.500: thousands or decimals? not guessed
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number > 0 else None


def _point_xy(points: Sequence[shapely.Geometry | None] | np.ndarray) -> tuple[np.ndarray, ...]:
    """Longitude and latitude of each point; NaN for None, empty or non-point geometries."""
    geoms = np.asarray(points, dtype=object).ravel()
    geoms = np.where(pd.isna(geoms), np.array(None), geoms)
    is_point = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    lon = np.full(len(geoms), np.nan)
    lat = np.full(len(geoms), np.nan)
    xy = shapely.get_coordinates(geoms[is_point])
    lon[is_point], lat[is_point] = xy[:, 0], xy[:, 1]
    return lon, lat


# --- chainage -----------------------------------------------------------------------------------

_POSITION = r"(?:(?P<{0}km>\d+)\s*\+\s*(?P<{0}m>\d{{3}}(?:[.,]\d+)?)|(?P<{0}n>\d+(?:[.,]\d+)?))"
_CHAINAGE = re.compile(
    r"^(?:(?P<pre1>sta|km)\.?\s*)?"
    + _POSITION.format("a")
    + r"\s*(?:(?P<unit1>km|m)\b\.?)?\s*"
    + r"(?:s\s*/\s*d\.?|s\s*\.\s*d\.?|sd|sampai(?:\s+dengan)?|hingga|to|-|~)\s*"
    + r"(?:(?P<pre2>sta|km)\.?\s*)?"
    + _POSITION.format("b")
    + r"\s*(?:(?P<unit2>km|m)\.?)?$"
)
_CHAINAGE_FORMS = "'STA 5+000 s/d 9+000', '5+250 - 9+100', 'km 5,2 - 9,75' or '5.2 - 9.75 km'"


def parse_chainage(text: str) -> tuple[float, float]:
    """Read a chainage range (STA) into metres from the ruas start.

    Accepted: ``km+m`` positions (``STA 5+000 s/d 9+000``, ``Sta. 5+000 - 9+000``,
    ``5+250 sd 9+100``, the metres always three digits, optionally with decimals) and numbers
    with a unit (``km 5 - 9``, ``KM 5,2 - 9,75``, ``5.2 - 9.75 km``, ``2500 - 4000 m``; comma
    or point as the decimal mark). Separators: ``s/d``, ``s.d.``, ``sd``, ``sampai (dengan)``,
    ``hingga``, ``to``, ``~`` and any dash. Case and spacing do not matter.

    A range written from the higher chainage down (``9+000 s/d 5+000``) is the same stretch of
    road: it is returned in ascending order.

    Parameters
    ----------
    text
        The chainage as written in the work's record.

    Returns
    -------
    (float, float)
        From and to, in metres along the ruas, from < to.

    Raises
    ------
    ValueError
        With the reason: not a range of one of the forms above, plain numbers without a unit
        (``5 - 9``: kilometres or metres?), conflicting units, or a range of no length.

    Examples
    --------
    >>> parse_chainage("STA 5+000 s/d 9+000")
    (5000.0, 9000.0)
    >>> parse_chainage("KM 5,2 - 9,75")
    (5200.0, 9750.0)
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"no chainage given ({text!r}); write it like {_CHAINAGE_FORMS}")
    cleaned = re.sub(r"\s+", " ", DASHES.sub("-", text.strip().lower()))
    match = _CHAINAGE.match(cleaned)
    if not match and re.search(r"\d\s*\+\s*(?:\d{1,2}|\d{4,})(?![\d])", cleaned):
        raise ValueError(
            f"chainage {text!r}: the metres after '+' must be three digits (5+050, not 5+50)"
        )
    if not match:
        raise ValueError(
            f"chainage {text!r} is not a range this reader knows; write it like {_CHAINAGE_FORMS}"
        )
    parts = match.groupdict()
    units = {parts[k] for k in ("pre1", "pre2", "unit1", "unit2")} - {None, "sta"}
    if len(units) > 1:
        raise ValueError(f"chainage {text!r} mixes km and m; use one unit")
    unit = units.pop() if units else None
    values = []
    for side in ("a", "b"):
        if parts[f"{side}km"] is not None:
            values.append(
                1000.0 * float(parts[f"{side}km"]) + float(parts[f"{side}m"].replace(",", "."))
            )
            continue
        if unit is None:
            raise ValueError(
                f"chainage {text!r} has a number without a unit (kilometres or metres?); write "
                f"'km 5 - 9', '5 - 9 km' or 'STA 5+000 s/d 9+000'"
            )
        number = float(parts[f"{side}n"].replace(",", "."))
        values.append(number * 1000.0 if unit == "km" else number)
    low, high = sorted(values)
    if low == high:
        raise ValueError(f"chainage {text!r} has no length (from = to = {sta_text(low)})")
    return low, high


def parse_chainages(texts: Sequence[str | None] | np.ndarray | pd.Series) -> pd.DataFrame:
    """Read many chainage ranges; see `parse_chainage`.

    Parameters
    ----------
    texts
        Chainage texts, one per record (None or NaN for none).

    Returns
    -------
    pandas.DataFrame
        One row per text, in order: ``from_m``, ``to_m`` (metres, NaN where unreadable) and
        ``reason`` (``""`` when read). Each distinct text is read once.
    """
    values = pd.Series(np.asarray(texts, dtype=object).ravel(), dtype=object)
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    read = np.full((len(distinct), 2), np.nan)
    why = np.full(len(distinct), "", dtype=object)
    for k, text in enumerate(distinct):
        try:
            read[k] = parse_chainage(text if isinstance(text, str) else "")
        except ValueError as err:
            why[k] = str(err)
    return pd.DataFrame({"from_m": read[codes, 0], "to_m": read[codes, 1], "reason": why[codes]})


def cut_by_chainage(
    roads: gpd.GeoDataFrame | RoadNetwork,
    ruas: str,
    from_m: float,
    to_m: float,
    *,
    status: str | None = None,
    from_end: bool = False,
) -> tuple[shapely.Geometry | None, str]:
    """Cut the stretch ``from_m``..``to_m`` of one ruas out of the road network.

    Parameters
    ----------
    roads
        Road lines (any CRS that is set) with ``road_id`` and/or ``name`` columns, or a
        `RoadNetwork`.
    ruas
        The ruas: its ``road_id`` (kode ruas; ignoring case, then also spaces, dots and
        dashes) or its ``name`` (ignoring case, dash style, spacing and a leading
        "Jalan"/"Jl."/"Ruas").
    from_m, to_m
        Chainage in metres from the ruas start (in its digitised direction; from its other end
        with ``from_end``); in either order.
    status
        Only consider ruas of this ``status`` (e.g. ``"nasional"``), to tell apart ruas that
        share a code at different levels.
    from_end
        The chainage is counted from the other end of the ruas.

    Returns
    -------
    (shapely.LineString or None, str)
        The stretch in EPSG:4326, running in the ruas direction, and ``""``; or None and the
        reason (unknown or ambiguous ruas, features that do not join into one line, a range
        beyond the ruas end).

    See Also
    --------
    cut_many : the same for many records.

    Examples
    --------
    >>> from shapely import LineString
    >>> roads = gpd.GeoDataFrame(
    ...     {"road_id": ["N-008"], "name": ["Jambi - Tempino"]},
    ...     geometry=[LineString([(103.60, -1.60), (103.65, -1.60)])], crs=4326,
    ... )
    >>> from geo.spatial.crs import length_m
    >>> stretch, reason = cut_by_chainage(roads, "Jambi \u2013 Tempino", 1000, 3000)
    >>> reason, round(float(length_m(gpd.GeoSeries([stretch], crs=4326))[0]))
    ('', 2000)
    """
    cut = cut_many(
        roads,
        [ruas],
        [from_m],
        [to_m],
        status=None if status is None else [status],
        from_end=from_end,
    )
    return cut.geometry.iloc[0], cut["reason"].iloc[0]


def cut_many(
    roads: gpd.GeoDataFrame | RoadNetwork,
    ruas: Sequence[str | None] | np.ndarray | pd.Series,
    from_m: Sequence[float] | np.ndarray,
    to_m: Sequence[float] | np.ndarray,
    *,
    status: Sequence[str | None] | np.ndarray | None = None,
    from_end: bool = False,
) -> gpd.GeoDataFrame:
    """Cut chainage ranges out of ruas, for many records at once.

    Each distinct ruas is looked up once; the cuts are one vectorised linear-referencing pass.
    See `cut_by_chainage` for the matching rules.

    Parameters
    ----------
    roads
        Road lines (any CRS that is set) with ``road_id`` and/or ``name``, or a `RoadNetwork`.
    ruas
        Ruas code or name per record.
    from_m, to_m
        Chainage in metres per record (NaN where unknown); in either order.
    status
        Optional ruas status per record (None for any).
    from_end
        True: ``from_m`` and ``to_m`` are counted from the other end of the ruas
        (:attr:`geo.settings.Settings.chainage_from` ``end``); the stretch is the same metres
        measured from there.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per record, in order, EPSG:4326: ``geometry`` (the stretch, or None),
        ``reason`` (``""`` when cut), ``road_id`` and ``ruas_name`` of the ruas found (``""``
        when none) and ``ruas_length_m`` (its length in metres, NaN when none).
    """
    network = as_network(roads)
    index = network.ruas
    asked = pd.Series(np.asarray(ruas, dtype=object).ravel(), dtype=object)
    low = np.asarray(from_m, dtype=float).ravel()
    high = np.asarray(to_m, dtype=float).ravel()
    n = len(asked)
    if len(low) != n or len(high) != n:
        raise ValueError(
            f"cut_many: ruas, from_m and to_m must have one value per record, got lengths "
            f"{n}, {len(low)} and {len(high)}"
        )
    wanted_status = (
        pd.Series([None] * n, dtype=object)
        if status is None
        else pd.Series(np.asarray(status, dtype=object).ravel(), dtype=object)
    )
    low, high = np.minimum(low, high), np.maximum(low, high)

    asked_text = asked.where(asked.notna(), "").astype(str)
    status_text = wanted_status.where(wanted_status.notna(), "").astype(str)
    codes, distinct = pd.factorize(asked_text + "\x1f" + status_text)
    found = np.full(len(distinct), -1, dtype=np.int64)
    why = np.full(len(distinct), "", dtype=object)
    for k, key in enumerate(distinct):
        text, wanted = key.split("\x1f")
        found[k], why[k] = network.find_ruas(text, wanted)
    group = found[codes]
    reason = why[codes].copy()

    matched = group >= 0
    problem = _of_ruas(index.problem, group, "")
    reason[matched] = problem[matched]
    ok = matched & (problem == "")
    bad_range = ok & ~((low >= 0) & np.isfinite(high) & (high > low))
    reason[bad_range] = [
        f"chainage {_range_text(a, b)} is not a range along the ruas (from must be >= 0 and "
        f"less than to)"
        for a, b in zip(low[bad_range], high[bad_range], strict=True)
    ]
    ok &= ~bad_range
    ruas_length = _of_ruas(index.length_m, group, np.nan)
    # A range may end a little past the digitised end (rounding): it stops at the end.
    high = np.where(
        ok & (high > ruas_length) & (high <= ruas_length + END_SLACK_M), ruas_length, high
    )
    beyond = ok & (high > ruas_length)
    reason[beyond] = [
        f"chainage {_range_text(a, b)} goes beyond the end of ruas {index.label[g]}, which is "
        f"{_distance_text(length)} long (STA {sta_text(length)})"
        for a, b, g, length in zip(
            low[beyond], high[beyond], group[beyond], ruas_length[beyond], strict=True
        )
    ]
    ok &= ~beyond

    geometry = np.full(n, None, dtype=object)
    rows = np.flatnonzero(ok)
    if len(rows):
        start_m, end_m = chainage_as_counted(
            low[rows], high[rows], ruas_length[rows], from_end=from_end
        )
        geometry[rows] = network.cut(group[rows], np.maximum(start_m, 0.0), end_m)
    return gpd.GeoDataFrame(
        {
            "reason": reason,
            "road_id": _of_ruas(index.road_id, group, ""),
            "ruas_name": _of_ruas(index.label, group, ""),
            "ruas_length_m": ruas_length,
        },
        geometry=gpd.GeoSeries(geometry, crs=_WGS84),
        crs=_WGS84,
    )


def _of_ruas(values: np.ndarray, group: np.ndarray, missing: object) -> np.ndarray:
    """Per record, the value of its ruas (``group``), or ``missing`` where it has none."""
    out = np.full(len(group), missing, dtype=values.dtype)
    matched = group >= 0
    out[matched] = values[group[matched]]
    return out


# --- report text --------------------------------------------------------------------------------


def _distance_text(metres: float) -> str:
    return "an unknown distance" if not np.isfinite(metres) else f"{metres:,.0f} m"


def _range_text(low: float, high: float) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return "(missing)"
    return f"{sta_text(low)} s/d {sta_text(high)}"
