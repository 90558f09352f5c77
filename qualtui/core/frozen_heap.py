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
from collections.abc import Iterator

_lock = threading.Lock()
_runs = 0  # runs under way that froze the heap: the last one to end unfreezes it
_kept = False  # frozen for good (a large history parsed): never unfrozen


@contextlib.contextmanager
def long_lived_frozen() -> Iterator[None]:
    """Freeze what exists now for the duration of the block (nested or concurrent runs
    share one freeze)."""
    global _runs
    with _lock:
        _runs += 1
        if _runs == 1:
            gc.freeze()
    try:
        yield
    finally:
        with _lock:
            _runs -= 1
            if _runs == 0 and not _kept:
                gc.unfreeze()


def freeze_for_good() -> None:
    """Freeze what exists now and keep it frozen (a run's end does not give it back)."""
    global _kept
    with _lock:
        _kept = True
        gc.freeze()


def runs_under_way() -> int:
    """How many runs hold the freeze now (0: the collector sees every object)."""
    with _lock:
        return _runs
