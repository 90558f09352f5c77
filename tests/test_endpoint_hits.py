"""The local endpoint's HITs and assignments (issue #19), through boto3 over real HTTP."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.config import Config

from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import ACCESS_KEY, SECRET_KEY
from tests.test_endpoint import client, error_of
from tests.test_endpoint_server import call

STAMP = 1795443000000
SURVEY = "3DEMOHITSURVEY0000000000000001"
PILOT = "3DEMOHITPILOT00000000000000001"
TAGGING = "3DEMOHITTAGGING000000000000001"
FOLLOW_UP = "3DEMOHITFOLLOWUP00000000000001"
IMAGETAG = "3DEMOIMAGETAG00000000000000001"


@pytest.fixture
def server() -> Iterator[LocalMTurk]:
    with LocalMTurk(credentials={ACCESS_KEY: SECRET_KEY}, stamp=lambda: STAMP) as s:
        yield s


def hits(mturk: Any, **config: Any) -> list[dict[str, Any]]:
    pages = mturk.get_paginator("list_hits").paginate(PaginationConfig=config)
    return [h for page in pages for h in page["HITs"]]


def assignments(mturk: Any, hit_id: str, **kwargs: Any) -> list[dict[str, Any]]:
    pages = mturk.get_paginator("list_assignments_for_hit").paginate(HITId=hit_id, **kwargs)
    return [a for page in pages for a in page["Assignments"]]


def test_hits_newest_first_with_the_service_models_fields(server: LocalMTurk) -> None:
    mturk = client(server)
    listed = hits(mturk)
    assert [h["HITId"] for h in listed] == [FOLLOW_UP, SURVEY, PILOT, TAGGING]
    model = set(mturk.meta.service_model.shape_for("HIT").members)
    for hit in listed:
        assert set(hit) <= model
        assert isinstance(hit["CreationTime"], datetime) and isinstance(hit["Expiration"], datetime)
    by_id = {h["HITId"]: h for h in listed}
    assert by_id[PILOT]["Title"] == "[bold]Pilot[/bold] audio transcription, 5 clips"
    assert by_id[SURVEY]["RequesterAnnotation"].startswith("main study")
    assert "RequesterAnnotation" not in by_id[TAGGING]
    assert by_id[SURVEY]["CreationTime"] == datetime(2026, 11, 20, 9, tzinfo=timezone.utc)
    counts = {
        hit_id: (
            h["NumberOfAssignmentsCompleted"],
            h["NumberOfAssignmentsPending"],
            h["NumberOfAssignmentsAvailable"],
        )
        for hit_id, h in by_id.items()
    }
    assert counts == {
        FOLLOW_UP: (0, 0, 20),
        SURVEY: (3, 1, 3),  # 2 approved + 1 rejected; 1 accepted, not submitted; 9 - 6
        PILOT: (106, 0, 17),
        TAGGING: (2, 0, 0),
    }
    assert by_id[PILOT]["QualificationRequirements"][0]["IntegerValues"] == [50]


def test_hits_page_with_next_token(server: LocalMTurk) -> None:
    mturk = client(server)
    first = mturk.list_hits(MaxResults=3)
    assert first["NumResults"] == 3 and "NextToken" in first
    rest = mturk.list_hits(MaxResults=3, NextToken=first["NextToken"])
    assert [h["HITId"] for h in rest["HITs"]] == [TAGGING] and "NextToken" not in rest
    assert [h["HITId"] for h in hits(mturk, PageSize=1)] == [FOLLOW_UP, SURVEY, PILOT, TAGGING]
    response = error_of(mturk.list_hits, MaxResults=101)
    assert response["Error"] == {
        "Code": "RequestError",
        "Message": f"MaxResults must be between 1 and 100. ({STAMP})",
    }


def test_more_than_100_assignments_page_and_filter_by_status(server: LocalMTurk) -> None:
    mturk = client(server)
    first = mturk.list_assignments_for_hit(HITId=PILOT)
    assert first["NumResults"] == 100 and "NextToken" in first
    every = assignments(mturk, PILOT)
    assert len(every) == len({a["AssignmentId"] for a in every}) == 133
    assert Counter(a["AssignmentStatus"] for a in every) == {
        "Approved": 79,
        "Rejected": 27,
        "Submitted": 27,
    }
    rejected = assignments(mturk, PILOT, AssignmentStatuses=["Rejected"])
    assert len(rejected) == 27 and {a["AssignmentStatus"] for a in rejected} == {"Rejected"}
    assert all("RejectionTime" in a and "RequesterFeedback" in a for a in rejected)
    two = assignments(
        mturk, PILOT, AssignmentStatuses=["Submitted", "Approved"], PaginationConfig={"PageSize": 7}
    )
    assert len(two) == 106
    assert all("ApprovalTime" in a for a in two if a["AssignmentStatus"] == "Approved")


def test_assignments_are_generated_the_same_every_time(server: LocalMTurk) -> None:
    with LocalMTurk(credentials={ACCESS_KEY: SECRET_KEY}) as other:
        assert assignments(client(server), PILOT) == assignments(client(other), PILOT)


def test_a_hits_workers_overlap_the_demo_holders(server: LocalMTurk) -> None:
    mturk = client(server)
    survey = {a["WorkerId"]: a for a in assignments(mturk, SURVEY)}
    assert {"A1GRANTEDWORKER", "A2REVOKEDWORKER", "A5NOTHELDWORKER"} <= set(survey)
    pages = mturk.get_paginator("list_workers_with_qualification_type").paginate(
        QualificationTypeId=IMAGETAG
    )
    tagged = {q["WorkerId"] for page in pages for q in page["Qualifications"]}
    pilot = {a["WorkerId"] for a in assignments(mturk, PILOT)}
    assert len(pilot & tagged) == 40 and "A1GRANTEDWORKER" in pilot


def test_an_accepted_but_unsubmitted_assignment_is_never_listed(server: LocalMTurk) -> None:
    mturk = client(server)
    listed = assignments(mturk, SURVEY)
    assert len(listed) == 5 and "A7REQUESTINGWORKER" not in {a["WorkerId"] for a in listed}
    for statuses in (["Submitted"], ["Submitted", "Approved", "Rejected"]):
        filtered = assignments(mturk, SURVEY, AssignmentStatuses=statuses)
        assert "A7REQUESTINGWORKER" not in {a["WorkerId"] for a in filtered}
    approved = next(a for a in listed if a["WorkerId"] == "A1GRANTEDWORKER")
    assert approved["SubmitTime"] == datetime(2026, 11, 20, 9, 26, tzinfo=timezone.utc)
    assert approved["AcceptTime"] < approved["SubmitTime"] < approved["ApprovalTime"]
    assert "<FreeText>" in approved["Answer"] and approved["HITId"] == SURVEY


def test_assignment_times_are_epoch_numbers_on_the_wire() -> None:
    with LocalMTurk() as server:
        status, body = call(server, "ListAssignmentsForHIT", {"HITId": SURVEY, "MaxResults": 1})
    assert status == 200
    assignments = body["Assignments"]
    assert isinstance(assignments, list) and len(assignments) == 1
    first = assignments[0]
    assert first["SubmitTime"] == datetime(2026, 11, 20, 9, 26, tzinfo=timezone.utc).timestamp()


def test_a_hit_that_does_not_exist(server: LocalMTurk) -> None:
    response = error_of(client(server).list_assignments_for_hit, HITId="3PR3NOSUCHHIT9G")
    assert response["Error"] == {
        "Code": "RequestError",
        "Message": f"Hit 3PR3NOSUCHHIT9G does not exist. ({STAMP})",
    }
    assert response["TurkErrorCode"] == "AWS.MechanicalTurk.HITDoesNotExist"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"HITId": "not-an-id"}, "ValidationException"),
        ({"HITId": PILOT, "AssignmentStatuses": ["Accepted"]}, "ValidationException"),
        ({"HITId": PILOT, "MaxResults": 101}, "RequestError"),
        ({"HITId": PILOT, "NextToken": "???"}, "RequestError"),
    ],
)
def test_bad_assignment_listings(server: LocalMTurk, kwargs: dict[str, Any], code: str) -> None:
    assert error_of(client(server).list_assignments_for_hit, **kwargs)["Error"]["Code"] == code


def test_hit_listings_get_their_own_faults(server: LocalMTurk) -> None:
    server.add_fault(Fault("service_fault", operation="ListAssignmentsForHIT", times=1))
    once = boto3.session.Session(
        aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name="us-east-1"
    ).client("mturk", endpoint_url=server.url, config=Config(retries={"total_max_attempts": 1}))
    assert len(hits(once)) == 4  # another operation: unaffected
    response = error_of(once.list_assignments_for_hit, HITId=SURVEY)
    assert response["Error"]["Code"] == "ServiceFault"
    assert len(assignments(once, SURVEY)) == 5  # the fault was for one call


def test_the_sandbox_has_a_hit(sandbox_endpoint: LocalMTurk) -> None:
    mturk = client(sandbox_endpoint)
    (hit,) = hits(mturk)
    assert hit["HITId"] == "3SANDBOXHIT0000000000000000001"
    assert {a["WorkerId"] for a in assignments(mturk, hit["HITId"])} == {
        "A1GRANTEDWORKER",
        "A2REVOKEDWORKER",
    }
