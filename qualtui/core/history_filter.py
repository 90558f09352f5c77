"""Filtering the history as you type.

A query is words separated by spaces; an entry matches when every word occurs (case
insensitive) in one of its worker ID, qualification type ID, status or error, environment,
profile or region. "granted sandbox A1" finds granted sandbox lookups of workers with A1 in
their ID.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from qualtui.core.history import HistoryEntry


def haystack(entry: HistoryEntry) -> str:
    """Everything a filter word can match, lower case, fields separated by a newline."""
    fields = [
        entry.worker_id,
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
    return "\n".join(fields).lower()


def words(query: str) -> tuple[str, ...]:
    return tuple(query.lower().split())


class HistoryFilter:
    """Filters entries by a query; remembers each entry's haystack between keystrokes."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def matches(self, entry: HistoryEntry, query_words: tuple[str, ...]) -> bool:
        text = self._cache.get(entry.id)
        if text is None:
            text = self._cache[entry.id] = haystack(entry)
        return all(word in text for word in query_words)

    def select(self, entries: Iterable[HistoryEntry], query: str) -> Iterator[HistoryEntry]:
        """The entries that match `query`, in the order given."""
        query_words = words(query)
        if not query_words:
            yield from entries
            return
        for entry in entries:
            if self.matches(entry, query_words):
                yield entry
