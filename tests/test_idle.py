"""Idle (#15): an app that sits waiting for the user runs nothing but the focused field's
cursor blink, after start, after a lookup, and after a slow lookup's spinner. Checked by
structure (which timers run), not by time: the CPU figure is benchmarks/run.py idle."""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.message_pump import MessagePump
from textual.timer import Timer
from textual.widgets import Input

from qualtui.endpoint import LocalMTurk
from tests.apphelpers import (
    app_from_command_line,
    first_answer_held,
    history_rows,
    look_up,
    ready,
    screen,
)
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
