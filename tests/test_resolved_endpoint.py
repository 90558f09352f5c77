"""Where a call really went, and answers that do not answer the question asked.

AWS_ENDPOINT_URL(_MTURK) silently redirects "Production": qualtui records and shows the
endpoint botocore resolved, and says so. A URL's user:password never reaches the screen or
a file. An answer about another worker, or with a status or score MTurk never sends, is
unreadable, not a result."""

from __future__ import annotations

from typing import Any

import pytest

from qualtui.core.account import check_account
from qualtui.core.client import ClientCache
from qualtui.core.connection import PRODUCTION, SANDBOX, Connection, redirect_notice
from qualtui.core.lookup import lookup_score
from qualtui.core.models import LookupRequest
from qualtui.endpoint import Dataset, LocalMTurk
from tests.conftest import ACCESS_KEY, SECRET_KEY, TRANSCRIBE, Isolation


@pytest.mark.parametrize("variable", ["AWS_ENDPOINT_URL_MTURK", "AWS_ENDPOINT_URL"])
def test_an_environment_endpoint_is_recorded_and_said(
    endpoint: LocalMTurk,
    aws_profiles: Isolation,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    monkeypatch.setenv(variable, endpoint.url)
    clients = ClientCache()
    production = Connection("default", PRODUCTION, None)  # "AWS default", as the bar says
    result = lookup_score(clients, LookupRequest(production, TRANSCRIBE, "A1GRANTEDWORKER"))
    assert result.qualification is not None
    assert len(endpoint.calls_to("GetQualificationScore")) == 1  # it really went there
    assert result.endpoint_url == endpoint.url
    notice = redirect_notice(production, result.endpoint_url)
    assert notice is not None and endpoint.url in notice and "Production" in notice
    check = check_account(clients, production)
    assert check.endpoint_url == endpoint.url


def test_no_notice_for_the_real_endpoints_or_a_named_one(endpoint: LocalMTurk) -> None:
    production = Connection("default", PRODUCTION, None)
    sandbox = Connection(
        "default", SANDBOX, "https://mturk-requester-sandbox.us-east-1.amazonaws.com"
    )
    assert redirect_notice(production, "https://mturk-requester.us-east-1.amazonaws.com") is None
    assert redirect_notice(sandbox, "http://example.test") is None  # named: warned elsewhere
    assert redirect_notice(production, None) is None
    remote = redirect_notice(production, "http://mturk.example.test")
    assert remote is not None and "unencrypted" in remote


def test_a_password_in_the_endpoint_url_is_never_shown(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    url = endpoint.url.replace("http://", "http://user:hunter2@")
    connection = Connection("default", PRODUCTION, url)
    assert "hunter2" not in connection.label
    assert connection.shown_endpoint == endpoint.url
    result = lookup_score(ClientCache(), LookupRequest(connection, TRANSCRIBE, "A1GRANTEDWORKER"))
    assert "hunter2" not in str(result.endpoint_url)


def _answering(qualification: dict[str, Any]) -> Dataset:
    return Dataset.from_json(
        {
            "qualification_types": [
                {
                    "QualificationTypeId": TRANSCRIBE,
                    "Name": "t",
                    "Description": "d",
                    "QualificationTypeStatus": "Active",
                    "CreationTime": "2025-01-01T00:00:00Z",
                    "IsRequestable": False,
                    "AutoGranted": False,
                }
            ],
            "qualifications": [
                {
                    "QualificationTypeId": TRANSCRIBE,
                    "WorkerId": "A1GRANTEDWORKER",
                    "GrantTime": "2025-01-01T00:00:00Z",
                    "Status": "Granted",
                    **qualification,
                }
            ],
        }
    )


@pytest.mark.parametrize(
    "odd",
    [
        {"Status": "x\n\n● GRANTED\nScore 100"},
        {"Status": "Evil\u202eDETNARG"},
        {"Status": ""},
        {"IntegerValue": 2**40},
    ],
)
def test_an_answer_mturk_never_gives_is_unreadable(
    aws_profiles: Isolation, odd: dict[str, Any]
) -> None:
    with LocalMTurk(_answering(odd), credentials={ACCESS_KEY: SECRET_KEY}) as server:
        connection = Connection("default", PRODUCTION, server.url)
        result = lookup_score(
            ClientCache(), LookupRequest(connection, TRANSCRIBE, "A1GRANTEDWORKER")
        )
    assert result.qualification is None
    assert result.failure is not None and result.failure.kind == "malformed_response"


def test_the_history_records_where_the_call_went(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualtui.core.history import HistoryEntry

    monkeypatch.setenv("AWS_ENDPOINT_URL_MTURK", endpoint.url)
    production = Connection("default", PRODUCTION, None)
    result = lookup_score(ClientCache(), LookupRequest(production, TRANSCRIBE, "A1GRANTEDWORKER"))
    assert HistoryEntry.from_result(result).endpoint_url == endpoint.url
    secret = Connection("default", PRODUCTION, endpoint.url.replace("http://", "http://u:pw@"))
    failed = lookup_score(
        ClientCache(), LookupRequest(secret, "3NOSUCHTYPE0000000000000000001", "A1")
    )
    assert "pw@" not in str(HistoryEntry.from_result(failed).endpoint_url)
