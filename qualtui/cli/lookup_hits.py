"""`qualtui lookup --hit`: the HITs' workers, streamed into the lookups as their pages are
listed (`core.hit_stream`), after the workers given; what the listing found, on stderr."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import IO

from qualtui.cli import hit_records
from qualtui.cli.listing_output import EXIT_FAILED, EXIT_OK
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.hit_stream import HitWorkerStream

STREAMED_WORKER = "A" * 19  # the table's Worker column with HITs: room for usual IDs


class HitWorkerSource:
    """The HITs' workers not given already, each once, as their pages are listed (the
    listing runs ahead of the lookups: `core.hit_stream`)."""

    def __init__(
        self,
        clients: ClientCache,
        connection: Connection,
        hits: Sequence[str],
        given: Sequence[str],
        cancel: threading.Event,
    ) -> None:
        self.hits, self.given = hits, frozenset(given)
        self.stream = HitWorkerStream(clients, connection, hits, cancel=cancel)
        self.overlap = 0

    def __iter__(self) -> Iterator[str]:
        for worker in self.stream:
            if worker in self.given:
                self.overlap += 1
            else:
                yield worker

    def report(self, err: IO[str]) -> int:
        """The listing's failures and counts on stderr; EXIT_FAILED when a HIT could not be
        listed (the workers found were still looked up), else EXIT_OK."""
        listing = self.stream.listing
        if listing is None or listing.cancelled:  # stopped early (a closed pipe): no more
            return EXIT_OK
        for failed in listing.failures:
            print(hit_records.failure_line("lookup", failed.failure, failed.hit_id), file=err)
        if listing.unlisted:
            print(f"qualtui lookup: not listed: {', '.join(listing.unlisted)}", file=err)
        noun = "HIT" if len(self.hits) == 1 else "HITs"
        print(
            f"qualtui lookup: {len(listing.workers)} workers from {len(listing.assignments)} "
            f"assignments of {len(self.hits)} {noun}",
            file=err,
        )
        if self.overlap:
            print(f"qualtui lookup: {self.overlap} given and in the HITs, looked up once", file=err)
        return EXIT_OK if listing.complete else EXIT_FAILED
