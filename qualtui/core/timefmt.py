"""Times as a person reads them: local time zone, and how long ago."""

from __future__ import annotations

from datetime import datetime, timezone

_UNITS = (
    (365 * 86400, "year"),
    (30 * 86400, "month"),
    (7 * 86400, "week"),
    (86400, "day"),
    (3600, "hour"),
    (60, "minute"),
)


def utc_now() -> datetime:
    """The real clock, in UTC: the default wherever a clock can be passed in."""
    return datetime.now(timezone.utc)


def local(moment: datetime) -> str:
    """e.g. `2026-10-02 17:42 CEST`, in this machine's time zone."""
    shown = moment.astimezone()
    return f"{shown:%Y-%m-%d %H:%M} {shown.tzname() or ''}".rstrip()


def ago(moment: datetime, now: datetime) -> str:
    seconds = int((now - moment).total_seconds())
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "just now"
    size, unit = next((size, unit) for size, unit in _UNITS if seconds >= size)
    count = seconds // size
    text = f"{count} {unit}{'s' if count != 1 else ''}"
    return f"in {text}" if future else f"{text} ago"
