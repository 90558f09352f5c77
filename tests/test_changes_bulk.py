"""Bulk changes (issue #17) over real HTTP: the dry run and its counts, applying with the
history recording each change, re-running a plan, cancelling mid-run, throttling absorbed,
the summary and undo plan files, and undo of one change and of a whole run."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest

from qualtui.core.changes.apply import apply_diff, write_summary
from qualtui.core.changes.change import NOT_HELD, State
from qualtui.core.changes.dry_run import Diff, dry_run
from qualtui.core.changes.plan import Plan, parse_plan, plan_for_workers, read_plan, resolve_names
from qualtui.core.changes.record import find_change, record, run_changes
from qualtui.core.changes.undo import apply_undo, preview_undo, undo_plan
from qualtui.core.changes.writes import Intent, change_qualification, read_state
from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, SANDBOX, Connection
from qualtui.core.history import HistoryStore
from qualtui.core.qualification_types import TypeCache
from qualtui.endpoint import Fault, LocalMTurk
from qualtui.endpoint.server import Call
from tests.conftest import TRANSCRIBE, Isolation

WAVE_TWO = "3DEMOWAVETWO000000000000000001"
WEBSITE_CSV = (
    "\ufeffWorker ID,Lifetime Approval Rate,"
    "CURRENT-Audio transcription skill,UPDATE-Audio transcription skill,"
    '"CURRENT-Longitudinal panel, wave 2","UPDATE-Longitudinal panel, wave 2",Notes\n'
    "A1GRANTEDWORKER,100%,87,90,,Revoke,\n"  # change; a revoke of what is revoked: unchanged
    'A2REVOKEDWORKER,90%,,Revoke,,,"a, b"\n'  # revoked already: unchanged
    "A3ZEROSCOREWORKER,100%,0,0,,,\n"  # unchanged
    "A5NOTHELDWORKER,0%,,55,,40,\n"  # two new grants
    "A6COUNTRYWORKER,0%,,250,,,\n"  # a new grant, flagged
    "bad,,,5,,,\n"  # invalid
)


@pytest.fixture
def clients(aws_profiles: Isolation) -> ClientCache:
    return ClientCache(ClientSettings(max_attempts=3, read_timeout=2, connect_timeout=1))


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    history = HistoryStore(tmp_path / "history.json")
    history.load()
    return history


def conn(endpoint: LocalMTurk) -> Connection:
    return Connection("default", PRODUCTION, endpoint.url)


def website_plan(clients: ClientCache, connection: Connection) -> Plan:
    owned = TypeCache().own_types(clients, connection)
    assert owned.failure is None
    return resolve_names(parse_plan(WEBSITE_CSV), owned.types)


def checked_diff(result: Diff | object) -> Diff:
    assert isinstance(result, Diff), result
    return result


def test_the_dry_run_reads_everything_and_writes_nothing(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    connection = conn(endpoint)
    diff = checked_diff(dry_run(clients, connection, website_plan(clients, connection)))
    assert diff.counts == {"unchanged": 3, "grant": 3, "change": 1, "revoke": 0, "invalid": 1}
    assert diff.counts_text() == ("3 new grants, 1 score change, 0 revokes, 3 unchanged, 1 invalid")
    texts = {(r.row.worker_id, r.row.qualification_type_id): r.text() for r in diff.rows}
    assert texts[("A1GRANTEDWORKER", TRANSCRIBE)] == "87 -> 90"
    assert texts[("A1GRANTEDWORKER", WAVE_TWO)] == "unchanged (revoked (was 40))"
    assert texts[("A5NOTHELDWORKER", WAVE_TWO)] == "not held -> 40"
    (flagged,) = [r for r in diff.rows if r.warnings]
    assert flagged.row.worker_id == "A6COUNTRYWORKER"
    assert diff.type_names[WAVE_TWO] == "Longitudinal panel, wave 2"
    assert endpoint.calls_to("AssociateQualificationWithWorker") == []
    assert endpoint.calls_to("DisassociateQualificationFromWorker") == []


def test_apply_records_every_change_and_a_rerun_finds_all_unchanged(
    endpoint: LocalMTurk, clients: ClientCache, store: HistoryStore, tmp_path: Path
) -> None:
    connection = conn(endpoint)
    plan = website_plan(clients, connection)
    diff = checked_diff(dry_run(clients, connection, plan))
    seen: list[tuple[int, int]] = []
    summary = apply_diff(
        clients, diff, store=store, concurrency=3, on_change=lambda c, n, t: seen.append((n, t))
    )
    assert summary.succeeded and summary.counts["done"] == 4
    assert sorted(seen) == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert all(c.details.notified is False for c in summary.changes)
    assert all(
        call.params["SendNotification"] is False
        for call in endpoint.calls_to("AssociateQualificationWithWorker")
    )
    assert endpoint.notifications == []
    recorded = run_changes(HistoryStore(store.path).load().snapshot.entries, summary.run_id)
    assert sorted(c.id for c in recorded) == sorted(c.id for c in summary.changes)

    again = checked_diff(dry_run(clients, connection, plan))
    assert again.counts == {"unchanged": 7, "grant": 0, "change": 0, "revoke": 0, "invalid": 1}
    rerun = apply_diff(clients, again, store=store)
    assert rerun.changes == () and rerun.succeeded
    assert len(endpoint.calls_to("AssociateQualificationWithWorker")) == 4

    summary_path, undo_path = write_summary(summary, tmp_path / "apply.csv")
    rows = list(csv.DictReader(summary_path.open(newline="")))
    assert {(r["worker_id"], r["before"], r["after"], r["outcome"]) for r in rows} >= {
        ("A1GRANTEDWORKER", "87", "90", "done"),
        ("A5NOTHELDWORKER", "not held", "55", "done"),
    }
    undo = read_plan(undo_path)
    assert {(r.worker_id, r.qualification_type_id, r.wanted()) for r in undo.rows} == {
        ("A1GRANTEDWORKER", TRANSCRIBE, "87"),
        ("A5NOTHELDWORKER", TRANSCRIBE, "revoke"),
        ("A5NOTHELDWORKER", WAVE_TWO, "revoke"),
        ("A6COUNTRYWORKER", TRANSCRIBE, "revoke"),
    }


def test_cancelling_mid_run_keeps_what_was_applied_recorded(
    endpoint: LocalMTurk,
    clients: ClientCache,
    store: HistoryStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connection = conn(endpoint)
    workers = [f"A{n:03d}NEWWORKER" for n in range(40)]
    plan = plan_for_workers(workers, TRANSCRIBE, score=66)
    diff = checked_diff(dry_run(clients, connection, plan))
    assert diff.counts["grant"] == 40
    cancel = threading.Event()
    record_call = endpoint.record

    def stop_at_the_third_write(call: Call) -> None:  # Esc, as the third write arrives
        record_call(call)
        if len(endpoint.calls_to("AssociateQualificationWithWorker")) == 3:
            cancel.set()

    monkeypatch.setattr(endpoint, "record", stop_at_the_third_write)
    summary = apply_diff(clients, diff, store=store, concurrency=2, cancel=cancel)
    applied = len(summary.changes)
    assert summary.cancelled and applied in (3, 4)  # the other thread's write may be under way
    assert summary.not_started == 40 - applied and not summary.succeeded
    assert all(c.outcome == "done" for c in summary.changes)
    assert len(endpoint.calls_to("AssociateQualificationWithWorker")) == applied
    entries = HistoryStore(store.path).load().snapshot.entries
    assert len(run_changes(entries, summary.run_id)) == applied
    for change in summary.changes:
        assert read_state(clients, connection, TRANSCRIBE, change.worker_id) == State("Granted", 66)
    rest = checked_diff(dry_run(clients, connection, plan))
    assert (rest.counts["unchanged"], rest.counts["grant"]) == (applied, 40 - applied)


def test_throttling_is_absorbed(endpoint: LocalMTurk, clients: ClientCache) -> None:
    connection = conn(endpoint)
    endpoint.add_fault(Fault("throttle", operation="AssociateQualificationWithWorker", times=6))
    endpoint.add_fault(Fault("throttle", operation="GetQualificationScore", times=4))
    plan = plan_for_workers([f"A{n}THROTTLED" for n in range(6)], TRANSCRIBE, score=3)
    diff = checked_diff(dry_run(clients, connection, plan, throttle_pause=0.01))
    assert diff.counts["grant"] == 6
    summary = apply_diff(clients, diff, concurrency=3, throttle_pause=0.01)
    assert summary.succeeded and summary.counts["done"] == 6


def test_undo_of_a_single_change(
    endpoint: LocalMTurk, clients: ClientCache, store: HistoryStore
) -> None:
    connection = conn(endpoint)
    cases = [
        (Intent("set", TRANSCRIBE, "A1GRANTEDWORKER", value=10), State("Granted", 87)),
        (Intent("grant", TRANSCRIBE, "A5NOTHELDWORKER", value=50), State("Revoked", 50)),
        (Intent("revoke", TRANSCRIBE, "A3ZEROSCOREWORKER", reason="x"), State("Granted", 0)),
        (Intent("grant", TRANSCRIBE, "A2REVOKEDWORKER", value=70), State("Revoked", 70)),
    ]
    for intent, restored in cases:
        change = change_qualification(clients, connection, intent)
        assert change.outcome == "done"
        record(store, change)
        recorded = find_change(store.snapshot().entries, change.id)
        assert recorded is not None
        preview = preview_undo(clients, connection, recorded)
        assert preview.writes, preview
        undone = apply_undo(clients, connection, preview)
        assert undone is not None and undone.outcome == "done", undone
        assert undone.details.undoes == change.id
        assert read_state(clients, connection, TRANSCRIBE, intent.worker_id) == restored
        assert not preview_undo(clients, connection, recorded).writes  # already as before
    assert endpoint.notifications == [] or all(
        n["Kind"] == "Revoked" for n in endpoint.notifications
    )


def test_undo_refuses_another_environment_and_what_changed_nothing(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    connection = conn(endpoint)
    change = change_qualification(
        clients, connection, Intent("set", TRANSCRIBE, "A1GRANTEDWORKER", value=10)
    )
    elsewhere = Connection("default", SANDBOX, endpoint.url)
    preview = preview_undo(clients, elsewhere, change)
    assert preview.kind == "invalid" and "switch to them" in (preview.problem or "")
    failed = change_qualification(
        clients, connection, Intent("revoke", TRANSCRIBE, "A5NOTHELDWORKER")
    )
    assert preview_undo(clients, connection, failed).problem == "it changed nothing"


def test_undo_of_a_bulk_run(
    endpoint: LocalMTurk, clients: ClientCache, store: HistoryStore
) -> None:
    connection = conn(endpoint)
    plan = website_plan(clients, connection)
    summary = apply_diff(clients, checked_diff(dry_run(clients, connection, plan)), store=store)
    assert summary.succeeded
    changes = run_changes(store.snapshot().entries, summary.run_id)
    back = checked_diff(dry_run(clients, connection, undo_plan(changes)))
    assert back.counts == {"unchanged": 0, "grant": 0, "change": 1, "revoke": 3, "invalid": 0}
    undone = apply_diff(clients, back, store=store)
    assert undone.succeeded
    assert {c.details.undoes for c in undone.changes} == {c.id for c in changes}
    assert read_state(clients, connection, TRANSCRIBE, "A1GRANTEDWORKER") == State("Granted", 87)
    assert read_state(clients, connection, TRANSCRIBE, "A5NOTHELDWORKER") == State("Revoked", 55)
    assert read_state(clients, connection, WAVE_TWO, "A5NOTHELDWORKER").status == "Revoked"  # type: ignore[union-attr]
    assert read_state(clients, connection, TRANSCRIBE, "A9UNKNOWN") == NOT_HELD
