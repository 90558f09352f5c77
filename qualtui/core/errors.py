"""The error catalogue: every way a lookup can fail, turned into words a requester can act on.

`explain(exc, connection)` maps an exception raised by boto3/botocore (or anything else) to a
`Failure`. It never raises. botocore is imported lazily, and only when there is an exception
to explain, so importing this module costs nothing at start-up.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from qualtui.core.connection import MTURK_REGION, PRODUCTION, SANDBOX, Connection
from qualtui.core.models import Failure, FailureKind, Severity
from qualtui.core.redact import redact

if TYPE_CHECKING:
    from qualtui.core.client import ClientCache

log = logging.getLogger(__name__)

NOT_HELD_CODE = "AWS.MechanicalTurk.QualificationDoesNotExist"
NOT_LINKED_CODE = "AWS.AccountNotLinked"
HIT_MISSING_CODE = "AWS.MechanicalTurk.HITDoesNotExist"
_HIT_MISSING_RE = re.compile(r"\bHit \S+ does not exist", re.IGNORECASE)
_TYPE_MISSING_RE = re.compile(r"QualificationType \[[^\]]*\] does not exist", re.IGNORECASE)
_REVOKED_RE = re.compile(r"can be called with a status of: Granted", re.IGNORECASE)


class MalformedResponse(Exception):
    """botocore parsed the answer, but it lacks what the operation always returns."""


def _failure(
    kind: FailureKind,
    title: str,
    explanation: str,
    fix: str,
    *,
    severity: Severity = "error",
    code: str | None = None,
    turk_error_code: str | None = None,
    message: str | None = None,
    command: str | None = None,
) -> Failure:
    return Failure(
        kind=kind,
        title=title,
        explanation=explanation,
        fix=fix,
        severity=severity,
        code=code,
        turk_error_code=turk_error_code,
        message=message,
        command=command,
    )


def shorten(text: str, limit: int = 300) -> str:
    """Outside text cut to `limit` characters, with a note when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more)"


def printable_value(value: object) -> str:
    return repr(shorten(str(value), 60))


def log_file_hint() -> str:
    from qualtui.core.paths import log_file

    return str(log_file())


def _where(connection: Connection) -> str:
    if connection.environment == PRODUCTION:
        return "production"
    if connection.environment == SANDBOX:
        return "the sandbox"
    return connection.environment


def _profile_flag(connection: Connection) -> str:
    return f" --profile {connection.profile}" if connection.profile else ""


def explain_service_error(
    code: str,
    message: str,
    turk_error_code: str | None,
    connection: Connection,
    status: int | None = None,
) -> Failure:
    """A `Failure` for an error the service answered (a botocore ClientError)."""
    facts: dict[str, Any] = {"code": code, "turk_error_code": turk_error_code, "message": message}
    if turk_error_code == NOT_HELD_CODE and not _REVOKED_RE.search(message):
        return _failure(
            "not_held",
            "Does not hold this qualification",
            "This worker has no qualification of this type: it was never granted, "
            "or it was removed.",
            "Nothing is broken: this is the answer. Grant the qualification if the worker "
            "should have it.",
            severity="info",
            **facts,
        )
    if turk_error_code == HIT_MISSING_CODE or _HIT_MISSING_RE.search(message):
        return _failure(
            "hit_not_found",
            "HIT not found",
            f"No HIT with this ID exists in {_where(connection)}. MTurk deletes HITs some "
            "months after they end, and sandbox and production HITs never overlap.",
            "Check the HIT ID and the environment. For a HIT that ended long ago, use the "
            "results you downloaded from the requester website.",
            severity="warning",
            **facts,
        )
    if _REVOKED_RE.search(message):
        return _failure(
            "revoked",
            "Qualification revoked",
            "The worker held this qualification, but it has been revoked.",
            "Grant it again (AssociateQualificationWithWorker) if the worker should hold it.",
            severity="warning",
            **facts,
        )
    if _TYPE_MISSING_RE.search(message):
        if connection.environment == PRODUCTION:
            hint = "If this ID comes from the sandbox, switch the environment to Sandbox: "
        elif connection.environment == SANDBOX:
            hint = "If this ID comes from production, switch the environment to Production: "
        else:
            hint = "Check the environment: "
        return _failure(
            "type_not_found",
            "Qualification type not found",
            f"No qualification type with this ID exists in {_where(connection)}, "
            "or it belongs to another requester account (only its owner can read scores).",
            hint + "sandbox and production IDs never overlap. Otherwise check the ID.",
            severity="warning",
            **facts,
        )
    if turk_error_code == NOT_LINKED_CODE or "must be linked" in message.lower():
        site = (
            "requestersandbox.mturk.com"
            if connection.environment == SANDBOX
            else ("requester.mturk.com")
        )
        return _failure(
            "account_not_linked",
            "AWS account not linked to MTurk",
            "These AWS credentials belong to an account that is not linked to an MTurk "
            "requester account.",
            f"Sign in at {site}, open Developer, and link this AWS account.",
            **facts,
        )
    if code == "ThrottlingException":
        return _failure(
            "throttled",
            "Throttled by MTurk",
            "MTurk refused the request because too many were sent; qualtui retried with "
            "backoff, and it was still refused.",
            "Wait a few seconds and try again, or lower the batch concurrency.",
            severity="warning",
            **facts,
        )
    if code == "ServiceFault":
        return _failure(
            "service_fault",
            "MTurk had an internal error",
            "The service failed to answer (ServiceFault), even after retries.",
            "Try again in a minute. If it persists, check the AWS Health Dashboard.",
            **facts,
        )
    if code in ("UnrecognizedClientException", "InvalidClientTokenId"):
        return _failure(
            "bad_keys",
            "The access key is not recognised",
            f"AWS does not know the access key of {connection.profile or 'these credentials'}.",
            f"Check the keys (aws configure{_profile_flag(connection)}), or pick another profile.",
            **facts,
        )
    if code == "InvalidSignatureException" and "scoped to a valid region" in message:
        return _failure(
            "wrong_region",
            "MTurk is not in this region",
            f"Requests were signed for {connection.region}, but MTurk only serves {MTURK_REGION}.",
            "Switch the environment to Production or Sandbox (both us-east-1).",
            **facts,
        )
    if code in ("InvalidSignatureException", "SignatureDoesNotMatch"):
        return _failure(
            "bad_keys",
            "The secret key does not match",
            "AWS could not verify the request's signature: the secret access key is wrong "
            "for this access key.",
            f"Check the secret key (aws configure{_profile_flag(connection)}).",
            **facts,
        )
    if code in ("ExpiredTokenException", "ExpiredToken", "RequestExpired"):
        return _failure(
            "expired_credentials",
            "The credentials have expired",
            "The temporary credentials (session token) are no longer valid.",
            f"Refresh them (for SSO: aws sso login{_profile_flag(connection)}) and look up again.",
            **facts,
        )
    if code in ("AccessDeniedException", "AccessDenied"):
        return _failure(
            "access_denied",
            "Access denied",
            "These credentials are not allowed to call MTurk.",
            "Attach a policy allowing mturk:GetQualificationScore (for example "
            "AmazonMechanicalTurkReadOnly) to this user or role.",
            **facts,
        )
    if code == "ValidationException":
        return _failure(
            "invalid_request",
            "The service rejected the request",
            "MTurk found a value in the request that it does not accept.",
            "Check both IDs.",
            **facts,
        )
    if status is not None and status >= 500:
        return _failure(
            "server_error",
            "MTurk is unavailable",
            f"The service answered HTTP {status}, even after retries.",
            "Try again in a minute.",
            **facts,
        )
    return _failure(
        "request_error",
        "MTurk refused the request",
        "The service answered with an error.",
        "Read the service's message below; check the IDs and the environment.",
        **facts,
    )


def explain(exc: BaseException, connection: Connection) -> Failure:
    """Turn any exception from a lookup into a `Failure`. Never raises."""
    try:
        return _explain(exc, connection)
    except Exception:  # the catalogue itself must never take the app down
        log.exception("explaining %r failed", exc)
        return unexpected(exc)


def _text(value: object) -> str | None:
    return str(value) if value else None


def unexpected(exc: BaseException) -> Failure:
    return _failure(
        "unexpected",
        "Unexpected error",
        f"Something went wrong that qualtui does not know about ({type(exc).__name__}).",
        f"Try again. The details are in qualtui's log file ({log_file_hint()}).",
        code=type(exc).__name__,
    )


def _who(connection: Connection) -> str:
    return f"profile {connection.profile!r}" if connection.profile else "the environment"


def _explain(exc: BaseException, connection: Connection) -> Failure:
    from qualtui.core.client import BadSetting, CredentialsFailed, CredentialsTimeout, import_boto3

    import_boto3()  # loaded by now, or being loaded by another thread: wait for it
    from botocore import exceptions as bce
    from botocore.parsers import ResponseParserError

    name = type(exc).__name__
    if isinstance(exc, bce.ClientError):
        error = exc.response.get("Error", {})
        return explain_service_error(
            code=str(error.get("Code") or "Unknown"),
            message=str(error.get("Message") or ""),
            turk_error_code=_text(exc.response.get("TurkErrorCode")),
            connection=connection,
            status=exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
        )
    sso_errors: tuple[type[BaseException], ...] = tuple(
        getattr(bce, n)
        for n in ("UnauthorizedSSOTokenError", "TokenRetrievalError", "SSOTokenLoadError")
        if hasattr(bce, n)
    )
    if isinstance(exc, sso_errors):
        command = f"aws sso login{_profile_flag(connection)}"
        return _failure(
            "sso_expired",
            "SSO session expired",
            f"The AWS SSO session for {connection.profile or 'this profile'} has expired or "
            "was never started.",
            f"Run {command} in a shell, then look up again.",
            code=name,
            command=command,
        )
    if isinstance(exc, BadSetting):
        flag = " (--max-attempts N overrides it)" if "max_attempts" in exc.variable.lower() else ""
        return _failure(
            "bad_config",
            "Unusable AWS setting",
            f"{exc.variable} is {printable_value(exc.value)}, but it must be {exc.expected}.",
            f"Fix or unset {exc.variable}{flag}, then try again.",
            code=name,
        )
    if isinstance(exc, bce.ConfigParseError):
        path = str(exc.kwargs.get("path", "the AWS config file"))
        return _failure(
            "bad_config",
            "AWS config file unreadable",
            f"{path} is not a valid AWS config file (a section header without its closing ] "
            "or a line without = ?).",
            f"Fix {path} (aws configure list{_profile_flag(connection)} shows what is read), "
            "then try again.",
            code=name,
        )
    if isinstance(exc, bce.InfiniteLoopConfigError):
        visited = exc.kwargs.get("visited_profiles") or []
        loop = " -> ".join([*map(str, visited), str(exc.kwargs.get("source_profile", "?"))])
        return _failure(
            "bad_config",
            "Profiles refer to each other",
            f"The source_profile settings form a loop ({loop}), so no credentials can be found.",
            "Point one profile of the loop at a profile with keys, then try again.",
            code=name,
        )
    if isinstance(exc, (bce.CredentialRetrievalError, CredentialsFailed)):
        detail = redact(str(exc.kwargs.get("error_msg", "")) if hasattr(exc, "kwargs") else "")
        detail = detail or redact(str(exc))
        return _failure(
            "credentials_failed",
            "Credential process failed",
            f"The credentials of {_who(connection)} come from a credential_process, and it "
            f"failed: {shorten(detail)}",
            "Run the credential_process in a shell to see why, fix it, then try again.",
            code=name,
            message=shorten(detail),
        )
    if isinstance(exc, bce.SSLError):
        return _failure(
            "tls_error",
            "TLS (certificate) problem",
            "The secure connection could not be set up: "
            f"{shorten(redact(str(exc.kwargs.get('error', exc))))}. A proxy that inspects "
            "traffic, a missing CA bundle, or an http:// endpoint given as https:// are the "
            "usual causes.",
            "Point AWS_CA_BUNDLE (or ca_bundle in the profile) at your organisation's CA "
            "bundle, or check the endpoint URL.",
            code=name,
        )
    if isinstance(exc, CredentialsTimeout):
        return _failure(
            "credentials_timeout",
            "Credentials did not arrive",
            f"The credentials of {_who(connection)} took longer than {exc.seconds:g} s: a "
            "credential_process, role assumption or SSO login is hanging. Other profiles "
            "still work.",
            "Run the profile's credential_process (or aws sts get-caller-identity"
            f"{_profile_flag(connection)}) in a shell to see what it waits for, then try "
            "again.",
            code=name,
        )
    if isinstance(exc, bce.ProfileNotFound):
        return _failure(
            "profile_not_found",
            "Profile not found",
            f"There is no AWS profile named {exc.kwargs.get('profile', connection.profile)!r} "
            "in the AWS config or credentials files"
            + (" (AWS_PROFILE names it)." if connection.profile is None else "."),
            (
                "Unset AWS_PROFILE (or name an existing profile in it), or pick a profile."
                if connection.profile is None
                else "Pick another profile, or add it with aws configure --profile NAME."
            ),
            code=name,
        )
    if isinstance(exc, bce.PartialCredentialsError):
        return _failure(
            "partial_credentials",
            "Incomplete credentials",
            f"Credentials were found but are incomplete: {exc}.",
            "Give both an access key ID and a secret access key (aws configure"
            f"{_profile_flag(connection)}).",
            code=name,
        )
    if isinstance(exc, bce.NoCredentialsError):
        return _failure(
            "no_credentials",
            "No AWS credentials",
            "No credentials were found "
            + (
                f"for profile {connection.profile!r}."
                if connection.profile
                else "in the environment or the default profile."
            ),
            "Pick a profile with keys, run aws configure, or set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY.",
            code=name,
        )
    if isinstance(exc, bce.ConnectTimeoutError):
        return _failure(
            "connect_timeout",
            "Connection timed out",
            f"No connection to {exc.kwargs.get('endpoint_url', 'the endpoint')} could be made "
            "in time.",
            "Check the network, VPN or proxy, then try again; --timeout allows longer.",
            code=name,
        )
    if isinstance(exc, bce.ReadTimeoutError):
        return _failure(
            "read_timeout",
            "Timed out waiting for MTurk",
            "The request was sent, but no answer came back in time.",
            "Try again; --timeout allows longer.",
            code=name,
        )
    if isinstance(exc, bce.EndpointConnectionError):
        url = str(exc.kwargs.get("endpoint_url", "the endpoint"))
        if connection.region != MTURK_REGION and not connection.endpoint_url:
            return _failure(
                "wrong_region",
                "MTurk is not in this region",
                f"MTurk exists only in {MTURK_REGION}: there is no endpoint in "
                f"{connection.region} ({url} does not exist).",
                "Switch the environment to Production or Sandbox (both us-east-1).",
                code=name,
            )
        return _failure(
            "unreachable",
            "Endpoint unreachable",
            f"Could not connect to {url}.",
            "Check the network connection and the endpoint URL, then try again.",
            code=name,
        )
    if isinstance(exc, bce.ConnectionClosedError) or name in ("ProtocolError",):
        return _failure(
            "connection_reset",
            "Connection closed",
            "The connection was closed before an answer arrived.",
            "Try again; if it keeps happening, check any proxy in between.",
            code=name,
        )
    if isinstance(exc, (ResponseParserError, MalformedResponse)):
        return _failure(
            "malformed_response",
            "Unreadable answer",
            "The endpoint answered with something that is not a valid MTurk response.",
            "Check the endpoint URL: it may not be MTurk (a proxy or captive portal?).",
            code=name,
        )
    if isinstance(exc, bce.HTTPClientError):
        return _failure(
            "connection_reset",
            "Connection failed",
            f"The HTTP connection failed ({name}).",
            "Check the network connection and try again.",
            code=name,
        )
    if isinstance(exc, (bce.NoRegionError, bce.InvalidRegionError)):
        return _failure(
            "wrong_region",
            "Invalid region",
            f"{connection.region!r} is not a usable region.",
            "Switch the environment to Production or Sandbox (both us-east-1).",
            code=name,
        )
    log.error("unexpected lookup failure", exc_info=exc)
    return unexpected(exc)


# Failures after which a cached client may be stale: the user may fix the cause (log in,
# edit the config) and try again without restarting.
_REBUILD_AFTER: frozenset[FailureKind] = frozenset(
    {
        "no_credentials",
        "partial_credentials",
        "profile_not_found",
        "sso_expired",
        "bad_keys",
        "expired_credentials",
    }
)


def failure_of(clients: ClientCache, connection: Connection, exc: BaseException) -> Failure:
    """Explain a failed call; drop the cached client when the user fixes the cause outside
    qualtui (log in, edit the config), so the next call builds a fresh one."""
    failure = explain(exc, connection)
    if failure.kind in _REBUILD_AFTER:
        clients.forget(connection)
    return failure
