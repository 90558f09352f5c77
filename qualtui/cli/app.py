"""`qualtui [options]`: the terminal UI, on the real service or (`--demo`) the local endpoints."""

from __future__ import annotations

import argparse

from qualtui.core.config import AppConfig


def run_app(config: AppConfig) -> int:
    from qualtui.app import QualtuiApp

    QualtuiApp(config).run()
    return 0


def run(args: argparse.Namespace, config: AppConfig) -> int:
    if not args.demo:
        return run_app(config)
    from qualtui.demo import demo_config

    with demo_config(config, args.fault) as demo:
        return run_app(demo)
