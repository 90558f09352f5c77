"""The archive beside the history file: what the caps trimmed, kept rather than lost.

`history-archive.jsonl` beside `history.json`: one entry's JSON (the file's codec) a line,
appended and fsynced before the trimmed file replaces the old one, so a crash between the
two can repeat a line but never lose one (a reader takes an id's first line). qualtui never
reads it back; it is the user's to keep, grep or delete.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from qualtui.core.atomic import UnreadableFile


def archive_path(history_file: Path) -> Path:
    """The archive beside a history file: `history.json` -> `history-archive.jsonl`."""
    return history_file.with_name(f"{history_file.stem}-archive.jsonl")


def append_lines(path: Path, encoded_entries: Iterable[bytes]) -> None:
    """Append one line per encoded entry and fsync. Creates the file 0600; refuses (never
    blocks on) a FIFO or anything else that is not a regular file."""
    lines = b"".join(encoded + b"\n" for encoded in encoded_entries)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as error:
        if error.errno == errno.ENXIO:  # a FIFO nobody reads
            raise UnreadableFile(f"{path} is not a regular file") from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableFile(f"{path} is not a regular file")
        view = memoryview(lines)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
