"""The lookup form's "Look up" button is mounted right after the main screen's first frame
(Button's stylesheet is parsed then, not before it: #15), into a place that already has its
size: nothing on the form moves when it comes, and it is where it always was (after the
Worker ID field, for Tab as for the eye)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Button

from qualtui.app import QualtuiApp
from qualtui.endpoint import LocalMTurk
from qualtui.widgets.lookup_form import LookupForm
from tests.apphelpers import lookups, panel_text, ready, running, screen, type_text
from tests.conftest import TRANSCRIBE, Isolation, until


class FormApp(App[None]):
    """The form alone, with the app's stylesheet."""

    CSS_PATH = QualtuiApp.CSS_PATH

    def compose(self) -> ComposeResult:
        yield LookupForm()


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_the_button_comes_into_a_place_of_its_size(width: int) -> None:
    app = FormApp()
    async with app.run_test(size=(width, 12)) as pilot:
        form = app.query_one(LookupForm)
        place = form.query_one("#lookup-button-place")
        fields = (form.type_input, form.worker_input, place)
        await until(lambda: form.worker_input.region.width > 0)
        before = [field.region for field in fields]
        assert not form.query(Button)
        await form.mount_button()
        button = form.query_one("#lookup-button", Button)
        await until(lambda: button.region.width > 0)
        await pilot.pause()
        assert [field.region for field in fields] == before
        assert button.region == place.region
        assert button.region.height == 3 and button.region.width >= 12
        await form.mount_button()  # a second call mounts no second button
        assert len(form.query(Button)) == 1


async def test_tab_from_the_worker_field_then_enter_on_the_button_looks_up(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        form = screen(app).form
        await type_text(pilot, TRANSCRIBE)
        await pilot.press("tab")
        await type_text(pilot, "A1GRANTEDWORKER")
        await pilot.press("tab")
        assert app.focused is form.query_one("#lookup-button", Button)
        await pilot.press("enter")
        await until(lambda: "GRANTED" in panel_text(app))
        assert len(lookups(endpoint)) == 1


async def test_a_narrow_screen_mounts_the_button_when_it_grows_wide_enough_to_show_it(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    """Below 100 columns the button is hidden: it is not mounted (its stylesheet is not
    parsed) until the screen is wide enough to show it; then Tab reaches it as before."""
    async with running("--endpoint-url", endpoint.url, "--profile", "default", size=(80, 24)) as (
        app,
        pilot,
    ):
        await ready(pilot)
        main = screen(app)
        assert main.has_class("-narrow") and not main.query(Button)
        await pilot.resize_terminal(120, 36)
        await until(lambda: bool(main.query("#lookup-button")))
        button = main.query_one("#lookup-button", Button)
        await until(lambda: button.region.width > 0)
        await type_text(pilot, TRANSCRIBE)
        await pilot.press("tab")
        await type_text(pilot, "A1GRANTEDWORKER")
        await pilot.press("tab")
        assert app.focused is button
