"""One qualification lookup, from request to explained outcome. Blocking: run it in a thread."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

from qualtui.core.client import AttemptCallback, ClientCache, track_attempts
from qualtui.core.errors import MalformedResponse, failure_of
from qualtui.core.models import Locale, LookupRequest, LookupResult, Qualification
from qualtui.core.timefmt import utc_now


def qualification_from_wire(raw: Mapping[str, Any]) -> Qualification:
    """A Qualification from boto3's parsed `Qualification` structure."""
    raw_time = raw.get("GrantTime")
    grant_time = raw_time.astimezone(timezone.utc) if isinstance(raw_time, datetime) else None
    locale_raw = raw.get("LocaleValue")
    locale = None
    if isinstance(locale_raw, Mapping) and locale_raw.get("Country"):
        locale = Locale(str(locale_raw["Country"]), locale_raw.get("Subdivision") or None)
    integer_value = raw.get("IntegerValue")
    return Qualification(
        qualification_type_id=str(raw.get("QualificationTypeId", "")),
        worker_id=str(raw.get("WorkerId", "")),
        status=str(raw.get("Status", "")),
        grant_time=grant_time,
        integer_value=integer_value if isinstance(integer_value, int) else None,
        locale=locale,
    )


def lookup_score(
    clients: ClientCache,
    request: LookupRequest,
    on_attempt: AttemptCallback | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> LookupResult:
    """Call GetQualificationScore. Never raises: failures come back explained.

    `clock` stamps the result (the app passes its own, so screenshots are repeatable).
    """
    started = time.perf_counter()
    tracker = track_attempts(on_attempt, 1)
    try:
        client = clients.client(request.connection)
        tracker = track_attempts(on_attempt, clients.max_attempts(request.connection))
        with tracker:
            response = client.get_qualification_score(
                QualificationTypeId=request.qualification_type_id, WorkerId=request.worker_id
            )
        qualification = _answer_to(request, response)
        return LookupResult(
            request=request,
            finished_at=clock(),
            qualification=qualification,
            attempts=tracker.attempts,
            elapsed=time.perf_counter() - started,
            endpoint_url=clients.endpoint_url(request.connection),
        )
    except Exception as exc:
        failure = failure_of(clients, request.connection, exc)
        return LookupResult(
            request=request,
            finished_at=clock(),
            failure=failure,
            attempts=max(tracker.attempts, 1),
            elapsed=time.perf_counter() - started,
            endpoint_url=clients.endpoint_url(request.connection),
        )


_STATUSES = ("Granted", "Revoked")


def _answer_to(request: LookupRequest, response: Mapping[str, Any]) -> Qualification:
    """The Qualification of a GetQualificationScore answer, checked: an answer that is not
    one, or is about another worker or type than asked, is unreadable (MalformedResponse)."""
    raw = response.get("Qualification")
    if not isinstance(raw, Mapping) or raw.get("Status") not in _STATUSES:
        raise MalformedResponse("no Qualification with a known Status in the answer")
    for field, asked in (
        ("WorkerId", request.worker_id),
        ("QualificationTypeId", request.qualification_type_id),
    ):
        if field in raw and raw[field] != asked:
            raise MalformedResponse(f"the answer is about another {field}")
    grant_time = raw.get("GrantTime")
    if grant_time is not None and not isinstance(grant_time, datetime):
        raise MalformedResponse("GrantTime is not a time")
    value = raw.get("IntegerValue")
    if value is not None and (not isinstance(value, int) or not -(2**31) <= value < 2**31):
        raise MalformedResponse("IntegerValue is not a 32-bit integer")
    return qualification_from_wire(raw)
