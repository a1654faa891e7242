"""Projects as an OC4IDS-style project package (Open Contracting for Infrastructure Data Standard).

Each project record becomes one OC4IDS project: its title, status, type and sector mapped to the
OC4IDS codelists, the budget year(s) as the period, the pagu as the budget (IDR), the agency as
the public authority (a party), the geometry as a location (GeoJSON, EPSG:4326), and every
project it overlaps as a related project. Peta Sinergi's own fields (level, funding source,
the overlap's evidence) are kept under ``petaSinergi`` keys: OC4IDS allows additional fields.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re

import geopandas as gpd
import numpy as np
import shapely

#: OC4IDS schema version the package follows.
OC4IDS_VERSION = "0.9"
#: Prefix of the project ids (a registered OC4IDS prefix would replace it when publishing).
ID_PREFIX = "peta-sinergi"

_STATUS = {
    "usulan": "identification",
    "kontrak": "implementation",
    "berjalan": "implementation",
    "selesai": "completed",
}
_TYPE = {
    "pembangunan": "construction",
    "peningkatan": "expansion",
    "rehabilitasi": "rehabilitation",
    "pemeliharaan": "maintenance",
    "preservasi": "maintenance",
}
#: relatedProject codelist: what the related project might do to the same assets.
_RELATED = {
    "pembangunan": "construction",
    "peningkatan": "expansion",
    "rehabilitasi": "rehabilitation",
}
_SECTOR = {
    "road": ["transport", "transport.road"],
    "bridge": ["transport", "transport.road"],
    "irrigation": ["naturalResources"],
}
#: Indonesia's budget year is the calendar year; dates are given in WIB (UTC+7).
_WIB = "+07:00"


def project_id(agency: object, project: object) -> str:
    """OC4IDS id of a project: prefix, agency slug and the agency's own id (kode paket).

    >>> project_id("BPJN Wilayah Contoh", "PJN-01")
    'peta-sinergi-bpjn-wilayah-contoh-PJN-01'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", str(agency).lower()).strip("-")
    return f"{ID_PREFIX}-{slug}-{project}"


def project_package(
    projects: gpd.GeoDataFrame,
    findings: gpd.GeoDataFrame | None = None,
    *,
    published: dt.datetime | None = None,
) -> dict:
    """An OC4IDS project package of ``projects`` with related projects from ``findings``.

    Parameters
    ----------
    projects
        Canonical project records in EPSG:4326.
    findings
        Overlap findings (:func:`geo.overlap.find_overlaps`) among them: each pair makes the two
        projects related projects of each other.
    published
        Publication time; default now (UTC).

    Returns
    -------
    dict
        ``{"version", "publishedDate", "publisher", "projects": [...]}``, ready for
        :func:`json.dumps`.
    """
    published = published or dt.datetime.now(dt.UTC)
    projects = projects.to_crs(4326)
    related = _related(findings, projects)
    # 7 decimals of a degree are about 1 cm: survey precision, a third of the file size.
    rounded = shapely.transform(projects.geometry.to_numpy(), lambda xy: np.round(xy, 7))
    geometries = shapely.to_geojson(rounded)
    records = []
    for record, geometry in zip(projects.to_dict("records"), geometries, strict=True):
        key = (str(record["agency"]), str(record["project_id"]))
        records.append(_project(record, geometry, related.get(key, [])))
    return {
        "version": OC4IDS_VERSION,
        "publishedDate": published.isoformat(timespec="seconds"),
        "publisher": {"name": "Peta Sinergi"},
        "projects": records,
    }


def project_package_json(
    projects: gpd.GeoDataFrame, findings: gpd.GeoDataFrame | None = None, **kwargs
) -> bytes:
    """:func:`project_package` as compact UTF-8 JSON bytes."""
    package = project_package(projects, findings, **kwargs)
    return json.dumps(package, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _year(value: object) -> int | None:
    try:
        year = int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return year


def _project(record: dict, geometry: str | None, related: list[dict]) -> dict:
    agency = str(record["agency"])
    authority = {"id": project_id(agency, "").rstrip("-"), "name": agency}
    project = {
        "id": project_id(agency, record["project_id"]),
        "identifiers": [{"id": str(record["project_id"]), "scheme": "kode paket"}],
        "title": _text(record.get("name")),
        "publicAuthority": authority,
        "parties": [{**authority, "roles": ["publicAuthority"]}],
        "sector": _SECTOR.get(str(record.get("asset_type")), []),
    }
    status = _STATUS.get(str(record.get("status") or "").lower())
    if status:
        project["status"] = status
    kind = _TYPE.get(str(record.get("work_type") or "").lower())
    if kind:
        project["type"] = kind
    start, end = _year(record.get("year_start")), _year(record.get("year_end"))
    if start is not None:
        end = end if end is not None else start
        project["period"] = {
            "startDate": f"{start}-01-01T00:00:00{_WIB}",
            "endDate": f"{end}-12-31T23:59:59{_WIB}",
        }
    budget = record.get("budget_idr")
    if budget is not None and not (isinstance(budget, float) and math.isnan(budget)):
        project["budget"] = {"amount": {"amount": float(budget), "currency": "IDR"}}
    if geometry is not None:
        project["locations"] = [
            {"id": "1", "description": _text(record.get("name")), "geometry": json.loads(geometry)}
        ]
    if related:
        project["relatedProjects"] = related
    project["petaSinergi"] = {
        "level": _text(record.get("level")),
        "assetType": _text(record.get("asset_type")),
        "workType": _text(record.get("work_type")),
        "fundingSource": _text(record.get("funding_source")),
        "sourceFile": _text(record.get("source_file")),
    }
    return project


def _related(findings: gpd.GeoDataFrame | None, projects: gpd.GeoDataFrame) -> dict:
    """(agency, project id) -> relatedProjects entries, both ways for every finding."""
    if findings is None or findings.empty:
        return {}
    work = {
        (str(a), str(p)): str(w or "").lower()
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
        for mine, other in (ends, ends[::-1]):
            entry = {
                "id": f"{f['finding_id']}-{other[1]}",
                "scheme": "oc4ids",
                "identifier": project_id(*other),
                "relationship": _RELATED.get(work.get(other, ""), "rehabilitation"),
                "title": f"Tumpang tindih {f['finding_id']} ({f['severity']})",
                "petaSinergi": {
                    "findingId": f["finding_id"],
                    "kind": f["kind"],
                    "relation": f["relation"],
                    "severity": f["severity"],
                    "overlap_m": _number(f.get("overlap_m")),
                    "overlap_ha": _number(f.get("overlap_ha")),
                    "distance_m": _number(f.get("distance_m")),
                    "budgetAtStake_idr": _number(f.get("budget_at_stake_idr")),
                },
            }
            related.setdefault(mine, []).append(entry)
    return related


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else round(number, 2)
