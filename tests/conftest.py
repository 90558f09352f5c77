"""Shared fixtures. Every test is isolated from the real ~/.aws, the real data directories
and the network: only loopback connections are allowed, and host names other than
localhost do not resolve (as for a DNS failure)."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from qualtui.core.client import ClientSettings
from qualtui.core.config import AppConfig, DemoExample
from qualtui.core.connection import PRODUCTION, SANDBOX, EndpointPlan
from qualtui.endpoint import LocalMTurk

ACCESS_KEY = "AKIATESTQUALTUI00001"
SECRET_KEY = "test-secret-key-0123456789abcdefghijklm"
OTHER_ACCESS_KEY = "AKIATESTQUALTUI00002"
OTHER_SECRET_KEY = "other-secret-key-0123456789abcdefghijkl"
SESSION_TOKEN = "test-session-token-FwoGZXIvYXdzEJr"
TRANSCRIBE = "3DEMOTRANSCRIBE000000000000001"
LOCALE_TYPE = "3DEMOLOCALE0000000000000000001"
SANDBOX_TYPE = "3SANDBOXTEST000000000000000001"


@dataclass
class Isolation:
    root: Path
    aws_config: Path
    aws_credentials: Path
    data_dir: Path
    state_dir: Path

    def write_aws_files(self, config: str = "", credentials: str = "") -> None:
        self.aws_config.parent.mkdir(parents=True, exist_ok=True)
        self.aws_config.write_text(config)
        self.aws_credentials.write_text(credentials)


def _is_local(host: object) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Isolation]:
    for name in list(os.environ):
        if name.startswith(("AWS_", "QUALTUI_")):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    iso = Isolation(
        root=tmp_path,
        aws_config=tmp_path / "aws" / "config",
        aws_credentials=tmp_path / "aws" / "credentials",
        data_dir=tmp_path / "data",
        state_dir=tmp_path / "state",
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(iso.aws_config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(iso.aws_credentials))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("QUALTUI_DATA_DIR", str(iso.data_dir))
    for var, sub in (("XDG_DATA_HOME", "xdg-data"), ("XDG_CONFIG_HOME", "xdg-config")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.setenv("XDG_STATE_HOME", str(iso.state_dir))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))

    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def guarded_connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0] if isinstance(address, tuple) else address
            if not _is_local(host):
                raise ConnectionRefusedError(f"tests never leave this machine: {address!r}")
        real_connect(self, address)  # type: ignore[arg-type]

    def guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if not _is_local(host):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (test)")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    yield iso


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """cli.main() attaches a file handler to the qualtui logger; undo it after each test."""
    logger = logging.getLogger("qualtui")
    saved = (list(logger.handlers), logger.propagate, logger.level)
    yield
    for handler in logger.handlers:
        if handler not in saved[0]:
            handler.close()
    logger.handlers, logger.propagate, logger.level = saved[0], saved[1], saved[2]


@pytest.fixture
def endpoint() -> Iterator[LocalMTurk]:
    """The production demo data set, checking signatures against the test keys."""
    with LocalMTurk(credentials={ACCESS_KEY: SECRET_KEY, OTHER_ACCESS_KEY: OTHER_SECRET_KEY}) as s:
        yield s


@pytest.fixture
def sandbox_endpoint() -> Iterator[LocalMTurk]:
    with LocalMTurk(environment=SANDBOX, credentials={ACCESS_KEY: SECRET_KEY}) as server:
        yield server


@pytest.fixture
def both_environments(endpoint: LocalMTurk, sandbox_endpoint: LocalMTurk) -> EndpointPlan:
    """Production and sandbox each on their own local endpoint, as in demo mode."""
    return EndpointPlan(per_environment={PRODUCTION: endpoint.url, SANDBOX: sandbox_endpoint.url})


@contextlib.contextmanager
def demo_server_process(*args: str) -> Iterator[tuple[str, str]]:
    """`python -m qualtui demo-server --port 0 ARGS` in a process: (its first line, its URL)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "qualtui", "demo-server", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        yield first, first.rsplit(" ", 1)[1].strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def aws_profiles(isolated: Isolation) -> Isolation:
    """Profiles: default and research with the test keys, wrongsecret, an SSO one."""
    isolated.write_aws_files(
        config=(
            "[default]\nregion = us-east-1\n\n"
            "[profile research]\nregion = us-east-1\n\n"
            "[profile sso-dev]\nsso_session = corp\nsso_account_id = 111122223333\n"
            "sso_role_name = Requester\nregion = us-east-1\n\n"
            "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n"
            "sso_region = us-east-1\n"
        ),
        credentials=(
            f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n\n"
            f"[research]\naws_access_key_id = {OTHER_ACCESS_KEY}\n"
            f"aws_secret_access_key = {OTHER_SECRET_KEY}\n\n"
            f"[wrongsecret]\naws_access_key_id = {ACCESS_KEY}\n"
            "aws_secret_access_key = not-the-right-secret\n"
        ),
    )
    return isolated


@pytest.fixture
def make_config(isolated: Isolation) -> Callable[..., AppConfig]:
    """An AppConfig for the app under test; endpoints is an EndpointPlan or a URL."""

    def make(
        endpoints: EndpointPlan | str | None = None,
        *,
        profile: str | None = None,
        environment: str = PRODUCTION,
        history_limit: int = 1000,
        read_timeout: float = 5.0,
        max_attempts: int | None = 2,
        static_credentials: tuple[str, str] | None = None,
        demo_examples: tuple[DemoExample, ...] | None = None,
    ) -> AppConfig:
        plan = EndpointPlan(override=endpoints) if isinstance(endpoints, str) else endpoints
        return AppConfig(
            history_path=isolated.data_dir / "history.json",
            profile=profile,
            environment=environment,
            endpoints=plan or EndpointPlan(),
            client_settings=ClientSettings(
                max_attempts=max_attempts,
                connect_timeout=min(2.0, read_timeout),
                read_timeout=read_timeout,
                static_credentials=static_credentials,
            ),
            history_limit=history_limit,
            demo_examples=demo_examples,
        )

    return make


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Block until `condition()` holds (for code outside an event loop)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)
