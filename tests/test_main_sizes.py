"""The main screen at every size a requester runs it in (#14 "Every size"): the connection
verdict with its fix and key on one line, the type ID shown whole, status and score without
scrolling, a one-line demo banner that can be hidden, a footer that does not overflow."""

from __future__ import annotations

import pytest
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from qualtui.core import settings
from qualtui.endpoint import LocalMTurk
from qualtui.widgets.result_panel import LABEL_WIDTH, _assemble, _row
from tests.apphelpers import (
    app_from_command_line,
    demo_app_from_command_line,
    look_up,
    ready,
    screen,
    settled,
)
from tests.conftest import TRANSCRIBE, Isolation, until

SIZES = [(60, 20), (70, 22), (80, 24), (120, 40)]


def shown_lines(widget: Widget) -> list[str]:
    """The text of each line of `widget`'s content region as the screen draws it."""
    screen_lines = [strip.text for strip in widget.screen._compositor.render_strips()]
    x, y, width, height = widget.content_region
    return [line[x : x + width].rstrip() for line in screen_lines[y : y + height]]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_sso_verdict_fix_and_key_on_one_line(
    endpoint: LocalMTurk, aws_profiles: Isolation, size: tuple[int, int]
) -> None:
    app = app_from_command_line("--profile", "sso-dev", "--endpoint-url", endpoint.url)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        main = screen(app)
        assert main.bar.check is not None and main.bar.check.failure is not None
        assert main.bar.check.failure.kind == "sso_expired"
        note = main.query_one("#connection-note", Static)
        assert note.region.width >= 40  # never squeezed to nothing beside the pickers
        first = shown_lines(note)[0]
        assert first.startswith("✗ SSO session expired · F6: aws sso login")
        assert "--profile sso-dev" in first or first.endswith("…")  # cut, never wrapped
        assert not any("sso" in line for line in shown_lines(note)[1:])
        # the type ID is shown whole (30 characters, and room for the cursor)
        type_input = main.form.type_input
        assert type_input.content_region.width >= 31
        # status and score without scrolling
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_status_and_score_without_scrolling(
    endpoint: LocalMTurk, aws_profiles: Isolation, size: tuple[int, int]
) -> None:
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        main = screen(app)
        height = main.panel.region.height
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await until(lambda: main.panel.result is not None)
        await settled(pilot)
        body = shown_lines(main.panel)
        assert any("GRANTED" in line for line in body[:3])
        assert any(line.strip().startswith("Score") and "87" in line for line in body[:5])
        assert main.panel.region.height == height  # a fixed height: the answer moved nothing


def test_wrapped_values_keep_a_hanging_indent() -> None:
    about = "word " * 30
    lines = _assemble(*_row("About", about.strip()), width=40).plain.rstrip().split("\n")
    assert len(lines) > 2
    assert lines[0].startswith("About") and lines[0][LABEL_WIDTH] == "w"
    for line in lines[1:]:
        assert line.startswith(" " * LABEL_WIDTH) and line[LABEL_WIDTH] == "w"
        assert len(line) <= 40


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_demo_banner_is_one_line(size: tuple[int, int]) -> None:
    with demo_app_from_command_line() as app:
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            banner = screen(app).query_one("#demo-banner")
            assert banner.region.height == 1
            assert shown_lines(banner)[0].startswith(" DEMO  Made-up local data.")


async def test_demo_banner_hidden_by_a_key_and_remembered(aws_profiles: Isolation) -> None:
    with demo_app_from_command_line() as app:
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            await pilot.press("ctrl+b")
            await settled(pilot)
            assert not screen(app).query_one("#demo-banner").display
            path = settings.settings_path()
            await until(lambda: settings.load(path).settings.hide_demo_banner is True)
    with demo_app_from_command_line() as again:
        async with again.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            banner = screen(again).query_one("#demo-banner")
            assert banner.styles.display == "none"
            await pilot.press("ctrl+b")
            await settled(pilot)
            assert banner.styles.display == "block" and banner.region.height == 1
            await until(lambda: settings.load(path).settings.hide_demo_banner is None)


async def test_footer_with_history_focused_fits_at_120x40(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await pilot.press("f3")
        await settled(pilot)
        assert app.focused is screen(app).history

        def keys() -> list[FooterKey]:
            return list(screen(app).query(FooterKey))

        await until(lambda: any(k.action == "rerun" for k in keys()))
        await settled(pilot)
        shown = {k.action: k.region for k in keys()}
        assert {"rerun", "delete", "export", "filter"} <= set(shown)
        assert all(region.right <= 120 and region.width > 0 for region in shown.values())
        await pilot.press("f9")  # left out of the footer here, still working
        await settled(pilot)
        assert any("Copied the result" in str(n.message) for n in app._notifications)


@pytest.mark.parametrize(("width", "expected"), [(60, "-narrow"), (120, "-medium"), (160, "-wide")])
async def test_the_first_frame_is_styled_for_its_width_from_the_start(
    monkeypatch: pytest.MonkeyPatch, width: int, expected: str
) -> None:
    """The width's class is the main screen's when it is composed, so the first resize
    changes no class (a class added then restyled every widget of the first frame)."""
    from qualtui.screens.main import MainScreen

    composed_with: list[set[str]] = []
    compose = MainScreen.compose

    def recording(self: MainScreen):  # type: ignore[no-untyped-def]
        composed_with.append(set(self.classes))
        return compose(self)

    monkeypatch.setattr(MainScreen, "compose", recording)
    app = app_from_command_line("--endpoint-url", "http://127.0.0.1:9")
    async with app.run_test(size=(width, 30)):
        await until(lambda: bool(composed_with))
        assert composed_with == [{expected}]
        assert screen(app).has_class(expected)
