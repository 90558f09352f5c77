"""The main screen and its history: a row chosen fills the form (Enter) or looks up again
(r); a worker-profile row reopens the profile; a list pasted into Worker ID offers the
batch view; the palette's export and clear."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on

from qualtui.screens.main.other_views import MainOtherViews
from qualtui.widgets.lookup_form import IdInput

if TYPE_CHECKING:
    from qualtui.core.history import HistoryEntry
    from qualtui.widgets.history_table import HistoryTable


class MainHistoryActions(MainOtherViews):
    def _fill_from(self, entry: HistoryEntry) -> bool:
        """Fill the form from a history entry (a file: outside text). False if refused."""
        refused = self.form.fill_checked(entry.qualification_type_id, entry.worker_id)
        if refused:
            self.notify(refused, severity="warning", markup=False)
            return False
        self._choose_connection_of(entry)
        return True

    @on(IdInput.ListPasted)
    def _list_pasted(self, event: IdInput.ListPasted) -> None:
        """Several worker IDs pasted: offer the batch view with them."""
        from qualtui.dialogs.confirm import ConfirmScreen

        workers = event.values

        def answered(yes: bool | None) -> None:
            if yes:
                self.action_batch(workers)

        pasted = f"{len(workers)} lines" if event.lines else f"{len(workers)} worker IDs"
        question = (
            f"You pasted {pasted}; the first is in Worker ID.\n"
            "Open the batch view (F7) with all of them?"
        )
        self.app.push_screen(ConfirmScreen(question, "Open batch"), answered)

    def on_history_table_chosen(self, event: HistoryTable.Chosen) -> None:
        if event.entry.worker_profile is not None:  # a profile item reopens the profile
            self._profile_from_history(event.entry)
            return
        if self._fill_from(event.entry):
            self.form.worker_input.focus()
            self.notify("Filled from history: press Enter to look up again.", timeout=3)

    def on_history_table_rerun(self, event: HistoryTable.Rerun) -> None:
        if event.entry.worker_profile is not None:
            self._profile_from_history(event.entry)
            return
        if self._fill_from(event.entry):
            self.form.submit()

    def action_focus_history(self) -> None:
        self.history.focus()

    def action_focus_filter(self) -> None:
        self.history_pane.filter_input.focus()

    def export_history(self) -> None:
        self.history.action_export()

    def clear_history(self) -> None:
        self.history.action_clear_all()
