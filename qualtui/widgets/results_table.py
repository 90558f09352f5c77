"""A table of qualification results, shared by the batch view and the holders list and
the worker profile: one row per result, literal one-line cells, the Status column
coloured from the theme (re-coloured when the theme changes)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from qualtui.core.text import printable
from qualtui.widgets.status_style import status_colour

Row = Sequence[str]

# The keys of every table (history, batch, holders): vi-style moves beside the arrows.
TABLE_BINDINGS = [
    Binding("j", "cursor_down", "Down", show=False, id="table.down", tooltip="Next row"),
    Binding("k", "cursor_up", "Up", show=False, id="table.up", tooltip="Previous row"),
    Binding("home,g", "scroll_top", "First", show=False, id="table.first", tooltip="First row"),
    Binding("end,G", "scroll_bottom", "Last", show=False, id="table.last", tooltip="Last row"),
]


class ResultsTable(DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [*TABLE_BINDINGS]

    def __init__(self, columns: Sequence[str], *, id: str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._column_names = tuple(columns)
        self._status = self._column_names.index("Status") if "Status" in columns else None
        self._rows: list[Row] = []

    def on_mount(self) -> None:
        self.add_columns(*self._column_names)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._recolour())

    def cells(self, values: Row) -> list[Text]:
        """Literal text (never markup), one line; the status in its colour."""
        # "error: what went wrong" is coloured as an error
        status = values[self._status].split(":", 1)[0] if self._status is not None else ""
        colour = status_colour(self.app, status)
        return [
            Text(printable(v), no_wrap=True, style=colour if i == self._status else "")
            for i, v in enumerate(values)
        ]

    def set_columns(self, columns: Sequence[str]) -> None:
        """Other columns (a batch from HITs has two more): every row is removed."""
        self._column_names = tuple(columns)
        self._status = self._column_names.index("Status") if "Status" in columns else None
        self._rows = []
        self.clear(columns=True)
        self.add_columns(*self._column_names)

    def add_result_rows(self, rows: Iterable[Row]) -> None:
        added = [tuple(row) for row in rows]
        self._rows.extend(added)
        self.add_rows(self.cells(row) for row in added)

    def show_rows(self, rows: Iterable[Row]) -> None:
        """Replace every row."""
        self._rows = []
        self.clear()
        self.add_result_rows(rows)

    def _recolour(self) -> None:
        row = self.cursor_row
        self.show_rows(list(self._rows))
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)


def add_sized_columns(table: DataTable[Text], labels: Sequence[str]) -> None:
    """Columns as wide as their labels; `fit_columns` widens them as rows are added."""
    for label in labels:
        table.add_column(label, width=Text(label).cell_len, key=label)


def fit_columns(table: DataTable[Text], rows: Sequence[Sequence[Text]]) -> None:
    """Widen the columns for `rows` now, as they are added. (DataTable would measure them
    when it is next idle: until then, a picture of the table showed the rows squeezed into
    the labels' widths, at a moment that depended on the machine's speed.)"""
    if not rows:
        return
    for column, *cells in zip(table.ordered_columns, *rows, strict=True):
        widest = max(cell.cell_len for cell in cells)
        if widest > column.width:
            column.width = widest
            column.content_width = widest
