"""Stable ids of findings, and references that bind a review to the projects of its finding.

An overlap's id (``TT-...``) is a digest of its asset type and both projects; an authority
finding's (``KW-...``) of its project and the rule it cites. Reviews attach to these ids
across re-runs, and the store checks that a reviewed id really belongs to the projects named
with it (:meth:`FindingRef.check`), so the parties of a finding are never taken on the
caller's word.
"""

from __future__ import annotations

import dataclasses
import hashlib

from geo.errors import GeoInputError

__all__ = [
    "MISMATCH_ID_PREFIX",
    "OVERLAP_ID_PREFIX",
    "FindingRef",
    "mismatch_id",
    "overlap_id",
    "project_key",
]

#: Prefix of an overlap (tumpang tindih) finding id.
OVERLAP_ID_PREFIX = "TT-"
#: Prefix of an authority (kewenangan) finding id.
MISMATCH_ID_PREFIX = "KW-"


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
