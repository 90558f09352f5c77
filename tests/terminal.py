"""A child process on a pseudo-terminal, for tests and benchmarks that need the real
`App.run()` in a real terminal: type into it, read what it draws, time what it does."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import time


class Terminal:
    """A child process on a pseudo-terminal: type into it, read its screen output."""

    def __init__(self, *argv: str, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        os.set_blocking(self.master, False)
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
            start_new_session=True,
        )
        os.close(slave)
        self.output = b""

    def read(self, timeout: float = 0.1) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                while chunk := os.read(self.master, 65536):
                    self.output += chunk
            except (BlockingIOError, OSError):
                pass

    def wait_for(self, text: bytes, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output:
            assert time.monotonic() < deadline, f"{text!r} never appeared"
            assert self.process.poll() is None, self.output[-2000:]
            self.read()

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)
