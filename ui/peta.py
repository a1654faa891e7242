"""Peta: every project on one map, one layer per level, with filters; click for the record."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.analyse.run import (
    ProjectFilter,
    mismatches_involving,
    overlaps_involving,
    project_keys,
    project_refs,
)
from geo.read.reference import unit_level
from geo.schema import ASSET_TYPES, LEVELS
from layers.formatting import format_number
from layers.palette import LEVEL_COLOURS, asset_label, level_label
from layers.project_map import CORE_LEVELS, level_counts
from layers.tables import mismatch_numbers, mismatch_table, overlap_table, record_table
from layers.words import with_units
from ui import common, state
from ui.findings import overlap_numbers
from ui.i18n import text
from ui.maps import show_store_map
from ui.store_cache import (
    StoreData,
    store_analysis,
    store_reviews,
)


def show() -> None:
    """Draw the map page: title, demo notice, counts per level, filters, the map, the record.

    The store at ``$PETA_STORE`` (default ``data/peta_sinergi.gpkg``) gets the illustrative
    demo data when it does not exist yet.
    """
    lang = common.language()
    common.page_header("title", lang, caption_key="subtitle")
    data = common.load_store_or_stop(lang)
    projects = data.projects
    if projects.empty:
        st.warning(text("no_projects", lang).format(store=_store_name(data)))
    project_filter = _filters(data, lang)
    shown = projects[project_filter.mask(projects, data.units)]
    _show_counts(shown, lang)
    st.caption(
        text("shown", lang).format(
            shown=format_number(len(shown), lang=lang),
            total=format_number(len(projects), lang=lang),
        )
    )

    clicked = show_store_map(
        data,
        lang,
        key=state.MAP,
        project_filter=project_filter,
        findings_kind="overlaps" if st.session_state.get(state.SHOW_OVERLAPS, True) else None,
        gaps=bool(st.session_state.get(state.SHOW_GAPS, False)),
        osm_tiles=bool(st.session_state.get(state.OSM_TILES, False)),
    )
    st.caption(text("map_caption", lang))
    _show_clicked(clicked, data, lang)


def _store_name(data: StoreData) -> str:
    return data.label


def _filters(data: StoreData, lang: str) -> ProjectFilter:
    """The sidebar filters; every one starts with everything selected."""
    projects = data.projects
    with st.sidebar:
        st.subheader(text("filters", lang))
        years = None
        starts = pd.to_numeric(projects["year_start"], errors="coerce").dropna()
        ends = pd.to_numeric(projects["year_end"], errors="coerce").dropna()
        if len(starts):
            first, last = int(starts.min()), int(max(ends.max(), starts.max()))
            if first < last:
                years = st.slider(
                    text("years", lang),
                    min_value=first,
                    max_value=last,
                    value=(first, last),
                    key=state.FILTER_YEARS,
                )
        levels_present = set(projects["level"].unique())
        present_levels = [level for level in LEVELS if level in levels_present]
        levels = st.multiselect(
            text("levels", lang),
            options=present_levels,
            format_func=lambda level: level_label(level, lang),
            placeholder=text("all", lang),
            key=common.language_key(state.FILTER_LEVELS, lang),
        )
        assets_present = set(projects["asset_type"].unique())
        present_assets = [a for a in ASSET_TYPES if a in assets_present]
        assets = st.multiselect(
            text("asset_types", lang),
            options=present_assets,
            format_func=lambda asset: asset_label(asset, lang),
            placeholder=text("all", lang),
            key=common.language_key(state.FILTER_ASSETS, lang),
        )
        funding = st.multiselect(
            text("funding_sources", lang),
            options=sorted(projects["funding_source"].dropna().astype(str).unique()),
            placeholder=text("all", lang),
            key=state.FILTER_FUNDING,
        )
        unit_ids: list[str] = []
        if data.units is not None and len(data.units):
            names = dict(
                zip(
                    data.units["unit_id"].astype(str),
                    data.units.get("unit_name", data.units["unit_id"]).astype(str),
                    strict=True,
                )
            )
            unit_ids = st.multiselect(
                with_units(text("units", lang), unit_level(data.units), lang),
                options=list(names),
                format_func=names.__getitem__,
                placeholder=text("all", lang),
                key=state.FILTER_UNITS,
            )
        st.toggle(text("show_overlaps", lang), value=True, key=state.SHOW_OVERLAPS)
        show_gaps = with_units(text("show_gaps", lang), unit_level(data.units), lang)
        st.toggle(show_gaps, value=False, key=state.SHOW_GAPS)
        st.toggle(text("osm", lang), value=False, key=state.OSM_TILES)
    return ProjectFilter(
        year_from=years[0] if years is not None else None,
        year_to=years[1] if years is not None else None,
        levels=tuple(levels),
        asset_types=tuple(assets),
        funding_sources=tuple(funding),
        units=tuple(unit_ids),
    )


def _show_counts(projects: gpd.GeoDataFrame, lang: str) -> None:
    """One metric per level: the core levels always, desa when it has projects."""
    counts = {
        level: count
        for level, count in level_counts(projects).items()
        if level in CORE_LEVELS or count
    }
    for column, (level, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
        with column:
            st.markdown(
                f'<span style="color:{LEVEL_COLOURS[level]}; font-size:1.4em">■</span> '
                f"**{level_label(level, lang)}**",
                unsafe_allow_html=True,
            )
            st.metric(
                level_label(level, lang),
                f"{format_number(count, lang=lang)} {text('projects', lang)}",
                label_visibility="collapsed",
            )


def _show_clicked(clicked: dict | None, data: StoreData, lang: str) -> None:
    """The clicked project's full record and its findings (or a hint before any click).

    A click on a highlighted overlap shows the finding and both its projects.
    """
    clicked = clicked or {}
    if clicked.get("peta_finding"):
        _show_clicked_finding(str(clicked["peta_finding"]), data, lang)
        return
    ref = clicked.get("peta_key")
    projects = data.projects
    matches = projects[project_refs(projects) == ref] if ref else projects.iloc[0:0]
    if matches.empty:
        st.info(text("click_hint", lang), icon=":material/touch_app:")
        return
    record = matches.iloc[0]
    st.subheader(f"{text('selected_project', lang)}: {common.plain(record['name'])}")
    left, right = st.columns([2, 3])
    with left:
        common.show_table(record_table(record, lang=lang))
    with right:
        st.markdown(f"**{text('findings_of_project', lang)}**")
        result = store_analysis(data)
        reviews = store_reviews(data)
        overlaps = overlaps_involving(result.overlaps, of=matches)
        mismatches = mismatches_involving(result.mismatches, of=matches)
        if overlaps.empty and mismatches.empty:
            st.caption(text("no_findings_of_project", lang))
        if len(overlaps):
            common.show_table(
                overlap_table(overlaps, reviews, lang=lang, numbers=overlap_numbers(data)),
                wrap=True,
            )
        if len(mismatches):
            common.show_table(
                mismatch_table(
                    mismatches, reviews, lang=lang, numbers=mismatch_numbers(result.mismatches)
                ),
                wrap=True,
            )


def _show_clicked_finding(finding_id: str, data: StoreData, lang: str) -> None:
    overlaps = store_analysis(data).overlaps
    finding = overlaps[overlaps["finding_id"] == finding_id]
    if finding.empty:
        st.info(text("click_hint", lang), icon=":material/touch_app:")
        return
    st.subheader(f"{text('selected_finding', lang)}: {common.plain(finding_id)}")
    common.show_table(
        overlap_table(finding, store_reviews(data), lang=lang, numbers=overlap_numbers(data)),
        wrap=True,
    )
    row = finding.iloc[0]
    keys = {f"{row['agency_a']}\x1f{row['project_a']}", f"{row['agency_b']}\x1f{row['project_b']}"}
    both = data.projects[project_keys(data.projects).isin(keys)]
    for column, (_, record) in zip(st.columns(2), both.iterrows(), strict=False):
        with column:
            st.markdown(f"**{common.plain(record['name'])}**")
            common.show_table(record_table(record, lang=lang))
