"""`qualtui get-qualification-score` side by side with the real AWS CLI (version 1 from PyPI,
set to ISO 8601 timestamps), both in subprocesses against the same local endpoint.

Each side runs all its cases in one process (the AWS CLI takes about a second to start), each
case with its own captured stdout and stderr. Standard output must match byte for byte, and
the first non-empty stderr line too (the millisecond stamp MTurk appends to messages aside).
Exit codes: qualtui answers the AWS CLI version 2's documented codes; version 1's are asserted
separately (255 where version 2 answers 254, and 255 or 2 where it answers 252).
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from qualtui.core import aws_cli_output
from qualtui.endpoint import Dataset, Fault, LocalMTurk, load_demo_data
from tests.conftest import (
    ACCESS_KEY,
    LOCALE_TYPE,
    OTHER_ACCESS_KEY,
    OTHER_SECRET_KEY,
    SECRET_KEY,
    TRANSCRIBE,
    Isolation,
    wait_for,
)
from tests.signals import default_sigint

LARGEST = "A9LARGESTWORKER"
FRACTION = "A8FRACTIONWORKER"
NO_SUBDIVISION = "A7COUNTRYONLYWORKER"
MISSING_TYPE = "3NOSUCHTYPE0000000000000000001"

DRIVER = r"""
import contextlib, io, json, os, sys
side = sys.argv[1]
if side == "aws":
    from awscli.clidriver import create_clidriver
    def run(argv):
        return create_clidriver().main(argv)
else:
    from qualtui.cli import main
    def run(argv):
        return main(argv)
results = []
for case in json.load(sys.stdin):
    saved = dict(os.environ)
    os.environ.update(case["env"])
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = run(case["argv"])
        except SystemExit as stop:
            status = stop.code
    os.environ.clear()
    os.environ.update(saved)
    results.append({"status": status, "out": out.getvalue(), "err": err.getvalue()})
sys.__stdout__.write(json.dumps(results))
"""


@dataclass
class Case:
    name: str
    args: list[str]
    v2_status: int = 0  # what qualtui must answer
    v1_status: int = 0  # what the AWS CLI on PyPI answers
    compare_err: bool = False  # the first stderr line must match too
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    status: int
    out: str
    err: str

    @property
    def first_err_line(self) -> str:
        lines = [line for line in self.err.splitlines() if line.strip()]
        return re.sub(r"\(\d{13}\)", "(STAMP)", lines[0]) if lines else ""


def run_side(side: str, url: str, cases: list[Case]) -> list[Outcome]:
    prefix = ["mturk", "get-qualification-score"] if side == "aws" else ["get-qualification-score"]
    payload = [
        {"argv": [*prefix, "--endpoint-url", url, *case.args], "env": case.env} for case in cases
    ]
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, side],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return [Outcome(**each) for each in json.loads(done.stdout)]


def ids(type_id: str, worker_id: str) -> list[str]:
    return ["--qualification-type-id", type_id, "--worker-id", worker_id]


def answers(output: str) -> list[Case]:
    """Every kind of answer, with and without --query, in one output format."""
    fmt = ["--output", output]
    cases = [
        Case("granted", [*ids(TRANSCRIBE, "A1GRANTEDWORKER"), *fmt]),
        Case("revoked", [*ids(TRANSCRIBE, "A2REVOKEDWORKER"), *fmt]),
        Case("zero score", [*ids(TRANSCRIBE, "A3ZEROSCOREWORKER"), *fmt]),
        Case("largest integer", [*ids(TRANSCRIBE, LARGEST), *fmt]),
        Case("fraction of a second", [*ids(TRANSCRIBE, FRACTION), *fmt]),
        Case("locale", [*ids(LOCALE_TYPE, "A4LOCALEWORKER"), *fmt]),
        Case("country only", [*ids(LOCALE_TYPE, NO_SUBDIVISION), *fmt]),
        Case(
            "not held",
            [*ids(TRANSCRIBE, "A5NOTHELDWORKER"), *fmt],
            v2_status=254,
            v1_status=255,
            compare_err=True,
        ),
        Case(
            "no such type",
            [*ids(MISSING_TYPE, "A1GRANTEDWORKER"), *fmt],
            v2_status=254,
            v1_status=255,
            compare_err=True,
        ),
    ]
    for query in (
        "Qualification.IntegerValue",
        "Qualification.[Status, IntegerValue]",
        "Qualification.{score: IntegerValue, when: GrantTime}",
        "Qualification.LocaleValue",
        "[Qualification]",
    ):
        for worker in ("A1GRANTEDWORKER", "A3ZEROSCOREWORKER", LARGEST):
            cases.append(
                Case(f"query {query} {worker}", [*ids(TRANSCRIBE, worker), *fmt, "--query", query])
            )
        cases.append(
            Case(
                f"query {query} locale",
                [*ids(LOCALE_TYPE, "A4LOCALEWORKER"), *fmt, "--query", query],
            )
        )
    if output == "table":
        for worker_args in (ids(LOCALE_TYPE, "A4LOCALEWORKER"), ids(TRANSCRIBE, "A1GRANTEDWORKER")):
            cases.append(Case("in colour", [*worker_args, *fmt, "--color", "on"]))
    cases.append(
        Case(
            "cli-input-json",
            [
                "--cli-input-json",
                json.dumps({"QualificationTypeId": TRANSCRIBE, "WorkerId": "A2REVOKEDWORKER"}),
                *fmt,
            ],
        )
    )
    cases.append(
        Case(
            "cli-input-json, an option wins",
            [
                "--cli-input-json",
                json.dumps({"QualificationTypeId": TRANSCRIBE, "WorkerId": "A2REVOKEDWORKER"}),
                "--worker-id",
                "A1GRANTEDWORKER",
                *fmt,
            ],
        )
    )
    return cases


@pytest.fixture
def mturk(aws_profiles: Isolation) -> Iterator[LocalMTurk]:
    """The demo data plus the rows the reference page's edge cases need, with the test keys;
    the default profile set to ISO 8601 timestamps as AWS CLI version 2 prints them."""
    aws_profiles.aws_config.write_text(
        "[default]\nregion = us-east-1\ncli_timestamp_format = iso8601\n\n"
        "[profile research]\nregion = us-east-1\ncli_timestamp_format = iso8601\n\n"
        "[profile wrongsecret]\nregion = us-east-1\n"
    )
    data: Dataset = load_demo_data()["production"]
    data.qualifications += [
        {
            "QualificationTypeId": TRANSCRIBE,
            "WorkerId": LARGEST,
            "Status": "Granted",
            "IntegerValue": 2147483647,
            "GrantTime": "2038-01-19T03:14:07Z",
        },
        {
            "QualificationTypeId": TRANSCRIBE,
            "WorkerId": FRACTION,
            "Status": "Granted",
            "IntegerValue": 50,
            "GrantTime": "1999-12-31T23:59:59.500000Z",
        },
        {
            "QualificationTypeId": LOCALE_TYPE,
            "WorkerId": NO_SUBDIVISION,
            "Status": "Granted",
            "LocaleValue": {"Country": "NO"},
            "GrantTime": "2025-05-17T12:00:00Z",
        },
    ]
    keys = {ACCESS_KEY: SECRET_KEY, OTHER_ACCESS_KEY: OTHER_SECRET_KEY}
    with LocalMTurk(data, credentials=keys) as server:
        yield server


def compare(mturk: LocalMTurk, cases: list[Case]) -> None:
    aws = run_side("aws", mturk.url, cases)
    ours = run_side("qualtui", mturk.url, cases)
    for case, theirs, mine in zip(cases, aws, ours, strict=True):
        assert mine.out == theirs.out, case.name
        assert mine.status == case.v2_status, (case.name, mine.err)
        assert theirs.status == case.v1_status, (case.name, theirs.err)
        if case.compare_err:
            assert mine.first_err_line == theirs.first_err_line, case.name
            assert mine.err.startswith("\n"), case.name  # the AWS CLI's empty line first
        if case.v2_status:
            assert "Traceback" not in mine.err, case.name


@pytest.mark.parametrize("output", ["json", "text", "table"])
def test_stdout_matches_the_aws_cli_byte_for_byte(mturk: LocalMTurk, output: str) -> None:
    cases = answers(output)
    compare(mturk, cases)
    held = [c for c in cases if c.v2_status == 0]
    assert len(mturk.calls_to("GetQualificationScore")) == 2 * len(cases)
    assert held and all(c.v1_status == 0 for c in held)


def test_return_codes_and_first_stderr_lines(mturk: LocalMTurk, tmp_path: Path) -> None:
    """253 for configuration, 254 for the service, 255 for anything else: the AWS CLI's line
    first. (252 is qualtui's own: see the test below.)"""
    input_file = tmp_path / "input.json"
    input_file.write_text(
        json.dumps({"QualificationTypeId": TRANSCRIBE, "WorkerId": "A1GRANTEDWORKER"})
    )
    unreachable = {"AWS_MAX_ATTEMPTS": "1"}
    cases = [
        Case("file:// input", ["--cli-input-json", f"file://{input_file}"]),
        Case("another profile", [*ids(TRANSCRIBE, "A3ZEROSCOREWORKER"), "--profile", "research"]),
        Case(
            "unknown profile",
            [*ids(TRANSCRIBE, "A1GRANTEDWORKER"), "--profile", "nosuchprofile"],
            v2_status=253,
            v1_status=255,
            compare_err=True,
        ),
        Case(
            "no credentials",
            [*ids(TRANSCRIBE, "A1GRANTEDWORKER")],
            v2_status=253,
            v1_status=255,
            compare_err=True,
            env={"AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")},
        ),
        Case(
            "wrong secret",
            [*ids(TRANSCRIBE, "A1GRANTEDWORKER"), "--profile", "wrongsecret"],
            v2_status=254,
            v1_status=255,
            compare_err=True,
        ),
    ]
    compare(mturk, cases)
    down = [
        Case(
            "nothing listening",
            [*ids(TRANSCRIBE, "A1GRANTEDWORKER")],
            v2_status=255,
            v1_status=255,
            compare_err=True,
            env=unreachable,
        )
    ]
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    aws, ours = run_side("aws", url, down), run_side("qualtui", url, down)
    assert ours[0].status == 255 and aws[0].status == 255
    assert ours[0].first_err_line == aws[0].first_err_line
    assert "Could not connect to the endpoint URL" in ours[0].first_err_line


def test_invalid_syntax_and_parameters_are_252_before_anything_is_sent(mturk: LocalMTurk) -> None:
    cases = [
        Case("worker ID breaks the pattern", ids(TRANSCRIBE, "a1grantedworker")),
        Case("type ID breaks the pattern", ids("3demo-type", "A1GRANTEDWORKER")),
        Case("unknown option", [*ids(TRANSCRIBE, "A1GRANTEDWORKER"), "--bogus"]),
        Case("missing worker", ["--qualification-type-id", TRANSCRIBE]),
        Case("bad output", [*ids(TRANSCRIBE, "A1GRANTEDWORKER"), "--output", "xml"]),
        Case("bad query", [*ids(TRANSCRIBE, "A1GRANTEDWORKER"), "--query", "[["]),
        Case("bad input JSON", ["--cli-input-json", "{not json"]),
        Case("unknown input key", ["--cli-input-json", '{"QualificationTypeId": "3A", "Nope": 1}']),
        Case("unsigned", [*ids(TRANSCRIBE, "A1GRANTEDWORKER"), "--no-sign-request"]),
    ]
    ours = run_side("qualtui", mturk.url, cases)
    for case, mine in zip(cases, ours, strict=True):
        assert mine.status == 252, (case.name, mine.err)
        assert mine.out == "" and "Traceback" not in mine.err, case.name
        assert mine.err.startswith("qualtui get-qualification-score: error: "), case.name
        assert mine.err.count("\n") == (3 if case.name == "bad query" else 1), case.name
    assert mturk.calls_to("GetQualificationScore") == []
    assert "MTurk answers only requests signed" in ours[-1].err
    assert "Nothing was sent" in ours[0].err
    # version 1 sends a malformed ID and the service refuses it (255); an unknown option is 255,
    # a bad --output choice 2,
    # and it sends an unsigned request that the service refuses (255)
    aws = run_side("aws", mturk.url, [cases[0], cases[2], cases[4], cases[-1]])
    assert [a.status for a in aws] == [255, 255, 2, 255]
    assert "ValidationException" in aws[0].first_err_line


def test_skeletons_and_yaml_input(mturk: LocalMTurk) -> None:
    cases = [
        Case("input skeleton", ["--generate-cli-skeleton"]),
        Case("input skeleton, named", ["--generate-cli-skeleton", "input"]),
        Case(
            "output skeleton",
            [*ids(TRANSCRIBE, "A1GRANTEDWORKER"), "--generate-cli-skeleton", "output"],
        ),
    ]
    compare(mturk, cases)
    assert mturk.calls_to("GetQualificationScore") == []
    skeleton, yaml_out = run_side(
        "qualtui",
        mturk.url,
        [
            Case("yaml skeleton", ["--generate-cli-skeleton", "yaml-input"]),
            Case(
                "yaml input",
                [
                    "--cli-input-yaml",
                    f"QualificationTypeId: '{TRANSCRIBE}' # [REQUIRED]\nWorkerId: A1GRANTEDWORKER\n",
                    "--output",
                    "yaml",
                ],
            ),
        ],
    )
    assert skeleton.out.startswith("QualificationTypeId: '' # [REQUIRED]")
    assert yaml_out.status == 0
    assert yaml_out.out == (
        "Qualification:\n  GrantTime: '2026-10-02T15:42:10+00:00'\n  IntegerValue: 87\n"
        f"  QualificationTypeId: {TRANSCRIBE}\n  Status: Granted\n  WorkerId: A1GRANTEDWORKER\n"
    )


def test_the_profile_can_ask_for_wire_timestamps(
    mturk: LocalMTurk, aws_profiles: Isolation
) -> None:
    aws_profiles.aws_config.write_text(
        "[default]\nregion = us-east-1\ncli_timestamp_format = wire\n"
    )
    [mine] = run_side("qualtui", mturk.url, [Case("wire", [*ids(TRANSCRIBE, FRACTION)])])
    assert json.loads(mine.out)["Qualification"]["GrantTime"] == 946684799.5
    aws_profiles.aws_config.write_text(
        "[default]\nregion = us-east-1\ncli_timestamp_format = none\n"
    )
    [theirs] = run_side("aws", mturk.url, [Case("none", [*ids(TRANSCRIBE, FRACTION)])])
    assert json.loads(theirs.out)["Qualification"]["GrantTime"] == 946684799.5


def test_debug_log_is_on_stderr_and_redacted(mturk: LocalMTurk) -> None:
    [mine] = run_side(
        "qualtui", mturk.url, [Case("debug", [*ids(TRANSCRIBE, "A1GRANTEDWORKER"), "--debug"])]
    )
    assert mine.status == 0 and json.loads(mine.out)["Qualification"]["IntegerValue"] == 87
    assert "botocore" in mine.err and "Signature=REDACTED" in mine.err
    assert ACCESS_KEY not in mine.err and SECRET_KEY not in mine.err
    assert not re.search(r"Signature=[0-9a-f]{16}", mine.err)


def test_ctrl_c_exits_130(aws_profiles: Isolation) -> None:
    slow = Fault.parse("latency:delay=30")
    with LocalMTurk(credentials={ACCESS_KEY: SECRET_KEY}, faults=[slow]) as server:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "qualtui",
                "get-qualification-score",
                "--endpoint-url",
                server.url,
                *ids(TRANSCRIBE, "A1GRANTEDWORKER"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=default_sigint,
        )
        try:
            wait_for(lambda: server.in_flight > 0, timeout=30)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == 130, err
    assert out == "" and "Traceback" not in err


def test_help_says_how_it_differs_from_the_aws_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "qualtui", "get-qualification-score", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert done.returncode == 0
    for words in (
        "How it differs from the AWS CLI",
        "--no-sign-request",
        "252",
        "--cli-input-json",
    ):
        assert words in done.stdout


def test_yaml_is_what_ruamel_writes_for_the_aws_cli() -> None:
    """AWS CLI version 2 writes YAML with ruamel.yaml's safe dumper, block style."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    samples: list[Any] = [
        {
            "Qualification": {
                "GrantTime": "2026-10-02T15:42:10+00:00",
                "IntegerValue": 2147483647,
                "Status": "Granted",
                "WorkerId": "A1",
                "QualificationTypeId": "3X",
            }
        },
        {"Qualification": {"LocaleValue": {"Country": "NO", "Subdivision": "ON"}, "Status": "yes"}},
        [87, "Granted", None, True, 1.5, "", "a: b", "#x", "日本"],
        [{"a": [1, {"b": []}], "c": {}}],
        "Granted",
        0,
        "2026-10-02",
    ]
    for sample in samples:
        for output, data in (("yaml", sample), ("yaml-stream", [sample])):
            import io

            expected = io.StringIO()
            yaml.dump(data, expected)
            assert aws_cli_output.render(sample, output) == expected.getvalue(), sample


def test_timeouts_and_tls_options_reach_the_client_settings(isolated: Isolation) -> None:
    from qualtui import cli
    from qualtui.cli import get_qualification_score

    def settings(*argv: str) -> Any:
        args = cli.build_parser().parse_args(["get-qualification-score", *argv])
        return get_qualification_score.command_config(args).client_settings

    default = settings()
    assert (default.connect_timeout, default.read_timeout, default.verify) == (60, 60, None)
    unlimited = settings("--cli-connect-timeout", "0", "--cli-read-timeout", "5")
    assert (unlimited.connect_timeout, unlimited.read_timeout) == (None, 5)
    assert settings("--no-verify-ssl").verify is False
    assert settings("--ca-bundle", "/etc/corp.pem").verify == "/etc/corp.pem"


def test_plain_http_to_another_host_is_warned_on_stderr(aws_profiles: Isolation) -> None:
    import io

    from qualtui import cli
    from qualtui.cli import get_qualification_score

    args = cli.build_parser().parse_args(
        [
            "get-qualification-score",
            "--endpoint-url",
            "http://mturk.example.invalid",
            *ids(TRANSCRIBE, "A1GRANTEDWORKER"),
            "--max-attempts",
            "1",
        ]
    )
    out, err = io.StringIO(), io.StringIO()
    assert get_qualification_score.run(args, out=out, err=err) == 255
    assert err.getvalue().startswith(
        "qualtui get-qualification-score: warning: Plain http to another host"
    )
    assert "Could not connect to the endpoint URL" in err.getvalue() and out.getvalue() == ""
