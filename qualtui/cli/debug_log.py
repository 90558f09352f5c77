"""`--debug`: botocore's debug log on stderr, as the AWS CLI prints it, with secrets redacted.

Signatures, access key IDs, secret keys and session tokens never reach the terminal: the
log is scrubbed by pattern, and by the exact secrets of the client when they are known.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from typing import IO

REDACTED = "REDACTED"
_PATTERNS = (
    re.compile(r"(Signature=)[0-9a-fA-F]+"),
    re.compile(r"(Credential=)[^,\s'\"]+"),
    re.compile(
        r"((?:X-Amz-Security-Token|x-amz-security-token)['\"]?\s*[:=]\s*b?['\"]?)[^'\",\s}]+"
    ),
    re.compile(
        r"((?:aws_secret_access_key|aws_session_token|SecretAccessKey|SessionToken)"
        r"['\"]?\s*[:=]\s*['\"]?)[^'\",\s}]+"
    ),
    re.compile(r"()\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b"),
)
FORMAT = "%(asctime)s - %(threadName)s - %(name)s - %(levelname)s - %(message)s"
LOGGERS = ("botocore", "boto3", "urllib3", "qualtui")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


class RedactingFilter(logging.Filter):
    """Formats each record's message once, redacted; the handler then prints it as is."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string in a library's log call
            message = str(record.msg)
        record.msg, record.args = redact(message, self.secrets), None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.msg = f"{record.msg}\n{redact(text, self.secrets)}"
            record.exc_info, record.exc_text = None, None
        return True


def enable(
    stream: IO[str] | None = None, handler: logging.Handler | None = None
) -> RedactingFilter:
    """Send the debug log of botocore, urllib3 and qualtui to `handler`, else to `stream`
    (stderr)."""
    if handler is None:
        handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    scrubber = RedactingFilter()
    handler.addFilter(scrubber)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    return scrubber


def remember_client_secrets(scrubber: RedactingFilter, client: object) -> None:
    """Add the client's own keys and token to what is redacted (best effort)."""
    try:
        credentials = client._request_signer._credentials  # type: ignore[attr-defined]
        if credentials is not None:
            frozen = credentials.get_frozen_credentials()
            scrubber.secrets.update(
                s for s in (frozen.access_key, frozen.secret_key, frozen.token) if s
            )
    except Exception:  # noqa: S110 - the patterns still redact
        pass
