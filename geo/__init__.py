"""Peta Sinergi analysis core: reading, checking and storing infrastructure projects.

Pure Python (geopandas, shapely, pyproj, pyogrio): nothing here imports streamlit or folium.
"""
