"""Text from outside (AWS files, history files, paths, the service) is shown literally
everywhere: markup does nothing, escape sequences are neutralised, and no secret is shown."""

from __future__ import annotations

import pytest
from textual.widgets import Select, Static

from qualtui.app import QualtuiApp
from qualtui.dialogs.export import ExportScreen
from qualtui.endpoint import Fault, LocalMTurk
from tests.apphelpers import (
    SCORE,
    history_rows,
    look_up,
    panel_text,
    paste,
    ready,
    running,
    screen,
)
from tests.conftest import (
    ACCESS_KEY,
    OTHER_ACCESS_KEY,
    OTHER_SECRET_KEY,
    SECRET_KEY,
    SESSION_TOKEN,
    TRANSCRIBE,
    Isolation,
    until,
)
from tests.historyhelpers import entry, write_history

CLICK = "[@click=app.quit]q[/]"
BOLD = "[bold]b[/]"
ESC = "\x1b[31m"


def toasts(app: QualtuiApp) -> list[str]:
    """What the notifications on screen show, as rendered."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


async def test_profile_names_render_literally_in_the_connection_bar(
    endpoint: LocalMTurk, isolated: Isolation
) -> None:
    isolated.write_aws_files(
        credentials=f"[{CLICK}]\naws_access_key_id = AKIAUNKNOWN000000000\n"
        "aws_secret_access_key = whatever\n"
    )
    async with running("--endpoint-url", endpoint.url, "--profile", CLICK) as (app, pilot):
        await ready(pilot)
        main = screen(app)
        check = main.bar.check
        assert check is not None and check.failure is not None  # unknown keys
        note = str(main.bar.query_one("#connection-note", Static).content)
        assert check.failure.title in note
        select = main.bar.query_one("#profile", Select)
        labels = [str(prompt) for prompt, _ in select._options]
        assert f"{CLICK}  static keys" in labels  # the name, then what the profile is
        await pilot.click("#connection-note")
        await pilot.click("#profile")
        await pilot.press("escape")
        assert app.is_running
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        assert CLICK in panel_text(app)  # "...the access key of [@click=app.quit]q[/]"
        assert app.is_running


async def test_history_files_render_literally_in_the_table(isolated: Isolation) -> None:
    hostile = entry(1, f"A{BOLD}{ESC}", type_id=f"3{CLICK}")
    write_history(isolated.data_dir / "history.json", [hostile])
    async with running("--endpoint-url", "http://127.0.0.1:9") as (app, pilot):
        await ready(pilot)
        [row] = history_rows(app)
        assert row[2] == f"3{CLICK}"
        assert row[3] == f"A{BOLD}\N{REPLACEMENT CHARACTER}[31m"  # ESC neutralised
        await pilot.click("#history-table", offset=(10, 1))
        await pilot.press("f3", "enter")
        assert app.is_running


@pytest.mark.parametrize("name", [BOLD, CLICK])
async def test_notifications_render_literally(isolated: Isolation, name: str) -> None:
    write_history(isolated.data_dir / "history.json", [entry(1)])
    folder = isolated.root / name
    folder.mkdir(parents=True)  # "[/]" makes two levels: fine
    closed = ("--endpoint-url", "http://127.0.0.1:9")  # nothing listens there
    async with running(*closed, notifications=True) as (app, pilot):
        await ready(pilot)
        await pilot.press("f3", "e")
        await until(lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, str(folder / "x.csv"))
        await pilot.press("enter")
        await until(lambda: (folder / "x.csv").exists())
        await until(lambda: any(name in text for text in toasts(app)))
        [shown] = [text for text in toasts(app) if "Exported" in text]
        assert f"Exported 1 lookup to {folder / 'x.csv'}" in shown
        assert app.is_running


async def test_no_secret_is_ever_on_screen(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    aws_profiles.aws_credentials.write_text(
        f"[temp]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
        f"aws_session_token = {SESSION_TOKEN}\n\n"
        f"[wrong]\naws_access_key_id = {OTHER_ACCESS_KEY}\n"
        f"aws_secret_access_key = {OTHER_SECRET_KEY}x\n"
    )
    endpoint.add_fault(Fault("error", operation=SCORE, worker_id="A2REVOKEDWORKER", code="X"))
    screens: list[str] = []
    async with running("--endpoint-url", endpoint.url, "--profile", "temp") as (app, pilot):
        await ready(pilot)
        screens.append(app.export_screenshot())
        for worker in ("A1GRANTEDWORKER", "A2REVOKEDWORKER"):
            await look_up(pilot, TRANSCRIBE, worker)
            screens.append(app.export_screenshot())
        screen(app).bar.query_one("#profile", Select).value = "wrong"
        await until(lambda: (c := screen(app).bar.check) is not None and c.failure is not None)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        assert "signature" in panel_text(app).lower()  # the wrong secret was really tried
        screens.append(app.export_screenshot())
    for svg in screens:
        for secret in (SECRET_KEY, SESSION_TOKEN, OTHER_SECRET_KEY):
            assert secret not in svg
            assert secret[:12] not in svg
