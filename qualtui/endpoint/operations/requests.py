"""Qualification requests: list the pending ones, accept (grant) or reject them."""

from __future__ import annotations

from ..errors import JSONDict, request_error
from .grants import grant
from .params import (
    ENTITY_ID_RE,
    TYPE_ID_RE,
    optional_integer,
    optional_string,
    owned_type,
    page,
    require,
)
from .registry import Request, operation
from .shapes import wire_request

REQUEST_NOT_FOUND_CODE = "AWS.MechanicalTurk.QualificationRequestDoesNotExist"


@operation("ListQualificationRequests")
def list_qualification_requests(request: Request) -> JSONDict:
    """Pending requests for the caller's types, or for one (QualificationTypeId)."""
    params = request.params
    data = request.data
    type_id: str | None = None
    if params.get("QualificationTypeId") is not None:
        type_id = require(params, "QualificationTypeId", TYPE_ID_RE)
        owned_type(data, type_id)
    pending = [
        wire_request(r)
        for r in data.qualification_requests
        if (type_id is None or r["QualificationTypeId"] == type_id)
        and data.owned_type(r["QualificationTypeId"]) is not None
    ]
    return page(params, pending, "QualificationRequests")


def _take(request: Request) -> JSONDict:
    """The pending request named by QualificationRequestId, removed from the pending list."""
    request_id = require(request.params, "QualificationRequestId", ENTITY_ID_RE)
    data = request.data
    pending = data.request(request_id)
    if pending is None or data.owned_type(pending["QualificationTypeId"]) is None:
        raise request_error(
            f"QualificationRequest [{request_id}] does not exist.", REQUEST_NOT_FOUND_CODE
        )
    data.qualification_requests.remove(pending)
    return pending


@operation("AcceptQualificationRequest")
def accept_qualification_request(request: Request) -> JSONDict:
    """Grant the requested type (IntegerValue, which overwrites a score), dated now."""
    value = optional_integer(request.params, "IntegerValue")
    pending = _take(request)
    held = grant(
        request, pending["QualificationTypeId"], pending["WorkerId"], value, overwrite=True
    )
    held["GrantTime"] = request.now
    answered = dict(pending, Outcome="Accepted", IntegerValue=held.get("IntegerValue"))
    request.data.answered_requests.append(answered)
    request.data.notifications.append(
        {
            "Kind": "RequestAccepted",
            "QualificationTypeId": pending["QualificationTypeId"],
            "WorkerId": pending["WorkerId"],
            "IntegerValue": held.get("IntegerValue"),
            "Time": request.now,
        }
    )
    return {}


@operation("RejectQualificationRequest")
def reject_qualification_request(request: Request) -> JSONDict:
    """Remove the request; the Reason is kept (and would be e-mailed to the worker)."""
    reason = optional_string(request.params, "Reason")
    pending = _take(request)
    request.data.answered_requests.append(dict(pending, Outcome="Rejected", Reason=reason))
    request.data.notifications.append(
        {
            "Kind": "RequestRejected",
            "QualificationTypeId": pending["QualificationTypeId"],
            "WorkerId": pending["WorkerId"],
            "Reason": reason,
            "Time": request.now,
        }
    )
    return {}
