"""Filtering, exporting and the settings file, and `qualtui history` on the command line."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from qualtui import cli
from qualtui.core import settings
from qualtui.core.connection import SANDBOX
from qualtui.core.history import ErrorSummary, HistoryFilter, export
from tests.conftest import Isolation
from tests.historyhelpers import entry, write_history

ENTRIES = [
    entry(1, "A1GRANTEDWORKER", type_id="3AAA"),
    entry(2, "A2REVOKEDWORKER", type_id="3BBB", status="Revoked"),
    entry(3, "A3SANDBOXWORKER", type_id="3AAA", environment=SANDBOX),
    entry(4, "A5NOTHELDWORKER", type_id="3BBB", failed=True),
]


@pytest.mark.parametrize(
    ("query", "workers"),
    [
        ("", ["A1", "A2", "A3", "A5"]),
        ("  ", ["A1", "A2", "A3", "A5"]),
        ("a1granted", ["A1"]),
        ("3bbb", ["A2", "A5"]),
        ("granted", ["A1", "A3"]),
        ("revoked", ["A2"]),
        ("not held", ["A5"]),  # the error kind, as shown in the table
        ("not_held", ["A5"]),
        ("sandbox", ["A3"]),
        ("production 3aaa", ["A1"]),  # every word must match
        ("QualificationDoesNot", []),  # the error code is searchable; this one isn't there
        ("AWS.X", ["A5"]),
        ("zzz", []),
    ],
)
def test_filter_words(query: str, workers: list[str]) -> None:
    found = HistoryFilter().select(ENTRIES, query)
    assert [e.worker_id[:2] for e in found] == workers


def test_csv_export_columns_and_formula_cells() -> None:
    hostile = entry(5, "A6WORKER")
    hostile = replace(
        hostile,
        qualification=None,
        error=ErrorSummary("unexpected", '=HYPERLINK("x")', None, "+1 @SUM(A1)"),
    )
    data = export.render([*ENTRIES, hostile], "csv").decode()
    rows = list(csv.DictReader(io.StringIO(data)))
    assert list(rows[0]) == list(export.CSV_COLUMNS)
    assert rows[0]["time_utc"] == "2026-11-01T12:00:01.000Z"
    assert rows[0]["grant_time_utc"] == "2026-11-01T12:00:00Z"
    assert rows[1]["status"] == "Revoked" and rows[0]["score"] == "0"
    assert rows[3]["error_code"] == "RequestError" and rows[3]["turk_error_code"] == "AWS.X"
    # a spreadsheet must not run text from the service as a formula
    assert rows[4]["error_code"] == '\'=HYPERLINK("x")'
    assert rows[4]["error_message"] == "'+1 @SUM(A1)"


def test_json_export_reads_back_as_history_entries() -> None:
    from qualtui.core.history import parse

    parsed = parse(export.render(ENTRIES, "json"))
    assert not parsed.damaged and parsed.entries == tuple(ENTRIES)


def test_export_refuses_to_replace_or_write_nowhere(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    export.export(ENTRIES, target, "csv")
    with pytest.raises(export.ExportError, match="already exists"):
        export.export(ENTRIES, target, "csv")
    export.export(ENTRIES[:1], target, "csv", overwrite=True)
    assert len(target.read_text().splitlines()) == 2
    with pytest.raises(export.ExportError, match="does not exist"):
        export.export(ENTRIES, tmp_path / "missing" / "x.csv", "csv")
    with pytest.raises(export.ExportError, match="is a directory"):
        export.export(ENTRIES, tmp_path, "csv")
    assert export.format_for(Path("a.JSON")) == "json"
    assert export.format_for(Path("a.txt")) == "csv"
    assert export.format_for(Path("a.json"), "csv") == "csv"
    assert export.resolve("~/x.csv") == Path.home() / "x.csv"
    assert export.resolve("x.csv", tmp_path) == tmp_path / "x.csv"


# --------------------------------------------------------------------------- settings


def test_settings_round_trip_and_permissions(isolated: Isolation) -> None:
    path = settings.settings_path()
    assert path == isolated.root / "xdg-config" / "qualtui" / "settings.json"
    assert settings.load(path).settings == settings.Settings()  # no file: defaults
    chosen = settings.Settings(history_limit=50, theme="textual-light", concurrency=4)
    settings.save(path, chosen)
    assert settings.load(path) == settings.LoadedSettings(chosen)
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "could not be read"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"history_limit": -1, "theme": "nord"}', "history_limit"),
        (b'{"history_limit": true}', "history_limit"),
        (b'{"concurrency": 500}', "concurrency"),
        (b'{"theme": 7}', "theme"),
    ],
)
def test_bad_settings_are_ignored_with_a_notice(
    isolated: Isolation, content: bytes, problem: str
) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    loaded = settings.load(path)
    assert len(loaded.problems) == 1 and problem in loaded.problems[0]
    assert loaded.settings.history_limit is None
    if b"nord" in content:
        assert loaded.settings.theme == "nord"  # the good values are kept


def test_history_limit_comes_from_the_flag_then_settings_then_default(isolated: Isolation) -> None:
    def limit(*argv: str) -> int:
        args = cli.build_parser().parse_args(list(argv))
        return cli.config_from_args(args, settings.load(settings.settings_path())).history_limit

    assert limit() == 1000
    settings.save(settings.settings_path(), settings.Settings(history_limit=25))
    assert limit() == 25
    assert limit("--history-limit", "0") == 0


# --------------------------------------------------------------------------- the CLI


def test_history_path(isolated: Isolation, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["history", "path"]) == 0
    assert capsys.readouterr().out == f"{isolated.data_dir / 'history.json'}\n"
    assert cli.main(["--demo", "history", "path"]) == 0
    assert capsys.readouterr().out.strip().endswith("demo-history.json")


def test_history_export(
    isolated: Isolation, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_history(isolated.data_dir / "history.json", ENTRIES)
    monkeypatch.chdir(isolated.root)
    assert cli.main(["history", "export", "all.csv"]) == 0
    assert "Exported 4 lookups" in capsys.readouterr().err
    rows = list(csv.DictReader((isolated.root / "all.csv").open(newline="")))
    assert [r["worker_id"][:2] for r in rows] == ["A5", "A3", "A2", "A1"]  # newest first

    assert cli.main(["history", "export", "all.csv"]) == 1
    assert "already exists (add --force" in capsys.readouterr().err
    assert cli.main(["history", "export", "all.csv", "--force", "--filter", "granted"]) == 0
    assert len(list(csv.DictReader((isolated.root / "all.csv").open(newline="")))) == 2

    assert cli.main(["history", "export", "-", "--format", "json", "--filter", "revoked"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [e["worker_id"] for e in document["entries"]] == ["A2REVOKEDWORKER"]

    assert cli.main(["history", "export", "out.json"]) == 0
    assert json.loads((isolated.root / "out.json").read_text())["version"] == 1


def test_history_export_of_a_damaged_or_newer_file(
    isolated: Isolation, capsys: pytest.CaptureFixture[str]
) -> None:
    path = isolated.data_dir / "history.json"
    write_history(path, ENTRIES[:1])
    document = json.loads(path.read_text())
    document["entries"].append({"broken": True})
    path.write_text(json.dumps(document))
    assert cli.main(["history", "export", "-"]) == 0
    captured = capsys.readouterr()
    assert "damaged" in captured.err and "A1GRANTEDWORKER" in captured.out
    assert json.loads(path.read_text()) == document  # reading never repairs or moves it

    path.write_text('{"version": 99, "entries": []}')
    assert cli.main(["history", "export", "-"]) == 1
    assert "newer qualtui" in capsys.readouterr().err
