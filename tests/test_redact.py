"""Secrets never reach the log or the screen."""

from __future__ import annotations

import logging

import pytest

from qualtui.core.redact import RedactingFormatter, redact, without_userinfo

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.mark.parametrize(
    "text",
    [
        f"aws_secret_access_key = {SECRET}",
        f'{{"SecretAccessKey": "{SECRET}", "Version": 1}}',
        f"secret={SECRET}",
        f"creds: {SECRET} end",
        "SessionToken: " + "FwoGZXIvYXdzEJr" * 10,
        "token=" + "abc123" * 5,
        "http://user:hunter2@proxy.example:8080/",
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1, "
        "Signature=" + "ab12" * 16,
    ],
)
def test_secrets_are_redacted(text: str) -> None:
    out = redact(text)
    assert SECRET not in out and "hunter2" not in out and "FwoGZXIvYXdzEJrFwoG" not in out
    assert "abc123abc123" not in out and "ab12ab12ab12" not in out
    assert "AKIAIOSFODNN7EXAMPLE" not in out
    assert "[redacted]" in out


def test_plain_text_is_left_alone() -> None:
    text = "QualificationType 3DEMOTRANSCRIBE000000000000001 does not exist. (1631094715163)"
    assert redact(text) == text
    assert redact("worker A1GRANTEDWORKER") == "worker A1GRANTEDWORKER"


def test_urls_lose_their_userinfo() -> None:
    assert without_userinfo("http://user:pass@host:8080/x") == "http://host:8080/x"
    assert without_userinfo("https://host/") == "https://host/"


def test_the_log_formatter_redacts_tracebacks() -> None:
    try:
        raise RuntimeError(f"credential_process said secret={SECRET}")
    except RuntimeError:
        record = logging.LogRecord("qualtui", logging.ERROR, __file__, 1, "failed", (), None)
        import sys

        record.exc_info = sys.exc_info()
    text = RedactingFormatter("%(message)s").format(record)
    assert "RuntimeError" in text and SECRET not in text
