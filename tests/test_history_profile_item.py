"""A worker profile is one history item: the optional `worker_profile` field, read the same
by the typed decoder (fast path) and by `HistoryEntry.from_json` (slow path); files without
it load unchanged."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.history import HistoryEntry, ProfileNote, parse, serialize, typed_decoder

WHEN = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def profile_item() -> HistoryEntry:
    connection = Connection("default", PRODUCTION)
    return HistoryEntry.for_profile(connection, "A1GRANTEDWORKER", ProfileNote(134, 6, 1), WHEN)


def lookup_entry(**changes: Any) -> dict[str, Any]:
    raw = {
        "id": "e1",
        "time": "2026-11-28T12:00:00.000Z",
        "profile": None,
        "environment": "production",
        "region": "us-east-1",
        "endpoint_url": None,
        "qualification_type_id": "3TYPE",
        "worker_id": "A1W",
        "qualification": {"Status": "Granted", "IntegerValue": 5},
    }
    raw.update(changes)
    return raw


def document(*entries: dict[str, Any]) -> bytes:
    return json.dumps({"version": 2, "entries": list(entries)}).encode()


def test_a_profile_item_reads_back_the_same_both_ways() -> None:
    item = profile_item()
    data = serialize([item])
    fast = typed_decoder.decode(data, {})
    assert fast is not None and fast[1] == [item]
    assert HistoryEntry.from_json(item.to_json()) == item
    assert item.to_json()["worker_profile"] == {"types": 134, "held": 6, "revoked": 1}
    assert item.qualification_type_id == "" and item.outcome == "profile"


def test_a_damaged_neighbour_sends_the_file_the_slow_way_and_the_item_survives() -> None:
    item = profile_item()
    parsed = parse(document(item.to_json(), {"id": 3}))
    assert parsed.damaged and parsed.entries == (item,)


def test_old_entries_load_unchanged() -> None:
    raw = lookup_entry()
    fast = typed_decoder.decode(document(raw), {})
    assert fast is not None
    assert fast[1][0].worker_profile is None
    assert fast[1][0] == HistoryEntry.from_json(raw)
    assert "worker_profile" not in fast[1][0].to_json()


@pytest.mark.parametrize(
    "changes",
    [
        {"qualification_type_id": ""},  # only a profile item may have no type
        {"worker_profile": {"types": -1, "held": 0, "revoked": 0}},
        {"worker_profile": {"types": "134", "held": 0, "revoked": 0}},
        {"worker_profile": [134, 6]},
    ],
)
def test_malformed_items_are_refused_both_ways(changes: dict[str, Any]) -> None:
    raw = lookup_entry(**changes)
    assert typed_decoder.decode(document(raw), {}) is None
    with pytest.raises((ValueError, TypeError)):
        HistoryEntry.from_json(raw)
    assert parse(document(raw)).entries == ()
