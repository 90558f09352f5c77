"""The views beyond one lookup, driven with Pilot against the local endpoint: type details,
the type picker, batch lookups, workers holding, clipboard, help, palette and settings."""

from __future__ import annotations

import csv
import json

import pytest
from textual.widgets import DataTable, Input, Select, TextArea

from qualtui.core import settings
from qualtui.dialogs.export import ExportScreen
from qualtui.dialogs.help import HelpScreen
from qualtui.dialogs.type_picker import TypePickerScreen
from qualtui.endpoint import Fault, LocalMTurk
from qualtui.screens.batch import BatchScreen
from qualtui.screens.holders import HoldersScreen
from qualtui.screens.main import MainScreen
from tests.apphelpers import (
    SCORE,
    history_rows,
    look_up,
    lookups,
    panel_text,
    paste,
    ready,
    running,
    screen,
    type_text,
)
from tests.batchhelpers import hold
from tests.conftest import TRANSCRIBE, Isolation, until
from tests.historyhelpers import saved_entries

IMAGE_TAG = "3DEMOIMAGETAG00000000000000001"


def rows(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_type_details_once_in_the_panel_and_history(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        for worker in ("A1GRANTEDWORKER", "A3ZEROSCOREWORKER", "A5NOTHELDWORKER"):
            await look_up(pilot, TRANSCRIBE, worker)
            await until(lambda: "Audio transcription skill" in panel_text(app))
        assert "Active" in panel_text(app) and "20-clip transcription test" in panel_text(app)
        await until(lambda: len(history_rows(app)) == 3)
        assert {r[2] for r in history_rows(app)} == {"Audio transcription skill"}
        assert len(endpoint.calls_to("GetQualificationType")) == 1
    saved = saved_entries(aws_profiles.data_dir / "history.json")
    assert saved[-1]["qualification_type_name"] == "Audio transcription skill"


async def test_failing_details_never_block_the_score(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    endpoint.add_fault(Fault("latency", operation="GetQualificationType", delay=3))
    endpoint.add_fault(Fault("service_fault", operation="GetQualificationType"))
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")  # returns while details hang
        assert "GRANTED" in panel_text(app) and "Name" not in panel_text(app)


async def test_the_type_picker_searches_and_fills_the_field(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        await pilot.press("f5")
        await until(lambda: isinstance(app.screen, TypePickerScreen))
        picker = app.screen
        await until(lambda: picker.loaded is not None)  # type: ignore[attr-defined]
        await type_text(pilot, "west coast")
        await pilot.press("enter")
        await until(lambda: isinstance(app.screen, MainScreen))
        assert screen(app).form.type_input.value == "3DEMOLOCALE0000000000000000001"
        assert app.focused is screen(app).form.worker_input
        listed = endpoint.calls_to("ListQualificationTypes")[0].params
        assert listed["MustBeOwnedByCaller"] is True and listed["MustBeRequestable"] is False


async def start_batch(pilot, text: str, concurrency: str | None = None) -> BatchScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    screen(app).form.fill(TRANSCRIBE, "")  # the batch starts with the type in the form
    await pilot.press("f7")
    await until(lambda: isinstance(app.screen, BatchScreen))
    batch = app.screen
    assert isinstance(batch, BatchScreen)
    await until(lambda: isinstance(app.focused, TextArea))
    assert batch.query_one("#batch-type", Input).value == TRANSCRIBE
    await paste(pilot, text)  # into the worker list, which has focus
    await until(lambda: bool(batch.query_one(TextArea).text))
    if concurrency is not None:
        batch.query_one("#batch-concurrency", Input).value = concurrency
    await pilot.press("ctrl+r")
    return batch


async def test_a_batch_with_invalid_duplicate_and_throttled_workers(
    endpoint: LocalMTurk,
    aws_profiles: Isolation,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("qualtui.core.batch.THROTTLE_PAUSE", 0.05)
    endpoint.add_fault(Fault("throttle", operation=SCORE, worker_id="A2REVOKEDWORKER", times=3))
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        batch = await start_batch(
            pilot,
            "A1GRANTEDWORKER, a2revokedworker\nnot-a-worker A3ZEROSCOREWORKER A1GRANTEDWORKER\n"
            "A5NOTHELDWORKER",
        )
        await until(lambda: not batch.running and len(batch.results) == 4)
        problems = str(batch.query_one("#batch-problems").content)  # type: ignore[attr-defined]
        assert "Skipped 1 invalid: 'not-a-worker'" in problems
        assert "1 duplicate looked up once" in problems
        table = batch.query_one("#batch-table", DataTable)
        by_worker = {row[0]: row for row in rows(table)}
        assert by_worker["A2REVOKEDWORKER"][1:3] == ["Revoked", "12"]  # throttled, then fine
        assert by_worker["A5NOTHELDWORKER"][1] == "not held"
        assert len([c for c in lookups(endpoint) if c.params["WorkerId"] == "A2REVOKEDWORKER"]) == 4
        rate = str(batch.query_one("#batch-rate").content)  # type: ignore[attr-defined]
        assert rate.startswith("Done: 4 in") and "2 Granted" in rate
        # sort by score: click the header
        score_x = sum(c.get_render_width(table) for c in list(table.columns.values())[:2]) + 2
        await pilot.click("#batch-table", offset=(score_x, 1))
        assert [r[2] for r in rows(table)] == ["0", "12", "87", ""]
        # filter
        await pilot.click("#batch-filter")
        await type_text(pilot, "granted")
        assert sorted(r[0] for r in rows(table)) == ["A1GRANTEDWORKER", "A3ZEROSCOREWORKER"]
        await pilot.press("escape")  # the batch is done: Escape goes back to the lookup
        await until(lambda: isinstance(app.screen, MainScreen))
        await until(lambda: len(history_rows(app)) == 4)  # each worker its own entry


async def test_cancel_a_batch_midway(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    # The first four answer at once, the rest are held until the Esc has taken effect (a
    # fixed latency raced with a slow machine: how many started before the Esc varied).
    listed = [f"A{n:04d}W" for n in range(60)]
    release = hold(endpoint, *listed[4:])
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        batch = await start_batch(pilot, " ".join(listed), concurrency="2")
        await until(lambda: len(batch.results) >= 3)
        await pilot.press("escape")
        assert batch.cancelled and not batch.running
        release.set()
        kept = len(batch.results)
        assert "Cancelled after" in str(batch.query_one("#batch-rate").content)  # type: ignore[attr-defined]
        # the answers still in flight arrive, go through the queue, and are dropped
        await until(lambda: not any(w.group == "batch" and w.is_running for w in app.workers))
        await until(lambda: not batch._inbox)  # and what it delivered was drained
        assert len(batch.results) == kept < 60
        assert len(lookups(endpoint)) < 20
        await pilot.press("escape")
        await until(lambda: len(history_rows(app)) == kept)


async def test_export_batch_results(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    target = aws_profiles.root / "batch.csv"
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        batch = await start_batch(pilot, "A1GRANTEDWORKER A5NOTHELDWORKER")
        await until(lambda: not batch.running and len(batch.results) == 2)
        await pilot.press("ctrl+e")
        await until(lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, str(target))
        await pilot.press("enter")
        await until(target.exists)
    exported = {r["worker_id"]: r for r in csv.DictReader(target.open(newline=""))}
    assert exported["A1GRANTEDWORKER"]["score"] == "87"
    assert exported["A5NOTHELDWORKER"]["error_kind"] == "not_held"


async def test_workers_holding_pages_and_opens_a_lookup(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        main = screen(app)
        main.form.fill(IMAGE_TAG, "")
        await pilot.press("f8")
        await until(lambda: isinstance(app.screen, HoldersScreen))
        holders = app.screen
        assert isinstance(holders, HoldersScreen)
        table = holders.query_one(DataTable)
        await until(lambda: table.row_count == 100 and not holders.fetching)
        assert "more" in str(table.border_subtitle)
        assert len(endpoint.calls_to("ListWorkersWithQualificationType")) == 1  # a page at a time
        await pilot.press("m")
        await until(lambda: table.row_count >= 200 and not holders.fetching)
        calls = endpoint.calls_to("ListWorkersWithQualificationType")
        assert "NextToken" not in calls[0].params and calls[1].params["NextToken"]
        while holders.next_token:  # the rest, by moving to the end of the list: a page each

            def next_page_shown(wanted: int = holders.pages + 1) -> bool:
                return holders.pages == wanted and not holders.fetching

            await pilot.press("ctrl+end")
            await until(next_page_shown)
        granted = table.row_count
        assert granted > 200 and "all loaded" in str(table.border_subtitle)
        holders.query_one("#holders-status", Select).value = "Revoked"
        await until(lambda: not holders.fetching and holders.pages == 1)
        assert 0 < table.row_count < granted
        table.focus()  # back to the list, as from the status picker (set above without it)
        await until(lambda: app.focused is table)
        await pilot.press("enter")  # on the first row: a new listing starts at the top
        await until(lambda: isinstance(app.screen, MainScreen))
        await until(lambda: not main.busy and "REVOKED" in panel_text(app))
        assert main.form.worker_input.value == table.get_row_at(0)[0].plain


async def test_copy_result_text_json_and_ids(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        await pilot.press("f9")
        assert app.clipboard == ""  # nothing to copy yet, and no crash
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await until(lambda: "Audio transcription skill" in panel_text(app))
        await pilot.press("f9")
        assert app.clipboard.splitlines()[:3] == [
            "Worker A1GRANTEDWORKER",
            f"Qualification type {TRANSCRIBE} (Audio transcription skill)",
            "Status Granted",
        ]
        main = screen(app)
        main.copy_result_json()
        assert json.loads(app.clipboard)["Qualification"]["IntegerValue"] == 87
        main.copy_worker_id()
        assert app.clipboard == "A1GRANTEDWORKER"
        main.copy_type_id()
        assert app.clipboard == TRANSCRIBE


async def test_help_and_the_command_palette(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        await pilot.press("f1")
        await until(lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, MainScreen))
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in (
            "Batch lookup",
            "Workers holding this qualification",
            "Switch to Sandbox  us-east-1",
            "Switch profile: research",
            "Export history",
            "Copy result as JSON",
        ):
            assert expected in titles
        await pilot.press("ctrl+p")  # keys typed on wait for the palette and its search
        await type_text(pilot, "batch lookup")
        await pilot.press("enter")
        await until(lambda: isinstance(app.screen, BatchScreen))


async def test_choices_are_kept_in_the_settings_file(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    path = settings.settings_path()
    async with running("--endpoint-url", endpoint.url) as (app, pilot):
        await ready(pilot)
        screen(app).bar.query_one("#profile", Select).value = "research"
        app.theme = "textual-light"
        await until(lambda: path.exists() and "textual-light" in path.read_text())
        await until(lambda: json.loads(path.read_text()).get("profile") == "research")
    # the next start reads the settings file, as `qualtui` does
    async with running("--endpoint-url", endpoint.url) as (app, pilot):
        await ready(pilot)
        assert screen(app).bar.profile == "research" and app.theme == "textual-light"


async def test_a_batch_from_a_csv_file(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    workers_csv = aws_profiles.root / "Batch_123_workers.csv"
    workers_csv.write_text(
        "Worker ID,Lifetime Approval Rate\nA1GRANTEDWORKER,100%\nA5NOTHELDWORKER,99%\n"
    )
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        screen(app).form.fill(TRANSCRIBE, "")
        await pilot.press("f7")
        await until(lambda: isinstance(app.screen, BatchScreen))
        batch = app.screen
        assert isinstance(batch, BatchScreen)
        await pilot.click("#batch-path")
        await paste(pilot, str(aws_profiles.root / "missing.csv"))
        await pilot.press("enter")
        problems = batch.query_one("#batch-problems")
        await until(lambda: "does not exist" in str(problems.content))  # type: ignore[attr-defined]
        batch.query_one("#batch-path", Input).value = str(workers_csv)
        await pilot.press("enter")
        await until(lambda: batch.query_one(TextArea).text == "A1GRANTEDWORKER\nA5NOTHELDWORKER")
        assert "'Worker ID' column" in str(problems.content)  # type: ignore[attr-defined]
        await pilot.press("ctrl+r")
        await until(lambda: not batch.running and len(batch.results) == 2)
