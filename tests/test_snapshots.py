"""Snapshot tests of every screen in the README (pytest-textual-snapshot), from the same
scenes as `python scripts/screenshots.py`. Plain sync tests; the baselines are committed in
tests/__snapshots__/. On a mismatch pytest prints where the HTML report with both pictures
is; after an intended change, accept the new pictures with `pytest --snapshot-update`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests import scenes
from tests.scenes import SCENES, Scene, still


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("scene", SCENES, ids=[s.name for s in SCENES])
def test_screen(scene: Scene, snap_compare: Callable[..., bool], tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await scene.setup(pilot)
        await still(pilot)

    with scenes.scene_app(scene, tmp_path) as app:
        assert snap_compare(app, run_before=run_before, terminal_size=scene.size)


def test_every_screenshot_the_readme_shows_exists() -> None:
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text()
    import re

    shown = re.findall(r"\]\((screenshots/[^)]+)\)", readme)
    assert shown, "the README shows no screenshots"
    for path in shown:
        assert (root / path).is_file(), f"README shows {path}, which does not exist"
    names = {Path(p).stem for p in shown}
    assert {"lookup-granted", "history-filtered", "batch-running", "help"} <= names
