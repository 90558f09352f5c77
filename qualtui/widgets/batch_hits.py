"""Listing the workers of HITs for the batch view, off the UI thread, cancellable.
Invisible: the view mounts one and calls `start`; progress and the listing come back to the
view as `HitsLister.Progress` and `HitsLister.Listed` (a stale listing's are dropped)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from textual import on, work
from textual.message import Message
from textual.widget import Widget

from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.generation import Generation
from qualtui.core.hits import HitWorkers, ListingProgress, workers_of_hits
from qualtui.core.text import printable


class HitsLister(Widget):
    DEFAULT_CSS = "HitsLister { display: none; }"

    @dataclass
    class _Page(Message, bubble=False):
        generation: int
        progress: ListingProgress

    @dataclass
    class _Done(Message, bubble=False):
        generation: int
        listing: HitWorkers

    @dataclass
    class Progress(Message):
        """A page of a HIT's assignments was listed."""

        progress: ListingProgress

    @dataclass
    class Listed(Message):
        """The workers of the chosen HITs were listed."""

        listing: HitWorkers

    def __init__(self, clients: ClientCache) -> None:
        super().__init__()
        self.clients = clients
        self.listing = False  # the chosen HITs' assignments are being listed
        self.listings = Generation()  # a new one per listing or cancel
        self._cancel = threading.Event()

    def start(self, connection: Connection, hit_ids: Sequence[str]) -> None:
        self._cancel.set()
        self._cancel = threading.Event()
        self.listing = True
        self._list(connection, self.listings.next(), tuple(hit_ids), self._cancel)

    def cancel(self) -> None:
        self._cancel.set()
        self.listings.next()  # the listing's late answer is dropped
        self.listing = False

    @work(thread=True, exclusive=True, group="batch-hits", exit_on_error=False)
    def _list(
        self,
        connection: Connection,
        generation: int,
        hit_ids: tuple[str, ...],
        cancel: threading.Event,
    ) -> None:
        def page(progress: ListingProgress) -> None:
            self.post_message(self._Page(generation, progress))

        listing = workers_of_hits(self.clients, connection, hit_ids, on_page=page, cancel=cancel)
        self.post_message(self._Done(generation, listing))

    @on(_Page)
    def _page(self, message: _Page) -> None:
        if message.generation == self.listings.current and self.listing:
            self.post_message(self.Progress(message.progress))

    @on(_Done)
    def _done(self, message: _Done) -> None:
        if self.listings.accept(message.generation) and self.listing:
            self.listing = False
            self.post_message(self.Listed(message.listing))


def listing_note(listing: HitWorkers, summary: str) -> str:
    """One line on what the listing found (`summary`: the source's) and what it could not."""
    notes = [f"From the HITs: {summary}."]
    for failed in listing.failures:
        f = failed.failure
        notes.append(f"HIT {failed.hit_id}: {f.title}. {f.explanation} {f.fix}")
    if listing.unlisted:
        notes.append(f"Not listed after that: {', '.join(listing.unlisted)}.")
    if listing.truncated:
        notes.append(f"Only the first 100,000 assignments of {', '.join(listing.truncated)}.")
    return " ".join(printable(n).replace("\n", " ") for n in notes)
