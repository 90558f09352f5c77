"""Undoing a recorded change, or a whole run: the inverse restores the state before.

- a score change: the old score is set again;
- a fresh grant (the worker held nothing, or a revoked one): it is revoked;
- a revoke: granted again with its old score.

The inverse goes through the same path as any change: a preview (the worker's state now
against the state before: a `DiffRow`, so "already as before" shows as unchanged and sends
nothing), a confirmation by the caller, then the write, verified and recorded with `undoes`
naming the change undone. A run is undone as a plan (`undo_plan`): dry run, confirm, apply.
Blocking functions are marked; call them from a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from qualtui.core.changes.change import Change
from qualtui.core.changes.dry_run import DiffRow, diff_row
from qualtui.core.changes.plan import Plan, PlanRow
from qualtui.core.changes.writes import change_qualification, read_state
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.timefmt import utc_now


def applied(change: Change) -> bool:
    """Whether the change may have changed something (what an undo must restore)."""
    if change.outcome == "done":
        return True
    if change.outcome == "unknown":
        return change.checked is None or change.checked != change.before
    return False


def inverse_row(change: Change, line: int) -> PlanRow | None:
    """The plan row that restores the state before `change`; None when it changed nothing.
    The row is invalid (with the reason) when it cannot be undone."""
    if not applied(change):
        return None
    row = PlanRow(line, change.worker_id, change.qualification_type_id, undoes=change.id)
    before = change.before
    if change.kind == "reject":
        return replace(row, problem="a rejected request cannot be undone")
    if before is None:
        return replace(row, problem="the state before it is not known")
    if before.held:
        if before.value is None:
            return replace(row, problem="the score before it is not known")
        return replace(row, score=before.value)
    return replace(row, revoke=True)


def undo_problem(change: Change, connection: Connection) -> str | None:
    """Why `change` cannot be undone through `connection` (another environment or
    profile); None when it can."""
    made = change.connection
    if (made.environment, made.profile) != (connection.environment, connection.profile):
        who = made.profile or "environment credentials"
        return f"This change was made in {made.environment} with {who}: switch to them to undo it."
    return None


def preview_undo(clients: ClientCache, connection: Connection, change: Change) -> DiffRow:
    """The undo of one change against the worker's state now (blocking: one read). An
    `invalid` row says why it cannot be undone; `unchanged` that it is already as before."""
    row = inverse_row(change, 1)
    if row is None:
        row = PlanRow(
            1, change.worker_id, change.qualification_type_id, problem="it changed nothing"
        )
    problem = undo_problem(change, connection)
    if problem is not None and row.problem is None:
        row = replace(row, problem=problem)
    if row.problem is not None:
        return diff_row(row, None)
    return diff_row(
        row, read_state(clients, connection, change.qualification_type_id, change.worker_id)
    )


def apply_undo(
    clients: ClientCache,
    connection: Connection,
    preview: DiffRow,
    *,
    type_name: str | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Change | None:
    """Apply a previewed undo (blocking); None when the preview writes nothing."""
    if not preview.writes:
        return None
    return change_qualification(
        clients,
        connection,
        preview.intent(),
        before=preview.before,
        type_name=type_name,
        undoes=preview.row.undoes,
        clock=clock,
    )


def undo_plan(changes: Sequence[Change]) -> Plan:
    """The plan that undoes these changes (a run's, in the order they were recorded): each
    worker and type is restored to the state before the first change that applied."""
    first: dict[tuple[str, str], Change] = {}
    for change in changes:
        if applied(change):
            first.setdefault((change.qualification_type_id, change.worker_id), change)
    rows = []
    for line, change in enumerate(first.values(), start=1):
        row = inverse_row(change, line)
        if row is not None:
            rows.append(row)
    return Plan(tuple(rows), "list")
