"""F10: one worker and every qualification type the account owns, in one table.

The owned types are listed (cached per connection; Ctrl+R lists them again) and each is
looked up for the worker with GetQualificationScore, a few at once
(`core.worker_profile.load_worker_profile`). Rows arrive as they are answered, held first;
Esc cancels (no call starts after it, late answers are dropped) and, when nothing runs,
goes back. Enter on a row shows that type's normal lookup on the main screen.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, ProgressBar, Static

from qualtui.core import ids, timefmt
from qualtui.core.connection import Connection, environment_label
from qualtui.core.generation import Generation
from qualtui.core.history import HistoryEntry, ProfileNote
from qualtui.core.qualification_types import TypeList
from qualtui.core.result_format import qualification_cells
from qualtui.core.services import Services, owner
from qualtui.core.text import printable
from qualtui.core.word_filter import row_matches
from qualtui.core.worker_profile import (
    ProfileRow,
    WorkerProfile,
    held_first,
    summarize,
)
from qualtui.dialogs.export import ask_and_export
from qualtui.screens.view_css import progress_row_css
from qualtui.widgets.change_runner import ChangeKeys, ChangeRunner, WriteKind, after_change
from qualtui.widgets.results_table import ResultsTable, column_sort_key

PROFILE_COLUMNS = ("Type", "Type ID", "Status", "Score", "Locale", "Granted")
OWN_ORDER = "held first"  # the order when no column is sorted


def status_text(row: ProfileRow) -> str:
    """Granted / Revoked / not held, or "error: <what went wrong> (<code>)"."""
    status = row.status
    failure = row.failure
    if status != "error" or failure is None:
        return status
    return f"error: {failure.title} ({failure.code or failure.kind})"


def row_values(row: ProfileRow, now: datetime | None = None) -> tuple[str, ...]:
    """One table row: the type's name and ID, the status, score, locale and when it was
    granted: the local date and how long ago when `now` is given (the whole local time
    without it), so that the six columns fit 120 columns; exports keep the exact time."""
    q = row.qualification
    values = qualification_cells(q)
    granted = values.granted
    if q is not None and q.grant_time is not None and now is not None:
        day = f"{q.grant_time.astimezone():%Y-%m-%d}"
        granted = f"{day} ({timefmt.ago(q.grant_time, now)})"
    return (row.type_name, row.type_id, status_text(row), values.score, values.locale, granted)


class WorkerProfileScreen(ChangeKeys, Screen[None]):
    """Results from threads come back as the messages below, each stamped with the load it
    belongs to: a cancel or a new load starts a new generation and drops the late ones."""

    DEFAULT_CSS = """
    $frame: $foreground 25%;  /* as in qualtui.tcss: a variable is the stylesheet's own */
    #profile {
        padding: 0;
    }
    #profile-title {
        text-style: bold;
        padding: 0 1;
    }
    #profile-counts {
        padding: 0 1;
        color: $text-accent;
    }
    #profile-filter {
        border: none;
        height: 1;
        padding: 0 1;
        margin-top: 1;
        background: $boost;
    }
    #profile-table {
        height: 1fr;
        border: round $frame;
        border-title-color: $text-accent;
        border-subtitle-color: $text-muted;
    }
    #profile-table:focus {
        border: round $border;
    }
    """ + progress_row_css("profile-progress-row", "profile-progress", "profile-state")

    @dataclass
    class TypesCounted(Message):
        """A page of the owned types was listed: `count` so far."""

        generation: int
        count: int

    @dataclass
    class TypesListed(Message):
        """Every owned type is known (or the listing failed)."""

        generation: int
        types: TypeList

    @dataclass
    class RowArrived(Message):
        generation: int
        row: ProfileRow

    @dataclass
    class Finished(Message):
        generation: int
        profile: WorkerProfile

    AUTO_FOCUS = "#profile-table"
    BINDINGS = [
        Binding(
            "escape",
            "cancel_or_back",
            "Cancel / back",
            id="profile.cancel",
            tooltip="Cancel while it loads; when done, back",
        ),
        Binding(
            "slash", "filter", "Filter", id="profile.filter", tooltip="Filter the rows (words)"
        ),
        Binding(
            "ctrl+e",
            "export",
            "Export",
            id="profile.export",
            tooltip="Export the rows the filter shows (CSV or JSON)",
        ),
        Binding(
            "ctrl+t",
            "refresh_types",
            "Refresh types",
            id="profile.refresh",
            tooltip="List your types again and look them up again",
        ),
        # The row's type, for this worker (the same keys as on a result).
        Binding(
            "ctrl+s",
            "set_score",
            "Set score",
            id="profile.set_score",
            tooltip="Set the score of the row's type (80, +5 or -5)",
        ),
        Binding(
            "ctrl+g",
            "grant",
            "Grant",
            show=False,
            id="profile.grant",
            tooltip="Grant the row's type to this worker",
        ),
        Binding(
            "ctrl+r",
            "revoke",
            "Revoke",
            show=False,
            id="profile.revoke",
            tooltip="Revoke the row's type from this worker",
        ),
    ]

    def __init__(self, services: Services, connection: Connection, worker_id: str) -> None:
        super().__init__(id="profile-screen")
        self.services = services
        self.clients = services.clients
        self.types = services.types
        self.clock = services.clock
        self.connection = connection
        self.worker_id = worker_id
        self.rows: list[ProfileRow] = []
        self.type_count: int | None = None  # None: the listing is still under way
        self.listed_so_far = 0
        # Not `loading`: that is Widget's reactive, and on a screen it covers the whole
        # view with a spinner (see the holders view).
        self.running = True  # from the start: it loads when mounted
        self.cancelled = False
        self.failure_text = ""
        self.elapsed = 0.0
        self._loads = Generation()
        self._cancel = threading.Event()
        self._started = 0.0
        self._filter = ""
        self._rebuild_pending = False
        self._shown: list[ProfileRow] = []

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        where = environment_label(self.connection.environment)
        if self.connection.profile:
            where += f" · profile {self.connection.profile}"
        with Vertical(id="profile"):
            yield Static(f"Worker {self.worker_id}  ·  {where}", id="profile-title", markup=False)
            yield Static("", id="profile-counts", markup=False)
            with Horizontal(id="profile-progress-row"):
                yield ProgressBar(id="profile-progress", show_eta=False)
                yield Static("", id="profile-state", markup=False)
            yield Input(
                placeholder="Filter: type, ID, status, score, locale  ( / )", id="profile-filter"
            )
            table = ResultsTable(PROFILE_COLUMNS, id="profile-table", own_order=True)
            table.border_title = "Your qualification types"
            yield table
        yield ChangeRunner(self.services)
        yield Footer()

    def on_mount(self) -> None:
        self.start()

    @property
    def table(self) -> ResultsTable:
        return self.query_one("#profile-table", ResultsTable)

    @property
    def shown_rows(self) -> list[ProfileRow]:
        """The rows the table shows, in its order (filtered and sorted)."""
        return list(self._shown)

    # ------------------------------------------------------------------ loading

    def start(self, *, refresh_types: bool = False) -> None:
        """(Re)load the profile; the previous load, if any, is cancelled and dropped."""
        self._cancel.set()
        generation = self._loads.next()
        self._cancel = threading.Event()
        self.rows = []
        self.type_count = None
        self.listed_so_far = 0
        self.running, self.cancelled = True, False
        self.failure_text = ""
        self._started = time.monotonic()
        self.query_one(ProgressBar).update(total=None, progress=0)
        self._rebuild()
        self._update_state()
        self._load(generation, refresh_types, self._cancel)

    @work(thread=True, exclusive=True, group="profile", exit_on_error=False)
    def _load(self, generation: int, refresh_types: bool, cancel: threading.Event) -> None:
        from qualtui.core.worker_profile import load_worker_profile

        def row_arrived(row: ProfileRow) -> None:
            self.post_message(self.RowArrived(generation, row))

        def types_listed(types: TypeList) -> None:
            self.post_message(self.TypesListed(generation, types))

        def types_counted(count: int) -> None:
            self.post_message(self.TypesCounted(generation, count))

        profile = load_worker_profile(
            self.clients,
            self.types,
            self.connection,
            self.worker_id,
            on_row=row_arrived,
            on_types=types_listed,
            on_types_page=types_counted,
            refresh_types=refresh_types,
            cancel=cancel,
            clock=self.clock,
        )
        self.post_message(self.Finished(generation, profile))

    @on(TypesCounted)
    def _types_counted(self, message: TypesCounted) -> None:
        if self._loads.accept(message.generation):
            self.listed_so_far = message.count
            self._update_state()

    @on(TypesListed)
    def _types_listed(self, message: TypesListed) -> None:
        if not self._loads.accept(message.generation):
            return
        types = message.types
        if types.failure is None and not types.cancelled:
            self.type_count = len({t.id for t in types.types})
            self.query_one(ProgressBar).update(total=self.type_count, progress=len(self.rows))
        self._update_state()

    @on(RowArrived)
    def _row_arrived(self, message: RowArrived) -> None:
        if not self._loads.accept(message.generation):
            return  # cancelled or reloaded meanwhile: dropped
        self.rows.append(message.row)
        if self.type_count is not None:
            self.query_one(ProgressBar).advance(1)
        if not self._rebuild_pending:  # a burst of rows: one table update
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        if not self._loads.accept(message.generation):
            return
        profile = message.profile
        self.running = False
        self.elapsed = time.monotonic() - self._started
        if profile.failure is not None:
            failure = profile.failure
            self.rows = []
            self.failure_text = f"{failure.title}: {failure.fix}"
            self.notify(
                f"{failure.title}: {failure.explanation} {failure.fix}",
                title="Could not list your qualification types",
                severity="error",
                timeout=10,
                markup=False,
            )
        else:
            self.rows = list(profile.rows)
            self.type_count = len({t.id for t in profile.types.types})
            self.query_one(ProgressBar).update(total=self.type_count, progress=len(self.rows))
            if profile.complete:
                summary = profile.summary
                note = ProfileNote(summary.types, summary.granted, summary.revoked)
                owner(self.app).record(
                    [HistoryEntry.for_profile(self.connection, self.worker_id, note, self.clock())]
                )
            else:
                self.cancelled = profile.cancelled
        self._rebuild()
        self._update_state()

    def action_cancel_or_back(self) -> None:
        if self.running:
            self._cancel.set()
            self._loads.next()  # whatever is still in flight is dropped
            self.running, self.cancelled = False, True
            self._update_state()
        else:
            self.dismiss(None)

    def action_refresh_types(self) -> None:
        self.start(refresh_types=True)

    # ------------------------------------------------------------------ what is shown

    def _update_state(self) -> None:
        total = self.type_count
        counts = summarize(self.rows, total if total is not None else len(self.rows))
        head = counts.text[0].upper() + counts.text[1:] if total is not None else ""
        self.query_one("#profile-counts", Static).update(head)
        done = len(self.rows)
        if self.failure_text:
            state = self.failure_text
        elif self.running and total is None:
            state = f"Listing your types… {self.listed_so_far} so far · {done} looked up"
            state += " · Esc cancels"
        elif self.running:
            state = f"Looking up {done} of {total} · Esc cancels"
        elif self.cancelled:
            state = f"Cancelled after {done} of {total if total is not None else '?'} types"
            state += " · Ctrl+R starts again"
        else:
            state = f"Done: {done} types in {self.elapsed:.1f} s"
        self.query_one("#profile-state", Static).update(state)
        column, reverse = self.table.sorted_by
        sort = OWN_ORDER if column is None else PROFILE_COLUMNS[column]
        sort += " (reversed)" if reverse else ""
        self.table.border_subtitle = f"{len(self._shown)} shown · sorted: {sort}"

    def _rebuild(self) -> None:
        self._rebuild_pending = False
        now = self.clock()
        pairs = [(row, row_values(row, now)) for row in self.rows]
        pairs = [(row, values) for row, values in pairs if row_matches(values, self._filter)]
        column, reverse = self.table.sorted_by
        if column is None:
            order = {id(row): i for i, row in enumerate(held_first(r for r, _ in pairs))}
            pairs.sort(key=lambda pair: order[id(pair[0])], reverse=reverse)
        else:
            key = column_sort_key(column)  # ties: by type name
            pairs.sort(key=lambda pair: key(pair[1]), reverse=reverse)
        self._shown = [row for row, _ in pairs]
        table = self.table
        cursor = table.cursor_row
        table.show_rows(values for _, values in pairs)
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1), animate=False)
        self._update_state()

    @on(Input.Changed, "#profile-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter = event.value
        self._rebuild()

    @on(Input.Submitted, "#profile-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_filter(self) -> None:
        self.query_one("#profile-filter", Input).focus()

    @on(ResultsTable.SortChanged, "#profile-table")
    def _sorted(self) -> None:
        self._rebuild()

    # ------------------------------------------------------------------ actions on rows

    @on(DataTable.RowSelected, "#profile-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self._shown):
            self.open_lookup(self._shown[event.cursor_row].type_id)

    def open_lookup(self, type_id: str) -> None:
        """Back to the main screen, showing this type's lookup for the worker."""
        from qualtui.screens.main import MainScreen

        self._cancel.set()
        self._loads.next()
        app = self.app
        while len(app.screen_stack) > 1 and not isinstance(app.screen, MainScreen):
            app.pop_screen()
        if isinstance(app.screen, MainScreen):
            app.screen.look_up(type_id, self.worker_id)

    def action_export(self) -> None:
        rows = self.shown_rows
        if not rows:
            self.notify("Nothing to export yet.", severity="warning")
            return
        ask_and_export(
            self,
            [HistoryEntry.from_result(row.result, row.type_name) for row in rows],
            filtered=bool(self._filter.strip()),
            now=self.clock().astimezone(),
            noun="types",
        )

    # ------------------------------------------------------------------ changes

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("set_score", "grant", "revoke"):
            return not self.services.config.read_only
        return True

    def _change_row(self, kind: WriteKind) -> None:
        row = self.table.cursor_row
        if 0 <= row < len(self._shown):
            chosen = self._shown[row]
            self.query_one(ChangeRunner).start(
                kind, self.connection, chosen.type_id, self.worker_id
            )

    @on(ChangeRunner.Finished)
    def _changed(self, message: ChangeRunner.Finished) -> None:
        """The row shows the state read back after the change."""
        change, checked = message.change, message.change.checked
        if checked is None or change.worker_id != self.worker_id:
            return
        for i, row in enumerate(self.rows):
            if row.type_id == change.qualification_type_id:
                self.rows[i] = replace(row, result=after_change(row.result, checked))
        self._rebuild()


def open_worker_profile(
    app: App[object], services: Services, connection: Connection, worker_id: str
) -> bool:
    """Show `worker_id`'s profile; a worker ID that is not one is refused with a note."""
    worker = ids.normalize(worker_id)
    problem = ids.problem(ids.WORKER_ID, worker)
    if problem is not None:
        shown = printable(worker_id)[:70] or "(empty)"
        app.notify(
            f"{problem} ({shown})", title="No worker profile", severity="warning", markup=False
        )
        return False
    app.push_screen(WorkerProfileScreen(services, connection, worker))
    return True
