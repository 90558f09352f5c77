"""Nothing stuck, in core: a hanging credential_process blocks neither other profiles nor
the caller past a bound; the connection check gives a verdict after one short attempt; a
balance from outside is parsed with bounds."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from qualtui.core.account import check_account
from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.lookup import lookup_score
from qualtui.core.models import LookupRequest, LookupResult
from qualtui.endpoint import Dataset, Fault, LocalMTurk
from tests.conftest import ACCESS_KEY, SECRET_KEY, TRANSCRIBE, Isolation, wait_for


@pytest.fixture
def stuck_profile(aws_profiles: Isolation, tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """Profile `stuck`: its credential_process says it started, then waits for a file."""
    started, release = tmp_path / "started", tmp_path / "release"
    script = tmp_path / "creds.py"
    script.write_text(
        "import pathlib, time\n"
        f"pathlib.Path({str(started)!r}).touch()\n"
        f"while not pathlib.Path({str(release)!r}).exists():\n"
        "    time.sleep(0.02)\n"
    )
    with aws_profiles.aws_config.open("a") as config:
        config.write(
            f"\n[profile stuck]\nregion = us-east-1\n"
            f"credential_process = {sys.executable} {script}\n"
        )
    yield started, release
    release.touch()  # let the process end (it then fails: no JSON), so nothing lingers


def _lookup(clients: ClientCache, endpoint: LocalMTurk, profile: str) -> LookupResult:
    connection = Connection(profile, PRODUCTION, endpoint.url)
    return lookup_score(clients, LookupRequest(connection, TRANSCRIBE, "A1GRANTEDWORKER"))


def test_a_hanging_credential_process_blocks_no_other_profile(
    endpoint: LocalMTurk, stuck_profile: tuple[Path, Path]
) -> None:
    started, _ = stuck_profile
    clients = ClientCache(ClientSettings(build_timeout=60))
    stuck: list[LookupResult] = []
    threading.Thread(
        target=lambda: stuck.append(_lookup(clients, endpoint, "stuck")), daemon=True
    ).start()
    wait_for(started.exists)  # the stuck profile is now resolving its credentials
    others: list[LookupResult] = []
    threading.Thread(
        target=lambda: others.append(_lookup(clients, endpoint, "default")), daemon=True
    ).start()
    wait_for(lambda: bool(others))  # before, it waited for the stuck profile's lock
    assert others[0].qualification is not None
    assert not stuck  # still waiting for its credentials


def test_waiting_for_credentials_is_bounded_and_explained(
    endpoint: LocalMTurk, stuck_profile: tuple[Path, Path]
) -> None:
    clients = ClientCache(ClientSettings(build_timeout=0.3))
    result = _lookup(clients, endpoint, "stuck")
    assert result.failure is not None and result.failure.kind == "credentials_timeout"
    assert "'stuck'" in result.failure.explanation and "0.3 s" in result.failure.explanation
    assert "Other profiles still work" in result.failure.explanation
    assert endpoint.calls == []


def test_the_connection_check_makes_one_short_attempt(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    """An endpoint that accepts and never answers: one attempt, not four of ten seconds."""
    endpoint.add_fault(Fault("latency", operation="GetAccountBalance", delay=30.0))
    clients = ClientCache(ClientSettings(read_timeout=0.3, max_attempts=4))
    check = check_account(clients, Connection("default", PRODUCTION, endpoint.url))
    assert check.failure is not None and check.failure.kind == "read_timeout"
    assert len(endpoint.calls_to("GetAccountBalance")) == 1
    # lookups keep their retries
    endpoint.clear_faults()
    endpoint.add_fault(Fault("throttle", operation="GetQualificationScore", times=2))
    assert _lookup(clients, endpoint, "default").qualification is not None
    assert len(endpoint.calls_to("GetQualificationScore")) == 3


@pytest.mark.parametrize(
    ("balance", "shown"),
    [
        ("1742.5", "$1,742.50"),
        ("0.00", "$0.00"),
        ("10000.00", "$10,000.00"),
        ("1e999999999", None),
        ("9" * 400, None),
        ("NaN", None),
        ("lots", None),
        ("", None),
    ],
)
def test_a_balance_is_parsed_with_bounds(
    aws_profiles: Isolation, balance: str, shown: str | None
) -> None:
    data = Dataset(balance=balance)
    with LocalMTurk(data, credentials={ACCESS_KEY: SECRET_KEY}) as server:
        check = check_account(ClientCache(), Connection("default", PRODUCTION, server.url))
    if shown is None:
        assert check.failure is not None and check.failure.kind == "malformed_response"
    else:
        assert check.balance == shown


def test_a_waiter_stops_waiting_when_cancelled_while_the_call_goes_on() -> None:
    from qualtui.core.daemon_call import Cancelled, call_on_daemon

    release, cancel = threading.Event(), threading.Event()
    calls: list[threading.Thread] = []

    def blocked() -> str:
        calls.append(threading.current_thread())
        release.wait()
        return "late"

    outcome: list[object] = []

    def waiter() -> None:
        try:
            outcome.append(call_on_daemon(blocked, cancel.is_set))
        except Cancelled:
            outcome.append(Cancelled)

    thread = threading.Thread(target=waiter)
    thread.start()
    wait_for(lambda: bool(calls))
    cancel.set()
    wait_for(lambda: bool(outcome))
    assert outcome == [Cancelled]
    assert calls[0].daemon and calls[0].is_alive()  # abandoned, never joined at exit
    release.set()
    thread.join()


def test_a_daemon_call_returns_its_value_and_raises_its_error() -> None:
    from qualtui.core.daemon_call import call_on_daemon

    assert call_on_daemon(lambda: 42, lambda: False) == 42

    def fails() -> None:
        raise KeyError("boom")

    with pytest.raises(KeyError):
        call_on_daemon(fails, lambda: False)


def test_the_daemon_executor_abandons_a_stuck_task_at_shutdown() -> None:
    from qualtui.core.daemon_executor import DaemonExecutor

    executor = DaemonExecutor(shutdown_wait=0.05)
    stuck, quick = threading.Event(), executor.submit(lambda: 7)
    assert quick.result(timeout=10) == 7
    executor.submit(stuck.wait)
    wait_for(lambda: executor.running == 1)
    executor.shutdown(wait=True)  # returns although the task is still running
    assert executor.running == 1
    assert all(t.daemon for t in threading.enumerate() if t.name == "qualtui-worker")
    with pytest.raises(RuntimeError):
        executor.submit(lambda: 1)
    stuck.set()
    wait_for(lambda: executor.running == 0)
