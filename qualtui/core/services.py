"""What every view works with, owned by the App and passed to screens whole."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from qualtui.core.client import ClientCache
from qualtui.core.config import AppConfig
from qualtui.core.qualification_types import TypeCache
from qualtui.core.settings import Settings

if TYPE_CHECKING:
    from qualtui.core.history import HistoryEntry, HistoryStore, Snapshot


@dataclass
class Services:
    """The start-up config, the MTurk clients, the type cache, the history store, the
    settings as last kept (the App replaces them when a choice is kept) and the clock."""

    config: AppConfig
    clients: ClientCache
    types: TypeCache
    settings: Settings
    clock: Callable[[], datetime]
    _store: HistoryStore | None = field(default=None, repr=False)
    _store_made: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def start(cls, config: AppConfig) -> Services:
        return cls(
            config=config,
            clients=ClientCache(config.client_settings),
            types=TypeCache(),
            settings=config.settings,
            clock=config.clock,
        )

    @property
    def store(self) -> HistoryStore:
        """The history store, made when first asked for (after the first frame: the store's
        module and its file lock are not needed to draw it). Making it reads no file."""
        if self._store is None:
            with self._store_made:
                if self._store is None:
                    from qualtui.core.history.store import HistoryStore

                    config = self.config
                    self._store = HistoryStore(
                        config.history_path, config.history_limit, cap=config.history_cap
                    )
        return self._store


@runtime_checkable
class FileOwner(Protocol):
    """The App: the one writer of the history and settings files (in the background).
    Screens and widgets reach it as `owner(self.app)`, without importing the app."""

    def record(self, entries: Sequence[HistoryEntry]) -> None:
        """Append finished lookups to the history (one write for many)."""

    def change_history(self, change: Callable[[], Snapshot]) -> None:
        """Run a change of the history file (delete, clear) and show the result."""

    def keep_settings(self, **changes: object) -> None:
        """Keep choices (profile, environment, theme, concurrency) in the settings file."""


def owner(app: object) -> FileOwner:
    assert isinstance(app, FileOwner), f"{type(app).__name__} does not own the files"
    return app
