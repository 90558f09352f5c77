"""Child process for the start-up benchmark: run an app headless and exit after its first
frame. `python benchmarks/firstframe.py minimal|qualtui [HISTORY_FILE]`

The hook lives here, not in qualtui: a subclass that ends the process (os._exit, for both
apps alike) once the first screen has been painted, so the time does not include shutting
down or waiting for background threads. The parent times the whole process, interpreter
start-up included.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Input

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Input(placeholder="Worker ID")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(os._exit, 0)

    Minimal().run(headless=True)


def qualtui(history: Path) -> None:
    from qualtui.app import QualtuiApp
    from qualtui.core.config import AppConfig
    from qualtui.core.connection import EndpointPlan
    from qualtui.screens.main import MainScreen

    class FirstFrame(QualtuiApp):
        def on_mount(self) -> None:
            super().on_mount()
            self.call_after_refresh(self._painted)

        def _painted(self) -> None:
            if isinstance(self.screen, MainScreen) and self.screen.is_mounted:
                os._exit(0)
            else:
                self.call_after_refresh(self._painted)

    config = AppConfig(
        history_path=history,
        endpoints=EndpointPlan(override="http://127.0.0.1:9"),
        history_limit=1_000_000,
    )
    FirstFrame(config).run(headless=True)


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        minimal()
    else:
        qualtui(Path(sys.argv[2]))
