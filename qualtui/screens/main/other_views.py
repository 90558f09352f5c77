"""Opening the other views from the main screen: the type picker (F5), batch (F7),
holders (F8), the worker profile (F10), workers from HITs. Each view is imported when
first opened: nothing of them before the first frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualtui.screens.main.connection_switch import MainConnectionSwitch

if TYPE_CHECKING:
    from qualtui.core.history import HistoryEntry


class MainOtherViews(MainConnectionSwitch):
    def action_pick_type(self) -> None:
        from qualtui.dialogs.type_picker import TypePickerScreen

        def picked(type_id: str | None) -> None:
            if type_id:
                refused = self.form.fill_checked(type_id, None)
                if refused:
                    self.notify(refused, severity="warning", markup=False)
                else:
                    self.form.worker_input.focus()

        self.app.push_screen(TypePickerScreen(self.clients, self.types, self.connection), picked)

    def _type_for_view(self) -> str | None:
        type_input = self.form.type_input
        if not type_input.show_problem(force=True):
            type_input.focus()
            self.notify("Type or pick (F5) a qualification type ID first.", severity="warning")
            return None
        return type_input.id_value

    def action_holders(self) -> None:
        from qualtui.screens.holders import HoldersScreen

        type_id = self._type_for_view()
        if type_id is None:
            return

        def chosen(worker_id: str | None) -> None:
            if worker_id:
                refused = self.form.fill_checked(type_id, worker_id)
                if refused:
                    self.notify(refused, severity="warning", markup=False)
                else:
                    self.form.submit()

        self.app.push_screen(HoldersScreen(self.services, self.connection, type_id), chosen)

    def _profile_from_history(self, entry: HistoryEntry) -> None:
        """The entry's profile and environment chosen, then the worker's profile."""
        self._choose_connection_of(entry)
        self.open_worker_profile(entry.worker_id)

    def open_worker_profile(self, worker_id: str) -> None:
        from qualtui.screens.worker_profile import open_worker_profile

        open_worker_profile(self.app, self.services, self.connection, worker_id)

    def action_worker_profile(self) -> None:
        """The worker of the history row (when the history has the focus), of the result
        panel (when it has), else of the Worker ID field, else of the last result."""
        focused = self.app.focused
        entry = self.history.selected if focused is self.history else None
        if entry is not None:
            self._profile_from_history(entry)
            return
        result_worker = self.last_result.request.worker_id if self.last_result else ""
        field = self.form.worker_input
        if focused is self.panel and result_worker:
            worker = result_worker
        elif field.value.strip():
            worker = field.value
        elif result_worker:
            worker = result_worker
        else:
            field.focus()
            self.notify("Type a worker ID first.", severity="warning")
            return
        self.open_worker_profile(worker)

    def action_batch(self, workers: tuple[str, ...] = ()) -> None:
        """The batch view; `workers` (a list pasted into Worker ID) fill its list."""
        from textual.widgets import TextArea

        from qualtui.core.batch import DEFAULT_CONCURRENCY
        from qualtui.screens.batch import BatchScreen

        concurrency = self.services.settings.concurrency or DEFAULT_CONCURRENCY
        type_id = self.form.type_input.id_value
        batch = BatchScreen(self.services, self.connection, type_id, concurrency)
        mounted = self.app.push_screen(batch)

        async def fill() -> None:  # the batch's list, once it is mounted
            await mounted
            batch.query_one("#batch-workers", TextArea).load_text("\n".join(workers))

        if workers:
            self.call_later(fill)

    def workers_from_hits(self) -> None:
        """Choose HITs, then the batch view looks up their workers for the type in the field."""
        from qualtui.core.batch import DEFAULT_CONCURRENCY
        from qualtui.dialogs.hit_picker import HitPickerScreen
        from qualtui.screens.batch import BatchScreen

        def chosen(hit_ids: tuple[str, ...] | None) -> None:
            if not hit_ids:
                return
            concurrency = self.services.settings.concurrency or DEFAULT_CONCURRENCY
            type_id = self.form.type_input.id_value
            batch = BatchScreen(self.services, self.connection, type_id, concurrency, hit_ids)
            self.app.push_screen(batch)

        self.app.push_screen(HitPickerScreen(self.clients, self.connection), chosen)
