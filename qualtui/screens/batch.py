"""F7: look up many workers for one qualification type, with bounded concurrency."""

from __future__ import annotations

import time
import weakref
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, ProgressBar, Static

from qualtui.core.batch_results import BatchResults
from qualtui.core.connection import Connection, environment_label
from qualtui.core.hit_source import SOURCE_COLUMNS
from qualtui.core.models import LookupResult
from qualtui.core.result_format import ROW_COLUMNS
from qualtui.core.services import Services, owner
from qualtui.core.wording import counted
from qualtui.core.worker_ids import parse_text
from qualtui.screens.batch_from_hits import BatchFromHits
from qualtui.screens.batch_keys import BATCH_BINDINGS
from qualtui.screens.view_css import progress_row_css
from qualtui.widgets.batch_file import WorkerFileBox
from qualtui.widgets.batch_form import BatchForm, BatchRequest
from qualtui.widgets.batch_hits import HitsLister
from qualtui.widgets.batch_runner import BatchRunner
from qualtui.widgets.change_runner import (
    ChangeRunner,
)
from qualtui.widgets.results_table import ResultsTable
from qualtui.widgets.steady_footer import SteadyFooter

DRAIN_INTERVAL = 0.5  # seconds between table updates while a batch runs
SAVE_INTERVAL = 1.0  # finished results are saved at least this often while a batch runs


@dataclass(frozen=True)
class _Kept:
    workers_text: str
    type_id: str
    found: BatchResults
    cancelled: bool


_kept: dict[int, _Kept] = {}  # id(Services) -> the last batch view's list and results


class BatchScreen(BatchFromHits):
    """The view: what to look up (`BatchForm`), the run (`BatchRunner`, drained by a timer
    twice a second while it runs, nothing redrawn when nothing arrived), the results
    (`BatchResults`, drawn in a `ResultsTable`), workers from HITs (`HitsLister`) and
    changes on rows (`ChangeRunner`)."""

    DEFAULT_CSS = """
    $frame: $foreground 25%;  /* as in qualtui.tcss: a variable is the stylesheet's own */
    #batch {
        padding: 0 1;
    }
    #batch-title {
        text-style: bold;
        padding: 0 1;
    }
    #batch-form {
        height: auto;
    }
    #batch-head {
        height: auto;
    }
    #batch-head IdInput, #batch-head Input, #batch-file Input {
        border: round $frame;
        border-title-color: $text-muted;
        padding: 0 1;
    }
    #batch-head IdInput:focus, #batch-head Input:focus, #batch-file Input:focus {
        border: round $border;
    }
    #batch-head IdInput.-invalid {
        border: round $error;
    }
    #batch-type {
        width: 1fr;
        margin-right: 1;
    }
    #batch-concurrency {
        width: 14;
        margin-right: 1;
    }
    #batch-inputs {
        height: 8;
    }
    #batch-workers {
        width: 2fr;
        border: round $frame;
        border-title-color: $text-muted;
    }
    #batch-workers:focus {
        border: round $border;
    }
    #batch-file {
        width: 1fr;
        margin-left: 1;
    }
    #batch-problems {
        height: auto;
        color: $text-warning;
        padding: 0 1;
    }
    #batch-paused {
        display: none;
        height: auto;
        padding: 0 1;
    }
    BatchScreen.-paused #batch-paused {
        display: block;
    }
    #batch-paused Button {
        margin-right: 1;
    }
    #batch-filter {
        border: none;
        height: 1;
        padding: 0 1;
        margin-top: 1;
        background: $boost;
    }
    #batch-table {
        height: 1fr;
        border: round $frame;
        border-title-color: $text-accent;
    }
    #batch-table:focus {
        border: round $border;
    }

    /* at small sizes: rows and the summary with its counts stay on screen */
    BatchScreen.-short #batch-inputs {
        height: 4;
    }
    BatchScreen.-short.-narrow #batch-inputs {
        height: 3;
    }
    BatchScreen.-short #batch-load {
        display: none;  /* Enter in the path field loads */
    }
    BatchScreen.-short #batch-filter {
        margin-top: 0;
    }
    BatchScreen.-narrow #batch-progress-row {
        layout: vertical;
        height: auto;
    }
    BatchScreen.-narrow #batch-rate {
        height: auto;
    }
    """ + progress_row_css("batch-progress-row", "batch-progress", "batch-rate")

    AUTO_FOCUS = "#batch-workers"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    BINDINGS = BATCH_BINDINGS

    def __init__(
        self,
        services: Services,
        connection: Connection,
        type_id: str,
        concurrency: int,
        hit_ids: Sequence[str] = (),
    ) -> None:
        super().__init__(id="batch-screen")
        self.services = services
        self.clients = services.clients
        self.connection = connection
        self.initial_type_id = type_id
        self.initial_hit_ids = tuple(hit_ids)  # list their workers once shown
        self.concurrency = concurrency
        self.clock = services.clock
        self.found = BatchResults()
        self.running = False
        self.paused = False  # stopped by the endpoint: Retry or Cancel
        self.cancelled = False
        self._type_id = ""  # of the current run
        self._started = 0.0
        self._saved_at = 0.0
        self._rate_line = ""
        self._hits_note = ""  # what the listing of the source's HITs said

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        where = environment_label(self.connection.environment)
        if self.connection.profile:
            where += f" · profile {self.connection.profile}"
        with Vertical(id="batch"):
            yield Static(f"Batch lookup  ·  {where}", id="batch-title", markup=False)
            yield BatchForm(self.initial_type_id, self.concurrency)
            yield Static("", id="batch-problems", markup=False)
            with Horizontal(id="batch-progress-row"):
                # total=1: hidden, an empty bar would still animate, 15 frames a second (#15)
                bar = ProgressBar(id="batch-progress", show_eta=False, total=1)
                bar.display = False
                yield bar
                yield Static("", id="batch-rate", markup=False)
            with Horizontal(id="batch-paused"):
                yield Button("Retry", id="batch-retry", variant="primary")
                yield Button("Cancel", id="batch-stop")
            yield Input(placeholder="Filter results", id="batch-filter")
            table = ResultsTable(ROW_COLUMNS, id="batch-table")
            table.border_title = "Results"
            yield table
        yield ChangeRunner(self.services)
        yield HitsLister(self.clients)
        yield BatchRunner(self.services)
        yield SteadyFooter()  # focus moving to the table at the start rebuilds no keys

    def on_mount(self) -> None:
        # runs only while a batch does: an idle view wakes nothing
        self._drain_timer = self.set_interval(DRAIN_INTERVAL, self._drain, pause=True)
        if self.initial_hit_ids:
            self.workers_from_hits(self.initial_hit_ids)
        else:
            self._restore()

    def _restore(self) -> None:
        """Reopened (F7 again): the last list, and its results if the type is the same."""
        kept = _kept.get(id(self.services))
        if kept is None:
            return
        self.form.load_workers(kept.workers_text.splitlines())
        if self.initial_type_id not in ("", kept.type_id):
            return  # another type: the list, not its results
        self.form.type_input.value = self._type_id = kept.type_id
        self.found, self.cancelled = kept.found, kept.cancelled
        if kept.found.source is not None:
            self.table.set_columns(ROW_COLUMNS + SOURCE_COLUMNS)
        if kept.found.total:
            self._show_progress()
        self._update_rate()
        self._rebuild()

    def _keep(self) -> None:
        """What the next F7 shows: this list and its results (kept while the app runs)."""
        key = id(self.services)
        if key not in _kept:
            weakref.finalize(self.services, _kept.pop, key, None)
        _kept[key] = _Kept(self.form.worker_text, self._type_id, self.found, self.cancelled)

    @property
    def runner(self) -> BatchRunner:
        return self.query_one(BatchRunner)

    @property
    def _inbox(self) -> deque[tuple[int, LookupResult]]:
        return self.runner.inbox

    # ------------------------------------------------------------------ input

    @on(WorkerFileBox.Problem)
    def _file_failed(self, message: WorkerFileBox.Problem) -> None:
        self._say(message.problem)

    @on(WorkerFileBox.Loaded)
    def _loaded(self, message: WorkerFileBox.Loaded) -> None:
        path, workers = message.path, message.workers
        lines = list(workers.valid) + [raw for raw, _ in workers.invalid]
        self.form.load_workers(lines)
        notes = " · ".join(workers.notes)
        self._say(f"Loaded {len(lines)} IDs from {path.name}" + (f" ({notes})" if notes else ""))

    # ------------------------------------------------------------------ running

    @on(Button.Pressed, "#batch-run")
    def action_start(self) -> None:
        if self.running or self.listing:
            return
        request = self.form.request()
        if isinstance(request, str):
            if request:
                self._say(request)
            return
        same = request.workers == tuple(self.found.input_order) and request.type_id == self._type_id
        rest, failed = self.found.rest(), self.found.failed()
        if same and (rest or failed):
            self._ask_how_to_run(request, rest, failed)
            return
        self._start_again(request)

    def _ask_how_to_run(
        self, request: BatchRequest, rest: Sequence[str], failed: Sequence[str]
    ) -> None:
        """The same list again after a cancel or with failures: the rest, the failed, or all."""
        from qualtui.dialogs.choice import ChoiceScreen

        answers = [("rest", f"Run the rest ({len(rest):,})")] if rest else []
        if failed:
            answers.append(("failed", f"Retry failed ({len(failed):,})"))
        answers.append(("again", f"Start again ({len(request.workers):,})"))
        done = f"{len(self.results):,} of {len(request.workers):,} looked up"

        def chosen(answer: str | None) -> None:
            if answer == "rest":
                self.action_run_rest()
            elif answer == "failed":
                self.action_retry_failed()
            elif answer == "again":
                self._start_again(request)

        self.app.push_screen(ChoiceScreen(f"{done}: run which?", answers), chosen)

    def _start_again(self, request: BatchRequest) -> None:
        if self.source is not None and request.workers != self.source.worker_ids:
            self._set_source(None)  # the list was edited: no longer the HITs' workers
        self._say(" ".join([self._hits_note, *request.notes]).strip())
        self.concurrency = request.concurrency
        if not self.services.config.demo:  # a demo's choices never reach the real settings
            owner(self.app).keep_settings(concurrency=request.concurrency)
        self.found.start(request.workers)
        self.table.clear()
        self._type_id = request.type_id
        self._run(request.workers)

    def _run(self, workers: Sequence[str]) -> None:
        """Start the lookups of `workers` (the run's own set-up is done by the caller)."""
        self.running, self.cancelled, self.paused = True, False, False
        self.set_class(False, "-paused")
        self._started = self._saved_at = time.monotonic()
        self._show_progress()
        self._update_rate()
        self.table.focus()
        self.runner.start(self.connection, self._type_id, workers, self.concurrency)
        self._drain_timer.resume()

    def _show_progress(self) -> None:
        bar = self.query_one(ProgressBar)
        bar.display = True  # hidden before the first run: an empty bar would animate
        bar.update(total=self.found.total, progress=self.found.done)

    @on(Button.Pressed, "#batch-retry")
    def action_run_rest(self) -> None:
        """After a cancel or a stop: look up the rest, in the same run."""
        if self.running or not self.found.rest():
            return
        self._say("")
        self._run(self.found.resume())

    def action_retry_failed(self) -> None:
        """Look up the failed workers again (their new results replace the failures)."""
        if self.running or self.listing:
            return
        if not self.found.failed():
            self.notify("No failed lookup to retry.", severity="information")
            return
        self._run(self.found.retry_failed())

    def action_copy_as_aws_cli(self) -> None:
        """The batch as a shell loop of `aws mturk get-qualification-score` over the IDs."""
        from qualtui.core.script_export import aws_cli_command

        type_input = self.form.type_input
        workers = parse_text(self.form.worker_text)
        if not type_input.show_problem(force=True) or not workers.valid:
            self.notify("A valid type ID and worker IDs first.", severity="warning")
            return
        command = aws_cli_command(self.connection, type_input.id_value, workers.valid)
        self.app.copy_to_clipboard(command)
        loop = counted(len(workers.valid), "worker")
        self.notify(f"Copied an AWS CLI loop over {loop}", timeout=3)

    def _drain(self) -> None:
        """Show what arrived since the last call: one table update per tick, not per result."""
        arrived = self.runner.take()
        if arrived:
            if self.found.add(arrived):
                self._rebuild()  # a retry replaced rows
            else:
                self.table.add_result_rows(self.row(r) for r in arrived if self.found.matches(r))
                if self.found.sort is None:  # answers arrive in any order: shown in the list's
                    order = self.found.input_order
                    self.table.place_rows(lambda worker: order.get(worker, len(order)))
            self.query_one(ProgressBar).advance(len(arrived))
            self._update_rate()
        if time.monotonic() - self._saved_at >= SAVE_INTERVAL - DRAIN_INTERVAL / 2:
            self._save()

    def _save(self) -> None:
        """Finished results go to the history as they come (one run), so even a kill loses at
        most the last second."""
        self._saved_at = time.monotonic()
        entries = self.found.unsaved()
        if entries:
            owner(self.app).record(entries)

    @on(BatchRunner.Ended)
    def _finished(self, message: BatchRunner.Ended) -> None:
        if message.stale or not self.running:  # a cancelled run's: its late answers dropped
            self._drain()
            if not self.running:
                self._drain_timer.pause()
            return
        self._drain()
        self._drain_timer.pause()
        self.running = False
        if message.refused:  # the preflight: nothing was looked up
            self.paused = bool(self.found.results) and bool(self.found.rest())
            if not self.found.results:
                self.found.total = 0  # no progress to show
            self._say(f"Not started: {message.refused}")
        elif message.stopped:
            self.paused = True
            self._say(message.stopped)
        self.set_class(self.paused, "-paused")
        if self.paused:
            self.query_one("#batch-retry", Button).focus()
        self._update_rate()
        # in input order (or the sorted column's), whatever order they came: the drains
        # kept the list's order, so usually nothing is redrawn
        self.table.show_rows_if_changed(self.row(r) for r in self.shown_results())
        self._save()

    @on(Button.Pressed, "#batch-stop")
    def action_cancel_or_back(self) -> None:
        if self.listing:
            self.query_one(HitsLister).cancel()
            self.hide_progress()
            self._say("Listing the HITs' workers cancelled: nothing was looked up.")
        elif self.running or self.paused:
            self.runner.cancel()  # results still in flight are dropped
            self._drain_timer.pause()
            self.cancelled = True
            self.running = self.paused = False
            self.set_class(False, "-paused")
            self._update_rate()
            self._save()
        else:
            self._keep()
            self.dismiss(None)

    def ask_before_quit(self, quit: Callable[[], object]) -> None:
        """Ctrl+Q while the batch runs: stop and keep what finished (then `quit`), or go on."""
        from qualtui.dialogs.confirm import ConfirmScreen

        question = f"{self.found.done:,} of {self.found.total:,} done: stop and keep them?"

        def answered(keep: bool | None) -> None:
            if not keep:
                return
            if self.running:
                self.action_cancel_or_back()  # stops and saves what finished
            quit()

        self.app.push_screen(ConfirmScreen(question, "Stop and keep"), answered)

    def _update_rate(self) -> None:
        elapsed = time.monotonic() - self._started
        state = (
            "running"
            if self.running
            else "paused"
            if self.paused
            else "cancelled"
            if self.cancelled
            else "done"
        )
        line = self.found.status_line(state, elapsed)
        if line != self._rate_line:  # an unchanged line is not redrawn
            self._rate_line = line
            self.query_one("#batch-rate", Static).update(line)
