"""Ruas names as agencies write them, matched to the names of a road network.

A proposal list names its road instead of drawing it, in the habits of each office: "Jl. Raya
Salem - Bts. Kab. Cilacap", "Batas Kabupaten Cilacap s.d. Salem", "Sp. Rimbo Bujang – Bts. Kab.
Tebo", "Bts Kota Fak fak - Sangram", old spellings ("Djambi", "Tjilatjap", "Soekarno"). This
module reduces a name to its *end names* (the places the ruas runs between) in one spelling and
ranks a network's ruas by how well their end names agree, in either order:

- ``Jl.``/``Jln``/``Jalan`` (and a ``Raya`` after it) are dropped; ``Sp.``/``Simp.``/``Spg`` =
  Simpang, ``Bts.`` = Batas, ``Kab.`` = Kabupaten, ``Kec.`` = Kecamatan, ``Ds.`` = Desa,
  ``Tj.``/``Tg.`` = Tanjung, ``Sei``/``Sui`` = Sungai, ``Ma.`` = Muara, ``Psr`` = Pasar;
- ``-``, en/em dashes, ``s.d.``, ``s/d`` and ``sampai`` separate the end names; a qualifier in
  brackets ("(Sakumi)") is left out;
- the spelling before 1972 is brought to today's (``dj`` j, ``tj`` c, ``oe`` u, ``nj`` ny,
  ``sj`` sy, ``ch`` kh) and spaces inside a place name do not count ("Fak fak" = "Fakfak").

The score (0-1) of a candidate is the mean similarity of its end names to the query's, in the
better of the two orders (rapidfuzz's normalised Indel similarity); names with a different
number of ends are compared as a whole, at most 0.9.

Daerah Irigasi names are ranked the same way (``kind="di"``, :func:`di_ends`): the words
naming the kind of place (``D.I.``, ``DI``, ``Daerah Irigasi``, ``Irigasi``, ``Jaringan``) are
left out and ``Bt.``/``Btg`` = Batang, so "D.I. Bt. Hari", "DI Batanghari" and "Daerah Irigasi
Batang Hari" are one name; ``Sei``/``Sui`` = Sungai as for roads.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

__all__ = [
    "NAME_KINDS",
    "NAME_MIN_LEAD",
    "NAME_MIN_SCORE",
    "best_ruas",
    "di_ends",
    "normalise_ruas_name",
    "rank_ruas",
    "ruas_ends",
]

#: A ruas found by name only is taken when its score is at least this (0-1)...
NAME_MIN_SCORE = 0.85
#: ... and at least this much ahead of the next candidate: a name that fits two ruas almost
#: equally (two ruas of the same name at different statuses, "Fak fak - Sangram" and "Fak fak
#: - Siboru" for a query "Fakfak") is a question for the meeting, never a guess.
NAME_MIN_LEAD = 0.05

_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"\b(?:jalan|jln|jl)\b\.?", " "),
    (r"\b(?:simpang|simp|smpg|spg|sp)\b\.?(?!\s*\d)", " simpang "),
    (r"\b(?:batas|btas|bts)\b\.?", " batas "),
    (r"\b(?:kabupaten|kab)\b\.?", " kabupaten "),
    (r"\b(?:kecamatan|kec)\b\.?", " kecamatan "),
    (r"\b(?:kelurahan|kel)\b\.?", " kelurahan "),
    (r"\b(?:desa|ds)\b\.?", " desa "),
    (r"\b(?:tanjung|tj|tg|tjg)\b\.", " tanjung "),
    (r"\b(?:tj|tg|tjg)\b(?=\s)", " tanjung "),
    (r"\b(?:sungai|sei|sui|sng)\b\.?", " sungai "),
    (r"\bma\.", " muara "),
    (r"\b(?:pasar|psr)\b\.?", " pasar "),
)
_COMPILED = tuple((re.compile(p), r) for p, r in _ABBREVIATIONS)
_SEPARATORS = re.compile(r"\s*(?:[-\u2010-\u2015\u2212]|\bs\s*[./]\s*d\b\.?|\bsampai\b)\s*")
_BRACKETS = re.compile(r"\([^)]*\)")
# Not "nj" -> "ny": today's words have "nj" (tanjung, panjang) that were "ndj" before 1972.
_OLD_SPELLING = (("dj", "j"), ("tj", "c"), ("oe", "u"), ("sj", "sy"), ("ch", "kh"))
#: Words of a work's title that are not part of the road's name ("Pelebaran Jalan ...").
_WORK_WORDS = re.compile(
    r"\b(?:pelebaran|peningkatan|rehabilitasi|pemeliharaan|preservasi|pembangunan|"
    r"rekonstruksi|pengaspalan|penanganan|perbaikan|rutin|berkala|ruas|struktur|kapasitas)\b"
)
_NOT_A_LETTER = re.compile(r"[^a-z0-9 ]+")
#: Words of a Daerah Irigasi's name that say what kind of place it is, not which.
_DI_WORDS = re.compile(
    r"\bdaerah\s+irigasi\b|\bd\s*\.\s*i\b\.?|\bdi\b\.?|\b(?:irigasi|jaringan|dir)\b"
)
_DI_ABBREVIATIONS = ((re.compile(r"\b(?:batang|btg|bt)\b\.?"), " batang "),)
#: What a name is ranked by, per kind of name: a ruas (:func:`ruas_ends`) or a Daerah Irigasi
#: (:func:`di_ends`).
NAME_KINDS: tuple[str, ...] = ("ruas", "di")
_RAYA = re.compile(r"^raya\s+")


def normalise_ruas_name(text: str) -> str:
    """A ruas name in one spelling: its end names joined by ``" - "``.

    Examples
    --------
    >>> normalise_ruas_name("Jl. Raya Salem - Bts. Kab. Cilacap")
    'salem - batas kabupaten cilacap'
    >>> normalise_ruas_name("Bts Kota Ma. Bulian s.d. Sp. Djambi (lama)")
    'batas kota muara bulian - simpang jambi'
    """
    return " - ".join(ruas_ends(text))


def ruas_ends(text: str) -> tuple[str, ...]:
    """The end names of a ruas name (see the module notes), in the order written."""
    text = _WORK_WORDS.sub(" ", _BRACKETS.sub(" ", str(text).lower()))
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    ends = []
    for end in _SEPARATORS.split(text):
        end = _NOT_A_LETTER.sub(" ", end)
        for old, new in _OLD_SPELLING:
            end = end.replace(old, new)
        end = _RAYA.sub("", " ".join(end.split()))
        if end:
            ends.append(end)
    return tuple(ends)


def di_ends(text: str) -> tuple[str, ...]:
    """The name of a Daerah Irigasi in one spelling, as :func:`ruas_ends` gives a ruas's ends
    (usually one; "Sei Tapung - Kanan" has two).

    Examples
    --------
    >>> di_ends("D.I. Bt. Hari"), di_ends("DI Sei Tapung"), di_ends("Daerah Irigasi Batanghari")
    (('batang hari',), ('sungai tapung',), ('batanghari',))
    """
    text = _DI_WORDS.sub(" ", str(text).lower())
    for pattern, replacement in _DI_ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return ruas_ends(text)


def _ends(text: str, kind: str) -> tuple[str, ...]:
    if kind not in NAME_KINDS:
        raise ValueError(f"kind {kind!r} unknown; use one of {', '.join(NAME_KINDS)}")
    return di_ends(text) if kind == "di" else ruas_ends(text)


def rank_ruas(
    query: str, names: Sequence[str], *, limit: int = 5, kind: str = "ruas"
) -> pd.DataFrame:
    """The network's ruas names (or the Daerah Irigasi names) that best match ``query``, best
    first.

    Parameters
    ----------
    query
        A ruas name (a D.I. name) as a proposal writes it.
    names
        The network's ruas names (the names of the D.I. layer).
    limit
        Candidates returned.
    kind
        ``"ruas"`` or ``"di"`` (:data:`NAME_KINDS`): how the names are read.

    Returns
    -------
    pandas.DataFrame
        ``index`` (position in ``names``), ``name`` and ``score`` (0-1), at most ``limit`` rows,
        best first (ties in the order of ``names``).

    Examples
    --------
    >>> names = ["Salem - Bts. Kab. Cilacap", "Bumiayu - Salem", "Sirampog - Bumiayu"]
    >>> rank_ruas("Batas Kabupaten Tjilatjap s/d Salem", names, limit=2)
       index                       name  score
    0      0  Salem - Bts. Kab. Cilacap  1.000
    1      1            Bumiayu - Salem  0.643
    """
    return _as_frame(*_ranked(query, names, limit, kind), names)


def _ranked(
    query: str, names: Sequence[str], limit: int, kind: str
) -> tuple[np.ndarray, np.ndarray]:
    """`rank_ruas` as arrays: positions best first, and their scores rounded to 3 decimals."""
    wanted = [_squeeze(e) for e in _ends(query, kind)]
    scores = _scores(wanted, _keys(tuple(names), kind))
    order = _best_first(scores, limit)
    return order, np.round(scores[order], 3)


def _as_frame(order: np.ndarray, scores: np.ndarray, names: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({"index": order, "name": [names[i] for i in order], "score": scores})


def _best_first(scores: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the ``limit`` highest scores, best first, ties in position order (what a
    stable sort of all of them gives, without sorting a national network's every name)."""
    if limit >= len(scores):
        return np.argsort(-scores, kind="stable")[:limit]
    kth = np.partition(-scores, limit - 1)[limit - 1]
    candidates = np.flatnonzero(-scores <= kth)
    return candidates[np.argsort(-scores[candidates], kind="stable")][:limit]


@dataclasses.dataclass(frozen=True)
class _Keys:
    """The end names of a network's ruas names, grouped by how many ends they have; each end
    as its position in ``vocabulary`` (real networks share place names between ruas)."""

    size: int
    vocabulary: list[str]  # every distinct end name
    #: count -> (positions, one column of vocabulary codes per end, per name its ends sorted
    #: and joined: how a name of another count is compared)
    by_count: dict[int, tuple[np.ndarray, list[np.ndarray], list[str]]]


@functools.lru_cache(maxsize=8)
def _keys(names: tuple[str, ...], kind: str) -> _Keys:
    """Cached per list of names: a network's names are ranked against every row of a list."""
    ends = [[_squeeze(e) for e in _ends(n, kind)] for n in names]
    vocabulary: dict[str, int] = {}
    codes = [[vocabulary.setdefault(e, len(vocabulary)) for e in key] for key in ends]
    groups: dict[int, list[int]] = {}
    for position, key in enumerate(ends):
        groups.setdefault(len(key), []).append(position)
    by_count = {
        count: (
            np.array(positions, dtype=np.int64),
            [np.array([codes[p][i] for p in positions], dtype=np.int64) for i in range(count)],
            [" ".join(sorted(ends[p])) for p in positions],
        )
        for count, positions in groups.items()
        if count
    }
    return _Keys(len(names), list(vocabulary), by_count)


def _scores(wanted: list[str], keys: _Keys) -> np.ndarray:
    """`_score` of ``wanted`` against every name, by rapidfuzz: each wanted end against every
    distinct end name once, then gathered per column."""
    scores = np.zeros(keys.size)
    if not wanted:
        return scores
    n = len(wanted)
    similar = process.cdist(wanted, keys.vocabulary, scorer=fuzz.ratio, dtype=np.float64) / 100.0
    for count, (positions, columns, whole) in keys.by_count.items():
        if count == n:
            forward = sum(similar[i][columns[i]] for i in range(n)) / n
            backward = sum(similar[i][columns[n - 1 - i]] for i in range(n)) / n
            scores[positions] = np.maximum(forward, backward)
        else:
            joined = " ".join(sorted(wanted))
            scores[positions] = 0.9 * (
                process.cdist([joined], whole, scorer=fuzz.ratio, dtype=np.float64)[0] / 100.0
            )
    return scores


def _squeeze(end: str) -> str:
    return end.replace(" ", "")


def best_ruas(
    query: str,
    names: Sequence[str],
    *,
    min_score: float = NAME_MIN_SCORE,
    min_lead: float = NAME_MIN_LEAD,
    limit: int = 3,
    kind: str = "ruas",
) -> tuple[int, pd.DataFrame]:
    """The ruas (or D.I.) ``query`` names when one candidate is clearly ahead, and the
    candidates.

    The rule: the best candidate of `rank_ruas` is taken when its score is at least
    ``min_score`` and at least ``min_lead`` above the second (a lone candidate needs only the
    score); otherwise none is.

    Parameters
    ----------
    query
        A ruas name as a proposal writes it.
    names
        The network's ruas names ("" for a ruas without one: never a candidate).
    min_score, min_lead
        The rule's thresholds (0-1).
    limit
        Candidates returned.
    kind
        ``"ruas"`` or ``"di"`` (:data:`NAME_KINDS`): how the names are read.

    Returns
    -------
    (int, pandas.DataFrame)
        The position in ``names`` of the ruas taken (-1: none) and the candidates as
        `rank_ruas` returns them (those with a score above 0).

    Examples
    --------
    >>> names = ["Salem - Bts. Kab. Cilacap", "Bumiayu - Salem", "Sirampog - Bumiayu"]
    >>> best_ruas("Bts. Kab. Tjilatjap s.d. Salem", names)[0]
    0
    >>> best_ruas("Salem", names)[0]
    -1
    """
    order, scores = _ranked(query, names, max(limit, 2), kind)
    order, scores = order[scores > 0], scores[scores > 0]
    first = float(scores[0]) if len(scores) else 0.0
    second = float(scores[1]) if len(scores) > 1 else 0.0
    taken = (
        int(order[0]) if len(order) and first >= min_score and first - second >= min_lead else -1
    )
    return taken, _as_frame(order[:limit], scores[:limit], names)
