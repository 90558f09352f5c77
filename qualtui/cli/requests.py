"""`qualtui requests [TYPE]`, `qualtui accept REQUEST_ID [--score N]`,
`qualtui reject REQUEST_ID [--reason TEXT]`: workers' qualification requests, listed with
their current score (every page), and answered like any change: confirmed, verified,
recorded (see `cli.writing`)."""

from __future__ import annotations

import argparse

from qualtui.cli.arguments import EXIT_USAGE
from qualtui.cli.writing import (
    EXIT_FAILED,
    EXIT_OK,
    Terminal,
    confirm,
    exit_status,
    print_changes,
    print_rows,
    record_all,
    refusal,
    report_failures,
    type_label,
    with_config,
)
from qualtui.core import ids
from qualtui.core.changes.change import State
from qualtui.core.changes.confirmation import request_lines
from qualtui.core.changes.requests import answer_request, find_request, list_requests
from qualtui.core.client import ClientCache
from qualtui.core.config import AppConfig
from qualtui.core.models import Failure
from qualtui.core.qualification_types import TypeCache
from qualtui.core.text import one_line

COMMANDS = ("requests", "accept", "reject")
REQUEST_COLUMNS = ("request_id", "qualification_type_id", "worker_id", "submitted", "current")


def run(args: argparse.Namespace, config: AppConfig, term: Terminal | None = None) -> int:
    term = term or Terminal()
    if args.command == "requests":
        type_id = None
        if args.qualification_type_id:
            type_id = ids.normalize(args.qualification_type_id)
            problem = ids.problem(ids.QUALIFICATION_TYPE_ID, type_id)
            if problem:
                print(f"qualtui requests: error: {one_line(type_id)!r}: {problem}", file=term.err)
                return EXIT_USAGE
        return with_config(args, config, lambda c: show(args, c, term, type_id))
    refused = refusal(args, config, term, args.command)
    if refused is not None:
        return refused
    request_id = ids.normalize(args.request_id)
    problem = ids.problem(ids.QUALIFICATION_TYPE_ID, request_id)
    if problem:
        print(
            f"qualtui {args.command}: error: request ID {one_line(request_id)!r}: "
            f"{problem.replace('Qualification type ID', 'Request ID')} Nothing was sent.",
            file=term.err,
        )
        return EXIT_USAGE
    return with_config(args, config, lambda c: answer(args, c, term, request_id))


def show(args: argparse.Namespace, config: AppConfig, term: Terminal, type_id: str | None) -> int:
    connection = config.endpoints.connection(config.profile, config.environment)
    clients = ClientCache(config.client_settings)
    listed = list_requests(clients, connection, type_id)
    if listed.failure is not None:
        failure = listed.failure
        print(
            f"qualtui requests: {one_line(failure.title)}: {one_line(failure.explanation)}",
            file=term.err,
        )
        return EXIT_FAILED
    rows = [
        {
            "request_id": r.request_id,
            "qualification_type_id": r.qualification_type_id,
            "worker_id": r.worker_id,
            "submitted": f"{r.submit_time:%Y-%m-%dT%H:%M:%SZ}" if r.submit_time else "",
            "current": (
                r.current.text()
                if isinstance(r.current, State)
                else (r.current.title if isinstance(r.current, Failure) else "")
            ),
        }
        for r in listed.requests
    ]
    print_rows(rows, REQUEST_COLUMNS, args.output, term.out)
    if args.output == "table":
        print(f"qualtui requests: {len(rows)} pending", file=term.err)
    return EXIT_OK


def answer(args: argparse.Namespace, config: AppConfig, term: Terminal, request_id: str) -> int:
    command = args.command
    accept = command == "accept"
    connection = config.endpoints.connection(config.profile, config.environment)
    clients = ClientCache(config.client_settings)
    found = find_request(clients, connection, request_id)
    if isinstance(found, Failure):
        print(
            f"qualtui {command}: {one_line(found.title)}: {one_line(found.explanation)}",
            file=term.err,
        )
        return EXIT_FAILED
    if found is None:
        print(f"qualtui {command}: no pending request {request_id} of yours", file=term.err)
        return EXIT_FAILED
    types = TypeCache()
    label = type_label(clients, types, connection, found.qualification_type_id)
    lines = request_lines(
        [found],
        label,
        accept=accept,
        value=args.score if accept else None,
        reason=None if accept else args.reason,
    )
    if not confirm(term, connection, lines, f"{command.capitalize()}?", yes=args.yes):
        print("Nothing was changed.", file=term.err)
        return EXIT_FAILED
    name = types.cached(connection, found.qualification_type_id)
    change = answer_request(
        clients,
        connection,
        found,
        accept=accept,
        value=args.score if accept else None,
        reason=None if accept else args.reason,
        type_name=name.name if name is not None else None,
    )
    record_all(config, [change], term, command)
    print_changes([change], args.output, term.out)
    report_failures([change], term, command)
    return exit_status([change])
