"""How the MTurk clients are built: retries, timeouts, TLS (`ClientSettings`) and qualtui's
defaults for them. Apart from `qualtui.core.client` so that the command line and the app's
config read them without importing the client cache (not needed before the first frame)."""

from __future__ import annotations

from typing import NamedTuple

DEFAULT_MAX_ATTEMPTS = 4
DEFAULT_RETRY_MODE = "standard"
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 10.0
DEFAULT_BUILD_TIMEOUT = 20.0


class ClientSettings(NamedTuple):
    """A NamedTuple (immutable, compared by value; `_replace` makes a changed copy) rather
    than a frozen dataclass: it is defined before the first frame, where a dataclass costs
    ~0.5 ms."""

    max_attempts: int | None = None
    retry_mode: str | None = None
    connect_timeout: float | None = DEFAULT_CONNECT_TIMEOUT  # None: no limit
    read_timeout: float | None = DEFAULT_READ_TIMEOUT
    build_timeout: float = DEFAULT_BUILD_TIMEOUT
    # TLS: None verifies with botocore's choice (AWS_CA_BUNDLE, ca_bundle in the profile,
    # the bundled CAs), a path verifies with that CA bundle, False does not verify.
    verify: bool | str | None = None
    # Demo mode's dummy keys. Never shown, logged or stored.
    static_credentials: tuple[str, str] | None = None

    def __repr__(self) -> str:
        """Every field but the credentials."""
        shown = (
            f"{n}={v!r}"
            for n, v in zip(self._fields, self, strict=True)
            if n != "static_credentials"
        )
        return f"ClientSettings({', '.join(shown)})"
