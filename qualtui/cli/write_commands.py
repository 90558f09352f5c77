"""The write commands' arguments (set, grant, revoke, undo, apply, requests, accept,
reject), and their dispatch. Kept apart from the commands' code, which is imported only
when one of them runs: `qualtui` starts without loading the write machinery.

Every write command shares `--yes` and `--output` (`add_write_options`); the rules they
follow (read-only, confirmation, exit status) are in `cli.writing`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from qualtui.cli.arguments import add_shared_options, int_in_range

if TYPE_CHECKING:
    from qualtui.core.config import AppConfig

CHANGE_COMMANDS = ("set", "grant", "revoke", "undo")
REQUEST_COMMANDS = ("requests", "accept", "reject")
COMMANDS = (*CHANGE_COMMANDS, "apply", *REQUEST_COMMANDS)
OUTPUTS = ("table", "json", "csv")
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
DEFAULT_CONCURRENCY = 10  # as core.changes.apply
MAX_CONCURRENCY = 64
APPLY_DESCRIPTION = """\
Apply a bulk plan: a dry run first (every worker's current value read, the diff shown),
then one confirmation and the changes, with progress; Ctrl+C stops (what was applied stays
recorded). A summary CSV and its undo plan are written beside the plan file.

The plan is the requester website's worker CSV (`Worker ID`, `UPDATE-<type name>` columns;
an UPDATE cell holds a score or Revoke) or a `WorkerId,Score` CSV for --type. --dry-run
reads and shows the diff and writes nothing (allowed in read-only mode). Exit: 0 every
change applied and verified (for a dry run: no invalid row), 1 any failure or invalid row,
2 refused or bad arguments.
"""


def add_parsers(commands: argparse._SubParsersAction[Any]) -> None:
    add_change_parsers(commands)
    add_apply_parser(commands)
    add_request_parsers(commands)


def run(args: argparse.Namespace, config: AppConfig) -> int:
    """Run a write command (its module imported now)."""
    if args.command in CHANGE_COMMANDS:
        from qualtui.cli import change

        return change.run(args, config)
    if args.command == "apply":
        from qualtui.cli import apply

        return apply.run(args, config)
    from qualtui.cli import requests

    return requests.run(args, config)


def add_write_options(parser: argparse.ArgumentParser, *, output: bool = True) -> None:
    parser.add_argument(
        "--yes", "-y", action="store_true", help="do not ask (required off a terminal)"
    )
    if output:
        parser.add_argument(
            "--output",
            choices=OUTPUTS,
            default="table",
            help="table (default), json (one line per change) or csv",
        )


def score_spec(text: str) -> tuple[str, int]:
    """SCORE of `qualtui set`: `90` sets it, `+5` raises and `-5` lowers it by 5, `=-5`
    sets exactly -5."""
    from qualtui.core.changes.score_text import parse_score  # only when a write runs

    parsed = parse_score(text)
    if isinstance(parsed, str):
        raise argparse.ArgumentTypeError(parsed)
    return parsed


def add_change_parsers(commands: argparse._SubParsersAction[Any]) -> None:
    set_score = commands.add_parser(
        "set",
        help="set a worker's score (grants it when not held)",
        description="Set a worker's score for a type you own: SCORE sets it, +N raises it "
        "and -N lowers it by N (=-5 sets -5). The worker is not notified unless --notify. "
        "Exit 0 applied and verified, 1 failed, 2 refused or bad arguments.",
    )
    set_score.add_argument("qualification_type_id", metavar="TYPE")
    set_score.add_argument("worker_id", metavar="WORKER")
    set_score.add_argument("score", metavar="SCORE", type=score_spec)
    set_score.add_argument("--notify", action="store_true", help="e-mail the worker")
    add_write_options(set_score)
    add_shared_options(set_score, suppress=True)

    grant = commands.add_parser(
        "grant",
        help="grant a qualification to a worker",
        description="Grant a qualification of a type you own (a revoked one is granted "
        "again). Without --score the service's default applies to a new grant (1) and a "
        "re-grant keeps its old score.",
    )
    grant.add_argument("qualification_type_id", metavar="TYPE")
    grant.add_argument("worker_id", metavar="WORKER")
    grant.add_argument("--score", type=int_in_range(INT32_MIN, INT32_MAX), default=None)
    grant.add_argument("--notify", action="store_true", help="e-mail the worker")
    add_write_options(grant)
    add_shared_options(grant, suppress=True)

    revoke = commands.add_parser(
        "revoke",
        help="revoke a worker's qualification",
        description="Revoke a qualification of a type you own. The reason is shown to the worker.",
    )
    revoke.add_argument("qualification_type_id", metavar="TYPE")
    revoke.add_argument("worker_id", metavar="WORKER")
    revoke.add_argument("--reason", default=None, help="shown to the worker")
    add_write_options(revoke)
    add_shared_options(revoke, suppress=True)

    undo = commands.add_parser(
        "undo",
        help="undo a recorded change, or a whole bulk run",
        description="Restore the state before a recorded change (its ID, or the start of it, "
        "from `qualtui history export` or a change's output), or before every change of a "
        "run (a run ID). The undo is confirmed, verified and recorded like any change.",
    )
    undo.add_argument("change_id", metavar="CHANGE_ID")
    add_write_options(undo)
    add_shared_options(undo, suppress=True)


def add_apply_parser(commands: argparse._SubParsersAction[Any]) -> None:
    apply = commands.add_parser(
        "apply",
        help="apply a bulk plan (CSV), after a dry run",
        description=APPLY_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    apply.add_argument("plan", metavar="PLAN.csv")
    apply.add_argument(
        "--type",
        dest="qualification_type_id",
        metavar="TYPE",
        help="the type of a WorkerId,Score plan; with the website's CSV, only its column",
    )
    apply.add_argument("--dry-run", action="store_true", help="show the diff, write nothing")
    apply.add_argument("--notify", action="store_true", help="e-mail each worker granted or set")
    apply.add_argument("--reason", default=None, help="the reason shown to revoked workers")
    apply.add_argument(
        "--concurrency",
        type=int_in_range(1, MAX_CONCURRENCY),
        default=DEFAULT_CONCURRENCY,
        help=f"changes at once (default {DEFAULT_CONCURRENCY})",
    )
    add_write_options(apply)
    add_shared_options(apply, suppress=True)


def add_request_parsers(commands: argparse._SubParsersAction[Any]) -> None:
    listing = commands.add_parser(
        "requests",
        help="list pending qualification requests",
        description="Pending qualification requests for one of your types, or all of them "
        "(every page), with each worker's current score for the type.",
    )
    listing.add_argument("qualification_type_id", metavar="TYPE", nargs="?")
    listing.add_argument("--output", choices=OUTPUTS, default="table")
    add_shared_options(listing, suppress=True)

    accept = commands.add_parser(
        "accept",
        help="accept a qualification request (grants the type)",
        description="Accept a pending request: the worker is granted the type with --score "
        "(it overwrites a score set before). The service notifies the worker.",
    )
    accept.add_argument("request_id", metavar="REQUEST_ID")
    accept.add_argument("--score", type=int_in_range(INT32_MIN, INT32_MAX), default=None)
    add_write_options(accept)
    add_shared_options(accept, suppress=True)

    reject = commands.add_parser(
        "reject",
        help="reject a qualification request",
        description="Reject a pending request; the reason is shown to the worker.",
    )
    reject.add_argument("request_id", metavar="REQUEST_ID")
    reject.add_argument("--reason", default=None, help="shown to the worker")
    add_write_options(reject)
    add_shared_options(reject, suppress=True)
