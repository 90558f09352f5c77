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

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from qualtui.core.batch import run_lookups
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.models import Failure, LookupRequest, LookupResult, Qualification
from qualtui.core.qualification_types import QualificationType, TypeCache, TypeList
from qualtui.core.result_format import aws_cli_json
from qualtui.core.throttle import THROTTLE_PAUSE
from qualtui.core.timefmt import utc_now

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
    again with `refresh_types`), then one lookup per type.

    `on_types_page` gets the number of types listed so far after each page (only when the
    list is not cached), `on_types` the list once known (for a progress total, or its
    failure), `on_row` each row as it arrives. Never raises for a service failure: a
    listing failure is in `WorkerProfile.failure`, a lookup failure in its row.
    """
    cancel = cancel or threading.Event()
    types = type_cache.own_types(
        clients,
        connection,
        refresh=refresh_types,
        cancel=cancel,
        on_page=on_types_page,
        throttle_pause=throttle_pause,
    )
    if on_types is not None:
        on_types(types)
    if types.failure is not None or types.cancelled:
        return WorkerProfile(connection, worker_id, types, cancelled=types.cancelled)
    rows: list[ProfileRow] = []
    rows_lock = threading.Lock()

    def arrived(row: ProfileRow) -> None:
        with rows_lock:
            rows.append(row)
        if on_row is not None:
            on_row(row)

    run_worker_profile(
        clients,
        connection,
        worker_id,
        types.types,
        on_row=arrived,
        concurrency=concurrency,
        cancel=cancel,
        throttle_pause=throttle_pause,
        clock=clock,
    )
    with rows_lock:
        ordered = tuple(held_first(rows))
    cancelled = cancel.is_set() and len(ordered) < len({t.id for t in types.types})
    return WorkerProfile(connection, worker_id, types, ordered, cancelled=cancelled)
