"""qualtui's benchmarks: `python benchmarks/run.py [NAME ...]` (all when no name is given).

Each figure is compared with a reference measured in the same run, because absolute times
drift on shared machines. Everything runs against the local endpoint, started by the
benchmark; nothing reaches the internet except `pip install awscli` for the AWS CLI row.
Names: startup, lookup (or paint), batch, history, idle, memory (the default: every row of
issue 15's table), and awscli (installs the AWS CLI into benchmarks/.awscli-venv). A row
whose scenario is missing prints "not measured".
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

TYPE_ID = "3DEMOTRANSCRIBE000000000000001"
HANG_SECONDS = 120
rows: list[tuple[str, str, str, str, str]] = []


def report(what: str, measured: str, reference: str, ratio: str, target: str) -> None:
    rows.append((what, measured, reference, ratio, target))
    print(f"{what}: {measured}  (reference {reference}; {ratio}; target {target})", flush=True)


def child_env() -> dict[str, str]:
    """The children's environment: bytecode written (an editable install under
    PYTHONDONTWRITEBYTECODE compiles qualtui at every start), and a home of their own (no
    real settings, AWS config or history)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "QUALTUI_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        HOME=str(HOME),
        XDG_CONFIG_HOME=str(HOME / "config"),
        XDG_DATA_HOME=str(HOME / "data"),
        XDG_STATE_HOME=str(HOME / "state"),
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    return env


HOME = Path(tempfile.mkdtemp(prefix="qualtui-bench-home-"))


def scenario(*args: str, script: str = "scenarios.py") -> dict[str, float]:
    done = subprocess.run(
        [PY, str(HERE / script), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=child_env(),
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def optional(*args: str, script: str = "scenarios.py") -> dict[str, float] | None:
    """A scenario another engineer's work adds: None when it is not there (yet)."""
    if not (HERE / script).exists():
        return None
    try:
        return scenario(*args, script=script)
    except subprocess.CalledProcessError as error:
        if "unknown scenario" in (error.stderr or ""):
            return None
        raise


def wall(argv: list[str]) -> float:
    """The whole process's time. A child that never reaches its moment is killed after
    HANG_SECONDS and fails the run (a watchdog thread: `subprocess.run(timeout=...)` waits
    by polling, in sleeps of up to 50 ms, which rounded every figure to them)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env()
    )
    watchdog = threading.Timer(HANG_SECONDS, child.kill)
    watchdog.start()
    try:
        status = child.wait()
    finally:
        watchdog.cancel()
    ended = time.perf_counter()
    if status != 0:
        raise subprocess.CalledProcessError(status, argv)
    return ended - started


def frames(runs: int, apps: list[list[str]]) -> list[float]:
    """Median whole-process time of each app to its moment, runs interleaved."""
    times: list[list[float]] = [[] for _ in apps]
    for _ in range(runs):
        for n, app in enumerate(apps):
            times[n].append(wall([PY, str(HERE / "firstframe.py"), *app]))
    return [statistics.median(t) for t in times]


def ratio(measured: float, reference: float) -> str:
    if not reference or not measured:
        return "-"
    if measured / reference < 0.01:
        return f"1/{reference / measured:,.0f}"
    return f"{measured / reference:.2f}x"


def bench_startup() -> None:
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "qualtui")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        history = Path(tmp) / "history.json"
        write_history(history, 50)
        ours, complete, checked, minimal, minimal_whole, kinds_whole = frames(
            10,
            [
                ["qualtui", str(history), "first"],
                ["qualtui", str(history), "complete"],
                ["qualtui", str(history), "checked"],
                ["minimal"],
                ["minimal", "complete"],
                ["same-kinds", "complete"],
            ],
        )
    report(
        "First visible frame, launch to paint (median of 10)",
        f"{ours * 1000:.0f} ms",
        f"minimal Textual app {minimal * 1000:.0f} ms",
        ratio(ours, minimal),
        "<= 1.15x minimal",
    )
    report(
        "First complete frame: pickers, form, result, history rows, keys (median of 10)",
        f"{complete * 1000:.0f} ms",
        f"with its keys: minimal {minimal_whole * 1000:.0f} ms / same kinds "
        f"{kinds_whole * 1000:.0f} ms; minimal's first frame {minimal * 1000:.0f} ms",
        f"{ratio(complete, minimal_whole)} / {ratio(complete, kinds_whole)}; "
        f"{ratio(complete, minimal)}",
        "<= 1.3x minimal, <= 1.15x same kinds",
    )
    report(
        "Connection check answered (boto3 imported, a client built; median of 10)",
        f"{checked * 1000:.0f} ms",
        f"minimal {minimal * 1000:.0f} ms",
        ratio(checked, minimal),
        "- (no target: network)",
    )


def write_history(path: Path, count: int) -> None:
    from history_scale import write_file

    write_file(path, count, runs=False)  # the app keeps at most 10,000 entries of runs


def bench_lookup() -> None:
    ours = optional("qualtui", "50", script="enter_to_paint.py")
    minimal = optional("minimal", "50", script="enter_to_paint.py")
    if ours is None or minimal is None:
        report("Enter to result painted", "not measured", "-", "-", "<= 20 ms")
        return
    report(
        "Enter to result painted (median of 50); answer on the UI thread to its frame",
        f"{ours['median_ms']:.1f} ms; {ours['answer_to_paint_ms']:.1f} ms",
        f"minimal app, same call {minimal['median_ms']:.1f} ms;"
        f" {minimal['answer_to_paint_ms']:.1f} ms",
        f"{ratio(ours['median_ms'], minimal['median_ms'])};"
        f" {ratio(ours['answer_to_paint_ms'], minimal['answer_to_paint_ms'])}",
        "<= 20 ms",
    )


def bench_batch() -> float:
    """The app, the core runner and a plain boto3 thread pool (the floor: what any client
    pays per call beyond the endpoint's sleep), interleaved (3 each, medians), against the
    ideal: 1,000 lookups x 100 ms / 10 at once = 10 s."""
    apps, cores, pools = [], [], []
    for _ in range(3):
        apps.append(scenario("batch", "1000", "0.1", "10")["seconds"])
        cores.append(scenario("batch-core", "1000", "0.1", "10")["seconds"])
        pools.append(scenario("batch-boto3", "1000", "0.1", "10")["seconds"])
    app, core, pool = (statistics.median(t) for t in (apps, cores, pools))
    report(
        "Batch 1,000 x 100 ms, 10 at once: in the app / core runner (median of 3)",
        f"{app:.2f} s / {core:.2f} s",
        "ideal 10.0 s",
        f"{app / 10:.3f}x / {core / 10:.3f}x",
        "<= 1.05x / <= 1.04x",
    )
    report(
        "  the same against a plain boto3 thread pool of 10 (the floor, median of 3)",
        f"{app:.2f} s / {core:.2f} s",
        f"boto3 pool {pool:.2f} s ({pool / 10:.3f}x ideal)",
        f"{app / pool:.3f}x / {core / pool:.3f}x",
        "-",
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
    from history_scale import measure

    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for count in (0, 1_000, 100_000, 1_000_000):
            paths[count] = Path(tmp) / f"h{count}.json"
            write_history(paths[count], count)
        empty = scenario("history-scale", "0", str(paths[0]))
        small = scenario("history-scale", "1000", str(paths[1_000]))
        large = scenario("history-scale", "100000", str(paths[100_000]))
        huge = scenario("history-scale", "1000000", str(paths[1_000_000]))
        sorts = {
            count: scenario("sort", str(count), str(paths[count]), script="history_scale.py")
            for count in (1_000, 100_000, 1_000_000)
        }
    store = {count: measure(count, runs=1) for count in (100_000, 1_000_000)}
    report(
        "History of 100,000: longest UI freeze after the first frame",
        f"{large['freeze_ms']:.0f} ms",
        f"empty history {empty['freeze_ms']:.0f} ms",
        ratio(large["freeze_ms"], empty["freeze_ms"]),
        "<= 50 ms",
    )
    report(
        "History of 100,000: filter keystroke to the right count shown, median / longest "
        "(longest freeze typing)",
        f"{large['keystroke_ms']:.0f} / {large.get('keystroke_max_ms', 0):.0f} ms "
        f"({large['typing_freeze_ms']:.0f} ms)",
        f"1,000 entries {small['keystroke_ms']:.0f} / {small.get('keystroke_max_ms', 0):.0f} ms "
        f"({small['typing_freeze_ms']:.0f} ms)",
        ratio(large["keystroke_ms"], small["keystroke_ms"]),
        "<= 50 ms",
    )
    for count, target in ((100_000, "<= 50 ms"), (1_000_000, "no freeze over 100 ms")):
        report(
            f"History of {count:,}: sort keys (o o o O) to the right order shown, median / "
            "longest (longest freeze)",
            f"{sorts[count]['sort_ms']:.0f} / {sorts[count]['sort_max_ms']:.0f} ms "
            f"({sorts[count]['sort_freeze_ms']:.0f} ms)",
            f"1,000 entries {sorts[1_000]['sort_ms']:.0f} / {sorts[1_000]['sort_max_ms']:.0f} ms"
            f" ({sorts[1_000]['sort_freeze_ms']:.0f} ms)",
            ratio(sorts[count]["sort_freeze_ms"], sorts[1_000]["sort_freeze_ms"]),
            target,
        )
    report(
        "History of 100,000: append (median of 50, fsync included)",
        f"{store[100_000]['append_ms']:.1f} ms (longest {store[100_000]['append_max_ms']:.0f})",
        f"full rewrite, as before {store[100_000]['rewrite_ms']:.0f} ms",
        ratio(store[100_000]["append_ms"], store[100_000]["rewrite_ms"]),
        "<= 10 ms",
    )
    report(
        "History of 100,000: peak memory of the app",
        f"{large['rss_mib']:.0f} MiB",
        f"empty history {empty['rss_mib']:.0f} MiB",
        ratio(large["rss_mib"], empty["rss_mib"]),
        "<= 150 MB",
    )
    report(
        "History of 1,000,000: first frame / longest UI freeze after it / append",
        f"{huge['first_frame_s'] * 1000:.0f} ms / {huge['freeze_ms']:.0f} ms / "
        f"{store[1_000_000]['append_ms']:.1f} ms",
        f"empty history {empty['first_frame_s'] * 1000:.0f} ms / {empty['freeze_ms']:.0f} ms"
        f" / full rewrite {store[1_000_000]['rewrite_ms']:.0f} ms",
        f"{ratio(huge['first_frame_s'], empty['first_frame_s'])} / "
        f"{ratio(huge['freeze_ms'], empty['freeze_ms'])} / "
        f"{ratio(store[1_000_000]['append_ms'], store[1_000_000]['rewrite_ms'])}",
        "starts; no freeze over 100 ms; append <= 10 ms",
    )


IDLE_RUNS = 5


def bench_idle() -> None:
    """Each app's CPU over 5 s once started (every thread, `time.process_time`), runs
    interleaved, medians: both sit with a focused input whose cursor blinks."""
    ours, minimal = [], []
    with tempfile.TemporaryDirectory() as tmp:
        history = Path(tmp) / "history.json"
        write_history(history, 50)
        for _ in range(IDLE_RUNS):
            ours.append(scenario("qualtui", str(history), "idle", script="firstframe.py")["cpu_s"])
            minimal.append(scenario("minimal", "idle", script="firstframe.py")["cpu_s"])
    seconds = 5.0  # firstframe.IDLE_SECONDS
    mine, theirs = statistics.median(ours), statistics.median(minimal)
    report(
        f"Idle CPU, 5 s once started (median of {IDLE_RUNS})",
        f"{mine / seconds * 100:.3f}% of a core ({mine * 1000:.1f} ms)",
        f"minimal Textual app {theirs / seconds * 100:.3f}% ({theirs * 1000:.1f} ms)",
        ratio(mine, theirs),
        "<= the minimal app",
    )


def bench_memory() -> None:
    idle = scenario("idle")["rss_mib"]
    after = scenario("batch", "10000", "0", "10")["rss_mib"]
    report("Peak RSS, idle after one lookup", f"{idle:.0f} MiB", "-", "-", "<= 80 MB")
    report("Peak RSS, after a 10,000-worker batch", f"{after:.0f} MiB", "-", "-", "<= 150 MB")


def main() -> None:
    names = sys.argv[1:] or ["startup", "lookup", "batch", "history", "idle", "memory"]
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}", flush=True)
    batch_seconds = None
    for name in names:
        if name == "startup":
            bench_startup()
        elif name in ("lookup", "paint"):
            bench_lookup()
        elif name == "batch":
            batch_seconds = bench_batch()
        elif name == "awscli":
            bench_awscli(batch_seconds)
        elif name == "history":
            bench_history()
        elif name == "idle":
            bench_idle()
        elif name == "memory":
            bench_memory()
        else:
            raise SystemExit(f"unknown benchmark {name!r}")
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}", flush=True)
    print("\n| what | measured | reference | ratio | target |\n| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
