"""The history's journal (issue 15): an append writes one line beside `history.json`, never
the whole file, and keeps every guarantee of the file: damage kept aside, a crash losing at
most the line being written, several instances losing nothing, 0600, symlinks, FIFOs."""

from __future__ import annotations

import json
import os
import stat
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from qualtui.core.history import (
    HistoryError,
    HistoryStore,
    archive_path,
    read_history,
    serialize,
)
from qualtui.core.history.journal import journal_path
from tests.historyhelpers import entry, write_history

BIG = 400  # entries: a file large enough that a few appends stay in the journal


def big_history(tmp_path: Path) -> Path:
    path = tmp_path / "history.json"
    write_history(path, [entry(n, f"A{n}") for n in range(BIG)])
    return path


def workers(path: Path) -> list[str]:
    parsed = read_history(path)
    assert not parsed.damaged
    return [e.worker_id for e in parsed.entries]


def journal_lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in journal_path(path).read_bytes().splitlines()]


def test_an_append_writes_one_journal_line_not_the_file(tmp_path: Path) -> None:
    path = big_history(tmp_path)
    store = HistoryStore(path)
    store.load()
    before = path.stat()
    store.append(entry(1000, "ANEW"))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )  # the file is untouched
    [line] = journal_lines(path)
    assert line["add"]["worker_id"] == "ANEW"  # type: ignore[index]
    assert stat.S_IMODE(journal_path(path).stat().st_mode) == 0o600
    assert workers(path)[-1] == "ANEW" and len(workers(path)) == BIG + 1
    fresh = HistoryStore(path).load().snapshot.entries
    assert [e.worker_id for e in fresh][-1] == "ANEW" and len(fresh) == BIG + 1


def test_deletes_and_clears_are_journal_lines_too(tmp_path: Path) -> None:
    path = big_history(tmp_path)
    store = HistoryStore(path)
    first = store.load().snapshot.entries[0]
    store.delete(first.id)
    assert journal_lines(path) == [{"delete": first.id}]
    assert "A0" not in workers(path) and len(workers(path)) == BIG - 1
    store.clear()
    store.append(entry(1000, "AAFTER"))
    assert workers(path) == ["AAFTER"]
    assert HistoryStore(path).load().snapshot.entries[0].worker_id == "AAFTER"


def test_the_journal_is_folded_into_the_file_once_over_a_quarter_of_it(tmp_path: Path) -> None:
    path = big_history(tmp_path)
    size = path.stat().st_size
    store = HistoryStore(path)
    store.load()
    n = 0
    while journal_path(path).exists() or n == 0:
        store.append(entry(1000 + n, f"B{n}"))
        n += 1
        if journal_path(path).exists():
            assert journal_path(path).stat().st_size <= size // 4
    assert BIG // 8 < n < BIG  # many appends per rewrite, and a rewrite came
    on_file = json.loads(path.read_bytes())["entries"]
    assert len(on_file) == BIG + n and on_file[-1]["worker_id"] == f"B{n - 1}"


def test_two_instances_appending_at_once_lose_nothing(tmp_path: Path) -> None:
    path = big_history(tmp_path)
    stores = [HistoryStore(path), HistoryStore(path)]
    for store in stores:
        store.load()

    def appends(store: HistoryStore, name: str) -> None:
        for n in range(60):
            store.append(entry(2000 + n, f"{name}{n}"))

    threads = [
        threading.Thread(target=appends, args=(store, name))
        for store, name in zip(stores, ("AX", "AY"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    on_disk = workers(path)
    assert len(on_disk) == len(set(on_disk)) == BIG + 120
    for name in ("AX", "AY"):  # each instance's in the order it wrote them
        assert [w for w in on_disk if w.startswith(name)] == [f"{name}{n}" for n in range(60)]
    # each instance ends up seeing everything (what the other wrote is read at its next change)
    for store in stores:
        store.append(entry(3000, f"AZ{id(store)}"))
    assert {e.worker_id for e in stores[0].snapshot().entries} >= set(on_disk)


def test_another_instances_delete_stays_deleted(tmp_path: Path) -> None:
    path = big_history(tmp_path)
    mine, theirs = HistoryStore(path), HistoryStore(path)
    victim = mine.load().snapshot.entries[5]
    theirs.load()
    theirs.delete(victim.id)
    snapshot = mine.append(entry(1000, "AMINE"))
    assert victim.id not in {e.id for e in snapshot.entries}
    assert victim.worker_id not in workers(path) and workers(path)[-1] == "AMINE"


def test_a_damaged_journal_line_is_kept_aside_and_the_rest_read(tmp_path: Path) -> None:
    path = big_history(tmp_path)
    store = HistoryStore(path)
    store.load()
    store.append(entry(1000, "AONE"))
    with journal_path(path).open("ab") as journal:
        journal.write(b'{"add": {"id": 7}}\n')  # an entry that cannot be read
    store.append(entry(1001, "ATWO"))  # found while open: set aside, nothing lost
    report = HistoryStore(path).load()
    assert report.notice is None  # already repaired
    assert workers(path)[-2:] == ["AONE", "ATWO"] and len(workers(path)) == BIG + 2
    [backup] = tmp_path.glob("history-journal.jsonl.corrupt-*")
    assert b'{"id": 7}' in backup.read_bytes()  # what was damaged is kept for the user
    assert not journal_path(path).exists()  # folded into the file


def test_a_damaged_journal_found_at_load_is_reported(tmp_path: Path) -> None:
    path = big_history(tmp_path)
    store = HistoryStore(path)
    store.load()
    store.append(entry(1000, "AONE"))
    with journal_path(path).open("ab") as journal:
        journal.write(b"not json\n")
    report = HistoryStore(path).load()
    assert report.notice is not None and "damaged" in report.notice
    assert report.backup is not None and report.backup.name.startswith("history-journal.jsonl.")
    assert [e.worker_id for e in report.snapshot.entries][-1] == "AONE"
    assert len(report.snapshot.entries) == BIG + 1


def test_a_crash_mid_append_loses_only_that_line(tmp_path: Path) -> None:
    path = big_history(tmp_path)
    store = HistoryStore(path)
    store.load()
    store.append(entry(1000, "AKEPT"))
    line = journal_path(path).read_bytes()
    torn = line.replace(b"AKEPT", b"ATORN")[: len(line) // 2]  # a write cut off by a crash
    with journal_path(path).open("ab") as journal:
        journal.write(torn)
    report = HistoryStore(path).load()
    kept = [e.worker_id for e in report.snapshot.entries]
    assert kept[-1] == "AKEPT" and len(kept) == BIG + 1 and "ATORN" not in kept
    assert report.backup is not None and report.backup.read_bytes().endswith(torn)
    after = HistoryStore(path)
    after.load()
    after.append(entry(1001, "ALATER"))  # the next line is not glued to the torn one
    assert workers(path)[-2:] == ["AKEPT", "ALATER"]


def test_a_fold_interrupted_before_the_journal_is_removed_repeats_nothing(
    tmp_path: Path,
) -> None:
    path = big_history(tmp_path)
    store = HistoryStore(path)
    store.load()
    store.append(entry(1000, "AONE"))
    store.delete(store.entries[0].id)
    store.clear()
    store.append(entry(1001, "ATWO"))
    expected = workers(path)
    # a crash after the folded file replaced the old one, before the journal went away
    path.write_bytes(serialize(read_history(path).entries))
    assert workers(path) == expected == ["ATWO"]
    assert [e.worker_id for e in HistoryStore(path).load().snapshot.entries] == ["ATWO"]


def test_trimmed_entries_reach_the_archive_before_their_deletes(tmp_path: Path) -> None:
    path = big_history(tmp_path)
    store = HistoryStore(path, run_cap=5)
    store.load()
    run = [entry(1000 + n, f"ARUN{n}") for n in range(8)]
    snapshot = store.append_run(run, "run1")
    assert snapshot.archived == 3
    archived = [json.loads(line)["worker_id"] for line in archive_path(path).read_text().split()]
    assert archived == ["ARUN0", "ARUN1", "ARUN2"]
    assert workers(path)[-5:] == [f"ARUN{n}" for n in range(3, 8)]
    assert len(workers(path)) == BIG + 5


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_the_journal_of_a_symlinked_history_is_beside_its_target(tmp_path: Path) -> None:
    target = big_history(tmp_path / "real")
    link = tmp_path / "history.json"
    link.symlink_to(target)
    store = HistoryStore(link)
    store.load()
    store.append(entry(1000, "ANEW"))
    assert link.is_symlink() and journal_path(target).exists()
    assert not journal_path(link).exists()
    assert workers(link)[-1] == "ANEW"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_at_the_journal_is_refused_not_waited_on(tmp_path: Path) -> None:
    path = big_history(tmp_path)
    os.mkfifo(journal_path(path))
    report = HistoryStore(path).load()  # returns: the FIFO is never opened for a blocking read
    assert not report.saving and report.notice is not None
    assert "not a regular file" in report.notice
    store = HistoryStore(path)
    store.saving = True
    with pytest.raises(HistoryError, match="not a regular file"):
        store.append(entry(1000, "ANEW"))


def test_a_snapshot_does_not_change_when_the_history_does(tmp_path: Path) -> None:
    path = big_history(tmp_path)
    store = HistoryStore(path, run_cap=3)
    taken = store.load().snapshot
    store.append(entry(1000, "ANEW"))
    store.append_run([replace(entry(1001 + n, f"R{n}"), run_id="r") for n in range(5)])
    store.delete(taken.entries[3].id)
    assert len(taken.entries) == BIG and taken.entries[-1].worker_id == f"A{BIG - 1}"
    assert list(reversed(taken.entries)) == list(taken.entries)[::-1]
    assert taken.entries == tuple(taken.entries)


def test_an_undone_delete_goes_back_in_its_place_in_the_journal_and_after_a_fold(
    tmp_path: Path,
) -> None:
    path = big_history(tmp_path)
    store = HistoryStore(path)
    entries = store.load().snapshot.entries
    gone, follower = entries[5], entries[6]
    store.delete(gone.id)
    store.restore(gone, follower.id)
    assert journal_lines(path)[-1]["before"] == follower.id  # one line, with its place
    assert workers(path)[4:7] == ["A4", "A5", "A6"]  # read back in its place
    assert [e.worker_id for e in store.snapshot().entries][4:7] == ["A4", "A5", "A6"]
    fresh = HistoryStore(path).load().snapshot.entries
    assert [e.worker_id for e in fresh][4:7] == ["A4", "A5", "A6"]
    store.restore(entries[7], "gone-already")  # already there: nothing changes
    assert len(workers(path)) == BIG
    # a follower that is gone too: the entry goes last
    store.delete(entries[8].id)
    store.delete(entries[9].id)
    store.restore(entries[8], entries[9].id)
    assert workers(path)[-1] == "A8"
