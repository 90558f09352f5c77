"""What `qualtui hits`, `qualtui hit-workers` and `qualtui lookup --hit` share: HIT IDs
checked, and HITs and assignments as records in the service's field names (written by
`listing_output.ColumnWriter`, which makes every value printable and one line in the table
and CSV: titles and annotations are the requester's free text).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from qualtui.cli.arguments import UsageError
from qualtui.core import aws_cli_output, ids
from qualtui.core.hits import HIT_ID, Assignment, Hit
from qualtui.core.models import Failure
from qualtui.core.text import one_line, printable


def hit_ids(raw: Sequence[str]) -> tuple[str, ...]:
    """The HIT IDs given, normalised, each once; UsageError naming a malformed one."""
    found: list[str] = []
    for text in raw:
        value = ids.normalize(text)
        problem = ids.problem(HIT_ID, value)
        if problem:
            raise UsageError(f"{printable(text)!r}: {problem}")
        found.append(value)
    return tuple(dict.fromkeys(found))


def _time(value: datetime | None) -> str | None:
    return None if value is None else str(aws_cli_output.timestamp_value(value))


def hit_record(hit: Hit) -> dict[str, Any]:
    """A HIT in the service's field names (ListHITs), the ones qualtui keeps."""
    return {
        "HITId": hit.id,
        "HITTypeId": hit.hit_type_id,
        "Title": hit.title,
        "RequesterAnnotation": hit.annotation,
        "HITStatus": hit.status,
        "HITReviewStatus": hit.review_status,
        "CreationTime": _time(hit.created),
        "Expiration": _time(hit.expiration),
        "MaxAssignments": hit.max_assignments,
        "NumberOfAssignmentsCompleted": hit.completed,
        "NumberOfAssignmentsPending": hit.pending,
        "NumberOfAssignmentsAvailable": hit.available,
    }


def assignment_record(assignment: Assignment) -> dict[str, Any]:
    """An assignment in the service's field names (ListAssignmentsForHIT), without the
    answer: who, which HIT, its status and times."""
    record: dict[str, Any] = {
        "WorkerId": assignment.worker_id,
        "AssignmentStatus": assignment.status,
        "HITId": assignment.hit_id,
        "SubmitTime": _time(assignment.submitted),
        "AssignmentId": assignment.id,
        "AcceptTime": _time(assignment.accepted),
    }
    if assignment.approved is not None:
        record["ApprovalTime"] = _time(assignment.approved)
    if assignment.rejected is not None:
        record["RejectionTime"] = _time(assignment.rejected)
    return record


def failure_line(command: str, failure: Failure, hit_id: str | None = None) -> str:
    """One line on stderr: what went wrong, why, and the fix."""
    where = f"HIT {hit_id}: " if hit_id else ""
    text = f"qualtui {command}: error: {where}{failure.title}. {failure.explanation} {failure.fix}"
    return one_line(text, 1000)
