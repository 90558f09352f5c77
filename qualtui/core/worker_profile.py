"""A worker's profile: every qualification type the account owns, each looked up for one
worker with GetQualificationScore, at most `concurrency` at once, throttling absorbed as the
batch does (`core.batch.run_lookups`).

Blocking: run it in a worker thread. Rows come back through `on_row`, from the lookup
threads, as they arrive; each row carries its request (connection, worker, type), so a
caller that started another profile meanwhile can drop a stale one. A `threading.Event`
cancels: no call starts after it is set, no row arrives after the runner returns, and it
returns without waiting for the calls under way.

Type names are outside text and are kept raw here; whoever shows them makes them safe.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from qualtui.core import errors
from qualtui.core.batch import run_lookups
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.models import Failure, LookupRequest, LookupResult, Qualification
from qualtui.core.qualification_types import QualificationType, TypeCache, TypeList
from qualtui.core.result_format import aws_cli_json
from qualtui.core.throttle import THROTTLE_PAUSE
from qualtui.core.timefmt import utc_now

log = logging.getLogger(__name__)

PROFILE_CONCURRENCY = 10

RowStatus = Literal["Granted", "Revoked", "not held", "error"]
_RANK: dict[RowStatus, int] = {"Granted": 0, "Revoked": 1, "not held": 2, "error": 3}


def row_status(result: LookupResult) -> RowStatus:
    """Granted / Revoked / not held, or error when this type's lookup failed otherwise.

    A revoked qualification comes back either as a Qualification with Status Revoked or,
    from the service, as an error that says only Granted ones can be read: both are Revoked.
    """
    q = result.qualification
    if q is not None:
        return "Granted" if q.status == "Granted" else "Revoked"
    failure = result.failure
    if failure is not None and failure.kind == "not_held":
        return "not held"
    if failure is not None and failure.kind == "revoked":
        return "Revoked"
    return "error"


@dataclass(frozen=True)
class ProfileRow:
    """One owned type and what the worker has of it."""

    qualification_type: QualificationType
    result: LookupResult

    @property
    def type_id(self) -> str:
        return self.qualification_type.id

    @property
    def type_name(self) -> str:
        """Raw outside text: make it safe before showing it."""
        return self.qualification_type.name

    @property
    def worker_id(self) -> str:
        return self.result.request.worker_id

    @property
    def status(self) -> RowStatus:
        return row_status(self.result)

    @property
    def held(self) -> bool:
        """The worker holds this type now (Granted; a revoked one is not held)."""
        return self.status == "Granted"

    @property
    def qualification(self) -> Qualification | None:
        return self.result.qualification

    @property
    def failure(self) -> Failure | None:
        """Why this type's lookup failed (status "error"), or the not-held/revoked answer."""
        return self.result.failure


def held_first(rows: Iterable[ProfileRow]) -> list[ProfileRow]:
    """Granted, then Revoked, then not held, then failed; by type name within each."""
    return sorted(rows, key=lambda r: (_RANK[r.status], r.type_name.lower(), r.type_id))


def by_type_name(rows: Iterable[ProfileRow]) -> list[ProfileRow]:
    """The command line's order: by type name, whatever the worker holds."""
    return sorted(rows, key=lambda r: (r.type_name.lower(), r.type_id))


@dataclass(frozen=True)
class ProfileSummary:
    """Counts for the top of the profile: "holds 12 of 134 types"."""

    types: int
    granted: int = 0
    revoked: int = 0
    not_held: int = 0
    failed: int = 0

    @property
    def looked_up(self) -> int:
        return self.granted + self.revoked + self.not_held + self.failed

    @property
    def text(self) -> str:
        noun = "type" if self.types == 1 else "types"
        parts = [f"holds {self.granted} of {self.types} {noun}"]
        if self.revoked:
            parts.append(f"{self.revoked} revoked")
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.looked_up < self.types:
            parts.append(f"{self.looked_up} of {self.types} looked up")
        return ", ".join(parts)


def summarize(rows: Iterable[ProfileRow], types: int) -> ProfileSummary:
    """The counts of the rows so far, out of `types` owned types."""
    counts = dict.fromkeys(_RANK, 0)
    for row in rows:
        counts[row.status] += 1
    return ProfileSummary(
        types=types,
        granted=counts["Granted"],
        revoked=counts["Revoked"],
        not_held=counts["not held"],
        failed=counts["error"],
    )


def profile_record(row: ProfileRow) -> dict[str, Any]:
    """One JSON line of `qualtui worker --output json`: `qualtui lookup --json`'s shape
    (the AWS CLI's `{"Qualification": {...}}`, or the request with an "Error") plus the
    type's name as `"QualificationTypeName"`."""
    return {**aws_cli_json(row.result), "QualificationTypeName": row.type_name}


def run_worker_profile(
    clients: ClientCache,
    connection: Connection,
    worker_id: str,
    types: Sequence[QualificationType],
    *,
    on_row: Callable[[ProfileRow], None],
    concurrency: int = PROFILE_CONCURRENCY,
    cancel: threading.Event | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
    clock: Callable[[], datetime] = utc_now,
) -> int:
    """Look up `worker_id` for each type; returns how many were looked up (fewer when
    cancelled). Each row goes to `on_row` as it arrives, from the lookup threads."""
    by_id = {t.id: t for t in types}  # a type listed twice is looked up once

    def arrived(result: LookupResult) -> None:
        on_row(ProfileRow(by_id[result.request.qualification_type_id], result))

    return run_lookups(
        clients,
        [LookupRequest(connection, type_id, worker_id) for type_id in by_id],
        on_result=arrived,
        concurrency=concurrency,
        cancel=cancel,
        throttle_pause=throttle_pause,
        clock=clock,
        thread_name_prefix="qualtui-profile",
    )


@dataclass(frozen=True)
class WorkerProfile:
    """A finished (or cancelled, or failed) profile: the rows held first."""

    connection: Connection
    worker_id: str
    types: TypeList
    rows: tuple[ProfileRow, ...] = ()
    cancelled: bool = False

    @property
    def failure(self) -> Failure | None:
        """Why the owned types could not be listed (then there are no rows)."""
        return self.types.failure

    @property
    def complete(self) -> bool:
        """Every owned type was looked up (each row may still hold its own failure)."""
        return (
            self.failure is None
            and not self.cancelled
            and not self.types.cancelled
            and len(self.rows) == len({t.id for t in self.types.types})
        )

    @property
    def summary(self) -> ProfileSummary:
        return summarize(self.rows, len({t.id for t in self.types.types}))


def load_worker_profile(
    clients: ClientCache,
    type_cache: TypeCache,
    connection: Connection,
    worker_id: str,
    *,
    on_row: Callable[[ProfileRow], None] | None = None,
    on_types: Callable[[TypeList], None] | None = None,
    on_types_page: Callable[[int], None] | None = None,
    refresh_types: bool = False,
    concurrency: int = PROFILE_CONCURRENCY,
    cancel: threading.Event | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
    clock: Callable[[], datetime] = utc_now,
) -> WorkerProfile:
    """The whole profile: the owned types (from the cache, or listed, every page; listed
    again with `refresh_types`) and one lookup per type.

    The lookups start with the first page of types, while the next pages are listed, so
    the listing costs one page of waiting, not all of them. `on_types_page` gets the number
    of types listed so far after each page (not called when the list is cached), `on_types`
    the whole list once known (the progress total, or the listing's failure), and `on_row`
    each row as it arrives: rows of the first pages may come before `on_types`.

    Never raises for a service failure: a listing failure is in `WorkerProfile.failure`
    (the rows already looked up are dropped: a partial list would read as a whole one), a
    lookup's failure in its row.
    """
    cancel = cancel or threading.Event()
    feed = _TypeFeed(connection, worker_id)
    listed: list[TypeList] = []

    def list_types() -> None:
        found = TypeList(cancelled=True)
        try:
            found = type_cache.own_types(
                clients,
                connection,
                refresh=refresh_types,
                cancel=cancel,
                on_page=on_types_page,
                on_page_types=feed.put,
                throttle_pause=throttle_pause,
            )
        except Exception as exc:  # own_types explains failures itself: this is a bug
            log.exception("listing the owned types failed")
            found = TypeList(failure=errors.unexpected(exc))
        try:
            if on_types is not None and not cancel.is_set():
                on_types(found)  # before the end: the profile returns after it
        finally:
            listed.append(found)
            feed.end(found)

    threading.Thread(target=list_types, name="qualtui-profile-types", daemon=True).start()
    rows: list[ProfileRow] = []
    rows_lock = threading.Lock()

    def arrived(result: LookupResult) -> None:
        row = ProfileRow(feed.type_of(result.request.qualification_type_id), result)
        with rows_lock:
            rows.append(row)
        if on_row is not None:
            on_row(row)

    run_lookups(
        clients,
        feed.requests(),
        on_result=arrived,
        concurrency=concurrency,
        cancel=cancel,
        throttle_pause=throttle_pause,
        clock=clock,
        thread_name_prefix="qualtui-profile",
    )
    with rows_lock:
        ordered = tuple(held_first(rows))
    types = listed[0] if listed else TypeList(cancelled=True)  # none yet: cancelled first
    if types.failure is not None:
        return WorkerProfile(connection, worker_id, types)
    owned = len({t.id for t in types.types})
    cancelled = types.cancelled or (cancel.is_set() and len(ordered) < owned)
    return WorkerProfile(connection, worker_id, types, ordered, cancelled=cancelled)


class _TypeFeed:
    """The owned types as the listing finds them, page by page, turned into lookups: each
    type once, until the list is complete or the listing failed."""

    def __init__(self, connection: Connection, worker_id: str) -> None:
        self.connection = connection
        self.worker_id = worker_id
        self._pages: queue.SimpleQueue[tuple[QualificationType, ...] | None] = queue.SimpleQueue()
        self._types: dict[str, QualificationType] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    def put(self, page: Sequence[QualificationType]) -> None:
        self._pages.put(tuple(page))

    def end(self, listed: TypeList) -> None:
        """The listing is over: the whole list (a cached one comes only here), or stop."""
        if listed.failure is not None or listed.cancelled:
            self._stopped.set()
        else:
            self._pages.put(listed.types)  # the types already fed are skipped
        self._pages.put(None)

    def requests(self) -> Iterator[LookupRequest]:
        """One request per type, waiting for the next page when it has fed them all."""
        while (page := self._pages.get()) is not None:
            for qtype in page:
                if self._stopped.is_set():
                    return
                with self._lock:
                    if qtype.id in self._types:
                        continue
                    self._types[qtype.id] = qtype
                yield LookupRequest(self.connection, qtype.id, self.worker_id)

    def type_of(self, type_id: str) -> QualificationType:
        with self._lock:
            return self._types[type_id]
