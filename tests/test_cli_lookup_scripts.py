"""`qualtui lookup` as scripts use it: streaming in input order, Ctrl+C, closed pipes, an
unusable history, argument bounds; and the global options on every sub-command."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from qualtui import cli
from qualtui.cli import lookup as cli_lookup
from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation, wait_for
from tests.historyhelpers import saved_entries
from tests.signals import default_sigint


def run(endpoint_url: str, *argv: str) -> tuple[int, str, str]:
    args = cli.build_parser().parse_args(["lookup", *argv, "--endpoint-url", endpoint_url])
    out, err = io.StringIO(), io.StringIO()
    status = cli_lookup.lookup(args, cli.config_from_args(args), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def saved_workers(isolated: Isolation) -> list[str]:
    return sorted(e["worker_id"] for e in saved_entries(isolated.data_dir / "history.json"))


def lookup_process(url: str, *argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "qualtui", "lookup", TRANSCRIBE, *argv, "--endpoint-url", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_sigint,
    )


def test_ctrl_c_prints_and_saves_what_finished_and_exits_130(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    """The table streams in input order; Ctrl+C with A2 stalled prints A3 too, saves A1 and
    A3, and exits 130 without waiting for the stalled call."""
    endpoint.add_fault(Fault.parse("latency:delay=60,worker=A2REVOKEDWORKER"))
    proc = lookup_process(endpoint.url, "A1GRANTEDWORKER", "A2REVOKEDWORKER", "A3ZEROSCOREWORKER")
    try:
        assert proc.stdout is not None
        header, first = proc.stdout.readline(), proc.stdout.readline()
        assert header.split()[0] == "Worker" and first.split()[:2] == ["A1GRANTEDWORKER", "Granted"]
        # A3 has been answered (only A2's stalled call is still being served)...
        wait_for(lambda: len(endpoint.calls_to("GetQualificationScore")) == 3, timeout=30)
        wait_for(lambda: endpoint.in_flight == 1, timeout=30)
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    # ... but whether the client had read A3's answer when Ctrl+C came is up to the machine's
    # scheduler. Whatever had finished is printed and saved, and nothing else: never A2.
    printed = [line.split()[0] for line in rest.splitlines()]
    saved = saved_workers(aws_profiles)
    assert printed in ([], ["A3ZEROSCOREWORKER"])
    assert saved == ["A1GRANTEDWORKER", *printed]
    assert f"interrupted: {len(saved)} of 3 looked up and saved" in err


def test_a_closed_pipe_ends_quietly_with_the_history_saved(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    endpoint.add_fault(Fault.parse("latency:delay=1,worker=A2REVOKEDWORKER"))
    workers = ["A1GRANTEDWORKER", "A2REVOKEDWORKER", "A3ZEROSCOREWORKER", "A5NOTHELDWORKER"]
    proc = lookup_process(endpoint.url, *workers, "--output", "json", "--concurrency", "1")
    assert proc.stdout is not None and proc.stderr is not None
    assert '"A1GRANTEDWORKER"' in proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read()
    assert proc.wait(timeout=30) == 0, err
    assert "Traceback" not in err and "error" not in err
    assert saved_workers(aws_profiles) == ["A1GRANTEDWORKER", "A2REVOKEDWORKER"]


@pytest.mark.parametrize("where", ["data dir is a file", "history is a folder"])
def test_an_unusable_history_is_said_and_exits_4(
    endpoint: LocalMTurk, aws_profiles: Isolation, where: str
) -> None:
    if where == "data dir is a file":
        aws_profiles.data_dir.write_text("not a folder")
    else:
        (aws_profiles.data_dir / "history.json").mkdir(parents=True)
    status, out, err = run(endpoint.url, TRANSCRIBE, "A1GRANTEDWORKER")
    assert status == cli_lookup.EXIT_HISTORY
    assert "A1GRANTEDWORKER" in out
    assert "the history cannot be used: nothing was saved" in err
    assert run(endpoint.url, TRANSCRIBE, "A1GRANTEDWORKER", "--no-history")[0] == 0


def test_bounds_skip_invalid_and_the_plain_http_warning(
    endpoint: LocalMTurk, aws_profiles: Isolation, capsys: pytest.CaptureFixture[str]
) -> None:
    for bad in ("0", "65"):
        with pytest.raises(SystemExit) as stop:
            cli.build_parser().parse_args(["lookup", TRANSCRIBE, "A1", "--concurrency", bad])
        assert stop.value.code == 2
    assert "must be" in capsys.readouterr().err
    status, out, err = run(endpoint.url, TRANSCRIBE, "A1GRANTEDWORKER", "bad-id", "--skip-invalid")
    assert status == 0 and "skipped 'bad-id'" in err and "A1GRANTEDWORKER" in out
    assert run(endpoint.url, TRANSCRIBE, "A1GRANTEDWORKER", "bad-id")[0] == 2
    status, _, err = run(
        "http://mturk.example.invalid", TRANSCRIBE, "A1GRANTEDWORKER", "--max-attempts", "1"
    )
    assert status == 1 and "Plain http to another host" in err


def test_global_options_after_the_sub_command_and_export_extensions(
    isolated: Isolation, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli.main(["history", "path", "--demo"]) == 0
    assert capsys.readouterr().out.strip().endswith("demo-history.json")
    assert cli.main(["history", "path", "--data-dir", str(isolated.root / "x")]) == 0
    assert capsys.readouterr().out.strip() == str(isolated.root / "x" / "history.json")
    monkeypatch.chdir(isolated.root)
    assert cli.main(["history", "export", "lookups.xlsx"]) == 2
    assert "writes .csv or .json" in capsys.readouterr().err
    assert not Path(isolated.root / "lookups.xlsx").exists()
    assert cli.main(["history", "export", "lookups.xlsx", "--format", "csv"]) == 0


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--profile", "nosuchprofile"], "nosuchprofile"),
        (["--profile", "wrongsecret"], "fix: "),
        (["--type", "3NOSUCHTYPE0000000000000000001"], "3NOSUCHTYPE0000000000000000001"),
    ],
)
def test_configuration_failures_are_checked_once_before_the_work(
    endpoint: LocalMTurk, aws_profiles: Isolation, argv: list[str], words: str
) -> None:
    type_id = argv[1] if argv[0] == "--type" else TRANSCRIBE
    options = [] if argv[0] == "--type" else argv
    status, out, err = run(endpoint.url, type_id, "A1GRANTEDWORKER", "A2REVOKEDWORKER", *options)
    assert status == 1 and out == ""
    assert err.startswith("qualtui lookup: error: ") and words in err
    assert endpoint.calls_to("GetQualificationScore") == []
    assert saved_workers(aws_profiles) == []
