"""The canonical project record (DESIGN section 3), its vocabularies and column mapping."""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping

import pandas as pd

from geo.errors import MappingError

__all__ = [
    "ASSET_TYPES",
    "ColumnMapping",
    "EXTRA_COLUMNS",
    "FIELD_SYNONYMS",
    "money_unit",
    "ID_FIELDS",
    "is_blank",
    "is_missing",
    "LEVELS",
    "normalise_name",
    "PLACED_BY",
    "PLACEHOLDERS",
    "PROJECT_COLUMNS",
    "PROPOSAL_STATUSES",
    "PROVENANCE_COLUMNS",
    "RECORD_COLUMNS",
    "REQUIRED_FIELDS",
    "TEXT_EXTRA_COLUMNS",
    "resolve_mapping",
    "truncated_candidates",
    "truncated_synonyms",
]


def is_blank(value: object) -> bool:
    """True for None, NaN and strings of white space only."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


#: What lists write in an optional field that has no value: dashes (hyphen, en and em dash,
#: minus sign), "n/a" and the like. Read as missing, never as a value to reject.
PLACEHOLDERS = frozenset({"-", "--", "\u2013", "\u2014", "\u2212", "n/a", "#n/a", "na", "null"})


def is_missing(value: object) -> bool:
    """True for a blank value (:func:`is_blank`) or a placeholder written for "none".

    >>> [is_missing(v) for v in ("-", "\u2013", "\u2014", "n/a", " ", None, "0", "Rp 5 jt")]
    [True, True, True, True, True, True, False, False]
    """
    if is_blank(value):
        return True
    return isinstance(value, str) and value.strip().lower() in PLACEHOLDERS


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
#: Optional columns a file may bring beyond the record, stored when present and added to a
#: store's projects table the first time one arrives: the contract value (rupiah, not read by
#: the analyses) and the road's deck (-1 below ground, 0 ground, 1 raised: OpenStreetMap's
#: ``layer``; the overlap engines never pair roads on different decks, geo.spatial.deck), and
#: how the reader placed the record on the road network (``placed_by``, :data:`PLACED_BY`).
EXTRA_COLUMNS: tuple[str, ...] = ("contract_value_idr", "deck", "placed_by")
#: The optional columns holding text (the others hold numbers).
TEXT_EXTRA_COLUMNS: tuple[str, ...] = ("placed_by",)
#: How the reader placed a record on the road network (column ``placed_by``; empty for a
#: record drawn as it is): its start and end points joined by the route along the network, its
#: ruas and STA range cut from the ruas, or its one point snapped to the nearest road. The
#: location of such a record comes from its placement (geo.analyse.locations), not from
#: matching its line to the network.
PLACED_BY: tuple[str, ...] = ("start-end route", "ruas+STA", "point")

LEVELS: tuple[str, ...] = ("pusat", "provinsi", "kabupaten", "desa")
ASSET_TYPES: tuple[str, ...] = ("road", "bridge", "irrigation")
#: The status of a proposal (usulan) at synchronisation, in KRISNA's words: suggested by
#: :func:`geo.analyse.proposals.check_proposals`, decided by the meeting (a store decision).
PROPOSAL_STATUSES: tuple[str, ...] = ("Diterima", "Ditolak", "Didiskusikan")

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
    "year_start": (
        "year_start",
        "tahun_mulai",
        "tahun_awal",
        "ta_mulai",
        "ta_awal",
        "thn_mulai",
        "thn_awal",
    ),
    "year_end": (
        "year_end",
        "tahun_selesai",
        "tahun_akhir",
        "ta_selesai",
        "ta_akhir",
        "thn_selesai",
        "thn_akhir",
    ),
    "budget_idr": (
        "budget_idr",
        "pagu",
        "pagu_rp",
        "anggaran",
        "nilai",
        "pagu_anggaran",
        "nilai_pagu",
        "pagu_paket",
        "biaya",
        "anggaran_rp",
        "nilai_rp",
    ),
    # The contract value is kept beside the pagu; it is the budget only when there is no pagu.
    "contract_value_idr": (
        "contract_value_idr",
        "nilai_kontrak",
        "nilai_kontrak_rp",
        "nilai_kontrak_idr",
        "harga_kontrak",
        "nilai_spk",
    ),
    # The deck of a road (OpenStreetMap's ``layer``: 1 raised, -1 below ground).
    "deck": ("deck", "layer", "dek"),
    # A date gives the budget year when the file has no year column (``03 Jun 2022``).
    "date": (
        "date",
        "tanggal",
        "tgl",
        "tanggal_kontrak",
        "tgl_kontrak",
        "tanggal_mulai",
        "tgl_mulai",
        "tanggal_spmk",
        "tgl_spmk",
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


#: Fields a column is looked up for only to help another (not canonical record columns).
_HELPER_FIELDS = ("date",)
#: Fields whose column identifies records: a column blank in every row never serves as one.
ID_FIELDS = ("project_id",)


def truncated_synonyms(column: str) -> dict[str, list[str]]:
    """Field -> the long synonyms a 10-character DBF field name is a prefix of.

    A DBF keeps 10 characters of a field name, so ``TAHUN_SELESAI`` arrives as ``TAHUN_SELE``.

    >>> truncated_synonyms("TAHUN_SELE")
    {'year_end': ['tahun_selesai']}
    >>> truncated_synonyms("NAMA_PAKET")  # a whole synonym, not a truncation
    {}
    """
    norm = normalise_name(column)
    if len(str(column)) != 10 or norm in _SYNONYM_TO_FIELD:
        return {}
    found: dict[str, list[str]] = {}
    for syn, field in _SYNONYM_TO_FIELD.items():
        if len(syn) > 10 and syn.startswith(norm):
            found.setdefault(field, []).append(syn)
    return dict(sorted(found.items()))


def truncated_candidates(column: str) -> list[str]:
    """Fields a 10-character DBF field name might be a truncation of (see
    :func:`truncated_synonyms`)."""
    return list(truncated_synonyms(column))


def resolve_mapping(
    columns: Iterable[str],
    *,
    explicit: Mapping[str, str] | None = None,
    given: Iterable[str] = (),
    source: str = "file",
    values: pd.DataFrame | None = None,
) -> ColumnMapping:
    """Map source columns to canonical fields by exact synonyms, or raise listing every problem.

    A name cut to the 10 characters a DBF keeps (``TAHUN_SELE``) is used for the one field
    it can be the start of, with a report line; one that could be several fields is named
    with its candidates and not used.

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
    values
        The table itself, when at hand: a column blank in every row is then never used as an
        id, and several candidate columns holding the same values (``@id`` and ``id`` of an
        OpenStreetMap export) are one column, not a question.

    Returns
    -------
    ColumnMapping

    Raises
    ------
    MappingError
        A required field has no column (and was not given), a field matches several columns, or
        an explicit mapping names an unknown field or a column that does not exist (or a blank
        column as the id).
    """
    columns = [c for c in columns if c != "geometry"]
    explicit = dict(explicit or {})
    given = set(given)
    problems: list[str] = []
    notes: list[str] = []
    by_norm: dict[str, list[str]] = {}
    by_base: dict[str, list[str]] = {}
    for col in columns:
        by_norm.setdefault(normalise_name(col), []).append(col)
        by_base.setdefault(money_unit(normalise_name(col))[0], []).append(col)
    facts = _ColumnFacts(values)

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
        elif field in ID_FIELDS and facts.blank(col):
            problems.append(
                f"{source}: --map {field}={col}: column {col!r} is blank in every feature; "
                f"choose a column that holds the ids with --map {field}=COLUMN"
            )

    mapping: dict[str, str] = {}
    used = set(explicit.values())
    for field, synonyms in FIELD_SYNONYMS.items():
        if field in explicit:
            mapping[field] = explicit[field]
            continue
        found = [c for syn in synonyms for c in by_norm.get(syn, []) if c not in used]
        if not found:  # "Nilai Kontrak (Ribu Rupiah)": the name without its money unit,
            # taken only when one column fits so (never a new question for a file read before)
            by_unit = {c for syn in synonyms for c in by_base.get(syn, []) if c not in used}
            found = list(by_unit) if len(by_unit) == 1 else []
        found = list(dict.fromkeys(found))
        if field in ID_FIELDS:
            for col in [c for c in found if facts.blank(c)]:
                found.remove(col)
                notes.append(
                    f"{source}: column {col!r} is blank in every feature; not used as {field} "
                    f"— pass --map {field}=COLUMN with a column that holds the ids"
                )
        if len(found) > 1 and facts.same_values(found):
            notes.append(
                f"{source}: columns {', '.join(map(repr, found))} hold the same values; "
                f"{found[0]!r} used as {field}"
            )
            found = found[:1]
        if len(found) > 1:
            if field in given:
                continue
            problems.append(
                f"{source}: several columns could be {field}: {', '.join(map(repr, found))}; "
                f"choose one with --map {field}=COLUMN"
            )
        elif found:
            mapping[field] = found[0]

    truncated = {
        c: truncated_synonyms(c) for c in columns if c not in used and c not in mapping.values()
    }
    notes.extend(_use_truncated(truncated, mapping, source))

    if "year" in mapping and "year_start" not in mapping:
        mapping["year_start"] = mapping.pop("year")
        mapping.setdefault("year_end", mapping["year_start"])
    elif "year" in mapping:
        mapping.pop("year")
    if "year_start" not in mapping and "date" in mapping:
        mapping["year_start"] = mapping["date"]
        notes.append(
            f"{source}: no year column; the year of each record is taken from its date in "
            f"column {mapping['date']!r} (pass --map year=COLUMN to use another)"
        )
    if "contract_value_idr" in mapping:
        contract = mapping["contract_value_idr"]
        if "budget_idr" in mapping:
            notes.append(
                f"{source}: budget (pagu) from column {mapping['budget_idr']!r}; the contract "
                f"value in {contract!r} is kept beside it"
            )
        elif "budget_idr" not in explicit:
            mapping["budget_idr"] = contract
            notes.append(
                f"{source}: no pagu column; the budget is the contract value in column {contract!r}"
            )

    unused = {c: fields for c, fields in truncated.items() if c not in mapping.values()}
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
            for c, fields in unused.items()
            if field in fields or (field == "year_start" and "year" in fields)
        ]
        if field == "asset_type":
            continue  # taken per record from names and geometry, see geo.read.records
        if field == "level" and ({"agency", "funding_source"} & (set(mapping) | given)):
            notes.append(
                f"{source}: no column for level; taken per record from the agency or funding "
                "source where they name it (pass --level or --map level=COLUMN to set it)"
            )
            continue  # see geo.read.values.infer_level
        if field == "name" and "project_id" in mapping:
            notes.append(
                f"{source}: no column for name (nama paket); the project id stands in "
                "for it — pass --map name=COLUMN to use one"
            )
            continue  # the id stands in for a missing name; reported per file
        maybe = (
            f" (maybe {', '.join(map(repr, hint))}: a name cut to 10 characters that could "
            "be several fields)"
            if hint
            else ""
        )
        if len(hint) == 1:
            option = option.replace("=COLUMN", f"={hint[0]}")  # the exact fix, to confirm
        problems.append(f"{source}: no column for {label}{maybe}; pass {option}")

    if problems:
        raise MappingError(*problems)
    return ColumnMapping(columns=mapping, notes=tuple(notes))


def _use_truncated(
    truncated: dict[str, dict[str, list[str]]], mapping: dict[str, str], source: str
) -> list[str]:
    """Map each 10-character name that can be the start of one field's synonyms only to that
    field (when no column took it); report every cut name, used or not."""
    notes = []
    claims: dict[str, list[str]] = {}
    for col, fields in truncated.items():
        if len(fields) == 1:
            claims.setdefault(next(iter(fields)), []).append(col)
    for col, fields in truncated.items():
        if not fields:
            continue
        if len(fields) > 1:
            options = " or ".join(f"{syns[0]} ({field})" for field, syns in fields.items())
            notes.append(
                f"{source}: column {col!r} is a name cut to 10 characters that could be "
                f"{options}; not used — pass --map FIELD={col} to use it"
            )
            continue
        field, synonyms = next(iter(fields.items()))
        if field in mapping or (field == "year" and "year_start" in mapping):
            notes.append(
                f"{source}: column {col!r} looks like {synonyms[0]} cut to 10 characters; not "
                f"used: {field} is column {mapping.get(field, mapping.get('year_start'))!r}"
            )
        elif len(claims[field]) > 1:
            notes.append(
                f"{source}: columns {', '.join(map(repr, claims[field]))} could each be "
                f"{field}; not used — choose one with --map {field}=COLUMN"
            )
            claims[field] = []  # reported once
        elif claims[field]:
            mapping[field] = col
            notes.append(
                f"{source}: column {col!r} read as {field} ({synonyms[0]} cut to 10 characters "
                f"by the DBF format; pass --map {field}=COLUMN to use another)"
            )
    return notes


class _ColumnFacts:
    """What the mapping asks of a table's values, computed once per column when needed."""

    def __init__(self, values: pd.DataFrame | None) -> None:
        self._values = values
        self._blank: dict[str, bool] = {}

    def blank(self, column: str) -> bool:
        """True when every value of ``column`` is blank or a placeholder (``-``, ``n/a``)."""
        if self._values is None or column not in self._values.columns or not len(self._values):
            return False
        if column not in self._blank:
            values = self._values[column].to_numpy()
            self._blank[column] = not any(not is_missing(v) for v in values)  # stops early
        return self._blank[column]

    def same_values(self, columns: list[str]) -> bool:
        """True when the columns hold the same value in every row (as text)."""
        if self._values is None or not len(self._values):
            return False
        first = self._values[columns[0]].astype(str)
        return all(self._values[c].astype(str).equals(first) for c in columns[1:])


#: A money unit written after a column's name, and what it multiplies the values by.
_MONEY_UNIT = re.compile(
    r"_(?:dalam_)?(?:(?P<a>ribu|ribuan|000|juta|jutaan|miliar|milyar|m)_)?(?:rp|rupiah|idr)"
    r"(?:_(?P<b>ribu|ribuan|000|juta|jutaan|miliar|milyar))?$"
    r"|_(?:dalam_)?(?P<c>ribu|ribuan|juta|jutaan|miliar|milyar)$"
)
_MONEY_FACTOR = {"ribu": 1e3, "ribuan": 1e3, "000": 1e3, "juta": 1e6, "jutaan": 1e6, "m": 1e9}
_MONEY_FACTOR |= {"miliar": 1e9, "milyar": 1e9}


def money_unit(norm: str) -> tuple[str, float]:
    """A normalised column name (:func:`geo.schema.normalise_name`) without the money unit
    written after it, and the factor that unit multiplies the values by (1 for rupiah, or for
    a name without a unit): ``Pagu (Rp 000)`` holds thousands of rupiah.

    Examples
    --------
    >>> money_unit("nilai_usulan_rp"), money_unit("pagu_rp_000")
    (('nilai_usulan', 1.0), ('pagu', 1000.0))
    >>> money_unit("total_biaya_ribu_rupiah"), money_unit("anggaran_juta")
    (('total_biaya', 1000.0), ('anggaran', 1000000.0))
    """
    match = _MONEY_UNIT.search(norm)
    if match is None or match.start() == 0:
        return norm, 1.0
    scale = match.group("a") or match.group("b") or match.group("c")
    return norm[: match.start()], _MONEY_FACTOR[scale] if scale else 1.0
