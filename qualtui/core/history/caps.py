"""How many entries the history keeps: read by the command line and the config (before the
first frame) without loading the store."""

from __future__ import annotations

DEFAULT_LIMIT = 1000
"""Interactive lookups kept in the file unless the settings say otherwise."""
DEFAULT_RUN_CAP = 10_000
"""Entries of batch and scripted runs kept in the file (apart from the interactive ones)."""
