"""`EntryView`: a read-only, fixed-length view of the first entries of a list that only grows.

A snapshot of a history of a million entries must not copy a million pointers (16 ms) at
every append: it keeps a view of the store's list instead. The store never changes that
list in place except by appending to its end, so the view's window never changes; a
delete or a trim gives the store a new list.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import overload

from qualtui.core.history.entry import HistoryEntry


class EntryView(Sequence[HistoryEntry]):
    """`items[start:stop]`, without copying; equal to any sequence of the same entries."""

    __slots__ = ("_items", "_start", "_stop")

    def __init__(
        self, items: Sequence[HistoryEntry] = (), start: int = 0, stop: int | None = None
    ) -> None:
        self._items = items
        self._start = start
        self._stop = len(items) if stop is None else stop

    def __len__(self) -> int:
        return self._stop - self._start

    @overload
    def __getitem__(self, index: int) -> HistoryEntry: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[HistoryEntry]: ...

    def __getitem__(self, index: int | slice) -> HistoryEntry | Sequence[HistoryEntry]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:  # in C: a newest-first copy takes pieces of a million entries
                return tuple(self._items[self._start + start : self._start + max(start, stop)])
            return tuple(self[i] for i in range(start, stop, step))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("history entry index out of range")
        return self._items[self._start + index]

    def __iter__(self) -> Iterator[HistoryEntry]:
        return islice(self._items, self._start, self._stop)

    def __reversed__(self) -> Iterator[HistoryEntry]:
        return reversed(self._items[self._start : self._stop])  # a copy in C: fast at 1M

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"EntryView({len(self)} entries)"
