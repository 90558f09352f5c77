"""The fast path of `file_format.parse`: msgspec's typed JSON decoder.

It decodes a whole well-formed history file in C (strings, numbers and RFC 3339 times) and
builds the entries from that, applying the same rules as `HistoryEntry.from_json`. When any
part does not fit (a damaged entry, a lone surrogate, a time the decoder does not take), it
gives up (`None`) and `parse` reads the file the slow way, which keeps every readable entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Any

import msgspec

from qualtui.core.history.entry import (
    ErrorSummary,
    HistoryEntry,
    ProfileNote,
    change_details,
    to_utc_in_range,
)
from qualtui.core.history.journal import Add, Change, Clear, Delete
from qualtui.core.models import Locale, Qualification

Text = Annotated[str, msgspec.Meta(min_length=1)]
Moment = Annotated[datetime, msgspec.Meta(tz=True)]
Count = Annotated[int, msgspec.Meta(ge=0)]


class _Locale(msgspec.Struct):
    Country: Text
    Subdivision: str | None = None


class _Qualification(msgspec.Struct):
    Status: Text
    IntegerValue: int | None = None
    LocaleValue: _Locale | None = None
    GrantTime: Moment | None = None


class _Error(msgspec.Struct):
    kind: Text
    code: str | None = None
    turk_error_code: str | None = None
    message: str | None = None


class _ProfileNote(msgspec.Struct):
    types: Count = 0
    held: Count = 0
    revoked: Count = 0


class _Entry(msgspec.Struct):
    id: Text
    time: Moment
    environment: Text
    region: Text
    qualification_type_id: str
    worker_id: Text
    profile: str | None = None
    endpoint_url: str | None = None
    qualification_type_name: str | None = None
    run_id: str | None = None
    qualification: _Qualification | None = None
    error: _Error | None = None
    change: dict[str, Any] | None = None  # read by ChangeDetails.from_json, as the slow path
    worker_profile: _ProfileNote | None = None


class _File(msgspec.Struct):
    version: int
    entries: list[_Entry]


class _Line(msgspec.Struct, forbid_unknown_fields=True):
    add: _Entry | None = None
    before: Text | None = None  # with add only: put back before this entry
    delete: Text | None = None
    clear: bool = False


_file_decoder = msgspec.json.Decoder(_File)
_line_decoder = msgspec.json.Decoder(_Line)


_entries_decoder = msgspec.json.Decoder(list[_Entry])
_HEAD = re.compile(rb'\{"version":(\d{1,9}),"entries":\[')
_BETWEEN = b'},{"id":'
CHUNK = 2000
"""Entries decoded per call: about 5 ms, after which another thread (the UI) can run."""


def decode(data: bytes, known: Mapping[str, HistoryEntry]) -> tuple[int, list[HistoryEntry]] | None:
    """(version, entries) of a file that is wholly well formed, else None.

    A file in the shape `serialize` writes is decoded CHUNK entries at a time: one call
    decoding a whole large file holds the GIL (and freezes the UI thread) for all of it,
    and keeps every decoded field alive until the end. A piece cut anywhere but between two
    entries is not valid JSON (a cut inside a string or a nested object leaves it open), so
    any doubt ends in decoding the file whole, as before.
    """
    try:
        chunked = _decode_in_chunks(data, known)
        if chunked is not None:
            return chunked
        document = _file_decoder.decode(data)
        return document.version, [_entry(raw, known, {}) for raw in document.entries]
    except (msgspec.DecodeError, RecursionError, ValueError, OverflowError):
        return None  # ValidationError is a DecodeError; ValueError: a rule below


def _decode_in_chunks(
    data: bytes, known: Mapping[str, HistoryEntry]
) -> tuple[int, list[HistoryEntry]] | None:
    head = _HEAD.match(data)
    if head is None or not data.endswith(b"]}"):
        return None
    view = memoryview(data)
    start, stop = head.end(), len(data) - 2
    entries: list[HistoryEntry] = []
    shared: dict[str, str] = {}
    try:
        while start < stop:
            end = start
            for _ in range(CHUNK):
                end = data.find(_BETWEEN, end + 1, stop)
                if end < 0:
                    end = stop - 1
                    break
            piece = b"[" + view[start : end + 1] + b"]"
            entries.extend(_entry(raw, known, shared) for raw in _entries_decoder.decode(piece))
            start = end + 2
    except (msgspec.DecodeError, RecursionError, ValueError, OverflowError):
        return None
    return int(head.group(1)), entries


def decode_journal(data: bytes, known: Mapping[str, HistoryEntry]) -> list[Change] | None:
    """The changes of journal lines (each complete) that are all well formed, else None."""
    try:
        return [_change(line, known) for line in _line_decoder.decode_lines(data)]
    except (msgspec.DecodeError, RecursionError, ValueError, OverflowError):
        return None


def _change(line: _Line, known: Mapping[str, HistoryEntry]) -> Change:
    given = (line.add is not None) + (line.delete is not None) + line.clear
    if given != 1:
        raise ValueError("a journal line holds one change")
    if line.before is not None and line.add is None:
        raise ValueError("before belongs to an add")
    if line.add is not None:
        return Add(_entry(line.add, known, {}), line.before)
    if line.delete is not None:
        return Delete(line.delete)
    return Clear()


def _shared(one: Callable[[str, str], str], text: str | None) -> str | None:
    return one(text, text) if text is not None else None


def _entry(raw: _Entry, known: Mapping[str, HistoryEntry], shared: dict[str, str]) -> HistoryEntry:
    """The entry for `raw`; the texts many entries repeat (environment, region, profile,
    endpoint, type, status) are kept once, in `shared`."""
    reuse = known.get(raw.id)
    if reuse is not None:
        return reuse
    one = shared.setdefault
    p = raw.worker_profile
    if not raw.qualification_type_id and p is None:
        raise ValueError("qualification_type_id is missing")  # only a profile has none
    qualification = None
    q = raw.qualification
    if q is not None:
        lv = q.LocaleValue
        qualification = Qualification(
            qualification_type_id=one(raw.qualification_type_id, raw.qualification_type_id),
            worker_id=raw.worker_id,
            status=one(q.Status, q.Status),
            grant_time=to_utc_in_range(q.GrantTime) if q.GrantTime is not None else None,
            integer_value=q.IntegerValue,
            locale=(
                Locale(one(lv.Country, lv.Country), _shared(one, lv.Subdivision))
                if lv is not None
                else None
            ),
        )
    e = raw.error
    return HistoryEntry(
        id=raw.id,
        time=to_utc_in_range(raw.time),
        profile=one(raw.profile, raw.profile) if raw.profile is not None else None,
        environment=one(raw.environment, raw.environment),
        region=one(raw.region, raw.region),
        endpoint_url=(
            one(raw.endpoint_url, raw.endpoint_url) if raw.endpoint_url is not None else None
        ),
        qualification_type_id=one(raw.qualification_type_id, raw.qualification_type_id),
        worker_id=raw.worker_id,
        qualification=qualification,
        error=ErrorSummary(one(e.kind, e.kind), e.code, e.turk_error_code, e.message)
        if e
        else None,
        qualification_type_name=raw.qualification_type_name or None,
        run_id=one(raw.run_id, raw.run_id) if raw.run_id else None,
        change=change_details(raw.change) if raw.change else None,
        worker_profile=ProfileNote(p.types, p.held, p.revoked) if p is not None else None,
    )
