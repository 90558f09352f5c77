"""The journal beside the history file: the changes made since the file was last written.

`history-journal.jsonl` beside `history.json`, one change a line, appended and fsynced
under the history's file lock, so an append costs one short write whatever the history's
size:

- `{"add": ENTRY}`: an entry added (ENTRY as in the file), last;
- `{"add": ENTRY, "before": ID}`: an entry put back just before another (an undone delete;
  last when that one is gone);
- `{"delete": ID}`: an entry deleted by the user or trimmed by a cap (after its archive
  line was written);
- `{"clear": true}`: everything before it cleared.

The file is `history.json` with the journal's lines applied in order. Applying a line
twice changes nothing (an add keeps an id's first place, a delete of what is gone is a
no-op, a clear followed by the same adds gives the same entries), so a crash between
folding the journal into the file and removing the journal repeats work and loses none.

A line that cannot be read is damage, as in the file: the journal is set aside, what could
be read is kept. A crash in the middle of an append leaves a last line without its newline:
only that line is lost.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from qualtui.core.atomic import UnreadableFile, append_synced
from qualtui.core.history.entry import HistoryEntry
from qualtui.core.history.file_format import encode


class Add(NamedTuple):
    entry: HistoryEntry
    before: str | None = None  # put just before this entry (an undone delete), else last


class Delete(NamedTuple):
    entry_id: str


class Clear(NamedTuple):
    pass


Change = Add | Delete | Clear


class JournalRead(NamedTuple):
    """The changes read from `start` to `end` (bytes); `damaged` when a line was unreadable,
    `torn` when the last one has no newline (a crash mid-append, or, to a reader without
    the lock, an append in progress)."""

    changes: tuple[Change, ...]
    end: int
    damaged: bool = False
    torn: bool = False


def journal_path(history_file: Path) -> Path:
    """The journal beside a history file: `history.json` -> `history-journal.jsonl`."""
    return history_file.with_name(f"{history_file.stem}-journal.jsonl")


def encode_change(change: Change, cache: dict[str, bytes] | None = None) -> bytes:
    """One change as its journal line (with the newline)."""
    if isinstance(change, Add):
        entry = change.entry
        encoded = cache.get(entry.id) if cache is not None else None
        if encoded is None:
            encoded = encode(entry)
            if cache is not None:
                cache[entry.id] = encoded
        if change.before is not None:
            return b'{"add":%s,"before":%s}\n' % (encoded, json.dumps(change.before).encode())
        return b'{"add":%s}\n' % encoded
    if isinstance(change, Delete):
        return b'{"delete":%s}\n' % json.dumps(change.entry_id).encode()
    return b'{"clear":true}\n'


Identity = tuple[int, int]
"""A journal file's device and inode: a new file (after a fold) is a new identity."""


def identity(path: Path) -> tuple[Identity, int] | None:
    """(identity, size) of the journal, None when there is none."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino), st.st_size


def read(path: Path, start: int, max_bytes: int, known: Mapping[str, HistoryEntry]) -> JournalRead:
    """The changes in the journal from byte `start` (a line boundary) to its end.

    No journal reads as no changes. Raises UnreadableFile for a FIFO, a folder or a journal
    over `max_bytes`; never blocks on a FIFO.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return JournalRead((), 0)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableFile(f"{path} is not a regular file")
        if st.st_size > max_bytes:
            raise UnreadableFile(f"{path} is larger than {max_bytes >> 20} MiB")
        os.lseek(fd, start, os.SEEK_SET)
        chunks = []
        while chunk := os.read(fd, 1 << 24):
            chunks.append(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    complete, newline, tail = data.rpartition(b"\n")
    changes, damaged = parse_lines(complete + newline, known)
    return JournalRead(tuple(changes), start + len(data), damaged, bool(tail))


def parse_lines(data: bytes, known: Mapping[str, HistoryEntry]) -> tuple[list[Change], bool]:
    """The readable changes of complete journal lines, and whether any was unreadable."""
    from qualtui.core.history import typed_decoder

    if not data.strip():
        return [], False
    fast = typed_decoder.decode_journal(data, known)
    if fast is not None:
        return fast, False
    damaged = False
    changes: list[Change] = []
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        change = _slow_line(line, known)
        if change is None:
            damaged = True
        else:
            changes.append(change)
    return changes, damaged


def _slow_line(line: bytes, known: Mapping[str, HistoryEntry]) -> Change | None:
    try:
        raw = json.loads(line)
        if not isinstance(raw, dict) or not raw:
            return None
        before = raw.pop("before", None)
        if len(raw) != 1 or not (before is None or (isinstance(before, str) and "add" in raw)):
            return None
        if "add" in raw:
            entry_id = raw["add"].get("id") if isinstance(raw["add"], dict) else None
            reuse = known.get(entry_id) if isinstance(entry_id, str) else None
            return Add(reuse or HistoryEntry.from_json(raw["add"]), before)
        if isinstance(raw.get("delete"), str) and raw["delete"]:
            return Delete(raw["delete"])
        if raw.get("clear") is True:
            return Clear()
    except (ValueError, TypeError, OverflowError, RecursionError, UnicodeDecodeError):
        return None
    return None


def append(path: Path, changes: Iterable[Change], cache: dict[str, bytes] | None = None) -> int:
    """Append the changes' lines and fsync; the journal's size after (`append_synced`:
    created 0600, never a FIFO)."""
    return append_synced(path, b"".join(encode_change(c, cache) for c in changes))
