"""Every catalogue row the fault-injecting endpoint can produce, over real HTTP through
boto3: what the requester is told, how many attempts were made, and that the app stays usable
after each one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qualtui.app import QualtuiApp
from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.lookup import lookup_score
from qualtui.core.models import LookupRequest
from qualtui.endpoint import Fault, LocalMTurk
from tests.apphelpers import SCORE, MakeConfig, history_rows, look_up, lookups, panel_text, ready
from tests.conftest import TRANSCRIBE, Isolation, until

NOT_HELD = "AWS.MechanicalTurk.QualificationDoesNotExist"

# (id, fault, expected kind, expected HTTP attempts with max_attempts=3)
ROWS = [
    ("throttled", Fault("throttle"), "throttled", 3),
    ("service-fault", Fault("service_fault"), "service_fault", 3),
    ("http-503", Fault("http_error", status=503), "server_error", 3),
    ("http-502", Fault("http_error", status=502), "server_error", 3),
    ("dropped", Fault("drop"), "connection_reset", 3),
    ("malformed", Fault("malformed"), "malformed_response", 1),
    ("read-timeout", Fault("latency", delay=1.0), "read_timeout", 3),
    (
        "not-linked",
        Fault(
            "error",
            code="RequestError",
            turk_error_code="AWS.AccountNotLinked",
            message="Your AWS account must be linked to your Amazon Mechanical Turk Account",
        ),
        "account_not_linked",
        1,
    ),
    (
        "revoked",
        Fault(
            "error",
            code="RequestError",
            turk_error_code=NOT_HELD,
            message="This operation can be called with a status of: Granted",
        ),
        "revoked",
        1,
    ),
    (
        "access-denied",
        Fault("error", code="AccessDeniedException", message="User is not authorized"),
        "access_denied",
        1,
    ),
    (
        "expired-token",
        Fault("error", code="ExpiredTokenException", message="The security token expired"),
        "expired_credentials",
        1,
    ),
    (
        "unknown-error",
        Fault("error", code="SomethingNewException", message="a message chosen by the test"),
        "request_error",
        1,
    ),
]


@pytest.fixture
def clients(aws_profiles: Isolation) -> ClientCache:
    return ClientCache(ClientSettings(max_attempts=3, read_timeout=0.4, connect_timeout=0.4))


def score(endpoint: LocalMTurk, clients: ClientCache, worker: str = "A1GRANTEDWORKER"):  # type: ignore[no-untyped-def]
    connection = Connection("default", PRODUCTION, endpoint.url)
    return lookup_score(clients, LookupRequest(connection, TRANSCRIBE, worker))


@pytest.mark.parametrize(
    ("fault", "kind", "attempts"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_each_fault_is_explained(
    endpoint: LocalMTurk, clients: ClientCache, fault: Fault, kind: str, attempts: int
) -> None:
    endpoint.add_fault(replace(fault))
    result = score(endpoint, clients)
    assert result.failure is not None, result
    assert result.failure.kind == kind
    assert result.failure.title and result.failure.explanation and result.failure.fix
    assert result.attempts == attempts
    assert len(endpoint.calls_to(SCORE)) == attempts  # retried exactly as often as it says
    if fault.kind == "error":
        assert result.failure.message == fault.message  # the service's own words are kept
        assert result.failure.code == fault.code


def test_the_fixes_name_the_way_out(endpoint: LocalMTurk, clients: ClientCache) -> None:
    endpoint.add_fault(Fault("throttle"))
    throttled = score(endpoint, clients).failure
    assert throttled is not None and "retried" in throttled.explanation
    endpoint.clear_faults()
    missing = lookup_score(
        clients,
        LookupRequest(
            Connection("default", PRODUCTION, endpoint.url),
            "3NOSUCHTYPE0000000000000000001",
            "A1GRANTEDWORKER",
        ),
    ).failure
    assert missing is not None and missing.kind == "type_not_found"
    assert "Sandbox" in missing.fix  # production suggests the sandbox


def test_throttling_that_clears_within_the_budget_gives_the_result(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    endpoint.add_fault(Fault("throttle", times=2))
    result = score(endpoint, clients)
    assert result.qualification is not None and result.attempts == 3


def test_faults_can_be_mixed_per_worker_and_operation(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    endpoint.add_fault(Fault("throttle", worker_id="A2REVOKEDWORKER"))
    endpoint.add_fault(Fault("malformed", operation="GetAccountBalance"))
    endpoint.add_fault(Fault("service_fault", worker_id="A3ZEROSCOREWORKER", times=1))
    assert score(endpoint, clients, "A1GRANTEDWORKER").qualification is not None
    revoked = score(endpoint, clients, "A2REVOKEDWORKER").failure
    assert revoked is not None and revoked.kind == "throttled"
    zero = score(endpoint, clients, "A3ZEROSCOREWORKER")
    assert zero.qualification is not None and zero.attempts == 2  # one fault, then fine


def test_a_request_error_is_never_retried(endpoint: LocalMTurk, clients: ClientCache) -> None:
    endpoint.add_fault(Fault("error", code="RequestError", message="nope"))
    result = score(endpoint, clients)
    assert result.failure is not None and result.attempts == 1


@pytest.mark.parametrize(
    ("fault", "kind", "attempts"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
async def test_the_app_explains_each_fault_and_stays_usable(
    endpoint: LocalMTurk,
    aws_profiles: Isolation,
    make_config: MakeConfig,
    fault: Fault,
    kind: str,
    attempts: int,
) -> None:
    # A short read timeout only where the fault is a slow answer: under load, a healthy call
    # can take longer than 0.4 s, and its retry made the call count flaky (#21).
    timeout = 0.4 if fault.kind == "latency" else 5.0
    app = QualtuiApp(
        make_config(endpoint.url, profile="default", read_timeout=timeout, max_attempts=3)
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        endpoint.add_fault(replace(fault, operation=SCORE))
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        text = panel_text(app)
        result = app.screen.last_result  # type: ignore[attr-defined]
        assert result.failure.kind == kind
        assert result.failure.title in text and "What to do" in text
        assert "Traceback" not in text
        subtitle = str(app.screen.query_one("#result-panel").border_subtitle)
        assert (f"{attempts} attempts" in subtitle) == (attempts > 1)
        await until(lambda: len(history_rows(app)) == 1)
        outcome = history_rows(app)[0][4]
        assert outcome == kind.replace("_", " ")  # the history keeps what failed
        endpoint.clear_faults()
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        assert "GRANTED" in panel_text(app)
        assert len(lookups(endpoint)) == attempts + 1
