"""Geometry in metres: CRS choice and reprojection, geometry kinds, compiled segment loops."""
