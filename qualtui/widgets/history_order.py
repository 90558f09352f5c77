"""The history's orders worked out in a thread without holding the GIL long: newest first,
sorted by a column, and a large list let go, each a piece at a time (one C call over a
million entries held the GIL, and froze the UI thread, for tens of milliseconds or more)."""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Sequence

from qualtui.core.history import HistoryEntry
from qualtui.widgets.history_rows import TypeNames, sort_key

INDEX_PAUSE = 0.001
"""The filter's index is built in pieces with this sleep between them (see
`HistoryFilter.index`): 1,000,000 entries take about 2 s instead of 1 s, and the UI thread
never waits for the GIL behind it."""
SORT_PIECE = 20_000
"""`in_order` sorts this many entries per C call (a few ms holding the GIL) and merges the
pieces in Python: one sort of a million entries held the GIL, and froze the UI thread, for
as long as it took."""
SORT_CHECK = 10_000
"""A thread merging sorted pieces asks every this many entries whether its answer is still
wanted."""


REVERSE_PIECE = 50_000
"""Entries copied per step by `newest_first_of`: one C call holds the GIL (a million at
once, touching every entry's reference count, froze the UI for about 50 ms)."""


def newest_first_of(entries: Sequence[HistoryEntry]) -> list[HistoryEntry]:
    """The entries, newest first, copied a piece at a time (so a thread doing it lets the
    UI thread run between pieces)."""
    reversed_list: list[HistoryEntry] = []
    for stop in range(len(entries), 0, -REVERSE_PIECE):
        piece = list(entries[max(0, stop - REVERSE_PIECE) : stop])
        piece.reverse()
        reversed_list += piece
    return reversed_list


def in_order(
    matching: list[HistoryEntry],
    order: tuple[str, bool],
    names: TypeNames,
    stale: Callable[[], bool] = lambda: False,
) -> list[HistoryEntry] | None:
    """`matching` (newest first) in `order` (column, descending), ties newest first, as
    `sorted` would give; for a thread: sorted a piece at a time (SORT_PIECE) and merged in
    Python, so the UI thread gets the GIL between pieces. None when `stale` says the answer
    is no longer wanted (asked between pieces)."""
    column, descending = order
    if column == "When":
        return matching if descending else newest_first_of(matching)
    key = sort_key(column, names)
    pieces: list[list[HistoryEntry]] = []
    for start in range(0, len(matching), SORT_PIECE):
        if stale():
            return None
        pieces.append(sorted(matching[start : start + SORT_PIECE], key=key, reverse=descending))
    if len(pieces) <= 1:
        return pieces[0] if pieces else []
    ordered: list[HistoryEntry] = []
    # heapq.merge is stable: of equal keys, the earlier piece's (the newer entry) first
    for count, entry in enumerate(heapq.merge(*pieces, key=key, reverse=descending)):
        if not count % SORT_CHECK and stale():
            return None
        ordered.append(entry)
    return ordered


def let_go(entries: list[HistoryEntry]) -> None:
    """Empty `entries` a piece (REVERSE_PIECE) at a time, for a thread, sleeping between
    pieces (INDEX_PAUSE: background work gives the GIL to the UI thread): a list of a million
    entries dropped at once touches every entry's reference count in one C call, holding the
    GIL (about 60 ms: the UI thread froze when the rows' old order was replaced)."""
    while entries:
        del entries[-REVERSE_PIECE:]
        time.sleep(INDEX_PAUSE)
