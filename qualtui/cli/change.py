"""`qualtui set | grant | revoke | undo`: one change from the command line, confirmed,
verified by reading back, recorded in the history (see `cli.writing` for the rules shared by
every write command: read-only, `--yes`, the confirmation, the exit status)."""

from __future__ import annotations

import argparse

from qualtui.cli.arguments import EXIT_USAGE, UsageError
from qualtui.cli.writing import (
    EXIT_FAILED,
    EXIT_OK,
    Terminal,
    confirm,
    exit_status,
    history_store,
    print_changes,
    record_all,
    refusal,
    report_failures,
    type_label,
    with_config,
)
from qualtui.core import ids
from qualtui.core.changes.change import Change, ChangeFailure
from qualtui.core.changes.confirmation import change_lines, undo_lines
from qualtui.core.changes.record import find_change, run_changes
from qualtui.core.changes.undo import apply_undo, preview_undo
from qualtui.core.changes.writes import Intent, change_qualification, preview_change
from qualtui.core.client import ClientCache
from qualtui.core.config import AppConfig
from qualtui.core.qualification_types import TypeCache
from qualtui.core.text import one_line


def run(args: argparse.Namespace, config: AppConfig, term: Terminal | None = None) -> int:
    term = term or Terminal()
    refused = refusal(args, config, term, args.command)
    if refused is not None:
        return refused
    try:
        if args.command == "undo":
            return with_config(args, config, lambda c: undo(args, c, term))
        intent = intent_of(args)
    except UsageError as error:
        print(f"qualtui {args.command}: error: {error}", file=term.err)
        return EXIT_USAGE
    return with_config(args, config, lambda c: one_change(args, c, term, intent))


def intent_of(args: argparse.Namespace) -> Intent:
    type_id = ids.normalize(args.qualification_type_id)
    worker = ids.normalize(args.worker_id)
    for kind, value in ((ids.QUALIFICATION_TYPE_ID, type_id), (ids.WORKER_ID, worker)):
        problem = ids.problem(kind, value)
        if problem:
            raise UsageError(f"{one_line(value)!r}: {problem} Nothing was sent.")
    if args.command == "set":
        how, number = args.score
        if how == "delta":
            return Intent("set", type_id, worker, delta=number, notify=args.notify)
        return Intent("set", type_id, worker, value=number, notify=args.notify)
    if args.command == "grant":
        return Intent("grant", type_id, worker, value=args.score, notify=args.notify)
    return Intent("revoke", type_id, worker, reason=args.reason)


def one_change(args: argparse.Namespace, config: AppConfig, term: Terminal, intent: Intent) -> int:
    command = args.command
    connection = config.endpoints.connection(config.profile, config.environment)
    clients = ClientCache(config.client_settings)
    types = TypeCache()
    preview = preview_change(clients, connection, intent)
    if isinstance(preview, ChangeFailure):
        print(f"qualtui {command}: {one_line(preview.title)}", file=term.err)
        if preview.message:
            print(f"  {one_line(preview.message)}", file=term.err)
        return EXIT_FAILED
    if intent.kind == "revoke" and not preview.before.held:
        print(
            f"qualtui revoke: {intent.worker_id} does not hold it ({preview.before.text()}): "
            "nothing to revoke, nothing was sent",
            file=term.err,
        )
        return EXIT_OK
    if not preview.changes_anything:
        print(
            f"qualtui {command}: already {preview.before.text()}: nothing was sent",
            file=term.err,
        )
        return EXIT_OK
    label = type_label(clients, types, connection, intent.qualification_type_id)
    lines = change_lines(intent, preview, label)
    if not confirm(term, connection, lines, f"{command.capitalize()}?", yes=args.yes):
        print("Nothing was changed.", file=term.err)
        return EXIT_FAILED
    name = types.cached(connection, intent.qualification_type_id)
    change = change_qualification(
        clients,
        connection,
        intent,
        before=preview.before,
        type_name=name.name if name is not None else None,
    )
    record_all(config, [change], term, command)
    return finish([change], args, term, command)


def finish(changes: list[Change], args: argparse.Namespace, term: Terminal, command: str) -> int:
    print_changes(changes, getattr(args, "output", "table"), term.out)
    report_failures(changes, term, command)
    return exit_status(changes)


def undo(args: argparse.Namespace, config: AppConfig, term: Terminal) -> int:
    store = history_store(config)
    entries = store.snapshot().entries
    wanted = args.change_id.strip().lower()
    change = find_change(entries, wanted) if wanted else None
    if change is None:
        run_list = run_changes(entries, wanted) if wanted else []
        if run_list:
            from qualtui.cli.apply import undo_run

            return undo_run(args, config, term, run_list, store)
        print(
            f"qualtui undo: error: no recorded change or run {one_line(args.change_id)!r} "
            "(or the start of several: give more of the ID)",
            file=term.err,
        )
        return EXIT_USAGE
    made = change.connection
    connection = config.endpoints.connection(made.profile, made.environment)
    clients = ClientCache(config.client_settings)
    preview = preview_undo(clients, connection, change)
    if preview.kind == "invalid":
        print(f"qualtui undo: cannot undo it: {one_line(preview.problem or '')}", file=term.err)
        return EXIT_FAILED
    if preview.kind == "unchanged":
        print("qualtui undo: already as before the change: nothing was sent", file=term.err)
        return EXIT_OK
    label = type_label(clients, TypeCache(), connection, change.qualification_type_id)
    lines = undo_lines(change, preview, label)
    if not confirm(term, connection, lines, "Undo?", yes=args.yes):
        print("Nothing was changed.", file=term.err)
        return EXIT_FAILED
    undone = apply_undo(clients, connection, preview, type_name=change.qualification_type_name)
    if undone is None:
        return EXIT_OK
    record_all(config, [undone], term, "undo")
    return finish([undone], args, term, "undo")
