"""A table of qualification results, shared by the batch view and the holders list and
the worker profile: one row per result, literal one-line cells, the Status column
coloured from the theme (re-coloured when the theme changes), and a sort from the keyboard
or a click on a header, marked with ▲ (ascending) or ▼ (descending) on the sorted column.

The table shows the sort; the view sorts its own rows (it knows what they hold: scores as
numbers, its own order when no column is sorted). A sort chosen from the keyboard is posted
as the click on that column's header would be (`DataTable.HeaderSelected`, which the batch
view handles), and every change of the sort as `ResultsTable.SortChanged`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
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

# The keys of the tables of results (batch, holders, worker profile).
SORT_BINDINGS = [
    Binding(
        "o",
        "sort_next",
        "Sort",
        show=False,
        id="table.sort",
        tooltip="Sort by the next column (or click its header)",
    ),
    Binding(
        "O",
        "sort_reverse",
        "Reverse sort",
        show=False,
        id="table.sort_reverse",
        tooltip="Reverse the sort (▲ / ▼)",
    ),
]

ASCENDING, DESCENDING = "▲", "▼"

Sort = tuple[int | None, bool]
"""The sorted column's index (None: the view's own order) and whether it is reversed."""

_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,18}")


def column_sort_key(column: int) -> Callable[[Row], tuple[int, int, str, str]]:
    """The key of a row sorted by `column`: blanks last, whole numbers (scores) as numbers,
    text whatever its case; ties by the first column."""

    def key(values: Row) -> tuple[int, int, str, str]:
        value = values[column]
        number = int(value) if _WHOLE_NUMBER.fullmatch(value) else 0
        return (0 if value else 1, number, value.lower(), values[0].lower())

    return key


class ResultsTable(DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [*TABLE_BINDINGS, *SORT_BINDINGS]

    @dataclass
    class SortChanged(Message):
        """The sort changed (a key or a click): the view sorts its rows and shows them."""

        table: ResultsTable
        column: int | None
        reverse: bool

        @property
        def control(self) -> ResultsTable:
            return self.table

    def __init__(self, columns: Sequence[str], *, id: str, own_order: bool = False) -> None:
        """`own_order`: the view has an order of its own (no column sorted), which the sort
        key comes back to after the last column."""
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._column_names = tuple(columns)
        self._status = self._column_names.index("Status") if "Status" in columns else None
        self._rows: list[Row] = []
        self.own_order = own_order
        self.sorted_by: Sort = (None, False)

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
        self.sorted_by = (None, False)
        self.clear(columns=True)
        self.add_columns(*self._column_names)

    def add_result_rows(self, rows: Iterable[Row]) -> None:
        added = [tuple(row) for row in rows]
        self._rows.extend(added)
        self.add_rows(self.cells(row) for row in added)

    def place_rows(self, position: Callable[[str], int]) -> None:
        """Put the rows shown in the order `position` gives their first cell (a batch's input
        order, while answers arrive in any order), adding none again: nothing when they are
        in order already, else one sort of the table's row index."""
        places = [position(row[0]) for row in self._rows]
        if all(a <= b for a, b in pairwise(places)):
            return
        self._rows.sort(key=lambda row: position(row[0]))
        first = self.ordered_columns[0].key
        self.sort(first, key=lambda cell: position(cell.plain))

    def show_rows(self, rows: Iterable[Row]) -> None:
        """Replace every row."""
        self._rows = []
        self.clear()
        self.add_result_rows(rows)

    def show_rows_if_changed(self, rows: Iterable[Row]) -> bool:
        """Replace every row, unless the table shows these already (in this order): then
        nothing is redrawn and the cursor stays. True when the rows were replaced."""
        wanted = [tuple(row) for row in rows]
        if wanted == [tuple(row) for row in self._rows]:
            return False
        self.show_rows(wanted)
        return True

    # ------------------------------------------------------------------ sort

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A header clicked (or chosen from the keyboard): that column, ascending; the
        sorted column again: reversed. The event goes on to the view."""
        if event.data_table is not self:
            return
        column = event.column_index
        self._set_sort((column, self.sorted_by == (column, False)))

    def action_sort_next(self) -> None:
        column, _ = self.sorted_by
        count = len(self.ordered_columns)
        if not count:
            return
        following = 0 if column is None else column + 1
        if following < count:
            self._select_header(following)
        elif self.own_order:
            self._set_sort((None, False))
        else:
            self._select_header(0)

    def action_sort_reverse(self) -> None:
        column, reverse = self.sorted_by
        if column is not None:
            self._select_header(column)  # the sorted column again: reversed
        elif self.own_order:
            self._set_sort((None, not reverse))
        elif self.ordered_columns:
            self._select_header(0)

    def _select_header(self, index: int) -> None:
        column = self.ordered_columns[index]
        self.post_message(DataTable.HeaderSelected(self, column.key, index, column.label))

    def _set_sort(self, sort: Sort) -> None:
        self.sorted_by = sort
        self._mark_sorted_column()
        self.post_message(self.SortChanged(self, *sort))

    def _mark_sorted_column(self) -> None:
        sorted_column, reverse = self.sorted_by
        for index, (column, name) in enumerate(
            zip(self.ordered_columns, self._column_names, strict=False)
        ):
            mark = ""
            if index == sorted_column:
                mark = " " + (DESCENDING if reverse else ASCENDING)
            column.label = Text(name + mark)
            column.content_width = max(column.content_width, column.label.cell_len)
            if not column.auto_width:
                column.width = max(column.width, column.label.cell_len)
        self._clear_caches()
        self._require_update_dimensions = True
        self.refresh()

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
