"""Reference layers: road network, Daerah Irigasi and administrative units (DESIGN section 5).

Read by the same reader as projects (:func:`geo.read.projects.read_layers`: same formats, safety checks,
CRS rules and geometry repairs) and mapped to canonical columns by exact Indonesian synonyms:

============  =========================================================================
kind          canonical columns (EPSG:4326)
============  =========================================================================
roads         road_id, name, status (nasional/provinsi/kabupaten/desa), decree (the SK
              that sets the status, cited by authority checks), condition
              (baik/sedang/rusak ringan/rusak berat or empty), valid_from, valid_to
              (years of the status decree in force; empty: always), geometry (lines)
irrigation    di_id, name, area_ha, crosses_kabupaten, national_strategic, authority (the
              layer's own kewenangan: pusat/provinsi/kabupaten, or empty), geometry
units         unit_id (Kemendagri kode), unit_name, population, unit_level (provinsi,
              kabupaten (kabupaten/kota), kecamatan or desa: from a level column, else from
              the shape of the kode), geometry (polygons)
============  =========================================================================
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.errors import GeoInputError, MappingError
from geo.read._reference_words import (
    CODE_FIELDS,
    DI_AUTHORITY,
    DISTINCT_FIELDS,
    EXTRAS,
    FALSE_WORDS,
    GEOMETRY_KIND,
    KIND_ALIASES,
    KINDS,
    KUGI_UNFILLED,
    NOT_PUBLIC,
    OSM_HINT_TAGS,
    REQUIRED,
    ROAD_CONDITION,
    SYNONYMS,
    TRUE_WORDS,
    UNIT_LEVELS,
)
from geo.read._reference_words import CODE_LEVELS as _CODE_LEVELS
from geo.read.crs_detect import parse_crs_option, settle_crs
from geo.read.import_report import ImportReport
from geo.read.layer import file_sha256
from geo.read.projects import prepare_geometries, read_layers
from geo.read.values import parse_amount, parse_count, parse_year
from geo.schema import is_blank, is_missing, normalise_name
from geo.settings import DEFAULT_SETTINGS, Settings
from geo.spatial import geometry
from geo.spatial.crs import area_ha
from geo.spatial.deck import deck_from_tags
from geo.spatial.network import ROAD_STATUS

__all__ = [
    "canonical_from_frame",
    "canonical_kind",
    "CODE_FIELDS",
    "DI_AUTHORITY",
    "DISTINCT_FIELDS",
    "EXTRAS",
    "KIND_ALIASES",
    "KINDS",
    "NOT_PUBLIC",
    "OSM_HINT_TAGS",
    "parse_di_authority",
    "read_reference",
    "ReferenceResult",
    "REQUIRED",
    "ROAD_CONDITION",
    "ROAD_STATUS",
    "SYNONYMS",
    "unit_level",
    "UNIT_LEVELS",
]


@dataclasses.dataclass
class ReferenceResult:
    """A reference layer in canonical columns (EPSG:4326) and what happened to each record."""

    kind: str
    layer: gpd.GeoDataFrame
    report: ImportReport
    sha256: str


def canonical_kind(kind: str) -> str:
    """``roads``, ``irrigation_areas`` or ``admin_units`` from any accepted alias."""
    try:
        return KIND_ALIASES[kind.strip().lower()]
    except KeyError:
        raise GeoInputError(
            f"reference kind {kind!r} unknown; use roads, irrigation or units"
        ) from None


def read_reference(
    path: str | Path,
    kind: str,
    *,
    mapping: Mapping[str, str] | None = None,
    crs: str | int | None = None,
    display_name: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    status_optional: bool = False,
) -> ReferenceResult:
    """Read a reference layer file into canonical columns (EPSG:4326).

    Parameters
    ----------
    path
        Any format :func:`geo.read.projects.read_projects` reads.
    kind
        ``roads`` (``jalan``), ``irrigation`` (``irigasi``, ``di``) or ``units`` (``wilayah``).
    mapping
        ``field -> column`` for fields no synonym finds.
    crs
        CRS where the file declares none.
    display_name
        Name used in the report and messages; defaults to the file name.
    settings
        Size caps; defaults to :data:`geo.settings.DEFAULT_SETTINGS`.
    status_optional
        Roads only: a network without a status column (an OpenStreetMap or RBI extract) is read
        with every status blank, for locating projects and measuring overlaps on it; the report
        says that kewenangan needs one. A road whose status is blank is always kept, as a road
        without status (no kewenangan or coverage is judged on it).

    Raises
    ------
    GeoInputError
        As for :func:`geo.read.projects.read_projects`; a required column (road status, unit kode) that
        cannot be found names ``--map FIELD=COLUMN``.
    """
    kind = canonical_kind(kind)
    path = Path(path)
    name = display_name or path.name
    layers, report = read_layers(path, display_name=name, settings=settings)
    override = parse_crs_option(crs, name) if crs is not None else None
    problems: list[str] = []
    parts = []
    for layer in layers:
        try:
            notes: list[str] = []
            columns = _mapping(
                kind,
                list(layer.frame.columns),
                dict(mapping or {}),
                layer.name,
                values=layer.frame,
                notes=notes,
                optional=("status",) if status_optional and kind == "roads" else (),
            )
            for line in notes:
                report.note(line)
            layer.frame = settle_crs(
                layer.frame,
                layer.name,
                declared=layer.crs_declared,
                override=override,
                report=report,
            )
        except GeoInputError as exc:
            problems.extend(exc.problems)
            continue
        parts.append(_canonical(kind, layer, columns, report))
    if problems:
        mapping_only = all("--map" in p for p in problems)
        raise (MappingError if mapping_only else GeoInputError)(*problems)
    frame = pd.concat(parts, ignore_index=True)
    return ReferenceResult(
        kind, gpd.GeoDataFrame(frame, geometry="geometry", crs=4326), report, file_sha256(path)
    )


def _mapping(
    kind: str,
    columns: list[str],
    explicit: dict[str, str],
    source: str,
    values: pd.DataFrame | None = None,
    notes: list[str] | None = None,
    optional: tuple[str, ...] = (),
) -> dict:
    """Field -> column for a reference layer (canonical fields, then :data:`EXTRAS`).

    With ``values``, a code column blank in every feature (an RBI attribute never filled in
    holds ``0``) is named in ``notes`` and not used, and of several unit code or name columns
    the one telling most features apart is taken.
    """
    notes = [] if notes is None else notes
    by_norm: dict[str, list[str]] = {}
    for col in columns:
        if col != "geometry":
            by_norm.setdefault(normalise_name(col), []).append(col)
    synonyms_of = {**SYNONYMS[kind], **EXTRAS.get(kind, {})}
    problems, found = [], {}
    blank: dict[str, list[str]] = {}
    for field, col in explicit.items():
        if field not in synonyms_of:
            problems.append(
                f"{source}: --map {field}={col}: unknown field; fields are {', '.join(synonyms_of)}"
            )
        elif col not in columns:
            problems.append(f"{source}: --map {field}={col}: no column {col!r}")
        elif field in CODE_FIELDS and _blank_column(values, col):
            problems.append(
                f"{source}: --map {field}={col}: column {col!r} is blank in every feature; "
                f"choose another with --map {field}=COLUMN"
            )
        else:
            found[field] = col
    for field, synonyms in synonyms_of.items():
        if field in found:
            continue
        candidates = [
            (synonym, c)
            for synonym in synonyms  # in order of preference: the first found wins
            for c in by_norm.get(synonym, [])
            if c not in found.values()
        ]
        if field == "unit_id":  # any other BPS/Kemendagri code column (kd_*) comes last
            candidates += [
                (norm, c)
                for norm, cols in by_norm.items()
                if norm.startswith("kd_") and norm not in synonyms
                for c in cols
                if c not in found.values()
            ]
        if field in CODE_FIELDS:
            for synonym, col in [sc for sc in candidates if _blank_column(values, sc[1])]:
                candidates.remove((synonym, col))
                blank.setdefault(field, []).append(col)
                unfilled = " (0 is an RBI attribute never filled in)" if synonym == "autrjl" else ""
                notes.append(
                    f"{source}: column {col!r} is blank in every feature{unfilled}; not used as "
                    f"{field} — pass --map {field}=COLUMN with a column that has them"
                )
        if field in EXTRAS.get(kind, {}):  # an optional column of zeros says nothing
            candidates = [sc for sc in candidates if not _blank_column(values, sc[1])]
        if not candidates:
            continue
        first = candidates[0][0]
        hits = [c for synonym, c in candidates if synonym == first]
        if len(hits) > 1 and values is not None and _same_values(values, hits):
            notes.append(
                f"{source}: columns {', '.join(map(repr, hits))} hold the same values; "
                f"{hits[0]!r} used as {field}"
            )
            hits = hits[:1]
        if len(hits) > 1:
            problems.append(
                f"{source}: several columns could be {field}: "
                f"{', '.join(map(repr, hits))}; choose with --map {field}=COLUMN"
            )
            continue
        if field in DISTINCT_FIELDS and values is not None and len(candidates) > 1:
            found[field] = _pick_distinct(values, [c for _, c in candidates], field, source, notes)
        else:
            found[field] = hits[0]
    for field in REQUIRED[kind]:
        if field not in found and field in optional:
            notes.append(
                f"{source}: no column for {field}: every road is read without a status, to "
                f"locate projects and measure overlaps; kewenangan needs one (--map "
                f"{field}=COLUMN)"
            )
        elif field not in found:
            hint = ""
            if kind == "roads" and field == "status" and "highway" in by_norm:
                hint = (
                    " (an OpenStreetMap highway tag is a road class, not the status decree: "
                    "it is kept as road_class)"
                )
            if field in blank:
                hint += (
                    f" ({', '.join(map(repr, blank[field]))} is blank in every feature"
                    + (
                        ": 0 is an RBI attribute never filled in"
                        if _is_autrjl(blank[field])
                        else ""
                    )
                    + ")"
                )
            problems.append(f"{source}: no column for {field}{hint}; pass --map {field}=COLUMN")
    if problems:
        raise MappingError(*problems)
    return found


def _same_values(values: pd.DataFrame, columns: list[str]) -> bool:
    """True when the columns hold the same value in every row (OSM's ``@id`` and ``id``)."""
    first = values[columns[0]].astype(str)
    return all(values[c].astype(str).equals(first) for c in columns[1:])


def _is_autrjl(columns: list[str]) -> bool:
    return any(normalise_name(c) == "autrjl" for c in columns)


def _blank_column(values: pd.DataFrame | None, column: str) -> bool:
    """True when every value of ``column`` is blank, a placeholder or an unfilled RBI ``0``
    (stops at the first real value)."""
    if values is None or column not in values.columns or not len(values):
        return False
    return not any(
        not (is_missing(v) or _text(v) in KUGI_UNFILLED) for v in values[column].to_numpy()
    )


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _pick_distinct(
    values: pd.DataFrame, columns: list[str], field: str, source: str, notes: list[str]
) -> str:
    """The column with the most distinct values (the earliest synonym on a tie)."""
    counts = {
        c: values[c].map(lambda v: None if is_missing(v) else _text(v)).nunique() for c in columns
    }
    best = max(columns, key=lambda c: counts[c])  # max keeps the first of equals
    others = ", ".join(f"{c!r} ({counts[c]})" for c in columns if c != best)
    notes.append(
        f"{source}: {field} from column {best!r} ({counts[best]} distinct values); "
        f"also there: {others}"
    )
    return best


def _canonical(kind: str, layer, columns: dict, report: ImportReport) -> pd.DataFrame:
    prepared = prepare_geometries(layer, report)
    kinds = geometry.geometry_kind(prepared.geoms)
    wanted = GEOMETRY_KIND[kind]
    reasons = prepared.reasons.copy()
    reasons[(reasons == "") & (kinds != wanted)] = f"{kind} need {wanted} geometry"
    frame = prepared.frame
    out = pd.DataFrame(index=frame.index)
    for field in KINDS[kind]:
        out[field] = frame[columns[field]].astype(object) if field in columns else None
    for field in EXTRAS.get(kind, {}):
        if field in columns:
            out[field] = frame[columns[field]].map(lambda v: None if is_missing(v) else _text(v))
            report.note(f"{layer.name}: {field} from column {columns[field]!r}")
    if kind == "roads":
        _note_osm_tags(frame, layer.name, report)
        _road_decks(frame, out, layer.name, report)
    parsers = {
        "status": _road_status,
        "condition": lambda v: None if is_blank(v) else _vocabulary(v, ROAD_CONDITION, "condition"),
        "valid_from": lambda v: np.nan if is_missing(v) else parse_year(v),
        "valid_to": lambda v: np.nan if is_missing(v) else parse_year(v),
        "crosses_kabupaten": _flag,
        "national_strategic": _flag,
        "population": lambda v: np.nan if is_missing(v) else parse_count(v),
        "unit_level": _unit_level_value,
    }
    for pos in range(len(out)):
        if reasons[pos]:
            continue
        for field, parse in parsers.items():
            if field in out.columns:
                try:
                    out.iat[pos, out.columns.get_loc(field)] = parse(
                        out.iat[pos, out.columns.get_loc(field)]
                    )
                except ValueError as exc:
                    reasons[pos] = f"{field}: {exc}"
                    break
    id_field = KINDS[kind][0]
    name_field = "unit_name" if kind == "admin_units" else "name"
    missing_id = out[id_field].map(is_blank)
    named = missing_id & ~out[name_field].map(is_blank)
    out.loc[named, id_field] = out.loc[named, name_field]  # a DI is known by its name
    missing_id &= ~named
    out.loc[missing_id, id_field] = [
        f"{Path(layer.name).stem}#{r}" for r in prepared.rows[missing_id]
    ]
    out[id_field] = out[id_field].map(
        lambda v: str(int(v)) if isinstance(v, float) else str(v).strip()
    )
    _replace_placeholder_ids(kind, out, id_field, prepared.rows, layer.name, reasons, report)
    notes_of = prepared.row_notes
    if kind == "irrigation_areas":
        measured = area_ha(gpd.GeoSeries(prepared.geoms.values, crs=4326))
        if "area_ha" not in columns:
            report.note(f"{layer.name}: no area column (luas_ha); area measured from the polygons")
            out["area_ha"] = measured
        else:
            out["area_ha"] = [np.nan if is_blank(v) else parse_amount(v) for v in out["area_ha"]]
            out["area_ha"] = out["area_ha"].fillna(pd.Series(measured, index=out.index))
        if "authority" in columns:
            _official_authority(out, columns["authority"], reasons, notes_of, layer.name, report)
    if kind == "roads" and "status" in columns:
        unknown = int((out["status"].map(is_missing) & (reasons == "")).sum())
        if unknown:
            report.note(
                f"{layer.name}: {unknown} road(s) without a status (column "
                f"{columns['status']!r} blank): kept in the network, where projects are located "
                "and overlaps measured; kewenangan and coverage are judged on roads with one"
            )
    if kind == "roads" and "decree" in columns:
        cited = int((~out["decree"].map(is_blank) & (reasons == "")).sum())
        report.note(
            f"{layer.name}: road status from the decree in column {columns['decree']!r} "
            f"({cited} ruas): authority checks cite it"
        )
        out["decree"] = out["decree"].map(lambda v: None if is_blank(v) else str(v).strip())
    out[name_field] = out[name_field].where(~out[name_field].map(is_blank), out[id_field])
    for pos in range(len(out)):
        if reasons[pos]:
            report.reject(
                layer.name, prepared.rows[pos], str(reasons[pos]), str(out[id_field].iat[pos])
            )
        else:
            notes = notes_of.get(pos, [])
            repaired = any(not n.startswith(_OFFICIAL_NOTES) for n in notes)
            report.add(
                layer.name,
                prepared.rows[pos],
                str(out[id_field].iat[pos]),
                "repaired" if repaired else "stored",
                "; ".join(notes),
            )
    if kind == "admin_units":
        _settle_unit_levels(out, columns.get("unit_level"), layer.name, reasons, report)
    for field in ("valid_from", "valid_to", "population", "area_ha"):
        if field in out.columns:
            out[field] = pd.to_numeric(out[field], errors="coerce").astype(float)
    for field in ("crosses_kabupaten", "national_strategic"):
        if field in out.columns:
            out[field] = out[field].map(
                lambda v: bool(v) if isinstance(v, bool | np.bool_) else False
            )
    keep = reasons == ""
    result = out.loc[keep].copy()
    result["geometry"] = prepared.geoms.values[keep]
    return result


#: Notes on a D.I.'s own kewenangan start with these (they are not geometry repairs).
_OFFICIAL_NOTES = ("kewenangan ",)


def parse_di_authority(value: object) -> str | None:
    """A Daerah Irigasi's own kewenangan as a level (``pusat``, ``provinsi``, ``kabupaten``),
    None when blank.

    Raises
    ------
    ValueError
        The value names no level.

    Examples
    --------
    >>> parse_di_authority("Pemerintah Pusat"), parse_di_authority("Kab."), parse_di_authority("")
    ('pusat', 'kabupaten', None)
    """
    if is_blank(value):
        return None
    key = re.sub(r"\s+", " ", str(value).strip().lower()).replace(".", "")
    key = key.removeprefix("kewenangan ").strip()
    if key in DI_AUTHORITY:
        return DI_AUTHORITY[key]
    raise ValueError(f"{value!r} is not a kewenangan; use Pusat, Provinsi or Kabupaten")


def _official_authority(out, column: str, reasons, notes_of, layer: str, report) -> None:
    """Read each D.I.'s own kewenangan; note where it differs from the Permen PUPR 14/2015
    area thresholds (it decides all the same) and where it cannot be read (the thresholds
    decide)."""
    from geo.rules import expected_level_of_di

    levels, differ = [], 0
    for pos, value in enumerate(out["authority"]):
        level = None
        if not reasons[pos]:
            try:
                level = parse_di_authority(value)
            except ValueError as exc:
                notes_of.setdefault(pos, []).append(
                    f"kewenangan not read ({exc}): the Permen PUPR 14/2015 area thresholds decide"
                )
        if level is not None:
            by_area = expected_level_of_di(
                float(out["area_ha"].iat[pos]),
                crosses_kabupaten=_flag_or_false(out["crosses_kabupaten"].iat[pos]),
                national_strategic=_flag_or_false(out["national_strategic"].iat[pos]),
            )
            if by_area != level:
                differ += 1
                notes_of.setdefault(pos, []).append(
                    f"kewenangan {level} in the layer decides; the Permen PUPR 14/2015 area "
                    f"thresholds give {by_area} ({out['area_ha'].iat[pos]:,.0f} ha)"
                )
        levels.append(level)
    out["authority"] = levels
    given = sum(level is not None for level in levels)
    report.note(
        f"{layer}: kewenangan from column {column!r} for {given} D.I.: it decides (kewenangan "
        f"menurut data D.I.); {differ} differ from the Permen PUPR 14/2015 area thresholds"
    )


def _flag_or_false(value: object) -> bool:
    return bool(value) if isinstance(value, bool | np.bool_) else False


def _replace_placeholder_ids(
    kind: str,
    out: pd.DataFrame,
    id_field: str,
    rows: np.ndarray,
    layer_name: str,
    reasons: np.ndarray,
    report: ImportReport,
) -> None:
    """Give features whose id is a placeholder a stable id made from their row.

    A road network may repeat a ruas code (one ruas in several segments or decrees), but one
    value held by every feature is a placeholder (an id column of zeros). A Daerah Irigasi or
    an administrative unit is one feature: a repeated id would merge distinct areas, so every
    repeated id is replaced. Each replacement is reported; no feature is dropped or merged.
    """
    usable = reasons == ""
    ids = out[id_field]
    if usable.sum() < 2:
        return
    counts = ids[usable].value_counts()
    if kind == "roads":
        placeholders = set(counts.index) if len(counts) == 1 else set()
    else:
        placeholders = set(counts.index[counts > 1])
    if not placeholders:
        return
    held = ids.isin(placeholders).to_numpy() & usable
    stem = Path(layer_name).stem
    out.loc[held, id_field] = [f"{stem}#{r}" for r in rows[held]]
    shown = ", ".join(repr(v) for v in sorted(placeholders)[:5])
    more = f" and {len(placeholders) - 5} more" if len(placeholders) > 5 else ""
    report.note(
        f"{layer_name}: {int(held.sum())} features share the {id_field} {shown}{more} "
        f"(a placeholder, not an id): each is given its own id '{stem}#ROW' from its row; "
        "no feature is merged"
    )


def _road_status(value: object) -> str | None:
    """A road status from the vocabulary, None when blank (an RBI ``0`` never filled in); roads
    outside the public network and bare KUGI codes are named as such."""
    if is_missing(value) or _text(value) in KUGI_UNFILLED or not _text(value):
        return None
    key = re.sub(r"\s+", " ", _text(value).lower())
    if key in NOT_PUBLIC:
        raise ValueError(
            f"{value!r}: not a public road (jalan khusus / lain): no level of government "
            "holds it, so it is not part of the reference network"
        )
    if key.isdigit():
        raise ValueError(
            f"{value!r} is a numeric code, not a road status: give the status as text "
            "(nasional, provinsi, kabupaten, desa, tol) with --map status=COLUMN"
        )
    return _vocabulary(value, ROAD_STATUS, "road status")


def _note_osm_tags(frame: pd.DataFrame, layer_name: str, report: ImportReport) -> None:
    """One report line on the OpenStreetMap tags a layer carries: hints, never the status."""
    normalised = {normalise_name(c): c for c in frame.columns if c != "geometry"}
    if "highway" not in normalised:
        return
    counts = []
    for tag in ("bridge", "tunnel"):
        if tag in normalised:
            flagged = frame[normalised[tag]].map(lambda v: not is_missing(v) and _text(v) != "no")
            counts.append(f"{int(flagged.sum())} marked {tag}")
    if "layer" in normalised:
        counts.append("layer kept as a hint of stacking only")
    tags = ", ".join(t for t in OSM_HINT_TAGS if t in normalised)
    detail = f" ({'; '.join(counts)})" if counts else ""
    report.note(
        f"{layer_name}: OpenStreetMap tags {tags} read as hints: highway is a road class, not "
        f"the status decree{detail}"
    )


def _road_decks(frame: pd.DataFrame, out: pd.DataFrame, layer_name: str, report) -> None:
    """``deck`` of each road from the OpenStreetMap tags ``layer``, ``bridge`` and ``tunnel``
    (overpass exports, Geofabrik's ``T``/``F``), where the layer has any of them: an elevated
    road tagged so is told from the arterial beneath it even when its name does not say
    "layang". Nothing is added without those columns (the name alone decides then)."""
    normalised = {normalise_name(c): c for c in frame.columns if c != "geometry"}
    tags = {tag: normalised[tag] for tag in ("layer", "bridge", "tunnel") if tag in normalised}
    if not tags:
        return
    columns = {tag: frame[column].to_numpy(dtype=object) for tag, column in tags.items()}
    decks = [
        deck_from_tags(**{tag: values[pos] for tag, values in columns.items()})
        for pos in range(len(frame))
    ]
    out["deck"] = pd.array([np.nan if d is None else d for d in decks], dtype=float)
    raised, below = int((out["deck"] > 0).sum()), int((out["deck"] < 0).sum())
    report.note(
        f"{layer_name}: deck of each road from {', '.join(tags.values())}: {raised} raised "
        f"(bridge, flyover, elevated), {below} below ground; a work is located on a road of "
        "its own deck"
    )


def _vocabulary(value: object, vocabulary: dict[str, str], label: str) -> str:
    key = re.sub(r"\s+", " ", str(value).strip().lower())
    if key in vocabulary:
        return vocabulary[key]
    options = ", ".join(sorted(set(vocabulary.values())))
    raise ValueError(f"{value!r} is not a {label}; use {options}")


def _unit_level_value(value: object) -> str | None:
    """A unit's level from its level column, None when blank or not a level (the kode's shape
    decides then: a level column is a help, never a reason to reject a boundary)."""
    if is_blank(value):
        return None
    key = re.sub(r"[\s_-]+", " ", str(value).strip().lower()).replace(".", "")
    return UNIT_LEVELS.get(key) or UNIT_LEVELS.get(key.split(" ")[0])


def _code_level(code: object) -> str | None:
    """The level a Kemendagri/BPS kode's shape says, None for any other id."""
    text = "" if is_missing(code) else _text(code)
    return next((level for shape, level in _CODE_LEVELS if shape.fullmatch(text)), None)


def _settle_unit_levels(
    out: pd.DataFrame, column: str | None, layer: str, reasons: np.ndarray, report: ImportReport
) -> None:
    """Fill each unit's level from the shape of its kode where the level column gave none,
    and say in the report what the units are and how that was found."""
    given = out["unit_level"].notna()
    out["unit_level"] = out["unit_level"].where(given, out["unit_id"].map(_code_level))
    usable = out.loc[reasons == "", "unit_level"].dropna()
    if usable.empty:
        report.note(
            f"{layer}: the kind of unit (kabupaten/kota, kecamatan, ...) is not known: no level "
            "column and no Kemendagri kode; pages call them units (wilayah)"
        )
        return
    counts = usable.value_counts()
    kinds = ", ".join(f"{n} {level}" for level, n in counts.items())
    source = f"column {column!r}" if column and given.any() else "the shape of the kode"
    report.note(f"{layer}: units are {kinds} (from {source})")


def unit_level(units: pd.DataFrame | None) -> str | None:
    """What the administrative units of a layer are: ``provinsi``, ``kabupaten``
    (kabupaten/kota), ``kecamatan`` or ``desa``, the level most of them have; None when
    unknown (no layer, or neither a level column nor Kemendagri/BPS codes).

    Read from the stored ``unit_level`` column, else from the shape of each ``unit_id`` (a
    layer stored before levels were kept, or a coverage table).

    >>> unit_level(pd.DataFrame({"unit_id": ["15.01.01", "15.01.02", "15.01"]}))
    'kecamatan'
    >>> unit_level(pd.DataFrame({"unit_id": ["1501"], "unit_level": ["kota"]}))
    'kabupaten'
    """
    if units is None or len(units) == 0:
        return None
    counts: dict[str, int] = {}
    if "unit_level" in units:  # by distinct value: a national desa layer has 80,000 rows
        for value, n in units["unit_level"].value_counts().items():
            level = _unit_level_value(value)
            if level is not None:
                counts[level] = counts.get(level, 0) + int(n)
    if not counts and "unit_id" in units:
        # The kind is the layer's most common: an even sample of the codes tells it.
        ids = units["unit_id"].to_numpy(dtype=object)
        for code in ids[:: max(1, len(ids) // _LEVEL_SAMPLE)]:
            level = _code_level(code)
            if level is not None:
                counts[level] = counts.get(level, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


#: Codes read to tell the kind of units of a layer without a level column.
_LEVEL_SAMPLE = 500


def _flag(value: object) -> bool:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if is_blank(value):
        return False
    key = str(value).strip().lower()
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise ValueError(f"{value!r} is not yes/no (ya/tidak)")


def canonical_from_frame(kind: str, frame: gpd.GeoDataFrame, *, source: str) -> gpd.GeoDataFrame:
    """Map an in-memory layer (e.g. the demo region's) to canonical columns, as files are."""
    from geo.read.layer import RawLayer

    kind = canonical_kind(kind)
    report = ImportReport(source_file=source)
    layer = RawLayer(source, frame.to_crs(4326), crs_declared=True)
    columns = _mapping(kind, list(frame.columns), {}, source, values=frame)
    layer.frame = settle_crs(layer.frame, source, declared=True, override=None, report=report)
    out = gpd.GeoDataFrame(_canonical(kind, layer, columns, report), geometry="geometry", crs=4326)
    rejected = [r for r in report.records if r.outcome == "rejected"]
    if rejected:
        raise GeoInputError(*(f"{source}: row {r.row}: {r.reason}" for r in rejected))
    return out
