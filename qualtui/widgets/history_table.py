"""The history table: newest first (or sorted by a column), filtered as you type, filled a
page at a time.

The columns that matter come first (Worker, Outcome, Score), so a narrow terminal still shows
them; Locale, Qualification, environment and time follow. `o` sorts by the next column and
`O` reverses (as in every table); the sorted column's label carries ▲ or ▼ (the default,
newest first, is "When ▼").

A 10,000-entry history is not turned into 10,000 rows at once: the table shows the first
page of matching entries and adds the next page when the cursor or the scroll position
nears the end. A large snapshot (a file read, a delete, a trim: anything but a lookup added)
is prepared in a thread (type names, newest-first order, the filter) and shown in one step;
a lookup added is one row inserted, at any size. In a large history a filter typed and a
sort asked for are also worked out in a thread (`_arrange`), the newest request's answer
shown and older ones dropped.

Type names are known per place (environment and endpoint): a type ID looked up in the
sandbox never shows the name a production lookup learned.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual._two_way_dict import TwoWayDict
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable

from qualtui.core import frozen_heap
from qualtui.core.generation import Generation
from qualtui.core.history import HistoryEntry, HistoryFilter
from qualtui.widgets.history_order import (
    INDEX_PAUSE,
    REVERSE_PIECE,
    SORT_CHECK,
    SORT_PIECE,
    in_order,
    let_go,
    newest_first_of,
)
from qualtui.widgets.history_rows import (
    COLUMNS,
    NAME_WIDTH,
    SHORT_ENV,
    Place,
    TypeNames,
    cell_values,
    cells,
    entry_place,
    learned_names,
    outcome_status,
    place,
    sort_key,
    type_cell,
    type_name,
)
from qualtui.widgets.results_table import TABLE_BINDINGS
from qualtui.widgets.status_style import status_colour

if TYPE_CHECKING:
    from qualtui.core.history import Snapshot  # the store's: imported with it, in a thread

__all__ = [  # the rows' and orders' names, imported from here before they had files of their own
    "COLUMNS",
    "INDEX_PAUSE",
    "NAME_WIDTH",
    "PAGE_SIZE",
    "REVERSE_PIECE",
    "SHORT_ENV",
    "SORT_CHECK",
    "SORT_PIECE",
    "HistoryTable",
    "Place",
    "TypeNames",
    "cell_values",
    "cells",
    "entry_place",
    "in_order",
    "learned_names",
    "let_go",
    "newest_first_of",
    "outcome_status",
    "place",
    "sort_key",
    "type_cell",
    "type_name",
]

PAGE_SIZE = 100
SYNC_FILTER_LIMIT = 5_000
"""Up to this many entries a filter keystroke is applied at once (a few ms); above, in a
thread after FILTER_PAUSE without typing, over the filter's index (a run for a query typed
over stops early)."""
FILTER_PAUSE = 0.01
SYNC_SHOW_LIMIT = 5_000
PREPEND_LIMIT = PAGE_SIZE
"""At most this many entries added at once (lookups) are inserted as rows; more (a batch's
results, saved as they come) show again as one page: the rows of a batch of 10,000 in a
hidden table took about 20 MB and the UI thread's time while the batch ran."""
"""Up to this many entries a snapshot is shown at once; above, it is prepared in a thread
(`_prepare`) so the UI never walks every entry: 100,000 entries took 150 ms of the UI
thread, 1,000,000 over a second."""
_NEAR_END = 10
SORT_FOLLOW_LIMIT = 2 * PAGE_SIZE
"""The cursor follows its entry through a sort when the entry lands in the first this many
rows; farther down it goes to the top. Following it would add every row above it: about
0.1 ms a row on the UI thread, so 1,000 rows froze it for 100 ms (100,000 took 38 s)."""


class HistoryTable(DataTable[Text]):
    """Past lookups. Enter or a click fills the form; the other keys post requests."""

    # The messages are plain classes, not dataclasses: the table is mounted on the way to
    # the complete frame, and a dataclass costs about 0.2 ms to define.

    class Chosen(Message):
        """Fill the form from this entry."""

        def __init__(self, entry: HistoryEntry) -> None:
            super().__init__()
            self.entry = entry

    class Rerun(Message):
        def __init__(self, entry: HistoryEntry) -> None:
            super().__init__()
            self.entry = entry

    class UndoRequested(Message):
        """Undo the change this entry records, or its whole run (the screen confirms
        first)."""

        def __init__(self, entry: HistoryEntry, whole_run: bool = False) -> None:
            super().__init__()
            self.entry = entry
            self.whole_run = whole_run

    class DeleteRequested(Message):
        def __init__(self, entry: HistoryEntry) -> None:
            super().__init__()
            self.entry = entry

    class RestoreRequested(Message):
        """Put a deleted entry back: just before `before_id` (the entry added after it)."""

        def __init__(self, entry: HistoryEntry, before_id: str | None) -> None:
            super().__init__()
            self.entry = entry
            self.before_id = before_id

    class ClearRequested(Message):
        pass

    class ExportRequested(Message):
        pass

    class FilterRequested(Message):
        pass

    class FilterApplied(Message):
        """The rows now show what the filter lets through (the counts can be updated)."""

    class Arranged(Message):
        """A filter or a sort worked out in a thread (`_arrange`): the entries of snapshot
        `revision` that the query lets through, in `order`. `sort`: asked for by a sort (the
        cursor stays on its entry), else by a filter (the cursor goes to the top); `kept`:
        the entry the cursor was on when the sort was asked for (the table focused);
        `kept_at`: its place in `matching`, if there."""

        def __init__(
            self,
            generation: int,
            revision: int,
            order: tuple[str, bool],
            matching: list[HistoryEntry],
            sort: bool,
            kept: HistoryEntry | None,
            kept_at: int | None,
        ) -> None:
            super().__init__()
            self.generation = generation
            self.revision = revision
            self.order = order
            self.matching = matching
            self.sort = sort
            self.kept = kept
            self.kept_at = kept_at

    class Prepared(Message):
        """A snapshot prepared in a thread (`_prepare`), ready to be shown in one step:
        `names`, the type names the entries carry; `matching`, the entries `query` lets
        through, in `order`."""

        def __init__(
            self,
            revision: int,
            entries: Sequence[HistoryEntry],
            newest_first: list[HistoryEntry],
            names: TypeNames,
            query: str,
            order: tuple[str, bool],
            matching: list[HistoryEntry],
        ) -> None:
            super().__init__()
            self.revision = revision
            self.entries = entries
            self.newest_first = newest_first
            self.names = names
            self.query = query
            self.order = order
            self.matching = matching

    BINDINGS = [
        Binding("r", "rerun", "Re-run", id="history.rerun", tooltip="Look the row up again"),
        Binding(
            "d,delete",
            "delete",
            "Delete",
            id="history.delete",
            tooltip="Delete the row (Ctrl+Z puts it back)",
        ),
        Binding(
            "ctrl+z",
            "restore",
            "Undo delete",
            id="history.restore",
            tooltip="Put the row deleted last back in its place",
        ),
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
            "o",
            "sort",
            "Sort",
            id="history.sort",
            tooltip="Sort by the next column (O reverses)",
        ),
        Binding(
            "O", "reverse", "Reverse", show=False, id="history.reverse", tooltip="Reverse the sort"
        ),
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

    COLUMNS = COLUMNS

    def __init__(self) -> None:
        super().__init__(id="history-table", cursor_type="row", zebra_stripes=True)
        self.revision = -1  # of the newest snapshot given (older ones are ignored)
        self._shown_revision = -1  # of the snapshot the rows show
        self._preparing: int | None = None  # the revision being prepared in a thread
        self.filter_query = ""
        self.total = 0
        self._newest_first: list[HistoryEntry] = []
        self._entries: Sequence[HistoryEntry] = ()  # as the last snapshot held them
        self._filters = Generation()  # filters run in a thread: the newest query's wins
        self._filter_timer: Timer | None = None
        self._matching: list[HistoryEntry] = []
        self._shown = 0
        self._filter = HistoryFilter()
        self.type_names: TypeNames = {}
        self.sort_column = "When"  # When: insertion order
        self.sort_descending = True  # newest first
        self.writes = True  # False in read-only mode: no undo
        # What `d` deleted, newest last, with the entry each went before: Ctrl+Z restores.
        # Forgotten once the user moves on (Enter, `r`): Ctrl+Z then means the screen's.
        self.deleted: list[tuple[HistoryEntry, str | None]] = []

    def on_mount(self) -> None:
        self._add_columns()
        self.app.theme_changed_signal.subscribe(
            self, lambda _theme: self._refill(new_content=False, ordered=self._matching)
        )

    def _colour(self, status: str) -> str:
        return status_colour(self.app, status)

    def _add_columns(self) -> None:
        """The columns, as wide as their labels: `_fit_columns` widens them for their rows.
        The sorted column's label ends in ▲ (ascending) or ▼ (descending)."""
        for name in self.COLUMNS:
            label = Text(self._label(name))  # not markup: a str label is parsed as markup
            self.add_column(label, width=label.cell_len, key=name)

    def _label(self, name: str) -> str:
        if name == self.sort_column:
            return name + (" ▼" if self.sort_descending else " ▲")
        return name

    def _relabel_columns(self) -> None:
        """The header shows the order asked for; the rows stay as they are."""
        for column in self.ordered_columns:
            label = Text(self._label(str(column.key.value)))
            column.label = label
            if label.cell_len > column.width:
                column.width = column.content_width = label.cell_len
        self._require_update_dimensions = True
        self._update_count += 1
        self.refresh()

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
        entries = snapshot.entries
        if self._preparing is None:  # else the rows are older than the snapshot prepared
            added = self._appended(entries)
            if (
                added is not None
                and len(added) <= PREPEND_LIMIT
                and self.sort_column == "When"
                and self._names_kept(added)
            ):
                self._set_entries(entries)
                self._learn_names(added)
                self._newest_first[:0] = added[::-1]
                self._prepend(added)  # a lookup: one row inserted, none rebuilt
                return
        if len(entries) > SYNC_SHOW_LIMIT:
            self._preparing = snapshot.revision
            self._prepare(
                snapshot.revision,
                entries,
                self.filter_query,
                (self.sort_column, self.sort_descending),
                dict(self.type_names),
            )
            return
        self._preparing = None  # a preparation still running is for an older snapshot
        self._set_entries(entries)
        self._newest_first = list(reversed(entries))
        self._learn_names(entries)
        self._refill()

    def renumber(self, snapshot: Snapshot) -> None:
        """The same entries as the snapshot shown (equal, maybe other objects), under the
        newer revision: nothing is redrawn. Shown as any other while a preparation runs."""
        if snapshot.revision < self.revision:
            return
        if self._preparing is not None or self._shown_revision != self.revision:
            self.show(snapshot)
            return
        self.revision = snapshot.revision
        self._set_entries(snapshot.entries)

    def _set_entries(self, entries: Sequence[HistoryEntry]) -> None:
        self._shown_revision = self.revision
        self._entries = entries
        self.total = len(entries)

    @work(
        thread=True,
        exclusive=True,
        group="history-show",
        exit_on_error=False,
        description="prepare the history",  # not the repr of every entry
    )
    def _prepare(
        self,
        revision: int,
        entries: Sequence[HistoryEntry],
        query: str,
        order: tuple[str, bool],
        names: TypeNames,
    ) -> None:
        """The heavy passes of showing a large snapshot, off the UI thread: its type names,
        newest-first order, and the entries the filter lets through, sorted."""
        newest_first = newest_first_of(entries)
        learned = learned_names(entries)
        names.update(learned)
        matching = in_order(list(self._filter.select(newest_first, query)), order, names)
        assert matching is not None  # never stale
        frozen_heap.freeze_too_if_kept()  # these lists of a large history's entries
        self.post_message(
            self.Prepared(revision, entries, newest_first, learned, query, order, matching)
        )

    @work(
        thread=True,
        exclusive=True,
        group="history-index",
        exit_on_error=False,
        description="index the history for the filter",
    )
    def _index(self, entries: list[HistoryEntry]) -> None:
        self._filter.index(entries, pause=lambda: time.sleep(INDEX_PAUSE))

    @on(Prepared)
    def _prepared(self, message: Prepared) -> None:
        """Show a prepared snapshot in one step, unless a newer one came meanwhile."""
        message.stop()
        if message.revision != self._preparing:
            return  # a newer snapshot is being prepared or was shown
        self._preparing = None
        self._set_entries(message.entries)
        self._newest_first = message.newest_first
        self.type_names.update(message.names)
        self._refill(ordered=message.matching)
        resorted = message.order != (self.sort_column, self.sort_descending)
        if resorted or message.query != self.filter_query:
            # sorted another way or typed meanwhile: the rows shown stay (the header shows
            # the order asked for) until the thread has arranged them
            self._arrange(self._filters.next(), sort=resorted)
        self.post_message(self.FilterApplied())
        # The filter's index, in a thread started once the rows are drawn (not competing
        # with drawing them), so the first keystroke does not build it.
        self.call_after_refresh(self._index, self._newest_first)

    def _appended(self, entries: Sequence[HistoryEntry]) -> Sequence[HistoryEntry] | None:
        """The entries added after what is shown, when the change only added some (a
        lookup); None for any other change (a delete, a trim, a file read again)."""
        before = self._entries
        if not before or len(entries) <= len(before):
            return None
        boundary = len(before) - 1
        if entries[0].id != before[0].id or entries[boundary].id != before[boundary].id:
            return None
        return entries[len(before) :]

    def _learn_names(self, entries: Sequence[HistoryEntry]) -> None:
        """Remember the type names the entries carry."""
        self.type_names.update(learned_names(entries))

    def _names_kept(self, entries: Sequence[HistoryEntry]) -> bool:
        """False if an entry changes a known type name (rows already shown then show
        another name)."""
        return all(
            self.type_names.get(key, name) == name for key, name in learned_names(entries).items()
        )

    def _prepend(self, added: Sequence[HistoryEntry]) -> None:
        """Rows for entries newer than every other, each added once and placed on top (or
        at the bottom, oldest first); the rows shown stay as they are. In the focused table
        the cursor stays on its entry; otherwise on its place (the newest on top)."""
        new = [e for e in self._filter.select(reversed(added), self.filter_query)]
        if not new:
            return
        rows = [cells(entry, self.type_names, self._colour) for entry in new]
        if not self.sort_descending:  # oldest first: the new rows go last
            new, rows = new[::-1], rows[::-1]
            if self._shown < len(self._matching):  # not all shown: the next pages add them
                self._matching.extend(new)
                return
        self._fit_columns(rows)
        shown = [row.key for row in self.ordered_rows]
        keys = [self.add_row(*row, key=entry.id) for entry, row in zip(new, rows, strict=True)]
        if self.sort_descending:
            self._matching[:0] = new
            order = [*keys, *shown]
            self._row_locations = TwoWayDict({key: i for i, key in enumerate(order)})
            self._update_count += 1
            self.refresh()
            if self.has_focus and self._shown:
                self.move_cursor(row=self.cursor_row + len(new), animate=False)
        else:
            self._matching.extend(new)
        self._shown += len(new)

    def learn_type_name(self, where: Place, type_id: str, name: str) -> None:
        """Show `name` for every row of this type looked up at `where` (its details were
        fetched after the lookup); rows of the same ID elsewhere keep theirs."""
        key = (where, type_id)
        if name and self.type_names.get(key) != name:
            self.type_names[key] = name
            if self._preparing is not None:
                return  # the snapshot prepared is shown with it
            resorted = self.sort_column == "Qualification"  # the order may change
            if len(self._newest_first) <= SYNC_SHOW_LIMIT:
                self._refill(follow_within=SORT_FOLLOW_LIMIT if resorted else None)
            elif resorted:  # in a thread
                self._arrange(self._filters.next(), sort=True)
            else:  # the same order: the rows shown again, with the name
                self._refill(ordered=self._matching)

    def _ordered(self, entries: list[HistoryEntry]) -> list[HistoryEntry]:
        """`entries` (newest first) in the chosen order; ties newest first."""
        if self.sort_column == "When":
            return entries if self.sort_descending else entries[::-1]
        key = sort_key(self.sort_column, self.type_names)
        return sorted(entries, key=key, reverse=self.sort_descending)

    def set_query(self, query: str) -> None:
        """Filter by `query`: at once in a small history; in a large one after a pause in
        the typing (FILTER_PAUSE) and in a thread, so a keystroke never waits for 100,000
        entries to be matched (the answer for an older query is dropped)."""
        if query == self.filter_query:
            return
        self.filter_query = query
        self._filters.next()  # a filter still running is for an older query
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        if len(self._newest_first) <= SYNC_FILTER_LIMIT:
            self._refill(keep_cursor=False, new_content=False)
            self.post_message(self.FilterApplied())
            return
        generation = self._filters.current
        self._filter_timer = self.set_timer(FILTER_PAUSE, lambda: self._start_filter(generation))

    def _start_filter(self, generation: int) -> None:
        self._filter_timer = None
        if generation == self._filters.current:
            self._arrange(generation, sort=False)

    def _arrange(self, generation: int, *, sort: bool) -> None:
        """Filter and sort the entries in a thread, by the query and the order of now (a
        sort keeps the cursor on the entry it is on now). `generation` is the newest
        request's: any other answer is dropped."""
        if self._filter_timer is not None:  # this run filters by the newest query too
            self._filter_timer.stop()
            self._filter_timer = None
        self._arrange_in_thread(
            generation,
            self._shown_revision,
            self._newest_first,
            self.filter_query,
            (self.sort_column, self.sort_descending),
            dict(self.type_names),
            sort,
            self.selected if sort and self.has_focus else None,
        )

    @work(
        thread=True,
        exclusive=True,
        group="history-filter",
        exit_on_error=False,
        description="filter and sort the history",  # the repr of every entry froze the UI
    )
    def _arrange_in_thread(
        self,
        generation: int,
        revision: int,
        entries: list[HistoryEntry],
        query: str,
        order: tuple[str, bool],
        names: TypeNames,
        sort: bool,
        kept: HistoryEntry | None,
    ) -> None:
        """`entries` is the table's own list, not a copy (a million pointers copied on the
        UI thread froze it): a lookup prepending to it meanwhile also changes the revision
        shown, so the answer is not used (see `_arranged`)."""

        def stale() -> bool:
            return generation != self._filters.current

        # What this run allocates starts collections: the heap that exists now (the UI's
        # objects) frozen, a full one does not walk it on the UI thread's time
        with frozen_heap.long_lived_frozen():
            matching = list(self._filter.select(entries, query, stale))
            ordered = None if stale() else in_order(matching, order, names, stale)
            if ordered is not matching:
                let_go(matching)
            if ordered is not None:
                # a large history parsed: its entries are out of the collections for good,
                # and so is this list of them (a full collection reading every entry's
                # header through it took 30-60 ms of the GIL at 1,000,000)
                frozen_heap.freeze_too_if_kept()
        if ordered is None or stale():
            return
        kept_at = None
        if kept is not None:
            kept_at = next((i for i, entry in enumerate(ordered) if entry is kept), None)
        self.post_message(self.Arranged(generation, revision, order, ordered, sort, kept, kept_at))

    @on(Arranged)
    def _arranged(self, message: Arranged) -> None:
        message.stop()
        if not self._filters.accept(message.generation):
            return  # typed on, or sorted again: a newer answer comes
        if message.revision != self._shown_revision or message.order != (
            self.sort_column,
            self.sort_descending,
        ):  # the history changed meanwhile: again
            self._arrange(self._filters.next(), sort=message.sort)
            return
        if not message.sort:
            self._refill(keep_cursor=False, new_content=False, ordered=message.matching)
        else:
            at = self.cursor_row  # not focused: the same place
            if message.kept is not None:  # on its entry, if near the top; else the top
                kept_at = message.kept_at
                now = self.selected
                if now is not None and now is not message.kept:  # moved while it sorted
                    near = itertools.islice(message.matching, SORT_FOLLOW_LIMIT)
                    kept_at = next((i for i, e in enumerate(near) if e is now), None)
                at = kept_at if kept_at is not None and kept_at < SORT_FOLLOW_LIMIT else 0
            self._refill(ordered=message.matching, at=at)
        self.post_message(self.FilterApplied())

    def _refill(
        self,
        *,
        keep_cursor: bool = True,
        new_content: bool = True,
        matching: list[HistoryEntry] | None = None,
        ordered: list[HistoryEntry] | None = None,
        at: int | None = None,
        follow_within: int | None = None,
    ) -> None:
        """Show the matching entries again. In the focused table the cursor stays on the same
        entry, not the same index: after `r` adds a row above it, `d` deletes the row marked.
        `matching`: the entries the filter lets through, when already known (newest first);
        `ordered`: the same, already in the chosen order; `at`: the cursor's row, when
        already known; `follow_within`: the cursor follows its entry only into the first
        this many rows (else it goes to the top)."""
        row = self.cursor_row if keep_cursor else 0
        # On the same entry while the user works in the table; otherwise the same place
        # (the newest lookup stays on top for someone typing lookups).
        kept = self.selected if keep_cursor and self.has_focus and at is None else None
        if at is not None:
            row = at
        if ordered is not None:
            self._let_go_later(self._matching, ordered)
            self._matching = ordered
        else:
            if matching is None:
                matching = list(self._filter.select(self._newest_first, self.filter_query))
            self._matching = self._ordered(matching)
        if kept is not None:
            row = next((i for i, e in enumerate(self._matching) if e.id == kept.id), row)
            if follow_within is not None and row >= follow_within:
                row = 0
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

    def _let_go_later(self, old: list[HistoryEntry], new: list[HistoryEntry]) -> None:
        """`old`, the rows' order being replaced by `new`, emptied in a thread if large (no
        one else holds it: the pane copies it to export)."""
        if len(old) > SYNC_SHOW_LIMIT and old is not new and old is not self._newest_first:
            self._let_go(old)

    @work(
        thread=True,
        group="history-let-go",
        exit_on_error=False,
        description="let go of the rows' old order",
    )
    def _let_go(self, entries: list[HistoryEntry]) -> None:
        let_go(entries)

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
            self._forget_deleted()
            self.post_message(self.Chosen(entry))

    def action_rerun(self) -> None:
        entry = self.selected
        if entry is not None:
            self._forget_deleted()
            self.post_message(self.Rerun(entry))

    def _forget_deleted(self) -> None:
        if self.deleted:
            self.deleted.clear()
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "restore":
            return bool(self.deleted)
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
            self.deleted.append((entry, self._added_after(entry)))
            self.refresh_bindings()
            self.post_message(self.DeleteRequested(entry))

    def _added_after(self, entry: HistoryEntry) -> str | None:
        """The id of the entry added just after `entry` (its place in the file)."""
        for index, shown in enumerate(self._newest_first):
            if shown.id == entry.id:
                return self._newest_first[index - 1].id if index else None
        return None

    def action_restore(self) -> None:
        if self.deleted:
            entry, before_id = self.deleted.pop()
            self.refresh_bindings()
            self.post_message(self.RestoreRequested(entry, before_id))

    def action_clear_all(self) -> None:
        if self.total:
            self._forget_deleted()
            self.post_message(self.ClearRequested())

    def action_export(self) -> None:
        self.post_message(self.ExportRequested())

    def action_filter(self) -> None:
        self.post_message(self.FilterRequested())

    def action_sort(self) -> None:
        """Sort by the next column (after the last: newest first again)."""
        following = self.COLUMNS[(self.COLUMNS.index(self.sort_column) + 1) % len(self.COLUMNS)]
        self.sort_by(following, descending=following == "When")

    def action_reverse(self) -> None:
        self.sort_by(self.sort_column, descending=not self.sort_descending)

    def sort_by(self, column: str, *, descending: bool) -> None:
        """Sort by `column`; the cursor stays on the same entry.

        In a large history (above SYNC_SHOW_LIMIT) the entries are sorted in a thread: the
        header shows the new order at once and the rows stay as they are until the sorted
        ones replace them; a sort asked for meanwhile, or a filter typed, drops the answer.
        In every history the cursor follows its entry when the entry lands in the first
        SORT_FOLLOW_LIMIT rows, else goes to the top."""
        self.sort_column, self.sort_descending = column, descending
        if self._preparing is None and len(self._newest_first) <= SYNC_SHOW_LIMIT:
            self._refill(follow_within=SORT_FOLLOW_LIMIT)
            return
        self._relabel_columns()
        generation = self._filters.next()  # a sort or a filter still running is older
        if self._preparing is None:  # else the snapshot prepared is arranged when shown
            self._arrange(generation, sort=True)
