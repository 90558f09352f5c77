"""Qualification types: details (GetQualificationType, cached per connection and ID) and the
caller's own types (ListQualificationTypes, every page, cached per connection and listed
again on demand). Blocking: call from a worker thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from typing import Any

from qualtui.core import errors
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.errors import failure_of
from qualtui.core.models import Failure
from qualtui.core.paging import PageTokens
from qualtui.core.throttle import THROTTLE_PAUSE, call_absorbing_throttling

MAX_TYPE_PAGES = 50  # 5,000 types: far more than any requester keeps
PAGE_SIZE = 100  # the service's maximum


@dataclass(frozen=True)
class QualificationType:
    id: str
    name: str
    description: str = ""
    status: str = ""
    auto_granted: bool = False
    auto_granted_value: int | None = None
    is_requestable: bool = False
    created: datetime | None = None

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> QualificationType:
        created = raw.get("CreationTime")
        value = raw.get("AutoGrantedValue")
        return cls(
            id=str(raw.get("QualificationTypeId", "")),
            name=str(raw.get("Name", "")),
            description=str(raw.get("Description", "")),
            status=str(raw.get("QualificationTypeStatus", "")),
            auto_granted=raw.get("AutoGranted") is True,
            auto_granted_value=value if isinstance(value, int) else None,
            is_requestable=raw.get("IsRequestable") is True,
            created=created.astimezone(timezone.utc) if isinstance(created, datetime) else None,
        )


@dataclass(frozen=True)
class TypeList:
    types: tuple[QualificationType, ...] = ()
    failure: Failure | None = None
    truncated: bool = False  # more than MAX_TYPE_PAGES pages: the rest were not listed
    cancelled: bool = False


class TypeCache:
    """Details of each (connection, type ID) fetched once, shared by every view."""

    def __init__(self) -> None:
        self._details: dict[tuple[Connection, str], QualificationType] = {}
        self._lists: dict[Connection, TypeList] = {}
        self._listing: dict[Connection, threading.Lock] = {}
        self._lock = threading.Lock()

    def cached(self, connection: Connection, type_id: str) -> QualificationType | None:
        with self._lock:
            return self._details.get((connection, type_id))

    def details(
        self, clients: ClientCache, connection: Connection, type_id: str
    ) -> QualificationType | Failure:
        """The type's details, from the cache or one GetQualificationType call.

        A failure is returned (never raised) and not cached: the next call tries again.
        """
        found = self.cached(connection, type_id)
        if found is not None:
            return found
        try:
            response = clients.client(connection).get_qualification_type(
                QualificationTypeId=type_id
            )
            raw = response.get("QualificationType")
            if not isinstance(raw, Mapping) or not raw.get("QualificationTypeId"):
                raise errors.MalformedResponse("no QualificationType in the answer")
        except Exception as exc:
            failure = failure_of(clients, connection, exc)
            return failure
        qtype = QualificationType.from_wire(raw)
        with self._lock:
            self._details[(connection, type_id)] = qtype
        return qtype

    def cached_types(self, connection: Connection) -> TypeList | None:
        """The connection's own types if they were listed, without a call."""
        with self._lock:
            return self._lists.get(connection)

    def forget_types(self, connection: Connection) -> None:
        """Drop the connection's listed types: the next `own_types` lists them again."""
        with self._lock:
            self._lists.pop(connection, None)

    def own_types(
        self,
        clients: ClientCache,
        connection: Connection,
        *,
        refresh: bool = False,
        cancel: threading.Event | None = None,
        on_page: Callable[[int], None] | None = None,
        on_page_types: Callable[[Sequence[QualificationType]], None] | None = None,
        throttle_pause: float = THROTTLE_PAUSE,
    ) -> TypeList:
        """The caller's own qualification types, every page, sorted by name.

        Listed once per connection and kept (a second view or profile costs no call);
        `refresh` lists them again. A failure or a cancelled listing is returned, not kept;
        a cancel returns at once, even in the middle of a page (its answer is dropped).
        Two callers at once make one listing: the second waits for the first's answer.
        `on_page` gets the number of types listed so far after each page, `on_page_types`
        the page's types (neither is called when the list comes from the cache). A throttled
        page is asked again (`core.throttle`), so throttling fails the listing only past
        the budget.
        """
        cancel = cancel or threading.Event()
        with self._lock:
            listing_lock = self._listing.setdefault(connection, threading.Lock())
        with listing_lock:
            with self._lock:
                if not refresh and connection in self._lists:
                    return self._lists[connection]
            result = self._list_types(
                clients, connection, cancel, on_page, on_page_types, throttle_pause
            )
            if result.failure is not None or result.cancelled:
                return result
            with self._lock:
                self._lists[connection] = result
                for qtype in result.types:
                    self._details[(connection, qtype.id)] = qtype
            return result

    def _list_types(
        self,
        clients: ClientCache,
        connection: Connection,
        cancel: threading.Event,
        on_page: Callable[[int], None] | None,
        on_page_types: Callable[[Sequence[QualificationType]], None] | None,
        throttle_pause: float,
    ) -> TypeList:
        found: list[QualificationType] = []
        token: str | None = None
        tokens = PageTokens()
        for _ in range(MAX_TYPE_PAGES):
            page = call_absorbing_throttling(
                partial(_types_page, clients, connection, token, tokens),
                _page_failure,
                cancel=cancel,
                pause=throttle_pause,
            )
            if page is None:
                return TypeList(cancelled=True)
            if isinstance(page, Failure):
                return TypeList(failure=page)
            found += page[0]
            token = page[1]
            if on_page_types is not None:
                on_page_types(tuple(page[0]))
            if on_page is not None:
                on_page(len(found))
            if not token:
                break
        ordered = tuple(sorted(found, key=lambda t: (t.name.lower(), t.id)))
        return TypeList(ordered, None, truncated=bool(token))


TypesPage = tuple[list[QualificationType], str | None]


def _page_failure(answer: TypesPage | Failure) -> Failure | None:
    return answer if isinstance(answer, Failure) else None


def _types_page(
    clients: ClientCache, connection: Connection, token: str | None, tokens: PageTokens
) -> TypesPage | Failure:
    """One page of the caller's own types and the next page's token, or the failure."""
    kwargs: dict[str, Any] = {
        "MustBeRequestable": False,
        "MustBeOwnedByCaller": True,
        "MaxResults": PAGE_SIZE,
    }
    if token:
        kwargs["NextToken"] = token
    try:
        response = clients.client(connection).list_qualification_types(**kwargs)
        raw = response.get("QualificationTypes")
        if not isinstance(raw, list):
            raise errors.MalformedResponse("no QualificationTypes in the answer")
        next_token = tokens.next(response)
    except Exception as exc:
        return failure_of(clients, connection, exc)
    return [QualificationType.from_wire(t) for t in raw], next_token
