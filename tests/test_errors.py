"""The error catalogue, row by row, fed botocore's real exception classes."""

from __future__ import annotations

from typing import Any

import pytest
from botocore import exceptions as bce
from botocore.parsers import ResponseParserError

from qualtui.core import errors
from qualtui.core.connection import PRODUCTION, SANDBOX, Connection

PROD = Connection("research", PRODUCTION)
SBX = Connection("research", SANDBOX)


def client_error(
    code: str, message: str = "", turk: str | None = None, status: int = 400
) -> bce.ClientError:
    response: dict[str, Any] = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    if turk:
        response["TurkErrorCode"] = turk
    return bce.ClientError(response, "GetQualificationScore")  # type: ignore[arg-type]


SERVICE_ROWS = [
    (
        client_error(
            "RequestError",
            "You requested a Qualification that does not exist. (1631094715163)",
            "AWS.MechanicalTurk.QualificationDoesNotExist",
        ),
        "not_held",
        "info",
    ),
    (
        client_error(
            "RequestError",
            "This operation can be called with a status of: Granted (1631094715163)",
            "AWS.MechanicalTurk.QualificationDoesNotExist",
        ),
        "revoked",
        "warning",
    ),
    (
        client_error("RequestError", "QualificationType [2ARFPLSP75KL] does not exist. (15)"),
        "type_not_found",
        "warning",
    ),
    (
        client_error(
            "RequestError",
            "Your AWS account must be linked to your Amazon Mechanical Turk Account",
            "AWS.AccountNotLinked",
        ),
        "account_not_linked",
        "error",
    ),
    (client_error("ThrottlingException", "Rate exceeded"), "throttled", "warning"),
    (client_error("ServiceFault", "", status=500), "service_fault", "error"),
    (client_error("503", "Service Unavailable", status=503), "server_error", "error"),
    (client_error("UnrecognizedClientException", "bad token"), "bad_keys", "error"),
    (
        client_error("InvalidSignatureException", "The request signature we calculated..."),
        "bad_keys",
        "error",
    ),
    (
        client_error(
            "InvalidSignatureException", "Credential should be scoped to a valid region. "
        ),
        "wrong_region",
        "error",
    ),
    (client_error("AccessDeniedException", "not authorized"), "access_denied", "error"),
    (client_error("ExpiredTokenException", "expired"), "expired_credentials", "error"),
    (client_error("ValidationException", "1 validation error"), "invalid_request", "error"),
    (client_error("RequestError", "Something else. (1)"), "request_error", "error"),
]


@pytest.mark.parametrize(("exc", "kind", "severity"), SERVICE_ROWS)
def test_service_errors(exc: bce.ClientError, kind: str, severity: str) -> None:
    failure = errors.explain(exc, PROD)
    assert (failure.kind, failure.severity) == (kind, severity)
    assert failure.title and failure.explanation and failure.fix
    assert failure.code == exc.response["Error"]["Code"]
    assert failure.message == exc.response["Error"]["Message"]


def test_type_not_found_suggests_the_other_environment() -> None:
    exc = client_error("RequestError", "QualificationType [X] does not exist. (1)")
    assert "switch the environment to Sandbox" in errors.explain(exc, PROD).fix
    assert "switch the environment to Production" in errors.explain(exc, SBX).fix


LOCAL_ROWS = [
    (bce.NoCredentialsError(), "no_credentials"),
    (
        bce.PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"),
        "partial_credentials",
    ),
    (bce.ProfileNotFound(profile="nope"), "profile_not_found"),
    (bce.UnauthorizedSSOTokenError(), "sso_expired"),
    (bce.TokenRetrievalError(provider="sso", error_msg="expired"), "sso_expired"),
    (bce.EndpointConnectionError(endpoint_url="http://127.0.0.1:1/"), "unreachable"),
    (bce.ConnectTimeoutError(endpoint_url="http://10.0.0.1/"), "connect_timeout"),
    (bce.ReadTimeoutError(endpoint_url="http://127.0.0.1/"), "read_timeout"),
    (bce.ConnectionClosedError(endpoint_url="http://127.0.0.1/"), "connection_reset"),
    (ResponseParserError("Unable to parse"), "malformed_response"),
    (RuntimeError("boom"), "unexpected"),
]


@pytest.mark.parametrize(("exc", "kind"), LOCAL_ROWS)
def test_local_errors(exc: Exception, kind: str) -> None:
    connection = Connection("sso-dev", PRODUCTION, "http://127.0.0.1:1")
    failure = errors.explain(exc, connection)
    assert failure.kind == kind
    assert failure.title and failure.explanation and failure.fix
    assert failure.code == type(exc).__name__


def test_sso_expiry_gives_the_exact_login_command() -> None:
    failure = errors.explain(bce.UnauthorizedSSOTokenError(), Connection("sso-dev", PRODUCTION))
    assert failure.command == "aws sso login --profile sso-dev"


def test_dns_failure_outside_us_east_1_is_explained_as_the_region() -> None:
    exc = bce.EndpointConnectionError(
        endpoint_url="https://mturk-requester.eu-west-1.amazonaws.com/"
    )
    failure = errors.explain(exc, Connection(None, "eu-west-1"))
    assert failure.kind == "wrong_region"
    assert "us-east-1" in failure.explanation


def test_unexpected_errors_are_logged_with_their_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def fail() -> None:
        raise KeyError("deep inside")

    try:
        fail()
    except KeyError as exc:
        failure = errors.explain(exc, PROD)
    assert failure.kind == "unexpected" and "KeyError" in failure.explanation
    assert any(r.exc_info and "deep inside" in str(r.exc_info[1]) for r in caplog.records)
