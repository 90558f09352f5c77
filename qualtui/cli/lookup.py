"""`qualtui lookup TYPE WORKER...`: the lookup for scripts, on the same core as the app.

Exit status: 0 when every lookup returned the worker's qualification (Granted or Revoked:
the status is printed), 3 when some workers do not hold it and nothing else failed, 1 on any
other failure, 2 on invalid arguments or IDs (before any request is sent).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import threading
from pathlib import Path
from typing import IO, Any

from qualtui.cli.arguments import EXIT_USAGE, UsageError, add_shared_options, int_in_range
from qualtui.core import aws_cli_output, ids
from qualtui.core.batch import DEFAULT_CONCURRENCY, MAX_CONCURRENCY, run_batch
from qualtui.core.client import ClientCache
from qualtui.core.config import AppConfig
from qualtui.core.export import _safe_cell as safe_cell  # the CSV formula rule, one copy
from qualtui.core.history import HistoryEntry, HistoryError, HistoryStore
from qualtui.core.models import LookupResult
from qualtui.core.result_format import ROW_COLUMNS, aws_cli_json, result_row
from qualtui.core.text import printable
from qualtui.core.worker_ids import WorkerFileError, WorkerList, parse_content, parse_ids, read_file

EXIT_OK, EXIT_FAILED, EXIT_NOT_HELD = 0, 1, 3
OUTPUTS = ("table", "csv", "json", "text", "yaml")
AWS_SHAPED = ("json", "text", "yaml")


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    lookup = commands.add_parser(
        "lookup",
        help="look up workers without the UI (for scripts)",
        description="Look up one or more workers' qualification, in the order given. Prints "
        "a table, or CSV, or each worker's answer in the AWS CLI's shape "
        '({"Qualification": {...}}, or the IDs and an "Error") as JSON lines, text or YAML, '
        "after --query if given. Exit status: 0 all hold it, 3 some do not hold it, "
        "1 other failures, 2 bad arguments or IDs.",
        epilog="Example: qualtui lookup TYPE A1 A2 --query Qualification.IntegerValue "
        "--output text   (one score a line; None for a worker without one)",
    )
    lookup.add_argument("qualification_type_id", metavar="QUALIFICATION_TYPE_ID")
    lookup.add_argument("worker_ids", metavar="WORKER_ID", nargs="*")
    lookup.add_argument(
        "--workers-file",
        metavar="FILE",
        help="more worker IDs: a text file, or a CSV with a WorkerId column; '-' reads stdin",
    )
    lookup.add_argument(
        "--output",
        choices=OUTPUTS,
        help="table (default), csv, or the AWS CLI's shapes: json (one object a line), "
        "text, yaml (a list, one item a worker)",
    )
    lookup.add_argument(
        "--json",
        dest="output",
        action="store_const",
        const="json",
        help="the same as --output json",
    )
    lookup.add_argument(
        "--query",
        metavar="JMESPATH",
        help="a JMESPath query applied to each worker's answer in the AWS CLI's shape "
        "(with --output json, text or yaml)",
    )
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


class RecordWriter:
    """Writes each result as it is ready, in input order, in the chosen output."""

    def __init__(self, output: str, query: Any, out: IO[str]) -> None:
        self.output, self.query, self.out = output, query, out
        self._csv: Any = None
        if output == "csv":
            self._csv = csv.writer(out, lineterminator="\n")
            self._csv.writerow(ROW_COLUMNS)
            out.flush()

    @property
    def streams(self) -> bool:
        return self.output != "table"

    def write(self, result: LookupResult) -> None:
        if self._csv is not None:
            self._csv.writerow([safe_cell(printable(cell)) for cell in result_row(result)])
        else:
            record: Any = aws_cli_json(result)
            if self.query is not None:
                record = self.query.search(record)
            if self.output == "json":
                self.out.write(json.dumps(record) + "\n")
            elif self.output == "text":
                self.out.write(printable(aws_cli_output.as_text(record)))
            else:
                self.out.write(printable(aws_cli_output.as_yaml([record])))
        self.out.flush()


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


def compile_query(args: argparse.Namespace) -> Any:
    """The compiled --query, or None; UsageError when it is not JMESPath or cannot apply."""
    if args.query is None:
        return None
    if (args.output or "table") not in AWS_SHAPED:
        raise UsageError("--query applies to --output json, text or yaml")
    try:
        return aws_cli_output.compile_query(args.query)
    except aws_cli_output.QueryError as error:
        raise UsageError(str(error)) from None


def lookup(
    args: argparse.Namespace,
    config: AppConfig,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
    stdin: IO[str] | None = None,
) -> int:
    out, err, stdin = out or sys.stdout, err or sys.stderr, stdin or sys.stdin
    try:
        query = compile_query(args)
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
    writer = RecordWriter(args.output or "table", query, out)

    def arrived(result: LookupResult) -> None:
        nonlocal printed
        with lock:
            results[order[result.request.worker_id]] = result
            if not writer.streams:
                return
            while printed < len(results) and (ready := results[printed]) is not None:
                writer.write(ready)
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
    if not writer.streams:
        print_table([tuple(map(printable, result_row(r))) for r in done], out)
    if not args.no_history and config.history_limit > 0:
        store = HistoryStore(config.history_path, config.history_limit)
        store.load()
        try:
            store.append_many([HistoryEntry.from_result(r) for r in done])
        except HistoryError as error:
            print(f"qualtui lookup: warning: history not saved: {error}", file=err)
    return exit_status(done)
