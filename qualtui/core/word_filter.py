"""The one rule for filtering as you type, in every table of qualtui.

A query is words separated by white space; a row matches when every word occurs, case
insensitive, somewhere in the row's text ("granted sandbox A1" finds granted sandbox rows of
workers with A1 in their ID). An empty query matches everything.
"""

from __future__ import annotations

from collections.abc import Iterable


def query_words(query: str) -> tuple[str, ...]:
    """The words of a query, case-folded."""
    return tuple(query.casefold().split())


def haystack(fields: Iterable[str]) -> str:
    """The text a row is searched in: its fields, case-folded, one per line (so a word
    never matches across two fields)."""
    return "\n".join(fields).casefold()


def matches(text: str, words: tuple[str, ...]) -> bool:
    """True when every word occurs in `text` (a `haystack`)."""
    return all(word in text for word in words)


def row_matches(fields: Iterable[str], query: str) -> bool:
    """`matches` for one row given as fields, for tables too small to cache haystacks."""
    words = query_words(query)
    return not words or matches(haystack(fields), words)
