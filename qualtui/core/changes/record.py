"""Changes in the history: a `Change` as a `HistoryEntry` (its `change` field set) and back,
and `ChangeRecorder`, which appends a run's changes as they finish, a few at a time.

The entry's `qualification` is the state read back after the change (when it is a
qualification the worker holds or held), its `error` why the change failed, so the history
table and the result panel show a change the way they show a lookup.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace

from qualtui.core.changes.change import Change
from qualtui.core.connection import Connection
from qualtui.core.history import ErrorSummary, HistoryEntry, HistoryStore, Snapshot
from qualtui.core.history.entry import _to_millisecond
from qualtui.core.models import Qualification

FLUSH_EVERY = 100  # changes buffered before they are appended to the history
FLUSH_SECONDS = 1.0  # ... or this long after the oldest buffered one


def entry_of(change: Change) -> HistoryEntry:
    details = change.details
    checked = details.checked
    qualification = None
    if checked is not None and checked.status != "NotHeld":
        qualification = Qualification(
            qualification_type_id=change.qualification_type_id,
            worker_id=change.worker_id,
            status=checked.status,
            integer_value=checked.value,
        )
    failure = details.failure
    error = None
    if failure is not None and details.outcome != "done":
        error = ErrorSummary(failure.kind, failure.code, failure.turk_error_code, failure.message)
    connection = change.connection
    return HistoryEntry(
        id=change.id,
        time=_to_millisecond(change.time),
        profile=connection.profile,
        environment=connection.environment,
        region=connection.region,
        endpoint_url=connection.shown_endpoint,
        qualification_type_id=change.qualification_type_id,
        worker_id=change.worker_id,
        qualification=qualification,
        error=error,
        qualification_type_name=change.qualification_type_name,
        run_id=change.run_id,
        change=details,
    )


def change_of(entry: HistoryEntry) -> Change | None:
    """The change an entry records; None for a lookup."""
    if entry.change is None:
        return None
    return Change(
        id=entry.id,
        time=entry.time,
        connection=Connection(entry.profile, entry.environment, entry.endpoint_url),
        qualification_type_id=entry.qualification_type_id,
        worker_id=entry.worker_id,
        details=entry.change,
        qualification_type_name=entry.qualification_type_name,
        endpoint_url=entry.endpoint_url,
        run_id=entry.run_id,
    )


def record(store: HistoryStore, change: Change) -> Snapshot:
    """Append one change to the history (blocking: file I/O). Raises HistoryError."""
    return store.append(entry_of(change))


def run_changes(entries: Sequence[HistoryEntry], run_id: str) -> list[Change]:
    """The changes of one run, in the order they were recorded."""
    found = (change_of(e) for e in entries if e.run_id == run_id)
    return [c for c in found if c is not None]


def find_change(entries: Sequence[HistoryEntry], change_id: str) -> Change | None:
    """A recorded change by its id, or by a unique prefix of it (as the CLI shows it)."""
    exact = [e for e in entries if e.id == change_id and e.change is not None]
    if not exact:
        exact = [e for e in entries if e.id.startswith(change_id) and e.change is not None]
    return change_of(exact[0]) if len(exact) == 1 else None


class ChangeRecorder:
    """Appends a run's changes to the history as they finish: every FLUSH_EVERY changes or
    FLUSH_SECONDS, and at `close`. Thread-safe. A failure to save is kept in `error` (the
    store keeps the changes in memory and writes them with its next successful save)."""

    def __init__(self, store: HistoryStore | None, run_id: str | None = None) -> None:
        self.store = store
        self.run_id = run_id
        self.pending: list[HistoryEntry] = []
        self.recorded = 0
        self.error: str | None = None
        self._oldest = 0.0
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()

    def add(self, change: Change) -> None:
        entry = entry_of(change if self.run_id is None else replace(change, run_id=self.run_id))
        with self._lock:
            if not self.pending:
                self._oldest = time.monotonic()
            self.pending.append(entry)
            due = (
                len(self.pending) >= FLUSH_EVERY or time.monotonic() - self._oldest >= FLUSH_SECONDS
            )
        if due:
            self.flush()

    def flush(self) -> None:
        if self.store is None:
            return
        with self._write_lock:
            with self._lock:
                batch, self.pending = self.pending, []
            if not batch:
                return
            try:
                if self.run_id is None:
                    for entry in batch:
                        self.store.append(entry)
                else:
                    self.store.append_run(batch, self.run_id)
                self.recorded += len(batch)
            except Exception as exc:  # HistoryError or OSError: said by the caller
                self.error = str(exc)

    def close(self) -> None:
        self.flush()
