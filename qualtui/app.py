"""The qualtui application: wires the core services into the main screen."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import events, work
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from qualtui import __version__
from qualtui.core import settings
from qualtui.core.client import ClientCache
from qualtui.core.config import AppConfig
from qualtui.core.history import HistoryStore
from qualtui.core.qualification_types import TypeCache
from qualtui.key_order import KeyOrder
from qualtui.screens.main import MainScreen


class QualtuiApp(App[None]):
    TITLE = "qualtui"
    SUB_TITLE = __version__
    CSS_PATH = Path(__file__).with_name("qualtui.tcss")  # absolute: subclasses live elsewhere
    BINDINGS = [Binding("f1", "help", "Help")]

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config
        self.clients = ClientCache(config.client_settings)
        self.types = TypeCache()
        self.store = HistoryStore(config.history_path, config.history_limit, cap=config.history_cap)
        self.settings = config.settings
        self.key_order = KeyOrder(self)

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

    def on_unmount(self) -> None:
        self.key_order.stop()

    def on_mount(self) -> None:
        theme = self.settings.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, lambda t: self.remember(theme=t.name))
        self.push_screen(
            MainScreen(self.config, self.clients, self.types, self.store, remember=self.remember)
        )

    def remember(self, **changes: object) -> None:
        """Keep a choice in the settings file (written in the background)."""
        updated = self.settings.changed(**changes)
        if updated != self.settings:
            self.settings = updated
            if self.config.settings_path is not None:
                self._save_settings(updated)

    @work(thread=True, group="settings", exclusive=True, exit_on_error=False)
    def _save_settings(self, chosen: settings.Settings) -> None:
        assert self.config.settings_path is not None
        try:
            settings.save(self.config.settings_path, chosen)
        except OSError as error:
            self.call_from_thread(
                self.notify,
                f"Settings not saved: {error.strerror or error}",
                severity="warning",
                markup=False,
            )

    def action_help(self) -> None:
        from qualtui.dialogs.help import HelpScreen  # loaded when first asked for

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from qualtui.commands import main_screen_commands

        if isinstance(screen, MainScreen):
            yield from main_screen_commands(screen)
        yield from super().get_system_commands(screen)
