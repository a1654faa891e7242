"""Streamlit views: the only package besides ``app.py`` that imports streamlit.

Views read widgets, call ``geo`` and ``layers``, and show the results; nothing analytical here.
"""
