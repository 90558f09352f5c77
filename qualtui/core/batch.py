"""Many lookups of one qualification type, with bounded concurrency. Blocking: run it in a
worker thread; results come back through a callback, from the pool's threads.

Throttling is absorbed: botocore retries each call with backoff, and a call still throttled
after that is put back after a pause that doubles each time (up to `THROTTLE_ROUNDS`), so
a throttled batch slows down instead of failing.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.lookup import lookup_score
from qualtui.core.models import LookupRequest, LookupResult
from qualtui.core.timefmt import utc_now

DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 64
THROTTLE_ROUNDS = 4
THROTTLE_PAUSE = 1.0


def run_batch(
    clients: ClientCache,
    connection: Connection,
    qualification_type_id: str,
    worker_ids: Sequence[str],
    *,
    on_result: Callable[[LookupResult], None],
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: threading.Event | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
    clock: Callable[[], datetime] = utc_now,
) -> int:
    """Look up every worker; returns how many were looked up (fewer when cancelled)."""
    cancel = cancel or threading.Event()
    concurrency = max(1, min(concurrency, MAX_CONCURRENCY))
    done = 0
    count_lock = threading.Lock()

    def one(worker_id: str) -> None:
        nonlocal done
        request = LookupRequest(connection, qualification_type_id, worker_id)
        pause = throttle_pause
        for _ in range(THROTTLE_ROUNDS):
            if cancel.is_set():
                return
            result = lookup_score(clients, request, clock=clock)
            if result.failure is None or result.failure.kind != "throttled":
                break
            if cancel.wait(pause):  # slow down, unless cancelled meanwhile
                return
            pause *= 2
        with count_lock:
            done += 1
        on_result(result)

    if not worker_ids:
        return 0
    with contextlib.suppress(Exception):  # each lookup explains a failure here itself
        clients.client(connection)  # build the client once, before the threads race for it
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="qualtui-batch") as pool:
        futures = [pool.submit(one, worker_id) for worker_id in worker_ids]
        for future in futures:
            if cancel.is_set():
                pool.shutdown(wait=False, cancel_futures=True)
                break
            future.result()
    return done
