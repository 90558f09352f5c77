"""The history under abuse: writers killed with SIGKILL, concurrent writer processes, random
damage (hypothesis), full disks and read-only directories, and no secrets in the file."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualtui.core.history import HistoryEntry, HistoryStore, read_history
from tests.historyhelpers import entry, write_history

WRITER = Path(__file__).with_name("history_writer.py")


def start_writer(path: Path, name: str, count: int = 0) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(path), name, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def entries_on_disk(path: Path) -> tuple[HistoryEntry, ...]:
    """What the files hold (history.json with its journal)."""
    parsed = read_history(path)
    assert not parsed.damaged and parsed.newer_version is None
    return parsed.entries


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_writer_killed_at_random_moments_never_damages_the_file(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    original = [entry(n, f"A{n}") for n in range(300)]
    write_history(path, original)  # bigger file, slower writes
    rng = random.Random(20261123)
    committed: set[str] = set()
    for run in range(60):
        writer = start_writer(path, f"w{run}")
        assert writer.stdout is not None
        for _ in range(rng.randrange(0, 4)):  # let it commit a few first, sometimes none
            line = writer.stdout.readline()
            if line:
                committed.add(line.strip())
        time.sleep(rng.uniform(0, 0.03))  # then kill at an arbitrary instant
        writer.send_signal(signal.SIGKILL)
        rest, errors = writer.communicate(timeout=10)
        assert writer.returncode == -signal.SIGKILL, errors
        committed.update(line for line in rest.split() if line)
        ids = [e.id for e in entries_on_disk(path)]  # always parses, never damaged
        on_disk = set(ids)
        assert len(ids) == len(on_disk), f"run {run}: an entry was written twice"
        assert {e.id for e in original} <= on_disk, f"run {run}: a kill lost older entries"
        assert committed <= on_disk, f"run {run}: lost {committed - on_disk}"
    assert len(committed) > 50  # the kills did land between commits, not only before them
    # a killed writer's temporary file is cleaned up by the next one to open the history
    (tmp_path / ".history.json.killed-writer.tmp").write_bytes(b'{"version": 1, "entr')
    HistoryStore(path).load()
    assert not list(tmp_path.glob(".history.json.*.tmp"))


def test_two_processes_appending_200_each_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    writers = [start_writer(path, name, 200) for name in ("a", "b")]
    printed: list[str] = []
    for writer in writers:
        out, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
        printed += out.split()
    entries = entries_on_disk(path)
    ids = [e.id for e in entries]
    assert len(ids) == 400 and set(ids) == set(printed)  # all there, none twice
    # in the order they were committed (not by clock: two processes' clocks and lock turns
    # interleave), so each writer's own entries are in the order it wrote them
    for name in ("a", "b"):
        own = [i for i in ids if i.startswith(f"{name}-")]
        assert [int(i.split("-")[1]) for i in own] == list(range(1, 201))


# --------------------------------------------------------------------------- random damage

VALID = [entry(n, f"A{n}W", failed=n % 3 == 0) for n in range(8)]


def _break(raw: dict[str, object], how: int) -> object:
    broken = dict(raw)
    if how == 0:
        del broken["time"]
    elif how == 1:
        broken["worker_id"] = 42
    elif how == 2:
        broken["time"] = "not a time"
    elif how == 3:
        broken["qualification"] = ["not", "an", "object"]
    elif how == 4:
        broken["qualification_type_id"] = ""
    else:
        return [broken]
    return broken


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plan=st.lists(
        st.tuples(st.integers(0, len(VALID) - 1), st.one_of(st.none(), st.integers(0, 5))),
        max_size=12,
    )
)
def test_random_entry_damage_keeps_exactly_the_readable_entries(
    tmp_path: Path, plan: list[tuple[int, int | None]]
) -> None:
    """Each item: an entry, kept intact (None) or broken in one of six ways."""
    directory = Path(tempfile.mkdtemp(dir=tmp_path))  # hypothesis reuses tmp_path
    path = directory / "history.json"
    raw_entries = [
        VALID[i].to_json() if how is None else _break(VALID[i].to_json(), how) for i, how in plan
    ]
    content = json.dumps({"version": 1, "entries": raw_entries}).encode()
    path.write_bytes(content)
    report = HistoryStore(path).load()
    expected = {VALID[i].id for i, how in plan if how is None}
    assert {e.id for e in report.snapshot.entries} == expected
    damaged = any(how is not None for _, how in plan)
    assert (report.backup is not None) == damaged
    if report.backup is not None:
        assert report.backup.read_bytes() == content  # the original is kept as it was
        assert report.notice and str(report.backup) in report.notice
    assert {e.id for e in entries_on_disk(path)} == expected  # and the file is clean again


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_random_bytes_never_stop_the_load(tmp_path: Path, content: bytes) -> None:
    directory = Path(tempfile.mkdtemp(dir=tmp_path))  # hypothesis reuses tmp_path
    path = directory / "history.json"
    path.write_bytes(content)
    report = HistoryStore(path).load()
    assert report.snapshot.entries == ()
    if report.backup is not None:
        assert report.backup.read_bytes() == content
    else:  # only a file from a newer qualtui is left alone
        assert not report.saving and path.read_bytes() == content


# --------------------------------------------------------------------------- saving fails


@pytest.mark.parametrize(
    ("errno_", "words"),
    [(28, "No space left on device"), (30, "Read-only file system"), (13, "Permission denied")],
)
def test_a_failed_save_keeps_the_session_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errno_: int, words: str
) -> None:
    from qualtui.core.history import HistoryError

    store = HistoryStore(tmp_path / "h.json")
    store.load()
    store.append(entry(0, "A0"))

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno_, os.strerror(errno_), str(tmp_path / "h.json"))

    monkeypatch.setattr("qualtui.core.history.store.write_atomic", fail)
    monkeypatch.setattr("qualtui.core.history.store.append_changes", fail)  # the journal
    with pytest.raises(HistoryError, match=words):
        store.append(entry(1, "A1"))
    with pytest.raises(HistoryError):
        store.delete(store.entries[0].id)
    assert [e.worker_id for e in store.snapshot().entries] == ["A1"]  # memory keeps working
    assert [e.worker_id for e in entries_on_disk(tmp_path / "h.json")] == ["A0"]  # untouched
