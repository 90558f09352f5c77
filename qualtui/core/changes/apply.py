"""Applying a dry run's diff: bounded concurrency, throttling absorbed, cancellable, every
change recorded as it finishes, a summary and an undo plan. Blocking: call from a worker
thread; `on_change` is called from that thread as each change finishes.

- Only `grant`, `change` and `revoke` rows are written; each is verified by reading back
  (`writes.change_qualification`, given the state the dry run read).
- Cancelling (`cancel.set()`) starts no further change; those in flight finish and are
  recorded, so what was applied stays recorded. The writes run on daemon threads: a
  process that quits mid-run does not wait for them (their outcome is then
  not recorded). Re-running the plan finds what was applied unchanged.
- The run's changes share one run id in the history; `write_summary` writes the summary
  CSV and, beside it, the undo plan (`<name>.undo.csv`, `WorkerId,Score,
  QualificationTypeId`: readable by `plan.read_plan`).
"""

from __future__ import annotations

import csv
import io
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from qualtui.core.atomic import write_atomic
from qualtui.core.changes.change import Change, Outcome
from qualtui.core.changes.dry_run import Diff, DiffRow
from qualtui.core.changes.pool import run_each
from qualtui.core.changes.record import ChangeRecorder
from qualtui.core.changes.undo import inverse_row
from qualtui.core.changes.writes import THROTTLE_PAUSE, change_qualification
from qualtui.core.client import ClientCache
from qualtui.core.export import safe_cell
from qualtui.core.history import HistoryStore
from qualtui.core.timefmt import utc_now

DEFAULT_CONCURRENCY = 10
MAX_CONCURRENCY = 64

ChangeCallback = Callable[[Change, int, int], None]
"""Called as (change, finished, total) as each change finishes."""


@dataclass(frozen=True)
class ApplySummary:
    run_id: str
    changes: tuple[Change, ...]  # in the plan's order
    total: int  # the rows that were to be written
    cancelled: bool = False
    elapsed: float = 0.0
    history_error: str | None = None

    @property
    def counts(self) -> dict[Outcome | str, int]:
        found = Counter(c.outcome for c in self.changes)
        return {
            "done": found.get("done", 0),
            "failed": found.get("failed", 0),
            "unknown": found.get("unknown", 0),
            "not started": self.not_started,
        }

    @property
    def not_started(self) -> int:
        return self.total - len(self.changes)

    @property
    def failures(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if not c.succeeded)

    @property
    def succeeded(self) -> bool:
        """Every change applied and verified, none left out."""
        return not self.failures and self.not_started == 0

    def counts_text(self) -> str:
        c = self.counts
        text = f"{c['done']} done, {c['failed']} failed, {c['unknown']} unknown"
        return text + (f", {c['not started']} not started (stopped)" if self.not_started else "")


def apply_diff(
    clients: ClientCache,
    diff: Diff,
    *,
    store: HistoryStore | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: threading.Event | None = None,
    on_change: ChangeCallback | None = None,
    notify: bool = False,
    reason: str | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
    clock: Callable[[], datetime] = utc_now,
    run_id: str | None = None,
) -> ApplySummary:
    """Write the diff's changes; returns the summary (never raises for a failed change)."""
    cancel = cancel or threading.Event()
    run_id = run_id or uuid.uuid4().hex
    rows = diff.to_apply
    recorder = ChangeRecorder(store, run_id)
    started = time.perf_counter()
    finished: dict[int, Change] = {}
    connection = diff.connection

    def one(row: DiffRow) -> Change | None:
        if cancel.is_set():
            return None
        type_id = row.row.qualification_type_id or ""
        change = change_qualification(
            clients,
            connection,
            row.intent(notify=notify, reason=reason),
            before=row.before,
            type_name=diff.type_names.get(type_id),
            run_id=run_id,
            undoes=row.row.undoes,
            cancel=cancel,
            throttle_pause=throttle_pause,
            clock=clock,
        )
        failure = change.details.failure
        if failure is not None and failure.kind == "cancelled":
            return None  # stopped while throttled: never sent
        return change

    concurrency = max(1, min(concurrency, MAX_CONCURRENCY))
    try:
        for index, change in run_each(
            rows, one, concurrency=concurrency, cancel=cancel, thread_name_prefix="qualtui-apply"
        ):
            finished[index] = change
            recorder.add(change)
            if on_change is not None:
                on_change(change, len(finished), len(rows))
    finally:
        recorder.close()
    return ApplySummary(
        run_id=run_id,
        changes=tuple(finished[i] for i in sorted(finished)),
        total=len(rows),
        cancelled=cancel.is_set(),
        elapsed=time.perf_counter() - started,
        history_error=recorder.error,
    )


SUMMARY_COLUMNS = (
    "worker_id",
    "qualification_type_id",
    "qualification_type_name",
    "kind",
    "before",
    "after",
    "outcome",
    "checked",
    "message",
    "warnings",
    "change_id",
)


def summary_csv(changes: Sequence[Change]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=SUMMARY_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for c in changes:
        failure = c.details.failure
        row = {
            "worker_id": c.worker_id,
            "qualification_type_id": c.qualification_type_id,
            "qualification_type_name": c.qualification_type_name or "",
            "kind": c.kind,
            "before": c.before.text() if c.before is not None else "",
            "after": c.after.text(),
            "outcome": c.outcome,
            "checked": c.checked.text() if c.checked is not None else "",
            "message": (failure.message or failure.title) if failure is not None else "",
            "warnings": " ".join(c.details.warnings),
            "change_id": c.id,
        }
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def undo_csv(changes: Sequence[Change]) -> bytes:
    """The undo plan of these changes: each applied one's inverse, `WorkerId,Score,
    QualificationTypeId` (Score `Revoke` for a fresh grant)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["WorkerId", "Score", "QualificationTypeId"])
    for change in changes:
        row = inverse_row(change, 0)
        if row is None or not row.valid:
            continue
        score = "Revoke" if row.revoke else str(row.score)
        writer.writerow([change.worker_id, score, change.qualification_type_id])
    return buffer.getvalue().encode("utf-8")


def undo_path(summary_path: Path) -> Path:
    """`apply-20261128T170000Z.csv` -> `apply-20261128T170000Z.undo.csv`."""
    return summary_path.with_name(f"{summary_path.stem}.undo.csv")


def write_summary(summary: ApplySummary, path: Path) -> tuple[Path, Path]:
    """Write the summary CSV at `path` and the undo plan beside it, atomically (0600).
    Raises OSError."""
    write_atomic(path, summary_csv(summary.changes))
    undo = undo_path(path)
    write_atomic(undo, undo_csv(summary.changes))
    return path, undo


def default_summary_path(directory: Path, when: datetime) -> Path:
    return directory / f"qualtui-apply-{when:%Y%m%dT%H%M%SZ}.csv"
