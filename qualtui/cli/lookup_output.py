"""`qualtui lookup`'s output: each result written as soon as it is its turn, in the chosen
format (table, csv, json, text, yaml); a closed pipe ends the output quietly."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from qualtui.cli.record_writer import RecordWriter
from qualtui.core.models import LookupResult
from qualtui.core.result_format import ROW_COLUMNS, aws_cli_json, result_row

TABLE_WIDTHS = {"Status": 8, "Score": 10, "Locale": 6, "Granted": 21}


class LookupWriter:
    """Writes each result as it is ready, in input order, in the chosen output.

    The table streams too: its columns are as wide as the longest worker ID given and the
    widest value each other column can hold. A closed pipe (`| head -1`) sets `closed`.
    """

    def __init__(self, output: str, query: Any, out: IO[str], workers: Sequence[str]) -> None:
        widths = [max(len(ROW_COLUMNS[0]), *map(len, workers))] + [
            TABLE_WIDTHS.get(name, len(name)) for name in ROW_COLUMNS[1:]
        ]
        self.writer = RecordWriter(output, ROW_COLUMNS, widths, out, query, cut=False)

    @property
    def closed(self) -> bool:
        return self.writer.closed

    def write(self, result: LookupResult) -> None:
        self.writer.write(result_row(result), aws_cli_json(result))
