"""``python -m geo``: the command line, :func:`cli.main` (which lives above the library)."""

from cli import main

raise SystemExit(main())
