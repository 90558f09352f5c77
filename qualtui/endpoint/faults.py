"""Fault injection: ways for the endpoint to misbehave on purpose, per operation or worker."""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

FaultKind = Literal[
    "latency",
    "throttle",
    "service_fault",
    "http_error",
    "drop",
    "malformed",
    "error",
    "repeat_token",  # a listing answers, but its NextToken is the one the call sent
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)
MAX_DELAY = 600.0  # seconds: a latency fault longer than this is a mistake, not a test


@dataclass
class Fault:
    """One way to misbehave, for the calls it matches.

    A call matches when `operation` and `worker_id` (each None for any) match, while fewer
    than `times` matching calls have been hit (None for no limit), with probability `rate`.
    Latency faults add up and the call goes on; the first other matching fault answers it.
    A delay is a finite number of seconds from 0 to MAX_DELAY (ValueError otherwise).
    `release` (tests only): a latency fault holds the call until this event is set (at most
    `delay` seconds), so a test decides when the answer comes instead of racing a clock.
    """

    kind: FaultKind
    operation: str | None = None
    worker_id: str | None = None
    times: int | None = None
    rate: float = 1.0
    delay: float = 0.0
    delay_max: float | None = None
    status: int = 503
    code: str = "RequestError"
    message: str = "Injected error"
    turk_error_code: str | None = None
    hits: int = 0
    release: threading.Event | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name, value in (("delay", self.delay), ("delay_max", self.delay_max)):
            if value is not None and not _valid_delay(value):
                raise ValueError(
                    f"{name} must be a number of seconds from 0 to {MAX_DELAY:g}, not {value!r}"
                )
        if self.delay_max is not None and self.delay_max < self.delay:
            raise ValueError(f"delay_max ({self.delay_max}) is less than delay ({self.delay})")

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """A fault from `KIND[:key=value,...]`, as the demo-server's --fault flag takes it.

        Keys: op, worker, times, rate, delay (seconds, or a range "0.1-0.5"; at most 600),
        status, code, turk-code and message, which must come last (it may contain commas).
        Raises ValueError with a message that says what is wrong.
        """
        kind, _, rest = spec.partition(":")
        kind = kind.strip().replace("-", "_")
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}: use one of {', '.join(FAULT_KINDS)}")
        values: dict[str, Any] = {}
        while rest:
            item, _, after = rest.partition(",")
            key, eq, value = item.partition("=")
            key = key.strip()
            if key == "message":
                value = (value + "," + after) if after else value
                after = ""
            if not eq or not value.strip():
                raise ValueError(f"expected key=value in {spec!r}, got {item!r}")
            values.update(_fault_option(key, value.strip()))
            rest = after
        if kind == "latency" and "delay" not in values:
            raise ValueError("a latency fault needs delay=SECONDS (or delay=MIN-MAX)")
        return cls(kind, **values)  # type: ignore[arg-type]

    def matches(self, operation: str, params: Mapping[str, Any], rng: random.Random) -> bool:
        if self.operation is not None and self.operation != operation:
            return False
        if self.worker_id is not None and params.get("WorkerId") != self.worker_id:
            return False
        if self.times is not None and self.hits >= self.times:
            return False
        if self.rate < 1.0 and rng.random() >= self.rate:
            return False
        self.hits += 1
        return True

    def sleep_time(self, rng: random.Random) -> float:
        if self.delay_max is None:
            return self.delay
        return rng.uniform(self.delay, self.delay_max)


def _valid_delay(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and 0 <= value <= MAX_DELAY


def _fault_option(key: str, value: str) -> dict[str, Any]:
    if key == "delay":
        return _delay_option(value)
    try:
        if key in ("op", "operation"):
            return {"operation": value}
        if key == "worker":
            return {"worker_id": value}
        if key == "times":
            times = int(value)
            if times < 1:
                raise ValueError
            return {"times": times}
        if key == "rate":
            rate = float(value)
            if not 0 < rate <= 1:
                raise ValueError
            return {"rate": rate}
        if key == "status":
            status = int(value)
            if not 400 <= status <= 599:
                raise ValueError
            return {"status": status}
        if key == "code":
            return {"code": value}
        if key == "turk-code":
            return {"turk_error_code": value}
        if key == "message":
            return {"message": value}
    except ValueError:
        raise ValueError(f"bad value for {key}: {value!r}") from None
    raise ValueError(
        f"unknown fault option {key!r}: use op, worker, times, rate, delay, status, code, "
        "turk-code or message"
    )


def _delay_option(value: str) -> dict[str, Any]:
    low, dash, high = value.partition("-")
    try:
        delay = float(low)
        delay_max = float(high) if dash else None
    except ValueError:
        raise ValueError(f"bad value for delay: {value!r} (seconds, or MIN-MAX)") from None
    for number in (delay, delay_max):
        if number is not None and not _valid_delay(number):
            raise ValueError(
                f"bad value for delay: {value!r} (a number of seconds from 0 to {MAX_DELAY:g})"
            )
    if delay_max is not None and delay_max < delay:
        raise ValueError(f"bad value for delay: {value!r} (MAX is less than MIN)")
    return {"delay": delay, "delay_max": delay_max}
