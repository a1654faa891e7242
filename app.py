"""Peta Sinergi, the Streamlit entry point: page setup, then the map page.

Run with ``streamlit run app.py``; ``.streamlit/config.toml`` serves ``static/`` (Leaflet) so
the map works with no internet.
"""

import streamlit as st

from ui import peta

st.set_page_config(page_title="Peta Sinergi", page_icon="🗺️", layout="wide")
peta.show()
