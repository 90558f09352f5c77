"""A large history: `python benchmarks/history_scale.py [COUNT ...]` (10000 100000 1000000).

For each size, the same `history.json` (version 2, `COUNT` entries, a third of them failed
lookups, a third in runs) is measured, each beside its reference in the same run:

- parse: `qualtui.core.history.parse` (msgspec's typed decoder, the collector paused)
  against the reader before msgspec (`json.loads`, then `HistoryEntry.from_json` for every
  entry, the collector running); skipped over 100,000 (the reference alone takes minutes);
- load: `HistoryStore.load()` end to end, and the longest time the store's in-process lock
  was held (what a UI thread calling `snapshot()` could wait for);
- append: `HistoryStore.append` (a journal line, fsync included), median and longest of
  50, against what an append cost before the journal: the whole file rewritten atomically
  (`write_atomic(serialize(...))`, fsync included), median of 3.

It prints one line per size, and with `--json` one JSON object per size. Not a test.

`python benchmarks/history_scale.py sort COUNT PATH` runs the app on the history file PATH
(COUNT entries, as `write_file` makes) and times the sort keys in the focused table: `o`
three times (Worker, Outcome, Score) and `O` (Score reversed), each to the right order shown
(the first row the entry the new order puts first, the header's column and arrow set), with
the longest freeze of the UI thread while they ran. It prints one JSON object.
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

from qualtui.core.atomic import write_atomic  # noqa: E402
from qualtui.core.history import HistoryEntry, HistoryStore, parse, serialize  # noqa: E402
from qualtui.core.history.file_format import encode  # noqa: E402
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


def write_file(path: Path, count: int, runs: bool = True) -> int:
    """`history.json` with `count` entries, written in pieces from three templates (a
    million entries built as objects first would take gigabytes); its size in bytes.
    Without `runs`, all are interactive lookups (the app keeps at most 10,000 of runs)."""
    templates = [encode(e if runs else replace(e, run_id=None)) for e in entries(3)]
    with path.open("wb") as out:
        out.write(b'{"version":2,"entries":[')
        for start in range(0, count, 10_000):
            parts = []
            for n in range(start, min(count, start + 10_000)):
                one = templates[n % 3].replace(b"A%07dW" % (n % 3), b"A%07dW" % n, 1)
                one = one.replace(b'"id":"', b'"id":"%08d' % n, 1)
                parts.append(one)
            if start:
                out.write(b",")
            out.write(b",".join(parts))
        out.write(b"]}")
    return path.stat().st_size


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


def measure(count: int, runs: int) -> dict[str, float]:
    result: dict[str, float] = {"count": count}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.json"
        result["mib"] = write_file(path, count) / 2**20
        if count <= 100_000:
            data = path.read_bytes()
            ref_times, parse_times = [], []
            for _ in range(runs):  # interleaved
                gc.collect()
                ref_times.append(timed(lambda: reference(data)))
                gc.collect()
                parse_times.append(timed(lambda: parse(data)))
            result["reference_s"] = statistics.median(ref_times)
            result["parse_s"] = statistics.median(parse_times)
            del data
        load_times, held = [], []
        store = HistoryStore(path)
        for _ in range(runs if count <= 100_000 else 1):
            gc.collect()
            store = HistoryStore(path, cap=10 * count, run_cap=10 * count)
            watch = LockWatch(store._lock)
            store._lock = watch  # type: ignore[assignment]
            load_times.append(timed(store.load))
            held.append(watch.longest)
        result["load_s"] = statistics.median(load_times)
        result["lock_held_ms"] = max(held) * 1000
        appends = []
        for n in range(50):
            new = entry(10_000_000 + n, f"B{n}W")
            appends.append(timed(lambda e=new: store.append(e)))  # type: ignore[misc]
        result["append_ms"] = statistics.median(appends) * 1000
        result["append_max_ms"] = max(appends) * 1000
        view = store.snapshot().entries
        rewrites = [timed(lambda: write_atomic(path, serialize(view))) for _ in range(3)]
        result["rewrite_ms"] = statistics.median(rewrites) * 1000
    return result


def line(r: dict[str, float]) -> str:
    parse_part = (
        f"parse {r['parse_s']:.3f} s (reference {r['reference_s']:.3f} s, "
        f"{r['reference_s'] / r['parse_s']:.1f}x faster); "
        if "parse_s" in r
        else ""
    )
    return (
        f"history of {int(r['count']):,} entries ({r['mib']:.1f} MiB): {parse_part}"
        f"HistoryStore.load {r['load_s']:.3f} s, store lock held at most "
        f"{r['lock_held_ms']:.1f} ms; append {r['append_ms']:.1f} ms (longest "
        f"{r['append_max_ms']:.1f} ms) against a full rewrite {r['rewrite_ms']:.0f} ms"
    )


SORT_KEYS: tuple[tuple[str, str, bool], ...] = (
    ("o", "Worker", False),
    ("o", "Outcome", False),
    ("o", "Score", False),
    ("O", "Score", True),
)


def sort_at_scale(count: int, path: Path) -> dict[str, float]:
    """The sort keys' times to the right order shown, and the longest UI freeze they caused
    (see the module's doc)."""
    import asyncio

    from scenarios import LagWatch, _until, make_app
    from textual import events

    from qualtui.screens.main import MainScreen
    from qualtui.widgets.history_table import sort_key

    async def run() -> dict[str, float]:
        watch = LagWatch()
        watch.start()
        app = make_app("http://127.0.0.1:9", path, limit=10_000_000)
        async with app.run_test(size=(120, 36)) as pilot:
            await _until(lambda: isinstance(app.screen, MainScreen), 600, 0.001)
            main = app.screen
            assert isinstance(main, MainScreen)
            table = main.history
            await _until(  # loaded under the file lock, not only the first look shown
                lambda: main.history_pane.loaded and table.total == count and table.row_count > 0,
                1200,
                0.001,
            )
            newest_first = list(reversed(main.history_pane.store.snapshot().entries))
            firsts = [  # the entry each order puts on top (ties newest first), before timing
                min(newest_first, key=sort_key(column, {}))
                if not descending
                else max(newest_first, key=sort_key(column, {}))
                for _key, column, descending in SORT_KEYS
            ]
            del newest_first
            table.focus()
            await pilot.pause()
            await _until(  # the filter's index, built in a thread after the first show
                lambda: not any(w.group == "history-index" and w.is_running for w in app.workers),
                600,
                0.01,
            )
            await asyncio.sleep(0.5)
            watch.reset()
            times: list[float] = []
            freezes: list[float] = []
            for (key, column, descending), first in zip(SORT_KEYS, firsts, strict=True):
                at = time.perf_counter()
                app.post_message(events.Key(key, key))
                await _until(
                    lambda c=column, d=descending, f=first: (
                        table.sort_column == c
                        and table.sort_descending == d
                        and table.row_count > 0
                        and table.ordered_rows[0].key.value == f.id
                    ),
                    600,
                    0.0005,
                )
                times.append(time.perf_counter() - at)
                await asyncio.sleep(0.2)
                freezes.append(watch.reset())
                print("sort", key, column, times[-1], freezes[-1], file=sys.stderr, flush=True)
        return {
            "count": count,
            "sort_ms": statistics.median(times) * 1000,
            "sort_max_ms": max(times) * 1000,
            "sort_freeze_ms": max(freezes) * 1000,
        }

    return asyncio.run(run())


def main() -> None:
    if sys.argv[1:2] == ["sort"]:
        print(json.dumps(sort_at_scale(int(sys.argv[2]), Path(sys.argv[3]))), flush=True)
        return
    as_json = "--json" in sys.argv
    counts = [int(arg) for arg in sys.argv[1:] if arg != "--json"] or [10_000, 100_000]
    for count in counts:
        result = measure(count, runs=5 if count <= 10_000 else 3)
        print(json.dumps(result) if as_json else line(result), flush=True)


if __name__ == "__main__":
    main()
