"""Peta: every project in the store on one map, one layer per level of government."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.demo import DEMO_PREFIX, ensure_demo_store
from geo.errors import GeoInputError
from geo.settings import default_store_path
from geo.store import open_store
from layers.palette import LEVEL_COLOURS, level_label
from layers.project_map import CORE_LEVELS, level_counts, project_map
from ui import state
from ui.i18n import DEFAULT_LANG, LANGUAGE_NAMES, LANGUAGE_SWITCH_LABEL, text

#: Height of the map frame, in CSS pixels: fills a laptop screen below the header.
MAP_HEIGHT_PX: Final[int] = 620


def show() -> None:
    """Draw the map page: title, language switch, demo notice, counts per level, the map.

    The store at ``$PETA_STORE`` (default ``data/peta_sinergi.gpkg``) gets the illustrative
    demo data when it does not exist yet.
    """
    title_column, language_column = st.columns([5, 1], vertical_alignment="bottom")
    with language_column:
        lang = st.selectbox(
            LANGUAGE_SWITCH_LABEL,
            options=tuple(LANGUAGE_NAMES),
            index=tuple(LANGUAGE_NAMES).index(DEFAULT_LANG),
            format_func=LANGUAGE_NAMES.__getitem__,
            key=state.LANG,
        )
    with title_column:
        st.title(text("title", lang))
        st.caption(text("subtitle", lang))

    store_path = default_store_path()
    try:
        ensure_demo_store(store_path)
        projects, admin_units = _load_store(str(store_path), _store_version(store_path))
    except GeoInputError as error:
        st.error(text("store_error", lang), icon=":material/error:")
        # Shown as plain text: problem lines quote file names from uploads.
        st.code("\n".join(error.problems), language=None)
        st.stop()

    if projects["source_file"].str.startswith(DEMO_PREFIX, na=False).any():
        st.info(text("demo_notice", lang), icon=":material/info:")
    if projects.empty:
        st.warning(text("no_projects", lang).format(store=store_path.name))
    _show_counts(projects, lang)
    st_folium(
        project_map(projects, lang=lang, boundaries=admin_units),
        key=state.MAP,
        height=MAP_HEIGHT_PX,
        use_container_width=True,
        # Report nothing back: panning or hovering must not rerun the script.
        returned_objects=[],
    )
    st.caption(text("map_caption", lang))


@st.cache_data(show_spinner=False)
def _load_store(
    store_path: str, version: tuple[int, ...]
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """Projects and administrative boundaries (both EPSG:4326), reread when ``version`` changes.

    The boundaries (None when the store has none) stand in for basemap tiles offline.
    """
    del version  # only part of the cache key
    store = open_store(Path(store_path))
    return store.load_projects(), store.load_reference("admin_units")


def _store_version(store_path: Path) -> tuple[int, ...]:
    """Modification time (ns) and size of the store and of its write-ahead log.

    The GeoPackage runs in WAL mode: a new import may land in ``<store>-wal`` and leave the
    main file untouched until SQLite checkpoints it.
    """
    version: list[int] = []
    for path in (store_path, store_path.with_name(store_path.name + "-wal")):
        if path.exists():
            stat = path.stat()
            version += [stat.st_mtime_ns, stat.st_size]
    return tuple(version)


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
                f"{count} {text('projects', lang)}",
                label_visibility="collapsed",
            )
