"""The words around an exported map: title, subtitle from the filters, data date and sources.

Times are written by :func:`layers.formatting.format_time`, the app's one formatter: in WIB
(Asia/Jakarta) unless the setting :attr:`geo.settings.Settings.time_zone` says WITA or WIT.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from geo.analyse.run import Analysis
from geo.demo.build import DEMO_NOTICE, DEMO_PREFIX
from geo.read.reference import unit_level
from geo.settings import DEFAULT_SETTINGS
from layers.formatting import format_time, is_missing
from layers.map_labels import MapText, map_text
from layers.palette import asset_label, check_language, level_label
from layers.words import DEMO_NOTICE_EN, EXPORT_TEXT, with_units

#: Agencies named in the source line before "and N more".
_MAX_AGENCIES: Final[int] = 3

_TEXT: Final[dict[str, dict[str, str]]] = EXPORT_TEXT
_DEMO_NOTICE_EN = DEMO_NOTICE_EN


def export_text(key: str, lang: str = "id") -> str:
    """A phrase of the export texts in ``lang``."""
    return _TEXT[check_language(lang)][key]


def data_time(analyses: Analysis) -> str | None:
    """When the data was last imported: the latest upload's time as stored (ISO 8601, UTC),
    None when the projects are not uploads."""
    uploads = analyses.uploads
    if uploads.empty or "uploaded_at" not in uploads:
        return None
    stamps = [str(t) for t in uploads["uploaded_at"] if not is_missing(t)]
    return max(stamps) if stamps else None


def region_text(analyses: Analysis, lang: str = "id") -> str:
    """The chosen units by name, "all areas (N kabupaten/kota)" (or kecamatan, ...: the units'
    kind, :func:`geo.read.reference.unit_level`), or "all projects" when there are no units."""
    if analyses.filters.units and analyses.selected_units is not None:
        return ", ".join(analyses.selected_units["unit_name"].astype(str))
    if analyses.units is None:
        return export_text("all_projects", lang)
    template = with_units(export_text("all_units", lang), unit_level(analyses.units), lang)
    return template.format(n=len(analyses.units))


def years_text(analyses: Analysis, lang: str = "id") -> str:
    """``2024–2026`` from the filter, else the span of the selected projects' years."""
    filters, projects = analyses.filters, analyses.projects
    first, last = filters.year_from, filters.year_to
    if projects.empty and (first is None or last is None):
        return export_text("all_years", lang)
    if first is None:  # an open end is the selected projects' first or last year
        first = int(projects["year_start"].min())
    if last is None:
        last = int(projects["year_end"].max())
    span = str(first) if first == last else f"{first}–{last}"
    return export_text("years", lang).format(years=span)


def subtitle(analyses: Analysis, lang: str = "id") -> str:
    """Region · years · level and asset filters · counts."""
    parts = [region_text(analyses, lang), years_text(analyses, lang)]
    if analyses.filters.levels:
        names = ", ".join(level_label(lv, lang) for lv in analyses.filters.levels)
        parts.append(export_text("levels", lang).format(levels=names))
    if analyses.filters.asset_types:
        names = ", ".join(asset_label(a, lang) for a in analyses.filters.asset_types)
        parts.append(export_text("assets", lang).format(assets=names))
    parts.append(
        export_text("counts", lang).format(
            projects=len(analyses.projects), findings=len(analyses.overlaps)
        )
    )
    return " · ".join(parts)


def is_demo(analyses: Analysis) -> bool:
    """True when the projects come from the illustrative demo data."""
    files = analyses.projects.get("source_file")
    return files is not None and bool(files.astype(str).str.startswith(DEMO_PREFIX).any())


def demo_notice(analyses: Analysis, lang: str = "id") -> str | None:
    """The "illustrative data, not official" notice for demo data, else None."""
    if not is_demo(analyses):
        return None
    return DEMO_NOTICE if check_language(lang) == "id" else _DEMO_NOTICE_EN


def footer(
    analyses: Analysis,
    lang: str = "id",
    *,
    now: dt.datetime | None = None,
    zone: str = DEFAULT_SETTINGS.time_zone,
) -> list[str]:
    """Data date and sources, then how the map was made; times in ``zone`` (an IANA zone or
    WIB / WITA / WIT; default the setting :attr:`geo.settings.Settings.time_zone`, WIB)."""
    now = now or dt.datetime.now(dt.UTC)
    lines = []
    source = []
    stamp = data_time(analyses)
    if stamp:
        written = format_time(stamp, lang, zone=zone)
        source.append(export_text("data_date", lang).format(date=written))
    if len(analyses.uploads):
        agencies = sorted({a for text in analyses.uploads["agency"] for a in str(text).split("; ")})
        named = ", ".join(agencies[:_MAX_AGENCIES])
        if len(agencies) > _MAX_AGENCIES:
            more = export_text("more_agencies", lang).format(n=len(agencies) - _MAX_AGENCIES)
            named = f"{named} {more}"
        source.append(export_text("sources", lang).format(n=len(analyses.uploads), agencies=named))
    elif len(analyses.projects):
        files = sorted(set(_source_files(analyses.projects)) - {"", "nan", "None"})
        if files:
            named = ", ".join(files[:_MAX_AGENCIES])
            source.append(export_text("files", lang).format(files=named))
    if analyses.units is not None:
        source.append(export_text("boundaries", lang))
    lines.append(" · ".join(source))
    lines.append(export_text("made", lang).format(date=format_time(now, lang, zone=zone)))
    return lines


def _source_files(projects) -> list[str]:
    """File names of records read from files (``source_file``, or the head of ``source_layer``,
    which is ``file/layer``)."""
    if "source_file" in projects:
        return list(projects["source_file"].astype(str))
    if "source_layer" in projects:
        return list(projects["source_layer"].astype(str).str.split("/").str[0])
    return []


def map_words(
    analyses: Analysis,
    *,
    title: str | None = None,
    lang: str = "id",
    zone: str = DEFAULT_SETTINGS.time_zone,
) -> MapText:
    """Title (default: the product's), subtitle from the filters and the footer lines (times
    in ``zone``, the setting :attr:`geo.settings.Settings.time_zone`)."""
    return MapText(
        title=title or map_text("title", lang),
        subtitle=subtitle(analyses, lang),
        footer=footer(analyses, lang, zone=zone),
        notice=demo_notice(analyses, lang),
    )
