"""The lookup history: a JSON file that is never lost, never corrupted, and shared safely.

File format: `{"version": 1, "entries": [...]}`, oldest first. Writes are atomic (temporary
file, fsync, rename). Every append re-reads the file and merges under an inter-process lock
(filelock), so several qualtui processes lose nothing. A damaged file is moved aside and
what could be read is kept. A file from a newer qualtui is never overwritten.

Entries hold no credentials: only the profile's name, the environment, the endpoint, the two
IDs and the outcome.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from qualtui.core.atomic import write_atomic
from qualtui.core.models import Locale, LookupResult, Qualification, qualification_fields
from qualtui.core.paths import ensure_private_dir

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
DEFAULT_LIMIT = 1000
LOCK_TIMEOUT = 10.0


@dataclass(frozen=True)
class ErrorSummary:
    kind: str
    code: str | None = None
    turk_error_code: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """One lookup as remembered. `time` is UTC."""

    id: str
    time: datetime
    profile: str | None
    environment: str
    region: str
    qualification_type_id: str
    worker_id: str
    endpoint_url: str | None = None
    qualification: Qualification | None = None
    error: ErrorSummary | None = None
    qualification_type_name: str | None = None

    @classmethod
    def from_result(cls, result: LookupResult, type_name: str | None = None) -> HistoryEntry:
        request = result.request
        failure = result.failure
        return cls(
            id=uuid.uuid4().hex,
            time=_to_millisecond(result.finished_at),
            profile=request.connection.profile,
            environment=request.connection.environment,
            region=request.connection.region,
            endpoint_url=request.connection.endpoint_url,
            qualification_type_id=request.qualification_type_id,
            worker_id=request.worker_id,
            qualification=result.qualification,
            qualification_type_name=type_name or None,
            error=(
                ErrorSummary(failure.kind, failure.code, failure.turk_error_code, failure.message)
                if failure
                else None
            ),
        )

    @property
    def outcome(self) -> str:
        """A short word for the table: the status, or the error's kind."""
        if self.qualification is not None:
            return self.qualification.status
        return self.error.kind if self.error else "unknown"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "time": _iso(self.time, "milliseconds"),
            "profile": self.profile,
            "environment": self.environment,
            "region": self.region,
            "endpoint_url": self.endpoint_url,
            "qualification_type_id": self.qualification_type_id,
            "worker_id": self.worker_id,
        }
        if self.qualification_type_name:
            data["qualification_type_name"] = self.qualification_type_name
        q = self.qualification
        if q is not None:
            data["qualification"] = qualification_fields(q, _iso)
        if self.error is not None:
            data["error"] = {
                "kind": self.error.kind,
                "code": self.error.code,
                "turk_error_code": self.error.turk_error_code,
                "message": self.error.message,
            }
        return data

    @classmethod
    def from_json(cls, raw: object) -> HistoryEntry:
        """Parse one entry; raises ValueError (or TypeError) on anything malformed."""
        if not isinstance(raw, dict):
            raise ValueError("entry is not an object")
        qualification = None
        q = raw.get("qualification")
        if q is not None:
            if not isinstance(q, dict):
                raise ValueError("qualification is not an object")
            locale = None
            lv = q.get("LocaleValue")
            if lv is not None:
                if not isinstance(lv, dict):
                    raise ValueError("LocaleValue is not an object")
                locale = Locale(_str(lv, "Country"), _opt_str(lv, "Subdivision"))
            value = q.get("IntegerValue")
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValueError("IntegerValue is not an integer")
            grant = _opt_str(q, "GrantTime")
            qualification = Qualification(
                qualification_type_id=_str(raw, "qualification_type_id"),
                worker_id=_str(raw, "worker_id"),
                status=_str(q, "Status"),
                grant_time=_parse_time(grant) if grant else None,
                integer_value=value,
                locale=locale,
            )
        error = None
        e = raw.get("error")
        if e is not None:
            if not isinstance(e, dict):
                raise ValueError("error is not an object")
            error = ErrorSummary(
                _str(e, "kind"),
                _opt_str(e, "code"),
                _opt_str(e, "turk_error_code"),
                _opt_str(e, "message"),
            )
        return cls(
            id=_str(raw, "id"),
            time=_parse_time(_str(raw, "time")),
            profile=_opt_str(raw, "profile"),
            environment=_str(raw, "environment"),
            region=_str(raw, "region"),
            endpoint_url=_opt_str(raw, "endpoint_url"),
            qualification_type_id=_str(raw, "qualification_type_id"),
            worker_id=_str(raw, "worker_id"),
            qualification=qualification,
            error=error,
            qualification_type_name=_opt_str(raw, "qualification_type_name") or None,
        )


def _to_millisecond(moment: datetime) -> datetime:
    """UTC, to the millisecond: what the file keeps, so memory and file agree."""
    utc = moment.astimezone(timezone.utc)
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


def _iso(moment: datetime, timespec: str = "seconds") -> str:
    utc = moment.astimezone(timezone.utc)
    return utc.isoformat(timespec=timespec).replace("+00:00", "Z")


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("time has no time zone")
    return moment.astimezone(timezone.utc)


def _str(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key} is missing or not a string")
    return value


def _opt_str(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} is not a string")
    return value


# --------------------------------------------------------------------------- the store


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


class HistoryError(Exception):
    """Saving the history failed; the message says why, in words."""


@dataclass(frozen=True)
class Snapshot:
    """The entries (oldest first) after a change; `revision` orders snapshots."""

    entries: tuple[HistoryEntry, ...]
    revision: int


@dataclass(frozen=True)
class LoadReport:
    snapshot: Snapshot
    notice: str | None = None
    backup: Path | None = None
    saving: bool = True


@dataclass
class HistoryStore:
    """The history file at `path`, capped at `limit` entries (0 turns history off).

    All methods block (file I/O): call them from a worker thread. They are thread-safe.
    `entries` is oldest first.
    """

    path: Path
    limit: int = DEFAULT_LIMIT
    entries: list[HistoryEntry] = field(default_factory=list)
    saving: bool = True
    _unsaved: list[HistoryEntry] = field(default_factory=list, repr=False)
    # What the file held when this store last read or wrote it, to skip re-reading an
    # unchanged file, and each entry's encoding, to skip re-encoding: an append stays cheap.
    _disk_stamp: tuple[int, int, int, int] | None = field(default=None, repr=False)
    _disk_entries: list[HistoryEntry] = field(default_factory=list, repr=False)
    _encoded: dict[str, bytes] = field(default_factory=dict, repr=False)
    _revision: int = field(default=0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def _file_lock(self) -> FileLock:
        return FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)

    def load(self) -> LoadReport:
        """Read the file, recovering from damage. Never raises."""
        with self._lock:
            if not self.enabled:
                self.saving = False
                return LoadReport(self._snapshot(), saving=False)
            try:
                ensure_private_dir(self.path.parent)
                with self._file_lock():
                    return self._load_locked()
            except (OSError, Timeout) as error:
                self.saving = False
                return LoadReport(
                    self._snapshot(),
                    notice=f"Could not read the history ({_reason(error)}): "
                    "this session's lookups will not be saved.",
                    saving=False,
                )

    def _load_locked(self) -> LoadReport:
        self._remove_stale_temporaries()
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            self.entries = []
            return LoadReport(self._snapshot())
        parsed = parse(data)
        if parsed.newer_version is not None:
            self.saving = False
            self.entries = []
            return LoadReport(
                self._snapshot(),
                notice=f"{self.path.name} was written by a newer qualtui (format "
                f"{parsed.newer_version}); it is left untouched and this session's lookups "
                "will not be saved.",
                saving=False,
            )
        self.entries = merge(parsed.entries, limit=self.limit)
        if not parsed.damaged:
            self._remember_disk(list(parsed.entries))
            return LoadReport(self._snapshot())
        backup = self.path.with_name(
            f"{self.path.name}.corrupt-{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}"
        )
        self.path.replace(backup)
        write_atomic(self.path, serialize(self.entries, self._encoded))
        self._remember_disk(self.entries)
        return LoadReport(
            self._snapshot(),
            notice=f"The history file was damaged. Kept {len(self.entries)} readable "
            f"entries; the original is saved as {backup}.",
            backup=backup,
        )

    def _remove_stale_temporaries(self) -> None:
        """Delete temporary files left by a writer that was killed mid-write.

        Every write happens under the lock, so with the lock held none is in progress.
        """
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                log.warning("could not remove %s", leftover)

    def append(self, entry: HistoryEntry) -> Snapshot:
        """Add an entry and save. The entry is kept in memory even when saving fails.

        Raises HistoryError (after updating memory) when the file could not be written;
        the entry is written with the next successful save.
        """
        return self._update(add=(entry,))

    def append_many(self, entries: Sequence[HistoryEntry]) -> Snapshot:
        """Add several entries in one locked write (a batch)."""
        return self._update(add=tuple(entries))

    def delete(self, entry_id: str) -> Snapshot:
        return self._update(remove=frozenset({entry_id}))

    def clear(self) -> Snapshot:
        return self._update(clear=True)

    def snapshot(self) -> Snapshot:
        with self._lock:
            return self._snapshot()

    def _snapshot(self) -> Snapshot:
        """Number a new snapshot; call with the lock held."""
        self._revision += 1
        return Snapshot(tuple(self.entries), self._revision)

    def _update(
        self,
        add: Sequence[HistoryEntry] = (),
        remove: frozenset[str] = frozenset(),
        clear: bool = False,
    ) -> Snapshot:
        """Apply a change in memory, then to the file under the lock.

        The file is the source of truth: it is re-read, and only this process's unsaved
        entries are added to it, so what other processes deleted stays deleted.
        """
        with self._lock:
            if not self.enabled:
                return self._snapshot()
            kept = [] if clear else [e for e in self.entries if e.id not in remove]
            unsaved = [] if clear else [e for e in self._unsaved if e.id not in remove]
            self._unsaved = [*unsaved, *add]
            self.entries = merge(kept, add, limit=self.limit)
            if not self.saving:
                return self._snapshot()
            try:
                ensure_private_dir(self.path.parent)
                with self._file_lock():
                    on_disk = self._read_disk()
                    if on_disk.newer_version is not None:
                        self.saving = False
                        raise HistoryError(
                            f"{self.path.name} was replaced by a newer qualtui; "
                            "history is no longer saved this session"
                        )
                    disk = [] if clear else [e for e in on_disk.entries if e.id not in remove]
                    merged = merge(disk, self._unsaved, limit=self.limit)
                    write_atomic(self.path, serialize(merged, self._encoded))
                    self.entries = merged
                    self._unsaved = []
                    self._remember_disk(merged)
            except Timeout:
                raise HistoryError("another qualtui held the history lock too long") from None
            except OSError as error:
                raise HistoryError(_reason(error)) from error
            return self._snapshot()

    # ------------------------------------------------------------------ disk cache

    def _stamp(self) -> tuple[int, int, int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def _read_disk(self) -> Parsed:
        """The file's entries; not read again if it is unchanged since this store saw it."""
        stamp = self._stamp()
        if stamp is not None and stamp == self._disk_stamp:
            return Parsed(tuple(self._disk_entries))
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return Parsed()
        known = {e.id: e for e in self._disk_entries}
        parsed = parse(data, known)
        if not parsed.damaged and parsed.newer_version is None:
            self._disk_stamp, self._disk_entries = stamp, list(parsed.entries)
        return parsed

    def _remember_disk(self, entries: list[HistoryEntry]) -> None:
        self._disk_stamp, self._disk_entries = self._stamp(), list(entries)
        live = {e.id for e in entries}
        if len(self._encoded) > 2 * len(live) + 100:
            self._encoded = {k: v for k, v in self._encoded.items() if k in live}


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        text = os.strerror(error.errno) if error.errno else str(error)
        return f"{text}: {error.filename}" if error.filename else text
    return str(error)
