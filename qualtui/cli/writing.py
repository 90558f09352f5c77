"""What every write command shares: read-only and `--yes`, the confirmation on a terminal,
the output of changes (table, JSON lines, CSV), recording, and the exit status.

- `--read-only` (or read_only in settings): every write command refuses, exit 2.
- Off a terminal a write needs `--yes`; without it the command refuses before sending
  anything (not even a read), exit 2.
- On a terminal the confirmation shows the environment (Production unmistakable), the
  profile, the type, the worker(s), before -> after, the reason and whether the worker is
  notified; the default answer is No in Production.
- Exit 0 when every change was applied and verified, 1 on any failure (the failed rows on
  stderr), 2 for usage errors and refusals.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from qualtui.cli.arguments import EXIT_USAGE
from qualtui.core.changes.change import Change
from qualtui.core.changes.confirmation import connection_lines, type_label
from qualtui.core.changes.record import entry_of
from qualtui.core.config import AppConfig
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.history import HistoryError, HistoryStore
from qualtui.core.text import one_line

EXIT_OK, EXIT_FAILED = 0, 1
__all__ = ["type_label"]  # used by every write command


@dataclass
class Terminal:
    """Where a command talks: its streams, and whether a person can answer (a terminal)."""

    out: IO[str] = field(default_factory=lambda: sys.stdout)
    err: IO[str] = field(default_factory=lambda: sys.stderr)
    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    interactive: bool | None = None

    def can_ask(self) -> bool:
        if self.interactive is not None:
            return self.interactive
        try:
            return self.stdin.isatty() and self.err.isatty()
        except (AttributeError, ValueError):
            return False


def refusal(
    args: argparse.Namespace, config: AppConfig, term: Terminal, command: str
) -> int | None:
    """Exit 2 with a message when writes are off or nobody can confirm; else None."""
    if config.read_only:
        print(
            f"qualtui {command}: refused: read-only mode (--read-only or read_only in "
            "settings); nothing was sent",
            file=term.err,
        )
        return EXIT_USAGE
    if not args.yes and not term.can_ask():
        print(
            f"qualtui {command}: refused: not a terminal, so nobody can confirm; add --yes "
            "to apply without asking. Nothing was sent.",
            file=term.err,
        )
        return EXIT_USAGE
    return None


def confirm(
    term: Terminal,
    connection: Connection,
    lines: Sequence[tuple[str, str]],
    question: str,
    *,
    yes: bool,
) -> bool:
    """Show what will happen and ask; True with --yes. The default is No in Production."""
    if yes:
        return True
    production = connection.environment == PRODUCTION
    rows = [*connection_lines(connection), *lines]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}", file=term.err)
    prompt = f"{question} [y/N] " if production else f"{question} [Y/n] "
    print(prompt, end="", file=term.err, flush=True)
    answer = term.stdin.readline().strip().lower()
    if not answer:
        return not production
    return answer in ("y", "yes")


CHANGE_COLUMNS = (
    "change_id",
    "worker_id",
    "qualification_type_id",
    "kind",
    "before",
    "after",
    "outcome",
    "checked",
    "notified",
    "message",
    "warnings",
)


def change_row(change: Change) -> dict[str, Any]:
    failure = change.details.failure
    return {
        "change_id": change.id,
        "worker_id": change.worker_id,
        "qualification_type_id": change.qualification_type_id,
        "kind": change.kind,
        "before": change.before.text() if change.before is not None else "",
        "after": change.after.text(),
        "outcome": change.outcome,
        "checked": change.checked.text() if change.checked is not None else "",
        "notified": change.details.notified,
        "message": one_line(failure.message or failure.title) if failure is not None else "",
        "warnings": " ".join(change.details.warnings),
    }


def change_json(change: Change) -> str:
    row = change_row(change)
    row["before"] = change.before.to_json() if change.before is not None else None
    row["after"] = change.after.to_json()
    row["checked"] = change.checked.to_json() if change.checked is not None else None
    row["outcome_text"] = change.outcome_text()
    row["warnings"] = list(change.details.warnings)
    return json.dumps(row, ensure_ascii=False)


def print_rows(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, out: IO[str]
) -> None:
    """Rows as an aligned table, JSON lines or CSV."""
    if fmt == "json":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False), file=out)
        return
    text_rows = [{k: one_line(str(row.get(k, ""))) for k in columns} for row in rows]
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(text_rows)
        return
    widths = {c: max([len(c)] + [len(r[c]) for r in text_rows]) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns).rstrip(), file=out)
    for r in text_rows:
        print("  ".join(r[c].ljust(widths[c]) for c in columns).rstrip(), file=out)


def print_changes(changes: Sequence[Change], fmt: str, out: IO[str]) -> None:
    if fmt == "json":
        for change in changes:
            print(change_json(change), file=out)
        return
    print_rows([change_row(c) for c in changes], CHANGE_COLUMNS, fmt, out)


def report_failures(changes: Iterable[Change], term: Terminal, command: str) -> None:
    for change in changes:
        if not change.succeeded:
            print(
                f"qualtui {command}: {change.worker_id} {change.qualification_type_id}: "
                f"{change.kind} {one_line(change.outcome_text())}",
                file=term.err,
            )


def history_store(config: AppConfig) -> HistoryStore:
    store = HistoryStore(config.history_path, config.history_limit, cap=config.history_cap)
    store.load()
    return store


def record_all(config: AppConfig, changes: Sequence[Change], term: Terminal, command: str) -> None:
    """Record single changes (a run's are recorded as they finish)."""
    if not changes:
        return
    try:
        store = history_store(config)
        for change in changes:
            store.append(entry_of(change))
    except (HistoryError, OSError) as error:
        print(f"qualtui {command}: warning: history not saved: {error}", file=term.err)


def exit_status(changes: Sequence[Change]) -> int:
    return EXIT_OK if all(c.succeeded for c in changes) else EXIT_FAILED


def with_config(
    args: argparse.Namespace, config: AppConfig, body: Callable[[AppConfig], int]
) -> int:
    """Run `body` on the configured service, or on the demo endpoints with --demo."""
    if not args.demo:
        return body(config)
    from qualtui.demo import demo_config

    with demo_config(config, args.fault) as demo:
        return body(demo)
