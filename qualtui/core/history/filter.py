"""Filtering the history as you type.

The words of a query are matched by the rule in `core.word_filter` against an entry's
worker ID, qualification type ID and name, status or error, environment, profile and region.

`HistoryFilter` keeps an index: for each entry, the text of every field but the worker ID
(its "shared text"), one string for all the entries that share it (thousands of lookups of
one type in one place share one). A word never spans two fields (fields are joined by a
line break and words hold no white space), so a word is in the entry's haystack exactly
when it is in the worker ID or in the shared text; and a query is checked against each
distinct shared text once, not once per entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from qualtui.core import word_filter
from qualtui.core.history.entry import HistoryEntry

CHECK_EVERY = 4096
"""Entries matched between two checks of `cancelled` (a newer query makes a run stale)."""
INDEX_PIECE = 1024
"""Entries indexed between two calls of `index`'s `pause` (about half a millisecond)."""


def _shared_fields(entry: HistoryEntry) -> list[str]:
    fields = [
        entry.qualification_type_id,
        entry.outcome,
        entry.outcome.replace("_", " "),
        entry.environment,
        entry.region,
        entry.profile or "",
        entry.qualification_type_name or "",
    ]
    if entry.error is not None:
        fields += [entry.error.code or "", entry.error.turk_error_code or ""]
    if entry.change is not None:
        fields += ["change", entry.change.reason or ""]
    return fields


def haystack(entry: HistoryEntry) -> str:
    """Everything a filter word can match (see `word_filter.haystack`)."""
    return word_filter.haystack([entry.worker_id, *_shared_fields(entry)])


def shared_text(entry: HistoryEntry) -> str:
    """The haystack of every field but the worker ID."""
    return word_filter.haystack(_shared_fields(entry))


class HistoryFilter:
    """Filters entries by a query over its index (each entry's shared text, kept between
    keystrokes). Safe to use from one thread at a time per call; the index only grows."""

    def __init__(self) -> None:
        self._shared: dict[str, str] = {}  # entry id -> its shared text
        self._texts: dict[str, str] = {}  # one copy of each distinct shared text

    def _shared_text(self, entry: HistoryEntry) -> str:
        text = self._shared.get(entry.id)
        if text is None:
            made = shared_text(entry)
            text = self._shared[entry.id] = self._texts.setdefault(made, made)
        return text

    def index(
        self, entries: Iterable[HistoryEntry], pause: Callable[[], object] | None = None
    ) -> None:
        """Index the entries now (in a thread), so the first keystroke does not. `pause` is
        called every INDEX_PIECE entries (a thread sleeping there gives the GIL to the UI
        thread: the index is background work, never worth a frame)."""
        iterator = iter(entries)
        while piece := list(islice(iterator, INDEX_PIECE)):
            for entry in piece:
                self._shared_text(entry)
            if pause is not None:
                pause()

    def matches(self, entry: HistoryEntry, query_words: tuple[str, ...]) -> bool:
        shared = self._shared_text(entry)
        missing = [word for word in query_words if word not in shared]
        if not missing:
            return True
        worker = entry.worker_id.casefold()
        return all(word in worker for word in missing)

    def select(
        self,
        entries: Iterable[HistoryEntry],
        query: str,
        cancelled: Callable[[], bool] | None = None,
    ) -> Iterator[HistoryEntry]:
        """The entries that match `query`, in the order given. With `cancelled`, it is
        asked every CHECK_EVERY entries and the selection ends early when it says so.
        (The shared text is never empty: the outcome is in it.)"""
        query_words = word_filter.query_words(query)
        if not query_words:
            yield from entries
            return
        iterator = iter(entries)
        while chunk := list(islice(iterator, CHECK_EVERY)):
            yield from self._matching(chunk, query_words)
            if cancelled is not None and cancelled():
                return

    def _matching(
        self, entries: list[HistoryEntry], query_words: tuple[str, ...]
    ) -> list[HistoryEntry]:
        shared_get, shared_of = self._shared.get, self._shared_text
        if len(query_words) == 1:  # the usual: one comprehension, no call per entry
            word = query_words[0]
            return [
                e
                for e in entries
                if word in (shared_get(e.id) or shared_of(e)) or word in e.worker_id.casefold()
            ]
        # What each distinct shared text leaves to the worker ID: worked out once per text.
        left: dict[str, tuple[str, ...]] = {}
        found = []
        for entry in entries:
            shared = shared_get(entry.id) or shared_of(entry)
            missing = left.get(shared)
            if missing is None:
                missing = left[shared] = tuple(w for w in query_words if w not in shared)
            if not missing:
                found.append(entry)
            else:
                worker = entry.worker_id.casefold()
                if all(word in worker for word in missing):
                    found.append(entry)
        return found
