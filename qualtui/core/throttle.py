"""Throttling absorbed: a throttled call is tried again after a pause that doubles each time,
so that many calls in a row slow down instead of failing. Used by every runner that makes
many calls (the batch, the worker profile, the listings that page).

botocore already retries each call with backoff (its retry budget); this is the second
line, for a call still throttled after that. Blocking: call from a worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from qualtui.core.client import ClientCache
from qualtui.core.daemon_call import Cancelled, call_on_daemon
from qualtui.core.lookup import lookup_score
from qualtui.core.models import Failure, LookupRequest, LookupResult
from qualtui.core.timefmt import utc_now

THROTTLE_ROUNDS = 4
"""Attempts in all (each one with botocore's own retries) before throttling is reported."""
THROTTLE_PAUSE = 1.0
"""Seconds before the second attempt; doubled before each one after it."""

T = TypeVar("T")


def retry_throttled(
    attempt: Callable[[], T],
    failure_in: Callable[[T], Failure | None],
    *,
    cancel: threading.Event,
    pause: float = THROTTLE_PAUSE,
    rounds: int = THROTTLE_ROUNDS,
) -> T | None:
    """Run `attempt` (which never raises) until what it returns is not a throttling failure
    (`failure_in` finds the failure in an outcome), at most `rounds` times, pausing between.

    Returns the last outcome (still throttled when the rounds ran out), or None when
    `cancel` was set before an attempt or during a pause: no call starts after a cancel.
    """
    outcome: T | None = None
    for round_number in range(max(1, rounds)):
        if cancel.is_set():
            return None
        outcome = attempt()
        failure = failure_in(outcome)
        if failure is None or failure.kind != "throttled" or round_number == rounds - 1:
            return outcome
        if cancel.wait(pause):  # slow down, unless cancelled meanwhile
            return None
        pause *= 2
    return outcome


def call_absorbing_throttling(
    attempt: Callable[[], T],
    failure_in: Callable[[T], Failure | None],
    *,
    cancel: threading.Event,
    pause: float = THROTTLE_PAUSE,
) -> T | None:
    """`retry_throttled`, with each attempt on a daemon thread that is abandoned as soon as
    `cancel` is set (its answer dropped): None when cancelled, even in the middle of a call.
    For the listings, whose caller waits page after page."""
    try:
        return retry_throttled(
            lambda: call_on_daemon(attempt, cancel.is_set, name="qualtui-page"),
            failure_in,
            cancel=cancel,
            pause=pause,
        )
    except Cancelled:
        return None


def lookup_absorbing_throttling(
    clients: ClientCache,
    request: LookupRequest,
    *,
    cancel: threading.Event,
    pause: float = THROTTLE_PAUSE,
    clock: Callable[[], datetime] = utc_now,
) -> LookupResult | None:
    """One GetQualificationScore lookup, throttling absorbed; None when cancelled."""
    return retry_throttled(
        lambda: lookup_score(clients, request, clock=clock),
        lambda result: result.failure,
        cancel=cancel,
        pause=pause,
    )
