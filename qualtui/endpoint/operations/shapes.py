"""Records as the service puts them on the wire (times as epoch seconds)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..dataset import epoch
from ..errors import JSONDict

_INTERNAL_TYPE_FIELDS = ("OwnedByCaller",)
_QUALIFICATION_REQUEST_FIELDS = ("QualificationRequestId", "QualificationTypeId", "WorkerId")
_HIT_FIELDS = (
    "HITId",
    "HITTypeId",
    "HITGroupId",
    "HITLayoutId",
    "Title",
    "Description",
    "Question",
    "Keywords",
    "HITStatus",
    "MaxAssignments",
    "Reward",
    "AutoApprovalDelayInSeconds",
    "AssignmentDurationInSeconds",
    "RequesterAnnotation",
    "QualificationRequirements",
    "HITReviewStatus",
)
_ASSIGNMENT_FIELDS = ("AssignmentId", "WorkerId", "HITId", "AssignmentStatus", "Answer")
_ASSIGNMENT_TIMES = (
    "AutoApprovalTime",
    "AcceptTime",
    "SubmitTime",
    "ApprovalTime",
    "RejectionTime",
    "Deadline",
)
LISTED_ASSIGNMENT_STATUSES = ("Submitted", "Approved", "Rejected")


def wire_qualification(q: Mapping[str, Any]) -> JSONDict:
    out: JSONDict = {
        "QualificationTypeId": q["QualificationTypeId"],
        "WorkerId": q["WorkerId"],
        "GrantTime": epoch(q["GrantTime"]),
        "Status": q["Status"],
    }
    if "IntegerValue" in q:
        out["IntegerValue"] = q["IntegerValue"]
    if "LocaleValue" in q:
        out["LocaleValue"] = dict(q["LocaleValue"])
    return out


def wire_type(t: Mapping[str, Any]) -> JSONDict:
    out = {k: v for k, v in t.items() if k not in _INTERNAL_TYPE_FIELDS}
    out["CreationTime"] = epoch(t["CreationTime"])
    return out


def wire_request(r: Mapping[str, Any]) -> JSONDict:
    out: JSONDict = {k: r[k] for k in _QUALIFICATION_REQUEST_FIELDS}
    for key in ("Test", "Answer"):
        if key in r:
            out[key] = r[key]
    out["SubmitTime"] = epoch(r["SubmitTime"])
    return out


def wire_hit(hit: Mapping[str, Any], assignments: Iterable[Mapping[str, Any]]) -> JSONDict:
    """A HIT with its assignment counts derived from its assignments."""
    out: JSONDict = {k: hit[k] for k in _HIT_FIELDS if k in hit}
    out["CreationTime"] = epoch(hit["CreationTime"])
    out["Expiration"] = epoch(hit["Expiration"])
    statuses = [a["AssignmentStatus"] for a in assignments]
    completed = sum(s in ("Approved", "Rejected") for s in statuses)
    pending = sum(s not in LISTED_ASSIGNMENT_STATUSES for s in statuses)
    out["NumberOfAssignmentsPending"] = pending
    out["NumberOfAssignmentsAvailable"] = max(0, int(hit["MaxAssignments"]) - len(statuses))
    out["NumberOfAssignmentsCompleted"] = completed
    return out


def wire_assignment(a: Mapping[str, Any]) -> JSONDict:
    out: JSONDict = {k: a[k] for k in _ASSIGNMENT_FIELDS if k in a}
    for key in _ASSIGNMENT_TIMES:
        if key in a:
            out[key] = epoch(a[key])
    if "RequesterFeedback" in a:
        out["RequesterFeedback"] = a["RequesterFeedback"]
    return out
