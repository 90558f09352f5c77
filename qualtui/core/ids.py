"""Normalising and validating MTurk IDs against the service model, before anything is sent.

botocore checks only the minimum length of these IDs, so a malformed one would otherwise
reach the service. The patterns are the service model's: QualificationTypeId is an EntityId
(`^[A-Z0-9]+$`, 1-64) and WorkerId a CustomerId (`^A[A-Z0-9]+$`, 1-64).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

MAX_LENGTH = 64
_ALLOWED = re.compile(r"[A-Z0-9]")


class IdKind(NamedTuple):
    label: str
    pattern: re.Pattern[str]
    prefix: str = ""


QUALIFICATION_TYPE_ID = IdKind("Qualification type ID", re.compile(r"^[A-Z0-9]{1,64}$"))
WORKER_ID = IdKind("Worker ID", re.compile(r"^A[A-Z0-9]{0,63}$"), prefix="A")


# Invisible characters that copying from web pages, chats and spreadsheets brings along.
INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff")


@functools.cache
def _invisible() -> re.Pattern[str]:
    """Compiled on first use (~0.2 ms: not before the first frame)."""
    return re.compile("[" + "".join(sorted(INVISIBLE)) + "]")


_CHARACTER_NAMES = {
    " ": "a space",
    "\t": "a tab",
    "\n": "a line break",
    "-": "a hyphen '-'",
    "_": "an underscore '_'",
    ".": "a full stop '.'",
    ",": "a comma ','",
    ":": "a colon ':'",
    ";": "a semicolon ';'",
    "/": "a slash '/'",
    "'": 'a quote "\'"',
    '"': "a double quote '\"'",
}


def without_invisible(raw: str) -> str:
    """`raw` in NFKC form (full-width digits and letters become ASCII, a no-break space a
    space) without zero-width and other invisible characters."""
    return _invisible().sub("", unicodedata.normalize("NFKC", raw))


def normalize(raw: str) -> str:
    """Clean (see `without_invisible`), strip surrounding whitespace and uppercase: pasted
    IDs often carry all three."""
    return without_invisible(raw).strip().upper()


def character_in_words(char: str) -> str:
    """A character as a person reads it: "a space", "a hyphen '-'", "'É' (U+00C9)"."""
    if char in _CHARACTER_NAMES:
        return _CHARACTER_NAMES[char]
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "").lower()
    if char.isspace():
        return f"a space ({code} {name})" if name else f"a space ({code})"
    if char.isprintable():
        return f"{char!r} ({code} {name})" if name else f"{char!r} ({code})"
    return f"an invisible character ({code} {name})" if name else f"a control character ({code})"


class Problem(NamedTuple):
    """What is wrong with an ID: `short` fits a field's border, `full` is the sentence."""

    short: str
    full: str


def explain(kind: IdKind, value: str) -> Problem | None:
    """What is wrong with an already normalised ID, in plain words; None when it is valid."""
    if not value:
        label = kind.label if kind.label[1:2].isupper() else kind.label[0].lower() + kind.label[1:]
        text = f"Enter a {label}."  # "a worker ID", but "a HIT ID"
        return Problem(text, text)
    for position, char in enumerate(value, start=1):
        if not _ALLOWED.fullmatch(char):
            where = f"{character_in_words(char)} at position {position}"
            return Problem(where, f"Only letters A-Z and digits 0-9: {where}.")
    if kind.prefix and not value.startswith(kind.prefix):
        text = f"{kind.label}s start with {kind.prefix!r}."
        return Problem(text, text)
    if len(value) > MAX_LENGTH:
        return Problem(
            f"{len(value)} characters: at most {MAX_LENGTH}",
            f"At most {MAX_LENGTH} characters; this has {len(value)}.",
        )
    return None


def problem(kind: IdKind, value: str) -> str | None:
    """What is wrong with an already normalised ID, in a sentence; None when it is valid."""
    found = explain(kind, value)
    return found.full if found else None


def is_valid(kind: IdKind, value: str) -> bool:
    return problem(kind, value) is None
