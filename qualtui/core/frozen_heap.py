"""The garbage collector told to leave alone the objects that exist when a long run starts
(a batch in the app: the whole UI, its styles and caches, some 240,000 objects).

A full collection walks every tracked object; in the app one took 25-70 ms (measured during
batches of 1,000, which triggered two or three), holding the interpreter lock: each one
stalls every lookup thread whose answer arrives meanwhile. Frozen (`gc.freeze`), those
objects are skipped; what the run itself makes is collected as usual. At the end they are given back
(`gc.unfreeze`), so a cycle that was already garbage is collected then, not never.

A large history's parse freezes its entries for good (`freeze_for_good`): from then on a
run's end leaves the heap frozen, or the next full collection would walk every entry (over
a second at 1,000,000) on whichever thread allocates, the UI's included.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator


class FrozenHeap:
    """The freeze's bookkeeping: how many runs hold it, and whether it is for good.
    `freeze`/`unfreeze` are the collector's unless given (a test gives its own)."""

    def __init__(
        self,
        freeze: Callable[[], None] | None = None,
        unfreeze: Callable[[], None] | None = None,
    ) -> None:
        self._freeze = freeze
        self._unfreeze = unfreeze
        self._lock = threading.Lock()
        self._runs = 0  # runs under way that froze the heap: the last one to end unfreezes
        self.kept = False  # frozen for good (a large history parsed): never unfrozen

    def _do_freeze(self) -> None:
        (self._freeze or gc.freeze)()

    @contextlib.contextmanager
    def long_lived(self) -> Iterator[None]:
        """Freeze what exists now for the duration of the block (nested or concurrent runs
        share one freeze)."""
        with self._lock:
            self._runs += 1
            if self._runs == 1:
                self._do_freeze()
        try:
            yield
        finally:
            with self._lock:
                self._runs -= 1
                if self._runs == 0 and not self.kept:
                    (self._unfreeze or gc.unfreeze)()

    def freeze_for_good(self) -> None:
        """Freeze what exists now and keep it frozen (a run's end does not give it back)."""
        with self._lock:
            self.kept = True
            self._do_freeze()

    def freeze_too_if_kept(self) -> None:
        """After a large history was frozen for good, freeze what exists now too: the
        containers made of its entries since (a list or dict of a million of them), which
        every young collection would otherwise walk, on whichever thread allocates."""
        with self._lock:
            if self.kept:
                self._do_freeze()

    def runs_under_way(self) -> int:
        """How many runs hold the freeze now (0: the collector sees every object)."""
        with self._lock:
            return self._runs


HEAP = FrozenHeap()  # the process's one heap
long_lived_frozen = HEAP.long_lived
freeze_for_good = HEAP.freeze_for_good
freeze_too_if_kept = HEAP.freeze_too_if_kept
runs_under_way = HEAP.runs_under_way
