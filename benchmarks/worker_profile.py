"""Benchmark (not a test): a worker profile over 130 owned types, 100 ms endpoint latency
on every call, 10 lookups at once, against the ideal and against a plain boto3 script doing
the same work in the same run.

    python benchmarks/worker_profile.py [--runs N]

The endpoint runs in its own process (as the real service would): `qualtui demo-server
--data` (`scenarios.demo_server`) serving a data set of 130 owned types on loopback.
Ideal: 2 listing pages + 13 rounds of 10 lookups, each 100 ms = 1.5 s; with the type list
already cached (a second profile, client kept), 13 rounds = 1.3 s. The profile starts its
lookups with the first page of types, so it can beat the first ideal by up to one page.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from scenarios import KEYS, demo_server  # noqa: E402

from qualtui.core.client import ClientCache, ClientSettings  # noqa: E402
from qualtui.core.connection import PRODUCTION, Connection  # noqa: E402
from qualtui.core.qualification_types import TypeCache  # noqa: E402
from qualtui.core.worker_profile import WorkerProfile, load_worker_profile  # noqa: E402

TYPES = 130
LATENCY = 0.1
CONCURRENCY = 10
WORKER = "A1PROFILEBENCH"
IDEAL = (2 + TYPES // CONCURRENCY) * LATENCY  # 2 listing pages + 13 rounds of 10
IDEAL_CACHED = (TYPES // CONCURRENCY) * LATENCY
FAULTS = (
    f"latency:op=GetQualificationScore,delay={LATENCY}",
    f"latency:op=ListQualificationTypes,delay={LATENCY}",
)


def dataset() -> dict[str, Any]:
    types = [
        {
            "QualificationTypeId": f"3PROFILEBENCH{n:017d}",
            "Name": f"Benchmark skill {n:03d}",
            "Description": "A type owned by the benchmark's account.",
            "QualificationTypeStatus": "Active",
            "CreationTime": "2025-01-01T00:00:00Z",
            "IsRequestable": False,
            "AutoGranted": False,
        }
        for n in range(TYPES)
    ]
    held = [
        {
            "QualificationTypeId": types[n]["QualificationTypeId"],
            "WorkerId": WORKER,
            "Status": "Revoked" if n == 44 else "Granted",
            "IntegerValue": n,
            "GrantTime": "2026-06-01T12:00:00Z",
        }
        for n in range(0, TYPES, 11)
    ]
    return {"qualification_types": types, "qualifications": held}


def qualtui_profile(
    url: str, clients: ClientCache, cache: TypeCache
) -> tuple[float, WorkerProfile]:
    """qualtui's core: the owned types (every page, unless cached), then 130 lookups."""
    connection = Connection(None, PRODUCTION, url)
    started = time.perf_counter()
    profile = load_worker_profile(clients, cache, connection, WORKER, concurrency=CONCURRENCY)
    elapsed = time.perf_counter() - started
    assert profile.complete, profile.failure
    return elapsed, profile


def boto3_script(url: str) -> tuple[float, str]:
    """What a requester would write: a paginator, then a pool of 10 threads."""
    import boto3

    started = time.perf_counter()
    client = boto3.session.Session(
        aws_access_key_id=KEYS[0], aws_secret_access_key=KEYS[1], region_name="us-east-1"
    ).client("mturk", endpoint_url=url)
    types = [
        qtype
        for page in client.get_paginator("list_qualification_types").paginate(
            MustBeRequestable=False, MustBeOwnedByCaller=True, PaginationConfig={"PageSize": 100}
        )
        for qtype in page["QualificationTypes"]
    ]

    def one(qtype: Any) -> Any:
        try:
            return client.get_qualification_score(
                QualificationTypeId=qtype["QualificationTypeId"], WorkerId=WORKER
            )["Qualification"]
        except client.exceptions.RequestError:
            return None

    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        found = list(pool.map(one, types))
    elapsed = time.perf_counter() - started
    held = sum(1 for q in found if q is not None and q["Status"] == "Granted")
    return elapsed, f"holds {held} of {len(types)} types"


def aws_cli_loop(url: str) -> float:
    """What a requester would type in a shell: the AWS CLI lists the types (it pages by
    itself), then one `aws mturk get-qualification-score` per type. Run once (a process per
    call: about a second each)."""
    import os
    import shutil

    aws = shutil.which("aws") or str(Path(sys.executable).with_name("aws"))
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": KEYS[0],
        "AWS_SECRET_ACCESS_KEY": KEYS[1],
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_PAGER": "",
    }
    script = (
        f'for t in $("$AWS" mturk list-qualification-types --endpoint-url {url} '
        "--must-be-owned-by-caller --no-must-be-requestable "
        "--query 'QualificationTypes[].QualificationTypeId' --output text); do "
        f'"$AWS" mturk get-qualification-score --endpoint-url {url} '
        f'--qualification-type-id "$t" --worker-id {WORKER} >/dev/null 2>&1 || true; done'
    )
    started = time.perf_counter()
    subprocess.run(["bash", "-c", script], env={**env, "AWS": aws}, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each (median shown)")
    parser.add_argument(
        "--no-aws-cli", action="store_true", help="skip the AWS CLI shell loop (about 2 min)"
    )
    args = parser.parse_args()
    import boto3  # noqa: F401  # imported before timing, for both sides

    ours: list[float] = []
    cached: list[float] = []
    plain: list[float] = []
    with demo_server(*FAULTS, data=dataset()) as url:
        for _ in range(args.runs):  # interleaved, so both see the same machine
            # a first profile builds its client (as `qualtui worker` or the boto3 script
            # does) and lists the types; a second one in the same session needs neither
            clients, cache = ClientCache(ClientSettings(static_credentials=KEYS)), TypeCache()
            seconds, profile = qualtui_profile(url, clients, cache)
            ours.append(seconds)
            seconds, plain_summary = boto3_script(url)
            plain.append(seconds)
            cached.append(qualtui_profile(url, clients, cache)[0])
        aws_cli = None if args.no_aws_cli else aws_cli_loop(url)
    ours_summary = profile.summary.text
    assert ours_summary.startswith(plain_summary), (ours_summary, plain_summary)
    print(f"Worker {WORKER}: {ours_summary}")
    for held in profile.rows:
        if held.status != "not held":
            q = held.qualification
            score = "" if q is None or q.integer_value is None else str(q.integer_value)
            print(f"  {held.status:<8} {score:>4}  {held.type_name}  {held.type_id}")
    print(f"  ... and {profile.summary.not_held} types not held\n")
    rows = [
        ("what", "measured (median)", "ideal", "ratio", "target"),
        (
            f"Profile: {TYPES} owned types, {LATENCY * 1000:.0f} ms latency, {CONCURRENCY} at once",
            f"{statistics.median(ours):.2f} s",
            f"{IDEAL:.2f} s",
            f"{statistics.median(ours) / IDEAL:.2f}x",
            "<= 1.1x",
        ),
        (
            "A second profile (client and type list kept)",
            f"{statistics.median(cached):.2f} s",
            f"{IDEAL_CACHED:.2f} s",
            f"{statistics.median(cached) / IDEAL_CACHED:.2f}x",
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
    if aws_cli is not None:
        rows.append(
            (
                "AWS CLI in a shell loop (one process per call, run once)",
                f"{aws_cli:.2f} s",
                f"{IDEAL:.2f} s",
                f"{aws_cli / IDEAL:.2f}x",
                "reference",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print(f"qualtui: {ours_summary}; boto3: {plain_summary}; runs: {args.runs}")
    each = ", ".join(f"{o:.2f}/{p:.2f}" for o, p in zip(ours, plain, strict=True))
    print(f"each run (qualtui/boto3): {each}")


if __name__ == "__main__":
    main()
