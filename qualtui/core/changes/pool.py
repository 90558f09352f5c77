"""Running one function over many items, at most N at once, on daemon threads (quitting
never waits for them). Blocking: the caller's thread gets each result as it comes.

Unlike the lookups' runner, a cancel does not abandon the calls under way: a write in
flight is waited for, so that its outcome can be recorded ("what was applied stays
recorded"); no item starts after the cancel.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_END = object()
log = logging.getLogger(__name__)


def run_each(
    items: Sequence[T],
    work: Callable[[T], R | None],
    *,
    concurrency: int,
    cancel: threading.Event,
    thread_name_prefix: str = "qualtui-change",
) -> Iterator[tuple[int, R]]:
    """Yield (index, result) as each item finishes; items not started when `cancel` is set
    are skipped, and a None result is not yielded. `work` should not raise: an exception is
    logged and its item yields nothing."""
    if not items:
        return
    taken = iter(range(len(items)))
    take_lock = threading.Lock()
    results: queue.SimpleQueue[object] = queue.SimpleQueue()
    workers = max(1, min(concurrency, len(items)))

    def loop() -> None:
        try:
            while not cancel.is_set():
                with take_lock:
                    index = next(taken, None)
                if index is None:
                    return
                try:
                    result = work(items[index])
                except Exception:  # a bug, not an outcome: logged, never a traceback on screen
                    log.exception("a change failed unexpectedly")
                    continue
                if result is not None:
                    results.put((index, result))
        finally:
            results.put(_END)

    for number in range(workers):
        threading.Thread(target=loop, name=f"{thread_name_prefix}_{number}", daemon=True).start()
    ended = 0
    while ended < workers:
        item = results.get()
        if item is _END:
            ended += 1
            continue
        yield item  # type: ignore[misc]
