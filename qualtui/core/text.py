"""Making outside text safe to show.

Text from outside (service answers, history and settings files, the AWS config) is hostile
until proven otherwise:
- control characters (ESC among them) would write escape sequences to the terminal: they
  become U+FFFD;
- bidirectional controls ("Evil\\u202eDETNARG" reads as "EvilGRANTED") are neutralised the
  same way;
- a field meant to be one line (a status, a name, a title, an ID) stays one line, so a value
  such as "x\\n\\n● GRANTED" cannot draw a fake result under it;
- long text is cut, with a note saying how much was left out.
"""

from __future__ import annotations

import functools
import re

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
ONE_LINE_LIMIT = 200
TEXT_LIMIT = 2000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Line breaks among ASCII characters: what `_line_breaks` matches in ASCII text.
_ASCII_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e]+")


# The patterns with characters beyond ASCII cost ~0.1-0.2 ms each to compile: compiled on
# the first text that is not ASCII (the first frame shows ASCII text only).
@functools.cache
def _bidi() -> re.Pattern[str]:
    # LRM, RLM, ALM, the embeddings and overrides (U+202A-U+202E), the isolates (U+2066-U+2069).
    return re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


@functools.cache
def _line_breaks() -> re.Pattern[str]:
    return re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def printable(value: str) -> str:
    """Control and bidi characters replaced with U+FFFD; tabs and newlines kept."""
    value = _CONTROL.sub(REPLACEMENT, value)
    return value if value.isascii() else _bidi().sub(REPLACEMENT, value)


def cut(value: str, limit: int) -> str:
    """`value`, or its first `limit` characters and a note of how many more there were."""
    if len(value) <= limit:
        return value
    return f"{value[:limit]}… ({len(value) - limit:,} more characters)"


def one_line(value: str, limit: int = ONE_LINE_LIMIT) -> str:
    """Outside text for a one-line field: line breaks shown as ⏎, safe, cut to `limit`."""
    breaks = _ASCII_LINE_BREAKS if value.isascii() else _line_breaks()
    return cut(printable(breaks.sub(" ⏎ ", value.strip())), limit)


def bounded(value: str, limit: int = TEXT_LIMIT) -> str:
    """Outside text for a multi-line field (a description, a message): safe and cut."""
    return cut(printable(value), limit)
