"""Quitting never waits on the network: the real `qualtui` in a terminal (a pseudo-terminal),
a lookup stalled at the endpoint for a minute, Ctrl+Q: the process is gone long before the
stall would end. (How long it takes is measured by benchmarks/quit_latency.py, not here.)"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator

import pytest

from tests.conftest import Isolation
from tests.terminal import Terminal

STALL = 60.0  # the endpoint holds the lookup this long
BOUND = STALL / 3  # exiting within this proves quitting did not wait for the call


@pytest.fixture
def terminal(isolated: Isolation) -> Iterator[Terminal]:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "120",
        "LINES": "36",
        "TEXTUAL_ANIMATIONS": "none",
    }
    term = Terminal(
        sys.executable,
        "-m",
        "qualtui",
        "--demo",
        "--fault",
        f"latency:op=GetQualificationScore,delay={STALL:g}",
        env=env,
    )
    yield term
    term.close()


def test_ctrl_q_during_a_stalled_lookup_exits_without_waiting(terminal: Terminal) -> None:
    terminal.wait_for(b"Connected")  # the first frame is up and the demo endpoint answers
    terminal.type(b"\t")  # the demo fills the type ID: go to the worker ID
    terminal.type(b"A1GRANTEDWORKER\r")
    terminal.wait_for(b"Looking up")
    asked = time.monotonic()
    terminal.type(b"\x11")  # Ctrl+Q
    while terminal.process.poll() is None:
        assert time.monotonic() - asked < BOUND, "quitting waited for the stalled lookup"
        terminal.read()
    assert terminal.process.returncode == 0
