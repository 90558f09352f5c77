"""Pasted IDs (#14): cleaned (invisible characters, full-width digits, a spreadsheet row's
other cells), said so; a list pasted into Worker ID offered to the batch view; an ID still
invalid explained in full, in plain words, under the fields."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from qualtui.core.pasted_ids import clean_paste
from qualtui.dialogs.confirm import ConfirmScreen
from qualtui.endpoint import LocalMTurk
from qualtui.screens.batch import BatchScreen
from qualtui.screens.main import MainScreen
from tests.apphelpers import app_from_command_line, paste, ready, screen, settled, type_text
from tests.conftest import TRANSCRIBE, Isolation, until


def test_a_paste_is_cleaned_and_its_first_value_kept() -> None:
    pasted = clean_paste("\u200b\uff21\uff11\uff22\uff12\t80\tGranted\n")  # full-width A1B2
    assert pasted.first == "A1B2" and pasted.values == ("A1B2",)
    assert pasted.others_on_line == 2 and pasted.invisible == 1
    assert pasted.notice() == (
        "Pasted: kept the first value of the pasted row; 2 more were left out (tabs, spaces "
        "or commas separate values); removed 1 invisible character."
    )
    assert clean_paste("A1, A2").others_on_line == 1
    # One line of worker IDs is a list; a spreadsheet row (ID, score, status) is one ID.
    assert clean_paste("A1B2, a3c4;A5D6 ").worker_list() == ("A1B2", "a3c4", "A5D6")
    assert clean_paste("A1B2\t80\tGranted").worker_list() == ("A1B2",)
    assert clean_paste("A1B2 Approved").worker_list() == ("A1B2",)
    assert clean_paste("A1B2").worker_list() == ("A1B2",)
    assert clean_paste("A1\nA2 x").worker_list() == ("A1", "A2")
    assert clean_paste(" A1\u00a0 \n\n a2 x\r\nA3").values == ("A1", "a2", "A3")
    assert clean_paste("A1B2").notice() is None
    assert clean_paste("\u200b \n").first == ""


def command_line_app(endpoint: LocalMTurk):  # type: ignore[no-untyped-def]
    return app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


async def test_a_spreadsheet_row_pastes_its_first_value_and_says_so(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = command_line_app(endpoint)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        main = screen(app)
        main.form.worker_input.focus()
        await paste(pilot, "\u200ba\uff11b\uff12\t80\tGranted")
        assert main.form.worker_input.value == "A1B2"
        assert main.form.worker_input.problem is None
        assert any("kept the first value of the pasted row; 2 more" in n for n in notices(app))
        assert any("removed 1 invisible character" in n for n in notices(app))


async def offered(pilot: Pilot[None], workers: str) -> str:
    """Paste the type, then `workers` into Worker ID: the question the batch offer asks."""
    app, main = pilot.app, screen(pilot.app)  # type: ignore[arg-type]
    main.form.type_input.focus()
    await paste(pilot, TRANSCRIBE)
    main.form.worker_input.focus()
    await paste(pilot, workers)
    await until(lambda: isinstance(app.screen, ConfirmScreen))
    return str(app.screen.query_one(".dialog-question", Static).content)


async def accepted(pilot: Pilot[None]) -> BatchScreen:
    """Yes to the offer: the batch view, its list filled."""
    app = pilot.app
    await pilot.click("#confirm")
    await until(lambda: isinstance(app.screen, BatchScreen))
    batch = app.screen
    assert isinstance(batch, BatchScreen)
    await until(lambda: batch.is_mounted)  # pushed is not composed: no list to query yet
    await until(lambda: batch.query_one("#batch-workers", TextArea).text != "")
    return batch


async def test_a_list_pasted_into_worker_id_offers_the_batch_view(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = command_line_app(endpoint)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        main = screen(app)
        listed = "A1GRANTEDWORKER\nA2REVOKEDWORKER\n\nA5NOTHELDWORKER\n"
        assert "You pasted 3 lines" in await offered(pilot, listed)
        await pilot.press("escape")  # no: the first stays in the field
        await until(lambda: isinstance(app.screen, MainScreen))
        assert main.form.worker_input.value == "A1GRANTEDWORKER"
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, listed)
        await until(lambda: isinstance(app.screen, ConfirmScreen))
        batch = await accepted(pilot)
        workers = batch.query_one("#batch-workers", TextArea)
        assert workers.text == "A1GRANTEDWORKER\nA2REVOKEDWORKER\nA5NOTHELDWORKER"
        assert batch.query_one("#batch-type", Input).value == TRANSCRIBE


async def test_worker_ids_pasted_on_one_line_offer_the_batch_view(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = command_line_app(endpoint)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        main = screen(app)
        question = await offered(pilot, "A1GRANTEDWORKER, A2REVOKEDWORKER,A5NOTHELDWORKER")
        assert "You pasted 3 worker IDs" in question
        batch = await accepted(pilot)
        workers = batch.query_one("#batch-workers", TextArea)
        assert workers.text == "A1GRANTEDWORKER\nA2REVOKEDWORKER\nA5NOTHELDWORKER"
        assert main.form.worker_input.value == "A1GRANTEDWORKER"


async def test_an_invalid_id_is_explained_in_full_under_the_fields(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = command_line_app(endpoint)
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        main = screen(app)
        main.form.worker_input.focus()
        await type_text(pilot, "A1B2C3D4E5")
        await pilot.press("left", "space")  # (a space typed at the end is stripped)
        await settled(pilot)
        assert main.form.worker_input.value == "A1B2C3D4E 5"
        line = main.form.problem_line
        expected = "Worker ID: Only letters A-Z and digits 0-9: a space at position 10."
        await until(lambda: str(line.content) == expected)
        assert line.display
        # the whole reason fits on screen (wrapped if need be), not cut by the border
        assert line.region.width * line.region.height >= len(expected)
        assert line.region.bottom <= app.screen.region.bottom
        assert str(main.form.worker_input.border_subtitle) == "a space at position 10"
        await pilot.press("backspace")
        await settled(pilot)
        await until(lambda: not line.display)
