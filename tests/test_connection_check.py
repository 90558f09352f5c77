"""The connection check (GetAccountBalance) shown in the connection bar, once per change,
and the key that copies the fix command for an expired SSO session."""

from __future__ import annotations

from textual.widgets import Select, Static

from qualtui.app import QualtuiApp
from qualtui.core.connection import SANDBOX, EndpointPlan
from qualtui.endpoint import Fault, LocalMTurk
from tests.apphelpers import (
    look_up,
    panel_text,
    ready,
    running,
    screen,
    type_text,
)
from tests.conftest import TRANSCRIBE, Isolation, until

BALANCE = "GetAccountBalance"


def bar_text(app: QualtuiApp) -> str:
    return str(app.screen.query_one("#connection-note", Static).content)


def checked(app: QualtuiApp, profile: str) -> bool:
    """The check shown is the finished check of `profile`."""
    check = screen(app).bar.check
    return check is not None and check.connection.profile == profile


async def test_the_bar_shows_the_balance_and_checks_once_per_change(
    endpoint: LocalMTurk,
    sandbox_endpoint: LocalMTurk,
    both_environments: EndpointPlan,
    aws_profiles: Isolation,
) -> None:
    plan = both_environments
    async with running("--profile", "default", endpoints=plan) as (app, pilot):
        await ready(pilot)
        assert "✓ Connected" in bar_text(app) and "balance $1,742.50" in bar_text(app)
        assert len(endpoint.calls_to(BALANCE)) == 1
        # typing and looking up do not check again
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await type_text(pilot, "abc")
        assert len(endpoint.calls_to(BALANCE)) == 1
        # a change of environment is checked once, against that environment
        main = screen(app)
        main.bar.query_one("#environment", Select).value = SANDBOX
        await until(lambda: "$10,000.00" in bar_text(app))
        assert len(sandbox_endpoint.calls_to(BALANCE)) == 1
        # a change of profile too, with that profile's keys
        main.bar.query_one("#profile", Select).value = "research"
        await until(lambda: checked(app, "research"))
        check = main.bar.check
        assert check is not None and check.connection.environment == SANDBOX
        # the sandbox endpoint knows only the default keys: research's are refused there
        assert check.failure is not None and check.failure.kind == "bad_keys"
        assert "✗ The access key is not recognised" in bar_text(app)
        assert len(endpoint.calls_to(BALANCE)) == 1


async def test_a_failed_check_names_the_problem_before_any_lookup(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    endpoint.add_fault(
        Fault(
            "error",
            operation=BALANCE,
            code="RequestError",
            turk_error_code="AWS.AccountNotLinked",
            message="Your AWS account must be linked to your Amazon Mechanical Turk Account",
        )
    )
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        assert "✗ AWS account not linked to MTurk" in bar_text(app)
        main = screen(app)
        main.bar.query_one("#profile", Select).value = "wrongsecret"
        await until(lambda: checked(app, "wrongsecret"))
        check = main.bar.check
        assert check is not None and check.failure is not None
        assert check.failure.kind == "bad_keys"
        assert check.failure.title in bar_text(app)


async def test_an_expired_sso_session_gives_the_login_command_and_f6_copies_it(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "sso-dev") as (app, pilot):
        await ready(pilot)
        command = "aws sso login --profile sso-dev"
        assert f"F6: {command}" in bar_text(app)
        assert endpoint.calls == []  # no token: nothing was sent
        await pilot.press("f6")
        assert app.clipboard == command
        assert any(n.message == f"Copied: {command}" for n in app._notifications)
        # a lookup says the same, and F6 still copies it
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        assert command in panel_text(app)
        app.copy_to_clipboard("")
        await pilot.press("f6")
        assert app.clipboard == command


async def test_f6_does_nothing_and_is_hidden_without_a_command(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        assert screen(app).check_action("copy_command", ()) is False
        await pilot.press("f6")
        assert app.clipboard == ""
