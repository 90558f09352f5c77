"""One remembered lookup (`HistoryEntry`, `ErrorSummary`) and its JSON codec.

Entries hold no credentials: only the profile's name, the environment, the endpoint, the two
IDs and the outcome. `from_json` raises ValueError (or TypeError) on anything malformed,
including what JSON allows but qualtui cannot use: a text with a lone surrogate (it cannot be
written back as UTF-8) and a time outside the years 1900 to 9000 (it cannot be shown in every
time zone). `to_json` never writes what `from_json` would refuse, so every saved entry reads
back.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from qualtui.core.connection import Connection
from qualtui.core.models import Locale, LookupResult, Qualification, qualification_fields

if TYPE_CHECKING:
    from qualtui.core.changes.change import ChangeDetails


@dataclass(frozen=True, slots=True)
class ErrorSummary:
    kind: str
    code: str | None = None
    turk_error_code: str | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class ProfileNote:
    """A worker profile as remembered: how many owned types, how many held (Granted) and
    revoked. A history item with one is a profile (its `qualification_type_id` is empty)."""

    types: int
    held: int
    revoked: int = 0

    @property
    def text(self) -> str:
        return f"holds {self.held} of {self.types}"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One lookup as remembered. `time` is UTC."""

    id: str
    time: datetime
    profile: str | None
    environment: str
    region: str
    qualification_type_id: str
    worker_id: str
    endpoint_url: str | None = None
    qualification: Qualification | None = None
    error: ErrorSummary | None = None
    qualification_type_name: str | None = None
    run_id: str | None = None
    """None for an interactive lookup; one id shared by every entry of a batch or scripted run."""
    change: ChangeDetails | None = None
    """Set when the entry records a change (grant, set, revoke, accept, reject), not a lookup:
    `qualification` is then the state read back after it, `error` why it failed."""
    worker_profile: ProfileNote | None = None
    """A worker profile (every owned type looked up for `worker_id`), not one lookup."""

    @classmethod
    def from_result(cls, result: LookupResult, type_name: str | None = None) -> HistoryEntry:
        request = result.request
        failure = result.failure
        return cls(
            id=uuid.uuid4().hex,
            time=_to_millisecond(result.finished_at),
            profile=request.connection.profile,
            environment=request.connection.environment,
            region=request.connection.region,
            # Where the call really went (an AWS_ENDPOINT_URL redirect included), never
            # with a user:password part.
            endpoint_url=result.endpoint_url or request.connection.shown_endpoint,
            qualification_type_id=request.qualification_type_id,
            worker_id=request.worker_id,
            qualification=result.qualification,
            qualification_type_name=type_name or None,
            error=(
                ErrorSummary(failure.kind, failure.code, failure.turk_error_code, failure.message)
                if failure
                else None
            ),
        )

    @classmethod
    def for_profile(
        cls, connection: Connection, worker_id: str, note: ProfileNote, finished_at: datetime
    ) -> HistoryEntry:
        """One history item for a whole worker profile."""
        return cls(
            id=uuid.uuid4().hex,
            time=_to_millisecond(finished_at),
            profile=connection.profile,
            environment=connection.environment,
            region=connection.region,
            endpoint_url=connection.endpoint_url,
            qualification_type_id="",
            worker_id=worker_id,
            worker_profile=note,
        )

    @property
    def outcome(self) -> str:
        """A short word for the table: the status, or the error's kind (for a change: its
        kind and outcome, e.g. `grant done`; for a worker profile: `profile`)."""
        if self.change is not None:
            return self.change.summary
        if self.worker_profile is not None:
            return "profile"
        if self.qualification is not None:
            return self.qualification.status
        return self.error.kind if self.error else "unknown"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "time": _iso(self.time, "milliseconds"),
            "profile": self.profile,
            "environment": self.environment,
            "region": self.region,
            "endpoint_url": self.endpoint_url,
            "qualification_type_id": self.qualification_type_id,
            "worker_id": self.worker_id,
        }
        if self.qualification_type_name:
            data["qualification_type_name"] = self.qualification_type_name
        if self.run_id:
            data["run_id"] = self.run_id
        if self.worker_profile is not None:
            note = self.worker_profile
            data["worker_profile"] = {
                "types": note.types,
                "held": note.held,
                "revoked": note.revoked,
            }
        q = self.qualification
        if q is not None:
            if q.grant_time is not None and not _in_range(q.grant_time):
                q = replace(q, grant_time=None)  # a service's odd time: unknown, not damage
            data["qualification"] = qualification_fields(q, _iso)
        if self.error is not None:
            data["error"] = {
                "kind": self.error.kind,
                "code": self.error.code,
                "turk_error_code": self.error.turk_error_code,
                "message": self.error.message,
            }
        if self.change is not None:
            data["change"] = self.change.to_json()
        return data

    @classmethod
    def from_json(cls, raw: object) -> HistoryEntry:
        """Parse one entry; raises ValueError (or TypeError) on anything malformed."""
        if not isinstance(raw, dict):
            raise ValueError("entry is not an object")
        qualification = None
        q = raw.get("qualification")
        if q is not None:
            if not isinstance(q, dict):
                raise ValueError("qualification is not an object")
            locale = None
            lv = q.get("LocaleValue")
            if lv is not None:
                if not isinstance(lv, dict):
                    raise ValueError("LocaleValue is not an object")
                locale = Locale(_str(lv, "Country"), _opt_str(lv, "Subdivision"))
            value = q.get("IntegerValue")
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValueError("IntegerValue is not an integer")
            grant = _opt_str(q, "GrantTime")
            qualification = Qualification(
                qualification_type_id=_str(raw, "qualification_type_id"),
                worker_id=_str(raw, "worker_id"),
                status=_str(q, "Status"),
                grant_time=_parse_time(grant) if grant else None,
                integer_value=value,
                locale=locale,
            )
        error = None
        e = raw.get("error")
        if e is not None:
            if not isinstance(e, dict):
                raise ValueError("error is not an object")
            error = ErrorSummary(
                _str(e, "kind"),
                _opt_str(e, "code"),
                _opt_str(e, "turk_error_code"),
                _opt_str(e, "message"),
            )
        note = profile_note(raw.get("worker_profile"))
        return cls(
            id=_str(raw, "id"),
            time=_parse_time(_str(raw, "time")),
            profile=_opt_str(raw, "profile"),
            environment=_str(raw, "environment"),
            region=_str(raw, "region"),
            endpoint_url=_opt_str(raw, "endpoint_url"),
            qualification_type_id=(
                _opt_str(raw, "qualification_type_id") or ""
                if note is not None
                else _str(raw, "qualification_type_id")
            ),
            worker_id=_str(raw, "worker_id"),
            qualification=qualification,
            error=error,
            qualification_type_name=_opt_str(raw, "qualification_type_name") or None,
            run_id=_opt_str(raw, "run_id") or None,
            change=change_details(raw["change"]) if raw.get("change") else None,
            worker_profile=note,
        )


def change_details(raw: object) -> ChangeDetails:
    """An entry's `change` field read; the changes' module is imported by the first entry
    that records a change (a history of lookups alone, as most are, does without: 3.7 ms
    of the way to the complete frame)."""
    from qualtui.core.changes.change import ChangeDetails

    return ChangeDetails.from_json(raw)


def profile_note(raw: object) -> ProfileNote | None:
    """The `worker_profile` field: absent, or three counts (ValueError when malformed)."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValueError("worker_profile is not an object")
    counts = []
    for key in ("types", "held", "revoked"):
        value = raw.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"worker_profile.{key} is not a count")
        counts.append(value)
    return ProfileNote(*counts)


# Times outside these years cannot be converted to every time zone (year 1 or 9999 shown
# in a non-UTC zone overflows), and no lookup happened or will happen there.
MIN_YEAR, MAX_YEAR = 1900, 9000
_EARLIEST = datetime(MIN_YEAR, 1, 1, tzinfo=timezone.utc)
_LATEST = datetime(MAX_YEAR, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
_EARLIEST_WALL, _LATEST_WALL = _EARLIEST.replace(tzinfo=None), _LATEST.replace(tzinfo=None)
_NO_OFFSET = timedelta(0)


def _in_range(moment: datetime) -> bool:
    return _EARLIEST <= moment <= _LATEST


def _to_millisecond(moment: datetime) -> datetime:
    """UTC, to the millisecond, within the years kept: what the file keeps, so memory and
    file agree (a clock set to an odd year gives the nearest time the file can hold)."""
    utc = min(max(moment.astimezone(timezone.utc), _EARLIEST), _LATEST)
    return utc.replace(microsecond=utc.microsecond // 1000 * 1000)


def _iso(moment: datetime, timespec: str = "seconds") -> str:
    utc = moment.astimezone(timezone.utc)
    return utc.isoformat(timespec=timespec).replace("+00:00", "Z")


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("time has no time zone")
    return to_utc_in_range(moment)


def to_utc_in_range(moment: datetime) -> datetime:
    """An aware time in UTC; ValueError when it lies outside the years MIN_YEAR-MAX_YEAR."""
    if moment.tzinfo is timezone.utc:  # what the file holds: no conversion needed
        if _EARLIEST <= moment <= _LATEST:
            return moment
        raise ValueError(f"time is outside the years {MIN_YEAR} to {MAX_YEAR}")
    offset = moment.utcoffset() or _NO_OFFSET
    wall = moment.replace(tzinfo=None)
    # compare the wall time with the bounds moved by the offset: converting year 1 or 9999
    # to UTC first can overflow
    if not _EARLIEST_WALL + offset <= wall <= _LATEST_WALL + offset:
        raise ValueError(f"time is outside the years {MIN_YEAR} to {MAX_YEAR}")
    return moment.astimezone(timezone.utc)


def _text(value: str, key: str) -> str:
    """`value`, if it can be written back as UTF-8 (JSON allows lone surrogates; files don't)."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{key} holds a lone surrogate") from None
    return value


def _str(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key} is missing or not a string")
    return _text(value, key)


def _opt_str(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key} is not a string")
    return _text(value, key)
