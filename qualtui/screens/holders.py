"""F8: the workers holding a qualification type, a page (100) at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Select, Static

from qualtui.core.connection import Connection, environment_label
from qualtui.core.generation import Generation
from qualtui.core.holders import HoldersPage, holders_page
from qualtui.core.models import Qualification
from qualtui.core.result_format import qualification_cells
from qualtui.core.services import Services
from qualtui.widgets.change_runner import (
    ROW_CHANGE_ACTIONS,
    ROW_CHANGE_BINDINGS,
    ChangeRunner,
    WriteKind,
)
from qualtui.widgets.results_table import ResultsTable

STATUSES = ("Granted", "Revoked")
HOLDER_COLUMNS = ("Worker", "Status", "Score", "Locale", "Granted")
_NEAR_END = 10


def holder_row(q: Qualification) -> tuple[str, str, str, str, str]:
    values = qualification_cells(q)
    return (q.worker_id, q.status, values.score, values.locale, values.granted)


class HoldersScreen(Screen[str | None]):
    """Enter on a worker returns to the lookup with that worker."""

    @dataclass
    class PageLoaded(Message):
        """A page of holders arrived (from a worker thread)."""

        generation: int
        page: HoldersPage

    AUTO_FOCUS = "#holders-table"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="holders.back", tooltip="Back to the lookup"),
        Binding(
            "m",
            "more",
            "Load more",
            id="holders.more",
            tooltip="Load the next page (moving down the list does too)",
        ),
        Binding("q", "dismiss(None)", "Back", show=False, id="holders.q", tooltip="Same as Esc"),
        Binding(
            "f10",
            "worker_profile",
            "Worker",
            id="holders.worker_profile",
            tooltip="Worker profile of the row's worker",
        ),
        *ROW_CHANGE_BINDINGS,
    ]

    def __init__(self, services: Services, connection: Connection, type_id: str) -> None:
        super().__init__(id="holders-screen")
        self.services = services
        self.clients = services.clients
        self.connection = connection
        self.type_id = type_id
        self.next_token: str | None = None
        # Not `loading`: that is Widget's reactive, and setting it on the screen covered the
        # whole view with a spinner, hiding the list, whose focus then went to the Status
        # select (the F8 focus bug of #14).
        self.fetching = False
        self.pages = 0
        self._listings = Generation()  # a new one per status chosen
        self._rows: list[str] = []
        self._qualifications: list[Qualification] = []
        self._listing: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="holders"):
            with Horizontal(id="holders-head"):
                yield Static(
                    f"Workers holding {self.type_id}  ·  "
                    f"{environment_label(self.connection.environment)}",
                    markup=False,
                    id="holders-title",
                )
                select = Select[str](
                    [(s, s) for s in STATUSES],
                    value="Granted",
                    allow_blank=False,
                    id="holders-status",
                )
                select.border_title = "Status"
                yield select
            table = ResultsTable(HOLDER_COLUMNS, id="holders-table")
            table.border_title = "Workers"
            yield table
        yield ChangeRunner(self.services)
        yield Footer()

    def on_mount(self) -> None:
        self._start()

    @property
    def status(self) -> str:
        value = self.query_one("#holders-status", Select).value
        return value if isinstance(value, str) else "Granted"

    @on(Select.Changed, "#holders-status")
    def _status_changed(self) -> None:
        if self.status != self._listing:  # Select also reports its first value
            self._start()

    def _start(self) -> None:
        self._listing = self.status
        self._listings.next()
        self.next_token = None
        self.pages = 0
        self._rows = []
        self._qualifications = []
        self.query_one(ResultsTable).show_rows([])
        self._fetch(self._listings.current, self.status, None)

    def action_more(self) -> None:
        if self.next_token and not self.fetching:
            self._fetch(self._listings.current, self.status, self.next_token)

    def _fetch(self, generation: int, status: str, token: str | None) -> None:
        self.fetching = True
        self._update_subtitle()
        self._load(generation, status, token)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self, generation: int, status: str, token: str | None) -> None:
        page = holders_page(self.clients, self.connection, self.type_id, status, token)
        self.post_message(self.PageLoaded(generation, page))

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        if not self._listings.accept(message.generation):
            return  # the status changed meanwhile
        self.fetching = False
        page = message.page
        table = self.query_one(ResultsTable)
        if page.failure is not None:
            self.notify(
                f"{page.failure.title}: {page.failure.fix}",
                severity="error",
                timeout=8,
                markup=False,
            )
            self._update_subtitle()
            return
        self.pages += 1
        self.next_token = page.next_token
        table.add_result_rows(holder_row(q) for q in page.qualifications)
        for q in page.qualifications:
            self._rows.append(q.worker_id)
            self._qualifications.append(q)
        self._update_subtitle()

    def _update_subtitle(self) -> None:
        table = self.query_one(ResultsTable)
        count = len(self._rows)
        if self.fetching:
            state = "loading…"
        elif self.next_token:
            state = "more: scroll down or press m"
        else:
            state = "all loaded"
        table.border_subtitle = f"{count} workers · {state}"

    @on(DataTable.RowHighlighted, "#holders-table")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self._rows) - _NEAR_END:
            self.action_more()

    @on(DataTable.RowSelected, "#holders-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self._rows):
            self.dismiss(self._rows[event.cursor_row])

    def action_worker_profile(self) -> None:
        from qualtui.screens.worker_profile import open_worker_profile

        row = self.query_one(ResultsTable).cursor_row
        if 0 <= row < len(self._rows):
            open_worker_profile(self.app, self.services, self.connection, self._rows[row])

    # ------------------------------------------------------------------ changes

    @property
    def writes_allowed(self) -> bool:
        return not self.services.config.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ROW_CHANGE_ACTIONS:  # static: the footer must not depend on timing
            return self.writes_allowed
        return True

    def _change_row(self, kind: WriteKind) -> None:
        row = self.query_one(ResultsTable).cursor_row
        if self.writes_allowed and 0 <= row < len(self._rows):
            self.query_one(ChangeRunner).start(kind, self.connection, self.type_id, self._rows[row])

    def action_set_score(self) -> None:
        self._change_row("set")

    def action_grant(self) -> None:
        self._change_row("grant")

    def action_revoke(self) -> None:
        self._change_row("revoke")

    def action_bulk(self) -> None:
        """Change every worker listed so far."""
        from qualtui.screens.plan_diff import ask_bulk

        ask_bulk(self, self.services, self.connection, self.type_id, self._rows, "holders")

    @on(ChangeRunner.Finished)
    def _changed(self, message: ChangeRunner.Finished) -> None:
        """The row shows the state read back after the change."""
        change, checked = message.change, message.change.checked
        if checked is None or checked.status == "NotHeld" or change.worker_id not in self._rows:
            return
        i = self._rows.index(change.worker_id)
        old = self._qualifications[i]
        self._qualifications[i] = replace(old, status=checked.status, integer_value=checked.value)
        table = self.query_one(ResultsTable)
        row = table.cursor_row
        table.show_rows(holder_row(q) for q in self._qualifications)
        table.move_cursor(row=row, animate=False)
