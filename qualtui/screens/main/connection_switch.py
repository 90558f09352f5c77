"""The main screen's connection chosen from a history row: never silently. A row recorded
with another profile or environment switches to it with a notice, and Ctrl+Z goes back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualtui.screens.main.parts import MainParts

if TYPE_CHECKING:
    from qualtui.core.history import HistoryEntry


class MainConnectionSwitch(MainParts):
    _switched_from: tuple[str | None, str] | None = None  # what Ctrl+Z goes back to

    def _choose_connection_of(self, entry: HistoryEntry) -> None:
        """The entry's profile and environment; a switch says so, Ctrl+Z goes back."""
        from qualtui.widgets.history_pane import switch_notice

        before = (self.bar.profile, self.bar.environment)
        for problem in self.bar.choose(entry.profile, entry.environment):
            self.notify(problem, severity="warning", markup=False)
        if (self.bar.profile, self.bar.environment) != before:
            self._switched_from = before
            self.refresh_bindings()
            self.notify(switch_notice(before, self.connection), timeout=10, markup=False)

    def action_switch_back(self) -> None:
        if self._switched_from is not None:
            self.bar.choose(*self._switched_from)
            self._switched_from = None
            self.refresh_bindings()
            self.notify(f"Back to {self.connection.label}", timeout=4, markup=False)
