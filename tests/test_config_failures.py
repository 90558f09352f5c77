"""Broken AWS set-ups are explained in plain words, never as an "Unexpected error"; what a
failing credential_process prints stays out of the message and the log."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.lookup import lookup_score
from qualtui.core.models import LookupRequest, LookupResult
from qualtui.core.redact import RedactingFormatter
from qualtui.endpoint import LocalMTurk
from tests.conftest import ACCESS_KEY, SECRET_KEY, TRANSCRIBE, Isolation

LEAKED = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYLEAKEDKEY1"


def look_up(
    endpoint: LocalMTurk, profile: str | None, settings: ClientSettings | None = None
) -> LookupResult:
    connection = Connection(profile, PRODUCTION, endpoint.url)
    return lookup_score(
        ClientCache(settings), LookupRequest(connection, TRANSCRIBE, "A1GRANTEDWORKER")
    )


def test_a_config_file_that_does_not_parse(endpoint: LocalMTurk, isolated: Isolation) -> None:
    isolated.write_aws_files(config="[default\nregion = us-east-1\n")
    failure = look_up(endpoint, "default").failure
    assert failure is not None and failure.kind == "bad_config"
    assert str(isolated.aws_config) in failure.explanation


def test_source_profiles_in_a_loop(endpoint: LocalMTurk, isolated: Isolation) -> None:
    role = "role_arn = arn:aws:iam::123456789012:role/r\n"
    isolated.write_aws_files(
        config=f"[profile a]\nsource_profile = b\n{role}[profile b]\nsource_profile = a\n{role}"
    )
    failure = look_up(endpoint, "a").failure
    assert failure is not None and failure.kind == "bad_config"
    assert "a -> b -> a" in failure.explanation


@pytest.mark.parametrize(
    ("script", "said"),
    [
        (f"import sys; print('secret={LEAKED}', file=sys.stderr); sys.exit(3)", "secret="),
        ("print('this is not json')", "not JSON"),
    ],
)
def test_a_failing_credential_process(
    endpoint: LocalMTurk,
    isolated: Isolation,
    tmp_path: Path,
    script: str,
    said: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    program = tmp_path / "creds.py"
    program.write_text(script)
    isolated.write_aws_files(
        config=f"[profile p]\ncredential_process = {sys.executable} {program}\n"
    )
    with caplog.at_level(logging.INFO, logger="qualtui"):
        failure = look_up(endpoint, "p").failure
    assert failure is not None and failure.kind == "credentials_failed"
    assert said in failure.explanation and LEAKED not in failure.explanation
    assert LEAKED not in (failure.message or "")
    formatter = RedactingFormatter("%(message)s")
    assert all(LEAKED not in formatter.format(record) for record in caplog.records)
    assert endpoint.calls == []


@pytest.mark.parametrize(
    ("variable", "value"),
    [("AWS_MAX_ATTEMPTS", "abc"), ("AWS_MAX_ATTEMPTS", "-5"), ("AWS_RETRY_MODE", "bogus")],
)
def test_unusable_retry_settings_name_the_variable(
    endpoint: LocalMTurk,
    aws_profiles: Isolation,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
) -> None:
    monkeypatch.setenv(variable, value)
    failure = look_up(endpoint, "default").failure
    assert failure is not None and failure.kind == "bad_config"
    assert variable in failure.explanation and repr(value) in failure.explanation
    assert variable in failure.fix
    if variable == "AWS_MAX_ATTEMPTS":  # the flag works around it
        assert "--max-attempts" in failure.fix
        fixed = look_up(endpoint, "default", ClientSettings(max_attempts=2))
        assert fixed.qualification is not None


def test_max_attempts_in_the_profile_is_named(endpoint: LocalMTurk, isolated: Isolation) -> None:
    isolated.write_aws_files(
        config="[profile p]\nmax_attempts = lots\n",
        credentials=f"[p]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n",
    )
    failure = look_up(endpoint, "p").failure
    assert failure is not None and failure.kind == "bad_config"
    assert "max_attempts in profile 'p'" in failure.explanation


def test_tls_failure_is_explained(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    """https:// to a plain-http endpoint: the TLS handshake fails."""
    connection = Connection("default", PRODUCTION, endpoint.url.replace("http://", "https://"))
    settings = ClientSettings(max_attempts=1, connect_timeout=2, read_timeout=2)
    result = lookup_score(
        ClientCache(settings), LookupRequest(connection, TRANSCRIBE, "A1GRANTEDWORKER")
    )
    assert result.failure is not None and result.failure.kind == "tls_error"
    assert "AWS_CA_BUNDLE" in result.failure.fix


def test_environment_credentials_while_aws_profile_names_a_missing_profile(
    endpoint: LocalMTurk, isolated: Isolation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "nosuch")
    failure = look_up(endpoint, None).failure
    assert failure is not None and failure.kind == "profile_not_found"
    assert "'nosuch'" in failure.explanation and "AWS_PROFILE" in failure.explanation
    assert "None" not in failure.explanation and "Unset AWS_PROFILE" in failure.fix


def test_an_unexpected_failure_says_where_the_log_is() -> None:
    from qualtui.core.errors import unexpected
    from qualtui.core.paths import log_file

    assert str(log_file()) in unexpected(KeyError("x")).fix


def test_the_client_settings_never_show_the_demo_keys() -> None:
    """Their repr (in a log line, an AppConfig's repr) leaves the static keys out."""
    from dataclasses import replace

    from qualtui.core.config import AppConfig

    settings = ClientSettings(max_attempts=2, static_credentials=(ACCESS_KEY, SECRET_KEY))
    config = replace(AppConfig(Path("h.json")), client_settings=settings)
    for shown in (repr(settings), repr(config)):
        assert "max_attempts=2" in shown and "verify=None" in shown
        assert ACCESS_KEY not in shown and SECRET_KEY not in shown
    assert settings._replace(max_attempts=3).static_credentials == (ACCESS_KEY, SECRET_KEY)
