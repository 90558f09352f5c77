"""Grant, set or revoke one qualification, verified by reading it back. Blocking: call from a
worker thread.

- IDs are validated before anything is sent (botocore checks only their length); a score
  must be a 32-bit integer; one outside 0-100 is allowed but flagged (`warnings`).
- AssociateQualificationWithWorker always carries SendNotification, false unless asked:
  the API's own default is to e-mail the worker.
- Writes go through the write client, which makes one attempt: botocore never re-sends a
  write whose request may have arrived. A throttled write was refused before it was applied,
  so it is sent again after a pause that doubles; nothing else is re-sent.
- A write whose answer is lost (read timeout, dropped connection, a 5xx, an unreadable
  answer) is verified by reading the score back: the outcome is `unknown` and `checked` says
  what the worker holds now. A write the service accepted is read back too: `done` when the
  state is the one asked for.
- Raising or lowering by N is turned into an absolute score from the state read before, so
  sending it twice gives the same result.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from qualtui.core import ids
from qualtui.core.changes.change import (
    INT32_MAX,
    INT32_MIN,
    MAX_REASON,
    NOT_HELD,
    Change,
    ChangeDetails,
    ChangeFailure,
    ChangeKind,
    Outcome,
    State,
    granted,
    reached,
    score_warnings,
)
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.errors import failure_of
from qualtui.core.models import Failure, LookupRequest, LookupResult
from qualtui.core.text import printable
from qualtui.core.throttle import lookup_absorbing_throttling, retry_throttled
from qualtui.core.timefmt import utc_now

if TYPE_CHECKING:
    from mypy_boto3_mturk import MTurkClient

THROTTLE_ROUNDS = 8
THROTTLE_PAUSE = 0.5

AMBIGUOUS = frozenset(
    {"read_timeout", "connection_reset", "malformed_response", "server_error", "service_fault"}
)
"""Failures after which the write may or may not have been applied: verify by reading."""


@dataclass(frozen=True)
class Intent:
    """A change asked for. `value` is the score of a grant or set (None for a grant: the
    service's default for a new grant, the old score for a re-grant); `delta` raises or
    lowers the score held instead. `reason` goes to the worker with a revoke."""

    kind: ChangeKind
    qualification_type_id: str
    worker_id: str
    value: int | None = None
    delta: int | None = None
    reason: str | None = None
    notify: bool = False


def state_of(result: LookupResult) -> State | Failure:
    """A worker's state from a lookup: not held and revoked are states, not failures."""
    if result.qualification is not None:
        q = result.qualification
        if q.status == "Revoked":
            return State("Revoked", q.integer_value)
        return State("Granted", q.integer_value)
    assert result.failure is not None
    if result.failure.kind == "not_held":
        return NOT_HELD
    if result.failure.kind == "revoked":
        return State("Revoked")
    return result.failure


def read_state(
    clients: ClientCache,
    connection: Connection,
    type_id: str,
    worker_id: str,
    *,
    throttle_pause: float = THROTTLE_PAUSE,
) -> State | Failure:
    """The worker's state now (GetQualificationScore); a failure is returned, explained.
    A read still throttled after botocore's retries is tried again after a pause."""
    request = LookupRequest(connection, type_id, worker_id)
    result = lookup_absorbing_throttling(
        clients, request, cancel=threading.Event(), pause=throttle_pause
    )
    assert result is not None  # never cancelled
    return state_of(result)


def id_problem(type_id: str, worker_id: str) -> str | None:
    """What is wrong with either ID, in words; None when both are valid."""
    return ids.problem(ids.QUALIFICATION_TYPE_ID, type_id) or ids.problem(ids.WORKER_ID, worker_id)


def target_of(intent: Intent, before: State | None) -> State | str:
    """The state asked for, or why there is none (a problem in words)."""
    if intent.kind == "revoke":
        return State("Revoked", before.value if before is not None else None)
    if intent.delta is not None:
        if before is None or not before.held or before.value is None:
            return "The worker holds no score to raise or lower."
        value: int | None = before.value + intent.delta
    else:
        value = intent.value
    if intent.kind == "set" and value is None:
        return "No score given."
    if value is not None and not INT32_MIN <= value <= INT32_MAX:
        return f"Score {value} is not a 32-bit integer."
    return State("Granted", value)


def clean_reason(reason: str | None) -> str | None:
    """A reason as sent: one line of printable text, bounded; None when empty."""
    if reason is None:
        return None
    text = " ".join(printable(reason).split())[:MAX_REASON]
    return text or None


def local_failure(kind: str, title: str, message: str | None = None) -> ChangeFailure:
    return ChangeFailure(kind=kind, title=title, message=message)


def change_failure(failure: Failure) -> ChangeFailure:
    return ChangeFailure(
        failure.kind, failure.title, failure.code, failure.turk_error_code, failure.message
    )


@dataclass(frozen=True)
class Preview:
    """What a change will do, for the confirmation: the state now, the state asked for,
    warnings, and whether the worker is told."""

    intent: Intent
    before: State
    after: State
    warnings: tuple[str, ...]
    notified: bool
    reason: str | None

    @property
    def changes_anything(self) -> bool:
        return not reached(self.before, self.after)


def preview_change(
    clients: ClientCache, connection: Connection, intent: Intent
) -> Preview | ChangeFailure:
    """Validate the intent and read the worker's state now (blocking: one read); the
    failure (an invalid ID or score, a read that failed) says why there is nothing to
    confirm. Apply it with `change_qualification(..., before=preview.before)`."""
    problem = id_problem(intent.qualification_type_id, intent.worker_id)
    if problem is not None:
        return local_failure("invalid_id", problem)
    read = read_state(clients, connection, intent.qualification_type_id, intent.worker_id)
    if isinstance(read, Failure):
        return change_failure(read)
    target = target_of(intent, read)
    if isinstance(target, str):
        return local_failure("invalid_value", target)
    reason = clean_reason(intent.reason) if intent.kind == "revoke" else None
    return Preview(
        intent=intent,
        before=read,
        after=target,
        warnings=score_warnings(target.value) if target.held else (),
        notified=intent.notify if intent.kind != "revoke" else reason is not None,
        reason=reason,
    )


def change_qualification(
    clients: ClientCache,
    connection: Connection,
    intent: Intent,
    *,
    before: State | None = None,
    type_name: str | None = None,
    run_id: str | None = None,
    undoes: str | None = None,
    cancel: threading.Event | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
    clock: Callable[[], datetime] = utc_now,
) -> Change:
    """Apply one intent and verify it. Never raises: the outcome is in the Change.

    `before` is the state already read (a bulk run's dry run); else it is read first, and a
    failure to read it fails the change before anything is sent.
    """
    reason = clean_reason(intent.reason) if intent.kind == "revoke" else None
    notified = intent.notify if intent.kind != "revoke" else reason is not None

    def finish(
        outcome: Outcome,
        after: State,
        *,
        checked: State | None = None,
        failure: ChangeFailure | None = None,
        warnings: tuple[str, ...] = (),
        sent: bool = True,
    ) -> Change:
        details = ChangeDetails(
            kind=intent.kind,
            before=before,
            after=after,
            outcome=outcome,
            notified=notified and sent,
            reason=reason,
            checked=checked,
            failure=failure,
            warnings=warnings,
            undoes=undoes,
        )
        return Change(
            id=uuid.uuid4().hex,
            time=clock(),
            connection=connection,
            qualification_type_id=intent.qualification_type_id,
            worker_id=intent.worker_id,
            details=details,
            qualification_type_name=type_name,
            endpoint_url=clients.endpoint_url(connection) or connection.shown_endpoint,
            run_id=run_id,
        )

    unsent = granted(intent.value) if intent.value is not None else State("Granted")
    problem = id_problem(intent.qualification_type_id, intent.worker_id)
    if problem is not None:
        return finish("failed", unsent, failure=local_failure("invalid_id", problem), sent=False)
    if before is None:
        read = read_state(clients, connection, intent.qualification_type_id, intent.worker_id)
        if isinstance(read, Failure):
            return finish("failed", unsent, failure=change_failure(read), sent=False)
        before = read
    target = target_of(intent, before)
    if isinstance(target, str):
        return finish("failed", unsent, failure=local_failure("invalid_value", target), sent=False)
    warnings = score_warnings(target.value) if target.held else ()
    failure = send(
        clients,
        connection,
        intent,
        target,
        reason,
        cancel=cancel,
        throttle_pause=throttle_pause,
    )
    if failure is not None and failure.kind not in AMBIGUOUS:
        return finish(
            "failed",
            target,
            failure=change_failure(failure),
            warnings=warnings,
            sent=failure.kind not in _NEVER_SENT,
        )
    checked = read_state(
        clients,
        connection,
        intent.qualification_type_id,
        intent.worker_id,
        throttle_pause=throttle_pause,
    )
    if isinstance(checked, Failure):
        return finish(
            "unknown", target, failure=change_failure(failure or checked), warnings=warnings
        )
    if failure is None and reached(checked, target):
        return finish("done", target, checked=checked, warnings=warnings)
    lost = change_failure(failure) if failure is not None else _DISAGREES
    return finish("unknown", target, checked=checked, failure=lost, warnings=warnings)


_DISAGREES = ChangeFailure(
    "unverified", "The service accepted the change, but reading it back shows another state."
)
_NEVER_SENT = frozenset(
    {
        "connect_timeout",
        "unreachable",
        "tls_error",
        "credentials_timeout",
        "credentials_failed",
        "no_credentials",
        "partial_credentials",
        "profile_not_found",
        "bad_config",
        "sso_expired",
        "cancelled",
    }
)


def send(
    clients: ClientCache,
    connection: Connection,
    intent: Intent,
    target: State,
    reason: str | None,
    *,
    cancel: threading.Event | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
) -> Failure | None:
    """Send the grant, set or revoke. None when the service accepted it; else the failure,
    explained."""
    kwargs: dict[str, Any] = {
        "QualificationTypeId": intent.qualification_type_id,
        "WorkerId": intent.worker_id,
    }
    if intent.kind == "revoke":
        if reason is not None:
            kwargs["Reason"] = reason

        def call(client: MTurkClient) -> object:
            return client.disassociate_qualification_from_worker(**kwargs)

    else:
        kwargs["SendNotification"] = intent.notify  # always sent: the API defaults to true
        if target.value is not None:
            kwargs["IntegerValue"] = target.value

        def call(client: MTurkClient) -> object:
            return client.associate_qualification_with_worker(**kwargs)

    return send_call(clients, connection, call, cancel=cancel, throttle_pause=throttle_pause)


def send_call(
    clients: ClientCache,
    connection: Connection,
    call: Callable[[MTurkClient], object],
    *,
    cancel: threading.Event | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
) -> Failure | None:
    """Make one write call with the write client (one attempt per round); a throttled round
    is sent again after a pause that doubles. None when the service accepted it."""

    def attempt() -> Failure | bool:
        try:
            call(clients.write_client(connection))
            return True
        except Exception as exc:
            return failure_of(clients, connection, exc)

    def failure_in(result: Failure | bool) -> Failure | None:
        return result if isinstance(result, Failure) else None

    outcome = retry_throttled(
        attempt,
        failure_in,
        cancel=cancel or threading.Event(),
        pause=throttle_pause,
        rounds=THROTTLE_ROUNDS,
    )
    if outcome is None:  # cancelled before it was sent
        return _cancelled(connection)
    return outcome if isinstance(outcome, Failure) else None


def _cancelled(connection: Connection) -> Failure:
    return Failure(
        kind="cancelled",
        title="Cancelled",
        explanation="The run was stopped before this change was sent.",
        fix="Run the plan again: what was applied is found unchanged.",
    )
