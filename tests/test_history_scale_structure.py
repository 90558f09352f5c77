"""#15, history at scale, checked by structure (never by time): a large snapshot is prepared
off the UI thread and shown in one step (a stale one dropped); the filter runs over its
index, the same rule as before, and a run for a query typed over stops early; no entry is
ever turned into text for a worker's description; a large parse leaves no collection to
walk its entries on the UI thread."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from qualtui.core import frozen_heap, word_filter
from qualtui.core.changes.change import ChangeDetails, State
from qualtui.core.history import (
    HistoryEntry,
    HistoryFilter,
    HistoryStore,
    file_format,
    haystack,
    parse,
    serialize,
)
from qualtui.core.history import filter as history_filter
from qualtui.core.history.entry import ErrorSummary
from qualtui.core.history.entry_view import EntryView
from qualtui.core.history.store import Snapshot
from qualtui.endpoint import LocalMTurk
from qualtui.widgets import history_order, history_table
from qualtui.widgets.history_pane import HistoryPane
from qualtui.widgets.history_table import HistoryTable
from tests.apphelpers import (
    SIZE,
    app_from_command_line,
    history_rows,
    ready,
    screen,
    settled,
    type_text,
)
from tests.conftest import Isolation, until
from tests.historyhelpers import entry, write_history


def many(count: int) -> list[HistoryEntry]:
    return [entry(n, f"A{n:05d}W") for n in range(count)]


# ---------------------------------------------------------------------- the first show


async def test_a_large_history_is_prepared_off_the_ui_thread_and_shown_in_one_step(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above SYNC_SHOW_LIMIT entries (here: any) the passes over every entry (type names,
    newest-first order, the filter) run in a thread; the UI thread only shows the result:
    the count and the rows arrive together."""
    monkeypatch.setattr(history_table, "SYNC_SHOW_LIMIT", 0)
    walked: list[tuple[int, bool]] = []  # (entries, on the UI thread)
    learned_names = history_table.learned_names

    def watched(entries: Iterable[HistoryEntry]) -> history_table.TypeNames:
        entries = list(entries)
        walked.append((len(entries), threading.current_thread() is threading.main_thread()))
        return learned_names(entries)

    monkeypatch.setattr(history_table, "learned_names", watched)
    write_history(aws_profiles.data_dir / "history.json", many(40))
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE):
        table = screen(app).history
        pane = app.screen.query_one(HistoryPane)
        await until(lambda: table.total == 40)
        assert table.row_count == 40  # with the count, never after it
        assert history_rows(app)[0][3] == "A00039W"  # newest first
        await until(lambda: str(pane.border_subtitle) == "40 lookups")
        assert walked == [(40, False)]


async def test_a_batch_recorded_shows_a_page_not_a_row_per_result(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    """Entries added a few at a time (lookups) are inserted as rows; a batch's results,
    saved as they come, show as one page: the table never holds a row per result."""
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = screen(app).history
        app.record([entry(n, f"A{n:05d}W") for n in range(3)])
        await until(lambda: table.total == 3)
        assert table.row_count == 3
        app.record([entry(n, f"A{n:05d}W") for n in range(3, 3 + 2 * history_table.PAGE_SIZE)])
        await until(lambda: table.total == 3 + 2 * history_table.PAGE_SIZE)
        assert table.row_count == history_table.PAGE_SIZE
        assert history_rows(app)[0][3] == f"A{2 + 2 * history_table.PAGE_SIZE:05d}W"


async def test_a_snapshot_prepared_late_is_dropped_for_the_newer_one(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two snapshots given before the first is prepared: only the newer is shown, and the
    older one's preparation, arriving after it, changes nothing."""
    monkeypatch.setattr(history_table, "SYNC_SHOW_LIMIT", 0)
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = screen(app).history
        older, newer = tuple(many(30)), tuple(many(20))
        table.show(Snapshot(entries=older, revision=1000))
        table.show(Snapshot(entries=newer, revision=1001))
        await until(lambda: table.total == 20 and table.row_count == 20)
        late = list(reversed(older))
        table.post_message(HistoryTable.Prepared(1000, older, late, {}, "", ("When", True), late))
        await pilot.pause()
        assert table.total == 20 and table.row_count == 20
        assert history_rows(app)[0][3] == "A00019W"


async def test_no_entry_is_written_out_for_a_worker_description(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual describes a @work call by the repr of its arguments unless given one: for a
    list of 100,000 entries that took the UI thread half a second at every keystroke."""
    monkeypatch.setattr(history_table, "SYNC_SHOW_LIMIT", 0)
    monkeypatch.setattr(history_table, "SYNC_FILTER_LIMIT", 0)
    written: list[str] = []

    def counted(self: HistoryEntry) -> str:
        written.append(self.id)
        return "entry"

    monkeypatch.setattr(HistoryEntry, "__repr__", counted)
    write_history(aws_profiles.data_dir / "history.json", many(30))
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = screen(app).history
        pane = app.screen.query_one(HistoryPane)
        await until(lambda: table.total == 30)
        await pilot.press("ctrl+f")
        await type_text(pilot, "a00007")
        await until(lambda: str(pane.border_subtitle) == "1 of 30 match")
        table.focus()
        await pilot.press("o")  # sorted in a thread, the cursor's entry handed to it
        await until(lambda: table.sort_column == "Worker" and table.row_count == 1)
        await pilot.press("O")
        await until(lambda: labels(table)[0] == "Worker ▼")
        await settled(pilot)
        assert not written


# ---------------------------------------------------------------------- sorting


class SortWatch:
    """`sort_key` watched: whether each call came on the UI thread; with `hold`, the first
    call off it waits for `release` (a sort under way, its answer not given yet)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, hold: bool = False) -> None:
        self.on_ui: list[bool] = []
        self.held = threading.Event()
        self.release = threading.Event()
        self._hold = hold
        real = history_table.sort_key

        def watched(column: str, names: history_table.TypeNames) -> Any:
            on_ui = threading.current_thread() is threading.main_thread()
            self.on_ui.append(on_ui)
            if self._hold and not on_ui:
                self._hold = False
                self.held.set()
                self.release.wait(30)
            return real(column, names)

        monkeypatch.setattr(history_table, "sort_key", watched)  # a sort on the UI thread
        monkeypatch.setattr(history_order, "sort_key", watched)  # in_order's, in a thread


def workers(table: HistoryTable) -> list[str]:
    column = table.get_column_index("Worker")
    return [table.get_row_at(i)[column].plain for i in range(table.row_count)]


def labels(table: HistoryTable) -> list[str]:
    return [column.label.plain for column in table.ordered_columns]


def mixed(count: int) -> list[HistoryEntry]:
    """Workers in no order of time, a third failed (no score), two types."""
    made = []
    for n in range(count):
        one = entry(n, f"A{n * 7 % count:05d}W", failed=n % 3 == 0)
        made.append(replace(one, qualification_type_id="3TYPEB") if n % 2 else one)
    return made


async def large_history_app(
    endpoint: LocalMTurk,
    aws_profiles: Isolation,
    monkeypatch: pytest.MonkeyPatch,
    entries: list[HistoryEntry],
) -> Any:
    """The app on `entries`, every size counted as large (sorted and filtered in a thread)."""
    monkeypatch.setattr(history_table, "SYNC_SHOW_LIMIT", 0)
    monkeypatch.setattr(history_table, "SYNC_FILTER_LIMIT", 0)
    write_history(aws_profiles.data_dir / "history.json", entries)
    return app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")


async def cursor_on_the_sixth_row(pilot: Any) -> HistoryTable:
    """The 40-entry history shown and focused, the cursor on its sixth row (A00034W)."""
    await ready(pilot)
    table = screen(pilot.app).history
    await until(lambda: table.total == 40 and table.row_count == 40)
    table.focus()
    await pilot.press(*"jjjjj")
    assert table.selected is not None and table.selected.worker_id == "A00034W"
    return table


async def test_a_large_history_sorts_off_the_ui_thread_the_header_first(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above SYNC_SHOW_LIMIT (here: any) `o` sorts in a thread: meanwhile the header shows
    the new column and arrow and the rows stay as they were; then the sorted rows come, the
    cursor on the entry it was on."""
    watch = SortWatch(monkeypatch, hold=True)
    app = await large_history_app(endpoint, aws_profiles, monkeypatch, many(40))
    async with app.run_test(size=SIZE) as pilot:
        table = await cursor_on_the_sixth_row(pilot)
        await pilot.press("o")
        await until(watch.held.is_set)  # the sort's key asked for off the UI thread
        await settled(pilot)
        assert labels(table)[0] == "Worker ▲" and labels(table)[-1] == "When"
        assert workers(table)[:2] == ["A00039W", "A00038W"]  # the rows as they were
        watch.release.set()
        await until(lambda: workers(table)[:2] == ["A00000W", "A00001W"])
        assert table.selected is not None and table.selected.worker_id == "A00034W"
        assert table.cursor_row == 34
        assert watch.on_ui == [False]


async def test_the_cursor_moved_while_it_sorts_stays_on_the_entry_it_was_moved_to(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large sort takes a while: a cursor moved meanwhile is followed to the entry it was
    moved to, not put back on the entry it was on when `o` was pressed."""
    watch = SortWatch(monkeypatch, hold=True)
    app = await large_history_app(endpoint, aws_profiles, monkeypatch, many(40))
    async with app.run_test(size=SIZE) as pilot:
        table = await cursor_on_the_sixth_row(pilot)
        await pilot.press("o")
        await until(watch.held.is_set)
        await pilot.press(*"jj")  # moved on while the sort runs
        await until(lambda: table.selected is not None and table.selected.worker_id == "A00032W")
        watch.release.set()
        await until(lambda: workers(table)[:2] == ["A00000W", "A00001W"])
        assert table.selected is not None and table.selected.worker_id == "A00032W"
        assert table.cursor_row == 32


async def test_a_burst_of_sort_keys_ends_in_the_last_order_the_stale_sort_dropped(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`o o o O` while the first sort is still running: the rows end in the order the last
    key asked for (Score, descending), and the first sort, finishing last, changes nothing
    (its thread gives up: its answer is no longer wanted)."""
    entries = mixed(40)
    newest_first = entries[::-1]
    expected = sorted(newest_first, key=history_table.sort_key("Score", {}), reverse=True)
    watch = SortWatch(monkeypatch, hold=True)
    answers: list[tuple[tuple[str, bool], bool]] = []  # (order, given up)
    in_order = history_table.in_order

    def recorded(
        matching: list[HistoryEntry],
        order: tuple[str, bool],
        names: history_table.TypeNames,
        stale: Any = lambda: False,
    ) -> list[HistoryEntry] | None:
        ordered = in_order(matching, order, names, stale)
        answers.append((order, ordered is None))
        return ordered

    monkeypatch.setattr(history_table, "in_order", recorded)
    app = await large_history_app(endpoint, aws_profiles, monkeypatch, entries)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = screen(app).history
        await until(lambda: table.total == 40 and table.row_count == 40)
        table.focus()
        await pilot.press("o")
        await until(watch.held.is_set)
        await pilot.press("o", "o", "O")
        await until(lambda: workers(table) == [e.worker_id for e in expected])
        assert labels(table)[2] == "Score ▼"
        watch.release.set()
        await until(lambda: (("Worker", False), True) in answers)  # the first gave up
        await settled(pilot)
        assert workers(table) == [e.worker_id for e in expected]
        assert table.sort_column == "Score" and table.sort_descending
        assert not any(watch.on_ui)


@pytest.mark.parametrize("large", [True, False], ids=["sorted-in-a-thread", "sorted-at-once"])
async def test_a_sort_moving_the_cursors_entry_far_down_puts_the_cursor_on_top(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    """The cursor follows its entry only into the first SORT_FOLLOW_LIMIT rows: following it
    farther would add every row above it (1,000 rows froze the UI for 100 ms, 100,000 for
    38 s). Beyond, it goes to the top, and one page is shown; in a large history (sorted in
    a thread) and a small one (sorted at once) alike."""
    monkeypatch.setattr(history_table, "SORT_FOLLOW_LIMIT", 10)
    monkeypatch.setattr(history_table, "PAGE_SIZE", 20)
    if large:
        app = await large_history_app(endpoint, aws_profiles, monkeypatch, many(60))
    else:
        write_history(aws_profiles.data_dir / "history.json", many(60))
        app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = screen(app).history
        await until(lambda: table.total == 60 and table.row_count == 20)
        table.focus()
        await pilot.press(*"jjj")  # A00056W: the 57th row by worker
        await pilot.press("o")
        await until(lambda: workers(table)[:1] == ["A00000W"])
        assert table.cursor_row == 0 and table.row_count == 20
        await pilot.press("j", "O")  # A00001W: the 59th row by worker, descending
        await until(lambda: workers(table)[:1] == ["A00059W"])
        assert table.cursor_row == 0 and table.row_count == 20


async def test_a_type_name_learned_resorts_in_a_thread_and_only_when_it_can_move_rows(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A type's name arriving shows on its rows: sorted by another column, nothing is
    sorted again; sorted by Qualification, the rows are sorted again in a thread."""
    watch = SortWatch(monkeypatch)
    app = await large_history_app(endpoint, aws_profiles, monkeypatch, mixed(40))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = screen(app).history
        await until(lambda: table.total == 40 and table.row_count == 40)
        qualification = table.get_column_index("Qualification")

        def types() -> list[str]:
            return [table.get_row_at(i)[qualification].plain for i in range(table.row_count)]

        table.focus()
        await pilot.press("o")
        await until(lambda: workers(table)[:1] == ["A00000W"])
        calls = len(watch.on_ui)
        table.learn_type_name(history_table.place("production", None), "3TYPEB", "Alpha")
        await until(lambda: "Alpha" in types())
        assert workers(table)[:1] == ["A00000W"] and len(watch.on_ui) == calls
        table.sort_by("Qualification", descending=False)
        await until(lambda: types()[0] == "3TYPE" and types()[-1] == "Alpha")  # 3type < alpha
        table.learn_type_name(history_table.place("production", None), "3TYPE", "Zulu")
        await until(lambda: types()[0] == "Alpha" and types()[-1] == "Zulu")
        assert len(watch.on_ui) > calls and not any(watch.on_ui)


async def test_a_filter_typed_in_a_sorted_large_history_comes_sorted_from_its_thread(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The filter's thread sorts what it lets through: the UI thread only shows it."""
    watch = SortWatch(monkeypatch)
    app = await large_history_app(endpoint, aws_profiles, monkeypatch, many(40))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = screen(app).history
        pane = app.screen.query_one(HistoryPane)
        await until(lambda: table.total == 40 and table.row_count == 40)
        table.focus()
        await pilot.press("o")
        await until(lambda: workers(table)[:1] == ["A00000W"])
        await pilot.press("ctrl+f")
        await type_text(pilot, "a0001")
        await until(lambda: str(pane.border_subtitle) == "10 of 40 match")
        await until(lambda: workers(table) == [f"A{n:05d}W" for n in range(10, 20)])
        assert watch.on_ui and not any(watch.on_ui)


# ---------------------------------------------------------------------- the filter's index


def odd_entries() -> list[HistoryEntry]:
    base = many(12)
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    change = ChangeDetails("grant", None, State("Granted", 5), "done", reason="Bonus ROUND Two")
    return [
        *base,
        replace(base[0], id="e1", qualification=None, error=ErrorSummary("throttled", "Ç-9")),
        replace(base[1], id="e2", worker_id="AStraßeW", profile="Work", time=when),
        replace(base[2], id="e3", qualification_type_name="Transcription ÉLITE"),
        replace(base[3], id="e4", change=change),
        replace(base[4], id="e5", worker_id="A\nB", environment="sandbox"),
    ]


QUERIES = [
    "",
    "a0000",
    "A00007W",
    "granted",
    "not held",
    "strasse",
    "straße",
    "élite",
    "transcription a00002",
    "throttled ç-9",
    "change bonus round",
    "sandbox a",
    "a\nb",
    "production us-east-1 a0001",
    "zzz",
    "prod granted a0000",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_index_matches_by_the_same_rule_as_the_haystack(query: str) -> None:
    """The shared text and the worker ID matched apart give what one haystack gave."""
    entries = odd_entries()
    words = word_filter.query_words(query)
    expected = [e for e in entries if word_filter.matches(haystack(e), words)]
    assert list(HistoryFilter().select(entries, query)) == expected
    indexed = HistoryFilter()
    indexed.index(entries)
    assert list(indexed.select(entries, query)) == expected


def test_each_entry_is_indexed_once_and_shared_texts_are_kept_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[str] = []
    shared_text = history_filter.shared_text

    def counted(e: HistoryEntry) -> str:
        made.append(e.id)
        return shared_text(e)

    monkeypatch.setattr(history_filter, "shared_text", counted)
    entries = many(50)
    found = HistoryFilter()
    found.index(entries)
    for query in ("a0001", "granted", "a000 prod", "zzz"):
        list(found.select(entries, query))
    assert sorted(made) == sorted(e.id for e in entries)  # once each
    assert len(set(map(id, found._shared.values()))) == 1  # one type, one place: one text


def test_a_filter_run_for_a_query_typed_over_stops_early(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(history_filter, "CHECK_EVERY", 10)
    entries = many(100)
    seen: list[HistoryEntry] = []

    def walked() -> Iterable[HistoryEntry]:
        for e in entries:
            seen.append(e)
            yield e

    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked == 3

    found = list(HistoryFilter().select(walked(), "a", cancelled))
    assert len(found) == 30 and len(seen) == 30


# ---------------------------------------------------------------------- the collector


def frozen_calls(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each gc.freeze() call: whether the collector was on when it came."""
    calls: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(gc.isenabled()))
    monkeypatch.setattr(frozen_heap.HEAP, "kept", False)  # back as it was after the test
    return calls


def test_a_large_parse_leaves_its_entries_out_of_the_collections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a parse of FREEZE_FROM entries or more, what is alive goes to the permanent
    generation, so no later collection walks the entries (on the UI thread, GIL held).
    Frozen before the collector is on again: after, the first allocation would start a
    collection of every object the parse made."""
    calls = frozen_calls(monkeypatch)
    monkeypatch.setattr(file_format, "FREEZE_FROM", 25)
    data = serialize(many(25))
    assert len(parse(data).entries) == 25
    assert calls == [False]  # once, with the collector still off
    assert gc.isenabled()


@pytest.mark.parametrize("count", [0, 24])
def test_a_small_parse_leaves_the_collector_alone(
    monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    calls = frozen_calls(monkeypatch)
    monkeypatch.setattr(file_format, "FREEZE_FROM", 25)
    parsed = parse(serialize(many(count)) if count else b'{"version":2,"entries":[]}')
    assert len(parsed.entries) == count
    assert not calls and gc.isenabled()


def test_a_parse_with_the_collector_off_leaves_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turned off by someone else (the app's start): a large parse still freezes its
    entries (whoever turns it on later would otherwise collect them all), and the
    collector stays off."""
    calls = frozen_calls(monkeypatch)
    monkeypatch.setattr(file_format, "FREEZE_FROM", 1)
    gc.disable()
    try:
        parse(serialize(many(3)))
        assert not gc.isenabled() and calls == [False]
    finally:
        gc.enable()


@pytest.mark.parametrize(("count", "freezes"), [(25, [False, True]), (24, [])])
def test_a_large_load_freezes_what_it_built_of_the_entries_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, freezes: list[bool]
) -> None:
    """The parse freezes the entries; the load then builds its containers of them (a dict
    and a list of every entry), which are frozen once it is done: young, every collection
    walked them (1,000,000 pointers: about 100 ms of the interpreter lock, again and
    again, on whichever thread allocated). A small history leaves the collector alone."""
    calls = frozen_calls(monkeypatch)
    monkeypatch.setattr(file_format, "FREEZE_FROM", 25)
    path = tmp_path / "history.json"
    path.write_bytes(serialize(many(count)))
    store = HistoryStore(path)
    assert len(store.load().snapshot.entries) == count
    assert calls == freezes  # the parse's (collector off), then the load's


# ---------------------------------------------------------------------- copies in pieces


@pytest.mark.parametrize(
    "piece",
    [
        slice(None),
        slice(2, 5),
        slice(5, 2),
        slice(-3, None),
        slice(None, -2),
        slice(0, 100),
        slice(10, 3, -1),
        slice(None, None, 2),
        slice(-100, 2),
    ],
)
def test_a_view_slices_as_its_window_would(piece: slice) -> None:
    items = many(20)
    assert EntryView(items, 3, 15)[piece] == tuple(items[3:15][piece])


def test_newest_first_is_copied_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """A million entries reversed in one C call held the GIL (the UI waited) ~50 ms."""
    monkeypatch.setattr(history_order, "REVERSE_PIECE", 4)
    entries = many(10)
    sliced: list[slice] = []

    class Watched(EntryView):
        def __getitem__(self, index: Any) -> Any:
            if isinstance(index, slice):
                sliced.append(index)
            return super().__getitem__(index)

    view = Watched(entries, 1, 10)
    assert history_table.newest_first_of(view) == entries[1:][::-1]
    assert all(s.stop - s.start <= 4 for s in sliced) and len(sliced) == 3


@pytest.mark.parametrize(
    "column", ["Worker", "Outcome", "Score", "Locale", "Qualification", "When"]
)
@pytest.mark.parametrize("descending", [False, True])
def test_a_sort_in_pieces_gives_the_order_one_sort_gives(
    monkeypatch: pytest.MonkeyPatch, column: str, descending: bool
) -> None:
    """Sorted 7 entries at a time and merged, ties newest first, as one `sorted` call."""
    monkeypatch.setattr(history_order, "SORT_PIECE", 7)
    newest_first = mixed(40)[::-1]
    if column == "When":
        expected = newest_first if descending else newest_first[::-1]
    else:
        key = history_table.sort_key(column, {})
        expected = sorted(newest_first, key=key, reverse=descending)
    assert history_order.in_order(list(newest_first), (column, descending), {}) == expected


def test_a_sort_no_longer_wanted_gives_up_between_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history_order, "SORT_PIECE", 7)
    asked: list[int] = []

    def stale() -> bool:
        asked.append(1)
        return len(asked) > 2

    assert history_order.in_order(mixed(40), ("Worker", False), {}, stale) is None
    assert len(asked) == 3  # two pieces sorted, then it gave up


def test_a_large_list_is_let_go_a_piece_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A million references dropped in one C call held the GIL about 60 ms."""
    monkeypatch.setattr(history_order, "REVERSE_PIECE", 4)
    monkeypatch.setattr(history_order, "INDEX_PAUSE", 0)
    entries = many(10)
    sizes: list[int] = []

    class Watched(list[HistoryEntry]):
        def __delitem__(self, index: Any) -> None:
            sizes.append(len(self[index]))
            super().__delitem__(index)

    watched = Watched(entries)
    history_order.let_go(watched)
    assert not watched and sizes == [4, 4, 2]
