"""Bulk plans (issue #17): the requester website's worker CSV with its quirks, the simple
WorkerId,Score CSV, and "set / raise all" over a list; invalid rows kept with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualtui.core.changes.plan import (
    PlanError,
    parse_plan,
    parse_simple_csv,
    plan_for_workers,
    read_plan,
    resolve_names,
)
from qualtui.core.qualification_types import QualificationType
from tests.conftest import TRANSCRIBE

WAVE_TWO = "3DEMOWAVETWO000000000000000001"
TYPES = [
    QualificationType(TRANSCRIBE, "Audio transcription skill"),
    QualificationType(WAVE_TWO, "Longitudinal panel, wave 2"),
    QualificationType("3DUPA", "Twice"),
    QualificationType("3DUPB", "Twice"),
]

WEBSITE_CSV = (
    "\ufeffWorker ID,Completed Assignments,Lifetime Approval Rate,"
    "CURRENT-Audio transcription skill,UPDATE-Audio transcription skill,"
    '"CURRENT-Longitudinal panel, wave 2","UPDATE-Longitudinal panel, wave 2",'
    "CURRENT-Twice,UPDATE-Twice,CURRENT-Gone,UPDATE-Gone,"
    "CURRENT BlockStatus,UPDATE BlockStatus,Notes\r\n"
    "A1GRANTEDWORKER,10,100%,87,90,,,,,,,,,\r\n"
    'A2REVOKEDWORKER,3,90%,, revoke ,,,,,,,,Block,"hello, world"\r\n'
    "A3ZEROSCOREWORKER,1,100%,0,,,,,,,,,,\r\n"
    "a5notheldworker,0,0%,,55,,40,,,,,,,\r\n"
    "bad id,,,,70,,,,,,,,,\r\n"
    "A6COUNTRYWORKER,,,,12.5,,,,7,,8,,,\r\n"
    "\r\n"
    "A1GRANTEDWORKER,10,100%,87,91,,,,,,,,,\r\n"
    "A7SHORTROW,1\r\n"
)


def test_the_website_csv_with_its_quirks() -> None:
    plan = resolve_names(parse_plan(WEBSITE_CSV), TYPES)
    assert plan.source == "website"
    rows = [
        (r.line, r.worker_id, r.qualification_type_id, r.wanted(), r.problem) for r in plan.rows
    ]
    assert rows[:5] == [
        (2, "A1GRANTEDWORKER", TRANSCRIBE, "90", None),
        (3, "A2REVOKEDWORKER", TRANSCRIBE, "revoke", None),  # any case, spaces around
        (5, "A5NOTHELDWORKER", TRANSCRIBE, "55", None),  # IDs normalised
        (5, "A5NOTHELDWORKER", WAVE_TWO, "40", None),  # a quoted name with a comma
        (6, "BAD ID", TRANSCRIBE, "70", rows[4][4]),
    ]
    assert "worker 'bad id'" in (rows[4][4] or "")
    problems = {(r.line, r.type_name): r.problem for r in plan.invalid}
    assert "neither a whole-number score nor Revoke" in (
        problems[(7, "Audio transcription skill")] or ""
    )
    assert "2 of your types are named 'Twice'" in (problems[(7, "Twice")] or "")
    assert "no qualification type of yours is named 'Gone'" in (problems[(7, "Gone")] or "")
    assert problems[(9, "Audio transcription skill")] == "the same worker and type as line 2"
    assert all(r.line != 10 for r in plan.rows)  # a short row: its UPDATE cells are blank
    assert plan.type_ids == (TRANSCRIBE, WAVE_TWO)


def test_the_website_csv_can_be_narrowed_to_one_type() -> None:
    plan = parse_plan(WEBSITE_CSV, type_name="Longitudinal panel, wave 2")
    assert [(r.worker_id, r.type_name) for r in plan.rows] == [
        ("A5NOTHELDWORKER", "Longitudinal panel, wave 2")
    ]
    with pytest.raises(PlanError, match="no 'UPDATE-Nope' column"):
        parse_plan(WEBSITE_CSV, type_name="Nope")


def test_the_simple_csv() -> None:
    plan = parse_simple_csv(
        "WorkerId,Score,Comment\nA1GRANTEDWORKER,95,x\nA2REVOKEDWORKER,Revoke,\n"
        "A3ZEROSCOREWORKER,,\nA4X,99999999999,\nA5Y,-3,\n",
        TRANSCRIBE,
    )
    assert [(r.worker_id, r.wanted(), r.problem) for r in plan.rows] == [
        ("A1GRANTEDWORKER", "95", None),
        ("A2REVOKEDWORKER", "revoke", None),
        ("A3ZEROSCOREWORKER", "", "no score (a number, or Revoke)"),
        ("A4X", "", "score 99999999999 is not a 32-bit integer"),
        ("A5Y", "-3", None),
    ]
    headerless = parse_plan("A1GRANTEDWORKER,5\nA2Y,6\n", TRANSCRIBE)
    assert [r.worker_id for r in headerless.valid] == ["A1GRANTEDWORKER", "A2Y"]
    per_row = parse_plan(f"WorkerId,Score,QualificationTypeId\nA1X,Revoke,{WAVE_TWO}\n")
    assert per_row.rows[0].qualification_type_id == WAVE_TWO
    with pytest.raises(PlanError, match="--type"):
        parse_plan("WorkerId,Score\nA1X,5\n")
    with pytest.raises(PlanError, match="no WorkerId column"):
        parse_plan("name,value\nx,5\n", TRANSCRIBE)


def test_set_or_raise_all_over_a_list() -> None:
    plan = plan_for_workers(["A1X", "a2y", "nope", "A1X"], TRANSCRIBE, delta=5)
    assert [(r.worker_id, r.wanted(), r.valid) for r in plan.rows] == [
        ("A1X", "+5", True),
        ("A2Y", "+5", True),
        ("NOPE", "+5", False),
        ("A1X", "+5", False),  # a duplicate
    ]
    with pytest.raises(ValueError):
        plan_for_workers(["A1X"], TRANSCRIBE, score=1, revoke=True)


def test_unreadable_plan_files_are_explained(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="does not exist"):
        read_plan(tmp_path / "missing.csv")
    with pytest.raises(PlanError, match="folder"):
        read_plan(tmp_path)
    binary = tmp_path / "plan.csv"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(PlanError, match="binary"):
        read_plan(binary)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Worker ID,UPDATE-Caf\xe9\nA1X,5\n".encode("latin-1"))
    assert read_plan(latin).rows[0].type_name == "Caf\xe9"
