"""History in the app, connection switching, stale answers, cancel, safety of outside text."""

from __future__ import annotations

import threading

from textual.widgets import Select

from qualtui import demo
from qualtui.core.connection import PRODUCTION, SANDBOX, EndpointPlan
from qualtui.endpoint import Fault, LocalMTurk
from qualtui.widgets.history_table import HistoryTable
from tests.apphelpers import (
    SCORE,
    history_rows,
    look_up,
    lookups,
    panel_text,
    paste,
    ready,
    running,
    screen,
    settled,
)
from tests.conftest import SANDBOX_TYPE, TRANSCRIBE, Isolation, until
from tests.historyhelpers import saved_entries


async def test_history_survives_a_restart_and_reruns_a_chosen_entry(
    endpoint: LocalMTurk,
    sandbox_endpoint: LocalMTurk,
    both_environments: EndpointPlan,
    aws_profiles: Isolation,
) -> None:
    plan = both_environments
    async with running("--profile", "default", endpoints=plan) as (app, pilot):
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        screen(app).bar.query_one("#environment", Select).value = SANDBOX
        await look_up(pilot, SANDBOX_TYPE, "A2REVOKEDWORKER")
        await until(lambda: len(history_rows(app)) == 2)

    # a fresh start, another profile, in production (not the sandbox the settings remember)
    restart = ("--profile", "research", "--region", "us-east-1")
    async with running(*restart, endpoints=plan) as (app, pilot):
        await ready(pilot)
        rows = history_rows(app)
        assert [r[3] for r in rows] == ["A2REVOKEDWORKER", "A1GRANTEDWORKER"]  # newest first
        assert rows[0][1] == "sandbox" and rows[0][4] == "Revoked"
        main = screen(app)
        assert main.bar.environment == PRODUCTION
        # choose the older (production) entry: keyboard into the table, down, Enter
        await pilot.press("f3", "down", "enter")
        await settled(pilot)
        assert main.form.type_input.value == TRANSCRIBE
        assert main.form.worker_input.value == "A1GRANTEDWORKER"
        assert main.bar.environment == PRODUCTION and main.bar.profile == "default"
        assert app.focused is main.form.worker_input
        calls_before = len(lookups(endpoint))
        await pilot.press("enter")
        await until(lambda: not main.busy and "GRANTED" in panel_text(app))
        assert len(lookups(endpoint)) == calls_before + 1
        assert lookups(endpoint)[-1].access_key == "AKIATESTQUALTUI00001"  # the default profile's
        await until(lambda: len(history_rows(app)) == 3)


async def test_profiles_come_from_the_aws_files(
    aws_profiles: Isolation, monkeypatch: object
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("AWS_PROFILE", "research")
    async with running("--endpoint-url", "http://127.0.0.1:9") as (app, pilot):
        await ready(pilot)
        select = app.screen.query_one("#profile", Select)
        await until(lambda: len(select._options) > 2)
        values = [value for _, value in select._options]
        assert values == ["", "default", "research", "sso-dev", "wrongsecret"]
        assert select.value == "research"
        prompts = {value: str(prompt) for prompt, value in select._options}
        assert prompts["sso-dev"] == "sso-dev  SSO · us-east-1"  # what each profile is


async def test_no_profiles_says_environment_credentials(isolated: Isolation) -> None:
    async with running("--endpoint-url", "http://127.0.0.1:9") as (app, pilot):
        await ready(pilot)
        note = app.screen.query_one("#connection-note")
        await until(lambda: "environment credentials" in str(note.content))  # type: ignore[attr-defined]


async def test_switching_environment_changes_the_endpoint_used(
    endpoint: LocalMTurk,
    sandbox_endpoint: LocalMTurk,
    both_environments: EndpointPlan,
    aws_profiles: Isolation,
) -> None:
    plan = both_environments
    async with running("--profile", "default", endpoints=plan) as (app, pilot):
        await ready(pilot)
        await look_up(pilot, SANDBOX_TYPE, "A1GRANTEDWORKER")
        assert "Qualification type not found" in panel_text(app)
        assert "switch the environment to Sandbox" in panel_text(app)
        screen(app).bar.query_one("#environment", Select).value = SANDBOX
        await look_up(pilot, SANDBOX_TYPE, "A1GRANTEDWORKER")
        assert "GRANTED" in panel_text(app) and "Score       50" in panel_text(app)
        assert screen(app).clients.created == 2  # one client per connection
    assert len(lookups(endpoint)) == 1 and len(lookups(sandbox_endpoint)) == 1


async def test_other_regions_warn_and_fail_clearly(aws_profiles: Isolation) -> None:
    async with running("--profile", "default", "--region", "eu-west-1") as (app, pilot):
        await ready(pilot)
        note = str(app.screen.query_one("#connection-note").content)  # type: ignore[attr-defined]
        assert "MTurk only serves us-east-1" in note
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        assert "MTurk is not in this region" in panel_text(app)


async def test_a_newer_lookup_replaces_one_in_flight(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    # The first answer is held until the second lookup has been shown, whatever the load
    # (a 3 s latency here lost that race on a loaded machine).
    first_answer = threading.Event()
    endpoint.add_fault(
        Fault("latency", worker_id="A1GRANTEDWORKER", delay=60, times=1, release=first_answer)
    )
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        main = screen(app)
        await paste(pilot, TRANSCRIBE)
        await pilot.press("tab")
        await paste(pilot, "A1GRANTEDWORKER")
        await pilot.press("enter")
        await until(lambda: main.busy and "Looking up" in panel_text(app))
        await look_up(pilot, TRANSCRIBE, "A3ZEROSCOREWORKER")
        await until(lambda: "A3ZEROSCOREWORKER" in panel_text(app))
        # let the held first answer arrive; it must not replace the newer one
        first_answer.set()
        await until(lambda: main.stale_answers == 1)  # counted as it is dropped
        assert "A3ZEROSCOREWORKER" in panel_text(app) and "A1GRANTEDWORKER" not in panel_text(app)
        # The newer answer is recorded after the frame that drew it, in a thread: wait for
        # its row (reading the rows at once raced with that write on a loaded machine).
        await until(lambda: len(history_rows(app)) >= 1)
        assert [r[3] for r in history_rows(app)] == ["A3ZEROSCOREWORKER"]


async def test_escape_cancels_and_drops_the_late_answer(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    # The answer is held until the test lets it go (after Esc), whatever the machine's load.
    answer = threading.Event()
    endpoint.add_fault(Fault("latency", operation=SCORE, delay=60, times=1, release=answer))
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        main = screen(app)
        await paste(pilot, TRANSCRIBE)
        await pilot.press("tab")
        await paste(pilot, "A1GRANTEDWORKER")
        await pilot.press("enter")
        await until(lambda: main.busy)
        await pilot.press("escape")
        assert not main.busy and "Cancelled" in panel_text(app)
        answer.set()
        await until(lambda: main.stale_answers == 1)  # counted as it is dropped
        assert "Cancelled" in panel_text(app)
        assert history_rows(app) == []
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")  # and it still works
        assert "GRANTED" in panel_text(app)


async def test_service_text_is_shown_literally(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    hostile = "[bold]x[/] [@click=app.quit]quit[/] \x1b[31mred"
    endpoint.add_fault(Fault("error", operation=SCORE, message=hostile, turk_error_code="[b]T[/b]"))
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        text = panel_text(app)
        assert "[bold]x[/] [@click=app.quit]quit[/]" in text
        assert "[b]T[/b]" in text
        assert "\x1b" not in text
        await until(lambda: len(history_rows(app)) == 1)
        app.screen.query_one(HistoryTable).focus()
        await pilot.click("#result-panel")  # clicking around does not run any action
        assert app.is_running


async def test_a_corrupt_history_file_does_not_stop_the_app(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    aws_profiles.data_dir.mkdir(parents=True)
    (aws_profiles.data_dir / "history.json").write_text('{"version": 1, "entries": [{"id"')
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        await until(lambda: any("damaged" in n.message for n in app._notifications))
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await until(lambda: len(history_rows(app)) == 1)
    backups = list(aws_profiles.data_dir.glob("history.json.corrupt-*"))
    assert len(backups) == 1


async def test_demo_mode_keeps_its_own_history(isolated: Isolation) -> None:
    async with running("--demo") as (app, pilot):
        await ready(pilot)
        main = screen(app)
        assert main.form.type_input.value == demo.TRANSCRIBE  # filled in for the demo
        assert "DEMO" in str(app.screen.query_one("#demo-long").content)  # type: ignore[attr-defined]
        await pilot.press("tab")
        await paste(pilot, "A1GRANTEDWORKER")
        await pilot.press("enter")
        await until(lambda: "GRANTED" in panel_text(app))
        await until(lambda: len(history_rows(app)) == 1)
    assert (isolated.data_dir / "demo-history.json").exists()
    assert not (isolated.data_dir / "history.json").exists()
    saved = (isolated.data_dir / "demo-history.json").read_text()
    assert demo.DEMO_CREDENTIALS[1] not in saved and demo.DEMO_CREDENTIALS[0] not in saved
    demo_history = saved_entries(isolated.data_dir / "demo-history.json")
    assert demo_history[0]["worker_id"] == "A1GRANTEDWORKER"
