"""The illustrative demo region and the demo store built from it (not official data)."""

from geo.demo.build import build_demo

__all__ = ["build_demo"]
