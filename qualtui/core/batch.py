"""Many lookups with bounded concurrency: one type for many workers (`run_batch`), or any
list of requests (`run_lookups`, which the worker profile uses too). Blocking: run it in a
worker thread; results come back through a callback, from the pool's threads.

Throttling is absorbed (see `core.throttle`): a throttled lookup is put back after a pause
that doubles each time, so a throttled batch slows down instead of failing.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.models import LookupRequest, LookupResult
from qualtui.core.throttle import THROTTLE_PAUSE, THROTTLE_ROUNDS, lookup_absorbing_throttling
from qualtui.core.timefmt import utc_now

DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 64

__all__ = [
    "DEFAULT_CONCURRENCY",
    "MAX_CONCURRENCY",
    "THROTTLE_PAUSE",
    "THROTTLE_ROUNDS",
    "run_batch",
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
) -> int:
    """Look up every worker; returns how many were looked up (fewer when cancelled).

    `throttle_pause` None means this module's THROTTLE_PAUSE, read at call time.
    """
    requests = [LookupRequest(connection, qualification_type_id, w) for w in worker_ids]
    return run_lookups(
        clients,
        requests,
        on_result=on_result,
        concurrency=concurrency,
        cancel=cancel,
        throttle_pause=THROTTLE_PAUSE if throttle_pause is None else throttle_pause,
        clock=clock,
    )


def run_lookups(
    clients: ClientCache,
    requests: Sequence[LookupRequest],
    *,
    on_result: Callable[[LookupResult], None],
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: threading.Event | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
    clock: Callable[[], datetime] = utc_now,
    thread_name_prefix: str = "qualtui-batch",
) -> int:
    """Run every lookup, at most `concurrency` at once; returns how many finished.

    After `cancel` is set no lookup starts; the ones under way finish (their results are
    still reported: a caller that cancelled drops them) before this returns.
    """
    cancel = cancel or threading.Event()
    concurrency = max(1, min(concurrency, MAX_CONCURRENCY))
    done = 0
    count_lock = threading.Lock()

    def one(request: LookupRequest) -> None:
        nonlocal done
        result = lookup_absorbing_throttling(
            clients, request, cancel=cancel, pause=throttle_pause, clock=clock
        )
        if result is None:  # cancelled before it started, or while it waited
            return
        with count_lock:
            done += 1
        on_result(result)

    if not requests:
        return 0
    connections = dict.fromkeys(r.connection for r in requests)
    for connection in connections:  # build each client once, before the threads race for it
        with contextlib.suppress(Exception):  # each lookup explains a failure here itself
            clients.client(connection)
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=thread_name_prefix) as pool:
        futures = [pool.submit(one, request) for request in requests]
        for future in futures:
            if cancel.is_set():
                pool.shutdown(wait=False, cancel_futures=True)
                break
            future.result()
    return done
