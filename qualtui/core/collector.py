"""The garbage collector paused while qualtui starts, and while a history is parsed.

Starting makes some 200,000 objects (modules, classes, styles, widgets) and no garbage worth
a collection, yet every 700 allocations start one: about 8 ms of a 190 ms start to the first
frame. So the `qualtui` command pauses the collector before it imports anything
(`qualtui.launch`), a sub-command resumes it as soon as its command line is read, and the
app resumes it once its main screen is complete (`end_of_start`), after freezing what
exists then (`gc.freeze`): nearly all of it lives as long as the app, and without the
freeze the first allocation after the pause would start a collection of all of it on the
UI thread (a `gc.collect()` there took 25-34 ms). The few cycles that were already garbage
(about 2,900 objects, 350 KB, mostly Textual's caches) stay until a batch's end gives the
frozen objects back to the collector (`frozen_heap`), or for good once a large history has
been parsed.

A parse pauses it too (`paused`): pauses nest and overlap across threads (the history is
parsed in a worker while the app starts). The collector runs again when the last one ends,
and only if it was running when the first began (a caller that turned it off keeps it off).
Whoever makes many long-lived objects during a pause freezes them before it ends (a large
history parse does, `frozen_heap.freeze_for_good`).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator


class Collector:
    """How many pauses hold the collector, and whether it was running before the first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holds = 0
        self._resume = False
        self._start_held = False

    def hold(self) -> None:
        with self._lock:
            if self._holds == 0:
                self._resume = gc.isenabled()
                gc.disable()
            self._holds += 1

    def release(self) -> None:
        with self._lock:
            if self._holds == 0:
                raise RuntimeError("the collector was released more often than held")
            self._holds -= 1
            if self._holds == 0 and self._resume:
                gc.enable()

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        self.hold()
        try:
            yield
        finally:
            self.release()

    def pause_for_start(self) -> None:
        """The `qualtui` command's first step (once)."""
        with self._lock:
            if self._start_held:
                return
            self._start_held = True
        self.hold()

    def end_of_start(self) -> None:
        """Started: what exists is frozen and the start's pause ends (nothing if the process
        did not start through the command, as in the tests)."""
        with self._lock:
            if not self._start_held:
                return
            self._start_held = False
            gc.freeze()
        self.release()

    def starting(self) -> bool:
        """The start's pause is held."""
        with self._lock:
            return self._start_held


COLLECTOR = Collector()  # the process's one collector
paused = COLLECTOR.paused
pause_for_start = COLLECTOR.pause_for_start
end_of_start = COLLECTOR.end_of_start
