"""Core lookups over real HTTP against the local endpoint."""

from __future__ import annotations

import pytest

from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.lookup import lookup_score
from qualtui.core.models import Locale, LookupRequest
from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import LOCALE_TYPE, TRANSCRIBE, Isolation


@pytest.fixture
def clients(aws_profiles: Isolation) -> ClientCache:
    return ClientCache(ClientSettings(max_attempts=3, read_timeout=2, connect_timeout=1))


def request(
    endpoint: LocalMTurk, worker: str, type_id: str = TRANSCRIBE, profile: str | None = "default"
) -> LookupRequest:
    return LookupRequest(Connection(profile, PRODUCTION, endpoint.url), type_id, worker)


def test_results(endpoint: LocalMTurk, clients: ClientCache) -> None:
    granted = lookup_score(clients, request(endpoint, "A1GRANTEDWORKER")).qualification
    assert granted is not None and (granted.status, granted.integer_value) == ("Granted", 87)
    zero = lookup_score(clients, request(endpoint, "A3ZEROSCOREWORKER")).qualification
    assert zero is not None and zero.integer_value == 0
    revoked = lookup_score(clients, request(endpoint, "A2REVOKEDWORKER")).qualification
    assert revoked is not None and revoked.status == "Revoked"
    locale = lookup_score(clients, request(endpoint, "A4LOCALEWORKER", LOCALE_TYPE)).qualification
    assert (
        locale is not None and locale.locale == Locale("US", "WA") and locale.integer_value is None
    )


def test_one_client_per_connection(endpoint: LocalMTurk, clients: ClientCache) -> None:
    for worker in ("A1GRANTEDWORKER", "A3ZEROSCOREWORKER", "A5NOTHELDWORKER"):
        lookup_score(clients, request(endpoint, worker))
    assert clients.created == 1
    lookup_score(clients, request(endpoint, "A1GRANTEDWORKER", profile="research"))
    assert clients.created == 2
    assert {c.access_key for c in endpoint.calls} == {
        "AKIATESTQUALTUI00001",
        "AKIATESTQUALTUI00002",
    }


def test_throttling_is_retried_and_counted(endpoint: LocalMTurk, clients: ClientCache) -> None:
    endpoint.add_fault(Fault("throttle", times=2))
    attempts: list[tuple[int, int]] = []
    result = lookup_score(
        clients, request(endpoint, "A1GRANTEDWORKER"), lambda a, m: attempts.append((a, m))
    )
    assert result.qualification is not None
    assert result.attempts == 3 and attempts == [(1, 3), (2, 3), (3, 3)]


def test_request_errors_are_not_retried(endpoint: LocalMTurk, clients: ClientCache) -> None:
    result = lookup_score(clients, request(endpoint, "A5NOTHELDWORKER"))
    assert result.failure is not None and result.failure.kind == "not_held"
    assert len(endpoint.calls) == 1


@pytest.mark.parametrize(
    ("profile", "kind"),
    [("nope", "profile_not_found"), ("wrongsecret", "bad_keys")],
)
def test_credential_failures(
    endpoint: LocalMTurk, clients: ClientCache, profile: str | None, kind: str
) -> None:
    result = lookup_score(clients, request(endpoint, "A1GRANTEDWORKER", profile=profile))
    assert result.failure is not None and result.failure.kind == kind


def test_no_credentials_anywhere(endpoint: LocalMTurk, isolated: Isolation) -> None:
    clients = ClientCache()
    result = lookup_score(clients, request(endpoint, "A1GRANTEDWORKER", profile=None))
    assert result.failure is not None and result.failure.kind == "no_credentials"
    assert endpoint.calls == []


def test_timeout_and_unreachable(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    clients = ClientCache(ClientSettings(max_attempts=1, read_timeout=0.3, connect_timeout=0.3))
    endpoint.add_fault(Fault("latency", delay=1.0))
    slow = lookup_score(clients, request(endpoint, "A1GRANTEDWORKER"))
    assert slow.failure is not None and slow.failure.kind == "read_timeout"
    closed = LookupRequest(
        Connection("default", PRODUCTION, "http://127.0.0.1:9"), TRANSCRIBE, "A1"
    )
    unreachable = lookup_score(clients, closed)
    assert unreachable.failure is not None and unreachable.failure.kind == "unreachable"


def test_wrong_region_fails_as_dns_does(clients: ClientCache) -> None:
    result = lookup_score(
        clients, LookupRequest(Connection("default", "eu-west-1"), TRANSCRIBE, "A1")
    )
    assert result.failure is not None and result.failure.kind == "wrong_region"
