"""The operations the endpoint answers, one registry filled by a decorator.

Adding an operation is a one-file change: write a function that takes a `Request` and
returns the answer's JSON object, decorated with `@operation("OperationName")`, in the
module of this package where it belongs (or in a new module: every module of this package
is imported here, so a new one registers itself). The server looks the name of the
`X-Amz-Target` up in `OPERATIONS`, so fault injection (`Fault(operation=...)`) and the call
log work for it at once.

An operation raises `ServiceError` (see `..errors`) for the service's error answers; it runs
under the dataset's lock, so it may read and change the dataset freely.

Modules: `qualifications` (scores, types, holders), `account` (balance), `grants`
(associate, disassociate), `requests` (qualification requests), `hits` (HITs and their
assignments); `params` validates request fields as the service does, `shapes` turns
records into wire shapes, `registry` holds the table.
"""

from __future__ import annotations

import importlib
import pkgutil

from .registry import OPERATIONS, Operation, Request, operation

_HELPERS = {"registry", "params", "shapes"}

for _module in pkgutil.iter_modules(__path__):
    if _module.name not in _HELPERS:
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["OPERATIONS", "Operation", "Request", "operation"]
