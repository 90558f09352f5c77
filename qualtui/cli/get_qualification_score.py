"""`qualtui get-qualification-score`: the AWS CLI's `aws mturk get-qualification-score`, with
its options and, for the same answer, its standard output byte for byte (version 2).

Exit status, as the AWS CLI version 2 documents it: 0 success; 130 Ctrl+C; 252 invalid
syntax or parameter (an ID that breaks the service's pattern included, before anything is
sent); 253 invalid environment or configuration (no credentials, unknown profile); 254 the
service returned an error (the worker does not hold it, the type does not exist); 255
anything else.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from typing import IO, Any

from qualtui import __version__
from qualtui.cli import aws_input, debug_log
from qualtui.cli.arguments import UsageError, add_shared_options, endpoint_url, int_in_range
from qualtui.cli.config import chosen_endpoints, config_from_args
from qualtui.core import aws_cli_output, ids
from qualtui.core.client import ClientCache
from qualtui.core.config import AppConfig
from qualtui.core.connection import plaintext_warning
from qualtui.core.text import printable

NAME = "get-qualification-score"
OPERATION = "GetQualificationScore"
EXIT_OK, EXIT_INTERRUPTED = 0, 130
EXIT_USAGE, EXIT_CONFIGURATION, EXIT_SERVICE, EXIT_OTHER = 252, 253, 254, 255
NO_CREDENTIALS = (
    'Unable to locate credentials. You can configure credentials by running "aws configure".'
)
AWS_CLI_TIMEOUT = 60  # seconds, the AWS CLI's default for both timeouts

FIELDS = {
    "QualificationTypeId": "The ID of the QualificationType.",
    "WorkerId": "The ID of the Worker whose Qualification is being updated.",
}
OUTPUT_SAMPLE = {
    "Qualification": {
        "QualificationTypeId": "QualificationTypeId",
        "WorkerId": "WorkerId",
        "GrantTime": "1970-01-01T00:00:00",
        "IntegerValue": 0,
        "LocaleValue": {"Country": "Country", "Subdivision": "Subdivision"},
        "Status": "Status",
    }
}

DIFFERENCES = """\
How it differs from the AWS CLI:
  - An ID that breaks the service's pattern is refused before anything is sent (exit 252;
    the AWS CLI sends it and gets a ValidationException).
  - A service error prints the AWS CLI's line, then what it means and how to fix it.
  - --no-sign-request is refused: MTurk answers only signed requests.
  - There is no pager (--no-cli-pager changes nothing) and no prompting (--cli-auto-prompt
    is accepted and ignored); --no-paginate and --cli-binary-format change nothing for this
    operation, which is not paginated and has no binary fields.
  - --debug redacts signatures, access keys, secret keys and session tokens.
  - --color auto also honours NO_COLOR.
  - qualtui's own options work here too: --demo (the built-in endpoint and demo data),
    --sandbox (the MTurk sandbox), --max-attempts, --fault (with --demo).
  - The timeouts default to the AWS CLI's 60 seconds; 0 means no limit.
Output is the AWS CLI version 2's: GrantTime in ISO 8601 unless the profile sets
cli_timestamp_format = wire; the format comes from --output, AWS_DEFAULT_OUTPUT, the
profile's output setting, else json."""


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser(
        NAME,
        help="the AWS CLI's 'aws mturk get-qualification-score', same options and output",
        description="Return the value of a worker's qualification of a given type, as "
        "'aws mturk get-qualification-score' does. Only the owner of a qualification type "
        "can read its scores. Exit status: 0 success, 130 Ctrl+C, 252 invalid syntax or "
        "parameter, 253 no credentials or unknown profile, 254 the service returned an error "
        "(e.g. the worker does not hold it), 255 anything else.",
        epilog=DIFFERENCES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage_status=EXIT_USAGE,
    )
    suppress = argparse.SUPPRESS
    parser.add_argument(
        "--qualification-type-id", metavar="<value>", help=FIELDS["QualificationTypeId"]
    )
    parser.add_argument("--worker-id", metavar="<value>", help="The ID of the Worker.")
    given = parser.add_mutually_exclusive_group()
    given.add_argument(
        "--cli-input-json", metavar="<value>", help="the arguments as JSON (inline or file://)"
    )
    given.add_argument(
        "--cli-input-yaml", metavar="<value>", help="the arguments as YAML (inline or file://)"
    )
    parser.add_argument(
        "--generate-cli-skeleton",
        nargs="?",
        const="input",
        choices=("input", "yaml-input", "output"),
        help="print a skeleton (input, yaml-input or output) and send nothing",
    )
    parser.add_argument("--debug", action="store_true", help="botocore's debug log on stderr")
    parser.add_argument(
        "--endpoint-url",
        type=endpoint_url,
        default=suppress,
        metavar="<value>",
        help="send the request to this URL",
    )
    parser.add_argument(
        "--no-verify-ssl", action="store_true", help="do not verify TLS certificates"
    )
    parser.add_argument("--no-paginate", action="store_true", help="accepted; not paginated")
    parser.add_argument("--output", choices=aws_cli_output.FORMATS, help="the output format")
    parser.add_argument("--query", metavar="<value>", help="a JMESPath query on the answer")
    parser.add_argument("--profile", default=suppress, metavar="<value>", help="AWS profile")
    parser.add_argument("--region", default=suppress, metavar="<value>", help="region to sign for")
    parser.add_argument(
        "--version", action="version", version=f"qualtui {__version__}", help="print the version"
    )
    parser.add_argument(
        "--color", choices=("on", "off", "auto"), default="auto", help="colour the table"
    )
    parser.add_argument(
        "--no-sign-request", action="store_true", help="refused: MTurk needs signed requests"
    )
    parser.add_argument("--ca-bundle", metavar="<value>", help="CA bundle to verify TLS with")
    parser.add_argument(
        "--cli-read-timeout",
        type=int_in_range(0),
        metavar="<value>",
        help="read timeout in seconds (0: no limit; default 60)",
    )
    parser.add_argument(
        "--cli-connect-timeout",
        type=int_in_range(0),
        metavar="<value>",
        help="connect timeout in seconds (0: no limit; default 60)",
    )
    parser.add_argument(
        "--cli-binary-format", choices=("base64", "raw-in-base64-out"), help="accepted; no blobs"
    )
    parser.add_argument("--no-cli-pager", action="store_true", help="accepted; never pages")
    prompt = parser.add_mutually_exclusive_group()
    prompt.add_argument("--cli-auto-prompt", action="store_true", help="accepted; never prompts")
    prompt.add_argument("--no-cli-auto-prompt", action="store_true", help="accepted")
    add_shared_options(
        parser,
        suppress=True,
        skip=frozenset(
            {
                "--profile",
                "--region",
                "--endpoint-url",
                "--timeout",
                "--connect-timeout",
                "--ca-bundle",
                "--no-verify-ssl",
                "--debug",
            }
        ),
    )


class CommandError(Exception):
    """Ends the command: `lines` on stderr, then exit `status`."""

    def __init__(self, status: int, *lines: str) -> None:
        super().__init__(lines[0] if lines else "")
        self.status = status
        self.lines = lines


def gather_parameters(args: argparse.Namespace) -> dict[str, str]:
    """QualificationTypeId and WorkerId from --cli-input-* then the options; UsageError."""
    given: dict[str, Any] = {}
    if args.cli_input_json is not None:
        given = aws_input.parse_json(aws_input.load_text("--cli-input-json", args.cli_input_json))
    elif args.cli_input_yaml is not None:
        given = aws_input.parse_yaml(aws_input.load_text("--cli-input-yaml", args.cli_input_yaml))
    unknown = [name for name in given if name not in FIELDS]
    if unknown:
        raise UsageError(
            f'Parameter validation failed: Unknown parameter in input: "{printable(unknown[0])}", '
            f"must be one of: {', '.join(FIELDS)}"
        )
    if args.qualification_type_id is not None:
        given["QualificationTypeId"] = args.qualification_type_id
    if args.worker_id is not None:
        given["WorkerId"] = args.worker_id
    missing = [f"--{_flag(name)}" for name in FIELDS if given.get(name) is None]
    if missing:
        raise UsageError(f"the following arguments are required: {', '.join(missing)}")
    kinds = {"QualificationTypeId": ids.QUALIFICATION_TYPE_ID, "WorkerId": ids.WORKER_ID}
    for name, kind in kinds.items():
        value = given[name]
        if not isinstance(value, str):
            raise UsageError(f"Parameter validation failed: {name} must be a string")
        problem = ids.problem(kind, value)
        if problem:
            hint = ""
            if ids.is_valid(kind, ids.normalize(value)):
                hint = f" (did you mean {ids.normalize(value)}?)"
            raise UsageError(
                f"--{_flag(name)} {printable(value)!r}: {problem}{hint} Nothing was sent."
            )
    return {name: given[name] for name in FIELDS}


def _flag(name: str) -> str:
    return "qualification-type-id" if name == "QualificationTypeId" else "worker-id"


def compile_query(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return aws_cli_output.compile_query(text)
    except aws_cli_output.QueryError as error:
        raise UsageError(str(error)) from None


def _timeout(value: int | None) -> float | None:
    if value is None:
        return AWS_CLI_TIMEOUT
    return None if value == 0 else float(value)


def command_config(args: argparse.Namespace) -> AppConfig:
    """The AppConfig for this call: production unless --sandbox/--region/--endpoint-url,
    the AWS CLI's timeouts unless given."""
    config = config_from_args(args)
    return replace(
        config,
        client_settings=config.client_settings._replace(
            connect_timeout=_timeout(args.cli_connect_timeout),
            read_timeout=_timeout(args.cli_read_timeout),
        ),
    )


def terminal_width(out: IO[str]) -> int:
    try:
        return os.get_terminal_size(out.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return aws_cli_output.DEFAULT_TERMINAL_WIDTH


def wants_color(choice: str, out: IO[str]) -> bool:
    if choice != "auto":
        return choice == "on"
    if os.environ.get("NO_COLOR"):
        return False
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def run(args: argparse.Namespace, out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    out = out or sys.stdout  # looked up now: tests and wrappers replace sys.stdout
    err = err or sys.stderr
    try:
        return _run(args, out, err)
    except UsageError as error:
        print(f"qualtui {NAME}: error: {error}", file=err)
        return EXIT_USAGE
    except CommandError as error:
        for line in error.lines:
            print(line, file=err)
        return error.status
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


def _run(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    if args.no_sign_request:
        raise UsageError(
            "--no-sign-request is refused: MTurk answers only requests signed with your keys, "
            "so an unsigned request can only fail. Drop the option."
        )
    if args.fault and not args.demo:
        raise UsageError("--fault applies to the local endpoint: use it with --demo")
    if args.demo and (getattr(args, "endpoint_url", None) or getattr(args, "profile", None)):
        raise UsageError("--demo uses its own endpoint and keys: drop --endpoint-url/--profile")
    if args.generate_cli_skeleton in ("input", "yaml-input"):
        out.write(aws_input.skeleton(args.generate_cli_skeleton, FIELDS, OUTPUT_SAMPLE))
        return EXIT_OK
    params = gather_parameters(args)
    query = compile_query(args.query)
    if args.generate_cli_skeleton == "output":
        out.write(aws_input.skeleton("output", FIELDS, OUTPUT_SAMPLE))
        return EXIT_OK
    scrubber = debug_log.enable(err) if args.debug else None
    config = command_config(args)
    warning = plaintext_warning(config.endpoints.url_for(config.environment))
    if warning:
        print(f"qualtui {NAME}: warning: {warning}", file=err)
    with chosen_endpoints(args, config) as config:
        answer, profile_settings = call(config, params, scrubber)
    timestamp_format = str(profile_settings.get("cli_timestamp_format") or "iso8601")
    data = aws_cli_output.convert_timestamps(answer, timestamp_format)
    if query is not None:
        data = query.search(data)
    output = (
        args.output
        or os.environ.get("AWS_DEFAULT_OUTPUT")
        or str(profile_settings.get("output") or "json")
    )
    if output not in aws_cli_output.FORMATS:
        raise CommandError(
            EXIT_CONFIGURATION, f"qualtui {NAME}: error: unknown output format {output!r}"
        )
    out.write(
        aws_cli_output.render(
            data,
            output,
            title=OPERATION,
            color=wants_color(args.color, out),
            terminal_width=terminal_width(out),
        )
    )
    out.flush()
    return EXIT_OK


def call(
    config: AppConfig, params: dict[str, str], scrubber: debug_log.RedactingFilter | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answer without ResponseMetadata, and the profile's settings; CommandError."""
    from botocore import exceptions as bce

    connection = config.endpoints.connection(config.profile, config.environment)
    clients = ClientCache(config.client_settings)
    try:
        client = clients.client(connection)
        profile_settings = _profile_settings(config.profile)
        if scrubber is not None:
            debug_log.remember_client_secrets(scrubber, client)
        answer: dict[str, Any] = dict(client.get_qualification_score(**params))
    except bce.ProfileNotFound as error:
        raise CommandError(EXIT_CONFIGURATION, "", printable(str(error))) from None
    except bce.NoCredentialsError:
        raise CommandError(
            EXIT_CONFIGURATION,
            "",
            NO_CREDENTIALS,
            "qualtui: give a profile with --profile, or set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY; 'qualtui --demo' needs no keys.",
        ) from None
    except bce.ClientError as error:
        raise CommandError(
            EXIT_SERVICE, "", printable(str(error)), *_explanation(error, connection)
        ) from None
    except bce.BotoCoreError as error:
        raise CommandError(
            EXIT_OTHER, "", printable(str(error)), *_explanation(error, connection)
        ) from None
    answer.pop("ResponseMetadata", None)
    return answer, profile_settings


def _profile_settings(profile: str | None) -> dict[str, Any]:
    import botocore.session

    return dict(botocore.session.Session(profile=profile).get_scoped_config())


def _explanation(error: BaseException, connection: Any) -> list[str]:
    from qualtui.core import errors

    failure = errors.explain(error, connection)
    lines = [f"qualtui: {failure.title}. {failure.explanation}", f"  fix: {failure.fix}"]
    if failure.command:
        lines.append(f"  run: {failure.command}")
    return [printable(line) for line in lines]
