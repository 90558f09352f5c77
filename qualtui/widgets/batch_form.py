"""What a batch looks up: the type, how many at once, the worker IDs (typed, pasted, or
loaded from a file). `request()` checks them and says what is wrong in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, TextArea

from qualtui.core import ids
from qualtui.core.batch import MAX_CONCURRENCY
from qualtui.core.text import printable
from qualtui.core.worker_ids import parse_text
from qualtui.widgets.batch_file import WorkerFileBox
from qualtui.widgets.lookup_form import IdInput


@dataclass(frozen=True)
class BatchRequest:
    type_id: str
    workers: tuple[str, ...]
    concurrency: int
    notes: tuple[str, ...]  # invalid IDs skipped, duplicates looked up once


class BatchForm(Vertical):
    def __init__(self, type_id: str, concurrency: int) -> None:
        super().__init__(id="batch-form")
        self._type_id = type_id
        self._concurrency = concurrency

    def compose(self) -> ComposeResult:
        with Horizontal(id="batch-head"):
            yield IdInput(ids.QUALIFICATION_TYPE_ID, id="batch-type", value=self._type_id)
            concurrency = Input(
                str(self._concurrency), id="batch-concurrency", type="integer", max_length=2
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
            yield WorkerFileBox(id="batch-file")

    @on(Input.Changed, "#batch-type")
    def _normalize(self, event: Input.Changed) -> None:
        """As the lookup's type field: uppercased and trimmed as typed, checked as typed."""
        field = self.type_input
        normalized = ids.normalize(field.value)
        if normalized != field.value:
            keep_cursor = len(normalized) == len(field.value)  # uppercasing keeps it
            cursor = field.cursor_position
            field.value = normalized
            field.cursor_position = cursor if keep_cursor else len(normalized)
            return  # the change above posts another Changed, which checks it
        field.show_problem()

    @property
    def type_input(self) -> IdInput:
        return self.query_one("#batch-type", IdInput)

    @property
    def worker_text(self) -> str:
        return self.query_one("#batch-workers", TextArea).text

    def load_workers(self, lines: list[str] | tuple[str, ...]) -> None:
        self.query_one("#batch-workers", TextArea).load_text("\n".join(lines))

    def request(self) -> BatchRequest | str:
        """What to look up, or what is wrong (the type field shows its own problem, and is
        focused: then the text is empty)."""
        type_input = self.type_input
        if not type_input.show_problem(force=True):
            type_input.focus()
            return ""
        try:
            concurrency = int(self.query_one("#batch-concurrency", Input).value or "0")
        except ValueError:
            concurrency = 0
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            return f"'At once' must be a number from 1 to {MAX_CONCURRENCY}."
        workers = parse_text(self.worker_text)
        notes = []
        if workers.invalid:
            listed = ", ".join(f"{printable(raw)!r}" for raw, _ in workers.invalid[:10])
            more = f" and {len(workers.invalid) - 10} more" if len(workers.invalid) > 10 else ""
            notes.append(f"Skipped {len(workers.invalid)} invalid: {listed}{more}.")
        if workers.duplicates:
            noun = "duplicate" if workers.duplicates == 1 else "duplicates"
            notes.append(f"{workers.duplicates} {noun} looked up once.")
        if not workers.valid:
            return " ".join(["No valid worker IDs to look up.", *notes])
        return BatchRequest(type_input.id_value, workers.valid, concurrency, tuple(notes))
