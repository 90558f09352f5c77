"""Qualification requests (issue #17) over real HTTP: every page with each worker's current
score, accept with a value, reject with a reason, recorded like any change."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualtui.core.changes.change import NOT_HELD, State
from qualtui.core.changes.record import record
from qualtui.core.changes.requests import (
    answer_many,
    answer_request,
    find_request,
    list_requests,
)
from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.history import HistoryFilter, HistoryStore
from qualtui.core.models import Failure
from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation

IMAGETAG = "3DEMOIMAGETAG00000000000000001"
REQUEST_1, REQUEST_2, REQUEST_3, REQUEST_4 = (
    f"3DEMOREQUEST00000000000000000{n}" for n in (1, 2, 3, 4)
)


@pytest.fixture
def clients(aws_profiles: Isolation) -> ClientCache:
    return ClientCache(ClientSettings(max_attempts=3, read_timeout=2, connect_timeout=1))


def conn(endpoint: LocalMTurk) -> Connection:
    return Connection("default", PRODUCTION, endpoint.url)


def test_pending_requests_every_page_with_current_scores(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    listed = list_requests(clients, conn(endpoint))
    assert listed.failure is None
    assert [r.request_id for r in listed.requests] == [REQUEST_1, REQUEST_2, REQUEST_3, REQUEST_4]
    current = {r.request_id: r.current for r in listed.requests}
    assert current[REQUEST_1] == NOT_HELD
    assert current[REQUEST_3] == State("Revoked", 12)
    assert "quick brown fox" in listed.requests[0].answer
    one_type = list_requests(clients, conn(endpoint), IMAGETAG, with_scores=False)
    assert [r.request_id for r in one_type.requests] == [REQUEST_4]
    assert one_type.requests[0].current is None
    pages = endpoint.calls_to("ListQualificationRequests")
    assert all(call.params["MaxResults"] == 100 for call in pages)
    bad = list_requests(clients, conn(endpoint), "3OTHER00000000000000000000001")
    assert bad.failure is not None and bad.failure.kind == "type_not_found"


def test_accept_with_a_value_is_verified_and_recorded(
    endpoint: LocalMTurk, clients: ClientCache, tmp_path: Path
) -> None:
    request = find_request(clients, conn(endpoint), REQUEST_3)
    assert request is not None and not isinstance(request, Failure)
    change = answer_request(clients, conn(endpoint), request, accept=True, value=75)
    assert change.outcome == "done" and change.kind == "accept"
    assert (change.before, change.checked) == (State("Revoked", 12), State("Granted", 75))
    (sent,) = endpoint.calls_to("AcceptQualificationRequest")
    assert sent.params == {"QualificationRequestId": REQUEST_3, "IntegerValue": 75}
    assert find_request(clients, conn(endpoint), REQUEST_3) is None
    store = HistoryStore(tmp_path / "history.json")
    store.load()
    record(store, change)
    assert [e.outcome for e in HistoryFilter().select(store.snapshot().entries, "accept")] == [
        "accept done"
    ]


def test_reject_with_a_reason(endpoint: LocalMTurk, clients: ClientCache) -> None:
    request = find_request(clients, conn(endpoint), REQUEST_2)
    assert request is not None and not isinstance(request, Failure)
    change = answer_request(clients, conn(endpoint), request, accept=False, reason="Too many typos")
    assert change.outcome == "done" and change.details.reason == "Too many typos"
    assert change.checked == NOT_HELD
    (sent,) = endpoint.calls_to("RejectQualificationRequest")
    assert sent.params["Reason"] == "Too many typos"
    assert [n["Kind"] for n in endpoint.notifications] == ["RequestRejected"]
    again = answer_request(clients, conn(endpoint), request, accept=False)
    assert again.outcome == "failed" and again.details.failure is not None
    assert "does not exist" in (again.details.failure.message or "")


def test_a_lost_reject_answer_is_checked(endpoint: LocalMTurk, clients: ClientCache) -> None:
    request = find_request(clients, conn(endpoint), REQUEST_1)
    assert request is not None and not isinstance(request, Failure)
    endpoint.add_fault(Fault("drop", operation="RejectQualificationRequest"))
    change = answer_request(clients, conn(endpoint), request, accept=False, reason="no")
    assert change.outcome == "unknown" and change.details.failure is not None
    assert change.details.failure.title == "Answer lost; the request is still pending."
    assert len(endpoint.calls_to("RejectQualificationRequest")) == 1


def test_answering_several_at_once(endpoint: LocalMTurk, clients: ClientCache) -> None:
    listed = list_requests(clients, conn(endpoint), TRANSCRIBE)
    changes = answer_many(
        clients, conn(endpoint), list(listed.requests), accept=True, value=50, concurrency=2
    )
    assert sorted(c.outcome for c in changes) == ["done"] * 3
    assert len({c.run_id for c in changes}) == 1
    assert list_requests(clients, conn(endpoint), TRANSCRIBE).requests == ()


def test_more_than_one_page_of_requests(endpoint: LocalMTurk, clients: ClientCache) -> None:
    with endpoint.data.lock:
        for n in range(150):
            endpoint.data.qualification_requests.append(
                {
                    "QualificationRequestId": f"3MANY{n:025d}",
                    "QualificationTypeId": IMAGETAG,
                    "WorkerId": f"A{n:04d}MANY",
                    "SubmitTime": "2026-11-23T09:30:00Z",
                }
            )
    listed = list_requests(clients, conn(endpoint), IMAGETAG, with_scores=False)
    assert len(listed.requests) == 151 and not listed.truncated
    assert len(endpoint.calls_to("ListQualificationRequests")) == 2
