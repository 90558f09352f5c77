"""Signals in child processes started by tests."""

from __future__ import annotations

import signal


def default_sigint() -> None:
    """`preexec_fn` for a child the test will send Ctrl+C (SIGINT): a test runner started in
    the background by a non-interactive shell (a soak script, CI) ignores SIGINT, and a
    child inherits that, so it would never see the Ctrl+C. Here it gets the default again,
    and Python turns it into KeyboardInterrupt as it does in a terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
