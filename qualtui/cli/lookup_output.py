"""`qualtui lookup`'s output: each result written as soon as it is its turn, in the chosen
format (table, csv, json, text, yaml); a closed pipe ends the output quietly."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Sequence
from typing import IO, Any

from qualtui.core import aws_cli_output
from qualtui.core.export import safe_cell  # the CSV formula rule, one copy
from qualtui.core.models import LookupResult
from qualtui.core.result_format import ROW_COLUMNS, aws_cli_json, result_row
from qualtui.core.text import printable

TABLE_WIDTHS = {"Status": 8, "Score": 10, "Locale": 6, "Granted": 21}


class LookupWriter:
    """Writes each result as it is ready, in input order, in the chosen output.

    The table streams too: its columns are as wide as the longest worker ID given and the
    widest value each other column can hold. A closed pipe (`| head -1`) sets `closed`.
    """

    def __init__(self, output: str, query: Any, out: IO[str], workers: Sequence[str]) -> None:
        self.output, self.query, self.out = output, query, out
        self.closed = False
        self._csv: Any = None
        self._widths = [max(len(ROW_COLUMNS[0]), *map(len, workers))] + [
            TABLE_WIDTHS.get(name, len(name)) for name in ROW_COLUMNS[1:]
        ]
        if output == "csv":
            self._csv = csv.writer(out, lineterminator="\n")
            self._emit(lambda: self._csv.writerow(ROW_COLUMNS))
        elif output == "table":
            self._emit(lambda: self._table_row(ROW_COLUMNS))

    def _table_row(self, cells: Sequence[str]) -> None:
        padded = (cell.ljust(width) for cell, width in zip(cells, self._widths, strict=True))
        self.out.write("  ".join(padded).rstrip() + "\n")

    def _emit(self, write: Callable[[], None]) -> None:
        if self.closed:
            return
        try:
            write()
            self.out.flush()
        except BrokenPipeError:
            self.closed = True
            silence_stdout(self.out)

    def write(self, result: LookupResult) -> None:
        self._emit(lambda: self._write(result))

    def _write(self, result: LookupResult) -> None:
        if self.output == "table":
            self._table_row([printable(cell) for cell in result_row(result)])
        elif self._csv is not None:
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


def silence_stdout(out: IO[str]) -> None:
    """After a closed pipe, point the descriptor at /dev/null: the interpreter's last flush
    must not fail too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
