"""`qualtui lookup` tells a person watching how far it is (issue #14, "progress and a
summary go to stderr when stderr is a terminal"): with stderr on a pseudo-terminal, a
progress line redrawn in place and a summary; with stderr a pipe (a script), nothing extra.
The results on stdout are the same either way. Subprocesses against the local endpoint."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

from qualtui.cli.progress import CLEAR, Progress, lookup_summary
from qualtui.endpoint import LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation

WORKERS = ("A1GRANTEDWORKER", "A2REVOKEDWORKER", "A5NOTHELDWORKER")
SUMMARY = "3 of 3 looked up: 1 Granted, 1 Revoked, 1 not held, 0 failed"


def lookup_argv(url: str) -> list[str]:
    return [sys.executable, "-m", "qualtui", "lookup", TRANSCRIBE, *WORKERS, "--endpoint-url", url]


def read_all(fd: int) -> bytes:
    data = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child's end is closed
            return data
        if not chunk:
            return data
        data += chunk


def test_progress_and_summary_on_a_terminal(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        lookup_argv(endpoint.url),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        text=True,
    )
    os.close(slave)
    try:
        terminal = read_all(master).decode()
        out, _ = proc.communicate(timeout=60)
    finally:
        os.close(master)
    assert proc.returncode == 3  # one does not hold it
    assert "looked up" in terminal.split(SUMMARY)[0]  # the progress line came first
    assert f"qualtui lookup: {SUMMARY}" in terminal
    assert CLEAR in terminal and "Traceback" not in terminal
    assert [line.split()[0] for line in out.splitlines()] == ["Worker", *WORKERS]


def visible_lines(raw: str) -> list[str]:
    """What a terminal shows: each line as left after its last carriage return."""
    lines = raw.replace("\r\n", "\n").split("\n")
    return [line.rsplit("\r", 1)[-1].replace("\x1b[K", "").rstrip() for line in lines]


def test_rows_on_the_same_terminal_never_land_inside_the_progress_line(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        lookup_argv(endpoint.url), stdin=subprocess.DEVNULL, stdout=slave, stderr=slave
    )
    os.close(slave)
    try:
        screen = visible_lines(read_all(master).decode())
        proc.wait(timeout=60)
    finally:
        os.close(master)
    assert proc.returncode == 3
    rows = [line for line in screen if line.split()[:1] in (["Worker"], *[[w] for w in WORKERS])]
    assert [row.split()[0] for row in rows] == ["Worker", *WORKERS]
    assert f"qualtui lookup: {SUMMARY}" in screen
    assert not [
        line for line in screen if "looked up" in line and line != f"qualtui lookup: {SUMMARY}"
    ]


def test_nothing_extra_when_stderr_is_not_a_terminal(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    done = subprocess.run(
        lookup_argv(endpoint.url), capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 3
    assert done.stderr == ""
    assert [line.split()[0] for line in done.stdout.splitlines()] == ["Worker", *WORKERS]


def test_the_line_is_redrawn_at_most_every_tenth_of_a_second_and_cleared() -> None:
    now = [0.0]
    err = io.StringIO()
    progress = Progress("lookup", err, enabled=True, clock=lambda: now[0])
    progress.show(1, 10)
    progress.show(2, 10)  # too soon: not drawn
    now[0] = 0.2
    progress.show(3, None)  # HITs still being listed: no total yet
    progress.clear()
    progress.finish("done")
    assert err.getvalue() == (
        f"{CLEAR}qualtui lookup: 1 of 10 looked up{CLEAR}qualtui lookup: 3 looked up"
        f"{CLEAR}qualtui lookup: done\n"
    )
    quiet = io.StringIO()
    off = Progress("lookup", quiet, enabled=False)
    off.show(1, 1, force=True)
    off.finish("done")
    assert quiet.getvalue() == "" and lookup_summary([], 0).startswith("0 of 0 looked up")
