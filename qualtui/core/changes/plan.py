"""Bulk plans: what should change, row by row, before anything is read or written.

Three sources:
- (a) the requester website's worker CSV (Manage > Workers > Download CSV): a `Worker ID`
  column, `CURRENT-<type name>` and `UPDATE-<type name>` columns; an UPDATE cell holds a
  score or `Revoke`, blank means no change. A byte-order mark, quoted names with commas
  and columns this list does not name (statistics, BlockStatus) are expected. Its types are
  named, not identified: `resolve_names` maps the names to your types' IDs.
- (b) a simple CSV, `WorkerId,Score` (a number or `Revoke`) for a type you name; an
  optional `QualificationTypeId` column names the type per row (qualtui's undo plans).
- (c) "set all / raise all by N / revoke all" over a list of workers (`plan_for_workers`).

Rows are validated as they are read: an invalid row is kept with its reason (`problem`),
never dropped; a later row for the same worker and type is invalid (a duplicate).
"""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from qualtui.core import ids
from qualtui.core.changes.change import INT32_MAX, INT32_MIN
from qualtui.core.qualification_types import QualificationType
from qualtui.core.text import one_line
from qualtui.core.worker_ids import WorkerFileError, decode, read_capped

PlanSource = Literal["website", "simple", "list"]
REVOKE = "revoke"
UPDATE_PREFIX = "update-"
CURRENT_PREFIX = "current-"
_WORKER_COLUMNS = {"worker id", "workerid", "worker_id"}
_SCORE_COLUMNS = {"score", "integervalue", "value"}
_TYPE_COLUMNS = {"qualificationtypeid", "qualification type id", "qualification_type_id"}
MAX_CELL = 80  # characters of a cell quoted in a problem


class PlanError(Exception):
    """A plan that cannot be read at all, with the reason in plain words."""


@dataclass(frozen=True)
class PlanRow:
    """One change asked for. Exactly one of `score`, `delta` and `revoke` says what, unless
    `problem` says why the row is invalid. `line` is the file's line (1 is the header) or
    the position in a list."""

    line: int
    worker_id: str
    qualification_type_id: str | None = None
    type_name: str | None = None
    score: int | None = None
    delta: int | None = None
    revoke: bool = False
    problem: str | None = None
    undoes: str | None = None  # the recorded change this row undoes (an undo plan)

    @property
    def valid(self) -> bool:
        return self.problem is None

    def wanted(self) -> str:
        """What the row asks, in words: `80`, `+5`, `revoke`."""
        if self.revoke:
            return REVOKE
        if self.delta is not None:
            return f"{self.delta:+d}"
        return str(self.score) if self.score is not None else ""


@dataclass(frozen=True)
class Plan:
    rows: tuple[PlanRow, ...]
    source: PlanSource
    notes: tuple[str, ...] = ()

    @property
    def valid(self) -> tuple[PlanRow, ...]:
        return tuple(r for r in self.rows if r.valid)

    @property
    def invalid(self) -> tuple[PlanRow, ...]:
        return tuple(r for r in self.rows if not r.valid)

    @property
    def type_ids(self) -> tuple[str, ...]:
        """The types the valid rows change, in first-seen order."""
        seen = dict.fromkeys(r.qualification_type_id for r in self.valid)
        return tuple(t for t in seen if t is not None)


def _cell(text: str) -> str:
    return one_line(text, MAX_CELL)


def parse_update(text: str) -> tuple[int | None, bool, str | None]:
    """An UPDATE or Score cell: (score, revoke, problem)."""
    value = text.strip()
    if value.lower() == REVOKE:
        return None, True, None
    try:
        score = int(value, 10)
    except ValueError:
        return None, False, f"{_cell(value)!r} is neither a whole-number score nor Revoke"
    if not INT32_MIN <= score <= INT32_MAX:
        return None, False, f"score {_cell(value)} is not a 32-bit integer"
    return score, False, None


def _worker(raw: str) -> tuple[str, str | None]:
    value = ids.normalize(raw)
    return value, ids.problem(ids.WORKER_ID, value)


def _rows_of(text: str) -> list[list[str]]:
    text = text.lstrip("\ufeff")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise PlanError(f"not valid CSV ({error})") from None


def _find(header: Sequence[str], names: set[str]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((i for i, name in enumerate(lowered) if name in names), None)


def is_website_header(header: Sequence[str]) -> bool:
    return any(h.strip().lower().startswith(UPDATE_PREFIX) for h in header)


def parse_website_csv(text: str, only_type_name: str | None = None) -> Plan:
    """Rows of the requester website's worker CSV: one per non-blank UPDATE cell.
    `only_type_name` keeps that type's column only. Raises PlanError when it is not one."""
    table = _rows_of(text)
    if not table:
        raise PlanError("the file is empty")
    header = table[0]
    worker_column = _find(header, _WORKER_COLUMNS)
    if worker_column is None:
        raise PlanError("no 'Worker ID' column in the first row")
    updates = [
        (i, h.strip()[len(UPDATE_PREFIX) :].strip())
        for i, h in enumerate(header)
        if h.strip().lower().startswith(UPDATE_PREFIX)
    ]
    if only_type_name is not None:
        updates = [(i, name) for i, name in updates if name == only_type_name]
        if not updates:
            raise PlanError(f"no 'UPDATE-{_cell(only_type_name)}' column in the first row")
    if not updates:
        raise PlanError("no 'UPDATE-<qualification name>' column in the first row")
    rows: list[PlanRow] = []
    for line, record in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        raw_worker = record[worker_column] if worker_column < len(record) else ""
        worker, worker_problem = _worker(raw_worker)
        for column, name in updates:
            cell = record[column] if column < len(record) else ""
            if not cell.strip():
                continue  # blank: no change
            score, revoke, problem = parse_update(cell)
            if worker_problem is not None:
                problem = f"worker {_cell(raw_worker)!r}: {worker_problem}"
            rows.append(PlanRow(line, worker, None, name, score, None, revoke, problem))
    return Plan(tuple(_mark_duplicates(rows)), "website")


def parse_simple_csv(text: str, type_id: str | None) -> Plan:
    """Rows of a `WorkerId,Score` CSV for `type_id` (or a QualificationTypeId column).
    A file without a header row is read as WorkerId,Score. Raises PlanError."""
    table = _rows_of(text)
    if not table:
        raise PlanError("the file is empty")
    header = table[0]
    worker_column = _find(header, _WORKER_COLUMNS)
    score_column = _find(header, _SCORE_COLUMNS)
    type_column = _find(header, _TYPE_COLUMNS)
    body = table[1:]
    first = 2
    if worker_column is None:
        if header and ids.is_valid(ids.WORKER_ID, ids.normalize(header[0])):
            worker_column, score_column, body, first = 0, 1, table, 1
        else:
            raise PlanError("no WorkerId column in the first row (expected WorkerId,Score)")
    if score_column is None:
        raise PlanError("no Score column in the first row (expected WorkerId,Score)")
    if type_id is None and type_column is None:
        raise PlanError("name the qualification type (--type): this plan has no type column")
    rows: list[PlanRow] = []
    for line, record in enumerate(body, start=first):
        if not any(cell.strip() for cell in record):
            continue
        raw_worker = record[worker_column] if worker_column < len(record) else ""
        worker, problem = _worker(raw_worker)
        if problem is not None:
            problem = f"worker {_cell(raw_worker)!r}: {problem}"
        row_type = type_id
        if type_column is not None and type_column < len(record) and record[type_column].strip():
            row_type = ids.normalize(record[type_column])
        if row_type is not None and problem is None:
            type_problem = ids.problem(ids.QUALIFICATION_TYPE_ID, row_type)
            if type_problem is not None:
                problem = f"type {_cell(row_type)!r}: {type_problem}"
        cell = record[score_column] if score_column < len(record) else ""
        score, revoke, score_problem = parse_update(cell)
        if not cell.strip():
            score_problem = "no score (a number, or Revoke)"
        rows.append(
            PlanRow(line, worker, row_type, None, score, None, revoke, problem or score_problem)
        )
    return Plan(tuple(_mark_duplicates(rows)), "simple")


def plan_for_workers(
    worker_ids: Iterable[str],
    type_id: str,
    *,
    score: int | None = None,
    delta: int | None = None,
    revoke: bool = False,
) -> Plan:
    """(c): the same change for every worker: set to `score`, raise or lower by `delta`,
    or revoke."""
    if sum((score is not None, delta is not None, revoke)) != 1:
        raise ValueError("give exactly one of score, delta and revoke")
    rows = []
    for line, raw in enumerate(worker_ids, start=1):
        worker, problem = _worker(raw)
        type_problem = ids.problem(ids.QUALIFICATION_TYPE_ID, type_id)
        if problem is None and type_problem is not None:
            problem = f"type {_cell(type_id)!r}: {type_problem}"
        if score is not None and not INT32_MIN <= score <= INT32_MAX:
            problem = problem or f"score {score} is not a 32-bit integer"
        rows.append(PlanRow(line, worker, type_id, None, score, delta, revoke, problem))
    return Plan(tuple(_mark_duplicates(rows)), "list")


def resolve_names(plan: Plan, types: Sequence[QualificationType]) -> Plan:
    """The website plan's type names mapped to your types' IDs; a name that is not one of
    your types, or that several of them share, makes its rows invalid."""
    by_name: dict[str, list[str]] = {}
    for qtype in types:
        by_name.setdefault(qtype.name, []).append(qtype.id)
    rows = []
    for row in plan.rows:
        if row.qualification_type_id is not None or row.type_name is None:
            rows.append(row)
            continue
        found = by_name.get(row.type_name, [])
        if len(found) == 1:
            rows.append(replace(row, qualification_type_id=found[0]))
        elif row.problem is None:
            why = (
                f"no qualification type of yours is named {_cell(row.type_name)!r}"
                if not found
                else f"{len(found)} of your types are named {_cell(row.type_name)!r}"
            )
            rows.append(replace(row, problem=why))
        else:
            rows.append(row)
    return replace(plan, rows=tuple(_mark_duplicates(rows)))


def _mark_duplicates(rows: Iterable[PlanRow]) -> list[PlanRow]:
    first_line: dict[tuple[str, str], int] = {}
    marked = []
    for row in rows:
        key = (row.worker_id, row.qualification_type_id or f"name:{row.type_name}")
        if row.valid and key in first_line and first_line[key] != row.line:
            row = replace(row, problem=f"the same worker and type as line {first_line[key]}")
        elif row.valid:
            first_line.setdefault(key, row.line)
        marked.append(row)
    return marked


def parse_plan(text: str, type_id: str | None = None, type_name: str | None = None) -> Plan:
    """A plan file's content, either format. For the website's CSV, `type_name` keeps that
    type's UPDATE column only (names are resolved later); `type_id` is the type of a
    simple CSV."""
    table_head = _rows_of(text.split("\n", 1)[0])
    header = table_head[0] if table_head else []
    if is_website_header(header):
        return parse_website_csv(text, type_name)
    return parse_simple_csv(text, type_id)


def read_plan(path: Path, type_id: str | None = None, type_name: str | None = None) -> Plan:
    """A plan from a file (a regular file, at most 20 MB, UTF-8 or Latin-1). Raises
    PlanError with a readable reason."""
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise PlanError(f"{path} is a folder")
        if not stat.S_ISREG(mode):
            raise PlanError(f"{path} is not a regular file")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            text = decode(read_capped(handle, str(path)), str(path))
    except WorkerFileError as error:
        raise PlanError(str(error)) from None
    except FileNotFoundError:
        raise PlanError(f"{path} does not exist") from None
    except PermissionError:
        raise PlanError(f"{path} cannot be read (permission denied)") from None
    except OSError as error:
        raise PlanError(f"could not read {path}: {error.strerror or error}") from None
    try:
        return parse_plan(text, type_id, type_name)
    except PlanError as error:
        raise PlanError(f"{path}: {error}") from None
