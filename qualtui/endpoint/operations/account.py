"""The account: its balance."""

from __future__ import annotations

from ..errors import JSONDict
from .registry import Request, operation


@operation("GetAccountBalance")
def get_account_balance(request: Request) -> JSONDict:
    return {"AvailableBalance": request.data.balance}
