"""Lists of worker IDs: parsed from pasted text or from a file (plain text, or a CSV with a
WorkerId column such as MTurk's own worker downloads), validated and de-duplicated."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from qualtui.core import ids

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
    """The WorkerId column of a CSV, or None when the first row names no such column."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        return None
    names = [h.strip().lower() for h in header]
    column = next((i for i, name in enumerate(names) if name in _WORKER_COLUMNS), None)
    if column is None:
        return None
    items = [row[column] for row in reader if len(row) > column]
    parsed = parse_ids(items)
    note = f"read the {header[column].strip()!r} column of the CSV"
    return WorkerList(parsed.valid, parsed.invalid, parsed.duplicates, (note,))


def parse_content(text: str) -> WorkerList:
    """A file's or a paste's content: a CSV with a worker column, else free text."""
    text = text.lstrip("\ufeff")  # a byte-order mark, as spreadsheet exports write
    first_line = text.split("\n", 1)[0]
    if "," in first_line or first_line.strip().lower() in _WORKER_COLUMNS:
        parsed = parse_csv(text)
        if parsed is not None:
            return parsed
    return parse_text(text)


class WorkerFileError(Exception):
    pass


def read_file(path: Path) -> WorkerList:
    """Read a worker list from a file. Raises WorkerFileError with a readable reason."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise WorkerFileError(f"{path} is larger than {MAX_FILE_BYTES // 1_000_000} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise WorkerFileError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise WorkerFileError(f"{path} is a folder") from None
    except OSError as error:
        raise WorkerFileError(f"could not read {path}: {error.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return parse_content(text)
