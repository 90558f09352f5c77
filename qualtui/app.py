"""The qualtui application: wires the core services into the main screen."""

from __future__ import annotations

from textual.app import App

from qualtui import __version__
from qualtui.core.client import ClientCache
from qualtui.core.config import AppConfig
from qualtui.core.history import HistoryStore
from qualtui.screens.main import MainScreen


class QualtuiApp(App[None]):
    TITLE = "qualtui"
    SUB_TITLE = __version__
    CSS_PATH = "qualtui.tcss"

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config
        self.clients = ClientCache(config.client_settings)
        self.store = HistoryStore(config.history_path, config.history_limit)

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.config, self.clients, self.store))
