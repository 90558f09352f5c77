"""A batch's lookups, run off the UI thread: the batch view mounts one (invisible), calls
`start` and `cancel`, takes what arrived with `take` and hears the end as
`BatchRunner.Ended`: run to the end, stopped by a hung or unreachable endpoint (then the
view pauses), or refused before any lookup by the preflight (profile, credentials, type).

The lookups' own results are the one exception to the rule that a worker's result is a
message: a pool delivers them in bursts of hundreds a second, so they go into a deque that
the view drains on a timer (`take`), one table update per tick. A cancelled run's late
results are dropped (`Generation`).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from textual import on, work
from textual.message import Message
from textual.widget import Widget

from qualtui.core.batch import ConnectionGuard, run_batch
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.frozen_heap import long_lived_frozen
from qualtui.core.generation import Generation
from qualtui.core.models import LookupResult
from qualtui.core.preflight import blocking_problem, problem_text
from qualtui.core.qualification_types import TypeCache
from qualtui.core.services import Services
from qualtui.core.text import one_line


class BatchRunner(Widget):
    DEFAULT_CSS = "BatchRunner { display: none; }"

    @dataclass
    class _Finished(Message, bubble=False):
        generation: int
        ended: BatchRunner.Ended

    @dataclass
    class Ended(Message):
        """The run ended (not cancelled): `done` lookups answered. `stopped`: why the
        endpoint stopped it (the rest was not looked up); `refused`: why nothing started."""

        done: int
        stopped: str = ""
        refused: str = ""
        stale: bool = False  # a cancelled run's threads are done: its late results are queued

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.clients: ClientCache = services.clients
        self.types: TypeCache = services.types
        self.clock = services.clock
        self.running = False
        self.inbox: deque[tuple[int, LookupResult]] = deque()
        self._runs = Generation()  # a new one per run or cancel: late results are dropped
        self._cancel = threading.Event()

    def start(
        self, connection: Connection, type_id: str, workers: Sequence[str], concurrency: int
    ) -> None:
        self.running = True
        self._cancel = threading.Event()
        generation = self._runs.next()
        self._run(generation, connection, type_id, tuple(workers), concurrency, self._cancel)

    def cancel(self) -> None:
        """No lookup starts after this; the answers of those under way are dropped."""
        self._cancel.set()
        self.running = False
        self._runs.next()

    def take(self) -> list[LookupResult]:
        """What arrived since the last call, from the current run."""
        arrived: list[LookupResult] = []
        while self.inbox:
            generation, result = self.inbox.popleft()
            if self._runs.accept(generation):  # a cancelled batch's late answers are dropped
                arrived.append(result)
        return arrived

    @work(thread=True, exclusive=True, group="batch", exit_on_error=False)
    def _run(
        self,
        generation: int,
        connection: Connection,
        type_id: str,
        worker_ids: tuple[str, ...],
        concurrency: int,
        cancel: threading.Event,
    ) -> None:
        def arrived(result: LookupResult) -> None:
            self.inbox.append((generation, result))  # deque: safe from the pool's threads

        problem = blocking_problem(self.clients, self.types, connection, type_id)
        if problem is not None:
            refused = self.Ended(0, refused=problem_text(problem))
            self.post_message(self._Finished(generation, refused))
            return
        guard = ConnectionGuard()
        with long_lived_frozen():  # no full collection of the UI's objects mid-batch
            done = run_batch(
                self.clients,
                connection,
                type_id,
                worker_ids,
                on_result=arrived,
                concurrency=concurrency,
                cancel=cancel,
                clock=self.clock,
                guard=guard,
            )
        stopped = one_line(guard.explanation(), 600)
        self.post_message(self._Finished(generation, self.Ended(done, stopped=stopped)))

    @on(_Finished)
    def _finished(self, message: _Finished) -> None:
        if self._runs.accept(message.generation):
            self.running = False
            self.post_message(message.ended)
        else:
            self.post_message(self.Ended(0, stale=True))
