"""The history on disk, shared safely: `HistoryStore` and what its methods return.

The history is two files beside each other: `history.json`, written atomically (temporary
file, fsync, rename), and `history-journal.jsonl`, the changes made since (see `journal`),
appended and fsynced. A change appends its lines to the journal under an inter-process
lock (filelock), after reading what other processes appended since, so several qualtui
processes lose nothing and an append costs the same at any size. The journal is folded
into the file (rewritten whole) once it holds more than a quarter of the file's bytes (at
most `FOLD_MAX_BYTES`): a rewrite every so many appends, never one per append.

Damage found at any moment (at load or at a later save) is handled the same way: the
damaged file is moved aside, what could be read is kept and merged, and the caller is told.
What the caps trim is appended to the archive beside the file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from qualtui.core import frozen_heap
from qualtui.core.atomic import read_regular_file, write_atomic
from qualtui.core.history.archive import append_lines, archive_path
from qualtui.core.history.caps import DEFAULT_LIMIT, DEFAULT_RUN_CAP
from qualtui.core.history.entry import HistoryEntry
from qualtui.core.history.file_format import Parsed, encode, parse, serialize
from qualtui.core.history.journal import (
    Add,
    Change,
    Clear,
    Delete,
    Identity,
    identity,
    journal_path,
)
from qualtui.core.history.journal import append as append_changes
from qualtui.core.history.journal import read as read_journal
from qualtui.core.history.live_entries import LiveEntries
from qualtui.core.paths import ensure_private_dir

if TYPE_CHECKING:
    from filelock import FileLock

log = logging.getLogger(__name__)

LOCK_TIMEOUT = 10.0
MAX_FILE_BYTES = 512 << 20
"""A history file larger than this is refused with a message, never read."""

_Stamp = tuple[int, int, int, int]
_Ahead = tuple[_Stamp, Parsed]
"""A file's stamp and what it held, parsed with no lock held."""

PEEK_MAX_BYTES = 4 << 20
"""A history file larger than this (about 10,000 entries) gets no first look to show: it
could not be shown at once anyway, and building its entries twice (for the look, then for
the load) held the interpreter lock long enough to freeze the UI."""

FOLD_MAX_BYTES = 32 << 20
"""The journal is folded into the file once it is over a quarter of the file, or this."""


class HistoryError(Exception):
    """Saving the history failed; the message says why, in words."""


class Snapshot(NamedTuple):
    """The entries (oldest first, by insertion) after a change; `revision` orders snapshots.

    `entries` is a view, not a copy: taking a snapshot costs the same at any size.
    `notice` tells the user something they must know although the change was saved (the
    file was found damaged and set aside as `backup`); `archived` counts the entries the caps
    moved to the archive file in this change.
    """

    entries: Sequence[HistoryEntry]
    revision: int
    notice: str | None = None
    backup: Path | None = None
    archived: int = 0


class LoadReport(NamedTuple):
    snapshot: Snapshot
    notice: str | None = None
    backup: Path | None = None
    saving: bool = True


class Peek(NamedTuple):
    """The history as its files hold it now, read with no lock held and nothing written
    (`HistoryStore.peek`): `snapshot` is shown while `load` waits for the lock (None: there
    is nothing to show first), and `ahead`, the file parsed, is handed to `load` so the file
    is not parsed twice. The snapshot's revision is 0: the store's own (1 and up) supersede
    it."""

    snapshot: Snapshot | None
    ahead: _Ahead | None


class _Disk(NamedTuple):
    """What the two files held, read under the lock."""

    base: Parsed
    changes: list[Change]
    journal_damaged: bool = False


@dataclass
class HistoryStore:
    """The history file at `path` (0 as `limit` turns history off).

    Caps: `cap` interactive lookups and `run_cap` entries of runs are kept in the file, each
    cap trimming only its own kind, oldest insertions first, into the archive. `cap` is the
    configured one (settings, else DEFAULT_LIMIT); when it is not given, `limit` can raise it
    but never lower it, so a per-run `--history-limit` never trims what is on disk.

    All methods but `snapshot` block (file I/O): call them from a worker thread. They are
    thread-safe; file work runs one call at a time, and the lock `snapshot` takes is only
    ever held for changes in memory, never while reading, parsing or writing.
    `entries` is oldest first (insertion order). A symlinked file is written through: the
    link's target is read and replaced, the link stays.
    """

    path: Path
    limit: int = DEFAULT_LIMIT
    saving: bool = True
    cap: int | None = None
    run_cap: int = DEFAULT_RUN_CAP
    # In memory: the entries shown, and the changes made to them not yet in the journal
    # (with the entries trimmed meanwhile, archived before their deletes are written).
    _live: LiveEntries = field(default_factory=LiveEntries, repr=False)
    _pending: list[Change] = field(default_factory=list, repr=False)
    _to_archive: list[HistoryEntry] = field(default_factory=list, repr=False)
    # What the files held when this store last read or wrote them: the file's stamp and
    # entries, the journal's identity, how far it was read and its changes. Memory is that
    # with `_pending` applied, so when both files are as this store left them (the usual
    # case: no other process wrote) nothing is read at all.
    _base_stamp: _Stamp | None = field(default=None, repr=False)
    _base_entries: Sequence[HistoryEntry] = field(default=(), repr=False)
    _base_size: int = field(default=0, repr=False)
    _journal_at: tuple[Identity, int] | None = field(default=None, repr=False)
    _journal_changes: list[Change] = field(default_factory=list, repr=False)
    _encoded: dict[str, bytes] = field(default_factory=dict, repr=False)
    _revision: int = field(default=0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _write_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    @property
    def entries(self) -> Sequence[HistoryEntry]:
        """The entries in memory, oldest first (a view)."""
        with self._lock:
            return self._live.view()

    @property
    def interactive_cap(self) -> int:
        return self.cap if self.cap is not None else max(self.limit, DEFAULT_LIMIT)

    @property
    def archive(self) -> Path:
        return archive_path(self._target())

    @property
    def journal(self) -> Path:
        return journal_path(self._target())

    def _target(self) -> Path:
        """The file written: the path itself, or the target of a symlink at it."""
        return _resolved(self.path)

    def _file_lock(self, target: Path) -> FileLock:
        from filelock import FileLock  # imported by the first lock, not with the module

        return FileLock(str(target) + ".lock", timeout=LOCK_TIMEOUT, mode=0o600)

    # ------------------------------------------------------------------ load

    def peek(self) -> Peek | None:
        """The history as the files hold it now, read with no lock held and nothing written:
        what to show until `load` has the lock (the lock's module alone takes 9 ms to
        import), and the file parsed for `load`. None when history is off or the file cannot
        be read now (`load` says why). A first look with entries is also memory's until the
        load, unless a change came first.

        Its snapshot is None when `load` has more to say than entries (a file damaged or
        newer, a journal line unreadable or being appended right now) and for a file over
        PEEK_MAX_BYTES. The caps are applied as `load` applies them. The file is read whole
        (`_read_whole`); appends to the journal are whole lines, and a torn last line is
        refused; a fold between the two reads leaves the history to `load`.
        """
        if not self.enabled:
            return None
        try:
            target = self._target()
            stamp = _stamp(target)
            ahead: _Ahead | None = None
            base = Parsed()
            if stamp is not None:
                data = _read_whole(target, stamp)
                if data is None:
                    return None
                base = parse(data)
                ahead = (stamp, base)
                if stamp[1] > PEEK_MAX_BYTES:
                    return Peek(None, ahead)
            if base.damaged or base.newer_version is not None:
                return Peek(None, ahead)
            journal = read_journal(journal_path(target), 0, MAX_FILE_BYTES, {})
            if _stamp(target) != stamp:
                return None  # folded meanwhile: the journal read may miss what the file got
        except OSError:
            return None
        if journal.damaged or journal.torn:
            return Peek(None, ahead)
        live = replay(base.entries, journal.changes)
        live.trim(self.interactive_cap, self.run_cap)
        with self._lock:
            if not self._live and not self._pending and self._base_stamp is None:
                # Memory starts as what is shown, so what reads it before the load (an
                # undo of a run, a failed load's snapshot) sees the rows on the screen. The
                # load still reads both files under the lock and rebuilds memory from them.
                self._live = live
        return Peek(Snapshot(live.view(), 0), ahead)

    def load(self, peeked: Peek | None = None) -> LoadReport:
        """Read the files, recovering from damage. Never raises.

        The file is read and parsed before any lock is taken (a large history takes a while
        to parse), or taken from `peeked`; under the file lock it is only checked to be the
        same file, else read again, and the journal is read.
        """
        from filelock import Timeout

        ahead = peeked.ahead if peeked is not None else None
        if ahead is None and self.enabled:
            ahead = self._parse_ahead()
        with self._write_lock:
            if not self.enabled:
                self.saving = False
                return LoadReport(self.snapshot(), saving=False)
            try:
                target = self._target()
                ensure_private_dir(target.parent)
                with self._file_lock(target):
                    report = self._load_locked(target, ahead)
                # memory's dict and list of a large history's entries (at 1,000,000 a young
                # collection walking them held the interpreter lock 100 ms)
                frozen_heap.freeze_too_if_kept()
                return report
            except (OSError, Timeout) as error:
                self.saving = False
                return LoadReport(
                    self.snapshot(),
                    notice=f"Could not read the history ({_reason(error)}): "
                    "this session's lookups will not be saved.",
                    saving=False,
                )

    def _load_locked(self, target: Path, ahead: _Ahead | None) -> LoadReport:
        self._remove_stale_temporaries(target)
        disk = self._read_disk(target, ahead)
        if disk.base.newer_version is not None:
            self.saving = False
            with self._lock:
                self._live = LiveEntries()
                self._pending, self._to_archive = [], []
                snapshot = self._snapshot()
            return LoadReport(
                snapshot,
                notice=f"{self.path.name} was written by a newer qualtui (format "
                f"{disk.base.newer_version}); it is left untouched and this session's lookups "
                "will not be saved.",
                saving=False,
            )
        damaged = disk.base.damaged or disk.journal_damaged
        self._rebuild(disk, damaged)  # the caps trim memory; the files when next written
        if not damaged:
            if self._fold_due():
                self._fold(target)
            return LoadReport(self.snapshot())
        backup = self._set_aside_damaged(target, disk)
        self._fold(target, force=True)
        with self._lock:
            notice = _damage_notice(len(self._live), backup)
            snapshot = self._snapshot(notice, backup)
        return LoadReport(snapshot, notice=notice, backup=backup)

    def _remove_stale_temporaries(self, target: Path) -> None:
        """Delete temporary files left by a writer that was killed mid-write.

        Every write happens under the lock, so with the lock held none is in progress.
        """
        for leftover in target.parent.glob(f".{target.name}.*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                log.warning("could not remove %s", leftover)

    def _set_aside(self, damaged: Path) -> Path:
        """Move a damaged file aside (beside it, never overwritten) and return where."""
        backup = damaged.with_name(
            f"{damaged.name}.corrupt-{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}"
        )
        damaged.replace(backup)
        return backup

    def _set_aside_damaged(self, target: Path, disk: _Disk) -> Path:
        """Set aside the damaged file(s); the backup of the file, else of the journal."""
        backup = None
        if disk.journal_damaged:
            backup = self._set_aside(journal_path(target))
        if disk.base.damaged and target.exists():
            backup = self._set_aside(target)
        assert backup is not None
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
        return self._update(add=(entry,), before=before_id)

    def snapshot(self) -> Snapshot:
        with self._lock:
            return self._snapshot()

    def _snapshot(
        self, notice: str | None = None, backup: Path | None = None, archived: int = 0
    ) -> Snapshot:
        """Number a new snapshot; call with the lock held."""
        self._revision += 1
        return Snapshot(self._live.view(), self._revision, notice, backup, archived)

    def _update(
        self,
        add: Sequence[HistoryEntry] = (),
        remove: frozenset[str] = frozenset(),
        clear: bool = False,
        before: str | None = None,
    ) -> Snapshot:
        """Apply a change in memory, then append it to the journal under the file lock.

        The files are the source of truth: what other processes wrote since this store last
        looked is read first, and memory becomes the files with this process's unsaved
        changes applied, so what other processes deleted stays deleted. A file found
        damaged is never written over: it is set aside and what this process knew is kept
        with whatever of it could be read.
        """
        with self._lock:
            if not self.enabled:
                return self._snapshot()
            self._pending.extend(self._apply(add, remove, clear, before))
            self._trim_memory()
            if not self.saving:
                return self._snapshot()
        from filelock import Timeout

        ahead = self._parse_ahead()
        with self._write_lock:
            try:
                target = self._target()
                ensure_private_dir(target.parent)
                with self._file_lock(target):
                    return self._save_locked(target, ahead)
            except Timeout:
                raise HistoryError("another qualtui held the history lock too long") from None
            except OSError as error:
                raise HistoryError(_reason(error)) from error

    def _apply(
        self,
        add: Sequence[HistoryEntry],
        remove: Iterable[str] = (),
        clear: bool = False,
        before: str | None = None,
    ) -> list[Change]:
        """Apply a change to memory (lock held); the journal lines it needs. `before`: the
        added entries go just before that entry (an undone delete), else last."""
        changes: list[Change] = []
        if clear:
            self._live.clear()
            changes.append(Clear())
        removed = [i for i in remove]
        if removed:
            self._live.remove(removed)
            changes.extend(Delete(i) for i in removed)
        changes.extend(Add(e, before) for e in add if self._live.add(e, before))
        return changes

    def _trim_memory(self) -> None:
        """Trim memory to the caps (lock held); the trimmed entries go to the archive and
        their deletes to the journal at the next write."""
        over = self._live.trim(self.interactive_cap, self.run_cap)
        if over:
            self._to_archive.extend(over)
            self._pending.extend(Delete(e.id) for e in over)

    def _save_locked(self, target: Path, ahead: _Ahead | None) -> Snapshot:
        backup = None
        if not self._in_sync(target):
            disk = self._read_disk(target, ahead)
            if disk.base.newer_version is not None:
                self.saving = False
                raise HistoryError(
                    f"{self.path.name} was replaced by a newer qualtui; "
                    "history is no longer saved this session"
                )
            damaged = disk.base.damaged or disk.journal_damaged
            self._rebuild(disk, damaged)
            if damaged:
                backup = self._set_aside_damaged(target, disk)
        archived = self._write_archive(target)
        if backup is None:
            with self._lock:
                batch, self._pending = self._pending, []
            try:
                if batch:
                    size = append_changes(journal_path(target), batch, self._encoded)
                    self._journal_seen(target, size, batch)
            except BaseException:
                with self._lock:
                    self._pending[:0] = batch
                raise
        if backup is not None:
            archived += self._fold(target, force=True)
        elif self._fold_due():
            try:
                archived += self._fold(target)
            except OSError as error:  # the change is saved (in the journal): fold later
                log.warning("could not fold the history journal: %s", _reason(error))
        with self._lock:
            notice = _damage_notice(len(self._live), backup) if backup is not None else None
            return self._snapshot(notice, backup, archived)

    def _write_archive(self, target: Path) -> int:
        """Append the trimmed entries to the archive, before their deletes are written (a
        crash repeats a line, never loses one); how many."""
        with self._lock:
            trimmed = list(self._to_archive)
        if trimmed:
            encoded = (self._encoded.get(e.id) or encode(e) for e in trimmed)
            append_lines(archive_path(target), encoded)
            with self._lock:
                del self._to_archive[: len(trimmed)]
        return len(trimmed)

    # ------------------------------------------------------------------ the two files

    def _rebuild(self, disk: _Disk, damaged: bool) -> None:
        """Memory := the files, then this process's unsaved changes, then the caps. When
        something was damaged, what this session knew comes first (the file cannot be
        trusted to hold it)."""
        from_disk = replay(disk.base.entries, disk.changes)
        with self._lock:
            if damaged:  # what this session knew before its unsaved additions, then the rest
                unsaved = {c.entry.id for c in self._pending if isinstance(c, Add)}
                knew = LiveEntries(e for e in self._live if e.id not in unsaved)
                for entry in from_disk:
                    knew.add(entry)
                from_disk = knew
            self._live = from_disk
            pending, self._pending = self._pending, []
            for change in pending:
                self._pending.extend(
                    self._apply(
                        (change.entry,) if isinstance(change, Add) else (),
                        (change.entry_id,) if isinstance(change, Delete) else (),
                        isinstance(change, Clear),
                        change.before if isinstance(change, Add) else None,
                    )
                )
            self._trim_memory()

    def _in_sync(self, target: Path) -> bool:
        """Whether both files are as this store last read or wrote them."""
        if self._base_stamp != _stamp(target):
            return False
        return identity(journal_path(target)) == self._journal_at

    def _fold_due(self) -> bool:
        if self._journal_at is None:
            return False
        return self._journal_at[1] > min(FOLD_MAX_BYTES, self._base_size // 4)

    def _fold(self, target: Path, force: bool = False) -> int:
        """Write the file whole (memory) and remove the journal; how many trimmed entries
        were archived on the way.

        Unless forced (damage), skipped while another thread has a change pending: it is
        folded next time. Forced, memory's pending changes are written with it.
        """
        with self._lock:
            if (self._pending or self._to_archive) and not force:
                return 0
            view = self._live.view()
            trimmed = list(self._to_archive)
            taken, self._pending = self._pending, []
        try:
            if trimmed:  # before the file loses them: a crash repeats a line, never loses one
                append_lines(
                    archive_path(target), (self._encoded.get(e.id) or encode(e) for e in trimmed)
                )
            data = serialize(view, self._encoded)
            write_atomic(target, data)
        except BaseException:
            with self._lock:
                self._pending[:0] = taken
            raise
        with self._lock:
            del self._to_archive[: len(trimmed)]
        with contextlib.suppress(FileNotFoundError):
            journal_path(target).unlink()
        self._base_seen(target, view, len(data))
        self._journal_at, self._journal_changes = None, []
        live = {e.id for e in view}
        if len(self._encoded) > 2 * len(live) + 100:
            self._encoded = {k: v for k, v in self._encoded.items() if k in live}
        return len(trimmed)

    def _base_seen(self, target: Path, entries: Sequence[HistoryEntry], size: int) -> None:
        self._base_stamp, self._base_entries, self._base_size = _stamp(target), entries, size

    def _journal_seen(self, target: Path, end: int, changes: Sequence[Change]) -> None:
        """This store read or wrote the journal up to `end`; `changes` are its new lines."""
        found = identity(journal_path(target))
        self._journal_at = (found[0], end) if found is not None else None
        self._journal_changes.extend(changes)

    def _parse_ahead(self) -> _Ahead | None:
        """Read and parse the file with no lock held, if it changed since this store saw it.

        None when there is nothing to do or the file is not readable now (the locked read
        then reports why); see `_read_whole`.
        """
        with self._lock:
            seen, known = self._base_stamp, self._live.by_id
        try:
            target = self._target()
            before = _stamp(target)
            if before is None or before == seen:
                return None
            data = _read_whole(target, before)
        except OSError:
            return None
        return None if data is None else (before, parse(data, known))

    def _read_disk(self, target: Path, ahead: _Ahead | None = None) -> _Disk:
        """What both files hold; the file is not read again if it is unchanged since this
        store saw it or since `ahead` parsed it, the journal only from where this store
        stopped reading it. Call with the file lock held.

        Raises UnreadableFile (an OSError) for a FIFO, a folder or a file over the cap.
        """
        stamp = _stamp(target)
        if stamp is not None and stamp == self._base_stamp:
            base = Parsed(tuple(self._base_entries))
            size = self._base_size
        else:
            if stamp is not None and ahead is not None and ahead[0] == stamp:
                base = ahead[1]
            else:
                try:
                    data = read_regular_file(target, MAX_FILE_BYTES)
                except FileNotFoundError:
                    data = None
                base = Parsed() if data is None else parse(data, self._live.by_id)
            size = stamp[1] if stamp is not None else 0
            self._journal_at, self._journal_changes = None, []  # a new file: read it all
            if not base.damaged and base.newer_version is None:
                self._base_seen(target, base.entries, size)
            else:
                self._base_stamp, self._base_entries, self._base_size = None, (), 0
        journal = journal_path(target)
        found = identity(journal)
        known = self._journal_at
        if found is None or known is None or found[0] != known[0] or found[1] < known[1]:
            self._journal_at, self._journal_changes = None, []
            start = 0
        else:
            start = known[1]
        read = read_journal(journal, start, MAX_FILE_BYTES, self._live.by_id)
        damaged = read.damaged or read.torn
        if not damaged:
            self._journal_seen(target, read.end, read.changes)
            changes = list(self._journal_changes)
        else:
            changes = [*self._journal_changes, *read.changes]
            self._journal_at, self._journal_changes = None, []
        return _Disk(base, changes, damaged)


def replay(base: Iterable[HistoryEntry], changes: Iterable[Change]) -> LiveEntries:
    """The entries of a file with a journal's changes applied in order."""
    live = LiveEntries(base)
    deletes: list[str] = []
    for change in changes:
        if isinstance(change, Delete):
            deletes.append(change.entry_id)  # applied together: trims come in runs
            continue
        if deletes:
            live.remove(deletes)
            deletes = []
        if isinstance(change, Add):
            live.add(change.entry, change.before)
        else:
            live.clear()
    if deletes:
        live.remove(deletes)
    return live


def read_history(path: Path) -> Parsed:
    """The history at `path` as the store would load it (the file with its journal), read
    without any lock and never written: for reading tools (`qualtui history export`).

    `damaged` when either file holds something unreadable; a journal line being appended
    right now is not read. A fold (the file replaced, then the journal removed) between
    reading the file and reading the journal would leave the journal's changes out: the
    read is made again when the file changed meanwhile (READ_ATTEMPTS at most). Raises
    OSError (UnreadableFile for a FIFO, a folder or a file over the cap).
    """
    target = _resolved(path)
    for _attempt in range(READ_ATTEMPTS):
        stamp = _stamp(target)
        try:
            base = parse(read_regular_file(target, MAX_FILE_BYTES))
        except FileNotFoundError:
            base = Parsed()
        if base.newer_version is not None:
            return base
        journal = read_journal(journal_path(target), 0, MAX_FILE_BYTES, {})
        if _stamp(target) == stamp:
            break
    entries = tuple(replay(base.entries, journal.changes))
    return Parsed(entries, base.damaged or journal.damaged, version=base.version)


READ_ATTEMPTS = 5
"""How many times `read_history` reads both files while another process keeps folding."""


def _stamp(target: Path) -> _Stamp | None:
    """The file's identity and version: another after any write (atomic writes replace it)."""
    try:
        st = target.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _read_whole(target: Path, stamp: _Stamp) -> bytes | None:
    """The file's bytes, read with no lock held; None if it was replaced meanwhile (its
    stamp is not `stamp` any more). Atomic writes replace the file, never change it in
    place, so a file whose stamp is the same before and after the read was read whole."""
    data = read_regular_file(target, MAX_FILE_BYTES)
    return data if _stamp(target) == stamp else None


def _resolved(path: Path) -> Path:
    try:
        return path.resolve() if path.is_symlink() else path
    except (OSError, RuntimeError) as error:  # a symlink loop
        raise OSError(f"{path} cannot be resolved ({error})") from None


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
    "Peek",
    "Snapshot",
    "read_history",
    "replay",
]
