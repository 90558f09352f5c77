"""F8 in the app as the command line builds it: the list has the focus, and keeps it."""

from __future__ import annotations

from textual.widgets import DataTable

from qualtui.endpoint import LocalMTurk
from qualtui.screens.holders import HoldersScreen
from tests.apphelpers import SIZE, app_from_command_line, ready, screen, settled
from tests.conftest import Isolation, until

IMAGE_TAG = "3DEMOIMAGETAG00000000000000001"


async def test_f8_focuses_the_list_and_paging_keeps_it(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen(app).form.fill(IMAGE_TAG, "")
        await pilot.press("f8")
        await until(lambda: isinstance(app.screen, HoldersScreen))
        holders = app.screen
        assert isinstance(holders, HoldersScreen)
        table = holders.query_one("#holders-table", DataTable)
        await until(lambda: holders.pages == 1 and not holders.fetching)
        assert app.focused is table
        await pilot.press("m")  # a page is fetched: the list stays shown and focused
        await until(lambda: holders.pages == 2 and not holders.fetching)
        await settled(pilot)
        assert app.focused is table
        await pilot.press("down", "enter")  # Enter picks a worker, not the Status menu
        await until(lambda: app.screen is not holders)
        assert screen(app).form.worker_input.value == table.get_row_at(1)[0].plain
