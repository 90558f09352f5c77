"""The copied AWS CLI command and boto3 code run as they are and give qualtui's answer."""

from __future__ import annotations

import ast
import io
import os
import shlex
import subprocess
import sys
from pathlib import Path

from qualtui import cli
from qualtui.cli import get_qualification_score
from qualtui.core.connection import PRODUCTION, SANDBOX, SANDBOX_URL, Connection
from qualtui.core.script_export import aws_cli_command, boto3_code
from qualtui.endpoint import LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation

HELD = ["A1GRANTEDWORKER", "A3ZEROSCOREWORKER", "A2REVOKEDWORKER"]


def qualtui_answer(endpoint: LocalMTurk, worker: str, *argv: str) -> str:
    args = cli.build_parser().parse_args(
        [
            "get-qualification-score",
            "--endpoint-url",
            endpoint.url,
            "--profile",
            "research",
            "--qualification-type-id",
            TRANSCRIBE,
            "--worker-id",
            worker,
            *argv,
        ]
    )
    out = io.StringIO()
    assert get_qualification_score.run(args, out=out, err=io.StringIO()) == 0
    return out.getvalue()


def iso_profiles(aws_profiles: Isolation) -> None:
    config = aws_profiles.aws_config.read_text()
    aws_profiles.aws_config.write_text(
        config.replace(
            "[profile research]\nregion = us-east-1\n",
            "[profile research]\nregion = us-east-1\ncli_timestamp_format = iso8601\n",
        )
    )


def run_shell(command: str) -> subprocess.CompletedProcess[str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"  # the venv's `aws`
    return subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PATH": path},
    )


def test_the_aws_cli_command_and_its_loop_give_qualtuis_answer(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    iso_profiles(aws_profiles)
    connection = Connection("research", PRODUCTION, endpoint.url)
    one = run_shell(aws_cli_command(connection, TRANSCRIBE, "A1GRANTEDWORKER"))
    assert one.returncode == 0, one.stderr
    assert one.stdout == qualtui_answer(endpoint, "A1GRANTEDWORKER")
    loop = run_shell(aws_cli_command(connection, TRANSCRIBE, HELD))
    assert loop.returncode == 0, loop.stderr
    assert loop.stdout == "".join(qualtui_answer(endpoint, w) for w in HELD)


def test_the_boto3_code_and_its_loop_give_qualtuis_answer(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    connection = Connection("research", PRODUCTION, endpoint.url)
    for workers in (["A1GRANTEDWORKER"], [*HELD, "A5NOTHELDWORKER"]):
        code = boto3_code(connection, TRANSCRIBE, workers if len(workers) > 1 else workers[0])
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        expected = "".join(
            qualtui_answer(endpoint, w, "--query", "Qualification") for w in workers if w in HELD
        )
        if "A5NOTHELDWORKER" in workers:
            assert done.stdout.startswith(expected)
            assert done.stdout[len(expected) :].startswith(
                "A5NOTHELDWORKER You requested a Qualification that does not exist."
            )
        else:
            assert done.stdout == expected


def test_ids_profile_and_endpoint_are_quoted_never_code() -> None:
    hostile = "A1$(touch pwned)'; rm -rf ~ #"
    connection = Connection("my profile", PRODUCTION, None)
    command = aws_cli_command(connection, "3TYPE", hostile)
    assert shlex.split(command)[-2:] == ["--worker-id", hostile]
    assert "--endpoint-url" not in command and "'my profile'" in command
    module = ast.parse(boto3_code(connection, "3TYPE", [hostile, "A2"]))
    literals = [n.value for n in ast.walk(module) if isinstance(n, ast.Constant)]
    assert hostile in literals and "my profile" in literals
    sandbox = Connection(None, SANDBOX, SANDBOX_URL)
    assert f"--endpoint-url {SANDBOX_URL}" in aws_cli_command(sandbox, "3TYPE", "A1")
    assert "--profile" not in aws_cli_command(sandbox, "3TYPE", "A1")
    assert f"endpoint_url={SANDBOX_URL!r}" in boto3_code(sandbox, "3TYPE", "A1")
