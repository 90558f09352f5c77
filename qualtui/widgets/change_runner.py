"""One change, from any view: ask what is needed (a score, a reason), read the worker's
state now, confirm (qualtui/dialogs/confirm_change.py), send, verify, record. The undo of a
recorded change goes the same way. Invisible: a view mounts one and calls `start` or
`start_undo`; the outcome comes back to the view as `ChangeRunner.Finished`.

A change and an undo go through the same steps: a preview in a thread worker comes back
as one `Previewed` message holding either a notice (nothing to send, or it cannot be done)
or a proposal (the confirmation to show and how to send once confirmed); the one handler
shows the notice or asks, and the send runs in a thread worker too. Each answer carries the
generation it was asked in, and is dropped when another change has started since.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widget import Widget

from qualtui.core.generation import Generation
from qualtui.core.services import Services, owner
from qualtui.core.text import one_line

if TYPE_CHECKING:
    # Imported where they are used: the main screen mounts a runner as it starts, and
    # these (the history journal and its file lock, plans, dialogs) are a third of what
    # comes after its first frame. The warm-up imports them in a thread once it is drawn.
    from qualtui.core.changes.change import Change, State
    from qualtui.core.changes.confirmation import Confirmation
    from qualtui.core.changes.writes import Intent
    from qualtui.core.connection import Connection
    from qualtui.core.models import LookupResult
    from qualtui.dialogs.confirm_change import Confirmed

# Re-exported: the views take the change keys from here too.
from qualtui.widgets.change_keys import ChangeKeys as ChangeKeys
from qualtui.widgets.change_keys import WriteKind as WriteKind

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
    from qualtui.core.models import Qualification

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
    from qualtui.core.changes.score_text import parse_score

    parsed = parse_score(text)
    return parsed if isinstance(parsed, str) else None


def _optional_score_problem(text: str) -> str | None:
    from qualtui.core.changes.score_text import parse_score

    if not text.strip():
        return None
    parsed = parse_score(text)
    if isinstance(parsed, str):
        return parsed
    return "A grant takes a score, not +N or -N." if parsed[0] == "delta" else None


def intent_from_text(kind: WriteKind, type_id: str, worker_id: str, text: str) -> Intent:
    """The intent of what was typed in the input dialog (checked there already)."""
    from qualtui.core.changes.score_text import parse_score
    from qualtui.core.changes.writes import Intent

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


class Notice(NamedTuple):
    """A preview's outcome when nothing is to be sent: what to tell the user. (NamedTuples
    and plain messages here, not dataclasses: the runner is mounted on the way to the
    complete frame, and a dataclass costs about 0.2-0.3 ms to define.)"""

    text: str
    severity: SeverityLevel = "information"
    timeout: float | None = None


class Proposal(NamedTuple):
    """A preview's outcome when something is to be sent: the confirmation to show, the
    confirm button's verb, and the send (blocking: run in a thread) once confirmed."""

    confirmation: Confirmation
    verb: str
    send: Callable[[Confirmed], Change | None]


Outcome = Notice | Proposal


class ChangeRunner(Widget):
    DEFAULT_CSS = "ChangeRunner { display: none; }"

    class Previewed(Message, bubble=False):
        def __init__(self, generation: int, outcome: Outcome) -> None:
            super().__init__()
            self.generation = generation
            self.outcome = outcome

    class Applied(Message, bubble=False):
        def __init__(self, generation: int, change: Change | None) -> None:
            super().__init__()
            self.generation = generation
            self.change = change

    class Finished(Message):
        """A change was sent (and recorded): for the view to show its verified outcome."""

        def __init__(self, change: Change) -> None:
            super().__init__()
            self.change = change

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self._changes = Generation()
        self.busy = False

    @property
    def allowed(self) -> bool:
        return not self.services.config.read_only

    # ------------------------------------------------------------------ starting

    def start(self, kind: WriteKind, connection: Connection, type_id: str, worker_id: str) -> None:
        """Ask for the score or reason, then preview, confirm and apply."""
        from qualtui.dialogs.change_input import ChangeInputScreen

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
        self._preview(generation, lambda: self._change_outcome(connection, intent))

    def start_undo(self, change: Change, connection: Connection) -> None:
        """Preview the undo of a recorded change against the state now, confirm, apply."""
        if not self.allowed:
            self.notify("Read-only mode: no changes.", severity="warning")
            return
        self.busy = True
        self._preview(self._changes.next(), lambda: self._undo_outcome(change, connection))

    # ------------------------------------------------------------------ previews (threads)

    def _change_outcome(self, connection: Connection, intent: Intent) -> Outcome:
        from qualtui.core.changes.change import ChangeFailure
        from qualtui.core.changes.confirmation import Confirmation, change_lines, type_label
        from qualtui.core.changes.writes import change_qualification, preview_change

        services = self.services
        preview = preview_change(services.clients, connection, intent)
        if isinstance(preview, ChangeFailure):
            text = one_line(preview.title) + (
                f": {one_line(preview.message)}" if preview.message else ""
            )
            return Notice(f"Nothing was sent. {text}", "error", timeout=8)
        if intent.kind == "revoke" and not preview.before.held:
            return Notice(
                f"{intent.worker_id} does not hold it ({preview.before.text()}): "
                "nothing to revoke.",
                "warning",
            )
        if not preview.changes_anything:
            return Notice(f"Already {preview.before.text()}: nothing was sent.")
        type_id = intent.qualification_type_id
        label = type_label(services.clients, services.types, connection, type_id)
        confirmation = Confirmation(
            question=f"{VERBS[intent.kind]}?",
            connection=connection,
            lines=tuple(change_lines(intent, preview, label)),
            notify_choice=intent.kind != "revoke",
        )
        before = preview.before

        def send(answer: Confirmed) -> Change | None:
            chosen = replace(intent, notify=answer.notify) if intent.kind != "revoke" else intent
            name = services.types.cached(connection, type_id)
            return change_qualification(
                services.clients,
                connection,
                chosen,
                before=before,
                type_name=name.name if name else None,
            )

        return Proposal(confirmation, VERBS[intent.kind], send)

    def _undo_outcome(self, change: Change, connection: Connection) -> Outcome:
        from qualtui.core.changes.confirmation import Confirmation, type_label, undo_lines
        from qualtui.core.changes.undo import apply_undo, preview_undo

        services = self.services
        preview = preview_undo(services.clients, connection, change)
        if preview.kind == "invalid":
            return Notice(f"Cannot undo it: {preview.problem or ''}", "error")
        if preview.kind == "unchanged":
            return Notice("Already as before the change: nothing was sent.")
        type_id = change.qualification_type_id
        label = type_label(services.clients, services.types, connection, type_id)
        confirmation = Confirmation(
            question="Undo this change?",
            connection=connection,
            lines=tuple(undo_lines(change, preview, label)),
        )

        def send(_answer: Confirmed) -> Change | None:
            return apply_undo(
                services.clients, connection, preview, type_name=change.qualification_type_name
            )

        return Proposal(confirmation, "Undo", send)

    @work(thread=True, group="change-preview", exit_on_error=False)
    def _preview(self, generation: int, outcome: Callable[[], Outcome]) -> None:
        self.post_message(self.Previewed(generation, outcome()))

    # ------------------------------------------------------------------ confirm, send

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        from qualtui.dialogs.confirm_change import ConfirmChangeScreen

        if not self._changes.accept(message.generation):
            return
        outcome = message.outcome
        if isinstance(outcome, Notice):
            self.busy = False
            self.notify(
                outcome.text, severity=outcome.severity, timeout=outcome.timeout, markup=False
            )
            return
        generation = message.generation

        def answered(answer: Confirmed | None) -> None:
            if answer is None or generation != self._changes.current:
                self.busy = False
                if answer is None:
                    self.notify("Cancelled: nothing was sent.", timeout=3)
                return
            self._apply(generation, lambda: outcome.send(answer))

        self.app.push_screen(ConfirmChangeScreen(outcome.confirmation, outcome.verb), answered)

    @work(thread=True, group="change-apply", exit_on_error=False)
    def _apply(self, generation: int, send: Callable[[], Change | None]) -> None:
        self.post_message(self.Applied(generation, send()))

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
            from qualtui.core.changes.record import record

            owner(self.app).change_history(lambda: record(store, change))
        self.notify(
            f"{change.kind} {change.worker_id}: {change.outcome_text()}",
            severity="information" if change.succeeded else "error",
            markup=False,
        )
        self.post_message(self.Finished(change))
