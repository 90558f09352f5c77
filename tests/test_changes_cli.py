"""The write commands (issue #17): set, grant, revoke, apply, requests, accept, reject,
undo; read-only mode, no write without --yes off a terminal, the confirmation's contents,
exit statuses, JSON lines. In-process against the endpoint fixture, and one run in a
subprocess against a demo-server."""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from qualtui import cli
from qualtui.cli import apply as apply_cli
from qualtui.cli import change as change_cli
from qualtui.cli import requests as requests_cli
from qualtui.cli.config import load_config
from qualtui.cli.writing import Terminal
from qualtui.core import settings
from qualtui.core.history import HistoryStore
from qualtui.endpoint import LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation, demo_server_process

WAVE_TWO = "3DEMOWAVETWO000000000000000001"
FOREIGN = "3DEMOOTHERREQUESTER00000000001"


def writes(endpoint: LocalMTurk) -> list[str]:
    return [c.operation for c in endpoint.calls if not c.operation.startswith(("Get", "List"))]


def run(
    endpoint: LocalMTurk,
    *argv: str,
    answer: str | None = None,
    sandbox: bool = False,
) -> tuple[int, str, str]:
    """A command in-process; with `answer`, on a (simulated) terminal that types it."""
    where = ["--endpoint-url", endpoint.url, "--profile", "default"]
    if sandbox:
        where.append("--sandbox")
    args = cli.build_parser().parse_args([*argv, *where])
    config = load_config(args)
    out, err = io.StringIO(), io.StringIO()
    term = Terminal(out, err, io.StringIO(answer or ""), interactive=answer is not None)
    module = {"apply": apply_cli, "requests": requests_cli, "accept": requests_cli}.get(
        args.command, requests_cli if args.command == "reject" else change_cli
    )
    code = module.run(args, config, term)
    return code, out.getvalue(), err.getvalue()


def history(isolated: Isolation) -> HistoryStore:
    store = HistoryStore(isolated.data_dir / "history.json")
    store.load()
    return store


def test_off_a_terminal_a_write_needs_yes_and_sends_nothing(
    endpoint: LocalMTurk, aws_profiles: Isolation, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["set", TRANSCRIBE, "A1GRANTEDWORKER", "90", "--endpoint-url", endpoint.url])
    assert code == 2
    assert "add --yes" in capsys.readouterr().err
    assert endpoint.calls == []  # not even a read


def test_read_only_refuses_every_write_with_exit_2(
    endpoint: LocalMTurk, aws_profiles: Isolation, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["--read-only", "grant", TRANSCRIBE, "A5NOTHELDWORKER", "--yes"],
        ["revoke", TRANSCRIBE, "A1GRANTEDWORKER", "--yes", "--read-only"],
        ["--read-only", "accept", "3DEMOREQUEST000000000000000001", "--yes"],
        ["--read-only", "undo", "abc", "--yes"],
    ):
        assert cli.main([*argv, "--endpoint-url", endpoint.url]) == 2, argv
        assert "read-only" in capsys.readouterr().err
    path = settings.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"read_only": true}')
    assert (
        cli.main(
            ["set", TRANSCRIBE, "A1GRANTEDWORKER", "5", "--yes", "--endpoint-url", endpoint.url]
        )
        == 2
    )
    assert endpoint.calls == []
    # a dry run and the request list are reads: allowed
    assert cli.main(["requests", "--endpoint-url", endpoint.url]) == 0


def test_set_with_yes_prints_json_and_records_the_change(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    code, out, err = run(
        endpoint, "set", TRANSCRIBE, "a1grantedworker", "+3", "--yes", "--output", "json"
    )
    assert code == 0, err
    line = json.loads(out)
    assert line["before"] == {"Status": "Granted", "IntegerValue": 87}
    assert line["after"] == line["checked"] == {"Status": "Granted", "IntegerValue": 90}
    assert (line["outcome"], line["notified"]) == ("done", False)
    (sent,) = endpoint.calls_to("AssociateQualificationWithWorker")
    assert sent.params["SendNotification"] is False
    (entry,) = history(aws_profiles).snapshot().entries
    assert entry.change is not None and entry.id == line["change_id"]


def test_the_confirmation_shows_everything_and_defaults_to_no_in_production(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    code, out, err = run(
        endpoint,
        "grant",
        TRANSCRIBE,
        "A5NOTHELDWORKER",
        "--score",
        "150",
        "--notify",
        answer="\n",
    )
    assert code == 1 and "Nothing was changed." in err and out == ""
    for expected in (
        "Environment  PRODUCTION",
        "Profile      default",
        "Type         Audio transcription skill (3DEMOTRANSCRIBE000000000000001)",
        "Worker       A5NOTHELDWORKER",
        "Change       not held -> 150",
        "Notify       yes (SendNotification=true: the worker is e-mailed)",
        "outside 0-100",
        "Grant? [y/N]",
    ):
        assert expected in err, expected
    assert writes(endpoint) == []
    code, out, err = run(
        endpoint, "revoke", TRANSCRIBE, "A1GRANTEDWORKER", "--reason", "late", answer="y\n"
    )
    assert code == 0 and "Reason       late" in err
    assert endpoint.data.qualification(TRANSCRIBE, "A1GRANTEDWORKER")["Status"] == "Revoked"  # type: ignore[index]


def test_the_sandbox_defaults_to_yes(sandbox_endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    code, _, err = run(
        sandbox_endpoint,
        "grant",
        "3SANDBOXTEST000000000000000001",
        "A5NOTHELDWORKER",
        answer="\n",
        sandbox=True,
    )
    assert "Environment  Sandbox" in err and "[Y/n]" in err
    assert code == 0, err


def test_failures_exit_1_with_the_row_on_stderr(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    code, _, err = run(endpoint, "grant", FOREIGN, "A1GRANTEDWORKER", "--yes")
    assert code == 1 and "Qualification type not found" in err
    assert writes(endpoint) == []
    code, _, err = run(endpoint, "set", "bad id", "A1GRANTEDWORKER", "5", "--yes")
    assert code == 2 and "Nothing was sent" in err
    code, _, err = run(endpoint, "revoke", TRANSCRIBE, "A5NOTHELDWORKER", "--yes")
    assert code == 0 and "nothing to revoke" in err


WEBSITE_CSV = (
    "\ufeffWorker ID,Lifetime Approval Rate,"
    "CURRENT-Audio transcription skill,UPDATE-Audio transcription skill,"
    '"CURRENT-Longitudinal panel, wave 2","UPDATE-Longitudinal panel, wave 2"\n'
    "A1GRANTEDWORKER,100%,87,90,,\n"
    "A5NOTHELDWORKER,0%,,55,,40\n"
    "A3ZEROSCOREWORKER,100%,0,Revoke,,\n"
)


def test_apply_a_website_csv_dry_run_then_apply_then_rerun_then_undo(
    endpoint: LocalMTurk, aws_profiles: Isolation, tmp_path: Path
) -> None:
    plan = tmp_path / "workers.csv"
    plan.write_text(WEBSITE_CSV, encoding="utf-8")
    code, out, err = run(endpoint, "apply", str(plan), "--dry-run")
    assert code == 0, err
    assert "dry run: 2 new grants, 1 score change, 1 revoke, 0 unchanged, 0 invalid" in err
    assert writes(endpoint) == []

    code, out, err = run(endpoint, "apply", str(plan), "--yes", "--output", "json")
    assert code == 0, err
    lines = [json.loads(x) for x in out.splitlines() if x.startswith('{"change_id"')]
    assert sorted(x["outcome"] for x in lines) == ["done"] * 4
    undo_files = list(tmp_path.glob("workers-applied-*.undo.csv"))
    assert len(undo_files) == 1 and len(list(tmp_path.glob("workers-applied-*.csv"))) == 2

    code, _, err = run(endpoint, "apply", str(plan), "--yes")
    assert code == 0 and "nothing to change" in err
    assert len(writes(endpoint)) == 4

    run_id = history(aws_profiles).snapshot().entries[-1].run_id
    assert run_id is not None
    code, out, err = run(endpoint, "undo", run_id, "--yes")
    assert code == 0, err
    assert endpoint.data.qualification(TRANSCRIBE, "A1GRANTEDWORKER")["IntegerValue"] == 87  # type: ignore[index]
    assert endpoint.data.qualification(WAVE_TWO, "A5NOTHELDWORKER")["Status"] == "Revoked"  # type: ignore[index]
    assert endpoint.data.qualification(TRANSCRIBE, "A3ZEROSCOREWORKER")["Status"] == "Granted"  # type: ignore[index]


def test_apply_a_simple_plan_with_invalid_rows_exits_1(
    endpoint: LocalMTurk, aws_profiles: Isolation, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.csv"
    plan.write_text("WorkerId,Score\nA1GRANTEDWORKER,60\nnope,5\nA2REVOKEDWORKER,abc\n")
    code, _, err = run(endpoint, "apply", str(plan), "--dry-run")  # no --type
    assert code == 2 and "--type" in err
    code, out, err = run(
        endpoint, "apply", str(plan), "--type", TRANSCRIBE, "--dry-run", "--output", "csv"
    )
    assert code == 1 and "2 invalid" in err
    assert out.splitlines()[0] == "line,worker_id,qualification_type_id,diff,before,after,problem"
    code, _, err = run(endpoint, "apply", str(plan), "--type", TRANSCRIBE, "--yes")
    assert code == 1  # the valid row is applied; the invalid ones make it a failure
    assert endpoint.data.qualification(TRANSCRIBE, "A1GRANTEDWORKER")["IntegerValue"] == 60  # type: ignore[index]


def test_undo_of_a_single_change(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    code, out, _ = run(
        endpoint,
        "grant",
        TRANSCRIBE,
        "A5NOTHELDWORKER",
        "--score",
        "9",
        "--yes",
        "--output",
        "json",
    )
    change_id = json.loads(out)["change_id"]
    code, out, err = run(endpoint, "undo", change_id[:10], "--output", "json", answer="y\n")
    assert code == 0, err
    assert "Change       9 -> revoked" in err
    assert json.loads(out)["kind"] == "revoke"
    code, _, err = run(endpoint, "undo", change_id, "--yes")
    assert code == 0 and "already as before" in err
    code, _, err = run(endpoint, "undo", "ffffffff", "--yes")
    assert code == 2 and "no recorded change" in err


def test_requests_accept_and_reject(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    code, out, _ = run(endpoint, "requests", TRANSCRIBE, "--output", "json")
    assert code == 0
    rows = [json.loads(x) for x in out.splitlines()]
    assert [r["current"] for r in rows] == ["not held", "not held", "revoked (was 12)"]
    code, out, err = run(
        endpoint,
        "accept",
        "3DEMOREQUEST000000000000000003",
        "--score",
        "80",
        "--yes",
        "--output",
        "json",
    )
    assert code == 0, err
    assert json.loads(out)["after"] == {"Status": "Granted", "IntegerValue": 80}
    code, out, err = run(
        endpoint, "reject", "3DEMOREQUEST000000000000000002", "--reason", "typos", answer="y\n"
    )
    assert code == 0 and "Reason       typos" in err
    assert endpoint.calls_to("RejectQualificationRequest")[0].params["Reason"] == "typos"
    code, _, err = run(endpoint, "accept", "3DEMOREQUEST000000000000000002", "--yes")
    assert code == 1 and "no pending request" in err


def test_in_a_subprocess_against_a_demo_server(isolated: Isolation) -> None:
    with demo_server_process() as (_, url):
        base = [sys.executable, "-m", "qualtui", "--endpoint-url", url]
        env_keys = {"AWS_ACCESS_KEY_ID": "AKIAANY", "AWS_SECRET_ACCESS_KEY": "any"}
        import os

        env = {**os.environ, **env_keys}
        refused = subprocess.run(
            [*base, "set", TRANSCRIBE, "A1GRANTEDWORKER", "5"],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
        assert refused.returncode == 2 and "--yes" in refused.stderr
        done = subprocess.run(
            [*base, "set", TRANSCRIBE, "A1GRANTEDWORKER", "5", "--yes", "--output", "json"],
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["before"]["IntegerValue"] == 87


def test_the_write_machinery_is_imported_only_when_a_write_command_runs() -> None:
    code = (
        "import sys, qualtui.cli; "
        "print(sorted(m for m in sys.modules if m.startswith('qualtui.core.changes')))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    # At most the change record's types (the command line no longer needs even those).
    loaded = set(ast.literal_eval(found.stdout.strip()))
    assert loaded <= {"qualtui.core.changes", "qualtui.core.changes.change"}
