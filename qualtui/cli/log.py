"""The log file every command writes to: nothing may write over the terminal UI."""

from __future__ import annotations

import logging
from pathlib import Path

from qualtui.core import paths
from qualtui.core.redact import RedactingFormatter

log = logging.getLogger("qualtui")


def log_file() -> Path:
    return paths.log_file()


def setup_logging() -> None:
    """Log to a file only (a NullHandler when the directory cannot be made). The file is
    private (0600) and every line is redacted: a failing credential_process may have echoed
    its secret into an exception."""
    try:
        paths.ensure_private_dir(paths.log_dir())
        handler: logging.Handler = paths.PrivateRotatingFileHandler(
            paths.log_file(), maxBytes=1_000_000, backupCount=2, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
