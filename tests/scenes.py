"""Every screen of the README, from demo mode, repeatably. `python scripts/screenshots.py`
writes them to screenshots/; the same scenes drive the snapshot tests
(tests/test_snapshots.py). A developer tool: it lives with the tests, not in the package. Repeatable means: a fixed
clock, fixed demo data, times shown in UTC, no cursor blink, and timings (which vary from run
to run) replaced by fixed figures before the picture is taken.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static, TextArea

from qualtui import demo
from qualtui.app import QualtuiApp
from qualtui.core.client import ClientSettings
from qualtui.core.config import AppConfig
from qualtui.core.connection import SANDBOX
from qualtui.core.history import HistoryEntry, serialize
from qualtui.core.models import (
    Failure,
    FailureKind,
    Locale,
    LookupRequest,
    LookupResult,
    Qualification,
)
from qualtui.endpoint import Fault

SIZE = (120, 36)
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=timezone.utc)
DARK, LIGHT = "textual-dark", "textual-light"

Setup = Callable[[Pilot[None]], Awaitable[None]]


@dataclass(frozen=True)
class Scene:
    name: str
    caption: str
    setup: Setup
    theme: str = DARK
    faults: tuple[Fault, ...] = ()
    history: bool = False  # start with a made-up history
    size: tuple[int, int] = SIZE  # the terminal's columns and rows


class TickingClock:
    """NOW, one second later at each call: fixed, yet lookups keep their order."""

    def __init__(self) -> None:
        self._calls = 0
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            self._calls += 1
            return NOW + timedelta(seconds=self._calls)


# --------------------------------------------------------------------------- helpers


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("screenshot scene did not settle")
        await pilot.pause(0.02)


def main_screen(pilot: Pilot[None]):  # type: ignore[no-untyped-def]
    from qualtui.screens.main import MainScreen

    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def ready(pilot: Pilot[None]) -> None:
    from qualtui.screens.main import MainScreen

    await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
    main = main_screen(pilot)
    await until(pilot, lambda: main.bar.check is not None and main.history_pane.loaded)


async def look_up(
    pilot: Pilot[None], worker: str, type_id: str = demo.TRANSCRIBE, *, details: bool = True
) -> None:
    main = main_screen(pilot)
    history = main.history
    remembered = history.total
    main.form.fill(type_id, worker)
    main.form.worker_input.focus()
    await pilot.press("enter")
    await until(pilot, lambda: not main.busy and main.panel.result is not None)
    await until(pilot, lambda: main.panel.result.request.worker_id == worker)
    if details:  # the type's details arrive just after the score
        await until(pilot, lambda: main.panel.qualification_type is not None)
    # and the history, saved in the background, shows the lookup
    await until(
        pilot,
        lambda: history.total == remembered + 1 and history.matching[0].worker_id == worker,
    )


async def still(pilot: Pilot[None]) -> None:
    """Every key pressed has taken effect; no blinking cursor, no timings that change
    between runs."""
    app = pilot.app
    if isinstance(app, QualtuiApp):
        await until(pilot, lambda: app.key_order.idle)
        await app.key_order.settle()
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for area in app.screen.query(TextArea):
        area.cursor_blink = False
    panel = app.screen.query("#result-panel")
    if panel and panel.first().border_subtitle:
        panel.first().border_subtitle = "12 ms"


def made_up_history() -> list[HistoryEntry]:
    """A week of lookups, for the history pictures."""
    rows: list[tuple[str, str | None, int | None, Locale | None, str, FailureKind | None]] = [
        ("A1GRANTEDWORKER", "Granted", 87, None, "production", None),
        ("A2REVOKEDWORKER", "Revoked", 12, None, "production", None),
        ("A7KQ3ZREVOKED", "Revoked", 40, None, "production", None),
        ("A4LOCALEWORKER", "Granted", None, Locale("US", "WA"), "production", None),
        ("A5NOTHELDWORKER", None, None, None, "production", "not_held"),
        ("A3ZEROSCOREWORKER", "Granted", 0, None, "sandbox", None),
        ("A9THROTTLEDWORKER", None, None, None, "production", "throttled"),
        ("A2REVOKEDWORKER", "Revoked", 12, None, "production", None),
    ]
    entries = []
    for n, (worker, status, score, locale, environment, error) in enumerate(rows):
        from qualtui.core.connection import Connection

        connection = Connection(None, environment, None)
        type_id = demo.LOCALE if locale else demo.TRANSCRIBE
        request = LookupRequest(connection, type_id, worker)
        when = NOW - timedelta(days=6, hours=3) + timedelta(hours=17 * n)
        if error:
            failure = Failure(
                error,
                error,
                "",
                "",
                code="RequestError" if error == "not_held" else "ThrottlingException",
            )
            result = LookupResult(request, when, failure=failure)
        else:
            q = Qualification(
                type_id, worker, status or "", when - timedelta(days=40), score, locale
            )
            result = LookupResult(request, when, qualification=q)
        name = "West Coast panel" if locale else "Audio transcription skill"
        entries.append(replace(HistoryEntry.from_result(result, name), id=f"made-up-{n:02d}"))
    return entries


# --------------------------------------------------------------------------- scenes


async def scene_granted(pilot: Pilot[None]) -> None:
    await ready(pilot)
    for worker in ("A5NOTHELDWORKER", "A2REVOKEDWORKER", "A1GRANTEDWORKER"):
        await look_up(pilot, worker)


async def scene_not_held(pilot: Pilot[None]) -> None:
    await ready(pilot)
    await look_up(pilot, "A5NOTHELDWORKER")


async def scene_error(pilot: Pilot[None]) -> None:
    await ready(pilot)
    main = main_screen(pilot)
    main.switch_environment(SANDBOX)
    # the sandbox's own check: the production one stays on show until the change is seen
    await until(
        pilot,
        lambda: (
            main._checking is not None
            and main._checking.environment == SANDBOX
            and main.bar.check is not None
            and not main.bar.checking
        ),
    )
    await look_up(pilot, "A1GRANTEDWORKER", details=False)  # a production type, in the sandbox


async def scene_sizes(pilot: Pilot[None]) -> None:
    """The main screen with an answer and the history focused (its keys in the footer)."""
    await ready(pilot)
    await look_up(pilot, "A1GRANTEDWORKER")
    await pilot.press("f3")


async def scene_sso_expired(pilot: Pilot[None]) -> None:
    """The connection check found an expired SSO session: verdict, fix and key on one line."""
    from qualtui.core.account import AccountCheck

    await ready(pilot)
    main = main_screen(pilot)
    command = "aws sso login --profile research"
    failure = Failure(
        "sso_expired",
        "SSO session expired",
        "The AWS SSO session for research has expired or was never started.",
        f"Run {command} in a shell, then look up again.",
        command=command,
    )
    main.bar.show_check(AccountCheck(main.connection, failure=failure))
    main.refresh_bindings()


async def scene_history(pilot: Pilot[None]) -> None:
    await ready(pilot)
    await look_up(pilot, "A1GRANTEDWORKER")
    await pilot.press("ctrl+f")
    for key in "revoked":
        await pilot.press(key)
    await pilot.press("enter")


async def _batch(pilot: Pilot[None], workers: str) -> None:
    from qualtui.screens.batch import BatchScreen

    await ready(pilot)
    main = main_screen(pilot)
    main.form.fill(demo.TRANSCRIBE, "")
    await pilot.press("f7")
    await until(pilot, lambda: isinstance(pilot.app.screen, BatchScreen))
    await until(pilot, lambda: isinstance(pilot.app.focused, TextArea))
    pilot.app.post_message(events.Paste(workers))
    area = pilot.app.screen.query_one(TextArea)
    await until(pilot, lambda: area.text == workers)
    await pilot.press("ctrl+r")


BATCH_WORKERS = (
    "A1GRANTEDWORKER\nA2REVOKEDWORKER\nA3ZEROSCOREWORKER\nA4LOCALEWORKER\nA5NOTHELDWORKER\n"
    "A6COUNTRYWORKER\nnot-a-worker\nA1GRANTEDWORKER\nA8SLOWWORKER01\nA8SLOWWORKER02"
)


def _summary(screen: object) -> str:
    from qualtui.screens.batch import BatchScreen

    assert isinstance(screen, BatchScreen)
    return screen.summary()


def cell_width(cell: object) -> int:
    """How many terminal cells a table cell's text takes (Text, Content or plain)."""
    for name in ("cell_len", "cell_length"):
        width = getattr(cell, name, None)
        if isinstance(width, int):
            return width
    return cell_len(str(cell))


def measured(table: DataTable[Any]) -> bool:
    """The table has measured the rows added to it, which it does when next idle: before
    that, its columns are as wide as their labels, and a click lands in another column.
    Checked by what it shows too (every column as wide as its widest cell): the flag alone
    let a snapshot of the holders run in a soak (1 in 16) catch the columns unmeasured."""
    if table._require_update_dimensions:
        return False
    for key, column in table.columns.items():
        cells = [cell_width(cell) for cell in table.get_column(key)]
        if column.auto_width and cells and column.content_width < max(cells):
            return False
    return True


async def scene_batch_running(pilot: Pilot[None]) -> None:
    await _batch(pilot, BATCH_WORKERS)
    screen = pilot.app.screen
    await until(pilot, lambda: len(screen.results) == 6)  # type: ignore[attr-defined]
    table = screen.table  # type: ignore[attr-defined]
    await until(pilot, lambda: table.row_count == 6 and measured(table))
    await pilot.click("#batch-table", offset=(3, 1))  # sort by worker: arrival order varies
    screen.query_one("#batch-rate", Static).update(
        f"6 / 8 · 4.2/s · Esc cancels  ·  {_summary(screen)}"
    )


async def scene_batch_done(pilot: Pilot[None]) -> None:
    await _batch(pilot, BATCH_WORKERS.rsplit("\nA8", 2)[0])
    screen = pilot.app.screen
    await until(pilot, lambda: not screen.running and len(screen.results) == 6)  # type: ignore[attr-defined]
    table = screen.table  # type: ignore[attr-defined]
    await until(pilot, lambda: table.row_count == 6 and measured(table))
    table.focus()
    await pilot.press("o", "o")  # sort by status, the second column (a click could miss it)
    await until(pilot, lambda: table.sorted_by == (1, False))
    screen.query_one("#batch-rate", Static).update(
        f"Done: 6 in 0.1 s (48.0/s)  ·  {_summary(screen)}"
    )


async def _holders(pilot: Pilot[None]):  # type: ignore[no-untyped-def]
    """F8 on the demo's image-tagging type: its first page and its name shown."""
    from qualtui.screens.holders import HoldersScreen

    await ready(pilot)
    main_screen(pilot).form.fill("3DEMOIMAGETAG00000000000000001", "")
    await pilot.press("f8")
    await until(pilot, lambda: isinstance(pilot.app.screen, HoldersScreen))
    screen = pilot.app.screen
    assert isinstance(screen, HoldersScreen)
    await until(pilot, lambda: screen.pages == 1 and not screen.fetching)
    await until(pilot, lambda: screen.type_name is not None)
    await until(pilot, lambda: measured(screen.table))  # the columns as wide as their rows
    return screen


async def scene_holders(pilot: Pilot[None]) -> None:
    await _holders(pilot)


def _page_loaded(screen: Any, pages: int) -> Callable[[], bool]:
    return lambda: screen.pages == pages and not screen.fetching


async def scene_holders_all(pilot: Pilot[None]) -> None:
    """Every status, every page loaded: the count of each, no "More" key."""
    from textual.widgets import Select

    screen = await _holders(pilot)
    screen.query_one("#holders-status", Select).value = "All"
    await until(pilot, lambda: screen.listed_status == "All")
    await until(pilot, _page_loaded(screen, 1))
    while screen.next_token:
        loaded = _page_loaded(screen, screen.pages + 1)
        await pilot.press("m")
        await until(pilot, loaded)
    await until(pilot, lambda: measured(screen.table))


async def scene_holders_filtered(pilot: Pilot[None]) -> None:
    """Filtered (/) to those granted in September, sorted by score, descending (o o o, O)."""
    screen = await _holders(pilot)
    await pilot.press("slash", *"2026-09", "enter")
    await pilot.press("o", "o", "o", "O")
    await until(pilot, lambda: screen.table.sorted_by == (2, True))
    await until(pilot, lambda: measured(screen.table))


async def scene_worker_profile(pilot: Pilot[None]) -> None:
    from qualtui.screens.worker_profile import WorkerProfileScreen

    await ready(pilot)
    main = main_screen(pilot)
    main.form.fill(demo.TRANSCRIBE, "A1GRANTEDWORKER")
    main.form.worker_input.focus()
    await pilot.press("f10")
    await until(pilot, lambda: isinstance(pilot.app.screen, WorkerProfileScreen))
    screen = pilot.app.screen
    assert isinstance(screen, WorkerProfileScreen)
    await until(pilot, lambda: not screen.running and screen.table.row_count == 134)
    screen.query_one("#profile-state", Static).update("Done: 134 types in 0.4 s")


async def scene_hit_picker(pilot: Pilot[None]) -> None:
    from textual.widgets import OptionList

    from qualtui.dialogs.hit_picker import HitPickerScreen

    await ready(pilot)
    main = main_screen(pilot)
    main.form.fill(demo.TRANSCRIBE, "")
    main.workers_from_hits()
    await until(pilot, lambda: isinstance(pilot.app.screen, HitPickerScreen))
    picker = pilot.app.screen
    await until(pilot, lambda: picker.loaded is not None)  # type: ignore[attr-defined]
    option_list = picker.query_one("#hit-list", OptionList)
    option_list.focus()
    for hit_id in ("3DEMOHITSURVEY0000000000000001", "3DEMOHITPILOT00000000000000001"):
        option_list.highlighted = option_list.get_option_index(hit_id)
        await pilot.press("space")
    await until(pilot, lambda: len(picker.marked) == 2)  # type: ignore[attr-defined]


async def scene_help(pilot: Pilot[None]) -> None:
    from qualtui.dialogs.help import HelpScreen

    await ready(pilot)
    await pilot.press("f1")
    await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))


async def scene_change_confirm(pilot: Pilot[None]) -> None:
    from qualtui.dialogs.change_input import ChangeInputScreen
    from qualtui.dialogs.confirm_change import ConfirmChangeScreen

    await ready(pilot)
    await look_up(pilot, "A1GRANTEDWORKER")
    main_screen(pilot).panel.border_subtitle = "12 ms"  # under the dialog: `still` misses it
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, ChangeInputScreen))
    await pilot.press("plus", "5", "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmChangeScreen))
    fixed_port(pilot.app.screen)
    # "Reading the worker's current state…" lives 2 s: whether it is still on screen when the
    # picture is taken depended on the machine's load. The picture is of the dialog alone.
    await until(pilot, lambda: not pilot.app.screen.query("Toast"))


def fixed_port(dialog: object) -> None:
    """The demo endpoint's port changes from run to run: shown as a fixed one."""
    import re

    from qualtui.dialogs.confirm_change import ConfirmChangeScreen, confirmation_content

    assert isinstance(dialog, ConfirmChangeScreen)
    c = dialog.confirmation
    url = re.sub(r":\d+", ":8443", c.connection.endpoint_url or "")
    shown = replace(c, connection=c.connection._replace(endpoint_url=url))
    skip = ("Notify",) if c.notify_choice else ()
    dialog.query_one("#change-lines", Static).update(confirmation_content(shown, skip=skip))


async def scene_plan_diff(pilot: Pilot[None]) -> None:
    from qualtui.dialogs.change_input import ChangeInputScreen
    from qualtui.screens.plan_diff import PlanDiffScreen

    await _batch(pilot, BATCH_WORKERS.rsplit("\nA8", 2)[0])
    screen = pilot.app.screen
    await until(pilot, lambda: not screen.running and len(screen.results) == 6)  # type: ignore[attr-defined]
    table = screen.table  # type: ignore[attr-defined]
    await until(pilot, lambda: table.row_count == 6 and measured(table))
    await pilot.click("#batch-table", offset=(3, 1))  # sort by worker: arrival order varies
    await pilot.press("b")
    await until(pilot, lambda: isinstance(pilot.app.screen, ChangeInputScreen))
    await until(pilot, lambda: isinstance(pilot.app.focused, Input))
    await pilot.press("9", "0", "enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, PlanDiffScreen))
    plan = pilot.app.screen
    assert isinstance(plan, PlanDiffScreen)
    await until(pilot, lambda: plan.phase == "diff")
    table = plan.query_one(DataTable)
    # every row of the diff added, then measured (before that the columns are label-wide)
    await until(pilot, lambda: table.row_count == 6)
    await until(pilot, lambda: measured(table))


SCENES = (
    Scene(
        "lookup-granted",
        "A worker who holds the qualification: status, score, grant time and what the type is.",
        scene_granted,
        history=True,
    ),
    Scene(
        "lookup-not-held", "A worker who does not hold it: an answer, not an error.", scene_not_held
    ),
    Scene(
        "error-fix",
        "A production ID looked up in the sandbox: what happened and what to do.",
        scene_error,
    ),
    Scene(
        "history-filtered",
        "The history, filtered as you type; r re-runs a row, e exports.",
        scene_history,
        history=True,
    ),
    Scene(
        "batch-running",
        "A batch in progress: invalid IDs skipped, duplicates looked up once.",
        scene_batch_running,
        faults=(
            Fault("latency", worker_id="A8SLOWWORKER01", delay=60),
            Fault("latency", worker_id="A8SLOWWORKER02", delay=60),
        ),
    ),
    Scene("batch-done", "A finished batch, sorted by status, ready to export.", scene_batch_done),
    *(
        Scene(
            f"batch-done-{w}x{h}",
            f"A finished batch at {w}x{h}: rows, and the summary with its counts.",
            scene_batch_done,
            size=(w, h),
        )
        for w, h in ((60, 20), (80, 24), (120, 40))
    ),
    Scene("holders", "Who holds a qualification, a page at a time.", scene_holders),
    Scene(
        "holders-60x20",
        "Who holds a qualification, in a 60x20 pane: rows and their count.",
        scene_holders,
        size=(60, 20),
    ),
    Scene(
        "holders-80x24",
        "Every status, every page: how many of each; nothing more to load.",
        scene_holders_all,
        size=(80, 24),
    ),
    Scene(
        "holders-120x40",
        "Filtered with /, sorted by score with o (O reverses), at 120x40.",
        scene_holders_filtered,
        size=(120, 40),
    ),
    Scene(
        "worker-profile",
        "F10: every qualification type you own, for one worker, held first.",
        scene_worker_profile,
    ),
    Scene(
        "hit-picker",
        "Your HITs (Ctrl+P, Workers from a HIT…): mark some, Enter looks up their workers.",
        scene_hit_picker,
    ),
    Scene("help", "F1: every key and what the fields mean.", scene_help),
    Scene(
        "change-confirm",
        "Ctrl+S on a result: the change confirmed first, Production unmistakable.",
        scene_change_confirm,
    ),
    Scene(
        "plan-diff",
        "Change all, from a batch: the dry run's diff, counts on top; nothing written yet.",
        scene_plan_diff,
    ),
    Scene("lookup-light", "The light theme.", scene_granted, theme=LIGHT, history=True),
    *(
        Scene(
            f"main-{w}x{h}", f"The main screen at {w}x{h}.", scene_sizes, history=True, size=(w, h)
        )
        for w, h in ((60, 20), (80, 24), (120, 40))
    ),
    *(
        Scene(
            f"sso-expired-{w}x{h}",
            f"An expired SSO session at {w}x{h}.",
            scene_sso_expired,
            size=(w, h),
        )
        for w, h in ((60, 20), (80, 24))
    ),
)


# --------------------------------------------------------------------------- running


@contextmanager
def scene_app(scene: Scene, data_dir: Path) -> Iterator[QualtuiApp]:
    """The demo app for a scene, with its own endpoints, data directory and fixed clock."""
    # the ms stamp MTurk puts in error messages: fixed
    endpoints = demo.DemoEndpoints.start(scene.faults, stamp=lambda: 1795443000000)
    try:
        history = data_dir / "demo-history.json"
        if scene.history:
            history.write_bytes(serialize(made_up_history()))
        config = AppConfig(
            history_path=history,
            endpoints=endpoints.plan,
            client_settings=endpoints.client_settings(ClientSettings()),
            demo_examples=demo.EXAMPLES,
            clock=TickingClock(),
        )
        app = QualtuiApp(config)
        app.theme = scene.theme
        yield app
    finally:
        endpoints.stop()


def use_utc() -> None:
    """Local times in the pictures are UTC, whatever the machine's zone."""
    os.environ["TZ"] = "UTC"
    time.tzset()
