"""Idle (#15): an app that sits waiting for the user runs nothing but the focused field's
cursor blink, after start, after a lookup, and after a slow lookup's spinner; the batch view
runs no animation (its hidden bar's); and a blink draws nothing: the field hands the screen
one of its two kept pictures (cursor shown, hidden), the same as a fresh drawing. Checked by structure (which timers run, what is
drawn), not by time: the CPU figure is benchmarks/run.py idle."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest
from textual.app import App
from textual.geometry import Region
from textual.message_pump import MessagePump
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import Input, Static

from qualtui.endpoint import Fault, LocalMTurk
from qualtui.screens.batch import BatchScreen
from qualtui.widgets.lookup_form import IdInput
from tests.apphelpers import (
    app_from_command_line,
    first_answer_held,
    history_rows,
    look_up,
    ready,
    screen,
    settled,
)
from tests.batchhelpers import open_batch
from tests.conftest import TRANSCRIBE, Isolation, until


def running_timers(app: App[None]) -> dict[Timer, str]:
    """Every timer that is started, not stopped and not paused, with where it runs."""
    nodes: list[MessagePump] = [app]
    for each in app.screen_stack:
        nodes += [each, *each.walk_children(with_self=False)]
    running: dict[Timer, str] = {}
    for node in nodes:
        for timer in list(node._timers):
            started = timer._task is not None and not timer._task.done()
            active: asyncio.Event = timer.__dict__.get("_active") or asyncio.Event()
            if started and active.is_set():  # (_active: a cached_property, untyped)
                running[timer] = f"{type(node).__name__}#{getattr(node, 'id', None)}: {timer.name}"
    return running


def blink(app: App[None]) -> set[Timer]:
    """The focused input's cursor blink: the one timer an idle app needs."""
    focused = app.focused
    timer = focused._blink_timer if isinstance(focused, Input) else None
    return {timer} if timer is not None else set()


def only_the_blink(app: App[None]) -> bool:
    return set(running_timers(app)) == blink(app)


def animations(app: App[None]) -> list[str]:
    """The running timers of widgets' animations (`auto_refresh`: 15 frames a second for
    an empty progress bar's, shown or not)."""
    return [where for where in running_timers(app).values() if ": auto refresh" in where]


async def test_after_start_only_the_focused_fields_cursor_blinks(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert isinstance(app.focused, Input)
        await until(lambda: only_the_blink(app))  # start-up's one-shot timers have fired
        assert blink(app) and only_the_blink(app), running_timers(app)


async def test_after_a_lookup_only_the_focused_fields_cursor_blinks(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await until(lambda: len(history_rows(app)) == 1)
        await until(lambda: only_the_blink(app))
        assert blink(app), running_timers(app)


async def test_a_slow_lookups_spinner_stops_with_its_answer(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    answer = first_answer_held(endpoint)
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        main = screen(app)
        main.form.fill(TRANSCRIBE, "A1GRANTEDWORKER")
        main.form.worker_input.focus()
        await pilot.press("enter")
        await until(lambda: main.panel.spinning)
        assert not only_the_blink(app)  # the spinner's animation runs while it shows
        answer.set()
        await until(lambda: len(history_rows(app)) == 1)
        await until(lambda: only_the_blink(app))
        assert blink(app), running_timers(app)


async def test_an_idle_batch_view_runs_no_animation(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        batch = await open_batch(pilot)
        await settled(pilot)
        assert animations(app) == []

        # Nor after a listing of HITs' workers is cancelled (its bar animates while it runs).
        release = threading.Event()
        endpoint.add_fault(
            Fault("latency", operation="ListAssignmentsForHIT", delay=60, release=release)
        )
        batch.workers_from_hits(["3DEMOHITPILOT00000000000000001"])
        await until(lambda: batch.listing and bool(animations(app)))
        await pilot.press("escape")
        await until(lambda: not batch.listing)
        release.set()
        await settled(pilot)
        assert isinstance(app.screen, BatchScreen) and animations(app) == []

        # Nor after a listing that found no workers (its only page failed).
        endpoint.clear_faults()
        endpoint.add_fault(Fault("error", operation="ListAssignmentsForHIT"))
        batch.workers_from_hits(["3DEMOHITPILOT00000000000000001"])
        await until(lambda: not batch.listing and "From the HITs" in batch_note(batch))
        await settled(pilot)
        assert animations(app) == [], batch_note(batch)

        # Nor after a listing whose workers could not be run (no type ID in the field).
        endpoint.clear_faults()
        batch.form.type_input.value = ""
        batch.workers_from_hits(["3DEMOHITPILOT00000000000000001"])
        await until(lambda: not batch.listing and "From the HITs" in batch_note(batch))
        await settled(pilot)
        assert not batch.running and batch.form.worker_text, batch_note(batch)
        assert animations(app) == [], batch_note(batch)


def batch_note(batch: BatchScreen) -> str:
    return str(batch.query_one("#batch-problems", Static).content)


class Drawings:
    """What a field hands the screen (`pictures`, one per repaint of it) and how many of
    its lines it draws to make them (`lines_drawn`)."""

    def __init__(self, field: IdInput, monkeypatch: pytest.MonkeyPatch) -> None:
        self.field = field
        self.pictures: list[list[Strip]] = []
        self.lines_drawn = 0
        render_lines, render_line = field.render_lines, field.render_line

        def handed(crop: Region) -> list[Strip]:
            self.pictures.append(render_lines(crop))
            return self.pictures[-1]

        def drawn(y: int) -> Strip:
            self.lines_drawn += 1
            return render_line(y)

        monkeypatch.setattr(field, "render_lines", handed)
        monkeypatch.setattr(field, "render_line", drawn)

    async def repainted(self, change: Callable[[], object]) -> list[Strip]:
        """Make `change`, wait for the screen to repaint the field; its new picture."""
        before = len(self.pictures)
        change()
        await until(lambda: len(self.pictures) > before)
        return self.pictures[-1]

    async def blink(self) -> list[Strip]:
        return await self.repainted(self.field._toggle_cursor)


def text(picture: list[Strip]) -> str:
    return "\n".join(strip.text for strip in picture)


async def test_a_blink_draws_nothing_it_hands_back_a_kept_picture(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        field = app.focused
        assert isinstance(field, IdInput) and field._blink_timer is not None
        await until(lambda: only_the_blink(app))
        field._blink_timer.pause()  # the test blinks it, one blink at a time
        drawings = Drawings(field, monkeypatch)
        first, second = await drawings.blink(), await drawings.blink()
        assert first != second  # the cursor shows in one of them only
        drawings.lines_drawn = 0
        for _ in range(3):
            assert await drawings.blink() == first
            assert await drawings.blink() == second
        assert drawings.lines_drawn == 0, "a blink drew the field again"

        # A kept picture is what a fresh drawing gives.
        assert await drawings.repainted(field.refresh) == second
        assert drawings.lines_drawn > 0
        assert await drawings.blink() == first


async def test_after_blinks_a_key_typed_shows_at_once(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        field = app.focused
        assert isinstance(field, IdInput) and field._blink_timer is not None
        field._blink_timer.pause()
        drawings = Drawings(field, monkeypatch)
        for _ in range(4):
            await drawings.blink()
        await pilot.press("3", "x")
        await until(lambda: "3X" in text(drawings.pictures[-1]))
        typed = drawings.pictures[-1]
        await drawings.blink()
        assert await drawings.blink() == typed
        # A restyle (the border turns red) is drawn afresh.
        restyled = await drawings.repainted(lambda: field.add_class("-invalid"))
        assert restyled != typed and "3X" in text(restyled)
