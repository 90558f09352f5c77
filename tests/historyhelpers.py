"""Building history entries and files for tests."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.history import HistoryEntry
from qualtui.core.models import Failure, Locale, LookupRequest, LookupResult, Qualification

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)


def entry(
    n: int = 0,
    worker: str = "A1GRANTEDWORKER",
    *,
    failed: bool = False,
    type_id: str = "3TYPE",
    environment: str = PRODUCTION,
    status: str = "Granted",
) -> HistoryEntry:
    """An entry `n` seconds after T0."""
    request = LookupRequest(Connection("default", environment), type_id, worker)
    if failed:
        result = LookupResult(
            request,
            T0 + timedelta(seconds=n),
            failure=Failure("not_held", "t", "e", "f", "info", "RequestError", "AWS.X", "msg"),
        )
    else:
        q = Qualification(type_id, worker, status, T0, 0, Locale("US", "WA"))
        result = LookupResult(request, T0 + timedelta(seconds=n), qualification=q)
    return HistoryEntry.from_result(result)


def write_history(path: Path, entries: Iterable[HistoryEntry]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"version": 1, "entries": [e.to_json() for e in entries]}
    path.write_text(json.dumps(document))


def saved_entries(history: Path) -> list[dict[str, Any]]:
    """What the history holds on disk now, as JSON objects: `history.json` with its journal
    applied (recent changes live in the journal until it is folded into the file)."""
    from qualtui.core.history import read_history
    from qualtui.core.history.file_format import encode

    if not history.exists():
        return []
    return [json.loads(encode(e)) for e in read_history(history).entries]
