"""settings.json where real use goes wrong: bad settings are ignored with a notice, never a
traceback, and reading it never blocks or grows without bound."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from qualtui.core import settings
from tests.conftest import Isolation


def _write(isolated: Isolation, content: bytes) -> Path:
    path = settings.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"theme": ' + b"[" * 1000 + b"]" * 1000 + b"}", "could not be read"),
        (b"[" * 100_000, "could not be read"),
        (b'{"theme": "a\\ud800b", "profile": "work"}', "theme"),
        (b'{"profile": "\\udfff"}', "profile"),
    ],
)
def test_odd_settings_are_ignored_with_a_notice(
    isolated: Isolation, content: bytes, problem: str
) -> None:
    path = _write(isolated, content)
    loaded = settings.load(path)
    assert len(loaded.problems) == 1 and problem in loaded.problems[0]
    assert loaded.settings.theme is None
    if b"work" in content:
        assert loaded.settings.profile == "work"  # the good values are kept


def test_a_huge_settings_file_is_not_read(isolated: Isolation) -> None:
    path = _write(isolated, b'{"theme": "' + b"x" * (2 << 20) + b'"}')
    loaded = settings.load(path)
    assert loaded.settings == settings.Settings()
    assert "larger than" in loaded.problems[0]


@pytest.mark.skipif(os.name != "posix", reason="FIFOs are POSIX")
def test_a_fifo_at_settings_is_refused_not_waited_on(isolated: Isolation) -> None:
    path = settings.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    result: list[settings.LoadedSettings] = []
    worker = threading.Thread(target=lambda: result.append(settings.load(path)), daemon=True)
    worker.start()
    worker.join(30)
    if worker.is_alive():  # blocked opening the FIFO: release it, then fail
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(30)
        pytest.fail("loading a FIFO blocked")
    assert result[0].settings == settings.Settings()
    assert "named pipe" in result[0].problems[0]
