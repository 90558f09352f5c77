"""The endpoint as an HTTP server: JSON 1.1 over HTTP/1.1 on loopback, SigV4 checked.

`LocalMTurk` serves one environment's `Dataset` from a background thread (or the
foreground), answers the operations of `operations.OPERATIONS`, applies `Fault` rules
before an operation runs, and keeps a log of the calls that reached an operation.
"""

from __future__ import annotations

import ipaddress
import json
import random
import socket
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from . import sigv4
from .dataset import Dataset, load_demo_data
from .errors import JSONDict, ServiceError, Stamp, millisecond_stamp
from .faults import Fault
from .operations import OPERATIONS, Request
from .operations.params import FIRST_PAGE_TOKEN

TARGET_PREFIX = "MTurkRequesterServiceV20170117."
CONTENT_TYPE = "application/x-amz-json-1.1"
IDLE_TIMEOUT = 60.0  # seconds a connection may sit silent (idle keep-alive or half-open)
MAX_CONNECTIONS = 256  # connections served at once, one thread each
MAX_BODY = 1024 * 1024  # bytes: a larger request is answered 413 unread
CALL_LOG_LIMIT = 2000  # calls kept for calls / calls_to
RECORDED_BODY_LIMIT = 2048  # larger bodies are recorded with their short scalar fields only


@dataclass(frozen=True)
class Call:
    """A request that reached an operation (after the signature check)."""

    operation: str
    params: JSONDict
    access_key: str | None


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

    def setup(self) -> None:
        # A per-connection socket timeout: a half-open or idle connection frees its thread.
        super().setup()
        self.connection.settimeout(self.server.owner.idle_timeout)

    def do_POST(self) -> None:
        owner = self.server.owner
        headers = {k.lower(): v for k, v in self.headers.items()}
        length = self._body_length(headers)
        if length is None:
            return
        if not headers.get("authorization"):
            # Refused before the body is read (the connection closes with it unread).
            if length:
                self._refuse(400, sigv4.MISSING.code, sigv4.MISSING.message)
            else:
                self._send_json(
                    400, {"__type": sigv4.MISSING.code, "message": sigv4.MISSING.message}
                )
            return
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True  # the client hung up mid-body
            return
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
        except (ValueError, RecursionError):
            self._send_json(400, {"__type": "SerializationException"})
            return
        recorded = params if length <= RECORDED_BODY_LIMIT else _bounded_params(params)
        owner.record(Call(operation, recorded, access_key))
        owner.enter()
        try:
            self._operate(owner, operation, params)
        finally:
            owner.leave()

    def _body_length(self, headers: Mapping[str, str]) -> int | None:
        """The body's length from Content-Length, or None when the request was refused."""
        if "transfer-encoding" in headers:
            self._refuse(411, "LengthRequiredException", "Content-Length is required.")
            return None
        raw = headers.get("content-length", "0").strip() or "0"
        if not raw.isdigit() or len(raw) > 12:
            self._refuse(400, "SerializationException", "Content-Length is not valid.")
            return None
        length = int(raw)
        if length > self.server.owner.max_body:
            self._refuse(
                413,
                "RequestEntityTooLargeException",
                f"Request body is larger than {self.server.owner.max_body} bytes.",
            )
            return None
        return length

    def _refuse(self, status: int, code: str, message: str) -> None:
        """Answer and close: the body (if any) is left unread."""
        self.close_connection = True
        self._send_json(status, {"__type": code, "message": message})

    def _operate(self, owner: LocalMTurk, operation: str, params: JSONDict) -> None:
        fault = owner.fault_for(operation, params)
        if fault is not None and self._answer_fault(fault):
            return
        try:
            with owner.data.lock:
                result = OPERATIONS[operation](Request(owner.data, params, owner.stamp() / 1000))
        except ServiceError as error:
            self._send_json(error.status, error.body(owner.stamp()))
            return
        if fault is not None and fault.kind == "repeat_token":  # the same page for ever
            result["NextToken"] = params.get("NextToken") or FIRST_PAGE_TOKEN
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
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # a batch opens many connections at once; 5 drops some SYNs

    def __init__(self, address: tuple[str, int], owner: LocalMTurk) -> None:
        self.owner = owner
        self._slots = threading.BoundedSemaphore(owner.max_connections)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """One thread per connection, up to `max_connections`; more are closed at once."""
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        # As ThreadingMixIn does, but the slot is free before the client sees the close.
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self._slots.release()
            self.shutdown_request(request)

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up (e.g. after its read timeout) is normal, not an error.

        Nothing is ever printed to stderr: in demo mode that would draw over the UI.
        """
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        if self.owner.log is not None:
            self.owner.log(f"error serving {client_address}: {error!r}")


def _bounded_params(params: Mapping[str, Any]) -> JSONDict:
    """A large request's parameters as recorded: short scalar fields, at most 32."""
    kept: JSONDict = {}
    for key, value in list(params.items())[:32]:
        if (
            isinstance(value, (bool, int, float))
            or value is None
            or (isinstance(value, str) and len(value) <= 256)
        ):
            kept[key] = value
    return kept


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
    with None any signature scoped to us-east-1 and mturk-requester is accepted. `stamp` is
    the server's clock in milliseconds: the stamp of its error messages and the GrantTime of
    its writes (fixed for repeatable pictures).
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
        stamp: Stamp = millisecond_stamp,
        idle_timeout: float = IDLE_TIMEOUT,
        max_connections: int = MAX_CONNECTIONS,
        max_body: int = MAX_BODY,
        call_log_limit: int = CALL_LOG_LIMIT,
    ) -> None:
        if not _is_loopback(host):
            raise ValueError(f"the local endpoint serves loopback only, not {host!r}")
        self.data = data if data is not None else load_demo_data()[environment]
        self.credentials = dict(credentials) if credentials is not None else None
        self.faults: list[Fault] = list(faults or [])
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections
        self.max_body = max_body
        self._calls: deque[Call] = deque(maxlen=call_log_limit)
        self.in_flight = 0
        self.peak_in_flight = 0  # the most calls served at once (batch concurrency)
        self.log = log
        self.stamp = stamp  # the clock: error-message stamps and the time of writes
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._httpd = _HTTPServer((host, port), self)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def calls(self) -> list[Call]:
        """The latest calls that reached an operation, oldest first (at most call_log_limit)."""
        with self._lock:
            return list(self._calls)

    @property
    def notifications(self) -> list[JSONDict]:
        """What the service would have e-mailed workers (grants, revokes with a reason...)."""
        with self.data.lock:
            return list(self.data.notifications)

    def record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)

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
            return [c for c in self._calls if c.operation == operation]

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
        releases: list[threading.Event] = []
        with self._lock:
            for fault in self.faults:
                if fault.kind == "latency":
                    if fault.matches(operation, params, self._rng):
                        delay += fault.sleep_time(self._rng)
                        if fault.release is not None:
                            releases.append(fault.release)
                elif chosen is None and fault.matches(operation, params, self._rng):
                    chosen = fault
        if releases:  # held until the test lets it go (or the delay runs out)
            deadline = time.monotonic() + delay
            for release in releases:
                release.wait(max(0.0, deadline - time.monotonic()))
        elif delay > 0:
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
