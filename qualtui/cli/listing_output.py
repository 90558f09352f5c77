"""What `qualtui worker`, `qualtui types` and `qualtui holders` share: the outputs (a table,
CSV, or one record a line in the AWS CLI's shapes), a failure in words on stderr, and
waiting for the work in a thread so that Ctrl+C stops it at once."""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Callable, Sequence
from typing import IO, Any

from qualtui.cli.arguments import UsageError
from qualtui.cli.lookup import _silence_stdout
from qualtui.core import aws_cli_output
from qualtui.core.export import safe_cell
from qualtui.core.models import Failure
from qualtui.core.text import printable

OUTPUTS = ("table", "csv", "json", "text", "yaml")
AWS_SHAPED = ("json", "text", "yaml")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
MAX_CELL = 80  # a table cell longer than this is cut (CSV and JSON keep it whole)


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


def table_widths(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column as wide as its widest cell (cut at MAX_CELL)."""
    return [
        min(MAX_CELL, max([len(name), *(len(printable(row[i])) for row in rows)]))
        for i, name in enumerate(columns)
    ]


class RecordWriter:
    """Writes one row at a time: table and CSV from the row's cells, json/text/yaml from its
    record (after --query). Outside text is made printable; CSV cells are formula-safe. A
    closed pipe (`| head -1`) sets `closed` and the rest is not written."""

    def __init__(
        self,
        output: str,
        columns: Sequence[str],
        widths: Sequence[int],
        out: IO[str],
        query: Any = None,
    ) -> None:
        self.output, self.query, self.out = output, query, out
        self.widths = list(widths)
        self.closed = False
        self._csv: Any = None
        if output == "csv":
            self._csv = csv.writer(out, lineterminator="\n")
            self._emit(lambda: self._csv.writerow(columns))
        elif output == "table":
            self._emit(lambda: self._table_row(columns))

    def _table_row(self, cells: Sequence[str]) -> None:
        shown = []
        for cell, width in zip(cells, self.widths, strict=True):
            text = printable(cell).replace("\n", " ")
            if len(text) > width:
                text = text[: width - 1] + "…"
            shown.append(text.ljust(width))
        self.out.write("  ".join(shown).rstrip() + "\n")

    def _emit(self, write: Callable[[], None]) -> None:
        if self.closed:
            return
        try:
            write()
            self.out.flush()
        except BrokenPipeError:
            self.closed = True
            _silence_stdout(self.out)

    def write(self, cells: Sequence[str], record: dict[str, Any]) -> None:
        self._emit(lambda: self._write(cells, record))

    def _write(self, cells: Sequence[str], record: dict[str, Any]) -> None:
        if self.output == "table":
            self._table_row(cells)
        elif self._csv is not None:
            self._csv.writerow([safe_cell(printable(cell)) for cell in cells])
        else:
            data: Any = record if self.query is None else self.query.search(record)
            if self.output == "json":
                self.out.write(json.dumps(data) + "\n")
            elif self.output == "text":
                self.out.write(printable(aws_cli_output.as_text(data)))
            else:
                self.out.write(printable(aws_cli_output.as_yaml([data])))


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
