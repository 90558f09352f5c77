"""What every view works with, owned by the App and passed to screens whole."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, runtime_checkable

from qualtui.core.config import AppConfig
from qualtui.core.settings import Settings

if TYPE_CHECKING:
    from qualtui.core.client import ClientCache
    from qualtui.core.history import HistoryEntry, HistoryStore, Snapshot
    from qualtui.core.qualification_types import TypeCache

T = TypeVar("T")


class MadeOnce(Generic[T]):
    """A value made when first asked for, once, whichever thread asks first."""

    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        value = self._value
        if value is None:
            with self._lock:
                value = self._value
                if value is None:
                    value = self._value = self._make()
        return value


class Services:
    """The start-up config, the MTurk clients, the type cache, the history store, the
    settings as last kept (the App replaces them when a choice is kept) and the clock.

    The clients, the type cache and the history store are made when first asked for (after
    the first frame: their modules are not needed to draw it). Making them reads no file and
    sends nothing."""

    def __init__(
        self,
        config: AppConfig,
        settings: Settings,
        clock: Callable[[], datetime],
    ) -> None:
        self.config = config
        self.settings = settings
        self.clock = clock
        self._clients = MadeOnce(self._make_clients)
        self._types = MadeOnce(self._make_types)
        self._store = MadeOnce(self._make_store)

    def __repr__(self) -> str:
        return f"Services(config={self.config!r}, settings={self.settings!r})"

    @classmethod
    def start(cls, config: AppConfig) -> Services:
        return cls(config=config, settings=config.settings, clock=config.clock)

    @property
    def clients(self) -> ClientCache:
        """The MTurk clients (one cache for the whole app, built on first use)."""
        return self._clients.get()

    @property
    def types(self) -> TypeCache:
        """The qualification types looked up so far, per connection."""
        return self._types.get()

    @property
    def store(self) -> HistoryStore:
        """The history store. Making it reads no file."""
        return self._store.get()

    def _make_clients(self) -> ClientCache:
        from qualtui.core.client import ClientCache

        return ClientCache(self.config.client_settings)

    def _make_types(self) -> TypeCache:
        from qualtui.core.qualification_types import TypeCache

        return TypeCache()

    def _make_store(self) -> HistoryStore:
        from qualtui.core.history.store import HistoryStore

        config = self.config
        return HistoryStore(config.history_path, config.history_limit, cap=config.history_cap)


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
