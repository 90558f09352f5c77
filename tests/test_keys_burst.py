"""Keys take effect in the order they were typed, however fast they come (issue #13).

Every key of many lookups is queued to the app before any is handled, as the terminal
driver delivers a burst (a text expander, a barcode scanner, SSH lag): each lookup must
reach the endpoint with exactly the IDs typed for it, and none with IDs nobody typed.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator

from textual import events
from textual.command import CommandPalette

from qualtui.app import QualtuiApp
from qualtui.endpoint import LocalMTurk
from qualtui.screens.batch import BatchScreen
from qualtui.screens.main import MainScreen
from tests.apphelpers import SIZE, app_from_command_line, history_rows, lookups, ready, screen
from tests.conftest import LOCALE_TYPE, TRANSCRIBE, Isolation, until

Lookup = tuple[str, str]  # (qualification type ID, worker ID)


def key(name: str) -> events.Key:
    """A key as the driver makes it: a character for printable keys."""
    return events.Key(name, name if len(name) == 1 else None)


def lookup_keys(n: int, type_id: str, worker_id: str) -> list[str]:
    """The keys of the n-th lookup, in the ways people clear and move between fields."""
    if n == 0:  # the app starts in the empty type field
        return [*type_id, "tab", *worker_id, "enter"]
    ways = [
        ["shift+tab", "ctrl+u", *type_id, "tab", "ctrl+u", *worker_id],
        ["shift+tab", *type_id, "tab", *worker_id],  # focus selects the old text: replaced
        ["shift+tab", "ctrl+a", "ctrl+k", *type_id, "tab", "ctrl+a", "ctrl+k", *worker_id],
        ["f2", "ctrl+u", *type_id, "tab", "ctrl+u", *worker_id],  # F2: to the type field
    ]
    return [*ways[n % len(ways)], "enter"]


def typed(count: int, *, short: bool = False) -> list[Lookup]:
    if short:
        return [(f"3Q{n}", f"AW{n}") for n in range(count)]
    return [
        (TRANSCRIBE if n % 2 == 0 else LOCALE_TYPE, f"A{n:02d}BURSTWORKER{n % 7}")
        for n in range(count)
    ]


def burst(wanted: list[Lookup]) -> Iterator[events.Key]:
    for n, (type_id, worker_id) in enumerate(wanted):
        yield from (key(k) for k in lookup_keys(n, type_id, worker_id))


def sent(endpoint: LocalMTurk) -> Counter[Lookup]:
    return Counter(
        (c.params["QualificationTypeId"], c.params["WorkerId"]) for c in lookups(endpoint)
    )


def settled(app: QualtuiApp) -> bool:
    main = app.screen
    return (
        isinstance(main, MainScreen)
        and app.key_order.idle
        and not main.busy
        and not any(w.group == "lookup" and not w.is_finished for w in app.workers)
    )


async def each_sent(app: QualtuiApp, endpoint: LocalMTurk, count: int) -> None:
    """Wait for `count` lookups, one at a time (each within `until`'s bound: a stall fails,
    a slow machine does not), then for every key to have taken effect."""
    for n in range(1, count + 1):

        def sent_so_far(n: int = n) -> bool:
            return sum(sent(endpoint).values()) >= n

        try:
            await until(sent_so_far)
        except AssertionError as failure:
            state = (
                f"{failure}: lookup {n} of {count} not sent; {app.key_order.received} keys "
                f"reached the App, {app.key_order.holding} held, idle: {app.key_order.idle}; "
                f"sent: {sent(endpoint)}"
            )
            # Still a failure; this only tells a stall from a slow machine in the report.
            started = time.monotonic()
            try:
                await until(sent_so_far, timeout=60)
                later = f"it was sent {time.monotonic() - started:.1f} s later"
            except AssertionError:
                later = "and not in the next 60 s either (a stall)"
            raise AssertionError(f"{state}; {later}") from None
    await until(lambda: settled(app))


async def type_lookups(
    endpoint: LocalMTurk, wanted: list[Lookup], spacing: float = 0.0
) -> Counter[Lookup]:
    """The lookups sent once every key typed has taken effect and every lookup has ended:
    a lookup lost or mistyped shows as a difference."""
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    keys = list(burst(wanted))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.focused is screen(app).form.type_input
        before = app.key_order.received
        if spacing:
            for event in keys:
                app.post_message(event)
                await asyncio.sleep(spacing)  # the typist's pace, not a wait for the app
        else:
            for event in keys:  # the whole burst is queued before any is handled
                app.post_message(event)
        await each_sent(app, endpoint, len(wanted))
        await until(lambda: app.key_order.received - before == len(keys) and settled(app))
        await until(lambda: len(history_rows(app)) >= 1)
    return sent(endpoint)


async def test_forty_lookups_typed_in_one_burst_are_each_sent_as_typed(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    wanted = typed(40, short=True)  # short IDs: the same keys between them, 1/4 the typing
    assert len(set(wanted)) == 40
    assert await type_lookups(endpoint, wanted) == Counter(wanted)


async def test_ten_lookups_of_full_length_ids_in_one_burst(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    wanted = typed(10)
    assert await type_lookups(endpoint, wanted) == Counter(wanted)


async def test_lookups_typed_50_ms_apart_are_each_sent_as_typed(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    wanted = typed(8, short=True)
    assert await type_lookups(endpoint, wanted, spacing=0.05) == Counter(wanted)


async def test_a_burst_into_the_history_filter_and_back(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    """Ctrl+F, a filter, Enter (to the table), Enter (fills the form): all in one burst."""
    wanted = typed(3)
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # The history first: each lookup typed as a burst, the next once it is recorded. (All
        # three in one burst raced: a lookup still in flight when the next Enter came is
        # replaced by it, and a replaced lookup's answer is not recorded.)
        for n, (type_id, worker_id) in enumerate(wanted):
            for event in map(key, lookup_keys(n, type_id, worker_id)):
                app.post_message(event)
            await until(lambda n=n: len(history_rows(app)) == n + 1 and settled(app))  # type: ignore[misc]
        main = screen(app)
        target = wanted[1][1]
        keys = ["ctrl+f", *target.lower(), "enter", "enter", "enter"]
        for event in map(key, keys):
            app.post_message(event)
        await until(lambda: sum(sent(endpoint).values()) == 4 and settled(app))
        assert main.history_pane.filter_input.value == target.lower()
        await until(lambda: len(history_rows(app)) == 2)
        assert [r[3] for r in history_rows(app)] == [target, target]  # the filter holds
        assert main.form.worker_input.value == target
        assert list(sent(endpoint).elements()).count(wanted[1]) == 2


async def test_a_burst_into_the_command_palette(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    """Ctrl+P, a command's name and Enter, typed faster than the palette searches."""
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for event in map(key, ["ctrl+p", *"batch lookup", "enter", *"A1GRANTEDWORKER"]):
            app.post_message(event)
        await until(lambda: isinstance(app.screen, BatchScreen) and app.key_order.idle)
        batch = app.screen
        assert isinstance(batch, BatchScreen)
        await until(lambda: batch.query_one("#batch-workers").text == "A1GRANTEDWORKER")  # type: ignore[attr-defined]
        assert not any(isinstance(s, CommandPalette) for s in app.screen_stack)


async def test_a_burst_picks_the_command_typed_not_an_earlier_match(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    """'switch to sandbox' narrows the list only once the palette's search has caught up."""
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        for event in map(key, ["ctrl+p", *"switch to sandbox", "enter", "enter"]):
            app.post_message(event)
        await until(lambda: app.screen is main and app.key_order.idle)
        await until(lambda: main.bar.environment == "sandbox")


async def test_a_paste_right_after_tab_lands_in_the_next_field(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    """The race behind the flaky cancel test (#21): Tab, then a paste, queued together."""
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        for event in (
            events.Paste(TRANSCRIBE),
            key("tab"),
            events.Paste("A1GRANTEDWORKER"),
            key("enter"),
        ):
            app.post_message(event)
        await until(lambda: sent(endpoint) == Counter({(TRANSCRIBE, "A1GRANTEDWORKER"): 1}))
        assert main.form.type_input.value == TRANSCRIBE
        assert main.form.worker_input.value == "A1GRANTEDWORKER"
