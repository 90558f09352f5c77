"""Driving the app like a person: type, Tab, Enter; read what the screen shows."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from qualtui.app import QualtuiApp
from qualtui.core import settings
from qualtui.core.config import AppConfig
from qualtui.endpoint import Call, Fault, LocalMTurk
from qualtui.screens.main import MainScreen
from qualtui.widgets.history_table import HistoryTable
from tests.conftest import until

SCORE = "GetQualificationScore"
SIZE = (120, 36)  # the terminal size of the app tests (and of the README's pictures)
MakeConfig = Callable[..., AppConfig]  # the make_config fixture


def config_from_command_line(*argv: str) -> AppConfig:
    """The config exactly as `qualtui ARGV` builds it: the command line's options, the
    settings file (in the isolated config directory), nothing a fixture sets differently."""
    from qualtui.cli import build_parser, config_from_args

    args = build_parser().parse_args(list(argv))
    return config_from_args(args, settings.load(settings.settings_path()))


def app_from_command_line(*argv: str) -> QualtuiApp:
    """The app exactly as `qualtui ARGV` builds it."""
    return QualtuiApp(config_from_command_line(*argv))


# What the app tests run with unless their own options say otherwise (a later option wins):
# two attempts and short timeouts, so that a failure shows without the defaults' retries.
TEST_CLIENT_OPTIONS = ("--max-attempts", "2", "--timeout", "5", "--connect-timeout", "2")


@contextlib.asynccontextmanager
async def running(
    *argv: str, size: tuple[int, int] = SIZE, notifications: bool = False, **config: Any
) -> AsyncIterator[tuple[QualtuiApp, Pilot[None]]]:
    """`async with running(*argv) as (app, pilot)`: the app as `qualtui ARGV` builds it
    (`--demo` included: its local endpoints run until the block ends), running at `size`.
    `config`: the few things no command line can say (an endpoint per environment, start-up
    notices), replaced in the command line's AppConfig."""
    from qualtui.cli import build_parser, config_from_args

    args = build_parser().parse_args([*TEST_CLIENT_OPTIONS, *argv])
    with contextlib.ExitStack() as stack:
        built = config_from_args(args, settings.load(settings.settings_path()))
        if args.demo:
            from qualtui.demo import demo_config

            built = stack.enter_context(demo_config(built, args.fault))
        app = QualtuiApp(replace(built, **config) if config else built)
        async with app.run_test(size=size, notifications=notifications) as pilot:
            yield app, pilot


@contextlib.contextmanager
def demo_app_from_command_line(*argv: str) -> Iterator[QualtuiApp]:
    """The app as `qualtui --demo ARGV` builds it, its local endpoints running."""
    from qualtui.cli import build_parser, config_from_args
    from qualtui.demo import demo_config

    args = build_parser().parse_args(["--demo", *argv])
    config = config_from_args(args, settings.load(settings.settings_path()))
    with demo_config(config, args.fault) as demo:
        yield QualtuiApp(demo)


def lookups(endpoint: LocalMTurk) -> list[Call]:
    """The lookups that reached `endpoint` (not the connection checks)."""
    return endpoint.calls_to(SCORE)


def screen(app: QualtuiApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def panel_text(app: QualtuiApp) -> str:
    return str(app.screen.query_one("#result-body", Static).content)


HISTORY_FIELDS = ("When", "Env", "Qualification", "Worker", "Outcome", "Score", "Locale")


def history_rows(app: QualtuiApp) -> list[list[str]]:
    """The history's rows, each row's cells in HISTORY_FIELDS order (not the order the table
    shows its columns in: Worker, Outcome and Score come first there)."""
    table = app.screen.query_one(HistoryTable)
    order = [table.get_column_index(name) for name in HISTORY_FIELDS]
    rows = [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]
    return [[row[i] for i in order] for row in rows]


async def ready(pilot: Pilot[None]) -> None:
    """Wait for the main screen, its history, its profile list and the connection check."""
    app = pilot.app
    await until(lambda: isinstance(app.screen, MainScreen))
    main = screen(app)  # type: ignore[arg-type]
    await until(lambda: main.complete)
    await until(lambda: main.history_pane.loaded)
    await until(lambda: main.bar.check is not None and not main.bar.checking)
    await settled(pilot)


async def settled(pilot: Pilot[None]) -> None:
    """Wait until every key, paste and click so far has taken effect (see KeyOrder)."""
    app = pilot.app
    assert isinstance(app, QualtuiApp)
    await until(lambda: app.key_order.idle)
    await app.key_order.settle()


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[{" ": "space", "\t": "tab"}.get(c, c) for c in text])


async def paste(pilot: Pilot[None], text: str) -> None:
    """Paste as a terminal's bracketed paste does: the app passes it to the focused widget."""
    focused = pilot.app.focused
    assert focused is not None
    pilot.app.post_message(events.Paste(text))
    await settled(pilot)


async def look_up(pilot: Pilot[None], type_id: str, worker_id: str) -> None:
    """Select-all and paste each ID (Tab between them), press Enter, wait for the answer."""
    app = pilot.app
    main = screen(app)  # type: ignore[arg-type]
    main.form.type_input.focus()
    await pilot.press("ctrl+a", "ctrl+k")  # clear the field (readline keys)
    await paste(pilot, type_id)
    await pilot.press("tab", "ctrl+a", "ctrl+k")
    await paste(pilot, worker_id)
    await pilot.press("enter")
    await until(lambda: not main.busy)
    await settled(pilot)


def first_answer_held(endpoint: LocalMTurk) -> threading.Event:
    """The next GetQualificationScore waits at the endpoint until the returned event is set
    (a slow answer the test ends when it chooses, never after a fixed time)."""
    answer = threading.Event()
    endpoint.add_fault(Fault("latency", operation=SCORE, delay=60, times=1, release=answer))
    return answer
