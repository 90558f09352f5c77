"""Where a lookup goes: AWS profile, MTurk environment (or region) and endpoint.

MTurk exists only in us-east-1. Production and the sandbox both sign for us-east-1; the
sandbox differs only by its endpoint. Any other region may be chosen (it is what the user
asked for), but boto3 will build a host that does not exist, so the UI warns about it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import NamedTuple
from urllib.parse import urlsplit

from qualtui.core.redact import without_userinfo

MTURK_REGION = "us-east-1"
PRODUCTION = "production"
SANDBOX = "sandbox"
PRODUCTION_URL = "https://mturk-requester.us-east-1.amazonaws.com"
SANDBOX_URL = "https://mturk-requester-sandbox.us-east-1.amazonaws.com"

# Offered after the two MTurk environments, so that a requester can see what a wrong region
# does; each is labelled with a warning.
OTHER_REGIONS = (
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-central-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ap-south-1",
    "sa-east-1",
)
REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")


def region_of(environment: str) -> str:
    """The region a request is signed for: us-east-1 for both MTurk environments."""
    return MTURK_REGION if environment in (PRODUCTION, SANDBOX) else environment


def environment_label(environment: str) -> str:
    if environment == PRODUCTION:
        return "Production  us-east-1"
    if environment == SANDBOX:
        return "Sandbox  us-east-1"
    return f"{environment}  no MTurk"


def region_warning(environment: str) -> str | None:
    if environment in (PRODUCTION, SANDBOX):
        return None
    return f"MTurk only serves us-east-1: lookups in {environment} will fail."


def is_valid_region(value: str) -> bool:
    return bool(REGION_RE.fullmatch(value))


def endpoint_problem(url: str) -> str | None:
    """Why a --endpoint-url is unusable; None when it is fine."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"not an http:// or https:// URL: {url!r}"
    try:
        _ = parts.port
    except ValueError:
        return f"bad port in {url!r}"
    return None


def is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plaintext_warning(url: str | None) -> str | None:
    """A plain-http endpoint off this machine sends signed requests unencrypted."""
    if url and urlsplit(url).scheme == "http" and not is_loopback_url(url):
        return "Plain http to another host: signed requests cross the network unencrypted."
    return None


def redirect_notice(connection: Connection, resolved: str | None) -> str | None:
    """A warning when botocore sends this connection somewhere the user did not name on the
    command line: AWS_ENDPOINT_URL(_MTURK) or the profile's endpoint_url redirecting
    Production or the Sandbox. Plain http off this machine is said too."""
    if resolved is None or connection.endpoint_url is not None:
        return None  # nothing built yet, or the user named the endpoint (warned elsewhere)
    official = SANDBOX_URL if connection.environment == SANDBOX else PRODUCTION_URL
    if connection.environment not in (PRODUCTION, SANDBOX):
        return None
    if resolved.rstrip("/") == official:
        return None
    notice = (
        f"{environment_label(connection.environment).split()[0]} goes to {resolved} "
        "(AWS_ENDPOINT_URL_MTURK, AWS_ENDPOINT_URL or endpoint_url in the profile)."
    )
    plain = plaintext_warning(resolved)
    return f"{notice} {plain}" if plain else notice


class Connection(NamedTuple):
    """Everything that decides which client a lookup uses. Holds no secrets.

    A NamedTuple, not a frozen dataclass: as immutable and hashable, and far cheaper to
    define (this module is imported before the first frame)."""

    profile: str | None
    environment: str
    endpoint_url: str | None = None

    @property
    def region(self) -> str:
        return region_of(self.environment)

    @property
    def label(self) -> str:
        who = self.profile or "environment credentials"
        where = environment_label(self.environment)
        return f"{who} · {where}" + (f" · {self.shown_endpoint}" if self.endpoint_url else "")

    @property
    def shown_endpoint(self) -> str | None:
        """The endpoint URL to show or store: without any user:password part."""
        return without_userinfo(self.endpoint_url) if self.endpoint_url else None


class EndpointPlan(NamedTuple):
    """Which endpoint each environment uses.

    `override` (from --endpoint-url) wins for every environment. `per_environment` serves
    demo mode, where production and the sandbox are two local endpoints. Otherwise the
    sandbox gets its public endpoint and production and other regions boto3's default.
    """

    override: str | None = None
    per_environment: Mapping[str, str] | None = None

    def url_for(self, environment: str) -> str | None:
        if self.override:
            return self.override
        if self.per_environment is not None:
            return self.per_environment.get(environment, self.per_environment.get(PRODUCTION))
        return SANDBOX_URL if environment == SANDBOX else None

    def connection(self, profile: str | None, environment: str) -> Connection:
        return Connection(profile, environment, self.url_for(environment))
