"""The connection check: one GetAccountBalance call, to learn before the first lookup that a
profile's credentials, the environment and the account link work. Blocking: run in a thread.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from decimal import Decimal

from qualtui.core import errors
from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.errors import failure_of
from qualtui.core.models import Failure


@dataclass(frozen=True)
class AccountCheck:
    """Exactly one of `balance` and `failure` is set."""

    connection: Connection
    balance: str | None = None
    failure: Failure | None = None
    elapsed: float = 0.0
    endpoint_url: str | None = None  # where the check went, as botocore resolved it

    @property
    def ok(self) -> bool:
        return self.failure is None


# A balance as the service writes it: a plain decimal, bounded. Anything else (an exponent
# such as "1e999999999", which Decimal would happily expand into a billion digits, a
# thousand digits, text) is not a balance.
_BALANCE = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,6})?")


def format_balance(raw: str) -> str:
    """'1742.5' -> '$1,742.50'. Raises MalformedResponse for anything but a plain amount."""
    if not _BALANCE.fullmatch(raw):
        raise errors.MalformedResponse("AvailableBalance is not an amount")
    return f"${Decimal(raw):,.2f}"


def check_account(clients: ClientCache, connection: Connection) -> AccountCheck:
    """Call GetAccountBalance once, with short timeouts (a verdict within about five
    seconds, even from an endpoint that accepts and never answers). Never raises: a failure
    comes back explained."""
    started = time.perf_counter()
    try:
        response = clients.check_client(connection).get_account_balance()
        raw = response.get("AvailableBalance")
        if not isinstance(raw, str):
            raise errors.MalformedResponse("no AvailableBalance in the answer")
        balance = format_balance(raw)
        return AccountCheck(
            connection,
            balance=balance,
            elapsed=time.perf_counter() - started,
            endpoint_url=clients.endpoint_url(connection),
        )
    except Exception as exc:
        failure = failure_of(clients, connection, exc)
        return AccountCheck(
            connection,
            failure=failure,
            elapsed=time.perf_counter() - started,
            endpoint_url=clients.endpoint_url(connection),
        )
