"""Regenerate the README's screenshots from demo mode: `python -m qualtui.screenshots`.

Runs the real app against the shipped local endpoint, drives it with Textual's Pilot and
saves SVGs into screenshots/. Times are shown in UTC so the pictures do not depend on the
machine's zone.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from textual import events

from qualtui import demo
from qualtui.app import QualtuiApp
from qualtui.core.client import ClientSettings
from qualtui.core.config import AppConfig

SIZE = (120, 36)


async def _shoot(out: Path, data_dir: Path) -> list[Path]:
    endpoints = demo.DemoEndpoints.start()
    saved: list[Path] = []
    try:
        config = AppConfig(
            history_path=data_dir / "demo-history.json",
            endpoints=endpoints.plan,
            client_settings=endpoints.client_settings(ClientSettings()),
            demo_examples=demo.EXAMPLES,
        )
        app = QualtuiApp(config)
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            for worker in ("A5NOTHELDWORKER", "A2REVOKEDWORKER", "A1GRANTEDWORKER"):
                await pilot.press("f2", "tab", "ctrl+a", "ctrl+k")
                assert app.focused is not None
                app.focused.post_message(events.Paste(worker))
                await pilot.pause()
                await pilot.press("enter")
                while getattr(screen, "busy", False):
                    await pilot.pause(0.05)
                await pilot.pause(0.3)
            path = out / "lookup-granted.svg"
            app.save_screenshot(filename=path.name, path=str(out))
            saved.append(path)
    finally:
        endpoints.stop()
    return saved


def main() -> None:
    os.environ["TZ"] = "UTC"
    time.tzset()
    out = Path("screenshots")
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as data_dir:
        for path in asyncio.run(_shoot(out, Path(data_dir))):
            print(path)


if __name__ == "__main__":
    main()
