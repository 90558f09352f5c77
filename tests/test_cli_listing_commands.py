"""What every listing command (`worker`, `types`, `holders`, `hits`, `hit-workers`) shares
since they start the same way (`cli.listing_output.begin`): the plain-http warning, --query
only with the AWS CLI's shapes, --json as --output json, and bad IDs refused before
anything is sent."""

from __future__ import annotations

import json

import pytest

from qualtui import cli
from qualtui.endpoint import LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation

COMMANDS = {
    "worker": ["worker", "A1GRANTEDWORKER"],
    "types": ["types"],
    "holders": ["holders", TRANSCRIBE],
    "hits": ["hits"],
    "hit-workers": ["hit-workers", "3DEMOHITSURVEY0000000000000001"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_plain_http_to_another_host_is_warned_about(
    command: str, aws_profiles: Isolation, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--endpoint-url", "http://mturk.example.invalid", "--max-attempts", "1"]
    status = cli.main([*COMMANDS[command], *where, "--profile", "default"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith(f"qualtui {command}: warning: Plain http to another host")
    assert "Traceback" not in err


@pytest.mark.parametrize("command", list(COMMANDS))
def test_json_alias_and_query_misuse(
    command: str,
    endpoint: LocalMTurk,
    aws_profiles: Isolation,
    capsys: pytest.CaptureFixture[str],
) -> None:
    where = ["--endpoint-url", endpoint.url, "--profile", "default"]
    assert cli.main([*COMMANDS[command], *where, "--query", "x"]) == 2  # --output table
    err = capsys.readouterr().err
    assert err == f"qualtui {command}: error: --query applies to --output json, text or yaml\n"
    assert cli.main([*COMMANDS[command], *where, "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(isinstance(json.loads(line), dict) for line in lines)


@pytest.mark.parametrize(("command", "bad"), [("worker", "B1"), ("holders", "x y")])
def test_a_bad_id_is_refused_before_anything_is_sent(
    command: str,
    bad: str,
    endpoint: LocalMTurk,
    aws_profiles: Isolation,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = cli.main([command, bad, "--endpoint-url", endpoint.url, "--profile", "default"])
    assert status == 2 and capsys.readouterr().err.startswith(f"qualtui {command}: error: ")
    assert endpoint.calls == []
