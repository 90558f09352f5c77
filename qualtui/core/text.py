"""Making outside text safe to show: no control characters, so no escape sequences."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(value: str) -> str:
    """Replace control characters (ESC among them) with U+FFFD; keep tabs and newlines."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", value)
