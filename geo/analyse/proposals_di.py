"""Proposal rows placed by Daerah Irigasi name, and their verdicts (:mod:`geo.analyse.proposals`).

A row naming a Daerah Irigasi and no ruas ("D.I. Batang Hari" in a ``nama D.I.`` column, or a
ruas or activity name such as "Rehabilitasi Jaringan Irigasi DI Sei Tapung") is placed on the
D.I. polygon of that name (placement ``di``): by the D.I.'s id written as is, else by its name
ranked with :func:`geo.spatial.ruas_names.best_ruas` (``kind="di"``: ``D.I.``/``DI``/``Daerah
Irigasi`` left out, ``Sei`` = Sungai, ``Bt.`` = Batang, case, spacing and a letter left out),
taken when the best candidate is clearly ahead, else not placed and the candidates listed.

Verdicts of a row placed on a D.I.:

- kewenangan: the D.I.'s authority (its own record, else the Permen PUPR 14/2015 area
  thresholds, :func:`geo.analyse.authority.find_mismatches` with the row as irrigation work on
  the whole D.I.) against the proposing level; a mismatch refuses (``Ditolak``), tugas
  pembantuan is a legitimate exception;
- overlap: a stored irrigation work (asset type ``irrigation``) touching the D.I., or another
  row of the list on the same D.I., within ``proposal_recent_years`` budget years. A D.I. is an
  area, not a chainage: the works may lie on different canals, so an overlap asks for a
  discussion (``Didiskusikan``), never refuses by itself; ``conflicts`` lists the other ids.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analyse.authority import find_mismatches
from geo.analyse.proposal_works import (
    LEVEL_TEXT,
    as_records,
    decimal_text,
    row_works,
    stored_works,
    work_text,
)
from geo.spatial.ruas_names import best_ruas

__all__ = ["di_authority", "di_column", "di_overlaps", "di_texts", "place_on_di"]

#: A name that says it is a Daerah Irigasi ("D.I. X", "D.I X", "DI X" in capitals, "Daerah
#: Irigasi X"): "di" in lower case is the Indonesian "in", not a D.I.
_NAMES_A_DI = re.compile(r"(?i:\bd\s*\.\s*i\b\.?|\bdaerah\s+irigasi\b)|\bDI\b")
#: ... unless it names a road: "Jl. D.I. Panjaitan" is a street named after a hero.
_NAMES_A_ROAD = re.compile(r"(?i)\b(?:jalan|jln|jl)\b")
_LEVEL_OF_DI = ("pusat", "provinsi", "kabupaten", "desa")


def di_texts(values: pd.DataFrame, name: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Daerah Irigasi each row names, and which rows name it in place of a ruas.

    Parameters
    ----------
    values
        :attr:`geo.read.proposals.ProposalList.values` (``di_name``, ``ruas_code``).
    name
        The ruas name looked for per row (the ruas name, or the activity's name for a list
        without a ruas column).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Per row the D.I. text ("" when none), and True where that text is the row's ruas name
        (it is then not looked for on the road network).
    """
    given = values["di_name"].to_numpy(dtype=object) if "di_name" in values else None
    code = values["ruas_code"].to_numpy(dtype=object)
    n = len(values)
    texts = np.full(n, "", dtype=object) if given is None else given.copy()
    instead = np.zeros(n, dtype=bool)
    for pos in range(n):
        text = str(name[pos])
        if code[pos] == "" and _NAMES_A_DI.search(text) and not _NAMES_A_ROAD.search(text):
            instead[pos] = True
            if not texts[pos]:
                texts[pos] = name[pos]
    return texts, instead


def place_on_di(
    texts: np.ndarray,
    areas: gpd.GeoDataFrame | None,
    rows: np.ndarray,
    out: dict[str, np.ndarray],
    notes: list[list[str]],
    geometry: np.ndarray,
) -> None:
    """Place ``rows`` naming a D.I. on its polygon (``out["di"]``: index into ``areas``).

    Parameters
    ----------
    texts
        Per row the D.I. text (:func:`di_texts`).
    areas
        Daerah Irigasi polygons in EPSG:4326 (``di_id``, ``name``), or None.
    rows
        Positions of the rows not placed yet.
    out, notes, geometry
        :func:`geo.analyse.proposals.place_proposals`'s placement, candidates, notes and
        geometry per row, filled in here.
    """
    wanted = rows[texts[rows] != ""]
    if not len(wanted):
        return
    if areas is None or not len(areas):
        for pos in wanted:
            notes[pos].append("tidak ada data Daerah Irigasi untuk mencari D.I. (--irrigation)")
        return
    ids = areas["di_id"].astype(str).to_numpy(dtype=object)
    names = (
        areas["name"].fillna("").astype(str).to_numpy(dtype=object)
        if "name" in areas
        else ids.copy()
    )
    by_id = {str(i).strip().lower(): k for k, i in enumerate(ids)}
    found: dict[str, tuple[int, str, str]] = {}
    for pos in wanted:
        text = str(texts[pos]).strip()
        if text not in found:
            found[text] = _find_di(text, ids, names, by_id)
        g, candidates, note = found[text]
        out["candidates"][pos] = candidates
        if note:
            notes[pos].append(note)
        if g >= 0:
            out["placement"][pos] = "di"
            out["di"][pos] = g
            geometry[pos] = areas.geometry.iat[g]


def _find_di(text: str, ids, names, by_id) -> tuple[int, str, str]:
    """The D.I. a row names: (index or -1, candidates text, note)."""
    if text.lower() in by_id:
        return by_id[text.lower()], "", ""
    taken, ranked = best_ruas(text, list(names), kind="di")
    listed = "; ".join(
        f"{ids[i]} {names[i]} ({decimal_text(s, 2)})"
        for i, s in zip(ranked["index"], ranked["score"], strict=True)
    )
    if taken >= 0:
        exact = float(ranked["score"].iat[0]) >= 1.0
        return taken, "" if exact else listed, "" if exact else f"D.I. dikenali dari nama {text!r}"
    return -1, listed, f"D.I. nama {text!r} tidak ditemukan dengan pasti di data Daerah Irigasi"


_DI_PREFIX = re.compile(r"^\s*(?:(?i:d\s*\.\s*i\b\.?|daerah\s+irigasi\b)|DI\b)\s*")


def _where(placed: gpd.GeoDataFrame, pos: int) -> str:
    """The D.I. a row is placed on as the reasons name it: ``D.I. Batang Hari (DI-01)``."""
    name, di_id = str(placed["di_name"].iat[pos]), str(placed["di_id"].iat[pos])
    # A layer without ids knows each D.I. by its name: said once.
    return f"D.I. {_DI_PREFIX.sub('', name)}" + ("" if di_id == name else f" ({di_id})")


def di_authority(found: Any, areas: gpd.GeoDataFrame) -> None:
    """Kewenangan of the rows placed on a D.I.: the D.I.'s authority against the proposer.

    Parameters
    ----------
    found
        The verdicts being built (:class:`geo.analyse.proposals._Verdicts`).
    areas
        The Daerah Irigasi the rows were placed on (EPSG:4326).
    """
    values, placed = found.values, found.placed
    rows = np.flatnonzero(
        (placed["placement"] == "di").to_numpy() & values["level"].isin(_LEVEL_OF_DI).to_numpy()
    )
    if not len(rows):
        return
    records = as_records(values, placed, rows, "irrigation")
    # Judged against its own D.I. only: a neighbour overlapping the polygon does not decide.
    own = areas.iloc[np.unique(placed["di"].to_numpy()[rows])]
    mismatches = find_mismatches(records, irrigation_areas=own, settings=found.settings)
    for row in mismatches.itertuples(index=False):
        pos = int(row.project_id)
        said = LEVEL_TEXT.get(str(row.level), str(row.level))
        owner = LEVEL_TEXT.get(str(row.expected_level), str(row.expected_level))
        where = _where(placed, pos)
        if row.verdict == "mismatch":
            found.hard[pos].append(
                f"kewenangan: {where} kewenangan {owner}, diusulkan oleh {said} ({row.rule})"
            )
        else:
            found.info[pos].append(
                f"{where} kewenangan {owner}, diusulkan oleh {said}: pengecualian sah "
                f"({row.exception_basis})"
            )


def di_overlaps(found: Any, projects: gpd.GeoDataFrame | None) -> None:
    """Overlaps of the rows placed on a D.I. with the stored irrigation works touching it and
    with the other rows on the same D.I., within ``proposal_recent_years``.

    Parameters
    ----------
    found
        The verdicts being built (:class:`geo.analyse.proposals._Verdicts`).
    projects
        Stored projects (canonical records, EPSG:4326), or None.
    """
    values, placed = found.values, found.placed
    rows = np.flatnonzero((placed["placement"] == "di").to_numpy())
    if not len(rows):
        return
    di = placed["di"].to_numpy()
    own = row_works(values)
    mine = _Mine(
        ids=values["proposal_id"].to_numpy(dtype=object),
        levels=values["level"].to_numpy(dtype=object),
        years=values[["year_start", "year_end"]].to_numpy(dtype=float),
        where={int(a): _where(placed, int(a)) for a in rows},
    )
    for a in rows:
        for b in rows[(di[rows] == di[a]) & (rows != a)]:
            _judge_di(found, mine, int(a), own[b])
    if projects is None or not len(projects):
        return
    irrigation = projects[projects["asset_type"].astype(str).to_numpy() == "irrigation"]
    if not len(irrigation):
        return
    geoms = np.asarray(irrigation.geometry.values, dtype=object)
    polygons = np.asarray(placed.geometry.values, dtype=object)[rows]
    q, hit = shapely.STRtree(geoms).query(polygons, predicate="intersects")
    if not len(q):
        return
    order = np.lexsort((hit, q))  # per row, the stored works in their stored order
    q, hit = q[order], hit[order]
    near = np.unique(hit)
    works = stored_works(irrigation.iloc[near].reset_index(drop=True))
    position = {int(h): k for k, h in enumerate(near)}
    for a, h in zip(rows[q], hit, strict=True):
        _judge_di(found, mine, int(a), works[position[int(h)]])


@dataclasses.dataclass(frozen=True)
class _Mine:
    """What :func:`_judge_di` reads of every row, read once (not per pair)."""

    ids: np.ndarray
    levels: np.ndarray
    years: np.ndarray  # (n, 2) first and last year, NaN when not given
    where: dict[int, str]  # per row on a D.I., the D.I. as the reasons name it


def _judge_di(found: Any, mine: _Mine, pos: int, other: dict) -> None:
    """Add the reason (and the conflict) of one work in the same D.I. to row ``pos``."""
    level = mine.levels[pos]
    if other["stored"] and other["project_id"] == mine.ids[pos] and other["level"] == level:
        return  # the proposal itself, imported into the store
    text = work_text(other, mine.years[pos, 0], mine.years[pos, 1], found.settings)
    if text is None:
        return
    text = f"tumpang tindih di {mine.where[pos]} dengan {text}"
    if bool(level) and other["level"] == level:
        text += " (tingkat yang sama: usulan ganda?)"
    found.soft[pos].append(text)
    found.conflicts[pos].append(other["id"])


def di_column(areas: gpd.GeoDataFrame | None, di: np.ndarray, column: str) -> np.ndarray:
    """``column`` of the D.I. each row is placed on, "" for the others."""
    result = np.full(len(di), "", dtype=object)
    if areas is not None and (di >= 0).any():
        own = areas[column] if column in areas else areas["di_id"]
        result[di >= 0] = own.astype(str).to_numpy(dtype=object)[di[di >= 0]]
    return result
