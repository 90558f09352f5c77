"""The history file's bytes: parse (keeping every readable entry), serialize, merge."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from qualtui.core.history.entry import HistoryEntry

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Parsed:
    """What a history file held: its readable entries, and whether any part was damaged."""

    entries: tuple[HistoryEntry, ...] = ()
    damaged: bool = False
    newer_version: int | None = None


def parse(data: bytes, known: Mapping[str, HistoryEntry] | None = None) -> Parsed:
    """Parse a history file's bytes, keeping every readable entry.

    `known` maps ids to entries already parsed: an entry never changes once written, so
    those are reused instead of parsed again (an append re-reads the file).
    """
    if not data.strip():
        return Parsed(damaged=True)  # atomic writes never leave an empty file
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return Parsed(damaged=True)
    if not isinstance(document, Mapping):
        # a bare list of entries is the most likely hand-made shape: salvage it
        raw_entries: object = document
        damaged = True
    else:
        version = document.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
            return Parsed(newer_version=version)
        raw_entries = document.get("entries")
        damaged = version != SCHEMA_VERSION
    if not isinstance(raw_entries, list):
        return Parsed(damaged=True)
    entries: list[HistoryEntry] = []
    known = known or {}
    for raw in raw_entries:
        reuse = known.get(raw.get("id")) if isinstance(raw, dict) else None  # type: ignore[arg-type]
        if reuse is not None:
            entries.append(reuse)
            continue
        try:
            entries.append(HistoryEntry.from_json(raw))
        except (ValueError, TypeError, OverflowError):
            damaged = True
    return Parsed(tuple(entries), damaged)


def _encode(entry: HistoryEntry) -> bytes:
    return json.dumps(entry.to_json(), ensure_ascii=False, separators=(",", ":")).encode()


def serialize(entries: Iterable[HistoryEntry], cache: dict[str, bytes] | None = None) -> bytes:
    """The file's bytes. `cache` keeps each entry's encoding (by id) between writes."""
    if cache is None:
        cache = {}
    parts = []
    for entry in entries:
        encoded = cache.get(entry.id)
        if encoded is None:
            encoded = cache[entry.id] = _encode(entry)
        parts.append(encoded)
    return b'{"version":%d,"entries":[%s]}' % (SCHEMA_VERSION, b",".join(parts))


def merge(*sources: Iterable[HistoryEntry], limit: int) -> list[HistoryEntry]:
    """Union by id, in time order (oldest first), keeping the newest `limit`."""
    by_id: dict[str, HistoryEntry] = {}
    for source in sources:
        for entry in source:
            by_id.setdefault(entry.id, entry)
    ordered = sorted(by_id.values(), key=lambda e: (e.time, e.id))
    return ordered[-limit:] if limit > 0 else []
