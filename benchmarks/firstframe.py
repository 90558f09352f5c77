"""Child process for the start-up and idle benchmarks: run an app headless and end the process
at a moment of its life. `python benchmarks/firstframe.py APP [HISTORY_FILE] [MOMENT]`

APP: `minimal` (Header, Input, Static, Footer), `same-kinds` (the widget kinds and count of
qualtui's first screen with no logic: two Selects, two Inputs, a Button, a Static panel, a
DataTable, a Footer) or `qualtui` (built as the `qualtui` command builds it, with the
history file given and an endpoint that refuses connections at once). For `qualtui`, this
file imports only what the command imports before its first frame (`qualtui.cli`, not its
sub-commands; `qualtui.app`, which imports the main screen's modules); what the `complete`
moment asks for (the history table) is imported when asked, after the first frame.

MOMENT: `first` (default): the first frame of the app's screen written (Textual's
`App._display`, the one place every frame goes to the terminal; headless, the frame is made
but not written): for qualtui, the main screen's first frame, the lookup form ready for
typing (the rest of the screen is mounted right after it). Ended there, in the frame's own
call, for every app alike: a check polled after the refresh ran only once the work queued
behind the frame was done, and counted it;
`complete`: the first frame that shows everything, also in `_display`: for the reference
apps, their first frame with the key bar's keys in it (Footer adds them a frame or more
after its own first frame); for qualtui, the pickers with the profiles read, the lookup
button (where the width shows it), the history's rows (the file given must hold some) and
the key bar's keys beside the form, the connection note and the result panel (`drawn`).
The connection check is not waited for: it is a network call (here to a port that
refuses at once) that needs boto3 (about 120 ms of CPU to import and build a client), and
the note says "checking" until it answers;
`checked` (qualtui only): the connection check answered and the history drawn;
`idle`: once start-up is over (qualtui: the `checked` moment, and no thread but the UI's
left, so the connection check's boto3 import is not counted as idle) and one quiet second
after, the process's CPU time over IDLE_SECONDS (`time.process_time`: every thread, in
nanoseconds, where `os.times` counts 10 ms ticks, 1 to 3 of them in a 5 s window), printed as
JSON (`{"cpu_s": ...}`).

For qualtui the process starts as the `qualtui` command starts (`qualtui.launch`): the
garbage collector is paused before the imports, until the main screen is complete
(`qualtui/core/collector.py`).

The hook lives here, not in qualtui: the process ends with os._exit, for every app alike,
so the time does not include shutting down or waiting for background threads. The parent
times the whole process, interpreter start-up included. The subclass's `on_mount` does not
call `super().on_mount()`: Textual calls every class's handler, so that ran qualtui's twice
and pushed the main screen twice.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.screen import Screen

IDLE_SECONDS = 5.0
POLL_SECONDS = 0.001


def cpu_seconds() -> float:
    return time.process_time()


def finish(app: Any, moment: str, ready: Callable[[], bool]) -> None:
    """At `moment`, end the process (after measuring the idle CPU for `idle`)."""

    def check() -> None:
        if not ready():
            # Polled every millisecond, not after every refresh: a refresh loop spins on
            # the UI thread and starves the threads the moment waits for (boto3's import
            # after the first frame took over 8 s that way).
            app.set_timer(POLL_SECONDS, check)
        elif moment == "idle":
            app.set_timer(1.0, start_idle)
        else:
            os._exit(0)

    def start_idle() -> None:
        started = cpu_seconds()
        threads = [t.name for t in threading.enumerate()]

        def done() -> None:
            print(json.dumps({"cpu_s": cpu_seconds() - started, "threads": threads}), flush=True)
            os._exit(0)

        app.set_timer(IDLE_SECONDS, done)

    app.call_after_refresh(check)


def end_at_first_frame(moment: str, renderable: RenderableType | None, shown: bool) -> None:
    """In `App._display`: the `first` moment is the first frame made of the screen `shown`."""
    if moment == "first" and renderable is not None and shown:
        os._exit(0)


def keys_shown(screen: Screen[Any]) -> bool:
    """The key bar's keys are on the screen (Footer composes none until the screen's first
    binding refresh, a frame or more after its own first frame)."""
    return bool(screen.query("FooterKey"))


def end_at_complete_frame(moment: str, renderable: RenderableType | None, done: bool) -> None:
    """In `App._display`: the `complete` moment is the first frame made with all shown."""
    if moment == "complete" and renderable is not None and done:
        os._exit(0)


def start_reference(app: Any, moment: str) -> None:
    """A reference app's `on_mount`: the idle moment's measure starts once it is up."""
    if moment == "idle":
        finish(app, moment, lambda: True)


def end_reference(moment: str, screen: Screen[Any], renderable: RenderableType | None) -> None:
    """A reference app's hook in `App._display`: its first frame is the first with its
    Input; its complete frame, the first with its key bar's keys too."""
    shown = bool(screen.query("Input"))
    end_at_first_frame(moment, renderable, shown)
    if moment == "complete":  # (queried only then: not in the idle window's frames)
        end_at_complete_frame(moment, renderable, shown and keys_shown(screen))


def minimal(moment: str) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Input, Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Input(placeholder="Worker ID")
            yield Static("result")
            yield Footer()

        def on_mount(self) -> None:
            start_reference(self, moment)

        def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
            super()._display(screen, renderable)
            end_reference(moment, screen, renderable)

    Minimal().run(headless=True)


def same_kinds(moment: str) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Button, DataTable, Footer, Input, Select, Static

    class SameKinds(App[None]):
        BINDINGS = [(f"f{n}", "bell", f"Key {n}") for n in range(1, 10)]

        def compose(self) -> ComposeResult:
            yield Select([("default", "default"), ("research", "research")], value="default")
            yield Select([("production", "production"), ("sandbox", "sandbox")], value="sandbox")
            yield Input(placeholder="Qualification type ID")
            yield Input(placeholder="Worker ID")
            yield Button("Look up")
            yield Static("result")
            table: DataTable[str] = DataTable()
            table.add_columns("time", "worker", "type", "outcome")
            yield table
            yield Footer()

        def on_mount(self) -> None:
            start_reference(self, moment)

        def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
            super()._display(screen, renderable)
            end_reference(moment, screen, renderable)

    SameKinds().run(headless=True)


def qualtui(history: Path, moment: str) -> None:
    from qualtui.core import collector

    collector.pause_for_start()  # the command's first step (qualtui.launch), then its imports

    from qualtui.app import QualtuiApp
    from qualtui.cli import config_from_args, shared_only
    from qualtui.core import settings
    from qualtui.core.connection import EndpointPlan
    from qualtui.screens.main import MainScreen  # what qualtui.app imports: nothing more

    args = shared_only([])  # how the `qualtui` command reads its command line
    assert args is not None
    config = replace(
        config_from_args(args, settings.load(settings.settings_path())),
        history_path=history,
        endpoints=EndpointPlan(override="http://127.0.0.1:9"),
        history_limit=10_000_000,
        history_cap=10_000_000,
    )

    class FirstFrame(QualtuiApp):
        # No super().on_mount(): Textual calls every class's handler, QualtuiApp's after
        # this one (calling it here too pushed the main screen twice).
        def on_mount(self) -> None:
            if moment in ("checked", "idle"):
                finish(self, moment, ready)

        def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
            super()._display(screen, renderable)
            main = isinstance(screen, MainScreen)
            end_at_first_frame(moment, renderable, main and bool(screen.query("LookupForm")))
            if moment == "complete":  # (queried only then: not in the idle window's frames)
                end_at_complete_frame(moment, renderable, main and drawn(screen))

    def drawn(screen: Screen[Any]) -> bool:
        """Everything the main screen shows is in the frame just made: the pickers with the
        profiles read, the lookup button (where the width shows it: not below 100 columns,
        as here at 80), the history's rows and the key bar's keys, beside
        the first frame's form, note and result panel. Its connection check may still be
        under way (`checked`)."""
        assert isinstance(screen, MainScreen)
        return (
            bool(screen.query("#profile"))
            and screen.bar.profiles_read
            and (bool(screen.query("#lookup-button")) or screen.has_class("-narrow"))
            and keys_shown(screen)
            and bool(screen.query("#history-pane"))
            and screen.history.row_count > 0
        )

    def ready() -> bool:
        """The `checked` and `idle` moments (`first` and `complete` end in `_display`)."""
        main = app.screen
        if not isinstance(main, MainScreen) or not main.is_mounted:
            return False
        checked = main.bar.check is not None and main.history.revision >= 0
        return checked and (moment != "idle" or threading.active_count() == 1)

    app = FirstFrame(config)
    app.run(headless=True)


if __name__ == "__main__":
    which = sys.argv[1]
    if which == "minimal":
        minimal(sys.argv[2] if len(sys.argv) > 2 else "first")
    elif which == "same-kinds":
        same_kinds(sys.argv[2] if len(sys.argv) > 2 else "first")
    else:
        qualtui(Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "first")
