"""The main screen: connection bar, ID inputs, result panel and history."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Select
from textual.worker import get_current_worker

from qualtui.core import profiles
from qualtui.core.client import ClientCache, import_boto3
from qualtui.core.config import AppConfig
from qualtui.core.history import HistoryEntry, HistoryError, HistoryStore
from qualtui.core.lookup import lookup_score
from qualtui.core.models import LookupRequest, LookupResult
from qualtui.messages import (
    HistoryChanged,
    HistoryLoaded,
    LookupFinished,
    LookupProgress,
    ProfilesLoaded,
)
from qualtui.widgets.connection_bar import ConnectionBar
from qualtui.widgets.demo_banner import DemoBanner
from qualtui.widgets.history_table import HistoryTable
from qualtui.widgets.lookup_form import LookupForm
from qualtui.widgets.result_panel import ResultPanel


class MainScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (150, "-wide")]

    BINDINGS = [
        Binding("escape", "cancel_lookup", "Cancel", show=False),
        Binding("f2", "focus_lookup", "Lookup"),
        Binding("f3", "focus_history", "History"),
        Binding("f4", "focus_connection", "Connection"),
    ]

    def __init__(self, config: AppConfig, clients: ClientCache, store: HistoryStore) -> None:
        super().__init__()
        self.config = config
        self.clients = clients
        self.store = store
        self._seq = 0
        self._pending: LookupRequest | None = None
        self.last_result: LookupResult | None = None

    def compose(self) -> ComposeResult:
        config = self.config
        if config.demo_examples:
            yield DemoBanner(config.demo_examples)
        yield ConnectionBar(config.profile, config.environment, config.endpoints, demo=config.demo)
        first_type = config.demo_examples[0].qualification_type_id if config.demo_examples else ""
        yield LookupForm(first_type)
        with Horizontal(id="main"):
            yield ResultPanel(config.clock)
            yield HistoryTable()
        yield Footer()

    def on_mount(self) -> None:
        self.form.type_input.focus()
        self._load_profiles()
        self._load_history()
        self.call_after_refresh(self._warm_up)

    # ------------------------------------------------------------------ parts

    @property
    def form(self) -> LookupForm:
        return self.query_one(LookupForm)

    @property
    def panel(self) -> ResultPanel:
        return self.query_one(ResultPanel)

    @property
    def bar(self) -> ConnectionBar:
        return self.query_one(ConnectionBar)

    @property
    def history(self) -> HistoryTable:
        return self.query_one(HistoryTable)

    @property
    def busy(self) -> bool:
        return self._pending is not None

    # ------------------------------------------------------------------ background work

    @work(thread=True, group="startup", exit_on_error=False)
    def _load_profiles(self) -> None:
        self.post_message(ProfilesLoaded(profiles.list_profiles()))

    @work(thread=True, group="history", exit_on_error=False)
    def _load_history(self) -> None:
        self.post_message(HistoryLoaded(self.store.load()))

    @work(thread=True, group="startup", exit_on_error=False)
    def _warm_up(self) -> None:
        """Import boto3 after the first frame, so the first lookup does not pay for it."""
        import_boto3()

    @work(thread=True, exclusive=True, group="lookup", exit_on_error=False)
    def _run_lookup(self, seq: int, request: LookupRequest) -> None:
        worker = get_current_worker()

        def progress(attempt: int, max_attempts: int) -> None:
            if not worker.is_cancelled:
                self.post_message(LookupProgress(seq, attempt, max_attempts))

        result = lookup_score(self.clients, request, on_attempt=progress)
        if not worker.is_cancelled:
            self.post_message(LookupFinished(seq, result))

    @work(thread=True, group="history", exit_on_error=False)
    def _save(self, entry: HistoryEntry) -> None:
        try:
            self.post_message(HistoryChanged(self.store.append(entry)))
        except HistoryError as error:
            self.post_message(HistoryChanged(self.store.snapshot(), f"History not saved: {error}"))

    # ------------------------------------------------------------------ lookups

    @on(LookupForm.Submitted)
    def _lookup(self, event: LookupForm.Submitted) -> None:
        connection = self.config.endpoints.connection(self.bar.profile, self.bar.environment)
        request = LookupRequest(connection, event.qualification_type_id, event.worker_id)
        self._seq += 1
        self._pending = request
        self.panel.show_loading(request)
        self._run_lookup(self._seq, request)

    def on_lookup_progress(self, message: LookupProgress) -> None:
        if message.seq == self._seq and self._pending and message.attempt > 1:
            self.panel.show_attempt(self._pending, message.attempt, message.max_attempts)

    def on_lookup_finished(self, message: LookupFinished) -> None:
        if message.seq != self._seq or self._pending is None:
            return  # replaced by a newer lookup, or cancelled: drop the stale answer
        self._pending = None
        self.last_result = message.result
        self.panel.show_result(message.result)
        if self.store.enabled:
            self._save(HistoryEntry.from_result(message.result))

    def action_cancel_lookup(self) -> None:
        if self._pending is None:
            return
        self._seq += 1  # whatever the running lookup answers is now stale
        self.workers.cancel_group(self, "lookup")
        self.panel.show_cancelled(self._pending)
        self._pending = None

    # ------------------------------------------------------------------ history

    def on_profiles_loaded(self, message: ProfilesLoaded) -> None:
        names = message.profiles.names
        self.bar.set_profiles(
            message.profiles, profiles.preferred_profile(self.config.profile, names)
        )

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        report = message.report
        self.history.show(report.snapshot)
        if report.notice:
            self.notify(
                report.notice, title="History", severity="warning", timeout=12, markup=False
            )

    def on_history_changed(self, message: HistoryChanged) -> None:
        self.history.show(message.snapshot)
        if message.warning:
            self.notify(
                message.warning, title="History", severity="warning", timeout=8, markup=False
            )

    @on(HistoryTable.Chosen)
    def _rerun_from_history(self, event: HistoryTable.Chosen) -> None:
        entry = event.entry
        for problem in self.bar.choose(entry.profile, entry.environment):
            self.notify(problem, severity="warning", markup=False)
        self.form.fill(entry.qualification_type_id, entry.worker_id)
        self.form.worker_input.focus()
        self.notify("Filled from history: press Enter to look up again.", timeout=3)

    # ------------------------------------------------------------------ focus keys

    def action_focus_lookup(self) -> None:
        self.form.type_input.focus()

    def action_focus_history(self) -> None:
        self.history.focus()

    def action_focus_connection(self) -> None:
        self.query_one("#environment" if self.config.demo else "#profile", Select).focus()
