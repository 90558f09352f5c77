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
        self.total = 0  # lookups the current run is for (its progress: done / total)
        self.base = 0  # results that count as done before the current run started
        self.arrived = 0  # results of the current run
        self._position: dict[str, int] = {}  # worker -> index in results
        self._unsaved: list[LookupResult] = []

    def start(self, workers: Sequence[str]) -> None:
        """A new run over `workers`: what an earlier one found is forgotten."""
        self.results = []
        self.input_order = {worker: i for i, worker in enumerate(workers)}
        self.counts = {}
        self._position = {}
        self._begin(len(workers), base=0, new_run=True)

    def rest(self) -> tuple[str, ...]:
        """The workers of the list without a result (after a cancel or a stop), in order."""
        return tuple(w for w in self.input_order if w not in self._position)

    def failed(self) -> tuple[str, ...]:
        """The workers whose lookup failed (not held is an answer, not a failure)."""
        return tuple(
            r.request.worker_id
            for r in self.shown_in_order()
            if r.failure is not None and r.failure.kind != "not_held"
        )

    def resume(self) -> tuple[str, ...]:
        """Go on with the rest, in the same run; returns the workers to look up."""
        rest = self.rest()
        self._begin(len(self.input_order), base=len(self.results), new_run=False)
        return rest

    def retry_failed(self) -> tuple[str, ...]:
        """Look up the failed ones again, as a new run (their new results replace the old)."""
        failed = self.failed()
        self._begin(len(failed), base=0, new_run=True)
        return failed

    def _begin(self, total: int, *, base: int, new_run: bool) -> None:
        self.total, self.base, self.arrived = total, base, 0
        if new_run:
            self.run_id = uuid.uuid4().hex
            self._unsaved = []

    @property
    def done(self) -> int:
        return self.base + self.arrived

    def unsaved(self) -> list[HistoryEntry]:
        """The history entries of the results not handed out for saving yet (each once, all
        with this run's id, so saves as the batch goes make one run, never duplicates)."""
        new, self._unsaved = self._unsaved, []
        return [replace(HistoryEntry.from_result(r), run_id=self.run_id) for r in new]

    def add(self, arrived: Iterable[LookupResult]) -> bool:
        """Keep results as they arrive; True when one replaced an earlier result (a retry)."""
        replaced = False
        for result in arrived:
            worker = result.request.worker_id
            index = self._position.get(worker)
            if index is None:
                self._position[worker] = len(self.results)
                self.results.append(result)
            else:
                self._count(self.results[index], -1)
                self.results[index] = result
                replaced = True
            self._count(result, 1)
            self._unsaved.append(result)
            self.arrived += 1
        return replaced

    def _count(self, result: LookupResult, n: int) -> None:
        status = result_row(result)[1]  # the lookup's status, not the assignment's
        self.counts[status] = self.counts.get(status, 0) + n
        if not self.counts[status]:
            del self.counts[status]

    def row(self, result: LookupResult) -> tuple[str, ...]:
        """A result's table row: with the HITs and assignment statuses for a batch from HITs."""
        values = result_row(result)
        if self.source is None:
            return values
        return values + self.source.cells(result.request.worker_id)

    def matches(self, result: LookupResult) -> bool:
        if not self.filter.strip():
            return True  # no filter: every row, without formatting one to search it
        return row_matches(self.row(result), self.filter)

    def shown_in_order(self) -> list[LookupResult]:
        order = self.input_order
        return sorted(self.results, key=lambda r: order.get(r.request.worker_id, len(order)))

    def shown(self) -> list[LookupResult]:
        """The results the filter keeps: in the order of the list looked up, unless a column
        is sorted."""
        rows = [r for r in self.shown_in_order() if self.matches(r)]
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

    def status_line(self, state: str, elapsed: float) -> str:
        """'6 / 8 · 4.2/s · Esc cancels  ·  2 Granted, ...' (`state`: running, paused,
        cancelled or done); empty before any run."""
        total, done = self.total, self.done
        if not total:
            return ""
        elapsed = max(elapsed, 1e-6)
        rate = self.arrived / elapsed if self.arrived else 0.0
        if state == "running":
            line = f"{done} / {total} · {rate:.1f}/s · Esc cancels"
        elif state == "paused":
            line = f"Paused after {done} of {total}"
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
