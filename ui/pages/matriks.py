"""Page script run by st.navigation (see ui/navigation.py)."""

from ui import matriks

matriks.show()
