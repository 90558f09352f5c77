"""One change from where the answer is seen (issue #17), in the app as the command line
builds it, over real HTTP: the confirmation's contents, SendNotification as chosen,
verification, a lost answer, a service error, undo from the history, read-only mode."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Checkbox, Static

from qualtui.app import QualtuiApp
from qualtui.dialogs.change_input import ChangeInputScreen
from qualtui.dialogs.confirm_change import ConfirmChangeScreen
from qualtui.endpoint import Fault, LocalMTurk
from qualtui.screens.main import MainScreen
from qualtui.widgets.change_runner import ChangeRunner
from tests.apphelpers import (
    SIZE,
    app_from_command_line,
    history_rows,
    look_up,
    panel_text,
    paste,
    ready,
    screen,
    settled,
)
from tests.conftest import TRANSCRIBE, Isolation, until

ASSOCIATE = "AssociateQualificationWithWorker"
DISASSOCIATE = "DisassociateQualificationFromWorker"
GRANTED = "A1GRANTEDWORKER"  # holds TRANSCRIBE with 87
NOT_HELD = "A5NOTHELDWORKER"


def input_focused(app: App[None]) -> bool:
    """The input dialog is up and its field has the focus (ready for typing)."""
    return (
        isinstance(app.screen, ChangeInputScreen)
        and app.focused is not None
        and (app.focused.id == "change-input-field")
    )


def make_app(endpoint: LocalMTurk, *extra: str) -> QualtuiApp:
    return app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default", *extra)


def dialog_text(app: QualtuiApp) -> str:
    dialog = app.screen
    assert isinstance(dialog, ConfirmChangeScreen)
    band = str(dialog.query_one("#change-environment", Static).content)
    return band + "\n" + str(dialog.query_one("#change-lines", Static).content)


async def answer(app: QualtuiApp, pilot: object, text: str) -> None:
    """Type `text` in the input dialog and press Enter; wait for the confirmation."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await until(lambda: input_focused(app))
    await paste(pilot, text)
    await pilot.press("enter")
    await until(lambda: isinstance(app.screen, ConfirmChangeScreen))
    await settled(pilot)


def runner_idle(app: QualtuiApp) -> bool:
    main = app.screen
    return isinstance(main, MainScreen) and not main.query_one(ChangeRunner).busy


async def test_set_score_from_the_result_panel_confirms_sends_no_notification_and_verifies(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, GRANTED)
        await pilot.press("ctrl+s")
        await answer(app, pilot, "+5")
        text = dialog_text(app)
        assert "PRODUCTION" in text  # the band
        assert "Profile     default" in text
        assert GRANTED in text and TRANSCRIBE in text
        assert "87 -> 92" in text
        dialog = app.screen
        assert isinstance(dialog, ConfirmChangeScreen)
        assert dialog.query_one("#change-notify", Checkbox).value is False
        assert app.focused is not None and app.focused.id == "cancel"  # Production
        await pilot.press("tab", "enter")  # from Cancel to Confirm
        await until(lambda: runner_idle(app) and screen(app).panel.state == "change-done")
        (sent,) = endpoint.calls_to(ASSOCIATE)
        assert sent.params["SendNotification"] is False and sent.params["IntegerValue"] == 92
        assert endpoint.notifications == []
        body = panel_text(app)
        assert "verified" in body and "87 -> 92" in body and "Now         92" in body
        await until(lambda: any("set done" in row for row in history_rows(app)))


async def test_esc_in_the_confirmation_sends_nothing(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, GRANTED)
        await pilot.press("ctrl+s")
        await answer(app, pilot, "50")
        await pilot.press("enter")  # Cancel is the default in Production
        await until(lambda: isinstance(app.screen, MainScreen) and runner_idle(app))
        await pilot.press("ctrl+r")
        await answer(app, pilot, "no")
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, MainScreen) and runner_idle(app))
        assert endpoint.calls_to(ASSOCIATE) == [] and endpoint.calls_to(DISASSOCIATE) == []


async def test_grant_with_notify_checked_sends_it_and_the_endpoint_notifies(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, NOT_HELD)
        await pilot.press("ctrl+g")
        await answer(app, pilot, "130")
        text = dialog_text(app)
        assert "not held -> 130" in text and "outside 0-100" in text
        dialog = app.screen
        assert isinstance(dialog, ConfirmChangeScreen)
        dialog.query_one("#change-notify", Checkbox).focus()
        await pilot.press("space", "tab", "tab", "enter")  # tick, Cancel, Confirm
        await until(lambda: runner_idle(app) and screen(app).panel.state == "change-done")
        (sent,) = endpoint.calls_to(ASSOCIATE)
        assert sent.params["SendNotification"] is True and sent.params["IntegerValue"] == 130
        assert [n["IntegerValue"] for n in endpoint.notifications] == [130]
        assert "Notified    yes" in panel_text(app)


async def test_revoke_sends_the_reason(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, GRANTED)
        await pilot.press("ctrl+r")
        await answer(app, pilot, "Failed the re-test")
        assert "Reason      Failed the re-test" in dialog_text(app)
        await pilot.press("tab", "enter")
        await until(lambda: runner_idle(app) and screen(app).panel.state == "change-done")
        (sent,) = endpoint.calls_to(DISASSOCIATE)
        assert sent.params["Reason"] == "Failed the re-test"
        assert "Now         revoked" in panel_text(app)


async def test_a_lost_answer_is_shown_unknown_and_checked(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    endpoint.add_fault(Fault("drop", operation=ASSOCIATE, times=1))
    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, GRANTED)
        await pilot.press("ctrl+s")
        await answer(app, pilot, "60")
        await pilot.press("tab", "enter")
        await until(lambda: runner_idle(app) and screen(app).panel.state == "change-unknown")
        assert "unknown, checked: now" in panel_text(app)
        await until(lambda: any("set unknown" in row for row in history_rows(app)))


async def test_a_service_error_is_explained_and_recorded_failed(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    endpoint.add_fault(
        Fault(
            "error",
            operation=ASSOCIATE,
            status=400,
            code="RequestError",
            message="You do not own this qualification type.",
        )
    )
    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, GRANTED)
        await pilot.press("ctrl+s")
        await answer(app, pilot, "60")
        await pilot.press("tab", "enter")
        await until(lambda: runner_idle(app) and screen(app).panel.state == "change-failed")
        assert "failed:" in panel_text(app) and "You do not own" in panel_text(app)
        await until(lambda: any("set failed" in row for row in history_rows(app)))


async def test_undo_from_the_history_restores_the_score_and_is_recorded(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, GRANTED)
        await pilot.press("ctrl+s")
        await answer(app, pilot, "40")
        await pilot.press("tab", "enter")
        await until(lambda: runner_idle(app) and screen(app).panel.state == "change-done")
        main = screen(app)
        main.history_pane.filter_input.focus()
        await paste(pilot, "change")
        await until(lambda: [row[4] for row in history_rows(app)] == ["set done"])
        main.history.focus()
        await pilot.press("u")
        await until(lambda: isinstance(app.screen, ConfirmChangeScreen))
        await settled(pilot)
        text = dialog_text(app)
        assert "40 -> 87" in text and "Undo" in text
        await pilot.press("tab", "enter")
        await until(lambda: runner_idle(app) and "Undoes" in panel_text(app))
        sent = endpoint.calls_to(ASSOCIATE)
        assert [c.params["IntegerValue"] for c in sent] == [40, 87]
        await until(lambda: len(history_rows(app)) == 2)


async def test_read_only_hides_every_write_action(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = make_app(endpoint, "--read-only")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        assert str(main.query_one("#writes-mode", Static).content) == "read-only"
        await look_up(pilot, TRANSCRIBE, GRANTED)
        for action in ("set_score", "grant", "revoke", "undo", "requests"):
            assert main.check_action(action, ()) is False
        await pilot.press("ctrl+s", "ctrl+g", "ctrl+r", "f12")
        await settled(pilot)
        assert isinstance(app.screen, MainScreen)
        from qualtui.commands import main_screen_commands

        titles = [c.title for c in main_screen_commands(main)]
        writes = ("Set score", "Grant", "Revoke", "Undo", "Apply a plan", "Qualification requests")
        assert not any(t.startswith(writes) for t in titles)
        assert main.history.writes is False
    writable = make_app(endpoint)
    async with writable.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert str(screen(writable).query_one("#writes-mode", Static).content) == "writes on"
        from qualtui.commands import main_screen_commands

        titles = [c.title for c in main_screen_commands(screen(writable))]
        assert {
            "Set score…",
            "Grant…",
            "Revoke…",
            "Undo change…",
            "Apply a plan file…",
            "Qualification requests",
        } <= set(titles)


async def test_set_score_from_a_holders_row_updates_the_row(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    from textual.widgets import DataTable

    from qualtui.screens.holders import HoldersScreen

    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen(app).form.fill(TRANSCRIBE, "")
        await pilot.press("f8")
        await until(lambda: isinstance(app.screen, HoldersScreen))
        holders = app.screen
        assert isinstance(holders, HoldersScreen)
        await until(lambda: holders.pages == 1 and not holders.fetching)
        table = holders.query_one("#holders-table", DataTable)
        worker = table.get_row_at(0)[0].plain
        old = int(table.get_row_at(0)[2].plain)
        await pilot.press("s")
        await answer(app, pilot, "-3")
        assert f"{old} -> {old - 3}" in dialog_text(app) and worker in dialog_text(app)
        await pilot.press("tab", "enter")
        await until(lambda: app.screen is holders)
        await until(lambda: table.get_row_at(0)[2].plain == str(old - 3))
        (sent,) = endpoint.calls_to(ASSOCIATE)
        assert sent.params["WorkerId"] == worker and sent.params["SendNotification"] is False


async def test_grant_from_a_batch_row_updates_the_row(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    from textual.widgets import DataTable, TextArea

    from qualtui.screens.batch import BatchScreen

    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen(app).form.fill(TRANSCRIBE, "")
        await pilot.press("f7")
        await until(lambda: isinstance(app.screen, BatchScreen))
        batch = app.screen
        assert isinstance(batch, BatchScreen)
        batch.query_one("#batch-workers", TextArea).load_text(NOT_HELD)
        await pilot.press("ctrl+r")
        await until(lambda: len(batch.results) == 1 and not batch.running)
        await settled(pilot)
        table = batch.query_one("#batch-table", DataTable)
        assert app.focused is table
        await pilot.press("a")
        await answer(app, pilot, "75")
        assert "not held -> 75" in dialog_text(app)
        await pilot.press("tab", "enter")
        await until(lambda: app.screen is batch)
        await until(lambda: "75" in [cell.plain for cell in table.get_row_at(0)])
        (sent,) = endpoint.calls_to(ASSOCIATE)
        assert sent.params["WorkerId"] == NOT_HELD and sent.params["IntegerValue"] == 75


async def test_requests_accept_one_and_reject_two_marked(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    from textual.widgets import DataTable

    from qualtui.screens.requests import RequestsScreen

    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen(app).form.fill(TRANSCRIBE, "")
        await pilot.press("f12")
        await until(lambda: isinstance(app.screen, RequestsScreen))
        view = app.screen
        assert isinstance(view, RequestsScreen)
        await until(lambda: len(view.requests) == 3 and not view.fetching)
        table = view.query_one("#requests-table", DataTable)
        first = view.requests[0]
        assert table.get_row_at(0)[1].plain == first.worker_id
        await pilot.press("a")
        await answer(app, pilot, "70")
        text = dialog_text(app)
        assert first.request_id in text and "-> 70" in text
        await pilot.press("tab", "enter")
        await until(lambda: len(view.requests) == 2 and not view.fetching and not view.answering)
        (accepted,) = endpoint.calls_to("AcceptQualificationRequest")
        assert accepted.params == {"QualificationRequestId": first.request_id, "IntegerValue": 70}
        await until(lambda: app.focused is table)  # back from the dialogs
        await pilot.press("space", "down", "space", "x")
        await answer(app, pilot, "Answer did not match")
        assert "2 selected" in dialog_text(app) and "Answer did not match" in dialog_text(app)
        await pilot.press("tab", "enter")
        await until(lambda: view.requests == [] and not view.fetching and not view.answering)
        rejected = endpoint.calls_to("RejectQualificationRequest")
        assert len(rejected) == 2
        assert {c.params["Reason"] for c in rejected} == {"Answer did not match"}
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, MainScreen))
        screen(app).history_pane.filter_input.focus()
        await paste(pilot, "change")
        await until(
            lambda: (
                sorted(row[4] for row in history_rows(app))
                == ["accept done", "reject done", "reject done"]
            )
        )


async def test_revoke_and_set_from_the_worker_profile_update_its_rows(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    from qualtui.screens.worker_profile import WorkerProfileScreen

    app = make_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen(app).form.fill(TRANSCRIBE, GRANTED)
        screen(app).form.worker_input.focus()
        await pilot.press("f10")
        await until(lambda: isinstance(app.screen, WorkerProfileScreen))
        profile = app.screen
        assert isinstance(profile, WorkerProfileScreen)
        await until(lambda: not profile.running and len(profile.rows) == profile.type_count)
        row = next(i for i, r in enumerate(profile.shown_rows) if r.type_id == TRANSCRIBE)
        profile.table.move_cursor(row=row, animate=False)
        await settled(pilot)
        await pilot.press("ctrl+r")
        await answer(app, pilot, "no longer eligible")
        assert "87 -> revoked" in dialog_text(app) and TRANSCRIBE in dialog_text(app)
        await pilot.press("tab", "enter")
        await until(lambda: app.screen is profile)

        def status_of_transcribe() -> str:
            return next(r.status for r in profile.rows if r.type_id == TRANSCRIBE)

        await until(lambda: status_of_transcribe() == "Revoked")
        (sent,) = endpoint.calls_to(DISASSOCIATE)
        assert sent.params["WorkerId"] == GRANTED
        assert sent.params["Reason"] == "no longer eligible"


async def test_read_only_offers_no_change_in_the_worker_profile(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    from qualtui.screens.worker_profile import WorkerProfileScreen

    app = make_app(endpoint, "--read-only")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen(app).form.fill(TRANSCRIBE, GRANTED)
        screen(app).form.worker_input.focus()
        await pilot.press("f10")
        await until(lambda: isinstance(app.screen, WorkerProfileScreen))
        profile = app.screen
        assert isinstance(profile, WorkerProfileScreen)
        await until(lambda: not profile.running)
        assert not profile.check_action("set_score", ())
        await pilot.press("ctrl+s", "ctrl+r")
        await settled(pilot)
        assert app.screen is profile
        assert endpoint.calls_to(ASSOCIATE) == endpoint.calls_to(DISASSOCIATE) == []
