"""What both stores share: table names, the audit, review and decision rows, the import rules.

The GeoPackage store (:mod:`geo.store.gpkg`) and the PostGIS store (:mod:`geo.store.postgis`)
keep the same tables and apply the same rules; they differ only in how they talk to their
database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
from collections.abc import Collection, Sequence
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import shapely

from geo.auth import OPERATOR, Actor, check_write
from geo.errors import GeoInputError, NothingStored
from geo.finding_ids import DECISION_KINDS, FindingRef, check_subject_id
from geo.read.import_report import ImportReport
from geo.read.projects import ReadResult
from geo.schema import PROJECT_COLUMNS, PROPOSAL_STATUSES, TEXT_EXTRA_COLUMNS
from geo.spatial.crs import MIN_M_PER_DEG

__all__ = [
    "utc_stamp",
    "settings_fingerprint",
    "data_fingerprint",
    "decision_checks",
    "DECISION_COLUMNS",
    "DECISION_VALUES",
    "DECISIONS",
    "empty_decisions",
    "check_analysis_kind",
    "check_decision_kind",
    "analysis_payload",
    "analysis_frame",
    "analysis_row",
    "SAVED_ANALYSES",
    "ANALYSIS_KINDS",
    "AUDIT",
    "AUDIT_COLUMNS",
    "audit_row",
    "column_dtype",
    "deletion_row",
    "empty_projects",
    "finding_parties",
    "FINDINGS",
    "ImportOutcome",
    "layer_row",
    "META",
    "near_boxes",
    "no_such_upload",
    "LOADED_EXTRAS",
    "extra_column_sql_type",
    "project_columns",
    "PROJECTS",
    "reference_table",
    "REFERENCE_TABLES",
    "refuse_empty_import",
    "refuse_empty_layer",
    "refuse_stored_ids",
    "replaced_uploads",
    "review_checks",
    "REVIEW_DECISIONS",
    "review_row",
    "REVIEWS",
    "same_file_uploads",
    "sign_in_row",
    "UPLOADS",
    "with_columns",
]

#: Geometries are stored in EPSG:4326.
_SRS_ID = 4326

PROJECTS = "projects"


UPLOADS = "uploads"


FINDINGS = "findings"


AUDIT = "audit"


REVIEWS = "reviews"


#: Decisions on proposal rows and rakor matrix rows, every one kept (the latest counts).
DECISIONS = "decisions"


#: Facts about the store itself (``demo``: built by :func:`geo.demo.build_demo`).
META = "store_meta"
#: Analyses saved with the data and settings they were computed for (:func:`check_analysis_kind`).
SAVED_ANALYSES = "saved_analyses"
#: Kinds of saved analyses: overlap findings, authority mismatches, coverage per unit, where
#: road projects lie on the road network (ruas chainage).
ANALYSIS_KINDS = ("overlaps", "mismatches", "coverage", "locations")


#: Review decisions on a finding (DESIGN section 6): confirmed, dismissed, or a note only.
REVIEW_DECISIONS = ("confirm", "dismiss", "note")


#: What a decision of each kind (:data:`geo.finding_ids.DECISION_KINDS`) may say: a
#: proposal's status in KRISNA's words; a matrix row's decision is the meeting's own text
#: (None: any text of at most :data:`_DECISION_MAX_CHARS` characters).
DECISION_VALUES: Final[dict[str, tuple[str, ...] | None]] = {
    "proposal": PROPOSAL_STATUSES,
    "matrix": None,
}
_DECISION_MAX_CHARS = 200
#: What :meth:`geo.store.protocol.Store.load_decisions` returns, per subject.
DECISION_COLUMNS: tuple[str, ...] = ("subject_id", "decision", "note", "who", "decided_at")


#: Reference layers kept in the store, by kind.
REFERENCE_TABLES = {
    "roads": "ref_roads",
    "irrigation_areas": "ref_irrigation_areas",
    "admin_units": "ref_admin_units",
}


_INT_COLUMNS = ("year_start", "year_end", "upload_id", "source_row")


_REAL_COLUMNS = ("budget_idr",)


@dataclasses.dataclass(frozen=True)
class ImportOutcome:
    """What one import did to the store.

    Attributes
    ----------
    upload_id
        The upload's id (an earlier one when the file was already imported).
    report
        The import report, including records the store refused (ids already stored).
    already_imported
        True when the same file (by SHA-256) was imported before: nothing changed.
    replaced
        Ids of earlier uploads this import replaced.
    options_changed
        True when the same file had been imported with other reader options (``--map``,
        ``--level``, ``--agency``, ``--asset``, ``--crs``): this import replaced that upload.
    """

    upload_id: int
    report: ImportReport
    already_imported: bool = False
    replaced: tuple[int, ...] = ()
    options_changed: bool = False


#: The audit trail's columns: when, who (name, role, agency), what, which upload and file.
AUDIT_COLUMNS: tuple[str, ...] = (
    "at",
    "who",
    "role",
    "agency",
    "action",
    "upload_id",
    "file_name",
    "sha256",
    "detail",
)


def audit_row(
    actor: Actor,
    action: str,
    stamp: str,
    upload_id: int,
    report: ImportReport,
    sha256: str,
    replaced: Sequence[int],
) -> dict:
    """The audit entry of an import (``replace`` when it replaced earlier uploads)."""
    detail: dict[str, object] = dict(report.counts)
    if replaced:
        detail["replaced_uploads"] = [int(u) for u in replaced]
    action = "replace" if replaced else action
    return _entry(actor, stamp, action, int(upload_id), report.source_file, sha256, detail)


def review_checks(finding: FindingRef, decision: str, *, now: dt.datetime | None) -> str:
    """Refuse an unknown decision, an empty finding id or one that is not the id of the
    projects named with it; the decision's time stamp."""
    finding_id = finding.finding_id
    if decision not in REVIEW_DECISIONS:
        raise GeoInputError(
            f"review of {finding_id}: decision must be one of "
            f"{', '.join(REVIEW_DECISIONS)}, not {decision!r}"
        )
    if not str(finding_id).strip():
        raise GeoInputError("review: the finding id is empty; choose a finding first")
    finding.check()
    return (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")


def decision_checks(
    kind: str,
    subject_id: str,
    decision: str,
    *,
    note: str,
    now: dt.datetime | None,
    actor: Actor | None,
) -> tuple[Actor, str, dict]:
    """Check a decision before it is written: its kind and subject id
    (:func:`geo.finding_ids.check_subject_id`), what it says (:data:`DECISION_VALUES`), who
    makes it (editors and administrators, :func:`geo.auth.check_write`).

    Returns
    -------
    (actor, stamp, audit)
        The actor with its current role, the decision's time (UTC, ISO 8601 to the second)
        and its audit entry (action ``decision_saved``).

    Raises
    ------
    GeoInputError
        An unknown kind, a subject id of another kind or form, a decision that is not one of
        the kind's; PermissionDenied (a GeoInputError) for a viewer.
    """
    check_subject_id(kind, subject_id)
    allowed = DECISION_VALUES[kind]
    if allowed is not None and decision not in allowed:
        raise GeoInputError(
            f"decision on {subject_id}: must be one of {', '.join(allowed)}, not {decision!r}"
        )
    if not str(decision).strip() or len(str(decision)) > _DECISION_MAX_CHARS:
        raise GeoInputError(
            f"decision on {subject_id}: write the decision in 1 to {_DECISION_MAX_CHARS} characters"
        )
    actor = check_write(actor, (), f"decision on {subject_id}")
    stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    detail = {"kind": kind, "subject_id": subject_id, "decision": decision, "note": note}
    return actor, stamp, _entry(actor, stamp, "decision_saved", None, "", "", detail)


def empty_decisions() -> pd.DataFrame:
    """No decisions: :data:`DECISION_COLUMNS`, all text."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in DECISION_COLUMNS})


def check_decision_kind(kind: str) -> str:
    """``kind`` if decisions may be of that kind, else GeoInputError naming the kinds."""
    if kind not in DECISION_KINDS:
        raise GeoInputError(
            f"decisions: kind must be one of {', '.join(DECISION_KINDS)}, not {kind!r}"
        )
    return kind


def finding_parties(finding: FindingRef, stored: list, store: str) -> tuple[str, ...]:
    """The agencies of a finding's projects as stored; ``stored``: the store's row (agency,)
    for each of ``finding.projects``, None where there is none."""
    missing = [
        f"{agency} {project_id}"
        for (agency, project_id), row in zip(finding.projects, stored, strict=True)
        if row is None
    ]
    if missing:
        raise GeoInputError(
            f"review of {finding.finding_id}: {store} holds no project {', '.join(missing)}; "
            "the finding is out of date: reload the page and review a current finding"
        )
    return tuple(sorted({row[0] for row in stored}))


def refuse_empty_import(projects: gpd.GeoDataFrame, report: ImportReport) -> None:
    """Raise NothingStored when no record of an import is left to store."""
    if len(projects):
        return
    read = report.counts["read"]
    raise NothingStored(
        f"{report.source_file}: nothing stored — "
        + (
            f"every one of its {read} records was rejected (reasons in the report above); "
            "correct the file or the column mapping and import it again"
            if read
            else "it holds no records"
        )
    )


def refuse_empty_layer(kind: str, layer: gpd.GeoDataFrame, store: str) -> None:
    """Raise NothingStored when a reference layer to store is empty (the stored one stays)."""
    if len(layer) == 0:
        raise NothingStored(
            f"{kind}: no feature to store (every record was rejected); the {kind} reference "
            f"layer in {store} is unchanged — correct the file or the mapping and try again"
        )


def sign_in_row(name: str, action: str, client: str) -> dict:
    """The audit entry of a failed or locked sign-in: the name typed, from which client."""
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    row = _entry(Actor(name or "?", "viewer"), stamp, action, None, "", "", {"client": client})
    return {**row, "role": ""}


def layer_row(actor: Actor, action: str, layer: str, n: int) -> dict:
    """The audit entry of a replaced reference layer or saved findings."""
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return _entry(actor, stamp, action, None, "", "", {"layer": layer, "features": int(n)})


def analysis_row(actor: Actor | None, kind: str, n: int) -> dict:
    """The audit entry of a saved analysis (:data:`ANALYSIS_KINDS`): who was using the store
    when it was computed and saved (None: the machine's operator), and its rows."""
    detail = {"analysis": kind, "rows": int(n)}
    return _entry(actor or OPERATOR, utc_stamp(), "save_analysis", None, "", "", detail)


def review_row(actor: Actor, stamp: str, finding_id: str, decision: str, note: str) -> dict:
    """The audit entry of a review decision."""
    detail = {"finding_id": str(finding_id), "decision": decision, "note": note}
    return _entry(actor, stamp, "review", None, "", "", detail)


def deletion_row(
    actor: Actor, stamp: str, upload_id: int, file_name: str, sha256: str, n: int
) -> dict:
    """The audit entry of a deleted upload."""
    detail = {"deleted_records": int(n)}
    return _entry(actor, stamp, "delete", int(upload_id), file_name, sha256, detail)


def _entry(actor: Actor, stamp: str, action: str, upload_id, file_name, sha256, detail) -> dict:
    """One audit row (:data:`AUDIT_COLUMNS`): who did ``action`` when, on what."""
    return {
        "at": stamp,
        "who": actor.name,
        "role": actor.role,
        "agency": actor.agency or "",
        "action": action,
        "upload_id": upload_id,
        "file_name": file_name,
        "sha256": sha256,
        "detail": json.dumps(detail, ensure_ascii=False),
    }


def no_such_upload(store: str, upload_id: int, ids: Sequence[int]) -> GeoInputError:
    """The error for an upload id the store does not hold, naming those it does."""
    there = f"uploads are {', '.join(map(str, ids))}" if ids else "it holds no uploads"
    return GeoInputError(
        f"{store}: no upload {upload_id}; {there} (python -m geo uploads lists them)"
    )


def same_file_uploads(
    rows: Sequence[tuple[int, str | None]], options_sha256: str
) -> tuple[int | None, list[int]]:
    """Split the earlier uploads of the same bytes by the reader options they were read with.

    Parameters
    ----------
    rows
        ``(id, options_sha256)`` of the uploads with the file's SHA-256, oldest first; the
        options are None for uploads made before the store kept them: unknown, so a re-import
        is a new import that replaces such an upload (and says so), never one ignored.
    options_sha256
        The options of this import (:func:`geo.read.projects.options_fingerprint`).

    Returns
    -------
    (same, other)
        The first upload read with the same options (None when there is none: this is a new
        import of the file), and the uploads read with other options, which it replaces.
    """
    same = [uid for uid, opts in rows if opts == options_sha256]
    other = [int(uid) for uid, opts in rows if opts != options_sha256]
    return (int(same[0]) if same else None), ([] if same else other)


def replaced_uploads(
    rows: Sequence[tuple[int, str, str]], result: ReadResult, agencies: list[str]
) -> list[int]:
    """Uploads ``--replace`` replaces: the same file, or a file of the same name by the same
    agency (or agencies). ``rows``: (id, agency, sha256) of uploads with that hash or name."""
    return [
        upload_id
        for upload_id, agency, sha256 in rows
        if sha256 == result.sha256 or set(agency.split("; ")) <= set(agencies or [agency])
    ]


def refuse_stored_ids(
    projects: gpd.GeoDataFrame,
    report: ImportReport,
    clashes: Sequence[Sequence[object]],
) -> gpd.GeoDataFrame:
    """``projects`` without the records whose (agency, id) another upload holds; each refused
    record is marked rejected in ``report``. ``clashes``: (agency, project_id, upload_id,
    file_name) of the stored records with those keys."""
    if not clashes:
        return projects
    by_key = {(a, pid): (uid, fname) for a, pid, uid, fname in clashes}
    outcomes = {(r.layer, r.row): r for r in report.records}
    keep = np.ones(len(projects), dtype=bool)
    for pos, (agency, pid, layer, row) in enumerate(
        projects[["agency", "project_id", "source_layer", "source_row"]].itertuples(index=False)
    ):
        if (agency, pid) in by_key:
            uid, fname = by_key[(agency, pid)]
            keep[pos] = False
            outcome = outcomes[(layer, row)]
            outcome.outcome = "rejected"
            outcome.reason = (
                f"project id {pid} of {agency} already stored by upload {uid} "
                f"({fname}); import with --replace to replace that upload"
            )
    return projects.loc[keep]


def near_boxes(geoms: np.ndarray, distance_m: float) -> np.ndarray:
    """Bounding boxes (minx, maxx, miny, maxy, degrees) of ``geoms`` grown by ``distance_m``."""
    reach_deg = distance_m / MIN_M_PER_DEG
    xmin, ymin, xmax, ymax = shapely.bounds(np.asarray(geoms, dtype=object)).T
    boxes = np.column_stack(
        [xmin - reach_deg, xmax + reach_deg, ymin - reach_deg, ymax + reach_deg]
    )
    return boxes[~np.isnan(boxes).any(axis=1)]


def with_columns(frame: gpd.GeoDataFrame, wanted: list[str], store: str) -> gpd.GeoDataFrame:
    """``frame[wanted]``, or GeoInputError naming the columns someone removed or renamed."""
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise GeoInputError(
            f"{store}: the projects table has no column {', '.join(missing)} — it was changed "
            "outside Peta Sinergi; rename the column back or restore the store from a backup"
        )
    return frame[wanted]


#: Optional project columns (:data:`geo.schema.EXTRA_COLUMNS`) a store gives back with the
#: records when its table has them: how the reader placed a record on the road network, which
#: the analyses read (:func:`geo.analyse.locations.locate_road_projects`).
LOADED_EXTRAS: tuple[str, ...] = ("placed_by",)


def extra_column_sql_type(column: str, *, real: str) -> str:
    """The SQL type an optional project column is added with: ``TEXT`` for the text columns
    (:data:`geo.schema.TEXT_EXTRA_COLUMNS`), else ``real`` (the store's number type)."""
    return "TEXT" if column in TEXT_EXTRA_COLUMNS else real


def project_columns(
    columns: Sequence[str] | None = None, *, present: Collection[str] = ()
) -> list[str]:
    """``columns`` (all when None) in :data:`PROJECT_COLUMNS` order, with the geometry, then
    the :data:`LOADED_EXTRAS` among ``columns`` (all when None) that the table has
    (``present``).

    Raises
    ------
    ValueError
        A name that is not a project column.
    """
    extras = [c for c in LOADED_EXTRAS if c in present and (columns is None or c in columns)]
    if columns is None:
        return [*PROJECT_COLUMNS, *extras]
    unknown = sorted(set(columns) - set(PROJECT_COLUMNS) - set(LOADED_EXTRAS))
    if unknown:
        raise ValueError(
            f"not project columns: {', '.join(unknown)}; choose from {', '.join(PROJECT_COLUMNS)}"
        )
    return [c for c in PROJECT_COLUMNS if c in columns or c == "geometry"] + extras


def empty_projects() -> gpd.GeoDataFrame:
    """No project records: :data:`PROJECT_COLUMNS` with their types, EPSG:4326."""
    return gpd.GeoDataFrame(
        {c: pd.Series(dtype=column_dtype(c)) for c in PROJECT_COLUMNS if c != "geometry"},
        geometry=gpd.GeoSeries([], crs=_SRS_ID),
    )


def reference_table(kind: str) -> str:
    try:
        return REFERENCE_TABLES[kind]
    except KeyError:
        raise ValueError(f"reference kind must be one of {sorted(REFERENCE_TABLES)}") from None


def column_dtype(column: str) -> str:
    if column in _INT_COLUMNS:
        return "int64"
    if column in _REAL_COLUMNS:
        return "float64"
    return "object"


def data_fingerprint(parts: Sequence[object]) -> str:
    """A 16-hex-digit key of ``parts`` (their ``repr``): the same parts, the same key.

    >>> data_fingerprint([1, "a"]) == data_fingerprint([1, "a"]) != data_fingerprint([2, "a"])
    True
    """
    return hashlib.sha256(repr(list(parts)).encode()).hexdigest()[:16]


#: The version of the analyses' rules: raised when the same data and settings give other
#: findings (2: road overlaps measured on the road network; 3: repeat funding within a work's
#: design life, funding sources and work types of both projects, rupiah at stake capped at the
#: smaller pagu; 4: locations carry how they were found, records the reader placed are located
#: by their placement, authority and gaps read the located intervals; 5: a source's systematic
#: shift is removed before its drawn road works are located, ``shift_m``; 6: a drawn line's
#: heading measured over 20 m, the gap of a work in parts never covered, a sample or two left
#: unmatched at a junction bridged), so analyses saved by an earlier version are computed
#: again, not shown.
ANALYSIS_RULES_VERSION: Final[int] = 6


def settings_fingerprint(settings: object) -> str:
    """A key of the settings an analysis was computed with (their ``repr``) and of the rules
    (:data:`ANALYSIS_RULES_VERSION`)."""
    return data_fingerprint([settings, ANALYSIS_RULES_VERSION])


def check_analysis_kind(kind: str) -> str:
    """``kind`` if it is one of :data:`ANALYSIS_KINDS`, else a ValueError naming them."""
    if kind not in ANALYSIS_KINDS:
        raise ValueError(f"analysis kind must be one of {', '.join(ANALYSIS_KINDS)}; got {kind!r}")
    return kind


def analysis_payload(kind: str, frame: pd.DataFrame) -> bytes:
    """``frame`` as (Geo)Parquet bytes: every column type comes back as it went in."""
    buffer = io.BytesIO()
    if isinstance(frame, gpd.GeoDataFrame):
        frame.to_parquet(buffer, index=False)
    else:
        pd.DataFrame(frame).to_parquet(buffer, index=False)
    return buffer.getvalue()


def analysis_frame(payload: bytes) -> pd.DataFrame:
    """:func:`analysis_payload` read back: a GeoDataFrame when it was saved with geometry."""
    buffer = io.BytesIO(bytes(payload))
    metadata = pq.read_schema(buffer).metadata or {}
    buffer.seek(0)
    if b"geo" in metadata:
        return gpd.read_parquet(buffer)
    return pd.read_parquet(buffer)


def utc_stamp() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
