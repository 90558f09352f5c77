"""The keyboard sort of the results tables (batch, holders, worker profile): `o` sorts by the
next column, `O` reverses, the sorted column's header carries ▲ or ▼; a click on a header
does the same. Built as `qualtui` builds the app."""

from __future__ import annotations

from textual.widgets import TextArea

from qualtui.endpoint import LocalMTurk
from qualtui.screens.batch import BatchScreen
from qualtui.widgets.results_table import ResultsTable
from tests.apphelpers import paste, ready, running, screen, settled
from tests.conftest import TRANSCRIBE, Isolation, until

WORKERS = "A5NOTHELDWORKER\nA1GRANTEDWORKER\nA3ZEROSCOREWORKER\nA2REVOKEDWORKER"


def labels(table: ResultsTable) -> list[str]:
    return [column.label.plain for column in table.ordered_columns]


def column(table: ResultsTable, index: int) -> list[str]:
    return [table.get_row_at(i)[index].plain for i in range(table.row_count)]


async def test_the_batch_table_sorts_from_the_keyboard_with_a_mark(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        screen(app).form.fill(TRANSCRIBE, "")
        await pilot.press("f7")
        await until(lambda: isinstance(app.focused, TextArea))
        batch = app.screen
        assert isinstance(batch, BatchScreen)
        await paste(pilot, WORKERS)
        await pilot.press("ctrl+r")
        await until(lambda: not batch.running and len(batch.results) == 4)
        table = batch.query_one("#batch-table", ResultsTable)
        table.focus()
        await settled(pilot)
        # in the order of the list, no column marked
        assert column(table, 0) == WORKERS.split("\n")
        assert not any("▲" in label or "▼" in label for label in labels(table))
        await pilot.press("o")  # the first column: Worker, ascending
        await settled(pilot)
        assert labels(table)[0] == "Worker ▲"
        assert column(table, 0) == sorted(WORKERS.split("\n"))
        await pilot.press("O")  # reversed
        await settled(pilot)
        assert labels(table)[0] == "Worker ▼"
        assert column(table, 0) == sorted(WORKERS.split("\n"), reverse=True)
        await pilot.press("o", "o")  # Status, then Score: ascending, blanks last
        await settled(pilot)
        assert labels(table)[:3] == ["Worker", "Status", "Score ▲"]
        assert column(table, 2)[:3] == ["0", "12", "87"] and column(table, 2)[3] == ""
        await pilot.press("end", "o")  # the last column goes round to the first
        for _ in range(len(labels(table)) - 4):
            await pilot.press("o")
        await settled(pilot)
        assert table.sorted_by[0] == len(labels(table)) - 1
        await pilot.press("o")
        await settled(pilot)
        assert labels(table)[0] == "Worker ▲" and table.sorted_by == (0, False)
