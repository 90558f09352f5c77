"""Enter to result painted: from the Enter key to the first frame that shows the answer.

`python benchmarks/enter_to_paint.py qualtui|minimal N` prints one JSON object with the
median over N lookups (after 5 to warm up). Both run headless against the same
`qualtui demo-server` process: qualtui as the command builds it, and the reference, a
minimal Textual app (an Input and a Static) making the same call with one boto3 client in a
thread worker. "Painted" is the first call of `App._display` (the frame handed to the
driver) after the answer was put on screen.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import App, ComposeResult
from textual.widgets import Input, Static

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scenarios import KEYS, TYPE_ID, _until, demo_server, make_app

WORKER = "A1GRANTEDWORKER"
WARM_UP = 5


class Frames:
    """When each frame was handed to the driver (headless: computed, then dropped)."""

    def __init__(self, app: App[Any]) -> None:
        self.times: list[float] = []
        display = app._display

        def timed(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                self.times.append(time.perf_counter())
            display(screen, renderable)

        app._display = timed  # type: ignore[method-assign]

    async def first_after(self, moment: float) -> float:
        await _until(lambda: bool(self.times) and self.times[-1] > moment)
        return next(t for t in self.times if t > moment)


class Minimal(App[None]):
    """The reference: Enter in an Input, one call in a thread worker, the answer shown."""

    def __init__(self, url: str) -> None:
        super().__init__()
        import boto3

        session = boto3.session.Session(
            aws_access_key_id=KEYS[0], aws_secret_access_key=KEYS[1], region_name="us-east-1"
        )
        self.client = session.client("mturk", endpoint_url=url)
        self.shown_at = 0.0

    def compose(self) -> ComposeResult:
        yield Input(WORKER, id="worker")
        yield Static(id="result")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.look_up(event.value)

    @work(thread=True)
    def look_up(self, worker: str) -> None:
        answer = self.client.get_qualification_score(QualificationTypeId=TYPE_ID, WorkerId=worker)
        qualification = answer["Qualification"]
        text = f"{qualification.get('Status')} {qualification.get('IntegerValue')}"
        self.call_from_thread(self.show, text)

    def show(self, text: str) -> None:
        self.query_one("#result", Static).update(text)
        self.shown_at = time.perf_counter()


async def measure(
    app: App[Any],
    ready: Callable[[], bool],
    shown_at: Callable[[], float],
    n: int,
    settled: Callable[[int], bool] = lambda done: True,
) -> list[float]:
    """Each Enter once the app has settled from the one before (as a person's, seconds
    apart, would find it): Enter to the first frame after the answer was put on screen."""
    frames = Frames(app)
    times = []
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(ready)
        for i in range(n + WARM_UP):
            await _until(lambda done=i: settled(done))
            await pilot.pause()
            before = shown_at()
            started = time.perf_counter()
            app.post_message(events.Key("enter", "\r"))  # as the terminal driver does
            await _until(lambda b=before: shown_at() != b)
            painted = await frames.first_after(shown_at())
            if i >= WARM_UP:
                times.append(painted - started)
    return times


def run_minimal(n: int) -> list[float]:
    with demo_server() as url:
        app = Minimal(url)
        return asyncio.run(measure(app, lambda: app.is_running, lambda: app.shown_at, n))


def run_qualtui(n: int) -> list[float]:
    import tempfile

    from qualtui.screens.main import MainScreen

    with demo_server() as url, tempfile.TemporaryDirectory() as tmp:
        app = make_app(url, Path(tmp) / "history.json")
        shown = [0.0]

        def ready() -> bool:
            main = app.screen
            if not isinstance(main, MainScreen) or main.bar.check is None:
                return False
            if not shown[0]:
                show_result = main.panel.show_result

                def timed(*args: Any, **kwargs: Any) -> None:
                    show_result(*args, **kwargs)
                    shown[0] = time.perf_counter()

                main.panel.show_result = timed  # type: ignore[method-assign]
                main.form.fill(TYPE_ID, WORKER)
                main.form.worker_input.focus()
                shown[0] = -1.0
            return app.focused is main.form.worker_input

        def settled(done: int) -> bool:  # the history has the lookups so far
            main = app.screen
            return isinstance(main, MainScreen) and main.history.total == done

        return asyncio.run(measure(app, ready, lambda: shown[0], n, settled))


def main() -> None:
    which, n = sys.argv[1], int(sys.argv[2])
    times = run_qualtui(n) if which == "qualtui" else run_minimal(n)
    print(json.dumps({"median_ms": statistics.median(times) * 1000, "runs": n}))


if __name__ == "__main__":
    main()
