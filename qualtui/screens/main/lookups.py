"""The main screen's lookups: Enter in the ID fields, the answer in the result panel and
the history; a newer lookup or a cancel drops the older answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import get_current_worker

from qualtui.core.connection import Connection
from qualtui.core.generation import Generation
from qualtui.core.services import Services, owner
from qualtui.screens.main.parts import MainParts
from qualtui.widgets.lookup_form import LookupForm

if TYPE_CHECKING:
    from qualtui.core.client import AttemptCallback, ClientCache
    from qualtui.core.models import Failure, LookupRequest, LookupResult
    from qualtui.core.qualification_types import QualificationType

SLOW_LOOKUP = 0.15  # seconds before a lookup shows its loading state


def lookup_score(
    clients: ClientCache,
    request: LookupRequest,
    *,
    on_attempt: AttemptCallback | None = None,
    clock: Callable[[], datetime],
) -> LookupResult:
    """`qualtui.core.lookup.lookup_score`, imported on the first lookup (in its worker
    thread): the lookup's modules are not needed to draw the first frame."""
    from qualtui.core.lookup import lookup_score

    return lookup_score(clients, request, on_attempt=on_attempt, clock=clock)


class MainLookups(MainParts):
    # Results from worker threads: each message is posted and handled here.

    # Plain classes, not dataclasses: a dataclass costs its module ~0.3 ms to define, and
    # this one is imported before the first frame.
    class LookupProgress(Message):
        """An HTTP attempt of lookup `generation` is starting (attempt > 1: a retry)."""

        def __init__(self, generation: int, attempt: int, max_attempts: int) -> None:
            super().__init__()
            self.generation = generation
            self.attempt = attempt
            self.max_attempts = max_attempts

    class LookupFinished(Message):
        def __init__(self, generation: int, result: LookupResult) -> None:
            super().__init__()
            self.generation = generation
            self.result = result

    class TypeDetailsLoaded(Message):
        def __init__(
            self,
            connection: Connection,
            qualification_type_id: str,
            details: QualificationType | Failure,
        ) -> None:
            super().__init__()
            self.connection = connection
            self.qualification_type_id = qualification_type_id
            self.details = details

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self._lookups = Generation()
        self._pending: LookupRequest | None = None
        self._slow: Timer | None = None

    @property
    def busy(self) -> bool:
        return self._pending is not None

    @property
    def stale_answers(self) -> int:
        """Lookup answers dropped because a newer lookup or a cancel came first."""
        return self._lookups.stale

    @work(thread=True, group="details", exit_on_error=False)
    def _fetch_details(self, connection: Connection, type_id: str) -> None:
        details = self.types.details(self.clients, connection, type_id)
        self.post_message(self.TypeDetailsLoaded(connection, type_id, details))

    # Not exclusive: a lookup replaced by a newer one is still sent (its answer is dropped
    # on arrival), so every lookup asked for reaches MTurk, however fast they are asked.
    @work(thread=True, group="lookup", exit_on_error=False)
    def _run_lookup(self, generation: int, request: LookupRequest) -> None:
        worker = get_current_worker()

        def progress(attempt: int, max_attempts: int) -> None:
            # Only a retry is shown: the first attempt wakes the UI thread for nothing.
            if attempt > 1 and not worker.is_cancelled:
                self.post_message(self.LookupProgress(generation, attempt, max_attempts))

        result = lookup_score(self.clients, request, on_attempt=progress, clock=self.config.clock)
        self.post_message(self.LookupFinished(generation, result))  # stale: dropped on arrival

    @on(LookupForm.Submitted)
    def _lookup(self, event: LookupForm.Submitted) -> None:
        from qualtui.core.models import LookupRequest

        connection = self.config.endpoints.connection(self.bar.profile, self.bar.environment)
        request = LookupRequest(connection, event.qualification_type_id, event.worker_id)
        self._pending = request
        generation = self._lookups.next()
        self._run_lookup(generation, request)
        # Most answers come within a frame or two: painted at once, with no loading state
        # drawn (and relaid out) before them. Only a slow one shows it.
        self._stop_slow_timer()
        self._slow = self.set_timer(SLOW_LOOKUP, lambda: self._show_slow(generation))
        if self.types.cached(connection, request.qualification_type_id) is None:
            self._fetch_details(connection, request.qualification_type_id)  # never blocks it

    def _show_slow(self, generation: int) -> None:
        if generation == self._lookups.current and self._pending is not None:
            self.panel.show_loading(self._pending)

    def _stop_slow_timer(self) -> None:
        if self._slow is not None:
            self._slow.stop()
            self._slow = None

    @on(Input.Changed, "#type-id, #worker-id")
    def _fields_changed(self) -> None:
        self.panel.mark_previous(self.form.type_input.id_value, self.form.worker_input.id_value)

    @on(LookupProgress)
    def _lookup_progress(self, message: LookupProgress) -> None:
        current = message.generation == self._lookups.current
        if current and self._pending:
            self.panel.show_attempt(self._pending, message.attempt, message.max_attempts)

    @on(LookupFinished)
    def _lookup_finished(self, message: LookupFinished) -> None:
        if not self._lookups.accept(message.generation) or self._pending is None:
            return  # replaced by a newer lookup, or cancelled: dropped
        self._pending = None
        self._stop_slow_timer()
        result = message.result
        had_fix = self._has_fix()
        self.last_result = result
        request = result.request
        qtype = self.types.cached(request.connection, request.qualification_type_id)
        self.panel.show_result(result, qtype)
        self._fields_changed()  # typed on while it ran: the answer is for the previous IDs
        if self._has_fix() != had_fix:
            self.refresh_bindings()  # F6 comes or goes (the footer is rebuilt: only then)
        from qualtui.core.history import HistoryEntry

        entry = HistoryEntry.from_result(result, qtype.name if qtype else None)
        # Recorded once a frame has drawn the answer: the history's write and redraw never
        # delay it (call_after_refresh could run before that frame, racing the panel's
        # refresh to the screen).
        app = owner(self.app)
        self.panel.body.after_paint(lambda: app.record([entry]))

    def _has_fix(self) -> bool:
        failure = self.last_result.failure if self.last_result is not None else None
        return failure is not None and (failure.command is not None or failure.kind == "unexpected")

    @on(TypeDetailsLoaded)
    def _type_details_loaded(self, message: TypeDetailsLoaded) -> None:
        from qualtui.core.qualification_types import QualificationType

        details = message.details
        if isinstance(details, QualificationType):
            self.panel.show_type(details)
            self._fields_changed()
            self.history_pane.learn_type_name(message.connection, details.id, details.name)

    def action_cancel_lookup(self) -> None:
        if self._pending is None:
            return
        self._lookups.next()  # whatever the running lookup answers is now stale
        self._stop_slow_timer()
        self.workers.cancel_group(self, "lookup")
        self.panel.show_cancelled(self._pending)
        self._pending = None

    def look_up(self, type_id: str, worker_id: str) -> None:
        """Fill both fields and look up (the worker profile's Enter on a row)."""
        self.form.fill(type_id, worker_id)
        self.form.submit()
