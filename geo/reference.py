"""Reference layers: road network, Daerah Irigasi and administrative units (DESIGN section 5).

Read by the same reader as projects (:func:`geo.io.read_layers`: same formats, safety checks,
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
units         unit_id (Kemendagri kode), unit_name, population, geometry (polygons)
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

from geo import geometry
from geo.crs import area_ha
from geo.crs_detect import parse_crs_option, settle_crs
from geo.errors import GeoInputError, MappingError
from geo.importreport import ImportReport
from geo.io import file_sha256, prepare_geometries, read_layers
from geo.schema import normalise_name
from geo.settings import Settings
from geo.values import is_blank, parse_amount, parse_year

#: Kinds of reference layer, the store's names for them, and their canonical columns.
KINDS = {
    "roads": ("road_id", "name", "status", "decree", "condition", "valid_from", "valid_to"),
    "irrigation_areas": (
        "di_id",
        "name",
        "area_ha",
        "crosses_kabupaten",
        "national_strategic",
        "authority",
    ),
    "admin_units": ("unit_id", "unit_name", "population"),
}
KIND_ALIASES = {
    "roads": "roads",
    "jalan": "roads",
    "irrigation": "irrigation_areas",
    "irigasi": "irrigation_areas",
    "irrigation_areas": "irrigation_areas",
    "di": "irrigation_areas",
    "units": "admin_units",
    "wilayah": "admin_units",
    "admin_units": "admin_units",
}
_GEOMETRY_KIND = {"roads": "line", "irrigation_areas": "polygon", "admin_units": "polygon"}

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "roads": {
        "road_id": (
            "road_id",
            "kode_ruas",
            "kd_ruas",
            "no_ruas",
            "nomor_ruas",
            "link_id",
            "ruas_id",
            "kode",
            "id",
        ),
        "name": ("name", "nama_ruas", "nm_ruas", "nama_jalan", "nama", "ruas"),
        "status": ("status", "status_jalan", "status_ruas", "kewenangan"),
        "decree": (
            "decree",
            "sk",
            "no_sk",
            "nomor_sk",
            "sk_status",
            "sk_penetapan",
            "sk_ruas",
            "dasar_sk",
            "dasar_hukum",
        ),
        "condition": ("condition", "kondisi", "kondisi_jalan", "kondisi_ruas"),
        "valid_from": ("valid_from", "berlaku_mulai", "tahun_mulai", "sk_mulai", "mulai"),
        "valid_to": ("valid_to", "berlaku_sampai", "tahun_akhir", "sk_akhir", "sampai"),
    },
    "irrigation_areas": {
        "di_id": ("di_id", "kode_di", "kd_di", "kode", "id"),
        "name": ("name", "nama_di", "nm_di", "nama", "daerah_irigasi"),
        "area_ha": (
            "area_ha",
            "luas_ha",
            "luas",
            "luas_baku",
            "luas_baku_ha",
            "luas_di",
            "luas_cea",  # SISDA D.I. layers: the luas baku
        ),
        "crosses_kabupaten": (
            "crosses_kabupaten",
            "lintas_kabupaten",
            "lintas_kab",
            "lintas_kabkota",
        ),
        "national_strategic": (
            "national_strategic",
            "strategis_nasional",
            "di_strategis",
            "strategis",
        ),
        "authority": (
            "authority",
            "kewenangan",
            "kewenangan_di",
            "status_kewenangan",
            "wewenang",
            "pengelola",
        ),
    },
    "admin_units": {
        "unit_id": (
            "unit_id",
            "kode",
            "kode_wilayah",
            "kd_wilayah",
            "kode_kab",
            "kode_kec",
            "kode_bps",
            "id",
        ),
        "unit_name": (
            "unit_name",
            "nama",
            "nama_wilayah",
            "nm_wilayah",
            "nama_kab",
            "nama_kec",
            "name",
        ),
        "population": ("population", "penduduk", "jumlah_penduduk", "jml_penduduk", "populasi"),
    },
}
REQUIRED = {"roads": ("status",), "irrigation_areas": (), "admin_units": ("unit_id",)}

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
}
ROAD_CONDITION = {
    "baik": "baik",
    "b": "baik",
    "good": "baik",
    "sedang": "sedang",
    "s": "sedang",
    "fair": "sedang",
    "rusak ringan": "rusak ringan",
    "rr": "rusak ringan",
    "poor": "rusak ringan",
    "rusak berat": "rusak berat",
    "rb": "rusak berat",
    "bad": "rusak berat",
}
#: A Daerah Irigasi's own kewenangan, as layers write it.
DI_AUTHORITY = {
    "pusat": "pusat",
    "nasional": "pusat",
    "pemerintah pusat": "pusat",
    "kementerian": "pusat",
    "kementerian pupr": "pusat",
    "bbws": "pusat",
    "bws": "pusat",
    "central": "pusat",
    "national": "pusat",
    "provinsi": "provinsi",
    "prov": "provinsi",
    "propinsi": "provinsi",
    "pemerintah provinsi": "provinsi",
    "pemprov": "provinsi",
    "province": "provinsi",
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "kota": "kabupaten",
    "kabupaten/kota": "kabupaten",
    "kab/kota": "kabupaten",
    "pemerintah kabupaten": "kabupaten",
    "pemerintah kota": "kabupaten",
    "pemerintah kabupaten/kota": "kabupaten",
    "pemkab": "kabupaten",
    "pemkot": "kabupaten",
    "district": "kabupaten",
    "city": "kabupaten",
}
_TRUE = {"1", "true", "ya", "y", "yes", "t"}
_FALSE = {"0", "false", "tidak", "n", "no", "f", ""}


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
    settings: Settings | None = None,
) -> ReferenceResult:
    """Read a reference layer file into canonical columns (EPSG:4326).

    Parameters
    ----------
    path
        Any format :func:`geo.io.read_projects` reads.
    kind
        ``roads`` (``jalan``), ``irrigation`` (``irigasi``, ``di``) or ``units`` (``wilayah``).
    mapping
        ``field -> column`` for fields no synonym finds.
    crs
        CRS where the file declares none.

    Raises
    ------
    GeoInputError
        As for :func:`geo.io.read_projects`; a required column (road status, unit kode) that
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
            columns = _mapping(kind, list(layer.frame.columns), dict(mapping or {}), layer.name)
            layer.frame = settle_crs(layer.frame, layer.name, layer.crs_declared, override, report)
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


def _mapping(kind: str, columns: list[str], explicit: dict[str, str], source: str) -> dict:
    by_norm: dict[str, list[str]] = {}
    for col in columns:
        if col != "geometry":
            by_norm.setdefault(normalise_name(col), []).append(col)
    problems, found = [], {}
    for field, col in explicit.items():
        if field not in SYNONYMS[kind]:
            problems.append(
                f"{source}: --map {field}={col}: unknown field; fields are "
                f"{', '.join(SYNONYMS[kind])}"
            )
        elif col not in columns:
            problems.append(f"{source}: --map {field}={col}: no column {col!r}")
        else:
            found[field] = col
    for field, synonyms in SYNONYMS[kind].items():
        if field in found:
            continue
        for synonym in synonyms:  # synonyms in order of preference: the first found wins
            hits = [c for c in by_norm.get(synonym, []) if c not in found.values()]
            if len(hits) > 1:
                problems.append(
                    f"{source}: several columns could be {field}: "
                    f"{', '.join(map(repr, hits))}; choose with --map {field}=COLUMN"
                )
            if hits:
                found[field] = hits[0]
                break
    for field in REQUIRED[kind]:
        if field not in found:
            problems.append(f"{source}: no column for {field}; pass --map {field}=COLUMN")
    if problems:
        raise MappingError(*problems)
    return found


def _canonical(kind: str, layer, columns: dict, report: ImportReport) -> pd.DataFrame:
    prepared = prepare_geometries(layer, report)
    kinds = geometry.geometry_kind(prepared.geoms)
    wanted = _GEOMETRY_KIND[kind]
    reasons = prepared.reasons.copy()
    reasons[(reasons == "") & (kinds != wanted)] = f"{kind} need {wanted} geometry"
    frame = prepared.frame
    out = pd.DataFrame(index=frame.index)
    for field in KINDS[kind]:
        out[field] = frame[columns[field]].astype(object) if field in columns else None
    parsers = {
        "status": lambda v: _vocabulary(v, ROAD_STATUS, "road status"),
        "condition": lambda v: None if is_blank(v) else _vocabulary(v, ROAD_CONDITION, "condition"),
        "valid_from": lambda v: np.nan if is_blank(v) else parse_year(v),
        "valid_to": lambda v: np.nan if is_blank(v) else parse_year(v),
        "crosses_kabupaten": _flag,
        "national_strategic": _flag,
        "population": lambda v: np.nan if is_blank(v) else parse_amount(v),
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
    from geo.authority import expected_level_of_di

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


def _vocabulary(value: object, vocabulary: dict[str, str], label: str) -> str:
    key = re.sub(r"\s+", " ", str(value).strip().lower())
    if key in vocabulary:
        return vocabulary[key]
    options = ", ".join(sorted(set(vocabulary.values())))
    raise ValueError(f"{value!r} is not a {label}; use {options}")


def _flag(value: object) -> bool:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if is_blank(value):
        return False
    key = str(value).strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"{value!r} is not yes/no (ya/tidak)")


def canonical_from_frame(kind: str, frame: gpd.GeoDataFrame, *, source: str) -> gpd.GeoDataFrame:
    """Map an in-memory layer (e.g. the demo region's) to canonical columns, as files are."""
    from geo.io import RawLayer

    kind = canonical_kind(kind)
    report = ImportReport(source_file=source)
    layer = RawLayer(source, frame.to_crs(4326), crs_declared=True)
    columns = _mapping(kind, list(frame.columns), {}, source)
    layer.frame = settle_crs(layer.frame, source, True, None, report)
    out = gpd.GeoDataFrame(_canonical(kind, layer, columns, report), geometry="geometry", crs=4326)
    rejected = [r for r in report.records if r.outcome == "rejected"]
    if rejected:
        raise GeoInputError(*(f"{source}: row {r.row}: {r.reason}" for r in rejected))
    return out
