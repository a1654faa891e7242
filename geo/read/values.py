"""Parse attribute values as Indonesian files write them: numbers, years, levels, asset types,
work types.

Every parser returns a value or raises ``ValueError`` with a reason fit for the import report;
nothing is guessed silently.
"""

from __future__ import annotations

import math
import re

from geo.schema import is_blank

__all__ = [
    "ASSET_ALIASES",
    "asset_keywords",
    "infer_level",
    "LEVEL_ALIASES",
    "parse_amount",
    "parse_asset_type",
    "parse_coordinate",
    "parse_count",
    "parse_level",
    "parse_year",
    "parse_years",
    "work_class",
    "WORK_CLASSES",
    "year_of_date",
]

# Suffixes of amounts in rupiah. In Indonesian "M" is miliar (10**9), not million.
_MULTIPLIERS = {
    "rb": 1e3,
    "ribu": 1e3,
    "jt": 1e6,
    "juta": 1e6,
    "m": 1e9,
    "miliar": 1e9,
    "milyar": 1e9,
    "myr": 1e9,
    "t": 1e12,
    "triliun": 1e12,
}
_AMOUNT = re.compile(
    r"^(?P<sign>-?)\s*(?:rp\.?|idr)?\s*(?P<num>[0-9][0-9.,]*)\s*(?P<suffix>[a-z]*)\.?$"
)
_ID_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 1.250.000,00
_EN_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,250,000.00
_DECIMAL_COMMA = re.compile(r"^\d+(,\d+)?$")
_DECIMAL_POINT = re.compile(r"^\d+(\.\d+)?$")


def parse_amount(value: object) -> float:
    """Parse a money amount in rupiah written the Indonesian (or plain) way.

    Accepts numbers, ``"1.250.000,00"``, ``"Rp 1,25 M"`` (miliar), ``"750 jt"``,
    ``"1,250,000.00"`` and plain ``"18750000000.0"``. A single group such as ``"1.250"`` is
    ambiguous (1250 or 1.25) and rejected.

    Returns
    -------
    float
        The amount in rupiah.

    Raises
    ------
    ValueError
        The text is not an amount, or is ambiguous.

    Examples
    --------
    >>> parse_amount("12.500.000.000,00")
    12500000000.0
    >>> parse_amount("Rp 1,25 M")
    1250000000.0
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not an amount")
        return float(value)
    text = str(value).strip().lower().replace("\u00a0", " ").replace("\u2009", " ")
    match = _AMOUNT.match(text)
    if not match:
        raise ValueError(f"{value!r} is not an amount in rupiah (write e.g. 1.250.000,00)")
    num, suffix = match["num"], match["suffix"]
    if suffix and suffix not in _MULTIPLIERS:
        raise ValueError(f"{value!r}: unknown unit {suffix!r} (use rb, jt, M or T)")
    number = _parse_grouped(num, value)
    sign = -1.0 if match["sign"] else 1.0
    return sign * number * _MULTIPLIERS.get(suffix, 1.0)


def _parse_grouped(num: str, original: object) -> float:
    if _ID_GROUPED.match(num) and (num.count(".") > 1 or "," in num):
        return float(num.replace(".", "").replace(",", "."))
    if _EN_GROUPED.match(num) and (num.count(",") > 1 or "." in num):
        return float(num.replace(",", ""))
    if _ID_GROUPED.match(num) or _EN_GROUPED.match(num):
        raise ValueError(
            f"{original!r} is ambiguous (thousands or decimals?); write it in full, "
            "e.g. 1.250.000,00"
        )
    if _DECIMAL_COMMA.match(num):
        return float(num.replace(",", "."))
    if _DECIMAL_POINT.match(num):
        return float(num)
    raise ValueError(f"{original!r} is not an amount in rupiah (write e.g. 1.250.000,00)")


def parse_count(value: object) -> float:
    """Parse a count of people or things: a whole number, dots grouping thousands.

    Unlike an amount, ``"45.112"`` is not ambiguous here: nobody counts 45.112 people.

    >>> parse_count("45.112"), parse_count(2310), parse_count("1.250.000")
    (45112.0, 2310.0, 1250000.0)
    """
    if isinstance(value, str) and re.fullmatch(r"\d{1,3}(\.\d{3})+", value.strip()):
        return float(value.strip().replace(".", ""))
    number = parse_amount(value)
    if not float(number).is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return number


def parse_coordinate(value: object) -> float:
    """Parse one coordinate in degrees or metres; a comma or a point is the decimal mark.

    >>> parse_coordinate("-1,644926")
    -1.644926
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a coordinate")
        return float(value)
    text = str(value).strip().replace("\u2212", "-")
    if re.fullmatch(r"[-+]?\d+([.,]\d+)?", text):
        return float(text.replace(",", "."))
    raise ValueError(f"{value!r} is not a coordinate (write e.g. -1.644926 or -1,644926)")


_YEAR = r"(19[5-9]\d|20\d\d|2100)"
# A multi-year contract (kontrak tahun jamak) names itself before its years: "MYC 2021-2023".
_MULTI_YEAR = re.compile(
    r"^\s*(?:myc|multi\s*years?|(?:kontrak\s+)?tahun\s+jamak)\s*[:(]?\s*", re.I
)


def parse_years(value: object) -> tuple[int, int]:
    """Parse a budget year or a year range: ``2025``, ``"TA 2025"``, ``"2024-2026"``.

    Returns
    -------
    (year_start, year_end)

    >>> parse_years("2024 - 2026")
    (2024, 2026)
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value) and float(value).is_integer():
            year = int(value)
            if 1950 <= year <= 2100:
                return year, year
        raise ValueError(f"{value!r} is not a year between 1950 and 2100")
    text = _MULTI_YEAR.sub("", str(value).strip())
    match = re.fullmatch(rf"(?:t\.?a\.?|tahun(?: anggaran)?)?\s*{_YEAR}(?:\.0+)?", text, re.I)
    if match:
        year = int(match[1])
        return year, year
    match = re.fullmatch(
        rf"(?:t\.?a\.?|tahun(?: anggaran)?)?\s*{_YEAR}\s*(?:-|–|s/?d|sd|/|to)\s*{_YEAR}", text, re.I
    )
    if match:
        start, end = int(match[1]), int(match[2])
        if start > end:
            raise ValueError(f"{value!r}: the first year is after the second")
        return start, end
    raise ValueError(f"{value!r} is not a year (write e.g. 2025 or 2024-2026)")


_MONTHS = {
    **dict.fromkeys(["januari", "jan"], 1),
    **dict.fromkeys(["februari", "pebruari", "feb", "peb"], 2),
    **dict.fromkeys(["maret", "mar"], 3),
    **dict.fromkeys(["april", "apr"], 4),
    **dict.fromkeys(["mei", "may"], 5),
    **dict.fromkeys(["juni", "jun"], 6),
    **dict.fromkeys(["juli", "jul"], 7),
    **dict.fromkeys(["agustus", "agu", "agt", "ags", "aug", "august"], 8),
    **dict.fromkeys(["september", "sep", "sept"], 9),
    **dict.fromkeys(["oktober", "okt", "oct", "october"], 10),
    **dict.fromkeys(["november", "nov", "nop"], 11),
    **dict.fromkeys(["desember", "des", "dec", "december"], 12),
    **dict.fromkeys(["january"], 1),
    **dict.fromkeys(["february"], 2),
    **dict.fromkeys(["march"], 3),
    **dict.fromkeys(["june"], 6),
    **dict.fromkeys(["july"], 7),
}
_DAY_MONTH_NAME_YEAR = re.compile(rf"(\d{{1,2}})[\s\-./]+([a-z]+)\.?[\s\-./]+{_YEAR}")
_ISO_DATE = re.compile(rf"{_YEAR}-(\d{{1,2}})-(\d{{1,2}})(?:[ t]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?")
_NUMERIC_DATE = re.compile(rf"(\d{{1,2}})[/\-.](\d{{1,2}})[/\-.]{_YEAR}")
#: Excel stores a date as days since 1899-12-30: these serials are 1954-11-04 .. 2119-01-09.
_EXCEL_SERIALS = (20_000, 80_000)


def year_of_date(value: object) -> int:
    """The year of a date as Indonesian lists write it, for files with a date but no year.

    Accepts ``"03 Jun 2022"``, ``"25 Mei 2021"``, ``"3 Agustus 2023"``, ``"2022-06-03"``,
    ``"03/06/2022"`` (day and month in either order: only the year is taken), Excel serial
    numbers (``44715``) and date objects.

    >>> [year_of_date(v) for v in ("03 Jun 2022", "25 Mei 2021", "2022-06-03", 44715)]
    [2022, 2021, 2022, 2022]

    Raises
    ------
    ValueError
        The value is not a date.
    """
    import datetime as dt

    if isinstance(value, dt.date):  # datetime and pandas Timestamp too
        return value.year
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = _EXCEL_SERIALS
        if math.isfinite(value) and low <= value < high:
            return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).year
        raise ValueError(f"{value!r} is not a date (write e.g. 03 Jun 2022 or 2022-06-03)")
    text = str(value).strip().lower()
    if re.fullmatch(r"\d+(\.0+)?", text):
        return year_of_date(float(text))
    match = _DAY_MONTH_NAME_YEAR.fullmatch(text)
    if match and match[2] in _MONTHS and 1 <= int(match[1]) <= 31:
        return int(match[3])
    match = _ISO_DATE.fullmatch(text)
    if match and 1 <= int(match[2]) <= 12 and 1 <= int(match[3]) <= 31:
        return int(match[1])
    match = _NUMERIC_DATE.fullmatch(text)
    if (
        match
        and {int(match[1]), int(match[2])} <= set(range(1, 32))
        and min(int(match[1]), int(match[2])) <= 12
    ):
        return int(match[3])
    raise ValueError(f"{value!r} is not a date (write e.g. 03 Jun 2022 or 2022-06-03)")


def parse_year(value: object) -> int:
    """Parse a single year; see :func:`parse_years`."""
    start, end = parse_years(value)
    if start != end:
        raise ValueError(f"{value!r} is a range where one year is expected")
    return start


def _norm(value: object) -> str:
    return re.sub(r"\s+", " ", str(value).strip().lower())


LEVEL_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        [
            "pusat",
            "nasional",
            "apbn",
            "balai",
            "kementerian",
            "kementerian pupr",
            "bbpjn",
            "bpjn",
            "bbws",
            "bws",
            "central",
            "national",
            "pemerintah pusat",
        ],
        "pusat",
    ),
    **dict.fromkeys(
        [
            "provinsi",
            "prov",
            "prov.",
            "propinsi",
            "apbd provinsi",
            "apbd prov",
            "apbd i",
            "province",
            "provincial",
            "pemerintah provinsi",
            "pemprov",
        ],
        "provinsi",
    ),
    **dict.fromkeys(
        [
            "kabupaten",
            "kota",
            "kab",
            "kab.",
            "kabupaten/kota",
            "kab/kota",
            "kab./kota",
            "apbd kabupaten",
            "apbd kab",
            "apbd kota",
            "apbd kabupaten/kota",
            "apbd ii",
            "district",
            "city",
            "regency",
            "pemerintah kabupaten",
            "pemkab",
            "pemkot",
        ],
        "kabupaten",
    ),
    **dict.fromkeys(["desa", "dana desa", "village", "pemerintah desa"], "desa"),
}

ASSET_ALIASES: dict[str, str] = {
    **dict.fromkeys(["road", "jalan", "ruas", "ruas jalan", "jln", "jl", "jl."], "road"),
    **dict.fromkeys(["bridge", "jembatan", "jbt", "jemb", "jemb."], "bridge"),
    **dict.fromkeys(
        ["irrigation", "irigasi", "di", "d.i.", "d.i", "daerah irigasi", "jaringan irigasi"],
        "irrigation",
    ),
}


def parse_level(value: object) -> str:
    """Map a level of government (``"Kab."``, ``"APBN"``, ``"Provinsi"`` ...) to the vocabulary.

    >>> parse_level("Kab/Kota")
    'kabupaten'
    """
    key = _norm(value)
    if key in LEVEL_ALIASES:
        return LEVEL_ALIASES[key]
    raise ValueError(f"{value!r} is not a level; use pusat, provinsi, kabupaten or desa")


def parse_asset_type(value: object) -> str:
    """Map an asset type (``"jalan"``, ``"Jembatan"``, ``"D.I."`` ...) to road/bridge/irrigation."""
    key = _norm(value)
    if key in ASSET_ALIASES:
        return ASSET_ALIASES[key]
    raise ValueError(f"{value!r} is not an asset type; use jalan, jembatan or irigasi")


_ASSET_KEYWORDS = (
    ("bridge", re.compile(r"\bjembatan\b|\bjbt\b|\bbridge\b", re.I)),
    (
        "irrigation",
        re.compile(r"irigasi|\bd\.\s?i\.|\bdaerah irigasi\b|\bsaluran\b|\bbendung", re.I),
    ),
    ("road", re.compile(r"\bjalan\b|\bjln?\.?\s|\bruas\b|\broad\b", re.I)),
)


def asset_keywords(*texts: object) -> list[str]:
    """Asset types whose keyword appears in the texts (bridge, irrigation, road order)."""
    joined = " ".join(str(t) for t in texts if not is_blank(t))
    return [asset for asset, pattern in _ASSET_KEYWORDS if pattern.search(joined)]


# Words in an agency's name or a funding source that say which level of government does the
# work. Central bodies first: "Satker PJN Wilayah I Prov. Jambi" is central, "Prov." names
# the region. DAK and Tugas Pembantuan are central money spent by regions: they say nothing.
_LEVEL_CLUES = (
    (
        "pusat",
        re.compile(
            r"\b(bb?pjn|pjn|bb?ws|balai|satker|kementerian|ditjen|apbn|"
            r"sbsn|phln)\b",
            re.I,
        ),
    ),
    ("desa", re.compile(r"\b(dana desa|pemerintah desa|pemdes|apbdes)\b", re.I)),
    ("provinsi", re.compile(r"\b(provinsi|prov|propinsi|pemprov)\b", re.I)),
    ("kabupaten", re.compile(r"\b(kabupaten|kab|kota|pemkab|pemkot)\b", re.I)),
)


def infer_level(agency: object, funding_source: object) -> str:
    """The level of government named by an agency or a funding source, when they agree.

    >>> infer_level("Dinas PUPR Kab. Muaro Jambi", "DAK")
    'kabupaten'
    >>> infer_level("Satker PJN Wilayah I Prov. Jambi", None)
    'pusat'

    Raises
    ------
    ValueError
        Neither names a level, or they name different ones.
    """
    found = {}
    for label, text in (("agency", agency), ("funding source", funding_source)):
        if is_blank(text):
            continue
        level = next((lvl for lvl, pattern in _LEVEL_CLUES if pattern.search(str(text))), None)
        if level:
            found[label] = level
    if len(set(found.values())) == 1:
        return next(iter(found.values()))
    if found:
        said = ", ".join(f"{label} says {level}" for label, level in found.items())
        raise ValueError(f"level unclear ({said}); pass --level or map a level column")
    raise ValueError("no level: the agency and funding source do not name one; pass --level")


#: Work types with a design life (:meth:`geo.settings.Settings.design_life_years`): the heavier
#: works whose stretch should not need funding again for some years. Routine maintenance
#: (pemeliharaan rutin), preservasi as a programme name and new construction have none.
WORK_CLASSES = ("pemeliharaan_berkala", "rehabilitasi", "peningkatan", "rekonstruksi")

# The usual spellings in Indonesian package names and work-type columns (and English ones).
# Periodic maintenance: "Pemeliharaan Berkala", "Pem. Berkala", "Pemel. Berkala", "Pemeliharan
# Periodik"; widening (pelebaran) is peningkatan kapasitas.
_WORK_CLASS_WORDS = (
    (
        "pemeliharaan_berkala",
        re.compile(
            r"\b(pem(?:elihara+n|el|\.)?\.?\s*(berkala|periodik)|periodic\s+maintenance)\b", re.I
        ),
    ),
    ("rekonstruksi", re.compile(r"\b(rekonstruksi|rekon|reconstruction)\b", re.I)),
    ("rehabilitasi", re.compile(r"\b(rehabilitasi|rehab|rehabilitation)\b", re.I)),
    (
        "peningkatan",
        re.compile(r"\b(peningkatan|pelebaran|improvement|upgrading|widening)\b", re.I),
    ),
)


def work_class(work_type: object) -> str | None:
    """The class of a work type that has a design life (:data:`WORK_CLASSES`), or None.

    The class named first in the text wins ("Rehabilitasi dan Peningkatan" is rehabilitasi);
    routine maintenance, preservasi alone, new construction and a blank give None.

    >>> [work_class(w) for w in ("Pemeliharaan Berkala Jalan", "Pem. Berkala", "REHAB MAYOR",
    ...     "Peningkatan Struktur Jalan", "Pelebaran Jalan", "Rekonstruksi", "Pemeliharaan Rutin",
    ...     "Preservasi Jalan", None)]
    ['pemeliharaan_berkala', 'pemeliharaan_berkala', 'rehabilitasi', 'peningkatan', \
'peningkatan', 'rekonstruksi', None, None, None]
    """
    if is_blank(work_type):
        return None
    text = str(work_type)
    found = [(m.start(), name) for name, p in _WORK_CLASS_WORDS if (m := p.search(text))]
    return min(found)[1] if found else None
