"""``python -m cli``: the same command line as ``python -m geo``."""

from cli import main

raise SystemExit(main())
