"""Quitting during a batch (issue #13): finished results are saved as they come (one run,
no duplicates), and Ctrl+Q asks first: stop and keep them, or go on. Quitting right after
a single lookup's answer keeps it too."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.widgets import Button

from qualtui.app import QualtuiApp
from qualtui.core.history import HistoryStore
from qualtui.dialogs.confirm import ConfirmScreen
from qualtui.endpoint import LocalMTurk
from qualtui.screens.batch import BatchScreen
from tests.apphelpers import SIZE, ready, screen, settled, type_text
from tests.batchhelpers import app_on, hold, on_disk, start_batch
from tests.conftest import TRANSCRIBE, Isolation, until

ANSWERED = ["A1GRANTEDWORKER", "A2REVOKEDWORKER", "A5NOTHELDWORKER"]
HELD = ["A8HELDWORKER001", "A8HELDWORKER002"]


async def test_finished_results_are_on_disk_while_the_batch_still_runs(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    release = hold(endpoint, *HELD)
    history = aws_profiles.data_dir / "history.json"
    app = app_on(endpoint)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            batch = await start_batch(pilot, ANSWERED + HELD)
            await until(lambda: len(on_disk(history)) == len(ANSWERED), timeout=30)
            assert batch.running  # saved before the end, not at it
            saved = on_disk(history)
            assert sorted(e["worker_id"] for e in saved) == sorted(ANSWERED)
            assert len({e["run_id"] for e in saved}) == 1  # one run
            release.set()
            await until(lambda: not batch.running, timeout=30)
            await until(lambda: len(on_disk(history)) == len(ANSWERED + HELD), timeout=30)
            await settled(pilot)
            saved = on_disk(history)
            assert sorted(e["worker_id"] for e in saved) == sorted(ANSWERED + HELD)  # once each
            assert {e["run_id"] for e in saved} == {batch.found.run_id}
    finally:
        release.set()


async def test_ctrl_q_during_a_batch_asks_then_keeps_what_finished(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    release = hold(endpoint, *HELD)
    history = aws_profiles.data_dir / "history.json"
    app = app_on(endpoint)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            batch = await start_batch(pilot, ANSWERED + HELD)
            await until(lambda: len(batch.results) == len(ANSWERED), timeout=30)
            await pilot.press("ctrl+q")
            await until(lambda: isinstance(app.screen, ConfirmScreen))
            question = app.screen
            assert isinstance(question, ConfirmScreen)
            assert question.question == "3 of 5 done: stop and keep them?"
            await pilot.press("enter")  # Cancel has the focus: go on
            await until(lambda: isinstance(app.screen, BatchScreen))
            assert batch.running and app.is_running
            await pilot.press("ctrl+q")
            await until(lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.click("#confirm")  # stop and keep
            await until(lambda: not app.is_running, timeout=30)
        assert batch.cancelled
        saved = on_disk(history)
        assert sorted(e["worker_id"] for e in saved) == sorted(ANSWERED)
        assert len({e["run_id"] for e in saved}) == 1
    finally:
        release.set()


async def test_quit_from_the_palette_asks_too(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    release = hold(endpoint, *HELD)
    app = app_on(endpoint)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            batch = await start_batch(pilot, ANSWERED + HELD)
            await until(lambda: len(batch.results) == len(ANSWERED), timeout=30)
            await pilot.press("ctrl+p")
            await type_text(pilot, "quit")
            await settled(pilot)
            await pilot.press("enter")
            await until(lambda: isinstance(app.screen, ConfirmScreen))
            await until(lambda: isinstance(app.focused, Button))
            assert app.is_running
            await pilot.press("escape")  # go on
            await until(lambda: isinstance(app.screen, BatchScreen))
            assert batch.running and app.is_running
    finally:
        release.set()


async def test_ctrl_q_right_after_an_answer_keeps_it_in_the_history(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer is recorded once its frame is drawn, on a thread: Ctrl+Q right after it
    still waits for that write (a local file, never the network) before the app exits.
    Here the write is held until the quit has begun, so an exit that does not wait for it
    leaves the history without the answer."""
    history = aws_profiles.data_dir / "history.json"
    quitting = threading.Event()
    append_many = HistoryStore.append_many
    exit_when_saved = QualtuiApp._exit_when_saved

    def held_append(store: HistoryStore, entries: Any) -> Any:
        quitting.wait(timeout=30)
        return append_many(store, entries)

    async def quit_begun(app: QualtuiApp) -> None:
        quitting.set()
        await exit_when_saved(app)

    monkeypatch.setattr(HistoryStore, "append_many", held_append)
    monkeypatch.setattr(QualtuiApp, "_exit_when_saved", quit_begun)
    app = app_on(endpoint)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            main = screen(app)
            main.form.fill(TRANSCRIBE, "A1GRANTEDWORKER")
            await pilot.press("enter")
            await until(lambda: main.panel.result is not None)
            await pilot.press("ctrl+q")
            await until(lambda: not app.is_running, timeout=30)
        assert [e["worker_id"] for e in on_disk(history)] == ["A1GRANTEDWORKER"]
    finally:
        quitting.set()
