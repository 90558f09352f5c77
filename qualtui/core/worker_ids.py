"""Lists of worker IDs: parsed from pasted text or from a file (plain text, or a CSV with a
WorkerId column such as MTurk's own worker downloads), validated and de-duplicated.

Files and streams are outside input: read with a byte cap (a device such as /dev/zero or an
endless pipe never grows memory without bound), only regular files are opened by name (a
FIFO would block forever), any line ending is accepted, and binary content or an absurdly
long CSV field is refused with a reason, never an exception the user sees.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from qualtui.core import ids
from qualtui.core.atomic import UnreadableFile, read_regular_file

_SEPARATORS = re.compile(r"[\s,;]+")
_WORKER_COLUMNS = {"workerid", "worker id", "worker_id", "worker"}
MAX_FILE_BYTES = 20_000_000


@dataclass(frozen=True)
class WorkerList:
    """Valid IDs in first-seen order, each once; what was refused and why."""

    valid: tuple[str, ...] = ()
    invalid: tuple[tuple[str, str], ...] = ()
    duplicates: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


def parse_ids(items: list[str]) -> WorkerList:
    seen: dict[str, None] = {}
    invalid: list[tuple[str, str]] = []
    duplicates = 0
    for raw in items:
        value = ids.normalize(raw)
        if not value:
            continue
        problem = ids.problem(ids.WORKER_ID, value)
        if problem:
            invalid.append((raw.strip(), problem))
        elif value in seen:
            duplicates += 1
        else:
            seen[value] = None
    return WorkerList(tuple(seen), tuple(invalid), duplicates)


def parse_text(text: str) -> WorkerList:
    """IDs separated by newlines, commas, semicolons or spaces."""
    return parse_ids([item for item in _SEPARATORS.split(text) if item])


def parse_csv(text: str) -> WorkerList | None:
    """The WorkerId column of a CSV, or None when the first row names no such column.
    Raises WorkerFileError for a CSV the csv module refuses (e.g. a field over 128 KB)."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
        if not header:
            return None
        names = [h.strip().lower() for h in header]
        column = next((i for i, name in enumerate(names) if name in _WORKER_COLUMNS), None)
        if column is None:
            return None
        items = [row[column] for row in reader if len(row) > column]
    except csv.Error as error:
        raise WorkerFileError(f"line {reader.line_num} is not valid CSV ({error})") from None
    parsed = parse_ids(items)
    note = f"read the {header[column].strip()!r} column of the CSV"
    return WorkerList(parsed.valid, parsed.invalid, parsed.duplicates, (note,))


def parse_content(text: str) -> WorkerList:
    """A file's or a paste's content: a CSV with a worker column, else free text."""
    text = text.lstrip("\ufeff")  # a byte-order mark, as spreadsheet exports write
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac endings
    first_line = text.split("\n", 1)[0]
    if "," in first_line or first_line.strip().lower() in _WORKER_COLUMNS:
        parsed = parse_csv(text)
        if parsed is not None:
            return parsed
    return parse_text(text)


class WorkerFileError(Exception):
    """A worker list that cannot be read, with the reason in plain words."""


def read_capped(stream: BinaryIO, name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """Up to `limit` bytes of a stream; WorkerFileError when there is more."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise WorkerFileError(f"{name} is larger than {limit // 1_000_000} MB")
    return data


def decode(data: bytes, name: str) -> str:
    """UTF-8 (else Latin-1) text; WorkerFileError for binary content."""
    if b"\0" in data:
        raise WorkerFileError(f"{name} looks like a binary file, not a list of worker IDs")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_stream(stream: BinaryIO, name: str = "standard input") -> WorkerList:
    """A worker list from a stream such as stdin, read with the byte cap."""
    return parse_content(decode(read_capped(stream, name), name))


def read_file(path: Path) -> WorkerList:
    """Read a worker list from a file. Raises WorkerFileError with a readable reason."""
    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise WorkerFileError(f"{path} does not exist") from None
    except UnreadableFile as error:
        hint = "" if "larger" in str(error) else "; save the list to a file, or pipe it to -"
        raise WorkerFileError(f"{error}{hint}") from None
    except PermissionError:
        raise WorkerFileError(f"{path} cannot be read (permission denied)") from None
    except OSError as error:
        raise WorkerFileError(f"could not read {path}: {error.strerror or error}") from None
    return parse_content(decode(data, str(path)))
