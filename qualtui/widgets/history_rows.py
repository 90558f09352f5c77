"""The history table's rows: each entry's cells in COLUMNS order, how each column sorts,
and the type names shown (learned per place: environment and endpoint)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from rich.text import Text

from qualtui.core.connection import PRODUCTION, PRODUCTION_URL, SANDBOX, SANDBOX_URL
from qualtui.core.history import HistoryEntry
from qualtui.core.result_format import qualification_cells
from qualtui.core.text import printable
from qualtui.widgets.status_style import STATUS_VARIABLE

SHORT_ENV = {"production": "prod", "sandbox": "sandbox"}


def _cell(value: str, style: str = "") -> Text:
    """A cell that shows its text literally: DataTable would read a str as markup."""
    return Text(printable(value), style=style, no_wrap=True)


NAME_WIDTH = 30


def type_cell(type_id: str, name: str | None) -> Text:
    """The type's name when known (shortened), else its ID."""
    if not name:
        return _cell(type_id)
    short = name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"
    return _cell(short)


def outcome_status(entry: HistoryEntry) -> str:
    """The key of the shared status colours: the qualification's status, "not_held", or
    "error" for a lookup that failed."""
    outcome = entry.outcome
    if outcome in STATUS_VARIABLE:
        return outcome
    return "" if entry.qualification else "error"


Place = tuple[str, str]
"""Where a type name holds: (environment, endpoint URL)."""

_DEFAULT_URL = {PRODUCTION: PRODUCTION_URL, SANDBOX: SANDBOX_URL}


def place(environment: str, endpoint_url: str | None) -> Place:
    """The place of a lookup: its environment and the endpoint it went to (the public one
    when none is recorded)."""
    return environment, endpoint_url or _DEFAULT_URL.get(environment, "")


def entry_place(entry: HistoryEntry) -> Place:
    return place(entry.environment, entry.endpoint_url)


TypeNames = dict[tuple[Place, str], str]
"""Type names learned, by place and type ID."""


def learned_names(entries: Iterable[HistoryEntry]) -> TypeNames:
    """The type names the entries carry, by place and type ID (a later entry's wins)."""
    names: TypeNames = {}
    places: dict[tuple[str, str | None], Place] = {}  # one tuple per place, not per entry
    for entry in entries:
        name = entry.qualification_type_name
        if name:
            where = places.get((entry.environment, entry.endpoint_url))
            if where is None:
                where = places[entry.environment, entry.endpoint_url] = entry_place(entry)
            names[where, entry.qualification_type_id] = name
    return names


def type_name(entry: HistoryEntry, names: TypeNames) -> str | None:
    """The name to show for the entry's type: learned for its place, else its own."""
    learned = names.get((entry_place(entry), entry.qualification_type_id))
    return learned or entry.qualification_type_name


COLUMNS = ("Worker", "Outcome", "Score", "Locale", "Qualification", "Env", "When")
"""What matters first: at 60 columns Worker, Outcome and Score are on screen."""


def cells(
    entry: HistoryEntry,
    names: TypeNames | None = None,
    colour: Callable[[str], str] = lambda _status: "",
) -> list[Text]:
    """The entry's row, in COLUMNS order."""
    values = cell_values(entry, names or {}, colour)
    return [values[column] for column in COLUMNS]


def cell_values(
    entry: HistoryEntry, names: TypeNames, colour: Callable[[str], str]
) -> dict[str, Text]:
    q = entry.qualification
    outcome = entry.outcome
    values = qualification_cells(q)
    when = _cell(entry.time.astimezone().strftime("%Y-%m-%d %H:%M"))
    env = _cell(SHORT_ENV.get(entry.environment, entry.environment))
    if entry.worker_profile is not None:  # one item for a whole worker profile
        return {
            "Worker": _cell(entry.worker_id),
            "Outcome": _cell(entry.worker_profile.text),
            "Score": _cell(""),
            "Locale": _cell(""),
            "Qualification": _cell("Worker profile"),
            "Env": env,
            "When": when,
        }
    return {
        "Worker": _cell(entry.worker_id),
        "Outcome": _cell(outcome.replace("_", " "), colour(outcome_status(entry))),
        "Score": _cell(values.score),
        "Locale": _cell(values.locale),
        "Qualification": type_cell(entry.qualification_type_id, type_name(entry, names)),
        "Env": env,
        "When": when,
    }


def sort_key(column: str, names: TypeNames) -> Callable[[HistoryEntry], Any]:
    """How a column sorts its entries (scores as numbers, blanks last)."""
    if column == "Worker":
        return lambda e: e.worker_id
    if column == "Outcome":
        return lambda e: e.outcome
    if column == "Score":  # a number, not a tuple: a million tuples made in a thread
        # started full collections of the interpreter, each holding the GIL
        return lambda e: (
            e.qualification.integer_value
            if e.qualification is not None and e.qualification.integer_value is not None
            else math.inf
        )
    if column == "Locale":
        return lambda e: qualification_cells(e.qualification).locale
    if column == "Qualification":
        return lambda e: (type_name(e, names) or e.qualification_type_id).lower()
    if column == "Env":
        return lambda e: e.environment
    raise ValueError(column)
