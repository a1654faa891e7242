"""``python -m geo``: the command line, :func:`cli.main` (which lives above the library)."""

from cli import main  # noqa: TID251 - the one place geo reaches up, to start the command line

raise SystemExit(main())
