"""``python -m symbolic``: the ``stepcheck`` command line."""

from .cli import main

raise SystemExit(main())
