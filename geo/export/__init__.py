"""Exports for meetings without presentation code: CSV/GeoPackage findings, the Excel
workbook and the OC4IDS project package."""
