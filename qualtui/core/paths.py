"""Where qualtui keeps its files (platformdirs), and how they are created."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "qualtui"
DATA_DIR_ENV = "QUALTUI_DATA_DIR"
HISTORY_FILE = "history.json"
DEMO_HISTORY_FILE = "demo-history.json"


def data_dir(
    explicit: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None
) -> Path:
    """--data-dir, else $QUALTUI_DATA_DIR, else the platform's user data directory."""
    env = os.environ if env is None else env
    if explicit:
        return Path(explicit).expanduser()
    if env.get(DATA_DIR_ENV):
        return Path(env[DATA_DIR_ENV]).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def history_path(directory: Path, *, demo: bool = False) -> Path:
    return directory / (DEMO_HISTORY_FILE if demo else HISTORY_FILE)


LOG_FILE = "qualtui.log"


def log_dir() -> Path:
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def log_file() -> Path:
    """The log: where an unexpected failure's details are written."""
    return log_dir() / LOG_FILE


def ensure_private_dir(path: Path) -> None:
    """Create a directory readable only by its owner (0700 on POSIX)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def private_opener(path: str, flags: int) -> int:
    fd = os.open(path, flags, 0o600)
    if os.name == "posix":
        os.fchmod(fd, 0o600)  # a log created 0644 by an older qualtui becomes private too
    return fd


def create_private(path: Path) -> None:
    """Create `path` if missing, readable only by its owner (0600 on POSIX, an existing
    file too), without writing to it."""
    os.close(private_opener(str(path), os.O_WRONLY | os.O_CREAT | os.O_APPEND))
