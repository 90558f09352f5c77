"""The confirmation of a change: where it goes (a red PRODUCTION band there), the profile,
the type, the worker, before -> after, the reason, whether the worker is notified (a
checkbox, off by default), warnings. Enter presses the focused button: Confirm outside
Production, Cancel in Production (Tab to Confirm); Esc cancels. Dismisses with a
`Confirmed` (the notify choice) or None."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Static

from qualtui.core.changes.confirmation import Confirmation, environment_banner
from qualtui.core.text import one_line, printable
from qualtui.dialogs.dialog_screen import DialogScreen

LABEL_WIDTH = 12
NOTIFY_LABEL = "Notify the worker (SendNotification=true: an e-mail)"


@dataclass(frozen=True)
class Confirmed:
    notify: bool = False


def confirmation_content(confirmation: Confirmation, *, skip: tuple[str, ...] = ()) -> Content:
    """The lines, label then value, as plain text (values come from outside: no markup)."""
    parts: list[str | tuple[str, str]] = []
    for label, value in confirmation.all_lines():
        if label in skip or label == "Environment":
            continue
        style = "bold $text-warning" if label == "Warning" else ""
        parts += [(f"{label:<{LABEL_WIDTH}}", "$text-muted"), (one_line(printable(value)), style)]
        parts.append("\n")
    return Content.assemble(*parts).rstrip()


class ConfirmChangeScreen(DialogScreen[Confirmed | None]):
    DEFAULT_CSS = """
    #change-dialog {
        width: 84;
    }
    #change-environment {
        width: 100%;
        height: 1;
        content-align: center middle;
        text-style: bold;
        margin-bottom: 1;
    }
    #change-environment.-production {
        background: $error;
        color: $text;
    }
    #change-environment.-other {
        background: $primary-muted;
    }
    #change-lines {
        height: auto;
    }
    #change-notify {
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="confirm_change.cancel",
            tooltip="Cancel: nothing is sent",
        )
    ]

    def __init__(self, confirmation: Confirmation, confirm_label: str) -> None:
        super().__init__(classes="dialog-screen", id="confirm-change")
        self.confirmation = confirmation
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        c = self.confirmation
        with Vertical(classes="dialog", id="change-dialog"):
            band = Static(
                Content(environment_banner(c.connection)),
                id="change-environment",
                classes="-production" if c.production else "-other",
            )
            yield band
            yield Static(Content(c.question), classes="dialog-title", id="change-question")
            skip = ("Notify",) if c.notify_choice else ()
            yield Static(confirmation_content(c, skip=skip), id="change-lines")
            if c.notify_choice:
                yield Checkbox(NOTIFY_LABEL, False, id="change-notify")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(
                    self.confirm_label,
                    id="confirm",
                    variant="error" if c.production else "primary",
                )

    def on_mount(self) -> None:
        default = "#cancel" if self.confirmation.production else "#confirm"
        self.query_one(default, Button).focus()

    @property
    def notify_chosen(self) -> bool:
        boxes = self.query("#change-notify").results(Checkbox)
        return any(box.value for box in boxes)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _answer(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm":
            self.dismiss(Confirmed(notify=self.notify_chosen))
        else:
            self.dismiss(None)
