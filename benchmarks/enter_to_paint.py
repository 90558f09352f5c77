"""Enter to result painted: from the Enter key to the first frame that shows the answer.

`python benchmarks/enter_to_paint.py qualtui|minimal N` prints one JSON object with medians
over N lookups (after 5 to warm up): `median_ms`, Enter to the answer painted, and
`answer_to_paint_ms`, the answer taken up on the UI thread (the result panel's show_result,
the reference's show) to that frame. Both run headless against the same
`qualtui demo-server` process: qualtui as the command builds it, and the reference, a
minimal Textual app (an Input and a Static) making the same call with one boto3 client in a
thread worker.

What the user sees: the lookups alternate between two workers whose answers differ (granted,
revoked), the worker typed into the field before each Enter, as a person does. "Painted" is
the first frame, after the answer was taken up, that holds that answer's text (its status
line): the frame as `App._display` gets it from the compositor, encoded for the terminal
(`render_segments`, what the driver writes; headless skips it, so the hook does it). Nothing
polls while a lookup is timed: the hook resolves a future.
"""

from __future__ import annotations

import asyncio
import json
import re
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

# Two workers whose answers differ, and the text each answer's frame must hold.
WORKERS = ("A1GRANTEDWORKER", "A2REVOKEDWORKER")
QUALTUI_TEXT = {"A1GRANTEDWORKER": "● GRANTED", "A2REVOKEDWORKER": "✖ REVOKED"}
MINIMAL_TEXT = {"A1GRANTEDWORKER": "Granted 87", "A2REVOKEDWORKER": "Revoked"}
WARM_UP = 5
QUIET = 0.1  # seconds without a frame before each Enter: a typist's pause after the last key
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Frames:
    """Waits for the first frame after `answered()` that holds a text, written as a
    terminal driver writes it."""

    def __init__(self, app: App[Any], answered: Callable[[], float]) -> None:
        self.expected: str | None = None
        self.painted: asyncio.Future[float] | None = None
        self.skipped = 0  # frames after the answer that did not hold it yet
        self.last = 0.0  # when the last frame was written
        display = app._display

        def written(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None:
                self.last = time.perf_counter()
            painted = self.painted
            if renderable is None or painted is None or painted.done() or not answered():
                return
            data = renderable.render_segments(app.console)  # what the driver would write
            moment = time.perf_counter()
            if self.expected is not None and self.expected in ESCAPES.sub("", data):
                painted.set_result(moment)
            else:
                self.skipped += 1

        app._display = written  # type: ignore[method-assign]

    def expect(self, text: str) -> asyncio.Future[float]:
        self.expected = text
        self.painted = asyncio.get_running_loop().create_future()
        return self.painted


class Minimal(App[None]):
    """The reference: Enter in an Input, one call in a thread worker, the answer shown."""

    def __init__(self, url: str) -> None:
        super().__init__()
        import boto3

        session = boto3.session.Session(
            aws_access_key_id=KEYS[0], aws_secret_access_key=KEYS[1], region_name="us-east-1"
        )
        self.client = session.client("mturk", endpoint_url=url)
        self.answered_at = 0.0

    def compose(self) -> ComposeResult:
        yield Input(WORKERS[0], id="worker")
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
        self.answered_at = time.perf_counter()
        self.query_one("#result", Static).update(text)


async def measure(
    app: App[Any],
    ready: Callable[[], bool],
    answered_at: Callable[[], float],
    type_worker: Callable[[str], None],
    painted_text: dict[str, str],
    n: int,
    settled: Callable[[int], bool] = lambda done: True,
) -> tuple[list[float], list[float], int]:
    """Each Enter once the app has settled from the one before (as a person's, seconds
    apart, would find it): Enter to the first frame holding the answer, and the answer
    taken up to that frame."""
    started = 0.0
    frames = Frames(app, lambda: answered_at() > started)
    enter_to_paint, answer_to_paint = [], []
    async with app.run_test(size=(120, 36)) as pilot:
        await _until(ready)
        for i in range(n + WARM_UP):
            worker = WORKERS[i % 2]
            type_worker(worker)
            await _until(lambda done=i: settled(done))
            await pilot.pause()
            # No frame drawn for a moment, as when a person presses Enter after typing (an
            # Enter within a frame period of the last frame waits for the next frame tick,
            # in either app: noise, not what is compared).
            await _until(lambda: time.perf_counter() - frames.last >= QUIET)
            painted = frames.expect(painted_text[worker])
            started = time.perf_counter()
            app.post_message(events.Key("enter", "\r"))  # as the terminal driver does
            moment = await asyncio.wait_for(painted, 120)
            if i >= WARM_UP:
                enter_to_paint.append(moment - started)
                answer_to_paint.append(moment - answered_at())
    return enter_to_paint, answer_to_paint, frames.skipped


def run_minimal(n: int) -> tuple[list[float], list[float], int]:
    with demo_server() as url:
        app = Minimal(url)

        def type_worker(worker: str) -> None:
            app.query_one("#worker", Input).value = worker

        return asyncio.run(
            measure(
                app,
                lambda: app.is_running,
                lambda: app.answered_at,
                type_worker,
                MINIMAL_TEXT,
                n,
            )
        )


def run_qualtui(n: int) -> tuple[list[float], list[float], int]:
    import tempfile

    from qualtui.screens.main import MainScreen

    with demo_server() as url, tempfile.TemporaryDirectory() as tmp:
        app = make_app(url, Path(tmp) / "history.json")
        answered = [0.0]

        def ready() -> bool:
            main = app.screen
            if not isinstance(main, MainScreen) or main.bar.check is None:
                return False
            if not answered[0]:
                show_result = main.panel.show_result

                def timed(*args: Any, **kwargs: Any) -> None:
                    answered[0] = time.perf_counter()
                    show_result(*args, **kwargs)

                main.panel.show_result = timed  # type: ignore[method-assign]
                main.form.worker_input.focus()
                answered[0] = -1.0
            return app.focused is main.form.worker_input

        def type_worker(worker: str) -> None:
            main = app.screen
            assert isinstance(main, MainScreen)
            main.form.fill(TYPE_ID, worker)

        def settled(done: int) -> bool:  # the history has the lookups so far
            main = app.screen
            return isinstance(main, MainScreen) and main.history.total == done

        return asyncio.run(
            measure(app, ready, lambda: answered[0], type_worker, QUALTUI_TEXT, n, settled)
        )


def main() -> None:
    which, n = sys.argv[1], int(sys.argv[2])
    enter, answer, skipped = run_qualtui(n) if which == "qualtui" else run_minimal(n)
    print(
        json.dumps(
            {
                "median_ms": statistics.median(enter) * 1000,
                "answer_to_paint_ms": statistics.median(answer) * 1000,
                "frames_without_answer": skipped,
                "runs": n,
            }
        )
    )


if __name__ == "__main__":
    main()
