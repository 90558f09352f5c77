"""From HITs to their workers: the account's HITs (ListHITs) and the workers who did one or
several of them (ListAssignmentsForHIT), every page. Blocking: call from a worker thread.

Each listing takes a `threading.Event` that cancels it between pages (no call starts after
it is set) and a progress callback called after each page. A throttled page is asked again
(`core.throttle`); any other failure comes back explained, never raised.

Titles, descriptions and annotations are the requester's free text, so outside text: kept
raw here, made safe by whoever shows them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from typing import Any

from qualtui.core import errors
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.errors import failure_of
from qualtui.core.ids import IdKind
from qualtui.core.models import Failure, FailureKind
from qualtui.core.paging import PageTokens
from qualtui.core.throttle import THROTTLE_PAUSE, call_absorbing_throttling
from qualtui.core.word_filter import haystack

PAGE_SIZE = 100  # the service's maximum for both listings
MAX_HIT_PAGES = 500  # 50,000 HITs; MTurk deletes HITs some months after they end
MAX_ASSIGNMENT_PAGES = 1000  # 100,000 assignments of one HIT

ASSIGNMENT_STATUSES = ("Submitted", "Approved", "Rejected")
"""What ListAssignmentsForHIT can list (an accepted, unsubmitted assignment is never listed)."""

PER_HIT_FAILURES: frozenset[FailureKind] = frozenset({"hit_not_found", "invalid_request"})
"""Failures that concern one HIT (it is gone, or its ID is malformed): the others go on."""

HIT_ID = IdKind("HIT ID", re.compile(r"^[A-Z0-9]{1,64}$"))
"""The service model's pattern for HITId (an EntityId), for `core.ids.problem`."""


def _time(value: object) -> datetime | None:
    return value.astimezone(timezone.utc) if isinstance(value, datetime) else None


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Hit:
    """One HIT, with what the HIT picker shows and searches."""

    id: str
    title: str = ""
    annotation: str = ""  # RequesterAnnotation
    status: str = ""  # Assignable, Unassignable, Reviewable, Reviewing or Disposed
    created: datetime | None = None
    expiration: datetime | None = None
    max_assignments: int = 0
    completed: int = 0
    pending: int = 0
    available: int = 0
    hit_type_id: str = ""
    review_status: str = ""

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> Hit:
        return cls(
            id=_str(raw.get("HITId")),
            title=_str(raw.get("Title")),
            annotation=_str(raw.get("RequesterAnnotation")),
            status=_str(raw.get("HITStatus")),
            created=_time(raw.get("CreationTime")),
            expiration=_time(raw.get("Expiration")),
            max_assignments=_int(raw.get("MaxAssignments")),
            completed=_int(raw.get("NumberOfAssignmentsCompleted")),
            pending=_int(raw.get("NumberOfAssignmentsPending")),
            available=_int(raw.get("NumberOfAssignmentsAvailable")),
            hit_type_id=_str(raw.get("HITTypeId")),
            review_status=_str(raw.get("HITReviewStatus")),
        )

    @property
    def search_text(self) -> str:
        """What the picker's filter searches (`core.word_filter`): title, annotation, ID."""
        return haystack((self.title, self.annotation, self.id))


def newest_first(hits: Iterable[Hit]) -> list[Hit]:
    """By creation time, newest first; a HIT without one last; then by ID."""
    return sorted(
        hits,
        key=lambda h: (h.created is None, -h.created.timestamp() if h.created else 0.0, h.id),
    )


@dataclass(frozen=True)
class HitList:
    hits: tuple[Hit, ...] = ()  # newest first
    failure: Failure | None = None
    truncated: bool = False  # more than MAX_HIT_PAGES pages: the rest were not listed
    cancelled: bool = False


@dataclass(frozen=True)
class Assignment:
    """One submitted, approved or rejected assignment: who did which HIT, and its status."""

    id: str
    worker_id: str
    hit_id: str
    status: str  # Submitted, Approved or Rejected
    accepted: datetime | None = None
    submitted: datetime | None = None
    approved: datetime | None = None
    rejected: datetime | None = None

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> Assignment:
        return cls(
            id=_str(raw.get("AssignmentId")),
            worker_id=_str(raw.get("WorkerId")),
            hit_id=_str(raw.get("HITId")),
            status=_str(raw.get("AssignmentStatus")),
            accepted=_time(raw.get("AcceptTime")),
            submitted=_time(raw.get("SubmitTime")),
            approved=_time(raw.get("ApprovalTime")),
            rejected=_time(raw.get("RejectionTime")),
        )


@dataclass(frozen=True)
class AssignmentList:
    """The assignments of one HIT, in the service's order."""

    hit_id: str
    assignments: tuple[Assignment, ...] = ()
    failure: Failure | None = None
    truncated: bool = False
    cancelled: bool = False


@dataclass(frozen=True)
class HitWorker:
    """A worker found in the assignments of one or several HITs: looked up once, with every
    assignment of theirs kept (for the batch rows' HIT and assignment status)."""

    worker_id: str
    assignments: tuple[Assignment, ...]

    @property
    def hit_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.hit_id for a in self.assignments))

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.status for a in self.assignments))


def merge_workers(assignments: Iterable[Assignment]) -> tuple[HitWorker, ...]:
    """One HitWorker per worker, in the order each first appears."""
    by_worker: dict[str, list[Assignment]] = {}
    for assignment in assignments:
        by_worker.setdefault(assignment.worker_id, []).append(assignment)
    return tuple(HitWorker(worker, tuple(found)) for worker, found in by_worker.items())


@dataclass(frozen=True)
class HitFailure:
    hit_id: str
    failure: Failure


@dataclass(frozen=True)
class HitWorkers:
    """The workers of the chosen HITs. A HIT that failed is in `failures`: a HIT that no
    longer exists (or a malformed ID) does not stop the others; any other failure, which
    the next HIT would meet too, does, and the HITs after it are in `unlisted`. What a HIT
    listed before it failed or was cancelled is kept."""

    hit_ids: tuple[str, ...]
    assignments: tuple[Assignment, ...] = ()
    workers: tuple[HitWorker, ...] = ()
    failures: tuple[HitFailure, ...] = ()
    unlisted: tuple[str, ...] = ()
    truncated: tuple[str, ...] = ()  # HITs with more than MAX_ASSIGNMENT_PAGES pages
    cancelled: bool = False

    @property
    def worker_ids(self) -> tuple[str, ...]:
        return tuple(w.worker_id for w in self.workers)

    @property
    def complete(self) -> bool:
        return not (self.failures or self.unlisted or self.truncated or self.cancelled)


@dataclass(frozen=True)
class ListingProgress:
    """After each page of assignments: where the listing is."""

    hit_id: str
    hit_number: int  # 1-based, of `hits`
    hits: int
    pages: int  # of this HIT so far
    assignments: int  # of this HIT so far
    total_assignments: int  # of every HIT so far


def parse_statuses(text: str) -> tuple[str, ...]:
    """`Submitted,Approved` (any case, commas or spaces) as the service spells them.

    Raises ValueError naming the statuses allowed, for a bad one.
    """
    by_lower = {s.lower(): s for s in ASSIGNMENT_STATUSES}
    found: list[str] = []
    for word in re.split(r"[\s,]+", text.strip()):
        if not word:
            continue
        status = by_lower.get(word.lower())
        if status is None:
            raise ValueError(
                f"unknown assignment status {word!r}: use {', '.join(ASSIGNMENT_STATUSES)}"
            )
        found.append(status)
    if not found:
        raise ValueError(f"no assignment status given: use {', '.join(ASSIGNMENT_STATUSES)}")
    return tuple(dict.fromkeys(found))


RawPage = tuple[list[Mapping[str, Any]], str | None]
"""A page's raw items and the next page's token."""


def _page_failure(answer: RawPage | Failure) -> Failure | None:
    return answer if isinstance(answer, Failure) else None


def _page(
    clients: ClientCache,
    connection: Connection,
    call: Callable[..., Mapping[str, Any]],
    key: str,
    kwargs: dict[str, Any],
    token: str | None,
    tokens: PageTokens,
) -> RawPage | Failure:
    """One page: the raw items under `key` and the next token, or the failure explained."""
    if token:
        kwargs = {**kwargs, "NextToken": token}
    try:
        response = call(**kwargs)
        raw = response.get(key)
        if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
            raise errors.MalformedResponse(f"no {key} in the answer")
        next_token = tokens.next(response)
    except Exception as exc:
        return failure_of(clients, connection, exc)
    return raw, next_token


@dataclass(frozen=True)
class _Pages:
    items: tuple[Mapping[str, Any], ...] = ()
    failure: Failure | None = None
    truncated: bool = False
    cancelled: bool = False


def _every_page(
    clients: ClientCache,
    connection: Connection,
    operation: str,
    key: str,
    kwargs: dict[str, Any],
    *,
    max_pages: int,
    cancel: threading.Event,
    on_page: Callable[[int, int], None] | None,
    throttle_pause: float,
    on_items: Callable[[Sequence[Mapping[str, Any]]], None] | None = None,
) -> _Pages:
    """Every page of a listing; `on_items(the page's items)`, then `on_page(pages, items so
    far)`, after each one."""
    try:
        call: Callable[..., Mapping[str, Any]] = getattr(clients.client(connection), operation)
    except Exception as exc:
        return _Pages(failure=failure_of(clients, connection, exc))
    items: list[Mapping[str, Any]] = []
    token: str | None = None
    tokens = PageTokens()
    for number in range(1, max_pages + 1):
        page = call_absorbing_throttling(
            partial(_page, clients, connection, call, key, kwargs, token, tokens),
            _page_failure,
            cancel=cancel,
            pause=throttle_pause,
        )
        if page is None:
            return _Pages(tuple(items), cancelled=True)
        if isinstance(page, Failure):
            return _Pages(tuple(items), failure=page)
        items += page[0]
        token = page[1]
        if on_items is not None:
            on_items(page[0])
        if on_page is not None:
            on_page(number, len(items))
        if not token:
            break
    return _Pages(tuple(items), truncated=bool(token))


def hits_request() -> dict[str, Any]:
    """ListHITs' parameters (without NextToken)."""
    return {"MaxResults": PAGE_SIZE}


def assignments_request(hit_id: str, statuses: Sequence[str]) -> dict[str, Any]:
    """ListAssignmentsForHIT's parameters (without NextToken)."""
    return {"HITId": hit_id, "AssignmentStatuses": list(statuses), "MaxResults": PAGE_SIZE}


def list_hits(
    clients: ClientCache,
    connection: Connection,
    *,
    on_page: Callable[[int], None] | None = None,
    cancel: threading.Event | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
    max_pages: int = MAX_HIT_PAGES,
) -> HitList:
    """Every HIT of the account, newest first. `on_page` gets the HITs listed so far."""
    pages = _every_page(
        clients,
        connection,
        "list_hits",
        "HITs",
        hits_request(),
        max_pages=max_pages,
        cancel=cancel or threading.Event(),
        on_page=None if on_page is None else (lambda _pages, count: on_page(count)),
        throttle_pause=throttle_pause,
    )
    hits = tuple(newest_first(Hit.from_wire(raw) for raw in pages.items))
    if pages.failure is not None or pages.cancelled:
        return HitList(failure=pages.failure, cancelled=pages.cancelled)
    return HitList(hits, truncated=pages.truncated)


def list_assignments(
    clients: ClientCache,
    connection: Connection,
    hit_id: str,
    *,
    statuses: Sequence[str] = ASSIGNMENT_STATUSES,
    on_page: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
    max_pages: int = MAX_ASSIGNMENT_PAGES,
    on_assignments: Callable[[tuple[Assignment, ...]], None] | None = None,
) -> AssignmentList:
    """Every assignment of one HIT with one of `statuses`, in the service's order.

    `on_assignments(the page's assignments)`, then `on_page(pages, assignments so far)`,
    after each page. Raises ValueError for a status
    the service does not know (check the user's with `parse_statuses` first).
    """
    unknown = [s for s in statuses if s not in ASSIGNMENT_STATUSES]
    if unknown or not statuses:
        raise ValueError(f"assignment statuses must be some of {ASSIGNMENT_STATUSES}")
    pages = _every_page(
        clients,
        connection,
        "list_assignments_for_hit",
        "Assignments",
        assignments_request(hit_id, statuses),
        max_pages=max_pages,
        cancel=cancel or threading.Event(),
        on_page=on_page,
        throttle_pause=throttle_pause,
        on_items=None if on_assignments is None else (lambda raw: on_assignments(_parsed(raw))),
    )
    return AssignmentList(
        hit_id,
        _parsed(pages.items),
        failure=pages.failure,
        truncated=pages.truncated,
        cancelled=pages.cancelled,
    )


def _parsed(raw: Iterable[Mapping[str, Any]]) -> tuple[Assignment, ...]:
    return tuple(Assignment.from_wire(item) for item in raw)


def workers_of_hits(
    clients: ClientCache,
    connection: Connection,
    hit_ids: Sequence[str],
    *,
    statuses: Sequence[str] = ASSIGNMENT_STATUSES,
    on_page: Callable[[ListingProgress], None] | None = None,
    cancel: threading.Event | None = None,
    throttle_pause: float = THROTTLE_PAUSE,
    on_assignments: Callable[[tuple[Assignment, ...]], None] | None = None,
) -> HitWorkers:
    """The assignments of each HIT (a HIT given twice is listed once), and their workers
    merged: a worker in several HITs appears once, with all their assignments.

    `on_assignments(a page's assignments)` as each page arrives (`core.hit_stream` starts
    looking up a page's workers with it while the next page is listed)."""
    cancel = cancel or threading.Event()
    unique = tuple(dict.fromkeys(hit_ids))
    assignments: list[Assignment] = []
    failures: list[HitFailure] = []
    truncated: list[str] = []
    for number, hit_id in enumerate(unique, start=1):
        progress = None
        if on_page is not None:
            progress = _progress(on_page, hit_id, number, len(unique), len(assignments))
        listed = list_assignments(
            clients,
            connection,
            hit_id,
            statuses=statuses,
            on_page=progress,
            cancel=cancel,
            throttle_pause=throttle_pause,
            on_assignments=on_assignments,
        )
        assignments += listed.assignments
        if listed.truncated:
            truncated.append(hit_id)
        if listed.cancelled:
            return _workers(unique, assignments, failures, truncated, cancelled=True)
        if listed.failure is not None:
            failures.append(HitFailure(hit_id, listed.failure))
            if listed.failure.kind not in PER_HIT_FAILURES:  # the next HIT would meet it too
                rest = unique[number:]
                return _workers(unique, assignments, failures, truncated, unlisted=rest)
    return _workers(unique, assignments, failures, truncated)


def _progress(
    on_page: Callable[[ListingProgress], None], hit_id: str, number: int, hits: int, before: int
) -> Callable[[int, int], None]:
    def progress(pages: int, count: int) -> None:
        on_page(ListingProgress(hit_id, number, hits, pages, count, before + count))

    return progress


def _workers(
    hit_ids: tuple[str, ...],
    assignments: list[Assignment],
    failures: list[HitFailure],
    truncated: list[str],
    *,
    unlisted: tuple[str, ...] = (),
    cancelled: bool = False,
) -> HitWorkers:
    return HitWorkers(
        hit_ids=hit_ids,
        assignments=tuple(assignments),
        workers=merge_workers(assignments),
        failures=tuple(failures),
        unlisted=unlisted,
        truncated=tuple(truncated),
        cancelled=cancelled,
    )
