"""The qualtui application: wires the core services into the main screen."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, on, work
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState
from textual.worker_manager import WorkerManager

from qualtui import __version__
from qualtui.core import settings as settings_file
from qualtui.core import thread_errors
from qualtui.core.config import AppConfig
from qualtui.core.daemon_executor import DaemonExecutor
from qualtui.core.services import Services
from qualtui.core.settings import Settings
from qualtui.key_order import KeyOrder
from qualtui.screens.main import MainScreen
from qualtui.widgets.result_panel import ResultBody

if TYPE_CHECKING:
    from qualtui.core.history import HistoryEntry, Snapshot


class ReportingWorkerManager(WorkerManager):
    """Textual's worker manager, except that a worker's exception does not vanish (workers
    run with exit_on_error=False): it is reported (core/thread_errors.py) when the worker ends."""

    def _remove_worker(self, worker: Worker[Any]) -> None:
        super()._remove_worker(worker)
        error = worker.error
        if worker.state == WorkerState.ERROR and error is not None:
            thread_errors.report(f"a background task ({worker.name or worker.group})", error)


class QualtuiApp(App[None]):
    TITLE = "qualtui"
    SUB_TITLE = __version__
    CSS_PATH = Path(__file__).with_name("qualtui.tcss")  # absolute: subclasses live elsewhere
    BINDINGS = [
        Binding(
            "f1,question_mark",
            "help",
            "Help",
            id="app.help",
            tooltip="This help: every key, and what the fields mean",
        )
    ]

    class HistoryWritten(Message):
        """A change of the history file is done (in a worker thread), or failed."""

        def __init__(self, snapshot: Snapshot, warning: str | None = None) -> None:
            super().__init__()
            self.snapshot = snapshot
            self.warning = warning

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config
        self._workers = ReportingWorkerManager(self)
        self._stop_reports: Callable[[], None] | None = None
        self.services = Services.start(config)
        self._settings_lock = threading.Lock()
        self.key_order = KeyOrder(self)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes go through `KeyOrder`, so each takes effect in typing order."""
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if self.key_order.is_released(event):
                try:
                    await super().on_event(event)
                except ScreenStackError:
                    pass  # the app is closing: no screen left to type into
                finally:
                    self.key_order.delivered()
                return
            if self.key_order.hold(event):
                return
        await super().on_event(event)

    def on_load(self) -> None:
        # Thread workers on daemon threads: quitting never waits for a call in flight.
        asyncio.get_running_loop().set_default_executor(DaemonExecutor())
        # --no-verify-ssl: urllib3 warns on every request; the connection bar says it once.
        warnings.filterwarnings("ignore", message="Unverified HTTPS request")

    def on_unmount(self) -> None:
        self.key_order.stop()
        if self._stop_reports is not None:
            self._stop_reports()

    def _listen_for_thread_errors(self) -> None:
        """Show every error a background thread reports (from any thread)."""
        loop = asyncio.get_running_loop()

        def shown(where: str, error: BaseException) -> None:
            loop.call_soon_threadsafe(self.show_thread_error, where, error)

        self._stop_reports = thread_errors.listen(shown)

    def show_thread_error(self, where: str, error: BaseException) -> None:
        from qualtui.core.paths import log_file

        self.notify(
            f"Something failed in {where} ({type(error).__name__}). "
            f"The details are in {log_file()} (Ctrl+P: Copy the log file's path).",
            title="Unexpected error",
            severity="error",
            timeout=10,
            markup=False,
        )

    def on_mount(self) -> None:
        self._listen_for_thread_errors()
        theme = self.settings.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, lambda t: self.keep_settings(theme=t.name))
        self.push_screen(MainScreen(self.services))

    # ------------------------------------------------------------------ the files it owns

    def keep_settings(self, **changes: object) -> None:
        """Keep a choice in the settings file (written in the background)."""
        updated = self.settings.changed(**changes)
        if updated != self.settings:
            self.services.settings = updated
            if self.config.settings_path is not None:
                self._save_settings()

    def record(self, entries: Sequence[HistoryEntry]) -> None:
        """Append finished lookups to the history, in one write."""
        store = self.services.store
        if store.enabled and entries:
            batch = list(entries)
            self.change_history(lambda: store.append_many(batch))

    def change_history(self, change: Callable[[], Snapshot]) -> None:
        self._write_history(change)

    @work(thread=True, group="history-write", exit_on_error=False)
    def _write_history(self, change: Callable[[], Snapshot]) -> None:
        from qualtui.core.history import HistoryError

        try:
            snapshot = change()
            # Saved, but something the user must know (a file damaged while open, set aside).
            self.post_message(self.HistoryWritten(snapshot, snapshot.notice))
        except HistoryError as error:
            snapshot = self.services.store.snapshot()
            self.post_message(self.HistoryWritten(snapshot, f"History not saved: {error}"))

    @on(HistoryWritten)
    def _history_written(self, message: HistoryWritten) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.show_history_change(message.snapshot, message.warning)

    @work(thread=True, group="settings", exit_on_error=False)
    def _save_settings(self) -> None:
        """Write the settings. Saves run one at a time and each writes the newest settings
        (not the ones it was started for), so a slow early save never overwrites a later
        choice."""
        assert self.config.settings_path is not None
        with self._settings_lock:
            try:
                settings_file.save(self.config.settings_path, self.settings)
            except OSError as error:
                self.call_from_thread(
                    self.notify,
                    f"Settings not saved: {error.strerror or error}",
                    severity="warning",
                    markup=False,
                )

    async def action_quit(self) -> None:
        """Ctrl+Q and the palette's Quit: a running batch asks first (keep what finished, or
        go on). What is answered is written before the app exits: the batch's kept results,
        and a lookup answered just before (recorded once its frame is drawn)."""
        from qualtui.screens.batch import BatchScreen

        for screen in self.screen_stack:
            if isinstance(screen, BatchScreen) and screen.running:
                screen.ask_before_quit(lambda: self.run_worker(self._exit_when_saved()))
                return
        self.run_worker(self._exit_when_saved())

    async def _exit_when_saved(self) -> None:
        for screen in self.screen_stack:
            for body in screen.query(ResultBody):  # the answer on show: recorded now
                body.run_after_paint()
        writes = [w for w in self.workers if w.group == "history-write" and not w.is_finished]
        waiting = asyncio.gather(*(w.wait() for w in writes), return_exceptions=True)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(waiting, timeout=5)  # a local file: never the network
        self.exit()

    def action_help(self) -> None:
        from qualtui.dialogs.help import HelpScreen  # loaded when first asked for
        from qualtui.screens.key_map import key_sections

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(key_sections(self.BINDINGS)))

    # ------------------------------------------------------------------ an unexpected error

    def _handle_exception(self, error: Exception) -> None:
        """An exception nothing handled ends the app, as in Textual, but its traceback (with
        the locals of every frame) goes to the log file, not the terminal: the terminal gets
        one line saying where it is, and the command exits with status 1."""
        thread_errors.log.error("the app stopped: %s", type(error).__name__, exc_info=error)
        super()._handle_exception(error)  # keeps the first as `_exception`

    def _fatal_error(self) -> None:
        self.bell()
        self._close_messages_no_wait()

    def _print_error_renderables(self) -> None:
        """After the terminal is given back: the one line, written plainly (Rich folded the
        log's path over three lines at 80 columns)."""
        error = self._exception  # the first unhandled exception (Textual's own record)
        if error is None:
            super()._print_error_renderables()
            return
        from qualtui.core.paths import log_file

        self._exit_renderables.clear()
        line = f"qualtui: unexpected error ({type(error).__name__}); details in {log_file()}"
        print(line, file=sys.stderr, flush=True)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from qualtui.commands import main_screen_commands

        if isinstance(screen, MainScreen):
            yield from main_screen_commands(screen)
        yield from super().get_system_commands(screen)
