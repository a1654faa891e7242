"""Page script run by st.navigation (see ui/navigation.py)."""

from ui import unggah

unggah.show()
