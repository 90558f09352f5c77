"""Qualification requests: list the pending ones (every page) with each worker's current
score, accept (with a value) or reject (with a reason), recorded like any change.
Blocking: call from a worker thread.

Accept and reject go through the write client (one attempt; a throttled call is sent
again). A lost answer is checked: an accept by reading the score back, a reject by looking
for the request among the pending ones; the outcome is then `unknown` with what was found.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from qualtui.core import ids
from qualtui.core.batch import DEFAULT_CONCURRENCY, run_lookups
from qualtui.core.changes.change import (
    INT32_MAX,
    INT32_MIN,
    Change,
    ChangeDetails,
    ChangeFailure,
    Outcome,
    State,
    reached,
    score_warnings,
)
from qualtui.core.changes.pool import run_each
from qualtui.core.changes.writes import (
    AMBIGUOUS,
    THROTTLE_PAUSE,
    change_failure,
    clean_reason,
    local_failure,
    read_state,
    send_call,
    state_of,
)
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.errors import MalformedResponse, failure_of
from qualtui.core.models import Failure, LookupRequest, LookupResult
from qualtui.core.paging import PageTokens
from qualtui.core.text import bounded, one_line
from qualtui.core.timefmt import utc_now

if TYPE_CHECKING:
    from mypy_boto3_mturk import MTurkClient

MAX_PAGES = 1000  # 100,000 pending requests: a bound, not a limit anyone reaches
ANSWER_LIMIT = 4000  # characters of a request's Test and Answer kept


@dataclass(frozen=True)
class PendingRequest:
    """A worker's pending request for one of your types; `current` is the worker's state
    for that type now (None when it was not read)."""

    request_id: str
    qualification_type_id: str
    worker_id: str
    submit_time: datetime | None = None
    test: str = ""
    answer: str = ""
    current: State | Failure | None = None


@dataclass(frozen=True)
class RequestList:
    requests: tuple[PendingRequest, ...] = ()
    failure: Failure | None = None
    truncated: bool = False


def _pending(raw: Mapping[str, Any]) -> PendingRequest:
    submitted = raw.get("SubmitTime")
    return PendingRequest(
        request_id=one_line(str(raw.get("QualificationRequestId", ""))),
        qualification_type_id=one_line(str(raw.get("QualificationTypeId", ""))),
        worker_id=one_line(str(raw.get("WorkerId", ""))),
        submit_time=submitted.astimezone(timezone.utc) if isinstance(submitted, datetime) else None,
        test=bounded(str(raw.get("Test") or ""), ANSWER_LIMIT),
        answer=bounded(str(raw.get("Answer") or ""), ANSWER_LIMIT),
    )


def list_requests(
    clients: ClientCache,
    connection: Connection,
    type_id: str | None = None,
    *,
    with_scores: bool = True,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> RequestList:
    """Every pending request (of one type, or of all your types), every page; with
    `with_scores`, each worker's current state for the requested type (read concurrently)."""
    if type_id is not None:
        problem = ids.problem(ids.QUALIFICATION_TYPE_ID, type_id)
        if problem is not None:
            return RequestList(failure=_local(problem))
    found: list[PendingRequest] = []
    truncated = False
    try:
        client = clients.client(connection)
        token: str | None = None
        tokens = PageTokens()
        for page in range(MAX_PAGES):
            kwargs: dict[str, Any] = {"MaxResults": 100}
            if type_id is not None:
                kwargs["QualificationTypeId"] = type_id
            if token:
                kwargs["NextToken"] = token
            response = client.list_qualification_requests(**kwargs)
            raw = response.get("QualificationRequests")
            if not isinstance(raw, list):
                raise MalformedResponse("no QualificationRequests in the answer")
            found += [_pending(r) for r in raw if isinstance(r, Mapping)]
            token = tokens.next(response)
            if not token:
                break
            truncated = page == MAX_PAGES - 1
    except Exception as exc:
        return RequestList(failure=failure_of(clients, connection, exc))
    if with_scores and found:
        states: dict[tuple[str, str], State | Failure] = {}

        def keep(result: LookupResult) -> None:
            request = result.request
            states[(request.qualification_type_id, request.worker_id)] = state_of(result)

        lookups = {
            (r.qualification_type_id, r.worker_id): LookupRequest(
                connection, r.qualification_type_id, r.worker_id
            )
            for r in found
        }
        run_lookups(clients, list(lookups.values()), on_result=keep, concurrency=concurrency)
        found = [
            replace(r, current=states.get((r.qualification_type_id, r.worker_id))) for r in found
        ]
    return RequestList(tuple(found), None, truncated)


def find_request(
    clients: ClientCache, connection: Connection, request_id: str
) -> PendingRequest | Failure | None:
    """A pending request by its ID, with the worker's current state; None when no pending
    request of yours has it."""
    listed = list_requests(clients, connection, with_scores=False)
    if listed.failure is not None:
        return listed.failure
    for request in listed.requests:
        if request.request_id == request_id:
            state = read_state(
                clients, connection, request.qualification_type_id, request.worker_id
            )
            return replace(request, current=state)
    return None


def answer_request(
    clients: ClientCache,
    connection: Connection,
    request: PendingRequest,
    *,
    accept: bool,
    value: int | None = None,
    reason: str | None = None,
    type_name: str | None = None,
    run_id: str | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
    clock: Callable[[], datetime] = utc_now,
) -> Change:
    """Accept (granting `value`, or the service's default) or reject (with `reason`, shown to
    the worker) one request, verified. Never raises."""
    kind: Any = "accept" if accept else "reject"
    reason = clean_reason(reason) if not accept else None
    before = request.current if isinstance(request.current, State) else None
    if before is None and request.current is None:
        read = read_state(clients, connection, request.qualification_type_id, request.worker_id)
        before = read if isinstance(read, State) else None
    after = State("Granted", value) if accept else (before or State("NotHeld"))

    def finish(
        outcome: Outcome, *, checked: State | None = None, failure: ChangeFailure | None = None
    ) -> Change:
        details = ChangeDetails(
            kind=kind,
            before=before,
            after=after,
            outcome=outcome,
            notified=True,  # the service tells the worker either way
            reason=reason,
            checked=checked,
            failure=failure,
            warnings=score_warnings(value) if accept else (),
            request_id=request.request_id,
        )
        return Change(
            id=uuid.uuid4().hex,
            time=clock(),
            connection=connection,
            qualification_type_id=request.qualification_type_id,
            worker_id=request.worker_id,
            details=details,
            qualification_type_name=type_name,
            endpoint_url=clients.endpoint_url(connection) or connection.shown_endpoint,
            run_id=run_id,
        )

    problem = ids.problem(ids.QUALIFICATION_TYPE_ID, request.request_id)
    if problem is not None:
        return finish("failed", failure=local_failure("invalid_id", f"Request ID: {problem}"))
    if value is not None and not INT32_MIN <= value <= INT32_MAX:
        return finish(
            "failed", failure=local_failure("invalid_value", f"{value} is not a 32-bit integer")
        )
    kwargs: dict[str, Any] = {"QualificationRequestId": request.request_id}
    if accept and value is not None:
        kwargs["IntegerValue"] = value
    if not accept and reason is not None:
        kwargs["Reason"] = reason

    def call(client: MTurkClient) -> object:
        if accept:
            return client.accept_qualification_request(**kwargs)
        return client.reject_qualification_request(**kwargs)

    failure = send_call(clients, connection, call, throttle_pause=throttle_pause)
    if failure is not None and failure.kind not in AMBIGUOUS:
        return finish("failed", failure=change_failure(failure))
    checked = read_state(clients, connection, request.qualification_type_id, request.worker_id)
    if isinstance(checked, Failure):
        return finish("unknown", failure=change_failure(failure or checked))
    if failure is None:
        if accept and not reached(checked, after):
            return finish("unknown", checked=checked, failure=_DISAGREES)
        return finish("done", checked=checked)
    if not accept:  # the state says nothing about a reject: is the request still pending?
        still = find_request(clients, connection, request.request_id)
        if not isinstance(still, Failure):
            gone = still is None
            return finish(
                "unknown",
                checked=checked,
                failure=ChangeFailure(
                    failure.kind,
                    "Answer lost; the request is "
                    + ("no longer pending." if gone else "still pending."),
                    failure.code,
                    failure.turk_error_code,
                    failure.message,
                ),
            )
    return finish("unknown", checked=checked, failure=change_failure(failure))


_DISAGREES = ChangeFailure(
    "unverified", "The service accepted it, but reading back shows another state."
)


def answer_many(
    clients: ClientCache,
    connection: Connection,
    requests: list[PendingRequest],
    *,
    accept: bool,
    value: int | None = None,
    reason: str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: threading.Event | None = None,
    on_change: Callable[[Change], None] | None = None,
) -> list[Change]:
    """Answer several selected requests the same way, a few at once (one run id), in the
    order given; those not started when `cancel` is set are left pending. `on_change` is
    called from the caller's thread."""
    run_id = uuid.uuid4().hex
    cancel = cancel or threading.Event()

    def one(request: PendingRequest) -> Change:
        return answer_request(
            clients, connection, request, accept=accept, value=value, reason=reason, run_id=run_id
        )

    changes: dict[int, Change] = {}
    for index, change in run_each(
        requests, one, concurrency=concurrency, cancel=cancel, thread_name_prefix="qualtui-answer"
    ):
        changes[index] = change
        if on_change is not None:
            on_change(change)
    return [changes[i] for i in sorted(changes)]


def _local(problem: str) -> Failure:
    return Failure(
        kind="invalid_request",
        title="Invalid qualification type ID",
        explanation=problem,
        fix="Check the ID.",
    )
