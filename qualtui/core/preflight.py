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
from qualtui.core.models import Failure
from qualtui.core.qualification_types import QualificationType, TypeCache


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
