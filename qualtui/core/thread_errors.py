"""A background thread's exception never vanishes: it is logged (the `qualtui` logger, whose
file handler redacts secrets) and handed to whoever listens (the App shows a notice with the
log's path). Core code calls `report`; the UI calls `listen`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("qualtui")

Listener = Callable[[str, BaseException], None]

_listeners: list[Listener] = []
_lock = threading.Lock()


def report(where: str, error: BaseException) -> None:
    """Log `error` (with its traceback) and tell every listener. Never raises."""
    log.error("%s failed: %s", where, type(error).__name__, exc_info=error)  # never raises
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        try:
            listener(where, error)
        except Exception:
            log.exception("reporting an error from %s failed", where)


def listen(listener: Listener) -> Callable[[], None]:
    """Call `listener(where, error)` for each report (from any thread); returns the undo."""
    with _lock:
        _listeners.append(listener)

    def stop() -> None:
        with _lock:
            if listener in _listeners:
                _listeners.remove(listener)

    return stop
