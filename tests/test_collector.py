"""The garbage collector paused while qualtui starts (`qualtui.core.collector`): by the
`qualtui` command before its imports, until the main screen is complete (the terminal UI) or
the command line is read (a sub-command); and pauses that nest or overlap (a history parsed
in a worker while the app starts)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from qualtui.core import frozen_heap
from qualtui.core.collector import Collector
from qualtui.core.history import file_format, serialize
from tests.conftest import Isolation
from tests.headless_child import run_headless
from tests.historyhelpers import entry, write_history


@pytest.fixture
def freezes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Each gc.freeze() call (whether the collector was on at it); the collector is on
    again after the test, whatever it did."""
    calls: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(gc.isenabled()))
    monkeypatch.setattr(frozen_heap.HEAP, "kept", False)
    try:
        yield calls
    finally:
        gc.enable()


def test_pauses_nest_and_the_last_to_end_resumes(freezes: list[bool]) -> None:
    collector = Collector()
    collector.hold()
    collector.hold()
    collector.release()
    assert not gc.isenabled()
    collector.release()
    assert gc.isenabled() and freezes == []


def test_a_collector_turned_off_by_its_owner_stays_off(freezes: list[bool]) -> None:
    collector = Collector()
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_the_start_freezes_what_exists_before_the_collector_is_on_again(
    freezes: list[bool],
) -> None:
    collector = Collector()
    collector.pause_for_start()
    collector.pause_for_start()  # once: a second call is no second hold
    assert collector.starting() and not gc.isenabled()
    collector.end_of_start()
    assert freezes == [False] and gc.isenabled() and not collector.starting()
    collector.end_of_start()  # ended: nothing more
    assert freezes == [False] and gc.isenabled()


def test_the_end_of_a_start_that_never_began_does_nothing(freezes: list[bool]) -> None:
    """The tests build the app without the command's pause: its end leaves all alone."""
    Collector().end_of_start()
    assert freezes == [] and gc.isenabled()


def test_a_large_parse_that_outlasts_the_start_freezes_before_the_collector_is_on(
    freezes: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The history is parsed in a worker while the app starts. A parse that ends after the
    start's pause ends is the one that turns the collector on again: its entries are frozen
    first, or the first allocation after would collect them all on the UI thread."""
    collector = Collector()
    monkeypatch.setattr("qualtui.core.collector.paused", collector.paused)
    monkeypatch.setattr(file_format, "FREEZE_FROM", 3)
    collector.pause_for_start()
    data = serialize([entry(n, f"A{n}") for n in range(3)])

    original = file_format._parse

    def parse_ending_after_the_start(*args: object) -> file_format.Parsed:
        parsed = original(*args)  # type: ignore[arg-type]
        collector.end_of_start()  # the main screen completes while the parse runs
        assert not gc.isenabled()  # the parse still holds it
        return parsed

    monkeypatch.setattr(file_format, "_parse", parse_ending_after_the_start)
    assert len(file_format.parse(data).entries) == 3
    assert freezes == [False, False]  # the start's, then the parse's, both with it off
    assert gc.isenabled()


CHILD = """
import gc, json, os, sys, threading

from qualtui.core import collector

end_of_start = collector.end_of_start
hold = collector.COLLECTOR.hold
found = {"store_imported_in": None}


def held() -> None:  # the first hold is the command's (then the history parse's)
    found.setdefault(
        "imported_before_the_pause", [m for m in ("qualtui.cli", "textual") if m in sys.modules]
    )
    hold()


def ended() -> None:
    before = gc.isenabled()
    end_of_start()
    app = __import__("textual").active_app.get()
    found.update(
        off_until_complete=not before,
        on_after=gc.isenabled(),
        frozen=gc.get_freeze_count(),
        complete=[type(s).__name__ for s in app.screen_stack if getattr(s, "complete", False)],
        later_modules_at_complete=sorted(
            m
            for m in (
                "qualtui.core.changes.change",
                "qualtui.core.changes.record",
                "qualtui.core.changes.confirmation",
                "qualtui.core.qualification_types",
                "boto3",
                "filelock",
            )
            if m in sys.modules
        ),
    )


def imports(event: str, args: tuple) -> None:
    if event != "import":
        return
    if args[0] == "qualtui.core.history.store" and found["store_imported_in"] is None:
        found["store_imported_in"] = threading.current_thread().name
    elif args[0] == "boto3":
        found["boto3_while_starting"] = collector.COLLECTOR.starting()
        print(json.dumps(found), flush=True)
        os._exit(0)


collector.end_of_start = ended
collector.COLLECTOR.hold = held
sys.addaudithook(imports)
from qualtui.launch import main

main(["--endpoint-url", "http://127.0.0.1:9"])
"""


def test_the_command_keeps_the_collector_paused_until_the_main_screen_is_complete(
    isolated: Isolation,
) -> None:
    """The `qualtui` command (`qualtui.launch.main`, on the headless driver) pauses the
    collector before it imports anything, and the main screen resumes it once complete,
    with what exists frozen. The history store is imported in the history's first-look
    thread, not the UI's; its file lock, boto3, the type cache and what a change needs
    (also to read one: this history holds lookups alone) only once the start is over (the
    change runner mounted at start imports them when used; the history table's row
    format does without the type cache)."""
    history = isolated.data_dir / "history.json"
    write_history(history, [entry(n, f"A{n}") for n in range(5)])
    done = run_headless(CHILD)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {
        "imported_before_the_pause": [],
        "off_until_complete": True,
        "on_after": True,
        "frozen": found["frozen"],
        "complete": ["MainScreen"],
        "store_imported_in": found["store_imported_in"],
        "boto3_while_starting": False,
        "later_modules_at_complete": [],  # a change's, the type cache, boto3, the file lock
    }
    assert found["frozen"] > 10_000  # the app's objects, out of later collections
    assert found["store_imported_in"] not in (None, "MainThread")


def test_a_sub_command_resumes_the_collector_once_its_command_line_is_read(
    isolated: Isolation,
) -> None:
    code = (
        "import gc; from qualtui.launch import main; "
        "status = main(['history', 'path']); print(gc.isenabled(), status)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True 0"
