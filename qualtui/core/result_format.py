"""A lookup result as plain text or as the AWS CLI's JSON: for the clipboard and scripts."""

from __future__ import annotations

from datetime import timezone
from typing import TYPE_CHECKING, Any, NamedTuple

from qualtui.core import timefmt
from qualtui.core.models import LookupResult, Qualification, qualification_fields

if TYPE_CHECKING:  # the history table formats rows with this module; the types come later
    from qualtui.core.qualification_types import QualificationType

ROW_COLUMNS = ("Worker", "Status", "Score", "Locale", "Granted", "Error")


class QualificationCells(NamedTuple):
    """A qualification's values as table text: "" for what it does not have."""

    score: str  # "0" is a real score; "" means the type has no integer value
    locale: str  # "US" or "US-WA"
    granted: str  # local time


def qualification_cells(q: Qualification | None) -> QualificationCells:
    """The one place that turns score, locale and grant time into text (history, batch,
    holders, the result panel, `qualtui lookup` and the clipboard all use it)."""
    if q is None:
        return QualificationCells("", "", "")
    return QualificationCells(
        score="" if q.integer_value is None else str(q.integer_value),
        locale="" if q.locale is None else str(q.locale),
        granted=timefmt.local(q.grant_time) if q.grant_time else "",
    )


def result_row(result: LookupResult) -> tuple[str, ...]:
    """One line of a results table (ROW_COLUMNS): the batch view's and `qualtui lookup`'s.

    Status is the qualification's, or "not held", or "error" with the failure in Error.
    """
    q = result.qualification
    if q is not None:
        cells = qualification_cells(q)
        return (q.worker_id, q.status, cells.score, cells.locale, cells.granted, "")
    failure = result.failure
    assert failure is not None
    if failure.kind == "not_held":
        return (result.request.worker_id, "not held", "", "", "", "")
    error = f"{failure.title} ({failure.code or failure.kind})"
    return (result.request.worker_id, "error", "", "", "", error)


def aws_cli_json(result: LookupResult) -> dict[str, Any]:
    """The AWS CLI's shape: {"Qualification": {...}}, or the request with an "Error"."""
    q = result.qualification
    if q is not None:
        fields = qualification_fields(q, lambda t: t.astimezone(timezone.utc).isoformat())
        status = fields.pop("Status")
        wire = {"QualificationTypeId": q.qualification_type_id, "WorkerId": q.worker_id}
        return {"Qualification": {**wire, **fields, "Status": status}}  # the AWS CLI's order
    failure = result.failure
    assert failure is not None
    error: dict[str, Any] = {"Code": failure.code or failure.kind}
    if failure.turk_error_code:
        error["TurkErrorCode"] = failure.turk_error_code
    error["Message"] = failure.message or f"{failure.title}. {failure.explanation}"
    return {
        "QualificationTypeId": result.request.qualification_type_id,
        "WorkerId": result.request.worker_id,
        "Error": error,
    }


def as_text(result: LookupResult, qtype: QualificationType | None = None) -> str:
    """A few lines a requester can paste into a message or a ticket."""
    request = result.request
    lines = [f"Worker {request.worker_id}", f"Qualification type {request.qualification_type_id}"]
    if qtype is not None:
        lines[-1] += f" ({qtype.name})"
    q = result.qualification
    if q is not None:
        lines.append(f"Status {q.status}")
        cells = qualification_cells(q)
        lines.append(f"Score {cells.score or 'none'}")
        if cells.locale:
            lines.append(f"Locale {cells.locale}")
        if q.grant_time is not None:
            lines.append(f"Granted {q.grant_time.astimezone(timezone.utc).isoformat()}")
    elif result.failure is not None:
        failure = result.failure
        lines.append(f"Result {failure.title}")
        codes = " · ".join(c for c in (failure.code, failure.turk_error_code) if c)
        if codes:
            lines.append(f"Error {codes}")
        if failure.message:
            lines.append(f"Message {failure.message}")
    lines.append(f"Environment {request.connection.environment} ({request.connection.region})")
    return "\n".join(lines)
