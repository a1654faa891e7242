"""The other works a proposal row meets, and how the reasons of a check name them.

Shared by :mod:`geo.analyse.proposals` (rows on a ruas) and :mod:`geo.analyse.proposals_di`
(rows on a Daerah Irigasi): each work (a stored project or another row of the list) as a dict,
and its description in Bahasa Indonesia, numbers written as Indonesians read them.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.settings import Settings

__all__ = [
    "LEVEL_TEXT",
    "as_records",
    "decimal_text",
    "row_works",
    "rupiah_text",
    "stored_works",
    "work_text",
    "years_text",
]

#: A level of government as the reasons name it.
LEVEL_TEXT = {
    "pusat": "Pemerintah Pusat",
    "provinsi": "provinsi",
    "kabupaten": "kabupaten/kota",
    "desa": "desa",
}


def row_works(values: pd.DataFrame) -> list[dict]:
    """Each row of the list as the other side of a pair."""
    return [
        {
            "id": row.proposal_id,
            "agency": row.proposer or "usulan",
            "level": row.level,
            "year_start": row.year_start,
            "year_end": row.year_end,
            "budget_idr": row.budget_idr,
            "status": "usulan",
            "project_id": None,
            "stored": False,
        }
        for row in values[
            ["proposal_id", "proposer", "level", "year_start", "year_end", "budget_idr"]
        ].itertuples(index=False)
    ]


def stored_works(stored: pd.DataFrame) -> list[dict]:
    """Each stored work near the list as the other side of a pair."""
    budgets = stored["budget_idr"] if "budget_idr" in stored else pd.Series(np.nan, stored.index)
    statuses = stored["status"] if "status" in stored else pd.Series(None, stored.index)
    return [
        {
            "id": str(project_id),
            "agency": str(agency),
            "level": str(level),
            "year_start": float(start),
            "year_end": float(end),
            "budget_idr": budget,
            "status": "" if pd.isna(status) else str(status).strip().lower(),
            "project_id": str(project_id),
            "stored": True,
        }
        for project_id, agency, level, start, end, budget, status in zip(
            stored["project_id"],
            stored["agency"],
            stored["level"],
            pd.to_numeric(stored["year_start"], errors="coerce"),
            pd.to_numeric(stored["year_end"], errors="coerce"),
            budgets,
            statuses,
            strict=True,
        )
    ]


def work_text(other: dict, own_start: float, own_end: float, settings: Settings) -> str | None:
    """The other work as a reason names it (id, agency, level, years, status, pagu) and how
    many years apart it is from a row of ``own_start``-``own_end``; None when further apart
    than ``proposal_recent_years``."""
    gap = max(own_start, other["year_start"]) - min(own_end, other["year_end"])
    known_year = np.isfinite(gap)
    if known_year and gap > settings.proposal_recent_years:
        return None
    years = years_text(other["year_start"], other["year_end"])
    kind = (
        "usulan lain dalam daftar ini"
        if not other["stored"]
        else (other["status"] or "status tidak diisi")
    )
    when = (
        "tahun tidak diketahui"
        if not known_year
        else ("tahun yang sama" if gap <= 0 else f"selisih {int(gap)} tahun")
    )
    return (
        f"{other['id']} ({other['agency']}, {LEVEL_TEXT.get(other['level'], other['level'])}, "
        f"{years}, {kind}, pagu {rupiah_text(other['budget_idr'])}), {when}"
    )


def years_text(start: float, end: float) -> str:
    if not np.isfinite(start):
        return "tahun ?"
    return f"{int(start)}" if start == end else f"{int(start)}-{int(end)}"


_INDONESIAN_MARKS = str.maketrans(",.", ".,")


def decimal_text(number: float, digits: int) -> str:
    """``number`` written as Indonesians read it (``1.234,56``)."""
    return f"{number:,.{digits}f}".translate(_INDONESIAN_MARKS)


def rupiah_text(amount: object) -> str:
    try:
        value = float(amount)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "tidak diisi"
    if not np.isfinite(value):
        return "tidak diisi"
    return "Rp " + decimal_text(round(value), 0)


def as_records(
    values: pd.DataFrame, placed: gpd.GeoDataFrame, rows: np.ndarray, asset_type: str
) -> gpd.GeoDataFrame:
    """Proposal ``rows`` as the canonical project records the authority check reads.

    Parameters
    ----------
    values
        :attr:`geo.read.proposals.ProposalList.values`.
    placed
        :func:`geo.analyse.proposals.place_proposals` of the list (its geometry is used).
    rows
        Positions of the rows; each record's ``project_id`` is its position, as text.
    asset_type
        ``road`` or ``irrigation``.

    Returns
    -------
    geopandas.GeoDataFrame
        ``project_id``, ``name``, ``level``, ``agency``, ``asset_type``, ``year_start``,
        ``year_end``, ``budget_idr``, ``funding_source`` and the placed geometry, EPSG:4326.
    """
    return gpd.GeoDataFrame(
        {
            "project_id": rows.astype(str),
            "name": values["name"].to_numpy()[rows],
            "level": values["level"].to_numpy()[rows],
            "agency": values["proposer"].to_numpy()[rows],
            "asset_type": asset_type,
            "year_start": values["year_start"].to_numpy()[rows],
            "year_end": values["year_end"].to_numpy()[rows],
            "budget_idr": values["budget_idr"].to_numpy()[rows],
            "funding_source": values["funding_source"].replace("", None).to_numpy()[rows],
        },
        geometry=placed.geometry.values[rows],
        crs=4326,
    )
