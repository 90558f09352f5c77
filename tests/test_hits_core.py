"""From HITs to their workers: the core's requests, wire parsing, merging and explanations."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore import exceptions as bce
from botocore.model import ListShape, StructureShape
from botocore.session import get_session
from botocore.validate import validate_parameters

from qualtui.core import ids
from qualtui.core.connection import PRODUCTION, SANDBOX, Connection
from qualtui.core.errors import explain
from qualtui.core.hits import (
    ASSIGNMENT_STATUSES,
    HIT_ID,
    Assignment,
    Hit,
    assignments_request,
    hits_request,
    merge_workers,
    newest_first,
    parse_statuses,
)
from qualtui.core.word_filter import matches, query_words

MARKUP_TITLE = "[bold]Rate[/bold] <i>images</i> \\[x]"
T0 = datetime(2026, 9, 1, 12, 0, tzinfo=timezone.utc)


def input_shape(operation: str) -> StructureShape:
    shape = get_session().get_service_model("mturk").operation_model(operation).input_shape
    assert shape is not None
    return shape


def test_requests_are_valid_for_the_service_model() -> None:
    for operation, params in (
        ("ListHITs", hits_request()),
        ("ListHITs", {**hits_request(), "NextToken": "abc"}),
        ("ListAssignmentsForHIT", assignments_request("3HIT0001", ASSIGNMENT_STATUSES)),
        (
            "ListAssignmentsForHIT",
            {**assignments_request("3HIT0001", ["Approved"]), "NextToken": "x"},
        ),
    ):
        validate_parameters(params, input_shape(operation))
    statuses = input_shape("ListAssignmentsForHIT").members["AssignmentStatuses"]
    assert isinstance(statuses, ListShape)
    assert tuple(statuses.member.enum) == ASSIGNMENT_STATUSES  # type: ignore[attr-defined]
    with pytest.raises(bce.ParamValidationError):  # the check above can fail
        validate_parameters({"HITID": "3HIT0001"}, input_shape("ListAssignmentsForHIT"))


def test_hits_from_the_wire_keep_outside_text_raw_and_sort_newest_first() -> None:
    wire = {
        "HITId": "3HITMARKUP",
        "HITTypeId": "3TYPE",
        "Title": MARKUP_TITLE,
        "RequesterAnnotation": "batch 7; pilot",
        "HITStatus": "Reviewable",
        "CreationTime": T0.astimezone(timezone(timedelta(hours=-7))),
        "Expiration": T0 + timedelta(days=3),
        "MaxAssignments": 150,
        "NumberOfAssignmentsCompleted": 120,
        "NumberOfAssignmentsPending": 3,
        "NumberOfAssignmentsAvailable": 27,
    }
    hit = Hit.from_wire(wire)
    assert hit.title == MARKUP_TITLE and hit.annotation == "batch 7; pilot"
    assert hit.created == T0 and hit.created.tzinfo == timezone.utc
    assert (hit.completed, hit.pending, hit.available, hit.max_assignments) == (120, 3, 27, 150)
    assert hit.status == "Reviewable" and hit.hit_type_id == "3TYPE"
    assert matches(hit.search_text, query_words("PILOT rate 3hitmarkup"))
    assert not matches(hit.search_text, query_words("pilot transcription"))
    sparse = Hit.from_wire({"HITId": "3HITSPARSE", "MaxAssignments": True})
    assert sparse.created is None and sparse.max_assignments == 0 and sparse.title == ""
    older = Hit("3HITOLDER", created=T0 - timedelta(days=1))
    newer = Hit("3HITNEWER", created=T0 + timedelta(seconds=1))
    assert newest_first([older, sparse, hit, newer]) == [newer, hit, older, sparse]


def assignment(worker: str, hit: str, status: str, minute: int = 0) -> Assignment:
    return Assignment(
        f"3ASSIGN{worker}{hit}", worker, hit, status, submitted=T0 + timedelta(minutes=minute)
    )


def test_workers_in_several_hits_are_merged_with_every_assignment_kept() -> None:
    listed = [
        assignment("A1ALPHA", "3HITONE", "Approved", 1),
        assignment("A2BRAVO", "3HITONE", "Submitted", 2),
        assignment("A1ALPHA", "3HITTWO", "Rejected", 3),
        assignment("A3CHARLIE", "3HITTWO", "Approved", 4),
        assignment("A1ALPHA", "3HITTHREE", "Approved", 5),
    ]
    workers = merge_workers(listed)
    assert [w.worker_id for w in workers] == ["A1ALPHA", "A2BRAVO", "A3CHARLIE"]
    alpha = workers[0]
    assert alpha.hit_ids == ("3HITONE", "3HITTWO", "3HITTHREE")
    assert alpha.statuses == ("Approved", "Rejected")
    assert [a.hit_id for a in alpha.assignments] == ["3HITONE", "3HITTWO", "3HITTHREE"]
    assert sum(len(w.assignments) for w in workers) == len(listed)


def test_assignments_from_the_wire() -> None:
    parsed = Assignment.from_wire(
        {
            "AssignmentId": "3ASSIGN1",
            "WorkerId": "A1ALPHA",
            "HITId": "3HITONE",
            "AssignmentStatus": "Approved",
            "AcceptTime": T0,
            "SubmitTime": T0 + timedelta(minutes=5),
            "ApprovalTime": T0 + timedelta(days=1),
            "Answer": "<QuestionFormAnswers/>",
        }
    )
    assert parsed == Assignment(
        "3ASSIGN1",
        "A1ALPHA",
        "3HITONE",
        "Approved",
        accepted=T0,
        submitted=T0 + timedelta(minutes=5),
        approved=T0 + timedelta(days=1),
    )


def test_statuses_given_by_a_person() -> None:
    assert parse_statuses("approved, Rejected approved") == ("Approved", "Rejected")
    assert parse_statuses("Submitted,Approved,Rejected") == ASSIGNMENT_STATUSES
    with pytest.raises(ValueError, match="unknown assignment status 'Accepted'"):
        parse_statuses("Approved,Accepted")
    with pytest.raises(ValueError, match="no assignment status"):
        parse_statuses(" , ")


def test_hit_ids_are_checked_like_the_other_ids() -> None:
    assert ids.problem(HIT_ID, "3PR3ABCDEFGHIJ9G") is None
    assert ids.problem(HIT_ID, "3pr3-x") is not None
    assert ids.problem(HIT_ID, "3" * 65) is not None


@pytest.mark.parametrize("environment", [PRODUCTION, SANDBOX])
def test_a_hit_that_no_longer_exists_is_explained(environment: str) -> None:
    response: dict[str, Any] = {
        "Error": {
            "Code": "RequestError",
            "Message": "Hit 3PR3ABCDEFGHIJ9G does not exist. (1624047673969)",
        },
        "TurkErrorCode": "AWS.MechanicalTurk.HITDoesNotExist",
        "ResponseMetadata": {"HTTPStatusCode": 400},
    }
    error = bce.ClientError(response, "ListAssignmentsForHIT")  # type: ignore[arg-type]
    failure = explain(error, Connection(None, environment))
    assert failure.kind == "hit_not_found" and failure.title == "HIT not found"
    assert "deletes HITs some months after they end" in failure.explanation
    assert failure.turk_error_code == "AWS.MechanicalTurk.HITDoesNotExist"
    assert failure.message and failure.message.startswith("Hit 3PR3ABCDEFGHIJ9G does not exist.")
    assert "environment" in failure.fix
