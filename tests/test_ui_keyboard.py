"""Keyboard habits (#14), in the app as the command line builds it: ? for help, q to close,
j/k/g/G and / in tables, the history cursor staying on its entry after r, and the result
panel saying when the fields no longer hold its IDs."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from qualtui.dialogs.help import HelpScreen
from qualtui.endpoint import LocalMTurk
from qualtui.screens.batch import BatchScreen
from qualtui.screens.holders import HoldersScreen
from qualtui.screens.main import MainScreen
from tests.apphelpers import (
    SIZE,
    app_from_command_line,
    history_rows,
    look_up,
    ready,
    screen,
    settled,
)
from tests.conftest import TRANSCRIBE, Isolation, until

IMAGE_TAG = "3DEMOIMAGETAG00000000000000001"


def command_line_app(endpoint: LocalMTurk):  # type: ignore[no-untyped-def]
    return app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")


async def test_after_r_the_cursor_stays_on_the_same_entry(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = command_line_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        for worker in ("A1GRANTEDWORKER", "A2REVOKEDWORKER"):
            await look_up(pilot, TRANSCRIBE, worker)
        await until(lambda: len(history_rows(app)) == 2)
        await pilot.press("f3", "j")  # the older entry
        await settled(pilot)
        marked = main.history.selected
        assert marked is not None and marked.worker_id == "A1GRANTEDWORKER"
        await pilot.press("r")
        await until(lambda: len(history_rows(app)) == 3 and not main.busy)
        await settled(pilot)
        selected = main.history.selected
        assert selected is not None and selected.id == marked.id
        await pilot.press("g")
        await settled(pilot)
        assert main.history.cursor_row == 0
        await pilot.press("G")
        await settled(pilot)
        assert main.history.cursor_row == 2
        await pilot.press("question_mark")
        await until(lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("q")
        await until(lambda: isinstance(app.screen, MainScreen))


async def test_the_panel_says_when_the_fields_no_longer_hold_its_ids(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = command_line_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        assert main.panel.border_title == "Result"
        await pilot.press("backspace")  # the worker field, now "A1GRANTEDWORKE"
        await settled(pilot)
        assert "previous IDs" in str(main.panel.border_title)
        await pilot.press("R")
        await settled(pilot)
        assert main.panel.border_title == "Result"


async def test_q_closes_holders_and_batch_and_slash_filters_batch_results(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = command_line_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        main.form.fill(IMAGE_TAG, "")
        await pilot.press("f8")
        await until(lambda: isinstance(app.screen, HoldersScreen))
        holders = app.screen
        assert isinstance(holders, HoldersScreen)
        table = holders.query_one("#holders-table", DataTable)
        await until(lambda: holders.pages == 1 and not holders.fetching)
        await pilot.press("j", "j", "k")
        await settled(pilot)
        assert table.cursor_row == 1
        await pilot.press("q")
        await until(lambda: app.screen is main)
        main.form.fill(TRANSCRIBE, "")
        await pilot.press("f7")
        await until(lambda: isinstance(app.screen, BatchScreen))
        batch = app.screen
        assert isinstance(batch, BatchScreen)
        batch.set_focus(batch.table)
        await pilot.press("slash")
        await settled(pilot)
        assert app.focused is batch.query_one("#batch-filter", Input)
        batch.set_focus(batch.table)
        await pilot.press("q")
        await until(lambda: app.screen is main)
