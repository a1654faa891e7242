"""The import report: what happened to every record of a file (DESIGN section 4).

Every feature read ends as exactly one outcome: ``stored``, ``repaired`` (stored after a repair)
or ``rejected`` — so features in = stored + repaired + rejected, and each outcome carries the
record's layer, row, project id and the reason.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter

import pandas as pd

__all__ = ["ImportReport", "OUTCOMES", "RecordOutcome"]

OUTCOMES = ("stored", "repaired", "rejected")


@dataclasses.dataclass
class RecordOutcome:
    """What happened to one source record.

    Attributes
    ----------
    layer
        Layer (or zip member / sheet) the record came from.
    row
        1-based row number within that layer (the header is not counted).
    project_id
        The record's id where it has one, else ``""``.
    outcome
        ``"stored"``, ``"repaired"`` or ``"rejected"``.
    reason
        Why it was repaired or rejected; notes about stored records too.
    """

    layer: str
    row: int
    project_id: str
    outcome: str
    reason: str = ""


@dataclasses.dataclass
class ImportReport:
    """The outcome of reading one file: file-level notes and one outcome per record."""

    source_file: str
    records: list[RecordOutcome] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)

    def note(self, line: str) -> None:
        """Add a file-level report line (CRS assumed, encoding detected, ...), once."""
        if line not in self.notes:
            self.notes.append(line)

    def add(self, layer: str, row: int, project_id: str, outcome: str, reason: str = "") -> None:
        """Record what happened to one source record."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, not {outcome!r}")
        self.records.append(RecordOutcome(layer, int(row), str(project_id), outcome, reason))

    def reject(self, layer: str, row: int, reason: str, project_id: str = "") -> None:
        """Record a rejected source record with its reason."""
        self.add(layer, row, project_id, "rejected", reason)

    @property
    def counts(self) -> dict[str, int]:
        """``read``, ``stored`` (including repaired), ``repaired`` and ``rejected`` counts."""
        tally = Counter(r.outcome for r in self.records)
        return {
            "read": len(self.records),
            "stored": tally["stored"] + tally["repaired"],
            "repaired": tally["repaired"],
            "rejected": tally["rejected"],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per record: layer, row, project_id, outcome, reason."""
        columns = [f.name for f in dataclasses.fields(RecordOutcome)]
        return pd.DataFrame(
            [(r.layer, r.row, r.project_id, r.outcome, r.reason) for r in self.records],
            columns=columns,
        )

    def to_json(self) -> str:
        """The whole report as JSON (stored with the upload)."""
        return json.dumps(
            {
                "source_file": self.source_file,
                "counts": self.counts,
                "notes": self.notes,
                # Built by hand: dataclasses.asdict deep-copies, 15 us a record.
                "records": [
                    {
                        "layer": r.layer,
                        "row": r.row,
                        "project_id": r.project_id,
                        "outcome": r.outcome,
                        "reason": r.reason,
                    }
                    for r in self.records
                ],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> ImportReport:
        """Rebuild a report saved with :meth:`to_json`."""
        data = json.loads(text)
        return cls(
            source_file=data["source_file"],
            records=[RecordOutcome(**r) for r in data["records"]],
            notes=list(data["notes"]),
        )

    def lines_frame(self) -> pd.DataFrame:
        """Every line of the report: the file-level notes (outcome ``note``) then one row per
        record, with :meth:`to_frame`'s columns (``row`` empty for notes)."""
        notes = pd.DataFrame(
            {
                "layer": "",
                "row": pd.array([None] * len(self.notes), dtype="Int64"),
                "project_id": "",
                "outcome": "note",
                "reason": self.notes,
            }
        )
        records = self.to_frame().astype({"row": "Int64"})
        return pd.concat([notes, records], ignore_index=True) if len(notes) else records

    def format_text(self, *, max_lines: int | None = 200, full_report: str | None = None) -> str:
        """A plain-text report for the terminal: counts, notes, then every non-plain record.

        Parameters
        ----------
        max_lines
            Records listed at most (None: all of them).
        full_report
            Where the whole report can be read (a command or a page), named in the line that
            says how many records were left out.
        """
        c = self.counts
        lines = [
            f"{self.source_file}: {c['read']} read, {c['stored']} stored "
            f"({c['repaired']} repaired), {c['rejected']} rejected"
        ]
        lines += [f"  note: {n}" for n in self.notes]
        detail = [r for r in self.records if r.outcome != "stored" or r.reason]
        shown = detail if max_lines is None else detail[:max_lines]
        for r in shown:
            ident = f" {r.project_id}" if r.project_id else ""
            lines.append(f"  {r.outcome}: {r.layer} row {r.row}{ident}: {r.reason}")
        if len(detail) > len(shown):
            where = f": {full_report}" if full_report else ""
            lines.append(f"  ... {len(detail) - len(shown)} more records in the full report{where}")
        return "\n".join(lines)
