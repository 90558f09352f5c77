"""The service's error shapes, and the millisecond stamp MTurk appends to its messages.

A `ServiceError` raised by an operation is answered as the service answers it:
`{"__type": code, "Message": message, "TurkErrorCode": ...}` with its HTTP status. A
`request_error` is MTurk's own `RequestError`, whose message ends in " (<stamp>)": the
server appends its stamp when it answers, so a server built with a fixed stamp (the
screenshots) answers the same bytes every time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

JSONDict = dict[str, Any]
Stamp = Callable[[], int]
"""The server's clock: milliseconds since the epoch, as MTurk stamps its error messages."""


def millisecond_stamp() -> int:
    """The wall clock in milliseconds: the stamp MTurk appends to its error messages."""
    return int(time.time() * 1000)


class ServiceError(Exception):
    """An error answered in the service's JSON error shape.

    With `stamped`, the answered message ends in " (<stamp>)", taken when it is answered.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 400,
        turk_error_code: str | None = None,
        message_key: str = "Message",
        stamped: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.turk_error_code = turk_error_code
        self.message_key = message_key
        self.stamped = stamped

    def body(self, stamp: int | None = None) -> JSONDict:
        message = self.message
        if self.stamped:
            message = f"{message} ({stamp if stamp is not None else millisecond_stamp()})"
        body: JSONDict = {"__type": self.code, self.message_key: message}
        if self.turk_error_code:
            body["TurkErrorCode"] = self.turk_error_code
        return body


def request_error(message: str, turk_error_code: str | None = None) -> ServiceError:
    """MTurk's RequestError: HTTP 400, the message stamped, an optional TurkErrorCode."""
    return ServiceError("RequestError", message, turk_error_code=turk_error_code, stamped=True)


def validation_error(message: str) -> ServiceError:
    """The AWS front door's ValidationException (lower-case `message`, no stamp)."""
    return ServiceError(
        "ValidationException", f"1 validation error detected: {message}", message_key="message"
    )


def serialization_error(message: str) -> ServiceError:
    """The JSON layer's answer to a value of the wrong type (before MTurk sees the call)."""
    return ServiceError("SerializationException", message)
