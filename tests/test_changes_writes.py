"""One change at a time (issue #17): grant, set, revoke, verified by reading back, over real
HTTP against the local endpoint."""

from __future__ import annotations

import pytest

from qualtui.core.changes.change import NOT_HELD, State
from qualtui.core.changes.writes import Intent, change_qualification, read_state
from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation

FOREIGN = "3DEMOOTHERREQUESTER00000000001"
MISSING = "3NOSUCHTYPE0000000000000000001"


@pytest.fixture
def clients(aws_profiles: Isolation) -> ClientCache:
    return ClientCache(ClientSettings(max_attempts=3, read_timeout=2, connect_timeout=1))


def conn(endpoint: LocalMTurk) -> Connection:
    return Connection("default", PRODUCTION, endpoint.url)


def test_a_grant_sends_no_notification_by_default_and_is_verified(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    change = change_qualification(
        clients, conn(endpoint), Intent("grant", TRANSCRIBE, "A5NOTHELDWORKER", value=70)
    )
    assert change.outcome == "done" and change.succeeded
    assert change.before == NOT_HELD
    assert change.after == State("Granted", 70) == change.checked
    assert change.details.notified is False and change.details.warnings == ()
    (sent,) = endpoint.calls_to("AssociateQualificationWithWorker")
    assert sent.params["SendNotification"] is False and sent.params["IntegerValue"] == 70
    assert endpoint.notifications == []
    assert read_state(clients, conn(endpoint), TRANSCRIBE, "A5NOTHELDWORKER") == State(
        "Granted", 70
    )


def test_notify_is_sent_when_chosen(endpoint: LocalMTurk, clients: ClientCache) -> None:
    intent = Intent("set", TRANSCRIBE, "A1GRANTEDWORKER", value=90, notify=True)
    change = change_qualification(clients, conn(endpoint), intent)
    assert change.outcome == "done" and change.details.notified is True
    assert endpoint.calls_to("AssociateQualificationWithWorker")[0].params["SendNotification"]
    assert [(n["Kind"], n["IntegerValue"]) for n in endpoint.notifications] == [("Granted", 90)]


@pytest.mark.parametrize(("delta", "expected"), [(5, 92), (-10, 77)])
def test_raise_or_lower_by_n_sends_an_absolute_score(
    endpoint: LocalMTurk, clients: ClientCache, delta: int, expected: int
) -> None:
    intent = Intent("set", TRANSCRIBE, "A1GRANTEDWORKER", delta=delta)
    change = change_qualification(clients, conn(endpoint), intent)
    assert (change.before, change.checked) == (State("Granted", 87), State("Granted", expected))
    assert endpoint.calls_to("AssociateQualificationWithWorker")[0].params["IntegerValue"] == (
        expected
    )


def test_raising_a_score_the_worker_does_not_hold_sends_nothing(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    change = change_qualification(
        clients, conn(endpoint), Intent("set", TRANSCRIBE, "A5NOTHELDWORKER", delta=5)
    )
    assert change.outcome == "failed" and change.details.failure is not None
    assert change.details.failure.kind == "invalid_value"
    assert endpoint.calls_to("AssociateQualificationWithWorker") == []


def test_a_revoke_sends_its_reason_and_keeps_the_old_score(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    intent = Intent("revoke", TRANSCRIBE, "A1GRANTEDWORKER", reason="Failed\x1b[2J the re-test")
    change = change_qualification(clients, conn(endpoint), intent)
    assert change.outcome == "done"
    assert change.before == State("Granted", 87) and change.checked == State("Revoked", 87)
    (sent,) = endpoint.calls_to("DisassociateQualificationFromWorker")
    assert sent.params["Reason"] == change.details.reason == "Failed\ufffd[2J the re-test"
    assert change.details.notified is True


def test_scores_outside_0_to_100_are_allowed_but_flagged(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    change = change_qualification(
        clients, conn(endpoint), Intent("set", TRANSCRIBE, "A1GRANTEDWORKER", value=250)
    )
    assert change.outcome == "done" and change.checked == State("Granted", 250)
    assert "outside 0-100" in change.details.warnings[0]
    too_big = change_qualification(
        clients, conn(endpoint), Intent("set", TRANSCRIBE, "A1GRANTEDWORKER", value=2**31)
    )
    assert (
        too_big.outcome == "failed"
        and len(endpoint.calls_to("AssociateQualificationWithWorker")) == 1
    )


@pytest.mark.parametrize(
    ("type_id", "worker_id"),
    [("3demo lower", "A1GRANTEDWORKER"), (TRANSCRIBE, "B1NOTAWORKER"), (TRANSCRIBE, "")],
)
def test_a_write_never_goes_out_with_an_invalid_id(
    endpoint: LocalMTurk, clients: ClientCache, type_id: str, worker_id: str
) -> None:
    change = change_qualification(clients, conn(endpoint), Intent("grant", type_id, worker_id))
    assert change.outcome == "failed" and change.details.failure is not None
    assert change.details.failure.kind == "invalid_id"
    assert endpoint.calls == []


@pytest.mark.parametrize("type_id", [FOREIGN, MISSING])
def test_a_type_you_do_not_own_or_that_does_not_exist_fails_explained(
    endpoint: LocalMTurk, clients: ClientCache, type_id: str
) -> None:
    # read first: the lookup already says so, and nothing is written
    change = change_qualification(clients, conn(endpoint), Intent("grant", type_id, "A1X"))
    assert change.outcome == "failed" and change.details.failure is not None
    assert change.details.failure.kind == "type_not_found"
    assert endpoint.calls_to("AssociateQualificationWithWorker") == []
    # with the state already known (a bulk run), the write's own answer is explained
    change = change_qualification(
        clients, conn(endpoint), Intent("grant", type_id, "A1X", value=5), before=NOT_HELD
    )
    assert change.outcome == "failed" and change.details.failure is not None
    assert change.details.failure.kind == "type_not_found"
    assert "does not exist" in (change.details.failure.message or "")
    assert len(endpoint.calls_to("AssociateQualificationWithWorker")) == 1


def test_revoking_what_the_worker_does_not_hold_is_the_services_answer(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    change = change_qualification(
        clients, conn(endpoint), Intent("revoke", TRANSCRIBE, "A5NOTHELDWORKER")
    )
    assert change.outcome == "failed" and change.details.failure is not None
    assert change.details.failure.kind == "not_held"
    assert change.details.failure.turk_error_code == "AWS.MechanicalTurk.QualificationDoesNotExist"
    assert len(endpoint.calls_to("DisassociateQualificationFromWorker")) == 1


def test_a_dropped_answer_is_checked_and_reported_unknown_never_resent(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    endpoint.add_fault(Fault("drop", operation="AssociateQualificationWithWorker"))
    change = change_qualification(
        clients, conn(endpoint), Intent("set", TRANSCRIBE, "A1GRANTEDWORKER", value=10)
    )
    assert change.outcome == "unknown" and not change.succeeded
    assert change.checked == State("Granted", 87)  # the drop came before the operation ran
    assert change.outcome_text() == "unknown, checked: now 87"
    assert change.details.failure is not None
    assert change.details.failure.kind == "connection_reset"
    assert len(endpoint.calls_to("AssociateQualificationWithWorker")) == 1  # never re-sent


def test_a_write_answered_too_late_is_checked_and_reported_unknown(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    # The write is held far longer than the read timeout: reading back (a fresh call, with
    # the same timeout and margin to spare) sees the state before it.
    clients = ClientCache(ClientSettings(max_attempts=3, read_timeout=1, connect_timeout=1))
    endpoint.add_fault(Fault("latency", operation="AssociateQualificationWithWorker", delay=60))
    change = change_qualification(
        clients, conn(endpoint), Intent("set", TRANSCRIBE, "A1GRANTEDWORKER", value=10)
    )
    assert change.outcome == "unknown" and change.details.failure is not None
    assert change.details.failure.kind == "read_timeout"
    assert change.checked == State("Granted", 87)
    assert change.outcome_text() == "unknown, checked: now 87"
    assert len(endpoint.calls_to("AssociateQualificationWithWorker")) == 1  # never re-sent


def test_a_throttled_write_is_sent_again_and_applied_once(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    endpoint.add_fault(Fault("throttle", operation="AssociateQualificationWithWorker", times=2))
    change = change_qualification(
        clients,
        conn(endpoint),
        Intent("set", TRANSCRIBE, "A1GRANTEDWORKER", value=60),
        throttle_pause=0.01,
    )
    assert change.outcome == "done" and change.checked == State("Granted", 60)
    assert len(endpoint.calls_to("AssociateQualificationWithWorker")) == 3


def test_botocore_never_resends_a_write_after_a_5xx(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    # the read client would retry a ServiceFault (max_attempts=3); the write client does not
    endpoint.add_fault(Fault("service_fault", operation="AssociateQualificationWithWorker"))
    change = change_qualification(
        clients, conn(endpoint), Intent("set", TRANSCRIBE, "A1GRANTEDWORKER", value=10)
    )
    assert change.outcome == "unknown" and change.checked == State("Granted", 87)
    assert change.details.failure is not None
    assert change.details.failure.kind == "service_fault"
    assert len(endpoint.calls_to("AssociateQualificationWithWorker")) == 1
    endpoint.clear_faults()
    endpoint.add_fault(Fault("service_fault", operation="GetQualificationScore", times=2))
    assert read_state(clients, conn(endpoint), TRANSCRIBE, "A1GRANTEDWORKER") == State(
        "Granted", 87
    )
    assert len(endpoint.calls_to("GetQualificationScore")) == 5  # 2 before, 3 attempts now
