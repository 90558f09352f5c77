"""Run Python code in a fresh interpreter whose Textual apps use the headless driver: the
`qualtui` command itself, with hooks the code installs, and nothing imported by the tests."""

from __future__ import annotations

import os
import subprocess
import sys

HEADLESS = "textual.drivers.headless_driver:HeadlessDriver"


def run_headless(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -c CODE` with Textual's headless driver (and `env` added); the output is text.
    A hang ends as a failure after 300 s, never as a pass."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TEXTUAL_DRIVER": HEADLESS, **env},
    )
