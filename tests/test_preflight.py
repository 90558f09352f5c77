"""Configuration is checked once before many lookups: one call, one explanation."""

from __future__ import annotations

from qualtui.core.client import ClientCache
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.models import Failure
from qualtui.core.preflight import preflight
from qualtui.core.qualification_types import QualificationType, TypeCache
from qualtui.endpoint import LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation


def test_a_working_set_up_gives_the_type(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    types = TypeCache()
    connection = Connection("default", PRODUCTION, endpoint.url)
    found = preflight(ClientCache(), types, connection, TRANSCRIBE)
    assert isinstance(found, QualificationType) and found.id == TRANSCRIBE
    assert types.cached(connection, TRANSCRIBE) == found  # the lookups' display reuses it


def test_a_missing_profile_fails_before_any_call(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    found = preflight(
        ClientCache(), TypeCache(), Connection("nosuch", PRODUCTION, endpoint.url), TRANSCRIBE
    )
    assert isinstance(found, Failure) and found.kind == "profile_not_found"
    assert endpoint.calls == []


def test_a_type_that_does_not_exist_costs_one_call(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    found = preflight(
        ClientCache(),
        TypeCache(),
        Connection("default", PRODUCTION, endpoint.url),
        "3NOSUCHTYPE0000000000000000001",
    )
    assert isinstance(found, Failure) and found.kind == "type_not_found"
    assert [c.operation for c in endpoint.calls] == ["GetQualificationType"]
