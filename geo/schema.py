"""The canonical project record (DESIGN section 3), its vocabularies and column mapping."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping

from geo.errors import MappingError

#: Columns of a canonical project record, in order (geometry in EPSG:4326 last).
RECORD_COLUMNS: tuple[str, ...] = (
    "project_id",
    "name",
    "level",
    "agency",
    "asset_type",
    "work_type",
    "year_start",
    "year_end",
    "budget_idr",
    "funding_source",
    "status",
)
#: Provenance columns: every stored record traces back to the row it came from.
PROVENANCE_COLUMNS: tuple[str, ...] = ("upload_id", "source_file", "source_layer", "source_row")
PROJECT_COLUMNS: tuple[str, ...] = RECORD_COLUMNS + PROVENANCE_COLUMNS + ("geometry",)

LEVELS: tuple[str, ...] = ("pusat", "provinsi", "kabupaten", "desa")
ASSET_TYPES: tuple[str, ...] = ("road", "bridge", "irrigation")

# --- column synonyms ---------------------------------------------------------------------------
# Exact (normalised) names only: a column is never mapped by prefix or similarity. Names cut to
# the 10 characters a DBF allows are *reported* as candidates (see ``truncated_candidates``).
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "project_id": (
        "project_id",
        "kode",
        "kode_paket",
        "kd_paket",
        "kode_kegiatan",
        "kode_sub_kegiatan",
        "kode_subkegiatan",
        "id",
        "id_paket",
        "kd_kegiatan",
        "no_paket",
        "nomor_paket",
    ),
    "name": (
        "name",
        "nama",
        "nama_paket",
        "nama_kegiatan",
        "nm_paket",
        "nm_kegiatan",
        "nama_sub_kegiatan",
        "nama_pekerjaan",
        "paket",
        "kegiatan",
        "uraian",
        "uraian_paket",
    ),
    "level": ("level", "kewenangan", "tingkat", "tingkat_pemerintahan"),
    "agency": (
        "agency",
        "instansi",
        "satker",
        "skpd",
        "opd",
        "satuan_kerja",
        "nama_satker",
        "pelaksana",
        "dinas",
    ),
    "asset_type": ("asset_type", "jenis_aset", "aset", "jenis_infrastruktur", "tipe_aset"),
    "work_type": (
        "work_type",
        "jenis_pekerjaan",
        "jenis_kegiatan",
        "jns_keg",
        "jns_kegiatan",
        "jenis_penanganan",
        "penanganan",
    ),
    "year": ("year", "tahun", "ta", "tahun_anggaran", "thn", "thn_anggaran"),
    "year_start": ("year_start", "tahun_mulai", "tahun_awal", "ta_mulai", "thn_mulai"),
    "year_end": ("year_end", "tahun_selesai", "tahun_akhir", "ta_selesai", "thn_selesai"),
    "budget_idr": (
        "budget_idr",
        "pagu",
        "pagu_rp",
        "anggaran",
        "nilai",
        "nilai_kontrak",
        "pagu_anggaran",
        "nilai_pagu",
        "pagu_paket",
        "biaya",
        "anggaran_rp",
        "nilai_rp",
    ),
    "funding_source": (
        "funding_source",
        "sumber_dana",
        "sumberdana",
        "smb_dana",
        "sumber_anggaran",
    ),
    "status": ("status", "status_paket", "status_kegiatan", "tahapan", "progres_status"),
}

#: Fields that must come from a column or an explicit option.
REQUIRED_FIELDS: tuple[str, ...] = ("name", "level", "agency", "asset_type", "year_start")


def normalise_name(column: str) -> str:
    """Lower-case a column name and turn every run of non-alphanumerics into one underscore.

    >>> normalise_name("Pagu (Rp)")
    'pagu_rp'
    """
    text = unicodedata.normalize("NFKD", str(column)).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


_SYNONYM_TO_FIELD = {syn: field for field, syns in FIELD_SYNONYMS.items() for syn in syns}


@dataclasses.dataclass(frozen=True)
class ColumnMapping:
    """Which source column feeds which canonical field, and what was left unmapped.

    Attributes
    ----------
    columns
        Canonical field -> source column name (as it appears in the file).
    notes
        Report lines about the mapping (truncated names not used, ...).
    """

    columns: dict[str, str]
    notes: tuple[str, ...] = ()


def truncated_candidates(column: str) -> list[str]:
    """Synonyms a 10-character DBF field name might be a truncation of (never used to map)."""
    norm = normalise_name(column)
    if len(str(column)) != 10 or norm in _SYNONYM_TO_FIELD:
        return []
    return sorted(
        {f for syn, f in _SYNONYM_TO_FIELD.items() if len(syn) > 10 and syn.startswith(norm)}
    )


def resolve_mapping(
    columns: Iterable[str],
    *,
    explicit: Mapping[str, str] | None = None,
    given: Iterable[str] = (),
    source: str = "file",
) -> ColumnMapping:
    """Map source columns to canonical fields by exact synonyms, or raise listing every problem.

    Parameters
    ----------
    columns
        The source table's column names.
    explicit
        ``field -> column`` given by the user (``--map FIELD=COLUMN``); wins over synonyms.
    given
        Fields whose value the user gave for the whole file (``--level``, ``--agency``,
        ``--asset``), so no column is needed for them.
    source
        File (and layer) name for messages.

    Returns
    -------
    ColumnMapping

    Raises
    ------
    MappingError
        A required field has no column (and was not given), a field matches several columns, or
        an explicit mapping names an unknown field or a column that does not exist.
    """
    columns = [c for c in columns if c != "geometry"]
    explicit = dict(explicit or {})
    given = set(given)
    problems: list[str] = []
    notes: list[str] = []
    by_norm: dict[str, list[str]] = {}
    for col in columns:
        by_norm.setdefault(normalise_name(col), []).append(col)

    known_fields = set(FIELD_SYNONYMS)
    for field, col in explicit.items():
        if field not in known_fields:
            problems.append(
                f"{source}: --map {field}={col}: unknown field {field!r}; "
                f"fields are {', '.join(sorted(known_fields))}"
            )
        elif col not in columns:
            problems.append(
                f"{source}: --map {field}={col}: no column {col!r}; "
                f"columns are {', '.join(map(repr, columns))}"
            )

    mapping: dict[str, str] = {}
    used = set(explicit.values())
    for field, synonyms in FIELD_SYNONYMS.items():
        if field in explicit:
            mapping[field] = explicit[field]
            continue
        found = [c for syn in synonyms for c in by_norm.get(syn, []) if c not in used]
        found = list(dict.fromkeys(found))
        if len(found) > 1:
            if field in given:
                continue
            problems.append(
                f"{source}: several columns could be {field}: {', '.join(map(repr, found))}; "
                f"choose one with --map {field}=COLUMN"
            )
        elif found:
            mapping[field] = found[0]

    if "year" in mapping and "year_start" not in mapping:
        mapping["year_start"] = mapping.pop("year")
        mapping.setdefault("year_end", mapping["year_start"])
    elif "year" in mapping:
        mapping.pop("year")

    truncated = {c: truncated_candidates(c) for c in columns}
    for field in REQUIRED_FIELDS:
        if field in mapping or field in given:
            continue
        if field == "year_start":
            label, option = "year (tahun anggaran)", "--map year=COLUMN"
        else:
            label, option = field, f"--map {field}=COLUMN"
        if field in ("level", "agency", "asset_type"):
            flag = {"level": "--level", "agency": "--agency", "asset_type": "--asset"}[field]
            option = f"{flag} VALUE or {option}"
        hint = [
            c
            for c, fields in truncated.items()
            if field in fields or (field == "year_start" and "year" in fields)
        ]
        if field == "asset_type":
            continue  # taken per record from names and geometry, see geo.records
        if field == "level" and ({"agency", "funding_source"} & (set(mapping) | given)):
            notes.append(
                f"{source}: no column for level; taken per record from the agency or funding "
                "source where they name it (pass --level or --map level=COLUMN to set it)"
            )
            continue  # see geo.values.infer_level
        if field == "name" and "project_id" in mapping:
            notes.append(
                f"{source}: no column for name (nama paket); the project id stands in "
                "for it — pass --map name=COLUMN to use one"
            )
            continue  # the id stands in for a missing name; reported per file
        maybe = (
            f" (maybe {', '.join(map(repr, hint))}: truncated names are never used by guess)"
            if hint
            else ""
        )
        if len(hint) == 1:
            option = option.replace("=COLUMN", f"={hint[0]}")  # the exact fix, to confirm
        problems.append(f"{source}: no column for {label}{maybe}; pass {option}")

    for col, fields in truncated.items():
        if fields and col not in mapping.values() and not any(f in mapping for f in fields):
            notes.append(
                f"{source}: column {col!r} looks like a truncated name for "
                f"{' or '.join(fields)}; not used — pass --map {fields[0]}={col} to use it"
            )
    if problems:
        raise MappingError(*problems)
    return ColumnMapping(columns=mapping, notes=tuple(notes))
