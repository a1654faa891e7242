"""A checked proposal list for people: the table of the Cek Usulan page, its rows as map
records, and the workbook to download, each with the meeting's decisions beside the check.

The check itself is :func:`geo.analyse.proposals.check_proposals`; the decisions come from the
store (:meth:`geo.store.protocol.Store.load_decisions` of kind ``proposal``), matched to the
rows by their subject ids (:func:`geo.analyse.proposals.subject_ids`).
"""

from __future__ import annotations

import io
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.export.workbook import write_sheet
from geo.schema import LEVELS
from geo.spatial.network import sta_text
from layers.formatting import MISSING, format_rupiah, format_time, format_years, is_missing
from layers.palette import check_language
from layers.tables import translate_frame
from layers.words import translate_reasons, value_label

__all__ = [
    "DECIDED_COLUMNS",
    "proposal_records",
    "proposal_table",
    "proposal_workbook",
    "with_decisions",
]

#: The meeting's decision on each row, after the check's columns: the status set, its note,
#: who set it and when (UTC); empty where nothing is decided yet.
DECIDED_COLUMNS: Final[tuple[str, ...]] = (
    "decided_status",
    "decided_note",
    "decided_by",
    "decided_at",
)


def with_decisions(
    checked: pd.DataFrame, subject_ids: list[str], decisions: pd.DataFrame
) -> pd.DataFrame:
    """``checked`` (without geometry) with each row's ``subject_id`` and its latest decision
    (:data:`DECIDED_COLUMNS`, ``""`` where none): the workbook's and the table's rows.

    Parameters
    ----------
    checked
        :func:`geo.analyse.proposals.check_proposals` of the list.
    subject_ids
        The id of each row (:func:`geo.analyse.proposals.subject_ids`), in order.
    decisions
        The store's latest decisions on proposals (``subject_id``, ``decision``, ``note``,
        ``who``, ``decided_at``).
    """
    frame = pd.DataFrame(checked.drop(columns=checked.geometry.name, errors="ignore")).copy()
    frame["subject_id"] = list(subject_ids)
    latest = decisions.set_index("subject_id")
    sources = ("decision", "note", "who", "decided_at")
    for column, source in zip(DECIDED_COLUMNS, sources, strict=True):
        mapped = frame["subject_id"].map(latest[source]).astype(object)
        frame[column] = ["" if is_missing(v) else str(v) for v in mapped]
    return frame


def proposal_table(
    rows: pd.DataFrame,
    values: pd.DataFrame,
    *,
    lang: str = "id",
    zone: str = "Asia/Jakarta",
) -> pd.DataFrame:
    """The Cek Usulan table, what a meeting decides on first: No., the proposal (code, name),
    its suggested status and the status set, where it was placed (how, ruas, STA), the
    reasons and the works it meets; then who proposes it (proposer, level, year, pagu) and the
    set status's note, by whom and when (in ``zone``).

    Parameters
    ----------
    rows
        :func:`with_decisions` of the checked list.
    values
        :attr:`geo.read.proposals.ProposalList.values` of the list, aligned with ``rows``.
    lang
        ``"id"`` or ``"en"``: labels, words and numbers (``Rp 1.250.000.000``, ``13+500``).
    zone
        Time zone of the decision times (the setting, WIB by default).
    """
    lang = check_language(lang)
    # A row placed on a Daerah Irigasi shows the D.I. where a road row shows its ruas.
    blank = pd.Series("", rows.index)
    ruas = [
        _joined(code, name) or (_joined(d_name) if d_id == d_name else _joined(d_id, d_name))
        for code, name, d_id, d_name in zip(
            rows["ruas_id"],
            rows["ruas_name"],
            rows.get("di_id", blank),
            rows.get("di_name", blank),
            strict=True,
        )
    ]
    sta = [
        MISSING if is_missing(low) else f"{sta_text(low)} – {sta_text(high)}"
        for low, high in zip(rows["sta_from_m"], rows["sta_to_m"], strict=True)
    ]
    table = pd.DataFrame(
        {
            "number": np.arange(1, len(rows) + 1),
            "proposal_id": rows["proposal_id"].to_numpy(),
            "proposal_name": values["name"].to_numpy(),
            "suggested_status": rows["suggested_status"].to_numpy(),
            "decided_status": rows["decided_status"].replace("", None).to_numpy(),
            "placement": rows["placement"].to_numpy(),
            "ruas": ruas,
            "sta": sta,
            "reasons": [translate_reasons(str(r), lang) for r in rows["reasons"]],
            "conflicts": rows["conflicts"].str.replace(";", "; ").to_numpy(),
            "proposer": values["proposer"].to_numpy(),
            "level": rows["level"].replace("", None).to_numpy(),
            "year": [
                format_years(a, b) if np.isfinite(a) else MISSING
                for a, b in zip(values["year_start"], values["year_end"], strict=True)
            ],
            "budget_idr": [format_rupiah(v, lang) for v in values["budget_idr"]],
            "decided_note": rows["decided_note"].to_numpy(),
            "decided_by": rows["decided_by"].to_numpy(),
            "decided_at": [
                format_time(t, lang, zone=zone) if t else "" for t in rows["decided_at"]
            ],
        },
        index=rows.index,
    )
    return translate_frame(table, lang=lang)


def proposal_records(
    checked: gpd.GeoDataFrame, values: pd.DataFrame, *, lang: str = "id"
) -> gpd.GeoDataFrame:
    """The rows that can be drawn (placed, of a known level) as project records for
    :func:`layers.project_map.project_map` (status ``usulan``), with their number, how they
    were placed and their suggested status in ``lang`` for the tooltip. EPSG:4326."""
    lang = check_language(lang)
    records = gpd.GeoDataFrame(
        {
            "project_id": checked["proposal_id"].astype(str).to_numpy(),
            "name": values["name"].to_numpy(),
            "level": checked["level"].to_numpy(),
            "agency": values["proposer"].to_numpy(),
            "asset_type": np.where(checked["placement"] == "di", "irrigation", "road"),
            "work_type": values["work_type"].replace("", None).to_numpy(),
            "year_start": values["year_start"].to_numpy(),
            "year_end": values["year_end"].to_numpy(),
            "budget_idr": values["budget_idr"].to_numpy(),
            "funding_source": values["funding_source"].replace("", None).to_numpy(),
            "status": "usulan",
            "number": np.arange(1, len(checked) + 1).astype(str),
            "placement": [value_label("placement", p, lang) for p in checked["placement"]],
            "suggested_status": [
                value_label("proposal_status", s, lang) for s in checked["suggested_status"]
            ],
        },
        geometry=checked.geometry.values,
        crs=4326,
    )
    drawn = records.geometry.notna() & ~records.geometry.is_empty
    return records[drawn & records["level"].isin(LEVELS)]


def proposal_workbook(rows: pd.DataFrame) -> bytes:
    """:func:`with_decisions` rows as a one-sheet ``.xlsx`` (sheet ``Cek Usulan``): the list's
    own columns, the check's (as ``python -m geo check-proposals`` writes them), the row's
    subject id and the decision set; text cells never formulas."""
    buffer = io.BytesIO()
    write_sheet(rows, buffer, sheet_name="Cek Usulan")  # type: ignore[arg-type]
    return buffer.getvalue()


def _joined(*parts: object) -> str:
    """The parts given (not blank, not NaN), joined by spaces."""
    return " ".join(str(p) for p in parts if not is_missing(p) and str(p) not in ("", "nan"))
