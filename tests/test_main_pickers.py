"""The connection pickers (#14 "Pickers"): Production and Sandbox first, the regions without
MTurk after them and dimmed; what each profile is; labels that never wrap; menus that use
the room the screen has."""

from __future__ import annotations

from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from qualtui.core.profiles import list_profiles
from qualtui.endpoint import LocalMTurk
from tests.apphelpers import app_from_command_line, ready, screen, settled
from tests.conftest import ACCESS_KEY, SECRET_KEY, Isolation, until

CONFIG = (
    "[default]\nregion = us-east-1\n\n"
    "[profile sso-dev]\nsso_session = corp\nregion = eu-west-1\n\n"
    "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n\n"
    "[profile vault]\ncredential_process = /bin/false\n\n"
    "[profile admin]\nrole_arn = arn:aws:iam::111122223333:role/Admin\n"
    "source_profile = default\n\n"
    "[profile empty]\noutput = json\n\n"
    "[profile a-profile-with-a-name-far-too-long-for-any-picker-in-a-small-terminal]\n"
    "region = us-east-1\n"
)
CREDENTIALS = f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"


def test_each_profile_says_what_it_is(isolated: Isolation) -> None:
    isolated.write_aws_files(config=CONFIG, credentials=CREDENTIALS)
    profiles = list_profiles()
    assert profiles.facts("default") == "static keys · us-east-1"
    assert profiles.facts("sso-dev") == "SSO · eu-west-1"
    assert profiles.facts("vault") == "credential_process"
    assert profiles.facts("admin") == "role"
    assert profiles.facts("empty") == "no credentials"


async def test_pickers(endpoint: LocalMTurk, isolated: Isolation) -> None:
    isolated.write_aws_files(config=CONFIG, credentials=CREDENTIALS)
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        main = screen(app)
        environment = main.query_one("#environment", Select)
        labels = [str(option[0]) for option in environment._options]
        assert labels[:2] == ["Production  us-east-1", "Sandbox  us-east-1"]
        assert all(label.endswith("no MTurk") for label in labels[2:])
        profile = main.query_one("#profile", Select)
        await until(lambda: len(profile._options) > 2)
        by_value = {value: str(label) for label, value in profile._options}
        assert by_value["sso-dev"] == "sso-dev  SSO · eu-west-1"
        assert by_value["vault"] == "vault  credential_process"
        assert by_value["admin"] == "admin  role"
        assert by_value["empty"] == "empty  no credentials"
        # the menu: wider than the picker when the screen has room, one line per option
        profile.focus()
        await pilot.press("enter")
        overlay = profile.query_one(SelectOverlay)
        await until(lambda: overlay.display and overlay.region.height > 0)
        await settled(pilot)
        assert overlay.region.width > profile.region.width
        assert overlay.region.right <= 80
        assert overlay.option_count == len(profile._options)
        # every option fits on one line: the list is as tall as its options (and borders)
        assert overlay.region.height == overlay.option_count + 2
