"""`qualtui history export` at the edges: a FIFO where the history should be is refused at
once (never waited on), and the export keeps the file's insertion order."""

from __future__ import annotations

import os
import subprocess
import sys

from qualtui.core.history import HistoryStore
from qualtui.endpoint import LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation
from tests.historyhelpers import entry


def test_a_fifo_history_is_refused_not_waited_on(isolated: Isolation) -> None:
    isolated.data_dir.mkdir(parents=True)
    os.mkfifo(isolated.data_dir / "history.json")
    done = subprocess.run(
        [sys.executable, "-m", "qualtui", "history", "export", "-"],
        capture_output=True,
        text=True,
        timeout=60,  # a hang would be the defect; the command answers at once
    )
    assert done.returncode == 1
    assert "named pipe" in done.stderr and "Traceback" not in done.stderr


def test_export_lists_the_last_written_first_whatever_the_clock(isolated: Isolation) -> None:
    """A clock stepped back: the entry written last has the earlier time."""
    from qualtui import cli

    store = HistoryStore(isolated.data_dir / "history.json")
    written_first = entry(2, "A2LATERCLOCK")
    written_last = entry(1, "A1EARLIERCLOCK")
    assert written_last.time < written_first.time
    store.append(written_first)
    store.append(written_last)
    out = isolated.root / "out.csv"
    assert cli.main(["history", "export", str(out)]) == 0
    rows = out.read_text().splitlines()[1:]
    assert "A1EARLIERCLOCK" in rows[0] and "A2LATERCLOCK" in rows[1]


def test_a_per_run_history_limit_never_cuts_the_shared_file(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    from qualtui import cli

    store = HistoryStore(aws_profiles.data_dir / "history.json")
    for n in range(5):
        store.append(entry(n, f"A{n}EARLIER"))
    status = cli.main(
        [
            "lookup",
            TRANSCRIBE,
            "A1GRANTEDWORKER",
            "--history-limit",
            "1",
            "--endpoint-url",
            endpoint.url,
            "--profile",
            "default",
        ]
    )
    assert status == 0
    kept = HistoryStore(aws_profiles.data_dir / "history.json").load().snapshot.entries
    assert len(kept) == 6  # the five earlier lookups and this run's one
