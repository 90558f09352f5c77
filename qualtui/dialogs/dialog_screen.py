"""What every modal dialog shares: the dimmed screen with the dialog in its middle, and the
look of the parts dialogs are made of (classes `dialog`, `dialog-title`, `dialog-hint`,
`dialog-row`, `dialog-buttons`).

The rules live here, not in the app's stylesheet, so they are parsed when the first dialog
opens, not before the first frame (#15). Being a class's DEFAULT_CSS, they rank below the
app's stylesheet and above the widgets' own rules only by specificity (and, at equal
specificity, by depth in the class hierarchy): each rule here is at least as specific as the
Textual rule it overrides."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class DialogScreen(ModalScreen[ResultType]):
    """A modal dialog: its screen has the class `dialog-screen`, its box the class `dialog`."""

    DEFAULT_CSS = """
    /* The class as well: as specific as ModalScreen's and Screen's own :ansi rules. */
    DialogScreen.dialog-screen {
        align: center middle;
        background: $background 60%;
    }
    .dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        padding: 1 2;
        border: round $border;
        background: $surface;
    }
    .dialog-title {
        text-style: bold;
        margin-bottom: 1;
    }
    .dialog-hint {
        color: $text-muted;
    }
    .dialog-row {
        height: auto;
    }
    .dialog-row Input {
        width: 1fr;
    }
    .dialog-row Select {
        width: 12;
    }
    .dialog-buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    .dialog-buttons Button {
        margin-left: 2;
    }
    """
