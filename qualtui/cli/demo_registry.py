"""Which local endpoints are `qualtui demo-server`s, so that a command pointed at one
(`--endpoint-url http://127.0.0.1:8443`) keeps its lookups and changes in the demo history,
not the real one: while it runs, a demo-server leaves a note in the data directory,
`demo-servers/<port>.json` (its URL and process ID), and removes it when it stops.

A note whose process is gone (a server killed outright) is ignored. Anything odd about the
folder or a note (unreadable, damaged, too big) means "not a demo-server": the real history
is the safe default only in that no lookup is lost; nothing else depends on it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from qualtui.core.atomic import read_regular_file, write_atomic
from qualtui.core.connection import is_loopback_url

REGISTRY_DIR = "demo-servers"
MAX_NOTE = 4096  # bytes: a note is a URL and a number


def _port(url: str) -> int | None:
    try:
        return urlsplit(url).port
    except ValueError:
        return None


def _note(data_dir: Path, port: int) -> Path:
    return data_dir / REGISTRY_DIR / f"{port}.json"


@contextlib.contextmanager
def registered(data_dir: Path, url: str) -> Iterator[None]:
    """The demo-server at `url` noted for as long as the block runs (best effort: a data
    directory that cannot be written leaves it unnoted, and the server runs anyway)."""
    port = _port(url)
    if port is None:
        yield
        return
    note = _note(data_dir, port)
    mine = json.dumps({"url": url, "pid": os.getpid()}).encode()
    try:
        note.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(note, mine)
    except OSError:
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            if read_regular_file(note, MAX_NOTE) == mine:  # not another server's since
                note.unlink()


def is_demo_server(data_dir: Path, url: str | None) -> bool:
    """True when `url` is on this machine and a demo-server noted its port and still runs."""
    if not url or not is_loopback_url(url):
        return False
    port = _port(url)
    if port is None:
        return False
    try:
        raw = json.loads(read_regular_file(_note(data_dir, port), MAX_NOTE))
    except (OSError, ValueError):
        return False
    pid = raw.get("pid") if isinstance(raw, dict) else None
    return isinstance(pid, int) and not isinstance(pid, bool) and _running(pid)


def _running(pid: int) -> bool:
    if os.name != "posix":
        return True  # no safe probe (signal 0 is Ctrl+C there): the note is trusted
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True
