"""F1: every key, and what the fields mean."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from qualtui.dialogs.dialog_screen import DialogScreen

KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "escape": "Esc",
    "enter": "Enter",
    "delete": "Del",
    "backspace": "Backspace",
    "home": "Home",
    "end": "End",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "super": "Super",
}
KEY_WIDTH = 16


def key_label(key: str) -> str:
    """'ctrl+f' -> 'Ctrl+F', 'slash' -> '/', 'f2' -> 'F2'."""
    parts = key.strip().split("+")
    shown = []
    for part in parts:
        if part in KEY_NAMES:
            shown.append(KEY_NAMES[part])
        elif len(part) == 1 and len(parts) == 1:
            shown.append(part)  # a letter key: as typed
        else:
            shown.append(part[:1].upper() + part[1:])
    return "+".join(shown)


@dataclass(frozen=True)
class KeySection:
    """A view's keys: (key, what it does), read from its bindings by the caller."""

    title: str
    keys: tuple[tuple[str, str], ...]


def render_keys(sections: Sequence[KeySection]) -> Content:
    """One line per key: the key in a column, what it does beside it."""
    parts: list[str | tuple[str, str]] = []
    for section in sections:
        if parts:
            parts.append("\n")
        parts += [(section.title, "bold $text-accent"), "\n"]
        for key, what in section.keys:
            parts += [(f"  {key:<{KEY_WIDTH - 3}} ", "bold"), what, "\n"]
    return Content.assemble(*parts).rstrip()


FIELDS = """\
## The fields

- **Qualification type ID**: the ID of a qualification type you own (letters and digits,
  usually 30). Production and sandbox IDs never overlap.
- **Worker ID**: starts with `A`, letters and digits.
- **Status**: *Granted*, or *Revoked*. "Does not hold this qualification" means the worker
  has no qualification of this type: never granted, or removed.
- **Score**: the qualification's integer value; `0` is a real score. Types without one
  show "none".
- **Locale**: an ISO 3166 country code (shown with its name) and, optionally, an ISO 3166-2
  subdivision, e.g. `US-WA` (United States, Washington), for locale-based qualifications.
- **Granted**: when it was granted, in your local time (GrantTime). After a re-grant through
  a qualification request, it is the time of the last AcceptQualificationRequest.
- **Who can read it**: only the owner of a qualification type can read its scores; another
  requester's type looks like a type that does not exist.
- **Environment**: *Production* or *Sandbox*, both in us-east-1, the only MTurk region.
- **Connection check**: when you change profile or environment, qualtui asks MTurk for the
  account balance, to catch expired sessions and unlinked accounts before a lookup.
"""


class HelpScreen(DialogScreen[None]):
    """F1: the keys of every view (generated from their bindings), then the fields."""

    DEFAULT_CSS = """
    #help {
        width: 90;
        height: 90%;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("f1", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def __init__(self, sections: Sequence[KeySection]) -> None:
        super().__init__(classes="dialog-screen")
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(
                "qualtui: whether a worker holds one of your MTurk qualifications, "
                "with what score, since when.",
                id="help-intro",
                markup=False,
            )
            yield Static(render_keys(self.sections), id="help-keys")
            yield Markdown(FIELDS)
