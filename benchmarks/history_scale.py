"""Loading a large history: `python benchmarks/history_scale.py [COUNT ...]` (10000 100000).

For each size, the same `history.json` (version 2, `COUNT` entries, a third of them failed
lookups, a third in runs) is read three ways, interleaved so all see the same machine:

- reference: the reader before msgspec: `json.loads`, then `HistoryEntry.from_json` for
  every entry, the garbage collector running;
- parse: `qualtui.core.history.parse` (msgspec's typed decoder, the collector paused);
- load: `HistoryStore.load()` end to end (reading, parsing, the locks), and how long the
  store's in-process lock was held (what a UI thread calling `snapshot()` could wait for).

It prints the medians and the ratio reference / parse. Not a test: nothing passes or fails.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from qualtui.core.history import HistoryEntry, HistoryStore, parse, serialize  # noqa: E402
from tests.historyhelpers import entry  # noqa: E402


def reference(data: bytes) -> list[HistoryEntry]:
    """How the history was read before: the standard library's decoder, entry by entry."""
    document = json.loads(data)
    return [HistoryEntry.from_json(raw) for raw in document["entries"]]


def entries(count: int) -> list[HistoryEntry]:
    made = []
    for n in range(count):
        one = entry(n, f"A{n:07d}W", failed=n % 3 == 0)
        made.append(replace(one, run_id=f"run{n // 1000}") if n % 3 == 1 else one)
    return made


class LockWatch:
    """Wraps a store's threading lock to measure the longest time it was held."""

    def __init__(self, inner: threading.Lock) -> None:
        self.inner = inner
        self.longest = 0.0
        self._since = 0.0

    def __enter__(self) -> None:
        self.inner.acquire()
        self._since = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.longest = max(self.longest, time.perf_counter() - self._since)
        self.inner.release()


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(count: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.json"
        made = entries(count)
        data = serialize(made)
        path.write_bytes(data)
        assert reference(data) == made and list(parse(data).entries) == made
        ref_times, parse_times, load_times, held = [], [], [], []
        for _ in range(runs):  # interleaved
            gc.collect()
            ref_times.append(timed(lambda: reference(data)))
            gc.collect()
            parse_times.append(timed(lambda: parse(data)))
            gc.collect()
            store = HistoryStore(path, cap=count, run_cap=count)
            watch = LockWatch(store._lock)
            store._lock = watch  # type: ignore[assignment]
            load_times.append(timed(store.load))
            held.append(watch.longest)
        ref, new = statistics.median(ref_times), statistics.median(parse_times)
        print(
            f"history of {count:,} entries ({len(data) / 2**20:.1f} MiB): "
            f"reference {ref:.3f} s, parse {new:.3f} s, ratio {ref / new:.1f}x faster; "
            f"HistoryStore.load {statistics.median(load_times):.3f} s, "
            f"store lock held at most {statistics.median(held) * 1000:.1f} ms",
            flush=True,
        )


def main() -> None:
    counts = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    for count in counts:
        measure(count, runs=5 if count <= 10_000 else 3)


if __name__ == "__main__":
    main()
