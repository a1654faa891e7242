"""What every store offers: :class:`Store`, met by the GeoPackage and the PostGIS store.

The app, the command line and the analyses are written against this protocol, so a store is
a GeoPackage file or a PostGIS database without their knowing (DESIGN section 6: same
interface, same tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.auth import Actor
from geo.finding_ids import FindingRef
from geo.read.import_report import ImportReport
from geo.read.projects import ReadResult
from geo.store.tables import ImportOutcome

__all__ = ["Store"]


@runtime_checkable
class Store(Protocol):
    """A store of projects, uploads, findings, reviews, decisions, reference layers and the
    audit trail.

    Geometries go in and come out in EPSG:4326. Writes are transactions: all of an import
    lands or none of it, and a reader never sees half of one. Writes that need a role take the
    signed-in ``actor`` (None: the command line's local user, who may do everything).
    """

    def close(self) -> None:
        """Release what the store holds open (connections, engines)."""
        ...

    def describe(self) -> str:
        """Where the store is, fit to show (a file name, or a URL without its password)."""
        ...

    def version(self) -> tuple[int, ...]:
        """What changes with every write to the store, from any process."""
        ...

    def import_result(
        self,
        result: ReadResult,
        *,
        replace: bool = False,
        now: dt.datetime | None = None,
        actor: Actor | None = None,
    ) -> ImportOutcome:
        """Store a read file's records as one upload, in one transaction."""
        ...

    def delete_upload(self, upload_id: int, *, actor: Actor | None = None) -> int:
        """Delete an upload and its records; return how many records went."""
        ...

    def audit_log(self) -> pd.DataFrame:
        """Every import, replace and delete: :data:`geo.store.tables.AUDIT_COLUMNS`, oldest first."""
        ...

    def load_projects(self, *, columns: Sequence[str] | None = None) -> gpd.GeoDataFrame:
        """All stored project records (or only ``columns`` of them), EPSG:4326."""
        ...

    def load_projects_near(self, geoms: np.ndarray, distance_m: float) -> gpd.GeoDataFrame:
        """Stored projects whose bounding boxes come within ``distance_m`` of those of ``geoms``."""
        ...

    def list_uploads(self) -> pd.DataFrame:
        """Uploads with file name, sha256, agency, time and counts (without the reports)."""
        ...

    def upload_report(self, upload_id: int) -> ImportReport:
        """The whole import report saved with an upload (every note and record)."""
        ...

    def table_counts(self) -> dict[str, int]:
        """Row count of every store table (for checks that a failed import changed nothing)."""
        ...

    def replace_findings(self, findings: gpd.GeoDataFrame, *, actor: Actor | None = None) -> None:
        """Store the latest overlap findings (EPSG:4326), replacing the previous run's."""
        ...

    def load_findings(self) -> gpd.GeoDataFrame | None:
        """The stored overlap findings, or None before the first run."""
        ...

    def save_review(
        self,
        finding: FindingRef,
        decision: str,
        *,
        note: str = "",
        who: str = "",
        now: dt.datetime | None = None,
        actor: Actor | None = None,
    ) -> None:
        """Record a review decision on a finding; earlier decisions stay as history."""
        ...

    def load_reviews(self) -> pd.DataFrame:
        """The latest decision per finding: finding_id, decision, note, who, decided_at."""
        ...

    def save_decision(
        self,
        kind: str,
        subject_id: str,
        decision: str,
        *,
        note: str = "",
        who: str = "",
        now: dt.datetime | None = None,
        actor: Actor | None = None,
    ) -> None:
        """Record a decision on a subject; earlier decisions stay as history.

        Parameters
        ----------
        kind
            ``proposal`` (a row of a proposal list) or ``matrix`` (a row of the rakor
            synchronisation matrix): :data:`geo.finding_ids.DECISION_KINDS`.
        subject_id
            The subject's id, of the kind's form (``US-...``: :func:`geo.finding_ids.
            proposal_subject_id`; ``MX-...``).
        decision
            For a proposal one of :data:`geo.schema.PROPOSAL_STATUSES` (``Diterima``,
            ``Ditolak``, ``Didiskusikan``); for a matrix row the meeting's text (at most 200
            characters): :data:`geo.store.tables.DECISION_VALUES`.
        note, who
            Free text: the meeting's note and the name or agency it is signed with.
        now
            Time of the decision (UTC); defaults to the current time.
        actor
            Who decides: editors and administrators (None: the machine's operator). Audited
            (action ``decision_saved``).

        Raises
        ------
        geo.errors.GeoInputError
            An unknown kind, a subject id of another kind or form, a decision the kind does
            not allow; PermissionDenied (a GeoInputError) for a viewer.
        """
        ...

    def load_decisions(self, kind: str) -> pd.DataFrame:
        """The latest decision of ``kind`` per subject: subject_id, decision, note, who,
        decided_at (UTC, ISO 8601), ordered by subject id; empty when none."""
        ...

    def replace_reference(
        self, kind: str, layer: gpd.GeoDataFrame, *, actor: Actor | None = None
    ) -> None:
        """Store (replacing) a reference layer: ``roads``, ``irrigation_areas``, ``admin_units``."""
        ...

    def audit_sign_in(self, name: str, action: str, *, client: str = "") -> None:
        """Audit a failed (``sign_in_failed``) or refused (``sign_in_locked``) sign-in."""
        ...

    def is_demo(self) -> bool:
        """True for the illustrative demo store (:func:`geo.demo.build_demo`)."""
        ...

    def load_reference(self, kind: str) -> gpd.GeoDataFrame | None:
        """A stored reference layer in EPSG:4326, or None when there is none."""
        ...
