"""A `qualtui demo-server` started for scripts keeps their lookups in the demo history, not
the real one (issue #14, "Every script"): the server notes itself in the data directory
while it runs, and a command pointed at it by `--endpoint-url` reads the note."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from qualtui import cli
from qualtui.cli.demo_registry import REGISTRY_DIR, is_demo_server, registered
from qualtui.endpoint import LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation
from tests.historyhelpers import saved_entries
from tests.signals import default_sigint

QUALTUI = (sys.executable, "-m", "qualtui")
KEYS = {"AWS_ACCESS_KEY_ID": "AKIAANY", "AWS_SECRET_ACCESS_KEY": "any"}


def history_workers(path: Path) -> list[str]:
    return [entry["worker_id"] for entry in saved_entries(path)]


def test_a_lookup_against_a_demo_server_goes_to_the_demo_history(isolated: Isolation) -> None:
    server = subprocess.Popen(
        [*QUALTUI, "demo-server", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=default_sigint,  # it gets Ctrl+C below, however the suite was started
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().rsplit(" ", 1)[1].strip()
        note = isolated.data_dir / REGISTRY_DIR / f"{urlsplit(url).port}.json"
        assert note.exists()  # written before the URL was printed
        done = subprocess.run(
            [*QUALTUI, "lookup", TRANSCRIBE, "A1GRANTEDWORKER", "--endpoint-url", url],
            capture_output=True,
            text=True,
            env={**os.environ, **KEYS},
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert history_workers(isolated.data_dir / "demo-history.json") == ["A1GRANTEDWORKER"]
        assert not (isolated.data_dir / "history.json").exists()
        server.send_signal(signal.SIGINT)  # Ctrl+C: the note goes with the server
        server.wait(timeout=30)
        assert not note.exists()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_only_a_running_demo_server_on_this_machine_counts(
    isolated: Isolation, endpoint: LocalMTurk
) -> None:
    data = isolated.data_dir
    assert not is_demo_server(data, endpoint.url)  # no note
    with registered(data, endpoint.url):
        assert is_demo_server(data, endpoint.url)
        assert is_demo_server(data, endpoint.url.replace("127.0.0.1", "localhost"))
        assert not is_demo_server(data, "https://mturk-requester.us-east-1.amazonaws.com")
        assert not is_demo_server(data, None)
    assert not is_demo_server(data, endpoint.url)  # removed when it stopped
    note = data / REGISTRY_DIR / f"{urlsplit(endpoint.url).port}.json"
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    note.write_text(json.dumps({"url": endpoint.url, "pid": int(gone.stdout)}))
    assert not is_demo_server(data, endpoint.url)  # a server killed outright
    for odd in ("{", "[]", '{"pid": true}', "x" * 10_000):
        note.write_text(odd)
        assert not is_demo_server(data, endpoint.url)


def test_a_command_pointed_at_a_noted_server_uses_the_demo_history(
    isolated: Isolation, endpoint: LocalMTurk
) -> None:
    args = cli.build_parser().parse_args(
        ["lookup", TRANSCRIBE, "A1", "--endpoint-url", endpoint.url]
    )
    assert cli.config_from_args(args).history_path.name == "history.json"
    with registered(isolated.data_dir, endpoint.url):
        assert cli.config_from_args(args).history_path.name == "demo-history.json"
    assert cli.config_from_args(args).history_path.name == "history.json"
