"""F7: look up many workers for one qualification type, with bounded concurrency."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, ProgressBar, Static, TextArea

from qualtui.core import export, ids
from qualtui.core.batch import MAX_CONCURRENCY, run_batch
from qualtui.core.connection import Connection, environment_label
from qualtui.core.generation import Generation
from qualtui.core.history import HistoryEntry
from qualtui.core.hit_source import SOURCE_COLUMNS, HitSource
from qualtui.core.hits import HitWorkers, ListingProgress, workers_of_hits
from qualtui.core.models import LookupResult
from qualtui.core.result_format import ROW_COLUMNS, result_row
from qualtui.core.services import Services, owner
from qualtui.core.text import printable
from qualtui.core.word_filter import row_matches
from qualtui.core.worker_ids import WorkerFileError, WorkerList, parse_text, read_file
from qualtui.dialogs.export import ask_and_export
from qualtui.widgets.change_runner import (
    ROW_CHANGE_ACTIONS,
    ROW_CHANGE_BINDINGS,
    ChangeRunner,
    WriteKind,
    after_change,
)
from qualtui.widgets.lookup_form import IdInput
from qualtui.widgets.results_table import ResultsTable

DRAIN_INTERVAL = 0.25  # seconds between table updates while a batch runs
SUMMARY_ORDER = ("Granted", "Revoked", "not held", "error")


def _sort_key(
    column: int, row: Callable[[LookupResult], Sequence[str]]
) -> Callable[[LookupResult], tuple[int, str, str]]:
    def key(result: LookupResult) -> tuple[int, str, str]:
        values = row(result)
        value = values[column]
        if column == 2 and value:  # scores sort as numbers
            value = f"{int(value):012d}"
        return (0 if value else 1, value.lower(), values[0])  # ties: by worker

    return key


class BatchScreen(Screen[None]):
    """Results from threads come back as the messages below, except the lookups' own
    results: a pool delivers them in bursts of hundreds a second, so they go into a deque
    that a timer drains four times a second, one table update per tick (the one exception
    to the rule that a worker's result is a message)."""

    @dataclass
    class Finished(Message):
        """Batch `generation` has ended: `done` lookups answered."""

        generation: int
        done: int

    @dataclass
    class HitsProgress(Message):
        """A page of a HIT's assignments was listed (listing `generation`)."""

        generation: int
        progress: ListingProgress

    @dataclass
    class HitsListed(Message):
        """The workers of the chosen HITs were listed (listing `generation`)."""

        generation: int
        listing: HitWorkers

    @dataclass
    class FileRead(Message):
        path: Path
        workers: WorkerList

    @dataclass
    class FileFailed(Message):
        problem: str

    AUTO_FOCUS = "#batch-workers"
    BINDINGS = [
        Binding(
            "ctrl+y",
            "copy_as_aws_cli",
            "Copy as AWS CLI",
            show=False,
            priority=True,  # over the worker list's redo
            id="batch.copy_as_aws_cli",
            tooltip="Copy the batch as an AWS CLI loop over the IDs",
        ),
        Binding(
            "escape",
            "cancel_or_back",
            "Cancel / back",
            id="batch.cancel",
            tooltip="Cancel the batch; when none runs, back to the lookup",
        ),
        Binding(
            "ctrl+r", "start", "Run", id="batch.run", tooltip="Look up every worker ID in the list"
        ),
        Binding(
            "ctrl+e",
            "export",
            "Export",
            id="batch.export",
            tooltip="Export the results the filter shows (CSV or JSON)",
        ),
        Binding(
            "slash", "filter", "Filter", show=False, id="batch.filter", tooltip="Filter the results"
        ),
        Binding("q", "cancel_or_back", "Back", show=False, id="batch.back", tooltip="Same as Esc"),
        Binding(
            "f10",
            "worker_profile",
            "Worker",
            id="batch.worker_profile",
            tooltip="Worker profile of the row's worker",
        ),
        Binding(
            "ctrl+o",
            "pick_hits",
            "HITs",
            id="batch.hits",
            tooltip="Look up the workers of HITs you choose",
        ),
        *ROW_CHANGE_BINDINGS,
    ]

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
        self.results: list[LookupResult] = []
        self._input_order: dict[str, int] = {}  # worker -> position in the list looked up
        self.total = 0
        self.running = False
        self.cancelled = False
        self._runs = Generation()  # a new one per run or cancel: late results are dropped
        self._cancel = threading.Event()
        self._started = 0.0
        self._sort: tuple[int, bool] | None = None
        self._filter = ""
        self._counts: dict[str, int] = {}  # results per status, for the summary line
        self._inbox: deque[tuple[int, LookupResult]] = deque()
        self.source: HitSource | None = None  # the HITs the workers came from (a plan source)
        self.listing = False  # the chosen HITs' assignments are being listed
        self._listings = Generation()  # a new one per listing or cancel
        self._listing_cancel = threading.Event()
        self._hits_note = ""  # what the listing of the source's HITs said

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        where = environment_label(self.connection.environment)
        if self.connection.profile:
            where += f" · profile {self.connection.profile}"
        with Vertical(id="batch"):
            yield Static(f"Batch lookup  ·  {where}", id="batch-title", markup=False)
            with Horizontal(id="batch-head"):
                yield IdInput(
                    ids.QUALIFICATION_TYPE_ID, id="batch-type", value=self.initial_type_id
                )
                concurrency = Input(
                    str(self.concurrency), id="batch-concurrency", type="integer", max_length=2
                )
                concurrency.border_title = "At once"
                yield concurrency
                yield Button("Run", id="batch-run", variant="primary")
            with Horizontal(id="batch-inputs"):
                workers = TextArea(
                    id="batch-workers",
                    placeholder="Paste worker IDs: one per line, or separated by commas or spaces",
                    soft_wrap=True,
                )
                workers.border_title = "Worker IDs"
                yield workers
                with Vertical(id="batch-file"):
                    path = Input(placeholder="a .txt or .csv (WorkerId column)", id="batch-path")
                    path.border_title = "Or load a file"
                    yield path
                    yield Button("Load file", id="batch-load")
            yield Static("", id="batch-problems", markup=False)
            with Horizontal(id="batch-progress-row"):
                yield ProgressBar(id="batch-progress", show_eta=False)
                yield Static("", id="batch-rate", markup=False)
            yield Input(placeholder="Filter results", id="batch-filter")
            table = ResultsTable(ROW_COLUMNS, id="batch-table")
            table.border_title = "Results"
            yield table
        yield ChangeRunner(self.services)
        yield Footer()

    def on_mount(self) -> None:
        self.set_interval(DRAIN_INTERVAL, self._drain)
        if self.initial_hit_ids:
            self.workers_from_hits(self.initial_hit_ids)

    def row(self, result: LookupResult) -> tuple[str, ...]:
        """A result's table row: with the HITs and assignment statuses for a batch from HITs."""
        values = result_row(result)
        if self.source is None:
            return values
        return values + self.source.cells(result.request.worker_id)

    @property
    def table(self) -> ResultsTable:
        return self.query_one("#batch-table", ResultsTable)

    def _say(self, text: str) -> None:
        self.query_one("#batch-problems", Static).update(text)

    # ------------------------------------------------------------------ input

    @on(Button.Pressed, "#batch-load")
    @on(Input.Submitted, "#batch-path")
    def _load_file(self) -> None:
        text = self.query_one("#batch-path", Input).value.strip()
        if text:
            self._read(export.resolve(text))
        else:
            self._say("Type the file's path first.")

    @work(thread=True, exclusive=True, group="batch-file", exit_on_error=False)
    def _read(self, path: Path) -> None:
        try:
            workers = read_file(path)
        except WorkerFileError as error:
            self.post_message(self.FileFailed(str(error)))
            return
        self.post_message(self.FileRead(path, workers))

    @on(FileFailed)
    def _file_failed(self, message: FileFailed) -> None:
        self._say(message.problem)

    @on(FileRead)
    def _loaded(self, message: FileRead) -> None:
        path, workers = message.path, message.workers
        area = self.query_one("#batch-workers", TextArea)
        lines = list(workers.valid) + [raw for raw, _ in workers.invalid]
        area.load_text("\n".join(lines))
        notes = " · ".join(workers.notes)
        self._say(f"Loaded {len(lines)} IDs from {path.name}" + (f" ({notes})" if notes else ""))

    # ------------------------------------------------------------------ running

    @on(Button.Pressed, "#batch-run")
    def action_start(self) -> None:
        if self.running or self.listing:
            return
        type_input = self.query_one("#batch-type", IdInput)
        if not type_input.show_problem(force=True):
            type_input.focus()
            return
        try:
            concurrency = int(self.query_one("#batch-concurrency", Input).value or "0")
        except ValueError:
            concurrency = 0
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            self._say(f"'At once' must be a number from 1 to {MAX_CONCURRENCY}.")
            return
        workers = parse_text(self.query_one("#batch-workers", TextArea).text)
        problems = []
        if workers.invalid:
            listed = ", ".join(f"{printable(raw)!r}" for raw, _ in workers.invalid[:10])
            more = f" and {len(workers.invalid) - 10} more" if len(workers.invalid) > 10 else ""
            problems.append(f"Skipped {len(workers.invalid)} invalid: {listed}{more}.")
        if workers.duplicates:
            noun = "duplicate" if workers.duplicates == 1 else "duplicates"
            problems.append(f"{workers.duplicates} {noun} looked up once.")
        if not workers.valid:
            problems.insert(0, "No valid worker IDs to look up.")
            self._say(" ".join(problems))
            return
        if self.source is not None and workers.valid != self.source.worker_ids:
            self._set_source(None)  # the list was edited: no longer the HITs' workers
        self._say(" ".join([self._hits_note, *problems]).strip())
        self.concurrency = concurrency
        owner(self.app).keep_settings(concurrency=concurrency)
        self.results = []
        self._input_order = {worker: i for i, worker in enumerate(workers.valid)}
        self._counts = {}
        self.table.clear()
        self.total = len(workers.valid)
        self.running, self.cancelled = True, False
        generation = self._runs.next()
        self._cancel = threading.Event()
        self._started = time.monotonic()
        self.query_one(ProgressBar).update(total=self.total, progress=0)
        self._update_rate()
        self.table.focus()
        self._run(generation, type_input.id_value, workers.valid, concurrency, self._cancel)

    def action_copy_as_aws_cli(self) -> None:
        """The batch as a shell loop of `aws mturk get-qualification-score` over the IDs."""
        from qualtui.core.script_export import aws_cli_command

        type_input = self.query_one("#batch-type", IdInput)
        workers = parse_text(self.query_one("#batch-workers", TextArea).text)
        if not type_input.show_problem(force=True) or not workers.valid:
            self.notify("A valid type ID and worker IDs first.", severity="warning")
            return
        command = aws_cli_command(self.connection, type_input.id_value, workers.valid)
        self.app.copy_to_clipboard(command)
        self.notify(f"Copied an AWS CLI loop over {len(workers.valid)} workers", timeout=3)

    @work(thread=True, exclusive=True, group="batch", exit_on_error=False)
    def _run(
        self,
        generation: int,
        type_id: str,
        worker_ids: tuple[str, ...],
        concurrency: int,
        cancel: threading.Event,
    ) -> None:
        def arrived(result: LookupResult) -> None:
            self._inbox.append((generation, result))  # deque: safe from the pool's threads

        done = run_batch(
            self.clients,
            self.connection,
            type_id,
            worker_ids,
            on_result=arrived,
            concurrency=concurrency,
            cancel=cancel,
            clock=self.clock,
        )
        self.post_message(self.Finished(generation, done))

    def _drain(self) -> None:
        """Show what arrived since the last call: one table update per tick, not per result."""
        arrived: list[LookupResult] = []
        while self._inbox:
            generation, result = self._inbox.popleft()
            if self._runs.accept(generation):  # a cancelled batch's late answers are dropped
                arrived.append(result)
        if not arrived:
            return
        self.results.extend(arrived)
        for result in arrived:
            status = result_row(result)[1]  # the lookup's status, not the assignment's
            self._counts[status] = self._counts.get(status, 0) + 1
        self.query_one(ProgressBar).advance(len(arrived))
        self.table.add_result_rows(self.row(r) for r in arrived if self._matches(r))
        self._update_rate()

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        if not self._runs.accept(message.generation):
            return
        self._drain()
        self.running = False
        self._update_rate()
        self._rebuild()  # in input order (or the sorted column's), whatever order they came
        if self.results:
            owner(self.app).record([HistoryEntry.from_result(r) for r in self.results])

    def action_cancel_or_back(self) -> None:
        if self.listing:
            self._listing_cancel.set()
            self._listings.next()  # the listing's late answer is dropped
            self.listing = False
            self.query_one(ProgressBar).update(total=None, progress=0)
            self._say("Listing the HITs' workers cancelled: nothing was looked up.")
        elif self.running:
            self._cancel.set()
            self.cancelled = True
            self.running = False
            self._runs.next()  # results still in flight are dropped
            self._update_rate()
            if self.results:
                owner(self.app).record([HistoryEntry.from_result(r) for r in self.results])
        else:
            self.dismiss(None)

    def summary(self) -> str:
        """'2 Granted, 1 Revoked, 3 not held': always in this order."""
        order = {status: i for i, status in enumerate(SUMMARY_ORDER)}
        counts = sorted(self._counts.items(), key=lambda item: order.get(item[0], 99))
        return ", ".join(f"{n} {status}" for status, n in counts)

    def _update_rate(self) -> None:
        done = len(self.results)
        elapsed = max(time.monotonic() - self._started, 1e-6)
        rate = done / elapsed if done else 0.0
        summary = self.summary()
        if self.running:
            state = f"{done} / {self.total} · {rate:.1f}/s · Esc cancels"
        elif self.cancelled:
            state = f"Cancelled after {done} of {self.total}"
        else:
            state = f"Done: {done} in {elapsed:.1f} s ({rate:.1f}/s)"
        self.query_one("#batch-rate", Static).update(
            f"{state}" + (f"  ·  {summary}" if summary else "") if self.total else ""
        )

    # ------------------------------------------------------------------ table

    def _matches(self, result: LookupResult) -> bool:
        return row_matches(self.row(result), self._filter)

    def shown_results(self) -> list[LookupResult]:
        """The results the filter keeps: in the order of the list looked up (answers arrive
        in any order), unless a column is sorted."""
        order = self._input_order
        rows = sorted(
            (r for r in self.results if self._matches(r)),
            key=lambda r: order.get(r.request.worker_id, len(order)),
        )
        if self._sort is not None:
            column, reverse = self._sort
            rows.sort(key=_sort_key(column, self.row), reverse=reverse)
        return rows

    def _rebuild(self) -> None:
        self.table.show_rows(self.row(r) for r in self.shown_results())

    @on(Input.Changed, "#batch-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter = event.value
        self._rebuild()

    @on(DataTable.HeaderSelected, "#batch-table")
    def _sort_by(self, event: DataTable.HeaderSelected) -> None:
        column = event.column_index
        reverse = self._sort == (column, False)
        self._sort = (column, reverse)
        self._rebuild()

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#batch-filter", Input))

    # ------------------------------------------------------------------ export

    def action_export(self) -> None:
        rows = self.shown_results()
        if not rows:
            self.notify("Nothing to export yet.", severity="warning")
            return
        source = self.source
        ask_and_export(
            self,
            [HistoryEntry.from_result(r) for r in rows],
            filtered=bool(self._filter.strip()),
            now=self.clock().astimezone(),
            noun="results",
            extra=None if source is None else [source.fields(r.request.worker_id) for r in rows],
        )

    def action_worker_profile(self) -> None:
        from qualtui.screens.worker_profile import open_worker_profile

        table = self.table
        if not 0 <= table.cursor_row < table.row_count:
            self.notify("No result to show a worker from yet.", severity="warning")
            return
        worker = table.get_row_at(table.cursor_row)[0].plain
        open_worker_profile(self.app, self.services, self.connection, worker)

    # ------------------------------------------------------------------ from HITs

    def action_pick_hits(self) -> None:
        from qualtui.dialogs.hit_picker import HitPickerScreen

        if self.running or self.listing:
            self.notify("Wait for the batch to end, or cancel it (Esc).", severity="warning")
            return

        def chosen(hit_ids: tuple[str, ...] | None) -> None:
            if hit_ids:
                self.workers_from_hits(hit_ids)

        self.app.push_screen(HitPickerScreen(self.clients, self.connection), chosen)

    def workers_from_hits(self, hit_ids: Sequence[str]) -> None:
        """List the workers of these HITs (Submitted, Approved, Rejected), put them in the
        list, and look them up for the type in the field. Esc cancels the listing."""
        if self.running:
            return
        self._listing_cancel.set()
        self._listing_cancel = threading.Event()
        self.listing = True
        self.query_one(ProgressBar).update(total=None, progress=0)
        noun = "HIT" if len(hit_ids) == 1 else f"{len(hit_ids)} HITs"
        self._say(f"Listing the workers of {noun}… · Esc cancels")
        self.query_one("#batch-rate", Static).update("")
        self._list_hits(self._listings.next(), tuple(hit_ids), self._listing_cancel)

    @work(thread=True, exclusive=True, group="batch-hits", exit_on_error=False)
    def _list_hits(
        self, generation: int, hit_ids: tuple[str, ...], cancel: threading.Event
    ) -> None:
        def page(progress: ListingProgress) -> None:
            self.post_message(self.HitsProgress(generation, progress))

        listing = workers_of_hits(
            self.clients, self.connection, hit_ids, on_page=page, cancel=cancel
        )
        self.post_message(self.HitsListed(generation, listing))

    @on(HitsProgress)
    def _hits_progress(self, message: HitsProgress) -> None:
        if message.generation != self._listings.current or not self.listing:
            return
        p = message.progress
        where = f"HIT {p.hit_number} of {p.hits}, " if p.hits > 1 else ""
        self._say(
            f"Listing the workers: {where}page {p.pages}, "
            f"{p.total_assignments:,} assignments so far · Esc cancels"
        )

    @on(HitsListed)
    def _hits_listed(self, message: HitsListed) -> None:
        if not self._listings.accept(message.generation) or not self.listing:
            return
        self.listing = False
        listing = message.listing
        source = HitSource(listing)
        notes = [f"From the HITs: {source.summary()}."]
        for failed in listing.failures:
            f = failed.failure
            notes.append(f"HIT {failed.hit_id}: {f.title}. {f.explanation} {f.fix}")
        if listing.unlisted:
            notes.append(f"Not listed after that: {', '.join(listing.unlisted)}.")
        if listing.truncated:
            notes.append(f"Only the first 100,000 assignments of {', '.join(listing.truncated)}.")
        self._hits_note = " ".join(printable(n).replace("\n", " ") for n in notes)
        self._say(self._hits_note)
        if not listing.workers:
            self._set_source(None)
            return
        self._set_source(source)
        self.query_one("#batch-workers", TextArea).load_text("\n".join(source.worker_ids))
        self.action_start()

    def _set_source(self, source: HitSource | None) -> None:
        """Where the list came from; the table gets (or loses) the HIT columns."""
        had = self.source is not None
        self.source = source
        if source is None:
            self._hits_note = ""
        if had != (source is not None):
            self.table.set_columns(ROW_COLUMNS + (SOURCE_COLUMNS if source else ()))
            self._sort = None

    # ------------------------------------------------------------------ changes

    @property
    def writes_allowed(self) -> bool:
        return not self.services.config.read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Static (not "has rows yet"): a footer that changes as answers arrive would be drawn
        # at a moment that depends on the machine's speed. The actions say why they cannot.
        if action in ROW_CHANGE_ACTIONS:
            return self.writes_allowed
        return True

    def _row_result(self) -> LookupResult | None:
        rows = self.shown_results()
        row = self.table.cursor_row
        return rows[row] if 0 <= row < len(rows) else None

    def _change_row(self, kind: WriteKind) -> None:
        result = self._row_result()
        if result is None or not self.writes_allowed or self.running:
            self.notify("Wait for the batch to end, then pick a row.", severity="warning")
            return
        request = result.request
        self.query_one(ChangeRunner).start(
            kind, self.connection, request.qualification_type_id, request.worker_id
        )

    def action_set_score(self) -> None:
        self._change_row("set")

    def action_grant(self) -> None:
        self._change_row("grant")

    def action_revoke(self) -> None:
        self._change_row("revoke")

    def action_bulk(self) -> None:
        """Change every worker the table shows (the filter applies)."""
        from qualtui.screens.plan_diff import ask_bulk

        rows = self.shown_results()
        if not rows or self.running:
            self.notify("Wait for the batch to end.", severity="warning")
            return
        type_id = rows[0].request.qualification_type_id
        workers = [r.request.worker_id for r in rows]
        ask_bulk(self, self.services, self.connection, type_id, workers, "batch")

    @on(ChangeRunner.Finished)
    def _changed(self, message: ChangeRunner.Finished) -> None:
        """The row shows the state read back after the change."""
        change = message.change
        checked = change.checked
        if checked is None:
            return
        for i, result in enumerate(self.results):
            request = result.request
            if (request.worker_id, request.qualification_type_id) == (
                change.worker_id,
                change.qualification_type_id,
            ):
                self.results[i] = after_change(result, checked)
        self._rebuild()
