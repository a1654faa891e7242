"""Authority checks (kewenangan): is each level of government working on its own assets?

DESIGN section 5. Reference layers decide which level a road or an irrigation area belongs to:

- roads (UU 38/2004 jo. UU 2/2022, PP 34/2006): jalan nasional -> pusat, provinsi -> provinsi,
  kabupaten/kota -> kabupaten, desa -> desa. A road project (or a bridge digitised as a line)
  is judged by the status carrying the largest share of its length, when that share is at
  least :data:`MIN_SHARE`; a bridge point by the nearest road within ``tolerance_m``.
- a project's length on a road is measured the way :mod:`geo.analyse.overlap` measures a shared
  stretch: the road is intersected with the project buffered by ``tolerance_m``, each part
  found must run in the project's direction (within ``max_angle_deg``) and counts for the
  stretch of the project it faces, its ends located along the project. So a road that
  merely crosses adds nothing (not the 2 x 20 m a buffer holds), a project running past the
  end of a road gains nothing there, and the stretches of one status are merged along the
  project before they are measured: two rows of one ruas (a dated network, a duplicate) or
  consecutive ruas are counted once. Positions are taken along the project resampled every
  ``measure_step_m``, so the zigzag of a noisy line does not inflate lengths.
- a project split evenly: when its own status is among the statuses with the largest share
  (within :data:`SHARE_PRECISION`), it is not a mismatch; between two other statuses the
  higher level of government is reported.
- dated networks: the row in force in the project's first year decides
  (``valid_from <= year_start <= valid_to``, an empty bound is open); a project without a
  year is judged by the rows still in force (no ``valid_to``).
- irrigation (Permen PUPR 14/2015): the Daerah Irigasi holding the largest share of the
  project's area (at least :data:`MIN_SHARE`) decides: pusat above 3,000 ha, national
  strategic or crossing provinces; provinsi from 1,000 to 3,000 ha or crossing
  kabupaten/kota; kabupaten below 1,000 ha within one kabupaten/kota. When the D.I. layer
  carries its own kewenangan (``authority``), that official record decides ("kewenangan
  menurut data D.I."), and where it differs from the area thresholds the note says so.
- a road network whose status comes from a decree (``decree``: the SK) cites it in the rule.
- exceptions: IJD funding (Inpres Jalan Daerah, Inpres 3/2023) on roads and bridges, and Tugas
  Pembantuan (PP 7/2008, also "TP") on any asset, put work outside the level's own authority
  legitimately: reported with verdict ``exception``, not flagged.

Everything is measured in metres in the UTM zone of each project (:mod:`geo.spatial.crs`). The network
is simplified by 1 m and cut into short pieces once; candidate pairs come from an STRtree in
degrees with a distance that is never too short, and are measured with shapely 2 array
operations over all pairs at once, in bounded chunks on every core.
"""

from __future__ import annotations

import dataclasses
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from babel.numbers import format_decimal

from geo._parallel import pairs_by_zone
from geo.analyse.locations import LOCATED_TOLERANCE_M, located_lines
from geo.errors import CRSError, GeoInputError
from geo.rules import DI_CLASS_LEVEL, DI_CLASS_TEXT, DI_RULES, di_class
from geo.schema import is_missing
from geo.settings import Settings
from geo.spatial.crs import NO_UTM_ZONE, area_ha, to_metric, utm_epsg_for_geometries
from geo.spatial.geometry import geometry_kind, resample_lines
from geo.spatial.network import ROAD_STATUSES, SIMPLIFY_M, RoadNetwork, normal_statuses

__all__ = [
    "MISMATCH_COLUMNS",
    "MIN_SHARE",
    "ROAD_STATUS_LEVEL",
    "SHARE_PRECISION",
    "find_mismatches",
]

#: A project is judged by a road status or a Daerah Irigasi only when it lies at least this
#: share (0-1) of its length or area on it: DESIGN section 5, "lying mostly (>= 50%)".
#: (A candidate for ``Settings``: ``authority_min_share``.)
MIN_SHARE = 0.5
#: Shares closer than this (0-1) are equal: the 1 m-scale noise of a measured stretch must not
#: turn an exact 50/50 split into 49.99/50.01.
SHARE_PRECISION = 0.001
#: Pairs measured at once: bounds the memory of intersections on national data.
CHUNK_PAIRS = 20_000

#: Columns of :func:`find_mismatches`' result, in order.
MISMATCH_COLUMNS: tuple[str, ...] = (
    "project_id",
    "name",
    "agency",
    "level",
    "asset_type",
    "verdict",
    "rule",
    "exception_basis",
    "expected_level",
    "reference_kind",
    "reference_status",
    "reference_id",
    "reference_name",
    "share",
    "along_m",
    "distance_m",
    "inside_ha",
    "funding_source",
    "year_start",
    "year_end",
    "budget_idr",
    "note",
)

#: Level of government that holds authority over each road status.
ROAD_STATUS_LEVEL: dict[str, str] = {
    "nasional": "pusat",
    "provinsi": "provinsi",
    "kabupaten": "kabupaten",
    "desa": "desa",
}
#: Status order: on an exact tie between two statuses neither of which is the project's own,
#: the first one here (the higher level of government) is reported.
_STATUSES: tuple[str, ...] = ROAD_STATUSES
_LEVEL_ALIASES = {
    "nasional": "pusat",
    "kota": "kabupaten",
    "kabupaten/kota": "kabupaten",
    "kab/kota": "kabupaten",
    "kab": "kabupaten",
    "prov": "provinsi",
    "propinsi": "provinsi",
}
_LEVEL_LABEL = {
    "pusat": "Pemerintah Pusat",
    "provinsi": "Pemerintah Provinsi",
    "kabupaten": "Pemerintah Kabupaten/Kota",
    "desa": "Pemerintah Desa",
}
_ROAD_RULES = {
    "nasional": "UU 2/2022 jo. PP 34/2006: jalan nasional kewenangan Pemerintah Pusat",
    "provinsi": "UU 2/2022 jo. PP 34/2006: jalan provinsi kewenangan Pemerintah Provinsi",
    "kabupaten": (
        "UU 2/2022 jo. PP 34/2006: jalan kabupaten/kota kewenangan Pemerintah Kabupaten/Kota"
    ),
    "desa": "UU 2/2022 jo. UU 6/2014: jalan desa kewenangan Pemerintah Desa",
}
#: Funding named in free text: "IJD", "APBN (IJD)", "Inpres Jalan Daerah", "Inpres 3/2023".
_IJD = re.compile(
    r"\bijd\b|inpres\s+jalan\s+daerah|inpres\s+(?:no\.?\s*)?3\s*(?:/|tahun)\s*2023", re.I
)
#: "Tugas Pembantuan", "dana TP", "APBN-TP".
_TUGAS_PEMBANTUAN = re.compile(r"tugas\s*pembantuan|\btp\b", re.I)
_IJD_BASIS = "Inpres 3/2023 (Inpres Jalan Daerah): Pemerintah Pusat menangani jalan daerah"
_TP_BASIS = "UU 23/2014 jo. PP 7/2008: tugas pembantuan dari Pemerintah Pusat"

_PROJECT_COLUMNS = ("project_id", "level", "agency", "asset_type")
_ROAD_COLUMNS = ("road_id", "status")
_DI_COLUMNS = ("di_id",)


def find_mismatches(
    projects: gpd.GeoDataFrame,
    *,
    roads: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    settings: Settings | None = None,
    located: pd.DataFrame | None = None,
    network: RoadNetwork | None = None,
) -> pd.DataFrame:
    """Find projects worked on by a level of government whose authority the asset is not.

    Parameters
    ----------
    projects
        Canonical project records in EPSG:4326: ``project_id``, ``level`` (pusat, provinsi,
        kabupaten or desa; ``kota`` counts as kabupaten), ``agency``, ``asset_type`` (road,
        bridge, irrigation) and geometry; ``name``, ``funding_source`` (free text),
        ``year_start``, ``year_end`` and ``budget_idr`` (rupiah) are used when present.
    roads
        Reference road network in any CRS (reprojected to EPSG:4326): ``road_id``, ``status``
        (nasional, provinsi, kabupaten/kota, desa) and lines; optional ``name`` and the years of
        the status decree in force, ``valid_from`` and ``valid_to`` (empty: open). A ruas may
        appear in several rows with different statuses and years.
    irrigation_areas
        Daerah Irigasi polygons in any CRS: ``di_id``; optional ``name``, ``area_ha``
        (hectares; measured from the polygon in its UTM zone where missing),
        ``crosses_kabupaten``, ``crosses_provinsi`` and ``national_strategic`` (booleans).
    settings
        ``tolerance_m`` (metres within which a project lies on a road or a bridge on it) and
        ``max_angle_deg`` (how far a project's direction may depart from the road's, degrees);
        defaults to ``Settings()`` (the defaults; the command line and the app pass the
        settings in force).
    located
        :func:`geo.analyse.locations.locate_road_projects` of these ``projects`` on
        ``roads``, or None. A road project located on the network (for at least
        :data:`geo.analyse.overlap_network.ON_NETWORK_SHARE` of its length) is judged by the
        status along its located stretches (within :data:`geo.analyse.locations.LOCATED_TOLERANCE_M` of them: the
        ruas it is located on, not a road beside it), not along its drawn line; the others as
        drawn.
    network
        ``roads`` as a :class:`geo.spatial.network.RoadNetwork` already built (the one
        ``located`` was measured on), or None: built here.

    Returns
    -------
    pandas.DataFrame
        One row per project outside its level's authority, :data:`MISMATCH_COLUMNS`, sorted by
        verdict, asset type and project id. ``verdict`` is ``mismatch`` or ``exception`` (a
        legitimate funding source, named with its legal basis in ``exception_basis``); ``rule``
        cites the authority rule; ``expected_level`` is the level holding authority;
        ``reference_kind`` (``road`` or ``irrigation_area``), ``reference_status`` (road status
        or D.I. class), ``reference_id`` and ``reference_name`` name the reference feature
        (the ruas carrying most of the project's length on that status, or the D.I.);
        ``share`` (0-1) is the share of the project's length on roads of that status, 1.0 for a
        bridge point, or the share of its area inside the D.I.; ``along_m`` the length on roads
        of that status (metres), ``distance_m`` a bridge point's distance to the road (metres),
        ``inside_ha`` the area inside the D.I. (hectares); ``note`` one line in Bahasa
        Indonesia. Projects with no reference within reach are not rows: ``attrs["checked"]``
        counts the projects judged against a reference and ``attrs["unchecked"]`` lists the ids
        of the others (no road along them or near them, outside every D.I., no reference layer
        for their asset type, or an unknown level).

    Raises
    ------
    geo.errors.CRSError
        ``projects`` is not in EPSG:4326 or a reference layer has no CRS.
    geo.errors.GeoInputError
        A required column is missing or a road status is unknown; every problem is listed.

    Examples
    --------
    >>> from shapely import LineString
    >>> line = LineString([(103.60, -1.6), (103.62, -1.6)])
    >>> roads = gpd.GeoDataFrame({"road_id": ["N-01"], "status": ["nasional"]},
    ...                          geometry=[line], crs=4326)
    >>> projects = gpd.GeoDataFrame({
    ...     "project_id": ["K-1"], "level": ["kabupaten"], "agency": ["Dinas PUPR Kab."],
    ...     "asset_type": ["road"], "year_start": [2025], "funding_source": ["APBD Kabupaten"]},
    ...     geometry=[line], crs=4326)
    >>> found = find_mismatches(projects, roads=roads)
    >>> found[["verdict", "expected_level", "reference_id", "share"]].to_dict("records")
    [{'verdict': 'mismatch', 'expected_level': 'pusat', 'reference_id': 'N-01', 'share': 1.0}]
    """
    settings = settings or Settings()
    projects, built, areas = _check(projects, roads, irrigation_areas, built=network is not None)
    network = network if network is not None and roads is not None else built
    projects = projects.reset_index(drop=True)
    geoms = np.asarray(projects.geometry.values, dtype=object)
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if invalid.any():  # records from geo.read.projects are valid already; data passed in may not be
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    kinds = geometry_kind(geoms)
    zones = utm_epsg_for_geometries(gpd.GeoSeries(geoms, crs=4326))
    levels = projects["level"].map(_normal_level).to_numpy(dtype=object)
    asset = projects["asset_type"].astype(str).str.strip().str.lower().to_numpy(dtype=object)
    years = pd.to_numeric(projects["year_start"], errors="coerce").to_numpy(dtype=float)
    checkable = (zones != NO_UTM_ZONE) & np.isin(levels, list(_LEVEL_LABEL))
    linear = np.isin(asset, ["road", "bridge"]) & checkable
    found = []
    if network is not None:
        lines = np.flatnonzero(linear & (kinds == "line"))
        points = np.flatnonzero(linear & (kinds == "point"))
        on_network = _located_lines(located, network, len(projects))
        by_location = ~shapely.is_missing(on_network[lines])
        if by_location.any():
            along_located = geoms.copy()
            along_located[lines[by_location]] = on_network[lines[by_location]]
            found.append(
                _road_verdicts(
                    along_located,
                    lines[by_location],
                    years,
                    zones,
                    levels,
                    network,
                    dataclasses.replace(settings, tolerance_m=LOCATED_TOLERANCE_M),
                )
            )
        lines = lines[~by_location]
        found.append(_road_verdicts(geoms, lines, years, zones, levels, network, settings))
        found.append(_bridge_verdicts(geoms, points, years, zones, network, settings))
    if areas is not None:
        inside = np.flatnonzero(
            (asset == "irrigation") & checkable & np.isin(kinds, ["point", "line", "polygon"])
        )
        found.append(_irrigation_verdicts(geoms, inside, kinds, zones, areas))
    found = [f for f in found if len(f)]
    judged = pd.concat(found, ignore_index=True) if found else None
    return _describe(judged, projects, levels)


# --- input -------------------------------------------------------------------------------------


def _located_lines(
    located: pd.DataFrame | None, network: RoadNetwork, n_projects: int
) -> np.ndarray:
    """Per project its located stretches of the network (EPSG:4326), or None."""
    if located is None or located.empty:
        return np.full(n_projects, None, dtype=object)
    return located_lines(located, network, n_projects)


def _check(projects, roads, irrigation_areas, *, built=False):
    """Validate every input, raise once listing every problem; return layers in EPSG:4326."""
    crs_problems, problems = [], []
    if projects.crs is None or projects.crs.to_epsg() != 4326:
        crs_problems.append(f"projects must be in EPSG:4326, not {projects.crs}; use to_crs(4326)")
    missing = [c for c in _PROJECT_COLUMNS if c not in projects.columns]
    if missing:
        problems.append(f"projects lack column(s) {', '.join(missing)}")
    layers = []
    for label, layer, required in (
        ("roads", roads, _ROAD_COLUMNS),
        ("irrigation_areas", irrigation_areas, _DI_COLUMNS),
    ):
        if layer is None:
            layers.append(None)
            continue
        if layer.crs is None:
            crs_problems.append(
                f"{label} has no CRS (crs is None); declare the one its coordinates are in "
                f"with set_crs(), e.g. set_crs(4326) or set_crs(32748)"
            )
        missing = [c for c in required if c not in layer.columns]
        if missing:
            problems.append(f"{label} lacks column(s) {', '.join(missing)}")
        layers.append(layer)
    network, areas = layers
    if network is not None and "status" in network.columns:
        statuses = normal_statuses(network["status"])
        unknown = sorted(
            {
                str(v)
                for v, s in zip(network["status"], statuses, strict=True)
                if s not in ROAD_STATUS_LEVEL and not is_missing(v)  # a blank one judges none
            }
        )
        if unknown:
            problems.append(
                f"roads: status {', '.join(map(repr, unknown))} is not a road status; "
                f"use {', '.join(_STATUSES)} (kota counts as kabupaten)"
            )
    if crs_problems or problems:
        error = CRSError if not problems else GeoInputError
        raise error(*(crs_problems + problems))
    projects = projects.copy()
    for column in ("name", "funding_source", "year_start", "year_end", "budget_idr"):
        if column not in projects.columns:
            projects[column] = None
    if network is not None:
        network = None if built else RoadNetwork(network)
    if areas is not None:
        areas = _Areas(areas)
    return projects, network, areas


def _normal_level(value: object) -> str:
    key = re.sub(r"\s+", " ", str(value).strip().lower()) if isinstance(value, str) else ""
    return _LEVEL_ALIASES.get(key, key)


class _Areas:
    """Daerah Irigasi in EPSG:4326 with their Permen PUPR 14/2015 class."""

    def __init__(self, areas: gpd.GeoDataFrame) -> None:
        areas = areas.to_crs(4326).reset_index(drop=True)
        self.geoms = np.asarray(areas.geometry.values, dtype=object)
        invalid = ~shapely.is_valid(self.geoms) & ~shapely.is_missing(self.geoms)
        if invalid.any():
            self.geoms = self.geoms.copy()
            self.geoms[invalid] = shapely.make_valid(self.geoms[invalid])
        self.di_id = areas["di_id"].astype(str).to_numpy(dtype=object)
        names = areas["name"] if "name" in areas.columns else areas["di_id"]
        self.name = names.fillna("").astype(str).to_numpy(dtype=object)
        given = areas["area_ha"] if "area_ha" in areas.columns else pd.Series(np.nan, areas.index)
        self.area_ha = pd.to_numeric(given, errors="coerce").to_numpy(dtype=float, copy=True)
        unknown = np.isnan(self.area_ha)
        if unknown.any():  # no luas in the layer: measured in each polygon's UTM zone
            self.area_ha[unknown] = area_ha(gpd.GeoSeries(self.geoms[unknown], crs=4326))
        flags = {}
        for column in ("crosses_kabupaten", "crosses_provinsi", "national_strategic"):
            values = areas[column] if column in areas.columns else pd.Series(False, areas.index)
            flags[column] = values.fillna(False).astype(bool).to_numpy()
        self.di_class = di_class(
            self.area_ha,
            flags["crosses_kabupaten"],
            national_strategic=flags["national_strategic"],
            crosses_provinsi=flags["crosses_provinsi"],
        )
        self.crosses_kabupaten = flags["crosses_kabupaten"]
        # The layer's own kewenangan (the official record), where it gives one: it decides.
        given = areas["authority"] if "authority" in areas.columns else pd.Series(None, areas.index)
        self.official = np.array([_official_level(v) for v in given], dtype=object)
        self.tree = shapely.STRtree(self.geoms)


def _official_level(value: object) -> str | None:
    """A D.I.'s own kewenangan as a level, None when blank or not understood (the area
    thresholds then decide; :func:`geo.read.reference.read_reference` reports which)."""
    from geo.read.reference import parse_di_authority

    try:
        return parse_di_authority(value)
    except ValueError:
        return None


# --- roads -------------------------------------------------------------------------------------


def _road_verdicts(geoms, lines, years, zones, levels, network: RoadNetwork, settings: Settings):
    """Per line project along any road: the status judged (see module docstring) and its share.

    Returns one row per project with some length along a road: ``project``, ``share`` and
    ``along_m`` (metres) on the judged status, and the columns of :func:`_road_reference`
    (``expected_level`` None when no status carries :data:`MIN_SHARE` of the project).
    """
    found = network.status_along(
        geoms,
        lines,
        years,
        zones,
        tolerance_m=settings.tolerance_m,
        max_angle_deg=settings.max_angle_deg,
        measure=lambda metric: resample_lines(metric, step_m=settings.measure_step_m),
    )
    if found is None:
        return _empty_verdicts()
    p, status, lo, hi = found.project, found.status, found.from_m, found.to_m
    along, length_m = found.along_m, found.length_m
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.minimum(np.where(length_m[:, None] > 0, along / length_m[:, None], 0.0), 1.0)
    checked = np.flatnonzero(shares.max(axis=1) > 0)
    shares, along = shares[checked], along[checked]
    top = shares.max(axis=1)
    tied = shares >= (top - SHARE_PRECISION)[:, None]
    own = np.array([_own_status(level) for level in levels[checked]])
    on_own = (own >= 0) & tied[np.arange(len(checked)), np.maximum(own, 0)]
    # The project's own status among the largest: it does lie on its own road (50/50 splits).
    chosen = np.where(on_own, own, np.argmax(tied, axis=1))
    decided = top >= MIN_SHARE - SHARE_PRECISION
    status_out = np.where(decided, chosen, -1)
    rows = np.arange(len(checked))
    best_road = _best_reference(p, status, found.row, hi - lo, checked, status_out)
    frame = pd.DataFrame(
        {
            "project": checked,
            "status": status_out,
            "share": np.where(decided, shares[rows, chosen], np.nan),
            "along_m": np.where(decided, along[rows, chosen], np.nan),
            "road": best_road,
        }
    )
    return _road_reference(frame, network)


def _road_reference(frame: pd.DataFrame, network: RoadNetwork) -> pd.DataFrame:
    """Add the judged status, the level holding it, the rule and the ruas to ``frame``."""
    decided = frame["status"].to_numpy() >= 0
    status = np.where(
        decided, np.array(_STATUSES, dtype=object)[frame["status"].clip(0)], np.array(None)
    ).tolist()
    road = frame["road"].to_numpy(dtype=np.int64)
    pieces = network.pieces
    decree = np.where(road >= 0, pieces.decree[np.maximum(road, 0)], None)
    return frame.assign(
        reference_kind="road",
        reference_status=status,
        expected_level=[ROAD_STATUS_LEVEL.get(s) for s in status],
        rule=[_road_rule(s, d) for s, d in zip(status, decree, strict=True)],
        reference_id=np.where(road >= 0, pieces.road_id[road], None),
        reference_name=np.where(road >= 0, pieces.name[road], None),
    ).drop(columns=["status", "road"])


def _road_rule(status: str | None, decree: object) -> str | None:
    """The rule for a status, citing the decree that set it when the network names one."""
    rule = _ROAD_RULES.get(status) if status else None
    if rule is None or not isinstance(decree, str) or not decree.strip():
        return rule
    return f"Status jalan menurut {decree.strip()}; {rule}"


def _own_status(level: str) -> int:
    for status, holder in ROAD_STATUS_LEVEL.items():
        if holder == level:
            return _STATUSES.index(status)
    return -1


def _best_reference(p, status, road, length, checked, status_out):
    """Per checked project: the road row (of the judged status) with most length, or -1."""
    wanted = np.full(int(p.max()) + 1 if len(p) else 0, -1)
    wanted[checked] = status_out
    keep = status == wanted[p]
    frame = pd.DataFrame({"p": p[keep], "road": road[keep], "m": length[keep]})
    # The row, not the piece: the pieces of one ruas add up.
    frame = frame.groupby(["p", "road"], as_index=False)["m"].sum()
    best = frame.sort_values(["p", "m"], ascending=[True, False]).drop_duplicates("p")
    out = pd.Series(-1, index=checked)
    out.loc[best["p"].to_numpy()] = best["road"].to_numpy()
    return out.to_numpy()


# --- bridges -----------------------------------------------------------------------------------


def _bridge_verdicts(geoms, points, years, zones, network: RoadNetwork, settings: Settings):
    """Per point project within ``tolerance_m`` of a road: the nearest road's status.

    Distances are measured to the roads as given, not to their simplified pieces.
    """
    tolerance_m, pieces = settings.tolerance_m, network.pieces
    project, piece = pieces.candidates(geoms, points, years, tolerance_m + SIMPLIFY_M)
    pairs = np.unique(np.column_stack([project, pieces.row[piece]]), axis=0)
    project, road = pairs[:, 0], pairs[:, 1]
    if not len(project):
        return _empty_verdicts()
    distance = np.full(len(project), np.inf)
    for zone, chunk in pairs_by_zone(project, zones, CHUNK_PAIRS):
        unique_p, pos_p = np.unique(project[chunk], return_inverse=True)
        unique_r, pos_r = np.unique(road[chunk], return_inverse=True)
        here = to_metric(geoms[unique_p], zone)
        refs = to_metric(pieces.row_geoms[unique_r], zone)
        distance[chunk] = shapely.distance(here[pos_p], refs[pos_r])
    near = distance <= settings.tolerance_m
    frame = pd.DataFrame(
        {
            "project": project[near],
            "road": road[near],
            "status": pieces.row_status[road[near]],
            "distance_m": distance[near],
        }
    )
    # The nearest road; at a junction, equally near roads go to the higher status.
    frame = frame.sort_values(["project", "distance_m", "status"]).drop_duplicates("project")
    return _road_reference(frame.assign(share=1.0).reset_index(drop=True), network)


# --- irrigation --------------------------------------------------------------------------------


def _irrigation_verdicts(geoms, inside, kinds, zones, areas: _Areas):
    """Per project mostly inside a D.I.: that D.I. (the largest share) and the share."""
    if not len(inside) or not len(areas.geoms):
        return _empty_verdicts()
    q, di = areas.tree.query(geoms[inside], predicate="intersects")
    project = inside[q]
    if not len(project):
        return _empty_verdicts()
    share = np.zeros(len(project))
    inside_m2 = np.zeros(len(project))
    for zone, chunk in pairs_by_zone(project, zones, CHUNK_PAIRS):
        unique_p, pos_p = np.unique(project[chunk], return_inverse=True)
        unique_d, pos_d = np.unique(di[chunk], return_inverse=True)
        here = to_metric(geoms[unique_p], zone)
        polygons = to_metric(areas.geoms[unique_d], zone)
        common = shapely.intersection(here[pos_p], polygons[pos_d])
        kind = kinds[project[chunk]]
        size, part = _size(here[pos_p], kind), _size(common, kind)
        with np.errstate(invalid="ignore", divide="ignore"):
            share[chunk] = np.where(size > 0, np.minimum(part / size, 1.0), 0.0)
        inside_m2[chunk] = np.where(kind == "polygon", shapely.area(common), np.nan)
    frame = pd.DataFrame(
        {"project": project, "di": di, "share": share, "inside_ha": inside_m2 / 10_000.0}
    )
    frame = frame[frame["share"] > 0]
    frame = frame.sort_values(["project", "share"], ascending=[True, False])
    frame = frame.drop_duplicates("project").reset_index(drop=True)
    decided = (frame["share"] >= MIN_SHARE - SHARE_PRECISION).to_numpy()
    di = frame["di"].to_numpy(dtype=np.int64)
    di_class: list[str | None] = np.where(decided, areas.di_class[di], np.array(None)).tolist()
    by_area = np.array([DI_CLASS_LEVEL.get(c) if c else None for c in di_class], dtype=object)
    official = np.where(decided, areas.official[di], None)
    has_official = np.array([o is not None for o in official], dtype=bool)
    rules = np.array([DI_RULES.get(c) if c else None for c in di_class], dtype=object)
    rules[has_official] = [_official_rule(level) for level in official[has_official]]
    return frame.assign(
        reference_kind="irrigation_area",
        reference_status=[DI_CLASS_TEXT.get(c) if c else None for c in di_class],
        expected_level=np.where(has_official, official, by_area),
        rule=rules,
        permen_level=np.where(has_official, by_area, np.array(None)),
        permen_rule=np.where(
            has_official,
            np.array([DI_RULES.get(c) if c else None for c in di_class]),
            np.array(None),
        ),
        reference_id=areas.di_id[di],
        reference_name=areas.name[di],
        di_area_ha=areas.area_ha[di],
        di_crosses_kabupaten=areas.crosses_kabupaten[di],
    ).drop(columns="di")


def _official_rule(level: str) -> str:
    return f"Kewenangan menurut data D.I.: kewenangan {_LEVEL_LABEL[level]}"


def _size(geoms: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """Area of polygons (m2), length of lines (m), 1 for a point: what a share is taken of."""
    present = ~shapely.is_empty(geoms)
    return np.select(
        [kind == "polygon", kind == "line"],
        [shapely.area(geoms), shapely.length(geoms)],
        default=present.astype(float),
    )


# --- describing verdicts -----------------------------------------------------------------------


_VERDICT_ORDER = {"mismatch": 0, "exception": 1}
_ASSET_ORDER = {"road": 0, "bridge": 1, "irrigation": 2}
_ASSET_TEXT = {"road": "jalan", "bridge": "jembatan", "irrigation": "irigasi"}


def _empty_verdicts() -> pd.DataFrame:
    return pd.DataFrame({"project": pd.Series(dtype=np.int64)})


def _describe(judged: pd.DataFrame | None, projects: pd.DataFrame, levels: np.ndarray):
    """One row per project judged outside its level's authority, with verdict, rule and note."""
    n = len(projects)
    checked = np.zeros(n, dtype=bool)
    if judged is not None:
        checked[judged["project"].to_numpy(dtype=np.int64)] = True
    ids = projects["project_id"].astype(str).to_numpy(dtype=object)
    attrs = {"checked": int(checked.sum()), "unchecked": sorted(ids[~checked].tolist())}
    if judged is None or judged.empty:
        return _empty_result(attrs)
    judged = judged.reindex(
        columns=[
            "project",
            "reference_kind",
            "reference_status",
            "expected_level",
            "rule",
            "reference_id",
            "reference_name",
            "share",
            "along_m",
            "distance_m",
            "inside_ha",
            "di_area_ha",
            "di_crosses_kabupaten",
            "permen_level",
            "permen_rule",
        ]
    )
    p = judged["project"].to_numpy(dtype=np.int64)
    outside = judged["expected_level"].notna().to_numpy() & (
        judged["expected_level"].to_numpy(dtype=object) != levels[p]
    )
    judged, p = judged[outside].reset_index(drop=True), p[outside]
    if judged.empty:
        return _empty_result(attrs)
    record = projects.iloc[p].reset_index(drop=True)
    funding = record["funding_source"].astype("string").fillna("")
    on_roads = (judged["reference_kind"] == "road").to_numpy()
    ijd = on_roads & funding.str.contains(_IJD).to_numpy(dtype=bool)
    tugas = ~ijd & funding.str.contains(_TUGAS_PEMBANTUAN).to_numpy(dtype=bool)
    out = pd.DataFrame(
        {
            "project_id": ids[p],
            "name": record["name"].to_numpy(dtype=object),
            "agency": record["agency"].to_numpy(dtype=object),
            "level": levels[p],
            "asset_type": record["asset_type"].to_numpy(dtype=object),
            "verdict": np.where(ijd | tugas, "exception", "mismatch").astype(object),
            "rule": judged["rule"].to_numpy(dtype=object),
            "exception_basis": np.select([ijd, tugas], [_IJD_BASIS, _TP_BASIS], "").astype(object),
            "expected_level": judged["expected_level"].to_numpy(dtype=object),
            "reference_kind": judged["reference_kind"].to_numpy(dtype=object),
            "reference_status": judged["reference_status"].to_numpy(dtype=object),
            "reference_id": judged["reference_id"].to_numpy(dtype=object),
            "reference_name": judged["reference_name"].to_numpy(dtype=object),
            "share": judged["share"].to_numpy(dtype=float),
            "along_m": judged["along_m"].to_numpy(dtype=float),
            "distance_m": judged["distance_m"].to_numpy(dtype=float),
            "inside_ha": judged["inside_ha"].to_numpy(dtype=float),
            "funding_source": record["funding_source"].to_numpy(dtype=object),
            "year_start": record["year_start"].to_numpy(),
            "year_end": record["year_end"].to_numpy(),
            "budget_idr": pd.to_numeric(record["budget_idr"], errors="coerce").to_numpy(float),
        }
    )
    # A note per flagged project (a handful of rows, not the hot path).
    out["note"] = [
        _note(row, area, crosses) + _permen_beside(row.expected_level, permen, permen_rule)
        for row, area, crosses, permen, permen_rule in zip(
            out.itertuples(index=False),
            judged["di_area_ha"].to_numpy(dtype=float),
            judged["di_crosses_kabupaten"].to_numpy(dtype=object),
            judged["permen_level"].to_numpy(dtype=object),
            judged["permen_rule"].to_numpy(dtype=object),
            strict=True,
        )
    ]
    order = np.lexsort(
        (
            out["project_id"].to_numpy(dtype=str),
            out["asset_type"].map(_ASSET_ORDER).fillna(len(_ASSET_ORDER)).to_numpy(),
            out["verdict"].map(_VERDICT_ORDER).to_numpy(),
        )
    )
    out = out.iloc[order].reset_index(drop=True)[list(MISMATCH_COLUMNS)]
    out.attrs.update(attrs)
    return out


def _empty_result(attrs: dict) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in MISMATCH_COLUMNS})
    for column in ("share", "along_m", "distance_m", "inside_ha", "budget_idr"):
        frame[column] = frame[column].astype(float)
    frame.attrs.update(attrs)
    return frame


def _note(row, di_area_ha: float, di_crosses_kabupaten: object) -> str:
    """One line in Bahasa Indonesia: who works where, with what money, and whose authority."""
    who = f"{row.agency} (tingkat {row.level})"
    holder = _LEVEL_LABEL[row.expected_level]
    names = [str(v) for v in (row.reference_id, row.reference_name) if v]
    reference = " ".join(dict.fromkeys(names))  # a D.I. named by its name only once
    percent = f"{round(100 * row.share)}%"
    asset = _ASSET_TEXT.get(row.asset_type, "proyek")
    if row.reference_kind == "road" and not np.isnan(row.distance_m):
        where = (
            f"{asset} berjarak {_format_number(row.distance_m)} m dari jalan "
            f"{row.reference_status} {reference}"
        )
    elif row.reference_kind == "road":
        where = (
            f"{percent} panjang {asset} ({_format_number(row.along_m)} m) pada jalan "
            f"{row.reference_status} {reference}"
        )
    else:
        crosses = ", lintas kabupaten/kota" if bool(di_crosses_kabupaten) else ""
        # irrigation is stored as areas or, geotagged, as points (no share to speak of)
        share = f"titik {asset}" if np.isnan(row.inside_ha) else f"{percent} luas {asset}"
        where = f"{share} di {reference} ({_format_number(di_area_ha)} ha{crosses})"
    funding = f" dengan dana {row.funding_source}" if isinstance(row.funding_source, str) else ""
    note = f"{who} mengerjakan {where}{funding}: kewenangan {holder}"
    if row.verdict == "exception":
        return f"{note}; pengecualian sah, ditampilkan, tidak ditandai"
    return note


def _permen_beside(official: str, permen: object, permen_rule: object) -> str:
    """Where the D.I.'s own kewenangan decided: whether the area thresholds agree."""
    if not isinstance(permen, str):
        return ""
    if permen == official:
        return "; sesuai Permen PUPR 14/2015"
    return f"; berbeda dengan {permen_rule} (kewenangan menurut data D.I. yang berlaku)"


def _format_number(value: float) -> str:
    """Whole number in Indonesian notation: 3.000 (dot for thousands)."""
    return format_decimal(value, format="#,##0", locale="id")
