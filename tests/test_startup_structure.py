"""What the first frame waits for (issue 15), checked by structure, not by time: the app,
built by the `qualtui` command itself (`qualtui.launch.main`, on Textual's headless driver), runs
in a subprocess (a fresh interpreter, so nothing is imported by the tests themselves) and
reports what was loaded at the moment the main screen's first frame was written. boto3 is
imported in a thread started after that frame (a thread started before it could import boto3
while the frame is drawn); the history, the change runner and the other views are imported
when they are mounted or opened, after it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Isolation
from tests.headless_child import run_headless
from tests.historyhelpers import entry, write_history

LATER_VIEWS = (
    "qualtui.screens.batch",
    "qualtui.screens.holders",
    "qualtui.screens.worker_profile",
    "qualtui.screens.plan_diff",
    "qualtui.screens.requests",
)

SUB_COMMANDS = tuple(
    f"qualtui.cli.{name}"
    for name in (
        "apply",
        "change",
        "debug_log",
        "demo_server",
        "get_qualification_score",
        "history",
        "hit_workers",
        "hits",
        "holders",
        "lookup",
        "requests",
        "types",
        "worker",
        "write_commands",
    )
)

AFTER_THE_FIRST_FRAME = (
    *SUB_COMMANDS,
    "boto3",
    "botocore",
    "urllib3",
    "dateutil",
    "filelock",
    "qualtui.core.history.store",
    "qualtui.core.batch",
    "qualtui.core.changes.confirmation",
    "qualtui.widgets.history_pane",
    "qualtui.widgets.history_table",
    "qualtui.widgets.change_runner",
    "textual.widgets._text_area",
    "textual.widgets._data_table",
    "qualtui.core.client",
    "qualtui.core.qualification_types",
    "qualtui.core.lookup",
    "qualtui.core.throttle",
    "qualtui.core.errors",
    "qualtui.core.models",
    "qualtui.core.pasted_ids",
    "qualtui.core.rotating_log",
    "logging.handlers",
)
"""Modules (and their submodules) the first frame does without: the command line's
sub-commands, boto3 and what its errors pull, the history store and its file lock, the change
runner, the history table, TextArea and DataTable; the client cache, the type cache, the
lookup and what only answers need (failures explained, the answer's models); the paste
cleaner; the log file's rotating handler (made on the first log line)."""

WITHOUT_ARGUMENTS = ("argparse",)
"""What `qualtui` alone (no argument: the usual start) does without before its first frame."""

CHILD = """
import json, os, sys

from qualtui.app import QualtuiApp  # imported by the command anyway (to hook its frames)
from qualtui.launch import main  # the `qualtui` command

watched = {watched!r}
show = QualtuiApp._display


# What was loaded when the main screen's first frame is written (Textual's App._display,
# the one place every frame goes to the terminal).
def first_display(self, screen, renderable):  # type: ignore[no-untyped-def]
    seen = set(sys.modules)
    show(self, screen, renderable)
    if not (type(screen).__name__ == "MainScreen" and screen.query("LookupForm")):
        return
    print(json.dumps({{
        "watched": sorted(
            m for m in seen if any(m == w or m.startswith(w + ".") for w in watched)
        ),
        "form": True,
        "mounted_later": [
            kind for kind in ("HistoryPane", "Select", "Footer", "ChangeRunner")
            if screen.query(kind)
        ],
    }}), flush=True)
    os._exit(0)


QualtuiApp._display = first_display
main({argv!r})
"""

NOWHERE = "http://127.0.0.1:9"  # refuses connections at once


def at_first_paint(
    argv: tuple[str, ...] = ("--endpoint-url", NOWHERE),
    modules: tuple[str, ...] = (*LATER_VIEWS, *AFTER_THE_FIRST_FRAME),
) -> dict[str, object]:
    """What of `modules` was loaded at the first frame of `qualtui ARGV`."""
    code = CHILD.format(watched=modules, argv=list(argv))
    # With no --endpoint-url: anything sent (nothing is, before the first frame) would
    # still stay on this machine.
    done = run_headless(code, AWS_ENDPOINT_URL=NOWHERE, AWS_ENDPOINT_URL_MTURK=NOWHERE)
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    watched = found["watched"]
    assert isinstance(watched, list)
    found["later"] = [m for m in watched if m.startswith(LATER_VIEWS)]
    found["boto"] = [m for m in watched if m.split(".")[0] in ("boto3", "botocore")]
    return found


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


def test_nothing_the_first_frame_does_without_is_loaded_before_it(isolated: Isolation) -> None:
    history = isolated.data_dir / "history.json"
    write_history(history, [entry(n, f"A{n}") for n in range(50)])
    found = at_first_paint()
    assert found["form"] is True
    assert found["watched"] == []


def test_qualtui_alone_reads_its_command_line_without_argparse(isolated: Isolation) -> None:
    """No argument at all, the usual start: the command line is read without argparse."""
    found = at_first_paint(argv=(), modules=(*WITHOUT_ARGUMENTS, *AFTER_THE_FIRST_FRAME))
    assert found["form"] is True
    assert found["watched"] == []


def test_the_main_screen_handles_the_later_widgets_messages_by_their_names() -> None:
    """The main screen's modules do not import the history table or the change runner, so
    it handles their messages by Textual's handler names: a renamed class or message would
    silently go unhandled."""
    from qualtui.screens.main import MainScreen
    from qualtui.widgets.change_runner import ChangeRunner
    from qualtui.widgets.history_table import HistoryTable

    for message in (
        ChangeRunner.Finished,
        HistoryTable.UndoRequested,
        HistoryTable.Chosen,
        HistoryTable.Rerun,
    ):
        assert callable(getattr(MainScreen, message.handler_name, None)), message


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--sandbox", "--profile", "research", "--read-only"],
        ["--demo", "--fault", "throttle:rate=0.3", "--fault", "latency:delay=0.2"],
        ["--endpoint-url=http://127.0.0.1:9/", "--timeout", "2", "--connect-timeout", "1.5"],
        ["--region", "eu-west-1", "--max-attempts", "3", "--history-limit", "0", "--debug"],
        ["--data-dir", "/tmp/x", "--no-verify-ssl", "--ca-bundle", "a.pem"],
    ],
)
def test_the_command_line_without_a_command_is_read_as_the_whole_parser_reads_it(
    argv: list[str],
) -> None:
    from qualtui.cli import build_parser, shared_only

    read = shared_only(argv)
    assert read is not None
    assert vars(read) == vars(build_parser().parse_args(argv))  # no argument: not argparse's


@pytest.mark.parametrize(
    "argv",
    [
        ["lookup", "T", "A1"],
        ["--profile", "x", "history"],
        ["-h"],
        ["--help"],
        ["--version"],
        ["--h"],  # --help or --history-limit: the whole parser says it is ambiguous
        ["--sand"],  # an abbreviation: the whole parser takes it
        ["--region", "mars"],
        ["--sandbox", "--region", "us-east-2"],
        ["--nope"],
        ["--"],
    ],
)
def test_anything_but_shared_options_is_left_to_the_whole_parser(argv: list[str]) -> None:
    """Commands, help, the version, abbreviations and usage errors: the whole parser's output
    and exit status, exactly as before."""
    from qualtui.cli import shared_only

    assert shared_only(argv) is None


def test_the_whole_parser_is_what_the_command_uses_for_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from qualtui.cli import build_parser, main

    with pytest.raises(SystemExit) as info:
        main(["--h"])
    assert info.value.code == 2
    assert "ambiguous option: --h could match --help, --history-limit" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    shown, whole = capsys.readouterr().out.split("usage: ")[1:]
    assert shown == whole and "COMMAND" in shown and "lookup" in shown


# ---------------------------------------------------------------- the first frame's stylesheet

STYLESHEET_CHILD = """
import json, os, sys

from qualtui.app import QualtuiApp  # imported by the command anyway (to hook its frames)
from qualtui.launch import main  # the `qualtui` command

show = QualtuiApp._display


def first_display(self, screen, renderable):  # type: ignore[no-untyped-def]
    show(self, screen, renderable)
    if not (type(screen).__name__ == "MainScreen" and screen.query("LookupForm")):
        return
    sheet = self.stylesheet
    print(json.dumps({
        "sources": [name for _path, name in sheet.source],
        "selectors": [rule.selectors for rule in sheet.rules],
        "buttons": len(screen.query("Button")),
    }), flush=True)
    os._exit(0)


QualtuiApp._display = first_display
main(["--endpoint-url", "http://127.0.0.1:9"])
"""

OTHER_VIEWS_NAMES = (
    ".dialog",
    "DialogScreen",
    "#export",
    "#help",
    "#type-picker",
    "#type-title",
    "#type-where",
    "#type-search",
    "#type-list",
    "#type-status",
    "#hit-",
    "#change-",
    "#holders",
    "#batch",
    "BatchScreen",
    "#profile-",
    "#plan",
    "#requests",
)
"""What names the rules of the other views and of the dialogs (not the main screen's)."""


def stylesheet_at_first_paint() -> dict[str, list[str] | int]:
    done = run_headless(STYLESHEET_CHILD)
    assert done.returncode == 0, done.stderr
    found: dict[str, list[str] | int] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def names_in(selectors: str) -> list[str]:
    """`#a .b Type:focus, #c > D` -> the names: #a, .b, Type, #c, D."""
    import re

    return re.findall(r"[#.]?[A-Za-z_][\w-]*", re.sub(r":[\w-]+", "", selectors))


def test_the_first_frame_parses_the_main_screens_rules_only(isolated: Isolation) -> None:
    """The other views and the dialogs carry their own rules, parsed when they first open:
    at the first frame the stylesheet has no rule naming what only they show."""
    found = stylesheet_at_first_paint()
    selectors = found["selectors"]
    assert isinstance(selectors, list)
    assert any("#lookup-form" in s for s in selectors)  # the app's sheet is there
    others = sorted(
        {name for s in selectors for name in names_in(s) if name.startswith(OTHER_VIEWS_NAMES)}
    )
    assert others == []


def test_buttons_stylesheet_is_parsed_after_the_first_paint(isolated: Isolation) -> None:
    """The lookup form's button (the first frame's only one) is mounted right after it, so
    Button's large stylesheet is parsed then."""
    found = stylesheet_at_first_paint()
    assert found["buttons"] == 0
    sources = found["sources"]
    assert isinstance(sources, list)
    assert any(name.endswith(".DEFAULT_CSS") for name in sources)  # the sources are listed
    assert "Button.DEFAULT_CSS" not in sources
