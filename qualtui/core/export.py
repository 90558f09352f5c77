"""Exporting history entries to CSV or JSON, written atomically."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from qualtui.core.atomic import write_atomic
from qualtui.core.history import HistoryEntry

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")

CSV_COLUMNS = (
    "time_utc",
    "environment",
    "region",
    "profile",
    "qualification_type_id",
    "worker_id",
    "status",
    "score",
    "locale",
    "grant_time_utc",
    "error_kind",
    "error_code",
    "turk_error_code",
    "error_message",
)

# A spreadsheet runs a cell that starts with one of these as a formula. History entries
# hold text from the service and from files, so such cells get a leading apostrophe.
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


def _safe_cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _row(entry: HistoryEntry) -> dict[str, str]:
    data = entry.to_json()
    q = entry.qualification
    error = entry.error
    row = {
        "time_utc": data["time"],
        "environment": entry.environment,
        "region": entry.region,
        "profile": entry.profile or "",
        "qualification_type_id": entry.qualification_type_id,
        "worker_id": entry.worker_id,
        "status": q.status if q else "",
        "score": str(q.integer_value) if q and q.integer_value is not None else "",
        "locale": str(q.locale) if q and q.locale else "",
        "grant_time_utc": data.get("qualification", {}).get("GrantTime", ""),
        "error_kind": error.kind if error else "",
        "error_code": (error.code or "") if error else "",
        "turk_error_code": (error.turk_error_code or "") if error else "",
        "error_message": (error.message or "") if error else "",
    }
    return {key: _safe_cell(value) for key, value in row.items()}


def render(entries: Sequence[HistoryEntry], fmt: Format) -> bytes:
    """The export's bytes: entries in the order given."""
    if fmt == "json":
        document = {"version": 1, "entries": [entry.to_json() for entry in entries]}
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(_row(entry) for entry in entries)
    return buffer.getvalue().encode("utf-8")


def export(
    entries: Sequence[HistoryEntry], path: Path, fmt: Format, *, overwrite: bool = False
) -> None:
    """Write an export atomically. Raises ExportError with a readable reason."""
    if path.is_dir():
        raise ExportError(f"{path} is a directory: give a file name")
    if not path.parent.is_dir():
        raise ExportError(f"the folder {path.parent} does not exist")
    if path.exists() and not overwrite:
        raise ExportError(f"{path} already exists")
    try:
        write_atomic(path, render(entries, fmt), mode=0o644 & ~_umask())
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
