"""The archive beside the history file: what the caps trimmed, kept rather than lost.

`history-archive.jsonl` beside `history.json`: one entry's JSON (the file's codec) a line,
appended and fsynced before the trimmed file replaces the old one, so a crash between the
two can repeat a line but never lose one (a reader takes an id's first line). qualtui never
reads it back; it is the user's to keep, grep or delete.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from qualtui.core.atomic import append_synced


def archive_path(history_file: Path) -> Path:
    """The archive beside a history file: `history.json` -> `history-archive.jsonl`."""
    return history_file.with_name(f"{history_file.stem}-archive.jsonl")


def append_lines(path: Path, encoded_entries: Iterable[bytes]) -> None:
    """Append one line per encoded entry and fsync (`append_synced`: created 0600, never a
    FIFO)."""
    append_synced(path, b"".join(encoded + b"\n" for encoded in encoded_entries))
