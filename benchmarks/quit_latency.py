"""Time from Ctrl+Q to the process's exit, in a real terminal (a pseudo-terminal).

Rows: qualtui with a lookup stalled at the endpoint for 60 s; qualtui idle; and, as the
reference, a minimal Textual app (an Input and a Footer) idle. Each is started fresh,
`--runs` times; medians. Run: python benchmarks/quit_latency.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.terminal import Terminal

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Input
class Minimal(App[None]):
    BINDINGS = [("ctrl+q", "quit", "Quit")]
    def compose(self):
        yield Input(placeholder="ready")
        yield Footer()
Minimal().run()
"""


def _env(home: str) -> dict[str, str]:
    return {
        **os.environ,
        "TERM": "xterm-256color",
        "HOME": home,
        "QUALTUI_DATA_DIR": home,
        "XDG_CONFIG_HOME": home,
        "XDG_STATE_HOME": home,
        "AWS_CONFIG_FILE": str(Path(home, "none")),
        "AWS_SHARED_CREDENTIALS_FILE": str(Path(home, "none")),
    }


def one(kind: str) -> float:
    with tempfile.TemporaryDirectory() as home:
        if kind == "minimal":
            term = Terminal(sys.executable, "-c", MINIMAL, env=_env(home))
            term.wait_for(b"ready")
        else:
            argv = [sys.executable, "-m", "qualtui", "--demo"]
            if kind == "stalled":
                argv += ["--fault", "latency:op=GetQualificationScore,delay=60"]
            term = Terminal(*argv, env=_env(home))
            term.wait_for(b"Connected")
            if kind == "stalled":
                term.type(b"\tA1GRANTEDWORKER\r")
                term.wait_for(b"Looking up")
        try:
            asked = time.perf_counter()
            term.type(b"\x11")
            while term.process.poll() is None:
                term.read(0.005)
            return time.perf_counter() - asked
        finally:
            term.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    kinds = ("minimal", "idle", "stalled")
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for _ in range(runs):  # interleaved, so a busy moment hits every row alike
        for kind in kinds:
            times[kind].append(one(kind))
    reference = statistics.median(times["minimal"])
    print(f"{'Ctrl+Q to exit':<40} {'median':>9} {'ratio':>7}")
    for kind, label in (
        ("minimal", "minimal Textual app, idle (reference)"),
        ("idle", "qualtui --demo, idle"),
        ("stalled", "qualtui --demo, a lookup stalled 60 s"),
    ):
        median = statistics.median(times[kind])
        print(f"{label:<40} {median * 1000:>7.0f} ms {median / reference:>6.2f}x")


if __name__ == "__main__":
    main()
