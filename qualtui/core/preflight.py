"""What must work before many lookups start: checked once, not once per worker.

A mistyped profile, missing credentials or a qualification type that does not exist (a
production ID in the sandbox, a typo) would otherwise fail every lookup of a batch the same
way: one call and one history entry per worker, and a screen or a terminal full of the same
line. `preflight` builds the client (profile, credentials, settings) and reads the type once
(GetQualificationType, which the type cache keeps for the lookups' display); any failure is
returned, explained, and the caller starts nothing.
"""

from __future__ import annotations

from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.errors import failure_of
from qualtui.core.models import Failure, FailureKind
from qualtui.core.qualification_types import QualificationType, TypeCache
from qualtui.core.text import one_line


def preflight(
    clients: ClientCache, types: TypeCache, connection: Connection, type_id: str
) -> QualificationType | Failure:
    """The type's details when everything needed for the lookups works; else the failure.
    Blocking: call from a worker thread."""
    try:
        clients.client(connection)
    except Exception as exc:
        return failure_of(clients, connection, exc)
    return types.details(clients, connection, type_id)


BLOCKING_KINDS: frozenset[FailureKind] = frozenset(
    {
        "access_denied",
        "account_not_linked",
        "bad_config",
        "bad_keys",
        "connect_timeout",
        "credentials_failed",
        "credentials_timeout",
        "expired_credentials",
        "no_credentials",
        "partial_credentials",
        "profile_not_found",
        "sso_expired",
        "tls_error",
        "type_not_found",
        "unreachable",
        "wrong_region",
    }
)
"""Failures that would repeat for every worker. Any other failure of the check (a throttled
or failed call, an odd answer) is left to each lookup to report."""


def blocking_problem(
    clients: ClientCache, types: TypeCache, connection: Connection, type_id: str
) -> Failure | None:
    """`preflight`, keeping only a failure that would repeat for every worker: None means
    go ahead. Blocking: call from a worker thread."""
    found = preflight(clients, types, connection, type_id)
    if isinstance(found, Failure) and found.kind in BLOCKING_KINDS:
        return found
    return None


def problem_text(failure: Failure) -> str:
    """The failure in one line: what is wrong, then the fix (and its command)."""
    text = f"{failure.title}. {failure.explanation} Fix: {failure.fix}"
    if failure.command:
        text += f" Run: {failure.command}"
    return one_line(text, 600)
