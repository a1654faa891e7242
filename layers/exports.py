"""Every export as bytes, for the CLI and the Ekspor page alike (DESIGN section 8).

Give it an :class:`geo.analyse.selection.Analyses` (the current filter's projects and what was found
about them) and an export kind; get the file's bytes, its suggested name and MIME type.
Findings carry the same numbers in every export (:func:`layers.map_labels.number_findings`).

Maps and the meeting pack import matplotlib when they are made, not when this module is
imported: the tables and vector exports (and a first CLI call making one) skip its import.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Final

from geo.analyse.selection import Analyses
from geo.errors import GeoInputError
from geo.export.oc4ids import project_package_json
from geo.export.report import write_findings
from geo.export.workbook import write_workbook
from layers.basemap import Basemap
from layers.map_labels import (
    finding_asset_label,
    level_label_safe,
    number_findings,
    relation_text,
)
from layers.map_text import demo_notice, footer, map_words


@dataclasses.dataclass(frozen=True)
class ExportKind:
    """One export: suggested file name, MIME type and labels for a download button."""

    file_name: str
    mime: str
    label_id: str
    label_en: str

    def label(self, lang: str = "id") -> str:
        """The button label in ``lang``."""
        return self.label_en if lang == "en" else self.label_id


EXPORTS: Final[dict[str, ExportKind]] = {
    "map_png": ExportKind(
        "peta.png", "image/png", "Peta untuk slide (PNG 1920×1080)", "Slide map (PNG 1920×1080)"
    ),
    "map_pdf": ExportKind(
        "peta.pdf", "application/pdf", "Peta cetak (PDF A4 lanskap)", "Print map (PDF A4 landscape)"
    ),
    "pack_pdf": ExportKind(
        "bahan-rapat.pdf",
        "application/pdf",
        "Bahan rapat (PDF: peta, tabel temuan, berita acara)",
        "Meeting pack (PDF: maps, findings, minutes)",
    ),
    "xlsx": ExportKind(
        "laporan.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Laporan Excel (temuan, kewenangan, kesenjangan, impor)",
        "Excel report (findings, authority, gaps, imports)",
    ),
    "gpkg": ExportKind(
        "temuan.gpkg",
        "application/geopackage+sqlite3",
        "Temuan untuk QGIS (GeoPackage)",
        "Findings for QGIS (GeoPackage)",
    ),
    "geojson": ExportKind(
        "temuan.geojson", "application/geo+json", "Temuan (GeoJSON)", "Findings (GeoJSON)"
    ),
    "oc4ids": ExportKind(
        "proyek-oc4ids.json", "application/json", "Proyek (OC4IDS JSON)", "Projects (OC4IDS JSON)"
    ),
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
    analyses: Analyses,
    *,
    fmt: str = "png",
    size: str | None = None,
    title: str | None = None,
    lang: str = "id",
    basemap: Basemap | None = None,
) -> bytes:
    """The static map of the selection as ``png`` or ``pdf`` bytes.

    ``size`` is ``WxH`` pixels or ``a4`` / ``a3``; default 1920x1080 for PNG and A4 for PDF.
    ``basemap``: tiles under the map when reachable (see :mod:`layers.basemap`).
    """
    from layers.meeting_pack import overview_summary
    from layers.static_map import figure_bytes, map_figure

    if fmt not in ("png", "pdf"):
        raise ValueError(f"fmt {fmt!r}: use png or pdf")
    size = size or ("1920x1080" if fmt == "png" else "a4")
    words = map_words(analyses, title=title, lang=lang)
    fig = map_figure(
        analyses.projects,
        text=dataclasses.replace(words, summary=overview_summary(analyses, lang)),
        findings=number_findings(analyses.findings),
        boundaries=analyses.units,
        focus=analyses.selected_units if analyses.filters.kabupaten else None,
        size=size,
        lang=lang,
        basemap=basemap,
    )
    return figure_bytes(fig, fmt, metadata={"Title": words.title, "Subject": words.subtitle})


def export_bytes(
    kind: str,
    analyses: Analyses,
    *,
    lang: str = "id",
    title: str | None = None,
    size: str | None = None,
    basemap: Basemap | None = None,
) -> bytes:
    """The bytes of export ``kind`` (a key of :data:`EXPORTS`) for the selection.

    ``size`` applies to maps (``WxH`` pixels, ``a4``, ``a3``) and to the meeting pack
    (``a4``, ``a3``); ``basemap`` to maps and the pack's maps.
    """
    if kind in ("map_png", "map_pdf"):
        fmt = "png" if kind == "map_png" else "pdf"
        return export_map(analyses, fmt=fmt, size=size, title=title, lang=lang, basemap=basemap)
    if kind == "pack_pdf":
        page = (size or "a4").lower()
        from layers.meeting_pack import meeting_pack_pdf
        from layers.static_map import PAGE_SIZES_IN

        if page not in PAGE_SIZES_IN:
            raise GeoInputError(f"--size {size}: the meeting pack is printed on a4 or a3")
        return meeting_pack_pdf(analyses, page=page, lang=lang, title=title, basemap=basemap)
    numbered = dataclasses.replace(analyses, findings=number_findings(analyses.findings))
    if kind == "xlsx":
        return write_workbook(
            numbered, info=_info(numbered, title, lang), lang=lang, values=workbook_words(lang)
        )
    if kind in ("gpkg", "geojson"):
        with tempfile.TemporaryDirectory(prefix="peta-export-") as tmp:
            path = Path(tmp) / EXPORTS[kind].file_name
            write_findings(numbered.findings, path)
            return path.read_bytes()
    if kind == "oc4ids":
        return project_package_json(numbered.projects, numbered.findings)
    raise ValueError(f"export kind {kind!r}: use one of {', '.join(EXPORTS)}")


def workbook_words(lang: str = "id") -> dict[str, Callable[[object], object]]:
    """How the workbook writes coded values in ``lang``: levels, asset types, relations,
    severities and verdicts, in the words of the map and the meeting pack.

    >>> workbook_words("en")["level_a"]("kabupaten"), workbook_words()["severity"]("high")
    ('District/City', 'tinggi')
    """
    from layers.pack_tables import pack_text  # the pack's words; it imports matplotlib

    def level(value: object) -> object:
        return level_label_safe(value, lang)

    def coded(prefix: str, codes: tuple[str, ...]) -> Callable[[object], object]:
        return lambda value: pack_text(f"{prefix}{value}", lang) if value in codes else value

    return {
        **dict.fromkeys(("level", "level_a", "level_b", "expected_level"), level),
        "asset_type": lambda value: finding_asset_label(str(value), lang),
        "relation": lambda value: relation_text(str(value), lang),
        "severity": coded("severity_", ("high", "medium", "low", "info")),
        "verdict": coded("", ("mismatch", "exception")),
        "kind": coded("kind_", ("overlap", "repeat", "cross_type")),
        "outcome": coded("outcome_", ("stored", "repaired", "rejected", "note")),
    }


def _info(analyses: Analyses, title: str | None, lang: str) -> dict[str, str]:
    words = map_words(analyses, title=title, lang=lang)
    labels = (
        ("Judul", "Cakupan", "Catatan", "Sumber", "Dibuat")
        if lang != "en"
        else ("Title", "Selection", "Notice", "Sources", "Made")
    )
    lines = footer(analyses, lang)
    values = (words.title, words.subtitle, demo_notice(analyses, lang) or "", *lines)
    return dict(zip(labels, values, strict=False))
