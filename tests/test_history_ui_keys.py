"""The history as a daily user meets it (#14), in the app as the command line builds it:
Worker, Outcome and Score on screen at every size; `d` deletes with an undo (Ctrl+Z puts the
row back in its place); `s`/`S` sort with a ▲/▼ mark; a row from another environment switches
only with a notice and Ctrl+Z back; type names known per environment."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from rich.text import Text
from textual.widgets.data_table import RowKey

from qualtui.app import QualtuiApp
from qualtui.core.connection import PRODUCTION, SANDBOX
from qualtui.core.history import HistoryEntry
from qualtui.endpoint import LocalMTurk
from qualtui.widgets import history_table
from qualtui.widgets.history_pane import HistoryPane
from qualtui.widgets.history_table import COLUMNS, HistoryTable
from tests.apphelpers import (
    SIZE,
    app_from_command_line,
    history_rows,
    look_up,
    lookups,
    ready,
    screen,
    settled,
    type_text,
)
from tests.conftest import TRANSCRIBE, Isolation, until
from tests.historyhelpers import entry, saved_entries, write_history


def command_line_app(endpoint: LocalMTurk) -> QualtuiApp:
    return app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")


def saved_workers(isolated: Isolation) -> list[str]:
    return [e["worker_id"] for e in saved_entries(isolated.data_dir / "history.json")]


def shown_workers(app: QualtuiApp) -> list[str]:
    return [row[3] for row in history_rows(app)]


def seed(isolated: Isolation, *entries: HistoryEntry) -> None:
    write_history(isolated.data_dir / "history.json", entries)


def four(isolated: Isolation) -> None:
    seed(
        isolated,
        entry(1, "A1GRANTEDWORKER", type_id=TRANSCRIBE),
        entry(2, "A2REVOKEDWORKER", type_id=TRANSCRIBE, status="Revoked"),
        entry(3, "A3SANDBOXWORKER", type_id=TRANSCRIBE, environment=SANDBOX),
        entry(4, "A5NOTHELDWORKER", type_id=TRANSCRIBE, failed=True),
    )


def notices(app: QualtuiApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize("size", [(60, 20), (80, 24), SIZE])
async def test_worker_outcome_and_score_are_on_screen_at_every_size(
    endpoint: LocalMTurk, aws_profiles: Isolation, size: tuple[int, int]
) -> None:
    four(aws_profiles)
    app = command_line_app(endpoint)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        table = screen(app).history
        labels = [column.label.plain for column in table.ordered_columns]
        assert labels[:3] == ["Worker", "Outcome", "Score"]
        assert labels[-1] == "When ▼"  # the default order: newest first
        first_three = sum(column.get_render_width(table) for column in table.ordered_columns[:3])
        assert first_three <= table.scrollable_content_region.width
        assert table.scrollable_content_region.height >= 2  # the header and a row at least


async def test_d_deletes_with_a_toast_and_ctrl_z_puts_it_back_in_its_place(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    four(aws_profiles)
    app = command_line_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = screen(app).history
        assert not table.check_action("restore", ())  # nothing to undo yet
        await pilot.press("f3", "down", "d")  # second newest: A3SANDBOXWORKER
        await until(lambda: len(history_rows(app)) == 3)
        await until(lambda: "A3SANDBOXWORKER" not in saved_workers(aws_profiles))
        assert any("Deleted A3SANDBO… (Granted, sandbox) · Ctrl+Z undo" in n for n in notices(app))
        assert "ctrl+z" in app.active_bindings  # in the footer while there is a row to restore
        await pilot.press("ctrl+z")
        await until(lambda: len(history_rows(app)) == 4)
        assert shown_workers(app) == [
            "A5NOTHELDWORKER",
            "A3SANDBOXWORKER",
            "A2REVOKEDWORKER",
            "A1GRANTEDWORKER",
        ]
        await until(
            lambda: (
                saved_workers(aws_profiles)
                == ["A1GRANTEDWORKER", "A2REVOKEDWORKER", "A3SANDBOXWORKER", "A5NOTHELDWORKER"]
            )
        )
        assert not table.check_action("restore", ())
        # Two deletes are undone newest first, each back in its place.
        await pilot.press("g", "d")
        await until(lambda: len(history_rows(app)) == 3)
        await pilot.press("G", "d")
        await until(lambda: len(history_rows(app)) == 2)
        assert shown_workers(app) == ["A3SANDBOXWORKER", "A2REVOKEDWORKER"]
        await pilot.press("ctrl+z")
        await until(lambda: len(history_rows(app)) == 3)
        await pilot.press("ctrl+z")
        await until(lambda: len(history_rows(app)) == 4)
        assert shown_workers(app)[0] == "A5NOTHELDWORKER"
        assert shown_workers(app)[-1] == "A1GRANTEDWORKER"
    assert saved_workers(aws_profiles) == [
        "A1GRANTEDWORKER",
        "A2REVOKEDWORKER",
        "A3SANDBOXWORKER",
        "A5NOTHELDWORKER",
    ]


async def test_o_sorts_by_the_next_column_and_shift_o_reverses_with_a_mark(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    seed(
        aws_profiles,
        entry(1, "A2MIDDLE", type_id=TRANSCRIBE),
        entry(2, "A3LAST", type_id=TRANSCRIBE, status="Revoked"),
        entry(3, "A1FIRST", type_id=TRANSCRIBE, failed=True),
    )
    app = command_line_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = screen(app).history

        def labels() -> list[str]:
            return [column.label.plain for column in table.ordered_columns]

        await pilot.press("f3", "j")  # the cursor on A3LAST: it stays on its entry
        assert shown_workers(app) == ["A1FIRST", "A3LAST", "A2MIDDLE"]
        await pilot.press("o")
        await settled(pilot)
        assert labels()[0] == "Worker ▲" and labels()[-1] == "When"
        assert shown_workers(app) == ["A1FIRST", "A2MIDDLE", "A3LAST"]
        assert table.selected is not None and table.selected.worker_id == "A3LAST"
        await pilot.press("O")
        await settled(pilot)
        assert labels()[0] == "Worker ▼"
        assert shown_workers(app) == ["A3LAST", "A2MIDDLE", "A1FIRST"]
        await pilot.press("o")  # Outcome: Granted, Revoked, not_held (by its word)
        await settled(pilot)
        assert labels()[:2] == ["Worker", "Outcome ▲"]
        assert [row[4] for row in history_rows(app)] == ["Granted", "Revoked", "not held"]
        for _ in range(len(COLUMNS) - 2):  # round to When: newest first again
            await pilot.press("o")
        await settled(pilot)
        assert labels()[-1] == "When ▼"
        assert shown_workers(app) == ["A1FIRST", "A3LAST", "A2MIDDLE"]
        await pilot.press("O")  # oldest first
        await settled(pilot)
        assert labels()[-1] == "When ▲"
        assert shown_workers(app) == ["A2MIDDLE", "A3LAST", "A1FIRST"]


async def test_a_row_from_the_sandbox_switches_with_a_notice_and_ctrl_z_goes_back(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    seed(
        aws_profiles,
        entry(1, "A1GRANTEDWORKER", type_id=TRANSCRIBE),
        entry(2, "A1GRANTEDWORKER", type_id=TRANSCRIBE, environment=SANDBOX),
    )
    app = command_line_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        assert main.bar.environment == PRODUCTION
        await pilot.press("f3", "enter")  # the sandbox row fills the form
        await settled(pilot)
        assert main.bar.environment == SANDBOX
        assert any(
            "Switched to Sandbox for this entry (was Production) · Ctrl+Z back" in n
            for n in notices(app)
        )
        assert app.focused is main.form.worker_input
        await pilot.press("ctrl+z")  # from the ID field
        await settled(pilot)
        assert main.bar.environment == PRODUCTION
        assert any("Back to default · Production" in n for n in notices(app))
        assert not main.check_action("switch_back", ())
        # `r` on the sandbox row: it runs in the sandbox, then Ctrl+Z (in the table) goes back
        await pilot.press("f3", "r")
        await until(lambda: not main.busy and len(history_rows(app)) == 3)
        await settled(pilot)
        assert main.last_result is not None
        assert main.last_result.request.connection.environment == SANDBOX
        await pilot.press("ctrl+z")
        await settled(pilot)
        assert main.bar.environment == PRODUCTION
        # a row of the environment on show switches nothing and says nothing
        before = len(notices(app))
        await pilot.press("G", "enter")
        await settled(pilot)
        assert main.bar.environment == PRODUCTION
        assert not any("Switched" in n for n in notices(app)[before:])


async def test_type_names_are_known_per_environment(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    production_row = replace(
        entry(1, "A1GRANTEDWORKER", type_id=TRANSCRIBE),
        qualification_type_name="Production name",
    )
    seed(
        aws_profiles, production_row, entry(2, "A2SANDBOX", type_id=TRANSCRIBE, environment=SANDBOX)
    )
    app = command_line_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        rows = {row[3]: row for row in history_rows(app)}
        assert rows["A1GRANTEDWORKER"][2] == "Production name"
        assert rows["A2SANDBOX"][2] == TRANSCRIBE  # not the production type's name
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")  # in production: learns the name
        await until(lambda: len(history_rows(app)) == 3)
        await until(lambda: history_rows(app)[0][2] == "Audio transcription skill")
        rows = {row[3]: row for row in history_rows(app)}
        assert rows["A2SANDBOX"][2] == TRANSCRIBE
        assert len(lookups(endpoint)) == 1


async def test_a_lookup_inserts_one_row_and_rebuilds_none(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#15: a lookup adds its row on top; the rows shown are neither cleared nor re-added."""
    four(aws_profiles)
    app = command_line_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = screen(app).history
        await look_up(pilot, TRANSCRIBE, "A2REVOKEDWORKER")  # the type's name is learned
        await until(lambda: history_rows(app)[0][2] == "Audio transcription skill")
        shown = [row.key for row in table.ordered_rows]
        added: list[object] = []
        cleared: list[object] = []
        add_row, clear = table.add_row, table.clear

        def counted_add_row(*cells: Text, **options: Any) -> RowKey:
            added.append(options)
            return add_row(*cells, **options)

        def counted_clear(*args: Any, **options: Any) -> HistoryTable:
            cleared.append(options)
            return clear(*args, **options)

        monkeypatch.setattr(table, "add_row", counted_add_row)
        monkeypatch.setattr(table, "clear", counted_clear)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await until(lambda: len(history_rows(app)) == 6)
        assert len(added) == 1 and not cleared
        assert [row.key for row in table.ordered_rows][1:] == shown
        assert history_rows(app)[0][3] == "A1GRANTEDWORKER"
        assert [row[3] for row in history_rows(app)][1:3] == ["A2REVOKEDWORKER", "A5NOTHELDWORKER"]
        # oldest first (O on When): the new row goes last, still one row
        await pilot.press("f3")
        for _ in range(len(COLUMNS)):
            await pilot.press("o")
        await pilot.press("O")
        await settled(pilot)
        assert table.sort_column == "When" and not table.sort_descending
        added.clear()
        cleared.clear()
        await look_up(pilot, TRANSCRIBE, "A3ZEROSCOREWORKER")
        await until(lambda: len(history_rows(app)) == 7)
        assert len(added) == 1 and not cleared
        assert history_rows(app)[-1][3] == "A3ZEROSCOREWORKER"


async def test_a_large_history_filters_in_a_thread_after_the_typing_pauses(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#15: above SYNC_FILTER_LIMIT entries (here: any) a keystroke only starts a timer; the
    matching runs in a thread, and only the newest query's answer is shown."""
    monkeypatch.setattr(history_table, "SYNC_FILTER_LIMIT", 0)
    four(aws_profiles)
    app = command_line_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = screen(app).history
        pane = app.screen.query_one(HistoryPane)
        await pilot.press("ctrl+f")
        await type_text(pilot, "revoked")
        assert table.filter_query == "revoked"
        await until(lambda: shown_workers(app) == ["A2REVOKEDWORKER"])
        await until(lambda: str(pane.border_subtitle) == "1 of 4 match")
        await pilot.press("ctrl+u")
        await type_text(pilot, "sandbox")
        await until(lambda: shown_workers(app) == ["A3SANDBOXWORKER"])
        await pilot.press("escape")  # empty: every row again
        await until(lambda: len(history_rows(app)) == 4)
        await until(lambda: str(pane.border_subtitle) == "4 lookups")
        # a lookup while filtered: its row is matched by the filter too
        assert app.focused is pane.filter_input
        await type_text(pilot, "a1granted")
        await until(lambda: shown_workers(app) == ["A1GRANTEDWORKER"])
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await until(lambda: shown_workers(app) == ["A1GRANTEDWORKER", "A1GRANTEDWORKER"])
