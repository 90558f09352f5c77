"""`qualtui hits`: every HIT of the account (ListHITs, every page), newest first.

Exit status: 0 listed, 1 the listing failed (one line on stderr), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import threading
from typing import IO, Any

from qualtui.cli.arguments import EXIT_USAGE, add_shared_options
from qualtui.cli.hit_records import failure_line, hit_record
from qualtui.cli.listing_output import (
    Column,
    ColumnWriter,
    add_output_options,
    begin,
    on_chosen_endpoints,
    run_status,
)
from qualtui.core.config import AppConfig
from qualtui.core.hits import list_hits
from qualtui.core.word_filter import matches, query_words

NAME = "hits"
COLUMNS = (
    Column("HITId", "HITId", 30),
    Column("Status", "HITStatus", 12),
    Column("Created", "CreationTime", 25),
    Column("Done", "NumberOfAssignmentsCompleted", 4),
    Column("Pending", "NumberOfAssignmentsPending", 7),
    Column("Avail", "NumberOfAssignmentsAvailable", 5),
    Column("Annotation", "RequesterAnnotation", in_table=False),
    Column("Title", "Title"),
)


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser(
        NAME,
        help="list your HITs (to look up their workers)",
        description="List every HIT of the account (ListHITs, every page), newest first: ID, "
        "status, created, assignments completed / pending / available, title, annotation. "
        "--search keeps the HITs whose title, requester annotation or ID contain every "
        "word; --query is JMESPath, as in the other commands. Exit status: 0 listed, 1 the "
        "listing failed, 2 bad arguments.",
        epilog="Example: qualtui hits --search pilot --output json --query HITId",
    )
    parser.add_argument(
        "--search",
        metavar="TEXT",
        default="",
        help="only HITs whose title, annotation or HIT ID contain every word (any case)",
    )
    add_output_options(parser, "HIT")
    add_shared_options(parser, suppress=True)


def hits(
    args: argparse.Namespace,
    config: AppConfig,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    session = begin(NAME, args, config, out, err)
    if session is None:
        return EXIT_USAGE
    words = query_words(args.search)

    def work(cancel: threading.Event) -> int:
        listed = list_hits(session.clients, session.connection, cancel=cancel)
        if listed.failure is not None:
            print(failure_line(NAME, listed.failure), file=session.err)
            return 1
        writer = ColumnWriter(args.output, session.query, session.out, COLUMNS)
        for hit in listed.hits:
            if matches(hit.search_text, words):
                writer.write(hit_record(hit))
        if listed.truncated:
            print(f"qualtui {NAME}: only the first 50,000 HITs were listed", file=session.err)
        return 0

    return run_status(work)


run = on_chosen_endpoints(hits)
