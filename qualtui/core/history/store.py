"""The history file on disk, shared safely: `HistoryStore` and what its methods return.

Writes are atomic (temporary file, fsync, rename). Every change re-reads the file and merges
under an inter-process lock (filelock), so several qualtui processes lose nothing. Damage
found at any moment (at load or at a later save) is handled the same way: the file is moved
aside, what could be read is kept and merged, and the caller is told. What the caps trim is
appended to the archive beside the file.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from qualtui.core.atomic import read_regular_file, write_atomic
from qualtui.core.history.archive import append_lines, archive_path
from qualtui.core.history.entry import HistoryEntry
from qualtui.core.history.file_format import Parsed, encode, merge, parse, serialize, trim
from qualtui.core.paths import ensure_private_dir

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 1000
"""Interactive lookups kept in the file unless the settings say otherwise."""
DEFAULT_RUN_CAP = 10_000
"""Entries of batch and scripted runs kept in the file (apart from the interactive ones)."""
LOCK_TIMEOUT = 10.0
MAX_FILE_BYTES = 512 << 20
"""A history file larger than this is refused with a message, never read."""

_Stamp = tuple[int, int, int, int]
_Ahead = tuple[_Stamp, Parsed]
"""A file's stamp and what it held, parsed with no lock held."""
_Place = tuple[str, str | None]
"""Where `restore` puts an entry back: its id, and the id of the entry it goes before."""


class HistoryError(Exception):
    """Saving the history failed; the message says why, in words."""


@dataclass(frozen=True)
class Snapshot:
    """The entries (oldest first, by insertion) after a change; `revision` orders snapshots.

    `notice` tells the user something they must know although the change was saved (the
    file was found damaged and set aside as `backup`); `archived` counts the entries the caps
    moved to the archive file in this change.
    """

    entries: tuple[HistoryEntry, ...]
    revision: int
    notice: str | None = None
    backup: Path | None = None
    archived: int = 0


@dataclass(frozen=True)
class LoadReport:
    snapshot: Snapshot
    notice: str | None = None
    backup: Path | None = None
    saving: bool = True


@dataclass
class HistoryStore:
    """The history file at `path` (0 as `limit` turns history off).

    Caps: `cap` interactive lookups and `run_cap` entries of runs are kept in the file, each
    cap trimming only its own kind, oldest insertions first, into the archive. `cap` is the
    configured one (settings, else DEFAULT_LIMIT); when it is not given, `limit` can raise it
    but never lower it, so a per-run `--history-limit` never trims what is on disk.

    All methods block (file I/O): call them from a worker thread. They are thread-safe.
    `entries` is oldest first (insertion order). A symlinked file is written through: the
    link's target is read and replaced, the link stays.
    """

    path: Path
    limit: int = DEFAULT_LIMIT
    entries: list[HistoryEntry] = field(default_factory=list)
    saving: bool = True
    cap: int | None = None
    run_cap: int = DEFAULT_RUN_CAP
    _unsaved: list[HistoryEntry] = field(default_factory=list, repr=False)
    # What the file held when this store last read or wrote it, to skip re-reading an
    # unchanged file, and each entry's encoding, to skip re-encoding: an append stays cheap.
    _disk_stamp: _Stamp | None = field(default=None, repr=False)
    _disk_entries: list[HistoryEntry] = field(default_factory=list, repr=False)
    _encoded: dict[str, bytes] = field(default_factory=dict, repr=False)
    _revision: int = field(default=0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    @property
    def interactive_cap(self) -> int:
        return self.cap if self.cap is not None else max(self.limit, DEFAULT_LIMIT)

    @property
    def archive(self) -> Path:
        return archive_path(self._target())

    def _target(self) -> Path:
        """The file written: the path itself, or the target of a symlink at it."""
        try:
            return self.path.resolve() if self.path.is_symlink() else self.path
        except (OSError, RuntimeError) as error:  # a symlink loop
            raise OSError(f"{self.path} cannot be resolved ({error})") from None

    def _file_lock(self, target: Path) -> FileLock:
        return FileLock(str(target) + ".lock", timeout=LOCK_TIMEOUT, mode=0o600)

    def _trimmed(
        self, entries: Sequence[HistoryEntry]
    ) -> tuple[list[HistoryEntry], list[HistoryEntry]]:
        return trim(entries, self.interactive_cap, self.run_cap)

    # ------------------------------------------------------------------ load

    def load(self) -> LoadReport:
        """Read the file, recovering from damage. Never raises.

        The file is read and parsed before any lock is taken (a large history takes a while
        to parse); under the locks it is only checked to be the same file, else read again.
        """
        ahead = self._parse_ahead() if self.enabled else None
        with self._lock:
            if not self.enabled:
                self.saving = False
                return LoadReport(self._snapshot(), saving=False)
            try:
                target = self._target()
                ensure_private_dir(target.parent)
                with self._file_lock(target):
                    return self._load_locked(target, ahead)
            except (OSError, Timeout) as error:
                self.saving = False
                return LoadReport(
                    self._snapshot(),
                    notice=f"Could not read the history ({_reason(error)}): "
                    "this session's lookups will not be saved.",
                    saving=False,
                )

    def _load_locked(self, target: Path, ahead: _Ahead | None) -> LoadReport:
        self._remove_stale_temporaries(target)
        parsed = self._read_disk(target, ahead)
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
        self.entries, _ = self._trimmed(parsed.entries)  # the file is trimmed when written
        if not parsed.damaged:
            return LoadReport(self._snapshot())
        backup = self._set_aside(target)
        write_atomic(target, serialize(self.entries, self._encoded))
        self._remember_disk(target, self.entries)
        notice = _damage_notice(len(self.entries), backup)
        return LoadReport(self._snapshot(notice, backup), notice=notice, backup=backup)

    def _remove_stale_temporaries(self, target: Path) -> None:
        """Delete temporary files left by a writer that was killed mid-write.

        Every write happens under the lock, so with the lock held none is in progress.
        """
        for leftover in target.parent.glob(f".{target.name}.*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                log.warning("could not remove %s", leftover)

    def _set_aside(self, target: Path) -> Path:
        """Move a damaged file aside (beside it, never overwritten) and return where."""
        backup = target.with_name(
            f"{target.name}.corrupt-{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}"
        )
        target.replace(backup)
        return backup

    # ------------------------------------------------------------------ changes

    def append(self, entry: HistoryEntry) -> Snapshot:
        """Add an interactive lookup and save. The entry is kept in memory even when saving
        fails.

        Raises HistoryError (after updating memory) when the file could not be written;
        the entry is written with the next successful save.
        """
        return self._update(add=(entry,))

    def append_run(self, entries: Sequence[HistoryEntry], run_id: str | None = None) -> Snapshot:
        """Add a batch's or a scripted run's entries in one locked write.

        They share one run id (`run_id`, else a new one; an entry that has its own keeps it),
        so they count against the runs' cap and never evict interactive lookups.
        """
        run_id = run_id or uuid.uuid4().hex
        return self._update(
            add=tuple(e if e.run_id else replace(e, run_id=run_id) for e in entries)
        )

    def append_many(self, entries: Sequence[HistoryEntry]) -> Snapshot:
        """Today's name for `append_run`: its callers (the batch, `qualtui lookup`) are runs."""
        return self.append_run(entries)

    def delete(self, entry_id: str) -> Snapshot:
        return self._update(remove=frozenset({entry_id}))

    def clear(self) -> Snapshot:
        return self._update(clear=True)

    def restore(self, entry: HistoryEntry, before_id: str | None) -> Snapshot:
        """Put a deleted entry back in its place (the undo of `delete`): just before
        `before_id`, the entry that followed it, or last when that is None or gone."""
        return self._update(add=(entry,), place=(entry.id, before_id))

    def snapshot(self) -> Snapshot:
        with self._lock:
            return self._snapshot()

    def _snapshot(
        self, notice: str | None = None, backup: Path | None = None, archived: int = 0
    ) -> Snapshot:
        """Number a new snapshot; call with the lock held."""
        self._revision += 1
        return Snapshot(tuple(self.entries), self._revision, notice, backup, archived)

    def _update(
        self,
        add: Sequence[HistoryEntry] = (),
        remove: frozenset[str] = frozenset(),
        clear: bool = False,
        place: _Place | None = None,
    ) -> Snapshot:
        """Apply a change in memory, then to the file under the lock.

        The file is the source of truth: it is re-read, and only this process's unsaved
        entries are added to it, so what other processes deleted stays deleted. A file found
        damaged is never written over: it is set aside and what this process knew is kept
        with whatever of it could be read.
        """
        ahead = self._parse_ahead() if self.enabled and self.saving else None
        with self._lock:
            if not self.enabled:
                return self._snapshot()
            kept = [] if clear else [e for e in self.entries if e.id not in remove]
            unsaved = [] if clear else [e for e in self._unsaved if e.id not in remove]
            self._unsaved = merge(unsaved, add)
            self.entries, _ = self._trimmed(_placed(merge(kept, add), place))
            if not self.saving:
                return self._snapshot()
            try:
                target = self._target()
                ensure_private_dir(target.parent)
                with self._file_lock(target):
                    return self._save_locked(target, ahead, kept, remove, clear, place)
            except Timeout:
                raise HistoryError("another qualtui held the history lock too long") from None
            except OSError as error:
                raise HistoryError(_reason(error)) from error

    def _save_locked(
        self,
        target: Path,
        ahead: _Ahead | None,
        kept: list[HistoryEntry],
        remove: frozenset[str],
        clear: bool,
        place: _Place | None = None,
    ) -> Snapshot:
        on_disk = self._read_disk(target, ahead)
        if on_disk.newer_version is not None:
            self.saving = False
            raise HistoryError(
                f"{self.path.name} was replaced by a newer qualtui; "
                "history is no longer saved this session"
            )
        backup = None
        base: Iterable[HistoryEntry] = on_disk.entries
        if on_disk.damaged:
            backup = self._set_aside(target)
            base = merge(kept, on_disk.entries)  # what this session knew, then the readable
        disk = [] if clear else [e for e in base if e.id not in remove]
        merged, trimmed = self._trimmed(_placed(merge(disk, self._unsaved), place))
        if trimmed:
            encoded = (self._encoded.get(e.id) or encode(e) for e in trimmed)
            append_lines(archive_path(target), encoded)  # first: a crash repeats, never loses
        write_atomic(target, serialize(merged, self._encoded))
        self.entries = merged
        self._unsaved = []
        self._remember_disk(target, merged)
        notice = _damage_notice(len(merged), backup) if backup is not None else None
        return self._snapshot(notice, backup, len(trimmed))

    # ------------------------------------------------------------------ disk cache

    def _stamp(self, target: Path) -> _Stamp | None:
        try:
            st = target.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def _parse_ahead(self) -> _Ahead | None:
        """Read and parse the file with no lock held, if it changed since this store saw it.

        None when there is nothing to do or the file is not readable now (the locked read
        then reports why). Atomic writes replace the file, never change it in place, so a
        file whose stamp is the same before and after the read was read whole.
        """
        with self._lock:
            seen, known_entries = self._disk_stamp, self._disk_entries
        try:
            target = self._target()
            before = self._stamp(target)
            if before is None or before == seen:
                return None
            data = read_regular_file(target, MAX_FILE_BYTES)
            if self._stamp(target) != before:
                return None
        except OSError:
            return None
        return before, parse(data, {e.id: e for e in known_entries})

    def _read_disk(self, target: Path, ahead: _Ahead | None = None) -> Parsed:
        """The file's entries; not read again if it is unchanged since this store saw it
        or since `ahead` parsed it. Call with both locks held.

        Raises UnreadableFile (an OSError) for a FIFO, a folder or a file over the cap.
        """
        stamp = self._stamp(target)
        if stamp is not None and stamp == self._disk_stamp:
            return Parsed(tuple(self._disk_entries))
        if stamp is not None and ahead is not None and ahead[0] == stamp:
            parsed = ahead[1]
        else:
            try:
                data = read_regular_file(target, MAX_FILE_BYTES)
            except FileNotFoundError:
                return Parsed()
            parsed = parse(data, {e.id: e for e in self._disk_entries})
        if not parsed.damaged and parsed.newer_version is None:
            self._disk_stamp, self._disk_entries = stamp, list(parsed.entries)
        return parsed

    def _remember_disk(self, target: Path, entries: list[HistoryEntry]) -> None:
        self._disk_stamp, self._disk_entries = self._stamp(target), list(entries)
        live = {e.id for e in entries}
        if len(self._encoded) > 2 * len(live) + 100:
            self._encoded = {k: v for k, v in self._encoded.items() if k in live}


def _placed(entries: list[HistoryEntry], place: _Place | None) -> list[HistoryEntry]:
    """`entries` with the entry `place[0]` moved just before `place[1]` (last if absent)."""
    if place is None:
        return entries
    entry_id, before_id = place
    moving = [e for e in entries if e.id == entry_id]
    rest = [e for e in entries if e.id != entry_id]
    index = next((i for i, e in enumerate(rest) if e.id == before_id), len(rest))
    return rest[:index] + moving + rest[index:]


def _damage_notice(kept: int, backup: Path) -> str:
    return (
        f"The history file was damaged. Kept {kept} readable entries; the original is "
        f"saved as {backup}."
    )


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        text = os.strerror(error.errno) if error.errno else str(error)
        return f"{text}: {error.filename}" if error.filename else text
    return str(error)


__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_RUN_CAP",
    "LOCK_TIMEOUT",
    "MAX_FILE_BYTES",
    "HistoryError",
    "HistoryStore",
    "LoadReport",
    "Snapshot",
]
