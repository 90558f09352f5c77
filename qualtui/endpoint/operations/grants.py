"""Writing qualifications: grant or change a score, revoke.

State lives in the dataset (memory only), so the next GetQualificationScore and
ListWorkersWithQualificationType see the change. What the service would e-mail the worker
is appended to `Dataset.notifications`.
"""

from __future__ import annotations

from ..errors import JSONDict, request_error
from .params import (
    TYPE_ID_RE,
    WORKER_ID_RE,
    optional_bool,
    optional_integer,
    optional_string,
    owned_type,
    require,
)
from .qualifications import NOT_HELD_CODE, NOT_HELD_MESSAGE
from .registry import Request, operation

DEFAULT_VALUE = 1  # the score of a grant that names none


def grant(
    request: Request, type_id: str, worker_id: str, value: int | None, *, overwrite: bool
) -> JSONDict:
    """Grant a qualification, or change its score; a revoked one is granted again.

    A new grant (or a re-grant) is dated now. Without `value`, a new grant scores
    DEFAULT_VALUE and an existing one keeps its score.
    """
    data = request.data
    held = data.qualification(type_id, worker_id)
    if held is None:
        held = {
            "QualificationTypeId": type_id,
            "WorkerId": worker_id,
            "Status": "Granted",
            "IntegerValue": DEFAULT_VALUE if value is None else value,
            "GrantTime": request.now,
        }
        data.qualifications.append(held)
        return held
    if held["Status"] != "Granted":
        held["Status"] = "Granted"
        held["GrantTime"] = request.now
        held.pop("Reason", None)
    if value is not None and (overwrite or "IntegerValue" not in held):
        held["IntegerValue"] = value
    return held


@operation("AssociateQualificationWithWorker")
def associate_qualification_with_worker(request: Request) -> JSONDict:
    """Grant or change a score. SendNotification is true unless the request says false."""
    params = request.params
    type_id = require(params, "QualificationTypeId", TYPE_ID_RE)
    worker_id = require(params, "WorkerId", WORKER_ID_RE)
    value = optional_integer(params, "IntegerValue")
    notify = optional_bool(params, "SendNotification")
    owned_type(request.data, type_id)
    held = grant(request, type_id, worker_id, value, overwrite=True)
    if notify is not False:
        request.data.notifications.append(
            {
                "Kind": "Granted",
                "QualificationTypeId": type_id,
                "WorkerId": worker_id,
                "IntegerValue": held.get("IntegerValue"),
                "Time": request.now,
            }
        )
    return {}


@operation("DisassociateQualificationFromWorker")
def disassociate_qualification_from_worker(request: Request) -> JSONDict:
    """Revoke: the status becomes Revoked (score kept); the worker sees the Reason."""
    params = request.params
    type_id = require(params, "QualificationTypeId", TYPE_ID_RE)
    worker_id = require(params, "WorkerId", WORKER_ID_RE)
    reason = optional_string(params, "Reason")
    owned_type(request.data, type_id)
    held = request.data.qualification(type_id, worker_id)
    if held is None:
        raise request_error(NOT_HELD_MESSAGE, NOT_HELD_CODE)
    if held["Status"] != "Granted":
        raise request_error("This operation can be called with a status of: Granted", NOT_HELD_CODE)
    held["Status"] = "Revoked"
    if reason is not None:
        held["Reason"] = reason
        request.data.notifications.append(
            {
                "Kind": "Revoked",
                "QualificationTypeId": type_id,
                "WorkerId": worker_id,
                "Reason": reason,
                "Time": request.now,
            }
        )
    return {}
