"""How the MTurk clients are built: retries, timeouts, TLS (`ClientSettings`) and qualtui's
defaults for them. Apart from `qualtui.core.client` so that the command line and the app's
config read them without importing the client cache (not needed before the first frame)."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_MAX_ATTEMPTS = 4
DEFAULT_RETRY_MODE = "standard"
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 10.0
DEFAULT_BUILD_TIMEOUT = 20.0


@dataclass(frozen=True)
class ClientSettings:
    max_attempts: int | None = None
    retry_mode: str | None = None
    connect_timeout: float | None = DEFAULT_CONNECT_TIMEOUT  # None: no limit
    read_timeout: float | None = DEFAULT_READ_TIMEOUT
    build_timeout: float = DEFAULT_BUILD_TIMEOUT
    # TLS: None verifies with botocore's choice (AWS_CA_BUNDLE, ca_bundle in the profile,
    # the bundled CAs), a path verifies with that CA bundle, False does not verify.
    verify: bool | str | None = None
    # Demo mode's dummy keys. Never shown, logged or stored.
    static_credentials: tuple[str, str] | None = field(default=None, repr=False)
