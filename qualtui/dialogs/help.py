"""F1: every key, and what the fields mean."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# qualtui

Look up whether a worker holds one of your MTurk qualifications, with what score, since when.

## Keys

| Key | What it does |
| --- | --- |
| **Enter** | Look up (in either ID field); in the history, fill the fields from the row |
| **Esc** | Cancel the lookup in progress; close a dialog |
| **F1** | This help |
| **F2** | Go to the ID fields |
| **F3** | Go to the history |
| **F4** | Go to the profile / environment pickers |
| **F5** | Pick one of your qualification types |
| **F6** | Copy the command that fixes the error shown (e.g. `aws sso login`) |
| **F7** | Batch lookup: many workers, one qualification type |
| **F8** | Workers holding the qualification type in the ID field |
| **F9** | Copy the result as text (JSON: Ctrl+P, "Copy result as JSON") |
| **Ctrl+F** | Filter the history |
| **Ctrl+P** | Command palette: every action, profiles, environments, themes |
| **Ctrl+Q** | Quit |

In the history: **r** re-runs the row, **d** deletes it, **c** clears all (asks first),
**e** exports what the filter shows, **/** filters.

## The fields

- **Qualification type ID**: the ID of a qualification type you own (letters and digits,
  usually 30). Production and sandbox IDs never overlap.
- **Worker ID**: starts with `A`, letters and digits.
- **Status**: *Granted*, or *Revoked*. "Does not hold this qualification" means the worker
  has no qualification of this type: never granted, or removed.
- **Score**: the qualification's integer value; `0` is a real score. Types without one
  show "none".
- **Locale**: a country (and subdivision) for locale-based qualifications.
- **Granted**: when it was granted, in your local time.
- **Environment**: *Production* or *Sandbox*, both in us-east-1, the only MTurk region.
- **Connection check**: when you change profile or environment, qualtui asks MTurk for the
  account balance, to catch expired sessions and unlinked accounts before a lookup.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("f1", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Markdown(HELP)
