"""`qualtui demo-server`: the local MTurk endpoint in the foreground, for the AWS CLI and boto3."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualtui.cli.arguments import FAULT_HELP, fault, port
from qualtui.cli.demo_registry import registered
from qualtui.core import paths
from qualtui.core.connection import PRODUCTION, SANDBOX
from qualtui.core.text import one_line

if TYPE_CHECKING:
    from qualtui.endpoint import Fault


def add_parser(commands: argparse._SubParsersAction[Any]) -> None:
    server = commands.add_parser(
        "demo-server",
        help="run the local MTurk endpoint in the foreground",
        description="Run the local MTurk-compatible endpoint until Ctrl+C. Point the AWS "
        "CLI or boto3 at it with --endpoint-url and any dummy keys, region us-east-1.",
    )
    server.add_argument("--port", type=port, default=8443, help="port (default 8443; 0 picks one)")
    server.add_argument(
        "--environment",
        choices=(PRODUCTION, SANDBOX),
        default=PRODUCTION,
        help="which demo data set to serve",
    )
    server.add_argument(
        "--fault", type=fault, action="append", default=[], metavar="SPEC", help=FAULT_HELP
    )
    server.add_argument("--seed", type=int, help="seed the fault dice, for repeatable runs")
    server.add_argument(
        "--data",
        metavar="FILE",
        help="serve this data set (JSON in the shape of one environment of the demo data) "
        "instead of the demo data",
    )


def run(args: argparse.Namespace) -> int:
    data_dir = paths.data_dir(getattr(args, "data_dir", None))
    return serve(args.port, args.environment, args.fault, args.seed, args.data, data_dir)


def serve(
    port: int,
    environment: str,
    faults: Sequence[Fault] = (),
    seed: int | None = None,
    data_file: str | None = None,
    data_dir: Path | None = None,
) -> int:
    """Serve until Ctrl+C. With `data_dir`, the server is noted there while it runs, so
    that qualtui commands pointed at it keep their lookups in the demo history."""
    from qualtui.endpoint import Dataset, LocalMTurk

    data = None
    if data_file is not None:
        try:
            data = Dataset.from_json(json.loads(Path(data_file).expanduser().read_text("utf-8")))
        except (OSError, ValueError, TypeError, KeyError, RecursionError) as error:
            problem = one_line(str(error), 300)
            print(f"qualtui: error: cannot serve {data_file!r}: {problem}", file=sys.stderr)
            return 1
    try:
        server = LocalMTurk(
            data,
            environment=environment,
            port=port,
            faults=list(faults),
            seed=seed,
            log=lambda line: print(line, flush=True),
        )
    except OSError as error:
        print(f"qualtui: error: cannot listen on port {port}: {error.strerror}", file=sys.stderr)
        return 1
    noted = registered(data_dir, server.url) if data_dir else contextlib.nullcontext()
    try:
        with noted:  # before the URL is printed: a script may use it at once
            _announce(server.url, environment, faults)
            server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _announce(url: str, environment: str, faults: Sequence[Fault]) -> None:
    print(f"qualtui demo endpoint ({environment} data) at {url}", flush=True)
    print(
        f"  try: aws mturk get-account-balance --endpoint-url {url} --region us-east-1", flush=True
    )
    print(
        f"  or:  qualtui lookup --endpoint-url {url} TYPE WORKER   (kept in the demo history)",
        flush=True,
    )
    for each in faults:
        print(f"  fault: {each}", flush=True)
    print("  (any access keys work; Ctrl+C stops it)", flush=True)
