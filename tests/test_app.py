"""The lookup app, driven through Pilot against the local endpoint over real HTTP."""

from __future__ import annotations

import pytest
from textual.widgets import Select

from qualtui.core.connection import PRODUCTION, SANDBOX, EndpointPlan
from qualtui.endpoint import Fault, LocalMTurk
from tests.apphelpers import (
    SCORE,
    history_rows,
    look_up,
    lookups,
    panel_text,
    ready,
    running,
    screen,
    settled,
    type_text,
)
from tests.conftest import LOCALE_TYPE, SANDBOX_TYPE, TRANSCRIBE, Isolation, until
from tests.historyhelpers import saved_entries


async def test_type_both_ids_and_press_enter(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        assert app.focused is screen(app).form.type_input
        await type_text(pilot, TRANSCRIBE)
        await pilot.press("tab")
        assert app.focused is screen(app).form.worker_input
        await type_text(pilot, "A1GRANTEDWORKER")
        await pilot.press("enter")
        await until(lambda: "GRANTED" in panel_text(app))
        text = panel_text(app)
        assert "Score       87" in text
        assert "2026-10-02" in text and "ago)" in text
        assert "A1GRANTEDWORKER" in text and TRANSCRIBE in text
        await until(lambda: len(history_rows(app)) == 1)
    saved = saved_entries(aws_profiles.data_dir / "history.json")
    assert [e["worker_id"] for e in saved] == ["A1GRANTEDWORKER"]
    assert saved[0]["qualification"]["IntegerValue"] == 87
    assert saved[0]["profile"] == "default"


@pytest.mark.parametrize(
    ("type_id", "worker", "expected"),
    [
        (TRANSCRIBE, "A3ZEROSCOREWORKER", ["GRANTED", "Score       0\n"]),
        (TRANSCRIBE, "A2REVOKEDWORKER", ["REVOKED", "Score       12"]),
        (LOCALE_TYPE, "A4LOCALEWORKER", ["Locale      US-WA", "no integer value"]),
        (LOCALE_TYPE, "A6COUNTRYWORKER", ["Locale      CA  Canada\n"]),
        (
            TRANSCRIBE,
            "A5NOTHELDWORKER",
            ["Does not hold this qualification", "AWS.MechanicalTurk.QualificationDoesNotExist"],
        ),
    ],
)
async def test_results_render(
    endpoint: LocalMTurk,
    aws_profiles: Isolation,
    type_id: str,
    worker: str,
    expected: list[str],
) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        await look_up(pilot, type_id, worker)
        for fragment in expected:
            assert fragment in panel_text(app)


async def test_ids_are_normalised_before_sending(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        await look_up(pilot, "  " + TRANSCRIBE.lower(), "a1grantedworker  ")
        assert "GRANTED" in panel_text(app)
    assert lookups(endpoint)[0].params == {
        "QualificationTypeId": TRANSCRIBE,
        "WorkerId": "A1GRANTEDWORKER",
    }


async def test_invalid_ids_are_refused_with_no_request(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        main = screen(app)
        await type_text(pilot, "3ABC-1")
        assert "'-' at position 5" in str(main.form.type_input.border_subtitle)
        assert main.form.type_input.has_class("-invalid")
        await pilot.press("tab")
        await type_text(pilot, "B123")
        assert "start with 'A'" in str(main.form.worker_input.border_subtitle)
        await pilot.press("enter")
        await settled(pilot)
        assert app.focused is main.form.type_input  # sent back to the first bad field
        assert panel_text(app).startswith("Type a qualification type ID")
        await pilot.click("#lookup-button")
        await settled(pilot)
        assert not main.busy
    assert lookups(endpoint) == []


async def test_empty_worker_is_refused(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        await type_text(pilot, TRANSCRIBE)
        await pilot.press("enter")
        await settled(pilot)
        assert app.focused is screen(app).form.worker_input
        assert "Enter a worker ID" in str(screen(app).form.worker_input.border_subtitle)
    assert lookups(endpoint) == []


@pytest.mark.parametrize(
    ("setup", "profile", "expected"),
    [
        ("no-keys", None, "No AWS credentials"),
        ("profiles", "ghost", "Profile not found"),
        ("profiles", "wrongsecret", "The secret key does not match"),
        ("closed", "default", "Endpoint unreachable"),
        ("slow", "default", "Timed out waiting for MTurk"),
    ],
)
async def test_failures_are_explained_and_the_app_stays_usable(
    endpoint: LocalMTurk,
    sandbox_endpoint: LocalMTurk,
    isolated: Isolation,
    setup: str,
    profile: str | None,
    expected: str,
) -> None:
    """Each failure is explained; then the user fixes the cause as they would, and the
    next lookup works without a restart."""
    good_keys = (
        "[default]\naws_access_key_id = AKIATESTQUALTUI00001\n"
        "aws_secret_access_key = test-secret-key-0123456789abcdefghijklm\n"
        "[wrongsecret]\naws_access_key_id = AKIATESTQUALTUI00001\n"
        "aws_secret_access_key = wrong\n"
    )
    isolated.write_aws_files(credentials="" if setup == "no-keys" else good_keys)
    production = "http://127.0.0.1:9" if setup == "closed" else endpoint.url
    plan = EndpointPlan(per_environment={PRODUCTION: production, SANDBOX: sandbox_endpoint.url})
    if setup == "slow":
        endpoint.add_fault(Fault("latency", operation=SCORE, delay=1.5, times=1))
    options = ("--timeout", "0.5", "--connect-timeout", "0.5", "--max-attempts", "1")
    chosen = ("--profile", profile) if profile else ()
    async with running(*options, *chosen, endpoints=plan) as (app, pilot):
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        text = panel_text(app)
        assert expected in text and "What to do" in text
        assert "Traceback" not in text
        bar = screen(app).bar
        if setup == "no-keys":
            isolated.write_aws_files(credentials=good_keys)  # the user runs aws configure
        elif setup == "closed":
            bar.query_one("#environment", Select).value = SANDBOX
        elif setup == "profiles":
            bar.query_one("#profile", Select).value = "default"
        type_id = SANDBOX_TYPE if setup == "closed" else TRANSCRIBE
        await look_up(pilot, type_id, "A1GRANTEDWORKER")
        assert "GRANTED" in panel_text(app)
