"""Progress and a summary on stderr for a person watching a long command (`qualtui lookup`):
only when stderr is a terminal, so a script's stderr gets nothing extra.

The progress line is redrawn in place (at most every REDRAW seconds) and cleared before
anything else is printed, so rows written to the same terminal never land inside it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import IO

from qualtui.core.models import LookupResult

REDRAW = 0.1  # seconds between two redraws of the progress line
CLEAR = "\r\x1b[K"  # back to the line's start, and erase it


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class Progress:
    """'qualtui lookup: 12 of 100 looked up' on a terminal's stderr; nothing otherwise."""

    def __init__(
        self,
        command: str,
        err: IO[str],
        *,
        enabled: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.command, self.err = command, err
        self.enabled = is_terminal(err) if enabled is None else enabled
        self._clock = clock
        self._shown = False
        self._last = -REDRAW
        self._lock = threading.Lock()

    def show(self, done: int, total: int | None, *, force: bool = False) -> None:
        """`done of total looked up` (total None: not known yet, e.g. HITs being listed)."""
        if not self.enabled:
            return
        with self._lock:
            now = self._clock()
            if not force and now - self._last < REDRAW:
                return
            self._last = now
            of = f" of {total:,}" if total is not None else ""
            self._write(f"{CLEAR}qualtui {self.command}: {done:,}{of} looked up")
            self._shown = True

    def clear(self) -> None:
        """Erase the progress line (before other output to the same terminal)."""
        if not self.enabled:
            return
        with self._lock:
            if self._shown:
                self._write(CLEAR)
                self._shown = False
                self._last = -REDRAW  # the next show redraws at once

    def finish(self, summary: str) -> None:
        """The line erased and the summary printed in its place."""
        if not self.enabled:
            return
        self.clear()
        with self._lock:
            self._write(f"qualtui {self.command}: {summary}\n")

    def _write(self, text: str) -> None:
        try:
            self.err.write(text)
            self.err.flush()
        except (OSError, ValueError):
            self.enabled = False  # a terminal gone away: stop drawing


def lookup_summary(results: Sequence[LookupResult], total: int) -> str:
    """'3 of 3 looked up: 1 Granted, 1 Revoked, 1 not held, 0 failed'."""
    statuses = [r.qualification.status for r in results if r.qualification is not None]
    not_held = sum(1 for r in results if r.failure is not None and r.failure.kind == "not_held")
    failed = sum(1 for r in results if r.failure is not None and r.failure.kind != "not_held")
    granted = statuses.count("Granted")
    revoked = len(statuses) - granted
    return (
        f"{len(results):,} of {total:,} looked up: {granted:,} Granted, {revoked:,} Revoked, "
        f"{not_held:,} not held, {failed:,} failed"
    )
