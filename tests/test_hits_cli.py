"""`qualtui hits`, `qualtui hit-workers` and `qualtui lookup --hit` (issue #19), in-process
against the local endpoint; the JSON checked field by field against what the endpoint
returned to a plain boto3 client."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import datetime
from typing import Any

import pytest

from qualtui import cli
from qualtui.cli import hit_workers as cli_hit_workers
from qualtui.cli import hits as cli_hits
from qualtui.cli import lookup as cli_lookup
from qualtui.endpoint import LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation
from tests.test_endpoint import client

PILOT = "3DEMOHITPILOT00000000000000001"
SURVEY = "3DEMOHITSURVEY0000000000000001"
GONE = "3DEMOHITGONE00000000000000001"


def run(endpoint: LocalMTurk, command: str, *argv: str) -> tuple[int, str, str]:
    args = cli.build_parser().parse_args(
        [command, *argv, "--endpoint-url", endpoint.url, "--profile", "default"]
    )
    config = cli.config_from_args(args)
    out, err = io.StringIO(), io.StringIO()
    if command == "hits":
        status = cli_hits.hits(args, config, out=out, err=err)
    elif command == "hit-workers":
        status = cli_hit_workers.hit_workers(args, config, out=out, err=err)
    else:
        status = cli_lookup.lookup(args, config, out=out, err=err, stdin=io.StringIO())
    return status, out.getvalue(), err.getvalue()


def iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None


def wire_hits(endpoint: LocalMTurk) -> list[dict[str, Any]]:
    pages = client(endpoint).get_paginator("list_hits").paginate()
    return [h for page in pages for h in page["HITs"]]


def wire_assignments(endpoint: LocalMTurk, hit_id: str, **kwargs: Any) -> list[dict[str, Any]]:
    pages = client(endpoint).get_paginator("list_assignments_for_hit")
    return [a for page in pages.paginate(HITId=hit_id, **kwargs) for a in page["Assignments"]]


HIT_FIELDS = (
    "HITId",
    "HITTypeId",
    "Title",
    "RequesterAnnotation",
    "HITStatus",
    "HITReviewStatus",
    "MaxAssignments",
    "NumberOfAssignmentsCompleted",
    "NumberOfAssignmentsPending",
    "NumberOfAssignmentsAvailable",
)


def test_hits_json_is_every_hit_newest_first_field_by_field(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    status, out, err = run(endpoint, "hits", "--output", "json")
    assert status == 0 and err == ""
    printed = [json.loads(line) for line in out.splitlines()]
    expected = sorted(wire_hits(endpoint), key=lambda h: h["CreationTime"], reverse=True)
    assert [p["HITId"] for p in printed] == [h["HITId"] for h in expected]
    assert len(printed) == 4
    for got, hit in zip(printed, expected, strict=True):
        for field in HIT_FIELDS:
            assert got[field] == hit.get(field, "" if isinstance(got[field], str) else 0), field
        assert got["CreationTime"] == iso(hit["CreationTime"])
        assert got["Expiration"] == iso(hit.get("Expiration"))
    pilot = next(p for p in printed if p["HITId"] == PILOT)
    assert pilot["Title"] == "[bold]Pilot[/bold] audio transcription, 5 clips"


def test_hits_search_and_query(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    status, out, _ = run(endpoint, "hits", "--search", "EXCLUDE pilot", "--output", "json")
    assert status == 0 and [json.loads(line)["HITId"] for line in out.splitlines()] == [SURVEY]
    status, out, _ = run(endpoint, "hits", "--query", "HITId", "--output", "text")
    assert status == 0 and out.splitlines()[2] == PILOT
    status, _, err = run(endpoint, "hits", "--query", "HITId")  # a table has no JMESPath
    assert status == 2 and "--query applies to --output json" in err
    status, out, _ = run(endpoint, "hits")
    header, *lines = out.splitlines()
    assert header.split() == ["HITId", "Status", "Created", "Done", "Pending", "Avail", "Title"]
    assert lines[2].split()[:2] == [PILOT, "Reviewable"]


def test_hit_workers_json_pages_through_133_assignments_field_by_field(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    status, out, err = run(endpoint, "hit-workers", PILOT, "--output", "json")
    assert status == 0 and err == ""
    printed = [json.loads(line) for line in out.splitlines()]
    expected = wire_assignments(endpoint, PILOT)
    assert len(printed) == len(expected) == 133
    assert len(endpoint.calls_to("ListAssignmentsForHIT")) == 2 + 2  # ours, then boto3's
    for got, wire in zip(printed, expected, strict=True):
        for field in ("WorkerId", "AssignmentStatus", "HITId", "AssignmentId"):
            assert got[field] == wire[field]
        for field in ("SubmitTime", "AcceptTime", "ApprovalTime", "RejectionTime"):
            assert got.get(field) == iso(wire.get(field)), field
    assert set(Counter(p["AssignmentStatus"] for p in printed)) == {
        "Submitted",
        "Approved",
        "Rejected",
    }


def test_hit_workers_status_filter_and_table(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    status, out, _ = run(endpoint, "hit-workers", PILOT, "--status", "approved,REJECTED")
    header, *lines = out.splitlines()
    assert status == 0
    assert header.split()[:4] == ["WorkerId", "AssignmentStatus", "HITId", "SubmitTime"]
    wire = wire_assignments(endpoint, PILOT, AssignmentStatuses=["Approved", "Rejected"])
    assert [line.split()[:3] for line in lines] == [
        [a["WorkerId"], a["AssignmentStatus"], PILOT] for a in wire
    ]
    status, _, err = run(endpoint, "hit-workers", PILOT, "--status", "Accepted")
    assert status == 2 and "unknown assignment status 'Accepted'" in err


def test_an_unknown_hit_is_one_line_on_stderr_and_the_others_are_listed(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    status, out, err = run(endpoint, "hit-workers", GONE, SURVEY, "--output", "json")
    assert status == 1
    assert len(err.splitlines()) == 1
    assert err.startswith(f"qualtui hit-workers: error: HIT {GONE}: HIT not found.")
    assert "MTurk deletes HITs some months after they end" in err
    assert {json.loads(line)["HITId"] for line in out.splitlines()} == {SURVEY}
    status, out, err = run(endpoint, "hit-workers", "not-a-hit")
    assert status == 2 and out == "" and "Traceback" not in err


def test_lookup_with_hits_and_workers_looks_each_up_once(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    status, out, err = run(
        endpoint,
        "lookup",
        TRANSCRIBE,
        "A1GRANTEDWORKER",
        "--hit",
        SURVEY,
        "--hit",
        PILOT,
        "--json",
        "--no-history",
    )
    workers = {a["WorkerId"] for h in (SURVEY, PILOT) for a in wire_assignments(endpoint, h)}
    looked_up = Counter(c.params["WorkerId"] for c in endpoint.calls_to("GetQualificationScore"))
    assert looked_up == Counter(workers)  # A1 given, and in both HITs: once
    printed = [json.loads(line) for line in out.splitlines()]
    assert len(printed) == len(workers) and status == 3  # some do not hold it
    assert "looked up once" in err


def test_lookup_with_an_unknown_hit_exits_1_without_a_traceback(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    status, out, err = run(endpoint, "lookup", TRANSCRIBE, "--hit", GONE, "--no-history")
    assert status == 1 and out == ""
    assert f"HIT {GONE}: HIT not found." in err and "Traceback" not in err
    status, _, err = run(endpoint, "lookup", TRANSCRIBE, "A1GRANTEDWORKER", "--hit", GONE)
    assert status == 1 and "HIT not found" in err


@pytest.mark.parametrize("command", ["hits", "hit-workers"])
def test_help_says_query_is_jmespath(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "JMESPath" in text
    if command == "hits":
        assert "--search TEXT" in text


@pytest.mark.parametrize("command", [["hits"], ["hit-workers", GONE]])
def test_a_failure_through_main_is_one_line_and_exit_1(
    command: list[str],
    endpoint: LocalMTurk,
    aws_profiles: Isolation,
    capsys: pytest.CaptureFixture[str],
) -> None:
    profile = "wrongsecret" if command == ["hits"] else "default"
    status = cli.main([*command, "--endpoint-url", endpoint.url, "--profile", profile])
    captured = capsys.readouterr()
    assert status == 1 and len(captured.out.splitlines()) <= 1  # at most the table's header
    assert len(captured.err.splitlines()) == 1 and "Traceback" not in captured.err
    assert captured.err.startswith(f"qualtui {command[0]}: error: ")
