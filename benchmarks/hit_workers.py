"""Benchmark (not a test): the workers of a HIT with 1,000 assignments, 100 ms endpoint
latency on every call, 10 lookups at once: listing (10 pages) plus the lookups, against
the ideal and against a plain boto3 script doing the same work in the same run.

    python benchmarks/hit_workers.py [--runs N]

The endpoint runs in its own process (as the real service would): this file re-runs itself
with `--serve`, which serves a data set with one HIT of 1,000 submitted, approved and
rejected assignments (300 of whose workers hold the type) and prints its URL.
Ideal: 10 listing pages one after the other + 100 rounds of 10 lookups, each 100 ms = 11 s.
qualtui's side is what the batch view does after the HIT picker: `workers_of_hits`, then
`run_batch` with 10 at once.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qualtui.core.batch import run_batch
from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.hits import workers_of_hits
from qualtui.core.models import LookupResult

ASSIGNMENTS = 1000
HOLDERS = 300
LATENCY = 0.1
CONCURRENCY = 10
PAGE = 100
HIT = "3HITBENCH000000000000000000001"
TYPE = "3HITBENCHTYPE0000000000000001"
KEYS = ("AKIABENCHMARK0000000", "benchmark-secret")
PAGES = ASSIGNMENTS // PAGE
IDEAL = (PAGES + ASSIGNMENTS // CONCURRENCY) * LATENCY  # 10 pages + 100 rounds of 10


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


def serve() -> None:
    """The child process: the endpoint with 100 ms on every call, until terminated."""
    from qualtui.endpoint import Dataset, Fault, LocalMTurk

    server = LocalMTurk(
        Dataset.from_json(dataset()),
        faults=[
            Fault("latency", operation="GetQualificationScore", delay=LATENCY),
            Fault("latency", operation="ListAssignmentsForHIT", delay=LATENCY),
        ],
    )
    print(f"serving {server.url}", flush=True)
    server.serve_forever()


@contextlib.contextmanager
def endpoint() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().rsplit(" ", 1)[1].strip()
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep draining
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def qualtui_hit_workers(url: str) -> tuple[float, float, str]:
    """qualtui's core, as the batch view runs it: every page of the HIT's assignments,
    then each worker looked up once, 10 at once. (total seconds, listing seconds, summary)"""
    clients = ClientCache(ClientSettings(static_credentials=KEYS))
    connection = Connection(None, PRODUCTION, url)
    started = time.perf_counter()
    listing = workers_of_hits(clients, connection, [HIT])
    listed = time.perf_counter() - started
    assert listing.complete and len(listing.assignments) == ASSIGNMENTS, listing.failures
    results: list[LookupResult] = []
    run_batch(
        clients,
        connection,
        TYPE,
        listing.worker_ids,
        on_result=results.append,
        concurrency=CONCURRENCY,
    )
    elapsed = time.perf_counter() - started
    held = sum(1 for r in results if r.qualification is not None)
    return elapsed, listed, f"{held} of {len(listing.worker_ids)} workers hold it"


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
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=3, help="runs of each (median shown)")
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    import boto3  # noqa: F401  # imported before timing, for both sides

    ours: list[float] = []
    listing: list[float] = []
    plain: list[float] = []
    with endpoint() as url:
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
            f"  of which listing the {PAGES} pages",
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
