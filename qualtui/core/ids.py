"""Normalising and validating MTurk IDs against the service model, before anything is sent.

botocore checks only the minimum length of these IDs, so a malformed one would otherwise
reach the service. The patterns are the service model's: QualificationTypeId is an EntityId
(`^[A-Z0-9]+$`, 1-64) and WorkerId a CustomerId (`^A[A-Z0-9]+$`, 1-64).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LENGTH = 64
_ALLOWED = re.compile(r"[A-Z0-9]")


@dataclass(frozen=True)
class IdKind:
    label: str
    pattern: re.Pattern[str]
    prefix: str = ""


QUALIFICATION_TYPE_ID = IdKind("Qualification type ID", re.compile(r"^[A-Z0-9]{1,64}$"))
WORKER_ID = IdKind("Worker ID", re.compile(r"^A[A-Z0-9]{0,63}$"), prefix="A")


def normalize(raw: str) -> str:
    """Strip surrounding whitespace and uppercase: pasted IDs often carry both."""
    return raw.strip().upper()


def problem(kind: IdKind, value: str) -> str | None:
    """What is wrong with an already normalised ID, in words; None when it is valid."""
    if not value:
        label = kind.label if kind.label[1:2].isupper() else kind.label[0].lower() + kind.label[1:]
        return f"Enter a {label}."  # "a worker ID", but "a HIT ID"
    for position, char in enumerate(value, start=1):
        if not _ALLOWED.fullmatch(char):
            visible = char.isprintable() and not char.isspace()
            shown = repr(char) if visible else f"U+{ord(char):04X}"
            return f"Only letters A-Z and digits 0-9: {shown} at position {position}."
    if kind.prefix and not value.startswith(kind.prefix):
        return f"{kind.label}s start with {kind.prefix!r}."
    if len(value) > MAX_LENGTH:
        return f"At most {MAX_LENGTH} characters; this has {len(value)}."
    return None


def is_valid(kind: IdKind, value: str) -> bool:
    return problem(kind, value) is None
