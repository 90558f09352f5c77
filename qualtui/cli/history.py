"""`qualtui history path` and `qualtui history export FILE`: the history without the UI.

Both only read the history file: a damaged file is reported, not repaired (the app does
that when it opens it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from qualtui.cli.arguments import add_shared_options
from qualtui.core import paths
from qualtui.core.history import HistoryEntry, HistoryFilter, export, read_history
from qualtui.core.text import printable

KNOWN_SUFFIXES = (".csv", ".json", "")  # no extension: CSV, as before


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    history = commands.add_parser(
        "history",
        help="print where the history lives, or export it",
        description="Work with the lookup history without opening the app. Global options "
        "such as --data-dir and --demo go before or after 'history'.",
    )
    actions = history.add_subparsers(dest="history_command", metavar="ACTION", required=True)
    path = actions.add_parser("path", help="print the history file's path")
    add_shared_options(path, suppress=True)
    out = actions.add_parser(
        "export",
        help="write the history to a CSV or JSON file",
        description="Write the history, newest first, to FILE ('-' for standard output).",
    )
    out.add_argument("file", metavar="FILE", help="where to write; '-' for standard output")
    out.add_argument(
        "--format",
        choices=export.FORMATS,
        help="csv or json (default: from FILE's extension, else csv)",
    )
    out.add_argument(
        "--filter",
        default="",
        metavar="WORDS",
        help="only entries matching every word (worker, type, status, environment)",
    )
    out.add_argument("--force", action="store_true", help="replace FILE if it exists")
    add_shared_options(out, suppress=True)


def read_entries(path: Path) -> tuple[list[HistoryEntry], str | None]:
    """The readable entries, newest first, and a problem to report (or None). Never blocks
    on a FIFO, never reads more than the store would."""
    parsed = read_history(path)  # the file with its journal
    if parsed.newer_version is not None:
        raise export.ExportError(
            f"{path} was written by a newer qualtui (format {parsed.newer_version})"
        )
    problem = (
        "the history file is damaged; exporting the readable entries" if parsed.damaged else None
    )
    return list(reversed(parsed.entries)), problem  # the file keeps insertion order


def run(args: argparse.Namespace) -> int:
    history_path = paths.history_path(paths.data_dir(args.data_dir), demo=args.demo)
    if args.history_command == "path":
        print(history_path)
        return 0
    try:
        entries, problem = read_entries(history_path)
    except (export.ExportError, OSError) as error:
        print(f"qualtui: error: {error}", file=sys.stderr)
        return 1
    if problem:
        print(f"qualtui: warning: {problem}", file=sys.stderr)
    entries = list(HistoryFilter().select(entries, args.filter))
    if args.file == "-":
        data = export.render(entries, args.format or "csv")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    target = export.resolve(args.file)
    if args.format is None and target.suffix.lower() not in KNOWN_SUFFIXES:
        print(
            f"qualtui: error: {printable(target.name)}: qualtui writes .csv or .json files; "
            "name the file so, or give --format csv|json",
            file=sys.stderr,
        )
        return 2
    try:
        export.export(entries, target, export.format_for(target, args.format), overwrite=args.force)
    except export.ExportError as error:
        hint = " (add --force to replace it)" if "already exists" in str(error) else ""
        print(f"qualtui: error: {error}{hint}", file=sys.stderr)
        return 1
    noun = "lookup" if len(entries) == 1 else "lookups"
    print(f"Exported {len(entries)} {noun} to {target}", file=sys.stderr)
    return 0
