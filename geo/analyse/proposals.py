"""Check a proposal list before the budget is fixed: where each row lies, and what it meets.

A proposal names its location instead of drawing it (:mod:`geo.read.proposals`). Each row is
placed (:func:`place_proposals`), most precise first:

- ``sta``: a ruas found by its code (or its exact name), with an STA range on it;
- ``ruas``: the whole ruas, when no STA is given (or the STA does not fit the ruas). A ruas found
  only by a name written another way (``Sp. Rimbo s/d Bts. Kab. Tebo``) is taken when the best
  candidate is clearly ahead (:func:`geo.spatial.ruas_names.best_ruas`: score >= 0.85 and 0.05
  above the next); otherwise the row is not placed and the candidates are listed;
- ``di``: a row naming a Daerah Irigasi and no ruas, on the D.I.'s polygon
  (:mod:`geo.analyse.proposals_di`, which also judges such rows);
- ``unit``: the desa, else the kecamatan polygon of the store's administrative units (a
  kabupaten name picks between units of the same name);
- ``none``: what is missing is said.

Each row then gets a verdict (:func:`check_proposals`) against the stored projects and the other
rows of the list, with the reasons a coordination meeting reads (in Bahasa Indonesia):

- overlap: another work located on the same ruas whose chainage intersects the row's by at
  least ``min_overlap_m``, within ``proposal_recent_years`` budget years (stored road projects
  are located on the network as :mod:`geo.analyse.overlap_network` does). ``conflicts`` lists
  the ids of the works of *another level* (and of the same level's double entries);
- kewenangan: the ruas's status against the proposing level, by the authority rules
  (:func:`geo.analyse.authority.find_mismatches`, with its exceptions IJD and tugas
  pembantuan);
- not placeable.

``suggested_status`` (KRISNA's words; a suggestion, never final by itself):

- ``Ditolak``: a kewenangan mismatch; or, placed by STA, an overlap in the same budget year with
  work of another level that is contracted, under way or done (status ``kontrak``,
  ``berjalan``, ``selesai``) covering at least ``severity_share`` of the proposal's length;
- ``Didiskusikan``: any other overlap (a plan or another proposal, a partial or a recent-year
  overlap, a double entry of the same level, any overlap of a row placed on a whole ruas), a
  placement by unit or none, or a row whose level or values could not be read;
- ``Diterima``: otherwise.

Chainage in metres from the ruas start, money in rupiah; geometries in EPSG:4326.
"""

from __future__ import annotations

import dataclasses
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analyse.authority import ROAD_STATUS_LEVEL, find_mismatches
from geo.analyse.overlap_network import shared_chainage
from geo.analyse.proposal_works import (
    LEVEL_TEXT,
    as_records,
    decimal_text,
    row_works,
    stored_works,
    work_text,
)
from geo.analyse.proposals_di import di_authority, di_column, di_overlaps, di_texts, place_on_di
from geo.finding_ids import proposal_subject_id
from geo.read.locate import DECLARED_LENGTH_SHARE
from geo.read.proposals import ProposalList
from geo.schema import PROPOSAL_STATUSES
from geo.settings import DEFAULT_SETTINGS, Settings
from geo.spatial.crs import MIN_M_PER_DEG
from geo.spatial.deck import deck_of
from geo.spatial.linematch import locate_on_network, match_settings
from geo.spatial.network import END_SLACK_M, RoadNetwork, sta_text
from geo.spatial.ruas_names import best_ruas

__all__ = [
    "CHECK_COLUMNS",
    "CONTRACTED_STATUSES",
    "PLACEMENTS",
    "STATUSES",
    "check_proposals",
    "place_proposals",
    "subject_ids",
]

#: Placement precisions, most precise first.
PLACEMENTS: tuple[str, ...] = ("sta", "ruas", "di", "unit", "none")
#: Suggested statuses, in KRISNA's words.
STATUSES: tuple[str, ...] = PROPOSAL_STATUSES
#: Stored work in these statuses is money committed: a same-year overlap with it is refused.
CONTRACTED_STATUSES: tuple[str, ...] = ("kontrak", "berjalan", "selesai")
#: Columns :func:`check_proposals` adds after the list's own columns.
CHECK_COLUMNS: tuple[str, ...] = (
    "proposal_id",
    "level",
    "placement",
    "ruas_id",
    "ruas_name",
    "ruas_status",
    "di_id",
    "di_name",
    "sta_from_m",
    "sta_to_m",
    "candidates",
    "suggested_status",
    "reasons",
    "conflicts",
)
#: A ruas code written in a name column ("015", "K-034", "N.008"): looked up as a code first.
_CODE_LIKE = re.compile(r"[A-Za-z]{0,3}[\s.\-]*\d[\d.\-\s]*")
_UNIT_WORDS = re.compile(
    r"\b(?:kecamatan|kec|desa|ds|kelurahan|kel|kabupaten|kab|kota|adm|administrasi)\b\.?"
)


def place_proposals(
    values: pd.DataFrame,
    *,
    network: RoadNetwork | None = None,
    units: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    by_name_column: bool = False,
) -> gpd.GeoDataFrame:
    """Place each proposal row on the road network or in an administrative unit.

    Parameters
    ----------
    values
        :attr:`geo.read.proposals.ProposalList.values`: ``ruas_code``, ``ruas_name``,
        ``sta_from_m``, ``sta_to_m`` (metres), ``desa``, ``kecamatan``, ``kabupaten``
        (and ``name``, with ``by_name_column``).
    network
        The reference road network, or None (no row is placed on a ruas).
    units
        Administrative units in EPSG:4326 (:mod:`geo.read.reference`: ``unit_id``,
        ``unit_name``, ``unit_level``), or None.
    irrigation_areas
        Daerah Irigasi polygons in EPSG:4326 (``di_id``, ``name``), for the rows naming a D.I.
        (``di_name``, or a ruas or activity name such as "D.I. Batang Hari"), or None.
    by_name_column
        Rank the row's ``name`` against the ruas names when it names no ruas (a list with no
        ruas column whose activity names carry the road: "Peningkatan Jalan Sp. Rimbo -
        Sengeti").

    Returns
    -------
    geopandas.GeoDataFrame
        One row per proposal, in order, EPSG:4326: ``placement`` (:data:`PLACEMENTS`),
        ``ruas`` (index into ``network.ruas``, -1 when none), ``ruas_id``, ``ruas_name``,
        ``ruas_status``, ``di`` (index into ``irrigation_areas``, -1 when none), ``di_id``,
        ``di_name``, ``sta_from_m`` and ``sta_to_m`` (the stretch, metres; the whole ruas
        for ``ruas``; NaN otherwise), ``candidates`` (the ruas or units considered, with
        scores, ``; ``-separated), ``place_notes`` (why the row is placed as it is, Bahasa
        Indonesia, ``; ``-separated) and the geometry (the stretch, the ruas, the unit or
        None).
    """
    n = len(values)
    out = {
        "placement": np.full(n, "none", dtype=object),
        "ruas": np.full(n, -1, dtype=np.int64),
        "di": np.full(n, -1, dtype=np.int64),
        "sta_from_m": np.full(n, np.nan),
        "sta_to_m": np.full(n, np.nan),
        "candidates": np.full(n, "", dtype=object),
    }
    notes: list[list[str]] = [[] for _ in range(n)]
    geometry = np.full(n, None, dtype=object)
    code = values["ruas_code"].to_numpy(dtype=object)
    name = values["ruas_name"].to_numpy(dtype=object)
    if by_name_column:  # the activity's name, unless the row names its D.I.
        by_name = (code == "") & (name == "") & (values["di_name"].to_numpy(dtype=object) == "")
        name = np.where(by_name, values["name"].to_numpy(dtype=object), name)
    di_text, di_instead = di_texts(values, name)
    name = np.where(di_instead, "", name)  # "D.I. Batang Hari" is not a ruas name
    asked = (code != "") | (name != "")
    if network is not None and len(network.ruas.label):
        _on_ruas(values, network, code, name, out, notes)
        on_ruas = np.flatnonzero(out["ruas"] >= 0)
        cuttable = on_ruas[
            np.array([network.ruas.line_m[g] is not None for g in out["ruas"][on_ruas]], dtype=bool)
        ]
        if len(cuttable):
            geometry[cuttable] = network.cut(
                out["ruas"][cuttable], out["sta_from_m"][cuttable], out["sta_to_m"][cuttable]
            )
    elif asked.any():
        for pos in np.flatnonzero(asked):
            notes[pos].append("tidak ada jaringan jalan untuk mencari ruas (--roads)")
    place_on_di(
        di_text, irrigation_areas, np.flatnonzero(out["placement"] == "none"), out, notes, geometry
    )
    rest = np.flatnonzero(out["placement"] == "none")
    _in_units(values, units, rest, out, notes, geometry)
    for pos in np.flatnonzero(out["placement"] == "none"):
        if not (
            asked[pos] or di_text[pos] or values["desa"].iat[pos] or values["kecamatan"].iat[pos]
        ):
            notes[pos].append("tidak ada kode/nama ruas, desa atau kecamatan")
    index = network.ruas if network is not None else None
    g = out["ruas"]
    found = g >= 0

    def of_ruas(array_name: str) -> np.ndarray:
        result = np.full(n, "", dtype=object)
        if index is not None and found.any():
            result[found] = getattr(index, array_name)[g[found]]
        return result

    return gpd.GeoDataFrame(
        {
            "placement": out["placement"],
            "ruas": g,
            "ruas_id": of_ruas("road_id"),
            "ruas_name": of_ruas("name"),
            "ruas_status": of_ruas("status"),
            "di": out["di"],
            "di_id": di_column(irrigation_areas, out["di"], "di_id"),
            "di_name": di_column(irrigation_areas, out["di"], "name"),
            "sta_from_m": out["sta_from_m"],
            "sta_to_m": out["sta_to_m"],
            "candidates": out["candidates"],
            "place_notes": ["; ".join(x) for x in notes],
        },
        geometry=gpd.GeoSeries(geometry, crs=4326),
        crs=4326,
    )


def _on_ruas(values, network: RoadNetwork, code, name, out, notes) -> None:
    """Find each row's ruas (by code, by exact name, else by ranked name) and its stretch."""
    index = network.ruas
    found: dict[tuple[str, str], tuple[int, str, str]] = {}
    sta_from_m, sta_to_m = values["sta_from_m"].to_numpy(), values["sta_to_m"].to_numpy()
    declared_m = values["declared_m"].to_numpy()
    for pos in np.flatnonzero((code != "") | (name != "")):
        key = (code[pos], name[pos])
        if key not in found:
            found[key] = _find(network, *key)
        g, candidates, note = found[key]
        out["candidates"][pos] = candidates
        if note:
            notes[pos].append(note)
        if g < 0:
            continue
        out["ruas"][pos] = g
        length = float(index.length_m[g])
        low, high = sta_from_m[pos], sta_to_m[pos]
        if not np.isfinite(length):
            out["placement"][pos] = "ruas"
            notes[pos].append(f"ruas {index.label[g]} tidak tersambung menjadi satu garis")
        elif np.isfinite(low) and np.isfinite(high) and high <= length + END_SLACK_M:
            out["placement"][pos] = "sta"
            out["sta_from_m"][pos], out["sta_to_m"][pos] = low, min(high, length)
        else:
            out["placement"][pos] = "ruas"
            out["sta_from_m"][pos], out["sta_to_m"][pos] = 0.0, length
            if np.isfinite(high):
                notes[pos].append(
                    f"STA {sta_text(low)} - {sta_text(high)} melewati ujung ruas "
                    f"{index.road_id[g] or index.name[g]} (STA {sta_text(length)}): "
                    "ditempatkan pada seluruh ruas"
                )
            else:
                notes[pos].append("STA tidak diisi: ditempatkan pada seluruh ruas")
        declared = declared_m[pos]
        placed_m = out["sta_to_m"][pos] - out["sta_from_m"][pos]
        if np.isfinite(declared) and np.isfinite(placed_m):
            if out["placement"][pos] == "ruas":
                notes[pos].append(
                    f"panjang usulan {decimal_text(declared / 1000, 2)} km dari ruas sepanjang "
                    f"{decimal_text(placed_m / 1000, 2)} km"
                )
            elif abs(declared - placed_m) > DECLARED_LENGTH_SHARE * placed_m:
                notes[pos].append(
                    f"panjang usulan {decimal_text(declared / 1000, 2)} km, STA "
                    f"{decimal_text(placed_m / 1000, 2)} km"
                )


def _find(network: RoadNetwork, code: str, name: str) -> tuple[int, str, str]:
    """The ruas a row names: (index or -1, candidates text, note)."""
    index = network.ruas
    for text in (code, name if _CODE_LIKE.fullmatch(name) else ""):
        if text:
            g, _ = network.find_ruas(text)
            if g >= 0:
                return g, "", ""
    if name:  # a name as the network writes it scores 1.0: ranked like any other
        taken, ranked = best_ruas(name, list(index.name))
        listed = "; ".join(
            f"{index.road_id[i] or '-'} {index.name[i]} ({decimal_text(s, 2)})"
            for i, s in zip(ranked["index"], ranked["score"], strict=True)
        )
        if taken >= 0:
            return taken, listed, f"ruas dikenali dari nama {name!r}"
        written = f"kode {code!r} / nama {name!r}" if code else f"nama {name!r}"
        return -1, listed, f"ruas {written} tidak ditemukan dengan pasti di jaringan jalan"
    return -1, "", f"ruas dengan kode {code!r} tidak ada di jaringan jalan"


def _unit_key(text: str) -> str:
    text = _UNIT_WORDS.sub(" ", str(text).lower())
    return re.sub(r"[^a-z0-9]+", "", text)


def _in_units(values, units, rows, out, notes, geometry) -> None:
    """Place ``rows`` in their desa, else kecamatan, polygon."""
    wanted = rows[
        (values["desa"].to_numpy()[rows] != "") | (values["kecamatan"].to_numpy()[rows] != "")
    ]
    if not len(wanted):
        return
    if units is None or not len(units):
        for pos in wanted:
            notes[pos].append(
                "tidak ada batas wilayah (desa/kecamatan) untuk menempatkan (--units)"
            )
        return
    unit_names = units["unit_name"].map(_unit_key).to_numpy(dtype=object)
    unit_levels = (
        units["unit_level"].astype(str).to_numpy(dtype=object)
        if "unit_level" in units.columns
        else np.full(len(units), "", dtype=object)
    )
    unit_ids = units["unit_id"].astype(str).to_numpy(dtype=object)
    kabupaten = unit_levels == "kabupaten"
    for pos in wanted:
        for level in ("desa", "kecamatan"):
            text = values[level].iat[pos]
            if not text:
                continue
            if not np.isin(unit_levels, [level, "", "nan"]).any():
                notes[pos].append(f"batas wilayah tidak memuat {level} (dicari {level} {text!r})")
                continue
            key = _unit_key(text)
            hits = np.flatnonzero((unit_names == key) & np.isin(unit_levels, [level, "", "nan"]))
            if len(hits) > 1 and values["kabupaten"].iat[pos]:
                parents = unit_ids[
                    kabupaten & (unit_names == _unit_key(values["kabupaten"].iat[pos]))
                ]
                inside = [h for h in hits if any(unit_ids[h].startswith(p) for p in parents)]
                hits = np.asarray(inside or hits)
            if len(hits) == 1:
                h = int(hits[0])
                out["placement"][pos] = "unit"
                geometry[pos] = units.geometry.iat[h]
                notes[pos].append(
                    f"lokasi hanya sampai {level} {units['unit_name'].iat[h]} ({unit_ids[h]})"
                )
                break
            if len(hits) > 1:
                out["candidates"][pos] = "; ".join(
                    f"{units['unit_name'].iat[h]} ({unit_ids[h]})" for h in hits
                )
                notes[pos].append(f"{level} {text!r} ada lebih dari satu: isi kabupaten/kota")
                break
            notes[pos].append(f"{level} {text!r} tidak ada di batas wilayah")


@dataclasses.dataclass
class _Verdicts:
    """What is found per proposal row: reasons that refuse (``hard``), that ask for a
    discussion (``soft``), that inform (``info``), and the ids of the works it meets."""

    values: pd.DataFrame
    placed: gpd.GeoDataFrame
    settings: Settings
    hard: list[list[str]]
    soft: list[list[str]]
    info: list[list[str]]
    conflicts: list[list[str]]

    @classmethod
    def empty(cls, values, placed, settings) -> _Verdicts:
        n = len(values)

        def lists() -> list[list[str]]:
            return [[] for _ in range(n)]

        return cls(values, placed, settings, lists(), lists(), lists(), lists())

    def status(self) -> np.ndarray:
        return np.array(
            [
                "Ditolak" if hard else "Didiskusikan" if soft else "Diterima"
                for hard, soft in zip(self.hard, self.soft, strict=True)
            ],
            dtype=object,
        )

    def reasons(self) -> list[str]:
        out = []
        for hard, soft, info in zip(self.hard, self.soft, self.info, strict=True):
            lines = [*hard, *soft, *info]
            if not hard and not soft:
                lines.insert(
                    0, "tidak ada tumpang tindih dengan pekerjaan lain dan kewenangan sesuai"
                )
            out.append("; ".join(lines))
        return out


def check_proposals(
    proposals: ProposalList,
    *,
    network: RoadNetwork | None = None,
    units: gpd.GeoDataFrame | None = None,
    projects: gpd.GeoDataFrame | None = None,
    irrigation_areas: gpd.GeoDataFrame | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> gpd.GeoDataFrame:
    """Place every proposal and suggest its status, with the reasons and the works it meets.

    Parameters
    ----------
    proposals
        The list (:func:`geo.read.proposals.read_proposals`).
    network
        The reference road network (with ``status`` for the kewenangan check), or None.
    units
        Administrative units (EPSG:4326, :mod:`geo.read.reference` columns), or None.
    projects
        Stored projects (canonical records, EPSG:4326; ``status`` used when present), or None.
    irrigation_areas
        Daerah Irigasi polygons (EPSG:4326, :mod:`geo.read.reference` columns) for the rows
        naming a D.I., or None.
    settings
        ``min_overlap_m`` (shortest shared chainage, metres), ``proposal_recent_years``,
        ``severity_share`` (share of the proposal's length), ``network_offset_m`` (how far a
        stored drawing may lie from its road), ``tolerance_m`` and ``max_angle_deg`` (the
        authority check).

    Returns
    -------
    geopandas.GeoDataFrame
        The list's own columns (a column of the list named like one added below is kept as
        ``NAME (daftar)``), then :data:`CHECK_COLUMNS`, one row per proposal row, in order,
        EPSG:4326 (the geometry of the placement). See the module notes for the rules.
    """
    values = proposals.values.reset_index(drop=True)
    by_name = not {"ruas_code", "ruas_name"} & set(proposals.columns)
    placed = place_proposals(
        values,
        network=network,
        units=units,
        irrigation_areas=irrigation_areas,
        by_name_column=by_name,
    )
    found = _Verdicts.empty(values, placed, settings)
    _placement_reasons(found)
    if network is not None:
        _authority(found, network)
        _overlaps(found, network, projects)
    if irrigation_areas is not None:
        di_authority(found, irrigation_areas)
        di_overlaps(found, projects)
    added = pd.DataFrame(
        {
            "proposal_id": values["proposal_id"].to_numpy(),
            "level": values["level"].to_numpy(),
            "placement": placed["placement"].to_numpy(),
            "ruas_id": placed["ruas_id"].to_numpy(),
            "ruas_name": placed["ruas_name"].to_numpy(),
            "ruas_status": placed["ruas_status"].to_numpy(),
            "di_id": placed["di_id"].to_numpy(),
            "di_name": placed["di_name"].to_numpy(),
            "sta_from_m": placed["sta_from_m"].round(1).to_numpy(),
            "sta_to_m": placed["sta_to_m"].round(1).to_numpy(),
            "candidates": placed["candidates"].to_numpy(),
            "suggested_status": found.status(),
            "reasons": found.reasons(),
            "conflicts": [";".join(dict.fromkeys(c)) for c in found.conflicts],
        }
    )
    own = proposals.table.reset_index(drop=True).rename(
        columns={c: f"{c} (daftar)" for c in proposals.table.columns if c in CHECK_COLUMNS}
    )
    return gpd.GeoDataFrame(
        pd.concat([own, added], axis=1), geometry=placed.geometry.values, crs=4326
    )


def subject_ids(proposals: ProposalList, file_sha256: str) -> list[str]:
    """The id of each proposal row for decisions on it (``US-...``,
    :func:`geo.finding_ids.proposal_subject_id`), in order.

    Rows of a list with its own ids (a ``kode usulan`` column, filled and unique) are known by
    their proposer, level and id, so a decision follows a row into the next export of the
    list; rows of a list without are known by the file's bytes (``file_sha256``) and row.
    """
    values = proposals.values
    own = "proposal_id" in proposals.columns and bool(
        (values["proposal_id"] != "baris " + values["source_row"].astype(str)).any()
    )
    return [
        proposal_subject_id(
            str(pid) if own else "",
            proposer=str(proposer),
            level=str(level),
            file_sha256=file_sha256,
            row=int(row),
        )
        for pid, proposer, level, row in values[
            ["proposal_id", "proposer", "level", "source_row"]
        ].itertuples(index=False)
    ]


def _placement_reasons(found: _Verdicts) -> None:
    values, placed, soft, info = found.values, found.placed, found.soft, found.info
    placement = placed["placement"].to_numpy()
    notes = placed["place_notes"].to_numpy()
    for pos in range(len(values)):
        note = notes[pos]
        if placement[pos] == "none":
            # One reason: its parts joined with commas, as reasons are joined with "; ".
            soft[pos].append(f"tidak dapat ditempatkan: {note.replace('; ', ', ')}")
        elif placement[pos] == "unit":
            soft[pos].append(f"{note}: tumpang tindih dan kewenangan di ruas tidak dapat diperiksa")
        elif note:
            info[pos].append(note)
        if values["problems"].iat[pos]:
            soft[pos].append(values["problems"].iat[pos])


def _authority(found: _Verdicts, network: RoadNetwork) -> None:
    """Kewenangan of rows placed on a ruas, by the authority rules on the placed stretch."""
    values, placed, hard, info = found.values, found.placed, found.hard, found.info
    roads = network.frame
    on_ruas = placed["placement"].isin(["sta", "ruas"]).to_numpy()
    if "status" not in roads.columns or "road_id" not in roads.columns:
        for row_pos in np.flatnonzero(on_ruas):
            found.soft[row_pos].append(
                "kewenangan tidak diperiksa: jaringan jalan tanpa kode ruas dan status"
            )
        return
    rows = np.flatnonzero(
        on_ruas
        & placed.geometry.notna().to_numpy()
        & values["level"].isin(list(ROAD_STATUS_LEVEL.values())).to_numpy()
    )
    if not len(rows):
        return
    records = as_records(values, placed, rows, "road")
    # Judged by the ruas each row is placed on (its stretch read off the network), not by any
    # road within the tolerance of it: an elevated toll road beside an arterial keeps its own.
    located = _placed_intervals(placed, rows)
    located = located.assign(
        work=np.searchsorted(rows, located["work"].to_numpy()), matched_share=1.0
    )  # work: the position among ``records``
    mismatches = find_mismatches(
        records, roads=roads, settings=found.settings, located=located, network=network
    )
    for unchecked in mismatches.attrs.get("unchecked", []):
        found.soft[int(unchecked)].append(
            "kewenangan tidak dapat diperiksa: status jalan di lokasi ini tidak diketahui"
        )
    for row in mismatches.itertuples(index=False):
        pos = int(row.project_id)
        said = LEVEL_TEXT.get(str(row.level), str(row.level))
        if row.verdict == "mismatch":
            hard[pos].append(
                f"kewenangan: ruas {row.reference_id} berstatus jalan {row.reference_status}, "
                f"diusulkan oleh {said} ({row.rule})"
            )
        else:
            info[pos].append(
                f"ruas {row.reference_id} berstatus jalan {row.reference_status}, diusulkan oleh "
                f"{said}: pengecualian sah ({row.exception_basis})"
            )


def _overlaps(found: _Verdicts, network: RoadNetwork, projects: gpd.GeoDataFrame | None) -> None:
    """Overlaps of each placed row with stored road works and with the other rows."""
    values, placed, settings = found.values, found.placed, found.settings
    n = len(values)
    intervals = _placed_intervals(
        placed, np.flatnonzero(placed["placement"].isin(["sta", "ruas"]).to_numpy())
    )
    if intervals.empty:
        return
    rows = intervals["work"].to_numpy()
    stored = _stored_roads(values, placed, rows, projects, settings)
    if stored is not None and len(stored):
        located = locate_on_network(
            network,
            np.asarray(stored.geometry.values, dtype=object),
            decks=deck_of(stored["name"].astype(str), stored["deck"] if "deck" in stored else None),
            settings=match_settings(settings.network_offset_m),
        )
        located = located[located["ruas"].str.startswith("ruas:")]
        intervals = pd.concat(
            [
                intervals,
                pd.DataFrame(
                    {
                        "work": n + located["line"].to_numpy(),
                        "ruas": located["ruas"].to_numpy(),
                        "from_m": located["from_m"].to_numpy(),
                        "to_m": located["to_m"].to_numpy(),
                    }
                ),
            ],
            ignore_index=True,
        )
    pairs = shared_chainage(intervals, min_overlap_m=settings.min_overlap_m)
    pairs = pairs[pairs["work_a"] < n]  # work_a < work_b: a pair with a proposal has it first
    rows_of = _Rows.of(values, placed)
    works = row_works(values) + ([] if stored is None else stored_works(stored))
    for pair in pairs.itertuples(index=False):
        a, b = int(pair.work_a), int(pair.work_b)
        if b < n:  # two rows of the list: each is told of the other
            _judge(found, rows_of, a, works[b], pair)
            _judge(found, rows_of, b, works[a], pair)
        else:
            _judge(found, rows_of, a, works[b], pair)


def _placed_intervals(placed: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The chainage interval (``work`` the row, ``ruas``, ``from_m``, ``to_m``) of each of
    ``rows`` placed on a ruas with a chainage."""
    rows = rows[np.isfinite(placed["sta_from_m"].to_numpy(dtype=float)[rows])]
    return pd.DataFrame(
        {
            "work": rows,
            "ruas": [f"ruas:{g}" for g in placed["ruas"].to_numpy()[rows]],
            "from_m": placed["sta_from_m"].to_numpy(dtype=float)[rows],
            "to_m": placed["sta_to_m"].to_numpy(dtype=float)[rows],
        }
    )


def _stored_roads(values, placed, rows, projects, settings) -> gpd.GeoDataFrame | None:
    """Stored road lines near the placed rows, in the years that matter."""
    if projects is None or not len(projects):
        return None
    geoms = np.asarray(projects.geometry.values, dtype=object)
    line = np.isin(shapely.get_type_id(geoms), (1, 5)) & (
        projects["asset_type"].astype(str).to_numpy() == "road"
    )
    years = values[["year_start", "year_end"]].to_numpy(dtype=float)[rows]
    window = settings.proposal_recent_years
    if np.isfinite(years).all():
        start = pd.to_numeric(projects["year_start"], errors="coerce").to_numpy(dtype=float)
        end = pd.to_numeric(projects["year_end"], errors="coerce").to_numpy(dtype=float)
        line &= (end >= years[:, 0].min() - window) & (start <= years[:, 1].max() + window)
    candidates = np.flatnonzero(line)
    if not len(candidates):
        return None
    reach_deg = (settings.network_offset_m + settings.tolerance_m) / MIN_M_PER_DEG
    tree = shapely.STRtree(geoms[candidates])
    placed_geoms = np.asarray(placed.geometry.values, dtype=object)[rows]
    placed_geoms = placed_geoms[~shapely.is_missing(placed_geoms)]
    near = tree.query(placed_geoms, predicate="dwithin", distance=reach_deg)[1]
    keep = candidates[np.unique(near)]
    return projects.iloc[keep].reset_index(drop=True)


@dataclasses.dataclass(frozen=True)
class _Rows:
    """The columns :func:`_judge` reads of every row, as arrays (read once, not per pair)."""

    ids: np.ndarray
    levels: np.ndarray
    years: np.ndarray  # (n, 2) first and last year, NaN when not given
    ruas: np.ndarray  # the ruas id, else its name
    sta_from_m: np.ndarray
    sta_to_m: np.ndarray
    placement: np.ndarray

    @classmethod
    def of(cls, values: pd.DataFrame, placed: gpd.GeoDataFrame) -> _Rows:
        ruas_id = placed["ruas_id"].to_numpy(dtype=object)
        ruas_name = placed["ruas_name"].to_numpy(dtype=object)
        return cls(
            ids=values["proposal_id"].to_numpy(dtype=object),
            levels=values["level"].to_numpy(dtype=object),
            years=values[["year_start", "year_end"]].to_numpy(dtype=float),
            ruas=np.where([bool(r) for r in ruas_id], ruas_id, ruas_name),
            sta_from_m=placed["sta_from_m"].to_numpy(dtype=float),
            sta_to_m=placed["sta_to_m"].to_numpy(dtype=float),
            placement=placed["placement"].to_numpy(dtype=object),
        )


def _judge(found: _Verdicts, rows: _Rows, pos: int, other: dict, pair) -> None:
    """Add the reason (and the conflict) of one overlap to row ``pos``."""
    settings = found.settings
    stored = other["stored"]
    level = rows.levels[pos]
    if stored and other["project_id"] == rows.ids[pos] and other["level"] == level:
        return  # the proposal itself, imported into the store
    own = rows.years[pos]
    described = work_text(other, own[0], own[1], settings)
    if described is None:
        return
    what, when = described.rsplit(", ", 1)
    gap = max(own[0], other["year_start"]) - min(own[1], other["year_end"])
    known_year = np.isfinite(gap)
    same_level = bool(level) and other["level"] == level
    shared_km = pair.overlap_m / 1000.0
    where = f"ruas {rows.ruas[pos]} STA {sta_text(pair.sta_from_m)} - {sta_text(pair.sta_to_m)}"
    text = f"tumpang tindih {decimal_text(shared_km, 2)} km dengan {what} di {where}, {when}"
    found.conflicts[pos].append(other["id"])
    contracted = stored and any(s in other["status"] for s in CONTRACTED_STATUSES)
    length = rows.sta_to_m[pos] - rows.sta_from_m[pos]
    covers = length > 0 and pair.overlap_m >= settings.severity_share * length
    if (
        not same_level
        and contracted
        and known_year
        and gap <= 0
        and rows.placement[pos] == "sta"
        and covers
    ):
        found.hard[pos].append(text)
    elif same_level:
        found.soft[pos].append(f"{text} (tingkat yang sama: usulan ganda?)")
    else:
        found.soft[pos].append(text)
