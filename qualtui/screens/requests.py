"""Qualification requests (F12, or "Qualification requests" in the palette): the pending
requests of one type (the one in the ID field) or of all your types, every page, each
with the worker's current score for that type. Space marks rows; `a` accepts (with a
value) and `x` rejects (with a reason) the marked ones, or the row under the cursor, after
a confirmation; each answer is verified and recorded like any change."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from qualtui.core.changes.change import Change, State
from qualtui.core.changes.confirmation import Confirmation, request_lines, type_label
from qualtui.core.changes.record import record
from qualtui.core.changes.requests import PendingRequest, RequestList, answer_many, list_requests
from qualtui.core.changes.score_text import parse_score
from qualtui.core.connection import Connection, environment_label
from qualtui.core.generation import Generation
from qualtui.core.history import Snapshot
from qualtui.core.services import Services, owner
from qualtui.core.text import one_line, printable
from qualtui.dialogs.change_input import ChangeInputScreen
from qualtui.dialogs.confirm_change import ConfirmChangeScreen, Confirmed
from qualtui.screens.view_css import table_view_css

REQUEST_COLUMNS = ("", "Worker", "Type", "Current", "Submitted", "Answer", "Request ID")


def _cell(text: str, style: str = "") -> Text:
    return Text(one_line(printable(text), 60), style=style, no_wrap=True)


def _answer_text(raw: str) -> str:
    """The free text of a QuestionFormAnswers document, else the raw text (one line)."""
    import re

    found = re.findall(r"<FreeText>(.*?)</FreeText>", raw, flags=re.S)
    return " · ".join(found) if found else raw


def request_cells(request: PendingRequest, marked: bool, names: dict[str, str]) -> list[Text]:
    current = request.current
    now = current.text() if isinstance(current, State) else ("?" if current else "")
    submitted = f"{request.submit_time:%Y-%m-%d %H:%M}" if request.submit_time else ""
    type_id = request.qualification_type_id
    return [
        _cell("✔" if marked else " ", "bold"),
        _cell(request.worker_id),
        _cell(names.get(type_id, type_id)),
        _cell(now),
        _cell(submitted),
        _cell(_answer_text(request.answer)),
        _cell(request.request_id),
    ]


class RequestsScreen(Screen[None]):
    DEFAULT_CSS = table_view_css("requests", "requests-status")

    @dataclass
    class Loaded(Message):
        generation: int
        requests: RequestList
        names: dict[str, str]

    @dataclass
    class Answered(Message):
        generation: int
        changes: list[Change]

    AUTO_FOCUS = "#requests-table"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="requests.back", tooltip="Back"),
        Binding("space", "mark", "Mark", id="requests.mark", tooltip="Mark or unmark the row"),
        Binding(
            "a",
            "accept",
            "Accept…",
            id="requests.accept",
            tooltip="Accept the marked requests (or the row), with a value",
        ),
        Binding(
            "x",
            "reject",
            "Reject…",
            id="requests.reject",
            tooltip="Reject the marked requests (or the row), with a reason",
        ),
        Binding("r", "reload", "Reload", id="requests.reload", tooltip="Read the requests again"),
    ]

    def __init__(self, services: Services, connection: Connection, type_id: str | None) -> None:
        super().__init__(id="requests-screen")
        self.services = services
        self.connection = connection
        self.type_id = type_id
        self.requests: list[PendingRequest] = []
        self.marked: set[str] = set()
        self.names: dict[str, str] = {}
        self.fetching = False  # not `loading`: Widget's reactive would cover the view
        self.answering = False
        self._loads = Generation()

    def compose(self) -> ComposeResult:
        which = self.type_id or "all your types"
        where = environment_label(self.connection.environment)
        with Vertical(id="requests"):
            yield Static(
                Content(f"Qualification requests  ·  {which}  ·  {where}"), id="requests-title"
            )
            yield Static("", id="requests-status", markup=False)
            table = DataTable[Text](id="requests-table", cursor_type="row", zebra_stripes=True)
            table.border_title = "Pending requests"
            yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*REQUEST_COLUMNS)
        self.action_reload()

    def _say(self, text: str) -> None:
        self.query_one("#requests-status", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "reject"):
            return not self.services.config.read_only and bool(self.requests) and not self.answering
        return True

    # ------------------------------------------------------------------ loading

    def action_reload(self) -> None:
        self.fetching = True
        self._say("Reading the pending requests (every page) and each worker's score…")
        self._load(self._loads.next())

    @work(thread=True, exclusive=True, group="requests", exit_on_error=False)
    def _load(self, generation: int) -> None:
        services = self.services
        found = list_requests(services.clients, self.connection, self.type_id)
        names: dict[str, str] = {}
        for type_id in sorted({r.qualification_type_id for r in found.requests}):
            label = type_label(services.clients, services.types, self.connection, type_id)
            names[type_id] = label
        self.post_message(self.Loaded(generation, found, names))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if not self._loads.accept(message.generation):
            return
        self.fetching = False
        found = message.requests
        if found.failure is not None:
            failure = found.failure
            self._say(f"{failure.title}: {failure.explanation} {failure.fix}")
            return
        self.requests = list(found.requests)
        self.names = message.names
        ids = {r.request_id for r in self.requests}
        self.marked &= ids
        self._show()
        more = " (the first pages only)" if found.truncated else ""
        self._say(f"{len(self.requests)} pending{more}  ·  space marks  ·  a accepts  ·  x rejects")
        self.refresh_bindings()

    def _show(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        table.add_rows(
            request_cells(r, r.request_id in self.marked, self.names) for r in self.requests
        )
        if self.requests:
            table.move_cursor(row=min(max(row, 0), len(self.requests) - 1), animate=False)

    def action_mark(self) -> None:
        row = self.query_one(DataTable).cursor_row
        if 0 <= row < len(self.requests):
            request_id = self.requests[row].request_id
            self.marked ^= {request_id}
            mark = _cell("✔" if request_id in self.marked else " ", "bold")
            self.query_one(DataTable).update_cell_at(Coordinate(row, 0), mark)

    def chosen(self) -> list[PendingRequest]:
        """The marked requests, else the one under the cursor."""
        marked = [r for r in self.requests if r.request_id in self.marked]
        if marked:
            return marked
        row = self.query_one(DataTable).cursor_row
        return [self.requests[row]] if 0 <= row < len(self.requests) else []

    # ------------------------------------------------------------------ answering

    def action_accept(self) -> None:
        self._ask(accept=True)

    def action_reject(self) -> None:
        self._ask(accept=False)

    def _ask(self, *, accept: bool) -> None:
        chosen = self.chosen()
        if not chosen or not self.check_action("accept", ()):
            return

        def check(text: str) -> str | None:
            if not accept or not text.strip():
                return None
            parsed = parse_score(text)
            if isinstance(parsed, str):
                return parsed
            return "A score, not +N or -N." if parsed[0] == "delta" else None

        def typed(text: str | None) -> None:
            if text is None:
                return
            value = None
            reason = None
            if accept and text.strip():
                parsed = parse_score(text)
                value = parsed[1] if isinstance(parsed, tuple) else None
            elif not accept:
                reason = text.strip() or None
            self._confirm(chosen, accept=accept, value=value, reason=reason)

        n = len(chosen)
        what = f"{n} requests" if n > 1 else f"the request of {chosen[0].worker_id}"
        if accept:
            dialog = ChangeInputScreen(
                f"Accept {what}",
                "The score to grant (empty: the type's default). Enter: next; Esc: cancel.",
                placeholder="score (optional)",
                check=check,
            )
        else:
            dialog = ChangeInputScreen(
                f"Reject {what}",
                "The reason, shown to the worker (empty: none). Enter: next; Esc: cancel.",
                placeholder="reason (optional)",
            )
        self.app.push_screen(dialog, typed)

    def _confirm(
        self,
        chosen: list[PendingRequest],
        *,
        accept: bool,
        value: int | None,
        reason: str | None,
    ) -> None:
        type_ids = sorted({r.qualification_type_id for r in chosen})
        label = ", ".join(self.names.get(t, t) for t in type_ids)
        verb = "Accept" if accept else "Reject"
        confirmation = Confirmation(
            question=f"{verb} {len(chosen)} request{'s' if len(chosen) > 1 else ''}?",
            connection=self.connection,
            lines=tuple(request_lines(chosen, label, accept=accept, value=value, reason=reason)),
        )

        def answered(answer: Confirmed | None) -> None:
            if answer is None:
                return
            self.answering = True
            self.refresh_bindings()
            self._say(f"{verb}ing {len(chosen)}…")
            self._answer(self._loads.next(), chosen, accept, value, reason)

        self.app.push_screen(ConfirmChangeScreen(confirmation, verb), answered)

    @work(thread=True, group="requests-answer", exit_on_error=False)
    def _answer(
        self,
        generation: int,
        chosen: list[PendingRequest],
        accept: bool,
        value: int | None,
        reason: str | None,
    ) -> None:
        changes = answer_many(
            self.services.clients,
            self.connection,
            chosen,
            accept=accept,
            value=value,
            reason=reason,
            concurrency=self.services.settings.concurrency or 10,
        )
        self.post_message(self.Answered(generation, changes))

    @on(Answered)
    def _answered(self, message: Answered) -> None:
        # Never dropped: what was sent is recorded and shown.
        self.answering = False
        changes = message.changes
        store = self.services.store
        if store.enabled and changes:

            def record_all() -> Snapshot:
                snapshot = store.snapshot()
                for change in changes:
                    snapshot = record(store, change)  # a HistoryError is the App's to show
                return snapshot

            owner(self.app).change_history(record_all)
        done = sum(1 for c in changes if c.succeeded)
        failed = [c for c in changes if not c.succeeded]
        text = f"{done} of {len(changes)} answered and verified"
        if failed:
            text += "; " + "; ".join(
                f"{c.worker_id}: {one_line(c.outcome_text())}" for c in failed[:3]
            )
        self.notify(text, severity="error" if failed else "information", markup=False)
        self.marked -= {c.details.request_id for c in changes if c.succeeded}
        self.action_reload()
