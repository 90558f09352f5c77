"""Bulk changes (issue #17): `python benchmarks/bulk_changes.py [ROWS] [LATENCY] [CONCURRENCY]`
(defaults 1000 0.1 10).

Against `qualtui demo-server` in its own process, every call delayed by LATENCY seconds:

- dry run: a plan of ROWS new grants, every worker's current value read (ROWS reads);
  ideal = ROWS / CONCURRENCY x LATENCY;
- apply: the diff written, each change verified by reading it back and recorded in a
  history file (ROWS writes + ROWS reads); ideal = 2 x ROWS / CONCURRENCY x LATENCY;
- boto3 loop: a plain ThreadPoolExecutor(CONCURRENCY) calling
  AssociateQualificationWithWorker for the same number of other new workers, nothing read
  back or recorded; ideal = ROWS / CONCURRENCY x LATENCY.

Prints each time, its ideal and the ratio, and the figures as JSON. Not a test.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from scenarios import KEYS, TYPE_ID, demo_server  # noqa: E402

from qualtui.core.changes.apply import apply_diff  # noqa: E402
from qualtui.core.changes.dry_run import Diff, dry_run  # noqa: E402
from qualtui.core.changes.plan import plan_for_workers  # noqa: E402
from qualtui.core.client import ClientCache, ClientSettings  # noqa: E402
from qualtui.core.connection import PRODUCTION, Connection  # noqa: E402
from qualtui.core.history import HistoryStore  # noqa: E402


def main(rows: int = 1000, latency: float = 0.1, concurrency: int = 10) -> dict[str, float]:
    import boto3

    with demo_server(f"latency:delay={latency}") as url, tempfile.TemporaryDirectory() as tmp:
        clients = ClientCache(ClientSettings(static_credentials=KEYS))
        connection = Connection(None, PRODUCTION, url)
        clients.client(connection)  # built before the clock starts, as in the app
        store = HistoryStore(Path(tmp) / "history.json", limit=10_000)
        store.load()
        plan = plan_for_workers([f"A{n:06d}BULK" for n in range(rows)], TYPE_ID, score=50)

        started = time.perf_counter()
        diff = dry_run(clients, connection, plan, concurrency=concurrency)
        dry = time.perf_counter() - started
        assert isinstance(diff, Diff) and diff.counts["grant"] == rows, diff

        started = time.perf_counter()
        summary = apply_diff(clients, diff, store=store, concurrency=concurrency)
        applied = time.perf_counter() - started
        assert summary.succeeded, summary.counts_text()
        assert len(HistoryStore(store.path).load().snapshot.entries) == rows

        client = boto3.session.Session(
            aws_access_key_id=KEYS[0], aws_secret_access_key=KEYS[1], region_name="us-east-1"
        ).client("mturk", endpoint_url=url)

        def write(n: int) -> None:
            client.associate_qualification_with_worker(
                QualificationTypeId=TYPE_ID,
                WorkerId=f"A{n:06d}LOOP",
                IntegerValue=50,
                SendNotification=False,
            )

        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(write, range(rows)))
        loop = time.perf_counter() - started

    one_round = rows / concurrency * latency
    figures = {
        "rows": rows,
        "latency_s": latency,
        "concurrency": concurrency,
        "dry_run_s": dry,
        "dry_run_ideal_s": one_round,
        "apply_s": applied,
        "apply_ideal_s": 2 * one_round,
        "boto3_loop_s": loop,
        "boto3_loop_ideal_s": one_round,
    }
    print(f"{'':12} {'time':>8} {'ideal':>8} {'ratio':>6}")
    for name, key in (("dry run", "dry_run"), ("apply", "apply"), ("boto3 loop", "boto3_loop")):
        took, ideal = figures[f"{key}_s"], figures[f"{key}_ideal_s"]
        print(f"{name:12} {took:7.2f}s {ideal:7.2f}s {took / ideal:5.2f}x")
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        int(args[0]) if args else 1000,
        float(args[1]) if len(args) > 1 else 0.1,
        int(args[2]) if len(args) > 2 else 10,
    )
