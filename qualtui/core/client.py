"""MTurk clients, built lazily and cached per connection.

boto3 and botocore are imported here, inside functions, so that nothing pays for them
before the first frame. The clients themselves are safe to share between threads.

Building a client resolves the profile's credentials, which can run a `credential_process`
or assume a role and so can hang. Each connection's client is therefore built on a daemon
thread of its own, and callers wait for it at most `ClientSettings.build_timeout` seconds
(then `CredentialsTimeout`, which the error catalogue explains): a stuck profile never blocks
another profile, and never keeps the process from exiting. Only the short, purely local
steps that botocore does not promise to be thread-safe (session and client creation) share
one lock.

Retries and timeouts are set explicitly. Precedence, highest first: the command-line flags,
botocore's own settings (AWS_MAX_ATTEMPTS / AWS_RETRY_MODE, or max_attempts / retry_mode in
the profile), then qualtui's defaults below.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qualtui.core.client_settings import DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_MODE
from qualtui.core.client_settings import ClientSettings as ClientSettings  # its old home
from qualtui.core.connection import Connection
from qualtui.core.redact import without_userinfo

if TYPE_CHECKING:
    from mypy_boto3_mturk import MTurkClient

# The connection check wants a verdict, not persistence: one attempt, short timeouts.
CHECK_CONNECT_TIMEOUT = 2.0
CHECK_READ_TIMEOUT = 3.0
MAX_POOL_CONNECTIONS = 64  # enough for the largest batch concurrency

AttemptCallback = Callable[[int, int], None]
"""Called as (attempt, max_attempts) before each HTTP attempt of a call."""

_progress = threading.local()


_IMPORT_LOCK = threading.RLock()


def import_boto3() -> None:
    """Import boto3 and what a client needs, once, whichever thread asks first (the warm-up
    after the first frame, or a client built at the same moment): two threads importing
    boto3 at once can see it partly initialised (an ImportError from its circular imports),
    so every import of it goes through here."""
    with _IMPORT_LOCK:
        import boto3.session  # noqa: F401
        import botocore.config
        import botocore.session  # noqa: F401


class BadSetting(Exception):
    """A retry setting from the environment or the profile that botocore cannot use."""

    def __init__(self, variable: str, value: object, expected: str) -> None:
        super().__init__(f"{variable} is {value!r}: {expected}")
        self.variable = variable
        self.value = value
        self.expected = expected


class CredentialsFailed(Exception):
    """A credential_process ran but gave no usable credentials (its text is in the message,
    redacted)."""


class CredentialsTimeout(Exception):
    """The credentials of a profile did not arrive in time (a hanging credential_process,
    role assumption or SSO cache); other profiles are unaffected."""

    def __init__(self, connection: Connection, seconds: float) -> None:
        super().__init__(f"no credentials for {connection.profile!r} within {seconds:g} s")
        self.connection = connection
        self.seconds = seconds


@dataclass
class _Clients:
    """What one connection's build produced: the lookup client, its attempt budget, and the
    connection check's client (same session and credentials, one attempt, short timeouts)."""

    client: MTurkClient
    max_attempts: int
    check_client: MTurkClient
    # The write client (one attempt), built on the first write: lookups never pay for it.
    make_write_client: Callable[[], MTurkClient]
    write_client: MTurkClient | None = None
    write_lock: threading.Lock = field(default_factory=threading.Lock)


class _Build:
    """One connection's client, being built on a daemon thread; waited for with a bound."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.clients: _Clients | None = None
        self.error: BaseException | None = None

    def wait(self, connection: Connection, seconds: float) -> _Clients:
        if not self.done.wait(seconds):
            raise CredentialsTimeout(connection, seconds)
        if self.error is not None:
            raise self.error
        assert self.clients is not None
        return self.clients


_creation_lock = threading.Lock()  # botocore/boto3 session and client creation


class ClientCache:
    """One MTurk client per Connection, created on first use."""

    def __init__(self, settings: ClientSettings | None = None) -> None:
        self.settings = settings or ClientSettings()
        self._builds: dict[Connection, _Build] = {}
        self._lock = threading.Lock()  # guards _builds only; never held while building
        self.created = 0  # how many clients were built, for tests and benchmarks

    def client(self, connection: Connection) -> MTurkClient:
        return self._entry(connection).client

    def check_client(self, connection: Connection) -> MTurkClient:
        """The client for the connection check: one attempt, a verdict within seconds."""
        return self._entry(connection).check_client

    def write_client(self, connection: Connection) -> MTurkClient:
        """The client for writes: one attempt (botocore never re-sends a write whose request
        may have arrived; the caller verifies by reading back), the usual timeouts."""
        clients = self._entry(connection)
        with clients.write_lock:
            if clients.write_client is None:
                clients.write_client = clients.make_write_client()
            return clients.write_client

    def endpoint_url(self, connection: Connection) -> str | None:
        """The endpoint botocore resolved for this connection's client (an --endpoint-url,
        AWS_ENDPOINT_URL(_MTURK), the profile's endpoint_url, or AWS's own), without any
        user:password part; None while no client is built. Never builds one."""
        with self._lock:
            build = self._builds.get(connection)
        if build is None or not build.done.is_set() or build.clients is None:
            return None
        return without_userinfo(str(build.clients.client.meta.endpoint_url))

    def max_attempts(self, connection: Connection) -> int:
        return self._entry(connection).max_attempts

    def forget(self, connection: Connection) -> None:
        """Drop a cached client, e.g. after a credentials failure the user may have fixed."""
        with self._lock:
            self._builds.pop(connection, None)

    def _entry(self, connection: Connection) -> _Clients:
        with self._lock:
            build = self._builds.get(connection)
            if build is None:
                build = self._builds[connection] = _Build()
                threading.Thread(
                    target=self._build_into,
                    args=(connection, build),
                    name="qualtui-client",
                    daemon=True,
                ).start()
        return build.wait(connection, self.settings.build_timeout)

    def _build_into(self, connection: Connection, build: _Build) -> None:
        try:
            build.clients = self._build(connection)
            with self._lock:
                self.created += 1
        except BaseException as exc:  # handed to every waiter, who explains it
            build.error = exc
            with self._lock:
                if self._builds.get(connection) is build:
                    del self._builds[connection]  # the next call tries again
        finally:
            build.done.set()

    def _build(self, connection: Connection) -> _Clients:
        import_boto3()  # before the names below: one thread imports boto3, the rest wait
        import boto3.session
        import botocore.session
        from botocore.config import Config

        settings = self.settings
        with _creation_lock:
            core = botocore.session.Session(profile=connection.profile)
            max_attempts = settings.max_attempts or _retry_attempts(core)
            retry_mode = settings.retry_mode or _retry_mode(core)
        # Resolving credentials may run a process or call STS: outside the shared lock. The
        # session keeps what it resolved, so the clients below reuse it.
        if settings.static_credentials is None:
            try:
                core.get_credentials()
            except ValueError as exc:  # a credential_process that printed no JSON
                raise CredentialsFailed(
                    f"the credential_process printed something that is not JSON ({exc})"
                ) from exc
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
        check_config = config.merge(
            Config(
                retries={"mode": "standard", "total_max_attempts": 1},
                connect_timeout=_at_most(settings.connect_timeout, CHECK_CONNECT_TIMEOUT),
                read_timeout=_at_most(settings.read_timeout, CHECK_READ_TIMEOUT),
            )
        )
        write_config = config.merge(Config(retries={"mode": "standard", "total_max_attempts": 1}))
        keys: dict[str, Any] = {}
        if settings.static_credentials is not None:
            keys = {
                "aws_access_key_id": settings.static_credentials[0],
                "aws_secret_access_key": settings.static_credentials[1],
            }
        with _creation_lock:
            session = boto3.session.Session(botocore_session=core, region_name=connection.region)
            client = session.client(
                "mturk",
                endpoint_url=connection.endpoint_url,
                config=config,
                verify=settings.verify,
                **keys,
            )
            check_client = session.client(
                "mturk",
                endpoint_url=connection.endpoint_url,
                config=check_config,
                verify=settings.verify,
                **keys,
            )
        for each in (client, check_client):
            each.meta.events.register("before-send.mturk", _report_attempt)

        def make_write_client() -> MTurkClient:
            with _creation_lock:
                write_client = session.client(
                    "mturk", endpoint_url=connection.endpoint_url, config=write_config, **keys
                )
            write_client.meta.events.register("before-send.mturk", _report_attempt)
            return write_client

        return _Clients(client, max_attempts, check_client, make_write_client)


def _at_most(limit: float | None, bound: float) -> float:
    """A timeout no longer than `bound` (None, no limit, becomes `bound`)."""
    return bound if limit is None else min(limit, bound)


_RETRY_MODES = ("standard", "adaptive", "legacy")


def _retry_attempts(core: Any) -> int | None:
    """max_attempts from AWS_MAX_ATTEMPTS or the profile; BadSetting when unusable."""
    try:
        value = core.get_config_variable("max_attempts")
    except ValueError:
        value = _raw_setting(core, "AWS_MAX_ATTEMPTS", "max_attempts")
        value = value if value is not None else "?"
    if value is None:
        return None
    if isinstance(value, int) and 1 <= value <= 100:
        return value
    raise BadSetting(
        _source(core, "AWS_MAX_ATTEMPTS", "max_attempts"), value, "a whole number from 1 to 100"
    )


def _retry_mode(core: Any) -> str | None:
    value = core.get_config_variable("retry_mode")
    if value is None or value in _RETRY_MODES:
        return value  # type: ignore[no-any-return]
    raise BadSetting(
        _source(core, "AWS_RETRY_MODE", "retry_mode"), value, "one of " + ", ".join(_RETRY_MODES)
    )


def _raw_setting(core: Any, env: str, key: str) -> object:
    import os

    if env in os.environ:
        return os.environ[env]
    try:
        return core.get_scoped_config().get(key)
    except Exception:
        return None


def _source(core: Any, env: str, key: str) -> str:
    """Where a setting came from, as the user would look for it."""
    import os

    if env in os.environ:
        return env
    profile = core.profile or "default"
    return f"{key} in profile {profile!r}"


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
