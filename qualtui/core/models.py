"""Plain data: what a lookup asks, and what came back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from qualtui.core.connection import Connection

Severity = Literal["info", "warning", "error"]
FailureKind = Literal[
    "access_denied",
    "account_not_linked",
    "bad_config",
    "bad_keys",
    "cancelled",
    "connect_timeout",
    "connection_reset",
    "credentials_failed",
    "credentials_timeout",
    "expired_credentials",
    "hit_not_found",
    "invalid_request",
    "malformed_response",
    "no_credentials",
    "not_held",
    "partial_credentials",
    "profile_not_found",
    "read_timeout",
    "request_error",
    "revoked",
    "server_error",
    "service_fault",
    "sso_expired",
    "throttled",
    "tls_error",
    "type_not_found",
    "unexpected",
    "unreachable",
    "wrong_region",
]
"""Every way a call can fail, as `Failure.kind` names it (core.errors explains each)."""


@dataclass(frozen=True, slots=True)
class Locale:
    country: str
    subdivision: str | None = None

    def __str__(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country


@dataclass(frozen=True, slots=True)
class Qualification:
    """A worker's qualification, as GetQualificationScore returns it."""

    qualification_type_id: str
    worker_id: str
    status: str
    grant_time: datetime | None = None
    integer_value: int | None = None
    locale: Locale | None = None


def qualification_fields(q: Qualification, time_text: Callable[[datetime], str]) -> dict[str, Any]:
    """Status, IntegerValue, LocaleValue and GrantTime as MTurk spells them (the shared
    part of the history file's and the AWS CLI's shapes); `time_text` writes the time."""
    fields: dict[str, Any] = {"Status": q.status}
    if q.integer_value is not None:
        fields["IntegerValue"] = q.integer_value
    if q.locale is not None:
        fields["LocaleValue"] = {"Country": q.locale.country}
        if q.locale.subdivision:
            fields["LocaleValue"]["Subdivision"] = q.locale.subdivision
    if q.grant_time is not None:
        fields["GrantTime"] = time_text(q.grant_time)
    return fields


@dataclass(frozen=True)
class Failure:
    """A failed lookup, explained: what happened, why, and what to do.

    `code` is the service's error code (or the exception's type for local failures),
    `turk_error_code` and `message` are what the service said. `command` is a shell command
    that fixes it, when there is one (e.g. `aws sso login --profile NAME`).
    """

    kind: FailureKind
    title: str
    explanation: str
    fix: str
    severity: Severity = "error"
    code: str | None = None
    turk_error_code: str | None = None
    message: str | None = None
    command: str | None = None


@dataclass(frozen=True)
class LookupRequest:
    connection: Connection
    qualification_type_id: str
    worker_id: str


@dataclass(frozen=True)
class LookupResult:
    """The outcome of one lookup: exactly one of `qualification` and `failure` is set."""

    request: LookupRequest
    finished_at: datetime
    qualification: Qualification | None = None
    failure: Failure | None = None
    attempts: int = 1
    elapsed: float = 0.0
    # Where the call went, as botocore resolved it (None when no client could be built).
    endpoint_url: str | None = None
