"""F8 in the app as the command line builds it: the list has the focus, and keeps it."""

from __future__ import annotations

import csv
from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from qualtui.app import QualtuiApp
from qualtui.dialogs.export import ExportScreen
from qualtui.endpoint import LocalMTurk
from qualtui.screens.holders import HoldersScreen
from tests.apphelpers import ready, running, screen, settled, type_text
from tests.conftest import Isolation, until

IMAGE_TAG = "3DEMOIMAGETAG00000000000000001"


async def test_f8_focuses_the_list_and_paging_keeps_it(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        screen(app).form.fill(IMAGE_TAG, "")
        await pilot.press("f8")
        await until(lambda: isinstance(app.screen, HoldersScreen))
        holders = app.screen
        assert isinstance(holders, HoldersScreen)
        table = holders.query_one("#holders-table", DataTable)
        await until(lambda: holders.pages == 1 and not holders.fetching)
        assert app.focused is table
        await pilot.press("m")  # a page is fetched: the list stays shown and focused
        await until(lambda: holders.pages == 2 and not holders.fetching)
        await settled(pilot)
        assert app.focused is table
        await pilot.press("down", "enter")  # Enter picks a worker, not the Status menu
        await until(lambda: app.screen is not holders)
        assert screen(app).form.worker_input.value == table.get_row_at(1)[0].plain


def holders_screen(app: QualtuiApp) -> HoldersScreen:
    assert isinstance(app.screen, HoldersScreen)
    return app.screen


def page_after(holders: HoldersScreen, pages: int) -> Callable[[], bool]:
    return lambda: holders.pages > pages and not holders.fetching


def shown_keys(app: QualtuiApp) -> set[str]:
    """The keys the footer shows now."""
    return {key for key, active in app.screen.active_bindings.items() if active.binding.show}


def rows(holders: HoldersScreen) -> list[list[str]]:
    table = holders.table
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_holders(
    app: QualtuiApp, pilot: Pilot[None], type_id: str = IMAGE_TAG
) -> HoldersScreen:
    await ready(pilot)
    screen(app).form.fill(type_id, "")
    await pilot.press("f8")
    await until(lambda: isinstance(app.screen, HoldersScreen))
    holders = holders_screen(app)
    await until(lambda: holders.pages == 1 and not holders.fetching)
    return holders


async def test_the_title_names_the_type_literally_on_one_line(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    hostile = "[b]Tagging[/b]\n\x1b[31m● GRANTED"
    image_tag = endpoint.data.type_by_id(IMAGE_TAG)
    assert image_tag is not None
    image_tag["Name"] = hostile
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        holders = await open_holders(app, pilot)
        await until(lambda: holders.type_name == hostile)
        title = holders.query_one("#holders-title", Static)
        text = str(title.render())
        assert text.startswith("Workers holding [b]Tagging[/b] ⏎ ")  # literal, one line
        assert "\x1b" not in text and "\n" not in text
        where = str(holders.query_one("#holders-where", Static).render())
        assert IMAGE_TAG in where and "Production" in where and "profile default" in where


async def test_all_statuses_counts_and_no_load_more_once_everything_is_loaded(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        holders = await open_holders(app, pilot)
        assert holders.table.border_subtitle == "100 workers · more: m or scroll down"
        assert "m" in shown_keys(app)
        holders.query_one("#holders-status", Select).value = "All"
        await until(lambda: holders.listed_status == "All")
        await until(lambda: holders.pages == 1 and not holders.fetching)
        while holders.next_token:
            loaded = page_after(holders, holders.pages)  # before the key: it may be quick
            await pilot.press("m")
            await until(loaded)
        statuses = {row[1] for row in rows(holders)}
        assert statuses == {"Granted", "Revoked"}
        granted = sum(1 for row in rows(holders) if row[1] == "Granted")
        total = holders.table.row_count
        assert total == holders.loaded > 200
        assert holders.table.border_subtitle == (
            f"{total} workers ({granted} Granted, {total - granted} Revoked) · all loaded"
        )
        await settled(pilot)
        assert "m" not in shown_keys(app)  # nothing more to load: the key leaves the footer
        assert {"escape", "slash", "ctrl+e"} <= shown_keys(app)
        calls = endpoint.calls_to("ListWorkersWithQualificationType")
        assert "Status" not in calls[-1].params  # All: no status asked


async def test_filter_sort_and_export_what_is_shown(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports = aws_profiles.root / "exports"
    exports.mkdir()
    monkeypatch.chdir(exports)
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        holders = await open_holders(app, pilot)
        table = holders.table
        await pilot.press("slash")
        await type_text(pilot, "2026-09")
        await pilot.press("enter")
        await settled(pilot)
        assert app.focused is table
        shown = rows(holders)
        assert 0 < len(shown) < holders.loaded
        assert all("2026-09" in row[4] for row in shown)
        assert table.border_subtitle == f"{len(shown)} of 100 shown · more: m"
        await pilot.press("o", "o", "o")  # by score, ascending
        await settled(pilot)
        assert table.sorted_by == (2, False)
        assert [c.label.plain for c in table.ordered_columns][2] == "Score ▲"
        scores = [int(row[2]) for row in rows(holders)]
        assert scores == sorted(scores)
        await pilot.press("O")  # descending
        await settled(pilot)
        assert [c.label.plain for c in table.ordered_columns][2] == "Score ▼"
        scores = [int(row[2]) for row in rows(holders)]
        assert scores == sorted(scores, reverse=True)
        await pilot.press("home", "down", "enter")  # Enter picks the row shown (sorted)
        await until(lambda: app.screen is not holders)
        assert screen(app).form.worker_input.value == shown_sorted_worker(holders, 1)
        await pilot.press("f8")
        await until(lambda: isinstance(app.screen, HoldersScreen))
        again = holders_screen(app)
        await until(lambda: again.pages == 1 and not again.fetching)
        await pilot.press("slash")
        await type_text(pilot, "2026-09")
        await pilot.press("enter", "ctrl+e")
        await until(lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "holders.csv")
        await pilot.press("enter")
        await until(lambda: (exports / "holders.csv").exists())
        await until(lambda: any("Exported" in n.message for n in app._notifications))
        wanted = [row[0] for row in rows(again)]
    with (exports / "holders.csv").open(newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert [r["worker_id"] for r in exported] == wanted
    assert {r["qualification_type_id"] for r in exported} == {IMAGE_TAG}
    assert {r["status"] for r in exported} == {"Granted"}


def shown_sorted_worker(holders: HoldersScreen, row: int) -> str:
    return holders.shown[row].worker_id


async def test_esc_in_the_filter_clears_it_and_stays(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    options = ("--endpoint-url", endpoint.url, "--profile", "default")
    async with running(*options, size=(60, 20)) as (app, pilot):
        holders = await open_holders(app, pilot)
        table = holders.table
        assert table.size.height >= 8  # rows visible at 60x20
        assert "100 workers" in str(table.border_subtitle)
        await pilot.press("slash")
        await type_text(pilot, "zzzz")
        await settled(pilot)
        assert table.row_count == 0
        await pilot.press("escape")
        await settled(pilot)
        assert app.screen is holders and app.focused is table
        assert table.row_count == 100
        assert not holders.query_one("#holders-filter", Input).display
        await pilot.press("escape")
        await until(lambda: app.screen is not holders)
