"""A question with a few answers, one button each, in a modal dialog: dismisses with the
chosen answer's key, or None (Esc). The first answer has the focus."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from qualtui.dialogs.dialog_screen import DialogScreen


class ChoiceScreen(DialogScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, question: str, answers: Sequence[tuple[str, str]]) -> None:
        """`answers`: (key, button label), the default first."""
        super().__init__(classes="dialog-screen")
        self.question = question
        self.answers = tuple(answers)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                for n, (key, label) in enumerate(self.answers):
                    button = Button(label, id=f"choice-{key}")
                    if n == 0:
                        button.variant = "primary"
                    yield button
                yield Button("Cancel", id="choice-cancel")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _answer(self, event: Button.Pressed) -> None:
        key = (event.button.id or "").removeprefix("choice-")
        self.dismiss(None if key == "cancel" else key)
