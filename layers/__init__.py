"""Presentation of projects: folium maps, fixed colours per level, legends.

Pure Python (folium, branca, babel): nothing here imports streamlit.
"""
