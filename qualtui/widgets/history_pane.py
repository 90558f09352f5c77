"""The history: a filter box over the table, and the file work behind it (in workers)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from qualtui.core.connection import Connection, environment_label
from qualtui.core.history import HistoryEntry
from qualtui.core.services import Services, owner
from qualtui.core.text import one_line
from qualtui.core.wording import counted
from qualtui.widgets.history_table import SHORT_ENV, HistoryTable, place

if TYPE_CHECKING:
    from qualtui.core.history import HistoryStore, LoadReport, Peek, Snapshot

log = logging.getLogger(__name__)


def describe(entry: HistoryEntry) -> str:
    """An entry in a few words for a notice: worker (shortened), outcome, environment."""
    worker = entry.worker_id if len(entry.worker_id) <= 10 else entry.worker_id[:8] + "…"
    env = SHORT_ENV.get(entry.environment, entry.environment)
    return one_line(f"{worker} ({entry.outcome.replace('_', ' ')}, {env})", 60)


def switch_notice(before: tuple[str | None, str], now: Connection) -> str:
    """What filling from a history row switched, and the way back (Ctrl+Z)."""
    profile, environment = before
    now_parts, was_parts = [], []
    if now.profile != profile:
        now_parts.append(f"profile {now.profile or '(environment credentials)'}")
        was_parts.append(f"profile {profile or '(environment credentials)'}")
    if now.environment != environment:
        now_parts.append(environment_label(now.environment).split("  ")[0])
        was_parts.append(environment_label(environment).split("  ")[0])
    switched = " · ".join(now_parts)
    was = " · ".join(was_parts)
    return one_line(f"Switched to {switched} for this entry (was {was}) · Ctrl+Z back", 200)


class FilterInput(Input):
    """The filter box: Escape empties it, Down or Enter moves into the table."""

    BINDINGS = [
        Binding(
            "escape",
            "empty",
            "Clear filter",
            show=False,
            id="filter.clear",
            tooltip="Empty the filter (when empty: to the table)",
        ),
        Binding(
            "down",
            "to_table",
            "Table",
            show=False,
            id="filter.table",
            tooltip="Into the table (Enter too)",
        ),
    ]

    def action_empty(self) -> None:
        if self.value:
            self.value = ""
        else:
            self.action_to_table()

    def action_to_table(self) -> None:
        self.screen.query_one(HistoryTable).focus()


class HistoryPane(Vertical):
    """Loads, shows, filters, deletes, clears and exports the lookup history."""

    class Loaded(Message):
        """The history was loaded under its file lock (in a worker thread); `same`: it holds
        the entries of the first look (shown if the table's revision is still 0)."""

        def __init__(self, report: LoadReport, same: bool = False) -> None:
            super().__init__()
            self.report = report
            self.same = same

    def __init__(self, services: Services, peeking: Future[Peek | None]) -> None:
        """`peeking`: the history's first look (`HistoryStore.peek`), started before the pane
        by the main screen in a thread (the store's module is imported there, not on the UI
        thread). Shown when the pane mounts if it is there by then; the load under the file
        lock (`load`) follows once the start is over."""
        super().__init__(id="history-pane")
        self._services = services
        self._peeking: Future[Peek | None] | None = peeking  # None once the load took it
        self.loaded = False
        """The load under the file lock is shown (its notice given)."""
        self.border_title = "History"

    @property
    def store(self) -> HistoryStore:
        return self._services.store

    @property
    def clock(self) -> Callable[[], datetime]:
        return self._services.clock

    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder="Filter: worker, type, status, environment  ( / )", id="history-filter"
        )
        yield HistoryTable()

    def on_mount(self) -> None:
        """The first look, if it is there: the rows come in the frame that shows the pane."""
        peeking = self._peeking
        if peeking is None or not peeking.done() or peeking.exception() is not None:
            return  # shown once loaded (a fault in the first look is logged then)
        peeked = peeking.result()
        if peeked is not None and peeked.snapshot is not None:
            self._show(peeked.snapshot)

    @property
    def table(self) -> HistoryTable:
        return self.query_one(HistoryTable)

    @property
    def filter_input(self) -> FilterInput:
        return self.query_one(FilterInput)

    # ------------------------------------------------------------------ file work

    @work(thread=True, group="history", exit_on_error=False)
    def load(self) -> None:
        """Load the history under its file lock, in a thread (the main screen asks once its
        start is over: the lock's module is imported then, not before the complete frame)."""
        peeking, self._peeking = self._peeking, None
        try:
            peeked = peeking.result() if peeking is not None else None
        except Exception:  # a fault in the first look: the load reads the files itself
            log.exception("the history's first look failed")
            peeked = None
        report = self.store.load(peeked)
        first = peeked.snapshot if peeked is not None else None
        same = first is not None and list(first.entries) == list(report.snapshot.entries)
        self.post_message(self.Loaded(report, same))

    def learn_type_name(self, connection: Connection, type_id: str, name: str) -> None:
        """The name of a type looked up over `connection` (shown for its place only)."""
        where = place(connection.environment, connection.shown_endpoint)
        self.table.learn_type_name(where, type_id, name)

    # ------------------------------------------------------------------ results of file work

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        report = message.report
        if message.same and self.table.revision == 0:  # the first look is shown, still
            self.table.renumber(report.snapshot)  # nothing to redraw
            self._update_counts()
        else:
            self._show(report.snapshot)
        self.loaded = True
        if report.notice:
            self.notify(
                report.notice, title="History", severity="warning", timeout=12, markup=False
            )

    def show_change(self, snapshot: Snapshot, warning: str | None = None) -> None:
        """Show the history after a write (the App writes it: `owner(app).record`)."""
        if not self.query(HistoryTable):
            return  # the app is closing: the table is already gone
        self._show(snapshot)
        if warning:
            self.notify(warning, title="History", severity="warning", timeout=8, markup=False)

    def _show(self, snapshot: Snapshot) -> None:
        self.table.show(snapshot)
        self._update_counts()

    def _update_counts(self) -> None:
        table = self.table
        if not self.store.enabled:
            self.border_subtitle = "off (--history-limit 0)"
        elif not table.total:
            self.border_subtitle = "no lookups yet"
        elif table.filter_query.strip():
            self.border_subtitle = f"{len(table.matching)} of {table.total} match"
        else:
            self.border_subtitle = counted(table.total, "lookup")
        if not self.store.saving and self.store.enabled:
            self.border_subtitle += " · not saved"

    # ------------------------------------------------------------------ user requests

    @on(Input.Changed, "#history-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self.table.set_query(event.value)
        self._update_counts()

    @on(HistoryTable.FilterApplied)
    def _filter_applied(self, event: HistoryTable.FilterApplied) -> None:
        event.stop()
        self._update_counts()

    @on(Input.Submitted, "#history-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    @on(HistoryTable.FilterRequested)
    def _focus_filter(self) -> None:
        self.filter_input.focus()

    @on(HistoryTable.DeleteRequested)
    def _delete(self, event: HistoryTable.DeleteRequested) -> None:
        entry_id = event.entry.id
        owner(self.app).change_history(lambda: self.store.delete(entry_id))
        self.notify(
            f"Deleted {describe(event.entry)} · Ctrl+Z undo",
            title="History",
            timeout=8,
            markup=False,
        )

    @on(HistoryTable.RestoreRequested)
    def _restore(self, event: HistoryTable.RestoreRequested) -> None:
        entry, before_id = event.entry, event.before_id
        owner(self.app).change_history(lambda: self.store.restore(entry, before_id))
        self.notify(f"Restored {describe(entry)}", title="History", timeout=4, markup=False)

    @on(HistoryTable.ClearRequested)
    def _clear(self) -> None:
        from qualtui.dialogs.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                owner(self.app).change_history(self.store.clear)

        total = self.table.total
        question = (
            f"Delete {'the' if total == 1 else 'all'} {counted(total, 'lookup')} "
            "from the history?\n"
            f"{self.store.path}\nThis cannot be undone."
        )
        self.app.push_screen(ConfirmScreen(question, "Clear all"), answered)

    @on(HistoryTable.ExportRequested)
    def _ask_export(self) -> None:
        from qualtui.dialogs.export import ask_and_export

        ask_and_export(
            self,
            list(self.table.matching),
            filtered=bool(self.table.filter_query.strip()),
            now=self.clock().astimezone(),
            noun="lookups",
        )
