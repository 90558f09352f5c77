"""`qualtui worker WORKER_ID`: every qualification type the account owns, looked up for one
worker (the TUI's worker profile, F10, on the same core).

Output: a table (default) or CSV, held first; or one record per owned type, sorted by type
name, in `qualtui lookup --json`'s shapes plus `"QualificationTypeName"`: json lines, text
or yaml, after --query if given. Exit status: 0 when the listing completed and every type
was looked up, whatever the worker holds; 1 on a failure (the listing, or a type's lookup);
2 on a bad worker ID or arguments (nothing sent); 130 on Ctrl+C.
"""

from __future__ import annotations

import argparse
import threading
from functools import partial
from typing import IO, Any

from qualtui.cli.arguments import add_shared_options
from qualtui.cli.listing_output import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    add_output_options,
    begin,
    failure_lines,
    on_chosen_endpoints,
    require_id,
    run_interruptibly,
)
from qualtui.cli.record_writer import RecordWriter, table_widths
from qualtui.core import ids
from qualtui.core.config import AppConfig
from qualtui.core.qualification_types import TypeCache
from qualtui.core.result_format import qualification_cells
from qualtui.core.worker_profile import (
    ProfileRow,
    WorkerProfile,
    by_type_name,
    load_worker_profile,
    profile_record,
)

WHAT = "type"  # one record a line: what each is
NAME = "worker"
COLUMNS = ("Type", "Type ID", "Status", "Score", "Locale", "Granted", "Error")


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser(
        NAME,
        help="every qualification type of yours, looked up for one worker",
        description="List your own qualification types (every page) and look each up for "
        "WORKER_ID, a few at once. Prints a table (held first) or CSV, or one record per type "
        'sorted by name in the AWS CLI\'s shape ({"Qualification": {...}} for a held or '
        'revoked one, the IDs and an "Error" for one not held), each with '
        '"QualificationTypeName", as JSON lines, text or YAML. Exit status: 0 the listing '
        "completed, whatever the worker holds; 1 a failure; 2 a bad worker ID; 130 Ctrl+C.",
        epilog="Example: qualtui worker A1EXAMPLE --held-only --output json "
        "--query Qualification.QualificationTypeId",
    )
    parser.add_argument("worker_id", metavar="WORKER_ID")
    parser.add_argument(
        "--held-only",
        action="store_true",
        help="print only the types the worker holds (Granted)",
    )
    add_output_options(parser, WHAT)
    add_shared_options(parser, suppress=True)


def row_cells(row: ProfileRow) -> tuple[str, ...]:
    values = qualification_cells(row.qualification)
    failure = row.failure
    error = ""
    if row.status == "error" and failure is not None:
        error = f"{failure.title} ({failure.code or failure.kind})"
    return (
        row.type_name,
        row.type_id,
        row.status,
        values.score,
        values.locale,
        values.granted,
        error,
    )


def worker(
    args: argparse.Namespace,
    config: AppConfig,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    worker_id = ids.normalize(args.worker_id)
    check = partial(require_id, ids.WORKER_ID, args.worker_id)
    session = begin(NAME, args, config, out, err, check)
    if session is None:
        return EXIT_USAGE
    clients, connection, query = session.clients, session.connection, session.query
    out, err = session.out, session.err
    cancel = threading.Event()
    found: list[WorkerProfile] = []

    def work() -> None:
        found.append(
            load_worker_profile(clients, TypeCache(), connection, worker_id, cancel=cancel)
        )

    if not run_interruptibly(work, cancel):
        print(f"qualtui {NAME}: interrupted: nothing printed", file=err)
        return EXIT_INTERRUPTED
    profile = found[0]
    if profile.failure is not None:
        print(f"qualtui {NAME}: could not list your qualification types", file=err)
        for line in failure_lines(profile.failure):
            print(f"qualtui {NAME}: {line}", file=err)
        return EXIT_FAILED
    rows = list(profile.rows)  # held first: the table's and CSV's order
    if args.output not in ("table", "csv"):
        rows = by_type_name(rows)
    if args.held_only:
        rows = [row for row in rows if row.held]
    cells = [row_cells(row) for row in rows]
    writer = RecordWriter(args.output, COLUMNS, table_widths(COLUMNS, cells), out, query)
    for row, row_text in zip(rows, cells, strict=True):
        writer.write(row_text, profile_record(row))
    summary = profile.summary
    print(f"qualtui {NAME}: {worker_id} {summary.text}", file=err)
    if profile.types.truncated:
        print(f"qualtui {NAME}: warning: more types than listed (the list was cut)", file=err)
    failed = summary.failed or not profile.complete
    return EXIT_FAILED if failed else EXIT_OK


run = on_chosen_endpoints(worker)
