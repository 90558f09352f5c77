"""What one MTurk environment holds, and the seeded demo data shipped with the package.

Records are kept as the service's wire shapes (times as ISO 8601 text or epoch seconds),
plus a few fields the service keeps but never answers: a type's `OwnedByCaller` (False
for another requester's public type), a revoke's `Reason`, an in-progress assignment's
status `Accepted`. State changes (grants, revokes, answered requests) live in memory
only: every `load_demo_data()` is a fresh demo.

Generated records (holders of a type, owned types, a HIT's assignments) are derived from a
seed with SHA-256, so every run and every machine sees the same IDs.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from typing import Any

from .errors import JSONDict

ENVIRONMENTS = ("production", "sandbox")
LOG_LIMIT = 1000  # notifications and answered requests kept for inspection
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def epoch(value: str | float) -> float:
    """A record's time as epoch seconds (the wire format): ISO 8601 text or a number."""
    if isinstance(value, (int, float)):
        return float(value)
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def iso(seconds: float) -> str:
    """Epoch seconds as the ISO 8601 text the demo data uses."""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass
class Dataset:
    """What one MTurk environment holds: types, qualifications, requests, HITs, balance.

    Operations read and change it under `lock` (the server takes it around each one).
    """

    balance: str = "10000.00"
    qualification_types: list[JSONDict] = field(default_factory=list)
    qualifications: list[JSONDict] = field(default_factory=list)
    qualification_requests: list[JSONDict] = field(default_factory=list)
    hits: list[JSONDict] = field(default_factory=list)
    assignments: list[JSONDict] = field(default_factory=list)
    # What the service would have e-mailed workers, newest last (bounded).
    notifications: deque[JSONDict] = field(default_factory=lambda: deque(maxlen=LOG_LIMIT))
    # Accepted and rejected requests, with the value or reason given (bounded).
    answered_requests: deque[JSONDict] = field(default_factory=lambda: deque(maxlen=LOG_LIMIT))
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Dataset:
        data = cls(
            balance=str(raw.get("balance", "10000.00")),
            qualification_types=[dict(t) for t in raw.get("qualification_types", [])],
            qualifications=[dict(q) for q in raw.get("qualifications", [])],
            qualification_requests=[dict(r) for r in raw.get("qualification_requests", [])],
            hits=[dict(h) for h in raw.get("hits", [])],
            assignments=[dict(a) for a in raw.get("assignments", [])],
        )
        for spec in raw.get("generated", []):
            data.qualifications.extend(
                generated_workers(spec["QualificationTypeId"], int(spec["count"]), spec["seed"])
            )
        for spec in raw.get("generated_types", []):
            data.qualification_types.extend(
                generated_types(spec["prefix"], int(spec["count"]), spec["seed"])
            )
        for spec in raw.get("generated_assignments", []):
            hit = data.hit(spec["HITId"])
            if hit is None:
                raise ValueError(f"generated assignments for unknown HIT {spec['HITId']}")
            data.assignments.extend(
                generated_assignments(
                    hit,
                    int(spec["count"]),
                    spec["seed"],
                    overlap_seed=spec.get("overlap_seed"),
                    overlap=int(spec.get("overlap", 0)),
                )
            )
        return data

    def type_by_id(self, type_id: str) -> JSONDict | None:
        return next(
            (t for t in self.qualification_types if t["QualificationTypeId"] == type_id), None
        )

    def owned_type(self, type_id: str) -> JSONDict | None:
        """The type if it exists and the caller owns it (another's type reads as absent)."""
        qtype = self.type_by_id(type_id)
        return qtype if qtype is not None and qtype.get("OwnedByCaller", True) else None

    def qualification(self, type_id: str, worker_id: str) -> JSONDict | None:
        return next(
            (
                q
                for q in self.qualifications
                if q["QualificationTypeId"] == type_id and q["WorkerId"] == worker_id
            ),
            None,
        )

    def request(self, request_id: str) -> JSONDict | None:
        return next(
            (r for r in self.qualification_requests if r["QualificationRequestId"] == request_id),
            None,
        )

    def hit(self, hit_id: str) -> JSONDict | None:
        return next((h for h in self.hits if h["HITId"] == hit_id), None)

    def assignments_of(self, hit_id: str) -> list[JSONDict]:
        return [a for a in self.assignments if a["HITId"] == hit_id]


def _digest(seed: str, i: int) -> bytes:
    return hashlib.sha256(f"{seed}:{i}".encode()).digest()


def generated_worker_id(seed: str, i: int) -> str:
    """The i-th made-up worker ID of a seed (the same as `generated_workers` uses)."""
    return "A" + "".join(_ALPHABET[b % len(_ALPHABET)] for b in _digest(seed, i)[:13])


def generated_workers(type_id: str, count: int, seed: str) -> Iterator[JSONDict]:
    """Deterministic made-up holders of a type, for paging and batch demos."""
    for i in range(count):
        digest = _digest(seed, i)
        day = 1 + digest[14] % 28
        month = 1 + digest[15] % 10
        yield {
            "QualificationTypeId": type_id,
            "WorkerId": generated_worker_id(seed, i),
            "Status": "Revoked" if i % 9 == 4 else "Granted",
            "IntegerValue": 50 + digest[16] % 51,
            "GrantTime": f"2026-{month:02d}-{day:02d}T{digest[17] % 24:02d}:00:00Z",
        }


def generated_types(prefix: str, count: int, seed: str) -> Iterator[JSONDict]:
    """Deterministic owned types (IDs `<prefix>000...<n>`, 30 characters), for paging."""
    for i in range(count):
        digest = _digest(seed, i)
        number = str(i + 1)
        yield {
            "QualificationTypeId": prefix + number.rjust(30 - len(prefix), "0"),
            "Name": f"Archived study {i + 1:03d}",
            "Description": "A study that has ended; kept so its participants stay excluded.",
            "Keywords": "archive, exclusion",
            "QualificationTypeStatus": "Inactive" if i % 4 == 3 else "Active",
            "CreationTime": f"2023-{1 + digest[0] % 12:02d}-{1 + digest[1] % 28:02d}T12:00:00Z",
            "IsRequestable": False,
            "AutoGranted": False,
        }


_GENERATED_STATUSES = ("Approved", "Approved", "Submitted", "Approved", "Rejected")


def generated_assignments(
    hit: Mapping[str, Any],
    count: int,
    seed: str,
    *,
    overlap_seed: str | None = None,
    overlap: int = 0,
) -> Iterator[JSONDict]:
    """Deterministic submitted, approved and rejected assignments of a HIT.

    The first `overlap` workers are the first generated holders of `overlap_seed` (so a
    HIT's workers overlap a type's holders); the rest are made up from `seed`.
    """
    created = epoch(hit["CreationTime"])
    auto_approval = int(hit.get("AutoApprovalDelayInSeconds", 259200))
    duration = int(hit.get("AssignmentDurationInSeconds", 3600))
    for i in range(count):
        digest = _digest(seed, i)
        if overlap_seed is not None and i < overlap:
            worker = generated_worker_id(overlap_seed, i)
        else:
            worker = generated_worker_id(seed, i)
        status = _GENERATED_STATUSES[i % len(_GENERATED_STATUSES)]
        accepted = created + 60 * i + digest[0]
        submitted = accepted + 300 + 10 * digest[1]
        record: JSONDict = {
            "AssignmentId": "3DEMOASSIGN" + "".join(_ALPHABET[b % 36] for b in digest[2:21]),
            "WorkerId": worker,
            "HITId": hit["HITId"],
            "AssignmentStatus": status,
            "AcceptTime": accepted,
            "SubmitTime": submitted,
            "AutoApprovalTime": submitted + auto_approval,
            "Deadline": accepted + duration,
            "Answer": _answer(f"clip-{i % 5 + 1}", f"generated answer {i}"),
        }
        if status == "Approved":
            record["ApprovalTime"] = submitted + 3600 + 60 * digest[22]
        elif status == "Rejected":
            record["RejectionTime"] = submitted + 3600 + 60 * digest[22]
            record["RequesterFeedback"] = "The transcript did not match the audio."
        yield record


def _answer(question: str, text: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><QuestionFormAnswers xmlns="http://mechanicalturk'
        '.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd">'
        f"<Answer><QuestionIdentifier>{question}</QuestionIdentifier>"
        f"<FreeText>{text}</FreeText></Answer></QuestionFormAnswers>"
    )


def load_demo_data() -> dict[str, Dataset]:
    """The seeded demo data shipped in the package, one Dataset per environment."""
    raw = json.loads(resources.files(__package__).joinpath("demo_data.json").read_text("utf-8"))
    return {env: Dataset.from_json(raw[env]) for env in ENVIRONMENTS}
