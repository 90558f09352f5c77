"""The history CSV a requester opens in a spreadsheet (issue #14, "Exports"): lookups made
by `qualtui lookup` carry the type's name, and every row has a status a filter can use
(Granted, Revoked, NotHeld, Error), not an empty cell for a worker without the type."""

from __future__ import annotations

import csv
import io

from qualtui import cli
from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation

WORKERS = ["A1GRANTEDWORKER", "A2REVOKEDWORKER", "A5NOTHELDWORKER", "A7FAILINGWORKER"]


def test_the_csv_has_the_type_name_and_a_status_on_every_row(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    endpoint.add_fault(Fault("error", worker_id="A7FAILINGWORKER", code="ServiceFault", status=400))
    where = ["--endpoint-url", endpoint.url, "--profile", "default"]
    assert cli.main(["lookup", TRANSCRIBE, *WORKERS, *where, "--output", "csv"]) == 1
    target = aws_profiles.data_dir / "out.csv"
    assert cli.main(["history", "export", str(target)]) == 0
    rows = {r["worker_id"]: r for r in csv.DictReader(io.StringIO(target.read_text("utf-8")))}
    assert {r["qualification_type_name"] for r in rows.values()} == {"Audio transcription skill"}
    statuses = {worker: row["status"] for worker, row in rows.items()}
    assert statuses == {
        "A1GRANTEDWORKER": "Granted",
        "A2REVOKEDWORKER": "Revoked",
        "A5NOTHELDWORKER": "NotHeld",
        "A7FAILINGWORKER": "Error",
    }
    assert rows["A5NOTHELDWORKER"]["error_kind"] == "not_held"
    assert rows["A7FAILINGWORKER"]["error_kind"] not in ("", "not_held")
