"""The history file on disk, shared safely: `HistoryStore` and what its methods return.

Writes are atomic (temporary file, fsync, rename). Every change re-reads the file and merges
under an inter-process lock (filelock), so several qualtui processes lose nothing.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from qualtui.core.atomic import write_atomic
from qualtui.core.history.entry import HistoryEntry
from qualtui.core.history.file_format import Parsed, merge, parse, serialize
from qualtui.core.paths import ensure_private_dir

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 1000
LOCK_TIMEOUT = 10.0


class HistoryError(Exception):
    """Saving the history failed; the message says why, in words."""


@dataclass(frozen=True)
class Snapshot:
    """The entries (oldest first) after a change; `revision` orders snapshots."""

    entries: tuple[HistoryEntry, ...]
    revision: int


@dataclass(frozen=True)
class LoadReport:
    snapshot: Snapshot
    notice: str | None = None
    backup: Path | None = None
    saving: bool = True


@dataclass
class HistoryStore:
    """The history file at `path`, capped at `limit` entries (0 turns history off).

    All methods block (file I/O): call them from a worker thread. They are thread-safe.
    `entries` is oldest first.
    """

    path: Path
    limit: int = DEFAULT_LIMIT
    entries: list[HistoryEntry] = field(default_factory=list)
    saving: bool = True
    _unsaved: list[HistoryEntry] = field(default_factory=list, repr=False)
    # What the file held when this store last read or wrote it, to skip re-reading an
    # unchanged file, and each entry's encoding, to skip re-encoding: an append stays cheap.
    _disk_stamp: tuple[int, int, int, int] | None = field(default=None, repr=False)
    _disk_entries: list[HistoryEntry] = field(default_factory=list, repr=False)
    _encoded: dict[str, bytes] = field(default_factory=dict, repr=False)
    _revision: int = field(default=0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def _file_lock(self) -> FileLock:
        return FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)

    def load(self) -> LoadReport:
        """Read the file, recovering from damage. Never raises."""
        with self._lock:
            if not self.enabled:
                self.saving = False
                return LoadReport(self._snapshot(), saving=False)
            try:
                ensure_private_dir(self.path.parent)
                with self._file_lock():
                    return self._load_locked()
            except (OSError, Timeout) as error:
                self.saving = False
                return LoadReport(
                    self._snapshot(),
                    notice=f"Could not read the history ({_reason(error)}): "
                    "this session's lookups will not be saved.",
                    saving=False,
                )

    def _load_locked(self) -> LoadReport:
        self._remove_stale_temporaries()
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            self.entries = []
            return LoadReport(self._snapshot())
        parsed = parse(data)
        if parsed.newer_version is not None:
            self.saving = False
            self.entries = []
            return LoadReport(
                self._snapshot(),
                notice=f"{self.path.name} was written by a newer qualtui (format "
                f"{parsed.newer_version}); it is left untouched and this session's lookups "
                "will not be saved.",
                saving=False,
            )
        self.entries = merge(parsed.entries, limit=self.limit)
        if not parsed.damaged:
            self._remember_disk(list(parsed.entries))
            return LoadReport(self._snapshot())
        backup = self.path.with_name(
            f"{self.path.name}.corrupt-{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}"
        )
        self.path.replace(backup)
        write_atomic(self.path, serialize(self.entries, self._encoded))
        self._remember_disk(self.entries)
        return LoadReport(
            self._snapshot(),
            notice=f"The history file was damaged. Kept {len(self.entries)} readable "
            f"entries; the original is saved as {backup}.",
            backup=backup,
        )

    def _remove_stale_temporaries(self) -> None:
        """Delete temporary files left by a writer that was killed mid-write.

        Every write happens under the lock, so with the lock held none is in progress.
        """
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                log.warning("could not remove %s", leftover)

    def append(self, entry: HistoryEntry) -> Snapshot:
        """Add an entry and save. The entry is kept in memory even when saving fails.

        Raises HistoryError (after updating memory) when the file could not be written;
        the entry is written with the next successful save.
        """
        return self._update(add=(entry,))

    def append_many(self, entries: Sequence[HistoryEntry]) -> Snapshot:
        """Add several entries in one locked write (a batch)."""
        return self._update(add=tuple(entries))

    def delete(self, entry_id: str) -> Snapshot:
        return self._update(remove=frozenset({entry_id}))

    def clear(self) -> Snapshot:
        return self._update(clear=True)

    def snapshot(self) -> Snapshot:
        with self._lock:
            return self._snapshot()

    def _snapshot(self) -> Snapshot:
        """Number a new snapshot; call with the lock held."""
        self._revision += 1
        return Snapshot(tuple(self.entries), self._revision)

    def _update(
        self,
        add: Sequence[HistoryEntry] = (),
        remove: frozenset[str] = frozenset(),
        clear: bool = False,
    ) -> Snapshot:
        """Apply a change in memory, then to the file under the lock.

        The file is the source of truth: it is re-read, and only this process's unsaved
        entries are added to it, so what other processes deleted stays deleted.
        """
        with self._lock:
            if not self.enabled:
                return self._snapshot()
            kept = [] if clear else [e for e in self.entries if e.id not in remove]
            unsaved = [] if clear else [e for e in self._unsaved if e.id not in remove]
            self._unsaved = [*unsaved, *add]
            self.entries = merge(kept, add, limit=self.limit)
            if not self.saving:
                return self._snapshot()
            try:
                ensure_private_dir(self.path.parent)
                with self._file_lock():
                    on_disk = self._read_disk()
                    if on_disk.newer_version is not None:
                        self.saving = False
                        raise HistoryError(
                            f"{self.path.name} was replaced by a newer qualtui; "
                            "history is no longer saved this session"
                        )
                    disk = [] if clear else [e for e in on_disk.entries if e.id not in remove]
                    merged = merge(disk, self._unsaved, limit=self.limit)
                    write_atomic(self.path, serialize(merged, self._encoded))
                    self.entries = merged
                    self._unsaved = []
                    self._remember_disk(merged)
            except Timeout:
                raise HistoryError("another qualtui held the history lock too long") from None
            except OSError as error:
                raise HistoryError(_reason(error)) from error
            return self._snapshot()

    # ------------------------------------------------------------------ disk cache

    def _stamp(self) -> tuple[int, int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def _read_disk(self) -> Parsed:
        """The file's entries; not read again if it is unchanged since this store saw it."""
        stamp = self._stamp()
        if stamp is not None and stamp == self._disk_stamp:
            return Parsed(tuple(self._disk_entries))
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return Parsed()
        known = {e.id: e for e in self._disk_entries}
        parsed = parse(data, known)
        if not parsed.damaged and parsed.newer_version is None:
            self._disk_stamp, self._disk_entries = stamp, list(parsed.entries)
        return parsed

    def _remember_disk(self, entries: list[HistoryEntry]) -> None:
        self._disk_stamp, self._disk_entries = self._stamp(), list(entries)
        live = {e.id for e in entries}
        if len(self._encoded) > 2 * len(live) + 100:
            self._encoded = {k: v for k, v in self._encoded.items() if k in live}


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        text = os.strerror(error.errno) if error.errno else str(error)
        return f"{text}: {error.filename}" if error.filename else text
    return str(error)
