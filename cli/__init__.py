"""The command line of Peta Sinergi (DESIGN section 9): ``python -m geo COMMAND``.

It reads files and the store through :mod:`geo` and writes maps and reports through
:mod:`layers`; nothing analytical lives here.
"""

from cli.commands import main

__all__ = ["main"]
