"""Nothing vanishes (#13) and nothing is hidden (#14): a background thread's exception is
logged and shown with the log's path; an "Unexpected error" shows where the log is and F6
or the palette copies it; a dialog hides the keys of the screen beneath it."""

from __future__ import annotations

import logging
import threading

import pytest
from textual.widgets import Footer

from qualtui.core import daemon_call, thread_errors
from qualtui.core.errors import unexpected
from qualtui.core.models import LookupRequest, LookupResult
from qualtui.core.paths import log_file
from qualtui.dialogs.help import HelpScreen
from qualtui.endpoint import LocalMTurk
from qualtui.screens.main import lookups as lookups_module
from tests.apphelpers import (
    app_from_command_line,
    look_up,
    panel_text,
    ready,
    screen,
    settled,
)
from tests.conftest import TRANSCRIBE, Isolation, until
from tests.headless_child import run_headless


def notices(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def test_a_worker_exception_is_logged_and_shown(
    endpoint: LocalMTurk, aws_profiles: Isolation, caplog: pytest.LogCaptureFixture
) -> None:
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)

        def boom() -> None:
            raise RuntimeError("secret=hunter2 went wrong")

        with caplog.at_level(logging.ERROR, logger="qualtui"):
            screen(app).run_worker(boom, thread=True, exit_on_error=False, name="boom")
            await until(lambda: any("Something failed" in n for n in notices(app)))
        shown = next(n for n in notices(app) if "Something failed" in n)
        assert "boom" in shown and "RuntimeError" in shown and str(log_file()) in shown
        assert "hunter2" not in shown  # the details go to the log, not the screen
        record = next(r for r in caplog.records if r.exc_info)
        assert record.exc_info is not None and isinstance(record.exc_info[1], RuntimeError)
        assert app.is_running  # and the app goes on


def test_an_abandoned_daemon_call_still_reports_its_exception() -> None:
    reported: list[tuple[str, BaseException]] = []
    stop = thread_errors.listen(lambda where, error: reported.append((where, error)))
    release = threading.Event()

    def call() -> None:
        release.wait(10)
        raise ValueError("late")

    try:
        with pytest.raises(daemon_call.Cancelled):
            daemon_call.call_on_daemon(call, lambda: True, name="slow-call")
        release.set()
        deadline = threading.Event()
        for _ in range(200):
            if reported:
                break
            deadline.wait(0.05)
    finally:
        stop()
    assert reported and "slow-call" in reported[0][0]
    assert isinstance(reported[0][1], ValueError)


async def test_an_unexpected_error_shows_the_log_and_f6_copies_it(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No answer of the endpoint is unexpected (each is explained): the lookup itself fails
    # the way an unknown exception does.
    def failing(clients: object, request: LookupRequest, **_: object) -> LookupResult:
        from datetime import datetime, timezone

        return LookupResult(request, datetime.now(timezone.utc), failure=unexpected(KeyError()))

    monkeypatch.setattr(lookups_module, "lookup_score", failing)
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await until(lambda: "Unexpected error" in panel_text(app))
        unwrapped = "".join(panel_text(app).split())  # a long path wraps under its label
        assert f"Log{log_file()}F6copiesitspath" in unwrapped
        await pilot.press("f6")
        await settled(pilot)
        assert app.clipboard == str(log_file())
        app.copy_to_clipboard("")
        offered = {c.title: c for c in app.get_system_commands(app.screen)}
        offered["Copy the log file's path"].callback()
        await until(lambda: app.clipboard == str(log_file()))


async def test_a_dialog_hides_the_keys_of_the_screen_beneath(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        main = screen(app)
        footer = main.query_one(Footer)
        assert footer.styles.visibility == "visible"
        await pilot.press("f1")
        await until(lambda: isinstance(app.screen, HelpScreen))
        await settled(pilot)
        assert footer.styles.visibility == "hidden"
        await pilot.press("escape")
        await until(lambda: app.screen is main)
        await settled(pilot)
        assert footer.styles.visibility == "visible"


CRASHING_CHILD = """
import sys

from qualtui.widgets import steady_footer


def broken(self):  # an error nothing handles, raised as the main screen is completed
    raise RuntimeError("a bug in the key bar, with a secret=AKIAIOSFODNN7EXAMPLE local")


steady_footer.SteadyFooter.__init__ = broken
from qualtui.launch import main

sys.exit(main(["--endpoint-url", "http://127.0.0.1:9"]))
"""


def test_an_error_nothing_handles_ends_the_app_with_one_line_and_the_traceback_in_the_log(
    isolated: Isolation,
) -> None:
    """Textual prints an unhandled exception's traceback, every frame's locals included,
    and the command exited 0. The `qualtui` command prints one line naming the log file,
    exits 1, and the traceback is in the log."""
    done = run_headless(CRASHING_CHILD)
    shown = done.stdout + done.stderr
    assert done.returncode == 1, shown
    assert "Traceback" not in shown and "AKIA" not in shown and "locals" not in shown
    assert f"qualtui: unexpected error (RuntimeError); details in {log_file()}" in shown
    logged = log_file().read_text()
    assert "Traceback" in logged and "a bug in the key bar" in logged
    assert "AKIAIOSFODNN7EXAMPLE" not in logged  # the log redacts keys
