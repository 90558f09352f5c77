"""The results of one batch as the batch view shows them: in the order of the list looked
up (answers arrive in any order) unless a column is sorted, the rows a filter keeps, and
the counts per status for the summary line. No UI here: the view draws what this says."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from qualtui.core.history import HistoryEntry
from qualtui.core.hit_source import HitSource
from qualtui.core.models import LookupResult
from qualtui.core.result_format import result_row
from qualtui.core.word_filter import row_matches

SUMMARY_ORDER = ("Granted", "Revoked", "not held", "error")


def sort_key(
    column: int, row: Callable[[LookupResult], Sequence[str]]
) -> Callable[[LookupResult], tuple[int, str, str]]:
    """Empty cells last; scores as numbers; ties by worker."""

    def key(result: LookupResult) -> tuple[int, str, str]:
        values = row(result)
        value = values[column]
        if column == 2 and value:  # scores sort as numbers
            value = f"{int(value):012d}"
        return (0 if value else 1, value.lower(), values[0])  # ties: by worker

    return key


class BatchResults:
    def __init__(self) -> None:
        self.results: list[LookupResult] = []
        self.input_order: dict[str, int] = {}  # worker -> position in the list looked up
        self.counts: dict[str, int] = {}  # results per status, for the summary line
        self.sort: tuple[int, bool] | None = None  # (column, reversed)
        self.filter = ""
        self.source: HitSource | None = None  # the HITs the workers came from
        self.run_id = ""  # the history's run: every entry of this batch carries it
        self._saved = 0  # results[:_saved] are in the history

    def start(self, workers: Sequence[str]) -> None:
        """A new run over `workers`: what an earlier one found is forgotten."""
        self.results = []
        self.input_order = {worker: i for i, worker in enumerate(workers)}
        self.counts = {}
        self.run_id = uuid.uuid4().hex
        self._saved = 0

    def unsaved(self) -> list[HistoryEntry]:
        """The history entries of the results not handed out for saving yet (each once, all
        with this run's id, so saves as the batch goes make one run, never duplicates)."""
        new = self.results[self._saved :]
        self._saved = len(self.results)
        return [replace(HistoryEntry.from_result(r), run_id=self.run_id) for r in new]

    def add(self, arrived: Iterable[LookupResult]) -> None:
        for result in arrived:
            self.results.append(result)
            status = result_row(result)[1]  # the lookup's status, not the assignment's
            self.counts[status] = self.counts.get(status, 0) + 1

    def row(self, result: LookupResult) -> tuple[str, ...]:
        """A result's table row: with the HITs and assignment statuses for a batch from HITs."""
        values = result_row(result)
        if self.source is None:
            return values
        return values + self.source.cells(result.request.worker_id)

    def matches(self, result: LookupResult) -> bool:
        return row_matches(self.row(result), self.filter)

    def shown(self) -> list[LookupResult]:
        """The results the filter keeps: in the order of the list looked up, unless a column
        is sorted."""
        order = self.input_order
        rows = sorted(
            (r for r in self.results if self.matches(r)),
            key=lambda r: order.get(r.request.worker_id, len(order)),
        )
        if self.sort is not None:
            column, reverse = self.sort
            rows.sort(key=sort_key(column, self.row), reverse=reverse)
        return rows

    def sort_by(self, column: int) -> None:
        """Sort by `column`; the same column again reverses it."""
        reverse = self.sort == (column, False)
        self.sort = (column, reverse)

    def summary(self) -> str:
        """'2 Granted, 1 Revoked, 3 not held': always in this order."""
        order = {status: i for i, status in enumerate(SUMMARY_ORDER)}
        counts = sorted(self.counts.items(), key=lambda item: order.get(item[0], 99))
        return ", ".join(f"{n} {status}" for status, n in counts)

    def status_line(self, state: str, total: int, elapsed: float) -> str:
        """'6 / 8 · 4.2/s · Esc cancels  ·  2 Granted, ...' (`state`: running, cancelled or
        done); empty before any run."""
        if not total:
            return ""
        done = len(self.results)
        elapsed = max(elapsed, 1e-6)
        rate = done / elapsed if done else 0.0
        if state == "running":
            line = f"{done} / {total} · {rate:.1f}/s · Esc cancels"
        elif state == "cancelled":
            line = f"Cancelled after {done} of {total}"
        else:
            line = f"Done: {done} in {elapsed:.1f} s ({rate:.1f}/s)"
        summary = self.summary()
        return line + (f"  ·  {summary}" if summary else "")

    def replace(
        self, worker_id: str, type_id: str, update: Callable[[LookupResult], LookupResult]
    ) -> None:
        """The results for this worker and type, as `update` makes them (after a change)."""
        for i, result in enumerate(self.results):
            request = result.request
            if (request.worker_id, request.qualification_type_id) == (worker_id, type_id):
                self.results[i] = update(result)
