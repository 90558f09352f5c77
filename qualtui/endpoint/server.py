"""A local MTurk-compatible endpoint: the real wire protocol on loopback.

Standard library only, and it imports nothing of the app. It speaks JSON 1.1 over HTTP/1.1,
checks SigV4 signatures (see `sigv4`), and answers five operations with the service's real
response and error shapes: GetQualificationScore, GetQualificationType,
ListWorkersWithQualificationType, ListQualificationTypes and GetAccountBalance.

Demo mode, the tests and the benchmarks all point boto3 at it through `endpoint_url`, so
they exercise signing, serialisation, retries and error parsing for real. `Fault` rules make
it misbehave on purpose: latency, throttling, 5xx, dropped connections, malformed bodies and
chosen error messages, per operation or per worker.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import json
import random
import re
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, Literal, get_args

from . import sigv4

TARGET_PREFIX = "MTurkRequesterServiceV20170117."
CONTENT_TYPE = "application/x-amz-json-1.1"
TYPE_ID_RE = re.compile(r"^[A-Z0-9]+$")
WORKER_ID_RE = re.compile(r"^A[A-Z0-9]+$")
NOT_HELD_CODE = "AWS.MechanicalTurk.QualificationDoesNotExist"
ENVIRONMENTS = ("production", "sandbox")

JSONDict = dict[str, Any]
FaultKind = Literal[
    "latency", "throttle", "service_fault", "http_error", "drop", "malformed", "error"
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)


class ServiceError(Exception):
    """An error answered in the service's JSON error shape."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 400,
        turk_error_code: str | None = None,
        message_key: str = "Message",
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.turk_error_code = turk_error_code
        self.message_key = message_key

    def body(self) -> JSONDict:
        body: JSONDict = {"__type": self.code, self.message_key: self.message}
        if self.turk_error_code:
            body["TurkErrorCode"] = self.turk_error_code
        return body


def _stamp() -> int:
    """The millisecond stamp MTurk appends to its error messages."""
    return int(time.time() * 1000)


def request_error(message: str, turk_error_code: str | None = None) -> ServiceError:
    return ServiceError("RequestError", f"{message} ({_stamp()})", turk_error_code=turk_error_code)


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


# --------------------------------------------------------------------------- data


@dataclass
class Dataset:
    """What one MTurk environment holds: qualification types, qualifications, balance."""

    balance: str = "10000.00"
    qualification_types: list[JSONDict] = field(default_factory=list)
    qualifications: list[JSONDict] = field(default_factory=list)

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Dataset:
        data = cls(
            balance=str(raw.get("balance", "10000.00")),
            qualification_types=[dict(t) for t in raw.get("qualification_types", [])],
            qualifications=[dict(q) for q in raw.get("qualifications", [])],
        )
        for spec in raw.get("generated", []):
            data.qualifications.extend(
                generated_workers(spec["QualificationTypeId"], int(spec["count"]), spec["seed"])
            )
        return data

    def type_by_id(self, type_id: str) -> JSONDict | None:
        return next(
            (t for t in self.qualification_types if t["QualificationTypeId"] == type_id), None
        )

    def qualification(self, type_id: str, worker_id: str) -> JSONDict | None:
        return next(
            (
                q
                for q in self.qualifications
                if q["QualificationTypeId"] == type_id and q["WorkerId"] == worker_id
            ),
            None,
        )


def generated_workers(type_id: str, count: int, seed: str) -> Iterator[JSONDict]:
    """Deterministic made-up holders of a type, for paging and batch demos."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    for i in range(count):
        digest = hashlib.sha256(f"{seed}:{i}".encode()).digest()
        worker = "A" + "".join(alphabet[b % len(alphabet)] for b in digest[:13])
        day = 1 + digest[14] % 28
        month = 1 + digest[15] % 10
        yield {
            "QualificationTypeId": type_id,
            "WorkerId": worker,
            "Status": "Revoked" if i % 9 == 4 else "Granted",
            "IntegerValue": 50 + digest[16] % 51,
            "GrantTime": f"2026-{month:02d}-{day:02d}T{digest[17] % 24:02d}:00:00Z",
        }


def load_demo_data() -> dict[str, Dataset]:
    """The seeded demo data shipped in the package, one Dataset per environment."""
    raw = json.loads(resources.files(__package__).joinpath("demo_data.json").read_text("utf-8"))
    return {env: Dataset.from_json(raw[env]) for env in ENVIRONMENTS}


# --------------------------------------------------------------------------- faults


@dataclass
class Fault:
    """One way to misbehave, for the calls it matches.

    A call matches when `operation` and `worker_id` (each None for any) match, while fewer
    than `times` matching calls have been hit (None for no limit), with probability `rate`.
    Latency faults add up and the call goes on; the first other matching fault answers it.
    """

    kind: FaultKind
    operation: str | None = None
    worker_id: str | None = None
    times: int | None = None
    rate: float = 1.0
    delay: float = 0.0
    delay_max: float | None = None
    status: int = 503
    code: str = "RequestError"
    message: str = "Injected error"
    turk_error_code: str | None = None
    hits: int = 0

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """A fault from `KIND[:key=value,...]`, as the demo-server's --fault flag takes it.

        Keys: op, worker, times, rate, delay (seconds, or a range "0.1-0.5"), status, code,
        turk-code and message, which must come last (it may contain commas). Raises
        ValueError with a message that says what is wrong.
        """
        kind, _, rest = spec.partition(":")
        kind = kind.strip().replace("-", "_")
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}: use one of {', '.join(FAULT_KINDS)}")
        values: dict[str, Any] = {}
        while rest:
            item, _, after = rest.partition(",")
            key, eq, value = item.partition("=")
            key = key.strip()
            if key == "message":
                value = (value + "," + after) if after else value
                after = ""
            if not eq or not value.strip():
                raise ValueError(f"expected key=value in {spec!r}, got {item!r}")
            values.update(_fault_option(key, value.strip()))
            rest = after
        if kind == "latency" and "delay" not in values:
            raise ValueError("a latency fault needs delay=SECONDS (or delay=MIN-MAX)")
        return cls(kind, **values)  # type: ignore[arg-type]

    def matches(self, operation: str, params: Mapping[str, Any], rng: random.Random) -> bool:
        if self.operation is not None and self.operation != operation:
            return False
        if self.worker_id is not None and params.get("WorkerId") != self.worker_id:
            return False
        if self.times is not None and self.hits >= self.times:
            return False
        if self.rate < 1.0 and rng.random() >= self.rate:
            return False
        self.hits += 1
        return True

    def sleep_time(self, rng: random.Random) -> float:
        if self.delay_max is None:
            return self.delay
        return rng.uniform(self.delay, self.delay_max)


def _fault_option(key: str, value: str) -> dict[str, Any]:
    try:
        if key in ("op", "operation"):
            return {"operation": value}
        if key == "worker":
            return {"worker_id": value}
        if key == "times":
            times = int(value)
            if times < 1:
                raise ValueError
            return {"times": times}
        if key == "rate":
            rate = float(value)
            if not 0 < rate <= 1:
                raise ValueError
            return {"rate": rate}
        if key == "delay":
            low, dash, high = value.partition("-")
            delay = float(low)
            delay_max = float(high) if dash else None
            if delay < 0 or (delay_max is not None and delay_max < delay):
                raise ValueError
            return {"delay": delay, "delay_max": delay_max}
        if key == "status":
            status = int(value)
            if not 400 <= status <= 599:
                raise ValueError
            return {"status": status}
        if key == "code":
            return {"code": value}
        if key == "turk-code":
            return {"turk_error_code": value}
        if key == "message":
            return {"message": value}
    except ValueError:
        raise ValueError(f"bad value for {key}: {value!r}") from None
    raise ValueError(
        f"unknown fault option {key!r}: use op, worker, times, rate, delay, status, code, "
        "turk-code or message"
    )


@dataclass(frozen=True)
class Call:
    """A request that reached an operation (after the signature check)."""

    operation: str
    params: JSONDict
    access_key: str | None


# --------------------------------------------------------------------------- operations


def _require(params: Mapping[str, Any], name: str, pattern: re.Pattern[str]) -> str:
    value = params.get(name)
    field_name = name[0].lower() + name[1:]
    if not isinstance(value, str):
        raise ServiceError(
            "ValidationException",
            f"1 validation error detected: Value null at '{field_name}' failed to satisfy "
            "constraint: Member must not be null",
            message_key="message",
        )
    if not pattern.match(value) or len(value) > 64:
        raise ServiceError(
            "ValidationException",
            f"1 validation error detected: Value '{value}' at '{field_name}' failed to satisfy "
            f"constraint: Member must satisfy regular expression pattern: {pattern.pattern}",
            message_key="message",
        )
    return value


def _page(params: Mapping[str, Any], items: list[JSONDict], key: str) -> JSONDict:
    max_results = params.get("MaxResults", 100)
    if not isinstance(max_results, int) or not 1 <= max_results <= 100:
        raise request_error("MaxResults must be between 1 and 100.")
    start = 0
    token = params.get("NextToken")
    if token is not None:
        try:
            start = int(base64.b64decode(str(token), validate=True).decode("ascii"))
        except (ValueError, binascii.Error):
            raise request_error("The pagination token is not valid.") from None
    page = items[start : start + max_results]
    result: JSONDict = {"NumResults": len(page), key: page}
    if start + max_results < len(items):
        result["NextToken"] = base64.b64encode(str(start + max_results).encode()).decode()
    return result


def _wire_qualification(q: Mapping[str, Any]) -> JSONDict:
    out: JSONDict = {
        "QualificationTypeId": q["QualificationTypeId"],
        "WorkerId": q["WorkerId"],
        "GrantTime": _epoch(q["GrantTime"]),
        "Status": q["Status"],
    }
    if "IntegerValue" in q:
        out["IntegerValue"] = q["IntegerValue"]
    if "LocaleValue" in q:
        out["LocaleValue"] = dict(q["LocaleValue"])
    return out


def _wire_type(t: Mapping[str, Any]) -> JSONDict:
    out = dict(t)
    out["CreationTime"] = _epoch(t["CreationTime"])
    return out


def _existing_type(data: Dataset, type_id: str) -> JSONDict:
    qtype = data.type_by_id(type_id)
    if qtype is None:
        raise request_error(f"QualificationType [{type_id}] does not exist.")
    return qtype


def op_get_qualification_score(data: Dataset, params: JSONDict) -> JSONDict:
    type_id = _require(params, "QualificationTypeId", TYPE_ID_RE)
    worker_id = _require(params, "WorkerId", WORKER_ID_RE)
    _existing_type(data, type_id)
    qualification = data.qualification(type_id, worker_id)
    if qualification is None:
        raise request_error("You requested a Qualification that does not exist.", NOT_HELD_CODE)
    return {"Qualification": _wire_qualification(qualification)}


def op_get_qualification_type(data: Dataset, params: JSONDict) -> JSONDict:
    type_id = _require(params, "QualificationTypeId", TYPE_ID_RE)
    return {"QualificationType": _wire_type(_existing_type(data, type_id))}


def op_list_workers_with_qualification_type(data: Dataset, params: JSONDict) -> JSONDict:
    type_id = _require(params, "QualificationTypeId", TYPE_ID_RE)
    _existing_type(data, type_id)
    status = params.get("Status")
    if status not in (None, "Granted", "Revoked"):
        raise request_error(f"Status [{status}] is not valid.")
    holders = [
        _wire_qualification(q)
        for q in data.qualifications
        if q["QualificationTypeId"] == type_id and (status is None or q["Status"] == status)
    ]
    return _page(params, holders, "Qualifications")


def op_list_qualification_types(data: Dataset, params: JSONDict) -> JSONDict:
    if not isinstance(params.get("MustBeRequestable"), bool):
        raise ServiceError(
            "ValidationException",
            "1 validation error detected: Value null at 'mustBeRequestable' failed to satisfy "
            "constraint: Member must not be null",
            message_key="message",
        )
    query = str(params.get("Query") or "").lower()
    types = [
        _wire_type(t)
        for t in data.qualification_types
        if (not params["MustBeRequestable"] or t.get("IsRequestable"))
        and (not query or query in f"{t['Name']} {t.get('Keywords', '')}".lower())
    ]
    return _page(params, types, "QualificationTypes")


def op_get_account_balance(data: Dataset, params: JSONDict) -> JSONDict:
    return {"AvailableBalance": data.balance}


OPERATIONS: dict[str, Callable[[Dataset, JSONDict], JSONDict]] = {
    "GetQualificationScore": op_get_qualification_score,
    "GetQualificationType": op_get_qualification_type,
    "ListWorkersWithQualificationType": op_list_workers_with_qualification_type,
    "ListQualificationTypes": op_list_qualification_types,
    "GetAccountBalance": op_get_account_balance,
}


# --------------------------------------------------------------------------- HTTP


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: with Nagle's algorithm on, each answer
    # would wait ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.owner.log is not None:
            self.server.owner.log(format % args)

    def do_GET(self) -> None:
        self._send(200, b"qualtui local MTurk endpoint: POST JSON 1.1 to /\n", "text/plain")

    def do_POST(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        access_key, failure = sigv4.check("POST", self.path, headers, body, owner.credentials)
        if failure is not None:
            self._send_json(400, {"__type": failure.code, "message": failure.message})
            return
        target = headers.get("x-amz-target", "")
        operation = target.removeprefix(TARGET_PREFIX)
        if not target.startswith(TARGET_PREFIX) or operation not in OPERATIONS:
            self._send_json(400, {"__type": "UnknownOperationException"})
            return
        try:
            params = json.loads(body or b"{}")
            if not isinstance(params, dict):
                raise ValueError("not an object")
        except ValueError:
            self._send_json(400, {"__type": "SerializationException"})
            return
        owner.record(Call(operation, params, access_key))
        owner.enter()
        try:
            self._operate(owner, operation, params)
        finally:
            owner.leave()

    def _operate(self, owner: LocalMTurk, operation: str, params: JSONDict) -> None:
        fault = owner.fault_for(operation, params)
        if fault is not None and self._answer_fault(fault):
            return
        try:
            result = OPERATIONS[operation](owner.data, params)
        except ServiceError as error:
            self._send_json(error.status, error.body())
            return
        self._send_json(200, result)

    def _answer_fault(self, fault: Fault) -> bool:
        """Answer the call as the fault says; False when the call should go on."""
        if fault.kind == "throttle":
            self._send_json(400, {"__type": "ThrottlingException", "message": "Rate exceeded"})
        elif fault.kind == "service_fault":
            self._send_json(
                500, {"__type": "ServiceFault", "Message": fault.message, "TurkErrorCode": None}
            )
        elif fault.kind == "http_error":
            self._send(fault.status, b"<html><body>Service Unavailable</body></html>", "text/html")
        elif fault.kind == "drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif fault.kind == "malformed":
            self._send(200, b'{"Qualification": {"WorkerId": ', CONTENT_TYPE)
        elif fault.kind == "error":
            body = {"__type": fault.code, "Message": fault.message}
            if fault.turk_error_code:
                body["TurkErrorCode"] = fault.turk_error_code
            self._send_json(fault.status if fault.status < 500 else 400, body)
        else:
            return False
        return True

    def _send_json(self, status: int, payload: JSONDict) -> None:
        self._send(status, json.dumps(payload).encode("utf-8"), CONTENT_TYPE)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.end_headers()
        self.wfile.write(body)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a batch opens many connections at once; 5 drops some SYNs

    def __init__(self, address: tuple[str, int], owner: LocalMTurk) -> None:
        self.owner = owner
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up (e.g. after its read timeout) is normal, not an error.

        Nothing is ever printed to stderr: in demo mode that would draw over the UI.
        """
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        if self.owner.log is not None:
            self.owner.log(f"error serving {client_address}: {error!r}")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LocalMTurk:
    """One environment's endpoint, served from a background thread or the foreground.

    `credentials` maps access key IDs to secret keys and turns on full signature checks;
    with None any signature scoped to us-east-1 and mturk-requester is accepted.
    """

    def __init__(
        self,
        data: Dataset | None = None,
        *,
        environment: str = "production",
        host: str = "127.0.0.1",
        port: int = 0,
        credentials: Mapping[str, str] | None = None,
        faults: list[Fault] | None = None,
        seed: int | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if not _is_loopback(host):
            raise ValueError(f"the local endpoint serves loopback only, not {host!r}")
        self.data = data if data is not None else load_demo_data()[environment]
        self.credentials = dict(credentials) if credentials is not None else None
        self.faults: list[Fault] = list(faults or [])
        self.calls: list[Call] = []
        self.in_flight = 0
        self.peak_in_flight = 0  # the most calls served at once (batch concurrency)
        self.log = log
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._httpd = _HTTPServer((host, port), self)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def enter(self) -> None:
        """A call is being served: count it, and remember the most served at once."""
        with self._lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def calls_to(self, operation: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.operation == operation]

    def add_fault(self, fault: Fault) -> Fault:
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def fault_for(self, operation: str, params: Mapping[str, Any]) -> Fault | None:
        """Sleep for matching latency faults; return the first other matching fault."""
        delay = 0.0
        chosen: Fault | None = None
        with self._lock:
            for fault in self.faults:
                if fault.kind == "latency":
                    if fault.matches(operation, params, self._rng):
                        delay += fault.sleep_time(self._rng)
                elif chosen is None and fault.matches(operation, params, self._rng):
                    chosen = fault
        if delay > 0:
            time.sleep(delay)
        return chosen

    def start(self) -> LocalMTurk:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="local-mturk",
            daemon=True,
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LocalMTurk:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
