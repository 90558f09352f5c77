"""`qualtui lookup`: output shapes, exit codes, stdin, history; against the local endpoint."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from qualtui import cli
from qualtui.cli import lookup as cli_lookup
from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation

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
    history = json.loads((aws_profiles.data_dir / "history.json").read_text())
    assert sorted(e["worker_id"] for e in history["entries"]) == [
        "A1GRANTEDWORKER",
        "A2REVOKEDWORKER",
    ]
    run(endpoint, TRANSCRIBE, "A3ZEROSCOREWORKER", "--no-history")
    history = json.loads((aws_profiles.data_dir / "history.json").read_text())
    assert len(history["entries"]) == 2


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
