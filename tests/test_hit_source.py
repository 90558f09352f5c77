"""Where a batch's workers came from (core.hit_source) and the export's extra columns."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest

from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.history import HistoryEntry
from qualtui.core.history.export import CSV_COLUMNS, render
from qualtui.core.hit_source import SOURCE_FIELDS, HitSource
from qualtui.core.hits import Assignment, HitWorkers, merge_workers
from qualtui.core.models import LookupRequest, LookupResult, Qualification

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
TYPE = "3DEMOTRANSCRIBE000000000000001"


def source() -> HitSource:
    assignments = (
        Assignment("AS1", "A1", "HITONE", "Approved"),
        Assignment("AS2", "A2", "HITONE", "Rejected"),
        Assignment("AS3", "A1", "HITTWO", "Submitted"),
    )
    listing = HitWorkers(
        hit_ids=("HITONE", "HITTWO"), assignments=assignments, workers=merge_workers(assignments)
    )
    return HitSource(listing)


def test_a_worker_in_two_hits_is_one_row_with_both() -> None:
    hits = source()
    assert hits.worker_ids == ("A1", "A2")
    assert hits.cells("A1") == ("Approved Submitted", "HITONE HITTWO")
    assert hits.cells("A2") == ("Rejected", "HITONE")
    assert hits.cells("A9") == ("", "")
    assert hits.fields("A2") == {"assignment_statuses": "Rejected", "hit_ids": "HITONE"}
    assert hits.summary() == "3 assignments, 2 workers from 2 HITs"


def entry(worker: str) -> HistoryEntry:
    request = LookupRequest(Connection("default", PRODUCTION), TYPE, worker)
    q = Qualification(TYPE, worker, "Granted", integer_value=5)
    return HistoryEntry.from_result(LookupResult(request, NOW, qualification=q))


def test_exports_carry_the_hit_columns() -> None:
    hits = source()
    entries = [entry("A1"), entry("A2")]
    extra = [hits.fields(e.worker_id) for e in entries]
    table = list(csv.DictReader(io.StringIO(render(entries, "csv", extra).decode())))
    assert tuple(table[0]) == CSV_COLUMNS + SOURCE_FIELDS
    assert [(r["worker_id"], r["hit_ids"], r["assignment_statuses"]) for r in table] == [
        ("A1", "HITONE HITTWO", "Approved Submitted"),
        ("A2", "HITONE", "Rejected"),
    ]
    document = json.loads(render(entries, "json", extra))
    assert document["entries"][1]["assignment_statuses"] == "Rejected"
    assert tuple(next(csv.reader(io.StringIO(render(entries, "csv").decode())))) == CSV_COLUMNS
    with pytest.raises(ValueError):
        render(entries, "csv", extra[:1])
