"""In-process scenarios the benchmark runs in child processes (so each gets a clean
interpreter and its own peak RSS). `python benchmarks/scenarios.py NAME [ARGS...]` prints
one JSON object."""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qualtui.app import QualtuiApp
from qualtui.core.client import ClientSettings
from qualtui.core.config import AppConfig
from qualtui.core.connection import EndpointPlan

TYPE_ID = "3DEMOTRANSCRIBE000000000000001"
KEYS = ("AKIABENCHMARK0000000", "benchmark-secret")


def peak_rss_mib() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: on Linux ru_maxrss keeps
    the high-water mark of the parent's image from before exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@contextlib.contextmanager
def demo_server(*faults: str, data: Mapping[str, Any] | None = None) -> Iterator[str]:
    """`qualtui demo-server` in its own process, as the real service is; yields its URL.
    `data`: a data set to serve instead of the demo data (`demo-server --data`)."""
    argv = [sys.executable, "-m", "qualtui", "demo-server", "--port", "0"]
    with tempfile.TemporaryDirectory() as tmp:
        if data is not None:
            data_file = Path(tmp) / "data.json"
            data_file.write_text(json.dumps(data), "utf-8")
            argv += ["--data", str(data_file)]
        with _server(argv, faults) as url:
            yield url


@contextlib.contextmanager
def _server(argv: list[str], faults: tuple[str, ...]) -> Iterator[str]:
    for fault in faults:
        argv += ["--fault", fault]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().rsplit(" ", 1)[1].strip()
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep draining
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def make_app(url: str, history: Path, limit: int = 1000) -> QualtuiApp:
    config = AppConfig(
        history_path=history,
        endpoints=EndpointPlan(override=url),
        client_settings=ClientSettings(static_credentials=KEYS),
        history_limit=limit,
        history_cap=max(limit, 1000),
    )
    return QualtuiApp(config)


async def _until(condition, timeout: float = 120.0, interval: float = 0.0005) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark condition not met")
        await asyncio.sleep(interval)


def raw_calls(n: int) -> dict[str, object]:
    """A bare boto3 call on a client built once: the reference for one lookup."""
    import boto3

    with demo_server() as url:
        client = boto3.session.Session(
            aws_access_key_id=KEYS[0], aws_secret_access_key=KEYS[1], region_name="us-east-1"
        ).client("mturk", endpoint_url=url)
        for _ in range(5):
            client.get_qualification_score(QualificationTypeId=TYPE_ID, WorkerId="A1GRANTEDWORKER")
        times = []
        for _ in range(n):
            started = time.perf_counter()
            client.get_qualification_score(QualificationTypeId=TYPE_ID, WorkerId="A1GRANTEDWORKER")
            times.append(time.perf_counter() - started)
    return {"median_ms": statistics.median(times) * 1000}


def app_lookups(n: int) -> dict[str, object]:
    """Enter in the worker field to the result on screen, n times, in the real app."""
    from textual import events

    from qualtui.screens.main import MainScreen

    async def run() -> dict[str, object]:
        # the app's last history write may still be under way when the block ends
        tmpdir = tempfile.TemporaryDirectory(ignore_cleanup_errors=True)
        with demo_server() as url, tmpdir as tmp:
            app = make_app(url, Path(tmp) / "history.json")
            async with app.run_test(size=(120, 36)) as pilot:
                await _until(lambda: isinstance(app.screen, MainScreen))
                main = app.screen
                assert isinstance(main, MainScreen)
                await _until(lambda: main.bar.check is not None)
                main.form.fill(TYPE_ID, "A1GRANTEDWORKER")
                main.form.worker_input.focus()
                times = []
                for i in range(n + 5):
                    before = main.panel.result
                    await pilot.pause()
                    started = time.perf_counter()
                    # as the terminal driver does; Pilot.press would also wait for the
                    # screen to go idle, which is not part of the lookup
                    app.post_message(events.Key("enter", "\r"))
                    await _until(lambda b=before: main.panel.result is not b)
                    await asyncio.sleep(0)  # the update's refresh is queued: let it run
                    if i >= 5:  # the first few warm up the client and the caches
                        times.append(time.perf_counter() - started)
                return {"median_ms": statistics.median(times) * 1000, "rss_mib": peak_rss_mib()}

    return asyncio.run(run())


def batch(workers: int, latency: float, concurrency: int) -> dict[str, object]:
    """A batch in the app's batch view: paste IDs, Ctrl+R, wait for the last result."""
    from textual import events

    from qualtui.screens.batch import BatchScreen
    from qualtui.screens.main import MainScreen

    async def run() -> dict[str, object]:
        faults = [f"latency:delay={latency},op=GetQualificationScore"] if latency else []
        with demo_server(*faults) as url, tempfile.TemporaryDirectory() as tmp:
            app = make_app(url, Path(tmp) / "history.json", limit=10_000)
            async with app.run_test(size=(120, 36)) as pilot:
                await _until(lambda: isinstance(app.screen, MainScreen))
                main = app.screen
                assert isinstance(main, MainScreen)
                await _until(lambda: main.bar.check is not None)
                main.form.fill(TYPE_ID, "")
                main.services.settings = main.services.settings.changed(concurrency=concurrency)
                await pilot.press("f7")
                await _until(lambda: isinstance(app.screen, BatchScreen))
                screen = app.screen
                assert isinstance(screen, BatchScreen)
                ids = "\n".join(f"A{n:06d}BENCH" for n in range(workers))
                await pilot.pause()
                app.post_message(events.Paste(ids))
                await _until(lambda: screen.query_one("TextArea").text.count("\n") == workers - 1)  # type: ignore[attr-defined]
                started = time.perf_counter()
                await pilot.press("ctrl+r")
                await _until(
                    lambda: len(screen.results) == workers and not screen.running, 600, 0.01
                )
                elapsed = time.perf_counter() - started
                await pilot.press("escape")  # back to the lookup: the batch goes into history
                await _until(lambda: main.history.total == workers)
                return {"seconds": elapsed, "rss_mib": peak_rss_mib()}

    return asyncio.run(run())


def batch_core(workers: int, latency: float, concurrency: int) -> dict[str, object]:
    """The same batch through the core runner alone (`run_batch`), no UI: the reference
    the app's figure is read against."""
    from qualtui.core.batch import ConnectionGuard, run_batch
    from qualtui.core.connection import Connection

    faults = [f"latency:delay={latency},op=GetQualificationScore"] if latency else []
    with demo_server(*faults) as url:
        from qualtui.core.client import ClientCache

        clients = ClientCache(ClientSettings(static_credentials=KEYS))
        connection = Connection(None, "production", url)
        ids = [f"A{n:06d}BENCH" for n in range(workers)]
        arrived: list[object] = []
        # built before the clock starts, as the app's is (for its connection check) and the
        # plain pool's is: the figure is the run, not boto3's import
        clients.client(connection)
        started = time.perf_counter()
        run_batch(
            clients,
            connection,
            TYPE_ID,
            ids,
            on_result=arrived.append,
            concurrency=concurrency,
            guard=ConnectionGuard(),
        )
        elapsed = time.perf_counter() - started
        assert len(arrived) == workers
    return {"seconds": elapsed, "rss_mib": peak_rss_mib()}


def batch_boto3(workers: int, latency: float, concurrency: int) -> dict[str, object]:
    """The same batch as a plain boto3 script: one client, a ThreadPoolExecutor, results
    kept in order. The floor the core runner and the app are read against."""
    from concurrent.futures import ThreadPoolExecutor

    import boto3
    from botocore.config import Config

    faults = [f"latency:delay={latency},op=GetQualificationScore"] if latency else []
    with demo_server(*faults) as url:
        client = boto3.session.Session(
            aws_access_key_id=KEYS[0], aws_secret_access_key=KEYS[1], region_name="us-east-1"
        ).client("mturk", endpoint_url=url, config=Config(max_pool_connections=concurrency))
        ids = [f"A{n:06d}BENCH" for n in range(workers)]

        def one(worker: str) -> object:
            try:
                return client.get_qualification_score(QualificationTypeId=TYPE_ID, WorkerId=worker)
            except client.exceptions.ClientError as error:
                return error

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            arrived = list(pool.map(one, ids))
        elapsed = time.perf_counter() - started
        assert len(arrived) == workers
    return {"seconds": elapsed, "rss_mib": peak_rss_mib()}


def history_table(entries: int) -> dict[str, object]:
    """From starting the app to a filled history table, with `entries` in history.json."""
    from qualtui.screens.main import MainScreen

    async def run() -> dict[str, object]:
        path = Path(sys.argv[3])
        with demo_server() as url:
            app = make_app(url, path, limit=1_000_000)
            async with app.run_test(size=(120, 36)):
                await _until(lambda: isinstance(app.screen, MainScreen), interval=0.001)
                main = app.screen
                assert isinstance(main, MainScreen)
                await _until(lambda: main.is_mounted, interval=0.001)
                started = time.perf_counter()  # from the first frame: history loads after it
                await _until(
                    lambda: (
                        main.history_pane.loaded
                        and main.history.total == entries
                        and main.history.row_count > 0
                    )
                )
                return {"seconds": time.perf_counter() - started}

    return asyncio.run(run())


class LagWatch:
    """The longest time the event loop (the UI thread: Textual runs there) did not get to
    run a 5 ms sleep on time: the longest freeze a user would feel."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._watch())

    def reset(self) -> float:
        longest, self.longest = self.longest, 0.0
        return longest

    async def _watch(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            self.longest = max(self.longest, time.perf_counter() - before - 0.005)


def history_at_scale(entries: int, path: Path) -> dict[str, object]:
    """The app started with `entries` in history.json: the longest freeze from the first
    frame to the history drawn (and half a second after; the one before the first frame,
    Textual's own start, apart), each filter keystroke (to the count of matches shown) with
    the longest freeze while typing, and the peak memory."""
    from textual import events

    from qualtui.screens.main import MainScreen

    async def run() -> dict[str, object]:
        watch = LagWatch()
        watch.start()
        started = time.perf_counter()
        app = make_app("http://127.0.0.1:9", path, limit=10_000_000)
        async with app.run_test(size=(120, 36)) as pilot:
            await _until(lambda: isinstance(app.screen, MainScreen), 600, 0.001)
            main = app.screen
            assert isinstance(main, MainScreen)
            await _until(lambda: main.is_mounted, 600, 0.001)
            first_frame = time.perf_counter() - started
            print("first frame", first_frame, file=sys.stderr, flush=True)
            start_freeze = watch.reset()  # Textual's own start, before the first frame
            await _until(
                lambda: main.history_pane.loaded and main.history.total == entries, 1200, 0.001
            )
            loaded = time.perf_counter() - started
            print("loaded", loaded, file=sys.stderr, flush=True)
            await asyncio.sleep(0.5)
            freeze = watch.reset()
            pane = main.history_pane
            # each key changes the count shown: "N lookups", "N of N match", "0 of N match".
            # Timed to the right count: the pane shows the count it has at once, the old
            # matches' until the filter's answer arrives.
            counts = {
                "": f"{entries} lookups",
                "W": f"{_matching(pane.store, 'W')} of {entries} match",
                "Z": f"{_matching(pane.store, 'Z')} of {entries} match",
            }
            pane.filter_input.focus()
            await pilot.pause()
            watch.reset()
            keystrokes: list[float] = []
            keys = [("W", "W", "W"), ("backspace", None, ""), ("Z", "Z", "Z")]
            keys.append(("backspace", None, ""))
            for key, char, query in keys if entries else []:  # an empty history: no count
                at = time.perf_counter()
                app.post_message(events.Key(key, char))
                await _until(
                    lambda q=query: (pane.border_subtitle or "").startswith(counts[q]), 600, 0.0005
                )
                keystrokes.append(time.perf_counter() - at)
                print("key", key, keystrokes[-1], file=sys.stderr, flush=True)
                await asyncio.sleep(0.2)
            typing_freeze = watch.reset()
        return {
            "first_frame_s": first_frame,
            "loaded_s": loaded,
            "freeze_ms": freeze * 1000,
            "start_freeze_ms": start_freeze * 1000,
            "keystroke_ms": statistics.median(keystrokes) * 1000 if keystrokes else 0.0,
            "keystroke_max_ms": max(keystrokes, default=0.0) * 1000,
            "typing_freeze_ms": typing_freeze * 1000,
            "rss_mib": peak_rss_mib(),
        }

    return asyncio.run(run())


def _matching(store: Any, query: str) -> int:
    """How many entries of the store `query` lets through (counted before the timing)."""
    from qualtui.core import word_filter
    from qualtui.core.history import haystack

    words = word_filter.query_words(query)
    return sum(1 for e in store.snapshot().entries if word_filter.matches(haystack(e), words))


def append(entries: int) -> dict[str, object]:
    from qualtui.core.history import HistoryStore
    from tests.historyhelpers import entry, write_history

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.json"
        write_history(path, [entry(n, f"A{n}W") for n in range(entries)])
        store = HistoryStore(path, limit=1_000_000)
        store.load()
        times = []
        for n in range(50):
            new = entry(10_000_000 + n, f"B{n}W")
            started = time.perf_counter()
            store.append(new)
            times.append(time.perf_counter() - started)
    return {"median_ms": statistics.median(times) * 1000}


def idle_after_one_lookup() -> dict[str, object]:
    return {"rss_mib": app_lookups(1)["rss_mib"]}


if __name__ == "__main__":
    name, *args = sys.argv[1:]
    result: dict[str, object]
    if name == "raw":
        result = raw_calls(int(args[0]))
    elif name == "lookups":
        result = app_lookups(int(args[0]))
    elif name == "batch":
        result = batch(int(args[0]), float(args[1]), int(args[2]))
    elif name == "batch-core":
        result = batch_core(int(args[0]), float(args[1]), int(args[2]))
    elif name == "batch-boto3":
        result = batch_boto3(int(args[0]), float(args[1]), int(args[2]))
    elif name == "history-table":
        result = history_table(int(args[0]))
    elif name == "history-scale":
        result = history_at_scale(int(args[0]), Path(args[1]))
    elif name == "append":
        result = append(int(args[0]))
    elif name == "idle":
        result = idle_after_one_lookup()
    else:
        raise SystemExit(f"unknown scenario {name}")
    print(json.dumps(result))
