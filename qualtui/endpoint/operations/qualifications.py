"""Reading qualifications: scores, types, holders of a type, the list of types."""

from __future__ import annotations

from ..errors import JSONDict, request_error, validation_error
from .params import TYPE_ID_RE, WORKER_ID_RE, owned_type, page, require
from .registry import Request, operation
from .shapes import wire_qualification, wire_type

NOT_HELD_CODE = "AWS.MechanicalTurk.QualificationDoesNotExist"
NOT_HELD_MESSAGE = "You requested a Qualification that does not exist."


@operation("GetQualificationScore")
def get_qualification_score(request: Request) -> JSONDict:
    type_id = require(request.params, "QualificationTypeId", TYPE_ID_RE)
    worker_id = require(request.params, "WorkerId", WORKER_ID_RE)
    owned_type(request.data, type_id)
    qualification = request.data.qualification(type_id, worker_id)
    if qualification is None:
        raise request_error(NOT_HELD_MESSAGE, NOT_HELD_CODE)
    return {"Qualification": wire_qualification(qualification)}


@operation("GetQualificationType")
def get_qualification_type(request: Request) -> JSONDict:
    """Any type, the caller's or another requester's (types are public)."""
    type_id = require(request.params, "QualificationTypeId", TYPE_ID_RE)
    qtype = request.data.type_by_id(type_id)
    if qtype is None:
        raise request_error(f"QualificationType [{type_id}] does not exist.")
    return {"QualificationType": wire_type(qtype)}


@operation("ListWorkersWithQualificationType")
def list_workers_with_qualification_type(request: Request) -> JSONDict:
    params = request.params
    type_id = require(params, "QualificationTypeId", TYPE_ID_RE)
    owned_type(request.data, type_id)
    status = params.get("Status")
    if status not in (None, "Granted", "Revoked"):
        raise request_error(f"Status [{status}] is not valid.")
    holders = [
        wire_qualification(q)
        for q in request.data.qualifications
        if q["QualificationTypeId"] == type_id and (status is None or q["Status"] == status)
    ]
    return page(params, holders, "Qualifications")


@operation("ListQualificationTypes")
def list_qualification_types(request: Request) -> JSONDict:
    """Types by Query (name and keywords); MustBeOwnedByCaller keeps only the caller's."""
    params = request.params
    if not isinstance(params.get("MustBeRequestable"), bool):
        raise validation_error(
            "Value null at 'mustBeRequestable' failed to satisfy constraint: "
            "Member must not be null"
        )
    query = str(params.get("Query") or "").lower()
    owned_only = params.get("MustBeOwnedByCaller") is True
    types = [
        wire_type(t)
        for t in request.data.qualification_types
        if (not params["MustBeRequestable"] or t.get("IsRequestable"))
        and (not owned_only or t.get("OwnedByCaller", True))
        and (not query or query in f"{t['Name']} {t.get('Keywords', '')}".lower())
    ]
    return page(params, types, "QualificationTypes")
