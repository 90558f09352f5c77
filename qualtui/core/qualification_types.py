"""Qualification types: details (GetQualificationType, cached per connection and ID) and the
caller's own types (ListQualificationTypes). Blocking: call from a worker thread."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from qualtui.core import errors
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.errors import failure_of
from qualtui.core.models import Failure

MAX_TYPE_PAGES = 50  # 5,000 types: far more than any requester keeps


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
    truncated: bool = False


class TypeCache:
    """Details of each (connection, type ID) fetched once, shared by every view."""

    def __init__(self) -> None:
        self._details: dict[tuple[Connection, str], QualificationType] = {}
        self._lists: dict[Connection, TypeList] = {}
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

    def own_types(
        self, clients: ClientCache, connection: Connection, *, refresh: bool = False
    ) -> TypeList:
        """The caller's own qualification types, sorted by name; cached per connection."""
        with self._lock:
            if not refresh and connection in self._lists:
                return self._lists[connection]
        found: list[QualificationType] = []
        truncated = False
        try:
            client = clients.client(connection)
            token: str | None = None
            for page in range(MAX_TYPE_PAGES):
                kwargs: dict[str, Any] = {
                    "MustBeRequestable": False,
                    "MustBeOwnedByCaller": True,
                    "MaxResults": 100,
                }
                if token:
                    kwargs["NextToken"] = token
                response = client.list_qualification_types(**kwargs)
                found += [
                    QualificationType.from_wire(raw)
                    for raw in response.get("QualificationTypes", [])
                ]
                token = response.get("NextToken")
                if not token:
                    break
                truncated = page == MAX_TYPE_PAGES - 1
        except Exception as exc:
            failure = failure_of(clients, connection, exc)
            return TypeList(failure=failure)
        result = TypeList(
            tuple(sorted(found, key=lambda t: (t.name.lower(), t.id))), None, truncated
        )
        with self._lock:
            self._lists[connection] = result
            for qtype in result.types:
                self._details.setdefault((connection, qtype.id), qtype)
        return result
