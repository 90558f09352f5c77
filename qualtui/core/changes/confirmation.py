"""What a confirmation shows, in the same words on the command line and in the TUI: the
environment (Production unmistakable), the profile, the endpoint, then the change's own
lines (type, worker, before -> after, reason, notify, warnings). Plain text, no markup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qualtui.core.changes.change import Change, State, score_warnings
from qualtui.core.changes.dry_run import Diff, DiffRow
from qualtui.core.changes.requests import PendingRequest
from qualtui.core.changes.writes import Intent, Preview
from qualtui.core.client import ClientCache
from qualtui.core.connection import PRODUCTION, Connection, is_loopback_url
from qualtui.core.models import Failure
from qualtui.core.qualification_types import TypeCache
from qualtui.core.text import one_line

Line = tuple[str, str]


def environment_banner(connection: Connection) -> str:
    local = connection.endpoint_url is not None and is_loopback_url(connection.endpoint_url)
    if connection.environment == PRODUCTION:
        if local:
            return "PRODUCTION  (on a local endpoint on this machine)"
        return "PRODUCTION  (real workers: they see the change)"
    return connection.environment.capitalize()


def notify_text(notified: bool, kind: str = "set") -> str:
    if kind == "revoke":
        return "yes (the worker sees the reason)" if notified else "no reason given"
    return (
        "yes (SendNotification=true: the worker is e-mailed)"
        if notified
        else "no (SendNotification=false)"
    )


def connection_lines(connection: Connection) -> list[Line]:
    """Where the change goes: environment, profile, and the endpoint when one is set."""
    rows = [("Environment", environment_banner(connection))]
    rows.append(("Profile", connection.profile or "environment credentials"))
    if connection.endpoint_url:
        rows.append(("Endpoint", connection.shown_endpoint or ""))
    return rows


def type_label(clients: ClientCache, types: TypeCache, connection: Connection, type_id: str) -> str:
    """`Name (ID)` when the type's name can be read (blocking: one call, cached), else the ID."""
    details = types.details(clients, connection, type_id)
    if isinstance(details, Failure) or not details.name:
        return type_id
    return f"{one_line(details.name, 80)} ({type_id})"


def change_lines(intent: Intent, preview: Preview, type_label: str) -> list[Line]:
    """The lines of one grant, set or revoke (after the connection's)."""
    lines = [
        ("Type", type_label),
        ("Worker", intent.worker_id),
        ("Change", f"{preview.before.text()} -> {preview.after.text()}"),
    ]
    if intent.kind == "revoke":
        lines.append(("Reason", preview.reason or "(none)"))
    lines.append(("Notify", notify_text(preview.notified, intent.kind)))
    lines += [("Warning", w) for w in preview.warnings]
    return lines


def undo_lines(change: Change, preview: DiffRow, type_label: str) -> list[Line]:
    """The lines of the undo of one recorded change."""
    return [
        ("Undo", f"{change.kind} of {change.time:%Y-%m-%d %H:%M:%S} UTC ({change.id[:12]})"),
        ("Type", type_label),
        ("Worker", change.worker_id),
        ("Change", preview.text()),
        ("Notify", "no"),
    ]


def plan_lines(diff: Diff, source: str, *, reason: str | None = None) -> list[Line]:
    """The lines of a bulk run: where the plan came from, its types, the dry run's counts
    (and the reason, when it revokes). The notify choice is the caller's."""
    names = sorted({one_line(n, 60) for n in diff.type_names.values()})
    type_ids = sorted({r.row.qualification_type_id or "" for r in diff.to_apply})
    lines = [
        ("Plan", source),
        ("Types", ", ".join(names) or ", ".join(type_ids)),
        ("Changes", diff.counts_text()),
    ]
    if diff.counts["revoke"]:
        lines.append(("Reason", reason or "(none)"))
    return lines


def request_lines(
    requests: Sequence[PendingRequest],
    type_label: str,
    *,
    accept: bool,
    value: int | None = None,
    reason: str | None = None,
) -> list[Line]:
    """The lines of accepting or rejecting one request, or several the same way."""
    after = (str(value) if value is not None else "granted") if accept else None
    if len(requests) == 1:
        found = requests[0]
        current = found.current.text() if isinstance(found.current, State) else "?"
        lines = [
            ("Request", found.request_id),
            ("Type", type_label),
            ("Worker", found.worker_id),
            ("Change", f"{current} -> {after}" if accept else f"{current} (unchanged): rejected"),
        ]
    else:
        workers = ", ".join(r.worker_id for r in requests[:5])
        more = f" and {len(requests) - 5} more" if len(requests) > 5 else ""
        lines = [
            ("Requests", f"{len(requests)} selected"),
            ("Type", type_label),
            ("Workers", workers + more),
            ("Change", f"each -> {after}" if accept else "rejected (scores unchanged)"),
        ]
    if not accept:
        lines.append(("Reason", reason or "(none)"))
    lines.append(("Notify", "yes (the service tells the worker)"))
    if accept:
        lines += [("Warning", w) for w in score_warnings(value)]
    return lines


@dataclass(frozen=True)
class Confirmation:
    """One confirmation: a question, where it goes, what it does. `notify_choice` is True
    when the worker may be notified (a grant or set): the UI offers the choice."""

    question: str
    connection: Connection
    lines: tuple[Line, ...]
    notify_choice: bool = False

    @property
    def production(self) -> bool:
        return self.connection.environment == PRODUCTION

    def all_lines(self) -> list[Line]:
        return [*connection_lines(self.connection), *self.lines]
