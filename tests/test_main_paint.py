"""Enter to paint (#15): the loading state only for a slow answer (after SLOW_LOOKUP), the
spinner mounted only while it shows, a result panel whose height no answer changes, the
history written after a frame has drawn the answer, an Enter with valid IDs that repaints
nothing in the form. Structural checks: the speed is in benchmarks/."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import LoadingIndicator

from qualtui.app import QualtuiApp
from qualtui.core.history import read_history
from qualtui.endpoint import LocalMTurk
from qualtui.screens.main import lookups
from qualtui.widgets.history_table import HistoryTable
from qualtui.widgets.result_panel import ResultPanel
from tests.apphelpers import (
    app_from_command_line,
    first_answer_held,
    history_rows,
    look_up,
    paste,
    ready,
    screen,
)
from tests.conftest import TRANSCRIBE, Isolation, until
from tests.historyhelpers import entry, write_history


def spinning(panel: ResultPanel) -> bool:
    return panel.spinning


async def test_a_slow_answer_shows_the_loading_state_and_only_then_the_spinner(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    answer = first_answer_held(endpoint)
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        main = screen(app)
        height = main.panel.region.height
        assert not main.panel.query(LoadingIndicator)  # idle: no spinner, no timer
        await paste(pilot, TRANSCRIBE)
        await pilot.press("tab")
        await paste(pilot, "A1GRANTEDWORKER")
        await pilot.press("enter")
        await until(lambda: main.panel.state == "loading")
        assert spinning(main.panel) and main.busy
        assert main.panel.region.height == height
        answer.set()
        await until(lambda: main.panel.state == "result")
        assert not spinning(main.panel)
        await until(lambda: not main.panel.query(LoadingIndicator))  # removed, not hidden
        assert main.panel.region.height == height
        await until(lambda: len(history_rows(app)) == 1)


async def test_an_answer_before_the_threshold_draws_no_loading_state(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lookups, "SLOW_LOOKUP", 3600.0)  # every answer counts as fast
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        main = screen(app)
        states: list[str] = []
        show = main.panel._show

        def recorded(state: str, *args: object, **kwargs: object) -> None:
            states.append(state)
            show(state, *args, **kwargs)  # type: ignore[arg-type]

        main.panel._show = recorded  # type: ignore[method-assign]
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await until(lambda: len(history_rows(app)) == 1)
        assert "loading" not in states and states[0] == "result"
        assert not main.panel.query(LoadingIndicator)


async def test_the_footer_is_rebuilt_only_when_its_keys_change(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    from textual.widgets._footer import FooterKey

    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        main = screen(app)
        await until(lambda: bool(main.query(FooterKey)))
        before = list(main.query(FooterKey))
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")  # the history's row highlighted
        await until(lambda: len(history_rows(app)) == 1)
        main.refresh_bindings()
        await pilot.pause()
        assert list(main.query(FooterKey)) == before  # the same widgets: not recomposed
        await pilot.press("f3")  # the history's own keys: rebuilt
        await until(lambda: any(k.action == "rerun" for k in main.query(FooterKey)))


async def test_the_footer_has_its_keys_in_its_first_frame(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key bar composes its keys when it is mounted: Textual's Footer composes none
    until the screen's next binding refresh, so the keys came a frame or more after the
    rest of the complete screen. Nothing has rebuilt it once the screen is complete."""
    from textual.widgets._footer import FooterKey

    from qualtui.widgets.steady_footer import SteadyFooter

    rebuilt: list[SteadyFooter] = []
    recompose = SteadyFooter.recompose

    async def recording(self: SteadyFooter) -> None:
        rebuilt.append(self)
        await recompose(self)

    monkeypatch.setattr(SteadyFooter, "recompose", recording)
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        main = screen(app)
        assert main.complete
        assert main.query(FooterKey) and rebuilt == []


async def test_the_key_bar_keys_are_not_restyled_as_they_are_mounted(
    aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each key bound to the footer's `compact` gets it before it is mounted: from its
    default, the key's watcher added a class and the binding removed it, two restyles of
    every key (7 ms of the complete frame). Only the command palette's key (not bound)
    styles itself once."""
    from textual.widgets._footer import FooterKey

    restyled: list[str] = []
    update = FooterKey.update_node_styles

    def counting(self: FooterKey, animate: bool = True) -> None:
        restyled.append(self.key)
        update(self, animate)

    monkeypatch.setattr(FooterKey, "update_node_styles", counting)
    app = app_from_command_line("--endpoint-url", "http://127.0.0.1:9")
    async with app.run_test(size=(120, 36)):
        main = screen(app)
        await until(lambda: main.complete and len(main.query(FooterKey)) > 5)
        assert restyled == ["ctrl+p"]


async def test_the_pickers_value_lines_are_not_restyled_as_they_are_mounted(
    aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A picker always has a value: its value line is marked so before it is mounted.
    Select marked it once mounted, a restyle of the line and its parts for each picker."""
    from textual.widgets._select import SelectCurrent

    restyled: list[str] = []
    update = SelectCurrent.update_node_styles

    def counting(self: SelectCurrent, animate: bool = True) -> None:
        restyled.append(str(self.parent.id if self.parent else None))
        update(self, animate)

    monkeypatch.setattr(SelectCurrent, "update_node_styles", counting)
    app = app_from_command_line("--endpoint-url", "http://127.0.0.1:9")
    async with app.run_test(size=(120, 36)):
        main = screen(app)
        await until(lambda: main.complete and main.bar.profiles_read)
        current = [w for w in main.query(SelectCurrent)]
        assert len(current) == 2 and all(w.has_class("-has-value") for w in current)
        assert restyled == []


def five_lookups(
    aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch, wait: float = 60
) -> Path:
    """A history of five lookups (A0 oldest to A4), and how long the screen waits for its
    first look (long by default: the tests check order, not time)."""
    from qualtui.screens.main import screen as main_screen

    monkeypatch.setattr(main_screen, "HISTORY_WAIT", wait)
    path = aws_profiles.data_dir / "history.json"
    write_history(path, [entry(n, f"A{n}") for n in range(5)])
    return path


def held(monkeypatch: pytest.MonkeyPatch, step: str) -> threading.Event:
    """Hold the app's `HistoryStore.<step>` ("peek" or "load", each made in a thread) until
    the event is set; a call on the test's own thread goes through."""
    from qualtui.core.history.store import HistoryStore

    release = threading.Event()
    original = getattr(HistoryStore, step)

    def holding(self: HistoryStore, *args: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():
            release.wait()
        return original(self, *args)

    monkeypatch.setattr(HistoryStore, step, holding)
    return release


async def test_the_history_rows_come_in_the_frame_that_shows_the_history(
    aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rest of the screen waits (HISTORY_WAIT at most) for the history's first look,
    so its rows are in the first frame that shows the history: no frames of an empty table
    before them (they cost the UI thread's time while the first look's thread waited for
    it). The wait is made long here: what is checked is the order, not the time."""
    five_lookups(aws_profiles, monkeypatch)
    frames: list[int] = []
    display = QualtuiApp._display

    def recording(self: QualtuiApp, shown: Screen[object], renderable: Any) -> None:
        display(self, shown, renderable)
        panes = shown.query("#history-pane")
        if renderable is not None and panes:
            frames.append(shown.query_one(HistoryTable).row_count)

    monkeypatch.setattr(QualtuiApp, "_display", recording)
    app = app_from_command_line("--endpoint-url", "http://127.0.0.1:9")
    async with app.run_test(size=(120, 36)):
        await until(lambda: bool(frames))
        assert frames[0] == 5


async def test_a_history_slow_to_read_does_not_hold_the_rest_of_the_screen(
    aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    five_lookups(aws_profiles, monkeypatch, wait=0.01)
    release = held(monkeypatch, "peek")
    app = app_from_command_line("--endpoint-url", "http://127.0.0.1:9")
    async with app.run_test(size=(120, 36)):
        main = screen(app)
        try:
            await until(lambda: main.complete)
            assert main.history.row_count == 0
        finally:
            release.set()
        await until(lambda: main.history_pane.loaded)
        assert main.history.row_count == 5


async def test_the_complete_frame_shows_the_history_before_its_file_lock_is_taken(
    aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows come from the first look (no lock, nothing written); the load under the
    lock follows once the start is over and, finding the same entries, redraws nothing."""
    five_lookups(aws_profiles, monkeypatch)
    release = held(monkeypatch, "load")
    refills: list[int] = []
    refill = HistoryTable._refill

    def counted(self: HistoryTable, *args: Any, **kwargs: Any) -> None:
        refills.append(self.revision)
        refill(self, *args, **kwargs)

    monkeypatch.setattr(HistoryTable, "_refill", counted)
    app = app_from_command_line("--endpoint-url", "http://127.0.0.1:9")
    async with app.run_test(size=(120, 36)):
        main = screen(app)
        try:
            await until(lambda: main.complete)
            assert main.history.row_count == 5
            assert not main.history_pane.loaded
        finally:
            release.set()
        await until(lambda: main.history_pane.loaded)
        assert refills == [0]  # the first look's rows, drawn once
        assert main.history.revision > 0  # the store's snapshot, taken over
        assert [row[3] for row in history_rows(app)] == [f"A{n}" for n in range(4, -1, -1)]


async def test_what_another_process_wrote_after_the_first_look_is_shown_once_loaded(
    aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qualtui.core.history.store import HistoryStore

    path = five_lookups(aws_profiles, monkeypatch)
    release = held(monkeypatch, "load")
    app = app_from_command_line("--endpoint-url", "http://127.0.0.1:9")
    async with app.run_test(size=(120, 36)):
        main = screen(app)
        try:
            await until(lambda: main.complete)
            assert main.history.row_count == 5
            other = HistoryStore(path)
            other.load()
            other.append(entry(9, "A9"))
        finally:
            release.set()
        await until(lambda: main.history_pane.loaded)
        assert [row[3] for row in history_rows(app)][:2] == ["A9", "A4"]
        assert main.history.row_count == 6


async def test_a_row_deleted_before_the_load_stays_deleted_and_the_table_redrawn(
    aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change made to the rows of the first look while the load waits for the file lock
    is kept: memory starts as the first look, the load replays the change over the files,
    and the table shows the load's snapshot (the first look is no longer on show)."""
    path = five_lookups(aws_profiles, monkeypatch)
    release = held(monkeypatch, "load")
    app = app_from_command_line("--endpoint-url", "http://127.0.0.1:9")
    async with app.run_test(size=(120, 36)) as pilot:
        main = screen(app)
        try:
            await until(lambda: main.complete and main.history.row_count == 5)
            await pilot.press("f3", "down", "d")  # the second newest: A3
            await until(lambda: main.history.row_count == 4)
            assert not main.history_pane.loaded
        finally:
            release.set()
        await until(lambda: main.history_pane.loaded)
        assert [row[3] for row in history_rows(app)] == ["A4", "A2", "A1", "A0"]
        assert main.history_pane.border_subtitle == "4 lookups"
    assert [e.worker_id for e in read_history(path).entries] == ["A0", "A1", "A2", "A4"]


ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


async def test_the_history_is_written_after_a_frame_has_drawn_the_answer(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    """The history's write and redraw never go into (and delay) the answer's frame: the
    entry is recorded only once a frame holding the answer was written."""
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    events: list[str] = []
    display = app._display

    def written(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None and "answer" in events:
            text = ESCAPES.sub("", renderable.render_segments(app.console))
            events.append("frame with the answer" if "● GRANTED" in text else "frame")

    app._display = written  # type: ignore[method-assign]
    record = app.record

    def recorded(entries: Any) -> None:
        events.append("recorded")
        record(entries)

    app.record = recorded  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        main = screen(app)
        show_result = main.panel.show_result

        def shown(*args: Any, **kwargs: Any) -> None:
            events.append("answer")
            show_result(*args, **kwargs)

        main.panel.show_result = shown  # type: ignore[method-assign]
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await until(lambda: len(history_rows(app)) == 1)
        assert events.count("recorded") == 1
        assert "frame with the answer" in events[: events.index("recorded")], events


async def test_enter_with_valid_ids_repaints_nothing_in_the_form(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    """Valid IDs, nothing to show under them: Enter neither repaints the fields' borders nor
    relays out the problem line (a frame drawn at Enter makes the answer's wait for the
    next frame tick)."""
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        form = screen(app).form
        form.fill(TRANSCRIBE, "A1GRANTEDWORKER")
        await pilot.pause()
        refreshed: list[str] = []
        for widget in (form.type_input, form.worker_input, form.problem_line):
            refresh = widget.refresh

            def spy(*args: Any, _refresh: Any = refresh, _id: Any = widget.id, **kw: Any) -> Any:
                refreshed.append(_id)
                return _refresh(*args, **kw)

            widget.refresh = spy  # type: ignore[method-assign]
        form.submit()
        assert refreshed == []
        form.fill(TRANSCRIBE, "A1 BAD")  # still checked: a problem is shown, once
        await pilot.pause()
        form.submit()
        assert form.problem_line.display and "Worker ID" in str(form.problem_line.render())


async def test_an_answer_as_tall_as_the_one_on_show_needs_no_layout_pass(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    """The body's text is only repainted when its height does not change (most answers);
    a taller or shorter one is laid out again (the panel's scroll region changes)."""
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        main = screen(app)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await until(lambda: len(history_rows(app)) == 1)
        await pilot.pause()
        body = main.panel.body
        layouts: list[bool] = []
        refresh = body.refresh

        def spy(*args: Any, layout: bool = False, **kwargs: Any) -> Any:
            layouts.append(layout)
            return refresh(*args, layout=layout, **kwargs)

        body.refresh = spy  # type: ignore[method-assign]
        result = main.panel.result
        assert result is not None
        main.panel.show_result(result, main.panel.qualification_type)  # the same height
        assert layouts == [False]
        main.panel.show_idle()  # one line: shorter
        assert layouts == [False, True]


async def test_an_answer_that_arrives_under_another_screen_is_still_recorded(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    """No frame draws the answer while another screen covers the main one: the history is
    written all the same (after_paint's wait ends), and on return the answer is on show."""
    answer = first_answer_held(endpoint)
    app = app_from_command_line("--profile", "default", "--endpoint-url", endpoint.url)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        main = screen(app)
        main.form.fill(TRANSCRIBE, "A1GRANTEDWORKER")
        main.form.worker_input.focus()
        await pilot.press("enter")
        await until(lambda: main.busy)
        await app.push_screen(Screen())  # a whole screen (a view), not a dialog
        answer.set()
        await until(lambda: main.panel.state == "result")
        await until(lambda: main.history.total == 1)
        app.pop_screen()
        await until(lambda: app.screen is main)
        assert main.panel.state == "result"
