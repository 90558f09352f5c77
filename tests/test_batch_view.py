"""The batch view as a daily user meets it (issue #14): reopening keeps the list and its
results; after a cancel Ctrl+R offers the rest or all again; failed lookups can be retried;
no bar animates before a run; Ctrl+E exports from any field with a qualtui-batch-… name;
the type field behaves as the lookup's; a demo's "At once" stays out of the real settings."""

from __future__ import annotations

import re

from textual.widgets import Input, ProgressBar, TextArea

from qualtui.core import settings
from qualtui.dialogs.choice import ChoiceScreen
from qualtui.dialogs.export import ExportScreen
from qualtui.endpoint import Fault, LocalMTurk
from qualtui.screens.batch import BatchScreen
from qualtui.screens.main import MainScreen
from tests.apphelpers import SIZE, demo_app_from_command_line, ready, settled, type_text
from tests.batchhelpers import SCORE, app_on, hold, on_disk, open_batch, start_batch
from tests.conftest import Isolation, until

WORKERS = ["A1GRANTEDWORKER", "A2REVOKEDWORKER", "A5NOTHELDWORKER"]
HELD = ["A8HELDWORKER001", "A8HELDWORKER002"]


async def test_reopening_keeps_the_list_and_its_results(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_on(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        batch = await start_batch(pilot, WORKERS)
        await until(lambda: not batch.running and batch.table.row_count == 3, timeout=30)
        await pilot.press("escape")  # back to the lookup
        await until(lambda: isinstance(app.screen, MainScreen))
        await pilot.press("f7")
        await until(lambda: isinstance(app.screen, BatchScreen) and app.screen is not batch)
        again = app.screen
        assert isinstance(again, BatchScreen)
        await until(lambda: again.table.row_count == 3)
        assert again.query_one(TextArea).text.split() == WORKERS
        assert [r.request.worker_id for r in again.shown_results()] == WORKERS
        assert "Done: 3" in str(again.query_one("#batch-rate").content)  # type: ignore[attr-defined]
        assert len(endpoint.calls_to(SCORE)) == 3  # nothing looked up again


async def test_after_a_cancel_ctrl_r_offers_the_rest_in_the_same_run(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    release = hold(endpoint, *HELD)
    history = aws_profiles.data_dir / "history.json"
    app = app_on(endpoint)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            batch = await start_batch(pilot, WORKERS + HELD)
            await until(lambda: len(batch.results) == 3, timeout=30)
            await pilot.press("escape")  # cancel
            assert batch.cancelled
            release.set()
            await pilot.press("ctrl+r")
            await until(lambda: isinstance(app.screen, ChoiceScreen))
            choice = app.screen
            assert isinstance(choice, ChoiceScreen)
            assert [key for key, _ in choice.answers] == ["rest", "again"]
            assert choice.question == "3 of 5 looked up: run which?"
            await until(lambda: choice.query_one("#choice-rest").has_focus)
            await pilot.press("enter")  # Run the rest (2)
            await until(lambda: not batch.running and len(batch.results) == 5, timeout=30)
            asked = [c.params["WorkerId"] for c in endpoint.calls_to(SCORE)]
            assert sorted(set(asked)) == sorted(WORKERS + HELD)
            assert all(asked.count(w) == 1 for w in WORKERS)  # not asked again
            await until(lambda: len(on_disk(history)) == 5)
            assert len({e["run_id"] for e in on_disk(history)}) == 1
    finally:
        release.set()


async def test_retry_failed_looks_up_only_the_failures_again(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    endpoint.add_fault(
        Fault("service_fault", operation=SCORE, worker_id="A2REVOKEDWORKER", times=1)
    )
    app = app_on(endpoint, "--max-attempts", "1")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        batch = await start_batch(pilot, WORKERS)
        await until(lambda: not batch.running and len(batch.results) == 3, timeout=30)
        assert batch.found.failed() == ("A2REVOKEDWORKER",)
        await pilot.press("ctrl+r")  # the same list: offers the failed one
        await until(lambda: isinstance(app.screen, ChoiceScreen))
        assert [key for key, _ in app.screen.answers] == ["failed", "again"]  # type: ignore[attr-defined]
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, BatchScreen))
        await pilot.press("ctrl+t")  # Retry failed
        await until(lambda: not batch.running and batch.found.failed() == (), timeout=30)
        assert len(batch.results) == 3 and batch.table.row_count == 3
        assert [c.params["WorkerId"] for c in endpoint.calls_to(SCORE)][3:] == ["A2REVOKEDWORKER"]
        assert batch.summary() == "1 Granted, 1 Revoked, 1 not held"


async def test_no_bar_before_a_run_and_ctrl_e_exports_from_a_field(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_on(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        batch = await open_batch(pilot)
        assert not batch.query_one(ProgressBar).display  # nothing runs: nothing animates
        await start_batch(pilot, WORKERS, batch=batch)
        await until(lambda: not batch.running and len(batch.results) == 3, timeout=30)
        bar = batch.query_one(ProgressBar)
        assert bar.display and bar.percentage == 1
        batch.query_one("#batch-workers", TextArea).focus()
        await pilot.press("ctrl+e")
        await until(lambda: isinstance(app.screen, ExportScreen))
        export = app.screen
        name = export.query_one("#export-path", Input).value
        assert re.fullmatch(r"qualtui-batch-\d{8}-\d{6}\.csv", name), name


async def test_the_type_field_is_uppercased_and_checked_as_typed(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_on(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        batch = await open_batch(pilot, "")
        field = batch.form.type_input
        field.focus()
        await type_text(pilot, "3demotranscribe")
        await settled(pilot)
        assert field.value == "3DEMOTRANSCRIBE"
        assert not field.has_class("-invalid")
        await type_text(pilot, "-x")
        await settled(pilot)
        assert field.value == "3DEMOTRANSCRIBE-X"
        assert field.has_class("-invalid")  # said as typed, as in the lookup's field
        assert "'-' at position 16" in str(field.border_subtitle)


async def test_at_once_typed_in_demo_mode_stays_out_of_the_real_settings(
    isolated: Isolation,
) -> None:
    with demo_app_from_command_line() as app:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            batch = await start_batch(
                pilot, WORKERS, type_id="3DEMOTRANSCRIBE000000000000001", at_once=3
            )
            await until(lambda: not batch.running and len(batch.results) == 3, timeout=30)
            await settled(pilot)
    saved = settings.load(settings.settings_path()).settings
    assert saved.concurrency != 3


async def test_at_60x20_rows_and_the_summary_with_its_counts_are_on_screen(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_on(endpoint)
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        batch = await start_batch(pilot, WORKERS)
        await until(lambda: not batch.running and batch.table.row_count == 3, timeout=30)
        await settled(pilot)
        table = batch.table
        shown_rows = table.scrollable_content_region.height - table.header_height
        assert shown_rows >= 2, shown_rows
        rate = batch.query_one("#batch-rate")
        assert "1 Granted, 1 Revoked, 1 not held" in str(rate.content)  # type: ignore[attr-defined]
        assert rate.region.height >= 2 and rate.region.bottom <= table.region.y  # not cut


async def test_at_120x40_the_footer_keeps_every_batch_key(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    app = app_on(endpoint)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        batch = await start_batch(pilot, WORKERS)
        await until(lambda: not batch.running and batch.table.row_count == 3, timeout=30)
        assert batch.table.has_focus  # the results: their keys in the footer
        await settled(pilot)
        footer = batch.query_one(Footer)
        keys = list(footer.query(FooterKey))
        palette = [k for k in keys if k.has_class("-command-palette")]
        others = [k for k in keys if not k.has_class("-command-palette")]
        shown = {k.key_display for k in others}
        assert {"esc", "^r", "^e", "s", "a", "v", "b"} <= shown
        edge = palette[0].region.x if palette else footer.region.right
        assert all(k.region.right <= edge for k in others), [
            (k.key_display, k.region) for k in others if k.region.right > edge
        ]


async def test_rows_keep_the_lists_order_while_answers_arrive_out_of_it(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    first, middle, last = (
        "A1GRANTEDWORKER",
        ["A2REVOKEDWORKER", "A5NOTHELDWORKER"],
        "A4LOCALEWORKER",
    )
    first_answer, last_answer = hold(endpoint, first), hold(endpoint, last)
    app = app_on(endpoint)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            batch = await start_batch(pilot, [first, *middle, last])
            await until(lambda: batch.table.row_count == 2)  # the middle two, first held
            first_answer.set()
            await until(lambda: batch.table.row_count == 3)
            await settled(pilot)
            assert batch.running  # the last is still held: this is the order while running
            shown = [batch.table.get_row_at(i)[0].plain for i in range(3)]
            assert shown == [first, *middle]
            last_answer.set()
            await until(lambda: not batch.running)
            await settled(pilot)
            rows = [batch.table.get_row_at(i)[0].plain for i in range(4)]
            assert rows == [first, *middle, last]
    finally:
        first_answer.set()
        last_answer.set()
