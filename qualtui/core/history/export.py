"""Exporting history entries to CSV or JSON (written by `core.export`, atomically).

The generic names (`Format`, `FORMATS`, `ExportError`, `format_for`, `resolve`) are
re-exported so a caller exporting the history needs this one module.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from qualtui.core.export import (
    FORMATS,
    ExportError,
    Format,
    format_for,
    resolve,
    safe_cell,
    write_export,
)
from qualtui.core.history.entry import HistoryEntry

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "ExportError",
    "Format",
    "export",
    "format_for",
    "render",
    "resolve",
]

CSV_COLUMNS = (
    "time_utc",
    "environment",
    "region",
    "profile",
    "qualification_type_id",
    "qualification_type_name",
    "worker_id",
    "status",
    "score",
    "locale",
    "grant_time_utc",
    "error_kind",
    "error_code",
    "turk_error_code",
    "error_message",
    "change_kind",
    "change_before",
    "change_after",
    "change_outcome",
    "change_checked",
    "change_reason",
    "change_notified",
    "run_id",
)


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
        "qualification_type_name": entry.qualification_type_name or "",
        "worker_id": entry.worker_id,
        "status": q.status if q else _failed_status(entry),
        "score": str(q.integer_value) if q and q.integer_value is not None else "",
        "locale": str(q.locale) if q and q.locale else "",
        "grant_time_utc": data.get("qualification", {}).get("GrantTime", ""),
        "error_kind": error.kind if error else "",
        "error_code": (error.code or "") if error else "",
        "turk_error_code": (error.turk_error_code or "") if error else "",
        "error_message": (error.message or "") if error else "",
        **_change_cells(entry),
        "run_id": entry.run_id or "",
    }
    return {key: safe_cell(value) for key, value in row.items()}


NOT_HELD_STATUS = "NotHeld"  # beside Granted and Revoked, for a spreadsheet's filter
ERROR_STATUS = "Error"  # the lookup failed: error_kind says why


def _failed_status(entry: HistoryEntry) -> str:
    if entry.error is None:
        return ""
    return NOT_HELD_STATUS if entry.error.kind == "not_held" else ERROR_STATUS


def _change_cells(entry: HistoryEntry) -> dict[str, str]:
    change = entry.change
    if change is None:
        return {column: "" for column in CSV_COLUMNS if column.startswith("change_")}
    return {
        "change_kind": change.kind,
        "change_before": change.before.text() if change.before is not None else "",
        "change_after": change.after.text(),
        "change_outcome": change.outcome,
        "change_checked": change.checked.text() if change.checked is not None else "",
        "change_reason": change.reason or "",
        "change_notified": "yes" if change.notified else "no",
    }


def render(
    entries: Sequence[HistoryEntry],
    fmt: Format,
    extra: Sequence[Mapping[str, str]] | None = None,
) -> bytes:
    """The export's bytes: entries in the order given. `extra`: more fields for each entry
    (one mapping per entry, the same keys in each), as more CSV columns or JSON keys."""
    more = list(extra) if extra is not None else [{} for _ in entries]
    if len(more) != len(entries):
        raise ValueError("one extra mapping per entry")
    if fmt == "json":
        items = [{**entry.to_json(), **fields} for entry, fields in zip(entries, more, strict=True)]
        document = {"version": 1, "entries": items}
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    names = tuple(more[0]) if more else ()
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS + names, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(
        {**_row(entry), **{k: safe_cell(v) for k, v in fields.items()}}
        for entry, fields in zip(entries, more, strict=True)
    )
    return buffer.getvalue().encode("utf-8")


def export(
    entries: Sequence[HistoryEntry],
    path: Path,
    fmt: Format,
    *,
    overwrite: bool = False,
    extra: Sequence[Mapping[str, str]] | None = None,
) -> None:
    """Write an export atomically. Raises ExportError with a readable reason."""
    write_export(path, render(entries, fmt, extra), overwrite=overwrite)
