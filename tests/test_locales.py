"""Locales read as people read them, with ISO names; an unknown code is shown as it came."""

from __future__ import annotations

from qualtui.core.locales import locale_name
from qualtui.core.models import Locale
from qualtui.endpoint import LocalMTurk
from tests.apphelpers import SIZE, app_from_command_line, look_up, panel_text, ready
from tests.conftest import Isolation

LOCALE_TYPE = "3DEMOLOCALE0000000000000000001"


def test_iso_names() -> None:
    assert locale_name(Locale("US", "WA")) == "United States, Washington"
    assert locale_name(Locale("DE", "BY")) == "Germany, Bayern"
    assert locale_name(Locale("GB")) == "United Kingdom"
    assert locale_name(Locale("ZZ")) is None
    assert locale_name(Locale("US", "ZZ")) == "United States"


async def test_the_panel_names_the_locale(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await look_up(pilot, LOCALE_TYPE, "A4LOCALEWORKER")
        assert "US-WA  United States, Washington" in panel_text(app)
