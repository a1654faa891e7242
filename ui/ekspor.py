"""Ekspor: finding tables as CSV for meetings; static maps and Excel come with the export
engine (issue 6)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.report import neutralise_formulas
from geo.store import open_store
from ui import common
from ui.i18n import text
from ui.store_cache import store_analysis


def csv_bytes(table: pd.DataFrame) -> bytes:
    """``table`` as UTF-8 CSV (with BOM, so Excel reads the accents), formulas neutralised."""
    frame = pd.DataFrame(table.drop(columns="geometry", errors="ignore"))
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8-sig")


def show() -> None:
    """The Ekspor page."""
    lang = common.language()
    common.page_header("page_ekspor", lang, caption_key="export_intro")
    data = common.load_store_or_stop(lang)
    st.info(text("export_engine", lang), icon=":material/construction:")
    result = store_analysis(data)
    downloads = [
        ("download_overlaps", result.overlaps, "tumpang_tindih.csv"),
        ("download_mismatches", result.mismatches, "kewenangan.csv"),
    ]
    if result.coverage is not None:
        downloads.append(("download_gaps", result.coverage, "kesenjangan.csv"))
    downloads.append(("download_uploads", open_store(data.path).list_uploads(), "unggahan.csv"))
    for label_key, table, file_name in downloads:
        st.download_button(
            f"{text(label_key, lang)} — {len(table)}",
            data=csv_bytes(table),
            file_name=file_name,
            mime="text/csv",
            icon=":material/download:",
        )
