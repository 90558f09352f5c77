"""`qualtui holders TYPE`: every worker holding a qualification type, streamed page by page
(ListWorkersWithQualificationType; the TUI's F8).

Output: a table (default) or CSV; or one record a worker in the AWS CLI's shape
(`{"QualificationTypeId", "WorkerId", "GrantTime", "IntegerValue", "LocaleValue",
"Status"}`) as JSON lines, text or YAML. Exit status: 0 every page listed, 1 a failure (the
pages before it are printed), 2 a bad type ID or arguments, 130 Ctrl+C.
"""

from __future__ import annotations

import argparse
import threading
from datetime import timezone
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
from qualtui.cli.record_writer import RecordWriter
from qualtui.core import ids
from qualtui.core.config import AppConfig
from qualtui.core.holders import holders_page
from qualtui.core.models import Failure, Qualification, qualification_fields
from qualtui.core.paging import PageTokens
from qualtui.core.result_format import qualification_cells
from qualtui.core.wording import counted

WHAT = "worker"  # one record a line: what each is
NAME = "holders"
COLUMNS = ("Worker", "Status", "Score", "Locale", "Granted")
WIDTHS = (20, 8, 10, 6, 21)  # streamed: the widest value each column usually holds
MAX_PAGES = 10_000  # a million workers: far past any real type


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser(
        NAME,
        help="every worker holding a qualification type, page by page",
        description="List the workers holding QUALIFICATION_TYPE_ID (Granted by default), "
        "printed as each page of 100 arrives: a table, CSV, or one record a worker in the "
        "AWS CLI's shape as JSON lines, text or YAML. Exit status: 0 every page listed, 1 a "
        "failure, 2 a bad type ID, 130 Ctrl+C.",
    )
    parser.add_argument("qualification_type_id", metavar="QUALIFICATION_TYPE_ID")
    parser.add_argument(
        "--status", choices=("Granted", "Revoked"), default="Granted", help="default Granted"
    )
    add_output_options(parser, WHAT)
    add_shared_options(parser, suppress=True)


def holder_record(q: Qualification) -> dict[str, Any]:
    """`{"QualificationTypeId", "WorkerId", ...fields..., "Status"}`: the AWS CLI's order."""
    fields = qualification_fields(q, lambda t: t.astimezone(timezone.utc).isoformat())
    status = fields.pop("Status")
    return {
        "QualificationTypeId": q.qualification_type_id,
        "WorkerId": q.worker_id,
        **fields,
        "Status": status,
    }


def holders(
    args: argparse.Namespace,
    config: AppConfig,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    type_id = ids.normalize(args.qualification_type_id)
    check = partial(require_id, ids.QUALIFICATION_TYPE_ID, args.qualification_type_id)
    session = begin(NAME, args, config, out, err, check)
    if session is None:
        return EXIT_USAGE
    clients, connection, query = session.clients, session.connection, session.query
    out, err = session.out, session.err
    cancel = threading.Event()
    writer = RecordWriter(args.output, COLUMNS, WIDTHS, out, query)
    failures: list[Failure] = []
    count = 0

    def work() -> None:
        nonlocal count
        token: str | None = None
        tokens = PageTokens()
        for _ in range(MAX_PAGES):
            page = holders_page(clients, connection, type_id, args.status, token, tokens)
            if cancel.is_set():
                return  # Ctrl+C: the page that came after it is not printed
            if page.failure is not None:
                failures.append(page.failure)
                return
            for q in page.qualifications:
                values = qualification_cells(q)
                cells = (q.worker_id, q.status, values.score, values.locale, values.granted)
                writer.write(cells, holder_record(q))
                count += 1
            token = page.next_token
            if not token or writer.closed:
                return

    if not run_interruptibly(work, cancel):
        print(f"qualtui {NAME}: interrupted after {counted(count, 'worker')}", file=err)
        return EXIT_INTERRUPTED
    if failures:
        for line in failure_lines(failures[0]):
            print(f"qualtui {NAME}: {line}", file=err)
        return EXIT_FAILED
    return EXIT_OK


run = on_chosen_endpoints(holders)
