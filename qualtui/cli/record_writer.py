"""One writer for every command's records: a table, CSV, or the AWS CLI's json, text or
yaml, one record at a time (flushed, so a pipe reads each as it comes); a closed pipe
(`| head -1`) ends the output quietly."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Sequence
from typing import IO, Any

from qualtui.core import aws_cli_output
from qualtui.core.export import safe_cell  # the CSV formula rule, one copy
from qualtui.core.text import printable

MAX_CELL = 80  # a table cell longer than this is cut (CSV and JSON keep it whole)


def table_widths(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Each column as wide as its widest cell (cut at MAX_CELL)."""
    return [
        min(MAX_CELL, max([len(name), *(len(printable(row[i])) for row in rows)]))
        for i, name in enumerate(columns)
    ]


class RecordWriter:
    """Writes one row at a time: table and CSV from the row's cells, json/text/yaml from its
    record (after --query). Outside text is made printable; CSV cells are formula-safe. A
    table cell longer than its width is cut with an ellipsis (`cut`) or overflows. A closed
    pipe (`| head -1`) sets `closed` and the rest is not written."""

    def __init__(
        self,
        output: str,
        columns: Sequence[str],
        widths: Sequence[int],
        out: IO[str],
        query: Any = None,
        *,
        cut: bool = True,
    ) -> None:
        self.output, self.query, self.out = output, query, out
        self.widths = list(widths)
        self.cut = cut
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
            if self.cut and len(text) > width:
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
            silence_stdout(self.out)

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


def silence_stdout(out: IO[str]) -> None:
    """After a closed pipe, point the descriptor at /dev/null: the interpreter's last flush
    must not fail too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
