"""What keeps a batch in the app near the speed of the core runner (issue #15), checked as
structure, never timed: the UI's objects are frozen for the garbage collector while the
lookups run (and given back after), each answer adds one table row and the end refills
nothing when the rows are already in the list's order."""

from __future__ import annotations

from typing import Any

import pytest

from qualtui.core.frozen_heap import FrozenHeap
from qualtui.endpoint import LocalMTurk
from qualtui.widgets import batch_runner
from tests.apphelpers import SIZE, ready, settled
from tests.batchhelpers import app_on, hold, open_batch, start_batch
from tests.conftest import Isolation, until


class Collector:
    """A stand-in for the collector's freeze and unfreeze: what a FrozenHeap asked, in
    order (the process's own heap is shared with every thread an earlier test left)."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.heap = FrozenHeap(lambda: self.calls.append("freeze"), self.unfreeze)

    def unfreeze(self) -> None:
        self.calls.append("unfreeze")


def test_nested_runs_share_one_freeze_and_the_last_to_end_gives_it_back() -> None:
    collector = Collector()
    with collector.heap.long_lived():
        assert collector.calls == ["freeze"]
        with collector.heap.long_lived():
            assert collector.heap.runs_under_way() == 2
        assert collector.calls == ["freeze"]  # the outer run still holds it
    assert collector.calls == ["freeze", "unfreeze"]
    assert collector.heap.runs_under_way() == 0


def test_a_freeze_for_good_outlasts_a_run() -> None:
    """A large history's entries stay frozen after a run ends (unfrozen, the next full
    collection would walk every one of them)."""
    collector = Collector()
    with collector.heap.long_lived():
        collector.heap.freeze_for_good()
    assert collector.calls == ["freeze", "freeze"]
    with collector.heap.long_lived():
        pass
    assert "unfreeze" not in collector.calls


async def test_the_uis_objects_are_frozen_while_a_batch_runs_and_given_back_after(
    endpoint: LocalMTurk, aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    collector = Collector()  # this batch's freeze, apart from any other thread's
    monkeypatch.setattr(batch_runner, "long_lived_frozen", collector.heap.long_lived)
    last = "A4LOCALEWORKER"
    release = hold(endpoint, last)
    app = app_on(endpoint)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            batch = await start_batch(pilot, ["A1GRANTEDWORKER", "A2REVOKEDWORKER", last])
            await until(lambda: len(batch.results) == 2, timeout=30)
            assert batch.running
            assert collector.calls == ["freeze"]
            release.set()
            await until(lambda: not batch.running, timeout=30)
            assert collector.calls == ["freeze", "unfreeze"]  # before the end is reported
    finally:
        release.set()


async def test_each_answer_adds_one_row_and_the_end_refills_nothing(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    first, rest = "A1GRANTEDWORKER", ["A2REVOKEDWORKER", "A5NOTHELDWORKER", "A4LOCALEWORKER"]
    first_answer = hold(endpoint, first)  # answers out of the list's order: the drains sort
    app = app_on(endpoint)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            batch = await open_batch(pilot)
            table = batch.table
            added: list[Any] = []
            add_row = table.add_row

            def counted(*cells: Any, **options: Any) -> Any:
                added.append(cells[0].plain)
                return add_row(*cells, **options)

            table.add_row = counted  # type: ignore[method-assign]
            await start_batch(pilot, [first, *rest], batch=batch)
            await until(lambda: table.row_count == 3, timeout=30)
            first_answer.set()
            await until(lambda: not batch.running, timeout=30)
            await settled(pilot)
            shown = [table.get_row_at(i)[0].plain for i in range(table.row_count)]
            assert shown == [first, *rest]
            assert sorted(added) == sorted([first, *rest])  # each once: no refill at the end
    finally:
        first_answer.set()
