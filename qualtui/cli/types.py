"""`qualtui types`: the account's own qualification types, every page (the TUI's F5).

Output: a table (default) or CSV; or one record per type in the service's field names
(`QualificationTypeId`, `Name`, `QualificationTypeStatus`, `IsRequestable`, `AutoGranted`,
`CreationTime`) as JSON lines, text or YAML. `--search TEXT` keeps the types whose ID, name
or description hold every word of TEXT (the filter rule of every table in the TUI);
`--requestable` only those workers can request. Exit status: 0 listed, 1 a failure,
2 bad arguments, 130 Ctrl+C.
"""

from __future__ import annotations

import argparse
import threading
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
    run_interruptibly,
)
from qualtui.cli.record_writer import RecordWriter, table_widths
from qualtui.core.config import AppConfig
from qualtui.core.qualification_types import QualificationType, TypeCache, TypeList
from qualtui.core.word_filter import row_matches

WHAT = "type"  # one record a line: what each is
NAME = "types"
COLUMNS = ("Type ID", "Name", "Status", "Requestable", "Auto-granted", "Created")


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser(
        NAME,
        help="your own qualification types, every page",
        description="List the qualification types your account owns (every page), sorted "
        "by name: a table, CSV, or one record a type as JSON lines, text or YAML. Exit "
        "status: 0 listed, 1 a failure, 2 bad arguments, 130 Ctrl+C.",
    )
    parser.add_argument(
        "--search",
        metavar="TEXT",
        help="only the types whose ID, name or description hold every word of TEXT "
        "(as the type picker, F5, filters; --query is JMESPath in qualtui's other commands)",
    )
    parser.add_argument(
        "--requestable", action="store_true", help="only the types workers can request"
    )
    add_output_options(parser, WHAT)
    add_shared_options(parser, suppress=True)


def type_record(qtype: QualificationType) -> dict[str, Any]:
    """The service's field names (the AWS CLI's shape of one QualificationType)."""
    record: dict[str, Any] = {
        "QualificationTypeId": qtype.id,
        "Name": qtype.name,
        "Description": qtype.description,
        "QualificationTypeStatus": qtype.status,
        "IsRequestable": qtype.is_requestable,
        "AutoGranted": qtype.auto_granted,
    }
    if qtype.auto_granted_value is not None:
        record["AutoGrantedValue"] = qtype.auto_granted_value
    if qtype.created is not None:
        record["CreationTime"] = qtype.created.isoformat()
    return record


def type_cells(qtype: QualificationType) -> tuple[str, ...]:
    auto = "no"
    if qtype.auto_granted:
        auto = "yes" + (
            f" ({qtype.auto_granted_value})" if qtype.auto_granted_value is not None else ""
        )
    created = f"{qtype.created.astimezone():%Y-%m-%d}" if qtype.created is not None else ""
    return (
        qtype.id,
        qtype.name,
        qtype.status,
        "yes" if qtype.is_requestable else "no",
        auto,
        created,
    )


def types(
    args: argparse.Namespace,
    config: AppConfig,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    session = begin(NAME, args, config, out, err)
    if session is None:
        return EXIT_USAGE
    clients, connection, query = session.clients, session.connection, session.query
    out, err = session.out, session.err
    cancel = threading.Event()
    found: list[TypeList] = []

    def work() -> None:
        found.append(TypeCache().own_types(clients, connection, cancel=cancel))

    if not run_interruptibly(work, cancel):
        print(f"qualtui {NAME}: interrupted: nothing printed", file=err)
        return EXIT_INTERRUPTED
    listed = found[0]
    if listed.failure is not None:
        for line in failure_lines(listed.failure):
            print(f"qualtui {NAME}: {line}", file=err)
        return EXIT_FAILED
    chosen = [
        qtype
        for qtype in listed.types
        if (qtype.is_requestable or not args.requestable)
        and row_matches((qtype.id, qtype.name, qtype.description), args.search or "")
    ]
    cells = [type_cells(qtype) for qtype in chosen]
    writer = RecordWriter(args.output, COLUMNS, table_widths(COLUMNS, cells), out, query)
    for qtype, row in zip(chosen, cells, strict=True):
        writer.write(row, type_record(qtype))
    if listed.truncated:
        print(f"qualtui {NAME}: warning: more types than listed (the list was cut)", file=err)
    return EXIT_OK


run = on_chosen_endpoints(types)
