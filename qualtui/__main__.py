"""`python -m qualtui`."""

from qualtui.launch import main

raise SystemExit(main())
