"""Secrets out of text that is kept or shown: log lines, failure messages, URLs.

A credential_process that fails may echo its secret to stderr, and botocore puts that text
in its exception; an endpoint URL may carry `user:password@`. What qualtui writes to its log
or shows on screen passes through here first.
"""

from __future__ import annotations

import functools
import logging
import re
from urllib.parse import urlsplit, urlunsplit

MASK = "[redacted]"


class _Patterns:
    """The patterns, compiled on the first `redact` (the first frame needs none of them)."""

    def __init__(self) -> None:
        self.secrets = [
            # key=value and "key": "value" for the names AWS tools use for secrets
            re.compile(
                r"(?i)((?:aws_)?(?:secret_access_key|secret|session_token|security_token|"
                r"password|token|SecretAccessKey|SessionToken)[\"']?\s*[:=]\s*[\"']?)"
                r"([^\s\"',;]+)"
            ),
            # SigV4 pieces in headers and URLs
            re.compile(r"(Signature=)([0-9a-f]{16,})"),
            re.compile(r"(X-Amz-Security-Token[\"']?\s*[:=]\s*[\"']?)([^\s\"',;&]+)"),
            re.compile(r"(Credential=)([A-Z0-9]{16,})"),
        ]
        # Access key IDs are not secret by themselves but identify the account: keep the
        # last four.
        self.access_key = re.compile(r"\b((?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12})([A-Z0-9]{4})\b")
        # A bare 40-character AWS secret, or a long token, standing alone.
        self.bare_secret = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
        self.long_token = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{100,}")
        self.userinfo = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@]+@", re.IGNORECASE)


@functools.cache
def _patterns() -> _Patterns:
    return _Patterns()


def redact(text: str) -> str:
    """`text` with secrets replaced by [redacted] (access key IDs keep their last four)."""
    patterns = _patterns()
    for pattern in patterns.secrets:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    text = patterns.userinfo.sub(lambda m: m.group(1) + MASK + "@", text)
    text = patterns.long_token.sub(MASK, text)
    text = patterns.bare_secret.sub(MASK, text)
    return patterns.access_key.sub(lambda m: "****************" + m.group(2), text)


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
