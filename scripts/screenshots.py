"""Write every screen of the README to screenshots/, repeatably (fixed clock and data):

    python scripts/screenshots.py

The scenes are tests/scenes.py, the same the snapshot tests use.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.scenes import SCENES, Scene, scene_app, still, use_utc


async def shoot(scene: Scene, out: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp, scene_app(scene, Path(tmp)) as app:
        async with app.run_test(size=scene.size) as pilot:
            await scene.setup(pilot)
            await still(pilot)
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()  # until idle (no fixed time), as the snapshot tests do
            app.save_screenshot(filename=f"{scene.name}.svg", path=str(out))
    return out / f"{scene.name}.svg"


def main() -> None:
    use_utc()
    out = Path("screenshots")
    out.mkdir(exist_ok=True)
    for scene in SCENES:
        print(asyncio.run(shoot(scene, out)))


if __name__ == "__main__":
    main()
