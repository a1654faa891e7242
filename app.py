"""Peta Sinergi, the Streamlit entry point: page setup, language and navigation only.

Run with ``streamlit run app.py``; ``.streamlit/config.toml`` serves ``static/`` (Leaflet) so
the map works with no internet.
"""

import streamlit as st

from ui import app_settings, auth, common, navigation

st.set_page_config(page_title="Peta Sinergi", page_icon="🗺️", layout="wide")
app_settings.read_settings()  # the one read of $PETA_<NAME>: every page uses these settings
common.follow_upload_limit()  # the server takes uploads up to $PETA_MAX_UPLOAD_MB
lang = common.language_switch()
auth.current_actor()  # signs in (or marks demo mode) before any page
st.navigation(navigation.pages(lang, can_edit=auth.can_edit())).run()
