"""A score as typed: `90` sets it, `+5` raises and `-5` lowers it by 5, `=-5` sets exactly
-5. The same rule on the command line (`qualtui set`) and in the TUI."""

from __future__ import annotations

from typing import Literal

from qualtui.core.changes.change import INT32_MAX, INT32_MIN

ScoreHow = Literal["set", "delta"]


def parse_score(text: str) -> tuple[ScoreHow, int] | str:
    """(`set`, value) or (`delta`, N); else what is wrong, in words."""
    raw = text.strip()
    how: ScoreHow = "set"
    if raw.startswith("="):
        raw = raw[1:]
    elif raw.startswith(("+", "-")):
        how = "delta"
    try:
        value = int(raw, 10)
    except ValueError:
        return f"not a score: {text!r} (a whole number; +N or -N to raise or lower)"
    if not INT32_MIN <= value <= INT32_MAX:
        return f"not a 32-bit integer: {text!r}"
    return how, value


def parse_bulk(text: str) -> tuple[int | None, int | None, str | None] | str:
    """What to do to every worker of a list: `80` sets all to 80, `+5` / `-5` raises or
    lowers all, `revoke` (or `revoke: REASON`) revokes all. (score, delta, revoke reason
    or "" for a revoke without one); else what is wrong, in words."""
    raw = text.strip()
    if raw.lower().startswith("revoke"):
        rest = raw[len("revoke") :].strip()
        if rest.startswith(":"):
            rest = rest[1:].strip()
        return None, None, rest
    parsed = parse_score(raw)
    if isinstance(parsed, str):
        return parsed + "; or revoke, or revoke: REASON"
    how, value = parsed
    return (value, None, None) if how == "set" else (None, value, None)
