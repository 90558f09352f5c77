"""Bulk changes in the app (issue #17), over real HTTP: from a batch result, the dry run's
diff (nothing written), one confirmation, the run, its summary and undo plan; a re-run finds
everything unchanged; Esc stops a run and what was applied stays recorded; a plan file; the
undo of a whole run from the history."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from qualtui.app import QualtuiApp
from qualtui.core import settings
from qualtui.dialogs.change_input import ChangeInputScreen
from qualtui.dialogs.confirm_change import ConfirmChangeScreen
from qualtui.endpoint import Fault, LocalMTurk
from qualtui.screens.batch import BatchScreen
from qualtui.screens.plan_diff import PlanDiffScreen
from tests.apphelpers import (
    SIZE,
    app_from_command_line,
    history_rows,
    paste,
    ready,
    screen,
    settled,
)
from tests.conftest import TRANSCRIBE, Isolation, until

ASSOCIATE = "AssociateQualificationWithWorker"
WORKERS = ("A1GRANTEDWORKER", "A2REVOKEDWORKER", "A3ZEROSCOREWORKER", "A5NOTHELDWORKER")


def input_focused(app: App[None]) -> bool:
    """The input dialog is up and its field has the focus (ready for typing)."""
    return (
        isinstance(app.screen, ChangeInputScreen)
        and app.focused is not None
        and (app.focused.id == "change-input-field")
    )


def make_app(endpoint: LocalMTurk) -> QualtuiApp:
    return app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")


def counts(app: QualtuiApp) -> str:
    return str(app.screen.query_one("#plan-counts", Static).content)


async def batch_of(pilot: Pilot[None], workers: tuple[str, ...]) -> BatchScreen:
    app = pilot.app
    assert isinstance(app, QualtuiApp)
    screen(app).form.fill(TRANSCRIBE, "")
    await pilot.press("f7")
    await until(lambda: isinstance(app.screen, BatchScreen))
    batch = app.screen
    assert isinstance(batch, BatchScreen)
    batch.query_one("#batch-workers", TextArea).load_text("\n".join(workers))
    await pilot.press("ctrl+r")
    await until(lambda: len(batch.results) == len(workers) and not batch.running)
    await settled(pilot)
    return batch


async def open_bulk(pilot: Pilot[None], text: str) -> PlanDiffScreen:
    app = pilot.app
    await pilot.press("b")
    await until(lambda: input_focused(app))
    await paste(pilot, text)
    await pilot.press("enter")
    await until(lambda: isinstance(app.screen, PlanDiffScreen))
    plan = app.screen
    assert isinstance(plan, PlanDiffScreen)
    await until(lambda: plan.phase == "diff")
    return plan


async def confirm(pilot: Pilot[None]) -> str:
    app = pilot.app
    await pilot.press("a")
    await until(lambda: isinstance(app.screen, ConfirmChangeScreen))
    await settled(pilot)
    dialog = app.screen
    text = str(dialog.query_one("#change-environment", Static).content) + "\n"
    text += str(dialog.query_one("#change-lines", Static).content)
    await pilot.press("tab", "enter")  # Production: Cancel first, Tab to Apply
    return text


async def test_set_all_from_a_batch_dry_run_apply_and_rerun_unchanged(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await batch_of(pilot, WORKERS)
        plan = await open_bulk(pilot, "87")
        assert counts(app).startswith(
            "Dry run: 2 new grants, 1 score change, 0 revokes, 1 unchanged, 0 invalid"
        )
        assert endpoint.calls_to(ASSOCIATE) == []  # the dry run writes nothing
        text = await confirm(pilot)
        assert "PRODUCTION" in text and "2 new grants, 1 score change" in text
        await until(lambda: plan.phase == "applied")
        assert plan.summary is not None and plan.summary.succeeded
        assert len(endpoint.calls_to(ASSOCIATE)) == 3
        assert all(c.params["SendNotification"] is False for c in endpoint.calls_to(ASSOCIATE))
        shown = counts(app)
        assert "Applied: 3 done, 0 failed, 0 unknown" in shown
        summary_path = Path(shown.split("summary ")[1].split("  ·  ")[0])
        undo_path = Path(shown.split("undo plan ")[1].split("\n")[0])
        assert summary_path.is_file() and undo_path.is_file()
        assert "A5NOTHELDWORKER,Revoke" in undo_path.read_text()
        await pilot.press("r")
        await until(lambda: plan.phase == "diff")
        assert counts(app).startswith(
            "Dry run: 0 new grants, 0 score changes, 0 revokes, 4 unchanged, 0 invalid"
        )
        await pilot.press("escape", "escape")
        await until(lambda: not isinstance(app.screen, (PlanDiffScreen, BatchScreen)))
        main = screen(app)
        main.history_pane.filter_input.focus()
        await paste(pilot, "change")
        await until(lambda: len(history_rows(app)) == 3)


async def test_esc_stops_a_run_and_what_was_applied_stays_recorded(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    settings.save(settings.settings_path(), settings.Settings(concurrency=1))
    # The first write is held at the endpoint until the Esc has taken effect (a fixed delay
    # raced with a slow machine: the Esc could come after the second write had started).
    held = threading.Event()
    endpoint.add_fault(Fault("latency", operation=ASSOCIATE, delay=60, release=held))
    app = make_app(endpoint)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await batch_of(pilot, WORKERS)
            plan = await open_bulk(pilot, "+1")
            assert "2 score changes" in counts(app)  # revoked, not held: no score to raise
            await confirm(pilot)
            await until(lambda: len(endpoint.calls_to(ASSOCIATE)) >= 1)
            await pilot.press("escape")
            await until(lambda: plan.stopping)
            held.set()  # the write in flight ends; the second is never started
            await until(lambda: plan.phase == "applied")
            summary = plan.summary
            assert summary is not None and summary.cancelled and summary.not_started > 0
            applied = len(summary.changes)
            assert applied == 1 and len(endpoint.calls_to(ASSOCIATE)) == applied
            assert "not started (stopped)" in counts(app)
            await pilot.press("escape", "escape")
            await until(lambda: not isinstance(app.screen, (PlanDiffScreen, BatchScreen)))
            screen(app).history_pane.filter_input.focus()
            await paste(pilot, "change")
            await until(lambda: len(history_rows(app)) == applied)
    finally:
        held.set()


async def test_a_plan_file_from_the_palette_and_the_undo_of_its_run(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    plan_file = aws_profiles.root / "plan.csv"
    plan_file.write_text("WorkerId,Score\nA1GRANTEDWORKER,50\nA5NOTHELDWORKER,60\nnot a worker,5\n")
    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        main.form.fill(TRANSCRIBE, "")
        main.apply_plan_file()
        await until(lambda: input_focused(app))
        await paste(pilot, str(plan_file))
        await pilot.press("enter")
        await until(lambda: isinstance(app.screen, PlanDiffScreen))
        plan = app.screen
        assert isinstance(plan, PlanDiffScreen)
        await until(lambda: plan.phase == "diff")
        assert "1 new grant, 1 score change, 0 revokes, 0 unchanged, 1 invalid" in counts(app)
        await confirm(pilot)
        await until(lambda: plan.phase == "applied")
        assert list(aws_profiles.root.glob("plan-applied-*.csv"))  # beside the plan
        await pilot.press("escape")
        await until(lambda: app.screen is main)
        main.history_pane.filter_input.focus()
        await paste(pilot, "change")
        await until(lambda: len(history_rows(app)) == 2)
        main.history.focus()
        await pilot.press("U")
        await until(lambda: isinstance(app.screen, PlanDiffScreen) and app.screen is not plan)
        undo = app.screen
        assert isinstance(undo, PlanDiffScreen)
        await until(lambda: undo.phase == "diff")
        assert "1 score change, 1 revoke" in counts(app)
        await confirm(pilot)
        await until(lambda: undo.phase == "applied")
        assert undo.summary is not None and undo.summary.succeeded
        values = [
            (c.params["WorkerId"], c.params["IntegerValue"]) for c in endpoint.calls_to(ASSOCIATE)
        ]
        assert ("A1GRANTEDWORKER", 87) in values
        assert endpoint.calls_to("DisassociateQualificationFromWorker")[0].params["WorkerId"] == (
            "A5NOTHELDWORKER"
        )
