"""Command line: `qualtui [options] [COMMAND]`. One module per sub-command:

- `app`: no command, the terminal UI (`--demo` on the local endpoints);
- `lookup`: look up workers for scripts;
- `worker`: every owned type looked up for one worker (the TUI's worker profile);
- `types`: the account's own qualification types; `holders`: who holds one type;
- `history`: where the history lives, and exporting it;
- `demo-server`: the local MTurk endpoint in the foreground;
- `hits`, `hit-workers`: your HITs, and who did them;
- `write_commands`: the arguments of set, grant, revoke, undo (run by `change`), apply
  (`apply`), requests, accept and reject (`requests`); the rules every write shares are in
  `writing`.

Shared options, the usage error and the argument types are in `arguments`.

`qualtui` with no command (the terminal UI) imports none of the sub-command modules: its
command line is read by the shared options alone (`shared_only`), and anything else (a
command, -h, --version, an abbreviation, a usage error) is read by the whole parser, as before.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from qualtui import __version__
from qualtui.cli import app
from qualtui.cli.bare_command import bare_command
from qualtui.cli.config import config_from_args, load_config
from qualtui.cli.log import log, log_file, setup_logging
from qualtui.cli.usage import UsageError
from qualtui.core import collector
from qualtui.core.config import AppConfig

if TYPE_CHECKING:
    import argparse

__all__ = ["UsageError", "build_parser", "config_from_args", "main"]

_setup_logging = setup_logging  # the name tests and older callers use


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: the shared options and every sub-command."""
    from qualtui.cli import (
        demo_server,
        get_qualification_score,
        history,
        hit_workers,
        hits,
        holders,
        lookup,
        types,
        worker,
        write_commands,
    )
    from qualtui.cli.arguments import CliParser, add_shared_options

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
    write_commands.add_parsers(commands)
    worker.add_parser(commands)
    types.add_parser(commands)
    holders.add_parser(commands)
    return parser


READ_COMMANDS = frozenset({"lookup", "worker", "types", "holders", "hits", "hit-workers"})
"""The commands that read and print (their --debug log goes to stderr)."""


def shared_only(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The command line read as `build_parser` reads it, when it holds nothing but shared
    options (the terminal UI), without importing any sub-command; None for anything else: a
    command, -h or --version, an abbreviated option, or a usage error (all left to the whole
    parser, so their output and status are the same). No argument at all (`qualtui` alone)
    is read without importing argparse (`bare_command`)."""
    if not (sys.argv[1:] if argv is None else argv):
        return bare_command()
    from qualtui.cli.arguments import NotSharedOnly, SharedOptionsParser, add_shared_options

    parser = SharedOptionsParser(prog="qualtui", add_help=False, allow_abbrev=False)
    add_shared_options(parser)
    try:
        args, unknown = parser.parse_known_args(argv)
    except NotSharedOnly:
        return None
    if unknown:
        return None
    args.command = None
    return args


def run_command(args: argparse.Namespace, config: AppConfig) -> int:
    """A command that reads the account (or the terminal UI, with no command)."""
    if args.command is None:
        return app.run(args, config)
    from qualtui.cli import hit_workers, hits, holders, lookup, types, worker, write_commands

    if args.command in write_commands.COMMANDS:
        return write_commands.run(args, config)
    commands = {
        "lookup": lookup.run,
        worker.NAME: worker.run,
        types.NAME: types.run,
        holders.NAME: holders.run,
        hits.NAME: hits.run,
        hit_workers.NAME: hit_workers.run,
    }
    run = commands.get(args.command)
    return run(args, config) if run is not None else app.run(args, config)


def start_debug_log(*, to_stderr: bool) -> None:
    """--debug: on stderr for a command; in the log file for the app (stderr is its screen)."""
    from qualtui.cli import debug_log

    if to_stderr:
        debug_log.enable(sys.stderr)
        return
    from qualtui.core.rotating_log import PrivateRotatingFileHandler

    try:
        debug_log.enable(handler=PrivateRotatingFileHandler(log_file(), encoding="utf-8"))
    except OSError as error:
        print(f"qualtui: warning: no debug log: {error}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = shared_only(argv)
    if args is None:
        parsed = parse_with_commands(argv)
        if isinstance(parsed, int):
            return parsed
        args = parsed
    if args.command is not None:
        collector.end_of_start()  # only the terminal UI keeps it paused until it is drawn
    if args.command == "demo-server":
        from qualtui.cli import demo_server

        return demo_server.run(args)
    if args.command == "history":
        from qualtui.cli import history

        return history.run(args)
    if args.command == "get-qualification-score":
        from qualtui.cli import get_qualification_score

        return get_qualification_score.run(args)
    try:
        config = load_config(args)
    except UsageError as error:
        build_parser().error(str(error))
    setup_logging()
    if args.debug:
        start_debug_log(to_stderr=args.command in READ_COMMANDS)
    try:
        return run_command(args, config)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # no traceback reaches the user: it goes to the log
        log.exception("qualtui stopped")
        print(
            f"qualtui: unexpected error ({type(error).__name__}); details in {log_file()}",
            file=sys.stderr,
        )
        return 1


def parse_with_commands(argv: Sequence[str] | None) -> argparse.Namespace | int:
    """The whole parser's reading (it exits with its usage error or its help), or the exit
    status of get-qualification-score's usage error."""
    from qualtui.cli import get_qualification_score

    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        message = f"unrecognized arguments: {' '.join(unknown)}"
        if args.command == get_qualification_score.NAME:  # the AWS CLI's status for it
            print(f"qualtui {args.command}: error: {message}", file=sys.stderr)
            return get_qualification_score.EXIT_USAGE
        parser.error(message)
    return args
