"""The settings in force in the app: read from the environment once, at start-up (``app.py``),
and passed to every analysis from here (:class:`geo.settings.Settings`)."""

from __future__ import annotations

import os

import streamlit as st

from geo.settings import Settings
from ui import state


def read_settings() -> Settings:
    """Read the settings from the environment (``PETA_<NAME>``) for this session's run.

    ``app.py`` calls it at start-up, before any page; nothing else in the app reads the
    environment's thresholds.
    """
    settings = Settings.from_env()
    st.session_state[state.SETTINGS] = settings
    value = os.environ.get("PETA_MAP_DETAIL_MAX", "").strip()
    st.session_state[state.MAP_DETAIL_MAX] = (
        int(value) if value.isdigit() and int(value) > 0 else None
    )
    return settings


def current() -> Settings:
    """The settings :func:`read_settings` read at start-up (read now when a page runs alone,
    as in a page's own test)."""
    settings = st.session_state.get(state.SETTINGS)
    return settings if isinstance(settings, Settings) else read_settings()


def map_detail_max() -> int | None:
    """Most projects a map view draws one by one as ``$PETA_MAP_DETAIL_MAX`` set it at start-up
    (a whole number), or None: :data:`layers.viewport.DETAIL_MAX_FEATURES` (the map pages
    import it; the others never load the map library)."""
    if state.MAP_DETAIL_MAX not in st.session_state:
        read_settings()
    value = st.session_state[state.MAP_DETAIL_MAX]
    return int(value) if value is not None else None
