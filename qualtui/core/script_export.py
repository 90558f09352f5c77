"""A lookup as a script: the AWS CLI command and the boto3 code that give the same answer.

For the clipboard ("Copy as AWS CLI command", "Copy as boto3 code"), the way an HTTP client
copies a request as curl. The profile, the region, the endpoint (the sandbox's URL, or any
override) and the IDs are filled in; the IDs are quoted for the shell (shlex.quote) and as
Python literals (repr), so outside text can never become code. Many workers give a loop.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from qualtui.core.connection import Connection

AWS_COMMAND = "aws mturk get-qualification-score"


def _workers(worker_id: str | Sequence[str]) -> list[str]:
    return [worker_id] if isinstance(worker_id, str) else list(worker_id)


def _connection_options(connection: Connection) -> list[str]:
    options = ["--region", connection.region]
    if connection.profile:
        options += ["--profile", connection.profile]
    if connection.endpoint_url:
        options += ["--endpoint-url", connection.endpoint_url]
    return options


def aws_cli_command(connection: Connection, type_id: str, worker_id: str | Sequence[str]) -> str:
    """The AWS CLI command for one worker; for several, a shell loop over them."""
    workers = _workers(worker_id)
    common = [*_connection_options(connection), "--qualification-type-id", type_id]
    quoted = " ".join(shlex.quote(part) for part in common)
    if len(workers) == 1:
        return f"{AWS_COMMAND} {quoted} --worker-id {shlex.quote(workers[0])}"
    listed = " \\\n    ".join(shlex.quote(w) for w in workers)
    return (
        f'for worker in \\\n    {listed}\ndo\n  {AWS_COMMAND} {quoted} --worker-id "$worker"\ndone'
    )


def boto3_code(connection: Connection, type_id: str, worker_id: str | Sequence[str]) -> str:
    """Python that looks up the worker (or each worker) with boto3 and prints the
    qualification as JSON (GrantTime in ISO 8601), or the service's error."""
    workers = _workers(worker_id)
    session = f"profile_name={connection.profile!r}" if connection.profile else ""
    client_options = [f"region_name={connection.region!r}"]
    if connection.endpoint_url:
        client_options.append(f"endpoint_url={connection.endpoint_url!r}")
    lines = [
        "import json",
        "",
        "import boto3",
        "",
        f"client = boto3.Session({session}).client('mturk', {', '.join(client_options)})",
        f"qualification_type_id = {type_id!r}",
    ]
    if len(workers) == 1:
        lines += [f"worker_ids = [{workers[0]!r}]"]
    else:
        lines += ["worker_ids = ["] + [f"    {w!r}," for w in workers] + ["]"]
    lines += [
        "",
        "for worker_id in worker_ids:",
        "    try:",
        "        response = client.get_qualification_score(",
        "            QualificationTypeId=qualification_type_id, WorkerId=worker_id",
        "        )",
        "    except client.exceptions.RequestError as error:",
        "        print(worker_id, error.response['Error']['Message'])",
        "        continue",
        "    qualification = response['Qualification']",
        "    print(json.dumps(qualification, indent=4, default=lambda t: t.isoformat()))",
    ]
    return "\n".join(lines) + "\n"
