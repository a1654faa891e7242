"""Interface text in Bahasa Indonesia (default) and English: the app's view of the one
catalogue, :mod:`layers.words` (shared with the maps, tables and exports)."""

from __future__ import annotations

from layers.words import APP_TEXT as TEXT
from layers.words import DEFAULT_LANG, LANGUAGE_NAMES, LANGUAGE_SWITCH_LABEL, text

__all__ = ["DEFAULT_LANG", "LANGUAGE_NAMES", "LANGUAGE_SWITCH_LABEL", "TEXT", "text"]
