"""Page script run by st.navigation (see ui/navigation.py)."""

from ui import cek_usulan

cek_usulan.show()
