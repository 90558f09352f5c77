"""From a HIT to its workers in the app (issue #19): the picker, the batch from HITs, over
real HTTP against the local endpoint, with the app built as the `qualtui` command builds it."""

from __future__ import annotations

import csv
import threading
from collections import Counter

from textual.widgets import DataTable, Input, OptionList, Static

from qualtui.app import QualtuiApp
from qualtui.dialogs.export import ExportScreen
from qualtui.dialogs.hit_picker import HitPickerScreen
from qualtui.endpoint import Fault, LocalMTurk
from qualtui.screens.batch import BatchScreen
from qualtui.screens.main import MainScreen
from qualtui.widgets.history_table import HistoryTable
from tests.apphelpers import SIZE, app_from_command_line, paste, ready, screen, settled, type_text
from tests.conftest import TRANSCRIBE, Isolation, until

PILOT = "3DEMOHITPILOT00000000000000001"
SURVEY = "3DEMOHITSURVEY0000000000000001"
GONE = "3DEMOHITGONE00000000000000001"
LISTED = ("Submitted", "Approved", "Rejected")
LIST_ASSIGNMENTS = "ListAssignmentsForHIT"


def rows(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]


def listed(endpoint: LocalMTurk, hit_id: str) -> list[dict[str, object]]:
    """What the endpoint holds for the HIT, as ListAssignmentsForHIT lists it."""
    return [a for a in endpoint.data.assignments_of(hit_id) if a["AssignmentStatus"] in LISTED]


def app_on(endpoint: LocalMTurk) -> QualtuiApp:
    return app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")


async def open_picker(pilot: object, app: QualtuiApp) -> HitPickerScreen:
    """Type the qualification type, then Ctrl+P "Workers from a HIT…"; the HITs listed."""
    main = screen(app)
    main.form.type_input.focus()
    await paste(pilot, TRANSCRIBE)  # type: ignore[arg-type]
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await type_text(pilot, "workers from a hit")  # type: ignore[arg-type]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await until(lambda: isinstance(app.screen, HitPickerScreen))
    picker = app.screen
    assert isinstance(picker, HitPickerScreen)
    await until(lambda: picker.loaded is not None)
    return picker


async def batch_done(app: QualtuiApp) -> BatchScreen:
    await until(lambda: isinstance(app.screen, BatchScreen))
    batch = app.screen
    assert isinstance(batch, BatchScreen)
    await until(lambda: batch.source is not None and not batch.running and not batch.listing)
    await until(lambda: batch.table.row_count == len(batch.results))
    # the batch is recorded: the history under the batch view shows it
    main = next(s for s in app.screen_stack if isinstance(s, MainScreen))
    history = main.query_one(HistoryTable)
    await until(lambda: len(history.matching) >= len(batch.results))  # shown a page at a time
    return batch


async def test_from_the_palette_to_a_finished_batch_of_a_hit_with_133_assignments(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_on(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        picker = await open_picker(pilot, app)
        await type_text(pilot, "pilot audio")
        await settled(pilot)
        assert [h.id for h in picker.shown] == [PILOT]
        await pilot.press("enter")
        batch = await batch_done(app)
        expected = listed(endpoint, PILOT)
        assert len(expected) == 133
        # every page: 100 + 33, each asking for the three statuses
        pages = endpoint.calls_to(LIST_ASSIGNMENTS)
        assert len(pages) == 2 and "NextToken" in pages[1].params
        assert all(sorted(c.params["AssignmentStatuses"]) == sorted(LISTED) for c in pages)
        # each worker looked up once, for the type in the field
        workers = {str(a["WorkerId"]) for a in expected}
        lookups = endpoint.calls_to("GetQualificationScore")
        assert Counter(c.params["WorkerId"] for c in lookups) == Counter(workers)
        assert {c.params["QualificationTypeId"] for c in lookups} == {TRANSCRIBE}
        # the rows: worker, lookup status, ..., HIT, assignment status
        table_rows = rows(batch.table)
        assert len(table_rows) == len(workers)
        status_of = {str(a["WorkerId"]): str(a["AssignmentStatus"]) for a in expected}
        for row in table_rows:
            assert row[-2:] == [status_of[row[0]], PILOT]
        a1 = next(r for r in table_rows if r[0] == "A1GRANTEDWORKER")
        assert a1[1:3] == ["Granted", "87"]
        assert batch.source is not None and batch.source.hit_ids == (PILOT,)
        assert len(batch.source.assignments) == 133  # the seam for write plans
        note = str(batch.query_one("#batch-problems", Static).content)
        assert "133 assignments" in note


async def test_the_rows_filter_by_assignment_status(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_on(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_picker(pilot, app)
        await type_text(pilot, PILOT)
        await pilot.press("enter")
        batch = await batch_done(app)
        batch.query_one("#batch-filter", Input).focus()
        await type_text(pilot, "approved")
        await settled(pilot)
        approved = {
            str(a["WorkerId"])
            for a in listed(endpoint, PILOT)
            if a["AssignmentStatus"] == "Approved"
        }
        shown = rows(batch.table)
        assert {r[0] for r in shown} == approved
        assert all(r[-2] == "Approved" for r in shown)


async def test_workers_of_several_hits_merged_and_looked_up_once(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_on(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        picker = await open_picker(pilot, app)
        await pilot.press("down")  # to the list: Space marks there
        option_list = picker.query_one("#hit-list", OptionList)
        for hit_id in (SURVEY, PILOT):
            option_list.highlighted = option_list.get_option_index(hit_id)
            await pilot.press("space")
            await settled(pilot)
        assert list(picker.marked) == [SURVEY, PILOT]
        assert "[x]" in str(option_list.get_option(PILOT).prompt)
        await pilot.press("enter")
        batch = await batch_done(app)
        both = listed(endpoint, SURVEY) + listed(endpoint, PILOT)
        workers = {str(a["WorkerId"]) for a in both}
        lookups = endpoint.calls_to("GetQualificationScore")
        assert Counter(c.params["WorkerId"] for c in lookups) == Counter(workers)
        by_worker = {r[0]: r for r in rows(batch.table)}
        assert len(by_worker) == len(workers)
        assert by_worker["A1GRANTEDWORKER"][-1] == f"{SURVEY} {PILOT}"
        assert by_worker["A3ZEROSCOREWORKER"][-2:] == ["Approved Rejected", f"{SURVEY} {PILOT}"]
        assert by_worker["A2REVOKEDWORKER"][-1] == SURVEY


async def open_batch(pilot: object, app: QualtuiApp) -> BatchScreen:
    main = screen(app)
    main.form.type_input.focus()
    await paste(pilot, TRANSCRIBE)  # type: ignore[arg-type]
    await pilot.press("f7")  # type: ignore[attr-defined]
    await until(lambda: isinstance(app.screen, BatchScreen))
    batch = app.screen
    assert isinstance(batch, BatchScreen)
    return batch


async def test_a_hit_that_no_longer_exists_is_explained_and_the_others_go_on(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_on(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        batch = await open_batch(pilot, app)
        batch.workers_from_hits([GONE, SURVEY])
        batch = await batch_done(app)
        note = str(batch.query_one("#batch-problems", Static).content)
        assert f"HIT {GONE}: HIT not found." in note
        assert "MTurk deletes HITs some months after they end" in note
        assert {r[0] for r in rows(batch.table)} == {
            str(a["WorkerId"]) for a in listed(endpoint, SURVEY)
        }


async def test_esc_cancels_the_listing_and_its_late_answer_is_dropped(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    # The first page is held at the endpoint until the Esc has taken effect (a fixed
    # latency raced with a slow machine: the listing could end before the Esc came).
    release = threading.Event()
    fault = endpoint.add_fault(
        Fault("latency", operation=LIST_ASSIGNMENTS, delay=60, release=release)
    )
    app = app_on(endpoint)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            batch = await open_batch(pilot, app)
            batch.workers_from_hits([PILOT])
            problems = batch.query_one("#batch-problems", Static)
            await until(lambda: fault.hits == 1 and batch.listing)  # a page in flight
            await pilot.press("escape")
            await settled(pilot)
            assert not batch.listing and isinstance(app.screen, BatchScreen)
            assert "cancelled" in str(problems.content)
            release.set()  # the page's answer arrives late
            await until(lambda: batch._listings.stale == 1)  # the listing's answer, dropped
            assert batch.source is None and batch.table.row_count == 0
            assert batch.query_one("#batch-workers").text == ""  # type: ignore[attr-defined]
            assert endpoint.calls_to("GetQualificationScore") == []
            assert len(endpoint.calls_to(LIST_ASSIGNMENTS)) == 1  # no page after the cancel
            # a new listing is not confused by the cancelled one
            endpoint.clear_faults()
            batch.workers_from_hits([SURVEY])
            batch = await batch_done(app)
            assert batch.source is not None and batch.source.hit_ids == (SURVEY,)
            await pilot.press("escape")  # nothing runs: back to the lookup
            await until(lambda: isinstance(app.screen, MainScreen))
    finally:
        release.set()


async def test_a_newer_listing_drops_the_older_ones_answer(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    fault = endpoint.add_fault(Fault("latency", operation=LIST_ASSIGNMENTS, delay=0.3, times=1))
    app = app_on(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        batch = await open_batch(pilot, app)
        batch.workers_from_hits([PILOT])  # its first page is slow
        await until(lambda: fault.hits == 1)
        batch.workers_from_hits([SURVEY])  # asked for while the first still lists
        batch = await batch_done(app)
        await until(lambda: batch._listings.stale >= 1)
        assert batch.source is not None and batch.source.hit_ids == (SURVEY,)
        assert {r[-1] for r in rows(batch.table)} == {SURVEY}


async def test_a_markup_title_is_shown_literally_one_line(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_on(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        picker = await open_picker(pilot, app)
        option_list = picker.query_one("#hit-list", OptionList)
        prompt = str(option_list.get_option(PILOT).prompt)
        assert "[bold]Pilot[/bold] audio transcription" in prompt and "\n" not in prompt
        await settled(pilot)
        assert "[bold]Pilot[/bold]" in app.export_screenshot().replace("&#160;", " ")
        # newest first, with status, created and completed / pending / available
        ids = [option_list.get_option_at_index(i).id for i in range(option_list.option_count)]
        assert ids[:3] == [
            "3DEMOHITFOLLOWUP00000000000001",
            SURVEY,
            PILOT,
        ]
        assert "Reviewable" in prompt and "2026-10-01" in prompt
        # the annotation is searched too
        picker.query_one("#hit-search", Input).focus()
        await type_text(pilot, "exclude pilot")
        await settled(pilot)
        assert [h.id for h in picker.shown] == [SURVEY]
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, MainScreen))
        assert endpoint.calls_to(LIST_ASSIGNMENTS) == []


async def test_ctrl_o_in_the_batch_view_fills_it_and_the_export_keeps_the_hit_columns(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    target = aws_profiles.root / "approved.csv"
    app = app_on(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        batch = await open_batch(pilot, app)
        await pilot.press("ctrl+o")
        await until(lambda: isinstance(app.screen, HitPickerScreen))
        picker = app.screen
        assert isinstance(picker, HitPickerScreen)
        await until(lambda: picker.loaded is not None)
        await type_text(pilot, SURVEY)
        await pilot.press("enter")
        assert await batch_done(app) is batch  # the same batch view, filled
        batch.query_one("#batch-filter", Input).focus()
        await type_text(pilot, "approved")
        await settled(pilot)
        batch.table.focus()  # (in the filter field, Ctrl+E is End)
        await pilot.press("ctrl+e")
        await until(lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, str(target))
        await pilot.press("enter")
        await until(target.exists)
    exported = list(csv.DictReader(target.open(newline="")))
    approved = [a for a in listed(endpoint, SURVEY) if a["AssignmentStatus"] == "Approved"]
    assert [(r["worker_id"], r["assignment_statuses"], r["hit_ids"]) for r in exported] == [
        (a["WorkerId"], "Approved", SURVEY) for a in approved
    ]


async def test_a_listing_that_fails_is_explained_in_the_picker(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "wrongsecret")
    async with app.run_test(size=SIZE):
        await until(lambda: isinstance(app.screen, MainScreen))
        screen(app).workers_from_hits()
        await until(lambda: isinstance(app.screen, HitPickerScreen))
        picker = app.screen
        assert isinstance(picker, HitPickerScreen)
        await until(lambda: picker.loaded is not None)
        status = str(picker.query_one("#hit-status", Static).content)
        assert picker.loaded is not None and picker.loaded.failure is not None
        assert status.startswith(picker.loaded.failure.title)
        assert picker.query_one("#hit-list", OptionList).option_count == 0
