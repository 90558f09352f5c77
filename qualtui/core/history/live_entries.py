"""`LiveEntries`: the history in memory, in insertion order, with the changes it takes made
in time independent of its size (an append is O(1), a trim of the oldest is O(trimmed))."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from qualtui.core.history.entry import HistoryEntry
from qualtui.core.history.entry_view import EntryView


class LiveEntries:
    """Entries by id, oldest insertion first, and counts of each kind for the caps.

    The list behind `view()` is only appended to; removing anything but the oldest entries
    gives a new list, so a view taken earlier never changes.
    """

    def __init__(self, entries: Iterable[HistoryEntry] = ()) -> None:
        self._by_id: dict[str, HistoryEntry] = {}
        for entry in entries:
            self._by_id.setdefault(entry.id, entry)
        self._rebuild()

    def _rebuild(self) -> None:
        self._order: list[HistoryEntry] = list(self._by_id.values())
        self._start = 0
        self.runs = sum(1 for e in self._order if e.run_id is not None)

    @property
    def by_id(self) -> Mapping[str, HistoryEntry]:
        return self._by_id

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    @property
    def interactive(self) -> int:
        return len(self._by_id) - self.runs

    def view(self) -> EntryView:
        return EntryView(self._order, self._start, len(self._order))

    def add(self, entry: HistoryEntry, before: str | None = None) -> bool:
        """Add at the end, or just before the entry `before` when it is there (an undone
        delete: O(size), rare); False (and nothing done) when its id is already there."""
        if entry.id in self._by_id:
            return False
        if before is not None and before in self._by_id:
            order = [e for e in self]
            at = next(n for n, e in enumerate(order) if e.id == before)
            order.insert(at, entry)
            self._by_id = {e.id: e for e in order}
            self._rebuild()
            return True
        self._by_id[entry.id] = entry
        self._order.append(entry)
        if entry.run_id is not None:
            self.runs += 1
        return True

    def remove(self, ids: Iterable[str]) -> list[HistoryEntry]:
        """Remove these ids (those present); the removed entries, oldest first."""
        gone = [self._by_id.pop(i) for i in set(ids) if i in self._by_id]
        if not gone:
            return []
        self.runs -= sum(1 for e in gone if e.run_id is not None)
        count = len(gone)
        oldest = self._order[self._start : self._start + count]
        if {e.id for e in oldest} == {e.id for e in gone}:
            self._start += count  # the oldest went (a trim): the list stays as it is
            if self._start > len(self._order) // 2 and self._start > 1024:
                self._rebuild()  # give back the memory of the dropped part now and then
            return oldest
        positions = {e.id: n for n, e in enumerate(self._order)}
        self._rebuild()
        return sorted(gone, key=lambda e: positions[e.id])

    def clear(self) -> None:
        self._by_id = {}
        self._rebuild()

    def oldest_over(self, interactive_cap: int, run_cap: int) -> list[HistoryEntry]:
        """The entries the caps trim: the oldest interactive lookups over `interactive_cap`
        and the oldest run entries over `run_cap`, oldest first (not removed here)."""
        drop_interactive = max(0, self.interactive - interactive_cap)
        drop_runs = max(0, self.runs - run_cap)
        over: list[HistoryEntry] = []
        for entry in self:
            if not drop_interactive and not drop_runs:
                break
            if entry.run_id is None and drop_interactive:
                drop_interactive -= 1
                over.append(entry)
            elif entry.run_id is not None and drop_runs:
                drop_runs -= 1
                over.append(entry)
        return over

    def trim(self, interactive_cap: int, run_cap: int) -> list[HistoryEntry]:
        """Remove the entries the caps trim (`oldest_over`); they are returned."""
        over = self.oldest_over(interactive_cap, run_cap)
        if over:
            self.remove(e.id for e in over)
        return over

    def __iter__(self) -> Iterator[HistoryEntry]:
        return iter(self.view())
