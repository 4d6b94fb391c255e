"""``python -m symbolic``: the ``stepcheck`` command line."""

from .app.cli import main

raise SystemExit(main())
