"""The dry run of a plan: every worker's current value read as a batch, and the diff.
Nothing is written. Blocking: call from a worker thread.

Each valid row becomes one of: `unchanged` (already so: a score equal to the one asked, or
a revoke of what is not held), `grant` (a new grant, or a revoked one granted again),
`change` (a score changed, old -> new), `revoke`; or `invalid`, with the reason (the row
was invalid in the plan, the worker's value could not be read, there is no score to raise).
Re-running a plan that was applied finds its rows unchanged.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from qualtui.core.batch import DEFAULT_CONCURRENCY, THROTTLE_PAUSE, run_lookups
from qualtui.core.changes.change import (
    INT32_MAX,
    INT32_MIN,
    ChangeKind,
    State,
    score_warnings,
)
from qualtui.core.changes.plan import Plan, PlanRow
from qualtui.core.changes.writes import Intent, state_of
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.errors import failure_of
from qualtui.core.models import Failure, LookupRequest, LookupResult
from qualtui.core.qualification_types import TypeCache
from qualtui.core.wording import counted

DiffKind = Literal["unchanged", "grant", "change", "revoke", "invalid"]
DIFF_KINDS: tuple[DiffKind, ...] = ("unchanged", "grant", "change", "revoke", "invalid")
WRITES: tuple[DiffKind, ...] = ("grant", "change", "revoke")


@dataclass(frozen=True)
class DiffRow:
    row: PlanRow
    kind: DiffKind
    before: State | None = None
    after: State | None = None
    problem: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def writes(self) -> bool:
        return self.kind in WRITES

    def intent(self, *, notify: bool = False, reason: str | None = None) -> Intent:
        """The write this row asks for (only for `grant`, `change` and `revoke`)."""
        assert self.writes and self.after is not None and self.row.qualification_type_id
        type_id, worker = self.row.qualification_type_id, self.row.worker_id
        if self.kind == "revoke":
            return Intent("revoke", type_id, worker, reason=reason)
        kind: ChangeKind = "grant" if self.kind == "grant" else "set"
        return Intent(kind, type_id, worker, value=self.after.value, notify=notify)

    def text(self) -> str:
        """`not held -> 80`, `87 -> revoked`, `invalid: why`: one line for the table."""
        if self.kind == "invalid":
            return f"invalid: {self.problem}"
        before = self.before.text() if self.before is not None else "?"
        if self.kind == "unchanged":
            return f"unchanged ({before})"
        after = "revoked" if self.kind == "revoke" else (self.after.text() if self.after else "?")
        return f"{before} -> {after}"


@dataclass(frozen=True)
class Diff:
    """The dry run's answer, in the plan's order. `complete` is False when it was cancelled
    (the rows not read are invalid: "not read")."""

    connection: Connection
    rows: tuple[DiffRow, ...]
    type_names: Mapping[str, str] = field(default_factory=dict)
    complete: bool = True

    @property
    def counts(self) -> dict[DiffKind, int]:
        found = Counter(r.kind for r in self.rows)
        return {kind: found.get(kind, 0) for kind in DIFF_KINDS}

    @property
    def to_apply(self) -> tuple[DiffRow, ...]:
        return tuple(r for r in self.rows if r.writes)

    def counts_text(self) -> str:
        """`2 new grants, 3 score changes, 1 revoke, 4 unchanged, 1 invalid`."""
        c = self.counts
        parts = [
            counted(c["grant"], "new grant"),
            counted(c["change"], "score change"),
            counted(c["revoke"], "revoke"),
            f"{c['unchanged']} unchanged",
            f"{c['invalid']} invalid",
        ]
        return ", ".join(parts)


def diff_row(row: PlanRow, state: State | Failure | None) -> DiffRow:
    """One plan row against the worker's current state."""
    if row.problem is not None:
        return DiffRow(row, "invalid", problem=row.problem)
    if state is None:
        return DiffRow(row, "invalid", problem="not read (the dry run was stopped)")
    if isinstance(state, Failure):
        return DiffRow(row, "invalid", problem=f"could not read the current value: {state.title}")
    if row.revoke:
        if not state.held:
            return DiffRow(row, "unchanged", state, state)
        return DiffRow(row, "revoke", state, State("Revoked", state.value))
    if row.delta is not None:
        if not state.held or state.value is None:
            return DiffRow(row, "invalid", state, problem="holds no score to raise or lower")
        value = state.value + row.delta
        if not INT32_MIN <= value <= INT32_MAX:
            return DiffRow(row, "invalid", state, problem=f"{value} is not a 32-bit integer")
    else:
        assert row.score is not None
        value = row.score
    after = State("Granted", value)
    warnings = score_warnings(value)
    if state.held and state.value == value:
        return DiffRow(row, "unchanged", state, after)
    kind: DiffKind = "change" if state.held else "grant"
    return DiffRow(row, kind, state, after, warnings=warnings)


def dry_run(
    clients: ClientCache,
    connection: Connection,
    plan: Plan,
    *,
    types: TypeCache | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    cancel: threading.Event | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
) -> Diff | Failure:
    """Read every valid row's current value (one batch over every type) and compare.

    The client is built once first: a profile or credentials problem is returned (one
    failure, not one per row). `on_progress(read, total)` is called from the pool's threads.
    """
    cancel = cancel or threading.Event()
    try:
        clients.client(connection)
    except Exception as exc:
        return failure_of(clients, connection, exc)
    names: dict[str, str] = {}
    states: dict[tuple[str, str], State | Failure] = {}
    total = sum(1 for r in plan.valid)
    read = 0
    lock = threading.Lock()

    def collect(result: LookupResult) -> None:
        nonlocal read
        key = (result.request.qualification_type_id, result.request.worker_id)
        with lock:
            states[key] = state_of(result)
            read += 1
            done = read
        if on_progress is not None:
            on_progress(done, total)

    if types is not None:
        for type_id in plan.type_ids:
            details = types.details(clients, connection, type_id)
            if not isinstance(details, Failure):
                names[type_id] = details.name
    requests = [
        LookupRequest(connection, row.qualification_type_id, row.worker_id)
        for row in plan.valid
        if row.qualification_type_id is not None
    ]
    run_lookups(
        clients,
        requests,
        on_result=collect,
        concurrency=concurrency,
        cancel=cancel,
        throttle_pause=throttle_pause,
        thread_name_prefix="qualtui-dry-run",
    )
    for row in plan.rows:
        if row.type_name and row.qualification_type_id:
            names.setdefault(row.qualification_type_id, row.type_name)
    rows = tuple(
        diff_row(row, states.get((row.qualification_type_id or "", row.worker_id)))
        for row in plan.rows
    )
    return Diff(connection, rows, names, complete=not cancel.is_set())
