"""A small settings file in the user config directory, written atomically.

`settings.json` holds what the user chose and what should persist between sessions: the
history limit, the theme, the last profile and environment, and the batch concurrency.
Every value is optional; a damaged file or a wrong-typed value is ignored (with a notice),
never fatal, and the file is only rewritten when something changes. Reading is bounded
(`MAX_BYTES`) and refuses what is not a regular file, so a FIFO never blocks the start.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs

from qualtui.core.atomic import read_regular_file, write_atomic
from qualtui.core.paths import APP_NAME, ensure_private_dir

CONFIG_DIR_ENV = "QUALTUI_CONFIG_DIR"
SETTINGS_FILE = "settings.json"
MAX_BYTES = 1 << 20


class Settings(NamedTuple):
    """What the user chose. A NamedTuple (immutable, compared by value) rather than a frozen
    dataclass: it is defined before the first frame, where a dataclass costs ~0.5 ms."""

    history_limit: int | None = None
    theme: str | None = None
    profile: str | None = None
    environment: str | None = None
    concurrency: int | None = None
    read_only: bool | None = None  # true: no write action (grant, set, revoke, ...) at all
    hide_demo_banner: bool | None = None  # Ctrl+B in demo mode

    def changed(self, **values: Any) -> Settings:
        return self._replace(**values)


_LIMITS = {"history_limit": (0, 10_000_000), "concurrency": (1, 64)}
_BOOLEANS = {"read_only", "hide_demo_banner"}


class LoadedSettings(NamedTuple):
    settings: Settings
    problems: tuple[str, ...] = ()


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get(CONFIG_DIR_ENV):
        return Path(env[CONFIG_DIR_ENV]).expanduser()
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def settings_path(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / SETTINGS_FILE


def load(path: Path) -> LoadedSettings:
    """Read the settings; never raises. A missing file is all defaults."""
    try:
        raw = json.loads(read_regular_file(path, MAX_BYTES))
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except RecursionError:
        return LoadedSettings(
            Settings(), (f"{path} could not be read (nested too deeply); using defaults",)
        )
    except (OSError, ValueError, UnicodeDecodeError) as error:
        return LoadedSettings(Settings(), (f"{path} could not be read ({error}); using defaults",))
    if not isinstance(raw, Mapping):
        return LoadedSettings(Settings(), (f"{path} is not a JSON object; using defaults",))
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name in Settings._fields:
        value = raw.get(name)
        if value is None:
            continue
        if name in _LIMITS:
            low, high = _LIMITS[name]
            ok = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
            expected = f"a whole number from {low} to {high}"
        elif name in _BOOLEANS:
            ok = isinstance(value, bool)
            expected = "true or false"
        else:
            ok = isinstance(value, str) and bool(value.strip()) and _encodable(value)
            expected = "a text value"
        if ok:
            values[name] = value
        else:
            problems.append(f"{name} in {path} should be {expected}; ignored")
    return LoadedSettings(Settings(**values), tuple(problems))


def _encodable(text: str) -> bool:
    """False for text JSON allows but a file cannot hold (a lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def save(path: Path, settings: Settings) -> None:
    """Write the settings atomically (0600). Raises OSError."""
    ensure_private_dir(path.parent)
    data = {key: value for key, value in settings._asdict().items() if value is not None}
    write_atomic(path, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8"))
