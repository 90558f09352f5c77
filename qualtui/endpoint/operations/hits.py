"""HITs and their assignments: ListHITs and ListAssignmentsForHIT."""

from __future__ import annotations

from ..dataset import epoch
from ..errors import JSONDict, request_error
from .params import ENTITY_ID_RE, optional_enum_list, page, require
from .registry import Request, operation
from .shapes import LISTED_ASSIGNMENT_STATUSES, wire_assignment, wire_hit

HIT_NOT_FOUND_CODE = "AWS.MechanicalTurk.HITDoesNotExist"


@operation("ListHITs")
def list_hits(request: Request) -> JSONDict:
    """Every HIT of the account, newest first, with its assignment counts."""
    data = request.data
    hits = sorted(data.hits, key=lambda h: epoch(h["CreationTime"]), reverse=True)
    return page(
        request.params, [wire_hit(h, data.assignments_of(h["HITId"])) for h in hits], "HITs"
    )


@operation("ListAssignmentsForHIT")
def list_assignments_for_hit(request: Request) -> JSONDict:
    """A HIT's submitted, approved and rejected assignments (never in-progress ones)."""
    params = request.params
    hit_id = require(params, "HITId", ENTITY_ID_RE)
    statuses = optional_enum_list(params, "AssignmentStatuses", LISTED_ASSIGNMENT_STATUSES)
    if request.data.hit(hit_id) is None:
        raise request_error(f"Hit {hit_id} does not exist.", HIT_NOT_FOUND_CODE)
    wanted = set(statuses or LISTED_ASSIGNMENT_STATUSES)
    listed = [
        wire_assignment(a)
        for a in request.data.assignments_of(hit_id)
        if a["AssignmentStatus"] in wanted
    ]
    return page(params, listed, "Assignments")
