"""Settings saves never land out of order: a slow early save does not overwrite a later
choice (it made test_choices_are_kept_in_the_settings_file fail under load)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from qualtui.core import settings
from tests.apphelpers import SIZE, app_from_command_line, ready
from tests.conftest import Isolation, until


async def test_a_slow_early_save_never_overwrites_a_later_choice(
    aws_profiles: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_from_command_line("--endpoint-url", "http://127.0.0.1:9")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        path = app.config.settings_path
        assert path is not None
        first_save_started, release = threading.Event(), threading.Event()
        real_save = settings.save
        saves: list[str | None] = []

        def slow_first_save(where: Path, chosen: settings.Settings) -> None:
            saves.append(chosen.theme)
            if len(saves) == 1:
                first_save_started.set()
                release.wait(30)
            real_save(where, chosen)

        monkeypatch.setattr(settings, "save", slow_first_save)
        app.keep_settings(theme="textual-light")
        await until(first_save_started.is_set)
        app.keep_settings(theme="nord")  # chosen while the first save is still writing
        release.set()
        await until(
            lambda: not any(w.group == "settings" and not w.is_finished for w in app.workers)
        )
        assert json.loads(path.read_text())["theme"] == "nord"
        assert saves[-1] == "nord"
