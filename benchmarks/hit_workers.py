"""Benchmark (not a test): the workers of a HIT with 1,000 assignments, 100 ms endpoint
latency on every call, 10 lookups at once: listing (10 pages) plus the lookups, against
the ideal and against a plain boto3 script doing the same work in the same run.

    python benchmarks/hit_workers.py [--runs N]

The endpoint runs in its own process (as the real service would): `qualtui demo-server
--data` (`scenarios.demo_server`) serving one HIT of 1,000 submitted, approved and rejected
assignments (300 of whose workers hold the type).
Ideal: 10 listing pages one after the other + 100 rounds of 10 lookups, each 100 ms = 11 s.
qualtui's side is what `qualtui lookup --hit` does (and the batch view will): the workers
streamed from the assignment pages (`core.hit_stream`) into `run_lookups`, 10 at once, so
the first page's workers are looked up while the next pages are listed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from scenarios import KEYS, demo_server  # noqa: E402

from qualtui.core.batch import run_lookups  # noqa: E402
from qualtui.core.client import ClientCache, ClientSettings  # noqa: E402
from qualtui.core.connection import PRODUCTION, Connection  # noqa: E402
from qualtui.core.hit_stream import HitWorkerStream  # noqa: E402
from qualtui.core.hits import ListingProgress  # noqa: E402
from qualtui.core.models import LookupRequest, LookupResult  # noqa: E402

ASSIGNMENTS = 1000
HOLDERS = 300
LATENCY = 0.1
CONCURRENCY = 10
PAGE = 100
HIT = "3HITBENCH000000000000000000001"
TYPE = "3HITBENCHTYPE0000000000000001"
PAGES = ASSIGNMENTS // PAGE
IDEAL = (PAGES + ASSIGNMENTS // CONCURRENCY) * LATENCY  # 10 pages + 100 rounds of 10
FAULTS = (
    f"latency:op=GetQualificationScore,delay={LATENCY}",
    f"latency:op=ListAssignmentsForHIT,delay={LATENCY}",
)


def dataset() -> dict[str, Any]:
    hit = {
        "HITId": HIT,
        "HITTypeId": "3HITBENCHHITTYPE0000000000001",
        "CreationTime": "2026-06-01T12:00:00Z",
        "Title": "Benchmark HIT",
        "Description": "A HIT with many assignments.",
        "HITStatus": "Reviewable",
        "MaxAssignments": ASSIGNMENTS,
        "Reward": "0.10",
        "Expiration": "2026-06-08T12:00:00Z",
        "AssignmentDurationInSeconds": 3600,
        "AutoApprovalDelayInSeconds": 259200,
        "HITReviewStatus": "NotReviewed",
    }
    qtype = {
        "QualificationTypeId": TYPE,
        "Name": "Benchmark study participant",
        "Description": "Took part in the benchmark study.",
        "QualificationTypeStatus": "Active",
        "CreationTime": "2025-01-01T00:00:00Z",
        "IsRequestable": False,
        "AutoGranted": False,
    }
    return {
        "qualification_types": [qtype],
        "generated": [{"QualificationTypeId": TYPE, "count": HOLDERS, "seed": "bench-holders"}],
        "hits": [hit],
        "generated_assignments": [
            {
                "HITId": HIT,
                "count": ASSIGNMENTS,
                "seed": "bench-assignments",
                "overlap_seed": "bench-holders",
                "overlap": HOLDERS,
            }
        ],
    }


def qualtui_hit_workers(url: str) -> tuple[float, float, str]:
    """qualtui's core, as `qualtui lookup --hit` runs it: the HIT's workers streamed from
    its assignment pages into the lookups, each worker once, 10 at once. (total seconds,
    seconds until the last page was listed, summary)"""
    clients = ClientCache(ClientSettings(static_credentials=KEYS))
    connection = Connection(None, PRODUCTION, url)
    listed_at: list[float] = []

    def progress(where: ListingProgress) -> None:
        listed_at.append(time.perf_counter())

    started = time.perf_counter()
    stream = HitWorkerStream(clients, connection, [HIT], on_page=progress)
    results: list[LookupResult] = []
    run_lookups(
        clients,
        (LookupRequest(connection, TYPE, w) for w in stream),
        on_result=results.append,
        concurrency=CONCURRENCY,
    )
    elapsed = time.perf_counter() - started
    listing = stream.listing
    assert listing is not None and listing.complete, listing
    assert len(listing.assignments) == ASSIGNMENTS and len(results) == len(listing.workers)
    held = sum(1 for r in results if r.qualification is not None)
    return elapsed, listed_at[-1] - started, f"{held} of {len(listing.workers)} workers hold it"


def boto3_script(url: str) -> tuple[float, str]:
    """What a requester would write: a paginator, then a pool of 10 threads."""
    import boto3

    started = time.perf_counter()
    client = boto3.session.Session(
        aws_access_key_id=KEYS[0], aws_secret_access_key=KEYS[1], region_name="us-east-1"
    ).client("mturk", endpoint_url=url)
    pages = client.get_paginator("list_assignments_for_hit").paginate(
        HITId=HIT,
        AssignmentStatuses=["Submitted", "Approved", "Rejected"],
        PaginationConfig={"PageSize": PAGE},
    )
    workers = list(dict.fromkeys(a["WorkerId"] for page in pages for a in page["Assignments"]))

    def one(worker: str) -> Any:
        try:
            return client.get_qualification_score(QualificationTypeId=TYPE, WorkerId=worker)
        except client.exceptions.RequestError:
            return None

    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        found = list(pool.map(one, workers))
    elapsed = time.perf_counter() - started
    held = sum(1 for q in found if q is not None)
    return elapsed, f"{held} of {len(workers)} workers hold it"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each (median shown)")
    args = parser.parse_args()
    import boto3  # noqa: F401  # imported before timing, for both sides

    ours: list[float] = []
    listing: list[float] = []
    plain: list[float] = []
    with demo_server(*FAULTS, data=dataset()) as url:
        for _ in range(args.runs):  # interleaved, so both see the same machine
            seconds, listed, ours_summary = qualtui_hit_workers(url)
            ours.append(seconds)
            listing.append(listed)
            seconds, plain_summary = boto3_script(url)
            plain.append(seconds)
    assert ours_summary == plain_summary, (ours_summary, plain_summary)
    rows = [
        ("what", "measured (median)", "ideal", "ratio", "target"),
        (
            f"HIT workers: {ASSIGNMENTS:,} assignments ({PAGES} pages) + lookups, "
            f"{LATENCY * 1000:.0f} ms latency, {CONCURRENCY} at once",
            f"{statistics.median(ours):.2f} s",
            f"{IDEAL:.2f} s",
            f"{statistics.median(ours) / IDEAL:.2f}x",
            "<= 1.1x",
        ),
        (
            f"  the last of the {PAGES} pages listed at (overlapping the lookups)",
            f"{statistics.median(listing):.2f} s",
            f"{PAGES * LATENCY:.2f} s",
            f"{statistics.median(listing) / (PAGES * LATENCY):.2f}x",
            "report",
        ),
        (
            "Plain boto3 script (paginator + ThreadPoolExecutor of 10)",
            f"{statistics.median(plain):.2f} s",
            f"{IDEAL:.2f} s",
            f"{statistics.median(plain) / IDEAL:.2f}x",
            "reference",
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(f"qualtui: {ours_summary}; boto3: {plain_summary}; runs: {args.runs}")
    each = ", ".join(f"{o:.2f}/{p:.2f}" for o, p in zip(ours, plain, strict=True))
    print(f"each run (qualtui/boto3): {each}")


if __name__ == "__main__":
    main()
