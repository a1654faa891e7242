"""Findings and coverage as tables for people: translated labels and values, numbers written
by the app's language.

Each function returns a display table whose index is the source rows' index, so a row selected
in the app maps back to its finding. Every cell is text written for the reader (``12,50 km``,
``37,0 %``, ``Rp 1.250.000.000``; ``–`` for a missing value): the browser's locale never
decides how a number reads. Findings tables put what matters first: the number the slide and
the meeting pack give the finding, the two projects, the shared part, the shares, the budget at
stake and the levels involved; codes and review state follow.
"""

from __future__ import annotations

import json
from typing import Final

import pandas as pd

from geo.analyse.overlap_network import ON_NETWORK_SHARE
from geo.read.reference import unit_level
from geo.spatial.network import sta_text
from layers.formatting import (
    MISSING,
    format_number,
    format_percent,
    format_rupiah,
    format_time,
    format_years,
    is_missing,
)
from layers.palette import check_language, level_label
from layers.words import (
    COLUMN_VOCABULARIES,
    TABLE_HEADERS,
    column_label,
    translate_message,
    value_label,
    with_units,
)

#: Columns that hold long names: they wrap in the app's tables.
WRAPPED_HEADERS: Final[tuple[str, ...]] = ("project_a", "project_b", "project", "rule")


def header(key: str, lang: str = "id", *, level: str | None = None) -> str:
    """A column header of these tables in ``lang``; units named for ``level`` (kabupaten/kota,
    kecamatan, ...: :func:`geo.read.reference.unit_level`)."""
    return with_units(TABLE_HEADERS[check_language(lang)][key], level, lang)


def _level(value: object, lang: str) -> str:
    try:
        return level_label(str(value), lang)
    except KeyError:
        return MISSING if is_missing(value) else str(value)


def _review_status(finding_ids: pd.Series, reviews: pd.DataFrame | None, lang: str) -> pd.Series:
    def word(decision: object) -> str:
        return value_label("review", decision if isinstance(decision, str) else "open", lang)

    if reviews is None or reviews.empty:
        return pd.Series(word("open"), index=finding_ids.index, dtype=object)
    latest = reviews.drop_duplicates("finding_id", keep="last").set_index("finding_id")
    decisions = latest["decision"].reindex(finding_ids.astype(str)).fillna("open")
    return pd.Series([word(d) for d in decisions], index=finding_ids.index, dtype=object)


def _numbers(finding_ids: pd.Series, numbers: pd.Series | None, prefix: str = "") -> pd.Series:
    """The finding number of each row (``numbers``: finding id -> number), a dash if none."""
    if numbers is None:
        return pd.Series(MISSING, index=finding_ids.index, dtype=object)
    found = finding_ids.astype(str).map(numbers)
    return found.map(lambda n: MISSING if is_missing(n) else f"{prefix}{int(n)}").astype(object)


def shared_part(findings: pd.DataFrame, *, lang: str = "id") -> pd.Series:
    """The evidence of each overlap: ``"3,00 km"`` of road, ``"12,5 ha"`` of irrigation area,
    ``"8 m terpisah"`` between bridges; ``"–"`` when none is known."""
    apart = {"id": "terpisah", "en": "apart"}[check_language(lang)]

    def one(overlap_m: object, overlap_ha: object, distance_m: object) -> str:
        if not is_missing(overlap_m):
            return f"{format_number(float(overlap_m) / 1000, 2, lang)} km"  # type: ignore[arg-type]
        if not is_missing(overlap_ha):
            return f"{format_number(overlap_ha, 1, lang)} ha"
        if not is_missing(distance_m):
            return f"{format_number(distance_m, 0, lang)} m {apart}"
        return MISSING

    columns = [
        findings[c] if c in findings else pd.Series(None, index=findings.index, dtype=object)
        for c in ("overlap_m", "overlap_ha", "distance_m")
    ]
    return pd.Series(list(map(one, *columns)), index=findings.index, dtype=object)


def ruas_sta(findings: pd.DataFrame, *, lang: str = "id") -> pd.Series:
    """Where each overlap lies on the road network, as road agencies write it: ``"N-008, STA
    10+343 – 13+343"`` for a finding measured on the network (``method`` ``network``),
    ``"–"`` otherwise (found by geometry, or no network).

    >>> ruas_sta(pd.DataFrame({"method": ["network", "geometry"], "ruas_id": ["N-008", ""],
    ...     "sta_from_m": [10343.4, None], "sta_to_m": [13343.4, None]})).tolist()
    ['N-008, STA 10+343 – 13+343', '–']
    """
    check_language(lang)
    if "ruas_id" not in findings:
        return pd.Series(MISSING, index=findings.index, dtype=object)

    def one(method: object, ruas: object, low: object, high: object) -> str:
        if method != "network" or is_missing(low) or is_missing(high):
            return MISSING
        return f"{ruas}, STA {sta_text(float(low))} – {sta_text(float(high))}"  # type: ignore[arg-type]

    columns = [findings[c] for c in ("method", "ruas_id", "sta_from_m", "sta_to_m")]
    return pd.Series(list(map(one, *columns)), index=findings.index, dtype=object)


def located_text(projects: pd.DataFrame, locations: pd.DataFrame) -> pd.Series:
    """Where each project lies on the road network, its intervals as road agencies write them
    (``"N-008 Simpang – Batas, STA 2+343 – 7+343"``, ``"; "`` between intervals), from
    :attr:`geo.analyse.run.Analysis.locations`; ``"–"`` for a project not located.

    >>> located_text(pd.DataFrame({"agency": ["A", "A"], "project_id": ["1", "2"]}),
    ...     pd.DataFrame({"agency": ["A"], "project_id": ["1"], "ruas_id": ["N-008"],
    ...     "ruas_name": ["Simpang – Batas"], "from_m": [2343.4], "to_m": [7343.4]})).tolist()
    ['N-008 Simpang – Batas, STA 2+343 – 7+343', '–']
    """
    placed = locations[locations["ruas_id"].astype(str).ne("") & locations["from_m"].notna()]
    text = [
        " ".join(str(part) for part in (ruas, name) if part and not is_missing(part))
        + f", STA {sta_text(low)} – {sta_text(high)}"
        for ruas, name, low, high in zip(
            placed["ruas_id"], placed["ruas_name"], placed["from_m"], placed["to_m"], strict=True
        )
    ]
    keys = placed["agency"].astype(str) + "\x1f" + placed["project_id"].astype(str)
    joined = pd.Series(text, index=keys.to_numpy(), dtype=object).groupby(level=0).agg("; ".join)
    wanted = projects["agency"].astype(str) + "\x1f" + projects["project_id"].astype(str)
    return pd.Series(
        joined.reindex(wanted.to_numpy()).fillna(MISSING).to_numpy(), index=projects.index
    )


#: How the upload page sums up where new road works lie on the network.
_LOCATED_SUMMARY: Final[dict[str, str]] = {
    "id": (
        "Lokasi pada jaringan jalan: {located} dari {roads} pekerjaan jalan terletak pada ruas "
        "(≥ {share} panjangnya), rata-rata {mean} m dari ruas, terjauh {max} m."
    ),
    "en": (
        "On the road network: {located} of {roads} road works lie on a ruas (≥ {share} of "
        "their length), {mean} m from it on average, {max} m at most."
    ),
}
#: Added when the works of some agency file were drawn on another basemap (``shift_m``).
_SHIFTED_SUMMARY: Final[dict[str, str]] = {
    "id": (
        " {shifted} di antaranya digambar di atas peta dasar lain: berkas instansinya bergeser "
        "{shift} m dari jaringan, dan geseran itu dihapus sebelum lokasinya dicari (jarak di "
        "atas diukur sesudahnya)."
    ),
    "en": (
        " {shifted} of them were drawn on another basemap: their agency's file lies {shift} m "
        "off the network, a shift removed before they were located (the distances above are "
        "measured after it)."
    ),
}


def located_summary(locations: pd.DataFrame, *, lang: str = "id") -> str:
    """How many road works :attr:`geo.analyse.run.Analysis.locations` places on the network
    (at least :data:`geo.analyse.overlap_network.ON_NETWORK_SHARE` of their length: their
    overlaps are measured there) and how far off they were drawn; ``""`` without road works.

    >>> located_summary(pd.DataFrame({"agency": ["A", "A", "A"], "project_id": ["1", "1", "2"],
    ...     "matched_share": [1.0, 1.0, 0.2], "offset_mean_m": [2.4, 2.4, 30.0],
    ...     "offset_max_m": [4.0, 4.0, 38.2]}), lang="en")
    'On the road network: 1 of 2 road works lie on a ruas (≥ 90% of their length), 2 m from it on average, 4 m at most.'

    Works whose agency file was shifted (``shift_m`` above 0) are counted too:

    >>> located_summary(pd.DataFrame({"agency": ["A"] * 2, "project_id": ["1", "2"],
    ...     "matched_share": [1.0, 1.0], "offset_mean_m": [2.0, 2.0], "offset_max_m": [4.0, 4.0],
    ...     "shift_m": [26.9, 26.9]}), lang="en")  # doctest: +NORMALIZE_WHITESPACE
    "On the road network: 2 of 2 road works lie on a ruas (≥ 90% of their length), 2 m from it
    on average, 4 m at most. 2 of them were drawn on another basemap: their agency's file lies
    27 m off the network, a shift removed before they were located (the distances above are
    measured after it)."
    """
    lang = check_language(lang)
    works = locations.groupby(["agency", "project_id"], sort=False).first()
    if works.empty:
        return ""
    placed = works[works["matched_share"] >= ON_NETWORK_SHARE]
    text = _LOCATED_SUMMARY[lang].format(
        located=format_number(len(placed), 0, lang),
        roads=format_number(len(works), 0, lang),
        share=f"{ON_NETWORK_SHARE:.0%}",
        mean=format_number(placed["offset_mean_m"].mean(), 0, lang) if len(placed) else MISSING,
        max=format_number(placed["offset_max_m"].max(), 0, lang) if len(placed) else MISSING,
    )
    # Locations saved before the shift was estimated have no shift_m.
    shifts = works["shift_m"].fillna(0.0) if "shift_m" in works else pd.Series(dtype=float)
    shifted = shifts[shifts > 0]
    if shifted.empty:
        return text
    low, high = (format_number(float(v), 0, lang) for v in (shifted.min(), shifted.max()))
    return text + _SHIFTED_SUMMARY[lang].format(
        shifted=format_number(len(shifted), 0, lang), shift=low if low == high else f"{low}-{high}"
    )


def finding_kinds(findings: pd.DataFrame, *, lang: str = "id") -> pd.Series:
    """Each finding's kind in words; a repeat with the years of both works, earlier first.

    >>> finding_kinds(pd.DataFrame({"kind": ["overlap", "repeat"], "years_a": ["2025", "2024"],
    ...     "years_b": ["2025", "2020-2021"]})).tolist()
    ['tumpang tindih', 'pendanaan berulang (2020-2021 → 2024)']
    """
    words = findings["kind"].map(lambda k: value_label("kind", k, lang))
    years = [
        " ({} → {})".format(*sorted((str(a), str(b)))) if kind == "repeat" else ""
        for kind, a, b in zip(
            findings["kind"], findings["years_a"], findings["years_b"], strict=True
        )
    ]
    return words + pd.Series(years, index=findings.index, dtype=object)


def overlap_table(
    overlaps: pd.DataFrame,
    reviews: pd.DataFrame | None = None,
    *,
    lang: str = "id",
    numbers: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per overlap finding, what matters first: No., the two projects, the shared
    part, the shares, the budget at stake, the levels (and, found on a road network, the ruas
    and STA: :func:`ruas_sta`); then severity, relation, asset (how it was found), review and
    the finding's code.

    Parameters
    ----------
    numbers
        Finding id -> the number the maps and the meeting pack give it
        (:func:`layers.map_labels.finding_numbers` of *all* the findings, not only the rows
        shown); without it the No. column shows a dash.

    >>> row = {"finding_id": "TT-1", "kind": "overlap", "asset_type": "road",
    ...     "relation": "cross_level", "severity": "high", "name_a": "A", "name_b": "B",
    ...     "level_a": "pusat", "level_b": "provinsi", "agency_a": "BPJN", "agency_b": "Dinas",
    ...     "overlap_m": 2999.3, "overlap_ha": None, "distance_m": None, "share_a": 0.37,
    ...     "share_b": 1.0, "budget_at_stake_idr": 4.2e9}
    >>> overlap_table(pd.DataFrame([row])).iloc[0].to_dict()["Bagian bersama"]
    '3,00 km'
    """
    lang = check_language(lang)
    h = TABLE_HEADERS[lang]

    def project(side: str) -> pd.Series:
        levels = overlaps[f"level_{side}"].map(lambda v: _level(v, lang))
        return (
            overlaps[f"name_{side}"].astype(str)
            + " ("
            + levels
            + "; "
            + overlaps[f"agency_{side}"].astype(str)
            + ")"
        )

    level_a = overlaps["level_a"].map(lambda v: _level(v, lang))
    level_b = overlaps["level_b"].map(lambda v: _level(v, lang))
    # Measured on a road network: where, as ruas and STA, and how each finding was found.
    located = "ruas_id" in overlaps
    where = {h["ruas_sta"]: ruas_sta(overlaps, lang=lang)} if located else {}
    how = (
        {h["method"]: overlaps["method"].map(lambda m: value_label("method", m, lang))}
        if located
        else {}
    )
    # Repeat funding (the same stretch funded again within its design life) beside overlaps.
    repeats = "kind" in overlaps and bool((overlaps["kind"] == "repeat").any())
    kind = {h["kind"]: finding_kinds(overlaps, lang=lang)} if repeats else {}
    return pd.DataFrame(
        {
            h["number"]: _numbers(overlaps["finding_id"], numbers),
            h["project_a"]: project("a"),
            h["project_b"]: project("b"),
            h["shared"]: shared_part(overlaps, lang=lang),
            h["share_a"]: overlaps["share_a"].map(lambda s: format_percent(s, lang)),
            h["share_b"]: overlaps["share_b"].map(lambda s: format_percent(s, lang)),
            h["budget_at_stake"]: overlaps["budget_at_stake_idr"].map(
                lambda idr: format_rupiah(idr, lang)
            ),
            h["level_pair"]: level_a + " – " + level_b,
            **kind,
            **where,
            h["severity"]: overlaps["severity"].map(lambda s: value_label("severity", s, lang)),
            h["relation"]: overlaps["relation"].map(lambda r: value_label("relation", r, lang)),
            h["asset"]: overlaps["asset_type"].map(lambda a: value_label("finding_asset", a, lang)),
            **how,
            h["review"]: _review_status(overlaps["finding_id"], reviews, lang),
            h["finding"]: overlaps["finding_id"].astype(str),
        },
        index=overlaps.index,
    )


def mismatch_table(
    mismatches: pd.DataFrame,
    reviews: pd.DataFrame | None = None,
    *,
    lang: str = "id",
    numbers: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per authority finding: No. (``K1`` ... as in the meeting pack), the project,
    its agency and level, the level with authority, the share on the reference, the budget,
    the verdict and the rule; then asset, review and the finding's code.

    ``numbers``: finding id -> its number (:func:`mismatch_numbers` of all the mismatches).
    """
    lang = check_language(lang)
    h = TABLE_HEADERS[lang]
    return pd.DataFrame(
        {
            h["number"]: _numbers(mismatches["finding_id"], numbers, prefix="K"),
            h["project"]: mismatches["name"].astype(str),
            h["agency"]: mismatches["agency"].astype(str),
            h["level"]: mismatches["level"].map(lambda v: _level(v, lang)),
            h["expected"]: mismatches["expected_level"].map(lambda v: _level(v, lang)),
            h["share"]: mismatches["share"].map(lambda s: format_percent(s, lang)),
            h["budget"]: mismatches["budget_idr"].map(lambda idr: format_rupiah(idr, lang)),
            h["verdict"]: mismatches["verdict"].map(lambda v: value_label("verdict", v, lang)),
            h["rule"]: mismatches["rule"].map(lambda r: MISSING if is_missing(r) else str(r)),
            h["asset"]: mismatches["asset_type"].map(
                lambda a: value_label("finding_asset", a, lang)
            ),
            h["review"]: _review_status(mismatches["finding_id"], reviews, lang),
            h["finding"]: mismatches["finding_id"].astype(str),
        },
        index=mismatches.index,
    )


def mismatch_numbers(mismatches: pd.DataFrame) -> pd.Series:
    """Finding id -> number of each authority finding: its place in the table (1, 2, ...),
    as the meeting pack numbers them (``K1``, ``K2``, ...)."""
    return pd.Series(
        range(1, len(mismatches) + 1), index=mismatches["finding_id"].astype(str).to_numpy()
    )


def coverage_table(
    coverage: pd.DataFrame, *, lang: str = "id", level: str | None = None
) -> pd.DataFrame:
    """One row per unit: name, projects, budget, network covered (when a network exists).
    The unit column is named for ``level`` (kabupaten/kota, kecamatan, ...; default what the
    units' codes say, :func:`geo.read.reference.unit_level`)."""
    lang = check_language(lang)
    h = TABLE_HEADERS[lang]
    unit = header("unit", lang, level=level or unit_level(coverage))
    table = {
        unit: coverage["unit_name"].fillna(coverage["unit_id"]).astype(str),
        h["projects"]: coverage["projects"].map(lambda n: format_number(n, 0, lang)),
        h["budget"]: coverage["budget_idr"].map(lambda idr: format_rupiah(idr, lang)),
    }
    if "network_km" in coverage:
        table |= {
            h["network_km"]: coverage["network_km"].map(lambda km: format_number(km, 2, lang)),
            h["covered_km"]: coverage["covered_km"].map(lambda km: format_number(km, 2, lang)),
            h["uncovered_km"]: coverage["uncovered_km"].map(lambda km: format_number(km, 2, lang)),
            h["covered_share"]: coverage["covered_share"].map(lambda s: format_percent(s, lang)),
        }
    table[h["per_km2"]] = coverage["projects_per_km2"].map(lambda d: format_number(d, 3, lang))
    return pd.DataFrame(table, index=coverage.index)


def ledger_items(ledger: pd.DataFrame, *, lang: str = "id") -> pd.Series:
    """What each row of the budget ledger (:func:`geo.analyse.ledger.budget_ledger`) totals,
    for people: a unit's or province's name, ``Pusat – Provinsi``, a year, a kind of finding;
    the findings outside every stored unit and the grand total by their words.

    >>> ledger = pd.DataFrame({"breakdown": ["total", "kabupaten", "level_pair", "kind"],
    ...     "key": ["", "", "pusat-provinsi", "repeat"], "label": ["", "", "", ""]})
    >>> ledger_items(ledger, lang="en").tolist()
    ['All findings', 'Outside the stored units', 'Central – Province', 'repeat funding']
    """
    lang = check_language(lang)
    h = TABLE_HEADERS[lang]

    def item(breakdown: str, key: str, label: str) -> str:
        if breakdown == "total":
            return h["ledger_all"]
        if breakdown == "level_pair":
            return " – ".join(_level(level, lang) for level in key.split("-", 1))
        if breakdown == "kind":
            return value_label("kind", key, lang)
        if not key:
            return h["ledger_outside"] if breakdown in ("kabupaten", "provinsi") else MISSING
        return label or key

    return pd.Series(
        [
            item(str(b), str(k), str(lab))
            for b, k, lab in zip(ledger["breakdown"], ledger["key"], ledger["label"], strict=True)
        ],
        index=ledger.index,
        dtype=object,
    )


#: Finding codes a row of the ledger table lists at most, then how many more: a national
#: store's total sums 90,000 findings, and all rows' codes were 8 MB sent to the browser on
#: every visit. The workbook's ledger lists them all.
LEDGER_CODES_SHOWN: Final[int] = 50


def ledger_table(
    ledger: pd.DataFrame, *, lang: str = "id", level: str | None = None
) -> pd.DataFrame:
    """The budget ledger (:func:`geo.analyse.ledger.budget_ledger`) for people: what a row
    totals by (the units named for ``level``), its item, the number of findings, shared
    kilometres (and hectares when there are shared irrigation areas), the rupiah at stake and
    the codes of the findings it sums (the first :data:`LEDGER_CODES_SHOWN`, then how many
    more), numbers written for ``lang``."""
    lang = check_language(lang)
    h = TABLE_HEADERS[lang]
    breakdown = ledger["breakdown"].map(lambda b: value_label("breakdown", b, lang))
    if level not in (None, "kabupaten"):  # units of another kind: name them as they are
        units = ledger["breakdown"] == "kabupaten"
        breakdown = breakdown.where(~units, header("unit", lang, level=level))
    table = {
        h["breakdown"]: breakdown,
        h["item"]: ledger_items(ledger, lang=lang),
        h["findings"]: ledger["findings"].map(lambda n: format_number(n, 0, lang)),
        h["shared_km"]: ledger["shared_km"].map(lambda km: format_number(km, 2, lang)),
    }
    if (ledger["shared_ha"] > 0).any():
        table[h["shared_ha"]] = ledger["shared_ha"].map(lambda ha: format_number(ha, 2, lang))
    table[h["budget_at_stake"]] = ledger["at_stake_idr"].map(lambda idr: format_rupiah(idr, lang))
    table[h["finding_ids"]] = [
        _first_codes(codes, int(n), lang)
        for codes, n in zip(ledger["finding_ids"].astype(str), ledger["findings"], strict=True)
    ]
    return pd.DataFrame(table, index=ledger.index)


def _first_codes(codes: str, count: int, lang: str) -> str:
    """The first :data:`LEDGER_CODES_SHOWN` of ``count`` ``"; "``-separated codes, then how
    many more."""
    if count <= LEDGER_CODES_SHOWN:
        return codes
    shown = "; ".join(codes.split("; ", LEDGER_CODES_SHOWN)[:LEDGER_CODES_SHOWN])
    more = TABLE_HEADERS[lang]["ledger_more"].format(
        n=format_number(count - LEDGER_CODES_SHOWN, 0, lang)
    )
    return f"{shown}; {more}"


def record_table(record: pd.Series, *, lang: str = "id") -> pd.DataFrame:
    """A project's full record as two text columns (field, value), in ``lang``: the record's
    fields by their names for people, values translated and formatted; an agency's own extra
    columns under their own names."""
    lang = check_language(lang)
    rows = []
    for field, value in record.items():
        if field in ("geometry", "year_end"):
            continue
        field = str(field)
        if field == "year_start":
            rows.append((header("years", lang), format_years(value, record.get("year_end"))))
            continue
        if field.endswith("_idr"):
            shown = format_rupiah(value, lang)
        elif field == "level":
            shown = _level(value, lang)
        elif field == "asset_type":
            shown = value_label("finding_asset", value, lang)
        elif isinstance(value, float) and not is_missing(value):
            shown = format_number(value, 0 if float(value).is_integer() else 2, lang)
        else:
            shown = MISSING if is_missing(value) else str(value)
        rows.append((column_label(field, lang), shown))
    return pd.DataFrame(rows, columns=[column_label("field", lang), column_label("value", lang)])


def translate_frame(frame: pd.DataFrame, *, lang: str = "id") -> pd.DataFrame:
    """Any table of the store for people: columns by their labels, vocabulary values as words
    (:data:`layers.words.COLUMN_VOCABULARIES`), missing values as a dash; numbers stay as they
    are (format them before, where their unit matters)."""
    lang = check_language(lang)
    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        vocabulary = COLUMN_VOCABULARIES.get(str(column))
        if vocabulary is not None:
            values = values.map(
                lambda v, vocab=vocabulary: (
                    MISSING if is_missing(v) else value_label(vocab, v, lang)
                )
            )
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            values = values.map(lambda v: MISSING if is_missing(v) else str(v))
        shown[column_label(str(column), lang)] = values
    return shown


def report_table(lines: pd.DataFrame, *, lang: str = "id") -> pd.DataFrame:
    """An import report (:meth:`geo.read.import_report.ImportReport.to_frame` or ``lines_frame``)
    for people: layer, row, package code, outcome and reason in ``lang``; the reader's reasons
    in the app's words (:func:`layers.words.translate_message`)."""
    lang = check_language(lang)
    shown = lines.assign(
        reason=lines["reason"].map(lambda r: translate_message(str(r), lang) if r else ""),
        row=lines["row"].map(lambda r: "" if is_missing(r) else str(int(r))),
    )
    return translate_frame(shown, lang=lang)


def audit_table(log: pd.DataFrame, *, lang: str = "id", zone: str = "Asia/Jakarta") -> pd.DataFrame:
    """The audit trail for people: time in ``zone`` (WIB by default), user, role, agency,
    action, upload, file and the detail in words; newest first."""
    lang = check_language(lang)
    shown = log.assign(
        at=log["at"].map(lambda t: format_time(t, lang, zone=zone)),
        detail=log["detail"].map(lambda d: audit_detail(d, lang)),
        upload_id=log["upload_id"].map(lambda u: "" if is_missing(u) else str(int(u))),
    ).drop(columns=["sha256"], errors="ignore")
    return translate_frame(shown.iloc[::-1], lang=lang)


def audit_detail(detail: object, lang: str = "id") -> str:
    """An audit entry's detail (JSON) as ``label: value`` pairs in ``lang``.

    >>> audit_detail('{"read": 3, "stored": 2, "rejected": 1}')
    'Dibaca: 3 · Disimpan: 2 · Ditolak: 1'
    """
    if is_missing(detail):
        return ""
    try:
        items = json.loads(str(detail))
    except ValueError:
        return str(detail)
    if not isinstance(items, dict):
        return str(detail)
    parts = []
    for key, value in items.items():
        if key == "decision":
            value = value_label("proposal_status" if "kind" in items else "review", value, lang)
        elif key == "kind":
            value = value_label("decision_kind", value, lang)
        elif key == "analysis":
            value = value_label("analysis", value, lang)
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        if value in ("", None):
            continue
        parts.append(f"{column_label(AUDIT_DETAIL_KEYS.get(key, key), lang)}: {value}")
    return " · ".join(parts)


#: Keys of an audit entry's detail and the column label that names them.
AUDIT_DETAIL_KEYS: Final[dict[str, str]] = {
    "read": "features_read",
    "replaced_uploads": "replaced_uploads",
    "deleted_records": "deleted_records",
    "decision": "decision",
    "kind": "decision_kind",
    "subject_id": "subject_id",
    "note": "note",
    "features": "features",
    "client": "client",
    "analysis": "analysis",
    "rows": "rows",
}


def uploads_table(
    uploads: pd.DataFrame, *, lang: str = "id", zone: str = "Asia/Jakarta"
) -> pd.DataFrame:
    """The uploads in the store for people: number, file, agency, time in ``zone``, counts."""
    shown = uploads.drop(columns=["sha256"], errors="ignore").assign(
        uploaded_at=uploads["uploaded_at"].map(lambda t: format_time(t, lang, zone=zone))
    )
    for column in ("features_read", "stored", "repaired", "rejected"):
        if column in shown:
            shown[column] = shown[column].map(lambda n: format_number(n, 0, lang))
    return translate_frame(shown, lang=lang)
