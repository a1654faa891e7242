"""Numbers and years written the way an Indonesian planner reads them."""

from __future__ import annotations

import math
import textwrap
from decimal import Decimal

import pandas as pd
from babel.numbers import format_decimal

from layers.words import BABEL_LOCALES, check_language

#: Shown for a value that is missing (None, NaN, pandas NA) or blank.
MISSING: str = "–"

_BABEL_LOCALES = BABEL_LOCALES


def is_missing(value: object) -> bool:
    """True for None, NaN, pandas NA/NaT and blank strings."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN, pd.NA and NaT are the values unequal to themselves
    except TypeError:  # pd.NA refuses bool()
        return True


def format_rupiah(amount_idr: object, lang: str = "id") -> str:
    """An amount in rupiah, whole rupiah, grouped for ``lang``.

    >>> format_rupiah(18_750_000_000)
    'Rp 18.750.000.000'
    >>> format_rupiah(18_750_000_000, lang="en")
    'Rp 18,750,000,000'
    >>> format_rupiah(None)
    '–'
    """
    if is_missing(amount_idr):
        return MISSING
    amount = float(amount_idr)  # type: ignore[arg-type]
    if not math.isfinite(amount):
        return MISSING
    return f"Rp {grouped(round(amount), 0, lang)}"


def format_decimal_id(value: object, decimals: int = 1, lang: str = "id") -> str:
    """A number with ``decimals`` decimals, grouped the way ``lang`` writes it.

    >>> format_decimal_id(12.5)
    '12,5'
    >>> format_decimal_id(1234.5, 0, lang="en")
    '1,234'
    """
    if is_missing(value):
        return MISSING
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(
        round(number, decimals),
        format=pattern,
        locale=_BABEL_LOCALES[check_language(lang)],
        decimal_quantization=True,
    )


def format_km(length_m: object, lang: str = "id") -> str:
    """A length given in metres, written in kilometres: ``format_km(12_500) == "12,5 km"``."""
    if is_missing(length_m):
        return MISSING
    return f"{format_decimal_id(float(length_m) / 1000, 1, lang)} km"  # type: ignore[arg-type]


def format_years(year_start: object, year_end: object) -> str:
    """A budget-year span: ``"2024"`` for one year, ``"2024–2026"`` for several.

    >>> format_years(2024, 2024.0)
    '2024'
    >>> format_years(2024, 2026)
    '2024–2026'
    """
    years = [int(year) for year in (year_start, year_end) if not is_missing(year)]  # type: ignore[call-overload]
    if not years:
        return MISSING
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"


def format_number(value: object, digits: int = 0, lang: str = "id") -> str:
    """A number with ``digits`` decimals, grouped for ``lang``.

    >>> format_number(1234.5, 1)
    '1.234,5'
    >>> format_number(1234.5, 1, lang="en")
    '1,234.5'
    >>> format_number(float("nan"))
    '–'
    """
    if is_missing(value):
        return MISSING
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return MISSING
    return grouped(number, digits, lang)


#: Indonesian marks: the decimal comma and the thousands dot, swapped from Python's.
_INDONESIAN_MARKS = str.maketrans(",.", ".,")


def grouped(number: float, digits: int, lang: str = "id") -> str:
    """``number`` with ``digits`` decimals and thousands grouped for ``lang``: what Babel writes
    for ``id_ID`` and ``en_US`` with the pattern ``#,##0.00``, a hundred times faster (a
    findings table formats thousands of cells on every rerun).

    >>> grouped(1234567.891, 2), grouped(1234567.891, 0, "en")
    ('1.234.567,89', '1,234,568')
    """
    # Babel rounds the shortest decimal that reads back as the float, half to even: so do we.
    text = f"{Decimal(repr(float(number))):,.{digits}f}"
    return text.translate(_INDONESIAN_MARKS) if check_language(lang) == "id" else text


def format_percent(share: object, lang: str = "id", decimals: int = 1) -> str:
    """A share (0-1) as a percentage written for ``lang``.

    >>> format_percent(0.374), format_percent(0.374, "en"), format_percent(None)
    ('37,4 %', '37.4 %', '–')
    """
    if is_missing(share):
        return MISSING
    try:
        number = float(share)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return MISSING
    if not math.isfinite(number):
        return MISSING
    return f"{format_number(100 * number, decimals, lang)} %"


#: The time zones of Indonesia, by the name a person reads after a time.
TIME_ZONE_NAMES: dict[str, str] = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
#: The zone of each short name, so a setting may say ``WITA`` as well as ``Asia/Makassar``.
TIME_ZONES: dict[str, str] = {
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
}
_TIME_PATTERNS = {"id": "d MMM y HH.mm", "en": "d MMM y, HH:mm"}


def format_time(stamp: object, lang: str = "id", *, zone: str = "Asia/Jakarta") -> str:
    """A moment (ISO 8601 text, UTC unless it says otherwise, or a datetime) in Indonesian
    time: ``zone`` is an IANA zone or ``WIB`` / ``WITA`` / ``WIT`` (the setting
    :attr:`geo.settings.Settings.time_zone`).

    >>> format_time("2026-11-22T07:05:00+00:00")
    '22 Nov 2026 14.05 WIB'
    >>> format_time("2026-11-22T07:05:00+00:00", "en", zone="WITA")
    '22 Nov 2026, 15:05 WITA'
    >>> format_time(None)
    '–'
    """
    import datetime as dt
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime

    if is_missing(stamp):
        return MISSING
    if isinstance(stamp, dt.datetime):
        moment = stamp
    else:
        try:
            moment = dt.datetime.fromisoformat(str(stamp).strip().replace("Z", "+00:00"))
        except ValueError:
            return str(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    zone = TIME_ZONES.get(zone.upper(), zone) if zone else "Asia/Jakarta"
    local = moment.astimezone(ZoneInfo(zone))
    lang = check_language(lang)
    written = format_datetime(local, _TIME_PATTERNS[lang], locale=_BABEL_LOCALES[lang])
    return f"{written} {TIME_ZONE_NAMES.get(zone, zone)}"


def wrapped_lines(cells: pd.Series, line_chars: int, *, longest: int = 200) -> int:
    r"""How many lines the longest of ``cells`` takes wrapped at word breaks in lines of
    ``line_chars`` characters, a line break in a cell starting a new line (1 for an empty
    series); of long columns, only the ``longest`` cells by length are wrapped.

    >>> wrapped_lines(pd.Series(["Rehabilitasi Jembatan Batang Jernih (Provinsi)", "Jalan"]), 20)
    3
    >>> wrapped_lines(pd.Series(["2024: pemeliharaan\n2025: rehabilitasi"]), 28)
    2
    """
    texts = cells.astype(str)
    if len(texts) > longest:
        texts = texts[texts.str.len().nlargest(longest).index]
    return max((_lines(text, line_chars) for text in texts), default=1)


def _lines(text: str, line_chars: int) -> int:
    """Lines of ``text`` wrapped at ``line_chars``, each of its own lines starting a new one."""
    return sum(max(1, len(textwrap.wrap(line, line_chars))) for line in text.splitlines() or [""])
