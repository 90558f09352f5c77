"""Ask for what a change needs before it is previewed: a score (`80`, `+5`, `-5`), an
optional score for a grant, or a reason for a revoke. Dismisses with the text typed
(checked by `check`) or None."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from qualtui.dialogs.dialog_screen import DialogScreen


class ChangeInputScreen(DialogScreen[str | None]):
    DEFAULT_CSS = """
    #change-input-hint.-problem {
        color: $text-warning;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="change_input.cancel", tooltip="Cancel")]

    def __init__(
        self,
        title: str,
        hint: str,
        *,
        placeholder: str = "",
        value: str = "",
        check: Callable[[str], str | None] = lambda _text: None,
    ) -> None:
        super().__init__(classes="dialog-screen", id="change-input")
        self.title_text = title
        self.hint = hint
        self.placeholder = placeholder
        self.value = value
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.title_text), classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="change-input-field")
            yield Static(Content(self.hint), classes="dialog-hint", id="change-input-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        problem = self.check(event.value)
        if problem is not None:
            self.query_one("#change-input-hint", Static).update(Content(problem))
            self.query_one("#change-input-hint").add_class("-problem")
            return
        self.dismiss(event.value)
