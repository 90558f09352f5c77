"""Using the history in the app: filter, delete, clear (with confirmation), export, re-run,
paging through a large history, recovering from damaged files and failed saves, and keeping
secrets out of every file qualtui writes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from textual.widgets import Button, Input

from qualtui import cli
from qualtui.app import QualtuiApp
from qualtui.core.connection import SANDBOX
from qualtui.core.history import read_history
from qualtui.dialogs.confirm import ConfirmScreen
from qualtui.dialogs.export import ExportScreen
from qualtui.endpoint import LocalMTurk
from qualtui.widgets.history_pane import HistoryPane
from qualtui.widgets.history_table import COLUMNS, PAGE_SIZE
from tests.apphelpers import (
    SIZE,
    demo_app_from_command_line,
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
from tests.conftest import ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, TRANSCRIBE, Isolation, until
from tests.historyhelpers import entry, write_history


def saved_workers(isolated: Isolation) -> list[str]:
    """What the files hold (history.json with its journal)."""
    return [e.worker_id for e in read_history(isolated.data_dir / "history.json").entries]


def pane_subtitle(app: QualtuiApp) -> str:
    return str(app.screen.query_one(HistoryPane).border_subtitle)


def seed(isolated: Isolation) -> None:
    """Four past lookups: two production, one sandbox, one failure."""
    write_history(
        isolated.data_dir / "history.json",
        [
            entry(1, "A1GRANTEDWORKER", type_id=TRANSCRIBE),
            entry(2, "A2REVOKEDWORKER", type_id=TRANSCRIBE, status="Revoked"),
            entry(3, "A3SANDBOXWORKER", type_id=TRANSCRIBE, environment=SANDBOX),
            entry(4, "A5NOTHELDWORKER", type_id=TRANSCRIBE, failed=True),
        ],
    )


async def test_filter_as_you_type_by_worker_status_and_environment(aws_profiles: Isolation) -> None:
    seed(aws_profiles)
    closed = ("--endpoint-url", "http://127.0.0.1:9")  # nothing listens there
    async with running(*closed, "--profile", "default") as (app, pilot):
        await ready(pilot)
        assert len(history_rows(app)) == 4 and pane_subtitle(app) == "4 lookups"
        await pilot.press("f3", "slash")  # from the table, / goes to the filter box
        assert app.focused is app.screen.query_one("#history-filter")
        await type_text(pilot, "revoked")
        assert [r[3] for r in history_rows(app)] == ["A2REVOKEDWORKER"]
        assert pane_subtitle(app) == "1 of 4 match"
        await pilot.press("ctrl+u")  # empty the box (readline key)
        await type_text(pilot, "sandbox")
        assert [r[3] for r in history_rows(app)] == ["A3SANDBOXWORKER"]
        await pilot.press("ctrl+u")
        await type_text(pilot, "a5 not held")  # several words: all must match
        assert [r[3] for r in history_rows(app)] == ["A5NOTHELDWORKER"]
        await type_text(pilot, "x")
        assert history_rows(app) == [] and pane_subtitle(app) == "0 of 4 match"
        await pilot.press("escape")  # Escape empties the filter
        assert len(history_rows(app)) == 4


async def test_delete_the_selected_entry(aws_profiles: Isolation) -> None:
    seed(aws_profiles)
    async with running("--endpoint-url", "http://127.0.0.1:9") as (app, pilot):
        await ready(pilot)
        await pilot.press("f3", "down", "d")  # second newest: A3SANDBOXWORKER
        await until(lambda: len(history_rows(app)) == 3)
        assert [r[3] for r in history_rows(app)] == [
            "A5NOTHELDWORKER",
            "A2REVOKEDWORKER",
            "A1GRANTEDWORKER",
        ]
        assert screen(app).history.cursor_row == 1  # the cursor stays where it was
    assert saved_workers(aws_profiles) == ["A1GRANTEDWORKER", "A2REVOKEDWORKER", "A5NOTHELDWORKER"]


async def test_clear_all_asks_first(aws_profiles: Isolation) -> None:
    seed(aws_profiles)
    async with running("--endpoint-url", "http://127.0.0.1:9") as (app, pilot):
        await ready(pilot)
        await pilot.press("f3", "c")
        await until(lambda: isinstance(app.screen, ConfirmScreen))
        assert app.focused is app.screen.query_one("#cancel", Button)  # the safe default
        await pilot.press("enter")  # Cancel
        await until(lambda: not isinstance(app.screen, ConfirmScreen))
        assert len(history_rows(app)) == 4
        await pilot.press("c")
        await until(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")  # also cancels
        await until(lambda: not isinstance(app.screen, ConfirmScreen))
        assert len(saved_workers(aws_profiles)) == 4
        await pilot.press("c")
        await until(lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        await until(lambda: history_rows(app) == [])
        assert pane_subtitle(app) == "no lookups yet"
    assert saved_workers(aws_profiles) == []


async def test_export_the_filtered_history_to_csv_and_json(
    aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(aws_profiles)
    exports = aws_profiles.root / "exports"
    exports.mkdir()
    monkeypatch.chdir(exports)  # the default folder is the current directory
    async with running("--endpoint-url", "http://127.0.0.1:9") as (app, pilot):
        await ready(pilot)
        await pilot.press("ctrl+f")
        await type_text(pilot, "production")
        await pilot.press("enter", "e")  # Enter moves to the table; e exports
        await until(lambda: isinstance(app.screen, ExportScreen))
        assert "Export 3 matching lookups" in str(app.screen.query_one(".dialog-title").content)  # type: ignore[attr-defined]
        path_input = app.screen.query_one("#export-path", Input)
        assert path_input.value.startswith("qualtui-history-") and path_input.value.endswith(".csv")
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "prod.csv")
        await pilot.press("enter")
        await until(lambda: (exports / "prod.csv").exists())
        await until(lambda: any("Exported 3 lookups" in n.message for n in app._notifications))
        # the same name again: asks before replacing; JSON by extension
        await pilot.press("e")
        await until(lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "prod.csv")
        await pilot.press("enter")
        problem = app.screen.query_one("#export-problem")
        assert "already exists" in str(problem.content)  # type: ignore[attr-defined]
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "sub/prod.json")
        await pilot.press("enter")
        assert "does not exist" in str(problem.content)  # type: ignore[attr-defined]
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "prod.json")
        await pilot.press("enter")
        await until(lambda: (exports / "prod.json").exists())
    with (exports / "prod.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["worker_id"] for r in rows] == [
        "A5NOTHELDWORKER",
        "A2REVOKEDWORKER",
        "A1GRANTEDWORKER",
    ]
    assert rows[1]["status"] == "Revoked" and rows[0]["error_kind"] == "not_held"
    assert rows[2]["score"] == "0" and rows[2]["locale"] == "US-WA"
    document = json.loads((exports / "prod.json").read_text())
    assert [e["worker_id"] for e in document["entries"]] == [r["worker_id"] for r in rows]


async def test_r_reruns_the_selected_entry(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    seed(aws_profiles)
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        await pilot.press("f3", "down", "down", "r")  # A2REVOKEDWORKER
        await until(lambda: len(history_rows(app)) == 5)
        assert "REVOKED" in panel_text(app) and "A2REVOKEDWORKER" in panel_text(app)
        assert len(lookups(endpoint)) == 1
        assert lookups(endpoint)[0].params["WorkerId"] == "A2REVOKEDWORKER"
        assert history_rows(app)[0][3] == "A2REVOKEDWORKER"


async def test_a_large_history_is_shown_a_page_at_a_time(aws_profiles: Isolation) -> None:
    write_history(
        aws_profiles.data_dir / "history.json",
        [entry(n, f"A{n:05d}W", type_id=TRANSCRIBE) for n in range(10_000)],
    )
    closed = ("--endpoint-url", "http://127.0.0.1:9")  # nothing listens there
    async with running(*closed, "--history-limit", "20000") as (app, pilot):
        await ready(pilot)
        table = screen(app).history
        assert table.total == 10_000 and table.row_count == PAGE_SIZE
        assert pane_subtitle(app) == "10000 lookups"
        assert history_rows(app)[0][3] == "A09999W"
        await pilot.press("f3", "end")  # the last row shown: the next page comes in
        await until(lambda: table.row_count >= 2 * PAGE_SIZE)
        assert table.cursor_row == PAGE_SIZE - 1
        assert history_rows(app)[PAGE_SIZE][3] == f"A{9999 - PAGE_SIZE:05d}W"  # no gap
        await pilot.press("ctrl+f")
        await type_text(pilot, "a0000")  # A00000W .. A00009W (in a thread: 10,000 entries)
        expected = [f"A{n:05d}W" for n in range(9, -1, -1)]
        await until(lambda: [r[3] for r in history_rows(app)] == expected)
        await until(lambda: pane_subtitle(app) == "10 of 10000 match")  # the count follows


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00binary",
        b'{"version": 1, "entries": [{"id": "x", "ti',
        b"[]",
        b'{"version": 1, "entries": [{"id": 5}, "text"]}',
    ],
    ids=["empty", "binary", "truncated", "list", "bad-entries"],
)
async def test_damaged_history_files_are_reported_once_and_the_app_starts(
    aws_profiles: Isolation, content: bytes
) -> None:
    good = entry(1, "A1GRANTEDWORKER").to_json()
    if content.startswith(b'{"version": 1, "entries": [{"id": 5}'):
        content = content.replace(b'"text"]', b'"text", ' + json.dumps(good).encode() + b"]")
    aws_profiles.data_dir.mkdir(parents=True)
    (aws_profiles.data_dir / "history.json").write_bytes(content)
    async with running("--endpoint-url", "http://127.0.0.1:9") as (app, pilot):
        await ready(pilot)
        notices = [n.message for n in app._notifications if "damaged" in n.message]
        assert len(notices) == 1
        backups = list(aws_profiles.data_dir.glob("history.json.corrupt-*"))
        assert len(backups) == 1 and backups[0].read_bytes() == content
        assert str(backups[0]) in notices[0]
        expected = ["A1GRANTEDWORKER"] if b"text" in content else []
        assert [r[3] for r in history_rows(app)] == expected


async def test_a_newer_history_format_is_left_alone(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    aws_profiles.data_dir.mkdir(parents=True)
    newer = b'{"version": 99, "entries": [{"whatever": 1}]}'
    (aws_profiles.data_dir / "history.json").write_bytes(newer)
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        assert any("newer qualtui" in n.message for n in app._notifications)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        assert "GRANTED" in panel_text(app)
        await until(lambda: len(history_rows(app)) == 1)  # this session's, in memory
        assert "not saved" in pane_subtitle(app)
    assert (aws_profiles.data_dir / "history.json").read_bytes() == newer


@pytest.mark.parametrize(("errno_", "words"), [(28, "No space left"), (30, "Read-only")])
async def test_a_failed_save_warns_and_keeps_the_result(
    endpoint: LocalMTurk,
    aws_profiles: Isolation,
    monkeypatch: pytest.MonkeyPatch,
    errno_: int,
    words: str,
) -> None:
    import os

    def fail(path: Path, *args: object, **kwargs: object) -> None:
        raise OSError(errno_, os.strerror(errno_), str(path))

    monkeypatch.setattr("qualtui.core.history.store.write_atomic", fail)
    monkeypatch.setattr("qualtui.core.history.store.append_changes", fail)  # the journal
    async with running("--endpoint-url", endpoint.url, "--profile", "default") as (app, pilot):
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        assert "GRANTED" in panel_text(app)
        await until(lambda: any(words in n.message for n in app._notifications))
        await look_up(pilot, TRANSCRIBE, "A3ZEROSCOREWORKER")
        await until(lambda: len(history_rows(app)) == 2)  # the session's history still works
    assert not (aws_profiles.data_dir / "history.json").exists()


async def test_no_secret_reaches_any_file(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    aws_profiles.aws_credentials.write_text(
        f"[temp]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
        f"aws_session_token = {SESSION_TOKEN}\n"
    )
    cli._setup_logging()  # the log file too
    async with running("--endpoint-url", endpoint.url, "--profile", "temp") as (app, pilot):
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        assert "GRANTED" in panel_text(app)
        await look_up(pilot, "3NOSUCHTYPE0000000000000000001", "A1GRANTEDWORKER")
        await until(lambda: len(history_rows(app)) == 2)
        await pilot.press("f3", "e")
        await until(lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("ctrl+a", "ctrl+k")
        await paste(pilot, str(aws_profiles.root / "export.json"))
        await pilot.press("enter")
        await until(lambda: (aws_profiles.root / "export.json").exists())
    assert lookups(endpoint)[0].access_key == ACCESS_KEY  # the secrets were really used
    written = [
        p for p in aws_profiles.root.rglob("*") if p.is_file() and aws_profiles.aws_credentials != p
    ]
    assert any(p.name == "history.json" for p in written)
    assert any(p.name == "qualtui.log" for p in written)
    for path in written:
        data = path.read_bytes()
        for secret in (ACCESS_KEY, SECRET_KEY, SESSION_TOKEN):
            assert secret.encode() not in data, f"{secret} found in {path}"


async def test_start_up_notices_are_shown_literally(aws_profiles: Isolation) -> None:

    notice = "theme in settings.json should be a text value; ignored [bold]x[/]"
    async with running("--endpoint-url", "http://127.0.0.1:9", notices=(notice,)) as (app, pilot):
        await ready(pilot)
        await until(lambda: len(app._notifications) > 0)  # notify() posts a message
        assert [n.message for n in app._notifications] == [notice]
        assert all(not n.markup for n in app._notifications)


async def history_layout(*argv: str, name_late: bool) -> tuple[list[int], list[list[str]]]:
    """The history's column widths and rows (without the time) after looking up, twice, a
    worker who does not hold the demo's transcription type, in `qualtui --demo ARGV`."""
    name = "Audio transcription skill"
    with demo_app_from_command_line(*argv) as app:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await look_up(pilot, TRANSCRIBE, "A5NOTHELDWORKER")
            if name_late:  # the type's details failed: the row shows the type's ID
                await until(
                    lambda: not any(w.group == "details" and not w.is_finished for w in app.workers)
                )
                await until(lambda: [r[2] for r in history_rows(app)] == [TRANSCRIBE])
            await look_up(pilot, TRANSCRIBE, "A5NOTHELDWORKER")  # the details come this time
            await until(lambda: [r[2] for r in history_rows(app)] == [name, name])
            table = screen(app).history
            widths = [column.get_render_width(table) for column in table.columns.values()]
            return widths, [row[1:] for row in history_rows(app)]


async def test_history_columns_do_not_depend_on_which_answer_came_first(
    isolated: Isolation,
) -> None:
    """#21: the type's name arriving after the row left the column sized for the ID. Here
    it arrives after the row for certain (its first request fails), not by a delay that a
    loaded machine can outlast."""
    late = await history_layout(
        "--data-dir",
        str(isolated.root / "late"),
        "--fault",
        "error:op=GetQualificationType,times=1",
        name_late=True,
    )
    on_time = await history_layout("--data-dir", str(isolated.root / "on-time"), name_late=False)
    assert late == on_time
    qualification = COLUMNS.index("Qualification")
    assert late[0][qualification] == len("Audio transcription skill") + 2  # the name fits
