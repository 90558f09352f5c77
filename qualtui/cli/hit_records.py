"""What `qualtui hits` and `qualtui hit-workers` share: HIT IDs checked, records in the
service's field names, and one writer for table, csv and the AWS CLI's json/text/yaml.

Every value printed comes from the service (titles, annotations are the requester's free
text): made printable and one line in the table and CSV (CSV cells also formula-safe).
"""

from __future__ import annotations

import argparse
import csv
import json
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import IO, Any

from qualtui.cli.arguments import UsageError
from qualtui.core import aws_cli_output, ids
from qualtui.core.export import safe_cell
from qualtui.core.hits import HIT_ID, Assignment, Hit
from qualtui.core.models import Failure
from qualtui.core.text import one_line, printable

OUTPUTS = ("table", "csv", "json", "text", "yaml")
AWS_SHAPED = ("json", "text", "yaml")
QUERY_HELP = (
    "a JMESPath query applied to each record, as in the other commands (with --output json, "
    "text or yaml)"
)


def add_output_options(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--output",
        choices=OUTPUTS,
        help=f"table (default), csv, or one {what} a line in the service's field names: "
        "json (JSON lines), text, yaml",
    )
    parser.add_argument(
        "--json", dest="output", action="store_const", const="json", help="--output json"
    )
    parser.add_argument("--query", metavar="JMESPATH", help=QUERY_HELP)


def compile_query(args: argparse.Namespace) -> Any:
    """The compiled --query, or None; UsageError when it cannot apply."""
    if args.query is None:
        return None
    if (args.output or "table") not in AWS_SHAPED:
        raise UsageError("--query applies to --output json, text or yaml")
    try:
        return aws_cli_output.compile_query(args.query)
    except aws_cli_output.QueryError as error:
        raise UsageError(str(error)) from None


def hit_ids(raw: Sequence[str]) -> tuple[str, ...]:
    """The HIT IDs given, normalised, each once; UsageError naming a malformed one."""
    found: list[str] = []
    for text in raw:
        value = ids.normalize(text)
        problem = ids.problem(HIT_ID, value)
        if problem:
            raise UsageError(f"{printable(text)!r}: {problem}")
        found.append(value)
    return tuple(dict.fromkeys(found))


def _time(value: datetime | None) -> str | None:
    return None if value is None else str(aws_cli_output.timestamp_value(value))


def hit_record(hit: Hit) -> dict[str, Any]:
    """A HIT in the service's field names (ListHITs), the ones qualtui keeps."""
    return {
        "HITId": hit.id,
        "HITTypeId": hit.hit_type_id,
        "Title": hit.title,
        "RequesterAnnotation": hit.annotation,
        "HITStatus": hit.status,
        "HITReviewStatus": hit.review_status,
        "CreationTime": _time(hit.created),
        "Expiration": _time(hit.expiration),
        "MaxAssignments": hit.max_assignments,
        "NumberOfAssignmentsCompleted": hit.completed,
        "NumberOfAssignmentsPending": hit.pending,
        "NumberOfAssignmentsAvailable": hit.available,
    }


def assignment_record(assignment: Assignment) -> dict[str, Any]:
    """An assignment in the service's field names (ListAssignmentsForHIT), without the
    answer: who, which HIT, its status and times."""
    record: dict[str, Any] = {
        "WorkerId": assignment.worker_id,
        "AssignmentStatus": assignment.status,
        "HITId": assignment.hit_id,
        "SubmitTime": _time(assignment.submitted),
        "AssignmentId": assignment.id,
        "AcceptTime": _time(assignment.accepted),
    }
    if assignment.approved is not None:
        record["ApprovalTime"] = _time(assignment.approved)
    if assignment.rejected is not None:
        record["RejectionTime"] = _time(assignment.rejected)
    return record


class Column:
    """A table and CSV column: its heading, the record's key, its width in the table."""

    def __init__(self, name: str, key: str, width: int = 0, *, in_table: bool = True) -> None:
        self.name, self.key, self.width, self.in_table = name, key, width, in_table


class RecordWriter:
    """Each record as it comes, in the chosen output. A closed pipe sets `closed`."""

    def __init__(self, output: str, query: Any, out: IO[str], columns: Sequence[Column]) -> None:
        self.output, self.query, self.out = output, query, out
        self.columns = [c for c in columns if c.in_table] if output == "table" else columns
        self.closed = False
        self._csv: Any = None
        if output == "csv":
            self._csv = csv.writer(out, lineterminator="\n")
            self._emit(lambda: self._csv.writerow([c.key for c in self.columns]))
        elif output == "table":
            self._emit(lambda: self._table_row([c.name for c in self.columns]))

    def _table_row(self, cells: Sequence[str]) -> None:
        padded = [cell.ljust(c.width) for cell, c in zip(cells, self.columns, strict=True)]
        self.out.write("  ".join(padded).rstrip() + "\n")

    def _emit(self, write: Callable[[], None]) -> None:
        if self.closed:
            return
        try:
            write()
            self.out.flush()
        except BrokenPipeError:
            from qualtui.cli.lookup import _silence_stdout

            self.closed = True
            _silence_stdout(self.out)

    def write(self, record: dict[str, Any]) -> None:
        self._emit(lambda: self._write(record))

    def _cell(self, record: dict[str, Any], key: str) -> str:
        value = record.get(key)
        return "" if value is None else one_line(str(value), 120)

    def _write(self, record: dict[str, Any]) -> None:
        if self.output == "table":
            self._table_row([self._cell(record, c.key) for c in self.columns])
        elif self._csv is not None:
            self._csv.writerow([safe_cell(self._cell(record, c.key)) for c in self.columns])
        else:
            data: Any = record if self.query is None else self.query.search(record)
            if self.output == "json":
                self.out.write(printable(json.dumps(data, ensure_ascii=False)) + "\n")
            elif self.output == "text":
                self.out.write(printable(aws_cli_output.as_text(data)))
            else:
                self.out.write(printable(aws_cli_output.as_yaml([data])))


def failure_line(command: str, failure: Failure, hit_id: str | None = None) -> str:
    """One line on stderr: what went wrong, why, and the fix."""
    where = f"HIT {hit_id}: " if hit_id else ""
    text = f"qualtui {command}: error: {where}{failure.title}. {failure.explanation} {failure.fix}"
    return one_line(text, 1000)


def run_interruptible(work: Callable[[threading.Event], int]) -> int:
    """`work(cancel)` on a daemon thread; Ctrl+C sets `cancel` and returns 130 at once
    (what was printed stays printed)."""
    cancel = threading.Event()
    status: list[int] = []
    finished = threading.Event()

    def target() -> None:
        try:
            status.append(work(cancel))
        finally:
            finished.set()

    threading.Thread(target=target, name="qualtui-hits", daemon=True).start()
    try:
        while not finished.wait(0.1):  # wakes for Ctrl+C at once
            pass
    except KeyboardInterrupt:
        cancel.set()
        return 130
    return status[0] if status else 1
