"""The history file's bytes: parse (keeping every readable entry), serialize, merge, trim.

Entries are kept in insertion order (oldest first), never sorted by their clock time: see
the package docstring for the format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from qualtui.core import collector, frozen_heap
from qualtui.core.history.entry import HistoryEntry

SCHEMA_VERSION = 2
"""Written by this qualtui. 1 (no run ids) is read as it is and upgraded on the next write."""
READABLE_VERSIONS = (1, 2)


class Parsed(NamedTuple):
    """What a history file held: its readable entries, and whether any part was damaged."""

    entries: tuple[HistoryEntry, ...] = ()
    damaged: bool = False
    newer_version: int | None = None
    version: int | None = None


def parse(data: bytes, known: Mapping[str, HistoryEntry] | None = None) -> Parsed:
    """Parse a history file's bytes, keeping every readable entry. Never raises.

    `known` maps ids to entries already parsed: an entry never changes once written, so
    those are reused instead of parsed again (an append re-reads the file).

    A well-formed file takes the typed decoder (msgspec); anything else is read entry by
    entry. The garbage collector is paused meanwhile: a parse makes many objects and no
    cycles, and collections triggered by them were half the time of a large load.

    After a large parse (FREEZE_FROM entries or more) the objects alive are moved out of
    the collector's generations (`gc.freeze`, no traversal): otherwise the next collections
    walk every new object, on whichever thread allocates next, the UI's included, holding
    the GIL all along (150-200 ms at 100,000 entries, over a second at 1,000,000). Entries
    hold no cycles: they are still freed by reference counting when deleted.
    """
    with collector.paused():
        parsed = _parse(data, known or {})
        if len(parsed.entries) >= FREEZE_FROM:
            # While the collector is still off: one allocation after it is on again
            # starts a collection of every object the parse made (about 0.6 s at
            # 1,000,000 entries, the interpreter lock held). A batch's end leaves it frozen.
            frozen_heap.freeze_for_good()
    return parsed


FREEZE_FROM = 20_000
"""Entries from which a parse ends with `gc.freeze()` (see `parse`)."""


def _parse(data: bytes, known: Mapping[str, HistoryEntry]) -> Parsed:
    # imported here, not at start-up: the history is read after the first frame
    from qualtui.core.history import typed_decoder

    if not data.strip():
        return Parsed(damaged=True)  # atomic writes never leave an empty file
    fast = typed_decoder.decode(data, known)
    if fast is not None:
        fast_version, fast_entries = fast
        if fast_version > SCHEMA_VERSION:
            return Parsed(newer_version=fast_version)
        if fast_version in READABLE_VERSIONS:
            return Parsed(tuple(fast_entries), version=fast_version)
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return Parsed(damaged=True)  # RecursionError: nesting too deep to read
    version: object = None
    if not isinstance(document, Mapping):
        # a bare list of entries is the most likely hand-made shape: salvage it
        raw_entries: object = document
        damaged = True
    else:
        version = document.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
            return Parsed(newer_version=version)
        raw_entries = document.get("entries")
        damaged = version not in READABLE_VERSIONS or isinstance(version, bool)
    if not isinstance(raw_entries, list):
        return Parsed(damaged=True)
    entries: list[HistoryEntry] = []
    for raw in raw_entries:
        entry_id = raw.get("id") if isinstance(raw, dict) else None
        reuse = known.get(entry_id) if isinstance(entry_id, str) else None
        if reuse is not None:
            entries.append(reuse)
            continue
        try:
            entries.append(HistoryEntry.from_json(raw))
        except (ValueError, TypeError, OverflowError, RecursionError):
            damaged = True
    return Parsed(tuple(entries), damaged, version=version if isinstance(version, int) else None)


def encode(entry: HistoryEntry) -> bytes:
    """One entry as compact JSON (UTF-8): an element of the file, a line of the archive."""
    return json.dumps(entry.to_json(), ensure_ascii=False, separators=(",", ":")).encode()


def serialize(entries: Iterable[HistoryEntry], cache: dict[str, bytes] | None = None) -> bytes:
    """The file's bytes. `cache` keeps each entry's encoding (by id) between writes."""
    if cache is None:
        cache = {}
    parts = []
    for entry in entries:
        encoded = cache.get(entry.id)
        if encoded is None:
            encoded = cache[entry.id] = encode(entry)
        parts.append(encoded)
    return b'{"version":%d,"entries":[%s]}' % (SCHEMA_VERSION, b",".join(parts))


def merge(*sources: Iterable[HistoryEntry]) -> list[HistoryEntry]:
    """Union by id, in insertion order: each source's order, earlier sources first."""
    by_id: dict[str, HistoryEntry] = {}
    for source in sources:
        for entry in source:
            by_id.setdefault(entry.id, entry)
    return list(by_id.values())


def trim(
    entries: Sequence[HistoryEntry], interactive_cap: int, run_cap: int
) -> tuple[list[HistoryEntry], list[HistoryEntry]]:
    """(kept, trimmed): the newest `interactive_cap` interactive lookups and the newest
    `run_cap` entries of runs, by insertion order. Each cap trims only its own kind."""
    interactive = sum(1 for e in entries if e.run_id is None)
    drop_interactive = max(0, interactive - interactive_cap)
    drop_runs = max(0, len(entries) - interactive - run_cap)
    if not drop_interactive and not drop_runs:
        return list(entries), []
    kept: list[HistoryEntry] = []
    trimmed: list[HistoryEntry] = []
    for entry in entries:  # oldest first: the first of each kind go
        if entry.run_id is None and drop_interactive:
            drop_interactive -= 1
            trimmed.append(entry)
        elif entry.run_id is not None and drop_runs:
            drop_runs -= 1
            trimmed.append(entry)
        else:
            kept.append(entry)
    return kept, trimmed
