"""`qualtui lookup`: output shapes, exit codes, stdin, history; against the local endpoint."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest

from qualtui import cli
from qualtui.cli import get_qualification_score
from qualtui.cli import lookup as cli_lookup
from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import ACCESS_KEY, SECRET_KEY, TRANSCRIBE, Isolation
from tests.historyhelpers import saved_entries

SCORE = "GetQualificationScore"


def run(endpoint: LocalMTurk, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    """`qualtui lookup ...` in-process, against `endpoint`, as profile default."""
    args = cli.build_parser().parse_args(
        ["lookup", *argv, "--endpoint-url", endpoint.url, "--profile", "default"]
    )
    config = cli.config_from_args(args)
    out, err = io.StringIO(), io.StringIO()
    status = cli_lookup.lookup(args, config, out=out, err=err, stdin=io.StringIO(stdin))
    return status, out.getvalue(), err.getvalue()


def test_the_table_and_exit_0_when_all_hold_it(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    status, out, _ = run(endpoint, TRANSCRIBE, "A1GRANTEDWORKER", "a3zeroscoreworker")
    lines = out.splitlines()
    assert status == 0
    assert lines[0].split() == ["Worker", "Status", "Score", "Locale", "Granted", "Error"]
    assert lines[1].split()[:3] == ["A1GRANTEDWORKER", "Granted", "87"]
    assert lines[2].split()[:3] == ["A3ZEROSCOREWORKER", "Granted", "0"]


def test_json_lines_in_the_aws_cli_shape_and_exit_3_when_some_do_not_hold_it(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    status, out, _ = run(endpoint, TRANSCRIBE, "A1GRANTEDWORKER", "A5NOTHELDWORKER", "--json")
    held, missing = (json.loads(line) for line in out.splitlines())
    assert status == 3
    assert held == {
        "Qualification": {
            "QualificationTypeId": TRANSCRIBE,
            "WorkerId": "A1GRANTEDWORKER",
            "GrantTime": "2026-10-02T15:42:10+00:00",
            "IntegerValue": 87,
            "Status": "Granted",
        }
    }
    assert missing["WorkerId"] == "A5NOTHELDWORKER"
    assert missing["Error"]["Code"] == "RequestError"
    assert missing["Error"]["TurkErrorCode"] == "AWS.MechanicalTurk.QualificationDoesNotExist"
    assert missing["Error"]["Message"].startswith("You requested a Qualification")


def test_exit_1_on_any_other_failure(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    endpoint.add_fault(Fault("service_fault", worker_id="A3ZEROSCOREWORKER"))
    status, out, _ = run(endpoint, TRANSCRIBE, "A5NOTHELDWORKER", "A3ZEROSCOREWORKER", "--json")
    assert status == 1
    assert json.loads(out.splitlines()[1])["Error"]["Code"] == "ServiceFault"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["3bad-type", "A1GRANTEDWORKER"], "'3bad-type'"),
        ([TRANSCRIBE, "A1GRANTEDWORKER", "X2"], "invalid worker IDs, nothing was sent"),
        ([TRANSCRIBE], "no worker IDs"),
        ([TRANSCRIBE, "--workers-file", "/no/such/file"], "does not exist"),
    ],
)
def test_exit_2_before_anything_is_sent(
    endpoint: LocalMTurk, aws_profiles: Isolation, argv: list[str], message: str
) -> None:
    status, out, err = run(endpoint, *argv)
    assert status == 2 and out == "" and message in err
    assert endpoint.calls == []


def test_workers_from_stdin_and_files_once_each_and_into_history(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    csv_text = "WorkerId,Name\nA1GRANTEDWORKER,a\nA2REVOKEDWORKER,b\nA1GRANTEDWORKER,c\n"
    status, out, err = run(
        endpoint, TRANSCRIBE, "A2REVOKEDWORKER", "--workers-file", "-", "--json", stdin=csv_text
    )
    assert status == 0
    assert [json.loads(line)["Qualification"]["WorkerId"] for line in out.splitlines()] == [
        "A2REVOKEDWORKER",
        "A1GRANTEDWORKER",
    ]
    assert "2 duplicate IDs looked up once" in err
    assert len(endpoint.calls_to(SCORE)) == 2
    history = saved_entries(aws_profiles.data_dir / "history.json")
    assert sorted(e["worker_id"] for e in history) == [
        "A1GRANTEDWORKER",
        "A2REVOKEDWORKER",
    ]
    run(endpoint, TRANSCRIBE, "A3ZEROSCOREWORKER", "--no-history")
    assert len(saved_entries(aws_profiles.data_dir / "history.json")) == 2


def test_the_installed_command_in_demo_mode(isolated: Isolation) -> None:
    """The whole thing as a user runs it: a process, demo endpoint, JSON out, exit status."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "qualtui",
            "lookup",
            TRANSCRIBE,
            "A2REVOKEDWORKER",
            "--demo",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Qualification"]["Status"] == "Revoked"


def gqs(endpoint: LocalMTurk, worker: str, *argv: str) -> str:
    """`qualtui get-qualification-score` in-process: its standard output."""
    out, err = io.StringIO(), io.StringIO()
    args = cli.build_parser().parse_args(
        [
            "get-qualification-score",
            "--endpoint-url",
            endpoint.url,
            "--profile",
            "default",
            "--qualification-type-id",
            TRANSCRIBE,
            "--worker-id",
            worker,
            *argv,
        ]
    )
    assert get_qualification_score.run(args, out=out, err=err) == 0, err.getvalue()
    return out.getvalue()


def test_query_and_text_print_one_score_a_line_in_input_order(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    endpoint.add_fault(Fault.parse("latency:delay=0.3,worker=A1GRANTEDWORKER"))
    workers = ["A1GRANTEDWORKER", "A5NOTHELDWORKER", "A3ZEROSCOREWORKER", "A2REVOKEDWORKER"]
    status, out, _ = run(
        endpoint, TRANSCRIBE, *workers, "--query", "Qualification.IntegerValue", "--output", "text"
    )
    assert status == 3
    assert out.splitlines() == ["87", "None", "0", "12"]


@pytest.mark.parametrize(
    ("output", "query", "same_as"),
    [
        ("text", None, "text"),
        ("yaml", None, "yaml-stream"),
        ("text", "Qualification.[Status, IntegerValue]", "text"),
        ("yaml", "Qualification.{score: IntegerValue, when: GrantTime}", "yaml-stream"),
    ],
)
def test_each_record_is_what_get_qualification_score_prints(
    endpoint: LocalMTurk, aws_profiles: Isolation, output: str, query: str | None, same_as: str
) -> None:
    workers = ["A1GRANTEDWORKER", "A3ZEROSCOREWORKER"]
    extra = ["--query", query] if query else []
    status, out, _ = run(endpoint, TRANSCRIBE, *workers, "--output", output, *extra)
    assert status == 0
    assert out == "".join(gqs(endpoint, w, "--output", same_as, *extra) for w in workers)


def test_json_alias_csv_and_query_misuse(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    workers = [TRANSCRIBE, "A1GRANTEDWORKER", "A5NOTHELDWORKER"]
    alias, long = (
        run(endpoint, *workers, "--json")[1],
        run(endpoint, *workers, "--output", "json")[1],
    )
    assert re.sub(r"\(\d{13}\)", "", alias) == re.sub(r"\(\d{13}\)", "", long)
    status, out, _ = run(endpoint, *workers, "--output", "csv")
    assert status == 3
    assert out.splitlines() == [
        "Worker,Status,Score,Locale,Granted,Error",
        "A1GRANTEDWORKER,Granted,87,,2026-10-02 15:42 UTC,",
        "A5NOTHELDWORKER,not held,,,,",
    ]
    calls = len(endpoint.calls)
    for bad in (["--query", "x"], ["--query", "[[", "--output", "json"]):
        status, out, err = run(endpoint, *workers, *bad)
        assert status == 2 and out == "" and err.startswith("qualtui lookup: error: ")
    assert len(endpoint.calls) == calls


def test_debug_log_on_stderr_redacted(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "qualtui",
            "lookup",
            TRANSCRIBE,
            "A1GRANTEDWORKER",
            "--debug",
            "--endpoint-url",
            endpoint.url,
            "--output",
            "json",
            "--no-history",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Qualification"]["IntegerValue"] == 87
    assert "botocore" in done.stderr and "Signature=REDACTED" in done.stderr
    assert ACCESS_KEY not in done.stderr and SECRET_KEY not in done.stderr
