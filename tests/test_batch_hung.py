"""A hung or unreachable endpoint stops a batch (issue #13): after STOP_AFTER connection
failures in a row the batch stops and says why, in core, in `qualtui lookup` and in the
app (which pauses with Retry / Cancel). Over real HTTP: a closed port, or a latency fault
longer than a short client timeout."""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator

import pytest
from textual.widgets import Button, Static

from qualtui import cli
from qualtui.cli import lookup as cli_lookup
from qualtui.core.batch import STOP_AFTER, ConnectionGuard, run_batch
from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.models import LookupResult
from qualtui.endpoint import Fault, LocalMTurk
from tests.apphelpers import SIZE, ready
from tests.batchhelpers import app_on, on_disk, start_batch
from tests.conftest import TRANSCRIBE, Isolation, until
from tests.historyhelpers import saved_entries

SCORE = "GetQualificationScore"
ANSWERED = ["A1GRANTEDWORKER", "A2REVOKEDWORKER"]
HUNG = [f"A9HUNGWORKER{n:03d}" for n in range(12)]


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set at the end of the test: the endpoint's held calls end then."""
    event = threading.Event()
    yield event
    event.set()


def hang(endpoint: LocalMTurk, release: threading.Event, workers: list[str]) -> None:
    for worker in workers:
        endpoint.add_fault(
            Fault("latency", operation=SCORE, worker_id=worker, delay=60, release=release)
        )


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def short_timeouts() -> ClientCache:
    return ClientCache(ClientSettings(max_attempts=1, read_timeout=0.3, connect_timeout=0.3))


def test_a_closed_port_stops_the_batch_with_nothing_reported(aws_profiles: Isolation) -> None:
    arrived: list[LookupResult] = []
    guard = ConnectionGuard()
    connection = Connection("default", PRODUCTION, f"http://127.0.0.1:{closed_port()}")
    done = run_batch(
        short_timeouts(), connection, TRANSCRIBE, HUNG, on_result=arrived.append, guard=guard
    )
    assert done == 0 and arrived == []
    assert guard.stopped is not None and guard.stopped.kind == "unreachable"
    assert guard.explanation().startswith(f"Stopped after {STOP_AFTER} lookups in a row")


def test_a_hung_endpoint_stops_the_batch_after_a_few_calls(
    endpoint: LocalMTurk, aws_profiles: Isolation, release: threading.Event
) -> None:
    hang(endpoint, release, HUNG)
    arrived: list[LookupResult] = []
    guard = ConnectionGuard()
    connection = Connection("default", PRODUCTION, endpoint.url)
    done = run_batch(
        short_timeouts(),
        connection,
        TRANSCRIBE,
        ANSWERED + HUNG,
        on_result=arrived.append,
        concurrency=1,
        guard=guard,
    )
    assert [r.request.worker_id for r in arrived] == ANSWERED and done == 2
    assert guard.stopped is not None and guard.stopped.kind == "read_timeout"
    assert len(endpoint.calls_to(SCORE)) == len(ANSWERED) + STOP_AFTER  # not one per worker


def test_failures_that_are_not_in_a_row_are_reported_and_the_batch_goes_on(
    endpoint: LocalMTurk, aws_profiles: Isolation, release: threading.Event
) -> None:
    workers = [HUNG[0], *ANSWERED, HUNG[1], "A5NOTHELDWORKER", HUNG[2]]
    hang(endpoint, release, [HUNG[0], HUNG[1], HUNG[2]])
    arrived: list[LookupResult] = []
    guard = ConnectionGuard()
    done = run_batch(
        short_timeouts(),
        Connection("default", PRODUCTION, endpoint.url),
        TRANSCRIBE,
        workers,
        on_result=arrived.append,
        concurrency=1,
        guard=guard,
    )
    assert guard.stopped is None and done == len(workers)
    assert [r.request.worker_id for r in arrived] == workers  # the held ones in their turn
    failed = [r.request.worker_id for r in arrived if r.failure is not None]
    assert failed == [HUNG[0], HUNG[1], "A5NOTHELDWORKER", HUNG[2]]


def test_qualtui_lookup_stops_says_why_on_one_line_and_keeps_what_finished(
    endpoint: LocalMTurk, aws_profiles: Isolation, release: threading.Event
) -> None:
    hang(endpoint, release, HUNG)
    argv = ["lookup", TRANSCRIBE, *ANSWERED, *HUNG, "--concurrency", "1"]
    argv += ["--timeout", "0.3", "--max-attempts", "1", "--endpoint-url", endpoint.url]
    args = cli.build_parser().parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    status = cli_lookup.lookup(args, cli.config_from_args(args), out=out, err=err)
    assert status == 1
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and "Traceback" not in err.getvalue()
    assert lines[0].startswith(f"qualtui lookup: Stopped after {STOP_AFTER} lookups in a row")
    assert lines[0].endswith(f"(2 of {len(ANSWERED + HUNG)} looked up)")
    printed = [line.split()[0] for line in out.getvalue().splitlines()[1:]]
    assert printed == ANSWERED
    history = saved_entries(aws_profiles.data_dir / "history.json")
    assert sorted(e["worker_id"] for e in history) == ANSWERED


async def test_the_app_pauses_with_retry_which_resumes_the_rest(
    endpoint: LocalMTurk, aws_profiles: Isolation, release: threading.Event
) -> None:
    hang(endpoint, release, HUNG)
    history = aws_profiles.data_dir / "history.json"
    app = app_on(endpoint, "--timeout", "0.3", "--max-attempts", "1")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        batch = await start_batch(pilot, ANSWERED + HUNG, at_once=1)
        await until(lambda: batch.paused, timeout=30)
        problems = str(batch.query_one("#batch-problems", Static).content)
        assert problems.startswith(f"Stopped after {STOP_AFTER} lookups in a row")
        rate = str(batch.query_one("#batch-rate", Static).content)
        assert rate.startswith(f"Paused after 2 of {len(ANSWERED + HUNG)}")
        retry = batch.query_one("#batch-retry", Button)
        await until(lambda: retry.has_focus)  # focus moves once the paused layout is styled
        assert sorted(r.request.worker_id for r in batch.results) == ANSWERED
        await until(lambda: len(on_disk(history)) == 2)  # what finished is kept
        endpoint.clear_faults()  # the endpoint is back
        await pilot.press("enter")  # Retry
        await until(lambda: not batch.running and not batch.paused, timeout=30)
        assert len(batch.results) == len(ANSWERED + HUNG)
        assert [r for r in batch.results if r.failure and r.failure.kind != "not_held"] == []
        await until(lambda: len(on_disk(history)) == len(ANSWERED + HUNG))
        saved = on_disk(history)
        assert sorted(e["worker_id"] for e in saved) == sorted(ANSWERED + HUNG)
        assert len({e["run_id"] for e in saved}) == 1  # one run, resumed


async def test_cancel_after_a_stop_keeps_what_finished(
    endpoint: LocalMTurk, aws_profiles: Isolation, release: threading.Event
) -> None:
    hang(endpoint, release, HUNG)
    app = app_on(endpoint, "--timeout", "0.3", "--max-attempts", "1")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        batch = await start_batch(pilot, ANSWERED + HUNG, at_once=1)
        await until(lambda: batch.paused, timeout=30)
        stop = batch.query_one("#batch-stop", Button)
        await until(lambda: stop.region.width > 0)  # laid out once shown
        await pilot.click("#batch-stop")
        await until(lambda: batch.cancelled and not batch.paused)
        assert sorted(r.request.worker_id for r in batch.results) == ANSWERED
        assert str(batch.query_one("#batch-rate", Static).content).startswith(
            f"Cancelled after 2 of {len(ANSWERED + HUNG)}"
        )
        assert not batch.query_one("#batch-retry", Button).display or not batch.has_class("-paused")
