"""F8: the workers holding a qualification type, a page (100) at a time: its name in the
title, Granted, Revoked or All of them, a count, a filter (/), a sort (o / a header) and an
export (Ctrl+E) of the rows shown."""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Select, Static

from qualtui.core.connection import Connection, environment_label
from qualtui.core.generation import Generation
from qualtui.core.history import HistoryEntry
from qualtui.core.holders import HoldersPage, holders_page
from qualtui.core.models import LookupRequest, LookupResult, Qualification
from qualtui.core.paging import PageTokens
from qualtui.core.qualification_types import QualificationType
from qualtui.core.result_format import qualification_cells
from qualtui.core.services import Services
from qualtui.core.text import one_line
from qualtui.core.word_filter import row_matches
from qualtui.dialogs.export import ask_and_export
from qualtui.widgets.change_runner import (
    ROW_CHANGE_ACTIONS,
    ROW_CHANGE_BINDINGS,
    ChangeKeys,
    ChangeRunner,
    WriteKind,
)
from qualtui.widgets.results_table import ResultsTable, column_sort_key

ALL = "All"
STATUSES = ("Granted", "Revoked", ALL)
HOLDER_COLUMNS = ("Worker", "Status", "Score", "Locale", "Granted")
_NEAR_END = 10


def holder_row(q: Qualification) -> tuple[str, str, str, str, str]:
    values = qualification_cells(q)
    return (q.worker_id, q.status, values.score, values.locale, values.granted)


class HoldersScreen(ChangeKeys, Screen[str | None]):
    """Enter on a worker returns to the lookup with that worker."""

    DEFAULT_CSS = """
    $frame: $foreground 25%;  /* as in qualtui.tcss: a variable is the stylesheet's own */
    #holders {
        padding: 0 1;
    }
    #holders-head {
        height: 3;
    }
    #holders-heading {
        width: 1fr;
        height: 3;
        padding: 1 1 0 1;
    }
    #holders-title {
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        text-style: bold;
    }
    #holders-where {
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        color: $text-muted;
    }
    #holders-filter {
        display: none;
        border: none;
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    #holders-status {
        width: 15;
        border: round $frame;
        border-title-color: $text-muted;
    }
    #holders-status > SelectCurrent {
        border: none;
        height: 1;
        padding: 0 1;
    }
    #holders-table {
        height: 1fr;
        border: round $frame;
        border-title-color: $text-accent;
        border-subtitle-color: $text-muted;
    }
    #holders-table:focus {
        border: round $border;
    }
    """

    @dataclass
    class PageLoaded(Message):
        """A page of holders arrived (from a worker thread)."""

        generation: int
        page: HoldersPage

    @dataclass
    class TypeNamed(Message):
        """The type's details arrived (from a worker thread), for its name in the title."""

        details: QualificationType

    AUTO_FOCUS = "#holders-table"
    BINDINGS = [
        Binding(
            "escape",
            "back",
            "Back",
            id="holders.back",
            tooltip="Back to the lookup (in the filter: clear it)",
        ),
        Binding(
            "m",
            "more",
            "More",  # short: at 120 columns the footer keeps every key, F1 Help last
            id="holders.more",
            tooltip="Load the next page (moving down the list does too)",
        ),
        Binding("q", "dismiss(None)", "Back", show=False, id="holders.q", tooltip="Same as Esc"),
        Binding(
            "slash", "filter", "Filter", id="holders.filter", tooltip="Filter the rows (words)"
        ),
        Binding(
            "ctrl+e",
            "export",
            "Export",
            id="holders.export",
            tooltip="Export the rows shown (CSV or JSON)",
        ),
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
        self._tokens = PageTokens()
        # Not `loading`: that is Widget's reactive, and setting it on the screen covered the
        # whole view with a spinner, hiding the list, whose focus then went to the Status
        # select (the F8 focus bug of #14).
        self.fetching = False
        self.pages = 0
        self._listings = Generation()  # a new one per status chosen
        self._qualifications: list[Qualification] = []  # every one loaded, as listed
        self._shown: list[Qualification] = []  # the table's rows: filtered, sorted
        self._filter = ""
        self._placed: str | None = None  # the worker the cursor was put back on
        self.listed_status: str | None = None
        known = services.types.cached(connection, type_id)
        self.type_name: str | None = known.name if known else None

    def compose(self) -> ComposeResult:
        with Vertical(id="holders"):
            with Horizontal(id="holders-head"):
                with Vertical(id="holders-heading"):
                    yield Static(self.title_text(), markup=False, id="holders-title")
                    yield Static(self.where_text(), markup=False, id="holders-where")
                select = Select[str](
                    [(s, s) for s in STATUSES],
                    value="Granted",
                    allow_blank=False,
                    id="holders-status",
                )
                select.border_title = "Status"
                yield select
            yield Input(placeholder="Filter: worker, status, score, locale", id="holders-filter")
            table = ResultsTable(HOLDER_COLUMNS, id="holders-table", own_order=True)
            table.border_title = "Workers"
            yield table
        yield ChangeRunner(self.services)
        yield Footer()

    def title_text(self) -> str:
        """The type's name (outside text: literal, one line), or its ID until it is known."""
        name = one_line(self.type_name, 120) if self.type_name else self.type_id
        return f"Workers holding {name}"

    def where_text(self) -> str:
        where = f"{self.type_id}  ·  {environment_label(self.connection.environment)}"
        if self.connection.profile:
            where += f"  ·  profile {one_line(self.connection.profile, 60)}"
        return where

    def on_mount(self) -> None:
        if self.type_name is None:
            self._name_type()
        self._start()

    @work(thread=True, group="holders-type", exit_on_error=False)
    def _name_type(self) -> None:
        details = self.services.types.details(self.clients, self.connection, self.type_id)
        if isinstance(details, QualificationType):
            self.post_message(self.TypeNamed(details))

    @on(TypeNamed)
    def _type_named(self, message: TypeNamed) -> None:
        self.type_name = message.details.name
        self.query_one("#holders-title", Static).update(self.title_text())

    @property
    def status(self) -> str:
        value = self.query_one("#holders-status", Select).value
        return value if isinstance(value, str) else "Granted"

    @property
    def table(self) -> ResultsTable:
        return self.query_one("#holders-table", ResultsTable)

    @property
    def shown(self) -> list[Qualification]:
        """The rows the table shows, in its order (filtered and sorted)."""
        return list(self._shown)

    @property
    def loaded(self) -> int:
        return len(self._qualifications)

    @on(Select.Changed, "#holders-status")
    def _status_changed(self) -> None:
        if self.status != self.listed_status:  # Select also reports its first value
            self._start()

    def _start(self) -> None:
        self.listed_status = self.status
        self._listings.next()
        self._tokens = PageTokens()  # one per listing: a token given before ends it
        self.next_token = None
        self.pages = 0
        self._qualifications = []
        self._show()
        self.refresh_bindings()
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
        wanted = None if status == ALL else status
        page = holders_page(
            self.clients, self.connection, self.type_id, wanted, token, tokens=self._tokens
        )
        self.post_message(self.PageLoaded(generation, page))

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        if not self._listings.accept(message.generation):
            return  # the status changed meanwhile
        self.fetching = False
        page = message.page
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
        self._qualifications.extend(page.qualifications)
        self._show()
        self.refresh_bindings()  # "m More" leaves the footer once all is loaded

    def _update_subtitle(self) -> None:
        count = self.loaded
        shown = len(self._shown)
        if self.fetching:
            state = "loading…"
        elif self.next_token:
            state = "more: m" if self._filter.strip() else "more: m or scroll down"
        else:
            state = "all loaded"
        what = f"{shown} of {count} shown" if self._filter.strip() else self._count_text()
        self.table.border_subtitle = f"{what} · {state}"

    def _count_text(self) -> str:
        """'243 workers', and with All how many of each status."""
        count = self.loaded
        text = f"{count} worker{'' if count == 1 else 's'}"
        if self.listed_status == ALL and count:
            each: dict[str, int] = {}
            for q in self._qualifications:
                each[q.status] = each.get(q.status, 0) + 1
            text += " (" + ", ".join(f"{n} {status}" for status, n in sorted(each.items())) + ")"
        return text

    # ------------------------------------------------------------------ what is shown

    def _show(self) -> None:
        """The loaded rows the filter keeps, in the sorted column's order (or as listed);
        the cursor stays on its worker."""
        table = self.table
        cursor = table.cursor_row
        current = self._shown[cursor].worker_id if 0 <= cursor < len(self._shown) else None
        pairs = [(q, holder_row(q)) for q in self._qualifications]
        pairs = [(q, values) for q, values in pairs if row_matches(values, self._filter)]
        column, reverse = table.sorted_by
        if column is not None:
            key = column_sort_key(column)
            pairs.sort(key=lambda pair: key(pair[1]), reverse=reverse)
        elif reverse:
            pairs.reverse()
        self._shown = [q for q, _ in pairs]
        table.show_rows(values for _, values in pairs)
        workers = [q.worker_id for q in self._shown]
        if current in workers:
            table.move_cursor(row=workers.index(current), animate=False)
        elif table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1), animate=False)
        self._placed = self._cursor_worker()
        self._update_subtitle()

    @on(ResultsTable.SortChanged, "#holders-table")
    def _sorted(self) -> None:
        self._show()

    @on(Input.Changed, "#holders-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter = event.value
        self._show()

    @on(Input.Submitted, "#holders-filter")
    def _filter_done(self) -> None:
        self._close_filter_if_empty()
        self.table.focus()

    def action_filter(self) -> None:
        box = self.query_one("#holders-filter", Input)
        box.display = True
        box.focus()

    def _close_filter_if_empty(self) -> None:
        box = self.query_one("#holders-filter", Input)
        if not box.value.strip():
            box.display = False

    def action_back(self) -> None:
        """Esc: out of the filter (cleared), or back to the lookup."""
        box = self.query_one("#holders-filter", Input)
        if box.has_focus:
            box.value = ""
            self._close_filter_if_empty()
            self.table.focus()
        else:
            self.dismiss(None)

    def _cursor_worker(self) -> str | None:
        row = self.table.cursor_row
        return self._shown[row].worker_id if 0 <= row < len(self._shown) else None

    @on(DataTable.RowHighlighted, "#holders-table")
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        """Moving down near the end loads the next page. Not while filtering (a filter that
        matches few rows would page through every holder: m does it, one page at a time),
        and not for the cursor put back on its worker after the rows changed."""
        row = event.cursor_row
        if self._filter.strip() or not 0 <= row < len(self._shown):
            return
        if self._shown[row].worker_id != self._placed and row >= len(self._shown) - _NEAR_END:
            self.action_more()

    @on(DataTable.RowSelected, "#holders-table")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self._shown):
            self.dismiss(self._shown[event.cursor_row].worker_id)

    def action_worker_profile(self) -> None:
        from qualtui.screens.worker_profile import open_worker_profile

        worker = self._cursor_worker()
        if worker is not None:
            open_worker_profile(self.app, self.services, self.connection, worker)

    def action_export(self) -> None:
        shown = self.shown
        if not shown:
            self.notify("Nothing to export yet.", severity="warning")
            return
        now = self.services.clock()
        entries = [
            HistoryEntry.from_result(
                LookupResult(
                    LookupRequest(self.connection, self.type_id, q.worker_id),
                    now,
                    qualification=q,
                ),
                self.type_name,
            )
            for q in shown
        ]
        ask_and_export(
            self, entries, filtered=bool(self._filter.strip()), now=now.astimezone(), noun="workers"
        )

    # ------------------------------------------------------------------ changes

    @property
    def writes_allowed(self) -> bool:
        return not self.services.config.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ROW_CHANGE_ACTIONS:  # static: the footer must not depend on timing
            return self.writes_allowed
        if action == "more":  # shown while there is more (or the first page is on its way)
            return bool(self.next_token) or self.pages == 0
        return True

    def _change_row(self, kind: WriteKind) -> None:
        worker = self._cursor_worker()
        if self.writes_allowed and worker is not None:
            self.query_one(ChangeRunner).start(kind, self.connection, self.type_id, worker)

    def action_bulk(self) -> None:
        """Change every worker the table shows (the filter applies)."""
        from qualtui.screens.plan_diff import ask_bulk

        workers = [q.worker_id for q in self._shown]
        ask_bulk(self, self.services, self.connection, self.type_id, workers, "holders")

    @on(ChangeRunner.Finished)
    def _changed(self, message: ChangeRunner.Finished) -> None:
        """The row shows the state read back after the change."""
        change, checked = message.change, message.change.checked
        workers = [q.worker_id for q in self._qualifications]
        if checked is None or checked.status == "NotHeld" or change.worker_id not in workers:
            return
        i = workers.index(change.worker_id)
        old = self._qualifications[i]
        self._qualifications[i] = replace(old, status=checked.status, integer_value=checked.value)
        self._show()
