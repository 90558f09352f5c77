"""MTurk clients, built lazily and cached per connection.

boto3 and botocore are imported here, inside functions, so that nothing pays for them
before the first frame. Creating a boto3 session is not thread-safe, so creation happens
under a lock; the clients themselves are safe to share between threads.

Retries and timeouts are set explicitly. Precedence, highest first: the command-line flags,
botocore's own settings (AWS_MAX_ATTEMPTS / AWS_RETRY_MODE, or max_attempts / retry_mode in
the profile), then qualtui's defaults below.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qualtui.core.connection import Connection

if TYPE_CHECKING:
    from mypy_boto3_mturk import MTurkClient

DEFAULT_MAX_ATTEMPTS = 4
DEFAULT_RETRY_MODE = "standard"
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 10.0
MAX_POOL_CONNECTIONS = 64  # enough for the largest batch concurrency

AttemptCallback = Callable[[int, int], None]
"""Called as (attempt, max_attempts) before each HTTP attempt of a call."""

_progress = threading.local()


@dataclass(frozen=True)
class ClientSettings:
    max_attempts: int | None = None
    retry_mode: str | None = None
    connect_timeout: float | None = DEFAULT_CONNECT_TIMEOUT  # None: no limit
    read_timeout: float | None = DEFAULT_READ_TIMEOUT
    # TLS: None verifies with botocore's choice (AWS_CA_BUNDLE, ca_bundle in the profile,
    # the bundled CAs), a path verifies with that CA bundle, False does not verify.
    verify: bool | str | None = None
    # Demo mode's dummy keys. Never shown, logged or stored.
    static_credentials: tuple[str, str] | None = field(default=None, repr=False)


def import_boto3() -> None:
    """Import boto3 (and so botocore) now; used to warm up off the UI thread."""
    import boto3  # noqa: F401


class ClientCache:
    """One MTurk client per Connection, created on first use."""

    def __init__(self, settings: ClientSettings | None = None) -> None:
        self.settings = settings or ClientSettings()
        self._clients: dict[Connection, tuple[MTurkClient, int]] = {}
        self._lock = threading.Lock()
        self.created = 0  # how many clients were built, for tests and benchmarks

    def client(self, connection: Connection) -> MTurkClient:
        return self._entry(connection)[0]

    def max_attempts(self, connection: Connection) -> int:
        return self._entry(connection)[1]

    def forget(self, connection: Connection) -> None:
        """Drop a cached client, e.g. after a credentials failure the user may have fixed."""
        with self._lock:
            self._clients.pop(connection, None)

    def _entry(self, connection: Connection) -> tuple[MTurkClient, int]:
        with self._lock:
            entry = self._clients.get(connection)
            if entry is None:
                entry = self._build(connection)
                self._clients[connection] = entry
                self.created += 1
            return entry

    def _build(self, connection: Connection) -> tuple[MTurkClient, int]:
        import boto3.session
        import botocore.session
        from botocore.config import Config

        settings = self.settings
        core = botocore.session.Session(profile=connection.profile)
        max_attempts = settings.max_attempts or _int(core.get_config_variable("max_attempts"))
        retry_mode = settings.retry_mode or core.get_config_variable("retry_mode")
        max_attempts = max_attempts or DEFAULT_MAX_ATTEMPTS
        retries: Any = {
            "mode": retry_mode or DEFAULT_RETRY_MODE,
            "total_max_attempts": max_attempts,
        }
        config = Config(
            region_name=connection.region,
            retries=retries,
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            user_agent_extra="qualtui",
            max_pool_connections=MAX_POOL_CONNECTIONS,
        )
        session = boto3.session.Session(botocore_session=core, region_name=connection.region)
        keys: dict[str, Any] = {}
        if settings.static_credentials is not None:
            keys = {
                "aws_access_key_id": settings.static_credentials[0],
                "aws_secret_access_key": settings.static_credentials[1],
            }
        client = session.client(
            "mturk",
            endpoint_url=connection.endpoint_url,
            config=config,
            verify=settings.verify,
            **keys,
        )
        client.meta.events.register("before-send.mturk", _report_attempt)
        return client, max_attempts


def _int(value: object) -> int | None:
    try:
        return int(value) if value is not None else None  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _report_attempt(**_: Any) -> None:
    """botocore's before-send hook: count HTTP attempts for the calling thread."""
    state = getattr(_progress, "state", None)
    if state is not None:
        state[0] += 1
        callback, max_attempts = state[1], state[2]
        if callback is not None:
            callback(state[0], max_attempts)
    # returning None lets botocore send the request


class track_attempts:
    """Count the HTTP attempts of the calls made by this thread inside the block."""

    def __init__(self, callback: AttemptCallback | None, max_attempts: int) -> None:
        self._state: list[Any] = [0, callback, max_attempts]

    @property
    def attempts(self) -> int:
        return int(self._state[0])

    def __enter__(self) -> track_attempts:
        _progress.state = self._state
        return self

    def __exit__(self, *exc: object) -> None:
        _progress.state = None
