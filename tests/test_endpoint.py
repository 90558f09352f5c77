"""The local endpoint, as boto3 (and a plain HTTP client) sees it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from qualtui.endpoint import LocalMTurk
from tests.conftest import ACCESS_KEY, LOCALE_TYPE, SECRET_KEY, TRANSCRIBE


def client(
    server: LocalMTurk, key: str = ACCESS_KEY, secret: str = SECRET_KEY, region: str = "us-east-1"
) -> Any:
    session = boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, region_name=region
    )
    return session.client("mturk", endpoint_url=server.url)


def error_of(call: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return info.value.response  # type: ignore[return-value]


def test_granted_score_in_the_wire_format(endpoint: LocalMTurk) -> None:
    q = client(endpoint).get_qualification_score(
        QualificationTypeId=TRANSCRIBE, WorkerId="A1GRANTEDWORKER"
    )["Qualification"]
    assert q["Status"] == "Granted" and q["IntegerValue"] == 87
    assert q["GrantTime"] == datetime(2026, 10, 2, 15, 42, 10, tzinfo=timezone.utc)
    assert "LocaleValue" not in q


def test_locale_only_qualification(endpoint: LocalMTurk) -> None:
    q = client(endpoint).get_qualification_score(
        QualificationTypeId=LOCALE_TYPE, WorkerId="A4LOCALEWORKER"
    )["Qualification"]
    assert q["LocaleValue"] == {"Country": "US", "Subdivision": "WA"}
    assert "IntegerValue" not in q


def test_not_held_is_the_services_request_error(endpoint: LocalMTurk) -> None:
    response = error_of(
        client(endpoint).get_qualification_score,
        QualificationTypeId=TRANSCRIBE,
        WorkerId="A5NOTHELDWORKER",
    )
    assert response["Error"]["Code"] == "RequestError"
    assert response["Error"]["Message"].startswith(
        "You requested a Qualification that does not exist. ("
    )
    assert response["TurkErrorCode"] == "AWS.MechanicalTurk.QualificationDoesNotExist"


def test_unknown_type(endpoint: LocalMTurk) -> None:
    response = error_of(
        client(endpoint).get_qualification_score,
        QualificationTypeId="3SANDBOXTEST000000000000000001",
        WorkerId="A1GRANTEDWORKER",
    )
    assert (
        "QualificationType [3SANDBOXTEST000000000000000001] does not exist."
        in response["Error"]["Message"]
    )


def test_malformed_ids_are_refused_by_the_service_too(endpoint: LocalMTurk) -> None:
    response = error_of(
        client(endpoint).get_qualification_score, QualificationTypeId="abc", WorkerId="A1"
    )
    assert response["Error"]["Code"] == "ValidationException"


@pytest.mark.parametrize(
    ("key", "secret", "region", "code"),
    [
        (ACCESS_KEY, "wrong-secret", "us-east-1", "InvalidSignatureException"),
        ("AKIAUNKNOWNKEY000000", SECRET_KEY, "us-east-1", "UnrecognizedClientException"),
        (ACCESS_KEY, SECRET_KEY, "eu-west-1", "InvalidSignatureException"),
    ],
)
def test_signatures_are_checked(
    endpoint: LocalMTurk, key: str, secret: str, region: str, code: str
) -> None:
    response = error_of(client(endpoint, key, secret, region).get_account_balance)
    assert response["Error"]["Code"] == code
    assert endpoint.calls == []  # refused before reaching the operation


def test_an_unsigned_request_is_rejected(endpoint: LocalMTurk) -> None:
    request = urllib.request.Request(
        endpoint.url + "/",
        data=b"{}",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "MTurkRequesterServiceV20170117.GetAccountBalance",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    assert info.value.code == 400
    assert json.loads(info.value.read())["__type"] == "MissingAuthenticationTokenException"


def test_list_workers_pages_with_next_token(endpoint: LocalMTurk) -> None:
    mturk = client(endpoint)
    first = mturk.list_workers_with_qualification_type(
        QualificationTypeId="3DEMOIMAGETAG00000000000000001", MaxResults=100
    )
    assert first["NumResults"] == 100 and "NextToken" in first
    pages = mturk.get_paginator("list_workers_with_qualification_type").paginate(
        QualificationTypeId="3DEMOIMAGETAG00000000000000001",
        Status="Granted",
        PaginationConfig={"PageSize": 50},
    )
    holders = [q for page in pages for q in page["Qualifications"]]
    assert len(holders) == len({q["WorkerId"] for q in holders}) > 150
    assert {q["Status"] for q in holders} == {"Granted"}


def test_list_types_and_type_details_and_balance(endpoint: LocalMTurk) -> None:
    mturk = client(endpoint)
    found = mturk.list_qualification_types(MustBeRequestable=False, Query="transcription")
    assert [t["QualificationTypeId"] for t in found["QualificationTypes"]] == [TRANSCRIBE]
    details = mturk.get_qualification_type(QualificationTypeId=TRANSCRIBE)["QualificationType"]
    assert details["Name"] == "Audio transcription skill"
    assert isinstance(details["CreationTime"], datetime)
    assert mturk.get_account_balance()["AvailableBalance"] == "1742.50"


def test_sandbox_data_is_separate(sandbox_endpoint: LocalMTurk) -> None:
    assert client(sandbox_endpoint).get_account_balance()["AvailableBalance"] == "10000.00"


def test_loopback_only() -> None:
    with pytest.raises(ValueError, match="loopback"):
        LocalMTurk(host="0.0.0.0")  # noqa: S104
