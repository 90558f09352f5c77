"""One change to a worker's qualification, as asked and as it turned out: plain data.

A `State` is what a worker holds of one type: `Granted` with a score, `Revoked` (the
service keeps the old score), or `NotHeld`. A `Change` records who changed what where
(profile, environment, endpoint, type, worker), the state before, the state asked for,
the reason (shown to the worker), whether the worker was notified, and the outcome:

- `done`: the service accepted it and reading back showed the state asked for;
- `failed`: the service refused it (`failure` says why) or it was never sent;
- `unknown`: the answer was lost (a read timeout, a dropped connection) or reading back
  disagreed; `checked` is what reading back found ("unknown, checked: now X").

This module imports nothing of the history (the history imports `ChangeDetails` from here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from qualtui.core.connection import Connection

ChangeKind = Literal["grant", "set", "revoke", "accept", "reject"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("grant", "set", "revoke", "accept", "reject")
Outcome = Literal["done", "failed", "unknown"]
OUTCOMES: tuple[Outcome, ...] = ("done", "failed", "unknown")
StatusName = Literal["Granted", "Revoked", "NotHeld"]
STATUSES: tuple[StatusName, ...] = ("Granted", "Revoked", "NotHeld")

WEBSITE_MIN, WEBSITE_MAX = 0, 100  # the requester website's range; the API takes any int32
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
MAX_REASON = 1000  # characters of a reason kept and sent


@dataclass(frozen=True)
class State:
    """What a worker holds of one qualification type."""

    status: StatusName
    value: int | None = None

    @property
    def held(self) -> bool:
        return self.status == "Granted"

    def text(self) -> str:
        """`87`, `revoked (was 87)`, `not held`: how before and after are shown."""
        if self.status == "NotHeld":
            return "not held"
        if self.status == "Revoked":
            return "revoked" + (f" (was {self.value})" if self.value is not None else "")
        return str(self.value) if self.value is not None else "granted"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"Status": self.status}
        if self.value is not None:
            data["IntegerValue"] = self.value
        return data

    @classmethod
    def from_json(cls, raw: object) -> State:
        if not isinstance(raw, Mapping):
            raise ValueError("state is not an object")
        status = raw.get("Status")
        if status not in STATUSES:
            raise ValueError("state has no known Status")
        value = raw.get("IntegerValue")
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ValueError("IntegerValue is not an integer")
        return cls(status, value)


NOT_HELD = State("NotHeld")


def granted(value: int) -> State:
    return State("Granted", value)


def score_warnings(value: int | None) -> tuple[str, ...]:
    """Why a score is unusual: outside the website's 0-100 (allowed, but flagged)."""
    if value is None or WEBSITE_MIN <= value <= WEBSITE_MAX:
        return ()
    return (f"Score {value} is outside 0-100: the API takes it, the requester website does not.",)


@dataclass(frozen=True)
class ChangeFailure:
    """Why a change failed (or why its outcome is unknown): the explained failure's kind
    and title, and what the service said."""

    kind: str
    title: str = ""
    code: str | None = None
    turk_error_code: str | None = None
    message: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "code": self.code,
            "turk_error_code": self.turk_error_code,
            "message": self.message,
        }

    @classmethod
    def from_json(cls, raw: object) -> ChangeFailure:
        if not isinstance(raw, Mapping):
            raise ValueError("change failure is not an object")
        return cls(
            _text(raw, "kind", required=True) or "",
            _text(raw, "title") or "",
            _text(raw, "code"),
            _text(raw, "turk_error_code"),
            _text(raw, "message"),
        )


@dataclass(frozen=True)
class ChangeDetails:
    """The change-specific part of a recorded change (the history entry's `change` field);
    the entry itself holds the time, profile, environment, endpoint, type, worker and run."""

    kind: ChangeKind
    before: State | None
    after: State
    outcome: Outcome
    notified: bool = False
    reason: str | None = None
    checked: State | None = None
    failure: ChangeFailure | None = None
    warnings: tuple[str, ...] = ()
    request_id: str | None = None
    undoes: str | None = None

    @property
    def summary(self) -> str:
        """`grant done`, `set unknown`, ...: the words a history filter matches."""
        return f"{self.kind} {self.outcome}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "before": self.before.to_json() if self.before is not None else None,
            "after": self.after.to_json(),
            "outcome": self.outcome,
            "notified": self.notified,
        }
        if self.reason is not None:
            data["reason"] = self.reason
        if self.checked is not None:
            data["checked"] = self.checked.to_json()
        if self.failure is not None:
            data["failure"] = self.failure.to_json()
        if self.warnings:
            data["warnings"] = list(self.warnings)
        if self.request_id is not None:
            data["request_id"] = self.request_id
        if self.undoes is not None:
            data["undoes"] = self.undoes
        return data

    @classmethod
    def from_json(cls, raw: object) -> ChangeDetails:
        """Raises ValueError on anything malformed."""
        if not isinstance(raw, Mapping):
            raise ValueError("change is not an object")
        kind = raw.get("kind")
        if kind not in CHANGE_KINDS:
            raise ValueError("change has no known kind")
        outcome = raw.get("outcome")
        if outcome not in OUTCOMES:
            raise ValueError("change has no known outcome")
        before = raw.get("before")
        checked = raw.get("checked")
        failure = raw.get("failure")
        warnings = raw.get("warnings", [])
        if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
            raise ValueError("warnings is not a list of texts")
        notified = raw.get("notified", False)
        if not isinstance(notified, bool):
            raise ValueError("notified is not true or false")
        return cls(
            kind=kind,
            before=State.from_json(before) if before is not None else None,
            after=State.from_json(raw.get("after")),
            outcome=outcome,
            notified=notified,
            reason=_text(raw, "reason"),
            checked=State.from_json(checked) if checked is not None else None,
            failure=ChangeFailure.from_json(failure) if failure is not None else None,
            warnings=tuple(warnings),
            request_id=_text(raw, "request_id"),
            undoes=_text(raw, "undoes"),
        )


def _text(raw: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value):
        raise ValueError(f"{key} is not a text")
    value.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError, a ValueError
    return value


@dataclass(frozen=True)
class Change:
    """One change as recorded: who changed what where, and how it turned out. `endpoint_url`
    is where the call went (without any user:password part)."""

    id: str
    time: datetime
    connection: Connection
    qualification_type_id: str
    worker_id: str
    details: ChangeDetails
    qualification_type_name: str | None = None
    endpoint_url: str | None = None
    run_id: str | None = None

    @property
    def kind(self) -> ChangeKind:
        return self.details.kind

    @property
    def before(self) -> State | None:
        return self.details.before

    @property
    def after(self) -> State:
        return self.details.after

    @property
    def outcome(self) -> Outcome:
        return self.details.outcome

    @property
    def checked(self) -> State | None:
        return self.details.checked

    @property
    def succeeded(self) -> bool:
        """Applied and verified: done, or an unknown answer whose check shows the state
        asked for."""
        details = self.details
        if details.outcome == "done":
            return True
        return details.outcome == "unknown" and _same(details.checked, details.after)

    def outcome_text(self) -> str:
        """`done`, `failed: <why>`, `unknown, checked: now 80`."""
        details = self.details
        if details.outcome == "done":
            return "done"
        if details.outcome == "failed":
            why = details.failure.title if details.failure else ""
            return f"failed: {why}" if why else "failed"
        now = details.checked.text() if details.checked is not None else "could not read"
        return f"unknown, checked: now {now}"


def reached(state: State | None, wanted: State) -> bool:
    """Whether `state` is the state asked for (a revoke asks only for the status)."""
    return _same(state, wanted)


def _same(state: State | None, wanted: State) -> bool:
    """Whether `state` is the state asked for (a revoke asks only for the status)."""
    if state is None or state.status != wanted.status:
        return False
    return wanted.status != "Granted" or wanted.value is None or state.value == wanted.value
