"""Run a blocking call so that whoever waits for it can stop waiting at once.

Textual runs thread workers in asyncio's default executor and waits for them when the app
exits, and Python joins executor threads at interpreter exit: a worker blocked in a network
call (up to attempts x read timeout) would keep qualtui from quitting. So every MTurk call
from the UI runs on a daemon thread of its own, and the worker only *waits* for it, checking
`cancelled()` several times a second. When the app quits (or a screen closes, or the user
presses Esc), the worker is cancelled, stops waiting and returns; the abandoned call finishes
or dies with the process, which never waits for a daemon thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from qualtui.core import thread_errors

T = TypeVar("T")

POLL_SECONDS = 0.05


class Cancelled(Exception):
    """The waiter was cancelled before the call finished; its answer is not wanted."""


class _Outcome(Generic[T]):
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None
        self.abandoned = False  # the waiter stopped waiting: nobody will see the error
        self.lock = threading.Lock()


def call_on_daemon(
    call: Callable[[], T],
    cancelled: Callable[[], bool],
    *,
    name: str = "qualtui-call",
    poll: float = POLL_SECONDS,
) -> T:
    """Run `call` on a daemon thread and return what it returns (or raise what it raises).

    Raises `Cancelled` as soon as `cancelled()` is true (checked every `poll` seconds)."""
    outcome: _Outcome[T] = _Outcome()

    def run() -> None:
        try:
            outcome.value = call()
        except BaseException as exc:  # handed to the waiter, or reported when it has gone
            with outcome.lock:
                outcome.error = exc
                abandoned = outcome.abandoned
            if abandoned:
                thread_errors.report(f"{name} (after its caller stopped waiting)", exc)
        finally:
            outcome.done.set()

    threading.Thread(target=run, name=name, daemon=True).start()
    while not outcome.done.wait(poll):
        if cancelled():
            with outcome.lock:
                outcome.abandoned = outcome.error is None
            if outcome.abandoned:
                raise Cancelled
            break  # it failed just now: the waiter raises it below
    if outcome.error is not None:
        raise outcome.error
    return outcome.value  # type: ignore[return-value]  # set when no error
