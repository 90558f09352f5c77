"""Many lookups with bounded concurrency: one type for many workers (`run_batch`), or any
list of requests (`run_lookups`, which the worker profile uses too). Blocking: run it in a
worker thread; results come back through a callback, from the lookup threads.

Throttling is absorbed (see `core.throttle`): a throttled lookup is put back after a pause
that doubles each time, so a throttled batch slows down instead of failing.

An endpoint that cannot be reached (refused, timed out, hung) stops a batch instead of being
fired at for minutes: `ConnectionGuard` (the one policy the app and `qualtui lookup` share)
holds back connection-level failures and stops the batch after `STOP_AFTER` in a row.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Final

from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.models import Failure, FailureKind, LookupRequest, LookupResult
from qualtui.core.throttle import THROTTLE_PAUSE, THROTTLE_ROUNDS, lookup_absorbing_throttling
from qualtui.core.timefmt import utc_now

DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 64
CANCEL_POLL = 0.05  # seconds between two looks at the cancel event while lookups run
STOP_AFTER = 5  # connection-level failures in a row that stop a batch
CONNECTION_KINDS: Final[frozenset[FailureKind]] = frozenset(
    {"connect_timeout", "read_timeout", "unreachable", "connection_reset"}
)
"""Failures of the connection, not of the lookup: the endpoint refused, did not answer in
time, or cut the connection. Many in a row mean the next lookups would fail the same way."""

__all__ = [
    "DEFAULT_CONCURRENCY",
    "MAX_CONCURRENCY",
    "THROTTLE_PAUSE",
    "THROTTLE_ROUNDS",
    "ConnectionGuard",
    "run_batch",
    "run_guarded",
    "run_lookups",
]


def run_batch(
    clients: ClientCache,
    connection: Connection,
    qualification_type_id: str,
    worker_ids: Sequence[str],
    *,
    on_result: Callable[[LookupResult], None],
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: threading.Event | None = None,
    throttle_pause: float | None = None,
    clock: Callable[[], datetime] = utc_now,
    guard: ConnectionGuard | None = None,
) -> int:
    """Look up every worker; returns how many were reported (fewer when cancelled).

    `throttle_pause` None means this module's THROTTLE_PAUSE, read at call time.
    With a `guard`, connection-level failures are held back, and once it stops the batch
    (`guard.stopped`) `cancel` is set and the held failures are never reported: those
    workers were not looked up (a retry looks them up again).
    """
    requests = [LookupRequest(connection, qualification_type_id, w) for w in worker_ids]
    return run_guarded(
        clients,
        requests,
        on_result=on_result,
        concurrency=concurrency,
        cancel=cancel,
        throttle_pause=throttle_pause,
        clock=clock,
        guard=guard,
    )


def run_guarded(
    clients: ClientCache,
    requests: Iterable[LookupRequest],
    *,
    on_result: Callable[[LookupResult], None],
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: threading.Event | None = None,
    throttle_pause: float | None = None,
    clock: Callable[[], datetime] = utc_now,
    guard: ConnectionGuard | None = None,
) -> int:
    """`run_batch` for any requests, a generator among them (workers streamed from HITs)."""
    cancel = cancel or threading.Event()
    report = on_result
    if guard is not None:

        def report(result: LookupResult) -> None:
            for admitted in guard.admit(result):
                on_result(admitted)
            if guard.stopped is not None:
                cancel.set()

    done = run_lookups(
        clients,
        requests,
        on_result=report,
        concurrency=concurrency,
        cancel=cancel,
        throttle_pause=THROTTLE_PAUSE if throttle_pause is None else throttle_pause,
        clock=clock,
    )
    if guard is not None:
        held = guard.release()
        for result in held:  # isolated failures of a batch that ran to its end (or was cancelled)
            on_result(result)
        done = guard.reported + len(held)
    return done


class ConnectionGuard:
    """Stops a batch after `limit` connection-level failures in a row.

    A connection-level failure (`CONNECTION_KINDS`) is held back: when a later lookup gets
    an answer, it was a blip and is reported then; when `limit` come in a row, the batch is
    stopped (`stopped` is the last failure) and they are dropped, so the caller can say why
    once and offer a retry, instead of listing the same failure for every worker.
    Called from one thread at a time (`run_lookups` reports one result at a time).
    """

    def __init__(self, limit: int = STOP_AFTER) -> None:
        self.limit = limit
        self.stopped: Failure | None = None
        self.reported = 0  # results let through so far
        self._held: list[LookupResult] = []

    def admit(self, result: LookupResult) -> list[LookupResult]:
        """The results to report now (none once stopped)."""
        if self.stopped is not None:
            return []
        failure = result.failure
        if failure is not None and failure.kind in CONNECTION_KINDS:
            self._held.append(result)
            if len(self._held) >= self.limit:
                self.stopped, self._held = failure, []
            return []
        admitted, self._held = [*self._held, result], []
        self.reported += len(admitted)
        return admitted

    def release(self) -> list[LookupResult]:
        """At the end: what is still held, unless the batch was stopped."""
        held, self._held = self._held, []
        return [] if self.stopped is not None else held

    def explanation(self) -> str:
        """Why the batch stopped, in one line: what failed and what to do."""
        failure = self.stopped
        if failure is None:
            return ""
        return (
            f"Stopped after {self.limit} lookups in a row could not reach MTurk: "
            f"{failure.title}. {failure.explanation} {failure.fix}"
        )


def run_lookups(
    clients: ClientCache,
    requests: Iterable[LookupRequest],
    *,
    on_result: Callable[[LookupResult], None],
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: threading.Event | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
    clock: Callable[[], datetime] = utc_now,
    thread_name_prefix: str = "qualtui-batch",
) -> int:
    """Run every lookup, at most `concurrency` at once; returns how many were reported.

    `requests` may be a generator that waits for more (the worker profile starts looking up
    the first page of types while the next page is listed): the threads take the next
    request one at a time, and the run ends when it is exhausted.

    The lookups run on daemon threads, so quitting never waits for them. `on_result` is
    called from those threads, one call at a time. Once `cancel` is set, no lookup starts
    and this returns within `CANCEL_POLL` seconds, without waiting for the calls under way:
    their answers are dropped, and `on_result` is never called after this returns.
    """
    cancel = cancel or threading.Event()
    concurrency = max(1, min(concurrency, MAX_CONCURRENCY))
    if isinstance(requests, Sequence):
        if not requests:
            return 0
        concurrency = min(concurrency, len(requests))
        for connection in dict.fromkeys(r.connection for r in requests):
            # build each client once, before the threads race for it
            with contextlib.suppress(Exception):  # each lookup explains a failure itself
                clients.client(connection)
    run = _Run(iter(requests), concurrency, cancel)

    def work() -> None:
        try:
            while (request := run.next_request()) is not None:
                result = lookup_absorbing_throttling(
                    clients, request, cancel=cancel, pause=throttle_pause, clock=clock
                )
                if result is None or not run.report(result, on_result):
                    return
        finally:
            run.worker_ended()

    for number in range(concurrency):
        name = f"{thread_name_prefix}_{number}"
        threading.Thread(target=work, name=name, daemon=True).start()
    while not run.finished.wait(CANCEL_POLL):
        if cancel.is_set():
            break
    return run.close()


class _Run:
    """What the threads of one `run_lookups` share."""

    def __init__(
        self, requests: Iterator[LookupRequest], workers: int, cancel: threading.Event
    ) -> None:
        self.cancel = cancel
        self.finished = threading.Event()  # every worker ended (or a callback failed)
        self._requests = requests
        self._taking = threading.Lock()  # apart from _lock: taking may wait for more
        self._workers = workers
        self._lock = threading.Lock()
        self._open = True
        self._reported = 0
        self._error: BaseException | None = None

    def next_request(self) -> LookupRequest | None:
        with self._taking:
            if not self._open or self.cancel.is_set():
                return None
            return next(self._requests, None)

    def report(self, result: LookupResult, on_result: Callable[[LookupResult], None]) -> bool:
        """Hand a result to the caller, unless the run is over or cancelled; False to stop
        this worker."""
        with self._lock:
            if not self._open or self.cancel.is_set():
                return False
            try:
                on_result(result)
            except BaseException as exc:  # the caller's bug: raised to the caller
                self._error, self._open = exc, False
                self.finished.set()
                return False
            self._reported += 1
            return True

    def worker_ended(self) -> None:
        with self._lock:
            self._workers -= 1
            if self._workers == 0:
                self.finished.set()

    def close(self) -> int:
        """No result is reported after this; how many were. Raises a callback's error."""
        with self._lock:
            self._open = False
            if self._error is not None:
                raise self._error
            return self._reported
