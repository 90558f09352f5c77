"""The results half of the batch view: the table (in input order unless sorted, filtered
as you type), export, the worker profile of a row, and changes on rows (one, or all the
table shows). `BatchScreen` (screens/batch.py) adds what to look up and the run."""

from __future__ import annotations

from textual import on
from textual.screen import Screen
from textual.widgets import DataTable, Input

from qualtui.core.batch_results import BatchResults
from qualtui.core.connection import Connection
from qualtui.core.history import HistoryEntry
from qualtui.core.models import LookupResult
from qualtui.core.services import Services
from qualtui.dialogs.export import ask_and_export
from qualtui.widgets.change_runner import (
    ROW_CHANGE_ACTIONS,
    ChangeKeys,
    ChangeRunner,
    WriteKind,
    after_change,
)
from qualtui.widgets.results_table import ResultsTable


class BatchResultsView(ChangeKeys, Screen[None]):
    services: Services
    connection: Connection
    found: BatchResults
    running: bool

    @property
    def results(self) -> list[LookupResult]:
        return self.found.results

    def row(self, result: LookupResult) -> tuple[str, ...]:
        return self.found.row(result)

    def summary(self) -> str:
        return self.found.summary()

    def shown_results(self) -> list[LookupResult]:
        return self.found.shown()

    @property
    def table(self) -> ResultsTable:
        return self.query_one("#batch-table", ResultsTable)

    def _rebuild(self) -> None:
        self.table.show_rows(self.row(r) for r in self.shown_results())

    @on(Input.Changed, "#batch-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.found.filter = event.value
        self._rebuild()

    @on(DataTable.HeaderSelected, "#batch-table")
    def _sort_by(self, event: DataTable.HeaderSelected) -> None:
        self.found.sort_by(event.column_index)
        self._rebuild()

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#batch-filter", Input))

    def action_export(self) -> None:
        rows = self.shown_results()
        if not rows:
            self.notify("Nothing to export yet.", severity="warning")
            return
        source = self.found.source
        now = self.services.clock().astimezone()
        ask_and_export(
            self,
            [HistoryEntry.from_result(r) for r in rows],
            filtered=bool(self.found.filter.strip()),
            now=now,
            noun="results",
            extra=None if source is None else [source.fields(r.request.worker_id) for r in rows],
            default_name=f"qualtui-batch-{now:%Y%m%d-%H%M%S}.csv",
        )

    def action_worker_profile(self) -> None:
        from qualtui.screens.worker_profile import open_worker_profile

        table = self.table
        if not 0 <= table.cursor_row < table.row_count:
            self.notify("No result to show a worker from yet.", severity="warning")
            return
        worker = table.get_row_at(table.cursor_row)[0].plain
        open_worker_profile(self.app, self.services, self.connection, worker)

    # ------------------------------------------------------------------ changes

    @property
    def writes_allowed(self) -> bool:
        return not self.services.config.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Static (not "has rows yet"): a footer that changes as answers arrive would be drawn
        # at a moment that depends on the machine's speed. The actions say why they cannot.
        if action in ROW_CHANGE_ACTIONS:
            return self.writes_allowed
        return True

    def _row_result(self) -> LookupResult | None:
        rows = self.shown_results()
        row = self.table.cursor_row
        return rows[row] if 0 <= row < len(rows) else None

    def _change_row(self, kind: WriteKind) -> None:
        result = self._row_result()
        if result is None or not self.writes_allowed or self.running:
            self.notify("Wait for the batch to end, then pick a row.", severity="warning")
            return
        request = result.request
        self.query_one(ChangeRunner).start(
            kind, self.connection, request.qualification_type_id, request.worker_id
        )

    def action_bulk(self) -> None:
        """Change every worker the table shows (the filter applies)."""
        from qualtui.screens.plan_diff import ask_bulk

        rows = self.shown_results()
        if not rows or self.running:
            self.notify("Wait for the batch to end.", severity="warning")
            return
        type_id = rows[0].request.qualification_type_id
        workers = [r.request.worker_id for r in rows]
        ask_bulk(self, self.services, self.connection, type_id, workers, "batch")

    @on(ChangeRunner.Finished)
    def _changed(self, message: ChangeRunner.Finished) -> None:
        """The row shows the state read back after the change."""
        change = message.change
        checked = change.checked
        if checked is None:
            return
        self.found.replace(
            change.worker_id, change.qualification_type_id, lambda r: after_change(r, checked)
        )
        self._rebuild()
