"""The history table: newest first, filtered as you type, filled a page at a time.

A 10,000-entry history is not turned into 10,000 rows at once: the table shows the first
page of matching entries and adds the next page when the cursor or the scroll position
nears the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from qualtui.core.history import HistoryEntry, HistoryFilter, Snapshot
from qualtui.core.result_format import qualification_cells
from qualtui.core.text import printable
from qualtui.widgets.results_table import TABLE_BINDINGS
from qualtui.widgets.status_style import STATUS_VARIABLE, status_colour

SHORT_ENV = {"production": "prod", "sandbox": "sandbox"}
PAGE_SIZE = 200
_NEAR_END = 10


def _cell(value: str, style: str = "") -> Text:
    """A cell that shows its text literally: DataTable would read a str as markup."""
    return Text(printable(value), style=style, no_wrap=True)


NAME_WIDTH = 30


def type_cell(type_id: str, name: str | None) -> Text:
    """The type's name when known (shortened), else its ID."""
    if not name:
        return _cell(type_id)
    short = name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"
    return _cell(short)


def outcome_status(entry: HistoryEntry) -> str:
    """The key of the shared status colours: the qualification's status, "not_held", or
    "error" for a lookup that failed."""
    outcome = entry.outcome
    if outcome in STATUS_VARIABLE:
        return outcome
    return "" if entry.qualification else "error"


def cells(
    entry: HistoryEntry,
    names: dict[str, str] | None = None,
    colour: Callable[[str], str] = lambda _status: "",
) -> list[Text]:
    q = entry.qualification
    outcome = entry.outcome
    values = qualification_cells(q)
    when = entry.time.astimezone().strftime("%Y-%m-%d %H:%M")
    if entry.worker_profile is not None:  # one item for a whole worker profile
        return [
            _cell(when),
            _cell(SHORT_ENV.get(entry.environment, entry.environment)),
            _cell("Worker profile"),
            _cell(entry.worker_id),
            _cell(entry.worker_profile.text),
            _cell(""),
            _cell(""),
        ]
    return [
        _cell(when),
        _cell(SHORT_ENV.get(entry.environment, entry.environment)),
        type_cell(
            entry.qualification_type_id,
            (names or {}).get(entry.qualification_type_id) or entry.qualification_type_name,
        ),
        _cell(entry.worker_id),
        _cell(outcome.replace("_", " "), colour(outcome_status(entry))),
        _cell(values.score),
        _cell(values.locale),
    ]


class HistoryTable(DataTable[Text]):
    """Past lookups. Enter or a click fills the form; the other keys post requests."""

    @dataclass
    class Chosen(Message):
        """Fill the form from this entry."""

        entry: HistoryEntry

    @dataclass
    class Rerun(Message):
        entry: HistoryEntry

    @dataclass
    class UndoRequested(Message):
        """Undo the change this entry records, or its whole run (the screen confirms
        first)."""

        entry: HistoryEntry
        whole_run: bool = False

    @dataclass
    class DeleteRequested(Message):
        entry: HistoryEntry

    class ClearRequested(Message):
        pass

    class ExportRequested(Message):
        pass

    class FilterRequested(Message):
        pass

    BINDINGS = [
        Binding("r", "rerun", "Re-run", id="history.rerun", tooltip="Look the row up again"),
        Binding("d,delete", "delete", "Delete", id="history.delete", tooltip="Delete the row"),
        Binding(
            "c",
            "clear_all",
            "Clear all",
            id="history.clear",
            tooltip="Delete every row (asks first)",
        ),
        Binding(
            "e",
            "export",
            "Export",
            id="history.export",
            tooltip="Export what the filter shows (CSV or JSON)",
        ),
        Binding("slash", "filter", "Filter", id="history.filter", tooltip="Filter the history"),
        Binding(
            "u",
            "undo",
            "Undo",
            id="history.undo",
            tooltip="Undo the change on the row (asks first)",
        ),
        Binding(
            "U",
            "undo_run",
            "Undo run",
            id="history.undo_run",
            tooltip="Undo the bulk run of the row (dry run first)",
        ),
        *TABLE_BINDINGS,  # Home/End/g/G: rows, not columns; j/k
    ]

    COLUMNS = ("When", "Env", "Qualification", "Worker", "Outcome", "Score", "Locale")

    def __init__(self) -> None:
        super().__init__(id="history-table", cursor_type="row", zebra_stripes=True)
        self.revision = -1
        self.filter_query = ""
        self.total = 0
        self._newest_first: list[HistoryEntry] = []
        self._matching: list[HistoryEntry] = []
        self._shown = 0
        self._filter = HistoryFilter()
        self.type_names: dict[str, str] = {}
        self.writes = True  # False in read-only mode: no undo

    def on_mount(self) -> None:
        self._add_columns()
        self.app.theme_changed_signal.subscribe(
            self, lambda _theme: self._refill(new_content=False)
        )

    def _colour(self, status: str) -> str:
        return status_colour(self.app, status)

    def _add_columns(self) -> None:
        """The columns, as wide as their labels: `_fit_columns` widens them for their rows."""
        for label in self.COLUMNS:
            self.add_column(label, width=Text(label).cell_len, key=label)

    # ------------------------------------------------------------------ what is shown

    @property
    def matching(self) -> list[HistoryEntry]:
        """Every entry the filter lets through, newest first (shown or not yet)."""
        return self._matching

    @property
    def shown(self) -> int:
        return self._shown

    @property
    def selected(self) -> HistoryEntry | None:
        if not self._shown or self.cursor_row < 0:
            return None
        return self._matching[min(self.cursor_row, self._shown - 1)]

    def show(self, snapshot: Snapshot) -> None:
        """Show a snapshot; one older than what is shown is ignored. The cursor stays put."""
        if snapshot.revision < self.revision:
            return
        self.revision = snapshot.revision
        self.total = len(snapshot.entries)
        self._newest_first = list(reversed(snapshot.entries))
        for entry in snapshot.entries:
            if entry.qualification_type_name:
                self.type_names[entry.qualification_type_id] = entry.qualification_type_name
        self._refill()

    def learn_type_name(self, type_id: str, name: str) -> None:
        """Show `name` for every row of this type (details fetched after the lookup)."""
        if name and self.type_names.get(type_id) != name:
            self.type_names[type_id] = name
            self._refill()

    def set_query(self, query: str) -> None:
        if query != self.filter_query:
            self.filter_query = query
            self._refill(keep_cursor=False, new_content=False)

    def _refill(self, *, keep_cursor: bool = True, new_content: bool = True) -> None:
        """Show the matching entries again. In the focused table the cursor stays on the same
        entry, not the same index: after `r` adds a row above it, `d` deletes the row marked."""
        row = self.cursor_row if keep_cursor else 0
        # On the same entry while the user works in the table; otherwise the same place
        # (the newest lookup stays on top for someone typing lookups).
        kept = self.selected if keep_cursor and self.has_focus else None
        self._matching = list(self._filter.select(self._newest_first, self.filter_query))
        if kept is not None:
            row = next((i for i, e in enumerate(self._matching) if e.id == kept.id), row)
        if new_content:
            # The columns are rebuilt whenever the content changes, each as wide as its
            # widest cell: a type ID shown before its name arrived leaves no trace, so the
            # widths do not depend on the order answers come in. A filter keeps them (the
            # columns do not jump while it is typed); its rows only ever widen them.
            self.clear(columns=True)
            self._add_columns()
        else:
            self.clear()
        self._shown = 0
        self._add_page(minimum=row + 1)
        if self._shown:
            self.move_cursor(row=min(row, self._shown - 1), animate=False)

    def _add_page(self, minimum: int = 0) -> None:
        end = min(len(self._matching), max(self._shown + PAGE_SIZE, minimum))
        rows = [
            (entry.id, cells(entry, self.type_names, self._colour))
            for entry in self._matching[self._shown : end]
        ]
        self._fit_columns([row for _, row in rows])
        for key, row in rows:
            self.add_row(*row, key=key)
        self._shown = end

    def _fit_columns(self, rows: list[list[Text]]) -> None:
        """Widen the columns for `rows` now, as they are added. (DataTable would measure
        them later, when it is next idle: until then, a picture of the table showed the
        new rows squeezed into the old widths.)"""
        for column, *column_cells in zip(self.ordered_columns, *rows, strict=True):
            widest = max((cell.cell_len for cell in column_cells), default=0)
            if widest > column.width:
                column.width = widest
                column.content_width = widest

    def more(self) -> bool:
        """Add the next page, if there is one."""
        if self._shown >= len(self._matching):
            return False
        self._add_page()
        return True

    # ------------------------------------------------------------------ paging triggers

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()  # Undo is offered on a change's row only
        event.stop()
        if event.cursor_row >= self._shown - _NEAR_END:
            self.more()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.max_scroll_y and new_value >= self.max_scroll_y - _NEAR_END:
            self.call_later(self.more)

    # ------------------------------------------------------------------ actions

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        entry = self.selected
        if entry is not None:
            self.post_message(self.Chosen(entry))

    def action_rerun(self) -> None:
        entry = self.selected
        if entry is not None:
            self.post_message(self.Rerun(entry))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            entry = self.selected
            return self.writes and entry is not None and entry.change is not None
        if action == "undo_run":
            entry = self.selected
            return (
                self.writes
                and entry is not None
                and entry.change is not None
                and (entry.run_id is not None)
            )
        return True

    def action_undo_run(self) -> None:
        entry = self.selected
        if self.writes and entry is not None and entry.change is not None and entry.run_id:
            self.post_message(self.UndoRequested(entry, whole_run=True))

    def action_undo(self) -> None:
        entry = self.selected
        if self.writes and entry is not None and entry.change is not None:
            self.post_message(self.UndoRequested(entry))

    def action_delete(self) -> None:
        entry = self.selected
        if entry is not None:
            self.post_message(self.DeleteRequested(entry))

    def action_clear_all(self) -> None:
        if self.total:
            self.post_message(self.ClearRequested())

    def action_export(self) -> None:
        self.post_message(self.ExportRequested())

    def action_filter(self) -> None:
        self.post_message(self.FilterRequested())
