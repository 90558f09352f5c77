"""The table of operations, filled by the `@operation(name)` decorator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..dataset import Dataset
from ..errors import JSONDict


@dataclass(frozen=True)
class Request:
    """One call as an operation sees it: the dataset, the JSON parameters, the time."""

    data: Dataset
    params: JSONDict
    now: float  # epoch seconds, from the server's clock (its stamp)


Operation = Callable[[Request], JSONDict]
OPERATIONS: dict[str, Operation] = {}


def operation(name: str) -> Callable[[Operation], Operation]:
    """Register the decorated function as the operation `name` (the X-Amz-Target suffix)."""

    def register(func: Operation) -> Operation:
        if name in OPERATIONS:
            raise ValueError(f"operation {name} is registered twice")
        OPERATIONS[name] = func
        return func

    return register
