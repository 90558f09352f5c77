"""The history's first look (#15): `HistoryStore.peek` reads both files with no lock and
writes nothing, shows what `load` would show, and leaves to `load` everything it has more to
say about (damage, a newer file, a journal line being appended, an unreadable file) and a
file too large to show at once; `load` given the peek does not parse an unchanged file
again, and reads a replaced one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qualtui.core.history import HistoryStore, Peek, Snapshot, file_format
from qualtui.core.history import store as store_module
from qualtui.core.history.journal import journal_path
from tests.historyhelpers import entry, write_history

BIG = 400  # entries: a file large enough that a few appends stay in the journal


def history_with_journal(tmp_path: Path) -> Path:
    """A file of BIG entries and a journal (an add, a delete) written by another store."""
    path = tmp_path / "data" / "history.json"
    write_history(path, [entry(n, f"A{n}") for n in range(BIG)])
    other = HistoryStore(path)
    other.load()
    other.append(entry(1000, "AJOURNAL"))
    other.delete(other.entries[0].id)
    assert journal_path(path).exists()
    return path


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the files the store parses from now on."""
    parses: list[int] = []
    parse = file_format.parse

    def counted(data: bytes, *args: object) -> object:
        parses.append(len(data))
        return parse(data, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "parse", counted)  # the name the store calls
    return parses


def folder_state(folder: Path) -> list[tuple[str, int, int]]:
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())


def shown(peek: Peek | None) -> Snapshot:
    assert peek is not None and peek.snapshot is not None
    return peek.snapshot


def workers(peek: Peek | None) -> list[str]:
    return [e.worker_id for e in shown(peek).entries]


def test_a_peek_shows_what_a_load_shows_and_writes_nothing(tmp_path: Path) -> None:
    path = history_with_journal(tmp_path)
    before = folder_state(path.parent)
    peek = HistoryStore(path).peek()
    assert folder_state(path.parent) == before  # no lock file, no fold, nothing moved
    loaded = HistoryStore(path).load().snapshot.entries
    assert workers(peek) == [e.worker_id for e in loaded]
    assert workers(peek)[0] == "A1" and workers(peek)[-1] == "AJOURNAL"
    assert shown(peek).revision == 0


def test_a_load_after_a_peek_does_not_parse_the_unchanged_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = history_with_journal(tmp_path)
    parses = count_parses(monkeypatch)
    store = HistoryStore(path)
    peek = store.peek()
    report = store.load(peek)
    assert len(parses) == 1
    assert list(report.snapshot.entries) == list(shown(peek).entries)
    assert report.snapshot.revision > shown(peek).revision


def test_a_file_replaced_after_the_peek_is_read_again_by_the_load(tmp_path: Path) -> None:
    path = history_with_journal(tmp_path)
    store = HistoryStore(path)
    peek = store.peek()
    journal_path(path).unlink()
    write_history(path, [entry(n, f"B{n}") for n in range(3)])
    report = store.load(peek)
    assert [e.worker_id for e in report.snapshot.entries] == ["B0", "B1", "B2"]


def test_the_peek_applies_the_caps_as_the_load_does(tmp_path: Path) -> None:
    path = history_with_journal(tmp_path)
    peek = HistoryStore(path, cap=3).peek()
    assert workers(peek) == ["A398", "A399", "AJOURNAL"]
    loaded = HistoryStore(path, cap=3).load().snapshot.entries
    assert [e.worker_id for e in loaded] == workers(peek)


def test_memory_is_the_first_look_until_the_load(tmp_path: Path) -> None:
    """What reads memory before the load (an undo of a run) sees the rows shown."""
    path = history_with_journal(tmp_path)
    store = HistoryStore(path)
    peek = store.peek()
    assert list(store.snapshot().entries) == list(shown(peek).entries)


def test_a_change_before_the_load_is_kept_by_it(tmp_path: Path) -> None:
    path = history_with_journal(tmp_path)
    store = HistoryStore(path)
    peek = store.peek()
    gone = shown(peek).entries[-1]
    store.delete(gone.id)
    report = store.load(peek)
    assert gone.id not in {e.id for e in report.snapshot.entries}
    assert len(report.snapshot.entries) == len(shown(peek).entries) - 1


def test_a_load_that_cannot_take_the_lock_keeps_the_rows_of_the_first_look(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = history_with_journal(tmp_path)
    store = HistoryStore(path)
    peek = store.peek()

    def refused(target: Path) -> object:
        raise PermissionError(13, "Permission denied", str(target) + ".lock")

    monkeypatch.setattr(store, "_file_lock", refused)
    report = store.load(peek)
    assert report.notice is not None and not report.saving
    assert list(report.snapshot.entries) == list(shown(peek).entries)


def fold_during_the_first_journal_read(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process folds the journal into the file (the file replaced, then the journal
    removed) just before the first read of the journal: a reader that read the file before
    the fold then finds no journal."""
    from qualtui.core.history import read_history, serialize
    from qualtui.core.history.journal import read as read_journal

    folded = serialize(read_history(path).entries)
    calls: list[int] = []

    def folding(*args: object) -> object:
        if not calls:
            replacement = path.with_name(".folded.tmp")
            replacement.write_bytes(folded)
            replacement.replace(path)
            journal_path(path).unlink()
        calls.append(1)
        return read_journal(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "read_journal", folding)


def test_a_fold_during_the_first_look_leaves_the_history_to_the_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = history_with_journal(tmp_path)
    expected = [e.worker_id for e in HistoryStore(path).load().snapshot.entries]
    fold_during_the_first_journal_read(path, monkeypatch)
    store = HistoryStore(path)
    assert store.peek() is None  # not the old file without its journal
    assert [e.worker_id for e in store.load().snapshot.entries] == expected


def test_a_fold_during_a_reading_tools_read_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`read_history` (`qualtui history export`): the old file without its journal lost
    the journal's entries (a flaky batch test found it)."""
    from qualtui.core.history import read_history

    path = history_with_journal(tmp_path)
    expected = [e.worker_id for e in read_history(path).entries]
    fold_during_the_first_journal_read(path, monkeypatch)
    assert [e.worker_id for e in read_history(path).entries] == expected
    assert "AJOURNAL" in expected


def test_no_file_is_an_empty_history(tmp_path: Path) -> None:
    peek = HistoryStore(tmp_path / "data" / "history.json").peek()
    assert workers(peek) == []
    assert not (tmp_path / "data").exists()


def damage_the_file(path: Path) -> None:
    path.write_bytes(b'{"version": 2, "entries": [{"id": "x", "time": ')


def make_newer(path: Path) -> None:
    path.write_text(json.dumps({"version": 99, "entries": []}))


def tear_the_journal(path: Path) -> None:
    """A journal line being appended right now (or cut off by a crash): no newline yet."""
    with journal_path(path).open("ab") as journal:
        journal.write(b'{"op": "add", "entry": {"id": "half')


def damage_the_journal(path: Path) -> None:
    with journal_path(path).open("ab") as journal:
        journal.write(b"not json\n")


def put_a_folder_there(path: Path) -> None:
    journal_path(path).unlink()
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize(
    "spoil", [damage_the_file, make_newer, tear_the_journal, damage_the_journal]
)
def test_what_the_load_must_report_is_left_to_it_with_the_file_parsed_once(
    tmp_path: Path, spoil: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = history_with_journal(tmp_path)
    spoil(path)  # type: ignore[operator]
    before = folder_state(path.parent)
    parses = count_parses(monkeypatch)
    store = HistoryStore(path)
    peek = store.peek()
    assert peek is not None and peek.snapshot is None  # nothing to show first
    assert folder_state(path.parent) == before
    assert store.load(peek).notice is not None
    assert len(parses) == 1


def test_an_unreadable_file_is_left_to_the_load(tmp_path: Path) -> None:
    path = history_with_journal(tmp_path)
    put_a_folder_there(path)
    assert HistoryStore(path).peek() is None
    assert HistoryStore(path).load().notice is not None


def test_a_file_too_large_to_show_first_is_parsed_for_the_load_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = history_with_journal(tmp_path)
    monkeypatch.setattr(store_module, "PEEK_MAX_BYTES", path.stat().st_size - 1)
    parses = count_parses(monkeypatch)
    store = HistoryStore(path)
    peek = store.peek()
    assert peek is not None and peek.snapshot is None and peek.ahead is not None
    assert len(store.load(peek).snapshot.entries) == BIG
    assert len(parses) == 1


def test_a_history_turned_off_has_nothing_to_peek(tmp_path: Path) -> None:
    path = history_with_journal(tmp_path)
    assert HistoryStore(path, limit=0).peek() is None
