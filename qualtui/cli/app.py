"""`qualtui [options]`: the terminal UI, on the real service or (`--demo`) the local endpoints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualtui.cli.config import chosen_endpoints
from qualtui.core.config import AppConfig

if TYPE_CHECKING:
    import argparse


def run_app(config: AppConfig) -> int:
    from qualtui.app import QualtuiApp

    app = QualtuiApp(config)
    app.run()
    return app.return_code or 0  # 1 after an unexpected error (its traceback is in the log)


def run(args: argparse.Namespace, config: AppConfig) -> int:
    with chosen_endpoints(args, config) as where:
        return run_app(where)
