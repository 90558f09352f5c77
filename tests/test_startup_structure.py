"""What the first frame waits for (issue 15), checked by structure, not by time: the app,
built as the `qualtui` command builds it, runs headless in a subprocess (a fresh interpreter,
so nothing is imported by the tests themselves) and reports what was loaded at the moment
the main screen's first frame was written. boto3 is imported in a thread started after
that frame (a thread started before it could import boto3 while the frame is drawn)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import Isolation
from tests.historyhelpers import entry, write_history

LATER_VIEWS = (
    "qualtui.screens.batch",
    "qualtui.screens.holders",
    "qualtui.screens.worker_profile",
    "qualtui.screens.plan_diff",
    "qualtui.screens.requests",
)

CHILD = """
import json, os, sys
from qualtui.app import QualtuiApp
from qualtui.cli import build_parser, config_from_args
from qualtui.core import settings
from qualtui.screens.main import MainScreen

later = {later!r}
args = build_parser().parse_args(["--endpoint-url", "http://127.0.0.1:9"])
config = config_from_args(args, settings.load(settings.settings_path()))


# What was loaded when the main screen's first frame is written (Textual's App._display,
# the one place every frame goes to the terminal).
class FirstPaint(QualtuiApp):

    def _display(self, screen, renderable):  # type: ignore[no-untyped-def]
        seen = set(sys.modules)
        super()._display(screen, renderable)
        if not (isinstance(screen, MainScreen) and screen.query("LookupForm")):
            return
        print(json.dumps({{
            "boto": sorted(m for m in seen if m.split(".")[0] in ("boto3", "botocore")),
            "later": sorted(m for m in seen if m.startswith(later)),
            "form": True,
            "mounted_later": [
                kind for kind in ("HistoryPane", "Select", "Footer", "ChangeRunner")
                if screen.query(kind)
            ],
        }}), flush=True)
        os._exit(0)


FirstPaint(config).run(headless=True)
"""


def at_first_paint() -> dict[str, object]:
    code = CHILD.format(later=LATER_VIEWS)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_the_later_views_are_not_loaded_before_the_first_paint(isolated: Isolation) -> None:
    history = isolated.data_dir / "history.json"
    write_history(history, [entry(n, f"A{n}") for n in range(50)])
    found = at_first_paint()
    assert found["form"] is True  # the moment checked is the lookup form on screen
    assert found["later"] == []


def test_the_history_pickers_and_key_bar_are_mounted_after_the_first_paint(
    isolated: Isolation,
) -> None:
    """The first frame is the lookup form (with the bar's note and the result panel); the
    history, the two pickers, the key bar and the change runner come right after it."""
    history = isolated.data_dir / "history.json"
    write_history(history, [entry(n, f"A{n}") for n in range(50)])
    found = at_first_paint()
    assert found["form"] is True
    assert found["mounted_later"] == []


def test_boto3_is_not_loaded_before_the_first_paint(isolated: Isolation) -> None:
    found = at_first_paint()
    assert found["form"] is True
    assert found["boto"] == []


def test_the_history_file_is_where_the_child_reads_it(isolated: Isolation) -> None:
    """The child's settings and data dir are the isolated ones (so the check above runs
    with a real history file, never the user's)."""
    code = "from qualtui.core import paths; print(paths.data_dir(None))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert Path(done.stdout.strip()) == isolated.data_dir
