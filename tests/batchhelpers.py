"""Driving the batch view (F7) as a person does, in the app built as `qualtui` builds it."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from qualtui.app import QualtuiApp
from qualtui.endpoint import Fault, LocalMTurk
from qualtui.screens.batch import BatchScreen
from tests.apphelpers import app_from_command_line, paste, screen, settled
from tests.conftest import TRANSCRIBE, until
from tests.historyhelpers import saved_entries

SCORE = "GetQualificationScore"


def app_on(endpoint: LocalMTurk, *argv: str) -> QualtuiApp:
    return app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default", *argv)


def hold(endpoint: LocalMTurk, *workers: str) -> threading.Event:
    """The lookups of `workers` wait (at the endpoint) until the returned event is set."""
    release = threading.Event()
    for worker in workers:
        endpoint.add_fault(
            Fault("latency", operation=SCORE, worker_id=worker, delay=120, release=release)
        )
    return release


async def open_batch(pilot: Pilot[None], type_id: str = TRANSCRIBE) -> BatchScreen:
    """F7 from the lookup, with `type_id` in the type field."""
    app = pilot.app
    main = screen(app)  # type: ignore[arg-type]
    main.form.type_input.focus()
    await pilot.press("ctrl+a", "ctrl+k")
    await paste(pilot, type_id)
    await pilot.press("f7")
    await until(lambda: isinstance(app.screen, BatchScreen))
    batch = app.screen
    assert isinstance(batch, BatchScreen)
    await until(lambda: isinstance(app.focused, TextArea))
    return batch


async def start_batch(
    pilot: Pilot[None],
    workers: Sequence[str],
    type_id: str = TRANSCRIBE,
    at_once: int = 0,
    batch: BatchScreen | None = None,
) -> BatchScreen:
    """F7 (unless `batch` is open), paste the workers (and set 'At once'), Ctrl+R."""
    if batch is None:
        batch = await open_batch(pilot, type_id)
    batch.query_one("#batch-workers", TextArea).focus()
    area = batch.query_one("#batch-workers", TextArea)
    area.load_text("")
    await paste(pilot, "\n".join(workers))
    if at_once:
        batch.query_one("#batch-concurrency", Input).value = str(at_once)
    await pilot.press("ctrl+r")
    await settled(pilot)
    return batch


def on_disk(history: Path) -> list[dict[str, str]]:
    """The entries of the history file as they are on disk now (their text fields)."""
    return [{k: v for k, v in e.items() if isinstance(v, str)} for e in saved_entries(history)]
