"""A bulk change: the dry run, its diff, one confirmation, the run, its summary.

1. The plan is read (a file, a batch or holders list, an undo) and every worker's current
   value is read as a batch, with progress; Esc stops it. Nothing is written.
2. The diff: counts on top; each row unchanged / new grant / score change old -> new /
   revoke / invalid with the reason.
3. `a` asks once (the counts and the environment again, the notify choice), then applies
   with progress; Esc stops it (what was applied stays recorded). The summary says where
   the summary CSV and its undo plan were written. `r` runs the dry run again: a plan
   applied is found unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, ProgressBar, Static

from qualtui.core.changes.apply import (
    ApplySummary,
    apply_diff,
    default_summary_path,
    write_summary,
)
from qualtui.core.changes.confirmation import Confirmation, plan_lines
from qualtui.core.changes.dry_run import Diff, DiffRow, dry_run
from qualtui.core.changes.plan import (
    Plan,
    PlanError,
    plan_for_workers,
    read_plan,
    resolve_names,
)
from qualtui.core.changes.score_text import parse_bulk
from qualtui.core.connection import Connection, environment_label
from qualtui.core.generation import Generation
from qualtui.core.models import Failure
from qualtui.core.services import Services, owner
from qualtui.core.text import one_line, printable
from qualtui.core.timefmt import utc_now
from qualtui.core.wording import counted
from qualtui.dialogs.change_input import ChangeInputScreen
from qualtui.dialogs.confirm_change import ConfirmChangeScreen, Confirmed
from qualtui.screens.view_css import table_view_css
from qualtui.widgets.results_table import add_sized_columns, fit_columns

DIFF_COLUMNS = ("Line", "Worker", "Type", "Diff", "Before -> after, or why")
KIND_WORDS = {
    "unchanged": "unchanged",
    "grant": "new grant",
    "change": "score change",
    "revoke": "revoke",
    "invalid": "invalid",
}
KIND_STYLES = {"grant": "green", "change": "yellow", "revoke": "red", "invalid": "bold red"}
PROGRESS_STEPS = 100  # progress messages per run, at most


def _cell(text: str, style: str = "") -> Text:
    return Text(one_line(printable(text), 80), style=style, no_wrap=True)


def diff_cells(row: DiffRow, names: dict[str, str]) -> list[Text]:
    type_id = row.row.qualification_type_id or row.row.type_name or ""
    detail = row.problem or row.text()
    if row.warnings:
        detail += "  ⚠ " + " ".join(row.warnings)
    return [
        _cell(str(row.row.line)),
        _cell(row.row.worker_id),
        _cell(names.get(type_id, type_id)),
        _cell(KIND_WORDS[row.kind], KIND_STYLES.get(row.kind, "")),
        _cell(detail),
    ]


class PlanDiffScreen(Screen[None]):
    DEFAULT_CSS = table_view_css("plan", "plan-counts")

    @dataclass
    class Progress(Message):
        generation: int
        done: int
        total: int

    @dataclass
    class DryRunDone(Message):
        generation: int
        diff: Diff | Failure | str  # str: the plan could not be read

    @dataclass
    class Applied(Message):
        generation: int
        summary: ApplySummary
        written: tuple[Path, Path] | str  # the summary and undo plan, or why not

    AUTO_FOCUS = "#plan-table"
    BINDINGS = [
        Binding(
            "escape",
            "stop_or_back",
            "Stop / back",
            id="plan.stop",
            tooltip="Stop the dry run or the run; when none runs, back",
        ),
        Binding("a", "apply", "Apply…", id="plan.apply", tooltip="Apply the changes (asks first)"),
        Binding("r", "dry_run", "Dry run again", id="plan.rerun", tooltip="Read every value again"),
    ]

    def __init__(
        self,
        services: Services,
        connection: Connection,
        load: Callable[[], Plan],
        source: str,
        summary_beside: Path | None = None,
        *,
        reason: str | None = None,
    ) -> None:
        super().__init__(id="plan-diff-screen")
        self.services = services
        self.connection = connection
        self.load = load
        self.source = source
        self.summary_beside = summary_beside  # the plan file: its summary goes beside it
        self.reason = reason
        self.diff: Diff | None = None
        self.summary: ApplySummary | None = None
        self.phase = "idle"  # "reading", "diff", "applying", "applied", "failed"
        self._runs = Generation()
        self._cancel = threading.Event()

    def compose(self) -> ComposeResult:
        where = environment_label(self.connection.environment)
        if self.connection.profile:
            where += f" · profile {self.connection.profile}"
        with Vertical(id="plan"):
            yield Static(
                Content(f"Bulk change  ·  {one_line(self.source, 80)}  ·  {where}"),
                id="plan-title",
            )
            yield Static("", id="plan-counts", markup=False)
            yield ProgressBar(id="plan-progress", show_eta=False)
            table = DataTable[Text](id="plan-table", cursor_type="row", zebra_stripes=True)
            table.border_title = "Dry run: nothing is written"
            yield table
        yield Footer()

    def on_mount(self) -> None:
        add_sized_columns(self.query_one(DataTable), DIFF_COLUMNS)
        self.action_dry_run()

    # ------------------------------------------------------------------ state

    def _say(self, text: str) -> None:
        self.query_one("#plan-counts", Static).update(text)

    @property
    def running(self) -> bool:
        return self.phase in ("reading", "applying")

    @property
    def stopping(self) -> bool:
        """Esc was pressed during a run: nothing more starts; the call in flight ends."""
        return self.running and self._cancel.is_set()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            return (
                not self.services.config.read_only
                and self.phase == "diff"
                and self.diff is not None
                and bool(self.diff.to_apply)
            )
        if action == "dry_run":
            return not self.running
        return True

    def _set_phase(self, phase: str) -> None:
        self.phase = phase
        self.refresh_bindings()

    def action_stop_or_back(self) -> None:
        if self.running:
            self._cancel.set()
            return
        self.dismiss(None)

    # ------------------------------------------------------------------ dry run

    def action_dry_run(self) -> None:
        if self.running:
            return
        self._cancel = threading.Event()
        self._set_phase("reading")
        self._say("Reading every worker's current value…  Esc stops")
        self.query_one(ProgressBar).update(total=None, progress=0)
        self._dry_run(self._runs.next(), self._cancel)

    def _progress_poster(self, generation: int) -> Callable[[int, int], None]:
        def progress(done: int, total: int) -> None:
            step = max(1, total // PROGRESS_STEPS)
            if done == total or done % step == 0:
                self.post_message(self.Progress(generation, done, total))

        return progress

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def _dry_run(self, generation: int, cancel: threading.Event) -> None:
        services = self.services
        try:
            plan = self.load()
        except (PlanError, OSError) as error:
            self.post_message(self.DryRunDone(generation, str(error)))
            return
        diff = dry_run(
            services.clients,
            self.connection,
            plan,
            types=services.types,
            concurrency=services.settings.concurrency or 10,
            cancel=cancel,
            on_progress=self._progress_poster(generation),
        )
        self.post_message(self.DryRunDone(generation, diff))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        if self._runs.accept(message.generation):
            self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    @on(DryRunDone)
    def _dry_run_done(self, message: DryRunDone) -> None:
        if not self._runs.accept(message.generation):
            return
        diff = message.diff
        if isinstance(diff, str):
            self._set_phase("failed")
            self._say(f"The plan could not be read: {one_line(diff)}")
            return
        if isinstance(diff, Failure):
            self._set_phase("failed")
            self._say(f"{diff.title}: {diff.explanation} {diff.fix}")
            return
        self.diff = diff
        self._show_diff(diff)
        self._set_phase("diff")

    def _show_diff(self, diff: Diff) -> None:
        table = self.query_one(DataTable)
        table.clear()
        names = dict(diff.type_names)
        cells = [diff_cells(row, names) for row in diff.rows]
        fit_columns(table, cells)
        table.add_rows(cells)
        table.border_title = "Dry run: nothing is written"
        stopped = "" if diff.complete else "  (stopped: rows not read are invalid)"
        todo = len(diff.to_apply)
        hint = f"  ·  a applies {todo} changes" if todo else "  ·  nothing to change"
        self._say(f"Dry run: {diff.counts_text()}{stopped}{hint}")

    # ------------------------------------------------------------------ apply

    def action_apply(self) -> None:
        diff = self.diff
        if diff is None or not self.check_action("apply", ()):
            return
        writes_scores = diff.counts["grant"] + diff.counts["change"] > 0
        confirmation = Confirmation(
            question=f"Apply {len(diff.to_apply)} changes?",
            connection=self.connection,
            lines=tuple(plan_lines(diff, self.source, reason=self.reason)),
            notify_choice=writes_scores,
        )

        def answered(answer: Confirmed | None) -> None:
            if answer is None or self.diff is not diff or self.phase != "diff":
                return
            self._cancel = threading.Event()
            self._set_phase("applying")
            self._say(f"Applying {len(diff.to_apply)} changes…  Esc stops")
            self.query_one(ProgressBar).update(total=len(diff.to_apply), progress=0)
            self._apply(self._runs.next(), diff, answer.notify, self._cancel)

        self.app.push_screen(ConfirmChangeScreen(confirmation, "Apply"), answered)

    @work(thread=True, exclusive=True, group="plan", exit_on_error=False)
    def _apply(self, generation: int, diff: Diff, notify: bool, cancel: threading.Event) -> None:
        services = self.services
        progress = self._progress_poster(generation)
        store = services.store if services.store.enabled else None
        summary = apply_diff(
            services.clients,
            diff,
            store=store,
            concurrency=services.settings.concurrency or 10,
            cancel=cancel,
            on_change=lambda _change, done, total: progress(done, total),
            notify=notify,
            reason=self.reason,
        )
        written: tuple[Path, Path] | str
        try:
            written = write_summary(summary, summary_path_for(services, self.summary_beside))
        except OSError as error:
            written = f"summary not written: {error.strerror or error}"
        self.post_message(self.Applied(generation, summary, written))

    @on(Applied)
    def _applied(self, message: Applied) -> None:
        # Never dropped: what was applied is shown, whatever came since.
        self._runs.accept(message.generation)
        summary = self.summary = message.summary
        self._set_phase("applied")
        store = self.services.store
        if store.enabled:
            owner(self.app).change_history(store.snapshot)  # the history shows the run
        written = message.written
        if isinstance(written, str):
            where = written
        else:
            where = f"summary {written[0]}  ·  undo plan {written[1]}"
        stopped = "  (stopped)" if summary.cancelled else ""
        saved = f"  ·  history not saved: {summary.history_error}" if summary.history_error else ""
        self._say(
            f"Applied: {summary.counts_text()}{stopped}  ·  run {summary.run_id[:12]}{saved}\n"
            f"{where}\nr: dry run again (an applied plan is found unchanged)"
        )
        table = self.query_one(DataTable)
        table.clear()
        table.border_title = "Changes made"
        rows = []
        for change in summary.changes:
            before = change.before.text() if change.before is not None else "?"
            rows.append(
                [
                    _cell(""),
                    _cell(change.worker_id),
                    _cell(change.qualification_type_name or change.qualification_type_id),
                    _cell(change.kind),
                    _cell(f"{before} -> {change.after.text()}: {change.outcome_text()}"),
                ]
            )
        fit_columns(table, rows)
        table.add_rows(rows)


def summary_path_for(services: Services, beside: Path | None = None) -> Path:
    """Where a run's summary goes: beside the plan file, else in the data directory."""
    when = utc_now()
    if beside is not None:
        return beside.with_name(f"{beside.stem}-applied-{when:%Y%m%dT%H%M%SZ}.csv")
    return default_summary_path(services.config.history_path.parent, when)


def ask_bulk(
    screen: Screen[Any],
    services: Services,
    connection: Connection,
    type_id: str,
    worker_ids: Sequence[str],
    source: str,
) -> None:
    """Ask what to do to every worker of a list (set all, raise all by N, revoke all), then
    open the dry run of that plan."""
    if services.config.read_only or not worker_ids:
        return
    workers = tuple(worker_ids)

    def check(text: str) -> str | None:
        parsed = parse_bulk(text)
        return parsed if isinstance(parsed, str) else None

    def typed(text: str | None) -> None:
        if text is None:
            return
        parsed = parse_bulk(text)
        if isinstance(parsed, str):
            return
        score, delta, reason = parsed
        revoke = reason is not None

        def load() -> Plan:
            return plan_for_workers(workers, type_id, score=score, delta=delta, revoke=revoke)

        screen.app.push_screen(
            PlanDiffScreen(
                services,
                connection,
                load,
                f"{source}: {counted(len(workers), 'worker')}",
                reason=reason or None,
            )
        )

    screen.app.push_screen(
        ChangeInputScreen(
            f"Change {counted(len(workers), 'worker')} · {type_id}",
            "80 sets all to 80; +5 / -5 raises or lowers all; revoke (or revoke: REASON) "
            "revokes all. A dry run comes first: nothing is written before you confirm.",
            placeholder="80, +5, -5 or revoke",
            check=check,
        ),
        typed,
    )


def ask_plan_file(
    screen: Screen[Any], services: Services, connection: Connection, type_id: str | None
) -> None:
    """Ask for a plan file (the website's worker CSV, or WorkerId,Score for the type in
    the ID field), then open its dry run."""
    if services.config.read_only:
        return

    def typed(text: str | None) -> None:
        if not text or not text.strip():
            return
        path = Path(text.strip()).expanduser()

        def load() -> Plan:
            plan = read_plan(path, type_id)
            if plan.source == "website":
                owned = services.types.own_types(services.clients, connection)
                if owned.failure is not None:
                    raise PlanError(f"{owned.failure.title}: {owned.failure.explanation}")
                plan = resolve_names(plan, owned.types)
            return plan

        screen.app.push_screen(PlanDiffScreen(services, connection, load, str(path), path))

    hint = (
        "The website's worker CSV (Worker ID, UPDATE-<name> columns), or WorkerId,Score "
        + (f"for {type_id}" if type_id else "with a QualificationTypeId column")
        + ". A dry run comes first."
    )
    screen.app.push_screen(
        ChangeInputScreen("Apply a plan file", hint, placeholder="path/to/plan.csv"), typed
    )
