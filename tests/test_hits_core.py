"""From HITs to their workers: the core's requests, wire parsing, merging and explanations,
and, over real HTTP, the listings: every page, the status filter, workers merged across
HITs, a HIT that no longer exists, cancelling."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore import exceptions as bce
from botocore.model import ListShape, StructureShape
from botocore.session import get_session
from botocore.validate import validate_parameters

from qualtui.core import ids
from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, SANDBOX, Connection
from qualtui.core.errors import explain
from qualtui.core.hits import (
    ASSIGNMENT_STATUSES,
    HIT_ID,
    Assignment,
    Hit,
    ListingProgress,
    assignments_request,
    hits_request,
    list_assignments,
    list_hits,
    merge_workers,
    newest_first,
    parse_statuses,
    workers_of_hits,
)
from qualtui.core.word_filter import matches, query_words
from qualtui.endpoint import Dataset, Fault, LocalMTurk
from tests.conftest import ACCESS_KEY, SECRET_KEY, Isolation, wait_for

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


# --------------------------------------------------------------------------- over real HTTP

BIG = "3HITBIG000000000000000000000001"
SMALL = "3HITSMALL00000000000000000000001"
MARKUP = "3HITMARKUP0000000000000000000001"
MISSING = "3PR3NOSUCHHIT00000000000000009G"
SHARED_WORKER = "A1SHAREDWORKER"
IN_PROGRESS_WORKER = "A9STILLWORKING"
EXTRA_HITS = 105  # with the three above: two pages of ListHITs
LIST_HITS = "ListHITs"
LIST_ASSIGNMENTS = "ListAssignmentsForHIT"


def a_hit(hit_id: str, created: str, **fields: Any) -> dict[str, Any]:
    return {
        "HITId": hit_id,
        "HITTypeId": "3HITTYPE000000000000000000000001",
        "CreationTime": created,
        "Expiration": "2027-01-01T00:00:00Z",
        "Title": f"Task {hit_id}",
        "Description": "A task.",
        "HITStatus": "Reviewable",
        "MaxAssignments": 300,
        "Reward": "0.50",
        "AutoApprovalDelayInSeconds": 259200,
        "AssignmentDurationInSeconds": 3600,
        **fields,
    }


def an_assignment(hit_id: str, worker: str, status: str, n: int) -> dict[str, Any]:
    return {
        "AssignmentId": f"3ASSIGN{hit_id[4:10]}{n:010d}",
        "WorkerId": worker,
        "HITId": hit_id,
        "AssignmentStatus": status,
        "AcceptTime": f"2026-10-02T10:{n:02d}:00Z",
        "SubmitTime": f"2026-10-02T11:{n:02d}:00Z",
    }


def hits_data() -> Dataset:
    hits = [
        a_hit(BIG, "2026-10-01T12:00:00Z", RequesterAnnotation="pilot-2026-10"),
        a_hit(SMALL, "2026-11-20T09:00:00Z", MaxAssignments=5),
        a_hit(MARKUP, "2026-11-25T08:00:00Z", Title=MARKUP_TITLE, HITStatus="Assignable"),
    ]
    hits += [
        a_hit(f"3HITOLD{n:024d}", f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T00:00:00Z")
        for n in range(EXTRA_HITS)
    ]
    data = Dataset.from_json(
        {
            "hits": hits,
            "generated_assignments": [{"HITId": BIG, "count": 250, "seed": "big-hit"}],
        }
    )
    shared = data.assignments_of(BIG)[7]["WorkerId"]  # a worker of the big HIT, again
    data.assignments += [
        {**an_assignment(SMALL, SHARED_WORKER, "Approved", 1)},
        {**an_assignment(SMALL, shared, "Rejected", 2)},
        {**an_assignment(SMALL, "A3SMALLONLY", "Submitted", 3)},
        {**an_assignment(SMALL, IN_PROGRESS_WORKER, "Accepted", 4)},  # never listed
        {**an_assignment(MARKUP, SHARED_WORKER, "Submitted", 5)},
    ]
    return data


@pytest.fixture
def hits_endpoint() -> Iterator[LocalMTurk]:
    with LocalMTurk(hits_data(), credentials={ACCESS_KEY: SECRET_KEY}) as server:
        yield server


@pytest.fixture
def clients(aws_profiles: Isolation) -> ClientCache:
    return ClientCache(ClientSettings(max_attempts=2, read_timeout=5, connect_timeout=1))


def connection(endpoint: LocalMTurk, profile: str = "default") -> Connection:
    return Connection(profile, PRODUCTION, endpoint.url)


def wire_time(text: str | float) -> datetime:
    if isinstance(text, (int, float)):
        return datetime.fromtimestamp(text, timezone.utc)
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def listed_by_endpoint(
    endpoint: LocalMTurk, hit_id: str, statuses: Sequence[str] = ASSIGNMENT_STATUSES
) -> list[dict[str, Any]]:
    return [a for a in endpoint.data.assignments_of(hit_id) if a["AssignmentStatus"] in statuses]


def check_assignment(found: Assignment, held: dict[str, Any]) -> None:
    assert (found.id, found.worker_id, found.hit_id, found.status) == (
        held["AssignmentId"],
        held["WorkerId"],
        held["HITId"],
        held["AssignmentStatus"],
    )
    assert found.submitted == wire_time(held["SubmitTime"])
    assert found.accepted == wire_time(held["AcceptTime"])


def test_every_hit_is_listed_newest_first(hits_endpoint: LocalMTurk, clients: ClientCache) -> None:
    pages: list[int] = []
    listed = list_hits(clients, connection(hits_endpoint), on_page=pages.append)
    assert listed.failure is None and not listed.truncated and not listed.cancelled
    total = EXTRA_HITS + 3
    assert len(hits_endpoint.calls_to(LIST_HITS)) == 2 and pages == [100, total]
    assert [h.id for h in listed.hits[:3]] == [MARKUP, SMALL, BIG]
    stamps = [h.created.timestamp() for h in listed.hits if h.created is not None]
    assert len(stamps) == total and stamps == sorted(stamps, reverse=True)
    by_id = {h.id: h for h in listed.hits}
    assert len(by_id) == total
    for raw in hits_endpoint.data.hits:
        hit = by_id[raw["HITId"]]
        assert hit.title == raw["Title"] and hit.status == raw["HITStatus"]
        assert hit.annotation == raw.get("RequesterAnnotation", "")
        assert hit.created == wire_time(raw["CreationTime"])
        assert hit.max_assignments == raw["MaxAssignments"]
    assert by_id[MARKUP].title == MARKUP_TITLE  # raw: the UI shows it literally
    big = listed_by_endpoint(hits_endpoint, BIG)
    approved_or_rejected = sum(a["AssignmentStatus"] != "Submitted" for a in big)
    assert (by_id[BIG].completed, by_id[BIG].available) == (approved_or_rejected, 300 - 250)
    assert (by_id[SMALL].pending, by_id[SMALL].available) == (1, 5 - 4)  # one in progress


def test_a_big_hit_is_listed_page_by_page(hits_endpoint: LocalMTurk, clients: ClientCache) -> None:
    pages: list[tuple[int, int]] = []
    listed = list_assignments(
        clients, connection(hits_endpoint), BIG, on_page=lambda p, n: pages.append((p, n))
    )
    assert listed.failure is None and not listed.cancelled
    assert pages == [(1, 100), (2, 200), (3, 250)]
    calls = hits_endpoint.calls_to(LIST_ASSIGNMENTS)
    assert len(calls) == 3
    assert calls[0].params["AssignmentStatuses"] == list(ASSIGNMENT_STATUSES)
    expected = listed_by_endpoint(hits_endpoint, BIG)
    assert len(listed.assignments) == len(expected) == 250
    for found, held in zip(listed.assignments, expected, strict=True):
        check_assignment(found, held)
    assert {a.status for a in listed.assignments} == set(ASSIGNMENT_STATUSES)


def test_the_status_filter_is_the_services(hits_endpoint: LocalMTurk, clients: ClientCache) -> None:
    approved = list_assignments(
        clients, connection(hits_endpoint), BIG, statuses=parse_statuses("approved")
    )
    expected = listed_by_endpoint(hits_endpoint, BIG, ("Approved",))
    assert [a.id for a in approved.assignments] == [a["AssignmentId"] for a in expected]
    assert {a.status for a in approved.assignments} == {"Approved"} and len(expected) > 100
    assert hits_endpoint.calls_to(LIST_ASSIGNMENTS)[0].params["AssignmentStatuses"] == ["Approved"]
    with pytest.raises(ValueError, match="assignment statuses"):
        list_assignments(clients, connection(hits_endpoint), BIG, statuses=["Accepted"])


def test_workers_are_merged_across_hits(hits_endpoint: LocalMTurk, clients: ClientCache) -> None:
    progress: list[ListingProgress] = []
    found = workers_of_hits(
        clients, connection(hits_endpoint), [SMALL, BIG, MARKUP, SMALL], on_page=progress.append
    )
    assert found.complete and found.hit_ids == (SMALL, BIG, MARKUP)
    assert len(hits_endpoint.calls_to(LIST_ASSIGNMENTS)) == 1 + 3 + 1  # SMALL once
    expected = [a for h in (SMALL, BIG, MARKUP) for a in listed_by_endpoint(hits_endpoint, h)]
    assert [a.id for a in found.assignments] == [a["AssignmentId"] for a in expected]
    assert len(found.worker_ids) == len(set(found.worker_ids))
    assert set(found.worker_ids) == {a["WorkerId"] for a in expected}
    assert IN_PROGRESS_WORKER not in found.worker_ids
    by_worker = {w.worker_id: w for w in found.workers}
    assert by_worker[SHARED_WORKER].hit_ids == (SMALL, MARKUP)
    assert by_worker[SHARED_WORKER].statuses == ("Approved", "Submitted")
    twice = hits_endpoint.data.assignments_of(BIG)[7]["WorkerId"]
    assert by_worker[twice].hit_ids == (SMALL, BIG)
    assert by_worker[twice].statuses[0] == "Rejected"
    assert [(p.hit_id, p.hit_number, p.hits, p.pages) for p in progress] == [
        (SMALL, 1, 3, 1),
        (BIG, 2, 3, 1),
        (BIG, 2, 3, 2),
        (BIG, 2, 3, 3),
        (MARKUP, 3, 3, 1),
    ]
    assert [p.total_assignments for p in progress] == [3, 103, 203, 253, 254]


def test_a_hit_that_no_longer_exists_is_explained_and_the_others_go_on(
    hits_endpoint: LocalMTurk, clients: ClientCache
) -> None:
    found = workers_of_hits(clients, connection(hits_endpoint), [MISSING, SMALL])
    assert not found.complete and found.unlisted == ()
    (missing,) = found.failures
    assert missing.hit_id == MISSING and missing.failure.kind == "hit_not_found"
    assert "deletes HITs some months after they end" in missing.failure.explanation
    assert missing.failure.message is not None
    assert missing.failure.message.startswith(f"Hit {MISSING} does not exist. (")
    assert missing.failure.turk_error_code == "AWS.MechanicalTurk.HITDoesNotExist"
    assert set(found.worker_ids) == {
        w["WorkerId"] for w in listed_by_endpoint(hits_endpoint, SMALL)
    }


def test_a_failure_every_hit_would_meet_stops_the_rest(
    hits_endpoint: LocalMTurk, clients: ClientCache
) -> None:
    found = workers_of_hits(clients, connection(hits_endpoint, "wrongsecret"), [SMALL, BIG, MARKUP])
    (first,) = found.failures
    assert first.hit_id == SMALL and first.failure.kind == "bad_keys"
    assert found.unlisted == (BIG, MARKUP) and found.workers == ()
    listed = list_hits(clients, connection(hits_endpoint, "wrongsecret"))
    assert listed.failure is not None and listed.failure.kind == "bad_keys" and listed.hits == ()


def test_cancel_mid_listing_makes_no_more_calls(
    hits_endpoint: LocalMTurk, clients: ClientCache
) -> None:
    cancel = threading.Event()

    def first_page(progress: ListingProgress) -> None:
        cancel.set()

    found = workers_of_hits(
        clients, connection(hits_endpoint), [BIG, SMALL], on_page=first_page, cancel=cancel
    )
    assert found.cancelled and not found.complete
    assert len(found.assignments) == 100  # what was listed before the cancel is kept
    assert len(hits_endpoint.calls_to(LIST_ASSIGNMENTS)) == 1


def test_a_slow_page_is_abandoned_on_cancel(
    hits_endpoint: LocalMTurk, clients: ClientCache
) -> None:
    hits_endpoint.add_fault(Fault("latency", operation=LIST_HITS, delay=5))
    cancel = threading.Event()

    def cancel_once_asked() -> None:
        wait_for(lambda: hits_endpoint.in_flight == 1)
        cancel.set()

    threading.Thread(target=cancel_once_asked, daemon=True).start()
    listed = list_hits(clients, connection(hits_endpoint), cancel=cancel)
    assert listed.cancelled and listed.hits == ()
    assert hits_endpoint.in_flight == 1  # returned while the page was still being answered


def test_a_throttled_page_is_asked_again(
    hits_endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    clients = ClientCache(ClientSettings(max_attempts=1, read_timeout=5, connect_timeout=1))
    hits_endpoint.add_fault(Fault.parse(f"throttle:op={LIST_ASSIGNMENTS},times=2"))
    listed = list_assignments(clients, connection(hits_endpoint), BIG, throttle_pause=0.01)
    assert listed.failure is None and len(listed.assignments) == 250
    assert len(hits_endpoint.calls_to(LIST_ASSIGNMENTS)) == 3 + 2
