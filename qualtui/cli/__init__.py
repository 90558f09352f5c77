"""Command line: `qualtui [options] [COMMAND]`. One module per sub-command:

- `app`: no command, the terminal UI (`--demo` on the local endpoints);
- `lookup`: look up workers for scripts;
- `history`: where the history lives, and exporting it;
- `demo-server`: the local MTurk endpoint in the foreground;
- `write_commands`: the arguments of set, grant, revoke, undo (run by `change`), apply
  (`apply`), requests, accept and reject (`requests`); the rules every write shares are in
  `writing`.

Shared options, the usage error and the argument types are in `arguments`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from qualtui import __version__
from qualtui.cli import app, demo_server, history, lookup, write_commands
from qualtui.cli.arguments import CliParser, UsageError, add_shared_options
from qualtui.cli.config import config_from_args, load_config
from qualtui.cli.log import log, log_file, setup_logging

__all__ = ["build_parser", "config_from_args", "main"]

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
    write_commands.add_parsers(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo-server":
        return demo_server.run(args)
    if args.command == "history":
        return history.run(args)
    try:
        config = load_config(args)
    except UsageError as error:
        parser.error(str(error))
    setup_logging()
    try:
        if args.command == "lookup":
            return lookup.run(args, config)
        if args.command in write_commands.COMMANDS:
            return write_commands.run(args, config)
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
