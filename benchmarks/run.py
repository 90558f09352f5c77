"""qualtui's benchmarks: `python benchmarks/run.py [NAME ...]` (all when no name is given).

Each figure is compared with a reference measured in the same run, because absolute times
drift on shared machines. Everything runs against the local endpoint, started by the
benchmark; nothing reaches the internet except `pip install awscli` for the AWS CLI row.
Names: startup, lookup, paint, batch, awscli, history, memory.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
sys.path.insert(0, str(ROOT))

TYPE_ID = "3DEMOTRANSCRIBE000000000000001"
rows: list[tuple[str, str, str, str, str]] = []


def report(what: str, measured: str, reference: str, ratio: str, target: str) -> None:
    rows.append((what, measured, reference, ratio, target))
    print(f"{what}: {measured}  (reference {reference}; {ratio}; target {target})", flush=True)


def scenario(*args: str) -> dict[str, float]:
    done = subprocess.run(
        [PY, str(HERE / "scenarios.py"), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def wall(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def first_frame(runs: int, history: Path) -> tuple[float, float]:
    """Median whole-process time to the first frame: qualtui, and a minimal Textual app."""
    ours, minimal = [], []
    for _ in range(runs):  # interleaved, so both see the same machine
        minimal.append(wall([PY, str(HERE / "firstframe.py"), "minimal"]))
        ours.append(wall([PY, str(HERE / "firstframe.py"), "qualtui", str(history)]))
    return statistics.median(ours), statistics.median(minimal)


def write_history(path: Path, count: int) -> None:
    from tests.historyhelpers import entry, write_history

    write_history(path, [entry(n, f"A{n:06d}W", type_id=TYPE_ID) for n in range(count)])


def bench_startup() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ours, minimal = first_frame(10, Path(tmp) / "history.json")
    report(
        "Cold start to first frame (median of 10)",
        f"{ours * 1000:.0f} ms",
        f"minimal Textual app {minimal * 1000:.0f} ms",
        f"{ours / minimal:.2f}x",
        "<= 1.15x",
    )


def bench_lookup() -> None:
    raw = scenario("raw", "50")["median_ms"]
    app = scenario("lookups", "50")["median_ms"]
    report(
        "Single lookup, Enter to result (median of 50)",
        f"{app:.1f} ms",
        f"bare get_qualification_score {raw:.1f} ms",
        f"raw + {app - raw:.1f} ms",
        "<= raw + 20 ms",
    )


def bench_paint() -> None:
    """Enter to the result painted (benchmarks/enter_to_paint.py), interleaved runs."""
    ours, minimal = [], []

    def median_ms(which: str) -> float:
        done = subprocess.run(
            [PY, str(HERE / "enter_to_paint.py"), which, "30"],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        return float(json.loads(done.stdout.strip().splitlines()[-1])["median_ms"])

    for _ in range(3):
        minimal.append(median_ms("minimal"))
        ours.append(median_ms("qualtui"))
    app, reference = statistics.median(ours), statistics.median(minimal)
    report(
        "Enter to result painted (median of 3 x 30)",
        f"{app:.1f} ms",
        f"minimal Textual app, same call in a thread worker {reference:.1f} ms",
        f"{app / reference:.2f}x",
        "<= 20 ms",
    )


def bench_batch() -> float:
    """The app and the core runner, interleaved (3 each, medians), against the ideal: 1,000
    lookups x 100 ms / 10 at once = 10 s."""
    apps, cores = [], []
    for _ in range(3):
        apps.append(scenario("batch", "1000", "0.1", "10")["seconds"])
        cores.append(scenario("batch-core", "1000", "0.1", "10")["seconds"])
    app, core = statistics.median(apps), statistics.median(cores)
    report(
        "Batch 1,000 x 100 ms, 10 at once: in the app / core runner (median of 3)",
        f"{app:.2f} s / {core:.2f} s",
        "ideal 10.0 s",
        f"{app / 10:.3f}x / {core / 10:.3f}x",
        "<= 1.05x / <= 1.04x",
    )
    load = os.getloadavg()
    print(f"  (load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})", flush=True)
    return app


def bench_awscli(batch_seconds: float | None) -> None:
    venv = HERE / ".awscli-venv"
    aws = venv / "bin" / "aws"
    if not aws.exists():
        subprocess.run([PY, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "awscli"], check=True)
    if batch_seconds is None:
        batch_seconds = scenario("batch", "1000", "0.1", "10")["seconds"]
    from scenarios import demo_server

    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "AKIABENCHMARK0000000",
        "AWS_SECRET_ACCESS_KEY": "benchmark-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    sample = 50
    with demo_server("latency:delay=0.1,op=GetQualificationScore") as url:
        started = time.perf_counter()
        for n in range(sample):
            subprocess.run(
                [
                    str(aws),
                    "mturk",
                    "get-qualification-score",
                    "--endpoint-url",
                    url,
                    "--qualification-type-id",
                    TYPE_ID,
                    "--worker-id",
                    f"A{n:06d}BENCH",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        per_call = (time.perf_counter() - started) / sample
    estimate = per_call * 1000
    report(
        "Batch of 1,000 vs an AWS CLI shell loop (50 run, x20)",
        f"qualtui {batch_seconds:.1f} s",
        f"aws CLI {estimate:.0f} s ({per_call * 1000:.0f} ms per call)",
        f"{estimate / batch_seconds:.0f}x faster",
        ">= 50x",
    )


def bench_history() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty.json"
        base, _ = first_frame(5, empty)
        for count in (1_000, 10_000, 100_000):
            path = Path(tmp) / f"h{count}.json"
            write_history(path, count)
            frame, _ = first_frame(5, path)
            filled = statistics.median(
                scenario("history-table", str(count), str(path))["seconds"] for _ in range(3)
            )
            report(
                f"History of {count:,}: first frame / table filled after it",
                f"{frame * 1000:.0f} ms / {filled * 1000:.0f} ms",
                f"empty history {base * 1000:.0f} ms",
                f"{frame / base:.2f}x",
                "first frame <= 1.1x; filled at 10,000 <= 300 ms",
            )
    append = scenario("append", "1000")["median_ms"]
    report("Append at 1,000 entries (median of 50)", f"{append:.1f} ms", "-", "-", "<= 10 ms")


def bench_memory() -> None:
    idle = scenario("idle")["rss_mib"]
    after = scenario("batch", "1000", "0", "10")["rss_mib"]
    report("Peak RSS, idle after one lookup", f"{idle:.0f} MiB", "-", "-", "<= 90 MiB")
    report("Peak RSS, after a 1,000-worker batch", f"{after:.0f} MiB", "-", "-", "report")


def main() -> None:
    names = sys.argv[1:] or [
        "startup",
        "lookup",
        "paint",
        "batch",
        "awscli",
        "history",
        "memory",
    ]
    batch_seconds = None
    for name in names:
        if name == "startup":
            bench_startup()
        elif name == "lookup":
            bench_lookup()
        elif name == "paint":
            bench_paint()
        elif name == "batch":
            batch_seconds = bench_batch()
        elif name == "awscli":
            bench_awscli(batch_seconds)
        elif name == "history":
            bench_history()
        elif name == "memory":
            bench_memory()
        else:
            raise SystemExit(f"unknown benchmark {name!r}")
    print("\n| what | measured | reference | ratio | target |\n| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
