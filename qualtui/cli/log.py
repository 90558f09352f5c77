"""The log file every command writes to: nothing may write over the terminal UI."""

from __future__ import annotations

import logging
from pathlib import Path

from qualtui.core import paths
from qualtui.core.redact import RedactingFormatter

log = logging.getLogger("qualtui")

MAX_BYTES = 1_000_000
BACKUPS = 2


def log_file() -> Path:
    return paths.log_file()


class LogFileOnFirstRecord(logging.Handler):
    """The log file's rotating handler, made on the first record: the file itself is created
    (private) at start-up, but the handler's module (logging.handlers) is imported only when
    something is logged, never before the app's first frame. A file that cannot be opened
    then drops the records (as the NullHandler would have at start-up): nothing is written
    over the terminal UI."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._file: logging.Handler | None = None
        self._unusable = False

    def emit(self, record: logging.LogRecord) -> None:
        # Called by `handle`, under this handler's lock: the file handler is made once.
        if self._file is None:
            if self._unusable:
                return
            from qualtui.core.rotating_log import PrivateRotatingFileHandler

            try:
                self._file = PrivateRotatingFileHandler(
                    self.path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
                )
            except OSError:
                self._unusable = True
                return
            self._file.setFormatter(self.formatter)
        self._file.handle(record)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def setup_logging() -> None:
    """Log to a file only (a NullHandler when the directory or the file cannot be made).
    The file is private (0600) and every line is redacted: a failing credential_process may
    have echoed its secret into an exception."""
    handler: logging.Handler
    try:
        paths.ensure_private_dir(paths.log_dir())
        paths.create_private(paths.log_file())
        handler = LogFileOnFirstRecord(paths.log_file())
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
