"""Command line: `qualtui [options]` runs the app; `qualtui demo-server` runs the endpoint."""

from __future__ import annotations

import argparse
import contextlib
import logging
import logging.handlers
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NoReturn

from qualtui import __version__, cli_history, cli_lookup
from qualtui.core import paths, settings
from qualtui.core.client import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_READ_TIMEOUT,
    ClientSettings,
)
from qualtui.core.config import AppConfig
from qualtui.core.connection import (
    MTURK_REGION,
    PRODUCTION,
    SANDBOX,
    EndpointPlan,
    endpoint_problem,
    is_valid_region,
)
from qualtui.core.history import DEFAULT_LIMIT

if TYPE_CHECKING:
    from qualtui.endpoint import Fault

log = logging.getLogger("qualtui")


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def int_at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more: {text!r}")
        return value

    return parse


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be between 0 and 3600 seconds: {text!r}")
    return value


def _region(text: str) -> str:
    if not is_valid_region(text):
        raise argparse.ArgumentTypeError(f"not an AWS region name: {text!r}")
    return text


def _endpoint(text: str) -> str:
    problem = endpoint_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text.rstrip("/")


def _profile(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("the profile name is empty")
    return text


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return value


def _fault(text: str) -> Fault:
    from qualtui.endpoint import Fault

    try:
        return Fault.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


FAULT_HELP = (
    "make the local endpoint misbehave, e.g. 'throttle:rate=0.3', 'latency:delay=0.2-0.8', "
    "'service_fault:times=2', 'http_error:status=503', 'drop:worker=A1GRANTEDWORKER', "
    "'malformed:op=GetQualificationScore', 'error:code=RequestError,message=TEXT' (repeatable; "
    "options: op, worker, times, rate, delay, status, code, turk-code, message last)"
)


def add_shared_options(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """The connection and app options, on the main parser and again on `lookup`.

    With `suppress`, an option left out does not overwrite the main parser's value.
    """

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    connection = parser.add_argument_group("connection")
    connection.add_argument(
        "--profile", type=_profile, default=default(None), help="AWS profile to start with"
    )
    where = connection.add_mutually_exclusive_group()
    where.add_argument(
        "--region",
        type=_region,
        default=default(None),
        help=f"region to sign for (MTurk exists only in {MTURK_REGION}, the default)",
    )
    where.add_argument(
        "--sandbox", action="store_true", default=default(False), help="use the MTurk sandbox"
    )
    connection.add_argument(
        "--endpoint-url",
        type=_endpoint,
        default=default(None),
        help="send every request to this endpoint instead",
    )
    connection.add_argument(
        "--max-attempts",
        type=int_at_least(1),
        default=default(None),
        help=f"HTTP attempts per call, retries included (default {DEFAULT_MAX_ATTEMPTS}, "
        "or AWS_MAX_ATTEMPTS)",
    )
    connection.add_argument(
        "--timeout",
        type=_seconds,
        default=default(None),
        help=f"read timeout in seconds (default {DEFAULT_READ_TIMEOUT:g}; the connect "
        f"timeout is {DEFAULT_CONNECT_TIMEOUT:g} or this, whichever is smaller)",
    )
    app = parser.add_argument_group("app")
    app.add_argument(
        "--demo",
        action="store_true",
        default=default(False),
        help="use the built-in local endpoint and demo data",
    )
    app.add_argument(
        "--fault",
        type=_fault,
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
        type=int_at_least(0),
        default=default(None),
        help=f"entries kept in the history (default: history_limit in {settings.SETTINGS_FILE}, "
        f"else {DEFAULT_LIMIT}; 0 turns it off)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="qualtui",
        description="Look up Amazon Mechanical Turk qualification scores in a terminal UI.",
    )
    parser.add_argument("--version", action="version", version=f"qualtui {__version__}")
    add_shared_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    server = commands.add_parser(
        "demo-server",
        help="run the local MTurk endpoint in the foreground",
        description="Run the local MTurk-compatible endpoint until Ctrl+C. Point the AWS "
        "CLI or boto3 at it with --endpoint-url and any dummy keys, region us-east-1.",
    )
    server.add_argument("--port", type=_port, default=8443, help="port (default 8443; 0 picks one)")
    server.add_argument(
        "--environment",
        choices=(PRODUCTION, SANDBOX),
        default=PRODUCTION,
        help="which demo data set to serve",
    )
    server.add_argument(
        "--fault", type=_fault, action="append", default=[], metavar="SPEC", help=FAULT_HELP
    )
    server.add_argument("--seed", type=int, help="seed the fault dice, for repeatable runs")
    cli_history.add_parser(commands)
    cli_lookup.add_parser(commands)
    return parser


def config_from_args(
    args: argparse.Namespace, saved: settings.LoadedSettings | None = None
) -> AppConfig:
    saved = saved or settings.LoadedSettings(settings.Settings())
    if args.demo and (args.endpoint_url or args.profile):
        raise _UsageError("--demo uses its own endpoint and keys: drop --endpoint-url/--profile")
    if args.fault and not args.demo:
        raise _UsageError("--fault applies to the local endpoint: use it with --demo")
    remembered = saved.settings.environment
    environment = remembered if remembered in (PRODUCTION, SANDBOX) else PRODUCTION
    if args.sandbox:
        environment = SANDBOX
    elif args.region:
        environment = PRODUCTION if args.region == MTURK_REGION else args.region
    timeout = args.timeout or DEFAULT_READ_TIMEOUT
    client_settings = ClientSettings(
        max_attempts=args.max_attempts,
        connect_timeout=min(DEFAULT_CONNECT_TIMEOUT, timeout),
        read_timeout=timeout,
    )
    data_dir = paths.data_dir(args.data_dir)
    return AppConfig(
        history_path=paths.history_path(data_dir, demo=args.demo),
        profile=args.profile,
        environment=environment,
        endpoints=EndpointPlan(override=args.endpoint_url),
        client_settings=client_settings,
        history_limit=(
            args.history_limit
            if args.history_limit is not None
            else saved.settings.history_limit
            if saved.settings.history_limit is not None
            else DEFAULT_LIMIT
        ),
        notices=saved.problems,
        settings=saved.settings,
        settings_path=settings.settings_path(),
    )


class _UsageError(Exception):
    pass


def _setup_logging() -> None:
    """Log to a file only: nothing may write over the terminal UI."""
    try:
        directory = paths.log_dir()
        paths.ensure_private_dir(directory)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            directory / "qualtui.log", maxBytes=1_000_000, backupCount=2, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def run_app(config: AppConfig) -> int:
    from qualtui.app import QualtuiApp

    QualtuiApp(config).run()
    return 0


@contextlib.contextmanager
def demo_endpoints(config: AppConfig, faults: Sequence[Fault] = ()) -> Iterator[AppConfig]:
    """Start the local endpoints; yield the config that points at them."""
    from dataclasses import replace

    from qualtui import demo

    endpoints = demo.DemoEndpoints.start(faults)
    try:
        yield replace(
            config,
            endpoints=endpoints.plan,
            client_settings=endpoints.client_settings(config.client_settings),
            demo_examples=demo.EXAMPLES,
        )
    finally:
        endpoints.stop()


def run_demo(config: AppConfig, faults: Sequence[Fault] = ()) -> int:
    with demo_endpoints(config, faults) as demo_config:
        return run_app(demo_config)


def run_lookup(args: argparse.Namespace, config: AppConfig) -> int:
    if not args.demo:
        return cli_lookup.run(args, config)
    with demo_endpoints(config, args.fault) as demo_config:
        return cli_lookup.run(args, demo_config)


def run_demo_server(
    port: int, environment: str, faults: Sequence[Fault] = (), seed: int | None = None
) -> int:
    from qualtui.endpoint import LocalMTurk

    try:
        server = LocalMTurk(
            environment=environment,
            port=port,
            faults=list(faults),
            seed=seed,
            log=lambda line: print(line, flush=True),
        )
    except OSError as error:
        print(f"qualtui: error: cannot listen on port {port}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"qualtui demo endpoint ({environment} data) at {server.url}", flush=True)
    print(
        f"  try: aws mturk get-account-balance --endpoint-url {server.url} --region us-east-1",
        flush=True,
    )
    for fault in faults:
        print(f"  fault: {fault}", flush=True)
    print("  (any access keys work; Ctrl+C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo-server":
        return run_demo_server(args.port, args.environment, args.fault, args.seed)
    if args.command == "history":
        return cli_history.run(
            args, paths.history_path(paths.data_dir(args.data_dir), demo=args.demo)
        )
    try:
        config = config_from_args(args, settings.load(settings.settings_path()))
    except _UsageError as error:
        parser.error(str(error))
    _setup_logging()
    try:
        if args.command == "lookup":
            return run_lookup(args, config)
        if args.demo:
            return run_demo(config, args.fault)
        return run_app(config)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # no traceback reaches the user: it goes to the log
        log.exception("qualtui stopped")
        print(
            f"qualtui: unexpected error ({type(error).__name__}); details in "
            f"{paths.log_dir() / 'qualtui.log'}",
            file=sys.stderr,
        )
        return 1
