"""One change, from any view: ask what is needed (a score, a reason), read the worker's
state now, confirm (qualtui/dialogs/confirm_change.py), send, verify, record. The undo of a
recorded change goes the same way. Invisible: a view mounts one and calls `start` or
`start_undo`; the outcome comes back to the view as `ChangeRunner.Finished`.

Every MTurk call runs in a thread worker; its answer is a message nested here, carrying
the generation it was asked in, and dropped when another change has started since.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from qualtui.core.changes.change import Change, ChangeFailure, ChangeKind, State
from qualtui.core.changes.confirmation import (
    Confirmation,
    change_lines,
    type_label,
    undo_lines,
)
from qualtui.core.changes.dry_run import DiffRow
from qualtui.core.changes.record import record
from qualtui.core.changes.score_text import parse_score
from qualtui.core.changes.undo import apply_undo, preview_undo
from qualtui.core.changes.writes import Intent, Preview, change_qualification, preview_change
from qualtui.core.connection import Connection
from qualtui.core.generation import Generation
from qualtui.core.models import LookupResult, Qualification
from qualtui.core.services import Services, owner
from qualtui.core.text import one_line
from qualtui.dialogs.change_input import ChangeInputScreen
from qualtui.dialogs.confirm_change import ConfirmChangeScreen, Confirmed

WriteKind = ChangeKind  # "set", "grant" or "revoke" here

ROW_CHANGE_ACTIONS = frozenset({"set_score", "grant", "revoke", "bulk"})
ROW_CHANGE_BINDINGS = [
    Binding("s", "set_score", "Set score", id="row.set_score", tooltip="Set the row's score"),
    Binding("a", "grant", "Grant", id="row.grant", tooltip="Grant (add) the row's qualification"),
    Binding("v", "revoke", "Revoke", id="row.revoke", tooltip="Revoke the row's qualification"),
    Binding(
        "b",
        "bulk",
        "Change all",
        id="row.bulk",
        tooltip="Set all, raise all by N, or revoke all (dry run first)",
    ),
]
"""The keys of a change on a table's row (holders, batch): each view's actions."""


def after_change(result: LookupResult, checked: State) -> LookupResult:
    """A lookup's result as it is after a change (the state read back)."""
    if checked.status == "NotHeld":
        return result
    old = result.qualification
    qualification = Qualification(
        qualification_type_id=result.request.qualification_type_id,
        worker_id=result.request.worker_id,
        status=checked.status,
        grant_time=old.grant_time if old is not None else None,
        integer_value=checked.value,
        locale=old.locale if old is not None else None,
    )
    return replace(result, qualification=qualification, failure=None)


VERBS = {"set": "Set score", "grant": "Grant", "revoke": "Revoke"}


def _score_problem(text: str) -> str | None:
    parsed = parse_score(text)
    return parsed if isinstance(parsed, str) else None


def _optional_score_problem(text: str) -> str | None:
    if not text.strip():
        return None
    parsed = parse_score(text)
    if isinstance(parsed, str):
        return parsed
    return "A grant takes a score, not +N or -N." if parsed[0] == "delta" else None


def intent_from_text(kind: WriteKind, type_id: str, worker_id: str, text: str) -> Intent:
    """The intent of what was typed in the input dialog (checked there already)."""
    if kind == "revoke":
        return Intent("revoke", type_id, worker_id, reason=text.strip() or None)
    if kind == "grant":
        parsed = parse_score(text) if text.strip() else None
        value = parsed[1] if isinstance(parsed, tuple) else None
        return Intent("grant", type_id, worker_id, value=value)
    parsed = parse_score(text)
    assert isinstance(parsed, tuple)
    how, number = parsed
    if how == "delta":
        return Intent("set", type_id, worker_id, delta=number)
    return Intent("set", type_id, worker_id, value=number)


class ChangeRunner(Widget):
    DEFAULT_CSS = "ChangeRunner { display: none; }"

    @dataclass
    class Previewed(Message, bubble=False):
        generation: int
        connection: Connection
        intent: Intent
        preview: Preview | ChangeFailure
        label: str

    @dataclass
    class UndoPreviewed(Message, bubble=False):
        generation: int
        change: Change
        connection: Connection
        preview: DiffRow
        label: str

    @dataclass
    class Applied(Message, bubble=False):
        generation: int
        change: Change | None

    @dataclass
    class Finished(Message):
        """A change was sent (and recorded): for the view to show its verified outcome."""

        change: Change

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self._changes = Generation()
        self.busy = False

    @property
    def allowed(self) -> bool:
        return not self.services.config.read_only

    # ------------------------------------------------------------------ one change

    def start(self, kind: WriteKind, connection: Connection, type_id: str, worker_id: str) -> None:
        """Ask for the score or reason, then preview, confirm and apply."""
        if not self.allowed:
            self.notify("Read-only mode: no changes.", severity="warning")
            return
        generation = self._changes.next()

        def typed(text: str | None) -> None:
            if text is None or generation != self._changes.current:
                return
            self._begin(generation, connection, intent_from_text(kind, type_id, worker_id, text))

        short = f"{worker_id} · {type_id}"
        if kind == "set":
            dialog = ChangeInputScreen(
                f"Set score: {short}",
                "A score (80), or +N / -N to raise or lower it. Enter: next; Esc: cancel.",
                placeholder="80, +5 or -5",
                check=_score_problem,
            )
        elif kind == "grant":
            dialog = ChangeInputScreen(
                f"Grant: {short}",
                "The score to grant (empty: the type's default). Enter: next; Esc: cancel.",
                placeholder="score (optional)",
                check=_optional_score_problem,
            )
        else:
            dialog = ChangeInputScreen(
                f"Revoke: {short}",
                "The reason, shown to the worker (empty: none). Enter: next; Esc: cancel.",
                placeholder="reason (optional)",
            )
        self.app.push_screen(dialog, typed)

    def start_intent(self, connection: Connection, intent: Intent) -> None:
        """Preview, confirm and apply an intent already complete (no question asked)."""
        if not self.allowed:
            return
        self._begin(self._changes.next(), connection, intent)

    def _begin(self, generation: int, connection: Connection, intent: Intent) -> None:
        self.busy = True
        self.notify("Reading the worker's current state…", timeout=2)
        self._preview(generation, connection, intent)

    @work(thread=True, group="change-preview", exit_on_error=False)
    def _preview(self, generation: int, connection: Connection, intent: Intent) -> None:
        services = self.services
        preview = preview_change(services.clients, connection, intent)
        label = type_label(
            services.clients, services.types, connection, intent.qualification_type_id
        )
        self.post_message(self.Previewed(generation, connection, intent, preview, label))

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        if not self._changes.accept(message.generation):
            return
        preview, intent = message.preview, message.intent
        if isinstance(preview, ChangeFailure):
            self.busy = False
            text = one_line(preview.title) + (
                f": {one_line(preview.message)}" if preview.message else ""
            )
            self.notify(f"Nothing was sent. {text}", severity="error", timeout=8, markup=False)
            return
        if intent.kind == "revoke" and not preview.before.held:
            self.busy = False
            self.notify(
                f"{intent.worker_id} does not hold it ({preview.before.text()}): "
                "nothing to revoke.",
                severity="warning",
                markup=False,
            )
            return
        if not preview.changes_anything:
            self.busy = False
            self.notify(f"Already {preview.before.text()}: nothing was sent.", markup=False)
            return
        confirmation = Confirmation(
            question=f"{VERBS[intent.kind]}?",
            connection=message.connection,
            lines=tuple(change_lines(intent, preview, message.label)),
            notify_choice=intent.kind != "revoke",
        )
        generation = message.generation

        def answered(answer: Confirmed | None) -> None:
            if answer is None or generation != self._changes.current:
                self.busy = False
                if answer is None:
                    self.notify("Cancelled: nothing was sent.", timeout=3)
                return
            chosen = replace(intent, notify=answer.notify) if intent.kind != "revoke" else intent
            where = message.connection
            name = self.services.types.cached(where, intent.qualification_type_id)
            self._apply(generation, where, chosen, preview.before, name.name if name else None)

        self.app.push_screen(ConfirmChangeScreen(confirmation, VERBS[intent.kind]), answered)

    @work(thread=True, group="change-apply", exit_on_error=False)
    def _apply(
        self,
        generation: int,
        connection: Connection,
        intent: Intent,
        before: State,
        type_name: str | None,
    ) -> None:
        change = change_qualification(
            self.services.clients, connection, intent, before=before, type_name=type_name
        )
        self.post_message(self.Applied(generation, change))

    @on(Applied)
    def _applied(self, message: Applied) -> None:
        # Never dropped: a change that was sent is recorded and shown, whatever came since.
        if message.generation == self._changes.current:
            self.busy = False
        change = message.change
        if change is None:
            return
        store = self.services.store
        if store.enabled:
            owner(self.app).change_history(lambda: record(store, change))
        self.notify(
            f"{change.kind} {change.worker_id}: {change.outcome_text()}",
            severity="information" if change.succeeded else "error",
            markup=False,
        )
        self.post_message(self.Finished(change))

    # ------------------------------------------------------------------ undo

    def start_undo(self, change: Change, connection: Connection) -> None:
        """Preview the undo of a recorded change against the state now, confirm, apply."""
        if not self.allowed:
            self.notify("Read-only mode: no changes.", severity="warning")
            return
        self.busy = True
        self._preview_undo(self._changes.next(), change, connection)

    @work(thread=True, group="change-preview", exit_on_error=False)
    def _preview_undo(self, generation: int, change: Change, connection: Connection) -> None:
        services = self.services
        preview = preview_undo(services.clients, connection, change)
        label = type_label(
            services.clients, services.types, connection, change.qualification_type_id
        )
        self.post_message(self.UndoPreviewed(generation, change, connection, preview, label))

    @on(UndoPreviewed)
    def _undo_previewed(self, message: UndoPreviewed) -> None:
        if not self._changes.accept(message.generation):
            return
        preview, change = message.preview, message.change
        if preview.kind == "invalid":
            self.busy = False
            self.notify(f"Cannot undo it: {preview.problem or ''}", severity="error", markup=False)
            return
        if preview.kind == "unchanged":
            self.busy = False
            self.notify("Already as before the change: nothing was sent.")
            return
        confirmation = Confirmation(
            question="Undo this change?",
            connection=message.connection,
            lines=tuple(undo_lines(change, preview, message.label)),
        )
        generation = message.generation

        def answered(answer: Confirmed | None) -> None:
            if answer is None or generation != self._changes.current:
                self.busy = False
                if answer is None:
                    self.notify("Cancelled: nothing was sent.", timeout=3)
                return
            self._apply_undo(
                generation, message.connection, preview, change.qualification_type_name
            )

        self.app.push_screen(ConfirmChangeScreen(confirmation, "Undo"), answered)

    @work(thread=True, group="change-apply", exit_on_error=False)
    def _apply_undo(
        self, generation: int, connection: Connection, preview: DiffRow, type_name: str | None
    ) -> None:
        undone = apply_undo(self.services.clients, connection, preview, type_name=type_name)
        self.post_message(self.Applied(generation, undone))
