"""The connection check: one GetAccountBalance call, to learn before the first lookup that a
profile's credentials, the environment and the account link work. Blocking: run in a thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

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

    @property
    def ok(self) -> bool:
        return self.failure is None


def format_balance(raw: str) -> str:
    """'1742.5' -> '$1,742.50'; text that is not a number is returned as it came."""
    try:
        return f"${Decimal(raw):,.2f}"
    except (InvalidOperation, ValueError):
        return raw


def check_account(clients: ClientCache, connection: Connection) -> AccountCheck:
    """Call GetAccountBalance. Never raises: a failure comes back explained."""
    started = time.perf_counter()
    try:
        response = clients.client(connection).get_account_balance()
        raw = response.get("AvailableBalance")
        if not isinstance(raw, str):
            raise errors.MalformedResponse("no AvailableBalance in the answer")
        balance = format_balance(raw)
        return AccountCheck(connection, balance=balance, elapsed=time.perf_counter() - started)
    except Exception as exc:
        failure = failure_of(clients, connection, exc)
        return AccountCheck(connection, failure=failure, elapsed=time.perf_counter() - started)
