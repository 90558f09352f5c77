"""`python -m qualtui`."""

from qualtui.cli import main

raise SystemExit(main())
