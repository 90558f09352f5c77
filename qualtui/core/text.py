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

import re

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
ONE_LINE_LIMIT = 200
TEXT_LIMIT = 2000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# LRM, RLM, ALM, the embeddings and overrides (U+202A-U+202E), the isolates (U+2066-U+2069).
_BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def printable(value: str) -> str:
    """Control and bidi characters replaced with U+FFFD; tabs and newlines kept."""
    return _BIDI.sub(REPLACEMENT, _CONTROL.sub(REPLACEMENT, value))


def cut(value: str, limit: int) -> str:
    """`value`, or its first `limit` characters and a note of how many more there were."""
    if len(value) <= limit:
        return value
    return f"{value[:limit]}… ({len(value) - limit:,} more characters)"


def one_line(value: str, limit: int = ONE_LINE_LIMIT) -> str:
    """Outside text for a one-line field: line breaks shown as ⏎, safe, cut to `limit`."""
    return cut(printable(_LINE_BREAKS.sub(" ⏎ ", value.strip())), limit)


def bounded(value: str, limit: int = TEXT_LIMIT) -> str:
    """Outside text for a multi-line field (a description, a message): safe and cut."""
    return cut(printable(value), limit)
