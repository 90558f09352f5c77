"""The workers of HITs streamed into the lookups (issue #19's performance target): each
worker once across HITs, as soon as the page naming them arrives, so that the lookups of one
page's workers run while the next page is listed. Over real HTTP against the demo data."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest

from qualtui.core.batch import run_lookups
from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.hit_stream import HitWorkerStream
from qualtui.core.hits import ListingProgress, workers_of_hits
from qualtui.core.models import LookupRequest, LookupResult
from qualtui.endpoint import LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation, wait_for

PILOT = "3DEMOHITPILOT00000000000000001"  # 133 listed: a page of 100, then 33
SURVEY = "3DEMOHITSURVEY0000000000000001"
GONE = "3DEMOHITGONE00000000000000001"


@dataclass(frozen=True)
class Demo:
    """The demo data behind the local endpoint, and how to reach it."""

    endpoint: LocalMTurk
    clients: ClientCache
    at: Connection


@pytest.fixture
def demo(endpoint: LocalMTurk, aws_profiles: Isolation) -> Demo:
    settings = ClientSettings(max_attempts=2, read_timeout=10, connect_timeout=5)
    return Demo(endpoint, ClientCache(settings), Connection("default", PRODUCTION, endpoint.url))


class HeldAfterFirstPage:
    """An on_page that holds the listing after its first page until `release` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.pages = 0

    def __call__(self, progress: ListingProgress) -> None:
        self.pages += 1
        if self.pages == 1:
            self.release.wait(30)


def test_each_worker_once_across_hits_as_workers_of_hits_lists_them(
    demo: Demo,
) -> None:
    hits = [SURVEY, PILOT, SURVEY]
    stream = HitWorkerStream(demo.clients, demo.at, hits)
    streamed = list(stream)
    listed = workers_of_hits(demo.clients, demo.at, hits)
    assert streamed == list(listed.worker_ids)  # each once, in the order first seen
    assert len(streamed) == len(set(streamed)) < len(listed.assignments)  # some did both
    assert stream.listing == listed and stream.listing.complete


def test_the_first_pages_workers_come_while_the_next_page_is_held(
    demo: Demo,
) -> None:
    held = HeldAfterFirstPage()
    stream = iter(HitWorkerStream(demo.clients, demo.at, [PILOT], on_page=held))
    first_page = [next(stream) for _ in range(100)]  # would block if page 2 came first
    assert len(demo.endpoint.calls_to("ListAssignmentsForHIT")) == 1
    held.release.set()
    rest = list(stream)
    assert first_page + rest == list(workers_of_hits(demo.clients, demo.at, [PILOT]).worker_ids)


def test_lookups_run_while_the_listing_is_held(demo: Demo) -> None:
    held = HeldAfterFirstPage()
    stream = HitWorkerStream(demo.clients, demo.at, [PILOT], on_page=held)
    results: list[LookupResult] = []
    requests = (LookupRequest(demo.at, TRANSCRIBE, w) for w in stream)
    run = threading.Thread(
        target=lambda: run_lookups(demo.clients, requests, on_result=results.append, concurrency=4)
    )
    run.start()
    wait_for(lambda: len(demo.endpoint.calls_to("GetQualificationScore")) >= 100)
    assert len(demo.endpoint.calls_to("ListAssignmentsForHIT")) == 1  # page 2 not yet asked
    held.release.set()
    run.join(30)
    assert not run.is_alive()
    assert stream.listing is not None and stream.listing.complete
    assert sorted(r.request.worker_id for r in results) == sorted(stream.listing.worker_ids)


def test_cancel_ends_the_stream_without_waiting_for_the_page_under_way(
    demo: Demo,
) -> None:
    held = HeldAfterFirstPage()
    cancel = threading.Event()
    stream = HitWorkerStream(demo.clients, demo.at, [PILOT], on_page=held, cancel=cancel)
    iterator = iter(stream)
    first = [next(iterator) for _ in range(100)]
    cancel.set()
    assert list(iterator) == []  # the held listing is not waited for
    assert stream.listing is not None and stream.listing.cancelled
    assert list(stream.listing.worker_ids) == list(dict.fromkeys(first))
    held.release.set()
    wait_for(lambda: not _listing_threads())  # the listing ends at its cancel check
    assert len(demo.endpoint.calls_to("ListAssignmentsForHIT")) == 1  # no page after the cancel


def _listing_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "qualtui-hit-listing"]


def test_a_gone_hit_is_explained_and_the_others_streamed(
    demo: Demo,
) -> None:
    stream = HitWorkerStream(demo.clients, demo.at, [GONE, SURVEY])
    workers = list(stream)
    assert stream.listing is not None and not stream.listing.complete
    assert [f.hit_id for f in stream.listing.failures] == [GONE]
    assert stream.listing.failures[0].failure.kind == "hit_not_found"
    assert workers and workers == list(stream.listing.worker_ids)


def test_a_bug_in_the_listing_is_raised_where_the_stream_is_read(
    demo: Demo,
) -> None:
    def broken(progress: ListingProgress) -> None:
        raise RuntimeError("a bug in on_page")

    stream = HitWorkerStream(demo.clients, demo.at, [SURVEY], on_page=broken)
    with pytest.raises(RuntimeError, match="a bug in on_page"):
        list(stream)
