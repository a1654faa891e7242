"""Overlap detection as SQL inside PostGIS (server mode): the rules of :mod:`geo.analyse.overlap`.

For national data held in PostGIS the pairs can be found where the data is, without reading it
into the app; plain SQL with PostGIS functions, so a distributed PostgreSQL (Citus) runs it
unchanged. Same rules and settings as the in-process engine (DESIGN section 5):

- roads (on the same deck, :mod:`geo.spatial.deck`): per pair, in the UTM zone of the first
  project, "A along B" part of B by part: the pieces of A inside B's 20 m buffer (all pieces
  together at least ``min_overlap_m`` long), each located on B resampled every
  ``measure_step_m``, counted with its extent along B when its chord runs within
  ``max_angle_deg`` of B's; the overlap is the smaller of both directions;
- irrigation: intersection >= ``min_overlap_ha`` and >= ``min_overlap_share`` of the smaller;
- bridges: within ``bridge_distance_m``; a bridge within ``tolerance_m`` of a road project is a
  cross-type pair;

each for year ranges that intersect, or repeat funding: years apart, the later work starting
within the earlier one's design life (both of a work type with one, read in Python by
:func:`geo.read.values.work_class`) or within ``repeat_window_years``. The in-process
engine measures pieces in an exact round buffer, PostGIS in a 32-segment polygon: lengths may
differ by centimetres. This module finds the pairs and their measure; describing them (levels,
severity, budget at stake) is :func:`geo.analyse.overlap.find_overlaps`'s job.
"""

from __future__ import annotations

import math

import pandas as pd
import sqlalchemy as sa

from geo.read.values import work_class
from geo.settings import DEFAULT_SETTINGS, Settings
from geo.spatial.crs import MIN_M_PER_DEG
from geo.spatial.deck import deck_pattern_sql
from geo.store.tables import PROJECTS

__all__ = ["overlap_pairs_sql"]

#: The UTM zone (EPSG) holding the centre of a geometry's bounds, as geo.spatial.crs chooses it.
_UTM = (
    "(CASE WHEN (ST_YMin({g}) + ST_YMax({g})) / 2 >= 0 THEN 32600 ELSE 32700 END"
    " + LEAST(GREATEST(floor(((ST_XMin({g}) + ST_XMax({g})) / 2 + 180) / 6), 0), 59) + 1)::int"
)

_PAIRS_SQL = """
WITH life AS (  -- design life in years per work type, as geo.analyse.overlap.design_lives
    SELECT * FROM unnest(CAST(:life_types AS text[]), CAST(:life_years AS int[]))
        AS l(work_type, years)
),
p AS (
    SELECT fid, agency, project_id, asset_type, year_start, year_end, geom,
           GeometryType(geom) AS kind, {utm} AS zone, {deck} AS deck,
           COALESCE(life.years, 0) AS life
    FROM {projects} LEFT JOIN life ON life.work_type = {projects}.work_type
    WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)
),
candidate AS (
    SELECT a.fid AS fa, b.fid AS fb, a.asset_type AS asset, a.zone,
           a.deck AS deck_a, b.deck AS deck_b,
           ST_Transform(a.geom, a.zone) AS ga, ST_Transform(b.geom, a.zone) AS gb
    FROM p a JOIN p b
      ON a.fid < b.fid AND a.asset_type = b.asset_type
     AND a.geom && ST_Expand(b.geom, :reach_deg)
     -- years intersect, or the later work starts within the window or the earlier work's
     -- design life (both of a type with one): repeat funding
     AND GREATEST(a.year_start, b.year_start) - LEAST(a.year_end, b.year_end) <= GREATEST(
         :window,
         CASE WHEN a.year_start <= b.year_start
              THEN CASE WHEN b.life > 0 THEN a.life ELSE 0 END
              ELSE CASE WHEN a.life > 0 THEN b.life ELSE 0 END END)
),
road AS (
    SELECT fa, fb, ga, gb FROM candidate
    WHERE asset = 'road' AND deck_a = deck_b
      AND GeometryType(ga) IN ('LINESTRING', 'MULTILINESTRING')
      AND GeometryType(gb) IN ('LINESTRING', 'MULTILINESTRING') AND ST_DWithin(ga, gb, :tol)
),
direction AS (  -- both directions of each road pair: x along y
    SELECT fa, fb, 0 AS d, ga AS x, gb AS y FROM road
    UNION ALL SELECT fa, fb, 1, gb, ga FROM road
),
part AS (
    SELECT fa, fb, d, x, (ST_Dump(y)).geom AS line FROM direction
),
ref AS (  -- each part of y resampled every step: both ends kept, equal spacing
    SELECT fa, fb, d, x, line,
           CASE WHEN ST_Length(line) = 0 THEN ST_MakeLine(ST_StartPoint(line), ST_EndPoint(line))
                ELSE ST_MakeLine(ARRAY[ST_StartPoint(line)] || ARRAY(
                    SELECT sample.geom FROM ST_DumpPoints(ST_LineInterpolatePoints(
                        line, 1.0 / GREATEST(ceil(ST_Length(line) / :step), 1), true)) AS sample
                    ORDER BY sample.path))
           END AS ref
    FROM part
),
piece AS (
    SELECT fa, fb, d, ref, (ST_Dump(ST_Intersection(x, ST_Buffer(line, :tol, 'quad_segs=8')))).geom AS g
    FROM ref
),
measured AS (
    SELECT fa, fb, d, ST_Length(g) AS len_m,
           ST_LineLocatePoint(ref, ST_StartPoint(g)) AS f0,
           ST_LineLocatePoint(ref, ST_EndPoint(g)) AS f1,
           ST_Length(ref) AS ref_m, ref, g
    FROM piece WHERE GeometryType(g) = 'LINESTRING' AND ST_Length(g) > 0
),
aligned AS (
    SELECT fa, fb, d, len_m, abs(f1 - f0) * ref_m AS extent_m,
           ST_X(ST_EndPoint(g)) - ST_X(ST_StartPoint(g)) AS ax,
           ST_Y(ST_EndPoint(g)) - ST_Y(ST_StartPoint(g)) AS ay,
           ST_X(ST_LineInterpolatePoint(ref, f1)) - ST_X(ST_LineInterpolatePoint(ref, f0)) AS bx,
           ST_Y(ST_LineInterpolatePoint(ref, f1)) - ST_Y(ST_LineInterpolatePoint(ref, f0)) AS by
    FROM measured
),
along AS (
    SELECT fa, fb, d,
           CASE WHEN sum(len_m) < :min_m THEN 0 ELSE sum(CASE
               WHEN sqrt(ax * ax + ay * ay) * sqrt(bx * bx + by * by) > 0
                AND abs(ax * bx + ay * by) >= :cos_min * sqrt(ax * ax + ay * ay) * sqrt(bx * bx + by * by)
               THEN extent_m ELSE 0 END) END AS extent_m
    FROM aligned GROUP BY fa, fb, d
),
roads AS (
    SELECT fa, fb, 'road' AS asset_type, min(extent_m) AS measure
    FROM along GROUP BY fa, fb HAVING count(*) = 2 AND min(extent_m) >= :min_m
),
areas AS (
    SELECT fa, fb, 'irrigation' AS asset_type, ST_Area(ST_Intersection(ga, gb)) / 10000 AS measure
    FROM candidate
    WHERE asset = 'irrigation' AND GeometryType(ga) IN ('POLYGON', 'MULTIPOLYGON')
      AND GeometryType(gb) IN ('POLYGON', 'MULTIPOLYGON') AND ST_Intersects(ga, gb)
      AND ST_Area(ST_Intersection(ga, gb)) >= :min_m2
      AND ST_Area(ST_Intersection(ga, gb)) >= :min_share * LEAST(ST_Area(ga), ST_Area(gb))
),
bridges AS (
    SELECT fa, fb, 'bridge' AS asset_type, ST_Distance(ga, gb) AS measure
    FROM candidate
    WHERE asset = 'bridge' AND GeometryType(ga) IN ('POINT', 'MULTIPOINT')
      AND GeometryType(gb) IN ('POINT', 'MULTIPOINT') AND ST_DWithin(ga, gb, :bridge_m)
),
bridge_road AS (
    SELECT r.fid AS fa, br.fid AS fb, 'bridge/road' AS asset_type,
           ST_Distance(ST_Transform(r.geom, r.zone), ST_Transform(br.geom, r.zone)) AS measure
    FROM p r JOIN p br
      ON r.asset_type = 'road' AND br.asset_type = 'bridge'
     AND r.kind IN ('LINESTRING', 'MULTILINESTRING') AND br.kind IN ('POINT', 'MULTIPOINT')
     AND br.geom && ST_Expand(r.geom, :reach_deg)
     AND GREATEST(r.year_start, br.year_start) - LEAST(r.year_end, br.year_end) <= 0
     AND ST_DWithin(ST_Transform(r.geom, r.zone), ST_Transform(br.geom, r.zone), :tol)
),
found AS (
    SELECT * FROM roads UNION ALL SELECT * FROM areas
    UNION ALL SELECT * FROM bridges UNION ALL SELECT * FROM bridge_road
)
SELECT f.asset_type, a.agency AS agency_a, a.project_id AS project_a,
       b.agency AS agency_b, b.project_id AS project_b, f.measure
FROM found f JOIN p a ON a.fid = f.fa JOIN p b ON b.fid = f.fb
ORDER BY f.asset_type, a.agency, a.project_id, b.agency, b.project_id
"""


def overlap_pairs_sql(engine: sa.Engine, *, settings: Settings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Pairs of stored projects that overlap, found by PostGIS.

    Parameters
    ----------
    engine
        SQLAlchemy engine of a PostGIS store (:attr:`geo.store.postgis.PostGISStore.engine`).
    settings
        The thresholds; defaults to :data:`geo.settings.DEFAULT_SETTINGS`.

    Returns
    -------
    pandas.DataFrame
        ``asset_type`` (``road``, ``irrigation``, ``bridge``, ``bridge/road``), ``agency_a``,
        ``project_a``, ``agency_b``, ``project_b`` and ``measure``: shared length (m), shared
        area (ha) or distance (m). The order within a pair is not meaningful (for bridge/road
        the road comes first).
    """
    raised, below = deck_pattern_sql()
    reach_m = max(settings.tolerance_m, settings.bridge_distance_m)
    with engine.connect() as conn:
        work_types = [
            row[0]
            for row in conn.execute(
                sa.text(f"SELECT DISTINCT work_type FROM {PROJECTS} WHERE work_type IS NOT NULL")
            )
        ]
    # The design lives are decided here, in Python, by the one reading of work types.
    lives = {w: settings.design_life_years(work_class(w)) for w in work_types}
    query = _PAIRS_SQL.format(utm=_UTM.format(g="geom"), projects=PROJECTS, deck=_deck_sql(engine))
    params = {
        "reach_deg": reach_m / MIN_M_PER_DEG,
        "window": int(settings.repeat_window_years),
        "life_types": [w for w, years in lives.items() if years > 0],
        "life_years": [years for years in lives.values() if years > 0],
        "tol": float(settings.tolerance_m),
        "step": float(settings.measure_step_m),
        "min_m": float(settings.min_overlap_m),
        "cos_min": math.cos(math.radians(settings.max_angle_deg)),
        "min_m2": float(settings.min_overlap_ha) * 10_000.0,
        "min_share": float(settings.min_overlap_share),
        "bridge_m": float(settings.bridge_distance_m),
        "raised": raised,
        "below": below,
    }
    with engine.connect() as conn:
        return pd.read_sql_query(sa.text(query), conn, params=params)


def _deck_sql(engine: sa.Engine) -> str:
    """The deck of each project in SQL, as :func:`geo.spatial.deck.deck_of` decides it: a stated
    ``deck`` when the table has that column and the row a value, else the name's words."""
    by_name = "(CASE WHEN name ~* :raised THEN 1 WHEN name ~* :below THEN -1 ELSE 0 END)"
    with engine.connect() as conn:
        stated = conn.execute(
            sa.text(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND table_name = :table AND column_name = 'deck'"
            ),
            {"table": PROJECTS},
        ).first()
    if stated is None:
        return by_name
    return f"COALESCE(sign(deck)::int, {by_name})"
