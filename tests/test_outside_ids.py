"""IDs and URLs from outside never reach an input or the screen raw: a crafted history row
is not filled in (its escape sequence would be written to the terminal), a redirect by
AWS_ENDPOINT_URL_MTURK is said in the connection bar, and a URL's password is never shown."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Static

from qualtui.endpoint import LocalMTurk
from tests.apphelpers import SIZE, app_from_command_line, history_rows, lookups, ready, screen
from tests.conftest import Isolation, until
from tests.historyhelpers import entry, write_history

HOSTILE = "A1\x1b]0;pwned\x07\x1b[2J"


def bar_text(app: object) -> str:
    return str(app.screen.query_one("#connection-note", Static).content)  # type: ignore[attr-defined]


async def test_a_crafted_history_row_is_not_filled_in_or_run(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    write_history(aws_profiles.data_dir / "history.json", [replace(entry(1), worker_id=HOSTILE)])
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        await until(lambda: len(history_rows(app)) == 1)
        assert "\x1b" not in "".join(history_rows(app)[0])
        main.history.focus()
        await pilot.press("enter")
        await until(lambda: any("Not filled in" in n.message for n in app._notifications))
        await pilot.press("r")
        await until(lambda: sum("Not filled in" in n.message for n in app._notifications) == 2)
        assert main.form.worker_input.value == ""
        assert all("\x1b" not in n.message for n in app._notifications)
        assert lookups(endpoint) == []


async def test_an_environment_endpoint_redirect_is_said_in_the_bar(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_MTURK", endpoint.url)
    app = app_from_command_line("--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "Connected" in bar_text(app)
        assert f"Production goes to {endpoint.url}" in bar_text(app)


async def test_a_password_in_the_endpoint_url_is_never_shown(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    url = endpoint.url.replace("http://", "http://user:hunter2@")
    app = app_from_command_line("--endpoint-url", url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert endpoint.url in bar_text(app) and "hunter2" not in bar_text(app)
        assert "hunter2" not in app.export_screenshot()


async def test_no_verify_ssl_is_said_in_the_bar(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_from_command_line(
        "--endpoint-url", endpoint.url, "--profile", "default", "--no-verify-ssl"
    )
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "not verified (--no-verify-ssl)" in bar_text(app)


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_a_warning_is_on_screen_at_every_width(
    endpoint: LocalMTurk,
    aws_profiles: Isolation,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
) -> None:
    """Two warnings (a redirect and unverified TLS) under the verdict: both are inside the
    note's visible lines, on a narrow screen too (which shows one line when all is well)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_MTURK", endpoint.url)
    app = app_from_command_line("--profile", "default", "--no-verify-ssl")
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        note = app.screen.query_one("#connection-note", Static)

        def shown() -> list[str]:
            return bar_text(app).splitlines()[: note.content_region.height]

        def says(text: str) -> bool:
            return any(text in line for line in shown())

        await until(lambda: says("Connected") and says("not verified (--no-verify-ssl)"))
        assert shown()[0].startswith("✓ Connected")
        assert says(f"Production goes to {endpoint.url}")
