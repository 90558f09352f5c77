"""The workers of some HITs, streamed: each worker ID as soon as the page that names it
arrives, so that lookups of one page's workers run while the next page is listed.

    stream = HitWorkerStream(clients, connection, hit_ids, cancel=cancel)
    requests = (LookupRequest(connection, type_id, w) for w in stream)
    run_lookups(clients, requests, on_result=..., cancel=cancel)   # or run_batch
    stream.listing   # the HitWorkers of `workers_of_hits`, once the iteration has ended

The listing runs ahead on its own daemon thread (`workers_of_hits`, unchanged: every page,
a HIT given twice listed once, a gone HIT explained and the others listed); the iteration
yields each worker once, in the order each first appears, across every HIT. Blocking:
iterate from a worker thread (`run_lookups`' threads do).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.hits import Assignment, HitWorkers, merge_workers, workers_of_hits

CANCEL_POLL = 0.05  # seconds between two looks at the cancel event while waiting for a page

_Item = tuple[Assignment, ...] | HitWorkers | Exception  # a page, the end, or a bug


class HitWorkerStream:
    """Iterate once for each worker ID of the HITs; `listing` says what was listed (and
    what failed) once the iteration has ended (before that, it is None).

    Setting `cancel` stops the listing between pages (no call starts after it) and ends the
    iteration within CANCEL_POLL seconds, without waiting for a page under way: `listing`
    then holds what had arrived, marked cancelled. (Ending the iteration early without
    `cancel` lets the listing run on to its end, on its daemon thread.)
    """

    def __init__(
        self,
        clients: ClientCache,
        connection: Connection,
        hit_ids: Sequence[str],
        cancel: threading.Event | None = None,
        **listing: Any,
    ) -> None:
        """`listing`: the other options of `workers_of_hits` (`statuses`, `on_page`,
        `throttle_pause`), passed on as they are."""
        self.clients, self.connection = clients, connection
        self.hit_ids = tuple(dict.fromkeys(hit_ids))
        self.cancel = cancel or threading.Event()
        self.options = listing
        self.listing: HitWorkers | None = None

    def __iter__(self) -> Iterator[str]:
        pages: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        threading.Thread(
            target=self._list, args=(pages,), name="qualtui-hit-listing", daemon=True
        ).start()
        seen: set[str] = set()
        received: list[Assignment] = []
        while (page := self._next_page(pages)) is not None:
            if isinstance(page, HitWorkers):
                self.listing = page
                return
            if isinstance(page, Exception):
                raise page  # a bug (in `on_page`?): raised in the iterating thread
            received += page
            for assignment in page:
                if assignment.worker_id not in seen:
                    seen.add(assignment.worker_id)
                    yield assignment.worker_id
        # cancelled while a page was under way: what had arrived, without waiting
        self.listing = HitWorkers(
            self.hit_ids, tuple(received), merge_workers(received), cancelled=True
        )

    def _next_page(self, pages: queue.SimpleQueue[_Item]) -> _Item | None:
        """The next page or the end; None once `cancel` is set."""
        while not self.cancel.is_set():
            try:
                return pages.get(timeout=CANCEL_POLL)
            except queue.Empty:
                continue
        return None

    def _list(self, pages: queue.SimpleQueue[_Item]) -> None:
        try:
            listing = workers_of_hits(
                self.clients,
                self.connection,
                self.hit_ids,
                cancel=self.cancel,
                on_assignments=pages.put,
                **self.options,
            )
        except Exception as error:
            pages.put(error)
            return
        pages.put(listing)
