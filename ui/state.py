"""Every ``st.session_state`` key the app uses, declared in one place."""

from __future__ import annotations

from typing import Final

#: The interface language: ``"id"`` (Bahasa Indonesia, default) or ``"en"``.
LANG: Final[str] = "lang"
#: The map component; a fixed key keeps the map mounted while nothing it shows changes.
MAP: Final[str] = "peta_map"
