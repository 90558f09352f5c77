"""`qualtui lookup TYPE WORKER...`: the lookup for scripts, on the same core as the app.

Exit status: 0 when every lookup returned the worker's qualification (Granted or Revoked:
the status is printed), 3 when some workers do not hold it and nothing else failed, 1 on any
other failure, 2 on invalid arguments or IDs (before any request is sent).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from functools import partial
from itertools import chain
from pathlib import Path
from typing import IO, Any, NoReturn

from qualtui.cli import hit_records
from qualtui.cli.arguments import EXIT_USAGE, UsageError, add_shared_options, int_in_range
from qualtui.cli.config import chosen_endpoints
from qualtui.cli.lookup_hits import STREAMED_WORKER, HitWorkerSource
from qualtui.cli.lookup_output import LookupWriter
from qualtui.cli.progress import Progress, is_terminal, lookup_summary
from qualtui.core import aws_cli_output, ids
from qualtui.core.batch import (
    DEFAULT_CONCURRENCY,
    MAX_CONCURRENCY,
    ConnectionGuard,
    run_batch,
    run_guarded,
)
from qualtui.core.client import ClientCache
from qualtui.core.config import AppConfig
from qualtui.core.connection import Connection, plaintext_warning
from qualtui.core.history import HistoryEntry, HistoryError, HistoryStore
from qualtui.core.models import LookupRequest, LookupResult
from qualtui.core.preflight import BLOCKING_KINDS
from qualtui.core.preflight import preflight as core_preflight
from qualtui.core.qualification_types import QualificationType, TypeCache
from qualtui.core.text import one_line, printable
from qualtui.core.worker_ids import WorkerFileError, WorkerList, parse_ids, read_file, read_stream

EXIT_OK, EXIT_FAILED, EXIT_NOT_HELD, EXIT_HISTORY, EXIT_INTERRUPTED = 0, 1, 3, 4, 130
OUTPUTS = ("table", "csv", "json", "text", "yaml")
AWS_SHAPED = ("json", "text", "yaml")


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    lookup = commands.add_parser(
        "lookup",
        help="look up workers without the UI (for scripts)",
        description="Look up one or more workers' qualification, in the order given. Prints "
        "a table, or CSV, or each worker's answer in the AWS CLI's shape "
        '({"Qualification": {...}}, or the IDs and an "Error") as JSON lines, text or YAML, '
        "after --query if given. Exit status: 0 every worker holds it (Granted or Revoked: "
        "read the status), 3 some do not hold it, 1 other failures, 2 bad arguments or IDs "
        "(nothing sent), 4 the lookups ran but the history could not be used, 130 Ctrl+C "
        "(the finished lookups are printed and saved).",
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
        "--hit",
        dest="hit_ids",
        metavar="HIT_ID",
        action="append",
        default=[],
        help="look up the workers of this HIT too (its submitted, approved and rejected "
        "assignments; repeatable; each worker once)",
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
        "--skip-invalid",
        action="store_true",
        help="look up the valid IDs and list the invalid ones on stderr, instead of refusing "
        "the whole run",
    )
    lookup.add_argument(
        "--concurrency",
        type=int_in_range(1, MAX_CONCURRENCY),
        default=DEFAULT_CONCURRENCY,
        help=f"lookups at once (default {DEFAULT_CONCURRENCY}, at most {MAX_CONCURRENCY})",
    )
    add_shared_options(lookup, suppress=True)


def gather_workers(
    args: argparse.Namespace, stdin: IO[str], stderr: IO[str] = sys.stderr
) -> WorkerList:
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
                read_stream(stdin)
                if args.workers_file == "-"
                else read_file(Path(args.workers_file).expanduser())
            )
        except WorkerFileError as error:
            raise UsageError(str(error)) from None
        items += list(from_file.valid) + [raw for raw, _ in from_file.invalid]
        notes = from_file.notes
        file_duplicates = from_file.duplicates
    workers = parse_ids(items)
    if workers.invalid and args.skip_invalid:
        for raw, problem in workers.invalid:
            print(f"qualtui lookup: skipped {printable(raw)!r}: {problem}", file=stderr)
    elif workers.invalid:
        listed = "; ".join(f"{printable(raw)!r}: {problem}" for raw, problem in workers.invalid)
        raise UsageError(f"invalid worker IDs, nothing was sent: {listed}")
    if not workers.valid and not getattr(args, "hit_ids", None):
        raise UsageError("no worker IDs: give them as arguments, with --workers-file or --hit")
    return WorkerList(workers.valid, (), workers.duplicates + file_duplicates, notes)


def exit_status(results: list[LookupResult]) -> int:
    failures = [r.failure for r in results if r.failure is not None]
    if any(f.kind != "not_held" for f in failures):
        return EXIT_FAILED
    return EXIT_NOT_HELD if failures else EXIT_OK


def run(args: argparse.Namespace, config: AppConfig) -> int:
    """The lookup on the configured service, or on the demo endpoints with --demo."""
    with chosen_endpoints(args, config) as where:
        return lookup(args, where)


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
        workers = gather_workers(args, stdin, err)
        hits = hit_records.hit_ids(getattr(args, "hit_ids", None) or [])
    except UsageError as error:
        print(f"qualtui lookup: error: {error}", file=err)
        return EXIT_USAGE
    for note in workers.notes:
        print(f"qualtui lookup: {note}", file=err)
    if workers.duplicates:
        print(f"qualtui lookup: {workers.duplicates} duplicate IDs looked up once", file=err)
    type_id = ids.normalize(args.qualification_type_id)
    connection = config.endpoints.connection(config.profile, config.environment)
    warning = plaintext_warning(connection.endpoint_url)
    if warning:
        print(f"qualtui lookup: warning: {warning}", file=err)
    clients = ClientCache(config.client_settings)
    type_names: dict[str, str] = {}
    problem = preflight(clients, connection, type_id, type_names)
    if problem is not None:
        for line in problem:
            print(f"qualtui lookup: {line}", file=err)
        return EXIT_FAILED
    store = _open_history(args, config, err)
    lock = threading.Lock()
    cancel = threading.Event()
    source = HitWorkerSource(clients, connection, hits, workers.valid, cancel) if hits else None
    placed = workers.valid if source is None else ()  # with HITs: placed as they come
    order = {worker: i for i, worker in enumerate(placed)}
    results: list[LookupResult | None] = [None] * len(placed)
    printed = answered = 0
    progress = Progress("lookup", err)  # on a terminal's stderr only
    rows_beside_progress = progress.enabled and is_terminal(out)  # the same screen
    make_writer = partial(
        LookupWriter,
        args.output or "table",
        query,
        out,
        workers.valid if source is None else [*workers.valid, STREAMED_WORKER],
    )
    writer = make_writer() if source is None else None  # with HITs: at the first result

    def arrived(result: LookupResult) -> None:
        nonlocal printed, answered, writer
        with lock:
            if rows_beside_progress:
                progress.clear()
            writer = writer or make_writer()
            results[order[result.request.worker_id]] = result
            answered += 1
            while printed < len(results) and (ready := results[printed]) is not None:
                writer.write(ready)
                printed += 1
            if writer.closed:
                cancel.set()  # nobody reads the rest
            listed = source is None or source.stream.listing is not None
            progress.show(answered, len(results) if listed else None, force=answered == 1)

    def ordered(worker_ids: Iterable[str]) -> Iterator[str]:
        """The workers from the HITs as they are listed, each given a place in the output."""
        for worker in worker_ids:
            with lock:
                order[worker] = len(results)
                results.append(None)
            yield worker

    finished = threading.Event()
    guard = ConnectionGuard()  # a hung or unreachable endpoint stops the run

    def work() -> None:
        try:
            if source is None:
                run_batch(
                    clients,
                    connection,
                    type_id,
                    workers.valid,
                    on_result=arrived,
                    concurrency=args.concurrency,
                    cancel=cancel,
                    guard=guard,
                )
            else:  # the given workers, then the HITs' as their pages arrive
                requests = (
                    LookupRequest(connection, type_id, w)
                    for w in ordered(chain(workers.valid, source))
                )
                run_guarded(
                    clients,
                    requests,
                    on_result=arrived,
                    concurrency=args.concurrency,
                    cancel=cancel,
                    guard=guard,
                )
        finally:
            finished.set()

    threading.Thread(target=work, name="qualtui-lookup", daemon=True).start()
    interrupted = signal_ignored = False
    try:
        while not finished.wait(0.1):  # wakes for Ctrl+C at once
            pass
    except KeyboardInterrupt:
        interrupted = True
        cancel.set()
        signal_ignored = _ignore_more_interrupts()
    progress.clear()
    with lock:
        # what finished after a lookup still in flight (or after a gap) is printed too
        if (interrupted or guard.stopped is not None) and writer is not None:
            for late in results[printed:]:
                if late is not None:
                    writer.write(late)
            printed = len(results)
        done = [r for r in results if r is not None]
    hit_status = EXIT_OK if source is None or interrupted else source.report(err)
    if source is not None and not interrupted and not results:
        print("qualtui lookup: no workers to look up", file=err)
        return EXIT_FAILED
    history_ok = _save(store, done, err, type_names.get(type_id))
    if interrupted:
        print(
            f"qualtui lookup: interrupted: {len(done)} of {len(results)} looked up"
            + (" and saved" if store is not None and history_ok else ""),
            file=err,
        )
        if signal_ignored and not finished.is_set():
            _exit_now(out, err)  # calls still in flight must not hold the exit
        return EXIT_INTERRUPTED
    if guard.stopped is not None:
        stop = printable(guard.explanation()).replace("\n", " ")
        print(f"qualtui lookup: {stop} ({len(done)} of {len(results)} looked up)", file=err)
        return EXIT_FAILED
    progress.finish(lookup_summary(done, len(results)))
    status = EXIT_FAILED if hit_status == EXIT_FAILED else exit_status(done)
    if not history_ok and status != EXIT_FAILED:
        return EXIT_HISTORY
    return status


# Failures that would repeat for every worker: checked once, before the work.
def preflight(
    clients: ClientCache, connection: Connection, type_id: str, names: dict[str, str] | None = None
) -> list[str] | None:
    """The check the batch view makes too (`core.preflight`: the profile, the keys, the
    endpoint and the type, with one GetQualificationType), as lines on stderr: what is wrong
    and the fix, or None to go ahead (any other failure is left to each lookup to report).
    `names` gets the type's name (for the history) when the service gave one."""
    found = core_preflight(clients, TypeCache(), connection, type_id)
    if isinstance(found, QualificationType):
        if names is not None and found.name.strip():
            names[type_id] = one_line(found.name)
        return None
    if found.kind not in BLOCKING_KINDS:
        return None
    lines = [f"error: {found.title}. {found.explanation}", f"fix: {found.fix}"]
    if found.command:
        lines.append(f"run: {found.command}")
    if found.message:
        lines.append(f"the service said: {found.message}")
    return [printable(line).replace("\n", " ") for line in lines]


def _open_history(args: argparse.Namespace, config: AppConfig, err: IO[str]) -> HistoryStore | None:
    """The history store to add to, or None (--no-history, a limit of 0, or unusable: then
    a line on stderr says why, and the exit status will say so)."""
    if args.no_history or config.history_limit <= 0:
        return None
    store = HistoryStore(config.history_path, config.history_limit, cap=config.history_cap)
    report = store.load()
    if report.notice:
        print(f"qualtui lookup: warning: {printable(report.notice)}", file=err)
    return store


def _save(
    store: HistoryStore | None, done: list[LookupResult], err: IO[str], type_name: str | None
) -> bool:
    """Add the results; False (with a line on stderr) when the history cannot take them."""
    if store is None:
        return True
    if not store.saving:
        print("qualtui lookup: error: the history cannot be used: nothing was saved", file=err)
        return False
    try:
        store.append_many([HistoryEntry.from_result(r, type_name) for r in done])
    except HistoryError as error:
        print(f"qualtui lookup: error: history not saved: {error}", file=err)
        return False
    return True


def _ignore_more_interrupts() -> bool:
    """A second and third Ctrl+C while saving must not print a traceback."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread (tests)
        return False
    return True


def _exit_now(out: IO[str], err: IO[str]) -> NoReturn:
    for stream in (out, err):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(EXIT_INTERRUPTED)
