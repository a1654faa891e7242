"""Stable ids of findings and of decided subjects, and references that bind a review to the
projects of its finding.

An overlap's id (``TT-...``) is a digest of its asset type and both projects; an authority
finding's (``KW-...``) of its project and the rule it cites. Reviews attach to these ids
across re-runs, and the store checks that a reviewed id really belongs to the projects named
with it (:meth:`FindingRef.check`), so the parties of a finding are never taken on the
caller's word.

A decision (a proposal's status, a rakor matrix row's decision) names its subject by an id of
its kind (:data:`DECISION_KINDS`): a proposal row's ``US-...`` (:func:`proposal_subject_id`), a
matrix row's ``MX-...``; :func:`check_subject_id` refuses an id of another kind or form.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import Final

from geo.errors import GeoInputError

__all__ = [
    "DECISION_KINDS",
    "MISMATCH_ID_PREFIX",
    "OVERLAP_ID_PREFIX",
    "FindingRef",
    "check_subject_id",
    "mismatch_id",
    "overlap_id",
    "project_key",
    "proposal_subject_id",
]

#: Prefix of an overlap (tumpang tindih) finding id.
OVERLAP_ID_PREFIX = "TT-"
#: Prefix of an authority (kewenangan) finding id.
MISMATCH_ID_PREFIX = "KW-"
#: What a decision may be about, with the form of its subject ids: a row of a proposal list
#: (``US-`` and 12 hex digits, :func:`proposal_subject_id`) or a row of the rakor
#: synchronisation matrix (``MX-`` and 1 to 200 printable characters: the matrix names a row by
#: its ruas code, else its name, and its stretch, ``MX-015-0-2500``, ``MX-Jambi – Tempino-0-800``).
DECISION_KINDS: Final[dict[str, re.Pattern[str]]] = {
    "proposal": re.compile(r"US-[0-9a-f]{12}"),
    "matrix": re.compile(r"MX-[^\x00-\x1f\x7f]{1,200}"),
}


def project_key(agency: str, project_id: str) -> str:
    """One key per project, ``agency`` + unit separator + ``project_id`` (unique in a store).

    >>> project_key("BPJN", "P-1")
    'BPJN\\x1fP-1'
    """
    return f"{agency}\x1f{project_id}"


def overlap_id(asset_type: str, key_a: str, key_b: str) -> str:
    """A stable id for a pair (:func:`project_key` of each), independent of order.

    >>> overlap_id("road", "A\\x1f1", "B\\x1f2") == overlap_id("road", "B\\x1f2", "A\\x1f1")
    True
    """
    first, second = sorted((key_a, key_b))
    digest = hashlib.sha1(f"{asset_type}\x1e{first}\x1e{second}".encode()).hexdigest()
    return f"{OVERLAP_ID_PREFIX}{digest[:10]}"


def mismatch_id(agency: str, project_id: str, rule: str) -> str:
    """A stable id for an authority finding: the same project and rule keep it across runs.

    >>> mismatch_id("Dinas PUPR", "P-1", "UU 2/2022")
    'KW-da9f046a3d'
    """
    digest = hashlib.sha1(f"{agency}\x1e{project_id}\x1e{rule}".encode()).hexdigest()
    return f"{MISMATCH_ID_PREFIX}{digest[:10]}"


@dataclasses.dataclass(frozen=True)
class FindingRef:
    """A finding as a review names it: its id, its projects and what the id was made from.

    Attributes
    ----------
    finding_id
        ``TT-...`` or ``KW-...``.
    projects
        ``(agency, project_id)`` of each project of the finding: two for an overlap, one for
        an authority finding.
    basis
        The overlap's asset type (``road`` ...) or the authority finding's rule.
    """

    finding_id: str
    projects: tuple[tuple[str, str], ...]
    basis: str

    @classmethod
    def overlap(cls, asset_type: str, a: tuple[str, str], b: tuple[str, str]) -> FindingRef:
        """The overlap of projects ``a`` and ``b`` (each ``(agency, project_id)``).

        >>> FindingRef.overlap("road", ("A", "1"), ("B", "2")).finding_id.startswith("TT-")
        True
        """
        a, b = (str(a[0]), str(a[1])), (str(b[0]), str(b[1]))
        finding_id = overlap_id(asset_type, project_key(*a), project_key(*b))
        return cls(finding_id, (a, b), str(asset_type))

    @classmethod
    def mismatch(cls, project: tuple[str, str], rule: str) -> FindingRef:
        """The authority finding of ``project`` (``(agency, project_id)``) under ``rule``."""
        project = (str(project[0]), str(project[1]))
        return cls(mismatch_id(*project, str(rule)), (project,), str(rule))

    def check(self) -> None:
        """Raise GeoInputError unless ``finding_id`` is the id of these projects and basis."""
        keys = [project_key(str(a), str(p)) for a, p in self.projects]
        if str(self.finding_id).startswith(OVERLAP_ID_PREFIX) and len(keys) == 2:
            expected = overlap_id(self.basis, *keys)
        elif str(self.finding_id).startswith(MISMATCH_ID_PREFIX) and len(keys) == 1:
            agency, project = self.projects[0]
            expected = mismatch_id(str(agency), str(project), self.basis)
        else:
            expected = None
        if expected != self.finding_id:
            raise GeoInputError(
                f"finding {self.finding_id!r}: not a finding of the projects named with it; "
                "review it from the findings table of a current analysis"
            )


def proposal_subject_id(
    proposal_id: str, *, proposer: str = "", level: str = "", file_sha256: str = "", row: int = 0
) -> str:
    """A stable id of a proposal row, for decisions on it: ``US-`` and 12 hex digits.

    A row with its own id (kode usulan) keeps its id across exports of the list: a digest of
    who proposes it (``proposer``, ``level``) and that id. A row without one (``proposal_id``
    empty) is known by the file's bytes (``file_sha256``) and its row number (``row``): the same
    file gives the same ids, an edited file new ones.

    >>> proposal_subject_id("KR-7", proposer="Dinas PUPR Kab. Tebo", level="kabupaten")
    'US-c6e91461eecb'
    >>> proposal_subject_id("", file_sha256="ab" * 32, row=7).startswith("US-")
    True
    """
    if str(proposal_id).strip():
        source = f"id\x1e{proposer}\x1e{level}\x1e{str(proposal_id).strip()}"
    else:
        source = f"row\x1e{file_sha256}\x1e{int(row)}"
    return "US-" + hashlib.sha256(source.encode()).hexdigest()[:12]


def check_subject_id(kind: str, subject_id: str) -> str:
    """``subject_id`` if it is an id of a ``kind`` subject (:data:`DECISION_KINDS`), else
    GeoInputError naming the form expected.

    >>> check_subject_id("matrix", "MX-015-0+000")
    'MX-015-0+000'
    """
    if kind not in DECISION_KINDS:
        raise GeoInputError(
            f"decision: kind must be one of {', '.join(DECISION_KINDS)}, not {kind!r}"
        )
    if not isinstance(subject_id, str) or not DECISION_KINDS[kind].fullmatch(subject_id):
        form = DECISION_KINDS[kind].pattern
        raise GeoInputError(
            f"decision on {subject_id!r}: not the id of a {kind} row (expected {form}); "
            "decide from the table of a current check"
        )
    return subject_id
