"""Every export as bytes, for the CLI and the Ekspor page alike (DESIGN section 8).

Give it an :class:`geo.analyse.run.Analysis` (the current filter's projects and what was found
about them) and an export kind; get the file's bytes, its suggested name and MIME type.
Findings carry the same numbers in every export (:func:`layers.map_labels.number_findings`).

Maps and the meeting pack import matplotlib when they are made, not when this module is
imported: the tables and vector exports (and a first CLI call making one) skip its import.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Final

from geo.analyse.run import Analysis
from geo.errors import GeoInputError
from geo.export.oc4ids import project_package_json
from geo.export.report import write_findings
from geo.export.workbook import SHEETS, WorkbookWords, column_meaning, write_workbook
from geo.read.reference import unit_level
from geo.settings import DEFAULT_SETTINGS, Settings
from layers.basemap import Basemap
from layers.formatting import TIME_ZONE_NAMES, TIME_ZONES, format_number
from layers.map_labels import number_findings
from layers.map_text import demo_notice, footer, map_words
from layers.words import (
    COLUMN_MEANINGS_EN,
    COLUMN_VOCABULARIES,
    EXPORT_LABELS,
    SHEET_NAMES_EN,
    WORKBOOK_TEXT,
    check_language,
    column_label,
    translate_message,
    unit_words,
    value_label,
    with_units,
)


@dataclasses.dataclass(frozen=True)
class ExportKind:
    """One export: its kind (a key of :data:`EXPORTS`), suggested file name and MIME type;
    the download button's label comes from the catalogue (:data:`layers.words.EXPORT_LABELS`)."""

    kind: str
    file_name: str
    mime: str

    def label(self, lang: str = "id") -> str:
        """The button label in ``lang``."""
        return EXPORT_LABELS[check_language(lang)][self.kind]


EXPORTS: Final[dict[str, ExportKind]] = {
    "map_png": ExportKind("map_png", "peta.png", "image/png"),
    "map_pdf": ExportKind("map_pdf", "peta.pdf", "application/pdf"),
    "pack_pdf": ExportKind("pack_pdf", "bahan-rapat.pdf", "application/pdf"),
    "xlsx": ExportKind(
        "xlsx",
        "laporan.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "gpkg": ExportKind("gpkg", "temuan.gpkg", "application/geopackage+sqlite3"),
    "geojson": ExportKind("geojson", "temuan.geojson", "application/geo+json"),
    "oc4ids": ExportKind("oc4ids", "proyek-oc4ids.json", "application/json"),
}
#: Export kind of an output file, by its ending (``.pdf`` is the meeting pack for reports).
REPORT_SUFFIXES: Final[dict[str, str]] = {
    ".xlsx": "xlsx",
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".json": "oc4ids",
    ".pdf": "pack_pdf",
}
MAP_SUFFIXES: Final[dict[str, str]] = {".png": "map_png", ".pdf": "map_pdf"}


def export_map(
    analyses: Analysis,
    *,
    fmt: str = "png",
    size: str | None = None,
    title: str | None = None,
    lang: str = "id",
    basemap: Basemap | None = None,
    zone: str = DEFAULT_SETTINGS.time_zone,
) -> bytes:
    """The static map of the selection as ``png`` or ``pdf`` bytes; times in ``zone``.

    ``size`` is ``WxH`` pixels or ``a4`` / ``a3``; default 1920x1080 for PNG and A4 for PDF.
    ``basemap``: tiles under the map when reachable (see :mod:`layers.basemap`).
    """
    from layers.meeting_pack import overview_summary
    from layers.static_map import figure_bytes, map_figure

    if fmt not in ("png", "pdf"):
        raise ValueError(f"fmt {fmt!r}: use png or pdf")
    size = size or ("1920x1080" if fmt == "png" else "a4")
    words = map_words(analyses, title=title, lang=lang, zone=zone)
    fig = map_figure(
        analyses.projects,
        text=dataclasses.replace(words, summary=overview_summary(analyses, lang)),
        findings=number_findings(analyses.overlaps),
        boundaries=analyses.units,
        focus=analyses.selected_units if analyses.filters.units else None,
        size=size,
        lang=lang,
        basemap=basemap,
    )
    return figure_bytes(fig, fmt, metadata={"Title": words.title, "Subject": words.subtitle})


def export_bytes(
    kind: str,
    analyses: Analysis,
    *,
    lang: str = "id",
    title: str | None = None,
    size: str | None = None,
    basemap: Basemap | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> bytes:
    """The bytes of export ``kind`` (a key of :data:`EXPORTS`) for the selection.

    ``size`` applies to maps (``WxH`` pixels, ``a4``, ``a3``) and to the meeting pack
    (``a4``, ``a3``); ``basemap`` to maps and the pack's maps; ``settings`` (the app's or the
    command line's) give the workbook's time zone and the OC4IDS publisher, URI and id prefix.
    """
    if kind in ("map_png", "map_pdf"):
        fmt = "png" if kind == "map_png" else "pdf"
        return export_map(
            analyses,
            fmt=fmt,
            size=size,
            title=title,
            lang=lang,
            basemap=basemap,
            zone=settings.time_zone,
        )
    if kind == "pack_pdf":
        page = (size or "a4").lower()
        from layers.meeting_pack import meeting_pack_pdf
        from layers.static_map import PAGE_SIZES_IN

        if page not in PAGE_SIZES_IN:
            raise GeoInputError(f"--size {size}: the meeting pack is printed on a4 or a3")
        return meeting_pack_pdf(
            analyses, page=page, lang=lang, title=title, basemap=basemap, zone=settings.time_zone
        )
    numbered = dataclasses.replace(analyses, overlaps=number_findings(analyses.overlaps))
    if kind == "xlsx":
        words = workbook_words(
            lang, time_zone=settings.time_zone, unit_level=unit_level(numbered.units)
        )
        info = _info(numbered, title, lang, zone=settings.time_zone)
        return write_workbook(numbered, info=info, words=words)
    if kind in ("gpkg", "geojson"):
        with tempfile.TemporaryDirectory(prefix="peta-export-") as tmp:
            path = Path(tmp) / EXPORTS[kind].file_name
            write_findings(numbered.overlaps, path)
            return path.read_bytes()
    if kind == "oc4ids":
        return project_package_json(numbered.projects, numbered.overlaps, settings=settings)
    raise ValueError(f"export kind {kind!r}: use one of {', '.join(EXPORTS)}")


def _info(analyses: Analysis, title: str | None, lang: str, *, zone: str) -> dict[str, str]:
    words = map_words(analyses, title=title, lang=lang, zone=zone)
    text = WORKBOOK_TEXT[check_language(lang)]
    labels = tuple(text[key] for key in ("title", "selection", "notice", "sources", "made"))
    lines = footer(analyses, lang, zone=zone)
    values = (words.title, words.subtitle, demo_notice(analyses, lang) or "", *lines)
    return dict(zip(labels, values, strict=False))


def workbook_words(
    lang: str = "id",
    *,
    time_zone: str = DEFAULT_SETTINGS.time_zone,
    unit_level: str | None = None,
) -> WorkbookWords:
    """The Excel workbook's words in ``lang``: sheets, headers and values (levels, asset
    types, severities, relations, outcomes ...) as people read them, the reader's report lines
    in the app's words; the column dictionary gives each header's code and meaning. Units are
    named for ``unit_level`` (kabupaten/kota, kecamatan, ...:
    :func:`geo.read.reference.unit_level`), times written for ``time_zone``
    (:attr:`geo.settings.Settings.time_zone`)."""
    lang = check_language(lang)
    text = WORKBOOK_TEXT[lang]

    def value(column: str, text: str) -> str:
        if column == "reason":
            return translate_message(text, lang)
        vocabulary = COLUMN_VOCABULARIES.get(column)
        return value_label(vocabulary, text, lang) if vocabulary else text

    zone = TIME_ZONES.get(time_zone.upper(), time_zone)
    zone_name = TIME_ZONE_NAMES.get(zone, zone)

    def meaning(column: str) -> str:
        if column in ("unit_name", "uploaded_at"):
            return with_units(text[column], unit_level, lang).format(zone=zone_name)
        if lang == "id":
            return column_meaning(column)
        return COLUMN_MEANINGS_EN.get(column, "")

    def header(column: str) -> str:
        if column == "unit_name":
            return unit_words(unit_level, lang)["Unit"]
        label = column_label(column, lang)
        return f"{label} ({zone_name})" if column.endswith("_at") else label

    return WorkbookWords(
        sheets=SHEETS if lang == "id" else SHEET_NAMES_EN,
        header=header,
        value=value,
        meaning=meaning,
        dictionary_headers=tuple(
            column_label(c, lang) for c in ("sheet", "column", "code", "meaning")
        ),  # type: ignore[arg-type]
        info_headers=(column_label("keterangan", lang), column_label("isi", lang)),
        time_zone=zone,
        cell_cut=lambda n: text["cell_cut"].format(n=format_number(n, 0, lang)),
    )
