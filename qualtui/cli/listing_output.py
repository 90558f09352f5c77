"""What the listing commands share (`worker`, `types`, `holders`, `hits`, `hit-workers`):
the --output/--json/--query options and their check, the connection they open (with the
plain-http warning), one writer for a table, CSV or the AWS CLI's json/text/yaml, a failure
in words on stderr, and waiting for the work in a thread so that Ctrl+C stops it at once."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from qualtui.cli.arguments import UsageError
from qualtui.cli.config import chosen_endpoints
from qualtui.cli.record_writer import RecordWriter
from qualtui.core import aws_cli_output, ids
from qualtui.core.client import ClientCache
from qualtui.core.config import AppConfig
from qualtui.core.connection import Connection, plaintext_warning
from qualtui.core.ids import IdKind
from qualtui.core.models import Failure
from qualtui.core.text import one_line, printable

OUTPUTS = ("table", "csv", "json", "text", "yaml")
AWS_SHAPED = ("json", "text", "yaml")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
QUERY_HELP = (
    "a JMESPath query applied to each record, as in the other commands (with --output json, "
    "text or yaml)"
)


def add_output_options(parser: argparse.ArgumentParser, what: str) -> None:
    """--output (table by default), --json (its alias) and --query, for records of `what`."""
    parser.add_argument(
        "--output",
        choices=OUTPUTS,
        default="table",
        help=f"table (default), csv, or one {what} a line in the service's field names: "
        "json (JSON lines), text, yaml",
    )
    parser.add_argument(
        "--json", dest="output", action="store_const", const="json", help="--output json"
    )
    parser.add_argument("--query", metavar="JMESPATH", help=QUERY_HELP)


def compile_jmespath(output: str, text: str | None) -> Any:
    """The compiled --query, or None; UsageError when it is not JMESPath or cannot apply."""
    if text is None:
        return None
    if output not in AWS_SHAPED:
        raise UsageError("--query applies to --output json, text or yaml")
    try:
        return aws_cli_output.compile_query(text)
    except aws_cli_output.QueryError as error:
        raise UsageError(str(error)) from None


def require_id(kind: IdKind, raw: str) -> None:
    """UsageError naming what is wrong with the ID `raw` (normalised first), if anything."""
    problem = ids.problem(kind, ids.normalize(raw))
    if problem:
        raise UsageError(f"{raw!r}: {problem}")


@dataclass(frozen=True)
class Session:
    """A listing command under way: where its calls go, the clients that make them, its
    output streams and its compiled --query (or None)."""

    connection: Connection
    clients: ClientCache
    out: IO[str]
    err: IO[str]
    query: Any


def begin(
    command: str,
    args: argparse.Namespace,
    config: AppConfig,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
    check: Callable[[], None] = lambda: None,
) -> Session | None:
    """A listing command's start: `check()` (its own argument checks, raising UsageError)
    and the --query, then the configured connection (the plain-http warning on stderr).
    None after one line on stderr for bad arguments: exit EXIT_USAGE, nothing sent."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        check()
        query = compile_jmespath(args.output or "table", args.query)
    except UsageError as error:
        print(f"qualtui {command}: error: {error}", file=err)
        return None
    connection = config.endpoints.connection(config.profile, config.environment)
    warning = plaintext_warning(connection.endpoint_url)
    if warning:
        print(f"qualtui {command}: warning: {warning}", file=err)
    return Session(connection, ClientCache(config.client_settings), out, err, query)


def on_chosen_endpoints(
    command: Callable[[argparse.Namespace, AppConfig], int],
) -> Callable[[argparse.Namespace, AppConfig], int]:
    """The command as the dispatcher runs it: on the configured service, or on the demo
    endpoints with --demo."""

    def run(args: argparse.Namespace, config: AppConfig) -> int:
        with chosen_endpoints(args, config) as where:
            return command(args, where)

    return run


class Column:
    """A column of records in the service's field names: its heading in the table, the
    record's key (the CSV heading), its width in the table."""

    def __init__(self, name: str, key: str, width: int = 0, *, in_table: bool = True) -> None:
        self.name, self.key, self.width, self.in_table = name, key, width, in_table


class ColumnWriter:
    """A RecordWriter whose cells are the record's values under each Column's key (the
    table shows the `in_table` ones, padded, never cut; CSV every one, headed by its key)."""

    def __init__(self, output: str, query: Any, out: IO[str], columns: Sequence[Column]) -> None:
        shown = [c for c in columns if c.in_table] if output == "table" else list(columns)
        self.keys = [c.key for c in shown]
        headings = [c.name for c in shown] if output == "table" else self.keys
        self.writer = RecordWriter(
            output, headings, [c.width for c in shown], out, query, cut=False
        )

    @property
    def closed(self) -> bool:
        return self.writer.closed

    def write(self, record: dict[str, Any]) -> None:
        cells = [self._cell(record, key) for key in self.keys]
        self.writer.write(cells, record)

    @staticmethod
    def _cell(record: dict[str, Any], key: str) -> str:
        value = record.get(key)
        return "" if value is None else one_line(str(value), 120)


def failure_lines(failure: Failure) -> list[str]:
    """What went wrong and what to do, one printable line each."""
    lines = [f"error: {failure.title}. {failure.explanation}", f"fix: {failure.fix}"]
    if failure.command:
        lines.append(f"run: {failure.command}")
    codes = " · ".join(c for c in (failure.code, failure.turk_error_code) if c)
    if failure.message:
        lines.append(f"the service said: {failure.message}" + (f" ({codes})" if codes else ""))
    return [printable(line).replace("\n", " ")[:500] for line in lines]


def run_interruptibly(work: Callable[[], None], cancel: threading.Event) -> bool:
    """Run `work` in a daemon thread and wait for it; Ctrl+C sets `cancel` and returns at
    once (False), without waiting for calls under way. True when the work finished."""
    finished = threading.Event()
    raised: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # raised again in the caller's thread, below
            raised.append(error)
        finally:
            finished.set()

    threading.Thread(target=run, name="qualtui-command", daemon=True).start()
    try:
        while not finished.wait(0.1):  # wakes for Ctrl+C at once
            pass
    except KeyboardInterrupt:
        cancel.set()
        return False
    if raised:
        raise raised[0]  # the dispatcher logs it: no traceback reaches the user
    return True


def run_status(work: Callable[[threading.Event], int]) -> int:
    """`work(cancel)`'s exit status, run interruptibly: EXIT_INTERRUPTED on Ctrl+C (what
    was printed stays printed)."""
    cancel = threading.Event()
    status: list[int] = []
    if not run_interruptibly(lambda: status.append(work(cancel)), cancel):
        return EXIT_INTERRUPTED
    return status[0] if status else EXIT_FAILED
