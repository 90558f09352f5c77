"""The local endpoint as a server: bounded memory, body size, connections and time.

Raw sockets and http.client, so the tests can send what boto3 never would. With
`credentials=None` the endpoint accepts any well-formed signature, so a made-up
Authorization header reaches the operations.
"""

from __future__ import annotations

import http.client
import json
import math
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import wait_for

FAKE_AUTH = (
    "AWS4-HMAC-SHA256 Credential=AKIATESTQUALTUI00001/20261128/us-east-1/mturk-requester/"
    "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
)
TARGET = "MTurkRequesterServiceV20170117."


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[LocalMTurk]:
    options = getattr(request, "param", {})
    with LocalMTurk(**options) as s:
        yield s


def address(server: LocalMTurk) -> tuple[str, int]:
    parts = urlsplit(server.url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def call(
    server: LocalMTurk, operation: str, params: dict[str, object] | None = None
) -> tuple[int, dict[str, object]]:
    """One signed-looking call over http.client: (status, JSON body)."""
    conn = http.client.HTTPConnection(*address(server), timeout=10)
    try:
        conn.request(
            "POST",
            "/",
            body=json.dumps(params or {}),
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": TARGET + operation,
                "Authorization": FAKE_AUTH,
            },
        )
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def raw(server: LocalMTurk, head: str, body: bytes = b"") -> socket.socket:
    """A connected socket that has sent `head` (CRLF-joined lines) and `body`."""
    sock = socket.create_connection(address(server), timeout=10)
    sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n\r\n" + body)
    return sock


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], dict[str, object]]:
    response = http.client.HTTPResponse(sock)
    response.begin()
    headers = {k.lower(): v for k, v in response.getheaders()}
    return response.status, headers, json.loads(response.read())


def closed_by_server(sock: socket.socket) -> bool:
    """True when the server has closed the connection (read end of file or a reset)."""
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True


def head(length: str, *, auth: bool = True) -> str:
    lines = [
        "POST / HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/x-amz-json-1.1",
        f"X-Amz-Target: {TARGET}GetAccountBalance",
        f"Content-Length: {length}",
    ]
    if auth:
        lines.append(f"Authorization: {FAKE_AUTH}")
    return "\n".join(lines)


@pytest.mark.parametrize("server", [{"call_log_limit": 5}], indirect=True)
def test_the_call_log_keeps_the_latest_calls_only(server: LocalMTurk) -> None:
    for i in range(12):
        assert call(server, "GetAccountBalance", {"n": i})[0] == 200
    assert call(server, "GetQualificationType", {"QualificationTypeId": "NOSUCH"})[0] == 400
    assert len(server.calls) == 5
    assert [c.params.get("n") for c in server.calls_to("GetAccountBalance")] == [8, 9, 10, 11]
    assert len(server.calls_to("GetQualificationType")) == 1


def test_a_large_request_is_recorded_with_its_short_fields_only(server: LocalMTurk) -> None:
    status, _ = call(
        server,
        "GetQualificationScore",
        {
            "QualificationTypeId": "3DEMOTRANSCRIBE000000000000001",
            "WorkerId": "A1GRANTEDWORKER",
            "Padding": "x" * 100_000,
            "Nested": [1] * 1000,
        },
    )
    assert status == 200
    (recorded,) = server.calls_to("GetQualificationScore")
    assert recorded.params == {
        "QualificationTypeId": "3DEMOTRANSCRIBE000000000000001",
        "WorkerId": "A1GRANTEDWORKER",
    }


def test_a_body_over_the_cap_is_refused_before_it_is_read(server: LocalMTurk) -> None:
    sock = raw(server, head(str(2 * 1024 * 1024)))  # announces 2 MiB, sends none of it
    with sock:
        status, headers, body = read_response(sock)
        assert status == 413 and headers["connection"] == "close"
        assert body["__type"] == "RequestEntityTooLargeException"
        assert closed_by_server(sock)
    assert server.calls == []


def test_a_request_without_authorization_is_refused_before_its_body(server: LocalMTurk) -> None:
    sock = raw(server, head("500", auth=False))  # the body never comes
    with sock:
        status, _, body = read_response(sock)
        assert status == 400 and body["__type"] == "MissingAuthenticationTokenException"
        assert closed_by_server(sock)


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "99999999999999999999"])
def test_a_bad_content_length_is_answered_400(server: LocalMTurk, length: str) -> None:
    sock = raw(server, head(length))
    with sock:
        status, _, body = read_response(sock)
        assert status == 400 and body == {
            "__type": "SerializationException",
            "message": "Content-Length is not valid.",
        }
        assert closed_by_server(sock)
    assert call(server, "GetAccountBalance")[0] == 200  # and the server goes on


def test_chunked_bodies_are_refused(server: LocalMTurk) -> None:
    sock = raw(server, head("0").replace("Content-Length: 0", "Transfer-Encoding: chunked"))
    with sock:
        assert read_response(sock)[0] == 411


def test_deeply_nested_json_is_a_serialization_error(server: LocalMTurk) -> None:
    body = b"[" * 200_000 + b"]" * 200_000
    sock = raw(server, head(str(len(body))), body)
    with sock:
        status, _, answer = read_response(sock)
    assert status == 400 and answer == {"__type": "SerializationException"}


@pytest.mark.parametrize("server", [{"idle_timeout": 0.3, "max_connections": 1}], indirect=True)
def test_a_half_open_connection_times_out_and_frees_its_thread(server: LocalMTurk) -> None:
    stalled = raw(server, head("100"), b'{"half": ')  # 9 of 100 bytes, then silence
    with stalled:
        assert closed_by_server(stalled)  # the server gave up on it
    silent = socket.create_connection(address(server), timeout=10)  # sends nothing at all
    with silent:
        assert closed_by_server(silent)
    assert call(server, "GetAccountBalance")[0] == 200  # the one thread is free again


@pytest.mark.parametrize("server", [{"max_connections": 2}], indirect=True)
def test_connections_beyond_the_limit_are_closed_at_once(server: LocalMTurk) -> None:
    held = [raw(server, head("0")) for _ in range(2)]
    for sock in held:
        assert read_response(sock)[0] == 200  # served, and kept alive: a thread each
    extra = socket.create_connection(address(server), timeout=10)
    with extra:
        assert closed_by_server(extra)
    held.pop().close()

    def served() -> bool:
        try:
            return call(server, "GetAccountBalance")[0] == 200
        except (ConnectionError, http.client.RemoteDisconnected):
            return False

    wait_for(served)
    held.pop().close()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("latency:delay=inf", "from 0 to 600"),
        ("latency:delay=nan", "from 0 to 600"),
        ("latency:delay=-1", "bad value for delay"),
        ("latency:delay=601", "from 0 to 600"),
        ("latency:delay=0.1-inf", "from 0 to 600"),
        ("latency:delay=2-1", "MAX is less than MIN"),
        ("latency:delay=soon", "bad value for delay"),
    ],
)
def test_a_latency_fault_needs_a_finite_bounded_delay(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Fault.parse(spec)


@pytest.mark.parametrize("delay", [math.inf, math.nan, -0.5, 601.0])
def test_a_fault_built_in_code_checks_its_delay_too(delay: float) -> None:
    with pytest.raises(ValueError, match="seconds from 0 to 600"):
        Fault("latency", delay=delay)


def test_a_delay_at_the_cap_is_accepted() -> None:
    assert Fault.parse("latency:delay=0.5-600").delay_max == 600
