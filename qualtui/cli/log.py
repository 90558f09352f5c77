"""The log file every command writes to: nothing may write over the terminal UI."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from qualtui.core import paths

log = logging.getLogger("qualtui")


def log_file() -> Path:
    return paths.log_dir() / "qualtui.log"


def setup_logging() -> None:
    """Log to a file only (a NullHandler when the directory cannot be made)."""
    try:
        directory = paths.log_dir()
        paths.ensure_private_dir(directory)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            directory / "qualtui.log", maxBytes=1_000_000, backupCount=2, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
