"""An executor whose threads never keep the process alive.

Textual runs thread workers with `loop.run_in_executor(None, ...)`, and asyncio waits for
that default executor when the event loop closes; Python also joins a ThreadPoolExecutor's
threads at exit. A worker blocked in a network call (attempts x read timeout, or a
credential_process that never returns) would keep qualtui on screen long after Ctrl+Q.

`DaemonExecutor` is installed as the app's default executor: each task runs on a daemon
thread of its own, and shutting down waits only briefly (long enough for a history write
under way to finish) before abandoning what is still running. It subclasses
ThreadPoolExecutor only because asyncio insists on one; none of the parent's threads or
exit hooks are used.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

SHUTDOWN_WAIT = 0.25  # seconds to let running tasks (a history write) finish at exit


class DaemonExecutor(ThreadPoolExecutor):
    def __init__(self, shutdown_wait: float = SHUTDOWN_WAIT) -> None:
        super().__init__(max_workers=1, thread_name_prefix="qualtui-unused")
        self.shutdown_wait = shutdown_wait
        self._running: set[threading.Thread] = set()
        self._running_lock = threading.Lock()
        self._closed = False

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if self._closed:
            raise RuntimeError("cannot schedule new work after shutdown")
        future: Future[T] = Future()

        def run() -> None:
            try:
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(*args, **kwargs))
                    except BaseException as exc:
                        future.set_exception(exc)
            finally:
                with self._running_lock:
                    self._running.discard(threading.current_thread())

        thread = threading.Thread(target=run, name="qualtui-worker", daemon=True)
        with self._running_lock:
            self._running.add(thread)
        thread.start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._closed = True
        if not wait:
            return
        deadline = time.monotonic() + self.shutdown_wait
        with self._running_lock:
            running = list(self._running)
        for thread in running:
            thread.join(max(0.0, deadline - time.monotonic()))

    @property
    def running(self) -> int:
        """Tasks still running (abandoned ones included)."""
        with self._running_lock:
            return len(self._running)
