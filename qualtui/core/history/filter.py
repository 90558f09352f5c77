"""Filtering the history as you type.

The words of a query are matched by the rule in `core.word_filter` against an entry's
worker ID, qualification type ID and name, status or error, environment, profile and region.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from qualtui.core import word_filter
from qualtui.core.history.entry import HistoryEntry


def haystack(entry: HistoryEntry) -> str:
    """Everything a filter word can match (see `word_filter.haystack`)."""
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
    if entry.change is not None:
        fields += ["change", entry.change.reason or ""]
    return word_filter.haystack(fields)


class HistoryFilter:
    """Filters entries by a query; remembers each entry's haystack between keystrokes."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}

    def matches(self, entry: HistoryEntry, query_words: tuple[str, ...]) -> bool:
        text = self._cache.get(entry.id)
        if text is None:
            text = self._cache[entry.id] = haystack(entry)
        return word_filter.matches(text, query_words)

    def select(self, entries: Iterable[HistoryEntry], query: str) -> Iterator[HistoryEntry]:
        """The entries that match `query`, in the order given."""
        query_words = word_filter.query_words(query)
        if not query_words:
            yield from entries
            return
        for entry in entries:
            if self.matches(entry, query_words):
                yield entry
