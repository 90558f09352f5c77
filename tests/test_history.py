"""The history store: round trip, damage recovery, versions, cap, merging, permissions."""

from __future__ import annotations

import json
import os
import stat
import uuid
from pathlib import Path

import pytest

from qualtui.core.history import SCHEMA_VERSION, HistoryError, HistoryStore, parse
from tests.historyhelpers import entry


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.json")
    store.load()
    saved = [entry(1), entry(2, failed=True)]
    for e in saved:
        store.append(e)
    again = HistoryStore(tmp_path / "history.json")
    assert again.load().snapshot.entries == tuple(saved)
    assert saved[0].qualification is not None and saved[0].qualification.integer_value == 0


def test_file_shape_and_permissions(tmp_path: Path) -> None:
    path = tmp_path / "new-dir" / "history.json"
    store = HistoryStore(path)
    store.load()
    store.append(entry())
    document = json.loads(path.read_text())
    assert document["version"] == SCHEMA_VERSION and len(document["entries"]) == 1
    if os.name == "posix":
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_cap_keeps_the_newest(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.json", cap=3)
    store.load()
    for n in range(5):
        store.append(entry(n, worker=f"A{n}"))
    assert [e.worker_id for e in HistoryStore(tmp_path / "h.json").load().snapshot.entries] == [
        "A2",
        "A3",
        "A4",
    ]


def test_two_stores_on_one_file_lose_nothing_and_deletes_stay_deleted(tmp_path: Path) -> None:
    a, b = HistoryStore(tmp_path / "h.json"), HistoryStore(tmp_path / "h.json")
    a.load(), b.load()
    first = entry(1, "A1")
    a.append(first)
    b.append(entry(2, "A2"))
    a.append(entry(3, "A3"))
    assert [e.worker_id for e in b.load().snapshot.entries] == ["A1", "A2", "A3"]
    b.delete(first.id)
    a.append(entry(4, "A4"))
    assert [e.worker_id for e in HistoryStore(tmp_path / "h.json").load().snapshot.entries] == [
        "A2",
        "A3",
        "A4",
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xff\xfe garbage",
        b'{"version": 1, "entries": [',
        b"[]",
        b'{"version": 1, "entries": {}}',
        b'{"entries": []}',
    ],
)
def test_damaged_files_are_moved_aside(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "history.json"
    path.write_bytes(content)
    report = HistoryStore(path).load()
    assert report.snapshot.entries == ()
    assert report.backup is not None and report.backup.read_bytes() == content
    assert report.backup.name.startswith("history.json.corrupt-")
    assert report.notice is not None and str(report.backup) in report.notice
    assert json.loads(path.read_text()) == {"version": SCHEMA_VERSION, "entries": []}


def test_readable_entries_survive_damage(tmp_path: Path) -> None:
    good = entry(1).to_json()
    bad_type = {**entry(2).to_json(), "worker_id": 42}
    missing = {k: v for k, v in entry(3).to_json().items() if k != "time"}
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"version": 1, "entries": [good, bad_type, missing, "x"]}))
    report = HistoryStore(path).load()
    assert [e.id for e in report.snapshot.entries] == [good["id"]]
    assert report.notice and "Kept 1 readable" in report.notice


def test_a_newer_format_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    content = json.dumps({"version": 99, "entries": [{"future": True}]})
    path.write_text(content)
    store = HistoryStore(path)
    report = store.load()
    assert not report.saving and report.notice and "newer qualtui" in report.notice
    snapshot = store.append(entry())
    assert len(snapshot.entries) == 1  # kept in memory for the session
    assert path.read_text() == content


def test_write_failure_keeps_the_entry_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = HistoryStore(tmp_path / "h.json")
    store.load()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("qualtui.core.history.store.write_atomic", full)
    monkeypatch.setattr("qualtui.core.history.store.append_changes", full)  # the journal
    with pytest.raises(HistoryError, match="No space left"):
        store.append(entry())
    assert len(store.snapshot().entries) == 1
    monkeypatch.undo()
    store.append(entry(2, "A2"))  # the next successful save writes both
    assert len(HistoryStore(tmp_path / "h.json").load().snapshot.entries) == 2


def test_limit_zero_turns_history_off(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.json", limit=0)
    store.load()
    store.append(entry())
    assert not (tmp_path / "h.json").exists()


def test_snapshots_are_numbered_in_order(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.json")
    revisions = [
        store.load().snapshot.revision,
        store.append(entry()).revision,
        store.snapshot().revision,
    ]
    assert revisions == sorted(revisions) and len(set(revisions)) == 3


def test_parse_rejects_naive_times() -> None:
    raw = {**entry().to_json(), "time": "2026-01-01T00:00:00", "id": uuid.uuid4().hex}
    parsed = parse(json.dumps({"version": 1, "entries": [raw]}).encode())
    assert parsed.damaged and parsed.entries == ()
