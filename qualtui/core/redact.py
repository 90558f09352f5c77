"""Secrets out of text that is kept or shown: log lines, failure messages, URLs.

A credential_process that fails may echo its secret to stderr, and botocore puts that text
in its exception; an endpoint URL may carry `user:password@`. What qualtui writes to its log
or shows on screen passes through here first.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit, urlunsplit

MASK = "[redacted]"

_PATTERNS = [
    # key=value and "key": "value" for the names AWS tools use for secrets
    re.compile(
        r"(?i)((?:aws_)?(?:secret_access_key|secret|session_token|security_token|password|"
        r"token|SecretAccessKey|SessionToken)[\"']?\s*[:=]\s*[\"']?)([^\s\"',;]+)"
    ),
    # SigV4 pieces in headers and URLs
    re.compile(r"(Signature=)([0-9a-f]{16,})"),
    re.compile(r"(X-Amz-Security-Token[\"']?\s*[:=]\s*[\"']?)([^\s\"',;&]+)"),
    re.compile(r"(Credential=)([A-Z0-9]{16,})"),
]
# Access key IDs are not secret by themselves but identify the account: keep the last four.
_ACCESS_KEY = re.compile(r"\b((?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12})([A-Z0-9]{4})\b")
# A bare 40-character AWS secret, or a long token, standing alone.
_BARE_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{100,}")
_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@]+@", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with secrets replaced by [redacted] (access key IDs keep their last four)."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    text = _USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)
    text = _LONG_TOKEN.sub(MASK, text)
    text = _BARE_SECRET.sub(MASK, text)
    return _ACCESS_KEY.sub(lambda m: "****************" + m.group(2), text)


def without_userinfo(url: str) -> str:
    """A URL without `user:password@`, for storing or showing it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


class RedactingFormatter(logging.Formatter):
    """A log formatter that redacts the whole record, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
