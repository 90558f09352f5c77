"""The worker profile (F10), in the app as the command line builds it, over real HTTP:
opened from the Worker ID field, the result panel, a history row, a holders row and a batch
row; its rows checked against what the endpoint holds; the type list paged and cached;
cancel, stale answers, the one history item and reopening it."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from textual.widgets import DataTable, TextArea

from qualtui.app import QualtuiApp
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.models import LookupRequest, LookupResult, Qualification
from qualtui.core.qualification_types import QualificationType
from qualtui.core.worker_profile import ProfileRow
from qualtui.endpoint import Fault, LocalMTurk
from qualtui.screens.batch import BatchScreen
from qualtui.screens.holders import HoldersScreen
from qualtui.screens.main import MainScreen
from qualtui.screens.worker_profile import WorkerProfileScreen
from tests.apphelpers import (
    HISTORY_FIELDS,
    SCORE,
    SIZE,
    app_from_command_line,
    look_up,
    panel_text,
    paste,
    ready,
    screen,
    settled,
    type_text,
)
from tests.conftest import TRANSCRIBE, Isolation, until
from tests.historyhelpers import saved_entries

WORKER = "A1GRANTEDWORKER"
LIST_TYPES = "ListQualificationTypes"
IMAGE_TAG = "3DEMOIMAGETAG00000000000000001"
CAREFUL = "3DEMOCAREFUL000000000000000001"
EU_PANEL = "3DEMOEUPANEL000000000000000001"
CALIBRATE = "3DEMOCALIBRATE0000000000000001"
WAVE_TWO = "3DEMOWAVETWO000000000000000001"


def the_app(endpoint: LocalMTurk) -> QualtuiApp:
    return app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")


def table_rows(profile: WorkerProfileScreen) -> list[list[str]]:
    table = profile.query_one("#profile-table", DataTable)
    return [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]


def text_of(profile: WorkerProfileScreen, selector: str) -> str:
    return str(profile.query_one(selector).content)  # type: ignore[attr-defined]


async def profile_shown(app: QualtuiApp, worker: str = WORKER) -> WorkerProfileScreen:
    """Wait for the profile of `worker` to be open and loaded."""
    await until(lambda: isinstance(app.screen, WorkerProfileScreen))
    profile = app.screen
    assert isinstance(profile, WorkerProfileScreen)
    assert profile.worker_id == worker
    await until(lambda: not profile.running)
    return profile


def expected_rows(endpoint: LocalMTurk, worker: str) -> dict[str, tuple[str, str, str, str]]:
    """type ID -> (name, status, score, locale), from the endpoint's own data."""
    expected = {}
    for qtype in endpoint.data.qualification_types:
        if not qtype.get("OwnedByCaller", True):
            continue
        type_id = qtype["QualificationTypeId"]
        q: dict[str, Any] | None = endpoint.data.qualification(type_id, worker)
        if q is None:
            expected[type_id] = (qtype["Name"], "not held", "", "")
            continue
        value = q.get("IntegerValue")
        locale = q.get("LocaleValue")
        where = ""
        if locale:
            where = locale["Country"] + (
                f"-{locale['Subdivision']}" if "Subdivision" in locale else ""
            )
        expected[type_id] = (qtype["Name"], q["Status"], "" if value is None else str(value), where)
    return expected


def check_rows(profile: WorkerProfileScreen, endpoint: LocalMTurk, worker: str) -> None:
    expected = expected_rows(endpoint, worker)
    rows = table_rows(profile)
    assert len(rows) == len(expected) == 134
    shown = {row[1]: (row[0], row[2], row[3], row[4]) for row in rows}
    assert shown == expected  # names literally, statuses, scores, locales
    statuses = [row[2] for row in rows]
    held = statuses.count("Granted")
    assert statuses[:held] == ["Granted"] * held  # held first, then revoked, then the rest
    assert statuses[held : held + statuses.count("Revoked")] == ["Revoked"] * statuses.count(
        "Revoked"
    )


async def test_from_the_worker_field_every_owned_type_two_pages_and_one_history_item(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = the_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        main.form.worker_input.focus()
        await paste(pilot, WORKER.lower())  # normalised as the field does
        await pilot.press("f10")
        profile = await profile_shown(app)
        check_rows(profile, endpoint, WORKER)
        rows = {row[1]: row for row in table_rows(profile)}
        assert rows[CAREFUL][0] == "[red]Careful[/red] raters"  # markup shown literally
        assert rows[EU_PANEL][2:5] == ["Granted", "", "DE-BY"]  # locale only
        assert rows[CALIBRATE][2:4] == ["Granted", "0"]  # a zero score is a score
        assert rows[WAVE_TWO][2] == "Revoked"
        q = endpoint.data.qualification(CAREFUL, WORKER)
        assert q is not None
        assert rows[CAREFUL][5].startswith(f"{_time(q['GrantTime']).astimezone():%Y-%m-%d} (")
        assert rows[CAREFUL][5].endswith("ago)")  # local time and age
        assert text_of(profile, "#profile-counts") == "Holds 6 of 134 types, 1 revoked"
        assert len(endpoint.calls_to(LIST_TYPES)) == 2  # 134 types: two pages
        assert len(endpoint.calls_to(SCORE)) == 134
        for call in endpoint.calls_to(LIST_TYPES):
            assert call.params["MustBeOwnedByCaller"] is True
            assert call.params["MustBeRequestable"] is False
        await pilot.press("escape")  # idle: back
        await until(lambda: isinstance(app.screen, MainScreen))
        await until(lambda: len(main_history_rows(app)) == 1)  # ONE item, not 134
        row = main_history_rows(app)[0]
        assert row[2:5] == ["Worker profile", WORKER, "holds 6 of 134"]
        # a second profile costs only the score calls: the type list is cached
        await pilot.press("f10")
        await profile_shown(app)
        assert len(endpoint.calls_to(LIST_TYPES)) == 2
        await pilot.press("ctrl+t")  # unless asked for again
        await until(lambda: len(endpoint.calls_to(LIST_TYPES)) == 4)
        await until(lambda: not profile_screen(app).running)
        assert len(table_rows(profile_screen(app))) == 134


def profile_screen(app: QualtuiApp) -> WorkerProfileScreen:
    assert isinstance(app.screen, WorkerProfileScreen)
    return app.screen


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_the_history_item_reopens_the_profile(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = the_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen(app).open_worker_profile("A2REVOKEDWORKER")
        await profile_shown(app, "A2REVOKEDWORKER")
        await pilot.press("escape")
        await until(lambda: len(main_history_rows(app)) == 1)
        await pilot.press("f3", "home", "enter")  # Enter on the profile item reopens it
        profile = await profile_shown(app, "A2REVOKEDWORKER")
        check_rows(profile, endpoint, "A2REVOKEDWORKER")
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, MainScreen))
        await pilot.press("f3", "home", "f10")  # and F10 on it too
        await profile_shown(app, "A2REVOKEDWORKER")
        # the third is written on a thread: read as the store does (file and journal)
        saved = aws_profiles.data_dir / "history.json"
        await until(lambda: len(saved_entries(saved)) == 3)
    entries = saved_entries(saved)
    assert [e["worker_profile"] for e in entries] == [{"types": 134, "held": 0, "revoked": 1}] * 3
    assert {e["qualification_type_id"] for e in entries} == {""}


async def test_from_the_result_panel_and_a_lookup_history_row(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = the_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        await look_up(pilot, TRANSCRIBE, "A3ZEROSCOREWORKER")
        main.form.worker_input.value = "A4LOCALEWORKER"  # the field says another worker
        main.panel.focus()
        await settled(pilot)
        await pilot.press("f10")  # the result's worker, as the panel has the focus
        profile = await profile_shown(app, "A3ZEROSCOREWORKER")
        check_rows(profile, endpoint, "A3ZEROSCOREWORKER")
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, MainScreen))
        await until(lambda: len(main_history_rows(app)) == 2)
        await pilot.press("f3", "end", "f10")  # the oldest row: the lookup's worker
        await profile_shown(app, "A3ZEROSCOREWORKER")


async def test_from_a_holders_row(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    app = the_app(endpoint)
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
        await pilot.press("f10")
        profile = await profile_shown(app, worker)
        check_rows(profile, endpoint, worker)
        await pilot.press("escape")
        await until(lambda: app.screen is holders)  # back where it was opened


async def test_from_a_batch_row_and_enter_opens_the_lookup(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = the_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        main.form.fill(TRANSCRIBE, "")
        await pilot.press("f7")
        await until(lambda: isinstance(app.screen, BatchScreen))
        batch = app.screen
        assert isinstance(batch, BatchScreen)
        await until(lambda: isinstance(app.focused, TextArea))
        await paste(pilot, "A4LOCALEWORKER")
        await pilot.press("ctrl+r")
        await until(lambda: not batch.running and batch.table.row_count == 1)
        await pilot.press("f10")
        profile = await profile_shown(app, "A4LOCALEWORKER")
        check_rows(profile, endpoint, "A4LOCALEWORKER")
        first = table_rows(profile)[0]
        await pilot.press("home", "enter")  # the normal lookup of that type, on the main screen
        await until(lambda: isinstance(app.screen, MainScreen))
        await until(lambda: not main.busy and main.last_result is not None)
        assert main.form.type_input.value == first[1]
        assert main.form.worker_input.value == "A4LOCALEWORKER"
        assert main.last_result is not None
        assert main.last_result.request.qualification_type_id == first[1]
        assert first[2].upper() in panel_text(app)


async def test_filter_sort_and_a_bad_worker_id(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = the_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        main = screen(app)
        main.form.worker_input.value = "B12"  # not a worker ID: refused, nothing sent
        main.form.worker_input.focus()
        await pilot.press("f10")
        await settled(pilot)
        assert isinstance(app.screen, MainScreen)
        assert not endpoint.calls_to(LIST_TYPES)
        main.open_worker_profile(WORKER)
        profile = await profile_shown(app)
        await pilot.press("slash")
        await paste(pilot, "granted demo")
        await until(lambda: len(table_rows(profile)) == 6)
        await pilot.press("enter")  # back to the table
        await pilot.press("o")  # by type name
        await settled(pilot)
        names = [row[0] for row in table_rows(profile)]
        assert names == sorted(names, key=str.lower)
        await pilot.press("o", "o", "o")  # by score
        await settled(pilot)
        scores = [row[3] for row in table_rows(profile)]
        assert scores[:3] == ["0", "1", "1"] and scores[-1] == ""
        await pilot.press("O")
        await settled(pilot)
        assert table_rows(profile)[0][3] == ""


async def test_esc_cancels_no_more_calls_no_late_rows(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    endpoint.add_fault(Fault("latency", operation=SCORE, delay=0.3))
    app = the_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen(app).open_worker_profile(WORKER)
        await until(lambda: isinstance(app.screen, WorkerProfileScreen))
        profile = profile_screen(app)
        await until(lambda: len(profile.rows) >= 10)
        await pilot.press("escape")
        await until(lambda: profile.cancelled and not profile.running)
        kept = len(profile.rows)
        assert "Cancelled after" in text_of(profile, "#profile-state")
        # the calls under way end; none starts after them, and their answers are dropped
        await until(lambda: not any(w.group == "profile" and w.is_running for w in app.workers))
        await until(lambda: endpoint.in_flight == 0)
        sent = len(endpoint.calls_to(SCORE))
        await settled(pilot)
        assert len(profile.rows) == kept == len(table_rows(profile)) < 134
        assert sent < 134 and len(endpoint.calls_to(SCORE)) == sent
        assert isinstance(app.screen, WorkerProfileScreen)  # Esc cancelled; it did not close
        assert not main_history_rows(app)  # a cancelled profile is not recorded
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, MainScreen))


def main_history_rows(app: QualtuiApp) -> list[list[str]]:
    main = next(s for s in app.screen_stack if isinstance(s, MainScreen))
    table = main.history
    order = [table.get_column_index(name) for name in HISTORY_FIELDS]  # as history_rows
    rows = [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]
    return [[row[i] for i in order] for row in rows]


async def test_stale_answers_are_dropped(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    app = the_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen(app).open_worker_profile(WORKER)
        profile = await profile_shown(app)
        old = profile._loads.current
        await pilot.press("ctrl+t")  # a new load: whatever the old one says is stale
        await until(lambda: not profile.running)
        rows = table_rows(profile)
        stale_before = profile._loads.stale
        connection = Connection("default", PRODUCTION, endpoint.url)
        late = ProfileRow(
            QualificationType("3LATETYPE", "A late type"),
            LookupResult(
                LookupRequest(connection, "3LATETYPE", WORKER),
                datetime.now(timezone.utc),
                qualification=Qualification("3LATETYPE", WORKER, "Granted", integer_value=5),
            ),
        )
        profile.post_message(WorkerProfileScreen.RowArrived(old, late))
        await until(lambda: profile._loads.stale == stale_before + 1)
        await settled(pilot)
        assert table_rows(profile) == rows and "A late type" not in str(rows)


async def test_a_failed_listing_is_explained(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    endpoint.add_fault(Fault("error", operation=LIST_TYPES, code="AccessDeniedException"))
    app = the_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen(app).open_worker_profile(WORKER)
        profile = await profile_shown(app)
        assert profile.failure_text and not table_rows(profile)
        assert text_of(profile, "#profile-state") == profile.failure_text


async def test_worker_profile_in_the_command_palette(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = the_app(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen(app).form.worker_input.value = "A4LOCALEWORKER"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Worker profile" in titles
        await pilot.press("ctrl+p")  # keys typed on wait for the palette and its search
        await type_text(pilot, "worker profile")
        await pilot.press("enter")
        profile = await profile_shown(app, "A4LOCALEWORKER")
        check_rows(profile, endpoint, "A4LOCALEWORKER")
