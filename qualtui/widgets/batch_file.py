"""The batch view's "Or load a file" box: a path, a button, the file read off the UI thread.
What it read comes back to the view as `WorkerFileBox.Loaded`; a problem as `Problem`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Input

from qualtui.core import export
from qualtui.core.worker_ids import WorkerFileError, WorkerList, read_file


class WorkerFileBox(Vertical):
    @dataclass
    class Loaded(Message):
        path: Path
        workers: WorkerList

    @dataclass
    class Problem(Message):
        problem: str

    def compose(self) -> ComposeResult:
        path = Input(placeholder="a .txt or .csv (WorkerId column)", id="batch-path")
        path.border_title = "Or load a file"
        yield path
        yield Button("Load file", id="batch-load")

    @on(Button.Pressed, "#batch-load")
    @on(Input.Submitted, "#batch-path")
    def _load_file(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        text = self.query_one("#batch-path", Input).value.strip()
        if text:
            self._read(export.resolve(text))
        else:
            self.post_message(self.Problem("Type the file's path first."))

    @work(thread=True, exclusive=True, group="batch-file", exit_on_error=False)
    def _read(self, path: Path) -> None:
        try:
            workers = read_file(path)
        except WorkerFileError as error:
            self.post_message(self.Problem(str(error)))
            return
        self.post_message(self.Loaded(path, workers))
