"""`qualtui apply PLAN.csv [--type TYPE] [--dry-run]`: a bulk plan, dry run first, then one
confirmation and the changes, with progress; Ctrl+C stops (what was applied stays
recorded). A summary CSV and its undo plan are written beside the plan file.

The plan is the requester website's worker CSV (`Worker ID`, `UPDATE-<type name>`
columns) or a `WorkerId,Score` CSV for `--type`. `--dry-run` reads and shows the diff and
writes nothing (allowed in read-only mode). Exit: 0 every change applied and verified (or,
for a dry run, no invalid row), 1 any failure or invalid row, 2 refused or bad arguments.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Sequence
from pathlib import Path

from qualtui.cli.arguments import EXIT_USAGE
from qualtui.cli.writing import (
    EXIT_FAILED,
    EXIT_OK,
    Terminal,
    confirm,
    history_store,
    print_changes,
    print_rows,
    refusal,
    report_failures,
    with_config,
)
from qualtui.core import ids
from qualtui.core.changes.apply import (
    DEFAULT_CONCURRENCY,
    ApplySummary,
    apply_diff,
    write_summary,
)
from qualtui.core.changes.change import Change
from qualtui.core.changes.confirmation import notify_text, plan_lines
from qualtui.core.changes.dry_run import Diff, dry_run
from qualtui.core.changes.plan import Plan, PlanError, read_plan, resolve_names
from qualtui.core.changes.undo import undo_plan
from qualtui.core.client import ClientCache
from qualtui.core.config import AppConfig
from qualtui.core.connection import Connection
from qualtui.core.history import HistoryStore
from qualtui.core.models import Failure
from qualtui.core.qualification_types import TypeCache
from qualtui.core.text import one_line
from qualtui.core.timefmt import utc_now

DIFF_COLUMNS = ("line", "worker_id", "qualification_type_id", "diff", "before", "after", "problem")


def run(args: argparse.Namespace, config: AppConfig, term: Terminal | None = None) -> int:
    term = term or Terminal()
    if not args.dry_run:
        refused = refusal(args, config, term, "apply")
        if refused is not None:
            return refused
    type_id = None
    if args.qualification_type_id:
        type_id = ids.normalize(args.qualification_type_id)
        problem = ids.problem(ids.QUALIFICATION_TYPE_ID, type_id)
        if problem:
            print(f"qualtui apply: error: {one_line(type_id)!r}: {problem}", file=term.err)
            return EXIT_USAGE
    try:
        plan = read_plan(Path(args.plan).expanduser(), type_id)
    except PlanError as error:
        print(f"qualtui apply: error: {error}", file=term.err)
        return EXIT_USAGE
    return with_config(args, config, lambda c: apply_plan(args, c, term, plan, type_id))


def apply_plan(
    args: argparse.Namespace, config: AppConfig, term: Terminal, plan: Plan, type_id: str | None
) -> int:
    connection = config.endpoints.connection(config.profile, config.environment)
    clients = ClientCache(config.client_settings)
    types = TypeCache()
    if plan.source == "website":
        owned = types.own_types(clients, connection)
        if owned.failure is not None:
            return failed(term, owned.failure)
        if type_id is not None:
            details = types.details(clients, connection, type_id)
            if isinstance(details, Failure):
                return failed(term, details)
            try:
                plan = read_plan(Path(args.plan).expanduser(), type_id, details.name)
            except PlanError as error:
                print(f"qualtui apply: error: {error}", file=term.err)
                return EXIT_USAGE
        plan = resolve_names(plan, owned.types)
    diff = dry_run(clients, connection, plan, types=types, concurrency=args.concurrency)
    if isinstance(diff, Failure):
        return failed(term, diff)
    show_diff(diff, args.output, term)
    if args.dry_run:
        return EXIT_OK if diff.counts["invalid"] == 0 else EXIT_FAILED
    if not diff.to_apply:
        print("qualtui apply: nothing to change", file=term.err)
        return EXIT_OK if diff.counts["invalid"] == 0 else EXIT_FAILED
    store = history_store(config)
    summary = confirm_and_apply(args, term, clients, connection, diff, store, Path(args.plan))
    if summary is None:
        return EXIT_FAILED
    return EXIT_OK if summary.succeeded and diff.counts["invalid"] == 0 else EXIT_FAILED


def failed(term: Terminal, failure: Failure) -> int:
    print(
        f"qualtui apply: {one_line(failure.title)}: {one_line(failure.explanation)}", file=term.err
    )
    if failure.message:
        print(f"  {one_line(failure.message)}", file=term.err)
    return EXIT_FAILED


def show_diff(diff: Diff, fmt: str, term: Terminal) -> None:
    rows = [
        {
            "line": r.row.line,
            "worker_id": r.row.worker_id,
            "qualification_type_id": r.row.qualification_type_id or r.row.type_name or "",
            "diff": r.kind,
            "before": r.before.text() if r.before is not None else "",
            "after": r.after.text() if r.after is not None and r.kind != "invalid" else "",
            "problem": r.problem or " ".join(r.warnings),
        }
        for r in diff.rows
        if r.kind != "unchanged" or fmt != "table"
    ]
    print_rows(rows, DIFF_COLUMNS, fmt, term.out)
    print(f"qualtui apply: dry run: {diff.counts_text()}", file=term.err)


def confirm_and_apply(
    args: argparse.Namespace,
    term: Terminal,
    clients: ClientCache,
    connection: Connection,
    diff: Diff,
    store: HistoryStore,
    summary_beside: Path,
) -> ApplySummary | None:
    lines = plan_lines(diff, str(summary_beside), reason=args.reason)
    lines.insert(3, ("Notify", notify_text(args.notify)))
    count = len(diff.to_apply)
    if not confirm(term, connection, lines, f"Apply {count} changes?", yes=args.yes):
        print("Nothing was changed.", file=term.err)
        return None
    summary = run_with_progress(args, term, clients, diff, store)
    print_changes(summary.changes, args.output, term.out)
    report_failures(summary.changes, term, "apply")
    print(f"qualtui apply: {summary.counts_text()} (run {summary.run_id})", file=term.err)
    if summary.history_error:
        print(f"qualtui apply: warning: history not saved: {summary.history_error}", file=term.err)
    when = utc_now()
    target = summary_beside.with_name(f"{summary_beside.stem}-applied-{when:%Y%m%dT%H%M%SZ}.csv")
    try:
        written, undo = write_summary(summary, target)
        print(f"qualtui apply: summary {written}; undo plan {undo}", file=term.err)
    except OSError as error:
        print(f"qualtui apply: warning: summary not written: {error}", file=term.err)
    return summary


def run_with_progress(
    args: argparse.Namespace,
    term: Terminal,
    clients: ClientCache,
    diff: Diff,
    store: HistoryStore,
    undoing: bool = False,
) -> ApplySummary:
    """apply_diff on a daemon thread; Ctrl+C stops it (what was applied is recorded)."""
    cancel = threading.Event()
    done = threading.Event()
    result: list[ApplySummary] = []
    show = term.can_ask()

    def progress(change: Change, finished: int, total: int) -> None:
        if show:
            print(f"\r  {finished}/{total} applied", end="", file=term.err, flush=True)

    def work() -> None:
        try:
            result.append(
                apply_diff(
                    clients,
                    diff,
                    store=store,
                    concurrency=getattr(args, "concurrency", DEFAULT_CONCURRENCY),
                    cancel=cancel,
                    on_change=progress,
                    notify=getattr(args, "notify", False) and not undoing,
                    reason=getattr(args, "reason", None),
                )
            )
        finally:
            done.set()

    threading.Thread(target=work, name="qualtui-apply-run", daemon=True).start()
    try:
        while not done.wait(0.2):
            pass
    except KeyboardInterrupt:
        cancel.set()
        print("\nqualtui apply: stopping; changes under way finish and are recorded", file=term.err)
        done.wait()
    if show:
        print("", file=term.err)
    return result[0]


def undo_run(
    args: argparse.Namespace,
    config: AppConfig,
    term: Terminal,
    changes: Sequence[Change],
    store: HistoryStore,
) -> int:
    """`qualtui undo RUN_ID`: every change of a run restored, as a plan."""
    made = changes[0].connection
    connection = config.endpoints.connection(made.profile, made.environment)
    clients = ClientCache(config.client_settings)
    diff = dry_run(clients, connection, undo_plan(changes), types=TypeCache())
    if isinstance(diff, Failure):
        return failed(term, diff)
    fmt = getattr(args, "output", "table")
    show_diff(diff, fmt, term)
    if not diff.to_apply:
        print("qualtui undo: already as before the run: nothing was sent", file=term.err)
        return EXIT_OK if diff.counts["invalid"] == 0 else EXIT_FAILED
    lines = [
        ("Undo run", f"{changes[0].run_id} ({len(changes)} changes)"),
        ("Changes", diff.counts_text()),
        ("Notify", "no"),
    ]
    if not confirm(term, connection, lines, f"Undo {len(diff.to_apply)} changes?", yes=args.yes):
        print("Nothing was changed.", file=term.err)
        return EXIT_FAILED
    summary = run_with_progress(args, term, clients, diff, store, undoing=True)
    print_changes(summary.changes, fmt, term.out)
    report_failures(summary.changes, term, "undo")
    print(f"qualtui undo: {summary.counts_text()} (run {summary.run_id})", file=term.err)
    return EXIT_OK if summary.succeeded and diff.counts["invalid"] == 0 else EXIT_FAILED
