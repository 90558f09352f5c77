"""The local endpoint's write operations (issue #17), through boto3 over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.config import Config

from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import ACCESS_KEY, SANDBOX_TYPE, SECRET_KEY, TRANSCRIBE
from tests.test_endpoint import client, error_of

STAMP = 1795443000000
NOW = datetime.fromtimestamp(STAMP / 1000, tz=timezone.utc)
IMAGETAG = "3DEMOIMAGETAG00000000000000001"
FOREIGN = "3DEMOOTHERREQUESTER00000000001"
NOT_HELD = "AWS.MechanicalTurk.QualificationDoesNotExist"
REQUEST_1, REQUEST_2, REQUEST_3, REQUEST_4 = (
    f"3DEMOREQUEST00000000000000000{n}" for n in (1, 2, 3, 4)
)


@pytest.fixture
def server() -> Iterator[LocalMTurk]:
    """The production demo data with a fixed clock (error stamps and grant times)."""
    with LocalMTurk(credentials={ACCESS_KEY: SECRET_KEY}, stamp=lambda: STAMP) as s:
        yield s


def score(mturk: Any, worker: str, type_id: str = TRANSCRIBE) -> dict[str, Any]:
    answer = mturk.get_qualification_score(QualificationTypeId=type_id, WorkerId=worker)
    return answer["Qualification"]  # type: ignore[no-any-return]


def holders(mturk: Any, type_id: str = TRANSCRIBE, **kwargs: Any) -> dict[str, dict[str, Any]]:
    pages = mturk.get_paginator("list_workers_with_qualification_type").paginate(
        QualificationTypeId=type_id, **kwargs
    )
    return {q["WorkerId"]: q for page in pages for q in page["Qualifications"]}


def pending(mturk: Any, **kwargs: Any) -> list[str]:
    pages = mturk.get_paginator("list_qualification_requests").paginate(**kwargs)
    return [r["QualificationRequestId"] for page in pages for r in page["QualificationRequests"]]


def stamped(message: str) -> str:
    return f"{message} ({STAMP})"


# --------------------------------------------------------------------------- associate


def test_a_grant_is_seen_by_the_next_reads(server: LocalMTurk) -> None:
    mturk = client(server)
    answer = mturk.associate_qualification_with_worker(
        QualificationTypeId=TRANSCRIBE,
        WorkerId="A5NOTHELDWORKER",
        IntegerValue=70,
        SendNotification=False,
    )
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {}
    q = score(mturk, "A5NOTHELDWORKER")
    assert (q["Status"], q["IntegerValue"], q["GrantTime"]) == ("Granted", 70, NOW)
    assert holders(mturk, Status="Granted")["A5NOTHELDWORKER"]["IntegerValue"] == 70
    assert server.notifications == []  # SendNotification=False
    (sent,) = server.calls_to("AssociateQualificationWithWorker")
    assert sent.params["SendNotification"] is False


def test_a_score_change_notifies_the_worker_unless_told_not_to(server: LocalMTurk) -> None:
    mturk = client(server)
    mturk.associate_qualification_with_worker(
        QualificationTypeId=TRANSCRIBE, WorkerId="A1GRANTEDWORKER", IntegerValue=90
    )
    q = score(mturk, "A1GRANTEDWORKER")
    assert q["IntegerValue"] == 90
    assert q["GrantTime"] == datetime(2026, 10, 2, 15, 42, 10, tzinfo=timezone.utc)  # unchanged
    assert server.notifications == [
        {
            "Kind": "Granted",
            "QualificationTypeId": TRANSCRIBE,
            "WorkerId": "A1GRANTEDWORKER",
            "IntegerValue": 90,
            "Time": STAMP / 1000,
        }
    ]
    assert "SendNotification" not in server.calls_to("AssociateQualificationWithWorker")[0].params


def test_without_a_value_a_new_grant_scores_1_and_a_held_one_keeps_its_score(
    server: LocalMTurk,
) -> None:
    mturk = client(server)
    for worker in ("A5NOTHELDWORKER", "A1GRANTEDWORKER"):
        mturk.associate_qualification_with_worker(
            QualificationTypeId=TRANSCRIBE, WorkerId=worker, SendNotification=False
        )
    assert score(mturk, "A5NOTHELDWORKER")["IntegerValue"] == 1
    assert score(mturk, "A1GRANTEDWORKER")["IntegerValue"] == 87


def test_a_grant_to_a_revoked_worker_grants_again_dated_now(server: LocalMTurk) -> None:
    mturk = client(server)
    mturk.associate_qualification_with_worker(
        QualificationTypeId=TRANSCRIBE,
        WorkerId="A2REVOKEDWORKER",
        IntegerValue=55,
        SendNotification=False,
    )
    q = score(mturk, "A2REVOKEDWORKER")
    assert (q["Status"], q["IntegerValue"], q["GrantTime"]) == ("Granted", 55, NOW)
    assert "A2REVOKEDWORKER" not in holders(mturk, Status="Revoked")


# --------------------------------------------------------------------------- disassociate


def test_a_revoke_keeps_the_score_and_the_reason(server: LocalMTurk) -> None:
    mturk = client(server)
    mturk.disassociate_qualification_from_worker(
        QualificationTypeId=TRANSCRIBE, WorkerId="A1GRANTEDWORKER", Reason="Failed the re-test"
    )
    q = score(mturk, "A1GRANTEDWORKER")
    assert (q["Status"], q["IntegerValue"]) == ("Revoked", 87)
    assert "Reason" not in q  # kept by the service, not answered
    assert "A1GRANTEDWORKER" in holders(mturk, Status="Revoked")
    assert "A1GRANTEDWORKER" not in holders(mturk, Status="Granted")
    kept = server.data.qualification(TRANSCRIBE, "A1GRANTEDWORKER")
    assert kept is not None and kept["Reason"] == "Failed the re-test"
    assert [(n["Kind"], n["Reason"]) for n in server.notifications] == [
        ("Revoked", "Failed the re-test")
    ]


def test_a_revoke_without_a_reason_notifies_nobody(server: LocalMTurk) -> None:
    client(server).disassociate_qualification_from_worker(
        QualificationTypeId=TRANSCRIBE, WorkerId="A3ZEROSCOREWORKER"
    )
    assert server.notifications == []
    assert score(client(server), "A3ZEROSCOREWORKER")["Status"] == "Revoked"


@pytest.mark.parametrize(
    ("worker", "message"),
    [
        ("A5NOTHELDWORKER", "You requested a Qualification that does not exist."),
        ("A2REVOKEDWORKER", "This operation can be called with a status of: Granted"),
    ],
)
def test_revoking_what_the_worker_does_not_hold(
    server: LocalMTurk, worker: str, message: str
) -> None:
    response = error_of(
        client(server).disassociate_qualification_from_worker,
        QualificationTypeId=TRANSCRIBE,
        WorkerId=worker,
        Reason="x",
    )
    assert response["Error"] == {"Code": "RequestError", "Message": stamped(message)}
    assert response["TurkErrorCode"] == NOT_HELD
    assert server.notifications == []


# --------------------------------------------------------------------------- types


@pytest.mark.parametrize("type_id", [SANDBOX_TYPE, FOREIGN])
@pytest.mark.parametrize(
    ("method", "extra"),
    [
        ("associate_qualification_with_worker", {"IntegerValue": 5}),
        ("disassociate_qualification_from_worker", {"Reason": "x"}),
        ("get_qualification_score", {}),
    ],
)
def test_a_missing_or_foreign_type_does_not_exist(
    server: LocalMTurk, type_id: str, method: str, extra: dict[str, Any]
) -> None:
    response = error_of(
        getattr(client(server), method),
        QualificationTypeId=type_id,
        WorkerId="A1GRANTEDWORKER",
        **extra,
    )
    assert response["Error"] == {
        "Code": "RequestError",
        "Message": stamped(f"QualificationType [{type_id}] does not exist."),
    }
    assert "TurkErrorCode" not in response


def test_another_requesters_type_is_readable_but_not_listed_as_yours(server: LocalMTurk) -> None:
    mturk = client(server)
    details = mturk.get_qualification_type(QualificationTypeId=FOREIGN)["QualificationType"]
    assert details["Name"] == "Another requester's screener" and "OwnedByCaller" not in details

    def listed(**kwargs: Any) -> set[str]:
        pages = mturk.get_paginator("list_qualification_types").paginate(
            MustBeRequestable=False, **kwargs
        )
        return {t["QualificationTypeId"] for p in pages for t in p["QualificationTypes"]}

    assert FOREIGN in listed() and FOREIGN not in listed(MustBeOwnedByCaller=True)
    assert TRANSCRIBE in listed(MustBeOwnedByCaller=True)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("high", "STRING_VALUE"),
        (2**31, "NUMBER_VALUE"),
        (1.5, "NUMBER_VALUE"),
        (True, "BOOLEAN_VALUE"),
    ],
)
def test_an_integer_value_of_the_wrong_type(server: LocalMTurk, value: Any, kind: str) -> None:
    unchecked = boto3.session.Session(
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name="us-east-1"
    ).client("mturk", endpoint_url=server.url, config=Config(parameter_validation=False))
    for call, params in (
        (unchecked.associate_qualification_with_worker, {"WorkerId": "A1GRANTEDWORKER"}),
        (unchecked.accept_qualification_request, {"QualificationRequestId": REQUEST_1}),
    ):
        full = {"IntegerValue": value, **params}
        if "WorkerId" in params:
            full["QualificationTypeId"] = TRANSCRIBE
        response = error_of(call, **full)
        assert response["Error"] == {
            "Code": "SerializationException",
            "Message": f"{kind} can not be converted to an Integer",
        }
    assert score(client(server), "A1GRANTEDWORKER")["IntegerValue"] == 87  # nothing changed
    assert REQUEST_1 in pending(client(server))


def test_a_write_gets_its_own_faults(server: LocalMTurk) -> None:
    server.add_fault(Fault("throttle", operation="AssociateQualificationWithWorker"))
    once = boto3.session.Session(
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name="us-east-1"
    ).client("mturk", endpoint_url=server.url, config=Config(retries={"total_max_attempts": 1}))
    response = error_of(
        once.associate_qualification_with_worker,
        QualificationTypeId=TRANSCRIBE,
        WorkerId="A1GRANTEDWORKER",
        IntegerValue=1,
    )
    assert response["Error"]["Code"] == "ThrottlingException"
    assert score(once, "A1GRANTEDWORKER")["IntegerValue"] == 87  # reads unaffected, no change


def test_a_new_endpoint_is_a_fresh_demo(server: LocalMTurk) -> None:
    client(server).disassociate_qualification_from_worker(
        QualificationTypeId=TRANSCRIBE, WorkerId="A1GRANTEDWORKER"
    )
    with LocalMTurk(credentials={ACCESS_KEY: SECRET_KEY}) as fresh:
        assert score(client(fresh), "A1GRANTEDWORKER")["Status"] == "Granted"


# --------------------------------------------------------------------------- requests


def test_pending_requests_in_the_wire_format_and_by_type(server: LocalMTurk) -> None:
    mturk = client(server)
    assert pending(mturk) == [REQUEST_1, REQUEST_2, REQUEST_3, REQUEST_4]
    assert pending(mturk, QualificationTypeId=IMAGETAG) == [REQUEST_4]
    first = mturk.list_qualification_requests(QualificationTypeId=TRANSCRIBE, MaxResults=2)
    assert first["NumResults"] == 2 and "NextToken" in first
    request = first["QualificationRequests"][0]
    assert request["WorkerId"] == "A5NOTHELDWORKER"
    assert request["SubmitTime"] == datetime(2026, 11, 21, 10, 5, tzinfo=timezone.utc)
    assert request["Test"].startswith("<QuestionForm") and "<FreeText>" in request["Answer"]
    rest = mturk.list_qualification_requests(
        QualificationTypeId=TRANSCRIBE, MaxResults=2, NextToken=first["NextToken"]
    )
    assert [r["QualificationRequestId"] for r in rest["QualificationRequests"]] == [REQUEST_3]
    assert "NextToken" not in rest
    assert pending(mturk, QualificationTypeId=TRANSCRIBE, PaginationConfig={"PageSize": 1}) == [
        REQUEST_1,
        REQUEST_2,
        REQUEST_3,
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"MaxResults": 101}, "MaxResults must be between 1 and 100."),
        ({"NextToken": "not a token"}, "The pagination token is not valid."),
        (
            {"QualificationTypeId": SANDBOX_TYPE},
            f"QualificationType [{SANDBOX_TYPE}] does not exist.",
        ),
        ({"QualificationTypeId": FOREIGN}, f"QualificationType [{FOREIGN}] does not exist."),
    ],
)
def test_listing_requests_refuses_bad_arguments(
    server: LocalMTurk, kwargs: dict[str, Any], message: str
) -> None:
    response = error_of(client(server).list_qualification_requests, **kwargs)
    assert response["Error"] == {"Code": "RequestError", "Message": stamped(message)}


def test_accepting_a_request_grants_it_now_and_removes_it(server: LocalMTurk) -> None:
    mturk = client(server)
    mturk.accept_qualification_request(QualificationRequestId=REQUEST_1, IntegerValue=80)
    q = score(mturk, "A5NOTHELDWORKER")
    assert (q["Status"], q["IntegerValue"], q["GrantTime"]) == ("Granted", 80, NOW)
    assert holders(mturk)["A5NOTHELDWORKER"]["IntegerValue"] == 80
    assert REQUEST_1 not in pending(mturk)
    assert REQUEST_4 in pending(mturk)  # the same worker's request for another type stays
    assert server.notifications[-1]["Kind"] == "RequestAccepted"


def test_accepting_overwrites_a_score_only_when_given_one(server: LocalMTurk) -> None:
    mturk = client(server)
    mturk.accept_qualification_request(QualificationRequestId=REQUEST_3)  # A2, revoked at 12
    q = score(mturk, "A2REVOKEDWORKER")
    assert (q["Status"], q["IntegerValue"], q["GrantTime"]) == ("Granted", 12, NOW)
    mturk.associate_qualification_with_worker(
        QualificationTypeId=IMAGETAG, WorkerId="A5NOTHELDWORKER", IntegerValue=99
    )
    mturk.accept_qualification_request(QualificationRequestId=REQUEST_4, IntegerValue=60)
    assert score(mturk, "A5NOTHELDWORKER", IMAGETAG)["IntegerValue"] == 60


def test_rejecting_a_request_removes_it_and_keeps_the_reason(server: LocalMTurk) -> None:
    mturk = client(server)
    mturk.reject_qualification_request(QualificationRequestId=REQUEST_2, Reason="Too many errors")
    assert pending(mturk) == [REQUEST_1, REQUEST_3, REQUEST_4]
    (answered,) = server.data.answered_requests
    assert (answered["QualificationRequestId"], answered["Outcome"], answered["Reason"]) == (
        REQUEST_2,
        "Rejected",
        "Too many errors",
    )
    assert server.notifications[-1]["Reason"] == "Too many errors"
    response = error_of(
        mturk.get_qualification_score, QualificationTypeId=TRANSCRIBE, WorkerId="A7REQUESTINGWORKER"
    )
    assert response["TurkErrorCode"] == NOT_HELD  # rejecting grants nothing


@pytest.mark.parametrize("method", ["accept_qualification_request", "reject_qualification_request"])
@pytest.mark.parametrize("request_id", [REQUEST_1, "3NOSUCHREQUEST"])
def test_a_request_that_does_not_exist(server: LocalMTurk, method: str, request_id: str) -> None:
    mturk = client(server)
    if request_id == REQUEST_1:
        mturk.reject_qualification_request(QualificationRequestId=REQUEST_1)  # answered once
    response = error_of(getattr(mturk, method), QualificationRequestId=request_id)
    assert response["Error"] == {
        "Code": "RequestError",
        "Message": stamped(f"QualificationRequest [{request_id}] does not exist."),
    }
    assert response["TurkErrorCode"] == "AWS.MechanicalTurk.QualificationRequestDoesNotExist"


def test_the_sandbox_has_its_own_requests(sandbox_endpoint: LocalMTurk) -> None:
    assert pending(client(sandbox_endpoint)) == ["3SANDBOXREQUEST000000000000001"]


def test_concurrent_writes_each_land_once(server: LocalMTurk) -> None:
    mturk = boto3.session.Session(
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name="us-east-1"
    ).client("mturk", endpoint_url=server.url, config=Config(max_pool_connections=10))
    workers = [f"A{n:03d}CONCURRENTWORKER" for n in range(30)]
    jobs = [(w, n) for n, w in enumerate(workers)] + [("A5NOTHELDWORKER", n) for n in range(30)]

    def grant(job: tuple[str, int]) -> None:
        mturk.associate_qualification_with_worker(
            QualificationTypeId=TRANSCRIBE, WorkerId=job[0], IntegerValue=job[1]
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(grant, jobs))
    pages = mturk.get_paginator("list_workers_with_qualification_type").paginate(
        QualificationTypeId=TRANSCRIBE
    )
    listed = [q["WorkerId"] for page in pages for q in page["Qualifications"]]
    assert sorted(listed) == sorted(
        [*workers, "A5NOTHELDWORKER", "A1GRANTEDWORKER", "A2REVOKEDWORKER", "A3ZEROSCOREWORKER"]
    )
    assert {w: score(mturk, w)["IntegerValue"] for w in workers[:3]} == {
        workers[0]: 0,
        workers[1]: 1,
        workers[2]: 2,
    }
    assert len(server.notifications) == 60
