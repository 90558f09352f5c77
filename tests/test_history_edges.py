"""The history where real use goes wrong (issue 13, "Nothing lost"): a file damaged while
the app holds it, JSON that parses but is odd, symlinks, FIFOs, huge files, clocks that lie,
runs that would evict interactive lookups, and the permissions of the files beside it."""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from qualtui import cli
from qualtui.core.history import (
    SCHEMA_VERSION,
    HistoryEntry,
    HistoryError,
    HistoryStore,
    LoadReport,
    archive_path,
    read_history,
)
from tests.conftest import Isolation
from tests.historyhelpers import entry, write_history

ZONES = [ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago"), ZoneInfo("Asia/Kolkata")]


def on_disk(path: Path) -> list[HistoryEntry]:
    """What the files hold (history.json with its journal)."""
    parsed = read_history(path)
    assert not parsed.damaged and parsed.newer_version is None
    return list(parsed.entries)


def backups(directory: Path) -> list[Path]:
    return sorted(directory.glob("history.json.corrupt-*"))


# --------------------------------------------------------------------------- damaged while open


def test_a_file_damaged_while_open_is_set_aside_and_nothing_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    write_history(path, [entry(n, f"A{n}") for n in range(301)])
    store = HistoryStore(path)
    assert len(store.load().snapshot.entries) == 301
    # a hand edit leaves a trailing comma; a sync tool writes half a file
    damaged = path.read_bytes()[:-2] + b",]}"
    path.write_bytes(damaged)
    snapshot = store.append(entry(400, "ANEW"))
    assert len(snapshot.entries) == 302  # the 301 this session knew, and the new one
    assert len(on_disk(path)) == 302 and on_disk(path)[-1].worker_id == "ANEW"
    assert snapshot.backup is not None and snapshot.backup.read_bytes() == damaged
    assert snapshot.notice is not None and str(snapshot.backup) in snapshot.notice
    assert store.saving  # and it keeps saving
    store.append(entry(401, "ANEWER"))
    assert len(on_disk(path)) == 303 and len(backups(tmp_path)) == 1


def test_readable_entries_of_a_file_damaged_while_open_are_merged(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    mine, theirs = entry(1, "AMINE"), entry(2, "ATHEIRS")
    write_history(path, [mine])
    store = HistoryStore(path)
    store.load()
    # another program adds an entry and a broken one
    document = {"version": 1, "entries": [mine.to_json(), theirs.to_json(), {"id": 7}]}
    path.write_text(json.dumps(document))
    snapshot = store.append(entry(3, "ANEW"))
    assert [e.worker_id for e in on_disk(path)] == ["AMINE", "ATHEIRS", "ANEW"]
    assert snapshot.backup is not None and snapshot.notice is not None


# --------------------------------------------------------------------------- odd JSON

GOOD = entry(1, "AGOODWORKER")


def _odd(kind: str) -> bytes:
    """A history file that parses as JSON (or nearly) but holds one odd entry beside GOOD."""
    odd: dict[str, object] = {**entry(2, "AODDWORKER").to_json()}
    if kind == "list id":
        odd["id"] = ["a", "list"]
    elif kind == "dict id":
        odd["id"] = {"an": "object"}
    elif kind == "surrogate":
        odd["worker_id"] = "A\ud800B"
    elif kind == "surrogate in message":
        odd["error"] = {"kind": "unexpected", "message": "x\udfffy"}
    elif kind == "year 1":
        odd["time"] = "0001-01-01T00:00:00.000Z"
    elif kind == "year 9999":
        odd["time"] = "9999-12-31T23:59:59.000Z"
    elif kind == "year 1 in a zone":
        odd["time"] = "0001-01-01T01:00:00+05:00"
    elif kind == "grant year 9999":
        odd["qualification"] = {"Status": "Granted", "GrantTime": "9999-12-31T23:00:00Z"}
    elif kind == "deep":
        odd["profile"] = "__DEEP__"
    text = json.dumps({"version": 1, "entries": [GOOD.to_json(), odd]})
    return text.replace('"__DEEP__"', "[" * 1000 + "]" * 1000).encode()


ODD = [
    "list id",
    "dict id",
    "surrogate",
    "surrogate in message",
    "year 1",
    "year 9999",
    "year 1 in a zone",
    "grant year 9999",
    "deep",
]


@pytest.mark.parametrize("kind", ODD)
def test_odd_json_is_damage_loading_keeps_the_readable_and_saving_goes_on(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "history.json"
    content = _odd(kind)
    path.write_bytes(content)
    store = HistoryStore(path)
    report = store.load()
    assert report.backup is not None and report.backup.read_bytes() == content
    assert report.notice and str(report.backup) in report.notice
    kept = [e.worker_id for e in report.snapshot.entries]
    # deep nesting cannot be read at all; everything else keeps the good entry
    assert kept == ([] if kind == "deep" else ["AGOODWORKER"])
    for e in report.snapshot.entries:  # what is kept can be shown in every zone
        for zone in ZONES:
            e.time.astimezone(zone)
    assert report.saving
    store.append(entry(3, "ANEW"))
    assert [e.worker_id for e in on_disk(path)] == [*kept, "ANEW"]


@pytest.mark.parametrize("kind", ODD)
def test_odd_json_never_breaks_history_export(
    isolated: Isolation, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = isolated.data_dir / "history.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_odd(kind))
    assert cli.main(["history", "export", "-", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "damaged" in captured.err
    assert ("AGOODWORKER" in captured.out) == (kind != "deep")
    assert "AODDWORKER" not in captured.out


def test_an_odd_grant_time_from_the_service_is_saved_as_unknown(tmp_path: Path) -> None:
    """What qualtui writes it can read back: a service's year-1 GrantTime is not kept."""
    odd = entry(1)
    assert odd.qualification is not None
    q = replace(odd.qualification, grant_time=datetime(1, 1, 1, tzinfo=timezone.utc))
    odd = replace(odd, qualification=q)
    store = HistoryStore(tmp_path / "history.json")
    store.load()
    store.append(odd)
    report = HistoryStore(tmp_path / "history.json").load()
    assert report.backup is None
    [kept] = report.snapshot.entries
    assert kept.qualification is not None and kept.qualification.grant_time is None


# --------------------------------------------------------------------------- symlinks, FIFOs


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_a_symlinked_history_is_written_through_to_its_target(tmp_path: Path) -> None:
    synced = tmp_path / "synced"
    synced.mkdir()
    target = synced / "history.json"
    write_history(target, [entry(1, "A1")])
    link = tmp_path / "data" / "history.json"
    link.parent.mkdir()
    link.symlink_to(target)
    store = HistoryStore(link)
    store.load()
    store.append(entry(2, "A2"))
    assert link.is_symlink() and link.resolve() == target
    assert [e.worker_id for e in on_disk(target)] == ["A1", "A2"]
    assert list(link.parent.iterdir()) == [link]  # no temporary, no lock beside the link
    # damage at the target is set aside beside the target; the link stays
    target.write_bytes(b"{broken")
    snapshot = store.append(entry(3, "A3"))
    assert snapshot.backup is not None and snapshot.backup.parent == synced
    assert link.is_symlink() and [e.worker_id for e in on_disk(target)] == ["A1", "A2", "A3"]


def _load_in_thread(store: HistoryStore, fifo: Path) -> object:
    """store.load() in a thread; if it blocks on the FIFO, unblock it and fail."""
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(store.load()), daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():  # today's code: blocked opening the FIFO; release it, then fail
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        worker.join(30)
        pytest.fail("loading a FIFO blocked")
    return result[0]


@pytest.mark.skipif(os.name != "posix", reason="FIFOs are POSIX")
def test_a_fifo_at_the_history_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "history.json"
    os.mkfifo(fifo)
    store = HistoryStore(fifo)
    report = _load_in_thread(store, fifo)
    assert isinstance(report, LoadReport)
    assert not report.saving and report.notice and "named pipe" in report.notice
    other = HistoryStore(fifo)
    with pytest.raises(HistoryError, match="named pipe"):
        other.append(entry())
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # never replaced


def test_a_folder_at_the_history_is_refused_in_words(tmp_path: Path) -> None:
    (tmp_path / "history.json").mkdir()
    report = HistoryStore(tmp_path / "history.json").load()
    assert not report.saving and report.notice and "a folder" in report.notice


def test_reading_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "history.json"
    write_history(path, [entry(n, f"A{n}") for n in range(20)])
    content = path.read_bytes()
    monkeypatch.setattr("qualtui.core.history.store.MAX_FILE_BYTES", 1000)
    report = HistoryStore(path).load()
    assert not report.saving and report.notice and "larger than 1000 bytes" in report.notice
    assert path.read_bytes() == content  # left as it is


# --------------------------------------------------------------------------- order and limits


def test_order_is_insertion_not_clock(tmp_path: Path) -> None:
    """Times in the future (a clock stepped back, a synced file) never make a new lookup
    sort as oldest and get trimmed."""
    path = tmp_path / "history.json"
    future = datetime.now(timezone.utc) + timedelta(days=3650)
    old = [entry(n, f"AFUTURE{n}") for n in range(1000)]
    old = [replace(e, time=future + timedelta(seconds=n)) for n, e in enumerate(old)]
    write_history(path, old)
    store = HistoryStore(path)
    store.load()
    snapshot = store.append(entry(0, "ANOW"))  # entry(0) is in 2026, long before "future"
    assert snapshot.entries[-1].worker_id == "ANOW"
    assert [e.worker_id for e in on_disk(path)][-2:] == ["AFUTURE999", "ANOW"]
    assert "AFUTURE0" not in {e.worker_id for e in on_disk(path)}  # the oldest insertion went
    assert snapshot.archived == 1


def test_a_run_never_evicts_interactive_lookups(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    store = HistoryStore(path)
    store.load()
    for n in range(10):
        store.append(entry(n, f"AHAND{n}"))
    # a 1,000-worker batch (today's name: append_many), then a mistyped scripted run
    store.append_many([entry(100 + n, f"ABATCH{n}", failed=True) for n in range(1000)])
    store.append_run([entry(2000 + n, f"ARUN{n}", failed=True) for n in range(1000)])
    workers = [e.worker_id for e in on_disk(path)]
    assert [w for w in workers if w.startswith("AHAND")] == [f"AHAND{n}" for n in range(10)]
    assert len(workers) == 2010
    runs = {e.run_id for e in on_disk(path) if e.run_id}
    assert len(runs) == 2  # each run shares one id


def test_runs_are_capped_apart_and_what_is_trimmed_is_archived(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    store = HistoryStore(path, cap=3, run_cap=5)
    store.load()
    for n in range(5):
        store.append(entry(n, f"AHAND{n}"))
    store.append_run([entry(10 + n, f"AONE{n}") for n in range(4)], run_id="one")
    snapshot = store.append_run([entry(20 + n, f"ATWO{n}") for n in range(4)], run_id="two")
    assert snapshot.archived == 3
    workers = [e.worker_id for e in on_disk(path)]
    assert workers == ["AHAND2", "AHAND3", "AHAND4", "AONE3", "ATWO0", "ATWO1", "ATWO2", "ATWO3"]
    lines = archive_path(path).read_text().splitlines()
    archived = [HistoryEntry.from_json(json.loads(line)) for line in lines]
    assert [e.worker_id for e in archived] == ["AHAND0", "AHAND1", "AONE0", "AONE1", "AONE2"]
    assert [e.run_id for e in archived][2:] == ["one"] * 3
    # nothing lost: the file and the archive hold every entry once
    assert len(workers) + len(archived) == 13


def test_a_per_run_limit_never_trims_the_file(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    write_history(path, [entry(n, f"A{n}") for n in range(50)])
    store = HistoryStore(path, limit=1)  # `--history-limit 1` for one run
    store.load()
    store.append(entry(99, "ANEW"))
    assert len(on_disk(path)) == 51
    assert not archive_path(path).exists()


def test_a_version_1_file_loads_unchanged_and_is_upgraded_on_the_next_write(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.json"
    old = [entry(n, f"A{n}") for n in (3, 1, 2)]  # file order is kept, whatever the times
    write_history(path, old)
    content = path.read_bytes()
    store = HistoryStore(path)
    assert list(store.load().snapshot.entries) == old
    assert path.read_bytes() == content  # loading does not rewrite it
    store.append(entry(9, "ANEW"))
    document = json.loads(path.read_text())
    assert document["version"] == SCHEMA_VERSION == 2
    assert [e["worker_id"] for e in document["entries"]] == ["A3", "A1", "A2", "ANEW"]


def test_a_newer_file_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    content = json.dumps({"version": SCHEMA_VERSION + 1, "entries": []})
    path.write_text(content)
    store = HistoryStore(path)
    assert not store.load().saving
    store.append(entry())
    assert path.read_text() == content


# --------------------------------------------------------------------------- permissions


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_lock_and_archive_files_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "history.json"
        store = HistoryStore(path, cap=1)
        store.load()
        store.append(entry(1, "A1"))
        store.append(entry(2, "A2"))
    finally:
        os.umask(old)
    for created in (path, Path(f"{path}.lock"), archive_path(path)):
        assert stat.S_IMODE(created.stat().st_mode) == 0o600, created


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_log_handler_creates_private_files(tmp_path: Path) -> None:
    from qualtui.core.rotating_log import PrivateRotatingFileHandler

    logs = tmp_path / "logs"
    logs.mkdir()
    old = os.umask(0o022)
    try:
        (logs / "older.log").write_text("from an older qualtui\n")
        (logs / "older.log").chmod(0o644)
        for name in ("qualtui.log", "older.log"):
            handler = PrivateRotatingFileHandler(logs / name, maxBytes=10, backupCount=1)
            handler.emit(logging.makeLogRecord({"msg": "a line longer than ten bytes"}))
            handler.emit(logging.makeLogRecord({"msg": "rotated"}))
            handler.close()
    finally:
        os.umask(old)
    for created in sorted(logs.iterdir()):
        assert stat.S_IMODE(created.stat().st_mode) == 0o600, created
    assert (logs / "qualtui.log.1").exists()  # it did rotate


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_log_file_is_private_from_the_start_and_written_from_the_first_line(
    isolated: Isolation,
) -> None:
    """The log's handler is made on the first line (not before the first frame), but the
    file is there, private, from the start; an older public one becomes private too."""
    from qualtui.cli.log import log, setup_logging
    from qualtui.core.paths import log_file

    path = log_file()
    path.parent.mkdir(parents=True)
    path.write_text("from an older qualtui\n")
    path.chmod(0o644)
    setup_logging()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == "from an older qualtui\n"
    log.warning("a line, with aws_secret_access_key=SECRET0")
    log.info("and another")
    for handler in log.handlers:
        handler.flush()
    lines = path.read_text().splitlines()
    assert len(lines) == 3 and "a line, with" in lines[1] and "and another" in lines[2]
    assert "SECRET0" not in lines[1]  # redacted, as before


@pytest.mark.skipif(os.name != "posix", reason="FIFOs are POSIX")
def test_a_fifo_at_the_archive_is_refused_and_nothing_is_trimmed(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    os.mkfifo(archive_path(path))
    store = HistoryStore(path, cap=1)
    store.load()
    store.append(entry(1, "A1"))
    with pytest.raises(HistoryError, match="not a regular file"):
        store.append(entry(2, "A2"))  # would trim A1 into the archive
    assert [e.worker_id for e in on_disk(path)] == ["A1"]  # nothing trimmed, nothing lost
