"""Who holds a qualification: ListWorkersWithQualificationType, one page at a time.
Blocking: call from a worker thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qualtui.core import errors
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.errors import failure_of
from qualtui.core.lookup import qualification_from_wire
from qualtui.core.models import Failure, Qualification
from qualtui.core.paging import PageTokens

PAGE_SIZE = 100  # the service's maximum


@dataclass(frozen=True)
class HoldersPage:
    qualifications: tuple[Qualification, ...] = ()
    next_token: str | None = None
    failure: Failure | None = None


def holders_page(
    clients: ClientCache,
    connection: Connection,
    qualification_type_id: str,
    status: str | None,
    next_token: str | None = None,
    tokens: PageTokens | None = None,
) -> HoldersPage:
    """One page of workers holding the type with `status` (Granted or Revoked; None: both).

    `tokens`: the listing's tokens so far (one PageTokens per listing, passed to each page),
    so a token given before is an unreadable answer; without it, only a token answered with
    itself is caught."""
    try:
        kwargs: dict[str, Any] = {
            "QualificationTypeId": qualification_type_id,
            "MaxResults": PAGE_SIZE,
        }
        if status:
            kwargs["Status"] = status
        if next_token:
            kwargs["NextToken"] = next_token
        response = clients.client(connection).list_workers_with_qualification_type(**kwargs)
        raw = response.get("Qualifications")
        if not isinstance(raw, list):
            raise errors.MalformedResponse("no Qualifications in the answer")
        token = (tokens or PageTokens(next_token)).next(response)
    except Exception as exc:
        failure = failure_of(clients, connection, exc)
        return HoldersPage(failure=failure)
    return HoldersPage(tuple(qualification_from_wire(q) for q in raw), token)
