"""Server-side checking of AWS Signature Version 4, as the MTurk service does it.

Standard library only. The endpoint uses this to answer exactly what AWS answers to an
unsigned request, a request scoped to the wrong region or service, an unknown access key,
and a signature made with the wrong secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote

SERVICE = "mturk-requester"
REGION = "us-east-1"
ALGORITHM = "AWS4-HMAC-SHA256"

_AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+),\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+),\s*Signature=(?P<signature>[0-9a-f]{64})$"
)


@dataclass(frozen=True)
class AuthFailure:
    """Why a request was refused: the wire error code and message AWS uses."""

    code: str
    message: str


MISSING = AuthFailure("MissingAuthenticationTokenException", "Missing Authentication Token")
BAD_REGION = AuthFailure(
    "InvalidSignatureException", "Credential should be scoped to a valid region. "
)
BAD_SERVICE = AuthFailure(
    "InvalidSignatureException", f"Credential should be scoped to correct service: '{SERVICE}'. "
)
UNKNOWN_KEY = AuthFailure(
    "UnrecognizedClientException", "The security token included in the request is invalid."
)
BAD_SIGNATURE = AuthFailure(
    "InvalidSignatureException",
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details.",
)
MALFORMED = AuthFailure("IncompleteSignatureException", "Authorization header is malformed.")


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret_key: str, date: str, region: str, service: str) -> bytes:
    k_date = _hmac(("AWS4" + secret_key).encode("utf-8"), date)
    return _hmac(_hmac(_hmac(k_date, region), service), "aws4_request")


def canonical_request(
    method: str,
    raw_path: str,
    headers: Mapping[str, str],
    signed_headers: list[str],
    body: bytes,
) -> str:
    path, _, query = raw_path.partition("?")
    canonical_query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}"
        for k, v in sorted(parse_qsl(query, keep_blank_values=True))
    )
    canonical_headers = "".join(
        f"{name}:{' '.join(headers.get(name, '').split())}\n" for name in signed_headers
    )
    return "\n".join(
        [
            method,
            quote(path or "/", safe="/~"),
            canonical_query,
            canonical_headers,
            ";".join(signed_headers),
            hashlib.sha256(body).hexdigest(),
        ]
    )


def check(
    method: str,
    raw_path: str,
    headers: Mapping[str, str],
    body: bytes,
    credentials: Mapping[str, str] | None,
) -> tuple[str | None, AuthFailure | None]:
    """Check a request's signature.

    `headers` must be looked up by lower-case name. `credentials` maps access key IDs to
    secret keys; with None, any well-formed signature scoped to us-east-1 and MTurk is
    accepted (demo mode: any dummy keys work). Returns (access key ID, failure).
    """
    authorization = headers.get("authorization", "")
    if not authorization:
        return None, MISSING
    match = _AUTH_RE.match(authorization.strip())
    if match is None:
        return None, MALFORMED
    parts = match["credential"].split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        return None, MALFORMED
    access_key, date, region, service, _ = parts
    if region != REGION:
        return access_key, BAD_REGION
    if service != SERVICE:
        return access_key, BAD_SERVICE
    if credentials is None:
        return access_key, None
    secret = credentials.get(access_key)
    if secret is None:
        return access_key, UNKNOWN_KEY
    signed_headers = match["signed"].split(";")
    amz_date = headers.get("x-amz-date", "")
    creq = canonical_request(method, raw_path, headers, signed_headers, body)
    string_to_sign = "\n".join(
        [
            ALGORITHM,
            amz_date,
            f"{date}/{region}/{service}/aws4_request",
            hashlib.sha256(creq.encode("utf-8")).hexdigest(),
        ]
    )
    expected = hmac.new(
        signing_key(secret, date, region, service), string_to_sign.encode("utf-8"), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, match["signature"]):
        return access_key, BAD_SIGNATURE
    return access_key, None
