"""Where to export the history, and as what; the file is written by the caller."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.widgets import Button, Input, Select, Static

from qualtui.core.export import FORMATS, Format, format_for, resolve
from qualtui.core.history import HistoryEntry, export
from qualtui.dialogs.dialog_screen import DialogScreen


@dataclass(frozen=True)
class ExportChoice:
    path: Path
    format: Format
    overwrite: bool


class ExportScreen(DialogScreen[ExportChoice | None]):
    """Ask for a file name (default: a dated name in the current directory) and a format."""

    DEFAULT_CSS = """
    #export-problem {
        height: auto;
        color: $text-warning;
    }
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self, count: int, filtered: bool, cwd: Path, now: datetime, default_name: str = ""
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.count = count
        self.filtered = filtered
        self.cwd = cwd
        self.default_name = default_name or f"qualtui-history-{now:%Y%m%d-%H%M}.csv"
        self._confirmed_overwrite: Path | None = None

    def compose(self) -> ComposeResult:
        what = f"{self.count} {'matching ' if self.filtered else ''}lookup" + (
            "" if self.count == 1 else "s"
        )
        with Vertical(classes="dialog", id="export-dialog"):
            yield Static(f"Export {what}", classes="dialog-title")
            yield Static(f"Relative to {self.cwd}", markup=False, classes="dialog-hint")
            with Horizontal(classes="dialog-row"):
                yield Input(self.default_name, id="export-path")
                yield Select(
                    [(f.upper(), f) for f in FORMATS],
                    value="csv",
                    allow_blank=False,
                    id="export-format",
                )
            yield Static("", id="export-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Export", id="export", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @property
    def path_input(self) -> Input:
        return self.query_one("#export-path", Input)

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """Keep the file name's extension in step with the chosen format."""
        path = self.path_input.value
        stem, dot, suffix = path.rpartition(".")
        if dot and suffix.lower() in FORMATS and event.value in FORMATS:
            self.path_input.value = f"{stem}.{event.value}"

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        self._confirmed_overwrite = None
        self._say("")
        _, dot, suffix = event.value.rpartition(".")
        if dot and suffix.lower() in FORMATS:
            self.query_one("#export-format", Select).value = suffix.lower()

    def _say(self, problem: str) -> None:
        self.query_one("#export-problem", Static).update(problem)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        text = self.path_input.value.strip()
        if not text:
            self._say("Type a file name.")
            return
        path = resolve(text, self.cwd)
        fmt = format_for(path, str(self.query_one("#export-format", Select).value))
        if path.is_dir():
            self._say(f"{path} is a folder: add a file name.")
        elif not path.parent.is_dir():
            self._say(f"The folder {path.parent} does not exist.")
        elif path.exists() and self._confirmed_overwrite != path:
            self._confirmed_overwrite = path
            self._say(f"{path.name} already exists: press Export again to replace it.")
        else:
            self.dismiss(ExportChoice(path, fmt, overwrite=path.exists()))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


def ask_and_export(
    node: DOMNode,
    entries: list[HistoryEntry],
    *,
    filtered: bool,
    now: datetime,
    noun: str,
    extra: Sequence[Mapping[str, str]] | None = None,
    default_name: str = "",
) -> None:
    """Ask where (ExportScreen), then write the file in a thread and say how it went.
    `extra`: more fields per entry (a batch from HITs: its HITs and assignment statuses);
    `default_name`: the file name offered (else a dated qualtui-history-… name)."""
    app = node.app

    def write(choice: ExportChoice) -> None:
        try:
            export.export(
                entries, choice.path, choice.format, overwrite=choice.overwrite, extra=extra
            )
        except export.ExportError as error:
            app.call_from_thread(
                app.notify, str(error), title="Export failed", severity="error", markup=False
            )
            return
        word = noun if len(entries) != 1 else noun.rstrip("s")
        app.call_from_thread(
            app.notify, f"Exported {len(entries)} {word} to {choice.path}", markup=False
        )

    def chosen(choice: ExportChoice | None) -> None:
        if choice is not None:
            node.run_worker(lambda: write(choice), thread=True, group="export", exit_on_error=False)

    app.push_screen(ExportScreen(len(entries), filtered, Path.cwd(), now, default_name), chosen)
