"""Projects as an OC4IDS project package (Open Contracting for Infrastructure Data Standard).

The package follows the OC4IDS 0.9.5 project-package schema and its codelists: each project
record becomes one OC4IDS project with its title, status and type mapped to the closed
``projectStatus`` and ``projectType`` codelists, the budget year(s) as the period, the pagu as
the budget (IDR), the agency as the public authority (a party), the geometry as a location
(GeoJSON, EPSG:4326), and every project it overlaps as a related project.

Indonesian work types and statuses without an OC4IDS code (``pemeliharaan``/``preservasi``:
OC4IDS project types describe a change to the asset, and maintenance is a stage, not a type)
are left out of ``type``/``status`` and listed by :func:`unmapped_codes`; the original words
stay in the project's ``petaSinergi`` object.

Peta Sinergi's own fields live in a documented extension: one ``petaSinergi`` object per
project and per related project, described in the package's own ``petaSinergi`` object
(:data:`EXTENSION_FIELDS`). OC4IDS allows additional fields; the standard's fields never
carry anything outside their codelists.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.errors import GeoInputError
from geo.settings import DEFAULT_SETTINGS, Settings

__all__ = [
    "check_prefix",
    "EXTENSION_FIELDS",
    "OC4IDS_SCHEMA_RELEASE",
    "OC4IDS_VERSION",
    "PREFIX_PATTERN",
    "project_id",
    "project_package",
    "project_package_json",
    "status_code",
    "STATUS_CODES",
    "type_code",
    "TYPE_CODES",
    "unmapped_codes",
]

#: OC4IDS version written in the package (``major.minor``, as the schema asks) and the schema
#: release the package is checked against (``tests/data/oc4ids-0.9.5``).
OC4IDS_VERSION: Final[str] = "0.9"
OC4IDS_SCHEMA_RELEASE: Final[str] = "0.9.5"
#: Shape of a project identifier prefix assigned by the OC4IDS Helpdesk.
PREFIX_PATTERN: Final[re.Pattern[str]] = re.compile(r"^oc4ids-[a-z0-9]{6}$")

#: Indonesian status (lower case, single spaces) -> OC4IDS ``projectStatus`` code.
STATUS_CODES: Final[dict[str, str]] = {
    "usulan": "identification",
    "rencana": "identification",
    "perencanaan": "preparation",
    "persiapan": "preparation",
    # budgeted, not yet tendered: the project is being prepared
    "belum lelang": "preparation",
    # OC4IDS implementation "covers the procurement and implementation" of the works
    "lelang": "implementation",
    "proses lelang": "implementation",
    "tender": "implementation",
    "pengadaan": "implementation",
    "kontrak": "implementation",
    "terkontrak": "implementation",
    "sudah kontrak": "implementation",
    "berjalan": "implementation",
    "pelaksanaan": "implementation",
    "konstruksi": "implementation",
    "selesai": "completion",
    "batal": "cancelled",
    "dibatalkan": "cancelled",
}
#: Indonesian work type (its first word(s), lower case) -> OC4IDS ``projectType`` code; None for
#: work that OC4IDS has no project type for.
TYPE_CODES: Final[dict[str, str | None]] = {
    "pembangunan": "construction",
    "pembangunan baru": "construction",
    "peningkatan": "expansion",
    "pelebaran": "expansion",
    "rehabilitasi": "rehabilitation",
    "rekonstruksi": "replacement",
    "penggantian": "replacement",
    "pemeliharaan": None,
    "preservasi": None,
}
_NO_TYPE_REASON = "OC4IDS 0.9.5 has no project type for maintenance work (it is a stage)"
#: ``relatedProject`` codes: what the related project might do to the same assets.
_RELATIONSHIPS: Final[frozenset[str]] = frozenset(
    {"construction", "rehabilitation", "replacement", "expansion"}
)
_SECTOR: Final[dict[str, list[str]]] = {
    "road": ["transport", "transport.road"],
    "bridge": ["transport", "transport.road"],
    "irrigation": ["naturalResources"],
}
#: The extension: every field Peta Sinergi adds, by where it is and what it holds.
EXTENSION_FIELDS: Final[dict[str, str]] = {
    "projects/petaSinergi/level": "level of government doing the work: pusat, provinsi, "
    "kabupaten, desa",
    "projects/petaSinergi/assetType": "road, bridge or irrigation",
    "projects/petaSinergi/workType": "the work type as the agency wrote it (pembangunan, "
    "peningkatan, rehabilitasi, pemeliharaan, preservasi, ...)",
    "projects/petaSinergi/status": "the status as the agency wrote it (usulan, Belum Lelang, "
    "Proses Lelang, Terkontrak, berjalan, selesai, ...)",
    "projects/petaSinergi/fundingSource": "sumber dana: APBN, APBD, DAK, IJD, ...",
    "projects/petaSinergi/sourceFile": "the uploaded file the record came from",
    "projects/relatedProjects/petaSinergi/overlap": "the related project was found working on "
    "the same assets in the same years (tumpang tindih): finding id, kind (overlap, repeat, "
    "cross_type), relation (cross_level, same_level, same_agency), severity, shared length "
    "(m), shared area (ha), distance (m) and budget at stake (IDR). relationship, when "
    "present, is the related project's own projectType: what it might do to the same assets",
}
#: Indonesia's budget year is the calendar year; dates are given in WIB (UTC+7).
_WIB = "+07:00"


def _key(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().lower()


def status_code(status: object) -> str | None:
    """The OC4IDS ``projectStatus`` of an Indonesian status, or None when there is none.

    >>> status_code("Proses Lelang"), status_code("Terkontrak"), status_code("selesai")
    ('implementation', 'implementation', 'completion')
    """
    return STATUS_CODES.get(_key(status))


def type_code(work_type: object) -> str | None:
    """The OC4IDS ``projectType`` of an Indonesian work type (its leading words), or None.

    >>> type_code("Peningkatan Struktur Jalan"), type_code("Preservasi Jalan")
    ('expansion', None)
    """
    words = _key(work_type).split(" ")
    for count in (2, 1):
        found = TYPE_CODES.get(" ".join(words[:count]))
        if found:
            return found
    return None


def unmapped_codes(projects: pd.DataFrame) -> list[str]:
    """One line per work type or status that has no OC4IDS code, with its project count.

    These projects are exported without ``type`` (or ``status``); the words stay in their
    ``petaSinergi`` object.

    >>> unmapped_codes(pd.DataFrame({"work_type": ["peningkatan"], "status": ["ditunda"]}))
    ["status 'ditunda' (1 project): no OC4IDS projectStatus"]
    """
    lines = []
    for column, label, code, field in (
        ("work_type", "work type", type_code, "projectType"),
        ("status", "status", status_code, "projectStatus"),
    ):
        if column not in projects:
            continue
        words = projects[column].dropna().astype(str).str.strip()
        counts = Counter(w for w in words if w and code(w) is None)
        for word, count in sorted(counts.items()):
            plural = "project" if count == 1 else "projects"
            known = column == "work_type" and type_code(word) is None and _first(word) in TYPE_CODES
            why = f"; {_NO_TYPE_REASON}" if known else ""
            lines.append(f"{label} {word!r} ({count} {plural}): no OC4IDS {field}{why}")
    return lines


def _first(work_type: str) -> str:
    return _key(work_type).split(" ")[0]


def project_id(agency: object, project: object, *, prefix: str) -> str:
    """OC4IDS id of a project: the publisher's prefix, agency slug and the kode paket.

    >>> project_id("BPJN Wilayah Contoh", "PJN-01", prefix="oc4ids-000000")
    'oc4ids-000000-bpjn-wilayah-contoh-PJN-01'
    """
    return f"{prefix}-{_slug(agency)}-{project}"


def _slug(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "instansi"


def check_prefix(prefix: str) -> str:
    """``prefix`` when it has the shape of an OC4IDS project id prefix.

    Raises
    ------
    GeoInputError
        It has not; the message names the setting to change.
    """
    if not PREFIX_PATTERN.match(prefix):
        raise GeoInputError(
            f"PETA_OC4IDS_ID_PREFIX={prefix!r}: an OC4IDS project id prefix looks like "
            "'oc4ids-ab12cd' (six lower-case letters or digits, assigned by the OC4IDS "
            "Helpdesk, data@open-contracting.org)"
        )
    return prefix


def project_package(
    projects: gpd.GeoDataFrame,
    findings: gpd.GeoDataFrame | None = None,
    *,
    published: dt.datetime | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> dict:
    """An OC4IDS 0.9.5 project package of ``projects`` with related projects from ``findings``.

    Parameters
    ----------
    projects
        Canonical project records (any CRS; written in EPSG:4326, 7 decimals, about 1 cm).
    findings
        Overlap findings (:func:`geo.analyse.overlap.find_overlaps`) among them: each pair makes the two
        projects related projects of each other.
    published
        Publication time; default now (UTC).
    settings
        ``oc4ids_uri`` (the package's URI, a timestamped file name is added), ``oc4ids_publisher``
        and ``oc4ids_id_prefix``; default :data:`geo.settings.DEFAULT_SETTINGS`.

    Returns
    -------
    dict
        The package, ready for :func:`json.dumps`.

    Raises
    ------
    GeoInputError
        No projects (an OC4IDS package holds at least one), or a malformed id prefix.
    """
    prefix = check_prefix(settings.oc4ids_id_prefix)
    if projects.empty:
        raise GeoInputError(
            "OC4IDS: no projects in the selection; an OC4IDS package holds at least one "
            "project (widen the filter)"
        )
    published = (published or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    projects = projects.to_crs(4326)
    related = _related(findings, projects, prefix)
    # 7 decimals of a degree are about 1 cm: survey precision, a third of the file size.
    rounded = shapely.transform(projects.geometry.to_numpy(), lambda xy: np.round(xy, 7))
    geometries = shapely.to_geojson(rounded)
    records = []
    for record, geometry in zip(projects.to_dict("records"), geometries, strict=True):
        key = (str(record["agency"]), str(record["project_id"]))
        records.append(_project(record, geometry, related.get(key, []), prefix))
    stamp = published.strftime("%Y%m%dT%H%M%SZ")
    return {
        "uri": f"{settings.oc4ids_uri.rstrip('/')}/proyek-oc4ids-{stamp}.json",
        "version": OC4IDS_VERSION,
        "publishedDate": published.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "publisher": {"name": settings.oc4ids_publisher},
        "projects": records,
        "petaSinergi": {
            "description": "Peta Sinergi extension: fields added to OC4IDS "
            f"{OC4IDS_SCHEMA_RELEASE}, by path",
            "fields": EXTENSION_FIELDS,
        },
    }


def project_package_json(
    projects: gpd.GeoDataFrame, findings: gpd.GeoDataFrame | None = None, **kwargs
) -> bytes:
    """:func:`project_package` as compact UTF-8 JSON bytes."""
    package = project_package(projects, findings, **kwargs)
    return json.dumps(package, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _year(value: object) -> int | None:
    try:
        year = int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return year


def _project(record: dict, geometry: str | None, related: list[dict], prefix: str) -> dict:
    agency = str(record["agency"])
    authority = {"id": f"{prefix}-{_slug(agency)}", "name": agency}
    project: dict = {
        "id": project_id(agency, record["project_id"], prefix=prefix),
        "identifiers": [{"id": str(record["project_id"]), "scheme": "kode paket"}],
    }
    title = _text(record.get("name"))
    if title:
        project["title"] = title
    project["publicAuthority"] = authority
    project["parties"] = [{**authority, "roles": ["publicAuthority"]}]
    sector = _SECTOR.get(str(record.get("asset_type")))
    if sector:
        project["sector"] = sector
    status = status_code(record.get("status"))
    if status:
        project["status"] = status
    kind = type_code(record.get("work_type"))
    if kind:
        project["type"] = kind
    start, end = _year(record.get("year_start")), _year(record.get("year_end"))
    if start is not None:
        end = end if end is not None else start
        project["period"] = {
            "startDate": f"{start}-01-01T00:00:00{_WIB}",
            "endDate": f"{end}-12-31T23:59:59{_WIB}",
        }
    budget = _number(record.get("budget_idr"))
    if budget is not None:
        project["budget"] = {"amount": {"amount": budget, "currency": "IDR"}}
    if geometry is not None and geometry != "null":
        location = {"id": "1", "geometry": json.loads(geometry)}
        if title:
            location["description"] = title
        project["locations"] = [location]
    if related:
        project["relatedProjects"] = related
    fields = {"level": "level", "assetType": "asset_type", "workType": "work_type"}
    fields |= {"status": "status", "fundingSource": "funding_source", "sourceFile": "source_file"}
    project["petaSinergi"] = _present({k: _text(record.get(c)) for k, c in fields.items()})
    return project


def _present(fields: dict) -> dict:
    """``fields`` without the empty ones (OC4IDS asks that fields with no value be left out)."""
    return {k: v for k, v in fields.items() if v is not None}


def _related(findings: gpd.GeoDataFrame | None, projects: gpd.GeoDataFrame, prefix: str) -> dict:
    """(agency, project id) -> relatedProjects entries, both ways for every finding."""
    if findings is None or findings.empty:
        return {}
    kinds = {
        (str(a), str(p)): type_code(w)
        for a, p, w in zip(
            projects["agency"], projects["project_id"], projects["work_type"], strict=True
        )
    }
    related: dict[tuple[str, str], list[dict]] = {}
    for f in findings.to_dict("records"):
        ends = [
            (str(f["agency_a"]), str(f["project_a"])),
            (str(f["agency_b"]), str(f["project_b"])),
        ]
        evidence: dict[str, object] = {"findingId": str(f["finding_id"])}
        evidence |= {k: _text(f.get(k)) for k in ("kind", "relation", "severity")}
        evidence |= {k: _number(f.get(k)) for k in ("overlap_m", "overlap_ha", "distance_m")}
        evidence["budgetAtStake_idr"] = _number(f.get("budget_at_stake_idr"))
        evidence = _present(evidence)
        for mine, other in (ends, ends[::-1]):
            entry: dict[str, object] = {
                "id": str(f["finding_id"]),
                "scheme": "oc4ids",
                "identifier": project_id(*other, prefix=prefix),
                "title": f"Tumpang tindih {f['finding_id']} ({f['severity']})",
            }
            relationship = kinds.get(other)
            if relationship in _RELATIONSHIPS:
                entry["relationship"] = relationship
            entry["petaSinergi"] = {"overlap": evidence}
            related.setdefault(mine, []).append(entry)
    return related


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else round(number, 2)
