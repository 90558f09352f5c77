"""F1: the help is made from the real bindings of every view, one line per key at 80x24."""

from __future__ import annotations

from textual.widgets import Static

from qualtui.dialogs.help import HelpScreen
from qualtui.endpoint import LocalMTurk
from qualtui.screens.batch import BatchScreen
from qualtui.screens.holders import HoldersScreen
from qualtui.screens.main import MainScreen
from qualtui.screens.worker_profile import WorkerProfileScreen
from qualtui.widgets.history_table import HistoryTable
from tests.apphelpers import app_from_command_line, ready
from tests.conftest import Isolation, until


async def test_help_lists_every_views_keys_one_line_each_at_80x24(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        await until(lambda: isinstance(app.screen, HelpScreen))
        keys = app.screen.query_one("#help-keys", Static)
        text = str(keys.content)
        for view in (MainScreen, HistoryTable, BatchScreen, HoldersScreen, WorkerProfileScreen):
            for binding in view.BINDINGS:
                assert binding.tooltip in text, f"{view.__name__}: {binding.key}"  # type: ignore[union-attr]
        assert "Ctrl+R" in text and "Ctrl+U" in text and "Ctrl+Q" in text
        await until(lambda: keys.size.height > 0)
        assert keys.size.height == text.count("\n") + 1  # nothing wrapped
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, MainScreen))
