"""The lookup history: a JSON file that is never lost, never corrupted, and shared safely.

- `entry`: one remembered lookup and its JSON codec.
- `file_format`: the file's bytes (parse, keeping what is readable; serialize; merge).
- `store`: the locked, atomically written file (`HistoryStore`).
- `filter`: filtering entries as the user types.
- `export`: the history as CSV or JSON (imported on demand: `from qualtui.core.history
  import export`).

File format: `{"version": 1, "entries": [...]}`, oldest first. A damaged file is moved aside
and what could be read is kept. A file from a newer qualtui is never overwritten.
"""

from __future__ import annotations

from qualtui.core.history.entry import ErrorSummary, HistoryEntry
from qualtui.core.history.file_format import SCHEMA_VERSION, Parsed, merge, parse, serialize
from qualtui.core.history.filter import HistoryFilter, haystack
from qualtui.core.history.store import (
    DEFAULT_LIMIT,
    LOCK_TIMEOUT,
    HistoryError,
    HistoryStore,
    LoadReport,
    Snapshot,
)

__all__ = [
    "DEFAULT_LIMIT",
    "LOCK_TIMEOUT",
    "SCHEMA_VERSION",
    "ErrorSummary",
    "HistoryEntry",
    "HistoryError",
    "HistoryFilter",
    "HistoryStore",
    "LoadReport",
    "Parsed",
    "Snapshot",
    "haystack",
    "merge",
    "parse",
    "serialize",
]
