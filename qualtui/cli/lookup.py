"""`qualtui lookup TYPE WORKER...`: the lookup for scripts, on the same core as the app.

Exit status: 0 when every lookup returned the worker's qualification (Granted or Revoked:
the status is printed), 3 when some workers do not hold it and nothing else failed, 1 on any
other failure, 2 on invalid arguments or IDs (before any request is sent).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import IO, Any

from qualtui.cli.arguments import EXIT_USAGE, UsageError, add_shared_options, int_in_range
from qualtui.core import ids
from qualtui.core.batch import DEFAULT_CONCURRENCY, MAX_CONCURRENCY, run_batch
from qualtui.core.client import ClientCache
from qualtui.core.config import AppConfig
from qualtui.core.history import HistoryEntry, HistoryError, HistoryStore
from qualtui.core.models import LookupResult
from qualtui.core.result_format import ROW_COLUMNS, aws_cli_json, result_row
from qualtui.core.text import printable
from qualtui.core.worker_ids import WorkerFileError, WorkerList, parse_content, parse_ids, read_file

EXIT_OK, EXIT_FAILED, EXIT_NOT_HELD = 0, 1, 3


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    lookup = commands.add_parser(
        "lookup",
        help="look up workers without the UI (for scripts)",
        description="Look up one or more workers' qualification. Prints a table, or with "
        "--json one AWS-CLI-shaped object per worker and line. Exit status: 0 all hold it, "
        "3 some do not hold it, 1 other failures, 2 bad arguments or IDs.",
    )
    lookup.add_argument("qualification_type_id", metavar="QUALIFICATION_TYPE_ID")
    lookup.add_argument("worker_ids", metavar="WORKER_ID", nargs="*")
    lookup.add_argument(
        "--workers-file",
        metavar="FILE",
        help="more worker IDs: a text file, or a CSV with a WorkerId column; '-' reads stdin",
    )
    lookup.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    lookup.add_argument("--no-history", action="store_true", help="do not add to the history")
    lookup.add_argument(
        "--concurrency",
        type=int_in_range(1),
        default=DEFAULT_CONCURRENCY,
        help=f"lookups at once (default {DEFAULT_CONCURRENCY}, at most {MAX_CONCURRENCY})",
    )
    add_shared_options(lookup, suppress=True)


def gather_workers(args: argparse.Namespace, stdin: IO[str]) -> WorkerList:
    """Every worker ID from the arguments and the file, validated; raises UsageError."""
    type_problem = ids.problem(ids.QUALIFICATION_TYPE_ID, ids.normalize(args.qualification_type_id))
    if type_problem:
        raise UsageError(f"{args.qualification_type_id!r}: {type_problem}")
    items = list(args.worker_ids)
    notes: tuple[str, ...] = ()
    file_duplicates = 0
    if args.workers_file:
        try:
            from_file = (
                parse_content(stdin.read())
                if args.workers_file == "-"
                else read_file(Path(args.workers_file).expanduser())
            )
        except WorkerFileError as error:
            raise UsageError(str(error)) from None
        items += list(from_file.valid) + [raw for raw, _ in from_file.invalid]
        notes = from_file.notes
        file_duplicates = from_file.duplicates
    workers = parse_ids(items)
    if workers.invalid:
        listed = "; ".join(f"{printable(raw)!r}: {problem}" for raw, problem in workers.invalid)
        raise UsageError(f"invalid worker IDs, nothing was sent: {listed}")
    if not workers.valid:
        raise UsageError("no worker IDs: give them as arguments or with --workers-file")
    return WorkerList(workers.valid, (), workers.duplicates + file_duplicates, notes)


def print_table(rows: list[tuple[str, ...]], out: IO[str]) -> None:
    widths = [max(len(row[i]) for row in [ROW_COLUMNS, *rows]) for i in range(len(ROW_COLUMNS))]
    for row in [ROW_COLUMNS, *rows]:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(),
            file=out,
        )


def exit_status(results: list[LookupResult]) -> int:
    failures = [r.failure for r in results if r.failure is not None]
    if any(f.kind != "not_held" for f in failures):
        return EXIT_FAILED
    return EXIT_NOT_HELD if failures else EXIT_OK


def run(args: argparse.Namespace, config: AppConfig) -> int:
    """The lookup on the configured service, or on the demo endpoints with --demo."""
    if not args.demo:
        return lookup(args, config)
    from qualtui.demo import demo_config

    with demo_config(config, args.fault) as demo:
        return lookup(args, demo)


def lookup(
    args: argparse.Namespace,
    config: AppConfig,
    out: IO[str] = sys.stdout,
    err: IO[str] = sys.stderr,
    stdin: IO[str] = sys.stdin,
) -> int:
    try:
        workers = gather_workers(args, stdin)
    except UsageError as error:
        print(f"qualtui lookup: error: {error}", file=err)
        return EXIT_USAGE
    for note in workers.notes:
        print(f"qualtui lookup: {note}", file=err)
    if workers.duplicates:
        print(f"qualtui lookup: {workers.duplicates} duplicate IDs looked up once", file=err)
    type_id = ids.normalize(args.qualification_type_id)
    connection = config.endpoints.connection(config.profile, config.environment)
    clients = ClientCache(config.client_settings)
    order = {worker: i for i, worker in enumerate(workers.valid)}
    results: list[LookupResult | None] = [None] * len(workers.valid)
    printed = 0
    lock = threading.Lock()

    def arrived(result: LookupResult) -> None:
        nonlocal printed
        with lock:
            results[order[result.request.worker_id]] = result
            if not args.json:
                return
            while printed < len(results) and (ready := results[printed]) is not None:
                print(json.dumps(aws_cli_json(ready)), file=out, flush=True)
                printed += 1

    run_batch(
        clients,
        connection,
        type_id,
        workers.valid,
        on_result=arrived,
        concurrency=args.concurrency,
    )
    done = [r for r in results if r is not None]
    if not args.json:
        print_table([tuple(map(printable, result_row(r))) for r in done], out)
    if not args.no_history and config.history_limit > 0:
        store = HistoryStore(config.history_path, config.history_limit, cap=config.history_cap)
        store.load()
        try:
            store.append_many([HistoryEntry.from_result(r) for r in done])
        except HistoryError as error:
            print(f"qualtui lookup: warning: history not saved: {error}", file=err)
    return exit_status(done)
