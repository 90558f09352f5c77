"""`qualtui hit-workers HIT_ID...`: one line per assignment of the HITs (ListAssignmentsForHIT,
every page): WorkerId, AssignmentStatus, HITId, SubmitTime.

Exit status: 0 every HIT listed, 1 some HIT could not be listed (one line each on stderr;
the other HITs are printed), 2 bad arguments, 130 Ctrl+C.
"""

from __future__ import annotations

import argparse
import threading
from typing import IO, Any

from qualtui.cli.arguments import EXIT_USAGE, UsageError, add_shared_options
from qualtui.cli.hit_records import assignment_record, failure_line, hit_ids
from qualtui.cli.listing_output import (
    Column,
    ColumnWriter,
    add_output_options,
    begin,
    on_chosen_endpoints,
    run_status,
)
from qualtui.core.config import AppConfig
from qualtui.core.hits import (
    ASSIGNMENT_STATUSES,
    PER_HIT_FAILURES,
    list_assignments,
    parse_statuses,
)

NAME = "hit-workers"
COLUMNS = (
    Column("WorkerId", "WorkerId", 20),
    Column("AssignmentStatus", "AssignmentStatus", 16),
    Column("HITId", "HITId", 30),
    Column("SubmitTime", "SubmitTime", 25),
    Column("AssignmentId", "AssignmentId"),
)


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser(
        NAME,
        help="list who did some HITs: one line per assignment",
        description="List the assignments of the HITs given (ListAssignmentsForHIT, every "
        "page), one line each: WorkerId, AssignmentStatus, HITId, SubmitTime, AssignmentId. "
        "Accepted but unsubmitted assignments are never listed (the service's rule). A HIT "
        "that does not exist (MTurk deletes HITs some months after they end) is one line on "
        "stderr; the others are listed. Exit status: 0 every HIT listed, 1 some could not "
        "be, 2 bad arguments, 130 Ctrl+C.",
        epilog="Example: qualtui hit-workers HIT_ID --status Approved --output json "
        "--query WorkerId   (to look them up: qualtui lookup TYPE --hit HIT_ID)",
    )
    parser.add_argument("hit_ids", metavar="HIT_ID", nargs="+")
    parser.add_argument(
        "--status",
        default=",".join(ASSIGNMENT_STATUSES),
        metavar="STATUSES",
        help="assignment statuses to list, comma separated (default: "
        f"{','.join(ASSIGNMENT_STATUSES)})",
    )
    add_output_options(parser, "assignment")
    add_shared_options(parser, suppress=True)


def hit_workers(
    args: argparse.Namespace,
    config: AppConfig,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    hits: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def check() -> None:
        nonlocal hits, statuses
        hits = hit_ids(args.hit_ids)
        try:
            statuses = parse_statuses(args.status)
        except ValueError as error:
            raise UsageError(str(error)) from None

    session = begin(NAME, args, config, out, err, check)
    if session is None:
        return EXIT_USAGE

    err = session.err

    def work(cancel: threading.Event) -> int:
        writer = ColumnWriter(args.output, session.query, session.out, COLUMNS)
        status = 0
        for hit_id in hits:
            listed = list_assignments(
                session.clients, session.connection, hit_id, statuses=statuses, cancel=cancel
            )
            for assignment in listed.assignments:
                writer.write(assignment_record(assignment))
            if listed.cancelled or writer.closed:
                return status
            if listed.truncated:
                print(f"qualtui {NAME}: HIT {hit_id}: only the first 100,000 listed", file=err)
            if listed.failure is not None:
                print(failure_line(NAME, listed.failure, hit_id), file=err)
                status = 1
                if listed.failure.kind not in PER_HIT_FAILURES:  # the next would fail too
                    return status
        return status

    return run_status(work)


run = on_chosen_endpoints(hit_workers)
