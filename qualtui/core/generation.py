"""Stale answers, dropped: one counter for every view that waits on background work.

Each request is stamped with the generation current when it starts. A newer request, a
cancel or a change of what is shown starts a new generation, and an answer stamped with an
older one is stale: it is counted and dropped on arrival, never shown.
"""

from __future__ import annotations


class Generation:
    def __init__(self) -> None:
        self._current = 0
        self.stale = 0  # answers dropped so far (tests and diagnostics read it)

    @property
    def current(self) -> int:
        return self._current

    def next(self) -> int:
        """Start a new generation (a new request): every earlier one is now stale."""
        self._current += 1
        return self._current

    def accept(self, generation: int) -> bool:
        """True if an answer stamped `generation` is current; a stale one is counted."""
        if generation == self._current:
            return True
        self.stale += 1
        return False
