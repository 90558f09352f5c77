"""What every sub-command shares: the parser, the usage error, argument types, shared options."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

from qualtui.cli.usage import EXIT_USAGE as EXIT_USAGE
from qualtui.cli.usage import UsageError as UsageError
from qualtui.core import paths, settings
from qualtui.core.client_settings import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_READ_TIMEOUT,
)
from qualtui.core.connection import MTURK_REGION, endpoint_problem, is_valid_region
from qualtui.core.history.caps import DEFAULT_LIMIT

if TYPE_CHECKING:
    from qualtui.endpoint import Fault


class CliParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr and exit status 2 (or
    `usage_status`, e.g. the AWS CLI's 252 for `get-qualification-score`)."""

    def __init__(self, *args: Any, usage_status: int = EXIT_USAGE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.usage_status = usage_status

    def error(self, message: str) -> NoReturn:
        self.exit(self.usage_status, f"{self.prog}: error: {message} (see --help)\n")


class NotSharedOnly(Exception):
    """The command line is more than the shared options: the whole parser reads it."""


class SharedOptionsParser(CliParser):
    """The shared options alone (`qualtui.cli.shared_only`): anything else is an error."""

    def error(self, message: str) -> NoReturn:
        raise NotSharedOnly(message)


def int_in_range(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from `minimum` to `maximum` (None: no upper bound)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more: {text!r}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be {maximum} or less: {text!r}")
        return value

    parse.__name__ = "whole number"  # argparse names the type in its messages
    return parse


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be between 0 and 3600 seconds: {text!r}")
    return value


def region(text: str) -> str:
    if not is_valid_region(text):
        raise argparse.ArgumentTypeError(f"not an AWS region name: {text!r}")
    return text


def endpoint_url(text: str) -> str:
    problem = endpoint_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text.rstrip("/")


def profile_name(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("the profile name is empty")
    return text


def port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return value


def fault(text: str) -> Fault:
    from qualtui.endpoint import Fault

    try:
        return Fault.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


FAULT_HELP = (
    "make the local endpoint misbehave, e.g. 'throttle:rate=0.3', 'latency:delay=0.2-0.8', "
    "'service_fault:times=2', 'http_error:status=503', 'drop:worker=A1GRANTEDWORKER', "
    "'malformed:op=GetQualificationScore', 'repeat_token:op=ListHITs', "
    "'error:code=RequestError,message=TEXT' (repeatable; "
    "options: op, worker, times, rate, delay, status, code, turk-code, message last)"
)


def add_shared_options(
    parser: argparse.ArgumentParser, *, suppress: bool = False, skip: frozenset[str] = frozenset()
) -> None:
    """The connection and app options, on the main parser and again on each sub-command.

    With `suppress`, an option left out does not overwrite the main parser's value. Options
    in `skip` are left out (a sub-command that defines them its own way).
    """

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    class _Group:
        def __init__(self, group: Any) -> None:
            self.group = group

        def add_argument(self, flag: str, **kwargs: Any) -> None:
            if flag not in skip:
                self.group.add_argument(flag, **kwargs)

        def add_mutually_exclusive_group(self) -> _Group:
            return _Group(self.group.add_mutually_exclusive_group())

    connection = _Group(parser.add_argument_group("connection"))
    connection.add_argument(
        "--profile", type=profile_name, default=default(None), help="AWS profile to start with"
    )
    where = connection.add_mutually_exclusive_group()
    where.add_argument(
        "--region",
        type=region,
        default=default(None),
        help=f"region to sign for (MTurk exists only in {MTURK_REGION}, the default)",
    )
    where.add_argument(
        "--sandbox", action="store_true", default=default(False), help="use the MTurk sandbox"
    )
    connection.add_argument(
        "--endpoint-url",
        type=endpoint_url,
        default=default(None),
        help="send every request to this endpoint instead",
    )
    connection.add_argument(
        "--max-attempts",
        type=int_in_range(1),
        default=default(None),
        help=f"HTTP attempts per call, retries included (default {DEFAULT_MAX_ATTEMPTS}, "
        "or AWS_MAX_ATTEMPTS)",
    )
    connection.add_argument(
        "--timeout",
        type=seconds,
        default=default(None),
        help=f"read timeout in seconds (default {DEFAULT_READ_TIMEOUT:g}; the connect "
        f"timeout is {DEFAULT_CONNECT_TIMEOUT:g} or this, whichever is smaller)",
    )
    connection.add_argument(
        "--connect-timeout",
        type=seconds,
        default=default(None),
        help=f"connect timeout in seconds (default {DEFAULT_CONNECT_TIMEOUT:g}, or --timeout "
        "if smaller)",
    )
    connection.add_argument(
        "--ca-bundle",
        default=default(None),
        metavar="FILE",
        help="verify TLS with this CA bundle (default: AWS_CA_BUNDLE, ca_bundle in the "
        "profile, else the bundled CAs)",
    )
    connection.add_argument(
        "--no-verify-ssl",
        action="store_true",
        default=default(False),
        help="do not verify TLS certificates (unsafe: anyone on the way can read and "
        "change the answers)",
    )
    connection.add_argument(
        "--debug",
        action="store_true",
        default=default(False),
        help="botocore's debug log, secrets redacted: on stderr for commands, in the log "
        "file for the app",
    )
    app = _Group(parser.add_argument_group("app"))
    app.add_argument(
        "--read-only",
        action="store_true",
        default=default(False),
        help="no write action: set, grant, revoke, apply, accept, reject and undo refuse "
        "(also read_only in settings)",
    )
    app.add_argument(
        "--demo",
        action="store_true",
        default=default(False),
        help="use the built-in local endpoint and demo data",
    )
    app.add_argument(
        "--fault",
        type=fault,
        action="append",
        default=default([]),
        metavar="SPEC",
        help=FAULT_HELP,
    )
    app.add_argument(
        "--data-dir",
        default=default(None),
        help=f"where history is kept (default: ${paths.DATA_DIR_ENV} or the "
        "platform's user data directory)",
    )
    app.add_argument(
        "--history-limit",
        type=int_in_range(0),
        default=default(None),
        help=f"entries kept in the history (default: history_limit in {settings.SETTINGS_FILE}, "
        f"else {DEFAULT_LIMIT}; 0 turns it off)",
    )
