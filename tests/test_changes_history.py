"""Every change is recorded in the history (issue #17): the file keeps it (both parsers),
old files load unchanged, filters find changes, the export has their columns."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from qualtui.core.changes.record import change_of, entry_of, find_change, record
from qualtui.core.changes.writes import Intent, change_qualification
from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.history import HistoryFilter, HistoryStore, export, parse, serialize
from qualtui.endpoint import LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation
from tests.historyhelpers import entry


@pytest.fixture
def clients(aws_profiles: Isolation) -> ClientCache:
    return ClientCache(ClientSettings(max_attempts=3, read_timeout=2, connect_timeout=1))


def test_a_change_is_recorded_and_reads_back_from_the_file(
    endpoint: LocalMTurk, clients: ClientCache, tmp_path: Path
) -> None:
    connection = Connection("default", PRODUCTION, endpoint.url)
    store = HistoryStore(tmp_path / "history.json")
    store.load()
    grant = change_qualification(
        clients,
        connection,
        Intent("grant", TRANSCRIBE, "A5NOTHELDWORKER", value=300),
        type_name="Audio transcription skill",
    )
    revoke = change_qualification(
        clients, connection, Intent("revoke", TRANSCRIBE, "A5NOTHELDWORKER", reason="spam")
    )
    failed = change_qualification(
        clients, connection, Intent("revoke", TRANSCRIBE, "A9NEVERWORKER", reason="x")
    )
    for change in (grant, revoke, failed):
        record(store, change)

    fresh = HistoryStore(tmp_path / "history.json")
    loaded = fresh.load().snapshot.entries
    assert [e.outcome for e in loaded] == ["grant done", "revoke done", "revoke failed"]
    again = change_of(loaded[0])
    assert again is not None
    assert again.details == grant.details  # before, after, notified, warnings, outcome
    assert again.qualification_type_name == "Audio transcription skill"
    assert loaded[0].qualification is not None and loaded[0].qualification.integer_value == 300
    assert loaded[2].error is not None and loaded[2].error.kind == "not_held"
    assert find_change(loaded, revoke.id[:10]) == change_of(loaded[1])

    # the typed (msgspec) decoder and the entry-by-entry path read the same entries
    data = (tmp_path / "history.json").read_bytes()
    typed = parse(data).entries
    document = json.loads(data)
    document["entries"].append({"id": "damaged"})  # forces the slow path for the file
    slow = parse(json.dumps(document).encode()).entries
    assert list(typed) == list(slow) == list(loaded)


def test_an_odd_change_field_is_damage_not_a_crash() -> None:
    change_entry = entry(1, "A1GRANTEDWORKER").to_json()
    change_entry["change"] = {"kind": "explode", "after": {"Status": "Granted"}}
    document = {"version": 2, "entries": [entry(2, "A2X").to_json(), change_entry]}
    parsed = parse(json.dumps(document).encode())
    assert [e.worker_id for e in parsed.entries] == ["A2X"]


def test_files_without_changes_load_unchanged() -> None:
    entries = [entry(1, "A1GRANTEDWORKER"), entry(2, "A2REVOKEDWORKER", failed=True)]
    data = serialize(entries)
    assert b'"change"' not in data
    assert list(parse(data).entries) == entries


def test_changes_are_filterable_and_exported(endpoint: LocalMTurk, clients: ClientCache) -> None:
    connection = Connection("default", PRODUCTION, endpoint.url)
    lookup = entry(1, "A1GRANTEDWORKER", type_id=TRANSCRIBE)
    grant = entry_of(
        change_qualification(clients, connection, Intent("grant", TRANSCRIBE, "A5NOTHELDWORKER"))
    )
    revoke = entry_of(
        change_qualification(
            clients, connection, Intent("revoke", TRANSCRIBE, "A3ZEROSCOREWORKER", reason="late")
        )
    )
    entries = [lookup, grant, revoke]
    pick = HistoryFilter()
    assert list(pick.select(entries, "change")) == [grant, revoke]
    assert list(pick.select(entries, "grant")) == [lookup, grant]  # words match prefixes
    assert list(pick.select(entries, "change grant")) == [grant]
    assert list(pick.select(entries, "revoke")) == [revoke]
    assert list(pick.select(entries, "late")) == [revoke]  # the reason

    rows = list(csv.DictReader(io.StringIO(export.render(entries, "csv").decode())))
    assert [r["change_kind"] for r in rows] == ["", "grant", "revoke"]
    assert (rows[2]["change_before"], rows[2]["change_after"]) == ("0", "revoked (was 0)")
    assert (rows[2]["change_outcome"], rows[2]["change_reason"]) == ("done", "late")
    assert rows[1]["change_notified"] == "no" and rows[1]["change_before"] == "not held"
    exported = json.loads(export.render(entries, "json"))
    assert exported["entries"][2]["change"]["reason"] == "late"
    assert list(parse(export.render(entries, "json")).entries) == entries
