"""The main screen's write actions: set score, grant, revoke (of the result on show),
undo (of a history row or a whole bulk run), the requests view and plan files.
The work itself is the ChangeRunner's (widgets/change_runner.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualtui.core.connection import Connection
from qualtui.screens.main.parts import MainParts
from qualtui.widgets.change_keys import ChangeKeys, WriteKind

if TYPE_CHECKING:
    from qualtui.core.history import HistoryEntry
    from qualtui.widgets.change_runner import ChangeRunner
    from qualtui.widgets.history_table import HistoryTable

WRITE_ACTIONS = frozenset({"set_score", "grant", "revoke", "requests", "undo"})


class MainChanges(ChangeKeys, MainParts):
    def _change_target(self) -> tuple[Connection, str, str] | None:
        """The type and worker of the result on show (the answer the change acts on)."""
        result = self.panel.result or self.last_result
        if result is None:
            self.notify("Look a worker up first: a change acts on the result.", severity="warning")
            return None
        request = result.request
        return request.connection, request.qualification_type_id, request.worker_id

    def _change_row(self, kind: WriteKind) -> None:
        target = self._change_target()
        if target is not None and self.writes_allowed:
            self.runner.start(kind, *target)

    def on_change_runner_finished(self, message: ChangeRunner.Finished) -> None:
        self.panel.show_change(message.change)

    def on_history_table_undo_requested(self, event: HistoryTable.UndoRequested) -> None:
        if event.whole_run:
            self.undo_run(event.entry)
        else:
            self.undo_entry(event.entry)

    def undo_run(self, entry: HistoryEntry | None) -> None:
        """Undo the whole run a history row belongs to: its undo plan, dry run first."""
        if not self.writes_allowed:
            return
        run_id = entry.run_id if entry is not None and entry.change is not None else None
        if entry is None or run_id is None:
            self.notify("Choose a change of a bulk run in the history (filter: change).")
            return
        from qualtui.core.changes.record import run_changes
        from qualtui.core.changes.undo import undo_plan
        from qualtui.screens.plan_diff import PlanDiffScreen

        changes = run_changes(self.services.store.snapshot().entries, run_id)
        connection = self.config.endpoints.connection(entry.profile, entry.environment)
        plan = undo_plan(changes)
        self.app.push_screen(
            PlanDiffScreen(self.services, connection, lambda: plan, f"undo of run {run_id[:12]}")
        )

    def action_requests(self) -> None:
        """The pending requests of the type in the ID field, or of all your types."""
        if not self.writes_allowed:
            return
        from qualtui.screens.requests import RequestsScreen

        type_input = self.form.type_input
        valid = bool(type_input.value) and type_input.problem is None
        type_id = type_input.id_value if valid else None
        self.app.push_screen(RequestsScreen(self.services, self.connection, type_id or None))

    def apply_plan_file(self) -> None:
        from qualtui.screens.plan_diff import ask_plan_file

        ask_plan_file(self, self.services, self.connection, self.form.type_input.id_value or None)

    def undo_entry(self, entry: HistoryEntry | None) -> None:
        """Undo the change a history row records (after a confirmation)."""
        if not self.writes_allowed:
            return
        from qualtui.core.changes.record import change_of

        change = change_of(entry) if entry is not None else None
        if change is None:
            self.notify("Choose a change in the history (filter: change) to undo.")
            return
        made = change.connection
        connection = self.config.endpoints.connection(made.profile, made.environment)
        self.runner.start_undo(change, connection)

    def action_undo(self) -> None:
        self.undo_entry(self.history.selected)
