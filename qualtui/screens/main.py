"""The main screen: connection bar, ID inputs, result panel and history."""

from __future__ import annotations

import json
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Select, TextArea
from textual.worker import get_current_worker

from qualtui.core import locales, profiles, result_format
from qualtui.core.account import AccountCheck, check_account
from qualtui.core.batch import DEFAULT_CONCURRENCY
from qualtui.core.changes.record import change_of
from qualtui.core.client import import_boto3
from qualtui.core.connection import Connection
from qualtui.core.generation import Generation
from qualtui.core.history import HistoryEntry, Snapshot
from qualtui.core.lookup import lookup_score
from qualtui.core.models import Failure, LookupRequest, LookupResult
from qualtui.core.profiles import ProfileList
from qualtui.core.qualification_types import QualificationType
from qualtui.core.services import Services, owner
from qualtui.widgets.change_runner import ChangeRunner, WriteKind
from qualtui.widgets.connection_bar import ConnectionBar
from qualtui.widgets.demo_banner import DemoBanner
from qualtui.widgets.history_pane import HistoryPane, switch_notice
from qualtui.widgets.history_table import HistoryTable
from qualtui.widgets.lookup_form import IdInput, LookupForm
from qualtui.widgets.result_panel import ResultPanel

WRITE_ACTIONS = frozenset({"set_score", "grant", "revoke", "requests", "undo"})


class MainScreen(Screen[None]):
    # Results from worker threads: each message is posted and handled here.

    @dataclass
    class LookupProgress(Message):
        """An HTTP attempt of lookup `generation` is starting (attempt > 1: a retry)."""

        generation: int
        attempt: int
        max_attempts: int

    @dataclass
    class LookupFinished(Message):
        generation: int
        result: LookupResult

    @dataclass
    class ProfilesLoaded(Message):
        profiles: ProfileList

    @dataclass
    class ConnectionChecked(Message):
        generation: int
        check: AccountCheck

    @dataclass
    class TypeDetailsLoaded(Message):
        connection: Connection
        qualification_type_id: str
        details: QualificationType | Failure

    AUTO_FOCUS = "#type-id"  # one focus change at start-up, not two (each redraws the footer)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (150, "-wide")]

    BINDINGS = [
        Binding(
            "escape",
            "cancel_lookup",
            "Cancel",
            show=False,
            id="main.cancel",
            tooltip="Cancel the lookup in progress",
        ),
        Binding("f2", "focus_lookup", "Lookup", id="main.lookup", tooltip="Go to the ID fields"),
        Binding("f3", "focus_history", "History", id="main.history", tooltip="Go to the history"),
        Binding(
            "f4",
            "focus_connection",
            "Connection",
            id="main.connection",
            tooltip="Go to the profile and environment pickers",
        ),
        Binding(
            "f5",
            "pick_type",
            "Types",
            id="main.types",
            tooltip="Pick one of your qualification types",
        ),
        Binding(
            "f6",
            "copy_command",
            "Copy command",
            id="main.copy_command",
            tooltip="Copy the command that fixes the error shown",
        ),
        Binding(
            "f7",
            "batch",
            "Batch",
            id="main.batch",
            tooltip="Batch lookup: many workers, one qualification type",
        ),
        Binding(
            "f8",
            "holders",
            "Holders",
            id="main.holders",
            tooltip="Workers holding the type in the ID field",
        ),
        Binding(
            "f9",
            "copy_result",
            "Copy",
            id="main.copy_result",
            tooltip="Copy the result as text (as JSON: from Ctrl+P)",
        ),
        Binding(
            "ctrl+y",
            "copy_as_aws_cli",
            "Copy as AWS CLI",
            show=False,
            id="main.copy_as_aws_cli",
            tooltip="Copy the lookup as an AWS CLI command",
        ),
        Binding(
            "f10",
            "worker_profile",
            "Worker",
            id="main.worker_profile",
            tooltip="Worker profile: all your types for the worker shown",
        ),
        Binding(
            "ctrl+s",
            "set_score",
            "Set score",
            id="main.set_score",
            tooltip="Set the result's score (80, +5 or -5)",
        ),
        Binding(
            "ctrl+g",
            "grant",
            "Grant",
            show=False,
            id="main.grant",
            tooltip="Grant the result's qualification",
        ),
        Binding(
            "ctrl+r",
            "revoke",
            "Revoke",
            show=False,
            id="main.revoke",
            tooltip="Revoke the result's qualification",
        ),
        Binding(
            "f12",
            "requests",
            "Requests",
            show=False,
            id="main.requests",
            tooltip="Qualification requests: accept or reject",
        ),
        Binding(
            "ctrl+z",
            "switch_back",
            "Switch back",
            id="main.switch_back",
            tooltip="Undo the switch a history row made",
        ),
        Binding(
            "ctrl+f",
            "focus_filter",
            "Filter history",
            show=False,
            id="main.filter",
            tooltip="Filter the history",
        ),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.config = services.config
        self.clients = services.clients
        self.types = services.types
        self._lookups = Generation()
        self._pending: LookupRequest | None = None
        self.last_result: LookupResult | None = None
        self._checks = Generation()
        self._checking: Connection | None = None
        self._switched_from: tuple[str | None, str] | None = None  # Ctrl+Z goes back

    def compose(self) -> ComposeResult:
        config = self.config
        if config.demo_examples:
            yield DemoBanner(config.demo_examples)
        yield ConnectionBar(
            config.profile,
            config.environment,
            config.endpoints,
            demo=config.demo,
            read_only=config.read_only,
            tls_unverified=config.client_settings.verify is False,
        )
        first_type = config.demo_examples[0].qualification_type_id if config.demo_examples else ""
        yield LookupForm(first_type)
        with Horizontal(id="main"):
            yield ResultPanel(config.clock)
            yield HistoryPane(self.services.store, config.clock)
        yield ChangeRunner(self.services)
        yield Footer()

    def on_mount(self) -> None:
        self.history.writes = self.writes_allowed
        self._load_profiles()
        for notice in self.config.notices:
            self.notify(notice, title="Settings", severity="warning", timeout=10, markup=False)
        self.call_after_refresh(self._warm_up)
        if self.config.demo:
            self.call_after_refresh(self._check_when_changed)

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
    def history_pane(self) -> HistoryPane:
        return self.query_one(HistoryPane)

    def show_history_change(self, snapshot: Snapshot, warning: str | None) -> None:
        """The App wrote the history: show it (unless the screen is already closing)."""
        for pane in self.query(HistoryPane):
            pane.show_change(snapshot, warning)

    @property
    def history(self) -> HistoryTable:
        return self.query_one(HistoryTable)

    @property
    def busy(self) -> bool:
        return self._pending is not None

    @property
    def stale_answers(self) -> int:
        """Lookup answers dropped because a newer lookup or a cancel came first."""
        return self._lookups.stale

    # ------------------------------------------------------------------ background work

    @work(thread=True, group="startup", exit_on_error=False)
    def _load_profiles(self) -> None:
        self.post_message(self.ProfilesLoaded(profiles.list_profiles()))

    @work(thread=True, group="startup", exit_on_error=False)
    def _warm_up(self) -> None:
        """Import boto3 (and the ISO locale names) after the first frame, so the first
        lookup does not pay for them."""
        import_boto3()
        locales.warm_up()

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def _check_connection(self, generation: int, connection: Connection) -> None:
        check = check_account(self.clients, connection)
        self.post_message(self.ConnectionChecked(generation, check))

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
            if not worker.is_cancelled:
                self.post_message(self.LookupProgress(generation, attempt, max_attempts))

        result = lookup_score(self.clients, request, on_attempt=progress, clock=self.config.clock)
        self.post_message(self.LookupFinished(generation, result))  # stale: dropped on arrival

    # ------------------------------------------------------------------ lookups

    @on(LookupForm.Submitted)
    def _lookup(self, event: LookupForm.Submitted) -> None:
        connection = self.config.endpoints.connection(self.bar.profile, self.bar.environment)
        request = LookupRequest(connection, event.qualification_type_id, event.worker_id)
        self._pending = request
        self.panel.show_loading(request)
        self._run_lookup(self._lookups.next(), request)
        if self.types.cached(connection, request.qualification_type_id) is None:
            self._fetch_details(connection, request.qualification_type_id)  # never blocks it

    @on(Input.Changed, "#type-id, #worker-id")
    def _fields_changed(self) -> None:
        self.panel.mark_previous(self.form.type_input.id_value, self.form.worker_input.id_value)

    @on(LookupProgress)
    def _lookup_progress(self, message: LookupProgress) -> None:
        current = message.generation == self._lookups.current
        if current and self._pending and message.attempt > 1:
            self.panel.show_attempt(self._pending, message.attempt, message.max_attempts)

    @on(LookupFinished)
    def _lookup_finished(self, message: LookupFinished) -> None:
        if not self._lookups.accept(message.generation) or self._pending is None:
            return  # replaced by a newer lookup, or cancelled: dropped
        self._pending = None
        result = message.result
        self.last_result = result
        request = result.request
        qtype = self.types.cached(request.connection, request.qualification_type_id)
        self.panel.show_result(result, qtype)
        self._fields_changed()  # typed on while it ran: the answer is for the previous IDs
        self.refresh_bindings()
        owner(self.app).record([HistoryEntry.from_result(result, qtype.name if qtype else None)])

    @on(TypeDetailsLoaded)
    def _type_details_loaded(self, message: TypeDetailsLoaded) -> None:
        details = message.details
        if isinstance(details, QualificationType):
            self.panel.show_type(details)
            self._fields_changed()
            self.history_pane.learn_type_name(message.connection, details.id, details.name)

    def action_cancel_lookup(self) -> None:
        if self._pending is None:
            return
        self._lookups.next()  # whatever the running lookup answers is now stale
        self.workers.cancel_group(self, "lookup")
        self.panel.show_cancelled(self._pending)
        self._pending = None

    # ------------------------------------------------------------------ history

    @on(ProfilesLoaded)
    def _profiles_loaded(self, message: ProfilesLoaded) -> None:
        names = message.profiles.names
        self.bar.set_profiles(
            message.profiles,
            profiles.preferred_profile(
                self.config.profile, names, remembered=self.config.settings.profile
            ),
        )
        self._check_when_changed()

    # ------------------------------------------------------------------ connection check

    @on(ConnectionBar.Changed)
    def _connection_changed(self, event: ConnectionBar.Changed) -> None:
        if not self.config.demo:
            owner(self.app).keep_settings(profile=event.profile, environment=event.environment)
        self._check_when_changed()

    def _check_when_changed(self) -> None:
        """Check the chosen connection once per change (never for the one being shown)."""
        connection = self.config.endpoints.connection(self.bar.profile, self.bar.environment)
        if connection == self._checking:
            return
        self._checking = connection
        self.bar.show_checking()
        self._check_connection(self._checks.next(), connection)

    @on(ConnectionChecked)
    def _connection_checked(self, message: ConnectionChecked) -> None:
        if self._checks.accept(message.generation):
            self.bar.show_check(message.check)
            self.refresh_bindings()

    @property
    def fix_command(self) -> str | None:
        """The shell command that fixes the failure on screen, if there is one."""
        result = self.last_result
        if result is not None and result.failure is not None and result.failure.command:
            return result.failure.command
        bars = self.query(ConnectionBar)  # the footer may ask before the bar is mounted
        check = bars.first().check if bars else None
        return check.failure.command if check and check.failure else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy_command":
            return self.fix_command is not None
        if action == "switch_back":
            return self._switched_from is not None
        if action in WRITE_ACTIONS:
            return self.writes_allowed
        return True

    # ------------------------------------------------------------------ changes

    @property
    def writes_allowed(self) -> bool:
        return not self.config.read_only

    @property
    def runner(self) -> ChangeRunner:
        return self.query_one(ChangeRunner)

    def _change_target(self) -> tuple[Connection, str, str] | None:
        """The type and worker of the result on show (the answer the change acts on)."""
        result = self.panel.result or self.last_result
        if result is None:
            self.notify("Look a worker up first: a change acts on the result.", severity="warning")
            return None
        request = result.request
        return request.connection, request.qualification_type_id, request.worker_id

    def start_change(self, kind: WriteKind) -> None:
        target = self._change_target()
        if target is not None and self.writes_allowed:
            self.runner.start(kind, *target)

    def action_set_score(self) -> None:
        self.start_change("set")

    def action_grant(self) -> None:
        self.start_change("grant")

    def action_revoke(self) -> None:
        self.start_change("revoke")

    @on(ChangeRunner.Finished)
    def _change_finished(self, message: ChangeRunner.Finished) -> None:
        self.panel.show_change(message.change)

    @on(HistoryTable.UndoRequested)
    def _undo_requested(self, event: HistoryTable.UndoRequested) -> None:
        if event.whole_run:
            self.undo_run(event.entry)
        else:
            self.undo_entry(event.entry)

    def undo_run(self, entry: HistoryEntry | None) -> None:
        """Undo the whole run a history row belongs to: its undo plan, dry run first."""
        if not self.writes_allowed:
            return
        run_id = entry.run_id if entry is not None and entry.change is not None else None
        if entry is None or run_id is None:
            self.notify("Choose a change of a bulk run in the history (filter: change).")
            return
        from qualtui.core.changes.record import run_changes
        from qualtui.core.changes.undo import undo_plan
        from qualtui.screens.plan_diff import PlanDiffScreen

        changes = run_changes(self.services.store.snapshot().entries, run_id)
        connection = self.config.endpoints.connection(entry.profile, entry.environment)
        plan = undo_plan(changes)
        self.app.push_screen(
            PlanDiffScreen(self.services, connection, lambda: plan, f"undo of run {run_id[:12]}")
        )

    def action_requests(self) -> None:
        """The pending requests of the type in the ID field, or of all your types."""
        if not self.writes_allowed:
            return
        from qualtui.screens.requests import RequestsScreen

        type_input = self.form.type_input
        valid = bool(type_input.value) and type_input.problem is None
        type_id = type_input.id_value if valid else None
        self.app.push_screen(RequestsScreen(self.services, self.connection, type_id or None))

    def apply_plan_file(self) -> None:
        from qualtui.screens.plan_diff import ask_plan_file

        ask_plan_file(self, self.services, self.connection, self.form.type_input.id_value or None)

    def undo_entry(self, entry: HistoryEntry | None) -> None:
        """Undo the change a history row records (after a confirmation)."""
        if not self.writes_allowed:
            return
        change = change_of(entry) if entry is not None else None
        if change is None:
            self.notify("Choose a change in the history (filter: change) to undo.")
            return
        made = change.connection
        connection = self.config.endpoints.connection(made.profile, made.environment)
        self.runner.start_undo(change, connection)

    def action_undo(self) -> None:
        self.undo_entry(self.history.selected)

    def action_copy_command(self) -> None:
        command = self.fix_command
        if command:
            self.app.copy_to_clipboard(command)
            self.notify(f"Copied: {command}", timeout=4, markup=False)

    def _fill_from(self, entry: HistoryEntry) -> bool:
        """Fill the form from a history entry (a file: outside text). False if refused."""
        refused = self.form.fill_checked(entry.qualification_type_id, entry.worker_id)
        if refused:
            self.notify(refused, severity="warning", markup=False)
            return False
        self._choose_connection_of(entry)
        return True

    def _choose_connection_of(self, entry: HistoryEntry) -> None:
        """The entry's profile and environment, never silently: a switch says so, Ctrl+Z
        goes back."""
        before = (self.bar.profile, self.bar.environment)
        for problem in self.bar.choose(entry.profile, entry.environment):
            self.notify(problem, severity="warning", markup=False)
        if (self.bar.profile, self.bar.environment) != before:
            self._switched_from = before
            self.refresh_bindings()
            self.notify(switch_notice(before, self.connection), timeout=10, markup=False)

    def action_switch_back(self) -> None:
        if self._switched_from is not None:
            self.bar.choose(*self._switched_from)
            self._switched_from = None
            self.refresh_bindings()
            self.notify(f"Back to {self.connection.label}", timeout=4, markup=False)

    @on(IdInput.ListPasted)
    def _list_pasted(self, event: IdInput.ListPasted) -> None:
        """Several worker IDs pasted: offer the batch view with them."""
        from qualtui.dialogs.confirm import ConfirmScreen

        workers = event.values

        def answered(yes: bool | None) -> None:
            if yes:
                self.action_batch(workers)

        question = (
            f"You pasted {len(workers)} lines; the first is in Worker ID.\n"
            "Open the batch view (F7) with all of them?"
        )
        self.app.push_screen(ConfirmScreen(question, "Open batch"), answered)

    @on(HistoryTable.Chosen)
    def _chosen_from_history(self, event: HistoryTable.Chosen) -> None:
        if event.entry.worker_profile is not None:  # a profile item reopens the profile
            self._profile_from_history(event.entry)
            return
        if self._fill_from(event.entry):
            self.form.worker_input.focus()
            self.notify("Filled from history: press Enter to look up again.", timeout=3)

    @on(HistoryTable.Rerun)
    def _rerun_from_history(self, event: HistoryTable.Rerun) -> None:
        if event.entry.worker_profile is not None:
            self._profile_from_history(event.entry)
            return
        if self._fill_from(event.entry):
            self.form.submit()

    # ------------------------------------------------------------------ focus keys

    def action_focus_lookup(self) -> None:
        self.form.type_input.focus()

    def action_focus_history(self) -> None:
        self.history.focus()

    def action_focus_filter(self) -> None:
        self.history_pane.filter_input.focus()

    def action_focus_connection(self) -> None:
        self.query_one("#environment" if self.config.demo else "#profile", Select).focus()

    # ------------------------------------------------------------------ other views

    @property
    def connection(self) -> Connection:
        return self.config.endpoints.connection(self.bar.profile, self.bar.environment)

    def switch_environment(self, environment: str) -> None:
        self.bar.choose(self.bar.profile, environment)

    def switch_profile(self, profile: str) -> None:
        self.bar.choose(profile, self.bar.environment)

    # The other views are imported when first opened: nothing of them before the first frame.

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

    def look_up(self, type_id: str, worker_id: str) -> None:
        """Fill both fields and look up (the worker profile's Enter on a row)."""
        self.form.fill(type_id, worker_id)
        self.form.submit()

    def action_batch(self, workers: tuple[str, ...] = ()) -> None:
        from qualtui.screens.batch import BatchScreen

        concurrency = self.services.settings.concurrency or DEFAULT_CONCURRENCY
        type_id = self.form.type_input.id_value
        batch = BatchScreen(self.services, self.connection, type_id, concurrency)
        mounted = self.app.push_screen(batch)

        async def fill() -> None:  # pasted into Worker ID: the batch's list, once mounted
            await mounted
            batch.query_one("#batch-workers", TextArea).load_text("\n".join(workers))

        if workers:
            self.call_later(fill)

    def workers_from_hits(self) -> None:
        """Choose HITs, then the batch view looks up their workers for the type in the field."""
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

    def export_history(self) -> None:
        self.history.action_export()

    def clear_history(self) -> None:
        self.history.action_clear_all()

    # ------------------------------------------------------------------ clipboard

    def _copy(self, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {what}", timeout=3, markup=False)

    def action_copy_result(self) -> None:
        result = self.last_result
        if result is None:
            self.notify("No result to copy yet.", severity="warning")
            return
        self._copy(result_format.as_text(result, self.panel.qualification_type), "the result")

    def copy_result_json(self) -> None:
        result = self.last_result
        if result is None:
            self.notify("No result to copy yet.", severity="warning")
            return
        self._copy(json.dumps(result_format.aws_cli_json(result), indent=2), "the result as JSON")

    def _lookup_for_script(self) -> tuple[Connection, str, str] | None:
        """The lookup on screen (the last result's, else the two fields when both are valid),
        for a script that does the same."""
        result = self.last_result
        if result is not None:
            request = result.request
            return request.connection, request.qualification_type_id, request.worker_id
        form = self.form
        if form.type_input.problem is None and form.worker_input.problem is None:
            return self.connection, form.type_input.id_value, form.worker_input.id_value
        self.notify("Look something up first (or fill both IDs).", severity="warning")
        return None

    def action_copy_as_aws_cli(self) -> None:
        from qualtui.core.script_export import aws_cli_command

        lookup = self._lookup_for_script()
        if lookup is not None:
            self._copy(aws_cli_command(*lookup), "the lookup as an AWS CLI command")

    def copy_as_boto3(self) -> None:
        from qualtui.core.script_export import boto3_code

        lookup = self._lookup_for_script()
        if lookup is not None:
            self._copy(boto3_code(*lookup), "the lookup as boto3 code")

    def copy_worker_id(self) -> None:
        value = self.form.worker_input.id_value
        if value:
            self._copy(value, f"worker ID {value}")

    def copy_type_id(self) -> None:
        value = self.form.type_input.id_value
        if value:
            self._copy(value, f"qualification type ID {value}")
