"""Writing an export file: the format from the name, a user-typed path, spreadsheet-safe cells,
and an atomic write that never replaces a file unless asked. What is exported (rows, columns)
is the caller's: the history's export is `qualtui.core.history.export`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from qualtui.core.atomic import write_atomic

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")

# A spreadsheet runs a cell that starts with one of these as a formula. Exports hold text
# from the service and from files, so such cells get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """The export could not be written; the message says why, in words."""


def format_for(path: Path, requested: str | None = None) -> Format:
    """The format asked for, else the one the file name ends with, else CSV."""
    if requested:
        if requested not in FORMATS:
            raise ExportError(f"unknown format {requested!r}: use csv or json")
        return requested
    return "json" if path.suffix.lower() == ".json" else "csv"


def resolve(text: str, cwd: Path | None = None) -> Path:
    """A user-typed path: ~ expanded, relative to `cwd` (the current directory)."""
    path = Path(text.strip()).expanduser()
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    return path


def safe_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_export(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write an export atomically. Raises ExportError with a readable reason."""
    if path.is_dir():
        raise ExportError(f"{path} is a directory: give a file name")
    if not path.parent.is_dir():
        raise ExportError(f"the folder {path.parent} does not exist")
    if path.exists() and not overwrite:
        raise ExportError(f"{path} already exists")
    try:
        write_atomic(path, data, mode=0o644 & ~_umask())
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise ExportError(f"could not write {path}: {reason}") from error


def _umask() -> int:
    """The process umask (read by setting it and putting it back)."""
    if os.name != "posix":
        return 0
    mask = os.umask(0o077)
    os.umask(mask)
    return mask
