"""`qualtui worker`, `qualtui types` and `qualtui holders` against the local endpoint: the
JSON checked field by field against what the endpoint answers (asked again with boto3),
paging, exit statuses, and the command as a user runs it."""

from __future__ import annotations

import io
import json
import math
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from qualtui import cli
from qualtui.cli import holders as cli_holders
from qualtui.cli import types as cli_types
from qualtui.cli import worker as cli_worker
from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import ACCESS_KEY, SECRET_KEY, TRANSCRIBE, Isolation

WORKER = "A1GRANTEDWORKER"
LIST_TYPES = "ListQualificationTypes"
SCORE = "GetQualificationScore"
LIST_HOLDERS = "ListWorkersWithQualificationType"
IMAGE_TAG = "3DEMOIMAGETAG00000000000000001"
STAMP = re.compile(r" \(\d+\)$")  # the service's stamp: different for every call

Command = Callable[..., int]


def run(endpoint: LocalMTurk, command: Command, *argv: str) -> tuple[int, str, str]:
    """`qualtui ARGV` in-process, against `endpoint`, as profile default."""
    args = cli.build_parser().parse_args(
        [*argv, "--endpoint-url", endpoint.url, "--profile", "default"]
    )
    config = cli.config_from_args(args)
    out, err = io.StringIO(), io.StringIO()
    status = command(args, config, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def mturk(endpoint: LocalMTurk) -> Any:
    return boto3.client(
        "mturk",
        region_name="us-east-1",
        endpoint_url=endpoint.url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


def owned_types(client: Any) -> list[dict[str, Any]]:
    found, token = [], None
    while True:
        kwargs: dict[str, Any] = {"MustBeRequestable": False, "MustBeOwnedByCaller": True}
        if token:
            kwargs["NextToken"] = token
        page = client.list_qualification_types(MaxResults=100, **kwargs)
        found += page["QualificationTypes"]
        token = page.get("NextToken")
        if not token:
            return found


def iso(value: Any) -> str:
    return str(value.isoformat())


def test_worker_json_field_by_field(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    status, out, err = run(endpoint, cli_worker.worker, "worker", WORKER, "--output", "json")
    assert status == 0, err
    assert "holds 6 of 134 types, 1 revoked" in err
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(endpoint.calls_to(LIST_TYPES)) == 2  # more than 100 types: two pages
    assert len(endpoint.calls_to(SCORE)) == 134
    client = mturk(endpoint)
    types = sorted(owned_types(client), key=lambda t: (t["Name"].lower(), t["QualificationTypeId"]))
    assert len(lines) == len(types) == 134
    kinds = set()
    for line, qtype in zip(lines, types, strict=True):
        type_id = qtype["QualificationTypeId"]
        assert line["QualificationTypeName"] == qtype["Name"]  # sorted by name, raw text
        try:
            answer = client.get_qualification_score(QualificationTypeId=type_id, WorkerId=WORKER)
        except ClientError as error:
            e = error.response["Error"]
            assert set(line) == {
                "QualificationTypeId",
                "WorkerId",
                "Error",
                "QualificationTypeName",
            }
            assert line["QualificationTypeId"] == type_id and line["WorkerId"] == WORKER
            assert line["Error"]["Code"] == e["Code"]
            turk_code = error.response.get("TurkErrorCode")
            assert line["Error"]["TurkErrorCode"] == turk_code
            assert STAMP.sub("", line["Error"]["Message"]) == STAMP.sub("", e["Message"])
            kinds.add("not held")
            continue
        q = answer["Qualification"]
        expected: dict[str, Any] = {"QualificationTypeId": type_id, "WorkerId": WORKER}
        for key in ("IntegerValue", "LocaleValue"):
            if key in q:
                expected[key] = q[key]
        expected["GrantTime"] = iso(q["GrantTime"])
        expected["Status"] = q["Status"]
        assert line["Qualification"] == expected
        assert list(line["Qualification"]) == list(expected)  # the AWS CLI's key order
        kinds.add(q["Status"] + (" locale" if "LocaleValue" in q else ""))
    assert kinds == {"Granted", "Granted locale", "Revoked", "not held"}
    careful = next(line for line in lines if "Careful" in line["QualificationTypeName"])
    assert careful["QualificationTypeName"] == "[red]Careful[/red] raters"


def test_worker_held_only_query_table_and_csv(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    status, out, _ = run(
        endpoint,
        cli_worker.worker,
        "worker",
        WORKER,
        "--held-only",
        "--output",
        "text",
        "--query",
        "Qualification.IntegerValue",
    )
    assert status == 0
    assert out.split() == ["92", "87", "None", "1", "0", "1"]  # by name; the locale one: None
    status, out, _ = run(endpoint, cli_worker.worker, "worker", WORKER.lower())
    lines = out.splitlines()
    assert status == 0 and lines[0].split()[:3] == ["Type", "Type", "ID"]
    assert [line.split("  ")[0] for line in lines[1:2]] == ["[red]Careful[/red] raters"]
    assert len(lines) == 135 and "Revoked" in lines[7] and "not held" in lines[8]
    status, out, _ = run(endpoint, cli_worker.worker, "worker", WORKER, "--output", "csv")
    assert status == 0 and out.splitlines()[0] == "Type,Type ID,Status,Score,Locale,Granted,Error"


def test_worker_exit_statuses(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    status, out, err = run(endpoint, cli_worker.worker, "worker", "B1NOTAWORKER")
    assert (status, out) == (2, "") and "start with 'A'" in err
    status, _, err = run(endpoint, cli_worker.worker, "worker", WORKER, "--query", "x")
    assert status == 2 and "--query applies to" in err
    assert not endpoint.calls  # nothing was sent
    status, out, err = run(endpoint, cli_worker.worker, "worker", "A5NOTHELDWORKER")
    assert status == 0 and "holds 0 of 134" in err  # holds nothing: still a success
    endpoint.add_fault(Fault("error", operation=LIST_TYPES, code="AccessDeniedException"))
    fresh_status, out, err = run(endpoint, cli_worker.worker, "worker", WORKER)
    assert (fresh_status, out) == (1, "")
    assert "could not list your qualification types" in err and "fix:" in err


def test_types_every_page_field_by_field(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    status, out, _ = run(endpoint, cli_types.types, "types", "--output", "json")
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(endpoint.calls_to(LIST_TYPES)) == 2
    wire = {t["QualificationTypeId"]: t for t in owned_types(mturk(endpoint))}
    assert len(lines) == len(wire) == 134
    for line in lines:
        t = wire[line["QualificationTypeId"]]
        assert line["Name"] == t["Name"]
        assert line["Description"] == t["Description"]
        assert line["QualificationTypeStatus"] == t["QualificationTypeStatus"]
        assert line["IsRequestable"] == t["IsRequestable"]
        assert line["AutoGranted"] == t["AutoGranted"]
        assert line["CreationTime"] == iso(t["CreationTime"])
    status, out, _ = run(endpoint, cli_types.types, "types", "--requestable", "--output", "json")
    requestable = [json.loads(line)["QualificationTypeId"] for line in out.splitlines()]
    assert sorted(requestable) == sorted(i for i, t in wire.items() if t["IsRequestable"])
    status, out, _ = run(endpoint, cli_types.types, "types", "--search", "careful RATERS")
    lines = out.splitlines()
    assert status == 0 and len(lines) == 2 and "[red]Careful[/red] raters" in lines[1]


@pytest.mark.parametrize("status_name", ["Granted", "Revoked"])
def test_holders_streamed_page_by_page(
    endpoint: LocalMTurk, aws_profiles: Isolation, status_name: str
) -> None:
    status, out, _ = run(
        endpoint,
        cli_holders.holders,
        "holders",
        IMAGE_TAG,
        "--status",
        status_name,
        "--output",
        "json",
    )
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines()]
    client = mturk(endpoint)
    expected, token = [], None
    while True:
        kwargs: dict[str, Any] = {"NextToken": token} if token else {}
        page = client.list_workers_with_qualification_type(
            QualificationTypeId=IMAGE_TAG, Status=status_name, MaxResults=100, **kwargs
        )
        expected += page["Qualifications"]
        token = page.get("NextToken")
        if not token:
            break
    assert len(lines) == len(expected) > 0
    assert len(endpoint.calls_to(LIST_HOLDERS)) == 2 * max(1, math.ceil(len(expected) / 100))
    for line, q in zip(lines, expected, strict=True):
        wanted = {k: v for k, v in q.items() if k != "GrantTime"}
        wanted["GrantTime"] = iso(q["GrantTime"])
        assert {k: v for k, v in line.items()} == wanted
        assert line["Status"] == status_name


def test_holders_bad_type_and_failure(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    status, out, err = run(endpoint, cli_holders.holders, "holders", "3BAD-TYPE")
    assert (status, out) == (2, "") and "position" in err
    status, out, err = run(endpoint, cli_holders.holders, "holders", "3NOSUCHTYPE")
    assert status == 1 and out.splitlines() == [
        "Worker                Status    Score       Locale  Granted"
    ]
    assert "error:" in err


def test_the_worker_command_as_a_user_runs_it(isolated: Isolation) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qualtui", "worker", WORKER, "--demo", "--output", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 134
    assert sum("Qualification" in line for line in lines) == 7  # 6 granted, 1 revoked


def test_types_and_holders_take_a_jmespath_query(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    status, out, _ = run(
        endpoint,
        cli_types.types,
        "types",
        "--search",
        "careful",
        "--output",
        "text",
        "--query",
        "QualificationTypeId",
    )
    assert status == 0 and out.split() == ["3DEMOCAREFUL000000000000000001"]
    status, out, _ = run(
        endpoint,
        cli_holders.holders,
        "holders",
        TRANSCRIBE,
        "--output",
        "text",
        "--query",
        "WorkerId",
    )
    assert status == 0 and "A1GRANTEDWORKER" in out.split()
    status, _, err = run(endpoint, cli_types.types, "types", "--query", "x")
    assert status == 2 and "--query applies to --output json, text or yaml" in err
