"""Command line: `qualtui [options] [COMMAND]`. One module per sub-command:

- `app`: no command, the terminal UI (`--demo` on the local endpoints);
- `lookup`: look up workers for scripts;
- `history`: where the history lives, and exporting it;
- `hits`, `hit-workers`: your HITs, and who did them;
- `demo-server`: the local MTurk endpoint in the foreground.

Shared options, the usage error and the argument types are in `arguments`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from qualtui import __version__
from qualtui.cli import (
    app,
    debug_log,
    demo_server,
    get_qualification_score,
    history,
    hit_workers,
    hits,
    lookup,
)
from qualtui.cli.arguments import CliParser, UsageError, add_shared_options
from qualtui.cli.config import config_from_args, load_config
from qualtui.cli.log import log, log_file, setup_logging

__all__ = ["UsageError", "build_parser", "config_from_args", "main"]

_setup_logging = setup_logging  # the name tests and older callers use


def build_parser() -> argparse.ArgumentParser:
    parser = CliParser(
        prog="qualtui",
        description="Look up Amazon Mechanical Turk qualification scores in a terminal UI.",
    )
    parser.add_argument("--version", action="version", version=f"qualtui {__version__}")
    add_shared_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo_server.add_parser(commands)
    history.add_parser(commands)
    lookup.add_parser(commands)
    hits.add_parser(commands)
    hit_workers.add_parser(commands)
    get_qualification_score.add_parser(commands)
    return parser


def start_debug_log(*, to_stderr: bool) -> None:
    """--debug: on stderr for a command; in the log file for the app (stderr is its screen)."""
    if to_stderr:
        debug_log.enable(sys.stderr)
        return
    try:
        debug_log.enable(handler=logging.FileHandler(log_file(), encoding="utf-8"))
    except OSError as error:
        print(f"qualtui: warning: no debug log: {error}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        message = f"unrecognized arguments: {' '.join(unknown)}"
        if args.command == get_qualification_score.NAME:  # the AWS CLI's status for it
            print(f"qualtui {args.command}: error: {message}", file=sys.stderr)
            return get_qualification_score.EXIT_USAGE
        parser.error(message)
    if args.command == "demo-server":
        return demo_server.run(args)
    if args.command == "history":
        return history.run(args)
    if args.command == get_qualification_score.NAME:
        return get_qualification_score.run(args)
    try:
        config = load_config(args)
    except UsageError as error:
        parser.error(str(error))
    setup_logging()
    if args.debug:
        start_debug_log(to_stderr=args.command in ("lookup", hits.NAME, hit_workers.NAME))
    try:
        if args.command == "lookup":
            return lookup.run(args, config)
        if args.command == hits.NAME:
            return hits.run(args, config)
        if args.command == hit_workers.NAME:
            return hit_workers.run(args, config)
        return app.run(args, config)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # no traceback reaches the user: it goes to the log
        log.exception("qualtui stopped")
        print(
            f"qualtui: unexpected error ({type(error).__name__}); details in {log_file()}",
            file=sys.stderr,
        )
        return 1
